"""The PNRR figures of the comuni and the unions (PA digitale 2026): pure calculations over small
frozen dataclasses, the one home of these figures (the build publishes them as indicators, ``lod-unioni
checkup`` shows them). Nothing here reads a file or a graph: the callers build the inputs.

Inputs
  :class:`Project` (a CUP: its measure ``"1.4.1"``, amount, status ``A``/``R``/``E``, status date,
  call key), :class:`Comune` (ISTAT code, population ISTAT 2022, its projects), :class:`Union` (its
  key, region, members, its own projects) and :class:`Sources` (the measures whose applications'
  files were read, from the files' catalog names: :meth:`Sources.from_names`). From a record with
  its projects: :mod:`.inputs` (``union_of_record``, ``sources_of_records``); from the dumps:
  :mod:`lod_unioni.checkup.dumps`.

Outputs
  :func:`comune_figures` -> :class:`ComuneFigures` (a :class:`Cell` per measure, :class:`Totals`);
  :func:`union_figures` -> :class:`UnionFigures` (its comuni, its own projects by measure, the
  :class:`Coverage` of each measure, the totals without double counting);
  :func:`compare` -> :class:`Comparison` (the :class:`Standing` among the unions of its region and of
  Italy); :func:`rank` and :func:`median`, the rules of the standings.

Rules
  * **Renounced projects (R) are not money assigned**: ``assigned`` is the amount of the projects
    assigned (A) or disbursed (E, disbursed after being assigned); ``disbursed`` that of E alone;
    ``renounced`` that of R, shown apart and never in a total or a per-capita figure. A project's
    amount and status are its latest application's (:mod:`lod_unioni.national.projects`).
  * **The status of a comune in a measure** (:func:`cell`): its most advanced live project's: ``E``
    when one of its projects in the measure is disbursed, else ``A`` when one is assigned, else
    ``R`` when it has only renounced ones; :data:`NO_APPLICATION` when it has none and the measure's
    file was read; :data:`NOT_IN_SOURCES` when it has none and the file was not read (never zero:
    nobody knows). A comune *has* a measure (:attr:`Cell.has_measure`) with an A or E project.
  * **No double counting**: a CUP is one project however many bodies list it (the union and a member,
    or two members): a union's totals count each CUP once, the union's own copy first, then its
    members' in their order (:attr:`UnionFigures.shared` lists those CUPs). A comune's projects are
    also counted once per CUP.
  * **Totals** are those of the measures whose files were read (and of the other bodies' file for
    the unions' own projects); when no file was read (:attr:`Sources.nothing_read`) no total is
    known, and none should be shown or published.
  * **Per inhabitant**: ``assigned / population`` in euro, rounded to the cent (half even); ``None``
    when the population is not known. A union's population is the sum of its members' when every
    member has one (else ``None``: a union without members known has none).
  * **Standings** (:func:`compare`): by euro per inhabitant, highest first, among the unions of the
    same region and among all the unions given; equal figures (to the cent) share the best rank
    (1, 2, 2, 4); unions without a per-capita figure are not ranked and not in the median, only
    counted (:attr:`Standing.unranked`); the median is of the ranked unions' figures (the mean of
    the two middle ones for an even number), to the cent.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = [
    "ASSIGNED",
    "CELL_STATES",
    "DISBURSED",
    "NOT_FOR_COMUNI",
    "NOT_IN_SOURCES",
    "NO_APPLICATION",
    "RENOUNCED",
    "STATUSES",
    "Cell",
    "Comparison",
    "Comune",
    "ComuneFigures",
    "Coverage",
    "Project",
    "Sources",
    "Standing",
    "Totals",
    "Union",
    "UnionFigures",
    "cell",
    "compare",
    "comune_figures",
    "measure_order",
    "median",
    "per_capita",
    "rank",
    "totals",
    "union_figures",
]

ASSIGNED, RENOUNCED, DISBURSED = "A", "R", "E"
#: The states of an application (``stato_candidatura``).
STATUSES = (ASSIGNED, RENOUNCED, DISBURSED)
#: A comune's state in a measure when it has no project there: no application / the file not read.
NO_APPLICATION = "none"
NOT_IN_SOURCES = "not-in-sources"
#: Every state of a :class:`Cell`, from the least known to the most advanced.
CELL_STATES = (NOT_IN_SOURCES, NO_APPLICATION, RENOUNCED, ASSIGNED, DISBURSED)
_PRECEDENCE = {RENOUNCED: 1, ASSIGNED: 2, DISBURSED: 3}
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_MEASURE_FILE = re.compile(r"\Apadigitale-finanziate-([0-9]{2,4})\Z")
OTHER_BODIES_FILE = "padigitale-altrienti-finanziate"
#: The measures none of whose calls is for comuni (``soggetti_destinatari`` of ``avvisi.csv``): 1.1
#: moves the data centres of central administrations, health authorities and research bodies. A
#: comune without a project there is not short of it: the coverage is a true zero, never a gap.
NOT_FOR_COMUNI = frozenset({"1.1"})


def measure_order(measure: str) -> tuple[int, ...]:
    """The sort key of a measure number: ``"1.4.1"`` -> ``(1, 4, 1)`` (``"1.10"`` after ``"1.9"``)."""
    return tuple(int(p) if p.isdigit() else 0 for p in measure.split("."))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Project:
    """A PNRR project (one CUP): the measure, amount, status and status date of its latest
    application, and the key of that application's call."""

    cup: str
    measure: str | None
    amount: Decimal
    status: str  # A assigned, R renounced, E disbursed
    status_date: date | None = None
    call: str | None = None  # the call, as the caller names calls (its key, or its IRI)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"project {self.cup}: status {self.status!r} is not one of {', '.join(STATUSES)}")

    @property
    def assigned(self) -> Decimal:
        """The amount, unless the project was renounced (then 0)."""
        return self.amount if self.status != RENOUNCED else _ZERO

    @property
    def disbursed(self) -> Decimal:
        return self.amount if self.status == DISBURSED else _ZERO

    @property
    def renounced(self) -> Decimal:
        return self.amount if self.status == RENOUNCED else _ZERO


