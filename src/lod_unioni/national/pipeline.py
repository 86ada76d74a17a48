"""The national build: read the registries and the bundled records, reconcile, match, then the one
build pipeline (:func:`lod_unioni.build.build_records`) with the national policy as its check and
the national report as extra files.

The IRI register (:mod:`lod_unioni.iris`; ``iris.csv`` in the output folder, or ``iri_register``)
gives each union the IRI first minted for it, by its Ministry code (a bundled record: the code of
the register union it replaces) or its IPA code; an IRI no longer described stays deprecated, a
comune ISTAT recoded or merged with its successor from OntoPiA's history
(:meth:`lod_unioni.registries.Registries.comune_successor`)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .. import progress
from ..build import Clock, Identities, build_records, key_unions, open_register, union_identities
from ..config import DEFAULT_BASE_IRI, Publisher, check_base_iri
from ..iris import IriRegister
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


def national_identities(result: NationalResult) -> Identities:
    """A union's identities for the IRI register: a bundled record also has the Ministry code of
    the register union it replaces."""
    replaced = {id(um.bundled): um.code for um in result.unions if um.bundled is not None}

    def identities(rec: Record) -> tuple[str, ...]:
        own = union_identities(rec)
        code = replaced.get(id(rec))
        if code is None or rec.union.ministry_code:
            return own
        return (f"ministry:{code}", *own)

    return identities


def _keyed(result: NationalResult, register: IriRegister, identities: Identities) -> None:
    """Give the result's records the union IRIs the register keeps, and say them in what refers
    to the unions by key (the expected disagreements, the unions IPA does not know)."""
    records = key_unions(result.records, register, identities)
    moved = {r.key: r.union_key for r in records if r.union_key != r.key}
    result.records = records
    if moved:
        result.expected = [replace(d, union_key=moved.get(d.union_key, d.union_key)) for d in result.expected]
        for u in result.unmatched_unions:
            u["iri_key"] = moved.get(u["iri_key"], u["iri_key"])


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
    iri_register: str | Path | None = None,
    publisher: Publisher | None = None,
    projects: bool = True,
) -> tuple[NationalResult, dict[str, float]]:
    """The whole national build: read, reconcile, match, then map, validate, check records, render
    and write (:func:`lod_unioni.build.build_records`). Returns the result and the seconds of each
    step (``read``, ``reconcile``, ``match`` and its parts ``match: ...``, ``map``, ``validate``,
    ``check records``, ``turtle``, ``jsonld``, ``ntriples``, ``catalog``, ``write``, ``total``).

    ``bundled_records``: records or a folder (default: the bundled records of the package).
    ``validate=False`` skips SHACL; ``write=False`` writes nothing (for benchmarks).
    ``iri_register``: the IRI register's file (default: ``iris.csv`` in ``out_dir``); ``publisher``:
    the ``[publisher]`` settings (:func:`lod_unioni.build.build_records`); ``projects=False``
    leaves out the PA digitale 2026 projects (for benchmarks). Raises
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
        result = build_national_records(
            reg, bundled, reconciliation=reconciliation, check_records=False, projects=projects, timings=parts
        )
        own = {id(r) for r in bundled}
        record_check = RecordCheck([r for r in result.records if id(r) not in own])  # in the background
        clock.lap("match")
        timings.update({f"match: {k}": v for k, v in parts.items()})
    for line in result.summary_lines():
        progress.info("  " + line)
    register = open_register(iri_register, out_dir, base_iri)
    identities = national_identities(result)
    _keyed(result, register, identities)
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
        iri_register=register,
        identities=identities,
        comune_successor=reg.comune_successor,
        publisher=publisher,
    )
    result.stats["triples"] = built.triples
    timings["total"] = time.perf_counter() - start
    return result, timings
