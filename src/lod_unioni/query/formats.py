"""Writing query results: a table for people, and the SPARQL 1.1 result formats for machines.

* ``table``: aligned columns; IRIs compacted with the query's prefixes, literals by their value,
  long cells cut at 60 characters (use csv/json/tsv for the full values);
* ``csv``: SPARQL 1.1 Query Results CSV (IRIs and literals as plain text, CRLF line ends);
* ``tsv``: SPARQL 1.1 Query Results TSV (header ``?var``, every term in its N-Triples form);
* ``json``: SPARQL 1.1 Query Results JSON;
* ``xml``: SPARQL Query Results XML Format (second edition).

ASK answers are ``true``/``false`` alone (json: ``{"head": {}, "boolean": ...}``), as Oxigraph writes them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode

from ..graph import Term
from ..vocab import RDF, XSD
from .results import Result

FORMATS = ("table", "csv", "json", "tsv")
#: Every format :func:`format_result` writes (``xml`` is for the SPARQL endpoint, not the command line).
ALL_FORMATS = (*FORMATS, "xml")
MAX_CELL = 60
_XSD = XSD
_NUMERIC = {
    _XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "nonNegativeInteger", "positiveInteger")
}
_RDF_LANGSTRING = RDF + "langString"


def format_result(result: Result, fmt: str = "table", *, prefixes: Mapping[str, str] | None = None) -> str:
    """Serialize ``result`` in one of :data:`FORMATS`."""
    if fmt == "table":
        return format_table(result, prefixes=prefixes)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_tsv(result)
    if fmt == "json":
        return format_json(result)
    if fmt == "xml":
        return format_xml(result)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(ALL_FORMATS)}")


# ------------------------------------------------------------------------------------ table


def _compact(iri: str, prefixes: Mapping[str, str]) -> str:
    best = None
    for prefix, ns in prefixes.items():
        if ns and iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best[1])):
            best = (prefix, ns)
    if best:
        return f"{best[0]}:{iri[len(best[1]) :]}"
    return f"<{iri}>"


def _cell(term: Term | None, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        text = _compact(term.value, prefixes)
    elif isinstance(term, Literal):
        text = term.value
    elif isinstance(term, BlankNode):
        text = f"_:{term.value}"
    else:
        text = str(term)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _is_numeric(term: Term | None) -> bool:
    return isinstance(term, Literal) and term.datatype.value in _NUMERIC


def format_table(result: Result, *, prefixes: Mapping[str, str] | None = None) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    prefixes = prefixes or {}
    header = list(result.variables)
    cells = [[_cell(t, prefixes) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[k]) for r in cells]) for k, h in enumerate(header)]
    right = [
        bool(result.rows) and all(row[k] is None or _is_numeric(row[k]) for row in result.rows)
        for k in range(len(header))
    ]

    def line(values: list[str]) -> str:
        out = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=False)]
        return "  ".join(out).rstrip()

    lines = [line(header), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in cells]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ csv / tsv


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (NamedNode, Literal)):
        return term.value
    return str(term)


def format_csv(result: Result) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":  # as Oxigraph writes it: the bare boolean
        return ("true" if result.boolean else "false") + "\r\n"
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _tsv_value(term: Term | None) -> str:
    if term is None:
        return ""
    # pyoxigraph writes N-Triples: quotes, backslashes, tabs and newlines are escaped in literals.
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def format_tsv(result: Result) -> str:
    if result.kind == "ask":
        return ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ json


def term_to_json(term: Term) -> dict[str, str]:
    """A term as a SPARQL 1.1 JSON results binding value."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD + "string", _RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    raise ValueError(f"cannot write {term!r} in SPARQL JSON results")


def format_json(result: Result, *, indent: int | None = 1) -> str:
    """SPARQL 1.1 JSON results; ``indent=None`` writes them compact (and several times faster)."""
    if result.kind == "ask":
        doc = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {v: term_to_json(t) for v, t in zip(result.variables, row, strict=False) if t is not None}
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"


# ------------------------------------------------------------------------------------ xml

_XML_NS = "http://www.w3.org/2005/sparql-results#"


def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value in (_XSD + "string", _RDF_LANGSTRING):
            return f"<literal>{escape(term.value)}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    raise ValueError(f"cannot write {term!r} in SPARQL XML results")


def format_xml(result: Result) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_XML_NS}">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(result.variables, row, strict=False)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"
