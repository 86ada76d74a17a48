"""Reader of IPA, the Indice dei domicili digitali della Pubblica Amministrazione (public bodies).

Two layouts are read with the same code, columns being found by name, case-insensitively:

* the official open-data export of the *enti* dataset (35 columns, starts with ``_id``, UTF-8 with
  a BOM): ``Codice_IPA``, ``Denominazione_ente``, ``Codice_fiscale_ente``, ``Tipologia``,
  ``Codice_Categoria``, ``Codice_natura``, ``Codice_ateco``, ``Codice_comune_ISTAT``,
  ``Codice_catastale_comune``, ``CAP``, ``Indirizzo``, ``Mail1`` / ``Tipo_Mail1`` ... ``Mail5``,
  ``Sito_istituzionale``, ``Data_aggiornamento``...;
* the reduced extract (``ipa/enti-2024-07-31.csv``): ``Codice_IPA``, ``Denominazione_ente``,
  ``Codice_comune_ISTAT``, ``Tipologia``, ``Codice_Categoria``, ``Nome_categoria``,
  ``Tipologia_categoria``, ``Codice_natura``, ``Codice_ateco``, ``url``.

IPA codes are case-insensitive in practice (``udm_069``, ``C_C078``, ``05GYSWFH``): they are
compared and indexed in lower case (:attr:`IpaBody.code`, the form our own IRIs use), and IPA's own
spelling is kept (:attr:`IpaBody.official_code`), the form the national IRIs
``https://w3id.org/italia/data/public-organization/{code}`` and ``cov:IPAcode`` use (see
``ontology/MODEL.md``). The website comes from
``Sito_istituzionale`` or ``url``, as written (an empty cell is ``None``); :attr:`IpaBody.website_url`
adds ``http://`` when the publisher left the scheme out (``www.unionelucanalagonegrese.it``).

Usage::

    index = read_ipa_index(sources_dir)         # a --sources folder, or the CSV file itself
    body = index.get("UDM_069")                 # -> IpaBody(code='udm_069', category='L18', ...)
    index.get("uta").official_code              # -> 'UTA', as IPA writes it
    unions = index.unions()                     # the L18 bodies (Unioni di Comuni)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..text import website_url
from ._csv import CsvTable, code, read_csv
from .kinds import find_source_file

__all__ = [
    "CATEGORY_COMUNI",
    "CATEGORY_UNIONI",
    "NATURA_COMUNE",
    "NATURA_UNIONE",
    "IpaBody",
    "IpaIndex",
    "normalize_ipa_code",
    "read_ipa",
    "read_ipa_index",
    "website_url",
]

CATEGORY_UNIONI = "L18"  # Unioni di Comuni e loro Consorzi e Associazioni
CATEGORY_COMUNI = "L6"  # Comuni e loro Consorzi e Associazioni
NATURA_UNIONE = "2450"  # Codice_natura (ISTAT legal status): Unione di comuni = OntoPiA legal-status/2450
NATURA_COMUNE = "2430"  # Comune = OntoPiA legal-status/2430


@dataclass(frozen=True, slots=True)
class IpaBody:
    """One public body of IPA. Optional columns absent from the file's layout are ``None``."""

    code: str  # IPA code, lower case: "udm_069" (the key of comparisons and of our IRIs)
    name: str  # Denominazione_ente: "Unione Dei Miracoli"
    category: str  # Codice_Categoria, upper case: "L18"
    category_name: str | None  # Nome_categoria (reduced extract only)
    kind: str | None  # Tipologia: "Pubbliche Amministrazioni"
    natura: str | None  # Codice_natura: "2450" (legal status), None when empty
    ateco: str | None  # Codice_ateco: "84.11.10"
    seat_istat: str | None  # Codice_comune_ISTAT of the seat, 6 digits: "069015"
    seat_cadastral: str | None  # Codice_catastale_comune: "B865" (official export only)
    tax_code: str | None  # Codice_fiscale_ente (official export only)
    acronym: str | None
    address: str | None  # Indirizzo
    postcode: str | None  # CAP
    website: str | None  # Sito_istituzionale / url, as written
    pec: str | None  # the first Mail<n> whose Tipo_Mail<n> is "Pec"
    emails: tuple[str, ...]  # every Mail<n>, in column order
    updated: date | None  # Data_aggiornamento (official export only)
    line: int  # physical line in the file
    written_code: str = ""  # Codice_IPA as IPA writes it ("UTA", "c_B705"); "": as `code`
    liquidation: str | None = None  # Ente_in_liquidazione (official export only), as written

    @property
    def official_code(self) -> str:
        """The IPA code as IPA spells it (``UTA``, ``C_B605``, ``c_B705``): IRIs are case-sensitive,
        so the national IRI of the body and the published ``cov:IPAcode`` use this spelling."""
        return self.written_code or self.code

    @property
    def in_liquidation(self) -> bool:
        """IPA says the body is being wound up: ``Ente_in_liquidazione`` (official export) is set, or
        the name says "in liquidazione" (the reduced extract has no such column)."""
        flag = (self.liquidation or "").strip().upper() in {"S", "SI", "SÌ", "Y", "YES", "TRUE", "1"}
        return flag or "in liquidazione" in " ".join(self.name.casefold().split())

    @property
    def is_union(self) -> bool:
        """An Unione di Comuni (category L18)."""
        return self.category == CATEGORY_UNIONI

    @property
    def is_comune(self) -> bool:
        """A Comune (category L6)."""
        return self.category == CATEGORY_COMUNI

    @property
    def website_url(self) -> str | None:
        """The website as an absolute http(s) URL (``www.x.it`` -> ``http://www.x.it``), or None."""
        return website_url(self.website)


