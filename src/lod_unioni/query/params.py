"""Query parameters: declared types, value checking, and binding as RDF terms.

A value given by a user (``--param region=Abruzzo``) becomes a pyoxigraph term chosen by the
parameter's declared type; it is never pasted into the query text. Locally the term goes to
Oxigraph's ``substitutions``; remotely it is written, in the N-Triples form pyoxigraph produces,
into a ``VALUES`` block (:func:`values_block`).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from ..errors import LodError
from ..vocab import XSD

#: The parameter types a query header may declare (plus ``rdf:langString@TAG``).
SIMPLE_TYPES = ("xsd:string", "xsd:integer", "xsd:decimal", "xsd:boolean", "xsd:date", "xsd:gYear", "iri")
_LANG_TYPE = re.compile(r"\Ardf:langString@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\Z")
_INTEGER = re.compile(r"\A[+-]?[0-9]+\Z")
_DECIMAL = re.compile(r"\A[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_GYEAR = re.compile(r"\A-?[0-9]{4,}\Z")
_ABSOLUTE_IRI = re.compile(r"\A[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+\Z")
_PNAME = re.compile(r"\A([A-Za-z][\w.\-]*)?:(.*)\Z")
_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Param:
    """A parameter declared in a query header: ``# @param NAME: TYPE [= DEFAULT] [-- DESCRIPTION]``."""

    name: str
    type: str
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None


def check_type(type_: str) -> str:
    """Return ``type_`` if it is a known parameter type, else raise ValueError."""
    if type_ in SIMPLE_TYPES or _LANG_TYPE.match(type_):
        return type_
    raise ValueError(
        f"unknown parameter type {type_!r}; expected one of {', '.join(SIMPLE_TYPES)} or rdf:langString@TAG"
    )


def check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"bad parameter name {name!r}: letters, digits and _ only, not starting with a digit")
    return name


def _show(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def to_term(param: Param, value: object, prefixes: Mapping[str, str] | None = None) -> NamedNode | Literal:
    """Turn a value into the RDF term of ``param``'s type; raise LodError if it does not fit.

    ``value`` is the text a user typed, or already a pyoxigraph term (API use), which must be of
    the right kind.
    """
    field = f"param {param.name}"
    if isinstance(value, (NamedNode, Literal, BlankNode)):
        if param.type == "iri":
            if not isinstance(value, NamedNode):
                raise LodError(f"must be an IRI, got {value}", field=field)
            return value
        if not isinstance(value, Literal):
            raise LodError(f"must be a literal ({param.type}), got {value}", field=field)
        return value
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise LodError(f"unsupported value of type {type(value).__name__}", field=field)
    t = param.type
    if t == "xsd:string":
        return Literal(value)
    if t == "xsd:integer":
        if not _INTEGER.match(value.strip()):
            raise LodError(f"must be an integer (xsd:integer), got {_show(value)}", field=field)
        return Literal(str(int(value.strip())), datatype=NamedNode(XSD + "integer"))
    if t == "xsd:decimal":
        v = value.strip()
        if not _DECIMAL.match(v):
            raise LodError(f"must be a decimal number such as 12.5 (xsd:decimal), got {_show(value)}", field=field)
        return Literal(v, datatype=NamedNode(XSD + "decimal"))
    if t == "xsd:boolean":
        v = value.strip().lower()
        if v not in ("true", "false", "1", "0"):
            raise LodError(f"must be true or false (xsd:boolean), got {_show(value)}", field=field)
        return Literal("true" if v in ("true", "1") else "false", datatype=NamedNode(XSD + "boolean"))
    if t == "xsd:date":
        v = value.strip()
        try:
            if not _DATE.match(v):
                raise ValueError
            _dt.date.fromisoformat(v)
        except ValueError:
            raise LodError(f"must be a date YYYY-MM-DD (xsd:date), got {_show(value)}", field=field) from None
        return Literal(v, datatype=NamedNode(XSD + "date"))
    if t == "xsd:gYear":
        v = value.strip()
        if not _GYEAR.match(v):
            raise LodError(f"must be a year YYYY (xsd:gYear), got {_show(value)}", field=field)
        return Literal(v, datatype=NamedNode(XSD + "gYear"))
    if t == "iri":
        return NamedNode(_iri(value.strip(), prefixes or {}, field))
    m = _LANG_TYPE.match(t)
    if m:
        return Literal(value, language=m.group(1).lower())
    raise LodError(f"unknown parameter type {t!r}", field=field)  # pragma: no cover (checked at load)


def _iri(value: str, prefixes: Mapping[str, str], field: str) -> str:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    else:
        m = _PNAME.match(value)
        if m and (m.group(1) or "") in prefixes:
            value = prefixes[m.group(1) or ""] + m.group(2)
    if not _ABSOLUTE_IRI.match(value):
        raise LodError(
            f"must be an absolute IRI such as https://example.org/x (or prefix:local with a "
            f"prefix the query declares), got {_show(value)}",
            field=field,
        )
    try:
        NamedNode(value)
    except ValueError as exc:
        raise LodError(f"is not a valid IRI ({exc}): {_show(value)}", field=field) from None
    return value


def bind(
    declared: tuple[Param, ...] | list[Param],
    given: Mapping[str, object] | None,
    prefixes: Mapping[str, str] | None = None,
    *,
    query_name: str = "the query",
) -> dict[str, NamedNode | Literal]:
    """Check the given values against the declared parameters; return name -> RDF term.

    Defaults fill what is not given; an unknown or a missing required parameter is a LodError.
    """
    given = dict(given or {})
    by_name = {p.name: p for p in declared}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        takes = ", ".join(by_name) if by_name else "no parameters"
        raise LodError(f"unknown parameter {unknown[0]!r}: {query_name} takes {takes}", field=f"param {unknown[0]}")
    terms: dict[str, NamedNode | Literal] = {}
    for p in declared:
        if p.name in given:
            terms[p.name] = to_term(p, given[p.name], prefixes)
        elif p.default is not None:
            terms[p.name] = to_term(p, p.default, prefixes)
        else:
            raise LodError(
                f"missing required parameter: give --param {p.name}=VALUE ({p.type})", field=f"param {p.name}"
            )
    return terms


def values_block(terms: Mapping[str, NamedNode | Literal]) -> str:
    """``VALUES (?a ?b) { (<term a> <term b>) }`` with each term in its N-Triples form."""
    names = " ".join(f"?{name}" for name in terms)
    values = " ".join(str(term) for term in terms.values())
    return f"VALUES ({names}) {{ ({values}) }}"
