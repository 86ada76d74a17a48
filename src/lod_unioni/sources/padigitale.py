"""Readers of the "PA digitale 2026" open data (Dipartimento per la trasformazione digitale): the
PNRR-funded applications (*candidature finanziate*) of public bodies and the calls (*avvisi*).

Files (``padigitale2026/`` in a ``--sources`` folder; fields documented in its ``FORMAT.md``):

* ``candidature_finanziate_<measure>.csv`` (11, 12, 131, 141, 143, 144, 145) and
  ``candidature_altrienti_finanziate.csv`` (other bodies, unions among them; no ``misura`` column);
* ``avvisi.csv``, the calls, with their measure and amounts.

Tolerant: ``tipologia_ente`` ``Comune`` (the publisher's documentation, and its 2022-2023 files)
read as ``Comuni`` (its files since), the case of ``codice_ipa`` (``C_C078``, ``c_M348``: normalised
to lower case), ``N/D`` or empty ``cod_comune`` (``None``), ``None`` or empty dates, an empty
``comune`` (the publisher's export turned the comune of None, TO, into an empty cell), an empty CUP,
amounts written as floats (``14000.0``) or in the Italian way (``14.000,00``), a missing ``misura``
column (then taken from the call, see :func:`measure_code`). Strict
(:class:`~lod_unioni.errors.SourceError` with file, line, column): a missing column, an empty IPA
code, a malformed amount, date, code or CUP, an unknown ``stato_candidatura``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal, overload

from ..errors import SourceError
from ..italian import ItalianFormatError, parse_decimal
from ._csv import CsvTable, code, parse_csv, read_csv, read_text
from .ipa import normalize_ipa_code
from .kinds import find_source_files

__all__ = [
    "STATUS_LABELS",
    "Avviso",
    "Candidatura",
    "PaDigitale",
    "measure_code",
    "read_avvisi",
    "read_candidature",
    "read_padigitale",
]

# stato_candidatura -> meaning (FORMAT.md)
STATUS_LABELS = {
    "A": "assegnata (funded by decree)",
    "R": "rinuncia (withdrawn by the body)",
    "E": "erogata (paid out after the project was certified)",
}
_MISSING = {"", "n/d", "nd", "n.d.", "none", "null", "nan", "-"}
# tipologia_ente as the publisher spells it now, by its other spellings (casefolded)
_BODY_TYPES = {"comune": "Comuni", "comuni": "Comuni", "scuola": "Scuole", "scuole": "Scuole"}
_CUP = re.compile(r"[A-Z0-9]{15}")
_MEASURE = re.compile(r"\s*(\d+(?:\.\d+)+)")
_QUOTA = re.compile(r"\(\s*quota\s+(\d+(?:\.\d+)+)\s*\)", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?\s*(Z|[+-]\d{2}:?\d{2})?")


@dataclass(frozen=True, slots=True)
class Candidatura:
    """A funded application of a public body to a PA digitale 2026 call."""

    ipa_code: str  # codice_ipa, lower case: "c_c078"
    ente: str  # name of the body
    body_type: str | None  # tipologia_ente: "Comuni", "Scuole", "Altri Enti", "ASL"
    comune: str | None  # comune of the body, as in IPA
    istat_code: str | None  # cod_comune, 6 digits; None for "N/D"
    province: str | None  # provincia (acronym)
    province_code: str | None  # cod_provincia, 3 digits
    region: str | None
    region_code: str | None  # cod_regione, 2 digits
    amount: Decimal  # importo_finanziamento, euro, 2 decimals
    avviso: str  # the call
    submitted: datetime | None  # data_invio_candidatura (UTC)
    funded: date | None  # data_finanziamento
    cup: str | None  # codice_cup (CUP project code), upper case
    window: int | None  # numero_finestra_temporale
    protocol: int | None  # numero_di_protocollo
    decree: str | None  # decreto_finanziamento
    status: str  # stato_candidatura: A, R or E (see STATUS_LABELS)
    status_date: date | None  # data_stato_candidatura
    measure: str | None  # misura: "1.4.1 Esperienza del cittadino nei servizi pubblici"
    measure_code: str | None  # "1.4.1"
    file: str  # file name: "candidature_finanziate_141.csv"
    line: int


@dataclass(frozen=True, slots=True)
class Avviso:
    """A call (avviso) of PA digitale 2026."""

    title: str  # titolo
    measure: str  # misura
    measure_code: str | None
    start: date | None  # data_inizio_bando
    end: date | None  # data_fine_bando
    state: str | None  # stato: "TERMINATO"...
    amount_allocated: Decimal | None  # totale_importo_stanziato
    amount_measure: Decimal | None  # totale_importo_misura
    recipients: tuple[str, ...]  # soggetti_destinatari, split on ';'
    line: int


def measure_code(measure: str | None, avviso: str | None = None) -> str | None:
    """The PNRR measure number: ``"1.4.1 Esperienza..."`` -> ``"1.4.1"``; from the call when the
    measure is not given, where ``(quota 1.2)`` wins over the leading number (joint 1.1 + 1.2 calls)."""
    for text in (measure, avviso):
        if not text:
            continue
        if text is avviso:
            q = _QUOTA.search(text)
            if q:
                return q.group(1)
        m = _MEASURE.match(text)
        if m:
            return m.group(1)
    return None


def _body_type(value: str | None) -> str | None:
    return _BODY_TYPES.get(value.casefold(), value) if value is not None else None


def _missing(value: str) -> bool:
    return len(value) <= 8 and value.strip().casefold() in _MISSING


def _opt(cells: list[str], column: int | None) -> str | None:
    if column is None:
        return None
    v = " ".join(cells[column].split())
    return None if _missing(v) else v


@overload
def _amount(t: CsvTable, value: str, line: int, column: int, *, required: Literal[True] = True) -> Decimal: ...


@overload
def _amount(t: CsvTable, value: str, line: int, column: int, *, required: bool) -> Decimal | None: ...


def _amount(t: CsvTable, value: str, line: int, column: int, *, required: bool = True) -> Decimal | None:
    v = value.strip()
    if not v or _missing(v):
        if required:
            raise t.error("empty amount", line, column)
        return None
    try:
        if "," in v:
            d = parse_decimal(v)  # Italian: 14.000,00
        else:
            d = Decimal(v.replace(" ", ""))  # float as exported: 14000.0
            if not d.is_finite():
                raise InvalidOperation
    except (ItalianFormatError, InvalidOperation):
        raise t.error(f"{value!r} is not an amount in euro", line, column) from None
    if d < 0:
        raise t.error(f"{value!r} is a negative amount", line, column)
    return d.quantize(Decimal("0.01"))


def _date(t: CsvTable, value: str, line: int, column: int | None) -> date | None:
    if column is None or _missing(value):
        return None
    return _parse_date(t, value, line, column)


def _parse_date(t: CsvTable, value: str, line: int, column: int) -> date:
    v = value.strip()
    if len(v) == 10 and v[4] == "-" and v[7] == "-" and v[:4].isdigit() and v[5:7].isdigit() and v[8:].isdigit():
        try:
            return date(int(v[:4]), int(v[5:7]), int(v[8:]))
        except ValueError as exc:
            raise t.error(f"{value!r} is not a valid date: {exc}", line, column) from None
    m = _DATE.match(v)
    if not m:
        raise t.error(f"{value!r} is not a date like 2022-08-19", line, column)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise t.error(f"{value!r} is not a valid date: {exc}", line, column) from None


def _datetime(t: CsvTable, value: str, line: int, column: int | None) -> datetime | None:
    if column is None or _missing(value):
        return None
    v = value.strip()
    m = _DATETIME.fullmatch(v)
    if not m:
        if _DATE.fullmatch(v):
            d = _parse_date(t, v, line, column)
            return datetime(d.year, d.month, d.day, tzinfo=UTC)
        raise t.error(f"{value!r} is not a date and time like 2022-04-27T11:03:08.000+0000", line, column)
    try:
        micro = int((m[7] or "0").ljust(6, "0"))
        dt = datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]), micro)
    except ValueError as exc:
        raise t.error(f"{value!r} is not a valid date and time: {exc}", line, column) from None
    offset = m[8]
    if offset and offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        tz = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        return dt.replace(tzinfo=tz).astimezone(UTC)
    return dt.replace(tzinfo=UTC)


def _int(t: CsvTable, value: str, line: int, column: int | None) -> int | None:
    if column is None or _missing(value):
        return None
    v = value.strip()
    if v.endswith(".0"):
        v = v[:-2]
    if not v.isdigit():
        raise t.error(f"{value!r} is not a whole number", line, column)
    return int(v)


def _code(t: CsvTable, value: str, width: int, line: int, column: int | None) -> str | None:
    if column is None or _missing(value):
        return None
    if len(value) == width and value.isdigit():
        return value
    return code(t, value, width, line, column, allow_float_suffix=True)


def _cup(t: CsvTable, cells: list[str], column: int | None, line: int) -> str | None:
    """The CUP code of a row, spaces removed, in upper case; None when there is none."""
    cup = _opt(cells, column)
    if cup is None or column is None:
        return None
    cup = cup.replace(" ", "").upper()
    if not _CUP.fullmatch(cup):
        raise t.error(f"{cells[column]!r} is not a CUP code (15 letters and digits)", line, column)
    return cup


def _repair_quotes(text: str, delimiter: str) -> str:
    """Escape the stray quotes inside quoted fields (``"ISTITUTO ... "GAETANO BRAGA"",``, as the
    publisher writes some names): inside a quoted field, a ``"`` followed by the delimiter or a line
    break closes the field, ``""`` is an escaped quote unless the delimiter follows (then it is a stray
    quote and the closing one), any other ``"`` is a stray quote and is doubled. Line breaks are kept,
    so line numbers stay. Used only when the strict parse fails."""
    out: list[str] = []
    i, n = 0, len(text)
    ends = (delimiter, "\r", "\n", "")
    while i < n:
        if text[i] == '"':  # a quoted field
            out.append('"')
            i += 1
            while True:
                j = text.find('"', i)
                if j < 0:  # unterminated: left for the CSV parser to report
                    out.append(text[i:])
                    i = n
                    break
                out.append(text[i:j])
                following = text[j + 1] if j + 1 < n else ""
                if following == '"':
                    out.append('""')
                    i = j + 2
                    if (text[i] if i < n else "") in ends:  # '..."GAETANO BRAGA""' + delimiter:
                        out.append('"')  # a stray quote, then the closing one
                        break
                elif following in ends:
                    out.append('"')
                    i = j + 1
                    break
                else:
                    out.append('""')  # stray quote
                    i = j + 1
        # the rest of the field (unquoted), up to and including the next delimiter or line break
        k = len(text)
        for stop in (delimiter, "\n"):
            pos = text.find(stop, i)
            if 0 <= pos < k:
                k = pos
        out.append(text[i : k + 1])
        i = k + 1
    return "".join(out)


def _read_table(path: Path, min_columns: int) -> CsvTable:
    """:func:`read_csv`, falling back to :func:`_repair_quotes` when the publisher left unescaped
    quotes inside a quoted field (``_csv.read_csv`` is strict about them)."""
    try:
        return read_csv(path, min_columns=min_columns)
    except SourceError as exc:
        if not exc.message.startswith("malformed CSV"):
            raise
        first_error = exc
    text, encoding = read_text(path)
    first_line = text.split("\n", 1)[0]
    delimiter = "," if first_line.count(",") >= first_line.count(";") else ";"
    try:
        return parse_csv(_repair_quotes(text, delimiter), path, encoding, delimiter=delimiter, min_columns=min_columns)
    except SourceError as exc:
        if exc.message.startswith(("malformed CSV", "the header has", "the file has no header")):
            raise first_error from None  # not the stray quotes: the strict parse's error says more
        raise


def read_candidature(path: str | Path) -> list[Candidatura]:
    """Read one ``candidature_*.csv`` file; rows in file order."""
    p = Path(path)
    t = _read_table(p, min_columns=5)
    c_ipa = t.column("codice_ipa", "codice ipa")
    c_ente = t.column("ente", "denominazione ente", "denominazione")
    c_type = t.column("tipologia_ente", required=False)
    c_comune = t.column("comune", required=False)
    c_istat = t.column("cod_comune", "codice comune", "codice_istat", required=False)
    c_prov = t.column("provincia", required=False)
    c_prov_code = t.column("cod_provincia", "codice provincia", required=False)
    c_region = t.column("regione", required=False)
    c_region_code = t.column("cod_regione", "codice regione", required=False)
    c_amount = t.column("importo_finanziamento", "importo")
    c_avviso = t.column("avviso")
    c_sent = t.column("data_invio_candidatura", required=False)
    c_funded = t.column("data_finanziamento", required=False)
    c_cup = t.column("codice_cup", "cup", required=False)
    c_window = t.column("numero_finestra_temporale", required=False)
    c_protocol = t.column("numero_di_protocollo", required=False)
    c_decree = t.column("decreto_finanziamento", required=False)
    c_status = t.column("stato_candidatura")
    c_status_date = t.column("data_stato_candidatura", required=False)
    c_measure = t.column("misura", required=False)

    out: list[Candidatura] = []
    for line, cells in t.rows:
        ipa = normalize_ipa_code(cells[c_ipa])
        if not ipa or _missing(ipa):
            raise t.error("empty IPA code", line, c_ipa)
        ente = " ".join(cells[c_ente].split())
        if not ente:
            raise t.error("empty name of the body", line, c_ente)
        avviso = " ".join(cells[c_avviso].split())
        if not avviso:
            raise t.error("empty call (avviso)", line, c_avviso)
        status = cells[c_status].strip().upper()
        if status not in STATUS_LABELS:
            raise t.error(
                f"{cells[c_status]!r} is not a state of an application (A assegnata, R rinuncia, E erogata)",
                line,
                c_status,
            )
        cup = _cup(t, cells, c_cup, line)
        measure = _opt(cells, c_measure)
        out.append(
            Candidatura(
                ipa_code=ipa,
                ente=ente,
                body_type=_body_type(_opt(cells, c_type)),
                comune=_opt(cells, c_comune),
                istat_code=_code(t, cells[c_istat], 6, line, c_istat) if c_istat is not None else None,
                province=(_opt(cells, c_prov) or "").upper() or None,
                province_code=_code(t, cells[c_prov_code], 3, line, c_prov_code) if c_prov_code is not None else None,
                region=_opt(cells, c_region),
                region_code=_code(t, cells[c_region_code], 2, line, c_region_code)
                if c_region_code is not None
                else None,
                amount=_amount(t, cells[c_amount], line, c_amount),
                avviso=avviso,
                submitted=_datetime(t, cells[c_sent], line, c_sent) if c_sent is not None else None,
                funded=_date(t, cells[c_funded], line, c_funded) if c_funded is not None else None,
                cup=cup,
                window=_int(t, cells[c_window], line, c_window) if c_window is not None else None,
                protocol=_int(t, cells[c_protocol], line, c_protocol) if c_protocol is not None else None,
                decree=_opt(cells, c_decree),
                status=status,
                status_date=_date(t, cells[c_status_date], line, c_status_date) if c_status_date is not None else None,
                measure=measure,
                measure_code=measure_code(measure, avviso),
                file=p.name,
                line=line,
            )
        )
    return out


def read_avvisi(path: str | Path) -> list[Avviso]:
    """Read ``avvisi.csv`` (the calls); rows in file order."""
    t = read_csv(path, min_columns=2)
    c_title = t.column("titolo", "avviso")
    c_measure = t.column("misura")
    c_start = t.column("data_inizio_bando", required=False)
    c_end = t.column("data_fine_bando", required=False)
    c_state = t.column("stato", required=False)
    c_alloc = t.column("totale_importo_stanziato", required=False)
    c_total = t.column("totale_importo_misura", required=False)
    c_recipients = t.column("soggetti_destinatari", required=False)
    out: list[Avviso] = []
    for line, cells in t.rows:
        title = " ".join(cells[c_title].split())
        if not title:
            raise t.error("empty title", line, c_title)
        measure = " ".join(cells[c_measure].split())
        if not measure:
            raise t.error("empty measure (misura)", line, c_measure)
        recipients = _opt(cells, c_recipients)
        out.append(
            Avviso(
                title=title,
                measure=measure,
                measure_code=measure_code(measure),
                start=_date(t, cells[c_start], line, c_start) if c_start is not None else None,
                end=_date(t, cells[c_end], line, c_end) if c_end is not None else None,
                state=_opt(cells, c_state),
                amount_allocated=_amount(t, cells[c_alloc], line, c_alloc, required=False)
                if c_alloc is not None
                else None,
                amount_measure=_amount(t, cells[c_total], line, c_total, required=False)
                if c_total is not None
                else None,
                recipients=tuple(r.strip() for r in recipients.split(";") if r.strip()) if recipients else (),
                line=line,
            )
        )
    return out


@dataclass
class PaDigitale:
    """Every funded application and call of a ``--sources`` folder."""

    candidature: list[Candidatura]
    avvisi: list[Avviso]
    files: list[Path] = field(default_factory=list)
    _by_ipa: dict[str, list[Candidatura]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.candidature)

    def __iter__(self) -> Iterator[Candidatura]:
        return iter(self.candidature)

    def for_body(self, ipa_code: str) -> list[Candidatura]:
        """Applications of the body with this IPA code (any case), in file order."""
        if self._by_ipa is None:
            idx: dict[str, list[Candidatura]] = {}
            for c in self.candidature:
                idx.setdefault(c.ipa_code, []).append(c)
            self._by_ipa = idx
        return list(self._by_ipa.get(normalize_ipa_code(ipa_code), ()))


def read_padigitale(sources_dir: str | Path) -> PaDigitale:
    """Read every ``padigitale2026/candidature_*.csv`` and ``avvisi.csv`` of a ``--sources`` folder.

    Applications without a ``misura`` column get the measure of their call from ``avvisi.csv`` (by
    title), else from the measure number in the call's title. Missing files: :class:`SourceError`.
    """
    base = Path(sources_dir)
    if not base.is_dir():
        raise SourceError("sources folder not found", file=str(base))
    files = find_source_files(base, "padigitale-candidature")
    if not files:
        raise SourceError(
            "PA digitale 2026 applications not found in the sources folder (expected padigitale2026/candidature_*.csv)",
            file=str(base),
        )
    avvisi_files = find_source_files(base, "padigitale-avvisi")
    avvisi = read_avvisi(avvisi_files[-1]) if avvisi_files else []
    measure_by_title = {a.title.casefold(): a.measure for a in avvisi}
    measure_by_code: dict[str, str] = {}
    for a in avvisi:
        if a.measure_code:
            measure_by_code.setdefault(a.measure_code, a.measure)
    rows: list[Candidatura] = []
    for f in files:
        for c in read_candidature(f):
            if c.measure is None:
                m = measure_by_title.get(c.avviso.casefold())
                if m is not None and measure_code(m) == c.measure_code:
                    c = replace(c, measure=m)
                elif c.measure_code in measure_by_code:
                    c = replace(c, measure=measure_by_code[c.measure_code])
            rows.append(c)
    return PaDigitale(rows, avvisi, files + avvisi_files[-1:])
