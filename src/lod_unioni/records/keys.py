"""The keys that name a record's texts in the dumps: a section (``italiae.sections[].key``), an
intervention line (``italiae.line_key``, ``italiae.synergy_key``), a datum source
(``population.source_key``, ``members[].population.source_key``).

A text a steward may reword never names an IRI: its key does. A key is written once, by
``import-card`` (the slug of the card's wording), and a reworded text keeps it. So that one IRI
never has two wordings, a key names one text: a section key once within a record, a line or a
datum source key with one wording in every record that uses it (:func:`check_shared_keys`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..errors import RecordError
from .model import Record

__all__ = ["KeyedText", "check_record_keys", "check_shared_keys", "keyed_texts"]


@dataclass(frozen=True)
class KeyedText:
    """A text of a record and the key that names it: what it is (``kind``), the key, the text, and
    the record field of the key."""

    kind: str  # "datum source" | "intervention line"
    key: str
    text: str
    field: str


def keyed_texts(data: dict) -> Iterator[KeyedText]:
    """The line and datum source texts of a record with their keys (sections: see
    :func:`check_record_keys`); a text without its key (a record not yet checked) is skipped."""
    figures = [("population", data.get("population"))]
    figures += [(f"members[{i}].population", m.get("population")) for i, m in enumerate(data.get("members") or [])]
    for where, figure in figures:
        if isinstance(figure, dict) and figure.get("source_key") and figure.get("source"):
            yield KeyedText("datum source", figure["source_key"], figure["source"], f"{where}.source_key")
    italiae = data.get("italiae")
    if isinstance(italiae, dict):
        for name in ("line", "synergy"):
            if italiae.get(f"{name}_key") and italiae.get(name):
                yield KeyedText("intervention line", italiae[f"{name}_key"], italiae[name], f"italiae.{name}_key")


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def check_record_keys(data: dict, file: str, record: str) -> None:
    """Within one record: each section key once; a line or datum source key with one wording."""
    sections: dict[str, int] = {}
    for i, section in enumerate((data.get("italiae") or {}).get("sections") or []):
        key = section.get("key")
        if key is None:
            continue
        if key in sections:
            raise RecordError(
                f"section key {key!r} is also the key of italiae.sections[{sections[key]}]: each section has its own",
                file=file,
                record=record,
                field=f"italiae.sections[{i}].key",
            )
        sections[key] = i
    seen: dict[tuple[str, str], KeyedText] = {}
    for kt in keyed_texts(data):
        first = seen.setdefault((kt.kind, kt.key), kt)
        if not _same(first.text, kt.text):
            raise RecordError(_two_wordings(kt, first, ""), file=file, record=record, field=kt.field)


def _two_wordings(kt: KeyedText, first: KeyedText, where: str) -> str:
    return (
        f"{kt.kind} key {kt.key!r} names {kt.text!r} here and {first.text!r} in {where}{first.field}: one key, "
        "one wording (a reworded text keeps its key everywhere; another source or line needs another key)"
    )


def check_shared_keys(records: Sequence[Record]) -> None:
    """Across records: a line or datum source key names the same text in every record (a
    :class:`~lod_unioni.errors.RecordError` naming the second record and field)."""
    seen: dict[tuple[str, str], tuple[Record, KeyedText]] = {}
    for rec in records:
        for kt in keyed_texts(rec.data):
            other, first = seen.setdefault((kt.kind, kt.key), (rec, kt))
            if not _same(first.text, kt.text):
                where = "" if other is rec else f"{other.path.name} "
                raise RecordError(_two_wordings(kt, first, where), file=str(rec.path), record=rec.label, field=kt.field)
