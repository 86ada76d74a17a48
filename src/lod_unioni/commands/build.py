"""``lod-unioni build``: union records -> RDF dumps (Turtle, JSON-LD, N-Triples); with
``--national``, every union of the Ministry register from the official sources
(:mod:`lod_unioni.national`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .. import progress
from ..config import CONFIG_FILE, EXAMPLE_PUBLISHER, Publisher, Settings
from ..errors import LodError
from . import options

if TYPE_CHECKING:
    from pathlib import Path

    from ..build import BuildResult, Check
    from ..sources.folder import SourcesDir

NAME = "build"
HELP = "build the RDF dumps (Turtle, JSON-LD, N-Triples) from the union records"
DESCRIPTION = """\
Read the union records (one YAML file per union), map them to RDF with the bundled mappings and
write unioni.ttl, unioni.jsonld (compacted, with its context), unioni.nt and context.jsonld.
The graph is validated with the SHACL shapes before anything is written: data that does not
conform (violations; with --fail-on warning, warnings too) is refused with exit code 1 and the
previous output is left untouched, unless --allow-invalid is given.
Nothing is written unless the whole build succeeds; the same records give byte-identical files.
It also writes catalog.ttl (DCAT-AP_IT, for dati.gov.it) and void.ttl, in the name of the
publisher of the [publisher] table of lod-unioni.toml (codice IPA, name, contact); without one,
the catalog names an EXAMPLE publisher and says so (site and publish refuse to publish it).
An IRI once published never disappears: the build reads and updates the register of the IRIs it
has published (iris.csv in --out, or the file given with --iri-register): a union keeps the IRI
first minted for it when its IPA code or its match changes, and an IRI the records no longer
describe stays in the dumps, deprecated (owl:deprecated, dcterms:isReplacedBy its successor when
one is known). Keep iris.csv with the dumps (it is part of the published set), or keep it under
version control and give it with --iri-register: a build without its register mints IRIs afresh.
The files are published as one set: written into a new folder beside --out, then switched with
it in one atomic step, so that a reader, a crash or a kill sees the old set or the new one. Other
files and folders in --out are kept; one build at a time publishes into a folder (another waits).

With --sources DIR (a folder of registry files laid out like ../shared/data; default: the sources
setting of lod-unioni.toml, else none) the records get the PNRR projects of PA digitale 2026 of their
union and member comuni (padigitale2026/candidature_*.csv, joined by codice IPA and ISTAT code; the
calls from avvisi.csv), in memory: the records are not changed. It says which measures' files
were read: a measure whose file is not in DIR is "not in the sources", never zero applications.
Without sources the dumps have no projects, and a build into a folder whose last build had
projects deprecates them (it says so): the bundled output/ is built with --sources.

With --national it builds every union of the Ministry of the Interior register (about 557, with
their 3,000 member comuni) from the registry files of --sources DIR (or of the download cache of
'lod-unioni sources fetch'): joined with IPA by name, seat and province, every member resolved to
its ISTAT code and OntoPiA city, ISTAT populations at 1 January 2022; the records of --records
(default: the bundled ones) take precedence for their unions. It prints the time of each step,
the match rates and what could not be matched, validates the graph (violations are accepted only
where the official sources disagree with each other: see national-report.txt) and writes the dumps
with national-report.json and national-report.txt to --out (default: output/national/, a mirror
of the sources: not to be committed; its iris.csv is the national register: keep it, or keep a
copy elsewhere and give it with --iri-register).

