"""The checkup laid out once, in one language, as a list of blocks (headings, paragraphs, lists,
tables, charts), which the text, Markdown and HTML renderers write each in their own way."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pnrr.indicators import Cell, Project, Standing
from .dumps import CallRow
from .labels import amount, day, mark, number, region_name, say, status
from .model import Checkup

__all__ = ["Block", "Item", "layout"]


@dataclass(frozen=True)
class Item:
    """A table cell: its text and, for HTML, a class (a cell's state: ``st-E``...)."""

    text: str
    css: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Block:
    """``kind``: ``title``, ``h2``, ``p``, ``ul``, ``table`` or ``chart`` (``name`` the chart)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[Item, ...], ...] = field(default_factory=tuple)
    name: str = ""
    section: str = ""


def _cell_item(cell: Cell, lang: str, *, union: bool = False) -> Item:
    """A comune's (or the union's) cell; the union's are coloured only where it has projects: a
    union need not apply for what its comuni do."""
    text = mark(cell.status)
    if cell.assigned:
        text += " " + amount(cell.assigned, lang)
    return Item(text, "" if union and not cell.projects else f"st-{cell.status}")


def _head(c: Checkup, lang: str) -> list[Block]:
    u = c.union
    t = c.figures.totals
    facts = [f"{say('region', lang)} {region_name(u.region)}" if u.region else "", f"IPA {u.ipa}" if u.ipa else ""]
    facts.append(f"{say('members', lang)}: {len(c.members)}")
    if t.population is not None:
        facts.append(f"{say('population', lang)}: {number(t.population, lang)}")
    if c.version:
        facts.append(f"{say('version', lang)}: {c.version}")
    return [
        Block("title", f"{say('title', lang)} — {u.name}"),
        Block("p", say("subtitle", lang)),
        Block("p", " · ".join(f for f in facts if f)),
    ]


def _table(c: Checkup, lang: str) -> list[Block]:
    measures = c.figures.measures
    headers = (say("comune", lang), *measures, say("assigned", lang), say("per_capita", lang))
    rows = []
    for member, f in zip(c.members, c.figures.comuni, strict=True):
        cells = tuple(_cell_item(cell, lang) for cell in f.cells)
        rows.append(
            (
                Item(f"{member.name} ({member.istat})"),
                *cells,
                Item(amount(f.totals.assigned, lang), numeric=True),
                Item(amount(f.totals.per_capita, lang), numeric=True),
            )
        )
    own = tuple(_cell_item(cell, lang, union=True) for cell in c.figures.own)
    rows.append((Item(f"{say('union', lang)}: {c.union.name}"), *own, Item(""), Item("")))
    legend = [
        f"{m.notation} {m.label_it if lang == 'it' else m.label_en}"
        + ("" if cov.for_comuni else f" ({say('not_for_comuni', lang)})")
        for m, cov in zip(c.measures, c.figures.coverage, strict=True)
    ]
    return [
        Block("h2", say("table", lang), section="table"),
        Block("table", headers=headers, rows=tuple(rows)),
        Block("p", say("table_note", lang)),
        Block("ul", items=tuple(legend)),
        Block("chart", name="amounts", text=say("amounts_chart", lang)),
    ]


def _project_row(c: Checkup, p: Project, lang: str, who: str = "") -> tuple[Item, ...]:
    call = c.calls.get(p.call or "")
    row = (
        Item(p.measure or ""),
        Item(p.cup),
        Item(amount(p.amount, lang), numeric=True),
        Item(status(p.status, lang), f"st-{p.status}"),
        Item(day(p.status_date, lang), "date"),
        Item(call.title if call else ""),
    )
    return (Item(who), *row) if who else row


def _projects(c: Checkup, lang: str) -> list[Block]:
    base = (say("measure", lang), say("cup", lang), say("amount", lang), say("status", lang), say("date", lang))
    headers = (say("comune", lang), *base, say("call", lang))
    rows = []
    for member, f in zip(c.members, c.figures.comuni, strict=True):
        projects = sorted(
            {p.cup: p for cell in f.cells for p in cell.projects}.values(), key=lambda p: (p.measure or "", p.cup)
        )
        rows += [_project_row(c, p, lang, member.name) for p in projects]
    blocks = [Block("h2", say("projects", lang), section="projects")]
    if rows:
        blocks.append(Block("table", headers=headers, rows=tuple(rows)))
    own = [p for cell in c.figures.own for p in cell.projects]
    blocks.append(Block("h2", say("own", lang), section="own"))
    if own:
        blocks.append(
            Block("table", headers=(*base, say("call", lang)), rows=tuple(_project_row(c, p, lang) for p in own))
        )
    else:
        blocks.append(Block("p", say("no_own", lang)))
    return blocks


def _call_line(k: CallRow, lang: str) -> str:
    period = f"{day(k.start, lang)} – {day(k.end, lang)}" if k.start or k.end else ""
    extra = ", ".join(x for x in (period, k.state or "") if x)
    return f"{k.title}" + (f" ({extra})" if extra else "")


def _coverage(c: Checkup, lang: str) -> list[Block]:
    rows = []
    for cov in c.figures.coverage:
        if not cov.in_sources:
            rows.append((Item(cov.measure), Item(say("not_in_sources", lang), "st-not-in-sources"), Item("")))
            continue
        if not cov.members:  # members not known: nothing to count
            rows.append((Item(cov.measure), Item("—"), Item("")))
            continue
        if cov.closed_to_comuni:  # no call for comuni: not a gap
            rows.append((Item(cov.measure), Item(say("not_for_comuni", lang), "st-not-in-sources"), Item("")))
            continue
        names = ", ".join(c.member(i).name for i in cov.missing)
        css = "st-E" if not cov.missing else ("st-none" if not cov.covered else "st-A")
        rows.append((Item(cov.measure), Item(f"{len(cov.covered)} {say('of', lang)} {cov.members}", css), Item(names)))
    blocks = [
        Block("h2", say("coverage", lang), section="coverage"),
        Block("table", headers=(say("measure", lang), say("covered", lang), say("missing", lang)), rows=tuple(rows)),
        Block("chart", name="coverage", text=say("coverage_chart", lang)),
        Block("h2", say("gaps", lang), section="gaps"),
    ]
    if not c.gaps:
        blocks.append(Block("p", say("no_gaps", lang)))
    for g in c.gaps:
        names = ", ".join(c.member(i).name for i in g.comuni)
        calls = tuple(_call_line(k, lang) for k in g.calls) or (say("no_call", lang),)
        blocks.append(Block("p", f"{g.measure}: {names}. {say('calls_for', lang)}:"))
        blocks.append(Block("ul", items=calls))
    return blocks


def _standing_text(s: Standing, lang: str) -> str:
    if s.rank is None:
        text = f"{say('rank', lang).lower()}: — ({s.ranked} {say('of', lang)} {s.ranked + s.unranked})"
    else:
        text = f"{say('rank', lang).lower()} {s.rank} {say('of', lang)} {s.ranked}"
    text += f"; {say('median', lang).lower()} {amount(s.median, lang)}"
    if s.unranked:
        text += f"; {s.unranked} {say('unranked', lang)}"
    return text


def _totals(c: Checkup, lang: str) -> list[Block]:
    t = c.figures.totals
    lines = (
        f"{say('projects', lang)}: {t.projects} ({t.live} {'non rinunciati' if lang == 'it' else 'not renounced'})",
        f"{say('assigned', lang)}: {amount(t.assigned, lang)}",
        f"{say('disbursed', lang)}: {amount(t.disbursed, lang)}",
        f"{say('renounced', lang)}: {amount(t.renounced, lang)}",
        f"{say('per_capita', lang)}: {amount(t.per_capita, lang)}",
    )
    cmp = c.comparison
    compared = []
    if cmp.region is not None:
        compared.append(f"{say('region', lang)} {region_name(c.union.region)}: {_standing_text(cmp.region, lang)}")
    compared.append(f"{say('italy', lang)}: {_standing_text(cmp.italy, lang)}")
    return [
        Block("h2", say("totals", lang), section="totals"),
        Block("ul", items=lines),
        Block("h2", say("comparison", lang), section="comparison"),
        Block("ul", items=tuple(compared)),
        Block("chart", name="comparison", text=say("comparison_chart", lang)),
    ]


def _notes(c: Checkup, lang: str) -> list[Block]:
    sources = ", ".join(c.sources) or "—"
    measures = ", ".join(m.notation for m in c.measures if m.comuni_in_sources) or "—"
    read = f"{say('rule_measures', lang)} {measures}."
    return [
        Block("h2", say("notes", lang), section="notes"),
        Block("ul", items=(say("rule_renounced", lang), say("rule_once", lang), read, say("rule_rank", lang))),
        Block("p", f"{say('sources', lang)}: {sources} ({c.dumps})."),
    ]


def layout(c: Checkup, lang: str) -> list[Block]:
    """The blocks of the checkup in ``lang``: head, findings, the table, projects, coverage and
    gaps, totals and comparison, notes."""
    findings = [
        Block("h2", say("findings", lang), section="findings"),
        Block("ul", items=tuple(f.text(lang) for f in c.findings)),
    ]
    return [
        *_head(c, lang),
        *findings,
        *_table(c, lang),
        *_projects(c, lang),
        *_coverage(c, lang),
        *_totals(c, lang),
        *_notes(c, lang),
    ]
