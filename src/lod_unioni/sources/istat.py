"""Readers of ISTAT files: the list of comuni (Elenco comuni italiani) and the resident population.

* ``istat/Elenco-comuni-italiani.csv``: ``;``-separated, ISO-8859-1 or UTF-8 (detected), CRLF, a
  header cell with an embedded newline; columns found by name (their wording changes between
  releases, several wordings are known).
* ``istat/popolazione-residente-YYYY-MM-DD.csv``: ``,``-separated UTF-8; codes numeric without
  leading zeros (``1001`` -> ``001001``); populations written as floats (``2562.0`` -> 2562); an
  empty population is ``None`` (comuni that did not exist at that date), a non-integral one an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, overload

from ..codes import ISTAT_CODE
from ._csv import CsvTable, code, read_csv

__all__ = ["IstatComune", "IstatPopulation", "population_reference_date", "read_istat_comuni", "read_istat_population"]


@dataclass(frozen=True, slots=True)
class IstatComune:
    """One row of the ISTAT list of comuni."""

    istat_code: str  # 6 digits, "069015"
    name: str  # Denominazione (Italiana e straniera): "Aldino/Aldein"
    name_it: str  # Denominazione in italiano: "Aldino"
    name_other: str | None  # Denominazione altra lingua: "Aldein"
    cadastral_code: str  # "B865"
    region_code: str  # 2 digits
    region_name: str
    province_code: str  # 3 digits: Codice Provincia (Storico), the OntoPiA province code
    uts_code: str | None  # 3 digits: Unità territoriale sovracomunale (201 = Città metropolitana di Torino)
    uts_name: str | None
    province_acronym: str | None  # Sigla automobilistica, "CH"
    line: int


@dataclass(frozen=True, slots=True)
class IstatPopulation:
    """Resident population of a comune at ``reference_date`` (``population`` None when not given)."""

    istat_code: str
    name: str
    province_code: str | None
    population: int | None
    female: int | None
    male: int | None
    reference_date: date | None
    line: int


_CADASTRAL = re.compile(r"[A-Z]\d{3}")
_ACRONYM = re.compile(r"[A-Z]{2}")


@overload
def _text(table: CsvTable, cells: list[str], index: int, line: int, *, required: Literal[True]) -> str: ...


@overload
def _text(table: CsvTable, cells: list[str], index: int | None, line: int, *, required: bool) -> str | None: ...


def _text(table: CsvTable, cells: list[str], index: int | None, line: int, *, required: bool) -> str | None:
    """The cell's text on one line; None for an absent column or, unless ``required``, an empty cell."""
    if index is None:
        return None
    value = " ".join(cells[index].split())
    if not value:
        if required:
            raise table.error("empty value", line, index)
        return None
    return value