examples:
  lod-unioni build
  lod-unioni build --sources ../shared/data              # the bundled records with their PNRR projects
  lod-unioni build --records records --out output --base-iri https://data.example.org/unioni/
  lod-unioni build --national --sources ../shared/data
  lod-unioni build --national --sources ../shared/data --out /tmp/national
  lod-unioni build --national --sources ../shared/data --iri-register registers/national-iris.csv"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_records(parser)
    options.add_out(parser)
    options.add_base_iri(parser)
    parser.add_argument(
        "--iri-register",
        metavar="FILE",
        help="the register of the IRIs published (CSV), read and updated by the build "
        "(default: iris.csv in --out; a file elsewhere is replaced after the dumps)",
    )
    options.add_fail_on(parser, "SHACL severity that stops the build (default: violation)")
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
    options.add_allow_implausible(parser)
    options.add_sources(
        parser,
        "folder of registry files laid out like ../shared/data: the records get their PNRR projects "
        "from its PA digitale 2026 files (default: from lod-unioni.toml, else none); with --national the "
        "registries to build from (default: from lod-unioni.toml, else the download cache of "
        "'lod-unioni sources fetch')",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    # The API is imported here, not at the top: the CLI imports every command module to build its
    # parser, and `lod-unioni --help` should not pay for the whole pipeline.
    from ..build import build, shacl_check

    if args.national:
        return _run_national(args, settings)
    sources = args.sources or settings.sources
    if args.allow_implausible and not sources:
        raise LodError(
            "--allow-implausible goes with --sources or --national (the registry files it lets through)",
            field="--allow-implausible",
        )
    base_iri = options.base_iri(args.base_iri, settings)
    records_dir = options.records_dir(args.records, settings)
    check = shacl_check(fail_on=args.fail_on, allow_invalid=args.allow_invalid)
    publisher = _publisher(settings)
    out = args.out or settings.out
    if sources:
        from ..publish import check_out_folder
        from ..sources.folder import resolve_sources

        check_out_folder(out)  # before the registries are read
        folder = resolve_sources(sources, allow_implausible=args.allow_implausible)
        result = build_sourced(records_dir, out, folder, base_iri, check, publisher, args.iri_register)
    else:
        result = build(records_dir, out, base_iri, check=check, iri_register=args.iri_register, publisher=publisher)
    _say_if_example(publisher, settings)
    _say_if_projects_dropped(result)
    progress.info(result.summary())
    return 0


def build_sourced(
    records: str | Path,
    out: str | Path,
    sources: SourcesDir,
    base_iri: str,
    check: Check | None,
    publisher: Publisher,
    iri_register: str | None = None,
) -> BuildResult:
    """``build --sources`` (and ``site --sources``): the records with their PNRR projects, built,
    and what was joined said."""
    from ..national.with_sources import build_with_sources

    built = build_with_sources(
        records, out, sources, base_iri, check=check, iri_register=iri_register, publisher=publisher
    )
    for line in built.summary_lines():
        progress.info(line)
    return built.result


def _say_if_projects_dropped(result: BuildResult) -> None:
    """Warn when the build deprecated PNRR projects that an earlier build into the folder published."""
    if result.iris is None:
        return
    prefix = result.iris.register.base + "project/"
    dropped = [iri for iri in result.iris.deprecated if iri.startswith(prefix) and "/" not in iri[len(prefix) :]]
    if dropped:
        progress.warn(
            f"{len(dropped)} PNRR project(s) of the previous build of {result.out_dir} are not in this one, "
            "their IRIs now deprecated: build with --sources DIR (the PA digitale 2026 files) to keep them"
        )


def _run_national(args: argparse.Namespace, settings: Settings) -> int:
    from ..national import DEFAULT_OUT, national_pipeline, print_unmatched
    from ..publish import check_out_folder
    from ..records import load_records
    from ..sources.folder import resolve_sources

    if args.allow_invalid or args.fail_on != "violation":
        raise LodError(
            "--allow-invalid and --fail-on do not apply to --national: its policy accepts exactly the "
            "violations where the official sources disagree (see national-report.txt)",
            field="--national",
        )
    base_iri = options.base_iri(args.base_iri, settings)
    out = args.out or DEFAULT_OUT
    check_out_folder(out)  # before minutes of work
    # says how old a downloaded cache is; checks each file's plausibility and checksum
    sources = resolve_sources(args.sources or settings.sources, allow_implausible=args.allow_implausible)
    bundled = load_records(options.records_dir(args.records, settings))
    publisher = _publisher(settings)
    result, timings = national_pipeline(
        sources,
        out,
        base_iri=base_iri,
        bundled_records=bundled,
        iri_register=args.iri_register,
        publisher=publisher,
    )
    print_unmatched(result, limit=None)
    progress.info("timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items() if not k.startswith("match: ")))
    for line in result.summary_lines():
        progress.info(line)
    _say_if_example(publisher, settings)
    progress.info(
        f"built {result.stats['records']} unions, {result.stats['comuni']} comuni, "
        f"{result.stats['triples']} triples in {timings['total']:.1f} s; files written to {out} "
        "(with national-report.txt)"
    )
    return 0


def _publisher(settings: Settings) -> Publisher:
    """The publisher of the settings, else the example one (:func:`_say_if_example`)."""
    if settings.publisher is not None and not settings.publisher.is_example:
        return settings.publisher
    return EXAMPLE_PUBLISHER


def _say_if_example(publisher: Publisher, settings: Settings) -> None:
    """After a build in the name of the example publisher, say so (the catalog says it too)."""
    if not publisher.is_example:
        return
    what = "no [publisher]" if settings.publisher is None else "the example publisher.ipa"
    progress.warn(
        f"{what} in {settings.file or CONFIG_FILE}: catalog.ttl names the EXAMPLE publisher "
        f"{EXAMPLE_PUBLISHER.ipa!r}, not to be harvested; set publisher.ipa, name and contact before publishing"
    )
