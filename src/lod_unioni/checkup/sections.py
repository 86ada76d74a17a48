"""The checkup in the resource pages of the static site and of the server: a union's page shows its
checkup (:func:`.html.fragment`, in Italian, then in English folded in a ``<details>``), a comune's
page the PNRR projects it is involved in (CUP, measure, amount, status), from the same dumps::

    sections = PageSections.read(quads, "https://w3id.org/lod-unioni/data/unioni.nt")
    renderer = Renderer(quads, base_iri, sections=sections)      # None: dumps without applications

The dumps are read once (:func:`.dumps.read_dumps`, from the quads the renderer reads: no second
parse) and every union's figures computed once (:class:`.checkups.Checkups`). Dumps built without
their projects cite no PA digitale 2026 file: they have no checkup, and the pages no section.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import DefaultGraph, Quad, Store

from ..vocab import LUPM
from ..web import Renderer, Section
from ..web.html import both, esc
from .checkups import Checkups, applications_read
from .dumps import Dumps, ProjectRow, read_dumps
from .html import CSS, fragment
from .labels import STATUS, amount, say

__all__ = ["STYLE", "PageSections", "style_files"]

#: Where the checkup's style sheet is, from the site root (linked by the pages that show a checkup).
STYLE = "assets/checkup.css"


def style_files() -> dict[str, bytes]:
    """The checkup's style sheet, by its path from the site root (:data:`STYLE`)."""
    return {STYLE: CSS.encode("utf-8")}


class PageSections:
    """The sections of the pages of one build's dumps (a :data:`lod_unioni.web.Sections`)."""

    def __init__(self, checkups: Checkups, dump: str) -> None:
        self.checkups = checkups
        self.dumps: Dumps = checkups.dumps
        self.dump = dump  # what the checkup names as its dump (the dump's IRI: not a local path)

    @classmethod
    def read(cls, quads: Iterable[Quad], dump: str) -> PageSections | None:
        """The sections of the dumps whose quads are ``quads`` (those of the default graph are
        read), or None when the dumps carry no PA digitale 2026 applications. ``dump``: how the
        checkup names the dump (its IRI)."""
        store = Store()
        store.bulk_extend(q for q in quads if q.graph_name == DefaultGraph())
        dumps = read_dumps(Path(dump.rsplit("/", 1)[-1]), store=store)
        if applications_read(dumps).nothing_read:
            return None
        return cls(Checkups(dumps), dump)

    def __call__(self, r: Renderer, iri: str, at: str) -> list[Section]:
        union = self.dumps.unions.get(iri)
        if union is not None:
            c = dataclasses.replace(self.checkups.of(union), dumps=self.dump)
            english = (
                f'<details class="lu-checkup-en" lang="en"><summary>{esc(say("title", "en"))}, in English</summary>\n'
                f"{fragment(c, 'en', 2, ids='checkup-en')}\n</details>\n"
            )
            return [Section(fragment(c, "it", 2) + "\n" + english, (STYLE,))]
        projects = self.dumps.involved.get(iri)
        if projects:
            return [Section(self._projects(r, at, [self.dumps.projects[p] for p in projects]))]
        return []

    def _projects(self, r: Renderer, at: str, projects: list[ProjectRow]) -> str:
        rows = []
        for p in sorted(projects, key=lambda p: (p.measure or "", p.cup)):
            path = r.path(p.iri)
            cup = esc(p.cup)
            if path is not None and r.is_resource(p.iri):
                cup = f'<a href="{esc(r.href(path, at=at))}">{cup}</a>'
            measure = ""
            if p.measure is not None:
                it, en = self.checkups.labels.get(p.measure, (p.measure, p.measure))
                measure = both(it, en)
                concept = r.path(LUPM + p.measure)
                if concept is not None and r.is_resource(LUPM + p.measure):
                    measure = f'<a href="{esc(r.href(concept, at=at))}">{measure}</a>'
            state_it, state_en, _ = STATUS.get(p.status, (p.status, p.status, ""))
            rows.append(
                f'<tr><th scope="row">{cup}</th><td>{measure}</td>'
                f'<td class="num">{both(amount(p.amount, "it"), amount(p.amount, "en"))}</td>'
                f'<td class="st-{esc(p.status)}">{both(state_it, state_en)}</td></tr>'
            )
        head = "".join(
            f'<th scope="col">{both(say(k, "it"), say(k, "en"))}</th>' for k in ("cup", "measure", "amount", "status")
        )
        title = both("Progetti PNRR (PA digitale 2026)", "PNRR projects (PA digitale 2026)")
        note = both(
            "I progetti PNRR del comune (candidature finanziate di PA digitale 2026): per ciascuno l'importo e lo "
            "stato della sua ultima candidatura.",
            "The comune's PNRR projects (funded applications of PA digitale 2026): for each, the amount and status "
            "of its latest application.",
            sep=" ",
        )
        return (
            f'<section aria-labelledby="pnrr-projects"><h2 id="pnrr-projects">{title}</h2>\n<p>{note}</p>\n'
            f'<table class="pnrr-projects"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            "</section>\n"
        )
