"""The ASGI application of ``lod-unioni serve`` (Starlette): the SPARQL endpoint, the query page,
the resources at their own paths, ``/health``, the assets; CORS and the access log around them.

    app = create_app(publication, ServeOptions(timeout=10))
    uvicorn.run(app, host="127.0.0.1", port=8000)

The query workers start with the application (its lifespan) and stop with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import threading
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from pyoxigraph import Quad
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..checkup.sections import STYLE, PageSections, style_files
from ..query.local import DEFAULT_MAX_MEMORY
from ..web import ASSETS_DIR, NavItem, Renderer, querypage, site_iri_of
from .data import Publication, bundled_examples
from .pages import Pages
from .pool import ForkServer, QueryPool
from .sparql import SparqlEndpoint

__all__ = ["ACCESS_LOG", "SERVER_NAV", "AccessLog", "ServeOptions", "create_app"]

#: The logger of the access log (one line per request on stderr, see :class:`AccessLog`).
ACCESS_LOG = "lod_unioni.access"
#: The navigation bar of the server's pages (hrefs from the site root): the index pages of the
#: static site are not served, its query page is the live one.
SERVER_NAV = (NavItem("index.html", "Inizio", "Home"), NavItem("query.html", "Interroga (SPARQL)", "Query (SPARQL)"))
_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
_EXPOSED = ["Content-Type", "Content-Length", "ETag", "Last-Modified", "Location", "Vary", "Content-Location"]
_CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": ", ".join(_EXPOSED)}
#: CORS on every answer: any origin may read the endpoint and the data (they are public).
_CORS = Middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
    allow_headers=["Accept", "Content-Type", "Accept-Language", "If-None-Match"],
    expose_headers=_EXPOSED,
    max_age=86400,
)


@dataclass(frozen=True)
class ServeOptions:
    """The limits and choices of the server (the options of ``lod-unioni serve``)."""

    timeout: float = 10.0
    max_rows: int = 100_000
    max_body: int = 1024 * 1024
    workers: int = 2
    max_memory: int = DEFAULT_MAX_MEMORY
    redirect: str = "303"  # or "none"
    prerender: bool = True  # render every resource's page when the server starts


class AccessLog:
    """One line per request on the :data:`ACCESS_LOG` logger: method, path, status, duration and,
    for a query, its length. Never the query string, the query, the body or a header: they may
    hold credentials or personal data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger(ACCESS_LOG)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            path = scope["path"].encode("unicode_escape").decode("ascii")[:200]
            length = scope.get("lod_unioni.query_length")
            extra = f" query {length} chars" if length is not None else ""
            ms = (time.perf_counter() - started) * 1000
            self.log.info("%s %s %d %.1f ms%s", scope["method"], path, status, ms, extra)


class _PagesFirst:
    """The resources' GET and HEAD go straight to :class:`Pages`, with the CORS header every answer
    of the data has; everything else (the endpoint, the preflights, the assets, the pages of the
    server) to ``app``. A page costs a fifth of the time it takes through the router and the
    middleware stack, and pages are most of the requests."""

    def __init__(self, app: ASGIApp, pages: Pages, root: str, routes: frozenset[str]) -> None:
        self.app = app
        self.pages = pages
        self.root = root
        self.routes = routes  # the app's own paths
        self.assets = root + "assets/"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and path.startswith(self.root)
            and path not in self.routes
            and not path.startswith(self.assets)
        ):
            response = await self.pages.handle(Request(scope, receive))
            response.headers.update(_CORS_HEADERS)
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)


class _State:
    """What the lifespan starts: the fork server and the pool of query workers."""

    def __init__(self, publication: Publication, options: ServeOptions) -> None:
        self.publication = publication
        self.options = options
        self.forkserver: ForkServer | None = None
        self.pool: QueryPool | None = None
        self.started = time.time()

    def health(self, pages: Pages) -> dict[str, Any]:
        """The body of ``/health``."""
        pool, forkserver = self.pool, self.forkserver
        return {
            "ok": bool(pool and forkserver and forkserver.alive),
            "triples": forkserver.triples if forkserver else None,
            "uptime": round(time.time() - self.started, 3),
            "workers": {"total": pool.size if pool else 0, "idle": pool.idle if pool else 0},
            "stopped_queries": pool.stopped if pool else 0,
            "pages": {"rendered": pages.rendered, "total": pages.total, "complete": pages.prerendered},
        }

    def require_pool(self) -> QueryPool:
        if self.pool is None:  # pragma: no cover - routes run inside the lifespan
            raise RuntimeError("the query workers are not started")
        return self.pool


