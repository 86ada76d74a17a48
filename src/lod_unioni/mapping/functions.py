"""The value functions of the mapping language: the lexical form of record values
(:func:`lexical`), the ``{value|function}`` table and the special datatypes ``@number`` and
``@year-or-date``. Every function takes the value and returns the new one; a value it cannot take
raises :class:`~lod_unioni.mapping.errors.ValueProblem`."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pyoxigraph import NamedNode

from ..text import slug
from ..vocab import XSD
from .errors import ValueProblem

__all__ = [
    "ARGUMENT_FUNCTIONS",
    "FUNCTIONS",
    "KNOWN_FUNCTIONS",
    "SPECIAL_LEXICAL",
    "ValueFunction",
    "lexical",
]

ValueFunction = Callable[[Any], Any]

_XSD_INTEGER = NamedNode(XSD + "integer")
_XSD_DECIMAL = NamedNode(XSD + "decimal")
_XSD_GYEAR = NamedNode(XSD + "gYear")
_XSD_DATE = NamedNode(XSD + "date")


def lexical(value: Any) -> str:
    """The RDF lexical form of a record value (canonical for numbers and dates)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0")
            if text.endswith("."):
                text += "0"
        else:
            text += ".0"
        return text
    if isinstance(value, float):
        return lexical(Decimal(repr(value)))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} cannot be written as a literal")


def _year_bound(value: Any, suffix: str) -> str:
    """``"2022"`` -> ``2022-01-01`` (or ``-12-31``); a full date is kept."""
    text = lexical(value)
    return text + suffix if len(text) == 4 and text.isdigit() else text


# {value|name}
FUNCTIONS: dict[str, ValueFunction] = {
    "lower": lambda v: lexical(v).lower(),
    "upper": lambda v: lexical(v).upper(),
    "trim": lambda v: " ".join(lexical(v).split()),
    "slug": lambda v: slug(lexical(v)),
    "iso-date": lambda v: lexical(v),
    "year-start": lambda v: _year_bound(v, "-01-01"),
    "year-end": lambda v: _year_bound(v, "-12-31"),
    "str": lexical,
}


def _first(arg: str) -> ValueFunction | None:
    if not arg.isdigit():
        return None
    count = int(arg)
    return lambda v: lexical(v)[:count]


# {value|name:ARGUMENT}: the function made from its argument (None: not a valid argument).
ARGUMENT_FUNCTIONS: dict[str, Callable[[str], ValueFunction | None]] = {
    "first": _first,
    "prepend": lambda arg: lambda v: arg + lexical(v),
    "append": lambda arg: lambda v: lexical(v) + arg,
}

# What the error on an unknown function lists (default: and lookup: are read by the compiler).
KNOWN_FUNCTIONS = sorted(FUNCTIONS) + ["default:TEXT", "first:N", "lookup:NAME", "prepend:TEXT", "append:TEXT"]


def _number(value: Any) -> tuple[str, NamedNode]:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise ValueProblem(f"expected a number, found {value!r}")
    return lexical(value), _XSD_INTEGER if isinstance(value, int) else _XSD_DECIMAL


def _year_or_date(value: Any) -> tuple[str, NamedNode]:
    text = lexical(value)
    if len(text) == 4 and text.isdigit():
        return text, _XSD_GYEAR
    if len(text) == 10:
        return text, _XSD_DATE
    raise ValueProblem(f"expected a year (YYYY) or a date (YYYY-MM-DD), found {text!r}")


#: datatype: "@number" / "@year-or-date": the lexical form and the datatype of the literal made
#: from the (single) value.
SPECIAL_LEXICAL: dict[str, Callable[[Any], tuple[str, NamedNode]]] = {
    "@number": _number,
    "@year-or-date": _year_or_date,
}
