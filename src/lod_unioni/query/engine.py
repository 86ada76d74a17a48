"""Running queries: locally on the dumps with Oxigraph, or remotely through SPARQLWrapper."""

from __future__ import annotations

import ast
import json
import math
import os
import socket
import urllib.error
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Variable,
)

from .. import __version__
from ..errors import LodError
from ..graph import Term
from ..vocab import XSD
from . import sparql_text
from .bundled import Query, parse_query
from .params import bind, values_block

#: Environment variables holding the credentials of a protected endpoint (HTTP Basic).
USER_ENV = "LOD_UNIONI_SPARQL_USER"
PASSWORD_ENV = "LOD_UNIONI_SPARQL_PASSWORD"
DEFAULT_TIMEOUT = 60.0

_XSD_STRING = XSD + "string"

#: A row of a result: one term per variable, None when unbound.
Row = tuple[Term | None, ...]


@dataclass
class Result:
    """The answer of a query: ``variables`` and ``rows`` of pyoxigraph terms (None when unbound).

    ASK queries set ``boolean`` and have no rows; CONSTRUCT / DESCRIBE give rows of
    (subject, predicate, object).
    """

    variables: list[str]
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    kind: str = "select"  # select | ask | graph

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Term]]:
        """Rows as {variable: term} (unbound variables left out)."""
        return [{v: t for v, t in zip(self.variables, row, strict=False) if t is not None} for row in self.rows]

    def column(self, variable: str) -> list[Term | None]:
        """The terms of one column, in row order."""
        k = self.variables.index(variable)
        return [row[k] for row in self.rows]


# --------------------------------------------------------------------------------------- data


def _format_of(path: Path) -> RdfFormat:
    ext = path.suffix.lstrip(".").lower()
    fmt = RdfFormat.from_extension(ext) if ext else None
    if ext == "xml":
        fmt = RdfFormat.RDF_XML
    if fmt is None:
        raise LodError(
            f"unknown RDF format {path.suffix or '(no extension)'}; use .ttl, .nt, .nq, .trig, .jsonld, .rdf or .n3",
            file=str(path),
        )
    return fmt


def load_store(paths: Iterable[str | Path], store: Store | None = None) -> Store:
    """Load RDF files (format from the extension) into an in-memory Oxigraph store, once."""
    store = store if store is not None else Store()
    for p in paths:
        path = Path(p)
        fmt = _format_of(path)
        if not path.is_file():
            raise LodError(
                "data file not found"
                + ("; run 'lod-unioni build' first or give --data FILE" if path.name.startswith("unioni.") else ""),
                file=str(path),
            )
        try:
            store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as exc:
            raise LodError(f"not valid {fmt.name}: {exc}", file=str(path)) from None
        except OSError as exc:
            raise LodError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    return store


# --------------------------------------------------------------------------------------- run


def _as_query(query: Query | str) -> Query:
    if isinstance(query, Query):
        return query
    if isinstance(query, str):
        return parse_query(query, name="query")
    raise TypeError("query must be a Query (see load_query) or SPARQL text")


