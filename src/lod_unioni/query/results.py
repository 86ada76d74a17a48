"""The answer of a query (:class:`Result`), from Oxigraph or from SPARQL 1.1 JSON results.

A remote endpoint answers in SPARQL 1.1 JSON (or RDF for CONSTRUCT / DESCRIBE), and so does the
child process that runs a local query (:mod:`lod_unioni.query.local`): both are read here, with a
row limit.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat

from ..errors import LodError
from ..graph import Term
from ..vocab import XSD

__all__ = [
    "DEFAULT_MAX_ROWS",
    "Result",
    "Row",
    "from_document",
    "from_json",
    "from_oxigraph",
    "graph_from_body",
    "too_many_rows",
]

#: The most rows a query may return (the national dump has about 140,000 triples).
DEFAULT_MAX_ROWS = 1_000_000

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


def too_many_rows(max_rows: int, *, where: str | None = None, file: str | None = None) -> LodError:
    """The error of an answer over the row limit."""
    message = f"the query returned more than {max_rows:,} rows (--max-rows); narrow it or raise the limit"
    return LodError(f"{where}: {message}" if where else message, file=file)


def from_oxigraph(
    answer: QuerySolutions | QueryBoolean | QueryTriples, *, max_rows: int = DEFAULT_MAX_ROWS, file: str | None = None
) -> Result:
    """A :class:`Result` of an Oxigraph answer; more than ``max_rows`` rows: :class:`LodError`."""
    if isinstance(answer, QueryBoolean):
        return Result(variables=[], boolean=bool(answer), kind="ask")
    if isinstance(answer, QueryTriples):
        result = Result(variables=["subject", "predicate", "object"], kind="graph")
        rows: Iterator[Row] = ((t.subject, t.predicate, t.object) for t in answer)
    else:
        names = [v.value for v in answer.variables]
        result = Result(variables=names)
        rows = (tuple(solution[name] for name in names) for solution in answer)
    for row in rows:
        if len(result.rows) == max_rows:
            raise too_many_rows(max_rows, file=file)
        result.rows.append(row)
    return result


def from_json(body: bytes, where: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> Result:
    """A :class:`Result` of SPARQL 1.1 JSON results. Not JSON results, or more than ``max_rows``
    rows: :class:`LodError`."""
    text = body.decode("utf-8", "replace")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # Oxigraph streams results: an error met while evaluating arrives after the first bytes.
        tail = " ".join(text[exc.pos : exc.pos + 300].split()) or "empty answer"
        raise LodError(f"{where} did not return SPARQL 1.1 JSON results: {tail}") from None
    return from_document(doc, where, max_rows=max_rows)


def from_document(doc: Any, where: str, *, max_rows: int = DEFAULT_MAX_ROWS, kind: str = "select") -> Result:
    """A :class:`Result` of parsed SPARQL 1.1 JSON results (``kind`` "graph": rows of subject,
    predicate, object)."""
    try:
        if "boolean" in doc:
            return Result(variables=[], boolean=bool(doc["boolean"]), kind="ask")
        names = list(doc["head"].get("vars", []))
        bindings = doc["results"]["bindings"]
        if len(bindings) > max_rows:
            raise too_many_rows(max_rows, where=where)
        blank: dict[str, BlankNode] = {}
        rows = [tuple(_term(b.get(name), blank) for name in names) for b in bindings]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LodError(f"{where} did not return SPARQL 1.1 JSON results ({exc})") from None
    return Result(variables=names, rows=rows, kind=kind)


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


def graph_from_body(body: bytes, content_type: str, where: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> Result:
    """A :class:`Result` of triples in RDF (format from the media type, default Turtle)."""
    mime = content_type.split(";")[0].strip() or "text/turtle"
    fmt = RdfFormat.from_media_type(mime) or RdfFormat.TURTLE
    rows: list[Row] = []
    try:
        for t in pyoxigraph.parse(body, format=fmt):
            if len(rows) == max_rows:
                raise too_many_rows(max_rows, where=where)
            rows.append((t.subject, t.predicate, t.object))
    except SyntaxError as exc:
        raise LodError(f"{where} returned unreadable RDF ({mime}): {exc}") from None
    return Result(variables=["subject", "predicate", "object"], rows=rows, kind="graph")
