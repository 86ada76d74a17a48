"""The build of records with what the sources add to them: the PNRR projects of their unions and
member comuni (PA digitale 2026, :mod:`lod_unioni.national.projects`). ``lod-unioni build
--sources DIR`` runs it on the bundled records::

    from lod_unioni.national.with_sources import build_with_sources
    built = build_with_sources("records", "output", "../shared/data", check=shacl_check())
    built.result.summary(), built.projects, built.measures, built.measures_not_read

The records are not changed (the projects are joined in memory, every build again): they stay what
the stewards curate, and the dumps are the records joined with the sources. Every PA digitale 2026
file read is a source of every union (``provenance.sources``; in the dumps a ``prov:Entity``
``{base}source/{name}``, a measure's file with ``dcterms:subject`` its measure), so that the dumps
tell a measure nobody applied to from a measure whose file was not in the sources. The date of the
data is the latest of the records' and of the downloads of the PA digitale 2026 files (a file placed
by hand has no known date).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import progress
from ..build import BuildResult, Check, build_records
from ..config import DEFAULT_BASE_IRI, Publisher
from ..records import Record, data_date, load_records
from ..registries import Registries, load_registries
from ..sources.folder import SourcesDir
from ..sources.kinds import PNRR_MEASURES
from .projects import ProjectIndex, has_projects, with_projects

__all__ = ["SourcedBuild", "build_with_sources"]


@dataclass
class SourcedBuild:
    """What a build with the sources produced: the build, the projects joined (CUPs, by union
    key), the measures whose applications file was read and those whose file was not."""

    result: BuildResult
    projects: int
    by_union: dict[str, int]
    measures: tuple[str, ...]
    measures_not_read: tuple[str, ...]
    index: ProjectIndex | None = None  # None: no PA digitale 2026 applications in the sources

    def summary_lines(self) -> list[str]:
        """What the build joined, for people."""
        if self.index is None:
            return ["no PA digitale 2026 applications in the sources (padigitale2026/candidature_*.csv): no projects"]
        unions = ", ".join(f"{k} {n}" for k, n in sorted(self.by_union.items()))
        absent = ", ".join(self.measures_not_read) or "none"
        return [
            f"PNRR projects (PA digitale 2026): {self.projects} ({unions})",
            f"PNRR measures in the sources: {', '.join(self.measures) or 'none'}; not in the sources: {absent}",
        ]


def _data_date(records: Sequence[Record], index: ProjectIndex | None) -> str | None:
    dates = [d for d in (data_date(records),) if d]
    if index is not None:
        dates += [item["retrieved"][:10] for item in index.sources.values() if item.get("retrieved")]
    return max(dates) if dates else None


def build_with_sources(
    records: Sequence[Record] | str | Path,
    out_dir: str | Path,
    sources: Registries | SourcesDir | str | Path,
    base_iri: str = DEFAULT_BASE_IRI,
    *,
    check: Check | None = None,
    mappings_dir: str | Path | None = None,
    iri_register: str | Path | None = None,
    publisher: Publisher | None = None,
) -> SourcedBuild:
    """Join the projects of the sources to ``records`` (records, or their folder) and build them
    (:func:`lod_unioni.build.build_records`, with ``check``, ``mappings_dir``, ``iri_register``,
    ``publisher``). ``sources``: the registries, or a folder laid out like ``../shared/data`` (every
    registry file is needed: IPA tells the unions, ISTAT and OntoPiA the comuni merged since). A
    folder without PA digitale 2026 applications builds the records without projects. A missing
    folder or registry file: :class:`~lod_unioni.errors.LodError`."""
    if isinstance(records, (str, Path)):
        with progress.Step(f"reading records from {records}"):
            records = load_records(records)
    if not isinstance(sources, Registries):
        with progress.Step(f"reading the registries in {sources}"):
            sources = load_registries(sources)
    index = None
    joined = list(records)
    if has_projects(sources):
        with progress.Step("joining the PNRR projects of PA digitale 2026 to the records"):
            joined, index = with_projects(sources, records)
    result = build_records(
        joined,
        out_dir,
        base_iri,
        check=check,
        modified=_data_date(joined, index),
        mappings_dir=mappings_dir,
        iri_register=iri_register,
        publisher=publisher,
    )
    by_union = {r.union_key: len({p["cup"] for p in r.data.get("projects", ())}) for r in result.records}
    return SourcedBuild(
        result=result,
        projects=len({p["cup"] for r in joined for p in r.data.get("projects", ())}),
        by_union=by_union,
        measures=index.measures if index is not None else (),
        measures_not_read=index.measures_not_read if index is not None else PNRR_MEASURES,
        index=index,
    )
