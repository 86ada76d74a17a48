"""``lod-unioni build``: union records -> RDF dumps (Turtle, JSON-LD, N-Triples); with
``--national``, every union of the Ministry register from the official sources
(:mod:`lod_unioni.national`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import progress
from ..config import Settings, check_base_iri
from ..errors import LodError
from ..resources import resource_dir

NAME = "build"
HELP = "build the RDF dumps (Turtle, JSON-LD, N-Triples) from the union records"
DESCRIPTION = """\
Read the union records (one YAML file per union), map them to RDF with the bundled mappings and
write unioni.ttl, unioni.jsonld (compacted, with its context), unioni.nt and context.jsonld.
The graph is validated with the SHACL shapes before anything is written: data that does not
conform (violations; with --fail-on warning, warnings too) is refused with exit code 1 and the
previous output is left untouched, unless --allow-invalid is given.
Nothing is written unless the whole build succeeds; the same records give byte-identical files.

With --national it builds every union of the Ministry of the Interior register (about 557, with
their 3,000 member comuni) from the registry files of --sources DIR (or of the download cache of
'lod-unioni sources fetch'): joined with IPA by name, seat and province, every member resolved to
its ISTAT code and OntoPiA city, ISTAT populations at 1 January 2022; the records of --records
(default: the bundled ones) take precedence for their unions. It prints the time of each step,
the match rates and what could not be matched, validates the graph (violations are accepted only
where the official sources disagree with each other: see national-report.txt) and writes the dumps
with national-report.json and national-report.txt to --out (default: output/national/, a mirror
of the sources: not to be committed).

examples:
  lod-unioni build
  lod-unioni build --records records --out output --base-iri https://data.example.org/unioni/
  lod-unioni build --national --sources ../shared/data
  lod-unioni build --national --sources ../shared/data --out /tmp/national"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--records",
        metavar="DIR",
        help="folder of union records (default: records/, or the bundled records when ./records does not exist)",
    )
    parser.add_argument("--out", metavar="DIR", help="output folder (default: output/)")
    parser.add_argument(
        "--base-iri",
        metavar="IRI",
        help="base IRI of the resources lod-unioni mints (default: from lod-unioni.toml, "
        "else https://w3id.org/lod-unioni/data/)",
    )
    parser.add_argument(
        "--fail-on",
        choices=("violation", "warning"),
        default="violation",
        help="SHACL severity that stops the build (default: violation)",
    )
    parser.add_argument(
        "--allow-invalid",
        action="store_true",
        help="write the output even if it does not conform to the SHACL shapes (said loudly)",
    )
    parser.add_argument(
        "--national",
        action="store_true",
        help="build every union of the Ministry register from the official sources (default --out output/national)",
    )
    parser.add_argument(
        "--sources",
        metavar="DIR",
        help="with --national: folder of registry files laid out like ../shared/data (default: "
        "from lod-unioni.toml, else the download cache of 'lod-unioni sources fetch')",
    )


def run(args: argparse.Namespace, settings) -> int:
    from ..build import build, shacl_check

    if args.national:
        return _run_national(args, settings)
    if args.sources:
        raise LodError(
            "--sources is used with --national only (the build reads the records, not the registries)",
            field="--sources",
        )
    settings = settings.with_overrides(records=args.records, out=args.out, base_iri=args.base_iri)
    base_iri = check_base_iri(settings.base_iri)
    records_dir = Path(settings.records)
    if args.records is None and settings.records == Settings().records and not records_dir.exists():
        records_dir = resource_dir("records")
        progress.info(f"no ./{settings.records} folder: using the bundled records in {records_dir}")
    check = shacl_check(fail_on=args.fail_on, allow_invalid=args.allow_invalid)
    result = build(records_dir, settings.out, base_iri, check=check)
    progress.info(result.summary())
    return 0


def _run_national(args: argparse.Namespace, settings) -> int:
    from ..national import DEFAULT_OUT, national_pipeline, print_unmatched
    from ..records import load_records
    from ..sources.fetch import resolve_sources

    if args.allow_invalid or args.fail_on != "violation":
        raise LodError(
            "--allow-invalid and --fail-on do not apply to --national: its policy accepts exactly the "
            "violations where the official sources disagree (see national-report.txt)",
            field="--national",
        )
    base_iri = check_base_iri(args.base_iri or settings.base_iri)
    out = args.out or DEFAULT_OUT
    sources = resolve_sources(args.sources or settings.sources)  # says how old a downloaded cache is
    records_dir = Path(args.records or settings.records)
    if args.records is None and settings.records == Settings().records and not records_dir.exists():
        records_dir = resource_dir("records")
        progress.info(f"no ./{settings.records} folder: using the bundled records in {records_dir}")
    bundled = load_records(records_dir)
    result, timings = national_pipeline(sources, out, base_iri=base_iri, bundled_records=bundled)
    print_unmatched(result, limit=None)
    progress.info("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items() if not k.startswith("match: ")))
    for line in result.summary_lines():
        progress.info(line)
    progress.info(
        f"built {result.stats['records']} unions, {result.stats['comuni']} comuni, "
        f"{result.stats['triples']} triples in {timings['total']:.1f} s; files written to {out} "
        "(with national-report.txt)"
    )
    return 0
