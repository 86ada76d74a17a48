"""The one build pipeline: records -> mappings -> triples -> checks -> files.

::

    from lod_unioni.build import build, build_records
    result = build("records", "output")                 # BuildResult(unions=2, comuni=13, ...)
    result = build_records(records, "output", check=shacl_check())   # records already in memory

``lod-unioni build`` runs :func:`build` (:func:`~lod_unioni.records.load_records`, then
:func:`build_records`); the national build (:mod:`lod_unioni.national`) makes its records from the
registries and runs :func:`build_records` with its validation policy as the check, the record-schema
check of its records in the background and its report as extra files.

Every build reads and updates the register of the IRIs it has published (:mod:`lod_unioni.iris`,
``iris.csv`` in the output folder unless ``iri_register`` names another file): each union keeps
the IRI first minted for it (:func:`key_unions`), and every IRI of the register that the records no
longer describe stays in the dumps, deprecated, with its successor when one is known.

The graph carries its own description (VoID, :mod:`lod_unioni.dcat.void`: licence, version,
dates, sources, triple count, linksets), checked with the rest and written as ``void.ttl`` too.
The version is the date of the data (:func:`data_date`, never the clock); each build keeps the
copies of its version, ``versions/{version}/`` (:func:`version_files`), and those of earlier ones.

Nothing is written until the whole graph is built, checked and serialised; then the whole set of
files, the register and the version's copies with them, is published in one atomic step
(:func:`lod_unioni.serialize.write_files`): a reader, a crash or a kill sees the previous set or
the new one, never a mix. A register kept elsewhere (``iri_register``) is replaced atomically just
after. A failed build leaves the previous output, and the register, exactly as they were.
Rebuilding the same records gives byte-identical files (and leaves the files alone).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import Triple

from . import progress
from .config import DEFAULT_BASE_IRI, Publisher, check_base_iri
from .dcat import DUMP_FILES, Version, catalog_for_dumps, describe_versions
from .dcat.void import void_turtle, with_description
from .errors import NotConformingError
from .graph import no_gc
from .iris import REGISTER_FILE, ComuneSuccessor, IriRegister, RegisterUpdate
from .mapping import Key, Mapping, load_mapping
from .publish import check_out_folder
from .records import Record, check_shared_keys, data_date, first_date, load_records
from .registration import Identities, Registration, key_unions, open_register, union_identities
from .serialize import (
    VERSIONED_FILES,
    VERSIONS,
    context_bytes,
    to_jsonld,
    to_ntriples,
    to_turtle,
    version_files,
    write_files,
)
from .validation import ValidationReport, ValidationResult, validate
from .validation.report import summary_counts

__all__ = [
    "DUMP_FILES",
    "OUTPUT_FILES",
    "VERSIONED_FILES",
    "VERSIONS",
    "BackgroundCheck",
    "BuildResult",
    "Check",
    "Clock",
    "ExtraFiles",
    "Identities",
    "build",
    "build_graph",
    "build_records",
    "data_date",
    "first_date",
    "key_unions",
    "open_register",
    "render",
    "shacl_check",
    "union_identities",
    "version_files",
]

#: The files of a build. ``catalog.ttl`` is the DCAT-AP_IT description of the three dumps,
#: ``void.ttl`` the dumps' own description (VoID: :mod:`lod_unioni.dcat.void`), ``iris.csv`` the
#: register of the IRIs published (:mod:`lod_unioni.iris`).
OUTPUT_FILES = ("unioni.ttl", "unioni.jsonld", "unioni.nt", "context.jsonld", "catalog.ttl", "void.ttl", REGISTER_FILE)

#: A check of the built graph before anything is written (e.g. SHACL validation): it raises a
#: :class:`~lod_unioni.errors.LodError` (or subclass) to stop the build, or returns what it found
#: (e.g. the validation report, None for nothing), which the build hands to ``extra_files``.
Check = Callable[[list[Triple]], Any]

#: More files of a build, made from the sorted triples and what the check returned.
ExtraFiles = Callable[[list[Triple], Any], dict[str, bytes]]


class BackgroundCheck(Protocol):
    """A check that runs while the build maps and checks the graph (e.g. of the records, in
    another process): the build waits for it before rendering anything, and also when a step
    fails."""

    #: What the build says while it waits.
    label: str

    def wait(self) -> None:
        """Wait for the check; raise a :class:`~lod_unioni.errors.LodError` to stop the build."""


class Clock:
    """Seconds of the steps of a run: :meth:`lap` adds the time since the previous lap to
    ``timings[label]``."""

    def __init__(self, timings: dict[str, float] | None = None):
        self.timings = timings if timings is not None else {}
        self.t = time.perf_counter()

    def lap(self, label: str) -> float:
        now = time.perf_counter()
        took = now - self.t
        self.timings[label] = self.timings.get(label, 0.0) + took
        self.t = now
        return took


def shacl_check(
    *,
    fail_on: str = "violation",
    allow_invalid: bool = False,
    shapes_dir: str | Path | None = None,
    accept: Callable[[ValidationResult], bool] | None = None,
    on_report: Callable[[ValidationReport], None] | None = None,
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
    whole validation report (accepted results included) before the decision; the check returns it
    too (the build hands it to ``extra_files``).
    """

    def check(triples: list[Triple]) -> ValidationReport:
        whole = validate(triples, shapes_dir=shapes_dir)
        if on_report is not None:
            on_report(whole)
        report = whole
        if accept is not None:
            report = ValidationReport(
                [r for r in whole.results if not accept(r)], engine=whole.engine, data_sources=whole.data_sources
            )
        if report.results:
            progress.info(report.to_text())
        if not report.fails(on=fail_on):
            return whole
        counts = summary_counts(report.results)
        what = ", ".join(f"{n} {sev}(s)" for sev, n in sorted(counts.items()) if n) or "no result"
        if allow_invalid:
            progress.warn("!" * 78)
            progress.warn(
                f"THE DATA DOES NOT CONFORM TO THE SHAPES ({what}); writing it anyway because of "
                "--allow-invalid. Do not publish it as valid."
            )
            progress.warn("!" * 78)
            return whole
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
    iris: RegisterUpdate | None = field(default=None, repr=False)  # what the build did to the IRI register

    def summary(self) -> str:
        return (
            f"built {self.unions} unions, {self.comuni} comuni, {self.triples} triples; "
            f"{len(self.files)} files written to {self.out_dir}"
        )


