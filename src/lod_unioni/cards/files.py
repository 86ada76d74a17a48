"""Cards in, records out: read card files (:func:`import_card`) and write one record per card
(:func:`import_cards`), all cards checked before anything is written: each record is checked as
``build`` reads it (YAML, record schema, size) before any is written; a record with unresolved
items may lack what the importer could not resolve, but what it has must be valid.

A card file is read up to :data:`MAX_CARD_BYTES` (a real card is a few KB): the work on a
hostile card is bounded, and it grows linearly with the card's size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import EXIT_FINDINGS, LodError, RecordError
from ..gazetteer import Gazetteer
from ..records import MAX_RECORD_BYTES, UnionInfo, record_from_text
from ..sources._csv import detect_encoding
from .assemble import parse_card, sources_provenance
from .yaml_writer import dump_record, write_record

__all__ = [
    "MAX_CARD_BYTES",
    "CardImport",
    "UnbuildableRecordError",
    "import_card",
    "import_cards",
    "read_card_text",
    "record_file_name",
]

#: The largest card file read (bytes).
MAX_CARD_BYTES = 1024 * 1024


class UnbuildableRecordError(LodError):
    """The record made from a card would not build (it breaks the record schema, e.g. a negative
    population): nothing is written (exit code 1, like the other findings of an import)."""

    exit_code = EXIT_FINDINGS


@dataclass
class CardImport:
    """The result of importing one card."""

    card: Path
    record: dict
    target: Path | None = None

    @property
    def union(self) -> UnionInfo:
        """The ``union`` part of the record, read-only."""
        return UnionInfo(self.record["union"])

    @property
    def ipa_code(self) -> str | None:
        return self.union.ipa_code

    @property
    def unresolved(self) -> list[dict]:
        return self.record["unresolved"]


def record_file_name(record: dict) -> str:
    """``{ipa_code}.yaml`` in lower case."""
    return f"{(UnionInfo(record['union']).ipa_code or '').lower()}.yaml"


def read_card_text(path: str | Path, *, max_bytes: int = MAX_CARD_BYTES) -> tuple[str, str]:
    """The text of a card file (UTF-8, else Windows-1252) and the SHA-256 of its bytes; a card
    larger than ``max_bytes`` is a :class:`LodError`."""
    p = Path(path)
    try:
        with open(p, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise LodError("card not found", file=str(p)) from None
    except OSError as exc:
        raise LodError(f"cannot read the card: {exc.strerror or exc}", file=str(p)) from None
    if len(data) > max_bytes:
        raise LodError(f"card too large (more than {max_bytes} bytes; a card is a few KB of text)", file=str(p))
    return data.decode(detect_encoding(data)), hashlib.sha256(data).hexdigest()


def import_card(
    path: str | Path, gazetteer: Gazetteer, *, sources: list[dict] | None = None, today: date | None = None
) -> CardImport:
    """Read and parse one card file (the record is not written: see :func:`import_cards`)."""
    p = Path(path)
    text, sha = read_card_text(p)
    record = parse_card(text, gazetteer=gazetteer, card_name=p.name, card_sha256=sha, today=today, sources=sources)
    return CardImport(p, record)


def import_cards(
    cards: list[str | Path],
    *,
    sources_dir: str | Path,
    out_dir: str | Path,
    force: bool = False,
    today: date | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[CardImport]:
    """Import every card and write ``{ipa_code}.yaml`` records into ``out_dir``.

    All cards are parsed, and every record checked as ``build`` would read it, before anything is
    written: an unreadable card, two cards with the same IPA code, or an existing record without
    ``force`` raise :class:`LodError`, a record that would not build (it breaks the record
    schema) raises :class:`UnbuildableRecordError`; either way nothing is written.
    """
    sources_path = Path(sources_dir)
    g = gazetteer or Gazetteer.from_sources(sources_path)
    provenance = sources_provenance(g, sources_path)
    results = [import_card(c, g, sources=provenance, today=today) for c in cards]
    out = Path(out_dir)
    targets = _targets(results, out, force)
    texts = [dump_record(r.record, out_dir=out) for r in results]
    for r, text in zip(results, texts, strict=True):
        _check_buildable(r, text)
    _make_folder(out)
    for target, text in zip(targets, texts, strict=True):
        write_record(target, text)
    return results


def _check_buildable(result: CardImport, text: str) -> None:
    """Raise :class:`UnbuildableRecordError` (naming the card, the record and the field) if the
    record file ``text`` would not be read by ``build``. A record with unresolved items is
    incomplete by design (a steward completes it): what it has must be valid, what it lacks may be
    missing."""
    target = result.target or Path(record_file_name(result.record))
    try:
        if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
            raise RecordError(f"the record would be larger than {MAX_RECORD_BYTES} bytes", file=str(target))
        record_from_text(text, target, allow_missing=bool(result.unresolved))
    except RecordError as exc:
        raise UnbuildableRecordError(
            f"the record made from this card would not build, nothing written: {exc.message}",
            file=str(result.card),
            record=exc.record,
            field=exc.field,
        ) from None


def _make_folder(out: Path) -> None:
    """Create the records folder ``out`` (and its parents) if needed; a LodError naming it if it
    is a file or cannot be made."""
    if out.exists() and not out.is_dir():
        raise LodError("output folder is a file", file=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LodError(f"cannot create the output folder: {exc.strerror or exc}", file=str(out)) from None


def _targets(results: list[CardImport], out: Path, force: bool) -> list[Path]:
    """The record file of each import (set as its ``target``); two cards of one IPA code, or an
    existing record without ``force``, are a :class:`LodError`."""
    by_name: dict[str, CardImport] = {}
    targets = []
    for r in results:
        name = record_file_name(r.record)
        if name in by_name:
            raise LodError(
                f"cards {by_name[name].card.name} and {r.card.name} have the same CODICE IPA {r.ipa_code}",
                file=str(r.card),
                field="union.ipa_code",
            )
        by_name[name] = r
        r.target = out / name
        if r.target.exists() and not force:
            raise LodError(
                "record already exists (a data steward may have edited it); pass --force to overwrite it",
                file=str(r.target),
            )
        targets.append(r.target)
    return targets
