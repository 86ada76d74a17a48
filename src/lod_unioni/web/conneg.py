"""Media types and content negotiation: the one home of the formats we publish.

::

    from lod_unioni.web.conneg import FORMATS, negotiate, by_extension
    negotiate("text/turtle;q=0.9, text/html;q=0.8")      # "text/turtle"
    negotiate("application/rdf+xml")                      # None: nothing acceptable (406)
    by_extension(".jsonld").media_type                    # "application/ld+json"

:data:`FORMATS` is the table of the documents of a resource: media type, document extension,
name. The static site's pages and files, the server's answers and the generated web-server
configurations (:func:`accept_rules`: Apache ``.htaccess``, nginx) are all made from it.

:func:`negotiate` follows RFC 9110 (section 12.5.1, ``Accept``): each offered media type gets the
quality of the most specific media range that matches it (``type/subtype`` before ``type/*``
before ``*/*``); ``q=0`` means "not acceptable"; the highest quality wins, and between equal
qualities the order of ``offered`` (the server's preference). An absent or empty header accepts
anything (the first offered); a header with no valid range at all is treated as absent (RFC 9110
allows a server to ignore a malformed ``Accept``), while a valid header that accepts nothing we
offer gives None (406 Not Acceptable). Media range parameters other than ``q`` (``charset``,
``profile``) are ignored: every document we offer is UTF-8 and JSON-LD is compacted. A few
aliases clients still send are understood (:data:`ALIASES`: ``application/x-turtle``,
``application/json``, ``application/xhtml+xml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ALIASES",
    "FORMATS",
    "HTML",
    "JSONLD",
    "NTRIPLES",
    "OFFERED",
    "RDF_FORMATS",
    "TURTLE",
    "AcceptRule",
    "Format",
    "accept_rules",
    "by_extension",
    "by_media_type",
    "content_type",
    "negotiate",
    "parse_accept",
]


@dataclass(frozen=True)
class Format:
    """A document format we publish: ``media_type`` (lower case, no parameters), ``extension``
    of its document (with the dot), a ``name`` for people, and whether it is RDF."""

    media_type: str
    extension: str
    name: str
    rdf: bool = True

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (every document is UTF-8)."""
        return content_type(self.media_type)


HTML = Format("text/html", ".html", "HTML", rdf=False)
TURTLE = Format("text/turtle", ".ttl", "Turtle")
JSONLD = Format("application/ld+json", ".jsonld", "JSON-LD")
NTRIPLES = Format("application/n-triples", ".nt", "N-Triples")

#: Every format of a resource, in the server's order of preference (HTML first: a browser that
#: sends ``*/*`` gets the page).
FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES)
#: The machine-readable documents of a resource (the ``<link rel="alternate">`` of its page).
RDF_FORMATS: tuple[Format, ...] = tuple(f for f in FORMATS if f.rdf)
#: The media types offered for a resource, in the order of preference.
OFFERED: tuple[str, ...] = tuple(f.media_type for f in FORMATS)

#: Media types some clients send for one of ours.
ALIASES: dict[str, str] = {
    "application/xhtml+xml": HTML.media_type,
    "application/x-turtle": TURTLE.media_type,
    "application/json": JSONLD.media_type,
}

_BY_EXTENSION = {f.extension: f for f in FORMATS}
_BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_RANGE = re.compile(rf"\s*({_TOKEN})/({_TOKEN})\s*")
_QVALUE = re.compile(r"\s*[qQ]\s*=\s*(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\s*")
_TEXT_TYPES = {"text/plain": "text/plain; charset=utf-8", "text/css": "text/css; charset=utf-8"}


def by_extension(extension: str) -> Format | None:
    """The format of a document extension (``.ttl``; with or without the dot), None if not ours."""
    ext = extension if extension.startswith(".") else "." + extension
    return _BY_EXTENSION.get(ext.lower())


def by_media_type(media_type: str) -> Format | None:
    """The format of a media type (parameters and case ignored, aliases understood), None if not ours."""
    mt = media_type.split(";", 1)[0].strip().lower()
    return _BY_MEDIA_TYPE.get(ALIASES.get(mt, mt))