@dataclass(frozen=True)
class Comune:
    """A member comune: its ISTAT code, its population (ISTAT, 1 January 2022; ``None`` when not
    known) and the projects it applied for."""

    istat: str
    population: int | None = None
    projects: tuple[Project, ...] = ()


@dataclass(frozen=True)
class Union:
    """A union: its key (IPA code or IRI), its region (code or IRI: unions are compared with those
    of the same value), its members and the projects it applied for itself."""

    key: str
    members: tuple[Comune, ...] = ()
    projects: tuple[Project, ...] = ()
    region: str | None = None


@dataclass(frozen=True)
class Sources:
    """What the applications' files that were read can tell: ``measures``, the measures whose own
    file (``candidature_finanziate_141.csv``: every body's applications to 1.4.1) was read;
    ``other_bodies``, whether the other bodies' file (``candidature_altrienti_finanziate.csv``: the
    applications of unions and other bodies to every measure) was read."""

    measures: frozenset[str] = frozenset()
    other_bodies: bool = False

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Sources:
        """From the catalog names of the files read (:data:`lod_unioni.sources.kinds.FILES`, the
        ``{base}source/{name}`` of the dumps): ``padigitale-finanziate-141`` is 1.4.1's file (one
        digit per level of the measure number), ``padigitale-altrienti-finanziate`` the other
        bodies'; other names are not applications' files."""
        measures, other = set(), False
        for name in names:
            m = _MEASURE_FILE.match(name)
            if m:
                measures.add(".".join(m.group(1)))
            other = other or name == OTHER_BODIES_FILE
        return cls(frozenset(measures), other)

    @property
    def nothing_read(self) -> bool:
        """No applications' file was read: nothing is known (a total of 0 would be a false zero;
        the totals of the other cases are those of the measures read)."""
        return not self.measures and not self.other_bodies

    def has(self, measure: str, *, union: bool = False) -> bool:
        """Whether the applications of a comune (or, ``union=True``, of a union) to ``measure`` are
        in the files read."""
        return measure in self.measures or (union and self.other_bodies)


@dataclass(frozen=True)
class Cell:
    """A body's state in one measure (:func:`cell`), its projects there (CUP order) and their amounts."""

    measure: str
    status: str  # one of CELL_STATES
    projects: tuple[Project, ...]
    assigned: Decimal
    disbursed: Decimal
    renounced: Decimal

    @property
    def has_measure(self) -> bool:
        """Whether the body has a live (assigned or disbursed) project in the measure."""
        return self.status in (ASSIGNED, DISBURSED)

    @property
    def in_sources(self) -> bool:
        return self.status != NOT_IN_SOURCES


@dataclass(frozen=True)
class Totals:
    """The totals of a set of distinct projects: ``projects`` counts every CUP (renounced ones
    included), ``live`` those not renounced; the amounts as in the module's rules; ``per_capita``
    and ``disbursed_per_capita`` in euro per inhabitant (``None`` without a population)."""

    projects: int
    live: int
    assigned: Decimal
    disbursed: Decimal
    renounced: Decimal
    population: int | None
    per_capita: Decimal | None
    disbursed_per_capita: Decimal | None


