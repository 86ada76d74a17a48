"""Every resource at the path of its IRI, with content negotiation, from the renderer of the static
site (:class:`lod_unioni.web.Renderer`): the same pages and documents.

``/lod-unioni/data/union/udm_069`` (for the base IRI ``https://w3id.org/lod-unioni/data/``) is the
resource: by ``Accept`` (:func:`lod_unioni.web.conneg.negotiate`: HTML, Turtle, JSON-LD,
N-Triples) it answers ``303 See Other`` to its document (``….html``, ``….ttl``, ``….jsonld``,
``….nt``), as the static site's web-server rules do, or, with ``redirect="none"``, the document
itself with ``Vary: Accept`` and ``Content-Location``. The documents answer at their own URLs.
``?page=N`` is page N of a resource's inverse links. Every answer has an ``ETag`` (If-None-Match
gives 304) and the data's ``Last-Modified``. The data never change while the server runs, so the
answers are kept: the first HTML page of every resource (rendered once, or all of them in advance
by :meth:`Pages.prerender`: some 200 MB for the national graph), and the last
:data:`CACHE_ENTRIES` other documents.

The pages are rendered in the server process, from its own copy of the store, not by the query
workers: the pages stay up when the SPARQL endpoint is busy.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate
from html import escape

from starlette.requests import Request
from starlette.responses import Response

from ..web import Renderer
from ..web.conneg import FORMATS, HTML, OFFERED, Format, by_media_type, content_type, negotiate

__all__ = ["CACHE_ENTRIES", "Pages"]

#: How many answers are kept (pages are about 8 KB: some 30 MB).
CACHE_ENTRIES = 4096


class Pages:
    """The resources of ``renderer`` at their paths (see the module)."""

    def __init__(self, renderer: Renderer, *, redirect: str = "303", modified: float | None = None) -> None:
        if redirect not in ("303", "none"):
            raise ValueError(f"redirect must be '303' or 'none', not {redirect!r}")
        self.renderer = renderer
        self.redirect = redirect
        self.last_modified = formatdate(modified, usegmt=True) if modified is not None else None
        self._cache: OrderedDict[tuple[str, str, int], tuple[bytes, str] | None] = OrderedDict()
        self._pages: dict[str, tuple[bytes, str]] = {}  # the first HTML page of each resource, kept
        self._lock = threading.Lock()  # the renderer is not thread-safe: one render at a time
        self.total: int | None = None  # the resources, once :meth:`prerender` has counted them
        self.prerendered = False  # :meth:`prerender` has finished

    @property
    def rendered(self) -> int:
        """How many resources have their first HTML page kept."""
        return len(self._pages)

    def _render(self, iri: str, fmt: Format, page: int) -> tuple[bytes, str] | None:
        with self._lock:
            if fmt is HTML:
                text = self.renderer.page(iri, page=page)
                body = text.encode("utf-8") if text is not None else None
            else:
                body = self.renderer.document(iri, fmt.media_type) if page == 1 else None
        return (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"') if body is not None else None

    def _document(self, iri: str, fmt: Format, page: int) -> tuple[bytes, str] | None:
        first_html = fmt is HTML and page == 1
        if first_html and iri in self._pages:
            return self._pages[iri]
        key = (iri, fmt.media_type, page)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        entry = self._render(iri, fmt, page)
        if first_html and entry is not None:
            self._pages[iri] = entry
            return entry
        self._cache[key] = entry
        if len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        return entry

    def prerender(self, stop: threading.Event | None = None, done: Callable[[], None] | None = None) -> None:
        """Render the first HTML page of every resource, and keep them (in a thread, while the
        server serves; ``stop`` ends it early; ``done`` is called at the end): after it, a page
        costs no rendering."""
        with self._lock:
            iris = list(self.renderer.resources())
        self.total = len(iris)
        for iri in iris:
            if stop is not None and stop.is_set():
                return
            if iri not in self._pages:
                entry = self._render(iri, HTML, 1)
                if entry is not None:
                    self._pages[iri] = entry
        if done is not None:
            done()
        self.prerendered = True

    def _not_found(self, request: Request, message: str) -> Response:
        wants_html = negotiate(request.headers.get("accept"), ("text/plain", "text/html")) == "text/html"
        if wants_html:
            body = (
                '<!DOCTYPE html>\n<html lang="it"><head><meta charset="utf-8"><title>404 · lod-unioni</title></head>'
                f'<body><main><h1>Non trovato <span lang="en">/ Not found</span></h1><p>{escape(message)}</p>'
                '<p><a href="/sparql">SPARQL</a></p></main></body></html>\n'
            )
            return Response(body, 404, media_type=None, headers={"Content-Type": content_type("text/html")})
        return Response(message + "\n", 404, media_type=None, headers={"Content-Type": content_type("text/plain")})

    def _answer(self, request: Request, iri: str, fmt: Format, page: int, headers: dict[str, str]) -> Response:
        found = self._document(iri, fmt, page)
        if found is None:
            return self._not_found(request, f"no page {page} of {iri}")
        body, etag = found
        headers = {"ETag": etag, **headers}
        if self.last_modified:
            headers["Last-Modified"] = self.last_modified
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=None, headers={"Content-Type": content_type(fmt.media_type), **headers})

    async def handle(self, request: Request) -> Response:
        """A resource, or one of its documents, at ``request``'s path."""
        if request.method not in ("GET", "HEAD"):
            return Response(
                "the data are read-only: use GET\n",
                405,
                headers={"Allow": "GET, HEAD, OPTIONS", "Content-Type": content_type("text/plain")},
            )
        located = self.renderer.locate(request.url.path)
        if located is None:
            return self._not_found(request, f"nothing is published at {request.url.path}")
        iri, fmt = located
        page_param = request.query_params.get("page", "1")
        if not page_param.isdigit() or int(page_param) < 1:
            return self._not_found(request, f"no page {page_param[:20]!r} of {iri}")
        page = int(page_param)
        if fmt is not None:
            return self._answer(request, iri, fmt, page, {})
        chosen = negotiate(request.headers.get("accept"), OFFERED)
        if chosen is None:
            names = ", ".join(f.media_type for f in FORMATS)
            return Response(
                f"no acceptable format: {iri} is published as {names}\n",
                406,
                headers={"Vary": "Accept", "Content-Type": content_type("text/plain")},
            )
        fmt = by_media_type(chosen)
        assert fmt is not None
        path = self.renderer.path(iri) or ""
        document = self.renderer.href(path, at="", fmt=fmt)
        if self.redirect == "303":
            if fmt is HTML and page > 1:
                document += f"?page={page}"
            return Response(status_code=303, headers={"Location": document, "Vary": "Accept"})
        return self._answer(request, iri, fmt, page, {"Vary": "Accept", "Content-Location": document})