def run_query(
    query: Query | str,
    *,
    data: Iterable[str | Path] | None = None,
    store: Store | None = None,
    endpoint: str | None = None,
    params: Mapping[str, object] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Result:
    """Run a query with its parameters bound as RDF terms.

    Give exactly one of ``data`` (RDF files, loaded into a fresh in-memory store), ``store`` (an
    already loaded pyoxigraph Store: load once, query many times) or ``endpoint`` (a SPARQL 1.1
    endpoint URL; ``timeout`` in seconds; credentials from LOD_UNIONI_SPARQL_USER /
    LOD_UNIONI_SPARQL_PASSWORD). ``params`` maps parameter names to values (text, or pyoxigraph
    terms); declared defaults fill the rest.
    """
    q = _as_query(query)
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise LodError("give exactly one of data files, a store or an endpoint to query")
    terms = bind(q.info.params, params, q.prefixes, query_name=f"query {q.name!r}")
    if endpoint is not None:
        return _run_remote(q, terms, endpoint, timeout)
    if q.info.requires_remote:
        raise LodError(
            f"query {q.name!r} needs a remote SPARQL endpoint (it federates with SERVICE); "
            "run it with --endpoint URL of an endpoint that holds the dumps"
        )
    if store is None:
        store = load_store(data or ())  # data is given: exactly one of the three is
    return _run_local(q, terms, store)


def _run_local(q: Query, terms: dict[str, NamedNode | Literal], store: Store) -> Result:
    substitutions: dict[Variable, Term] = {Variable(name): term for name, term in terms.items()}
    try:
        try:
            answer = store.query(q.text, substitutions=substitutions or None)
        except RuntimeError as exc:
            if "does not contain" not in str(exc) or not terms:
                raise
            # Oxigraph substitutes only projected variables: bind the others as the remote run does.
            answer = store.query(sparql_text.insert_at_where(q.text, values_block(terms)))
        return _from_oxigraph(answer)
    except SyntaxError as exc:
        message = str(exc)
        message = message[len("error ") :] if message.startswith("error at ") else f": {message}"
        raise LodError(f"SPARQL syntax error {message}", file=q.source) from None
    except (RuntimeError, OSError, ValueError) as exc:
        raise LodError(f"query failed: {exc}", file=q.source) from None


def _from_oxigraph(answer: QuerySolutions | QueryBoolean | QueryTriples) -> Result:
    if isinstance(answer, QueryBoolean):
        return Result(variables=[], boolean=bool(answer), kind="ask")
    if isinstance(answer, QueryTriples):
        rows: list[Row] = [(t.subject, t.predicate, t.object) for t in answer]
        return Result(variables=["subject", "predicate", "object"], rows=rows, kind="graph")
    names = [v.value for v in answer.variables]
    rows = [tuple(solution[name] for name in names) for solution in answer]
    return Result(variables=names, rows=rows)


# --------------------------------------------------------------------------------------- remote


def check_endpoint(url: str) -> str:
    """An endpoint must be an http(s) URL without credentials in it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LodError(f"endpoint {url!r} is not an http(s) URL", field="endpoint")
    if parts.username is not None or parts.password is not None:
        raise LodError(
            f"do not put credentials in the endpoint URL; set {USER_ENV} and {PASSWORD_ENV} instead", field="endpoint"
        )
    return url


def _run_remote(q: Query, terms: dict[str, NamedNode | Literal], endpoint: str, timeout: float) -> Result:
    from SPARQLWrapper import BASIC, JSON, POST, TURTLE, SPARQLWrapper
    from SPARQLWrapper import SPARQLExceptions as sx

    check_endpoint(endpoint)
    if not timeout or timeout <= 0:
        raise LodError("the timeout must be a positive number of seconds", field="timeout")
    text = sparql_text.insert_at_where(q.text, values_block(terms)) if terms else q.text
    client = SPARQLWrapper(endpoint, agent=f"lod-unioni/{__version__}")
    client.setQuery(text)
    client.setMethod(POST)
    client.setOnlyConneg(True)
    client.setTimeout(max(1, math.ceil(timeout)))
    user = os.environ.get(USER_ENV)
    if user:
        client.setHTTPAuth(BASIC)
        client.setCredentials(user, os.environ.get(PASSWORD_ENV, ""))
    graph = q.form in ("CONSTRUCT", "DESCRIBE")
    client.setReturnFormat(TURTLE if graph else JSON)
    where = f"endpoint {endpoint}"
    try:
        response = client.query().response
        body = response.read()
        content_type = response.headers.get("Content-Type", "")
    except sx.QueryBadFormed as exc:
        raise LodError(f"{where} rejected the query as malformed: {_detail(exc)}", file=q.source) from None
    except sx.Unauthorized:
        raise LodError(f"{where} refused access (HTTP 401); set {USER_ENV} and {PASSWORD_ENV}") from None
    except sx.EndPointNotFound:
        raise LodError(f"{where} not found (HTTP 404)") from None
    except sx.URITooLong:
        raise LodError(f"{where}: request too long (HTTP 414)") from None
    except sx.EndPointInternalError as exc:
        raise LodError(f"{where} failed (HTTP 500): {_detail(exc)}") from None
    except urllib.error.HTTPError as exc:
        raise LodError(f"{where} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise LodError(f"{where} did not answer within {timeout:g} s (--timeout)") from None
        raise LodError(f"cannot reach {where}: {exc.reason}") from None
    except TimeoutError:
        raise LodError(f"{where} did not answer within {timeout:g} s (--timeout)") from None
    except OSError as exc:
        raise LodError(f"cannot reach {where}: {exc}") from None
    if graph:
        return _graph_from_body(body, content_type, where)
    return _from_json(body, where)


def _detail(exc: Exception) -> str:
    """The endpoint's own message from a SPARQLWrapper exception ("...Response:\\n b'...'")."""
    message = str(exc)
    raw = message.split("Response:", 1)[1].strip() if "Response:" in message else message
    try:
        value = ast.literal_eval(raw)
        raw = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    except (ValueError, SyntaxError):
        pass
    text = " ".join(raw.split())
    return text[:300] + ("..." if len(text) > 300 else "")


def _from_json(body: bytes, where: str) -> Result:
    text = body.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # Oxigraph streams results: an error met while evaluating arrives after the first bytes.
        tail = " ".join(text[exc.pos : exc.pos + 300].split()) or "empty answer"
        raise LodError(f"{where} did not return SPARQL 1.1 JSON results: {tail}") from None
    try:
        if "boolean" in doc:
            return Result(variables=[], boolean=bool(doc["boolean"]), kind="ask")
        names = list(doc["head"].get("vars", []))
        blank: dict[str, BlankNode] = {}
        rows = [tuple(_term(b.get(name), blank) for name in names) for b in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LodError(f"{where} did not return SPARQL 1.1 JSON results ({exc})") from None
    return Result(variables=names, rows=rows)


def _term(binding: Mapping[str, str] | None, blank: dict[str, BlankNode]) -> Term | None:
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        if value not in blank:
            blank[value] = BlankNode()
        return blank[value]
    if kind in ("literal", "typed-literal"):
        if binding.get("xml:lang"):
            return Literal(value, language=binding["xml:lang"])
        datatype = binding.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return Literal(value, datatype=NamedNode(datatype))
        return Literal(value)
    raise ValueError(f"unsupported term type {kind!r}")


def _graph_from_body(body: bytes, content_type: str, where: str) -> Result:
    mime = content_type.split(";")[0].strip() or "text/turtle"
    fmt = RdfFormat.from_media_type(mime) or RdfFormat.TURTLE
    try:
        triples = list(pyoxigraph.parse(body, format=fmt))
    except SyntaxError as exc:
        raise LodError(f"{where} returned unreadable RDF ({mime}): {exc}") from None
    rows: list[Row] = [(t.subject, t.predicate, t.object) for t in triples]
    return Result(variables=["subject", "predicate", "object"], rows=rows, kind="graph")