def build_graph(
    records: Sequence[Record], base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None
) -> list[Triple]:
    """The sorted, duplicate-free triples of the records."""
    return _mapped(records, base_iri, mapping or load_mapping())[0]


def _mapped(records: Sequence[Record], base_iri: str, mapping: Mapping) -> tuple[list[Triple], list[Key]]:
    """The sorted, duplicate-free triples of the records, and their keys (the same order)."""
    check_shared_keys(records)  # one wording per line and datum source key: one label per IRI
    keyed: dict[Key, Triple] = {}
    with no_gc():
        for record in records:
            mapping.keyed(record, base_iri, keyed)
        # the keys sort as sort_triples sorts: the same list, without a key made from each triple
        items = sorted(keyed.items(), key=itemgetter(0))
        return [t for _k, t in items], [k for k, _t in items]


def render(
    triples: list[Triple],
    prefixes: dict[str, str],
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    modified: str | None = None,
    issued: str | None = None,
    description: list[Triple] | None = None,
    clock: Clock | None = None,
    publisher: Publisher | None = None,
    earlier: Sequence[Version] = (),
) -> dict[str, bytes]:
    """The bytes of every output file, from sorted triples.

    With ``modified`` (the date of the data, ``YYYY-MM-DD``: the version) the DCAT-AP_IT
    ``catalog.ttl`` of ``publisher`` (the dumps, their copies, the ``earlier`` versions kept); with
    the dumps' ``description`` (:func:`lod_unioni.dcat.void.with_description`), ``void.ttl``; with
    both, the copies of the version (:func:`version_files`). ``clock`` times ``turtle``,
    ``jsonld``, ``ntriples`` and ``catalog``.
    """
    clock = clock or Clock()
    with no_gc():
        files = {"unioni.ttl": to_turtle(triples, prefixes)}
        clock.lap("turtle")
        files["unioni.jsonld"] = to_jsonld(triples, prefixes)
        clock.lap("jsonld")
        files["unioni.nt"] = to_ntriples(triples)
        clock.lap("ntriples")
    files["context.jsonld"] = context_bytes(prefixes)
    if modified is not None:
        folder = VERSIONS if description is not None else None  # the copies of the version are written
        files["catalog.ttl"] = catalog_for_dumps(
            base_iri, files, modified=modified, issued=issued, publisher=publisher, versions_folder=folder, kept=earlier
        )
    if description is not None:
        files["void.ttl"] = void_turtle(description, prefixes)
        if modified is not None:
            files.update(version_files(files, modified))
    clock.lap("catalog")
    return files