@dataclass(frozen=True)
class ComuneFigures:
    """A comune's figures: a :class:`Cell` per measure (in measure order) and its totals."""

    istat: str
    cells: tuple[Cell, ...]
    totals: Totals

    def cell(self, measure: str) -> Cell:
        """The cell of ``measure`` (KeyError when the measure is not among the figures')."""
        for c in self.cells:
            if c.measure == measure:
                return c
        raise KeyError(measure)


@dataclass(frozen=True)
class Coverage:
    """How many of a union's members have a measure: ``covered`` (a live project), ``missing``
    (the measure's file was read and they have no live project: no application, or only renounced
    ones, listed again in ``renounced``), ``unknown`` (no project, and the file was not read).
    ISTAT codes in the members' order."""

    measure: str
    in_sources: bool
    members: int
    covered: tuple[str, ...]
    missing: tuple[str, ...]
    renounced: tuple[str, ...]
    unknown: tuple[str, ...]

    @property
    def for_comuni(self) -> bool:
        """Whether comuni can apply to the measure (:data:`NOT_FOR_COMUNI`)."""
        return self.measure not in NOT_FOR_COMUNI

    @property
    def a_gap(self) -> bool:
        """Whether the members missing the measure are a gap: its file read, some missing, and a
        measure for comuni."""
        return self.in_sources and bool(self.missing) and self.for_comuni

    @property
    def closed_to_comuni(self) -> bool:
        """No member has the measure, and comuni cannot apply to it: shown so, not as 0 of N."""
        return not self.for_comuni and not self.covered


@dataclass(frozen=True)
class UnionFigures:
    """A union's figures: its members' (:class:`ComuneFigures`, in the members' order), its own
    projects by measure (``own``: the union's cells, judged by the files that list unions), the
    coverage of each measure, the totals of the union and its members with each CUP once (its
    population the members' sum), and the CUPs listed by more than one body (``shared``)."""

    key: str
    region: str | None
    measures: tuple[str, ...]
    comuni: tuple[ComuneFigures, ...]
    own: tuple[Cell, ...]
    coverage: tuple[Coverage, ...]
    totals: Totals
    shared: tuple[str, ...]

    def comune(self, istat: str) -> ComuneFigures:
        for c in self.comuni:
            if c.istat == istat:
                return c
        raise KeyError(istat)


@dataclass(frozen=True)
class Standing:
    """Where a union stands among ``ranked + unranked`` unions (a region's, or Italy's): its euro
    per inhabitant (``value``), its ``rank`` (1 = most; ``None`` when it has no figure), how many
    unions have a figure (``ranked``) and how many do not (``unranked``), and the median figure of
    the ranked ones (``None`` when there are none)."""

    scope: str  # the region's code or IRI, or "italy"
    value: Decimal | None
    rank: int | None
    ranked: int
    unranked: int
    median: Decimal | None


@dataclass(frozen=True)
class Comparison:
    """A union's standing in its region (``None`` when its region is not known) and in Italy."""

    region: Standing | None
    italy: Standing


def _distinct(projects: Iterable[Project]) -> list[Project]:
    seen: dict[str, Project] = {}
    for p in projects:
        seen.setdefault(p.cup, p)
    return list(seen.values())


def cell(measure: str, projects: Iterable[Project], *, in_sources: bool) -> Cell:
    """A body's :class:`Cell` in ``measure`` from its projects (those of other measures are left
    out); ``in_sources``: whether the measure's applications of such a body were read."""
    mine = sorted((p for p in _distinct(projects) if p.measure == measure), key=lambda p: p.cup)
    if mine:
        status = max((p.status for p in mine), key=_PRECEDENCE.__getitem__)
    else:
        status = NO_APPLICATION if in_sources else NOT_IN_SOURCES
    return Cell(
        measure,
        status,
        tuple(mine),
        sum((p.assigned for p in mine), _ZERO),
        sum((p.disbursed for p in mine), _ZERO),
        sum((p.renounced for p in mine), _ZERO),
    )


def per_capita(amount: Decimal, population: int | None) -> Decimal | None:
    """Euro per inhabitant, to the cent (half even); ``None`` without a (positive) population."""
    if not population or population <= 0:
        return None
    return _cents(Decimal(amount) / Decimal(population))


def totals(projects: Iterable[Project], population: int | None) -> Totals:
    """The :class:`Totals` of ``projects``, each CUP counted once (the first copy)."""
    distinct = _distinct(projects)
    assigned = sum((p.assigned for p in distinct), _ZERO)
    disbursed = sum((p.disbursed for p in distinct), _ZERO)
    return Totals(
        projects=len(distinct),
        live=sum(1 for p in distinct if p.status != RENOUNCED),
        assigned=assigned,
        disbursed=disbursed,
        renounced=sum((p.renounced for p in distinct), _ZERO),
        population=population,
        per_capita=per_capita(assigned, population),
        disbursed_per_capita=per_capita(disbursed, population),
    )


