"""XSD datatypes: the lexical space of each datatype SHACL users meet, and the value comparisons
of ``sh:minInclusive`` & co. and ``sh:lessThan`` with the semantics of SPARQL's operators.

:func:`well_formed` says whether a literal's lexical form is in the lexical space of its datatype
(``"300"^^xsd:byte`` is not: out of range); datatypes it does not know are taken as well formed.
:func:`compare` orders two terms as SPARQL's ``<`` does: numbers of any numeric type together,
strings by code point, booleans, date/time values on the time line (a value without a time zone is
compared with one that has a time zone only when the 14-hour uncertainty does not matter),
durations; anything else is incomparable (None).
"""

from __future__ import annotations

import calendar
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from pyoxigraph import Literal

from ...vocab import RDF, XSD
from ..terms import Term

_TZ = r"(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(-?(?:[1-9]\d{3,}|0\d{3}))"
_MONTH, _DAY = r"(0[1-9]|1[0-2])", r"(0[1-9]|[12]\d|3[01])"
_TIME = r"(?:([01]\d|2[0-3]):([0-5]\d):([0-5]\d(?:\.\d+)?)|(24):(00):(00(?:\.0+)?))"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_B64 = "[A-Za-z0-9+/]"
_NAME_START = "A-Za-z_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
_NAME_START += "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"

PATTERNS = {  # local name -> the regular expression of its lexical space
    "boolean": r"true|false|1|0",
    "decimal": _DECIMAL,
    "integer": r"[+-]?\d+",
    "float": _DECIMAL + r"(?:[Ee][+-]?\d+)?|[+-]?INF|NaN",
    "dateTime": _YEAR + "-" + _MONTH + "-" + _DAY + "T" + _TIME + _TZ,
    "dateTimeStamp": _YEAR + "-" + _MONTH + "-" + _DAY + "T" + _TIME + r"(Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))",
    "date": _YEAR + "-" + _MONTH + "-" + _DAY + _TZ,
    "time": _TIME + _TZ,
    "gYear": _YEAR + _TZ,
    "gYearMonth": _YEAR + "-" + _MONTH + _TZ,
    "gMonth": "--" + _MONTH + _TZ,
    "gDay": "---" + _DAY + _TZ,
    "gMonthDay": "--" + _MONTH + "-" + _DAY + _TZ,
    "duration": r"-?P(?=[\dT])(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?",
    "dayTimeDuration": r"-?P(?=[\dT])(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?",
    "yearMonthDuration": r"-?P(?=\d)(?:\d+Y)?(?:\d+M)?",
    "hexBinary": r"(?:[0-9a-fA-F]{2})*",
    "base64Binary": rf"(?:(?:{_B64} ?){{4}})*(?:(?:{_B64} ?){{3}}{_B64}|(?:{_B64} ?){{2}}[AEIMQUYcgkosw048] ?="
    rf"|{_B64} ?[AQgw] ?= ?=)?",
    "normalizedString": r"[^\r\n\t]*",
    "token": r"(?:[^\s]+(?: [^\s]+)*)?",
    "language": r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*",
    "NMTOKEN": f"[{_NAME_CHAR}:]+",
    "Name": f"[{_NAME_START}:][{_NAME_CHAR}:]*",
    "NCName": f"[{_NAME_START}][{_NAME_CHAR}]*",
}
PATTERNS["double"] = PATTERNS["float"]
for _n in ("ID", "IDREF", "ENTITY"):
    PATTERNS[_n] = PATTERNS["NCName"]
_COMPILED = {XSD + name: re.compile(pattern) for name, pattern in PATTERNS.items()}

