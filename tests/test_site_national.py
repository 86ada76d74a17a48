"""`lod-unioni site` on the national graph (slow: the national build, then about 100,000 files):
every resource has its files, the large ones paginate their inverse links, a sample of pages
parses as HTML5, the indexes and the search cover every union and comune."""

from __future__ import annotations

import json
import random
import re
from collections import Counter

import html5lib
import pytest

from lod_unioni.site import make_site, place_names
from lod_unioni.sources.folder import resolve_sources

#: one worker builds the national site, once (a module fixture on two workers would be built twice)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("site-national")]

SITE_IRI = "https://w3id.org/lod-unioni/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_NT = re.compile(r"(<[^>]*>|_:\S+) (<[^>]*>) (.*) \.")


@pytest.fixture(scope="module")
def national(national_build, shared_data, tmp_path_factory):
    work = tmp_path_factory.mktemp("site-national")
    dumps = national_build.out
    result = make_site(dumps, work / "site", labels=place_names(resolve_sources(shared_data)))
    triples = [_NT.fullmatch(line).groups() for line in (dumps / "unioni.nt").read_text().splitlines()]
    return work / "site", triples, result


def test_every_resource_has_its_files(national):
    site, triples, result = national
    subjects = {s[1:-1] for s, _, _ in triples if s.startswith("<" + SITE_IRI)}
    assert len(subjects) > 20_000
    assert result.resources >= len(subjects)
    for iri in subjects:
        path = site / iri[len(SITE_IRI) :]
        for ext in (".html", ".ttl", ".jsonld", ".nt"):
            assert path.with_name(path.name + ext).is_file(), (iri, ext)


def test_large_resources_paginate_their_inverse_links(national):
    site, triples, _ = national
    # the inverse links of the ISTAT list of comuni, counted in the dump: one per derived resource
    iri = f"<{SITE_IRI}data/source/istat-comuni>"
    inverse = {(s, p) for s, p, o in triples if o == iri and p != RDF_TYPE and s.startswith("<")}
    assert len(inverse) > 1000
    pages = [site / "data/source/istat-comuni.html"]
    pages += sorted((site / "data/source/istat-comuni").glob("page-*.html"), key=lambda p: int(p.stem[5:]))
    assert len(pages) == -(-len(inverse) // 100)
    rows = 0
    for page in pages:
        doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page.read_text(encoding="utf-8"))
        rows += len(doc.findall(".//table[@class='incoming']/tbody/tr"))
    assert rows == len(inverse)


def test_a_sample_of_pages_is_valid_html5(national):
    site, _, _ = national
    pages = sorted(site.rglob("*.html"))
    sample = random.Random(11).sample(pages, 60) + [
        site / n for n in ("index.html", "regioni.html", "province.html", "servizi.html", "cerca.html")
    ]
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    for page in sample:
        parser.parse(page.read_text(encoding="utf-8"))


def test_indexes_and_search_cover_every_union_and_comune(national):
    site, triples, _ = national
    types = Counter(o for _, p, o in triples if p == RDF_TYPE)
    unions = types["<https://w3id.org/lod-unioni/onto/UnioneDiComuni>"]
    comuni = types["<https://w3id.org/lod-unioni/onto/Comune>"]
    data = json.loads((site / "search.json").read_text(encoding="utf-8"))
    kinds = Counter(item[2] for item in data["items"])
    assert kinds == {"u": unions, "c": comuni}
    regions = (site / "regioni.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'href="(data/union/[^"]+\.html)"', regions))) == unions
    assert "Lombardia" in regions and "Sardegna" in regions


def test_serve_answers_every_kind_of_resource_of_the_national_dumps(national, national_build, tmp_path):
    """``lod-unioni serve`` on the same national dumps: a union, a comune and a union only IPA knows (IDMPPX95, no register row)
    dereference in HTML, Turtle and JSON-LD, with the triples the dump has about them."""
    import httpx
    import rdflib
    from serve_server import Server

    _, triples, _ = national
    dumps = national_build.out
    server = Server(tmp_path, str(dumps), "--no-prerender")
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for path in ("data/union/udm_069", "data/comune/069015", "data/union/idmppx95"):
                iri = SITE_IRI + path
                own = {(p, o) for s, p, o in triples if s == f"<{iri}>"}
                assert own, iri
                page = client.get("/lod-unioni/" + path, headers={"Accept": "text/html"}, follow_redirects=True)
                assert page.status_code == 200 and page.url.path.endswith(path + ".html")
                for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
                    doc = client.get("/lod-unioni/" + path, headers={"Accept": accept}, follow_redirects=True)
                    assert doc.status_code == 200, (path, accept)
                    g = rdflib.Graph().parse(data=doc.text, format=fmt)
                    assert len(list(g.predicate_objects(rdflib.URIRef(iri)))) == len(own), (path, accept)
    finally:
        server.stop()
