"""One SPARQL request answered on a loaded store: run the query, bound its rows, write the answer.

This runs in a query worker (:mod:`lod_unioni.server.forkserver`), a process the server kills when
the query's time is up: nothing here needs to watch the clock. A request is a :class:`Request`;
the answer is an :class:`Answer` (status, media type, body), errors included, so that the worker
never dies of a bad query.

* The rows are bounded by ``max_rows`` while they are read (:func:`lod_unioni.query.results.from_oxigraph`);
  SELECT and ASK answers are written by :mod:`lod_unioni.query.formats`, CONSTRUCT and DESCRIBE
  answers by Oxigraph's serializers.
* Read-only: an update sent as a query is refused (403), and so is ``SERVICE``: a public endpoint
  must not make requests to other hosts on its clients' behalf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat, Store, Triple

from ..errors import LodError
from ..query import sparql_text
from ..query.formats import format_csv, format_json, format_tsv, format_xml
from ..query.results import Result, from_oxigraph

__all__ = ["GRAPH_TYPES", "MAX_MESSAGE", "RESULT_WRITERS", "Answer", "Request", "answer", "one_line"]

#: The longest error message sent to a client (Oxigraph's syntax errors list every expected token).
MAX_MESSAGE = 300

#: The media types of SELECT and ASK answers, and how each is written.
RESULT_WRITERS = {
    "application/sparql-results+json": lambda r: format_json(r, indent=None),
    "application/sparql-results+xml": format_xml,
    "text/csv": format_csv,
    "text/tab-separated-values": format_tsv,
}

#: The media types of CONSTRUCT and DESCRIBE answers, first the default.
GRAPH_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml")

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_PROLOGUE_WORDS = {"PREFIX", "BASE"}


@dataclass(frozen=True)
class Request:
    """A query to answer: its text, the protocol's dataset, and the media types negotiated for a
    SELECT/ASK answer (``result_type``) and for a CONSTRUCT/DESCRIBE answer (``graph_type``); None
    where the client accepts none of ours."""

    query: str
    result_type: str | None
    graph_type: str | None
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The HTTP answer to a request: a body in ``media_type``, or a one-line error (text/plain)."""

    status: int
    media_type: str
    body: bytes
    rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message on one line, cut at ``limit`` characters."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (one_line(message) + "\n").encode("utf-8"))


def _first_keyword(text: str) -> tuple[str | None, bool]:
    """The first keyword after the prologue, and whether the query uses ``SERVICE``; (None, False)
    when the text does not even tokenize (Oxigraph then says what is wrong)."""
    try:
        tokens = sparql_text.tokenize(text)
    except LodError:
        return None, False
    words = [t.value.upper() for t in tokens if t.kind == "word"]
    first = next((w for w in words if w not in _PROLOGUE_WORDS), None)
    return first, "SERVICE" in words


def _dataset(request: Request) -> dict:
    """The protocol's dataset; without one, the default graph is the union of every graph (the
    dumps, the catalog, the ontology and each vocabulary are in graphs of their own)."""
    if not request.default_graphs and not request.named_graphs:
        return {"use_default_graph_as_union": True}
    kwargs: dict = {}
    if request.default_graphs:
        kwargs["default_graph"] = [NamedNode(iri) for iri in request.default_graphs]
    if request.named_graphs:
        kwargs["named_graphs"] = [NamedNode(iri) for iri in request.named_graphs]
    return kwargs


def _graph_body(result: Result, media_type: str, prefixes: dict[str, str]) -> bytes:
    fmt = RdfFormat.from_media_type(media_type)
    if fmt is None:  # pragma: no cover - the offered types are all Oxigraph's
        raise ValueError(f"no serializer for {media_type}")
    triples = [Triple(s, p, o) for s, p, o in result.rows]  # type: ignore[arg-type]
    if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG, RdfFormat.N3):
        return pyoxigraph.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return pyoxigraph.serialize(triples, format=fmt) or b""


def answer(store: Store, request: Request) -> Answer:
    """Run ``request`` on ``store``; every failure is an :class:`Answer` with its status."""
    first, service = _first_keyword(request.query)
    if first in _UPDATE_WORDS:
        return error(403, "this endpoint is read-only: SPARQL Update is refused")
    if service:
        return error(400, "SERVICE (a federated query) is not allowed on this endpoint")
    try:
        raw = store.query(request.query, **_dataset(request))
        result = from_oxigraph(raw, max_rows=request.max_rows)
    except SyntaxError as exc:
        message = str(exc)
        return error(400, "SPARQL syntax error " + (message[6:] if message.startswith("error at ") else message))
    except LodError:  # the row limit
        return error(
            400,
            f"the answer has more than {request.max_rows:,} rows, the limit of this endpoint (--max-rows): "
            "narrow the query or add a LIMIT",
        )
    except (RuntimeError, OSError, ValueError) as exc:
        return error(400, f"the query failed: {exc}")
    try:
        if result.kind == "graph":
            if request.graph_type is None:
                return error(406, "no acceptable media type for a graph: ask for " + ", ".join(GRAPH_TYPES))
            prefixes = sparql_text.prefixes(request.query)
            body = _graph_body(result, request.graph_type, prefixes)
            return Answer(200, request.graph_type, body, rows=len(result))
        if request.result_type is None:
            return error(406, "no acceptable media type for query results: ask for " + ", ".join(RESULT_WRITERS))
        text = RESULT_WRITERS[request.result_type](result)
    except (ValueError, LodError) as exc:
        return error(400, f"the answer cannot be written: {exc}")
    return Answer(200, request.result_type, text.encode("utf-8"), rows=len(result))
