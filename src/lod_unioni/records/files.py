"""Record files: one read and validated, or a folder of them (file names and keys checked)."""

from __future__ import annotations

from pathlib import Path

from ..errors import RecordError
from .loader import parse_yaml
from .model import Record
from .schema import validate_record

__all__ = ["load_record", "load_records"]


def load_record(path: str | Path, *, check_name: bool = True) -> Record:
    """Read and validate one record file.

    With ``check_name`` (the default) the file must be named after the record's key:
    ``{ipa_code in lower case}.yaml``, or ``{iri_key}.yaml`` for a union IPA does not know.
    """
    p = Path(path)
    file = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RecordError("record file not found", file=file) from None
    except OSError as exc:
        raise RecordError(f"cannot read the record: {exc.strerror or exc}", file=file) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecordError("not valid UTF-8 text", file=file, record=p.stem, line=line) from None
    data = parse_yaml(text, file, p.stem)
    data = validate_record(data, file=file)
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


def load_records(directory: str | Path) -> list[Record]:
    """Load every ``*.yaml`` record of a folder, sorted by file name.

    Also checks what involves several records: the same key (IPA code, or iri_key for a union
    IPA does not know) in two records is an error.
    """
    d = Path(directory)
    if not d.is_dir():
        raise RecordError("records folder not found" if not d.exists() else "not a folder", file=str(d))
    paths = sorted(p for p in d.glob("*.yaml") if p.is_file())
    if not paths:
        raise RecordError("no records (*.yaml files) in this folder", file=str(d))
    records = [load_record(p, check_name=False) for p in paths]
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