@dataclass(frozen=True)
class _Dates:
    """The dates of the data (from the records, never the clock): the version and
    ``dcterms:modified``, and ``dcterms:issued``."""

    modified: str | None
    issued: str | None


def _checked_graph(
    records: Sequence[Record],
    base_iri: str,
    mapping: Mapping,
    check: Check | None,
    background: BackgroundCheck | None,
    clock: Clock,
    registered: Registration,
    dates: _Dates,
    publisher: Publisher | None = None,
) -> tuple[list[Triple], list[Triple], Any]:
    """Map the records, add the dumps' own description (VoID) and the register's deprecated IRIs
    (``registered``, which registers the description's IRIs too), and check the whole graph
    (``map``, ``validate``); then wait for the background check (``check records``), whether the
    steps before it succeeded or not. Returns the triples, the description and what the check
    found."""
    found = None
    try:
        with progress.Step("mapping records to RDF"), no_gc():
            mapped, keys = _mapped(records, base_iri, mapping)
            registered.subjects = list(dict.fromkeys(k[0] for k in keys))
            triples, description = with_description(
                mapped,
                base_iri,
                keys=keys,
                prefixes=mapping.prefixes,
                version=dates.modified,
                issued=dates.issued,
                modified=dates.modified,
                publisher=publisher,
                extend=registered,
            )
            clock.lap("map")
        if check is not None:
            with progress.Step(f"checking the graph ({len(triples)} triples)"):
                try:
                    found = check(triples)
                finally:
                    clock.lap("validate")
    finally:
        if background is not None:
            with progress.Step(background.label):
                background.wait()
                clock.lap("check records")
    return triples, description, found


