"""``lod-unioni build``: union records -> RDF dumps (Turtle, JSON-LD, N-Triples)."""
from __future__ import annotations

import argparse
from pathlib import Path

from .. import progress
from ..config import Settings, check_base_iri
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

examples:
  lod-unioni build
  lod-unioni build --records records --out output --base-iri https://data.example.org/unioni/"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", metavar="DIR",
                        help="folder of union records (default: records/, or the bundled records when "
                             "./records does not exist)")
    parser.add_argument("--out", metavar="DIR", help="output folder (default: output/)")
    parser.add_argument("--base-iri", metavar="IRI",
                        help="base IRI of the resources lod-unioni mints (default: from lod-unioni.toml, "
                             "else https://w3id.org/lod-unioni/data/)")
    parser.add_argument("--fail-on", choices=("violation", "warning"), default="violation",
                        help="SHACL severity that stops the build (default: violation)")
    parser.add_argument("--allow-invalid", action="store_true",
                        help="write the output even if it does not conform to the SHACL shapes (said loudly)")


def run(args: argparse.Namespace, settings) -> int:
    from ..build import build, shacl_check

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
