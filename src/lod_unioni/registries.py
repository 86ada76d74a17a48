"""The registry files, each read once, with the indexes every step needs.

:class:`Registries` reads the seven registry files of a sources folder
(:data:`~lod_unioni.sources.kinds.REGISTRY_KINDS`: the Ministry register of unions, IPA, the ISTAT
list of comuni and resident population, OntoPiA cities, provinces and regions) and indexes them:
comuni by ISTAT code, populations, current and historical OntoPiA cities, the gazetteer of place
names, IPA bodies, and the register's member rows resolved to current comuni
(:meth:`Registries.ministry_members`: the one place where a member name of the register becomes a
current comune, through renames and mergers too). The PA digitale 2026 applications, when the
folder has them, are read on first use (:attr:`Registries.applications`). Reconciliation and the
national build share one instance::

    from lod_unioni.registries import load_registries
    reg = load_registries("../shared/data")
    reg.istat["069015"].name, reg.population["069015"].population, reg.refs["ipa-enti"].sha256
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from . import progress
from .gazetteer import Gazetteer, ResolveError
from .sources.applications import COMUNI
from .sources.folder import Provenance, SourcesDir, resolve_sources
from .sources.ipa import IpaBody, IpaIndex, read_ipa_index
from .sources.istat import (
    IstatComune,
    IstatPopulation,
    population_reference_date,
    read_istat_comuni,
    read_istat_population,
)
from .sources.kinds import GAZETTEER_KINDS, KINDS, REGISTRY_KINDS, find_source_files
from .sources.ministero import MinistryRegister, MinistryUnion, read_ministry_register
from .sources.ontopia import OntopiaCity, read_cities, read_provinces, read_regions
from .sources.padigitale import Candidatura, PaDigitale, read_padigitale
from .sources.plausible import Items, check_plausible
from .text import GENERIC_WORDS, name_keys, normalize_name, website_key

__all__ = ["RegisterMemberMatch", "Registries", "SourceRef", "load_registries"]

_Items = TypeVar("_Items", bound=Items)


def _shown(path: Path, sources: SourcesDir) -> str:
    """A registry file's path as the list of used files shows it: relative to its folder."""
    try:
        return path.relative_to(sources.path).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class SourceRef:
    """Provenance of a registry file: where it came from (URL, or the local path given with
    ``--sources``), its date (download time, or file modification time, UTC ISO 8601) and SHA-256."""

    kind: str
    registry: str
    source: str
    date: str
    sha256: str
    downloaded: bool

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class RegisterMemberMatch:
    """A member name of the Ministry register resolved to a current ISTAT code."""

    name: str  # as written: "CASORZO"
    line: int
    istat_code: str | None  # current ISTAT code, None when unresolved
    how: str  # "name" | "renamed" | "moved" | "merged-into+name" | "merged-into+date" | "not-current" | "unresolved"
    current_name: str | None = None
    note: str = ""
    #: "merged-into+name": how many other comuni of the province started on the day of the merger
    also_started: int = 0


