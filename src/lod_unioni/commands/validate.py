"""``lod-unioni validate``: SHACL validation of the dumps (a thin layer over lod_unioni.validation)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import progress
from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_OK, LodError
from ..fileio import write_atomic
from . import options

if TYPE_CHECKING:
    from ..validation import ValidationReport

NAME = "validate"
HELP = "validate RDF data with SHACL shapes (exit 0 conforms, 1 does not, 2 bad input)"
DESCRIPTION = """\
Validate RDF data (default: OUT/unioni.ttl, OUT from --out / lod-unioni.toml, default output/)
with the bundled SHACL shapes (shapes/) or those of --shapes PATH (a file or a folder, repeatable;
the data file may be a shapes file too).

Files are read by extension: .ttl, .nt, .jsonld/.json, .nq, .trig (their default graph), .rdf;
a shapes folder gives its files of those kinds but .json. Relative IRIs resolve against the file's
own file:// IRI. owl:imports is not followed (nothing is fetched from the network): give every
shapes file the shapes import as another --shapes. The bundled SKOS vocabularies
(ontology/vocabularies) are added to the data unless --no-vocabularies, so that the shapes can
check that every service type is a concept of the services scheme.

Engines: --engine auto (default) validates every shape the fast engine supports with it and the
others with pySHACL, in one report; --engine fast never guesses: shapes using a feature it does not
implement are refused (exit 2, naming the feature and the shape); --engine pyshacl is the
reference (rdflib + pySHACL, slow). See shapes/README.md for what the fast engine supports.

Output: --format text (for people, grouped by union), turtle or json (the standard SHACL
validation report; json is JSON-LD). --report FILE also writes the report to FILE, in the format
its extension says (.ttl turtle, .json/.jsonld json, .txt text; else --format).

With --sources DIR (a folder laid out like ../shared/data; default: the sources setting or the
download cache of 'lod-unioni sources fetch') the report also holds the registry checks:
every member's OntoPiA city must be current, and the records (--records, default records/) are
reconciled with IPA, ISTAT, OntoPiA and the Ministry register (the rules reconcile-*; see
'lod-unioni reconcile').

Exit codes: 0 conforms (or only results below --fail-on), 1 a result of --fail-on severity or worse
(default: violation, and any custom severity; warnings and infos alone exit 0), 2 bad usage,
unreadable input or shapes, shapes the fast engine refuses, or no data: no triples, or, with the
bundled shapes, no Unione di Comuni in the data (--allow-empty validates it anyway)."""

ENGINES = ("auto", "fast", "pyshacl")  # lod_unioni.validation.ENGINES (not imported for --help)
FORMATS = ("text", "turtle", "json")
REPORT_EXTENSIONS = {".ttl": "turtle", ".json": "json", ".jsonld": "json", ".txt": "text"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", metavar="DATA", help="RDF files to validate (default: OUT/unioni.ttl)")
    parser.add_argument(
        "--shapes",
        metavar="PATH",
        action="append",
        help="SHACL shapes file or folder, repeatable (default: the bundled shapes); owl:imports is not followed",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format on stdout (default: text)")
    parser.add_argument("--report", metavar="FILE", help="also write the report to FILE (atomically)")
    options.add_fail_on(parser, "lowest severity that makes the exit code 1 (default: violation)")
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="auto",
        help="auto: the fast engine, pySHACL for the shapes it does not support (default); fast: the fast "
        "engine or exit 2; pyshacl: the reference engine",
    )
    options.add_out(parser, "output folder whose unioni.ttl is validated when no DATA is given")
    options.add_sources(
        parser, "also check against the registries in DIR (OntoPiA current cities; reconciliation of the records)"
    )
    options.add_records(parser, "records reconciled with --sources (default: records/)")
    options.add_base_iri(parser, "base IRI of the dumps (default: from the settings)")
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="validate data with no triples (or, with the bundled shapes, no union) instead of exit 2",
    )
    options.add_allow_implausible(parser)
    parser.add_argument(
        "--no-vocabularies", action="store_true", help="do not add the bundled SKOS vocabularies to the data"
    )


def render(report: ValidationReport, fmt: str) -> str:
    if fmt == "turtle":
        return report.to_turtle()
    if fmt == "json":
        return report.to_json()
    return report.to_text()


def write_report(path: Path, text: str) -> None:
    """Write the report atomically (:func:`lod_unioni.fileio.write_atomic`) into an existing folder."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise LodError("folder of the report does not exist", file=str(path))
    write_atomic(path, text)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..validation import validate, vocabulary_files

    if args.allow_implausible and args.sources is None and args.records is None:
        raise LodError("--allow-implausible goes with --sources (the registry files it lets through)")
    settings = settings.with_overrides(out=args.out, records=args.records, sources=args.sources, base_iri=args.base_iri)
    data = [Path(p) for p in args.data]
    if not data:
        default = Path(settings.out) / "unioni.ttl"
        if not default.is_file():
            raise LodError("no data to validate: run 'lod-unioni build' first or give DATA files", file=str(default))
        data = [default]
    extra = [] if args.no_vocabularies else vocabulary_files()
    names = ", ".join(str(p) for p in data)
    if args.sources is None and args.records is None:
        with progress.Step(f"validating {names} ({args.engine} engine)"):
            report = validate(
                data, shapes=args.shapes, extra_graphs=extra, engine=args.engine, allow_empty=args.allow_empty
            )
    else:
        from ..records import load_records
        from ..sources.folder import resolve_sources
        from ..validation.registry import validate_with_registries

        base_iri = options.base_iri(args.base_iri, settings)
        sources = resolve_sources(settings.sources, allow_implausible=args.allow_implausible)
        records = load_records(settings.records)
        with progress.Step(f"validating {names} ({args.engine} engine) with the registries in {sources.path}"):
            report = validate_with_registries(
                data,
                sources,
                records,
                base_iri=base_iri,
                shapes_dir=args.shapes,
                extra_graphs=extra,
                engine=args.engine,
                allow_empty=args.allow_empty,
            )
    text = render(report, args.format)
    if args.report:
        report_path = Path(args.report)
        fmt = REPORT_EXTENSIONS.get(report_path.suffix.lower(), args.format)
        write_report(report_path, text if fmt == args.format else render(report, fmt))
        progress.info(f"  report written to {report_path}")
    sys.stdout.write(text)
    sys.stdout.flush()
    v, w, i = report.count("Violation"), report.count("Warning"), report.count("Info")
    progress.info(
        f"{'conforms' if report.conforms else 'does not conform'}: {v} violation(s), {w} warning(s), {i} info(s)"
    )
    return EXIT_FINDINGS if report.fails(on=args.fail_on) else EXIT_OK
