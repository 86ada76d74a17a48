"""The checkup of a union, as data (:class:`Checkup`): its members, the measures (labels, whether
their files are in the sources, their calls), the figures of :mod:`lod_unioni.pnrr.indicators`
(comuni x measures, the union's own projects, coverage, totals), the gaps with the calls for them,
the comparison with its region and Italy, and the findings. Made by :class:`.checkups.Checkups`,
rendered by :mod:`.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..pnrr.indicators import Comparison, UnionFigures
from .dumps import CallRow, ComuneRow, UnionRow

__all__ = ["COMUNI", "OTHER_BODIES", "Checkup", "Finding", "Gap", "Measure", "Peer"]

#: The recipients of a call open to comuni, and those open to unions, as avvisi.csv names them.
COMUNI = "Comuni"
OTHER_BODIES = "Altri enti"


@dataclass(frozen=True)
class Measure:
    """A PNRR measure: its number, labels, whether the applications of comuni and of unions to it
    are in the files the dumps cite, and the calls of the dumps for it (by start date)."""

    notation: str
    label_it: str
    label_en: str
    comuni_in_sources: bool
    unions_in_sources: bool
    calls: tuple[CallRow, ...]

    def calls_for(self, recipient: str) -> tuple[CallRow, ...]:
        folded = recipient.casefold()
        return tuple(c for c in self.calls if any(r.casefold() == folded for r in c.recipients))


@dataclass(frozen=True)
class Gap:
    """The members without a live project in a measure whose file was read (renounced ones
    included), and the calls for comuni of that measure in the dumps."""

    measure: str
    comuni: tuple[str, ...]
    renounced: tuple[str, ...]
    calls: tuple[CallRow, ...]


@dataclass(frozen=True)
class Peer:
    """A union of the same region, for the comparison chart."""

    key: str
    name: str
    per_capita: Decimal | None


@dataclass(frozen=True)
class Finding:
    """A short plain-language finding a union officer can act on: a stable ``key`` (what it is
    about: ``gap:1.3.1``, ``standing``...), the text in Italian and in English."""

    key: str
    it: str
    en: str

    def text(self, lang: str) -> str:
        return self.it if lang == "it" else self.en


@dataclass(frozen=True)
class Checkup:
    """One union's checkup (see the module)."""

    union: UnionRow
    members: tuple[ComuneRow, ...]
    measures: tuple[Measure, ...]
    figures: UnionFigures
    comparison: Comparison
    peers: tuple[Peer, ...]
    italy: tuple[Decimal, ...]  # the euro per inhabitant of every union that has one (for the chart)
    gaps: tuple[Gap, ...]
    findings: tuple[Finding, ...]
    calls: dict[str, CallRow]
    sources: tuple[str, ...]
    version: str | None
    dumps: str

    def member(self, istat: str) -> ComuneRow:
        for m in self.members:
            if m.istat == istat:
                return m
        raise KeyError(istat)

    def measure(self, notation: str) -> Measure:
        for m in self.measures:
            if m.notation == notation:
                return m
        raise KeyError(notation)