def read_istat_comuni(path: str | Path) -> list[IstatComune]:
    """Read the ISTAT ``Elenco-comuni-italiani.csv``; rows in file order.

    Errors (:class:`~lod_unioni.errors.SourceError` with line and column): a missing column, an
    ISTAT code that is not 6 digits, a cadastral code not like ``B865``, a code given twice.
    """
    t = read_csv(path, min_columns=5)
    c_region = t.column("Codice Regione")
    c_uts = t.column(
        "Codice dell'Unità territoriale sovracomunale", "Codice Città Metropolitana", "Codice UTS", required=False
    )
    c_prov = t.column("Codice Provincia (Storico)", "Codice Provincia")
    c_code = t.column(
        "Codice Comune formato alfanumerico",
        "Codice Istat del Comune (alfanumerico)",
        "Codice Comune alfanumerico",
        "Codice Comune",
        "Codice Istat del Comune",
    )
    c_name = t.column(
        "Denominazione (Italiana e straniera)",
        "Denominazione (Italiana e tedesca)",
        "Denominazione Comune",
        "Denominazione",
    )
    c_name_it = t.column("Denominazione in italiano", "Denominazione italiana", required=False)
    c_other = t.column(
        "Denominazione altra lingua", "Denominazione in tedesco", "Denominazione straniera", required=False
    )
    c_region_name = t.column("Denominazione Regione", "Denominazione della Regione", "Regione")
    c_uts_name = t.column(
        "Denominazione dell'Unità territoriale sovracomunale",
        "Denominazione provincia",
        "Denominazione Città metropolitana",
        "Denominazione UTS",
        required=False,
    )
    c_acronym = t.column("Sigla automobilistica", "Sigla", required=False)
    c_cadastral = t.column("Codice Catastale del comune", "Codice Catastale")

    out: list[IstatComune] = []
    seen: dict[str, int] = {}
    for line, cells in t.rows:
        istat = cells[c_code].strip()
        if not ISTAT_CODE.matches(istat):
            raise t.error(f"{istat!r} is not a 6-digit ISTAT code", line, c_code)
        if istat in seen:
            raise t.error(f"ISTAT code {istat} already on line {seen[istat]}", line, c_code)
        seen[istat] = line
        cadastral = cells[c_cadastral].strip().upper()
        if not _CADASTRAL.fullmatch(cadastral):
            raise t.error(f"{cells[c_cadastral]!r} is not a cadastral code (a letter and 3 digits)", line, c_cadastral)
        name = _text(t, cells, c_name, line, required=True)
        name_it = _text(t, cells, c_name_it, line, required=False) or name.split("/")[0]
        acronym = _text(t, cells, c_acronym, line, required=False)
        if acronym is not None:
            acronym = acronym.upper()
            if not _ACRONYM.fullmatch(acronym):
                raise t.error(f"{acronym!r} is not a province acronym (two letters)", line, c_acronym)
        uts = cells[c_uts].strip() if c_uts is not None else ""
        out.append(
            IstatComune(
                istat_code=istat,
                name=name,
                name_it=name_it,
                name_other=_text(t, cells, c_other, line, required=False),
                cadastral_code=cadastral,
                region_code=code(t, cells[c_region], 2, line, c_region),
                region_name=_text(t, cells, c_region_name, line, required=True),
                province_code=code(t, cells[c_prov], 3, line, c_prov),
                uts_code=code(t, uts, 3, line, c_uts) if uts else None,
                uts_name=_text(t, cells, c_uts_name, line, required=False),
                province_acronym=acronym,
                line=line,
            )
        )
    return out


_FLOATISH = re.compile(r"(?P<int>\d+)(?:\.(?P<frac>\d+))?")


def _count(table: CsvTable, value: str, line: int, column: int | None) -> int | None:
    """``"2562.0"`` -> 2562, ``""`` -> None; negative, non-integral or not a number: error."""
    if column is None:
        return None
    v = value.strip()
    if not v:
        return None
    m = _FLOATISH.fullmatch(v)
    if not m:
        raise table.error(f"{value!r} is not a population (a non-negative whole number)", line, column)
    if m["frac"] and set(m["frac"]) != {"0"}:
        raise table.error(f"{value!r} is not a whole number of people", line, column)
    return int(m["int"])


def population_reference_date(path: str | Path) -> date | None:
    """The reference date in a file name like ``popolazione-residente-2022-01-01.csv``."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", Path(path).name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def read_istat_population(path: str | Path, reference_date: date | None = None) -> list[IstatPopulation]:
    """Read an ISTAT resident-population file (``popolazione-residente-2022-01-01.csv``).

    ``reference_date`` defaults to the date in the file name. Codes are padded to 6 digits.
    """
    ref = reference_date or population_reference_date(path)
    t = read_csv(path, min_columns=2)
    c_code = t.column("municipality_code", "codice comune", "codice istat", "cod comune", "istat code")
    c_name = t.column("municipality", "comune", "denominazione", required=False)
    c_prov = t.column("province_code", "codice provincia", required=False)
    c_pop = t.column("population", "popolazione", "totale", "popolazione residente", "total")
    c_f = t.column("population_F", "femmine", "totale femmine", required=False)
    c_m = t.column("population_M", "maschi", "totale maschi", required=False)
    out: list[IstatPopulation] = []
    seen: dict[str, int] = {}
    for line, cells in t.rows:
        istat = code(t, cells[c_code], 6, line, c_code, allow_float_suffix=True)
        if istat in seen:
            raise t.error(f"ISTAT code {istat} already on line {seen[istat]}", line, c_code)
        seen[istat] = line
        prov = cells[c_prov].strip() if c_prov is not None else ""
        out.append(
            IstatPopulation(
                istat_code=istat,
                name=" ".join(cells[c_name].split()) if c_name is not None else "",
                province_code=code(t, prov, 3, line, c_prov, allow_float_suffix=True) if prov else None,
                population=_count(t, cells[c_pop], line, c_pop),
                female=_count(t, cells[c_f], line, c_f) if c_f is not None else None,
                male=_count(t, cells[c_m], line, c_m) if c_m is not None else None,
                reference_date=ref,
                line=line,
            )
        )
    return out
