"""The resources as people and machines read them: pages and documents of every resource of the
dumps, shared by the static site (:mod:`lod_unioni.site`) and the server (:mod:`lod_unioni.server`).

- :mod:`~lod_unioni.web.conneg`: the formats we publish (media types, document extensions) and
  content negotiation (RFC 9110), the one home of both; the web-server rules are made from it;
- :mod:`~lod_unioni.web.render`: :class:`Renderer`, a resource's description, HTML page and
  Turtle / JSON-LD / N-Triples documents;
- :mod:`~lod_unioni.web.lookup`: every label and type looked up once per store;
- :mod:`~lod_unioni.web.page`, :mod:`~lod_unioni.web.html`, :mod:`~lod_unioni.web.terms`: the
  page, its frame and the labels of reused terms;
- ``assets/``: the style sheet (our own; no external script, font or style).
"""

from __future__ import annotations

from pathlib import Path

from .conneg import FORMATS, HTML, JSONLD, NTRIPLES, RDF_FORMATS, TURTLE, Format, negotiate
from .html import CSS_PATH, NavItem
from .render import NAV, PROJECT_NAMESPACE, Renderer, Section, Sections, site_iri_of

__all__ = [
    "CSS_PATH",
    "FORMATS",
    "HTML",
    "JSONLD",
    "NAV",
    "NTRIPLES",
    "PROJECT_NAMESPACE",
    "RDF_FORMATS",
    "TURTLE",
    "Format",
    "NavItem",
    "Renderer",
    "Section",
    "Sections",
    "assets",
    "negotiate",
    "site_iri_of",
]

ASSETS_DIR = Path(__file__).resolve().parent / "assets"


def assets() -> dict[str, bytes]:
    """The files the pages need, by their path from the site root (``assets/lod-unioni.css``)."""
    return {f"assets/{p.name}": p.read_bytes() for p in sorted(ASSETS_DIR.glob("lod-unioni.*"))}
