"""The checkup's charts, drawn as inline SVG (no library, nothing from the network): the coverage
of each measure, the amounts of each comune, and the union's euro per inhabitant among the unions of
its region and of Italy. Each chart has a ``<title>`` and an ``aria-label``; colours come from the
page's CSS classes, so that the page prints in black and white too."""

from __future__ import annotations

from decimal import Decimal

from ..web.html import esc
from .labels import amount, region_name, say
from .model import Checkup

__all__ = ["amounts_chart", "comparison_chart", "coverage_chart"]

_W = 640  # the width of every chart, in SVG units (it scales to the page)
_LABEL = 170  # the width of the labels on the left
_ROW = 22


def _svg(height: int, title: str, body: list[str]) -> str:
    t = esc(title)
    return (
        f'<svg class="chart" viewBox="0 0 {_W} {height}" width="100%" role="img" aria-label="{t}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{cls}>{esc(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, css: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" class="{css}"/>'


def coverage_chart(c: Checkup, lang: str) -> str:
    """A bar per measure: the share of the members with a live project; a measure whose file is
    not in the sources, or with no call for comuni, is a hatched bar labelled so."""
    span = _W - _LABEL - 70
    rows = c.figures.coverage
    body = []
    for i, cov in enumerate(rows):
        y = 10 + i * _ROW
        body.append(_text(_LABEL - 8, y + 14, cov.measure, "end"))
        body.append(_rect(_LABEL, y + 3, span, _ROW - 8, "bar-bg"))
        if not cov.in_sources:
            body.append(_rect(_LABEL, y + 3, span, _ROW - 8, "bar-unknown"))
            body.append(_text(_LABEL + 6, y + 14, say("not_in_sources", lang), css="on-bar"))
            continue
        if cov.closed_to_comuni:
            body.append(_rect(_LABEL, y + 3, span, _ROW - 8, "bar-unknown"))
            body.append(_text(_LABEL + 6, y + 14, say("not_for_comuni", lang), css="on-bar"))
            continue
        share = len(cov.covered) / cov.members if cov.members else 0
        body.append(_rect(_LABEL, y + 3, span * share, _ROW - 8, "bar-covered"))
        body.append(_text(_LABEL + span + 8, y + 14, f"{len(cov.covered)}/{cov.members}"))
    return _svg(20 + len(rows) * _ROW, say("coverage_chart", lang), body)


def amounts_chart(c: Checkup, lang: str) -> str:
    """Two bars per comune: the amount assigned and, below it, the amount disbursed."""
    items = [(m.name, f.totals.assigned, f.totals.disbursed) for m, f in zip(c.members, c.figures.comuni, strict=True)]
    top = max((a for _, a, _ in items), default=Decimal(0)) or Decimal(1)
    span = _W - _LABEL - 110
    body = []
    for i, (name, assigned, disbursed) in enumerate(items):
        y = 10 + i * (_ROW + 10)
        body.append(_text(_LABEL - 8, y + 14, name, "end"))
        body.append(_rect(_LABEL, y + 2, float(span * assigned / top), 11, "bar-assigned"))
        body.append(_rect(_LABEL, y + 15, float(span * disbursed / top), 11, "bar-disbursed"))
        body.append(_text(_LABEL + float(span * assigned / top) + 6, y + 12, amount(assigned, lang), css="small"))
        body.append(_text(_LABEL + float(span * disbursed / top) + 6, y + 25, amount(disbursed, lang), css="small"))
    legend_y = 20 + len(items) * (_ROW + 10)
    body.append(_rect(_LABEL, legend_y - 9, 12, 10, "bar-assigned"))
    body.append(_text(_LABEL + 18, legend_y, say("assigned", lang), css="small"))
    body.append(_rect(_LABEL + 130, legend_y - 9, 12, 10, "bar-disbursed"))
    body.append(_text(_LABEL + 148, legend_y, say("disbursed", lang), css="small"))
    return _svg(legend_y + 10, say("amounts_chart", lang), body)


def _strip(y: int, label: str, values: list[tuple[Decimal, bool]], median: Decimal | None, top: Decimal) -> list[str]:
    span = _W - _LABEL - 30
    body = [
        _text(_LABEL - 8, y + 4, label, "end"),
        f'<line x1="{_LABEL}" y1="{y}" x2="{_LABEL + span}" y2="{y}" class="axis"/>',
    ]
    for v, mine in sorted(values, key=lambda item: item[1]):  # this union drawn last, on top
        x = _LABEL + float(span * v / top)
        body.append(f'<circle cx="{x:.1f}" cy="{y}" r="{6 if mine else 3.5}" class="{"dot-this" if mine else "dot"}"/>')
    if median is not None:
        x = _LABEL + float(span * median / top)
        body.append(f'<line x1="{x:.1f}" y1="{y - 12}" x2="{x:.1f}" y2="{y + 12}" class="median"/>')
    return body


def comparison_chart(c: Checkup, lang: str) -> str:
    """The euro per inhabitant of every union of the region and of Italy as dots on a line, this
    union's dot larger, the medians as ticks."""
    italy = list(c.italy)
    mine = c.comparison.italy.value
    region = [p.per_capita for p in c.peers if p.per_capita is not None]
    top = max([*italy, *region, mine or Decimal(0)], default=Decimal(1)) or Decimal(1)
    others = list(italy)
    if mine is not None and mine in others:
        others.remove(mine)
    rows = [(region_name(c.union.region), region, c.comparison.region)] if c.comparison.region else []
    rows.append((say("italy", lang), others, c.comparison.italy))
    body: list[str] = []
    for i, (label, values, standing) in enumerate(rows):
        points = [(v, False) for v in values]
        if label != say("italy", lang) and mine is not None and mine in values:
            points.remove((mine, False))
        if mine is not None:
            points.append((mine, True))
        body += _strip(24 + i * 44, label, points, standing.median if standing else None, top)
    h = 24 + len(rows) * 44
    body.append(_text(_LABEL, h - 4, "0", css="small"))
    body.append(_text(_W - 30, h - 4, amount(top, lang), "end", css="small"))
    body.append(f'<circle cx="{_LABEL + 200}" cy="{h - 8}" r="6" class="dot-this"/>')
    body.append(_text(_LABEL + 210, h - 4, say("this_union", lang), css="small"))
    body.append(f'<line x1="{_LABEL + 320}" y1="{h - 14}" x2="{_LABEL + 320}" y2="{h}" class="median"/>')
    body.append(_text(_LABEL + 326, h - 4, say("median", lang), css="small"))
    return _svg(h + 6, say("comparison_chart", lang), body)
