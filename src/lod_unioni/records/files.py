"""Record files: one read and validated, or a folder of them (file names and keys checked).

A records folder holds record files only, and nothing in it is skipped without a word:

* ``NAME.yaml`` is a union record; it must be a readable regular file (or a symbolic link to one)
  of at most :data:`MAX_RECORD_BYTES`: a folder, a FIFO, a socket, a device, a dangling symbolic
  link or an unreadable file named so is an error;
* a record spelt otherwise (``NAME.yml``, ``NAME.YAML``, ...) is an error (rename it);
* a subfolder is an error (records are not read from subfolders), and so is any other entry that
  is not a regular file (a FIFO, a dangling symbolic link, ...);
* any other file (``README.md``, a backup ``NAME.yaml~``) and every hidden entry (``.gitkeep``,
  an editor's ``.#NAME.yaml``) is not read, with a warning naming it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .. import progress
from ..errors import RecordError
from .loader import parse_yaml
from .model import Record
from .schema import validate_record

__all__ = ["MAX_RECORD_BYTES", "load_record", "load_records", "record_from_text", "record_paths"]

#: The largest record file read (bytes): real records are a few KB; the limit bounds the work a
#: hostile file can cause.
MAX_RECORD_BYTES = 4 * 1024 * 1024

_RECORD_SUFFIX = ".yaml"
_RECORD_LIKE = frozenset({".yaml", ".yml"})  # compared in lower case


def _not_a_file(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (``"a folder"``, ``"a dangling symbolic
    link"``, ...; ``"missing"`` when there is nothing there); None for a regular file or a
    symbolic link to one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a dangling symbolic link" if os.path.lexists(path) else "missing"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def _read(path: Path, max_bytes: int) -> bytes:
    """The bytes of a record file: a regular file of at most ``max_bytes``, else a RecordError."""
    file = str(path)
    what = _not_a_file(path)
    if what == "missing":
        raise RecordError("record file not found", file=file)
    if what is not None:
        raise RecordError(f"not a record file: {what}", file=file)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise RecordError("record file not found", file=file) from None
    except OSError as exc:
        raise RecordError(f"cannot read the record: {exc.strerror or exc}", file=file) from None
    if len(raw) > max_bytes:
        raise RecordError(f"record file too large (more than {max_bytes} bytes)", file=file)
    return raw


def load_record(path: str | Path, *, check_name: bool = True, max_bytes: int = MAX_RECORD_BYTES) -> Record:
    """Read and validate one record file (at most ``max_bytes``).

    With ``check_name`` (the default) the file must be named after the record's key:
    ``{ipa_code in lower case}.yaml``, or ``{iri_key}.yaml`` for a union IPA does not know.
    """
    p = Path(path)
    raw = _read(p, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecordError("not valid UTF-8 text", file=str(p), record=p.stem, line=line) from None
    return record_from_text(text, p, check_name=check_name)


def record_from_text(text: str, path: str | Path, *, check_name: bool = True, allow_missing: bool = False) -> Record:
    """The record that a file ``path`` with this text is, checked as :func:`load_record` checks
    a file (YAML, schema and, with ``check_name``, the file's name; not its size), without reading
    or writing anything: e.g. a record about to be written. ``allow_missing``: see
    :func:`~lod_unioni.records.validate_record`."""
    p = Path(path)
    file = str(p)
    data = parse_yaml(text, file, p.stem)
    data = validate_record(data, file=file, allow_missing=allow_missing)
    record = Record(path=p, data=data)
    if check_name:
        _check_file_name(record)
    return record


def _check_file_name(record: Record) -> None:
    expected = f"{record.key}.yaml"
    if record.path.name != expected:
        what = "IPA code in lower case" if record.ipa_code else "iri_key (it has no IPA code)"
        raise RecordError(
            f"the file must be named after the union's {what}: {expected}",
            file=str(record.path),
            record=record.key,
            field=record.key_field,
        )


def _key_name(record: Record) -> str:
    return f"IPA code {record.key}" if record.ipa_code else f"iri_key {record.key}"


def _entry_problem(path: Path) -> tuple[str, str] | None:
    """("error" or "warning", message) for an entry of a records folder that is not a record
    file to read (see the module); None for a record file."""
    name = path.name
    if name.startswith("."):
        return "warning", "a hidden entry: not read (records are *.yaml files)"
    what = _not_a_file(path)
    suffix = path.suffix.lower()
    if name.endswith(_RECORD_SUFFIX):
        return None if what is None else ("error", f"not a record file: {what}")
    if what == "a folder":
        return "error", "a folder: records are not read from subfolders (move its records up, or the folder out)"
    if what is not None:
        return "error", f"not a record file: {what} (a records folder holds record files only)"
    if suffix in _RECORD_LIKE:
        return "error", f"not read: a record file is named *.yaml, in lower case (rename it to {path.stem}.yaml)"
    return "warning", "not a record (records are *.yaml files): not read"


def record_paths(directory: str | Path) -> list[Path]:
    """The record files of a folder, sorted by name. Every other entry gets a warning (other
    files, hidden entries) or is an error (see the module): nothing is skipped silently."""
    d = Path(directory)
    if not d.is_dir():
        raise RecordError("records folder not found" if not d.exists() else "not a folder", file=str(d))
    try:
        names = sorted(os.listdir(d))
    except OSError as exc:
        raise RecordError(f"cannot read the records folder: {exc.strerror or exc}", file=str(d)) from None
    paths: list[Path] = []
    for name in names:
        path = d / name
        problem = _entry_problem(path)
        if problem is None:
            paths.append(path)
        elif problem[0] == "error":
            raise RecordError(problem[1], file=str(path))
        else:
            progress.warn(f"{path}: {problem[1]}")
    if not paths:
        raise RecordError("no records (*.yaml files) in this folder", file=str(d))
    return paths


def load_records(directory: str | Path, *, max_bytes: int = MAX_RECORD_BYTES) -> list[Record]:
    """Load every record of a folder (:func:`record_paths`), sorted by file name.

    Also checks what involves several records: the same key (IPA code, or iri_key for a union
    IPA does not know) in two records is an error.
    """
    records = [load_record(p, check_name=False, max_bytes=max_bytes) for p in record_paths(directory)]
    by_key: dict[str, Record] = {}
    for record in records:
        other = by_key.get(record.key)
        if other is not None:
            raise RecordError(
                f"{_key_name(record)} is already used by {other.path.name}",
                file=str(record.path),
                record=record.key,
                field=record.key_field,
            )
        by_key[record.key] = record
    for record in records:
        _check_file_name(record)
    return records
