"""The static publication, made from a build's output folder (:func:`make_site`)."""

from __future__ import annotations

import gzip
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
from pyoxigraph import Literal, NamedNode

from .. import progress
from ..build import DUMP_FILES, VERSIONS
from ..checkup.sections import PageSections, style_files
from ..config import Publisher
from ..errors import LodError
from ..publish.tree import publish_tree
from ..query.bundled import list_queries
from ..vocab import DCATAPIT, DCTERMS, FOAF, RDF, VOID
from ..web import Renderer, assets, site_iri_of
from ..web.data import publication_quads
from . import hosting, pages
from .catalogue import Catalogue
from .search import SEARCH_INDEX, search_index, search_script
from .writer import default_jobs, write_file, write_resources

__all__ = ["DEFAULT_SITE_URL", "SiteResult", "base_iri_of", "check_dumps", "make_site", "site_url_for"]

#: Where the publication of the default base IRI is served (the project's GitHub Pages), the
#: target of the w3id.org redirect: ``--site-url`` for another host.
DEFAULT_SITE_URL = "https://lod-unioni.github.io/lod-unioni/"
#: The files of the build's output folder published beside the dumps.
BESIDE_DUMPS = ("context.jsonld", "void.ttl", "iris.csv")
#: Where the w3id.org redirect file is written in the site (not served from there: to propose).
W3ID_FILE = "hosting/w3id.org-lod-unioni.htaccess"
NGINX_FILE = "hosting/nginx.conf"


@dataclass
class SiteResult:
    """What :func:`make_site` wrote."""

    out_dir: Path
    resources: int
    files: int
    bytes: int
    seconds: float
    base_iri: str
    site_url: str
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"site: {self.resources} resources, {self.files} files ({self.bytes / 1e6:.1f} MB) written to "
            f"{self.out_dir} in {self.seconds:.1f} s ({self.resources / max(self.seconds, 1e-9):.0f} resources/s); "
            f"served at {self.site_url}"
        )


def base_iri_of(dumps_dir: Path) -> str | None:
    """The base IRI of a build's dumps: the ``void:uriSpace`` of the dataset of its ``void.ttl``
    that has the dumps (``void:dataDump``)."""
    path = dumps_dir / "void.ttl"
    if not path.is_file():
        return None
    try:
        triples = [q.triple for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)]
    except (OSError, SyntaxError, ValueError) as exc:
        raise LodError(f"cannot read it: {exc}", file=str(path)) from None
    with_dumps = {t.subject for t in triples if t.predicate == NamedNode(VOID + "dataDump")}
    for t in triples:
        if t.subject in with_dumps and t.predicate == NamedNode(VOID + "uriSpace") and isinstance(t.object, Literal):
            return t.object.value
    return None


