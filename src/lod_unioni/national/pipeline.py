"""The national build: read the registries and the bundled records, reconcile, match, then the one
build pipeline (:func:`lod_unioni.build.build_records`) with the national policy as its check and
the national report as extra files."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from .. import progress
from ..build import Clock, build_records
from ..config import DEFAULT_BASE_IRI, check_base_iri
from ..reconcile import Reconciliation, reconcile
from ..records import Record, load_records
from ..registries import Registries, load_registries
from ..resources import resource_dir
from ..sources.folder import SourcesDir
from .match import build_national_records
from .policy import national_check
from .report import report_files
from .result import NationalResult
from .schema_check import RecordCheck

__all__ = ["DEFAULT_OUT", "national_pipeline"]

DEFAULT_OUT = "output/national"


def _read(
    sources: Registries | SourcesDir | str | Path, bundled_records: Sequence[Record] | str | Path | None
) -> tuple[Registries, list[Record]]:
    with progress.Step("reading the registries and the bundled records"):
        reg = sources if isinstance(sources, Registries) else load_registries(sources)
        if bundled_records is None:
            bundled_records = resource_dir("records")
        if isinstance(bundled_records, (str, Path)):
            return reg, load_records(bundled_records)
        return reg, list(bundled_records)


def _reconcile(reg: Registries, bundled: list[Record]) -> Reconciliation | None:
    with progress.Step(f"reconciling {len(bundled)} bundled record(s) with the registries"):
        reconciliation = reconcile(bundled, reg) if bundled else None
        if reconciliation is not None:
            counts = ", ".join(f"{n} {k}(s)" for k, n in reconciliation.counts.items())
            progress.info(f"  {counts} (details: lod-unioni reconcile)")
    return reconciliation


def national_pipeline(
    sources: Registries | SourcesDir | str | Path,
    out_dir: str | Path = DEFAULT_OUT,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    bundled_records: Sequence[Record] | str | Path | None = None,
    validate: bool = True,
    write: bool = True,
    mappings_dir: str | Path | None = None,
    shapes_dir: str | Path | None = None,
) -> tuple[NationalResult, dict[str, float]]:
    """The whole national build: read, reconcile, match, then map, validate, check records, render
    and write (:func:`lod_unioni.build.build_records`). Returns the result and the seconds of each
    step (``read``, ``reconcile``, ``match`` and its parts ``match: ...``, ``map``, ``validate``,
    ``check records``, ``turtle``, ``jsonld``, ``ntriples``, ``catalog``, ``write``, ``total``).

    ``bundled_records``: records or a folder (default: the bundled records of the package).
    ``validate=False`` skips SHACL; ``write=False`` writes nothing (for benchmarks). Raises
    :class:`~lod_unioni.errors.NotConformingError` (nothing written) when a violation is not an
    expected source disagreement, :class:`~lod_unioni.errors.RecordError` when a record made from
    the registries is not in the record format.
    """
    check_base_iri(base_iri)
    start = time.perf_counter()
    timings: dict[str, float] = {}
    clock = Clock(timings)
    reg, bundled = _read(sources, bundled_records)
    clock.lap("read")
    reconciliation = _reconcile(reg, bundled)
    clock.lap("reconcile")
    with progress.Step("matching the register with IPA, ISTAT and OntoPiA"):
        parts: dict[str, float] = {}
        result = build_national_records(reg, bundled, reconciliation=reconciliation, check_records=False, timings=parts)
        own = {id(r) for r in bundled}
        record_check = RecordCheck([r for r in result.records if id(r) not in own])  # in the background
        clock.lap("match")
        timings.update({f"match: {k}": v for k, v in parts.items()})
    for line in result.summary_lines():
        progress.info("  " + line)
    built = build_records(
        result.records,
        out_dir,
        base_iri,
        check=national_check(result, base_iri, shapes_dir) if validate else None,
        background=record_check,
        extra_files=report_files(result, base_iri),
        modified=result.data_date,
        mappings_dir=mappings_dir,
        write=write,
        timings=timings,
    )
    result.stats["triples"] = built.triples
    timings["total"] = time.perf_counter() - start
    return result, timings
