"""Readers of the OntoPiA territorial classifications: cities, provinces, regions.

* ``ontopia/cities.csv``: every comune since 1861 with its validity interval. ``ID_COMUNE`` is the
  local part of the OntoPiA IRI (``069015-(1948-01-01)``); dates are ``dd-mm-yyyy``; current rows
  end on ``31-12-9999``. The file repeats some rows: exact duplicates are dropped.
* ``ontopia/provinces.csv`` (3-digit code, name, acronym, region) and ``ontopia/regions.csv``
  (2-digit code, name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..codes import ONTOPIA_CITY_ID
from ..vocab import TERRITORIAL
from ._csv import CsvTable, code, read_csv

__all__ = [
    "CITY_IRI",
    "OPEN_END",
    "PROVINCE_IRI",
    "REGION_IRI",
    "OntopiaCity",
    "OntopiaProvince",
    "OntopiaRegion",
    "read_cities",
    "read_provinces",
    "read_regions",
]

OPEN_END = date(9999, 12, 31)
_BASE = TERRITORIAL
CITY_IRI = _BASE + "cities/{}"
PROVINCE_IRI = _BASE + "provinces/{}"
REGION_IRI = _BASE + "regions/{}"


@dataclass(frozen=True, slots=True)
class OntopiaCity:
    """One row of ``cities.csv``: a comune during one validity interval."""

    id_comune: str  # "069015-(1948-01-01)", local part of the OntoPiA IRI
    istat_code: str  # "069015"
    label_it: str  # "CASALBORDINO" (OntoPiA writes names in capitals)
    label_de: str | None
    region_code: str  # "13" ("00" before 1948)
    province_code: str  # "069"
    province_acronym: str | None
    valid_from: date
    valid_to: date  # OPEN_END for current rows
    line: int

    @property
    def current(self) -> bool:
        return self.valid_to == OPEN_END

    @property
    def iri(self) -> str:
        return CITY_IRI.format(self.id_comune)


@dataclass(frozen=True, slots=True)
class OntopiaProvince:
    code: str  # "069"
    name: str  # "Chieti"
    acronym: str | None  # "CH"
    region_code: str  # "13"
    region_name: str
    line: int

    @property
    def iri(self) -> str:
        return PROVINCE_IRI.format(self.code)


@dataclass(frozen=True, slots=True)
class OntopiaRegion:
    code: str  # "13"
    name: str  # "Abruzzo"
    definition: str | None
    line: int

    @property
    def iri(self) -> str:
        return REGION_IRI.format(self.code)


_DMY = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


def _dmy(table: CsvTable, value: str, line: int, column: int) -> date:
    v = value.strip()
    if v == "31-12-9999":
        return OPEN_END
    m = _DMY.fullmatch(v)
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            pass
    raise table.error(f"{value!r} is not a date dd-mm-yyyy", line, column)


def read_cities(path: str | Path, *, current_only: bool = False) -> list[OntopiaCity]:
    """Read OntoPiA ``cities.csv``; exact duplicate rows are dropped. With ``current_only`` only the
    rows valid today (``DATA_FINE_VALIDITA`` 31-12-9999) are parsed and returned (faster).

    Errors: a missing column, an ``ID_COMUNE`` not like ``069015-(1948-01-01)`` or not agreeing with
    ``CODICE_COMUNE`` and ``DATA_INIZIO_VALIDITA``, a malformed date, an interval that ends before it
    starts.
    """
    t = read_csv(path, min_columns=4)
    c_region = t.column("CODICE_REGIONE", "codice regione")
    c_prov = t.column("CODICE_PROVINCIA", "codice provincia")
    c_acr = t.column("SIGLA_AUTOMOBILISTICA", "sigla", required=False)
    c_id = t.column("ID_COMUNE")
    c_code = t.column("CODICE_COMUNE", "codice istat")
    c_it = t.column("LABEL_COMUNE_IT", "label comune", "denominazione")
    c_de = t.column("LABEL_COMUNE_DE", required=False)
    c_from = t.column("DATA_INIZIO_VALIDITA")
    c_to = t.column("DATA_FINE_VALIDITA")
    out: list[OntopiaCity] = []
    seen: set[tuple[str, ...]] = set()
    for line, cells in t.rows:
        end_text = cells[c_to].strip()
        if current_only and end_text != "31-12-9999":
            continue
        key = tuple(cells)
        if key in seen:
            continue  # the publisher repeats some rows verbatim
        seen.add(key)
        id_comune = cells[c_id].strip()
        if not ONTOPIA_CITY_ID.matches(id_comune):
            raise t.error(f"{id_comune!r} is not an ID_COMUNE like 069015-(1948-01-01)", line, c_id)
        istat = code(t, cells[c_code], 6, line, c_code)
        if istat != id_comune[:6]:
            raise t.error(f"CODICE_COMUNE {istat} does not agree with ID_COMUNE {id_comune}", line, c_code)
        valid_from = _dmy(t, cells[c_from], line, c_from)
        if valid_from.isoformat() != id_comune[8:18]:
            raise t.error(
                f"DATA_INIZIO_VALIDITA {cells[c_from].strip()} does not agree with ID_COMUNE {id_comune}", line, c_from
            )
        valid_to = _dmy(t, end_text, line, c_to)
        if valid_to < valid_from:
            raise t.error(f"validity ends ({end_text}) before it starts ({cells[c_from].strip()})", line, c_to)
        label = " ".join(cells[c_it].split())
        if not label:
            raise t.error("empty name", line, c_it)
        de = " ".join(cells[c_de].split()) if c_de is not None else ""
        acr = cells[c_acr].strip().upper() if c_acr is not None else ""
        out.append(
            OntopiaCity(
                id_comune=id_comune,
                istat_code=istat,
                label_it=label,
                label_de=de or None,
                region_code=code(t, cells[c_region], 2, line, c_region),
                province_code=code(t, cells[c_prov], 3, line, c_prov),
                province_acronym=acr or None,
                valid_from=valid_from,
                valid_to=valid_to,
                line=line,
            )
        )
    return out


def read_provinces(path: str | Path) -> list[OntopiaProvince]:
    """Read OntoPiA ``provinces.csv`` (one row per province; exact duplicates dropped)."""
    t = read_csv(path, min_columns=3)
    c_rc = t.column("codice_1_livello", "codice regione")
    c_rn = t.column("label_1_livello_it", "label_ita_1_livello", "denominazione regione", required=False)
    c_code = t.column("codice_2_livello", "codice provincia")
    c_name = t.column("label_2_livello_it", "label_ita_2_livello", "denominazione provincia")
    c_acr = t.column("acronimo_2_livello_it", "acronimo_2_livello", "sigla automobilistica", "sigla", required=False)
    out: list[OntopiaProvince] = []
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    for line, cells in t.rows:
        prov = code(t, cells[c_code], 3, line, c_code)
        if prov in seen:
            if seen[prov][1] == tuple(cells):
                continue
            raise t.error(f"province {prov} already on line {seen[prov][0]} with other values", line, c_code)
        seen[prov] = (line, tuple(cells))
        name = " ".join(cells[c_name].split())
        if not name:
            raise t.error("empty name", line, c_name)
        acr = cells[c_acr].strip().upper() if c_acr is not None else ""
        if acr and not re.fullmatch(r"[A-Z]{2}", acr):
            raise t.error(f"{acr!r} is not a province acronym (two letters)", line, c_acr)
        out.append(
            OntopiaProvince(
                code=prov,
                name=name,
                acronym=acr or None,
                region_code=code(t, cells[c_rc], 2, line, c_rc),
                region_name=" ".join(cells[c_rn].split()) if c_rn is not None else "",
                line=line,
            )
        )
    return out


def read_regions(path: str | Path) -> list[OntopiaRegion]:
    """Read OntoPiA ``regions.csv``; the fictitious region ``00`` (before 1948) is kept."""
    t = read_csv(path, min_columns=2)
    c_code = t.column("Codice_1_livello", "codice regione")
    c_name = t.column("Label_ITA_1_livello", "label_1_livello_it", "denominazione regione")
    c_def = t.column("Definizione", "definition", required=False)
    out: list[OntopiaRegion] = []
    seen: dict[str, int] = {}
    for line, cells in t.rows:
        reg = code(t, cells[c_code], 2, line, c_code)
        if reg in seen:
            raise t.error(f"region {reg} already on line {seen[reg]}", line, c_code)
        seen[reg] = line
        name = " ".join(cells[c_name].split())
        if not name:
            raise t.error("empty name", line, c_name)
        definition = " ".join(cells[c_def].split()) if c_def is not None else ""
        out.append(OntopiaRegion(code=reg, name=name, definition=definition or None, line=line))
    return out
