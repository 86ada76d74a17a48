"""The checkup in each format: ``text`` (a terminal), ``md`` (Markdown), ``html`` (one
self-contained printable page), ``json`` (the whole model) and ``csv`` (one row per body x
measure). :func:`render_html` also gives the HTML to embed in another page (the site's union pages)."""

from __future__ import annotations

from typing import NamedTuple

from ..errors import LodError
from . import html
from .data import to_csv, to_json
from .labels import LANGS
from .layout import layout
from .model import Checkup
from .text import to_markdown, to_text

__all__ = ["FORMATS", "HtmlCheckup", "render", "render_html"]

FORMATS = ("text", "md", "html", "json", "csv")


def render(c: Checkup, fmt: str = "text", lang: str = "it") -> str:
    """The checkup ``c`` in format ``fmt`` (:data:`FORMATS`) and language ``lang`` (``it``, ``en``;
    json and csv carry both languages, or none)."""
    if fmt not in FORMATS:
        raise LodError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}", field="format")
    if lang not in LANGS:
        raise LodError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}", field="lang")
    if fmt == "json":
        return to_json(c)
    if fmt == "csv":
        return to_csv(c)
    if fmt == "html":
        return html.page(c, lang)
    blocks = layout(c, lang)
    return to_markdown(blocks) if fmt == "md" else to_text(blocks)


class HtmlCheckup(NamedTuple):
    """The checkup in HTML: ``fragment`` (a ``<section class="lu-checkup">`` to embed), ``css`` (its
    style, to put once in the embedding page's ``<style>``) and ``page`` (the self-contained page)."""

    fragment: str
    css: str
    page: str


def render_html(c: Checkup, lang: str = "it", level: int = 1) -> HtmlCheckup:
    """The checkup as an HTML fragment (its headings from ``h{level}``), its CSS and a whole page."""
    if lang not in LANGS:
        raise LodError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}", field="lang")
    return HtmlCheckup(html.fragment(c, lang, level), html.CSS, html.page(c, lang))