def normalize_ipa_code(text: str) -> str:
    """``" C_C078 "`` -> ``"c_c078"``: IPA codes are compared and published in lower case."""
    return text.strip().lower()


_CATEGORY = re.compile(r"[A-Z]{1,4}\d{0,3}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _opt(cells: list[str], index: int | None) -> str | None:
    if index is None:
        return None
    v = " ".join(cells[index].split())
    return v or None


def _iso_date(t: CsvTable, value: str, line: int, column: int) -> date | None:
    v = value.strip()
    if not v:
        return None
    m = _ISO_DATE.match(v)
    if not m:
        raise t.error(f"{value!r} is not a date like 2023-02-23", line, column)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise t.error(f"{value!r} is not a valid date: {exc}", line, column) from None


def _resolve(path: str | Path) -> Path:
    """A file, or the IPA file of a --sources folder."""
    p = Path(path)
    return find_source_file(p, "ipa-enti") if p.is_dir() else p


def read_ipa(path: str | Path) -> list[IpaBody]:
    """Read an IPA CSV (official 35-column export or reduced extract); rows in file order.

    ``path`` is the CSV file, or a ``--sources`` folder laid out like ``../shared/data`` (then
    ``ipa/enti-*.csv`` or ``ipa/enti.csv`` is read). Errors (:class:`~lod_unioni.errors.SourceError`
    naming file, line and column): a missing required column (``Codice_IPA``, ``Denominazione_ente``,
    ``Codice_Categoria``), an empty code, name or category, a code given twice (ignoring case), a
    seat ISTAT code that is not a number of at most 6 digits, a malformed ``Data_aggiornamento``.
    """
    t = read_csv(_resolve(path), min_columns=3)
    c_code = t.column("Codice_IPA", "codice ipa", "cod_amm")
    c_name = t.column("Denominazione_ente", "denominazione ente", "des_amm", "denominazione")
    c_cat = t.column("Codice_Categoria", "codice categoria", "categoria")
    c_catname = t.column("Nome_categoria", "nome categoria", required=False)
    c_kind = t.column("Tipologia", "tipologia_istat", required=False)
    c_natura = t.column("Codice_natura", "codice natura", required=False)
    c_ateco = t.column("Codice_ateco", "codice ateco", required=False)
    c_seat = t.column("Codice_comune_ISTAT", "codice comune istat", "codice istat comune", required=False)
    c_cadastral = t.column("Codice_catastale_comune", "codice catastale comune", required=False)
    c_tax = t.column("Codice_fiscale_ente", "codice fiscale ente", "cf", required=False)
    c_acronym = t.column("Acronimo", required=False)
    c_address = t.column("Indirizzo", required=False)
    c_cap = t.column("CAP", required=False)
    c_site = t.column("Sito_istituzionale", "sito istituzionale", "url", "sito web", required=False)
    c_updated = t.column("Data_aggiornamento", "data aggiornamento", required=False)
    c_liquidation = t.column("Ente_in_liquidazione", "ente in liquidazione", required=False)
    mails: list[tuple[int, int | None]] = []
    for n in range(1, 10):
        c_mail = t.column(f"Mail{n}", required=False)
        if c_mail is None:
            break
        mails.append((c_mail, t.column(f"Tipo_Mail{n}", required=False)))

    out: list[IpaBody] = []
    seen: dict[str, int] = {}
    for line, cells in t.rows:
        written = cells[c_code].strip()
        ipa = normalize_ipa_code(written)
        if not ipa:
            raise t.error("empty IPA code", line, c_code)
        if any(c.isspace() for c in ipa):
            raise t.error(f"{cells[c_code]!r} is not an IPA code (it contains spaces)", line, c_code)
        if ipa in seen:
            raise t.error(
                f"IPA code {ipa} already on line {seen[ipa]} (codes are compared ignoring case)", line, c_code
            )
        seen[ipa] = line
        name = " ".join(cells[c_name].split())
        if not name:
            raise t.error("empty name", line, c_name)
        category = cells[c_cat].strip().upper()
        if not _CATEGORY.fullmatch(category):
            raise t.error(f"{cells[c_cat]!r} is not an IPA category code (like L18 or C14)", line, c_cat)
        seat = cells[c_seat].strip() if c_seat is not None else ""
        cadastral = _opt(cells, c_cadastral)
        emails: list[str] = []
        pec = None
        for c_mail, c_type in mails:
            mail = cells[c_mail].strip()
            if not mail:
                continue
            emails.append(mail)
            if pec is None and c_type is not None and cells[c_type].strip().casefold() == "pec":
                pec = mail
        out.append(
            IpaBody(
                code=ipa,
                name=name,
                category=category,
                category_name=_opt(cells, c_catname),
                kind=_opt(cells, c_kind),
                natura=_opt(cells, c_natura),
                ateco=_opt(cells, c_ateco),
                seat_istat=code(t, seat, 6, line, c_seat) if seat else None,
                seat_cadastral=cadastral.upper() if cadastral else None,
                tax_code=_opt(cells, c_tax),
                acronym=_opt(cells, c_acronym),
                address=_opt(cells, c_address),
                postcode=_opt(cells, c_cap),
                website=_opt(cells, c_site),
                pec=pec,
                emails=tuple(emails),
                updated=_iso_date(t, cells[c_updated], line, c_updated) if c_updated is not None else None,
                line=line,
                written_code=written,
                liquidation=_opt(cells, c_liquidation),
            )
        )
    return out


class IpaIndex:
    """IPA bodies indexed by code (case-insensitive look-ups), with the L18 / L6 helpers."""

    def __init__(self, bodies: list[IpaBody], path: str | Path | None = None):
        self.path = Path(path) if path is not None else None
        self._by_code: dict[str, IpaBody] = {b.code: b for b in bodies}
        self._bodies = bodies
        self._by_seat: dict[str, list[IpaBody]] | None = None

    def __len__(self) -> int:
        return len(self._bodies)

    def __iter__(self) -> Iterator[IpaBody]:
        return iter(self._bodies)

    def __contains__(self, ipa_code: object) -> bool:
        return isinstance(ipa_code, str) and normalize_ipa_code(ipa_code) in self._by_code

    def __getitem__(self, ipa_code: str) -> IpaBody:
        return self._by_code[normalize_ipa_code(ipa_code)]

    def get(self, ipa_code: str | None) -> IpaBody | None:
        """The body with this IPA code, in any case; None when unknown."""
        if not ipa_code:
            return None
        return self._by_code.get(normalize_ipa_code(ipa_code))

    def by_category(self, category: str) -> list[IpaBody]:
        """Bodies of an IPA category (``"L18"``), in file order."""
        cat = category.strip().upper()
        return [b for b in self._bodies if b.category == cat]

    def unions(self) -> list[IpaBody]:
        """Unioni di Comuni (category L18), in file order."""
        return self.by_category(CATEGORY_UNIONI)

    def comuni(self) -> list[IpaBody]:
        """Comuni (category L6), in file order."""
        return self.by_category(CATEGORY_COMUNI)

    def with_seat(self, istat_code: str) -> list[IpaBody]:
        """Bodies whose seat is the comune with this ISTAT code (6 digits), in file order."""
        if self._by_seat is None:
            by_seat: dict[str, list[IpaBody]] = {}
            for b in self._bodies:
                if b.seat_istat:
                    by_seat.setdefault(b.seat_istat, []).append(b)
            self._by_seat = by_seat
        return list(self._by_seat.get(istat_code.strip().zfill(6), ()))

    def comune(self, istat_code: str) -> IpaBody | None:
        """The comune (L6) seated in the comune with this ISTAT code: its own IPA organization.

        When several L6 bodies share the seat (consortia of comuni are L6 too), the one whose code is
        ``c_`` + a cadastral code is preferred, then the first in file order.
        """
        candidates = [b for b in self.with_seat(istat_code) if b.is_comune]
        for b in candidates:
            if re.fullmatch(r"c_[a-z]\d{3}", b.code):
                return b
        return candidates[0] if candidates else None


def read_ipa_index(path: str | Path) -> IpaIndex:
    """Read an IPA file (or the one in a ``--sources`` folder) into an :class:`IpaIndex`."""
    p = _resolve(path)
    return IpaIndex(read_ipa(p), p)
