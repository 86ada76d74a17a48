"""The PNRR figures of a build's records as a record field, ``pnrr``, that ``mappings/pnrr.yaml``
publishes as OntoPiA indicator calculations (``ontology/MODEL.md``, "PNRR figures").

The figures are those of :mod:`.indicators` (the one home of their rules), from the records with
their projects (:mod:`.inputs`): for each member comune, its state in each measure whose file was
read, the amounts assigned and disbursed there and its euro per inhabitant; for the
union, its own state and amounts in each measure, the coverage of each measure among its members,
its totals with each CUP once, its euro per inhabitant and its standing (rank, median) among the
build's unions of its region and of Italy. A measure whose file was not read has no figure at all:
never a zero.

The field lists each subject's figures by unit, each with its indicator (the notation of a concept
of ``ontology/vocabularies/indicators``), its value, its measure when it is about one, and the
files it is derived from (the ``kind`` of ``provenance.sources``, ``{base}source/{kind}`` in the
dumps: a measure's figures its file, a total :data:`APPLICATIONS`, every applications file read)::

    pnrr:
      date: "2026-08-15"                 # the latest state date of the applications read
      files: [padigitale-finanziate-131, ...]
      union:
        euro: [{indicator: pnrr-assigned, value: 637533.20, sources: [padigitale-candidature]}, ...]
        counts: [{indicator: pnrr-coverage, measure: "1.3.1", value: 3, members: 4, sources: [...]}, ...]
        per_inhabitant: [...]            # pnrr-assigned-per-inhabitant, pnrr-median-region, -italy
        ranks: [{indicator: pnrr-rank-region, value: 6, ranked: 11, unranked: 5, sources: [...]}]
        states: [{indicator: pnrr-status, measure: "1.4.4", value: E, sources: [...]}]
      comuni: [{istat: "069015", euro: [...], per_inhabitant: [...], states: [...]}]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..records import Record
from .indicators import (
    Cell,
    Comparison,
    ComuneFigures,
    Sources,
    Standing,
    Totals,
    UnionFigures,
    compare,
    union_figures,
)
from .inputs import sources_of_records, union_of_record

__all__ = ["APPLICATIONS", "POPULATION", "record_figures", "with_figures"]

#: The source of a total: every applications file read (the kind of the PA digitale 2026 files).
APPLICATIONS = "padigitale-candidature"
#: The source of the populations a figure is divided by (ISTAT, 1 January 2022).
POPULATION = "istat-population"


def _files(records: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The applications files the records cite: ``{measure: kind}``, and the other bodies' file
    under ``""``."""
    out = {}
    for item in (s for data in records for s in (data.get("provenance") or {}).get("sources") or ()):
        kind = str(item.get("kind") or "")
        named = Sources.from_names([kind])
        for measure in named.measures | ({str(item["measure"])} if item.get("measure") else set()):
            out[measure] = kind
        if named.other_bodies:
            out[""] = kind
    return out


def _figure(indicator: str, value: Any, sources: Sequence[str], measure: str | None = None, **more: Any) -> dict:
    item: dict = {"indicator": indicator, "value": value, "sources": list(sources)}
    if measure is not None:
        item["measure"] = measure
    return item | more


def _cell(cell: Cell, sources: Sequence[str], out: dict[str, list[dict]]) -> None:
    """A state in a measure, and the amounts that say something: assigned unless nothing is (no
    application, or only renounced ones), disbursed when something was."""
    out["states"].append(_figure("pnrr-status", cell.status, sources, cell.measure))
    if cell.assigned:
        out["euro"].append(_figure("pnrr-assigned", cell.assigned, sources, cell.measure))
    if cell.disbursed:
        out["euro"].append(_figure("pnrr-disbursed", cell.disbursed, sources, cell.measure))


