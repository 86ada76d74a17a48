"""The record model: a loaded union record read through typed, read-only accessors.

:class:`Record` is one validated record file (the normalised document and its path);
:attr:`Record.union` (:class:`UnionInfo`), :attr:`Record.members` (:class:`Member`, each with the
record field path of its values) and :class:`Figure` (a value with its reference date and
source) spare callers from reaching into the dicts. ``Record.data`` stays the whole document,
for the declarative mappings and for writers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

__all__ = ["Figure", "Member", "Record", "UnionInfo", "data_date", "first_date"]


@dataclass(frozen=True)
class Figure:
    """A figure of a record (``population``, a member's ``population``): its value, the date it
    refers to and the source it is stated by, as written in the record."""

    value: int | Decimal
    reference_date: str | None = None
    source: str | None = None

    @classmethod
    def of(cls, data: dict | None) -> Figure | None:
        """The figure of a record dict, None when the record has none."""
        if not data:
            return None
        return cls(data["value"], data.get("reference_date"), data.get("source"))


@dataclass(frozen=True)
class Member:
    """A member comune of a record, read-only, with the record field path of each of its values."""

    data: dict
    index: int

    def field(self, name: str = "") -> str:
        """The record field path of one of its values: ``members[2].population.value``."""
        return f"members[{self.index}]" + (f".{name}" if name else "")

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def istat_code(self) -> str:
        return str(self.data["istat_code"])

    @property
    def cadastral_code(self) -> str | None:
        return self.data.get("cadastral_code")

    @property
    def ipa_code(self) -> str | None:
        return self.data.get("ipa_code")

    @property
    def ontopia_city(self) -> str | None:
        return self.data.get("ontopia_city")

    @property
    def city_valid_from(self) -> str | None:
        return self.data.get("city_valid_from")

    @property
    def province_code(self) -> str | None:
        return self.data.get("province_code")

    @property
    def region_code(self) -> str | None:
        return self.data.get("region_code")

    @property
    def population(self) -> Figure | None:
        return Figure.of(self.data.get("population"))

    @property
    def match(self) -> dict | None:
        """How the national build resolved the member (method, confidence, registry value)."""
        return self.data.get("match")


@dataclass(frozen=True)
class UnionInfo:
    """The ``union`` part of a record, read-only."""

    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def ipa_code(self) -> str | None:
        """The IPA code as written in the record (see :attr:`Record.ipa_code` for the key)."""
        return self.data.get("ipa_code")

    @property
    def iri_key(self) -> str | None:
        return self.data.get("iri_key")

    @property
    def ministry_code(self) -> str | None:
        return self.data.get("ministry_code")

    @property
    def region_code(self) -> str:
        return str(self.data["region"]["code"])

    @property
    def region_name(self) -> str | None:
        return self.data["region"].get("name")

    @property
    def province_code(self) -> str:
        return str(self.data["province"]["code"])

    @property
    def province_name(self) -> str | None:
        return self.data["province"].get("name")

    @property
    def province_acronym(self) -> str | None:
        return self.data["province"].get("acronym")

    @property
    def founded(self) -> str | None:
        """``YYYY`` or ``YYYY-MM-DD``; None when unknown."""
        founded = self.data.get("founded")
        return None if founded is None else str(founded)

    @property
    def website(self) -> str | None:
        return self.data.get("website")


@dataclass(frozen=True)
class Record:
    """A loaded, validated union record: the parsed (normalised) dict and the file it came from.

    Read it through the typed accessors (:attr:`union`, :attr:`members`, :attr:`population`...);
    ``data`` is the whole document, for the declarative mappings and for writers.
    """

    path: Path
    data: dict
    #: The last segment of the union's IRI when the build's IRI register keeps another one than
    #: :attr:`key` for it (:mod:`lod_unioni.iris`: a union keeps the IRI first minted for it).
    minted_key: str | None = None

    @property
    def union(self) -> UnionInfo:
        return UnionInfo(self.data["union"])

    @property
    def ipa_code(self) -> str | None:
        """The union's IPA code in lower case; None for a union IPA does not know (it has an
        ``iri_key`` instead)."""
        code = self.data["union"].get("ipa_code")
        return code.lower() if code else None

    @property
    def key(self) -> str:
        """The last segment of the union's IRI, which also names the record file: the IPA code in
        lower case, else the ``iri_key`` (``dait-{CODICE UNIONE}``, a union IPA does not know)."""
        union = self.data["union"]
        code = union.get("ipa_code") or union.get("iri_key")
        if not code:
            raise KeyError("union.ipa_code")
        return code.lower()

    @property
    def union_key(self) -> str:
        """The last segment of the union's IRI in the dumps: :attr:`minted_key` when the build's IRI
        register set one, else :attr:`key`."""
        return self.minted_key or self.key

    @property
    def key_field(self) -> str:
        """The record field the key comes from: ``union.ipa_code`` or ``union.iri_key``."""
        return "union.ipa_code" if self.data["union"].get("ipa_code") else "union.iri_key"

    @property
    def label(self) -> str:
        """How errors name the record: its key (IPA code or iri_key), or the file stem."""
        try:
            return self.key
        except (KeyError, TypeError, AttributeError):
            return self.path.stem

    @property
    def name(self) -> str:
        return self.data["union"]["name"]

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def members(self) -> list[Member]:
        return [Member(m, i) for i, m in enumerate(self.data["members"])]

    @property
    def member_codes(self) -> list[str]:
        """The ISTAT codes of the members, in record order."""
        return [str(m["istat_code"]) for m in self.data["members"]]

    @property
    def population(self) -> Figure | None:
        """The union's total population as the record states it."""
        return Figure.of(self.data.get("population"))

    @property
    def number_of_comuni(self) -> int | None:
        """The number of comuni the source states (the card, or the register's NR. COMUNI)."""
        return self.data.get("number_of_comuni")

    @property
    def provenance(self) -> dict:
        return self.data.get("provenance") or {}

    @property
    def dates(self) -> list[str]:
        """The dates the record carries about itself: when it was imported and edited."""
        prov = self.provenance
        found = [prov.get("imported_on")] + [e.get("date") for e in prov.get("edits") or []]
        return [d for d in found if d]

    @property
    def reference_dates(self) -> list[str]:
        """The reference dates of its figures (the union's and its members' populations)."""
        figures = [self.population] + [m.population for m in self.members]
        return [f.reference_date for f in figures if f is not None and f.reference_date]


def _record_dates(records: Sequence[Record]) -> list[str]:
    """The dates the records carry about themselves, else the reference dates of their figures."""
    dates = [d for r in records for d in r.dates]
    if not dates:
        dates = [d for r in records for d in r.reference_dates]
    return dates


def data_date(records: Sequence[Record]) -> str | None:
    """The date of the data, from the records only (never the clock, so rebuilds are identical):
    the latest import or edit date, else the latest reference date of a figure. It is also the
    version of the dumps."""
    dates = _record_dates(records)
    return max(dates) if dates else None


def first_date(records: Sequence[Record]) -> str | None:
    """When the data was first made (the dumps' ``dcterms:issued``): the earliest import or edit
    date of the records, else the earliest reference date of a figure."""
    dates = _record_dates(records)
    return min(dates) if dates else None
