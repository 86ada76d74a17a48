"""``lod-unioni import-card``: ITALIAE cards -> union records (YAML). The work is in lod_unioni.cards."""

from __future__ import annotations

import argparse

from .. import progress
from ..cards import import_cards
from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_OK
from ..gazetteer import Gazetteer
from ..progress import Step
from ..sources.folder import resolve_sources
from . import options

NAME = "import-card"
HELP = "import ITALIAE cards (text) into union records (YAML)"
DESCRIPTION = """\
Read ITALIAE cards (text extracted from the PDFs, layout of ../shared/seeds) and write one union
record per card, {ipa_code}.yaml, into --out (default: the records folder). Member comuni are
resolved to ISTAT codes, cadastral codes and OntoPiA cities with the registry files in --sources
(a folder laid out like ../shared/data: istat/Elenco-comuni-italiani.csv, ontopia/cities.csv,
ontopia/provinces.csv, ontopia/regions.csv; default: the sources setting, else the download cache of
'lod-unioni sources fetch'). Each file must pass the checks 'build --national' makes (its checksum
in the folder's sources.json, its plausibility) unless --allow-implausible.

Values are what the card says. What the importer cannot read or resolve goes into the record's
`unresolved` list and is reported here. Every record is checked as `build` reads it (the record
schema) before any is written: a card whose record would not build (a negative population, ...)
writes nothing. An existing record is never overwritten without --force (a data steward may have
edited it). A card is at most 1 MB.

Exit codes: 0 every card fully resolved, 1 something went to `unresolved` (records still
written) or a record would not build (nothing written), 2 bad usage or unreadable input
(nothing written).

Example:
  lod-unioni import-card ../shared/seeds/*.txt --sources ../shared/data --out records"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("cards", nargs="+", metavar="CARD.txt", help="ITALIAE card(s), text")
    parser.add_argument(
        "--out", metavar="DIR", help="folder of the records (default: settings 'records', i.e. records/)"
    )
    parser.add_argument(
        "--sources",
        metavar="DIR",
        help="folder of the registry files, laid out like ../shared/data (default: settings 'sources', "
        "else the download cache)",
    )
    options.add_allow_implausible(parser)
    parser.add_argument("--force", action="store_true", help="overwrite existing records")


def run(args: argparse.Namespace, settings: Settings) -> int:
    sources = resolve_sources(args.sources or settings.sources, allow_implausible=args.allow_implausible)
    out = args.out or settings.records
    with Step(f"reading registry files from {sources}"):
        gazetteer = Gazetteer.from_sources(sources)
    with Step(f"importing {len(args.cards)} card(s)"):
        results = import_cards(args.cards, sources_dir=sources.path, out_dir=out, force=args.force, gazetteer=gazetteer)
    unresolved = 0
    for r in results:
        rec = r.record
        progress.info(
            f"  {r.card.name} -> {r.target}: {rec['union']['name']}, {len(rec['members'])} comuni, "
            f"{len(rec['services'])} services, {len(r.unresolved)} unresolved"
        )
        for item in r.unresolved:
            progress.warn(f"{r.card}: unresolved {item['field']}: {item['text']!r}: {item['reason']}")
        unresolved += len(r.unresolved)
    progress.info(f"{len(results)} record(s) written to {out}; {unresolved} unresolved item(s)")
    return EXIT_FINDINGS if unresolved else EXIT_OK
