"""Build the dumps from the union records: records -> mappings -> triples -> (check) -> files.

::

    from lod_unioni.build import build
    result = build("records", "output")                 # BuildResult(unions=2, comuni=13, ...)

Nothing is written until the whole graph is built, checked and serialised; then every file is
written through a temporary file and ``os.replace``. A failed build leaves the previous output
exactly as it was. Rebuilding the same records gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Triple

from . import progress
from .config import DEFAULT_BASE_IRI, check_base_iri
from .graph import no_gc, sort_triples
from .mapping import Mapping, load_mapping
from .records import Record, load_records
from .serialize import context_bytes, to_jsonld, to_ntriples, to_turtle, write_files

__all__ = ["DUMP_FILES", "OUTPUT_FILES", "BuildResult", "Check", "build", "build_graph", "data_date", "render"]

#: The files of a build. ``catalog.ttl`` is the DCAT-AP_IT description of the three dumps.
OUTPUT_FILES = ("unioni.ttl", "unioni.jsonld", "unioni.nt", "context.jsonld", "catalog.ttl")
DUMP_FILES = ("unioni.ttl", "unioni.jsonld", "unioni.nt")

#: A check of the built graph before anything is written (e.g. SHACL validation): it raises a
#: :class:`~lod_unioni.errors.LodError` (or subclass) to stop the build, or returns normally.
Check = Callable[[list[Triple]], None]


def shacl_check(
    *,
    fail_on: str = "violation",
    allow_invalid: bool = False,
    shapes_dir=None,
    accept: Callable | None = None,
    on_report: Callable | None = None,
) -> Check:
    """The SHACL step of a build: validate the whole graph with the bundled shapes (fast engine).

    Results are reported on stderr. When the report fails (``fail_on``: "violation" or "warning")
    the check raises :class:`~lod_unioni.errors.NotConformingError` (exit code 1), so that
    :func:`build` writes nothing and the published output stays as it was, unless
    ``allow_invalid`` is set: then the build goes on and says so loudly.

    ``accept`` is a policy: a function of a :class:`~lod_unioni.validation.ValidationResult` that
    returns True for a result the caller accepts (e.g. the national build's violations where the
    official sources disagree, :func:`lod_unioni.national.accept_policy`); accepted results are
    neither printed nor counted, the others fail the check as usual. ``on_report`` receives the
    whole validation report (accepted results included) before the decision.
    """
    from .errors import NotConformingError
    from .validation import ValidationReport, validate
    from .validation.report import summary_counts

    def check(triples: list[Triple]) -> None:
        report = validate(triples, shapes_dir=shapes_dir)
        if on_report is not None:
            on_report(report)
        if accept is not None:
            report = ValidationReport(
                [r for r in report.results if not accept(r)], engine=report.engine, data_sources=report.data_sources
            )
        if report.results:
            progress.info(report.to_text())
        if not report.fails(on=fail_on):
            return
        counts = summary_counts(report.results)
        what = ", ".join(f"{n} {sev}(s)" for sev, n in sorted(counts.items()) if n) or "no result"
        if allow_invalid:
            progress.warn("!" * 78)
            progress.warn(
                f"THE DATA DOES NOT CONFORM TO THE SHAPES ({what}); writing it anyway because of "
                "--allow-invalid. Do not publish it as valid."
            )
            progress.warn("!" * 78)
            return
        raise NotConformingError(
            f"the graph does not conform to the SHACL shapes ({what}, fail on {fail_on}); "
            "the previous output was left untouched (see the results above; "
            "--allow-invalid writes it anyway)"
        )

    return check


@dataclass
class BuildResult:
    """What a build produced."""

    unions: int
    comuni: int
    triples: int
    files: list[Path] = field(default_factory=list)
    out_dir: Path | None = None
    records: list[Record] = field(default_factory=list, repr=False)

    def summary(self) -> str:
        return (
            f"built {self.unions} unions, {self.comuni} comuni, {self.triples} triples; "
            f"{len(self.files)} files written to {self.out_dir}"
        )


def build_graph(
    records: Sequence[Record], base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None
) -> list[Triple]:
    """The sorted, duplicate-free triples of the records."""
    m = mapping or load_mapping()
    triples: list[Triple] = []
    with no_gc():
        for record in records:
            triples.extend(m.triples(record, base_iri))
        return sort_triples(triples)


def render(
    triples: list[Triple], prefixes: dict[str, str], *, base_iri: str = DEFAULT_BASE_IRI, modified: str | None = None
) -> dict[str, bytes]:
    """The bytes of every output file, from sorted triples.

    With ``modified`` (the date of the data, ``YYYY-MM-DD``) the DCAT-AP_IT ``catalog.ttl``
    describing the three dumps (sizes, SHA-256) is included.
    """
    files = {
        "unioni.ttl": to_turtle(triples, prefixes),
        "unioni.jsonld": to_jsonld(triples, prefixes),
        "unioni.nt": to_ntriples(triples),
        "context.jsonld": context_bytes(prefixes),
    }
    if modified is not None:
        from .dcat import Distribution, catalog_triples, catalog_turtle, format_for_file

        dists = [
            Distribution(name, format_for_file(name), len(files[name]), hashlib.sha256(files[name]).hexdigest())
            for name in DUMP_FILES
        ]
        files["catalog.ttl"] = catalog_turtle(catalog_triples(base_iri, dists, modified=modified))
    return files


def data_date(records: Sequence[Record]) -> str | None:
    """The date of the data, from the records only (never the clock, so rebuilds are identical):
    the latest import or edit date, else the latest reference date of a figure."""
    dates = [d for r in records for d in r.dates]
    if not dates:
        dates = [d for r in records for d in r.reference_dates]
    return max(dates) if dates else None


def build(
    records_dir: str | Path,
    out_dir: str | Path,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    check: Check | None = None,
    mappings_dir: str | Path | None = None,
) -> BuildResult:
    """Build ``unioni.ttl``, ``unioni.jsonld``, ``unioni.nt``, ``context.jsonld`` and ``catalog.ttl``
    into ``out_dir``.

    ``check`` runs on the complete graph before anything is written (the place for SHACL
    validation); if it raises, nothing is written.
    """
    check_base_iri(base_iri)
    with progress.Step(f"reading records from {records_dir}"):
        records = load_records(records_dir)
    with progress.Step("mapping records to RDF"):
        mapping = load_mapping(mappings_dir)
        triples = build_graph(records, base_iri, mapping)
    # --- the place for checks of the whole graph (SHACL validation) before anything is written
    if check is not None:
        with progress.Step("checking the graph"):
            check(triples)
    modified = data_date(records)
    with progress.Step("serialising Turtle, JSON-LD, N-Triples" + (", DCAT-AP_IT catalog" if modified else "")):
        files = render(triples, mapping.prefixes, base_iri=base_iri, modified=modified)
    if modified is None:
        progress.warn("no date in the records (provenance.imported_on, reference dates): catalog.ttl not written")
    with progress.Step(f"writing {len(files)} files to {out_dir}"):
        written = write_files(out_dir, files)
    comuni = {code for r in records for code in r.member_codes}
    result = BuildResult(
        unions=len(records),
        comuni=len(comuni),
        triples=len(triples),
        files=written,
        out_dir=Path(out_dir),
        records=list(records),
    )
    return result