_LONG, _INT, _SHORT, _BYTE = 2**63, 2**31, 2**15, 2**7
INTEGER_RANGES: dict[str, tuple[int | None, int | None]] = {  # derived type -> (min, max)
    "integer": (None, None),
    "long": (-_LONG, _LONG - 1),
    "int": (-_INT, _INT - 1),
    "short": (-_SHORT, _SHORT - 1),
    "byte": (-_BYTE, _BYTE - 1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "unsignedLong": (0, 2 * _LONG - 1),
    "unsignedInt": (0, 2 * _INT - 1),
    "unsignedShort": (0, 2 * _SHORT - 1),
    "unsignedByte": (0, 2 * _BYTE - 1),
}
_INTEGERS = {XSD + name: bounds for name, bounds in INTEGER_RANGES.items()}
_DATES_WITH_DAY = {XSD + n for n in ("dateTime", "dateTimeStamp", "date", "gMonthDay")}
LANG_STRING = RDF + "langString"
STRING = XSD + "string"


def well_formed(literal: Literal) -> bool:
    """Whether the lexical form of ``literal`` is in the lexical space of its datatype."""
    return _well_formed(literal.value, literal.datatype.value, bool(literal.language))


@lru_cache(maxsize=4096)
def _well_formed(text: str, datatype: str, has_language: bool) -> bool:
    if datatype == LANG_STRING:
        return has_language
    if datatype in _INTEGERS:
        if not _COMPILED[XSD + "integer"].fullmatch(text):
            return False
        low, high = _INTEGERS[datatype]
        n = int(text)
        return (low is None or n >= low) and (high is None or n <= high)
    pattern = _COMPILED.get(datatype)
    if pattern is None:
        return True  # xsd:string, xsd:anyURI, a datatype we do not know
    m = pattern.fullmatch(text)
    if m is None:
        return False
    if datatype in _DATES_WITH_DAY:
        return _valid_day(datatype, m)
    return True


def _valid_day(datatype: str, m: re.Match[str]) -> bool:
    if datatype == XSD + "gMonthDay":
        month, day, year = int(m.group(1)), int(m.group(2)), 2000  # --02-29 is allowed
    else:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return day <= calendar.monthrange(year if 1 <= year <= 9999 else 2000 + year % 400, month)[1]


# --- values and comparisons ------------------------------------------------------------------

_NUMERIC = set(_INTEGERS) | {XSD + "decimal", XSD + "float", XSD + "double"}
_TIMELINE = {XSD + n: n for n in ("dateTime", "dateTimeStamp", "date", "time", "gYear", "gYearMonth", "gMonth", "gDay")}
_TIMELINE[XSD + "gMonthDay"] = "gMonthDay"
_TIMELINE[XSD + "dateTimeStamp"] = "dateTime"
_DURATIONS = {XSD + "duration", XSD + "dayTimeDuration", XSD + "yearMonthDuration"}
_FOURTEEN_HOURS = 14 * 3600


def compare(a: Term, b: Term) -> int | None:
    """-1, 0 or 1 as ``a`` is less than, equal to or greater than ``b`` (SPARQL's operators);
    None when they cannot be compared (a SPARQL error: the constraint is violated)."""
    va, vb = value_of(a), value_of(b)
    if va is None or vb is None or va[0] != vb[0]:
        return None
    kind, x, y = va[0], va[1], vb[1]
    if kind == "time":
        return _compare_instants(x, y)  # type: ignore[arg-type]
    if kind == "duration":
        return _compare_durations(x, y)  # type: ignore[arg-type]
    if x != x or y != y:  # NaN
        return None
    return (x > y) - (x < y)  # type: ignore[operator]


def value_of(term: Term) -> tuple[str, object] | None:
    """(kind, value) of a literal SPARQL can order; None for anything else (or an ill-formed literal)."""
    if not isinstance(term, Literal):
        return None
    return _value(term.value, term.datatype.value, term.language)


@lru_cache(maxsize=4096)
def _value(text: str, datatype: str, language: str | None) -> tuple[str, object] | None:
    if language or not _well_formed(text, datatype, bool(language)):
        return None
    if datatype in _NUMERIC:
        if datatype in (XSD + "float", XSD + "double"):
            return "numeric", float(text.replace("INF", "inf"))
        try:
            return "numeric", Decimal(text)
        except InvalidOperation:  # pragma: no cover - excluded by the lexical check
            return None
    if datatype == STRING:
        return "string", text
    if datatype == XSD + "boolean":
        return "boolean", text in ("true", "1")
    if datatype in _TIMELINE:
        return "time", (_TIMELINE[datatype], *_instant(_TIMELINE[datatype], text))
    if datatype in _DURATIONS:
        return "duration", (datatype, *_duration(text))
    return None


def _instant(kind: str, text: str) -> tuple[Decimal, int | None]:
    """(seconds on the time line, time zone offset in minutes or None) of a date/time value."""
    m = re.fullmatch(r"(.*?)(Z|[+-]\d\d:\d\d)?", text)
    assert m is not None
    body, tz = m.group(1), m.group(2)
    offset = (
        None if tz is None else (0 if tz == "Z" else (1 if tz[0] == "+" else -1) * (int(tz[1:3]) * 60 + int(tz[4:])))
    )
    year, month, day, hms = 1972, 12, 31, "00:00:00"  # the reference values XSD uses for missing parts
    if kind in ("dateTime", "date", "gYear", "gYearMonth"):
        parts = re.match(r"(-?\d+)(?:-(\d\d))?(?:-(\d\d))?(?:T(.*))?", body)
        assert parts is not None
        year = int(parts.group(1))
        month = int(parts.group(2) or 1)
        day = int(parts.group(3) or 1)
        hms = parts.group(4) or hms
    elif kind == "time":
        hms = body
    elif kind in ("gMonth", "gMonthDay"):
        month, day = int(body[2:4]), int(body[5:7] or 1) if len(body) > 4 else 1
    elif kind == "gDay":
        month, day = 12, int(body[3:5])
    h, mi, s = hms.split(":")
    days = _days_from_civil(year, month, day)
    seconds = Decimal(days) * 86400 + int(h) * 3600 + int(mi) * 60 + Decimal(s)
    return (seconds if offset is None else seconds - offset * 60), offset


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _compare_instants(a: tuple, b: tuple) -> int | None:
    (ka, sa, za), (kb, sb, zb) = a, b
    if ka != kb:
        return None
    if (za is None) == (zb is None):
        return (sa > sb) - (sa < sb)
    # one value has no time zone: it lies somewhere within 14 hours of its local time
    if za is None:
        low, high = sa - _FOURTEEN_HOURS, sa + _FOURTEEN_HOURS
        if high < sb:
            return -1
        return 1 if low > sb else None
    cmp = _compare_instants(b, a)
    return None if cmp is None else -cmp


def _duration(text: str) -> tuple[int, Decimal]:
    """(months, seconds) of a duration."""
    sign = -1 if text.startswith("-") else 1
    m = re.fullmatch(r"-?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", text)
    assert m is not None
    y, mo, d, h, mi = (int(g or 0) for g in m.groups()[:5])
    s = Decimal(m.group(6) or 0)
    return sign * (12 * y + mo), sign * (Decimal(d * 86400 + h * 3600 + mi * 60) + s)


def _compare_durations(a: tuple, b: tuple) -> int | None:
    (_, ma, sa), (_, mb, sb) = a, b
    if ma == mb:
        return (sa > sb) - (sa < sb)
    if sa == sb:
        return (ma > mb) - (ma < mb)
    return None
