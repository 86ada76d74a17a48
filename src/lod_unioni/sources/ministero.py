"""Reader of the Ministry of the Interior (DAIT) register of Unioni di Comuni.

The file (``ministero-interno/unioni-di-comuni-2020.csv``) is ``;``-separated and mixes two kinds
of rows under one header::

    NR.;CODICE UNIONE;REGIONE;PROVINCIA;DESCRIZIONE UNIONE DI COMUNI;DATA COSTITUZIONE;NR. COMUNI;
        COMUNI APPARTENENTI ALL'UNIONE;POP. UOMINI;POP. DONNE;POP. TOTALE
    0;4130236050;ABRUZZO;CHIETI;UNIONE DEI MIRACOLI;29-Dic-2011;4;;6.223;6.762;12.985
    1;;;;;;;CASALBORDINO;2.994;3.309;6.303
    ...

A union row (``NR.`` = 0) gives the union's code, region, province, name, founding date
(``29-Dic-2011``: Italian month abbreviations), declared number of comuni and population; the member
rows that follow (``NR.`` = 1..n) give a member's name (upper case, as the Ministry writes it: no
ISTAT codes, names sometimes older than ISTAT's) and population. Numbers use the Italian thousands
separator (``2.960``).

Tolerant: encoding, header wording and case, blank lines, empty population cells (``None``).
Strict (:class:`~lod_unioni.errors.SourceError` with file, line and column): a member row before
any union row, a ``NR.`` that is not a number, a malformed number or date, an empty name, a union
code given twice. Disagreements inside the register (declared number of comuni against the member
rows that follow, men + women against the total, members' total against the union's) are not
errors: they are listed in :attr:`MinistryRegister.issues`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..italian import ItalianFormatError, parse_int, parse_ministry_date
from ..text import normalize_name
from ._csv import CsvTable, read_csv
from .kinds import find_source_file

__all__ = ["MinistryMember", "MinistryRegister", "MinistryUnion", "RegisterIssue", "read_ministry_register"]


@dataclass(frozen=True, slots=True)
class MinistryMember:
    """A member comune of a union, as the register writes it."""

    name: str  # as written: "CASALBORDINO"
    number: int  # NR.: 1..n inside its union
    men: int | None
    women: int | None
    total: int | None
    line: int

    @property
    def key(self) -> str:
        """The name as a matching key (:func:`lod_unioni.italian.normalize_name`): ``"casalbordino"``."""
        return normalize_name(self.name)


@dataclass(frozen=True, slots=True)
class MinistryUnion:
    """A union of the register with its member rows."""

    code: str  # CODICE UNIONE: "4130236050"
    region: str  # as written: "ABRUZZO"
    province: str  # as written: "CHIETI"
    name: str  # as written: "UNIONE DEI MIRACOLI"
    founding_date: date | None  # DATA COSTITUZIONE
    declared_comuni: int | None  # NR. COMUNI
    men: int | None
    women: int | None
    total: int | None
    members: tuple[MinistryMember, ...]
    line: int

    @property
    def key(self) -> str:
        """The name as a matching key: ``"unione dei miracoli"``."""
        return normalize_name(self.name)

    @property
    def member_names(self) -> list[str]:
        return [m.name for m in self.members]

    @property
    def count_agrees(self) -> bool:
        """The declared number of comuni equals the member rows (True when none is declared)."""
        return self.declared_comuni is None or self.declared_comuni == len(self.members)


@dataclass(frozen=True, slots=True)
class RegisterIssue:
    """A disagreement inside the register (not fatal): ``kind`` is ``count`` (declared number of
    comuni against member rows), ``sex-sum`` (men + women against total) or ``members-sum`` (the
    members' total population against the union's)."""

    kind: str
    union_code: str
    union_name: str
    line: int
    expected: int
    found: int
    message: str


@dataclass
class MinistryRegister:
    """The whole register: unions in file order, with the disagreements found while reading."""

    path: Path
    unions: list[MinistryUnion]
    issues: list[RegisterIssue] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.unions)

    def __iter__(self) -> Iterator[MinistryUnion]:
        return iter(self.unions)

    @property
    def member_count(self) -> int:
        """Member rows in the whole register."""
        return sum(len(u.members) for u in self.unions)

    def by_code(self, union_code: str) -> MinistryUnion | None:
        code = union_code.strip()
        for u in self.unions:
            if u.code == code:
                return u
        return None

    def find(self, name: str, *, province: str | None = None) -> list[MinistryUnion]:
        """Unions whose name matches ``name`` ignoring case, accents and punctuation
        (``"Unione dei Miracoli"`` finds ``UNIONE DEI MIRACOLI``); optionally in a province (by name)."""
        key = normalize_name(name)
        prov = normalize_name(province) if province else None
        return [u for u in self.unions if u.key == key and (prov is None or normalize_name(u.province) == prov)]

    def count_mismatches(self) -> list[RegisterIssue]:
        return [i for i in self.issues if i.kind == "count"]


def _number(t: CsvTable, cells: list[str], column: int | None, line: int) -> int | None:
    if column is None:
        return None
    v = cells[column].strip()
    if not v:
        return None
    try:
        n = parse_int(v)
    except ItalianFormatError as exc:
        raise t.error(str(exc), line, column) from None
    if n < 0:
        raise t.error(f"{v!r} is negative", line, column)
    return n


def _text(t: CsvTable, cells: list[str], column: int, line: int, what: str) -> str:
    v = " ".join(cells[column].split())
    if not v:
        raise t.error(f"empty {what}", line, column)
    return v


def read_ministry_register(path: str | Path) -> MinistryRegister:
    """Read the Ministry register of unions (``path``: the CSV file, or a ``--sources`` folder)."""
    p = Path(path)
    if p.is_dir():
        p = find_source_file(p, "ministry-unions")
    t = read_csv(p, min_columns=5, pad_short_rows=True)
    c_nr = t.column("NR.", "NR", "N.", "numero")
    c_code = t.column("CODICE UNIONE", "codice")
    c_region = t.column("REGIONE")
    c_prov = t.column("PROVINCIA")
    c_name = t.column(
        "DESCRIZIONE UNIONE DI COMUNI",
        "DENOMINAZIONE UNIONE DI COMUNI",
        "DESCRIZIONE UNIONE",
        "DENOMINAZIONE UNIONE",
        "UNIONE DI COMUNI",
        "DENOMINAZIONE",
    )
    c_date = t.column("DATA COSTITUZIONE", "DATA DI COSTITUZIONE", required=False)
    c_count = t.column("NR. COMUNI", "NUMERO COMUNI", "N. COMUNI", required=False)
    c_member = t.column("COMUNI APPARTENENTI ALL'UNIONE", "COMUNI APPARTENENTI", "COMUNI ADERENTI", "COMUNE")
    c_men = t.column("POP. UOMINI", "POPOLAZIONE UOMINI", "POP. MASCHI", "MASCHI", "UOMINI", required=False)
    c_women = t.column("POP. DONNE", "POPOLAZIONE DONNE", "POP. FEMMINE", "FEMMINE", "DONNE", required=False)
    c_total = t.column("POP. TOTALE", "POPOLAZIONE TOTALE", "POPOLAZIONE", "TOTALE", required=False)

    unions: list[MinistryUnion] = []
    issues: list[RegisterIssue] = []
    seen: dict[str, int] = {}
    current: dict | None = None
    members: list[MinistryMember] = []

    def close() -> None:
        if current is None:
            return
        u = MinistryUnion(members=tuple(members), **current)
        unions.append(u)
        if u.declared_comuni is not None and u.declared_comuni != len(u.members):
            issues.append(
                RegisterIssue(
                    "count",
                    u.code,
                    u.name,
                    u.line,
                    u.declared_comuni,
                    len(u.members),
                    f"{u.name} declares {u.declared_comuni} comuni but {len(u.members)} member row(s) follow",
                )
            )
        if u.total is not None and u.members and all(m.total is not None for m in u.members):
            found = sum(m.total for m in u.members)
            if found != u.total:
                issues.append(
                    RegisterIssue(
                        "members-sum",
                        u.code,
                        u.name,
                        u.line,
                        u.total,
                        found,
                        f"{u.name} has total population {u.total} but its members add up to {found}",
                    )
                )

    for line, cells in t.rows:
        nr_text = cells[c_nr].strip()
        if not nr_text.isdigit():
            raise t.error(f"{nr_text!r} is not a row number (0 for a union, 1..n for its members)", line, c_nr)
        nr = int(nr_text)
        men = _number(t, cells, c_men, line)
        women = _number(t, cells, c_women, line)
        total = _number(t, cells, c_total, line)
        if nr == 0:
            close()
            code = _text(t, cells, c_code, line, "union code")
            if code in seen:
                raise t.error(f"union code {code} already on line {seen[code]}", line, c_code)
            seen[code] = line
            name = _text(t, cells, c_name, line, "union name")
            founding = None
            if c_date is not None and cells[c_date].strip():
                try:
                    founding = parse_ministry_date(cells[c_date])
                except ItalianFormatError as exc:
                    raise t.error(str(exc), line, c_date) from None
            current = dict(
                code=code,
                region=_text(t, cells, c_region, line, "region"),
                province=_text(t, cells, c_prov, line, "province"),
                name=name,
                founding_date=founding,
                declared_comuni=_number(t, cells, c_count, line),
                men=men,
                women=women,
                total=total,
                line=line,
            )
            members = []
            label = name
        else:
            if current is None:
                raise t.error(f"member row (NR. {nr}) before any union row (NR. 0)", line, c_nr)
            members.append(
                MinistryMember(
                    name=_text(t, cells, c_member, line, "member name"),
                    number=nr,
                    men=men,
                    women=women,
                    total=total,
                    line=line,
                )
            )
            label = members[-1].name
        if men is not None and women is not None and total is not None and men + women != total:
            issues.append(
                RegisterIssue(
                    "sex-sum",
                    current["code"],
                    current["name"],
                    line,
                    total,
                    men + women,
                    f"{label}: men {men} + women {women} = {men + women}, not the total {total}",
                )
            )
    close()
    return MinistryRegister(p, unions, issues)
