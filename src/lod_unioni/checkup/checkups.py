"""The checkups of the unions of one build's dumps: ``Checkups(read_dumps(folder))`` computes the
PNRR figures of every union once (the comparisons need them all, :mod:`lod_unioni.pnrr.indicators`);
``.find(text)`` finds a union, ``.of(union)`` makes its :class:`~.model.Checkup`."""

from __future__ import annotations

import dataclasses

from ..errors import LodError
from ..pnrr.indicators import Comune, Project, Sources, Union, UnionFigures, compare, union_figures
from ..vocabularies import PNRR_MEASURES, SCHEMES, bundled_path, concepts
from .dumps import Dumps, ProjectRow, UnionRow
from .find import find_union
from .findings import findings
from .model import COMUNI, Checkup, Gap, Measure, Peer

__all__ = ["Checkups", "applications_read"]


def _project(row: ProjectRow) -> Project:
    return Project(row.cup, row.measure, row.amount, row.status, row.status_date, row.call)


def applications_read(dumps: Dumps) -> Sources:
    """The PA digitale 2026 files the dumps cite, by measure (``.nothing_read``: the dumps carry no
    applications, built without their projects, and have no checkup)."""
    named = Sources.from_names(dumps.sources)  # a file of a measure also says it (dcterms:subject)
    return Sources(named.measures | set(dumps.source_measures.values()), named.other_bodies)


class Checkups:
    """The checkups of the unions of one build's dumps: every union's figures computed once."""

    def __init__(self, dumps: Dumps) -> None:
        self.dumps = dumps
        self.sources = applications_read(dumps)
        if self.sources.nothing_read:
            raise LodError(
                "the dumps carry no PA digitale 2026 applications (they cite none of its files): build them with "
                "their projects, e.g. lod-unioni build --national --sources DIR, and give --dumps",
                file=str(dumps.path),
            )
        scheme = concepts(bundled_path(PNRR_MEASURES), SCHEMES[PNRR_MEASURES])
        self.labels = {n: (c.pref_it, c.pref_en or c.pref_it) for n, c in scheme.items()}
        self.notations = tuple(scheme)
        self.figures: dict[str, UnionFigures] = {
            iri: union_figures(self._union(u), self.sources, self.notations) for iri, u in dumps.unions.items()
        }

        self.italy = tuple(sorted(v for f in self.figures.values() if (v := f.totals.per_capita) is not None))

    def _projects(self, body: str) -> tuple[Project, ...]:
        return tuple(_project(self.dumps.projects[p]) for p in self.dumps.involved.get(body, ()))

    def _union(self, u: UnionRow) -> Union:
        members = tuple(
            Comune(c.istat, c.population, self._projects(c.iri))
            for c in (self.dumps.comuni[i] for i in self.dumps.members.get(u.iri, ()))
        )
        return Union(u.iri, members, self._projects(u.iri), region=u.region)

    def find(self, text: str) -> UnionRow:
        """The union ``text`` names (:func:`.find.find_union`)."""
        return find_union(self.dumps, text)

    def _measures(self, figures: UnionFigures) -> tuple[Measure, ...]:
        out = []
        for n in figures.measures:
            calls = sorted(
                (c for c in self.dumps.calls.values() if c.measure == n),
                key=lambda c: (c.start.isoformat() if c.start else "", c.title),
            )
            it, en = self.labels.get(n, (n, n))
            out.append(Measure(n, it, en, self.sources.has(n), self.sources.has(n, union=True), tuple(calls)))
        return tuple(out)

    def _peers(self, union: UnionRow) -> tuple[Peer, ...]:
        same = [u for u in self.dumps.unions.values() if u.region is not None and u.region == union.region]
        peers = [Peer(u.key, u.name, self.figures[u.iri].totals.per_capita) for u in same]
        return tuple(sorted(peers, key=lambda p: (p.per_capita is None, -(p.per_capita or 0), p.name)))

    def of(self, union: UnionRow | str) -> Checkup:
        """The checkup of a union of the dumps (a :class:`UnionRow`, or what :meth:`find` takes)."""
        row = union if isinstance(union, UnionRow) else self.find(union)
        figures = self.figures[row.iri]
        measures = self._measures(figures)
        gaps = tuple(
            Gap(cov.measure, cov.missing, cov.renounced, m.calls_for(COMUNI))
            for cov, m in zip(figures.coverage, measures, strict=True)
            if cov.a_gap
        )
        members = tuple(self.dumps.comuni[i] for i in self.dumps.members.get(row.iri, ()))
        draft = Checkup(
            union=row,
            members=members,
            measures=measures,
            figures=figures,
            comparison=compare(figures, self.figures.values()),
            peers=self._peers(row),
            italy=self.italy,
            gaps=gaps,
            findings=(),
            calls=self.dumps.calls,
            sources=tuple(s for s in self.dumps.sources if s.startswith("padigitale-")),
            version=self.dumps.version,
            dumps=str(self.dumps.path),
        )
        return dataclasses.replace(draft, findings=findings(draft))