def build_records(
    records: Sequence[Record],
    out_dir: str | Path,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    check: Check | None = None,
    background: BackgroundCheck | None = None,
    extra_files: ExtraFiles | None = None,
    modified: str | None = None,
    mappings_dir: str | Path | None = None,
    write: bool = True,
    timings: dict[str, float] | None = None,
    iri_register: str | Path | IriRegister | None = None,
    identities: Identities | None = None,
    comune_successor: ComuneSuccessor | None = None,
    publisher: Publisher | None = None,
) -> BuildResult:
    """The build of records already in memory: map them, add their description, check the graph,
    render the dumps and write ``unioni.ttl``, ``unioni.jsonld``, ``unioni.nt``,
    ``context.jsonld``, ``catalog.ttl``, ``void.ttl``, ``iris.csv`` and ``versions/{version}/``
    (with the extra files) into ``out_dir``, as one set (a ``catalog.ttl`` of an earlier build is
    removed when there is none; the other entries of ``out_dir``, earlier versions included, are
    kept).

    ``check`` runs on the complete graph before anything is written (the place for SHACL
    validation); ``background`` is waited for after it; if either raises, nothing is written.
    ``extra_files(triples, what the check returned)`` adds files (e.g. a report). ``modified``: the
    date of the data for the catalog and the register (default: :func:`data_date` of the records).
    ``iri_register``: the IRI register (a file, default ``iris.csv`` in ``out_dir``; a file
    elsewhere is replaced after the publication), ``identities`` of each union (default
    :func:`union_identities`), ``comune_successor``: see :mod:`lod_unioni.iris`. ``publisher``: the
    catalog's and the dumps' (the ``[publisher]`` settings; default the example one). ``write=False``
    writes nothing. ``timings``: the seconds of each step (``map``, ``validate``, ``check
    records``, ``turtle``, ``jsonld``, ``ntriples``, ``catalog``, ``write``) are added to it.
    """
    check_base_iri(base_iri)
    if write:
        check_out_folder(out_dir)  # before the work: a file or the current folder is refused anyway
    clock = Clock(timings)
    mapping = load_mapping(mappings_dir)
    modified = modified or data_date(records)
    register = open_register(iri_register, out_dir, base_iri)
    identify = identities or union_identities
    records = key_unions(records, register, identify)
    registration = Registration(register, records, identify, modified or "", comune_successor)
    dates = _Dates(modified, min(filter(None, (first_date(records), modified)), default=None))
    triples, description, found = _checked_graph(
        records, base_iri, mapping, check, background, clock, registered=registration, dates=dates, publisher=publisher
    )
    earlier = describe_versions(out_dir, VERSIONS, DUMP_FILES, skip=modified) if modified else []
    with progress.Step("serialising Turtle, JSON-LD, N-Triples" + (", DCAT-AP_IT catalog" if modified else "")):
        files = render(
            triples,
            mapping.prefixes,
            base_iri=base_iri,
            modified=modified,
            issued=dates.issued,
            description=description,
            clock=clock,
            publisher=publisher,
            earlier=earlier,
        )
    if modified is None:
        progress.warn("no date in the records (provenance.imported_on, reference dates): catalog.ttl not written")
    assert registration.update is not None
    files[REGISTER_FILE] = registration.update.register.to_bytes()
    if extra_files is not None:
        files.update(extra_files(triples, found))
    written: list[Path] = []
    if write:
        with progress.Step(f"writing {len(files)} files to {out_dir}"):
            written = write_files(out_dir, files, replaces=OUTPUT_FILES, trees=(VERSIONS,))
            registration.publish_elsewhere(out_dir, files[REGISTER_FILE])
            clock.lap("write")
    return BuildResult(
        unions=len(records),
        comuni=len({code for r in records for code in r.member_codes}),
        triples=len(triples),
        files=written,
        out_dir=Path(out_dir),
        records=list(records),
        iris=registration.update,
    )


def build(
    records_dir: str | Path,
    out_dir: str | Path,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    check: Check | None = None,
    mappings_dir: str | Path | None = None,
    timings: dict[str, float] | None = None,
    iri_register: str | Path | None = None,
    publisher: Publisher | None = None,
) -> BuildResult:
    """Build the dumps of the records of a folder: :func:`~lod_unioni.records.load_records`
    (``read``), then :func:`build_records`.

    ``check`` runs on the complete graph before anything is written (the place for SHACL
    validation); if it raises, nothing is written. ``iri_register``: the IRI register's file
    (default: ``iris.csv`` in ``out_dir``). ``publisher``: see :func:`build_records`.
    """
    check_base_iri(base_iri)
    clock = Clock(timings)
    with progress.Step(f"reading records from {records_dir}"):
        records = load_records(records_dir)
        clock.lap("read")
    return build_records(
        records,
        out_dir,
        base_iri,
        check=check,
        mappings_dir=mappings_dir,
        timings=clock.timings,
        iri_register=iri_register,
        publisher=publisher,
    )
