"""The checkup as data: JSON (the whole model; for each member comune, by ``istat_code``, its
``projects`` with ``measure``, ``cup``, ``amount``, ``status``) and CSV (one row per body x measure:
each member comune, then the union itself)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from ..pnrr.indicators import Cell, Project, Standing, Totals
from .dumps import CallRow
from .labels import region_name
from .model import Checkup

__all__ = ["CSV_COLUMNS", "to_csv", "to_json", "to_json_model"]

CSV_COLUMNS = (
    "union_ipa_code",
    "body",
    "istat_code",
    "name",
    "measure",
    "status",
    "amount_assigned",
    "amount_disbursed",
    "amount_renounced",
    "projects",
    "cups",
)


def _number(value: Decimal | None) -> int | float | None:
    """A JSON number: JSON has no decimals; two-decimal euro amounts survive a float exactly."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _call(k: CallRow) -> dict:
    return {
        "iri": k.iri,
        "title": k.title,
        "measure": k.measure,
        "start": k.start.isoformat() if k.start else None,
        "end": k.end.isoformat() if k.end else None,
        "state": k.state,
        "recipients": list(k.recipients),
    }


def _project(c: Checkup, p: Project) -> dict:
    call = c.calls.get(p.call or "")
    return {
        "measure": p.measure,
        "cup": p.cup,
        "amount": _number(p.amount),
        "status": p.status,
        "status_date": p.status_date.isoformat() if p.status_date else None,
        "call": call.title if call else None,
        "call_iri": p.call,
    }


def _totals(t: Totals) -> dict:
    return {
        "projects": t.projects,
        "live": t.live,
        "assigned": _number(t.assigned),
        "disbursed": _number(t.disbursed),
        "renounced": _number(t.renounced),
        "population": t.population,
        "per_capita": _number(t.per_capita),
        "disbursed_per_capita": _number(t.disbursed_per_capita),
    }


def _cell(cell: Cell) -> dict:
    return {
        "status": cell.status,
        "assigned": _number(cell.assigned),
        "disbursed": _number(cell.disbursed),
        "renounced": _number(cell.renounced),
        "cups": [p.cup for p in cell.projects],
    }


def _standing(s: Standing | None) -> dict | None:
    if s is None:
        return None
    return {
        "scope": s.scope,
        "value": _number(s.value),
        "rank": s.rank,
        "ranked": s.ranked,
        "unranked": s.unranked,
        "median": _number(s.median),
    }


def _comuni(c: Checkup) -> list[dict]:
    out = []
    for member, f in zip(c.members, c.figures.comuni, strict=True):
        projects = sorted({p.cup: p for cell in f.cells for p in cell.projects}.values(), key=lambda p: p.cup)
        out.append(
            {
                "istat_code": member.istat,
                "name": member.name,
                "ipa_code": member.ipa,
                "iri": member.iri,
                "population": member.population,
                "projects": [_project(c, p) for p in projects],
                "measures": {cell.measure: _cell(cell) for cell in f.cells},
                "totals": _totals(f.totals),
            }
        )
    return out


def to_json_model(c: Checkup) -> dict:
    """The checkup as plain JSON data (both languages where there is text)."""
    u = c.union
    return {
        "union": {
            "iri": u.iri,
            "key": u.key,
            "ipa_code": u.ipa,
            "name": u.name,
            "region": {"code": u.region, "name": region_name(u.region)} if u.region else None,
            "province": u.province,
            "members_known": u.members_known,
        },
        "data": {
            "dumps": c.dumps,
            "version": c.version,
            "sources": list(c.sources),
            "measures_in_sources": {
                "comuni": [m.notation for m in c.measures if m.comuni_in_sources],
                "unions": [m.notation for m in c.measures if m.unions_in_sources],
            },
        },
        "measures": [
            {
                "measure": m.notation,
                "label": {"it": m.label_it, "en": m.label_en},
                "in_sources": {"comuni": m.comuni_in_sources, "unions": m.unions_in_sources},
                "calls": [_call(k) for k in m.calls],
            }
            for m in c.measures
        ],
        "comuni": _comuni(c),
        "union_projects": [_project(c, p) for cell in c.figures.own for p in cell.projects],
        "union_measures": {cell.measure: _cell(cell) for cell in c.figures.own},
        "coverage": [
            {
                "measure": cov.measure,
                "in_sources": cov.in_sources,
                "for_comuni": cov.for_comuni,
                "members": cov.members,
                "covered": list(cov.covered),
                "missing": list(cov.missing),
                "renounced": list(cov.renounced),
                "unknown": list(cov.unknown),
            }
            for cov in c.figures.coverage
        ],
        "gaps": [
            {
                "measure": g.measure,
                "comuni": list(g.comuni),
                "renounced": list(g.renounced),
                "calls": [_call(k) for k in g.calls],
            }
            for g in c.gaps
        ],
        "totals": dict(_totals(c.figures.totals), shared_cups=list(c.figures.shared)),
        "comparison": {"region": _standing(c.comparison.region), "italy": _standing(c.comparison.italy)},
        "region_unions": [{"key": p.key, "name": p.name, "per_capita": _number(p.per_capita)} for p in c.peers],
        "findings": [{"key": f.key, "it": f.it, "en": f.en} for f in c.findings],
    }


def to_json(c: Checkup) -> str:
    return json.dumps(to_json_model(c), ensure_ascii=False, indent=1) + "\n"


def _row(c: Checkup, body: str, istat: str, name: str, cell: Cell) -> list[str]:
    return [
        c.union.ipa or c.union.key,
        body,
        istat,
        name,
        cell.measure,
        cell.status,
        f"{cell.assigned:.2f}",
        f"{cell.disbursed:.2f}",
        f"{cell.renounced:.2f}",
        str(len(cell.projects)),
        " ".join(p.cup for p in cell.projects),
    ]


def to_csv(c: Checkup) -> str:
    """One row per member comune x measure, then the union's own rows (``body`` ``union``, no
    ISTAT code). ``status``: E, A, R, ``none`` or ``not-in-sources``; amounts in euro."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for member, f in zip(c.members, c.figures.comuni, strict=True):
        for cell in f.cells:
            w.writerow(_row(c, "comune", member.istat, member.name, cell))
    for cell in c.figures.own:
        w.writerow(_row(c, "union", "", c.union.name, cell))
    return out.getvalue()