def site_url_for(base_iri: str, given: str | None = None) -> str:
    """Where the site is served: ``given``, else :data:`DEFAULT_SITE_URL` for a base IRI on
    w3id.org (which redirects there), else the IRI the site root stands for (the host serves its
    own IRIs)."""
    if given:
        url = given if given.endswith("/") else given + "/"
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise LodError(f"not an http(s) URL: {given!r}", field="--site-url")
        return url
    site_iri = site_iri_of(base_iri)
    return DEFAULT_SITE_URL if site_iri.startswith("https://w3id.org/") else site_iri


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def _link_or_copy(source: Path, target: Path) -> None:
    os.makedirs(target.parent, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class _Site:
    """The files of one publication, and how to write them into the new folder."""

    def __init__(
        self,
        dumps_dir: Path,
        base_iri: str,
        site_url: str,
        labels: Mapping[str, tuple[str, str | None]] | None,
    ) -> None:
        self.dumps_dir = dumps_dir
        self.site_url = site_url
        self.root_path = urlsplit(site_url).path or "/"
        catalog = dumps_dir / "catalog.ttl"
        with progress.Step(f"reading the dumps of {dumps_dir}"):
            # the files' own quads, not a store's (which keeps xsd:nonNegativeInteger as xsd:integer)
            quads = publication_quads([dumps_dir / "unioni.nt"], catalog=catalog if catalog.is_file() else None)
        # a union's page shows its checkup, a comune's its projects (none without applications)
        self.sections = PageSections.read(quads, base_iri + "unioni.nt")
        with progress.Step("indexing the resources"):
            self.r = Renderer(quads, base_iri, site_root=None, static=True, labels=labels, sections=self.sections)
            self.iris = list(self.r.resources())
            self.catalogue = Catalogue(self.r)
        data_path = self.r.path(base_iri + "unioni.ttl")
        if data_path is None:
            raise LodError(f"the base IRI {base_iri} is not below the site IRI {self.r.site_iri}", field="--base-iri")
        self.data_dir = data_path[: -len("unioni.ttl")]  # "data/"
        self.downloads: dict[str, int] = {}

    def top_dirs(self) -> set[str]:
        names = {"assets", "hosting", "queries"}
        names |= {p.split("/", 1)[0] for iri in self.iris if "/" in (p := self.r.path(iri) or "")}
        if self.data_dir:
            names.add(self.data_dir.split("/", 1)[0])
        return names

    def dump_files(self, stage: Path) -> None:
        """The dumps (and gzip copies), the files beside them and the versions, linked from the
        build's folder."""
        for name in DUMP_FILES:
            source = self.dumps_dir / name
            if not source.is_file():
                raise LodError("not found: build the dumps first", file=str(source))
            target = self.data_dir + name
            _link_or_copy(source, stage / target)
            data = source.read_bytes()
            write_file(stage, target + ".gz", _gzip(data), set())
            self.downloads[target] = len(data)
            self.downloads[target + ".gz"] = (stage / (target + ".gz")).stat().st_size
        for name in BESIDE_DUMPS:
            if (self.dumps_dir / name).is_file():
                _link_or_copy(self.dumps_dir / name, stage / (self.data_dir + name))
                self.downloads[self.data_dir + name] = (self.dumps_dir / name).stat().st_size
        self._versions(stage)

    def _versions(self, stage: Path) -> None:
        versions = self.dumps_dir / VERSIONS
        if not versions.is_dir():
            return
        for folder in sorted(p for p in versions.iterdir() if p.is_dir()):
            for source in sorted(p for p in folder.iterdir() if p.is_file()):
                target = f"{self.data_dir}{VERSIONS}/{folder.name}/{source.name}"
                _link_or_copy(source, stage / target)
                self.downloads[target] = source.stat().st_size
                if source.name not in DUMP_FILES:
                    continue
                latest = self.dumps_dir / source.name
                if latest.is_file() and os.path.samefile(latest, source):
                    _link_or_copy(stage / (self.data_dir + source.name + ".gz"), stage / (target + ".gz"))
                else:
                    write_file(stage, target + ".gz", _gzip(source.read_bytes()), set())

    def own_files(self) -> dict[str, bytes]:
        """The site's own pages and files (all but the resources' and the dumps')."""
        r, c = self.r, self.catalogue
        queries = [(q, Path(q.path).read_text(encoding="utf-8")) for q in list_queries() if q.path is not None]
        files = {
            **assets(),
            **(style_files() if self.sections is not None else {}),
            "assets/search.js": search_script(),
            SEARCH_INDEX: search_index(c),
            "regioni.html": pages.region_page(r, c),
            "province.html": pages.province_page(r, c),
            "servizi.html": pages.service_page(r, c),
            "cerca.html": pages.search_page(r),
            "query.html": pages.queries_page(r, queries),
            "404.html": pages.not_found_page(r, self.root_path),
            ".htaccess": hosting.htaccess(self.root_path).encode(),
            NGINX_FILE: hosting.nginx_conf(self.root_path).encode(),
            "robots.txt": hosting.robots_txt(self.site_url),
            ".nojekyll": b"",  # GitHub Pages: serve the folder as it is
        }
        for q, _ in queries:
            files[f"queries/{q.name}.rq"] = Path(q.path).read_bytes() if q.path else b""
        if r.site_iri.startswith("https://w3id.org/"):
            namespace = urlsplit(r.site_iri).path.strip("/") + "/"
            files[W3ID_FILE] = hosting.w3id_htaccess(namespace, self.site_url).encode()
        return files

    def home_folder(self) -> str:
        """The base IRI's folder below the site root (``data/``): it has the home page too, as the
        catalog's home page and the dataset's landing page. Empty when the base is the site root."""
        base, root = self.r.base_iri, self.r.site_iri
        return base[len(root) :] if base.startswith(root) else ""

    def sitemap_paths(self) -> list[str]:
        names = ["index.html", "regioni.html", "province.html", "servizi.html", "cerca.html", "query.html"]
        if self.home_folder():
            names.append(self.home_folder() + "index.html")
        for iri in self.iris:
            path = self.r.path(iri)
            if path is not None:
                names.append(path + ".html")
        return names


def check_dumps(dumps: Path, base_iri: str | None = None, publisher: Publisher | None = None) -> str:
    """The base IRI of the build's output folder ``dumps`` (``base_iri`` if given: it must be the
    dumps'); a :class:`LodError` when the folder has no dumps, or when ``publisher`` is given and
    the catalog of the dumps names another one (dumps built without the settings name the example)."""
    for name in ("unioni.nt", "void.ttl", "catalog.ttl"):
        if not (dumps / name).is_file():
            raise LodError(f"no {name} here: build the dumps first (lod-unioni build)", file=str(dumps))
    if publisher is not None:
        _check_publisher(dumps / "catalog.ttl", publisher)
    found = base_iri_of(dumps)
    base = base_iri or found
    if base is None:
        raise LodError("no base IRI in void.ttl (void:uriSpace): give --base-iri", file=str(dumps / "void.ttl"))
    if found is not None and base_iri is not None and found != base_iri:
        raise LodError(f"the dumps were built with the base IRI {found}, not {base_iri}", file=str(dumps / "void.ttl"))
    if not base.endswith("/"):
        raise LodError(f"a static site needs a base IRI that ends with '/', not {base!r}", field="--base-iri")
    return base


def _check_publisher(catalog: Path, publisher: Publisher) -> None:
    """The catalog's publisher (its agent's ``dct:identifier``) must be the settings' one."""
    triples = list(pyoxigraph.parse(path=str(catalog), format=pyoxigraph.RdfFormat.TURTLE))
    agents = {t.subject for t in triples if t.predicate == _RDF_TYPE and t.object in _AGENTS}
    named = sorted({t.object.value for t in triples if t.subject in agents and t.predicate == _IDENTIFIER})
    if publisher.ipa not in named:
        raise LodError(
            f"the dumps were built in the name of {', '.join(named) or 'no publisher'}, not of the publisher "
            f"of the settings ({publisher.ipa}): build them again (without --no-build)",
            file=str(catalog),
        )


_RDF_TYPE = NamedNode(RDF + "type")
_AGENTS = {NamedNode(DCATAPIT + "Agent"), NamedNode(FOAF + "Agent")}
_IDENTIFIER = NamedNode(DCTERMS + "identifier")


def make_site(
    dumps_dir: str | Path,
    out_dir: str | Path,
    *,
    base_iri: str | None = None,
    site_url: str | None = None,
    labels: Mapping[str, tuple[str, str | None]] | None = None,
    jobs: int | None = None,
) -> SiteResult:
    """Write the static publication of the dumps of ``dumps_dir`` (a build's output folder:
    ``unioni.nt``... ``catalog.ttl``, ``void.ttl``, ``versions/``) into ``out_dir``, as one atomic
    publication (:func:`lod_unioni.publish.tree.publish_tree`). ``base_iri``: the dumps' (default:
    read from their ``void.ttl``); ``site_url``: where the site is served (:func:`site_url_for`);
    ``labels``: names of the regions and provinces (IRI -> Italian, English); ``jobs``: processes."""
    start = time.perf_counter()
    dumps = Path(dumps_dir)
    base = check_dumps(dumps, base_iri)
    site = _Site(dumps, base, site_url_for(base, site_url), labels)
    n_jobs = jobs or default_jobs()
    totals = [0, 0]

    def fill(stage: Path) -> None:
        made: set[Path] = set()
        own = site.own_files()
        with progress.Step(f"writing the pages and documents of {len(site.iris)} resources ({n_jobs} processes)"):
            files, size = write_resources(site.r, stage, site.iris, n_jobs, meanwhile=lambda: site.dump_files(stage))
        home = (site.r, site.catalogue, site.downloads, _dataset(site.r))
        own["index.html"] = pages.home_page(*home)
        folder = site.home_folder()
        if folder:
            own[folder + "index.html"] = pages.home_page(*home, at=folder + "index")
        own.update(hosting.sitemaps(site.site_url, site.sitemap_paths()))
        for name, data in own.items():
            write_file(stage, name, data, made)
        totals[0] = files + len(own) + len(site.downloads)
        totals[1] = size + sum(len(d) for d in own.values()) + sum(site.downloads.values())

    with progress.Step(f"publishing the site into {out_dir}"):
        publish_tree(out_dir, fill, dirs=site.top_dirs())
    return SiteResult(
        Path(out_dir), len(site.iris), totals[0], totals[1], time.perf_counter() - start, base, site.site_url
    )


def _dataset(r: Renderer) -> str | None:
    iri = r.base_iri + "dataset/unioni"
    return iri if r.is_resource(iri) else None
