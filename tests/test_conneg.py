"""Content negotiation (RFC 9110 section 12.5.1) and the static web servers' rules made from the
same table. Expected answers worked out by hand from the RFC's rules."""

import re

import pytest

from lod_unioni.web.conneg import FORMATS, accept_rules, by_extension, by_media_type, negotiate, parse_accept

OFFERED = ("text/html", "text/turtle", "application/ld+json", "application/n-triples")

# (Accept header, what RFC 9110 gives among OFFERED, in the server's order of preference on ties)
CASES = [
    (None, "text/html"),  # no header: anything, our first
    ("", "text/html"),
    ("*/*", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", "text/html"),  # Firefox
    (
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
        "application/signed-exchange;v=b3;q=0.7",
        "text/html",
    ),  # Chromium
    ("text/turtle", "text/turtle"),
    ("TEXT/Turtle; charset=UTF-8", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "application/ld+json"),
    ("application/json", "application/ld+json"),  # alias
    ("application/x-turtle", "text/turtle"),  # alias
    ("application/n-triples", "application/n-triples"),
    ("text/turtle;q=0.5, text/html", "text/html"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/turtle; q=0.9, application/ld+json; q=0.8", "text/turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.8", "application/ld+json"),
    # rdflib / Jena style lists
    ("application/n-triples, text/turtle;q=0.9, application/ld+json;q=0.8, */*;q=0.1", "application/n-triples"),
    ("text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,*/*;q=0.1", "text/turtle"),
    ("text/*", "text/html"),  # text/html and text/turtle both 1: our order
    ("text/*;q=0.5, application/ld+json", "application/ld+json"),
    ("text/html;q=0, text/*", "text/turtle"),  # the more specific range says not HTML
    ("text/turtle;q=0, */*;q=0.1", "text/html"),
    ("application/rdf+xml", None),  # nothing of ours: 406
    ("image/png, text/turtle;q=0", None),
    ("nonsense", "text/html"),  # no valid range at all: ignored
    ("text/turtle;q=2", "text/html"),  # an invalid q makes the member invalid, so the header is ignored
]


@pytest.mark.parametrize(("header", "expected"), CASES)
def test_negotiate(header, expected):
    assert negotiate(header, OFFERED) == expected


def test_offered_order_is_the_tie_break():
    assert negotiate("*/*", ("text/turtle", "text/html")) == "text/turtle"
    assert negotiate("text/turtle, text/html", ("application/ld+json",)) is None
    assert negotiate("text/turtle", ()) is None


def test_parse_accept_lowercases_and_reads_q():
    assert parse_accept("Text/HTML;level=1;q=0.7, */*") == [("text", "html", 0.7), ("*", "*", 1.0)]
    assert parse_accept("*/html, text/") == []


def test_the_table():
    assert [f.extension for f in FORMATS] == [".html", ".ttl", ".jsonld", ".nt"]
    assert by_extension("ttl").media_type == "text/turtle"
    assert by_extension(".NT").media_type == "application/n-triples"
    assert by_extension(".rdf") is None
    assert by_media_type("application/ld+json; charset=utf-8").extension == ".jsonld"
    assert by_media_type("application/xhtml+xml").extension == ".html"


def static_choice(header):
    """What a web server following the generated rules serves: the first rule that matches, else
    the first format (as the .htaccess and nginx map do)."""
    for rule in accept_rules():
        if re.search(rule.pattern, header or "", re.IGNORECASE):
            return rule.extension
    return FORMATS[0].extension


# A regular expression cannot tell which format a wildcard leaves: the rules give the first format
# whenever no format is named (a documented limit of static hosting).
WILDCARD_ONLY = {"text/html;q=0, text/*"}


@pytest.mark.parametrize(("header", "expected"), [c for c in CASES if c[1] is not None and c[0] not in WILDCARD_ONLY])
def test_static_rules_agree_with_negotiate(header, expected):
    assert static_choice(header) == by_media_type(expected).extension


def test_static_rules_without_a_named_type_give_the_first_format():
    assert static_choice("text/html;q=0, text/*") == ".html"


def test_static_rules_need_a_named_type():
    # a format named with q=0 is never chosen by its rule
    assert static_choice("text/turtle;q=0") == ".html"
    assert static_choice("text/turtle; q=0.0, application/n-triples;q=0.001") == ".nt"
