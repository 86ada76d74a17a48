"""Reconcile union records with the official registries: list every disagreement, never rewrite.

Each record (``records/*.yaml``) is checked against the registry files of a ``--sources`` folder (or
the download cache), each read once (:mod:`lod_unioni.registries`): IPA (``ipa-enti``), the ISTAT
list of comuni (``istat-comuni``), ISTAT resident population (``istat-population``, e.g. at
2022-01-01), OntoPiA cities / provinces / regions, the Ministry of the Interior register of
unions (``ministry-unions``) and, when the folder has them, the PA digitale 2026 applications
(``padigitale-candidature``)::

    from lod_unioni.reconcile import reconcile
    result = reconcile(load_records("records"), "/path/to/sources")   # or a SourcesDir / Registries
    for f in result.findings:
        print(f.severity, f.union, f.field, f.record_value, f.registry_value, f.message_en)
    result.exit_code        # 0 when only info findings, 1 when a warning or an error

Every :class:`Finding` names the record (union IPA code, file), the record field as a path
(``members[2].population.value``), the check id, the severity, the value on each side, the registry
and its file's provenance (URL or local path, date, SHA-256) with the line of the registry row, and
a message in English and Italian. :func:`lod_unioni.validation.findings.findings_as_validation_results`
turns them into SHACL-like results for ``lod-unioni validate --sources DIR``.

The checks are declared once, in :mod:`.checks` (id, severity, registry, messages in English and
Italian); their table is ``docs/reconcile-checks.md``. Each family of checks is one module, run in
this order: :mod:`.territory` (the union's province and region), :mod:`.ipa` (the union's IPA code,
name, seat, or its likely code), :mod:`.website`, :mod:`.members` (ISTAT, OntoPiA city, IPA of the
members), :mod:`.population`, :mod:`.ministry` (the register of unions), :mod:`.projects` (the PNRR
applications of the union and its members: those not joined, a ``cod_comune`` not the seat of
the body). They share a
:class:`~.context.Context` and report through :meth:`~.context.Context.add`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..records import Record, load_records
from ..registries import Registries, load_registries
from ..sources.folder import SourcesDir
from ..sources.kinds import OPTIONAL_REGISTRY_KINDS
from . import ipa, members, ministry, population, projects, territory, website
from .checks import CHECKS, SEVERITIES, Check, Severity
from .context import Context
from .findings import Finding, Reconciliation, UnionReport

__all__ = [
    "CHECKS",
    "FAMILIES",
    "SEVERITIES",
    "Check",
    "Finding",
    "Reconciliation",
    "Severity",
    "UnionReport",
    "reconcile",
    "reconcile_record",
]

#: The families of checks, in the order they run on a record (later ones use what earlier ones learnt).
FAMILIES = (
    territory.check,
    ipa.check,
    website.check,
    members.check,
    population.check,
    ministry.check,
    projects.check,
)


def reconcile_record(record: Record, registries: Registries) -> tuple[UnionReport, list[Finding]]:
    """Check one record; returns what was learnt about its union and its findings."""
    ctx = Context(record, registries)
    for family in FAMILIES:
        family(ctx)
    return ctx.report, ctx.findings


def reconcile(records: Iterable[Record] | str | Path, sources: Registries | SourcesDir | str | Path) -> Reconciliation:
    """Check each record against the registries and list every disagreement.

    ``records``: loaded records (:func:`lod_unioni.records.load_records`) or a folder of records.
    ``sources``: a :class:`~lod_unioni.registries.Registries` already read, a
    :class:`~lod_unioni.sources.folder.SourcesDir`, or a sources folder. Records are never changed.
    """
    if isinstance(records, (str, Path)):
        records = load_records(records)
    reg = sources if isinstance(sources, Registries) else load_registries(sources)
    findings: list[Finding] = []
    unions: list[UnionReport] = []
    for record in records:
        report, found = reconcile_record(record, reg)
        unions.append(report)
        findings.extend(found)
    refs = dict(reg.refs)
    for name, ref in reg.application_refs.items():  # the PA digitale 2026 applications, when read
        if ref.kind in OPTIONAL_REGISTRY_KINDS:
            refs[f"padigitale2026/{name}"] = ref
    return Reconciliation(findings, unions, refs, str(reg.sources.path))
