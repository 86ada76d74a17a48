"""Italian numbers, Ministry dates, name normalisation and title case (lod_unioni.italian)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lod_unioni.italian import (
    ItalianFormatError,
    parse_decimal,
    parse_int,
    parse_italian_date,
    parse_ministry_date,
    parse_number,
    parse_quantity,
)

# ---- numbers: values as printed on the two seed cards and in the Ministry register --------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5.812", 5812),
        ("2.040", 2040),
        ("3.005", 3005),
        ("892", 892),
        ("11.749", 11749),  # Miracoli card
        ("34.908", 34908),
        ("12.017", 12017),  # Lagonegrese card
        ("2.960", 2960),  # Ministry register
        ("1.234.567", 1234567),
        (" 11.749 ", 11749),
        ("0", 0),
    ],
)
def test_parse_int_italian_thousands(text, expected):
    value = parse_int(text)
    assert value == expected and type(value) is int


@pytest.mark.parametrize(
    "text", ["5,81", "1.5", "12.34", "5.8120", "1,234.5", "", "abc", "-", "1..234", ".5", "5.", "1 234x", "12,3,4"]
)
def test_parse_int_rejects_malformed_or_ambiguous(text):
    with pytest.raises(ItalianFormatError):
        parse_int(text)


def test_parse_int_error_says_why():
    with pytest.raises(ItalianFormatError, match="thousands"):
        parse_int("1.5")
    with pytest.raises(ItalianFormatError, match="English"):
        parse_decimal("1,234.5")
    with pytest.raises(ValueError):  # ItalianFormatError is a ValueError
        parse_int("dodici")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("122,56", Decimal("122.56")),
        ("623,4", Decimal("623.4")),
        ("95,86", Decimal("95.86")),
        ("55,99", Decimal("55.99")),
        ("1.234,5", Decimal("1234.5")),
        ("7", Decimal("7")),
        ("0,05", Decimal("0.05")),
    ],
)
def test_parse_decimal_is_exact(text, expected):
    value = parse_decimal(text)
    assert value == expected and isinstance(value, Decimal)
    assert str(value) == str(expected)  # no float rounding: 122.56 stays 122.56


def test_parse_number_int_or_decimal():
    assert parse_number("5.812") == 5812 and type(parse_number("5.812")) is int
    assert parse_number("122,56") == Decimal("122.56") and isinstance(parse_number("122,56"), Decimal)
    with pytest.raises(ItalianFormatError):
        parse_number("122.5")


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("95,86 ab/Km^q", Decimal("95.86"), "ab/km2"),  # Miracoli card, DENSITA' ABITATIVA
        ("55,99 ab/Km^q", Decimal("55.99"), "ab/km2"),  # Lagonegrese card
        ("122,56 Km^q", Decimal("122.56"), "km2"),  # SUPERFICIE TOTALE
        ("623,4 Km^q", Decimal("623.4"), "km2"),
        ("623,4 km²", Decimal("623.4"), "km2"),
        ("623,4 kmq", Decimal("623.4"), "km2"),
        ("12,5 ab./km²", Decimal("12.5"), "ab/km2"),
        ("11.749 ab.", 11749, "ab"),
        ("4", 4, None),
    ],
)
def test_parse_quantity_recognises_units(text, value, unit):
    q = parse_quantity(text)
    assert q.value == value and q.unit == unit


def test_parse_quantity_rejects_unknown_unit_and_bad_number():
    with pytest.raises(ItalianFormatError, match="unknown unit"):
        parse_quantity("12 parsec")
    with pytest.raises(ItalianFormatError):
        parse_quantity("12.3 km2")
    with pytest.raises(ItalianFormatError):
        parse_quantity("Km^q")


# ---- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("29-Dic-2011", date(2011, 12, 29)),
        ("1-Gen-2004", date(2004, 1, 1)),
        ("15-mag-2010", date(2010, 5, 15)),
        ("3-GIU-2015", date(2015, 6, 3)),
        ("30-Set-2009", date(2009, 9, 30)),
        ("7-Ago-2001", date(2001, 8, 7)),
        ("12-Ott-2012", date(2012, 10, 12)),
        ("28-Feb-2014", date(2014, 2, 28)),
        ("2-Lug-2013", date(2013, 7, 2)),
        ("9-Apr-2008", date(2008, 4, 9)),
        ("10-Mar-2000", date(2000, 3, 10)),
        ("11-Nov-2011", date(2011, 11, 11)),
        ("29-dicembre-2011", date(2011, 12, 29)),
    ],
)
def test_parse_ministry_date(text, expected):
    assert parse_ministry_date(text) == expected


@pytest.mark.parametrize("text", ["31-Feb-2011", "29-Xyz-2011", "2011-12-29", "29/12/2011", "", "Dic-2011"])
def test_parse_ministry_date_rejects(text):
    with pytest.raises(ItalianFormatError):
        parse_ministry_date(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01.01.2022", date(2022, 1, 1)),
        ("29/12/2011", date(2011, 12, 29)),
        ("29-12-2011", date(2011, 12, 29)),
        ("29 dicembre 2011", date(2011, 12, 29)),
        ("2011-12-29", date(2011, 12, 29)),
        ("29-Dic-2011", date(2011, 12, 29)),
    ],
)
def test_parse_italian_date(text, expected):
    assert parse_italian_date(text) == expected


def test_parse_italian_date_rejects_impossible_day():
    with pytest.raises(ItalianFormatError, match="not a valid date"):
        parse_italian_date("31.04.2022")
