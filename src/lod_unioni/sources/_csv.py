"""Small shared helpers for the registry readers: encodings, CSV tables, headers, codes, file lookup.

Every reader in :mod:`lod_unioni.sources` follows the same rules:

* tolerant where publishers are inconsistent: encoding (UTF-8 with or without BOM, Windows-1252 /
  ISO-8859-1), separator (``;`` or ``,``), CRLF or LF, header cells with embedded newlines, header
  wording (columns are found by name, case-insensitively, whitespace- and accent-normalised, with
  footnote markers such as ``(1)`` ignored, trying several known wordings);
* strict where the data is wrong: a :class:`~lod_unioni.errors.SourceError` naming the file, the
  line and the column.

Usage::

    table = read_csv(path)
    code = table.column("Codice Comune formato alfanumerico")
    for line, cells in table.rows:
        value = cells[code]
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, overload

from ..errors import SourceError
from ..text import strip_accents

__all__ = [
    "CsvTable",
    "code",
    "detect_encoding",
    "file_sha256",
    "normalize_header",
    "parse_csv",
    "read_csv",
    "read_text",
]


def detect_encoding(data: bytes) -> str:
    """``utf-8-sig`` (BOM), ``utf-8``, else ``cp1252`` (a superset of ISO-8859-1 for text), else
    ``iso-8859-1`` (which decodes any byte)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "iso-8859-1"


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a whole text file, detecting its encoding. Returns ``(text, encoding)``."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise SourceError("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise SourceError("is a folder, not a file", file=str(p)) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", file=str(p)) from None
    encoding = detect_encoding(data)
    return data.decode(encoding), encoding


_FOOTNOTE = re.compile(r"\(\s*\d+\s*\)")
_HEADER_SPACE = re.compile(r"[\s_]+")


def normalize_header(text: str) -> str:
    """``"Codice Provincia (Storico)(1)"`` -> ``"codice provincia (storico)"``.

    Case-folded, accents removed, footnote markers ``(1)`` dropped, underscores and runs of
    whitespace (newlines included) made one space.
    """
    t = strip_accents(text).casefold()
    t = _FOOTNOTE.sub(" ", t)
    return _HEADER_SPACE.sub(" ", t).strip()


@dataclass
class CsvTable:
    """A parsed CSV file: its header and its data rows with their (1-based, physical) line numbers."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(repr=False)
    header_line: int = 1

    @property
    def file(self) -> str:
        return str(self.path)

    @overload
    def column(self, *candidates: str, required: Literal[True] = True) -> int: ...

    @overload
    def column(self, *candidates: str, required: bool) -> int | None: ...

    def column(self, *candidates: str, required: bool = True) -> int | None:
        """Index of the first header matching one of ``candidates`` (normalised, see
        :func:`normalize_header`); exact matches first, then a header that starts with a candidate.

        A missing required column is a :class:`SourceError` listing what was looked for.
        """
        keys = [normalize_header(h) for h in self.header]
        wanted = [normalize_header(c) for c in candidates]
        for w in wanted:
            if w in keys:
                return keys.index(w)
        for w in wanted:
            for i, k in enumerate(keys):
                if k.startswith(w + " ") or k.startswith(w + "("):
                    return i
        if required:
            raise SourceError(
                f"no column {' / '.join(repr(c) for c in candidates)} in the header "
                f"(columns: {', '.join(repr(' '.join(h.split())) for h in self.header)})",
                file=self.file,
                line=self.header_line,
            )
        return None

    def label(self, index: int) -> str:
        """The header of column ``index`` as written, on one line (for error messages)."""
        return " ".join(self.header[index].split())

    def error(self, message: str, line: int | None = None, column: int | str | None = None) -> SourceError:
        """A :class:`SourceError` at ``line`` / ``column`` (an index or a name) of this file."""
        if isinstance(column, int):
            column = self.label(column)
        return SourceError(message, file=self.file, line=line, column=column)


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(
    path: str | Path, *, delimiter: str | None = None, pad_short_rows: bool = False, min_columns: int = 1
) -> CsvTable:
    """Read a CSV file of a publisher: detect the encoding and (unless given) the separator.

    Blank lines are skipped. A row with more cells than the header is an error; a row with fewer
    cells is an error too unless ``pad_short_rows`` (then it is padded with empty cells).
    """
    p = Path(path)
    text, encoding = read_text(p)
    if not text.strip():
        raise SourceError("the file is empty", file=str(p))
    return parse_csv(text, p, encoding, delimiter=delimiter, pad_short_rows=pad_short_rows, min_columns=min_columns)


def parse_csv(
    text: str,
    path: str | Path,
    encoding: str,
    *,
    delimiter: str | None = None,
    pad_short_rows: bool = False,
    min_columns: int = 1,
) -> CsvTable:
    """:func:`read_csv` of text already read (e.g. repaired) from ``path``, whose name and
    ``encoding`` the table keeps for its errors. Errors: ``malformed CSV: ...`` (the csv module's),
    a header of fewer than ``min_columns`` columns, no header, a row of another length."""
    p = Path(path)
    first_line = text.split("\n", 1)[0]
    delim = delimiter or _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                header_line = start
                if len(header) < min_columns:
                    raise SourceError(
                        f"the header has {len(header)} column(s); expected at least "
                        f"{min_columns} separated by {delim!r}",
                        file=str(p),
                        line=start,
                    )
                continue
            if len(cells) != len(header):
                if len(cells) < len(header) and pad_short_rows:
                    cells = cells + [""] * (len(header) - len(cells))
                else:
                    raise SourceError(f"{len(cells)} cells where the header has {len(header)}", file=str(p), line=start)
            rows.append((start, cells))
    except csv.Error as exc:
        raise SourceError(f"malformed CSV: {exc}", file=str(p), line=reader.line_num) from None
    if header is None:
        raise SourceError("the file has no header", file=str(p))
    return CsvTable(p, encoding, delim, header, rows, header_line)


_DIGITS = re.compile(r"\d+")


def code(
    table: CsvTable, value: str, width: int, line: int, column: int | None, *, allow_float_suffix: bool = False
) -> str:
    """A numeric code padded with leading zeros to ``width`` digits (``"69"`` -> ``"069"``).

    ``allow_float_suffix`` accepts ``"69.0"`` (codes exported as floats). Anything else that is not
    digits, or longer than ``width``, is an error at ``line`` / ``column``.
    """
    v = value.strip()
    if allow_float_suffix and v.endswith(".0"):
        v = v[:-2]
    if not _DIGITS.fullmatch(v) or len(v) > width:
        raise table.error(f"{value!r} is not a code of at most {width} digits", line, column)
    return v.zfill(width)


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
