"""The SPARQL 1.1 Protocol at ``/sparql``: query operations only, read-only.

* ``GET /sparql?query=...``, ``POST`` of ``application/x-www-form-urlencoded`` (``query=...``) and
  ``POST`` of ``application/sparql-query`` (the query is the body); ``default-graph-uri`` and
  ``named-graph-uri`` (repeatable) set the dataset, as the protocol says (section 2.1.4): in the
  URL, or in the form for a form POST.
* Answers by ``Accept`` (:func:`lod_unioni.web.conneg.negotiate`): SELECT and ASK in SPARQL JSON,
  XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle, JSON-LD, N-Triples or RDF/XML. Clients that
  ask for ``application/json`` or ``application/xml`` get the SPARQL JSON or XML results.
* Updates are refused: ``update=``, ``application/sparql-update`` and an update sent as a query
  get 403; other methods get 405. Every error is one line of text/plain: 400 for a bad request
  (syntax, an unknown parameter's value, too many rows), 413 for a body over the limit, 415 for an
  unknown body type, 406 when nothing acceptable can be written, 503 for a query stopped at the
  timeout or no free worker.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from pyoxigraph import NamedNode
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from ..web.conneg import content_type, negotiate
from .pool import QueryPool
from .worker import GRAPH_TYPES, RESULT_WRITERS, Answer, error
from .worker import Request as QueryRequest

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "SparqlEndpoint", "read_body"]

#: The media types of SELECT and ASK answers, first the default.
RESULT_TYPES = tuple(RESULT_WRITERS)
#: Generic media types some SPARQL clients send, read as the SPARQL results types.
_RESULT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}
_FORM = "application/x-www-form-urlencoded"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


class BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.answer = error(status, message)


def _results_accept(accept: str | None) -> str | None:
    """The ``Accept`` header with the generic JSON/XML types read as the SPARQL results types."""
    if not accept:
        return accept
    members = []
    for member in accept.split(","):
        media_range, sep, params = member.partition(";")
        name = media_range.strip().lower()
        members.append(_RESULT_ALIASES.get(name, media_range.strip()) + sep + params)
    return ",".join(members)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, at most ``limit`` bytes (413 beyond)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, f"the request body is over {limit // 1024:,} KB, the limit of this endpoint (--max-body)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadRequest(
                413, f"the request body is over {limit // 1024:,} KB, the limit of this endpoint (--max-body)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _form(body: bytes) -> QueryParams:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "the form is not UTF-8") from None
    return QueryParams(urllib.parse.parse_qsl(text, keep_blank_values=True))


def _iris(params: QueryParams, name: str) -> tuple[str, ...]:
    iris = tuple(params.getlist(name))
    for iri in iris:
        try:
            NamedNode(iri)
        except ValueError:
            raise BadRequest(400, f"{name} is not an absolute IRI: {iri[:100]!r}") from None
    return iris


@dataclass(frozen=True)
class Operation:
    """What a protocol request asks: the query (None: no query given) and its dataset."""

    query: str | None
    params: QueryParams


async def operation(request: Request, max_body: int) -> Operation:
    """The query operation of a request, or :class:`BadRequest`."""
    url_params = request.query_params
    if "update" in url_params:
        raise BadRequest(403, _READ_ONLY)
    if request.method in ("GET", "HEAD"):
        params = url_params
    elif request.method == "POST":
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        body = await read_body(request, max_body)
        if media == _FORM:
            params = _form(body)
            if "update" in params:
                raise BadRequest(403, _READ_ONLY)
            if "query" in url_params:
                raise BadRequest(400, "give the query in the URL or in the form, not in both")
        elif media == _QUERY:
            if "query" in url_params:
                raise BadRequest(400, "give the query in the URL or in the body, not in both")
            try:
                query = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BadRequest(400, "the query is not UTF-8") from None
            return Operation(query, url_params)
        elif media == _UPDATE:
            raise BadRequest(403, _READ_ONLY)
        else:
            raise BadRequest(415, f"a POST to /sparql takes {_FORM} or {_QUERY}, not {media or 'no content type'}")
    else:
        raise BadRequest(405, f"{_READ_ONLY}; query with GET or POST")
    queries = params.getlist("query")
    if len(queries) > 1:
        raise BadRequest(400, "give one query parameter, not several")
    return Operation(queries[0] if queries else None, params)


class SparqlEndpoint:
    """The ``/sparql`` route: the protocol on a :class:`QueryPool`; ``page`` answers the clients
    that ask for HTML (the query page)."""

    def __init__(self, pool: Callable[[], QueryPool], *, max_rows: int, max_body: int, page: Callable) -> None:
        self._pool = pool
        self.max_rows = max_rows
        self.max_body = max_body
        self._page = page

    def _wants_page(self, request: Request) -> bool:
        """A GET that prefers HTML to every results type (a browser; ``*/*`` gets results)."""
        if request.method not in ("GET", "HEAD"):
            return False
        accept = _results_accept(request.headers.get("accept"))
        return negotiate(accept, (*RESULT_TYPES, "text/html")) == "text/html"

    async def handle(self, request: Request) -> Response:
        try:
            op = await operation(request, self.max_body)
            if self._wants_page(request):
                return await self._page(request, op.query)
            if op.query is None:
                raise BadRequest(
                    400,
                    "no query: send ?query=... (GET), a form with query=... or an application/sparql-query body (POST)",
                )
            if not op.query.strip():
                raise BadRequest(400, "the query is empty")
            accept = request.headers.get("accept")
            query = QueryRequest(
                query=op.query,
                result_type=negotiate(_results_accept(accept), RESULT_TYPES),
                graph_type=negotiate(accept, GRAPH_TYPES),
                max_rows=self.max_rows,
                default_graphs=_iris(op.params, "default-graph-uri"),
                named_graphs=_iris(op.params, "named-graph-uri"),
            )
            request.scope["lod_unioni.query_length"] = len(op.query)
            answer = await self._pool().run(query)
        except BadRequest as exc:
            answer = exc.answer
        return to_response(answer)


def to_response(answer: Answer) -> Response:
    headers = {"Vary": "Accept", **answer.headers}
    if answer.status == 405:
        headers["Allow"] = "GET, HEAD, POST, OPTIONS"
    media = answer.media_type if ";" in answer.media_type else content_type(answer.media_type)
    return Response(answer.body, status_code=answer.status, media_type=None, headers={"Content-Type": media, **headers})
