"""Resolve place names (comuni, provinces, regions) to codes with the ISTAT list and OntoPiA.

A :class:`Gazetteer` is built once from the registry files; it resolves

* a region name (``ABRUZZO``, ``Friuli Venezia Giulia``, ``Valle d'Aosta``) to its 2-digit code;
* a province name (``CHIETI``, ``Bolzano``, ``Provincia di Potenza``, or the acronym ``CH``) to its
  3-digit code and acronym, within a region when one is given;
* a comune name within a province (and region) to its ISTAT code, cadastral code, OntoPiA city
  (the current row of ``cities.csv``: ``ID_COMUNE`` and its start date), province and region.

Names are compared with :func:`lod_unioni.text.normalize_name` (case, accents, apostrophes,
``Sant'``/``Sant’``, hyphens, spaces); bilingual comuni match by either name. It never guesses: no
match, a match outside the card's province or region, or more than one candidate raise a
:class:`ResolveError` whose ``reason`` says why (``not-found``, ``other-province``, ``other-region``,
``ambiguous``) and whose ``candidates`` list what was found.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Unpack

from .errors import ErrorLocation, LodError
from .sources.folder import SourcesDir, resolve_sources
from .sources.istat import IstatComune, read_istat_comuni
from .sources.kinds import GAZETTEER_KINDS
from .sources.ontopia import OntopiaCity, OntopiaProvince, OntopiaRegion, read_cities, read_provinces, read_regions
from .sources.plausible import check_plausible
from .text import name_keys, normalize_name

__all__ = ["Gazetteer", "ResolveError", "ResolvedComune", "ResolvedProvince", "ResolvedRegion"]


class ResolveError(LodError):
    """A name that cannot be resolved; ``reason`` is a short key, ``candidates`` what was found."""

    def __init__(
        self, message: str, *, reason: str, candidates: tuple[str, ...] = (), **where: Unpack[ErrorLocation]
    ) -> None:
        super().__init__(message, **where)
        self.reason = reason
        self.candidates = candidates


@dataclass(frozen=True)
class ResolvedRegion:
    code: str  # "13"
    name: str  # "Abruzzo" (OntoPiA)


@dataclass(frozen=True)
class ResolvedProvince:
    code: str  # "069"
    name: str  # "Chieti" (OntoPiA)
    acronym: str | None  # "CH"
    region_code: str  # "13"


@dataclass(frozen=True)
class ResolvedComune:
    name: str  # ISTAT name, "Casalbordino" ("Aldino/Aldein" for bilingual comuni)
    istat_code: str  # "069015"
    cadastral_code: str  # "B865"
    province_code: str  # "069"
    province_acronym: str | None  # "CH"
    region_code: str  # "13"
    ontopia_city: str | None  # "069015-(1948-01-01)"; None when OntoPiA has no single current row
    city_valid_from: date | None  # 1948-01-01
    matched_by: str  # which name matched: "name", "Italian name", "other-language name", "OntoPiA label"
    problems: tuple[str, ...] = field(default=())  # what could not be resolved (e.g. the OntoPiA city)

    @property
    def ipa_code(self) -> str:
        """The comune's own IPA code by IPA's convention: ``c_`` + cadastral code in lower case."""
        return "c_" + self.cadastral_code.lower()


_PROVINCE_PREFIX = re.compile(
    r"^(provincia( autonoma)? di |citta metropolitana di |libero consorzio comunale di |"
    r"provincia del |provincia dell |provincia della )"
)
_REGION_PREFIX = re.compile(r"^(regione autonoma |regione )")


class Gazetteer:
    """Comuni, provinces and regions indexed by normalised name."""

    def __init__(
        self,
        comuni: list[IstatComune],
        cities: list[OntopiaCity],
        provinces: list[OntopiaProvince],
        regions: list[OntopiaRegion],
        files: dict[str, Path] | None = None,
    ):
        self.files = dict(files or {})
        self.comuni = {c.istat_code: c for c in comuni}
        self.regions = {r.code: r for r in regions if r.code != "00"}
        self.provinces = {p.code: p for p in provinces}
        self._current: dict[str, list[OntopiaCity]] = {}
        for city in cities:
            if city.current:
                self._current.setdefault(city.istat_code, []).append(city)

        # comune name key -> {istat code: how it matched}
        self._comune_keys: dict[str, dict[str, str]] = {}

        def add(key: str, istat: str, how: str) -> None:
            self._comune_keys.setdefault(key, {}).setdefault(istat, how)

        for c in comuni:
            for k in name_keys(c.name):
                add(k, c.istat_code, "name")
            for k in name_keys(c.name_it):
                add(k, c.istat_code, "Italian name")
            if c.name_other:
                for k in name_keys(c.name_other):
                    add(k, c.istat_code, "other-language name")
        for istat, rows in self._current.items():
            if istat in self.comuni:
                for row in rows:
                    for label in (row.label_it, row.label_de):
                        if label:
                            for k in name_keys(label):
                                add(k, istat, "OntoPiA label")

        self._region_keys: dict[str, set[str]] = {}
        for r in self.regions.values():
            for k in name_keys(r.name):
                self._region_keys.setdefault(k, set()).add(r.code)
        self._province_keys: dict[str, set[str]] = {}
        for p in self.provinces.values():
            for k in name_keys(p.name):
                self._province_keys.setdefault(k, set()).add(p.code)
        for c in comuni:  # ISTAT's names of the supra-municipal units (Città metropolitane, ...)
            if c.uts_name and c.province_code in self.provinces:
                for k in name_keys(c.uts_name):
                    self._province_keys.setdefault(k, set()).add(c.province_code)

    # ----------------------------------------------------------------------------------------
    @classmethod
    def from_files(
        cls,
        istat_comuni: str | Path,
        cities: str | Path,
        provinces: str | Path,
        regions: str | Path,
        *,
        allow_implausible: bool = False,
    ) -> Gazetteer:
        """Build from the four files; each must pass its plausibility checks
        (:func:`lod_unioni.sources.plausible.check_plausible`) unless ``allow_implausible``."""
        files = {
            "istat-comuni": Path(istat_comuni),
            "ontopia-cities": Path(cities),
            "ontopia-provinces": Path(provinces),
            "ontopia-regions": Path(regions),
        }

        def checked(kind: str, items: list) -> list:
            check_plausible(kind, files[kind], items, allow=allow_implausible)
            return items

        return cls(
            checked("istat-comuni", read_istat_comuni(istat_comuni)),
            [c for c in checked("ontopia-cities", read_cities(cities)) if c.current],
            checked("ontopia-provinces", read_provinces(provinces)),
            checked("ontopia-regions", read_regions(regions)),
            files,
        )

    @classmethod
    def from_sources(cls, sources: SourcesDir | str | Path, *, allow_implausible: bool = False) -> Gazetteer:
        """Build from a ``--sources`` folder laid out like ``../shared/data`` (or a
        :class:`~lod_unioni.sources.folder.SourcesDir`): the files its manifest records, with their
        recorded checksums, as :class:`~lod_unioni.registries.Registries` chooses them."""
        folder = sources if isinstance(sources, SourcesDir) else resolve_sources(sources)
        allow = allow_implausible or folder.allow_implausible
        f = {kind: folder.file(kind) for kind in GAZETTEER_KINDS}
        return cls.from_files(
            f["istat-comuni"],
            f["ontopia-cities"],
            f["ontopia-provinces"],
            f["ontopia-regions"],
            allow_implausible=allow,
        )

    # ----------------------------------------------------------------------------------------
    def region(self, name: str) -> ResolvedRegion:
        """Resolve a region name (``ABRUZZO``) to its OntoPiA code and name."""
        key = _REGION_PREFIX.sub("", normalize_name(name))
        codes = self._region_keys.get(key, set())
        if len(codes) == 1:
            r = self.regions[next(iter(codes))]
            return ResolvedRegion(r.code, r.name)
        if not codes:
            raise ResolveError(
                f"no region named {name!r}{self._suggest(key, self._region_keys, self._region_label)}",
                reason="not-found",
            )
        names = tuple(sorted(self._region_label(c) for c in codes))
        raise ResolveError(f"region {name!r} is ambiguous: {', '.join(names)}", reason="ambiguous", candidates=names)

    def province(self, name: str, region_code: str | None = None) -> ResolvedProvince:
        """Resolve a province name (``CHIETI``, ``Provincia di Chieti``, or the acronym ``CH``),
        within ``region_code`` when given."""
        key = _PROVINCE_PREFIX.sub("", normalize_name(name))
        codes = set(self._province_keys.get(key, set()))
        if not codes and re.fullmatch(r"[A-Za-z]{2}", name.strip()):
            codes = {p.code for p in self.provinces.values() if p.acronym == name.strip().upper()}
        if not codes:
            raise ResolveError(
                f"no province named {name!r}{self._suggest(key, self._province_keys, self._province_label)}",
                reason="not-found",
            )
        if region_code is not None:
            inside = {c for c in codes if self.provinces[c].region_code == region_code}
            if not inside:
                names = tuple(sorted(self._province_label(c) for c in codes))
                raise ResolveError(
                    f"province {name!r} is not in region {self._region_name(region_code)}: found {', '.join(names)}",
                    reason="other-region",
                    candidates=names,
                )
            codes = inside
        if len(codes) > 1:
            names = tuple(sorted(self._province_label(c) for c in codes))
            raise ResolveError(
                f"province {name!r} is ambiguous: {', '.join(names)}", reason="ambiguous", candidates=names
            )
        p = self.provinces[next(iter(codes))]
        return ResolvedProvince(p.code, p.name, p.acronym, p.region_code)

    def comune(self, name: str, province_code: str | None = None, region_code: str | None = None) -> ResolvedComune:
        """Resolve a comune's name within ``province_code`` (and ``region_code``) to its codes.

        Raises :class:`ResolveError`: ``not-found`` (no comune of that name; close names are
        suggested), ``other-province`` / ``other-region`` (the name exists, elsewhere),
        ``ambiguous`` (several comuni of that name where it was looked for).
        """
        key = normalize_name(name)
        found = self._comune_keys.get(key, {})
        if not found:
            raise ResolveError(
                f"no comune named {name!r} in the ISTAT list{self._suggest_comune(key, province_code, region_code)}",
                reason="not-found",
            )
        candidates = list(found)
        # narrow to the region, then to the province; an empty narrowing says where the name is
        for attr, code, where, reason in (
            ("region_code", region_code, lambda c: f"region {self._region_name(c)}", "other-region"),
            ("province_code", province_code, lambda c: f"province {self._province_label(c)}", "other-province"),
        ):
            if code is None:
                continue
            inside = [c for c in candidates if getattr(self.comuni[c], attr) == code]
            if not inside:
                names = tuple(self._comune_label(c) for c in sorted(candidates))
                raise ResolveError(
                    f"no comune named {name!r} in {where(code)}; found {', '.join(names)}",
                    reason=reason,
                    candidates=names,
                )
            candidates = inside
        if len(candidates) > 1:
            names = tuple(self._comune_label(c) for c in sorted(candidates))
            raise ResolveError(
                f"comune {name!r} is ambiguous: {', '.join(names)}", reason="ambiguous", candidates=names
            )
        c = self.comuni[candidates[0]]
        problems: list[str] = []
        rows = self._current.get(c.istat_code, [])
        city = rows[0] if len(rows) == 1 else None
        if not rows:
            problems.append(f"OntoPiA cities has no current row for ISTAT code {c.istat_code}")
        elif len(rows) > 1:
            problems.append(
                f"OntoPiA cities has {len(rows)} current rows for ISTAT code {c.istat_code}: "
                + ", ".join(r.id_comune for r in rows)
            )
        acronym = c.province_acronym or (
            self.provinces[c.province_code].acronym if c.province_code in self.provinces else None
        )
        return ResolvedComune(
            name=c.name,
            istat_code=c.istat_code,
            cadastral_code=c.cadastral_code,
            province_code=c.province_code,
            province_acronym=acronym,
            region_code=c.region_code,
            ontopia_city=city.id_comune if city else None,
            city_valid_from=city.valid_from if city else None,
            matched_by=found[c.istat_code],
            problems=tuple(problems),
        )

    # ----------------------------------------------------------------------------------------
    def _region_name(self, code: str) -> str:
        r = self.regions.get(code)
        return f"{r.name} ({code})" if r else code

    def _region_label(self, code: str) -> str:
        return self._region_name(code)

    def _province_label(self, code: str) -> str:
        p = self.provinces.get(code)
        if not p:
            return code
        return f"{p.name} ({p.acronym or p.code})"

    def _comune_label(self, istat: str) -> str:
        c = self.comuni[istat]
        return f"{c.name} ({istat}, province {c.province_acronym or c.province_code})"

    @staticmethod
    def _suggest(key: str, index: dict[str, set[str]], label: Callable[[str], str]) -> str:
        close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.8)
        if not close:
            return ""
        names = sorted({label(code) for k in close for code in index[k]})
        return f"; did you mean {' or '.join(names)}?"

    def _suggest_comune(self, key: str, province_code: str | None, region_code: str | None) -> str:
        pool = [
            c
            for c in self.comuni.values()
            if (province_code is None or c.province_code == province_code)
            and (region_code is None or c.region_code == region_code)
        ]
        keys: dict[str, str] = {}
        for c in pool:
            for k in name_keys(c.name):
                keys.setdefault(k, c.istat_code)
        close = difflib.get_close_matches(key, list(keys), n=3, cutoff=0.75)
        if not close:
            return ""
        return "; did you mean " + " or ".join(self._comune_label(keys[k]) for k in close) + "?"