def _totals(totals: Totals, out: dict[str, list[dict]], *, union: bool) -> None:
    """A union's totals; a comune's euro per inhabitant only (its totals are the sums of its
    figures by measure: each of its projects is of one measure)."""
    if union:
        out["counts"].append(_figure("pnrr-projects", totals.live, [APPLICATIONS]))
        out["euro"].append(_figure("pnrr-assigned", totals.assigned, [APPLICATIONS]))
        out["euro"].append(_figure("pnrr-disbursed", totals.disbursed, [APPLICATIONS]))
    if totals.per_capita is not None:
        out["per_inhabitant"].append(
            _figure("pnrr-assigned-per-inhabitant", totals.per_capita, [APPLICATIONS, POPULATION])
        )


def _groups(*names: str) -> dict[str, list[dict]]:
    return {name: [] for name in names}


def _comune(figures: ComuneFigures, files: dict[str, str]) -> dict:
    """A member's figures: its state in each measure whose file was read and, when it applied for
    anything, its euro per inhabitant."""
    out = _groups("euro", "per_inhabitant", "states")
    for c in figures.cells:
        if c.in_sources and c.measure in files:
            _cell(c, [files[c.measure]], out)
    if figures.totals.projects:
        _totals(figures.totals, out, union=False)
    return {"istat": figures.istat, **{k: v for k, v in out.items() if v}}


def _standing(standing: Standing | None, scope: str, out: dict[str, list[dict]]) -> None:
    """Where the union stands by euro per inhabitant (only when it has a figure)."""
    if standing is None or standing.rank is None:
        return
    sources = [APPLICATIONS, POPULATION]
    out["ranks"].append(
        _figure(f"pnrr-rank-{scope}", standing.rank, sources, ranked=standing.ranked, unranked=standing.unranked)
    )
    if standing.median is not None:
        out["per_inhabitant"].append(_figure(f"pnrr-median-{scope}", standing.median, sources))


def _union(figures: UnionFigures, comparison: Comparison, files: dict[str, str]) -> dict:
    """The union's figures: totals and standings, then, per measure, the coverage among its members
    (the measure's file read) and its own state (the files that list unions' applications read:
    the measure's, the other bodies')."""
    out = _groups("euro", "counts", "per_inhabitant", "ranks", "states")
    _totals(figures.totals, out, union=True)
    _standing(comparison.region, "region", out)
    _standing(comparison.italy, "italy", out)
    own = {c.measure: c for c in figures.own}
    for coverage in figures.coverage:
        m = coverage.measure
        if coverage.in_sources and m in files:
            covered = len(coverage.covered)
            out["counts"].append(_figure("pnrr-coverage", covered, [files[m]], m, members=coverage.members))
        mine = sorted({files[k] for k in (m, "") if k in files})
        if m in own and own[m].in_sources and mine:
            _cell(own[m], mine, out)
    return {k: v for k, v in out.items() if v}


def record_figures(figures: UnionFigures, comparison: Comparison, files: dict[str, str], date: str) -> dict:
    """The ``pnrr`` field of a record: the figures of its union and members (:func:`with_figures`)."""
    return {
        "date": date,
        "files": sorted(set(files.values())),
        "union": _union(figures, comparison, files),
        "comuni": [_comune(c, files) for c in figures.comuni],
    }


def with_figures(records: Sequence[Record], date: str | None) -> list[Record]:
    """The records with their PNRR figures (``pnrr``); the records given are not changed. The
    standings are among the unions of ``records``. Without a date (no application read) or when
    no record cites an applications file, the records are returned as they are: no figure is
    known, and none is a zero."""
    sources = sources_of_records(r.data for r in records)
    if date is None or sources.nothing_read:
        return list(records)
    files = _files(r.data for r in records)
    figures = [union_figures(union_of_record(r.data, r.key), sources) for r in records]
    out = []
    for rec, fig in zip(records, figures, strict=True):
        data = dict(rec.data)
        data["pnrr"] = record_figures(fig, compare(fig, figures), files, date)
        out.append(dataclasses.replace(rec, data=data))
    return out