def content_type(media_type: str) -> str:
    """The ``Content-Type`` of a document of ``media_type``: text and JSON types say UTF-8."""
    if media_type in _TEXT_TYPES:
        return _TEXT_TYPES[media_type]
    if media_type.startswith("text/") or media_type.endswith(("+json", "/json")) or media_type == NTRIPLES.media_type:
        return f"{media_type}; charset=utf-8"
    return media_type


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """The media ranges of an ``Accept`` header: (type, subtype, quality), lower case, in the
    header's order; invalid members (no ``type/subtype``, a bad ``q``) are left out."""
    ranges = []
    for member in header.split(","):
        if not member.strip():
            continue
        media_range, *params = member.split(";")
        m = _RANGE.fullmatch(media_range)
        if m is None:
            continue
        main, sub = m.group(1).lower(), m.group(2).lower()
        if main == "*" and sub != "*":
            continue
        q = 1.0
        valid = True
        for param in params:
            name = param.split("=", 1)[0].strip().lower()
            if name == "q":
                qm = _QVALUE.fullmatch(param)
                if qm is None:
                    valid = False
                else:
                    q = float(qm.group(1))
                break  # what follows q is accept-ext (RFC 2616), ignored
        if valid:
            alias = ALIASES.get(f"{main}/{sub}")
            if alias is not None:
                main, sub = alias.split("/")
            ranges.append((main, sub, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> float:
    """The quality of ``media_type`` under the most specific matching range (0 when none matches)."""
    main, sub = media_type.split("/")
    best_rank, best_q = -1, 0.0
    for r_main, r_sub, q in ranges:
        if r_main == main and r_sub == sub:
            rank = 2
        elif r_main == main and r_sub == "*":
            rank = 1
        elif r_main == "*":
            rank = 0
        else:
            continue
        if rank > best_rank or (rank == best_rank and q > best_q):
            best_rank, best_q = rank, q
    return best_q


def negotiate(accept_header: str | None, offered: Sequence[str] = OFFERED) -> str | None:
    """The media type of ``offered`` the ``Accept`` header prefers (see the module), or None when
    the header accepts none of them (answer 406)."""
    if not offered:
        return None
    ranges = parse_accept(accept_header) if accept_header else []
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for media_type in offered:
        q = _quality(media_type.lower(), ranges)
        if q > best_q:
            best, best_q = media_type, q
    return best


# --- the same choice for static web servers -----------------------------------------------------


@dataclass(frozen=True)
class AcceptRule:
    """A rule of a static web server's negotiation: when the ``Accept`` header matches
    ``pattern`` (a case-insensitive PCRE, also valid in Python), serve the document with
    ``extension``. The rules are tried in order; the first that matches wins."""

    pattern: str
    extension: str


def _named(media_type: str) -> str:
    """A pattern for a member of an Accept header naming ``media_type`` (or an alias of it)."""
    names = [media_type] + [alias for alias, target in ALIASES.items() if target == media_type]
    return "(?:" + "|".join(re.escape(n) for n in names) + ")"


def accept_rules(formats: Sequence[Format] = FORMATS) -> list[AcceptRule]:
    """The rules a web server without a negotiation engine (Apache ``mod_rewrite``, nginx
    ``map``) follows to choose the document of a resource, made from :data:`FORMATS`.

    A regular expression cannot compare numbers, so the qualities are ranked by their first
    decimal: first the formats named with quality 1 (no ``q``, or ``q=1``), in the order of
    ``formats``, then those named with ``q=0.9``, ``0.8``... down to ``0.001``; anything else
    (``*/*``, ``text/*``, no header) gets the first format. It agrees with :func:`negotiate`
    whenever the qualities of the formats a header names differ in their first decimal (every
    browser, curl, rdflib, Jena...); ``tests/test_conneg.py`` checks it."""
    rules = []
    # A member naming the type: "type/subtype" then parameters, none of them q, up to the end of
    # the member; or q=1.
    for fmt in formats:
        name = _named(fmt.media_type)
        rules.append(
            AcceptRule(
                rf"(?:^|,)\s*{name}\s*(?:;(?!\s*q\s*=)[^;,]*)*(?:;\s*q\s*=\s*1(?:\.0*)?\s*(?:;[^,]*)?)?(?:,|$)",
                fmt.extension,
            )
        )
    for digit in "987654321":
        for fmt in formats:
            name = _named(fmt.media_type)
            rules.append(AcceptRule(rf"(?:^|,)\s*{name}\s*(?:;[^,;]*)*;\s*q\s*=\s*0\.{digit}", fmt.extension))
    for fmt in formats:
        name = _named(fmt.media_type)
        rules.append(AcceptRule(rf"(?:^|,)\s*{name}\s*(?:;[^,;]*)*;\s*q\s*=\s*0\.0*[1-9]", fmt.extension))
    return rules
