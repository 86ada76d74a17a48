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
    founding_text: str | None = None  # DATA COSTITUZIONE as written: "29-Dic-2011"

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


@dataclass(frozen=True, slots=True)
class _Columns:
    """The column of each field in the register's header (None: the column is optional and absent)."""

    nr: int
    code: int
    region: int
    province: int
    name: int
    date: int | None
    count: int | None
    member: int
    men: int | None
    women: int | None
    total: int | None


def _columns(t: CsvTable) -> _Columns:
    return _Columns(
        nr=t.column("NR.", "NR", "N.", "numero"),
        code=t.column("CODICE UNIONE", "codice"),
        region=t.column("REGIONE"),
        province=t.column("PROVINCIA"),
        name=t.column(
            "DESCRIZIONE UNIONE DI COMUNI",
            "DENOMINAZIONE UNIONE DI COMUNI",
            "DESCRIZIONE UNIONE",
            "DENOMINAZIONE UNIONE",
            "UNIONE DI COMUNI",
            "DENOMINAZIONE",
        ),
        date=t.column("DATA COSTITUZIONE", "DATA DI COSTITUZIONE", required=False),
        count=t.column("NR. COMUNI", "NUMERO COMUNI", "N. COMUNI", required=False),
        member=t.column("COMUNI APPARTENENTI ALL'UNIONE", "COMUNI APPARTENENTI", "COMUNI ADERENTI", "COMUNE"),
        men=t.column("POP. UOMINI", "POPOLAZIONE UOMINI", "POP. MASCHI", "MASCHI", "UOMINI", required=False),
        women=t.column("POP. DONNE", "POPOLAZIONE DONNE", "POP. FEMMINE", "FEMMINE", "DONNE", required=False),
        total=t.column("POP. TOTALE", "POPOLAZIONE TOTALE", "POPOLAZIONE", "TOTALE", required=False),
    )


def _union_issues(u: MinistryUnion) -> list[RegisterIssue]:
    """What a complete union disagrees with: its declared number of comuni, its members' total."""
    issues = []
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
    totals = [m.total for m in u.members if m.total is not None]
    if u.total is not None and u.members and len(totals) == len(u.members):
        found = sum(totals)
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
    return issues


class _Reader:
    """Reads the rows of the register in order: a union row opens a union, its member rows follow."""

    def __init__(self, t: CsvTable) -> None:
        self.t = t
        self.c = _columns(t)
        self.unions: list[MinistryUnion] = []
        self.issues: list[RegisterIssue] = []
        self.seen: dict[str, int] = {}
        self.current: dict | None = None  # the fields of the open union
        self.members: list[MinistryMember] = []

    def close(self) -> None:
        """The open union is complete: keep it, with what it disagrees with."""
        if self.current is None:
            return
        u = MinistryUnion(members=tuple(self.members), **self.current)
        self.unions.append(u)
        self.issues.extend(_union_issues(u))

    def read(self) -> None:
        t, c = self.t, self.c
        for line, cells in t.rows:
            nr_text = cells[c.nr].strip()
            if not nr_text.isdigit():
                raise t.error(f"{nr_text!r} is not a row number (0 for a union, 1..n for its members)", line, c.nr)
            nr = int(nr_text)
            men = _number(t, cells, c.men, line)
            women = _number(t, cells, c.women, line)
            total = _number(t, cells, c.total, line)
            if nr == 0:
                self.close()
                self.current = self.union_fields(line, cells, men, women, total)
                self.members = []
                label = self.current["name"]
            else:
                if self.current is None:
                    raise t.error(f"member row (NR. {nr}) before any union row (NR. 0)", line, c.nr)
                name = _text(t, cells, c.member, line, "member name")
                self.members.append(MinistryMember(name, nr, men, women, total, line))
                label = name
            if men is not None and women is not None and total is not None and men + women != total:
                self.issues.append(
                    RegisterIssue(
                        "sex-sum",
                        self.current["code"],
                        self.current["name"],
                        line,
                        total,
                        men + women,
                        f"{label}: men {men} + women {women} = {men + women}, not the total {total}",
                    )
                )
        self.close()

    def union_fields(self, line: int, cells: list[str], men: int | None, women: int | None, total: int | None) -> dict:
        """The fields of the union a union row (NR. 0) opens."""
        t, c = self.t, self.c
        code = _text(t, cells, c.code, line, "union code")
        if code in self.seen:
            raise t.error(f"union code {code} already on line {self.seen[code]}", line, c.code)
        self.seen[code] = line
        name = _text(t, cells, c.name, line, "union name")
        founding = None
        if c.date is not None and cells[c.date].strip():
            try:
                founding = parse_ministry_date(cells[c.date])
            except ItalianFormatError as exc:
                raise t.error(str(exc), line, c.date) from None
        return dict(
            code=code,
            region=_text(t, cells, c.region, line, "region"),
            province=_text(t, cells, c.province, line, "province"),
            name=name,
            founding_date=founding,
            founding_text=" ".join(cells[c.date].split()) if founding is not None and c.date is not None else None,
            declared_comuni=_number(t, cells, c.count, line),
            men=men,
            women=women,
            total=total,
            line=line,
        )


def read_ministry_register(path: str | Path) -> MinistryRegister:
    """Read the Ministry register of unions (``path``: the CSV file, or a ``--sources`` folder)."""
    p = Path(path)
    if p.is_dir():
        p = find_source_file(p, "ministry-unions")
    reader = _Reader(read_csv(p, min_columns=5, pad_short_rows=True))
    reader.read()
    return MinistryRegister(p, reader.unions, reader.issues)
