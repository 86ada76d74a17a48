"""Cards in, records out: read card files (:func:`import_card`) and write one record per card
(:func:`import_cards`), all cards checked before anything is written."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import LodError
from ..gazetteer import Gazetteer
from ..records import UnionInfo
from ..sources._csv import detect_encoding
from .assemble import parse_card, sources_provenance
from .yaml_writer import dump_record, write_record

__all__ = ["CardImport", "import_card", "import_cards", "read_card_text", "record_file_name"]


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


def read_card_text(path: str | Path) -> tuple[str, str]:
    """The text of a card file (UTF-8, else Windows-1252) and the SHA-256 of its bytes."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise LodError("card not found", file=str(p)) from None
    except OSError as exc:
        raise LodError(f"cannot read the card: {exc.strerror or exc}", file=str(p)) from None
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

    All cards are parsed before anything is written: an unreadable card, two cards with the same
    IPA code, or an existing record without ``force`` raise :class:`LodError` and write nothing.
    """
    sources_path = Path(sources_dir)
    g = gazetteer or Gazetteer.from_sources(sources_path)
    provenance = sources_provenance(g, sources_path)
    results = [import_card(c, g, sources=provenance, today=today) for c in cards]
    out = Path(out_dir)
    targets = _targets(results, out, force)
    if out.exists() and not out.is_dir():
        raise LodError("output folder is a file", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    for r, target in zip(results, targets, strict=True):
        write_record(target, dump_record(r.record, out_dir=out))
    return results


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
