"""``lod-unioni site``: build the dumps (bundled records, or ``--national``) and write the static
publication: a page and three documents per resource, the indexes, the search, the queries, the
dumps, the web-server configurations (:mod:`lod_unioni.site`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from .. import progress
from ..config import Publisher, Settings
from ..errors import LodError
from . import options

if TYPE_CHECKING:
    from ..sources.folder import SourcesDir

NAME = "site"
HELP = "write the static linked-data site: a page and Turtle/JSON-LD/N-Triples per resource, indexes, search"
DESCRIPTION = """\
Build the dumps (the bundled records, or every union of the Ministry register with --national)
and write a complete static publication into --out (default: site/), that any web server or
Pages host can serve:
  - one HTML page per resource of the dumps, the ontology and the vocabularies, at the path its
    IRI names under the base IRI (https://w3id.org/lod-unioni/data/union/udm_069 ->
    site/data/union/udm_069.html), with its Turtle, JSON-LD and N-Triples documents beside it
    (.ttl, .jsonld, .nt); Italian first, then English; its inverse links 100 a page;
  - the unions by region, by province and by service, a search over names and codes (in the
    browser: no server needed), the bundled SPARQL queries;
  - the dumps (latest and versions, also .gz), context.jsonld, void.ttl, the catalog,
    sitemap.xml, robots.txt, a 404 page;
  - .htaccess (Apache) and hosting/nginx.conf: 303 See Other from a resource IRI to the
    document its Accept header prefers; hosting/w3id.org-lod-unioni.htaccess: the redirect to
    propose to w3id.org for the default base IRI.
The dumps are built into their usual folder first (output/, or output/national/; --dumps DIR),
exactly as 'lod-unioni build' does; --no-build makes the site from the dumps already there.
Regions and provinces are named from OntoPiA's files when registry files are at hand (--sources,
the sources setting or the download cache), else by their codes.
The site folder is published in one atomic step: a reader sees the old site or the new one.
How to serve it: docs/publishing.md.

examples:
  lod-unioni site
  lod-unioni site --national --sources ../shared/data --out /tmp/site
  lod-unioni site --no-build --dumps output --site-url https://example.org/unioni/"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_out(parser, "the site folder (default: site/)")
    parser.add_argument(
        "--dumps",
        metavar="DIR",
        help="the build's output folder the site is made from (default: output/, or output/national/ with --national)",
    )
    parser.add_argument("--no-build", action="store_true", help="make the site from the dumps already in --dumps")
    parser.add_argument("--national", action="store_true", help="build every union of the Ministry register first")
    options.add_records(parser)
    options.add_sources(
        parser,
        "registry files laid out like ../shared/data: needed with --national; otherwise the bundled records "
        "are built with their PNRR projects (as build --sources: each union page shows its checkup) and the "
        "regions and provinces are named (default: from lod-unioni.toml, else the download cache, for the names only)",
    )
    options.add_allow_implausible(parser)
    options.add_base_iri(parser)
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="where the site is served (sitemap, 404 page, web-server configurations, the w3id.org redirect); "
        "default: https://lod-unioni.github.io/lod-unioni/ for a base IRI on w3id.org, else the base IRI's parent",
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="processes writing the pages (default: the CPUs, up to 4)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..site import check_dumps, check_settings, make_site, place_names

    publisher = check_settings(settings)
    if args.jobs is not None and args.jobs < 1:
        raise LodError(f"must be at least 1, got {args.jobs}", field="--jobs")
    base_iri = options.base_iri(args.base_iri, settings)
    given = Path(args.dumps) if args.dumps else None
    if args.no_build and args.national:
        raise LodError("--national builds the dumps: it does not go with --no-build", field="--no-build")
    if args.no_build:
        check_dumps(given or Path(settings.out), args.base_iri, publisher)
    sources = _sources(args, settings)
    if args.no_build:
        dumps = given or Path(settings.out)
    elif args.national:
        dumps = _build_national(args, settings, base_iri, given, sources, publisher)
    else:
        dumps = _build_bundled(args, settings, base_iri, given, sources, publisher)
    result = make_site(
        dumps,
        args.out or "site",
        base_iri=None if args.no_build and args.base_iri is None else base_iri,
        site_url=args.site_url,
        labels=place_names(sources),
        jobs=args.jobs,
    )
    progress.info(result.summary())
    return 0


def _sources(args: argparse.Namespace, settings: Settings) -> SourcesDir | None:
    from ..sources.folder import resolve_sources

    given = args.sources or settings.sources
    if given or args.national:
        return resolve_sources(given, allow_implausible=args.allow_implausible)
    try:
        return resolve_sources(None)
    except LodError:
        return None  # no download cache either: the regions and provinces keep their codes


def _build_bundled(
    args: argparse.Namespace,
    settings: Settings,
    base_iri: str,
    dumps: Path | None,
    sources: SourcesDir | None,
    publisher: Publisher,
) -> Path:
    from ..build import build, shacl_check

    out = dumps or Path(settings.out)
    records = options.records_dir(args.records, settings)
    if sources is not None and (args.sources or settings.sources):
        # as `build --sources`: the records with their PNRR projects, so that each union page shows its checkup
        from .build import build_sourced

        result = build_sourced(records, out, sources, base_iri, shacl_check(), publisher)
    else:
        result = build(records, out, base_iri, check=shacl_check(), publisher=publisher)
    progress.info(result.summary())
    return out


def _build_national(
    args: argparse.Namespace,
    settings: Settings,
    base_iri: str,
    dumps: Path | None,
    sources: SourcesDir | None,
    publisher: Publisher,
) -> Path:
    from ..national import DEFAULT_OUT, national_pipeline
    from ..publish import check_out_folder
    from ..records import load_records

    out = dumps or Path(DEFAULT_OUT)
    check_out_folder(out)
    assert sources is not None  # --national requires them (_sources)
    bundled = load_records(options.records_dir(args.records, settings))
    result, timings = national_pipeline(sources, out, base_iri=base_iri, bundled_records=bundled, publisher=publisher)
    progress.info(
        f"built {result.stats['records']} unions, {result.stats['comuni']} comuni, {result.stats['triples']} "
        f"triples in {timings['total']:.1f} s; files written to {out}"
    )
    return out
