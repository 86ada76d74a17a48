"""Italian text conventions: numbers and dates (names are in :mod:`lod_unioni.text`).

Pure functions, no I/O. Errors are :class:`ItalianFormatError` (a ``ValueError``) with a message
for people; callers add the file, line and field (see :mod:`lod_unioni.errors`).

Numbers follow the Italian convention of the cards and of the Ministry register: ``.`` groups
thousands, ``,`` marks decimals (``5.812`` is 5812, ``122,56`` is 122.56, ``1.234,5`` is 1234.5).
Text that could be read two ways or is malformed (``1.5``, ``1,234.5``, ``12.34.5``) is refused,
never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = [
    "MONTHS",
    "ItalianFormatError",
    "Quantity",
    "parse_decimal",
    "parse_int",
    "parse_italian_date",
    "parse_ministry_date",
    "parse_number",
    "parse_quantity",
]


class ItalianFormatError(ValueError):
    """Text that is not a well-formed Italian number or date."""


# --------------------------------------------------------------------------------------------
# Numbers

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# An Italian number: optional sign, an integer part either plain or grouped by '.' in threes,
# an optional ',' decimal part.
_GROUPED = r"\d{1,3}(?:\.\d{3})+"
_PLAIN = r"\d+"
_NUMBER = re.compile(rf"(?P<sign>[+-]?)(?P<int>{_GROUPED}|{_PLAIN})(?:,(?P<frac>\d+))?")


def _clean(text: str) -> str:
    if not isinstance(text, str):
        raise ItalianFormatError(f"expected text, got {type(text).__name__}")
    # '−' (minus sign) and thin spaces appear in PDF extractions.
    return text.strip().replace("\u2212", "-")


def _explain(text: str) -> str:
    """Why ``text`` is not an Italian number (for the error message)."""
    t = text.replace(" ", "")
    if not t:
        return "empty text is not a number"
    if "." in t and "," in t and t.rfind(".") > t.rfind(","):
        return (
            f"{text!r} mixes separators in the English way; Italian numbers use '.' for "
            "thousands and ',' for decimals (1.234,5)"
        )
    if t.count(",") > 1:
        return f"{text!r} has more than one decimal comma"
    if "." in t:
        return (
            f"{text!r} is ambiguous or malformed: '.' separates thousands in Italian numbers and "
            "must be followed by groups of three digits; write decimals with ','"
        )
    return f"{text!r} is not a number"


def parse_decimal(text: str) -> Decimal:
    """Parse an Italian number to a :class:`~decimal.Decimal` (``122,56`` -> ``Decimal('122.56')``).

    Thousands separators may be ``.`` (in groups of three digits); the decimal separator is ``,``.
    """
    t = _clean(text)
    m = _NUMBER.fullmatch(t)
    if not m:
        raise ItalianFormatError(_explain(t))
    digits = m["int"].replace(".", "")
    frac = m["frac"]
    return Decimal(f"{m['sign']}{digits}.{frac}" if frac is not None else f"{m['sign']}{digits}")


def parse_int(text: str) -> int:
    """Parse an Italian integer (``5.812`` -> 5812, ``892`` -> 892); a decimal part is an error."""
    t = _clean(text)
    m = _NUMBER.fullmatch(t)
    if not m:
        raise ItalianFormatError(_explain(t))
    if m["frac"] is not None:
        if set(m["frac"]) == {"0"}:
            pass  # "12,0": integral, written with a decimal
        else:
            raise ItalianFormatError(f"{t!r} is not an integer")
    return int(m["sign"] + m["int"].replace(".", ""))


def parse_number(text: str) -> int | Decimal:
    """Parse an Italian number: ``int`` when written without a decimal part, else ``Decimal``."""
    t = _clean(text)
    m = _NUMBER.fullmatch(t)
    if not m:
        raise ItalianFormatError(_explain(t))
    return parse_decimal(t) if m["frac"] is not None else int(m["sign"] + m["int"].replace(".", ""))


# Units as written on the cards (after normalising spaces, case, '^', '²', '.'), canonical names.
UNITS = {
    "km2": "km2",
    "kmq": "km2",
    "km^q": "km2",
    "km^2": "km2",
    "km²": "km2",
    "kmq.": "km2",
    "ab/km2": "ab/km2",
    "ab/kmq": "ab/km2",
    "ab/km^q": "ab/km2",
    "ab/km^2": "ab/km2",
    "ab/km²": "ab/km2",
    "ab./kmq": "ab/km2",
    "ab./km2": "ab/km2",
    "ab./km²": "ab/km2",
    "ab./km^q": "ab/km2",
    "abitanti/km2": "ab/km2",
    "abitanti/kmq": "ab/km2",
    "abitanti/km²": "ab/km2",
    "abitanti/km^q": "ab/km2",
    "ab/kmq.": "ab/km2",
    "ab.": "ab",
    "ab": "ab",
    "abitanti": "ab",
    "n.": "n",
    "n": "n",
    "ha": "ha",
    "ettari": "ha",
}
_QUANTITY = re.compile(r"(?P<num>[+-]?[\d.,]*\d)\s*(?P<unit>.*)")


@dataclass(frozen=True)
class Quantity:
    """A number with the unit written beside it (``unit`` is canonical: km2, ab/km2, ab, ha, n)."""

    value: int | Decimal
    unit: str | None
    unit_text: str = ""


def parse_quantity(text: str) -> Quantity:
    """Parse ``95,86 ab/Km^q`` to ``Quantity(Decimal('95.86'), 'ab/km2')``; an unknown unit is an error."""
    t = _SPACES.sub(" ", _clean(text))
    m = _QUANTITY.fullmatch(t)
    if not m:
        raise ItalianFormatError(f"{t!r} is not a number with a unit")
    value = parse_number(m["num"])
    unit_text = m["unit"].strip()
    if not unit_text:
        return Quantity(value, None, "")
    key = unit_text.lower().replace(" ", "")
    if key not in UNITS:
        raise ItalianFormatError(
            f"unknown unit {unit_text!r} in {t!r} (known: km2 written Km^q/kmq/km², ab/Km^q, ab., ha)"
        )
    return Quantity(value, UNITS[key], unit_text)


# --------------------------------------------------------------------------------------------
# Dates

MONTHS = {
    "gen": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "mag": 5,
    "giu": 6,
    "lug": 7,
    "ago": 8,
    "set": 9,
    "ott": 10,
    "nov": 11,
    "dic": 12,
}
_MONTH_NAMES = {
    "gennaio": 1,
    "febbraio": 2,
    "marzo": 3,
    "aprile": 4,
    "maggio": 5,
    "giugno": 6,
    "luglio": 7,
    "agosto": 8,
    "settembre": 9,
    "ottobre": 10,
    "novembre": 11,
    "dicembre": 12,
    "sett": 9,
}
_MINISTRY_DATE = re.compile(r"(\d{1,2})[-/ .]([A-Za-z]+)\.?[-/ .](\d{4})")


def _month(word: str) -> int:
    w = word.lower()
    if w in MONTHS:
        return MONTHS[w]
    if w in _MONTH_NAMES:
        return _MONTH_NAMES[w]
    raise ItalianFormatError(
        f"unknown Italian month {word!r} (expected Gen, Feb, Mar, Apr, Mag, Giu, Lug, "
        "Ago, Set, Ott, Nov, Dic or the full name)"
    )


def _date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ItalianFormatError(f"{text!r} is not a valid date: {exc}") from None


def parse_ministry_date(text: str) -> date:
    """Parse a date of the Ministry register: ``29-Dic-2011`` -> ``date(2011, 12, 29)``.

    Italian month abbreviations (Gen, Feb, Mar, Apr, Mag, Giu, Lug, Ago, Set, Ott, Nov, Dic) or full
    names, in any case; ``-``, ``/``, ``.`` or a space between the parts.
    """
    t = _clean(text)
    m = _MINISTRY_DATE.fullmatch(t)
    if not m:
        raise ItalianFormatError(f"{t!r} is not a date like 29-Dic-2011")
    return _date(int(m[3]), _month(m[2]), int(m[1]), t)


_NUMERIC_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_LONG_DATE = re.compile(r"(\d{1,2})(?:°|º)?\s+([A-Za-z]+)\s+(\d{4})")


def parse_italian_date(text: str) -> date:
    """Parse a day-first Italian date: ``29/12/2011``, ``29-12-2011``, ``01.01.2022``, ``29-Dic-2011``
    or ``29 dicembre 2011``. ISO ``2011-12-29`` is accepted too."""
    t = _clean(text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
        return _date(int(t[:4]), int(t[5:7]), int(t[8:]), t)
    m = _NUMERIC_DATE.fullmatch(t)
    if m:
        return _date(int(m[3]), int(m[2]), int(m[1]), t)
    m = _LONG_DATE.fullmatch(t)
    if m:
        return _date(int(m[3]), _month(m[2]), int(m[1]), t)
    return parse_ministry_date(t)
