"""The PNRR projects of the comuni and of the unions (PA digitale 2026), joined to the records.

One project per CUP (``codice_cup``): the rows of one CUP are its history — an application per
call (a re-submission after a renunciation is another application of the same CUP), a state per
application (``A``, then ``E`` when a later file says so: the same project in two files). The
project's amount, state and call are those of its latest application (the latest state date, then
funding date), so that a project is never counted twice. Rows join our bodies by ``codice_ipa``
in lower case (the reader's spelling) against the lower-cased IPA codes of our bodies
(``C_C078`` is ``c_c078``), and a comune's rows also by ``cod_comune`` resolved to the
current ISTAT comune (a comune merged since: its rows are its successor's). Only comuni and unions
(IPA category L18 or legal status 2450) are joined; schools, ASL and other bodies are out of scope.
A row in scope that cannot be joined (no CUP; a comune's row whose IPA code IPA does not know and
whose ``cod_comune`` ISTAT does not know; a union of IPA no record describes) is listed in
:attr:`ProjectIndex.unjoined`, never dropped silently.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..pnrr.figures import with_figures
from ..records import Record
from ..registries import Registries
from ..sources.applications import COMUNI, of_comune_or_union, unjoined_reason
from ..sources.folder import source_entry
from ..sources.kinds import FILES, PNRR_MEASURES, find_source_files
from ..sources.padigitale import Avviso, Candidatura, PaDigitale, read_padigitale

__all__ = [
    "ProjectIndex",
    "Unjoined",
    "attach_projects",
    "call_key",
    "has_projects",
    "project_index",
    "with_projects",
]


def has_projects(reg: Registries) -> bool:
    """Whether the sources folder has PA digitale 2026 applications (``padigitale2026/candidature_*.csv``)."""
    return bool(find_source_files(reg.sources.path, "padigitale-candidature"))


def call_key(title: str) -> str:
    """The key of a call: the MD5 of its title (the Department's RML names a call by it)."""
    return hashlib.md5(title.encode("utf-8"), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Unjoined:
    """A row of the applications that cannot be joined to a comune or a union."""

    row: Candidatura
    reason: str  # sources.applications.UNJOINED_REASONS: "no-cup", "comune-unknown", "union-not-in-build"


@dataclass
class ProjectIndex:
    """The projects by the lower-case IPA code of their bodies, and by the current ISTAT code of
    the comuni that applied; the calls by key; the rows that cannot be joined. A project is made
    from its rows when first asked for (most comuni are in no union: their projects are not made)."""

    cups_by_ipa: dict[str, list[str]] = field(default_factory=dict)
    cups_by_istat: dict[str, list[str]] = field(default_factory=dict)
    calls: dict[str, dict] = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)  # file name -> provenance.sources item
    unjoined: list[Unjoined] = field(default_factory=list)
    union_codes: set[str] = field(default_factory=set)  # lower-case IPA codes of IPA's unions applying
    rows: dict[str, list[Candidatura]] = field(default_factory=dict)  # by CUP
    call_of_title: dict[str, str] = field(default_factory=dict)  # casefolded title -> call key
    file_kinds: dict[str, str] = field(default_factory=dict)  # file name -> its source's name
    _made: dict[str, dict] = field(default_factory=dict, repr=False)

    @property
    def measures(self) -> tuple[str, ...]:
        """The PNRR measures whose applications file was read (:data:`PNRR_MEASURES` order): the
        others are not in the sources (their applications are not known, not zero)."""
        read = {item["measure"] for item in self.sources.values() if "measure" in item}
        return tuple(m for m in PNRR_MEASURES if m in read)

    @property
    def measures_not_read(self) -> tuple[str, ...]:
        """The PNRR measures whose applications file is not in the sources."""
        read = self.measures
        return tuple(m for m in PNRR_MEASURES if m not in read)

    def project(self, cup: str) -> dict:
        """The project of ``cup`` (:func:`_project`), made once."""
        if cup not in self._made:
            self._made[cup] = _project(cup, self.rows[cup], self.call_of_title, self.file_kinds)
        return self._made[cup]

    def of_ipa(self, ipa: str) -> list[dict]:
        return [self.project(c) for c in self.cups_by_ipa.get(ipa, ())]

    def of_istat(self, istat: str) -> list[dict]:
        return [self.project(c) for c in self.cups_by_istat.get(istat, ())]

    @property
    def by_ipa(self) -> dict[str, list[dict]]:
        """Every project by the IPA codes of its bodies (makes them all)."""
        return {ipa: self.of_ipa(ipa) for ipa in self.cups_by_ipa}

    @property
    def by_istat(self) -> dict[str, list[dict]]:
        return {istat: self.of_istat(istat) for istat in self.cups_by_istat}

    @property
    def data_date(self) -> str | None:
        """The date of the data: the latest state date of the applications of comuni and unions
        (ISO), None when no row has one. The PNRR figures are computed at this date."""
        dates = [r.status_date for rows in self.rows.values() for r in rows if r.status_date is not None]
        return max(dates).isoformat() if dates else None


def _order(c: Candidatura) -> tuple[str, str, str, int]:
    return (str(c.status_date or ""), str(c.funded or ""), c.file, c.line)


def _application(rows: list[Candidatura], call: str, names: dict[str, str]) -> dict:
    rows = sorted(rows, key=_order)
    last = rows[-1]
    states: dict[str, str] = {}
    for r in rows:
        if r.status_date is not None:
            states[r.status] = max(states.get(r.status, ""), r.status_date.isoformat())
    app: dict = {"key": call[:16], "call": call, "amount": last.amount, "status": last.status}
    optional = {
        "status_date": last.status_date.isoformat() if last.status_date else None,
        "window": last.window,
        "protocol": last.protocol,
        "decree": last.decree,
        "submitted": min((r.submitted for r in rows if r.submitted), default=None),
        "funded": last.funded.isoformat() if last.funded else None,
    }
    app.update({k: v for k, v in optional.items() if v is not None})
    if "submitted" in app:
        app["submitted"] = app["submitted"].strftime("%Y-%m-%dT%H:%M:%SZ")
    app["states"] = [{"status": s, "date": d} for s, d in sorted(states.items(), key=lambda kv: (kv[1], kv[0]))]
    app["sources"] = sorted({names[r.file] for r in rows})
    return app


def _project(cup: str, rows: list[Candidatura], calls: dict[str, str], names: dict[str, str]) -> dict:
    by_call: dict[str, list[Candidatura]] = {}
    for r in rows:
        by_call.setdefault(calls.get(r.avviso.casefold()) or call_key(r.avviso), []).append(r)
    apps = [_application(rs, key, names) for key, rs in by_call.items()]
    latest = max(rows, key=_order)
    current = next(a for a in apps if a["call"] == (calls.get(latest.avviso.casefold()) or call_key(latest.avviso)))
    apps.sort(key=lambda a: a["key"])
    project = {"cup": cup, "amount": current["amount"], "status": current["status"], "call": current["call"]}
    if latest.measure_code:
        project["measure"] = latest.measure_code
    if "status_date" in current:
        project["status_date"] = current["status_date"]
    project["applications"] = apps
    return project


def _call_item(a: Avviso) -> dict:
    item: dict = {"key": call_key(a.title), "title": a.title, "measure_title": a.measure}
    optional = {
        "measure": a.measure_code,
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "state": a.state,
        "budget": a.amount_allocated,
        "measure_budget": a.amount_measure,
    }
    item.update({k: v for k, v in optional.items() if v is not None})
    if a.recipients:
        item["recipients"] = list(a.recipients)
    return item


def _sources(reg: Registries, files: Sequence[Path]) -> dict[str, dict]:
    """The provenance.sources item of each PA digitale 2026 file, its catalog name as ``kind``
    (the applications are several files of one kind: each file is its own ``{base}source/{name}``)
    and, for the file of a measure's applications, the ``measure``."""
    names = {Path(f.local).name: f for f in FILES if f.local.startswith("padigitale2026/")}
    out = {}
    for path in files:
        sf = names.get(path.name)
        name = sf.name if sf is not None else "padigitale-" + path.stem.replace("_", "-")
        p = reg.sources.provenance(path)
        out[path.name] = source_entry(p, name, reg.sources.path, name=(sf.title if sf else path.name))
        if sf is not None and sf.measure:
            out[path.name]["measure"] = sf.measure
    return out


def project_index(reg: Registries, pad: PaDigitale | None = None, *, known_unions: Iterable[str] = ()) -> ProjectIndex:
    """Group the applications of comuni and unions by CUP and index them by body.

    ``known_unions``: the lower-case IPA codes of the unions the build describes (a union of IPA
    that applied and is not among them is reported)."""
    pad = pad if pad is not None else reg.applications or read_padigitale(reg.sources.path)  # none: its error
    idx = ProjectIndex(sources=_sources(reg, pad.files))
    calls: dict[str, str] = {}
    for a in pad.avvisi:
        item = _call_item(a)
        idx.calls[item["key"]] = item
        calls.setdefault(a.title.casefold(), item["key"])
    by_cup: dict[str, list[Candidatura]] = {}
    known = set(known_unions)
    successor: dict[str, str | None] = {}
    istat_of: dict[int, str | None] = {}
    for c in pad:
        if not of_comune_or_union(c, reg.ipa):
            continue
        if c.avviso.casefold() not in calls:  # a call avvisi.csv does not list: its title only
            calls[c.avviso.casefold()] = call_key(c.avviso)
            idx.calls.setdefault(call_key(c.avviso), {"key": call_key(c.avviso), "title": c.avviso})
        istat = None
        if c.body_type == COMUNI and c.istat_code is not None:
            if c.istat_code not in successor:
                successor[c.istat_code] = reg.current_successor(c.istat_code)
            istat = successor[c.istat_code]
        reason = unjoined_reason(c, reg.ipa, istat, known)
        if reason is not None:
            idx.unjoined.append(Unjoined(c, reason))
        if c.cup is not None and reason in (None, "union-not-in-build"):  # a union the build lacks: still indexed
            istat_of[id(c)] = istat
            by_cup.setdefault(c.cup, []).append(c)
    idx.rows, idx.call_of_title = by_cup, calls
    idx.file_kinds = {f: item["kind"] for f, item in idx.sources.items()}
    for cup, rows in by_cup.items():
        for ipa in sorted({r.ipa_code for r in rows}):
            idx.cups_by_ipa.setdefault(ipa, []).append(cup)
        for istat in sorted({istat_of[id(r)] or "" for r in rows} - {""}):
            idx.cups_by_istat.setdefault(istat, []).append(cup)
    return idx


def _entry(project: dict, body: str) -> dict:
    """The project as the record lists it: ``comune`` the member's ISTAT code, none for the union."""
    return dict(project, comune=body) if body != "union" else dict(project)


def attach_projects(data: dict, idx: ProjectIndex) -> None:
    """Add to a record (its dict) the projects of its union and of its members (``projects``), the
    calls they applied to (``calls``) and every PA digitale 2026 file read (``provenance.sources``:
    a measure's file is a source of the union even when none of its bodies applied to the measure,
    which is what the file says). A member is joined by its IPA code, else by its ISTAT code."""
    found: dict[tuple[str, str], dict] = {}
    union_ipa = (data.get("union", {}).get("ipa_code") or "").lower()
    for p in idx.of_ipa(union_ipa) if union_ipa else ():
        found[(p["cup"], "union")] = _entry(p, "union")
    for m in data.get("members", ()):
        ipa = (m.get("ipa_code") or "").lower()
        istat = str(m["istat_code"])
        for p in [*idx.of_ipa(ipa), *idx.of_istat(istat)]:
            found[(p["cup"], istat)] = _entry(p, istat)
    if found:
        projects = [found[k] for k in sorted(found)]
        data["projects"] = projects
        keys = sorted({a["call"] for p in projects for a in p["applications"]})
        data["calls"] = [idx.calls[k] for k in keys]
    sources = data.setdefault("provenance", {}).setdefault("sources", [])
    have = {s.get("kind") for s in sources}
    sources.extend(item for item in idx.sources.values() if item["kind"] not in have)


def with_projects(
    reg: Registries, records: Sequence[Record], pad: PaDigitale | None = None
) -> tuple[list[Record], ProjectIndex]:
    """The records with the projects of their unions and members (:func:`attach_projects`; the
    records given are not changed) and the PNRR figures computed from them
    (:func:`lod_unioni.pnrr.figures.with_figures`, at :attr:`ProjectIndex.data_date`), and the
    index (its :attr:`ProjectIndex.unjoined` rows)."""
    known = {(r.data["union"].get("ipa_code") or "").lower() for r in records} - {""}
    idx = project_index(reg, pad, known_unions=known)
    out = []
    for rec in records:
        data = copy.copy(rec.data)
        data["provenance"] = dict(data.get("provenance") or {})
        if "sources" in data["provenance"]:
            data["provenance"]["sources"] = list(data["provenance"]["sources"])
        attach_projects(data, idx)
        out.append(dataclasses.replace(rec, data=data))
    return with_figures(out, idx.data_date), idx