class Registries:
    """The registry files of a sources folder, read once, with the indexes reconciliation needs.

    Each file is checked as it is read (:mod:`lod_unioni.sources.plausible`: row counts, filled
    columns; the download cache's files against their checksum), and the files used are listed on
    stderr with their date and SHA-256."""

    def __init__(self, sources: SourcesDir | str | Path):
        if not isinstance(sources, SourcesDir):
            sources = resolve_sources(sources)
        self.sources = sources
        files = {kind: sources.file(kind) for kind in REGISTRY_KINDS}
        self.files = files
        comuni = self._checked("istat-comuni", read_istat_comuni(files["istat-comuni"]))
        self.istat: dict[str, IstatComune] = {c.istat_code: c for c in comuni}
        self.population_date: date | None = population_reference_date(files["istat-population"])
        populations = self._checked("istat-population", read_istat_population(files["istat-population"]))
        self.population: dict[str, IstatPopulation] = {p.istat_code: p for p in populations}
        # OntoPiA cities, read once: the current rows for the gazetteer, the whole history (renames,
        # mergers) indexed on first use
        self._cities: list[OntopiaCity] = self._checked("ontopia-cities", read_cities(files["ontopia-cities"]))
        current = [city for city in self._cities if city.current]
        provinces = self._checked("ontopia-provinces", read_provinces(files["ontopia-provinces"]))
        regions = self._checked("ontopia-regions", read_regions(files["ontopia-regions"]))
        self.gazetteer = Gazetteer(comuni, current, provinces, regions, {k: files[k] for k in GAZETTEER_KINDS})
        self.provinces = {p.code: p for p in provinces}
        self.regions = {r.code: r for r in regions}
        self.current_cities: dict[str, list[OntopiaCity]] = {}
        for city in current:
            self.current_cities.setdefault(city.istat_code, []).append(city)
        self.ipa: IpaIndex = self._checked("ipa-enti", read_ipa_index(files["ipa-enti"]))
        self.ministry: MinistryRegister = self._checked(
            "ministry-unions", read_ministry_register(files["ministry-unions"])
        )
        m = re.search(r"(19|20)\d{2}", files["ministry-unions"].name)
        self.ministry_year: int | None = int(m.group()) if m else None
        self.refs: dict[str, SourceRef] = {}
        for kind in REGISTRY_KINDS:
            self.refs[kind] = self._ref(kind, sources.provenance(kind))
        self._history: dict[str, list[OntopiaCity]] | None = None
        self._history_by_label: dict[str, list[OntopiaCity]] | None = None
        self._ministry_region: dict[str, str | None] = {}
        self._ministry_members: dict[tuple[str, bool], list[RegisterMemberMatch]] = {}
        self._started: dict[tuple[str, date], list[OntopiaCity]] | None = None
        self._ended: dict[tuple[str, date], list[OntopiaCity]] | None = None
        self._ipa_unions: list[IpaBody] | None = None
        self._applications: tuple[PaDigitale | None] | None = None  # read on first use
        self.application_refs: dict[str, SourceRef] = {}  # the PA digitale 2026 files read, by file name
        self._applications_of_comune: dict[str, list[Candidatura]] | None = None

    def _ref(self, kind: str, p: Provenance) -> SourceRef:
        """The provenance of a file of ``kind``, said on stderr."""
        progress.info(f"  {kind}: {_shown(p.path, self.sources)} ({p.date_iso}, sha256 {p.sha256[:12]})")
        return SourceRef(
            kind=kind,
            registry=KINDS[kind].label,
            source=(p.source or "") if p.downloaded else str(p.path.resolve()),  # a local copy: its file
            date=p.date_iso,
            sha256=p.sha256,
            downloaded=p.downloaded,
        )

    def _checked(self, kind: str, items: _Items) -> _Items:
        """``items``, read from the file of ``kind``, once they pass its plausibility checks."""
        check_plausible(kind, self.files[kind], items, allow=self.sources.allow_implausible)
        return items

    # -- OntoPiA history, indexed only when a name or code is not current -------------------
    def _load_history(self) -> tuple[dict[str, list[OntopiaCity]], dict[str, list[OntopiaCity]]]:
        """The OntoPiA rows of any date by ISTAT code and by name key, indexed on first use."""
        if self._history is None or self._history_by_label is None:
            by_code: dict[str, list[OntopiaCity]] = {}
            by_label: dict[str, list[OntopiaCity]] = {}
            for city in self._cities:
                by_code.setdefault(city.istat_code, []).append(city)
                for label in (city.label_it, city.label_de):
                    if label:
                        for k in name_keys(label):
                            by_label.setdefault(k, []).append(city)
            self._history, self._history_by_label = by_code, by_label
        return self._history, self._history_by_label

    def city_history(self, istat_code: str) -> list[OntopiaCity]:
        """Every OntoPiA row of an ISTAT code, oldest first."""
        by_code, _ = self._load_history()
        return sorted(by_code.get(istat_code, []), key=lambda c: c.valid_from)

    def former_names(self, name: str) -> list[OntopiaCity]:
        """OntoPiA rows (any date) whose label is ``name``."""
        _, by_label = self._load_history()
        return list(by_label.get(normalize_name(name), []))

    # -- IPA -----------------------------------------------------------------------------------
    def ipa_unions(self) -> list[IpaBody]:
        """The L18 bodies (Unioni di Comuni) of IPA."""
        if self._ipa_unions is None:
            self._ipa_unions = self.ipa.unions()
        return self._ipa_unions

    def website_owners(self, key: str) -> list[IpaBody]:
        """IPA bodies whose website has this comparison key (:func:`normalize_website`)."""
        host = key.split("/", 1)[0]
        return [b for b in self.ipa if b.website and host in b.website.lower() and website_key(b.website) == key]

    # -- Ministry register ---------------------------------------------------------------------
    def ministry_region(self, union: MinistryUnion) -> str | None:
        if union.region not in self._ministry_region:
            try:
                self._ministry_region[union.region] = self.gazetteer.region(union.region).code
            except ResolveError:
                self._ministry_region[union.region] = None
        return self._ministry_region[union.region]

    def ministry_province(self, union: MinistryUnion) -> str | None:
        region = self.ministry_region(union)
        try:
            return self.gazetteer.province(union.province, region).code
        except ResolveError:
            return None

    def ministry_members(
        self, union: MinistryUnion, *, history: bool = False, merged: bool = False
    ) -> list[RegisterMemberMatch]:
        """The union's member rows resolved to current ISTAT codes (within its region).

        With ``history``, names that are not current are looked up in OntoPiA's history (renames),
        and a former name of a comune of the union's region (its province first) wins over a
        current homonym in another region: the register's CALLIANO in a union of Asti is Calliano
        Monferrato (005014, called Calliano until 2022), not Calliano in Trentino (022035).

        With ``merged`` (history implied), a name whose comune no longer exists ("not-current") is
        followed to the comune it was merged into (:meth:`_merged_into`)."""
        if merged:
            region, province = self.ministry_region(union), self.ministry_province(union)
            return [
                self._merged_into(m, region, province) if m.how == "not-current" else m
                for m in self.ministry_members(union, history=True)
            ]
        key = (union.code, history)
        if key in self._ministry_members:
            return self._ministry_members[key]
        region = self.ministry_region(union)
        province = self.ministry_province(union)
        out = [self._resolve_member(m.name, m.line, region, province, history) for m in union.members]
        self._ministry_members[key] = out
        return out

    def _resolve_member(
        self, name: str, line: int, region: str | None, province: str | None, history: bool
    ) -> RegisterMemberMatch:
        g = self.gazetteer
        try:
            c = g.comune(name, None, region)
            return RegisterMemberMatch(name, line, c.istat_code, "name", c.name)
        except ResolveError as exc:
            reason, homonyms = exc.reason, exc.candidates
        if reason == "ambiguous" and province:
            try:
                c = g.comune(name, province, region)
                return RegisterMemberMatch(name, line, c.istat_code, "name", c.name)
            except ResolveError:
                pass
        if reason == "other-region":
            if history and region:
                inside = self._renamed(name, region, province, strict=True)
                if len(inside) == 1:
                    known = self.istat[inside[0]]
                    elsewhere = ", ".join(homonyms) or "a comune"
                    return RegisterMemberMatch(
                        name,
                        line,
                        known.istat_code,
                        "renamed",
                        known.name,
                        f"{elsewhere} of another region has that name now",
                    )
            try:
                c = g.comune(name)
                return RegisterMemberMatch(
                    name,
                    line,
                    c.istat_code,
                    "moved",
                    c.name,
                    f"now in region {self.regions[c.region_code].name}"
                    if c.region_code in self.regions
                    else "now in another region",
                )
            except ResolveError:
                pass
        if not history:
            return RegisterMemberMatch(name, line, None, "unresolved")
        rows = self.former_names(name)
        current = self._renamed(name, region, province)
        if len(current) == 1:
            known = self.istat[current[0]]
            return RegisterMemberMatch(name, line, known.istat_code, "renamed", known.name)
        if rows and not current:
            last = max(rows, key=lambda r: r.valid_to)
            return RegisterMemberMatch(
                name,
                line,
                None,
                "not-current",
                None,
                f"OntoPiA: {last.label_it} ({last.istat_code}) ended on {last.valid_to.isoformat()}",
            )
        return RegisterMemberMatch(name, line, None, "unresolved")

    def _renamed(self, name: str, region: str | None, province: str | None, *, strict: bool = False) -> list[str]:
        """Current ISTAT codes of the comuni that had ``name`` in OntoPiA's history: those of
        ``region`` if any (only those when ``strict``), narrowed to ``province`` when that leaves
        some."""
        current = sorted({r.istat_code for r in self.former_names(name) if r.istat_code in self.istat})
        if region:
            inside = [c for c in current if self.istat[c].region_code == region]
            current = inside if (inside or strict) else current
        if len(current) > 1 and province:
            current = [c for c in current if self.istat[c].province_code == province] or current
        return current

    # -- comuni merged into others -------------------------------------------------------------
    def _merged_into(self, match: RegisterMemberMatch, region: str | None, province: str | None) -> RegisterMemberMatch:
        """The current comune a comune that no longer exists was merged into: OntoPiA closes the old
        comune's last row on the day the successor's current row starts, in the same province.
        "merged-into+name" when the successor's name contains the old one, "merged-into+date" when
        it is the only comune of the province that started that day; else ``match`` unchanged."""
        name = match.name
        ended: dict[str, OntopiaCity] = {}
        for row in self.former_names(name):
            if row.istat_code in self.istat:
                continue
            last = ended.get(row.istat_code)
            if last is None or row.valid_to > last.valid_to:
                ended[row.istat_code] = row
        olds = [r for r in ended.values() if region is None or self._region_of(r.province_code) == region]
        if len(olds) > 1 and province:
            olds = [r for r in olds if r.province_code == province] or olds
        if len(olds) != 1:
            return match
        old = olds[0]
        day = old.valid_to
        started = [r for r in self._started_on(old.province_code, day) if r.istat_code != old.istat_code]
        words = {w for w in normalize_name(name).split() if len(w) > 3 and w not in GENERIC_WORDS}
        named = [r for r in started if words & set(normalize_name(r.label_it).split())]
        note = f"{old.label_it} ({old.istat_code}) ended on {day.isoformat()} (OntoPiA)"
        if len(named) == 1:
            c = self.istat[named[0].istat_code]
            note += f"; merged into {c.name} ({c.istat_code}), whose name contains it"
            return RegisterMemberMatch(
                name, match.line, c.istat_code, "merged-into+name", c.name, note, also_started=len(started) - 1
            )
        if len(started) == 1:
            c = self.istat[started[0].istat_code]
            note += f"; merged into {c.name} ({c.istat_code}), the only comune of the province that started that day"
            return RegisterMemberMatch(name, match.line, c.istat_code, "merged-into+date", c.name, note)
        return match

    def comune_successor(self, istat_code: str) -> tuple[str, bool] | None:
        """The current comune that an ISTAT code no longer current became, from OntoPiA's history:
        (its ISTAT code, True when it is the same comune under another code, False when it was
        merged into it); None for a current code, or when OntoPiA does not say.

        A recode: a row with the same name starts on the day the code's last row ends (followed
        until a current code). A merger: :meth:`_merged_into` (the successor whose current row
        starts that day in the same province, named after it or the only one)."""
        code, seen = istat_code, set()
        while code not in self.istat and code not in seen:
            seen.add(code)
            rows = self.city_history(code)
            if not rows:
                return None
            last = max(rows, key=lambda r: r.valid_to)
            same = {r.istat_code for r in self.former_names(last.label_it) if r.valid_from == last.valid_to}
            same.discard(code)
            if len(same) == 1:
                code = same.pop()
                continue
            if code != istat_code:
                return None
            region, province = self._region_of(last.province_code), last.province_code
            merged = self._merged_into(RegisterMemberMatch(last.label_it, 0, None, "not-current"), region, province)
            return (merged.istat_code, False) if merged.istat_code else None
        return (code, True) if code in self.istat and code != istat_code else None

    def _started_on(self, province_code: str, day: date) -> list[OntopiaCity]:
        """The current OntoPiA rows of a province that started on ``day`` (of the current comuni
        with a single current row), indexed on first use."""
        if self._started is None:
            started: dict[tuple[str, date], list[OntopiaCity]] = {}
            for code, rows in self.current_cities.items():
                if code in self.istat and len(rows) == 1:
                    started.setdefault((rows[0].province_code, rows[0].valid_from), []).append(rows[0])
            self._started = started
        return self._started.get((province_code, day), [])

    def _ended_on(self, province_code: str, day: date) -> list[OntopiaCity]:
        """The last OntoPiA rows of the comuni that no longer exist (not in the ISTAT list) whose
        last row, in this province, ended on ``day``; indexed on first use."""
        if self._ended is None:
            last: dict[str, OntopiaCity] = {}
            for row in self._cities:
                if row.istat_code in self.istat:
                    continue
                if row.istat_code not in last or row.valid_to > last[row.istat_code].valid_to:
                    last[row.istat_code] = row
            ended: dict[tuple[str, date], list[OntopiaCity]] = {}
            for row in sorted(last.values(), key=lambda r: r.istat_code):
                ended.setdefault((row.province_code, row.valid_to), []).append(row)
            self._ended = ended
        return self._ended.get((province_code, day), [])

    def merged_into(self, istat_code: str, after: date) -> list[OntopiaCity] | None:
        """The comuni merged into the current comune ``istat_code`` after ``after`` (their last
        OntoPiA rows), by OntoPiA's history: the comune's current row started after that date, on
        the day the last rows of those comuni (that no longer exist) ended, in its province; when
        several comuni of the province started that day, an old comune goes to the one whose name
        contains a word of its own (as :meth:`_merged_into`). ``[]`` when none merged into it since
        (a rename only, or an older comune); ``None`` when OntoPiA's rows of that day cannot be told
        apart: then the successor of some old comune is not known."""
        rows = self.current_cities.get(istat_code, [])
        if len(rows) != 1 or rows[0].valid_from <= after:
            return []
        day, province = rows[0].valid_from, rows[0].province_code
        ended = self._ended_on(province, day)
        started = self._started_on(province, day)
        if not ended or istat_code not in {r.istat_code for r in started}:
            return []
        if len(started) == 1:
            return list(ended)
        mine = []
        for old in ended:
            words = {w for w in normalize_name(old.label_it).split() if len(w) > 3 and w not in GENERIC_WORDS}
            named = [r.istat_code for r in started if words & set(normalize_name(r.label_it).split())]
            if len(named) != 1:
                return None
            if named[0] == istat_code:
                mine.append(old)
        return mine

    def current_successor(self, istat_code: str) -> str | None:
        """The current comune an ISTAT code is now part of: itself when current, else the comune it
        was merged into (:meth:`merged_into`, OntoPiA's history); None when not known."""
        if istat_code in self.istat:
            return istat_code
        rows = self.city_history(istat_code)
        if not rows:
            return None
        last = rows[-1]
        for new in self._started_on(last.province_code, last.valid_to):
            merged = self.merged_into(new.istat_code, last.valid_to - timedelta(days=1)) or []
            if any(r.istat_code == istat_code for r in merged):
                return new.istat_code
        return None

    # -- PA digitale 2026 applications, read on first use ------------------------------------

    @property
    def applications(self) -> PaDigitale | None:
        """The PA digitale 2026 applications and calls (:func:`~lod_unioni.sources.padigitale.read_padigitale`),
        read once, with :attr:`application_refs`; None when the sources folder has none."""
        if self._applications is None:
            found = find_source_files(self.sources.path, "padigitale-candidature")
            pad = read_padigitale(self.sources.path) if found else None
            for path in pad.files if pad else ():
                p = self.sources.provenance(path)  # its kind from the catalog of source files
                self.application_refs[path.name] = self._ref(p.kind or "padigitale-candidature", p)
            self._applications = (pad,)
        return self._applications[0]

    def applications_of_comune(self, istat_code: str) -> list[Candidatura]:
        """The applications of comuni whose ``cod_comune`` is now the comune ``istat_code``
        (:meth:`current_successor`: its own code, or a comune merged into it), in file order."""
        if self._applications_of_comune is None:
            index: dict[str, list[Candidatura]] = {}
            current: dict[str, str | None] = {}
            for c in self.applications or ():
                if c.body_type == COMUNI and c.istat_code is not None:
                    if c.istat_code not in current:
                        current[c.istat_code] = self.current_successor(c.istat_code)
                    code = current[c.istat_code]
                    if code is not None:
                        index.setdefault(code, []).append(c)
            self._applications_of_comune = index
        return list(self._applications_of_comune.get(istat_code, ()))

    def _region_of(self, province_code: str) -> str | None:
        p = self.provinces.get(province_code)
        return p.region_code if p else None


def load_registries(sources: SourcesDir | str | Path) -> Registries:
    """Read every registry file of a sources folder (a path, or a :class:`SourcesDir` from
    :func:`~lod_unioni.sources.folder.resolve_sources`) once. A missing file is a SourceError."""
    return Registries(sources)
