"""The frame of every page (HTML5: ``lang`` attributes, a skip link, landmarks, our own style
sheet, no external script, font or style) and small HTML helpers.

Italian comes first and English follows, marked ``lang="en"``: :func:`both` writes a text in the
two languages (one span when they are the same).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from dataclasses import dataclass

from .terms import WORDS

__all__ = ["CSS_PATH", "NavItem", "both", "esc", "frame", "word"]

#: Where the style sheet is, from the site root.
CSS_PATH = "assets/lod-unioni.css"


def esc(text: str) -> str:
    """Text or an attribute value, escaped for HTML."""
    return html.escape(text, quote=True)


def both(it: str, en: str | None, *, it_lang: str = "it", sep: str = " / ") -> str:
    """``it`` then, when it differs, ``en`` marked as English; both escaped."""
    first = f'<span lang="{it_lang}">{esc(it)}</span>' if it_lang not in ("it", "") else esc(it)
    if en is None or en == it:
        return first
    return f'{first}<span class="en" lang="en">{esc(sep)}{esc(en)}</span>'


@functools.lru_cache(maxsize=256)
def word(key: str, *, sep: str = " / ") -> str:
    """A word of the frame in both languages (:data:`lod_unioni.web.terms.WORDS`)."""
    it, en = WORDS[key]
    return both(it, en, sep=sep)


@dataclass(frozen=True)
class NavItem:
    """A link of the navigation bar: ``href`` from the site root, its text in both languages."""

    href: str
    it: str
    en: str


def frame(
    *,
    title: str,
    body: str,
    root: str,
    nav: Sequence[NavItem],
    head: str = "",
    title_lang: str = "it",
) -> str:
    """A whole HTML5 document: ``title`` (text), ``body`` (HTML of the main content), ``root``
    (the href prefix of the site root: a path ``/lod-unioni/`` or relative ``../../``), the
    navigation, extra ``head`` elements (alternates, JSON-LD)."""
    lang_attr = "" if title_lang in ("it", "") else f' lang="{esc(title_lang)}"'
    top, bottom = _chrome(root, tuple(nav))
    return (
        '<!DOCTYPE html>\n<html lang="it">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title{lang_attr}>{esc(title)} · lod-unioni</title>\n"
        f"{top[0]}{head}</head>\n<body>\n{top[1]}{body}{bottom}"
    )


@functools.lru_cache(maxsize=64)
def _chrome(root: str, nav: tuple[NavItem, ...]) -> tuple[tuple[str, str], str]:
    """The parts of the frame that depend only on the root and the navigation (made once)."""
    site_it, site_en = WORDS["site"]
    skip_it, skip_en = WORDS["skip"]
    nav_it, nav_en = WORDS["nav"]
    links = "".join(
        f'<li><a href="{esc(root + item.href)}">{esc(item.it)} '
        f'<span class="en" lang="en">{esc(item.en)}</span></a></li>'
        for item in nav
    )
    style = f'<link rel="stylesheet" href="{esc(root + CSS_PATH)}">\n'
    header = (
        f'<a class="skip" href="#main">{esc(skip_it)} <span lang="en">/ {esc(skip_en)}</span></a>\n'
        f'<header class="site"><p class="brand"><a href="{esc(root + (nav[0].href if nav else ""))}">lod-unioni</a> '
        f'<span>{esc(site_it)}</span> <span class="en" lang="en">{esc(site_en)}</span></p>\n'
        f'<nav aria-label="{esc(nav_it)} / {esc(nav_en)}"><ul>{links}</ul></nav></header>\n'
        '<main id="main">\n'
    )
    footer = (
        "</main>\n"
        '<footer class="site"><p>Dati: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> '
        '<span lang="en">/ Data: CC BY 4.0</span> · '
        '<a href="https://github.com/lod-unioni/lod-unioni">lod-unioni</a></p></footer>\n'
        "</body>\n</html>\n"
    )
    return (style, header), footer
