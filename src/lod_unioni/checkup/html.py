"""The checkup as HTML: :func:`fragment` (a ``<section>`` to embed in another page, such as a
union's page of the site: its style is scoped to ``.lu-checkup``) and :func:`page` (one
self-contained printable page: the fragment, its CSS inline, its charts inline SVG, nothing from the
network)."""

from __future__ import annotations

from ..web.html import esc
from .charts import amounts_chart, comparison_chart, coverage_chart
from .labels import say
from .layout import Block, Item, layout
from .model import Checkup

__all__ = ["CSS", "fragment", "page"]

#: The style of the checkup, scoped to its section; black-and-white friendly when printed.
CSS = """
.lu-checkup{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:60rem;
margin:0 auto;padding:1rem;line-height:1.45}
.lu-checkup .title{font-size:1.6rem;margin:.2rem 0 .4rem}
.lu-checkup .part{font-size:1.2rem;margin:1.6rem 0 .5rem;border-bottom:2px solid #0b5394;padding-bottom:.2rem;
break-after:avoid}
.lu-checkup table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0;break-inside:auto}
.lu-checkup th,.lu-checkup td{border:1px solid #c8c8c8;padding:.25rem .4rem;text-align:left;vertical-align:top}
.lu-checkup th{background:#eef3f8}
.lu-checkup td.num{text-align:right;white-space:nowrap}
.lu-checkup td.date{white-space:nowrap}
.lu-checkup tr{break-inside:avoid}
.lu-checkup .st-E{background:#d4edda}
.lu-checkup .st-A{background:#fff3cd}
.lu-checkup .st-R{background:#f8d7da}
.lu-checkup .st-none{background:#fbe3e4;font-weight:600}
.lu-checkup .st-not-in-sources{background:#e9ecef;color:#555;font-style:italic}
.lu-checkup .findings li{margin:.3rem 0}
.lu-checkup figure{margin:.6rem 0}
.lu-checkup figcaption{font-size:.85rem;color:#444}
.lu-checkup svg.chart{max-width:100%;height:auto;font-size:12px}
.lu-checkup svg .bar-bg{fill:#eef0f2}
.lu-checkup svg .bar-covered{fill:#2e7d32}
.lu-checkup svg .bar-unknown{fill:#d0d0d0}
.lu-checkup svg .bar-assigned{fill:#0b5394}
.lu-checkup svg .bar-disbursed{fill:#2e7d32}
.lu-checkup svg .dot{fill:#7f9cbf;fill-opacity:.55}
.lu-checkup svg .dot-this{fill:#c62828;stroke:#1b1b1b;stroke-width:1}
.lu-checkup svg .axis{stroke:#888;stroke-width:1}
.lu-checkup svg .median{stroke:#1b1b1b;stroke-width:2}
.lu-checkup svg .small{font-size:10px}
.lu-checkup svg .on-bar{font-style:italic;fill:#333}
@media print{.lu-checkup{max-width:none;padding:0;font-size:10pt}.lu-checkup .part{margin-top:1rem}
.lu-checkup .st-E,.lu-checkup .st-A,.lu-checkup .st-R,.lu-checkup .st-none{-webkit-print-color-adjust:exact;
print-color-adjust:exact}}
"""


def _cell(item: Item, tag: str = "td") -> str:
    classes = " ".join(c for c in (item.css, "num" if item.numeric else "") if c)
    attr = f' class="{classes}"' if classes else ""
    return f"<{tag}{attr}>{esc(item.text)}</{tag}>"


def _table(b: Block) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in b.headers)
    rows = []
    for row in b.rows:
        first, rest = row[0], row[1:]
        rows.append(
            "<tr>" + _cell(first, "th").replace("<th", '<th scope="row"', 1) + "".join(_cell(i) for i in rest) + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _chart(c: Checkup, b: Block, lang: str) -> str:
    draw = {"coverage": coverage_chart, "amounts": amounts_chart, "comparison": comparison_chart}[b.name]
    if b.name in ("amounts", "coverage") and not c.members:  # members not known
        return ""
    return f"<figure>{draw(c, lang)}<figcaption>{esc(b.text)}</figcaption></figure>"


def fragment(c: Checkup, lang: str, level: int = 1, *, ids: str = "checkup") -> str:
    """The checkup as one ``<section class="lu-checkup">``, its title an ``h{level}`` and its parts
    ``h{level + 1}`` (``level=2`` inside a page that has its own ``h1``), without its CSS (:data:`CSS`,
    which the embedding page includes once). ``ids``: the prefix of its parts' ids (``checkup-gaps``;
    another for a second fragment in the same page)."""
    if not 1 <= level <= 5:
        raise ValueError(f"heading level {level}: expected 1 to 5")
    h1, h2 = f"h{level}", f"h{level + 1}"
    parts = [f'<section class="lu-checkup" lang="{lang}">']
    in_findings = False
    for b in layout(c, lang):
        if b.kind == "title":
            parts.append(f'<{h1} class="title">{esc(b.text)}</{h1}>')
        elif b.kind == "h2":
            in_findings = b.section == "findings"
            parts.append(f'<{h2} class="part" id="{esc(ids)}-{esc(b.section)}">{esc(b.text)}</{h2}>')
        elif b.kind == "p":
            parts.append(f"<p>{esc(b.text)}</p>")
        elif b.kind == "ul":
            cls = ' class="findings"' if in_findings else ""
            parts.append(f"<ul{cls}>" + "".join(f"<li>{esc(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "table":
            parts.append(_table(b))
        elif b.kind == "chart":
            parts.append(_chart(c, b, lang))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def page(c: Checkup, lang: str) -> str:
    """One self-contained HTML5 page: the fragment with its CSS inline; prints on A4."""
    title = f"{say('title', lang)} — {c.union.name}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}@page{{size:A4;margin:14mm}}</style>\n</head>\n<body>\n<main>\n"
        f"{fragment(c, lang)}\n</main>\n</body>\n</html>\n"
    )