def _freeze() -> None:
    """Leave the objects made so far (the renderer's millions: labels, links, paths) out of the
    garbage collector's passes: they live as long as the server, and a full pass over them
    (a tenth of a second on the national graph) is a pause for every request waiting."""
    gc.collect()
    gc.freeze()


def _site_root(base_iri: str) -> str:
    """The URL path of the site root: the path of the site IRI (``/lod-unioni/``)."""
    return urlsplit(site_iri_of(base_iri)).path or "/"


def create_app(
    publication: Publication,
    options: ServeOptions | None = None,
    *,
    forkserver: ForkServer | None = None,
    quads: Sequence[Quad] | None = None,
) -> ASGIApp:
    """The application serving ``publication``. ``forkserver``: one already loaded with its files
    (else the application starts one when it starts); ``quads``: the pages' quads, already read from
    them (else they are read here; the files' own literals, not a store's: see
    :func:`lod_unioni.web.data.publication_quads`)."""
    options = options or ServeOptions()
    state = _State(publication, options)
    state.forkserver = forkserver
    examples = bundled_examples()
    root = _site_root(publication.base_iri)
    if quads is None:
        quads = publication.quads()
    # a union's page shows its checkup, a comune's its projects (none without applications)
    sections = PageSections.read(quads, publication.base_iri + "unioni.nt")
    renderer = Renderer(quads, publication.base_iri, site_root=root, nav=SERVER_NAV, sections=sections)
    renderer.locate(root)  # its index of paths, built now rather than by the first request
    _freeze()
    modified = max((path.stat().st_mtime for path in publication.files), default=None)
    pages = Pages(renderer, redirect=options.redirect, modified=modified)
    home = publication.base_iri + "dataset/unioni"
    home_path = renderer.path(home) if renderer.is_resource(home) else None

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if state.forkserver is None:
            state.forkserver = ForkServer(publication, max_memory=options.max_memory)
            await asyncio.to_thread(state.forkserver.wait_ready)
        state.pool = QueryPool(state.forkserver, size=options.workers, timeout=options.timeout)
        await state.pool.start()
        state.started = time.time()
        stop = threading.Event()
        if options.prerender:
            threading.Thread(target=pages.prerender, args=(stop, _freeze), name="prerender", daemon=True).start()
        try:
            yield
        finally:
            stop.set()
            await state.pool.close()

    async def page(request: Request, query: str | None) -> Response:
        html = querypage.query_page(
            examples, endpoint="/sparql", root=root, nav=SERVER_NAV, query=query, site_iri=renderer.site_iri
        )
        return HTMLResponse(html, headers={"Vary": "Accept"})

    async def query_page(request: Request) -> Response:
        return await page(request, request.query_params.get("query"))

    async def index(request: Request) -> Response:
        target = renderer.href(home_path, at="") if home_path else "/sparql"
        return RedirectResponse(target, status_code=303)

    checkup_css = style_files()[STYLE]

    async def checkup_style(request: Request) -> Response:
        return Response(checkup_css, media_type="text/css")

    async def health(request: Request) -> Response:
        body = state.health(pages)
        return JSONResponse(body, status_code=200 if body["ok"] else 503, headers={"Cache-Control": "no-store"})

    sparql = SparqlEndpoint(state.require_pool, max_rows=options.max_rows, max_body=options.max_body, page=page)
    routes = [
        Route("/sparql", sparql.handle, methods=_METHODS),
        Route("/query", query_page, methods=["GET", "HEAD"]),
        Route(root + "query.html", query_page, methods=["GET", "HEAD"]),
        Route("/health", health, methods=["GET", "HEAD"]),
        Route("/", index, methods=["GET", "HEAD"]),
        Route(root + "index.html", index, methods=["GET", "HEAD"]),
        Route(root + STYLE, checkup_style, methods=["GET", "HEAD"]),
        Mount(root + "assets", StaticFiles(directory=ASSETS_DIR), name="assets"),
        Route("/{path:path}", pages.handle, methods=_METHODS),
    ]
    if root != "/":
        routes.insert(0, Route(root, index, methods=["GET", "HEAD"]))
    app = Starlette(routes=routes, middleware=[_CORS], lifespan=lifespan)
    own = frozenset(route.path for route in routes if isinstance(route, Route))
    return AccessLog(_PagesFirst(app, pages, root, own))