def _measures(measures: Iterable[str] | None, sources: Sources, projects: Iterable[Project]) -> tuple[str, ...]:
    found = {p.measure for p in projects if p.measure}
    given = set(measures) if measures is not None else set(sources.measures)
    return tuple(sorted(given | found, key=measure_order))


def comune_figures(comune: Comune, sources: Sources, measures: Iterable[str] | None = None) -> ComuneFigures:
    """A comune's cell in each measure and its totals. ``measures``: those to show (default: the
    measures of the files read); the measures of its projects are always added. Projects without a
    measure count in the totals only."""
    shown = _measures(measures, sources, comune.projects)
    cells = tuple(cell(m, comune.projects, in_sources=sources.has(m)) for m in shown)
    return ComuneFigures(comune.istat, cells, totals(comune.projects, comune.population))


def _coverage(measure: str, sources: Sources, comuni: Sequence[ComuneFigures]) -> Coverage:
    cells = [(c.istat, c.cell(measure)) for c in comuni]
    return Coverage(
        measure=measure,
        in_sources=sources.has(measure),
        members=len(comuni),
        covered=tuple(i for i, c in cells if c.has_measure),
        missing=tuple(i for i, c in cells if c.in_sources and not c.has_measure),
        renounced=tuple(i for i, c in cells if c.status == RENOUNCED),
        unknown=tuple(i for i, c in cells if not c.in_sources),
    )


def _union_population(members: Sequence[Comune]) -> int | None:
    if not members or any(m.population is None for m in members):
        return None
    return sum(m.population or 0 for m in members)


def union_figures(union: Union, sources: Sources, measures: Iterable[str] | None = None) -> UnionFigures:
    """A union's figures (:class:`UnionFigures`): its members' cells, its own, the coverage of each
    measure and the totals without double counting. ``measures`` as in :func:`comune_figures`
    (the measures of any project of the union or a member are added, the same for every member)."""
    everything = [*union.projects, *(p for m in union.members for p in m.projects)]
    shown = _measures(measures, sources, everything)
    comuni = tuple(comune_figures(m, sources, shown) for m in union.members)
    own = tuple(cell(m, union.projects, in_sources=sources.has(m, union=True)) for m in shown)
    bodies: dict[str, int] = {}
    for group in (_distinct(union.projects), *(_distinct(m.projects) for m in union.members)):
        for p in group:
            bodies[p.cup] = bodies.get(p.cup, 0) + 1
    return UnionFigures(
        key=union.key,
        region=union.region,
        measures=shown,
        comuni=comuni,
        own=own,
        coverage=tuple(_coverage(m, sources, comuni) for m in shown),
        totals=totals(everything, _union_population(union.members)),
        shared=tuple(sorted(cup for cup, n in bodies.items() if n > 1)),
    )


def rank(values: Mapping[str, Decimal | None]) -> dict[str, int]:
    """The rank of each key with a value, highest value first; equal values share the best rank
    (competition ranking: 1, 2, 2, 4). Keys whose value is ``None`` get no rank."""
    ordered = sorted((v for v in values.values() if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for i, v in enumerate(ordered, start=1):
        first.setdefault(v, i)
    return {k: first[v] for k, v in values.items() if v is not None}


def median(values: Iterable[Decimal | None]) -> Decimal | None:
    """The median of the values that are not ``None``, to the cent (``None`` when there are none)."""
    known = [v for v in values if v is not None]
    return _cents(Decimal(statistics.median(known))) if known else None


def _standing(key: str, scope: str, values: Mapping[str, Decimal | None]) -> Standing:
    ranks = rank(values)
    known = sum(1 for v in values.values() if v is not None)
    return Standing(scope, values.get(key), ranks.get(key), known, len(values) - known, median(values.values()))


def compare(union: UnionFigures, unions: Iterable[UnionFigures]) -> Comparison:
    """Where ``union`` stands by euro per inhabitant (its totals' ``per_capita``) among the unions
    of its region and among all of ``unions`` (``union`` itself is counted once, whether or not it
    is among them)."""
    every = {u.key: u for u in unions}
    every[union.key] = union
    italy = {k: u.totals.per_capita for k, u in every.items()}
    region = None
    if union.region is not None:
        same = {k: u.totals.per_capita for k, u in every.items() if u.region == union.region}
        region = _standing(union.key, union.region, same)
    return Comparison(region, _standing(union.key, "italy", italy))
