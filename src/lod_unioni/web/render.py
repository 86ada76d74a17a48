"""The renderer of resources, shared by the static site (``lod-unioni site``) and the server
(``lod-unioni serve``)::

    from lod_unioni.web import Renderer
    r = Renderer(store, "https://w3id.org/lod-unioni/data/", site_root="/lod-unioni/")
    r.page("https://w3id.org/lod-unioni/data/union/udm_069")          # a whole HTML5 document
    r.document("https://w3id.org/lod-unioni/data/union/udm_069", "text/turtle")   # bytes
    r.locate("/lod-unioni/data/union/udm_069.ttl")                     # (IRI, TURTLE)

**Which resources.** Every IRI of ours (under the base IRI, or in the project's namespace
``https://w3id.org/lod-unioni/``: the ontology and the vocabularies) that is the subject of a
triple of the store has a page and three documents (:meth:`Renderer.resources`), at the path its
IRI names below the site IRI (the parent of the base IRI: ``https://w3id.org/lod-unioni/``), so
``…/data/union/udm_069`` is at ``data/union/udm_069``. The terms of the project's namespace are at
their path below it too (``onto/UnioneDiComuni``, ``vocab/services/polizia-locale``). An IRI whose
path has an empty, dot or percent-encoded segment has no page.

**What a resource says** (:meth:`Renderer.description`, the same triples in its page and its
documents): its own triples and those of the blank nodes they reach (the concise bounded
description), and the triples that point to it (the inverse links: a comune's union and
memberships, a source's derived figures), but not ``rdf:type`` (a class does not list its
instances) and, for a term of the ontology or a vocabulary, only the links from other terms (a
concept scheme lists its concepts; a concept does not list the thousands of services of its type:
the site's index pages do).

**Pages** list the inverse links :attr:`Renderer.per_page` at a time (``?page=2`` on a server,
``…/page-2.html`` in a static site); every page embeds the JSON-LD of what it shows. Labels, types
and computed labels are looked up once per store (:class:`lod_unioni.web.lookup.Lookup`).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, Triple

from ..config import check_base_iri
from ..graph import sort_triples
from ..mapping import load_prefixes
from ..serialize import Compactor, to_jsonld, to_ntriples, to_turtle
from ..vocab import RDF
from . import page as _page
from .conneg import FORMATS, HTML, JSONLD, NTRIPLES, RDF_FORMATS, TURTLE, Format, by_extension, by_media_type
from .html import NavItem
from .lookup import Lookup
from .page import Section

__all__ = ["NAV", "PROJECT_NAMESPACE", "Renderer", "Section", "Sections", "site_iri_of"]

#: What a caller adds to the pages: ``sections(renderer, iri, at)`` gives the :class:`Section`\ s
#: of the first page of the resource ``iri``, written at ``at`` (its path below the site root, for
#: the links: :meth:`Renderer.href`); none for most resources.
Sections = Callable[["Renderer", str, str], Sequence[Section]]

#: The project's own namespace: the ontology (``onto``), the vocabularies (``vocab/``); the
#: default base IRI is below it.
PROJECT_NAMESPACE = "https://w3id.org/lod-unioni/"

#: The navigation bar of the static site (hrefs from the site root).
NAV: tuple[NavItem, ...] = (
    NavItem("index.html", "Inizio", "Home"),
    NavItem("regioni.html", "Regioni", "Regions"),
    NavItem("province.html", "Province", "Provinces"),
    NavItem("servizi.html", "Servizi", "Services"),
    NavItem("cerca.html", "Cerca", "Search"),
    NavItem("query.html", "Query", "Queries"),
)

_TYPE = NamedNode(RDF + "type")
_SEGMENT = re.compile(r"[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*")


def site_iri_of(base_iri: str) -> str:
    """The IRI the root of the publication stands for: the parent of the base IRI
    (``https://w3id.org/lod-unioni/data/`` -> ``https://w3id.org/lod-unioni/``), or the base IRI
    itself when its path is ``/``."""
    parts = urlsplit(base_iri)
    path = parts.path if parts.path.endswith("/") else parts.path[: parts.path.rfind("/") + 1]
    if path in ("", "/"):
        return f"{parts.scheme}://{parts.netloc}/"
    parent = path[: path.rstrip("/").rfind("/") + 1]
    return f"{parts.scheme}://{parts.netloc}{parent}"


def _site_path(iri: str, spaces: Sequence[str]) -> str | None:
    for space in spaces:
        if iri.startswith(space):
            rel = iri[len(space) :]
            segments = rel.split("/")
            if rel and all(_SEGMENT.fullmatch(s) for s in segments):
                return rel
            return None
    return None


def _script(jsonld: bytes) -> str:
    """JSON-LD for a ``<script>`` element: ``<`` escaped (``\\u003c`` is the same JSON string)."""
    return jsonld.replace(b"<", b"\\u003c").decode("utf-8")


@dataclass
class _Described:
    """A resource's description: its own triples (with their blank nodes, or a whole graph) and
    its inverse links; sorted once when a document needs it."""

    outgoing: list[Triple]
    incoming: list[Triple]
    _ordered: list[Triple] | None = None

    def pages(self, per_page: int) -> int:
        return max(1, -(-len(self.incoming) // per_page))

    def ordered(self) -> list[Triple]:
        if self._ordered is None:
            self._ordered = sort_triples(self.outgoing + self.incoming)
        return self._ordered


class Renderer:
    """Pages and documents of the resources of a store (see the module).

    ``site_root``: the URL path prefix where the publication lives (``/lod-unioni/``), or None
    for links relative to each page (a static site that works wherever it is copied).
    ``static``: links end in ``.html`` and pages of inverse links are files (``…/page-2.html``);
    otherwise links are the resources' own paths (content negotiation) and pages ``?page=2``.
    ``prefixes``: those of the documents (default: the dumps', ``mappings/prefixes.yaml``; the
    JSON-LD context is ``context.jsonld``'s). ``site_iri``: what the site root stands for
    (default :func:`site_iri_of` the base IRI). ``nav``: the navigation bar. ``cache_size``:
    how many descriptions are kept (a server's popular resources). ``labels``: Italian and
    English labels of IRIs the store does not label (OntoPiA's regions and provinces).
    ``sections``: the caller's own sections of the pages (:data:`Sections`: a union's checkup).

    ``store``: a store, or quads (:func:`lod_unioni.web.data.publication_quads`: literals as the
    files have them). A named graph of the store whose name is a resource of ours is that resource's description
    (load the ontology into the graph named by the ontology's IRI, a vocabulary into its
    scheme's, the catalog into the catalog's: dereferencing them gives the whole file)."""

    def __init__(
        self,
        store: pyoxigraph.Store | Iterable[pyoxigraph.Quad],
        base_iri: str,
        *,
        site_root: str | None = "/",
        static: bool = False,
        prefixes: Mapping[str, str] | None = None,
        site_iri: str | None = None,
        per_page: int = 100,
        nav: Sequence[NavItem] = NAV,
        cache_size: int = 256,
        labels: Mapping[str, tuple[str, str | None]] | None = None,
        sections: Sections | None = None,
    ) -> None:
        self.base_iri = check_base_iri(base_iri)
        self.site_iri = site_iri or site_iri_of(base_iri)
        if site_root is not None and not site_root.endswith("/"):
            site_root += "/"
        self.site_root = site_root
        self.static = static
        self.per_page = per_page
        self.sections = sections
        self.nav = tuple(nav)
        self.prefixes = dict(prefixes) if prefixes is not None else load_prefixes()
        self.compact = Compactor(self.prefixes)
        self.lookup = Lookup(store)
        if labels:
            self.lookup.add_labels(labels)
        self._spaces = tuple(dict.fromkeys((self.site_iri, PROJECT_NAMESPACE)))
        self._paths: dict[str, str | None] = {}
        self._at_path: dict[str, str] | None = None
        self.cache_size = cache_size
        self._cache: OrderedDict[str, _Described] = OrderedDict()
        self._lock = threading.Lock()  # the cache is shared by a server's threads
        self.anchors: dict[tuple[NamedNode, str], str] = {}
        self.predicates: dict[NamedNode, str] = {}
        self._prefix_of: dict[str, str] = {}

    # --- where things are ---------------------------------------------------------------------

    def path(self, iri: str) -> str | None:
        """The path of a resource of ours below the site root (``data/union/udm_069``), without
        extension; None for an IRI that is not ours (or cannot be a path)."""
        rel = self._paths.get(iri, "")
        if rel == "":
            rel = self._paths[iri] = _site_path(iri, self._spaces)
        return rel

    def is_resource(self, iri: str) -> bool:
        """Whether the IRI has a page (:meth:`resources`)."""
        return self.path(iri) is not None and NamedNode(iri) in self.lookup.out

    def resources(self) -> Iterator[str]:
        """Every resource IRI of ours that has a page, sorted."""
        for iri in sorted(n.value for n in self.lookup.out if isinstance(n, NamedNode)):
            if self.path(iri) is not None:
                yield iri

    def iri_at(self, path: str) -> str | None:
        """The resource whose path (below the site root, no extension) is ``path``, or None."""
        if self._at_path is None:
            self._at_path = {p: iri for iri in self.resources() if (p := self.path(iri)) is not None}
        return self._at_path.get(path)

    def locate(self, url_path: str) -> tuple[str, Format | None] | None:
        """What a URL path asks for: (the resource's IRI, None) for the resource itself (to
        negotiate), (IRI, format) for one of its documents (``….ttl``, ``….html``); None when it
        names no resource. Needs ``site_root``."""
        root = self.site_root or "/"
        if not url_path.startswith(root):
            return None
        rel = url_path[len(root) :]
        iri = self.iri_at(rel)
        if iri is not None:
            return iri, None
        stem, dot, ext = rel.rpartition(".")
        fmt = by_extension(ext) if dot else None
        if fmt is not None:
            iri = self.iri_at(stem)
            if iri is not None:
                return iri, fmt
        return None

    def root(self, at: str) -> str:
        """The href prefix of the site root on the page at ``at`` (a path below the root)."""
        if self.site_root is not None:
            return self.site_root
        return "../" * at.count("/")

    def href(self, path: str, *, at: str, fmt: Format | None = None, page: int = 1) -> str:
        """The link from the page at ``at`` to the page (or document ``fmt``, or page ``page`` of
        the inverse links) of the resource at ``path``."""
        root = self.root(at)
        if fmt is not None and fmt is not HTML:
            return root + path + fmt.extension
        if page > 1:
            return f"{root}{path}/page-{page}.html" if self.static else f"{root}{path}?page={page}"
        return root + path + (".html" if self.static or fmt is HTML else "")

    def page_path(self, path: str, page: int = 1) -> str:
        """Where page ``page`` of a resource is in a static site, without ``.html``."""
        return path if page == 1 else f"{path}/page-{page}"

    # --- what a resource says -----------------------------------------------------------------

    def _described(self, iri: str) -> _Described | None:
        """The resource's description, cached (the most recent :attr:`cache_size`)."""
        with self._lock:
            found = self._cache.get(iri)
            if found is not None:
                self._cache.move_to_end(iri)
                return found
        if not self.is_resource(iri):
            return None
        node = NamedNode(iri)
        whole = self.lookup.graphs.get(node)
        if whole is not None and self.path(iri) is not None:
            found = _Described(list(whole), [])
        else:
            found = _Described(self.outgoing(node), self._incoming(iri))
        with self._lock:
            self._cache[iri] = found
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return found

    def outgoing(self, node: NamedNode | BlankNode) -> list[Triple]:
        """The resource's own triples and those of the blank nodes they reach."""
        out = self.lookup.out
        triples = list(out.get(node, ()))
        stack = [t.object for t in triples if isinstance(t.object, BlankNode)]
        seen: set[BlankNode] = set()
        while stack:
            blank = stack.pop()
            if blank in seen:
                continue
            seen.add(blank)
            more = out.get(blank, ())
            triples.extend(more)
            stack.extend(t.object for t in more if isinstance(t.object, BlankNode))
        return triples

    def incoming(self, iri: str) -> list[Triple]:
        """The inverse links of a resource (see the module), sorted by predicate then subject."""
        described = self._described(iri)
        return list(described.incoming) if described is not None else []

    def _incoming(self, iri: str) -> list[Triple]:
        node = NamedNode(iri)
        term = not iri.startswith(self.base_iri)
        base = self.base_iri
        links = [
            t
            for t in self.lookup.into.get(node, ())
            if t.predicate != _TYPE
            and isinstance(t.subject, NamedNode)
            and t.subject != node
            and not (term and t.subject.value.startswith(base))
        ]
        links.sort(key=lambda t: (t.predicate.value, str(t.subject)))
        return links

    def description(self, iri: str) -> list[pyoxigraph.Triple]:
        """The resource's triples (see the module): its own with their blank nodes and its
        inverse links; for a resource that names a graph of the store (the ontology, a concept
        scheme, the catalog), the whole graph. Empty when the IRI is not a resource of ours."""
        described = self._described(iri)
        return described.outgoing + described.incoming if described is not None else []

    def pages(self, iri: str) -> int:
        """How many pages the resource's inverse links take (at least 1; 0 if not a resource)."""
        described = self._described(iri)
        return described.pages(self.per_page) if described is not None else 0

    # --- pages and documents ------------------------------------------------------------------

    def page(self, iri: str, *, page: int = 1) -> str | None:
        """The HTML5 page of a resource (page ``page`` of its inverse links), or None when the IRI
        is not a resource of ours or has no such page."""
        described = self._described(iri)
        if described is None or not 1 <= page <= described.pages(self.per_page):
            return None
        return self._page(iri, described, page, None)

    def _page(self, iri: str, described: _Described, page: int, embedded: str | None) -> str:
        path = self.path(iri)
        assert path is not None
        count = described.pages(self.per_page)
        start = (page - 1) * self.per_page
        shown = described.incoming[start : start + self.per_page]
        if embedded is None:
            embedded = self.jsonld(described.outgoing + shown)
        at = self.page_path(path, page) if self.static else path
        sections = self.sections(self, iri, at) if self.sections is not None and page == 1 else ()
        return _page.resource_page(
            self,
            iri,
            path,
            described.outgoing,
            shown,
            page=page,
            count=count,
            total=len(described.incoming),
            embedded=embedded,
            sections=sections,
        )

    def jsonld(self, triples: list[Triple]) -> str:
        """Triples as the JSON-LD of ``<script type="application/ld+json">`` (``<`` escaped)."""
        return _script(to_jsonld(sort_triples(triples), self.prefixes))

    def document(self, iri: str, media_type: str) -> bytes | None:
        """The resource's description in ``media_type`` (Turtle, JSON-LD with the dumps' context,
        N-Triples; or its HTML page), or None when the IRI is not a resource of ours. A media
        type we do not publish: ValueError."""
        fmt = by_media_type(media_type)
        if fmt is None:
            raise ValueError(f"not a format of ours: {media_type!r}; ours: {', '.join(f.media_type for f in FORMATS)}")
        if fmt is HTML:
            text = self.page(iri)
            return text.encode("utf-8") if text is not None else None
        described = self._described(iri)
        if described is None:
            return None
        return self._document(described, fmt)

    def _document(self, described: _Described, fmt: Format) -> bytes:
        ordered = described.ordered()
        if fmt is TURTLE:
            return to_turtle(ordered, self._used_prefixes(ordered))
        if fmt is JSONLD:
            return to_jsonld(ordered, self.prefixes)
        assert fmt is NTRIPLES
        return to_ntriples(ordered)

    def files(self, iri: str) -> dict[str, bytes]:
        """Every file of a resource in a static site, by its path from the site root: its pages
        (``data/union/udm_069.html``, ``data/union/udm_069/page-2.html``...) and its documents
        (``.ttl``, ``.jsonld``, ``.nt``). Empty when the IRI is not a resource of ours."""
        described = self._described(iri)
        path = self.path(iri)
        if described is None or path is None:
            return {}
        out = {path + f.extension: self._document(described, f) for f in RDF_FORMATS}
        count = described.pages(self.per_page)
        for n in range(1, count + 1):
            # a page that shows the whole description embeds the JSON-LD document itself
            embedded = _script(out[path + JSONLD.extension]) if count == 1 else None
            out[self.page_path(path, n) + HTML.extension] = self._page(iri, described, n, embedded).encode("utf-8")
        with self._lock:
            self._cache.pop(iri, None)
        return out

    def _used_prefixes(self, triples: list[Triple]) -> dict[str, str]:
        """The prefixes the triples' IRIs (datatypes included) use, in the order of :attr:`prefixes`."""
        used: set[str] = set()
        known = self._prefix_of
        for t in triples:
            for term in (t.subject, t.predicate, t.object):
                if isinstance(term, NamedNode):
                    iri = term.value
                elif isinstance(term, pyoxigraph.Literal):
                    iri = term.datatype.value
                else:
                    continue
                prefix = known.get(iri)
                if prefix is None:
                    c = self.compact(iri)
                    prefix = known[iri] = c.split(":", 1)[0] if c != iri else ""
                used.add(prefix)
        return {p: ns for p, ns in self.prefixes.items() if p in used}
