"""The resource renderer on a small synthetic graph: what a resource's description holds, its
pages (pagination of 250 inverse links), its documents, paths and locations."""

import json

import html5lib
import pyoxigraph
import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Quad

from lod_unioni.web import HTML, JSONLD, NTRIPLES, TURTLE, Renderer, site_iri_of

B = "https://example.org/lod/data/"
ORG = "http://www.w3.org/ns/org#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LU = "https://w3id.org/lod-unioni/onto/"


def _store(links=250):
    store = pyoxigraph.Store()
    union = NamedNode(B + "union/big")
    quads = [
        Quad(union, NamedNode(RDF_TYPE), NamedNode(LU + "UnioneDiComuni")),
        Quad(union, NamedNode(RDFS + "label"), Literal("Unione Grande", language="it")),
        Quad(NamedNode(LU + "UnioneDiComuni"), NamedNode(RDFS + "label"), Literal("Unione di Comuni", language="it")),
    ]
    for i in range(links):
        comune = NamedNode(f"{B}comune/{i:06d}")
        quads.append(Quad(comune, NamedNode(RDFS + "label"), Literal(f"Comune {i:03d}", language="it")))
        quads.append(Quad(comune, NamedNode(ORG + "memberOf"), union))
        quads.append(Quad(comune, NamedNode(RDF_TYPE), NamedNode(LU + "Comune")))
    store.extend(quads)
    return store


@pytest.fixture(scope="module")
def renderer():
    return Renderer(_store(), B, site_root="/lod/")


@pytest.fixture(scope="module")
def static():
    return Renderer(_store(), B, site_root=None, static=True)


def test_site_iri_is_the_parent_of_the_base():
    assert site_iri_of("https://w3id.org/lod-unioni/data/") == "https://w3id.org/lod-unioni/"
    assert site_iri_of("https://example.org/") == "https://example.org/"
    assert site_iri_of("https://example.org/unioni/") == "https://example.org/"


def test_paths_and_resources(renderer):
    assert renderer.path(B + "union/big") == "data/union/big"
    assert renderer.path("https://other.example/x") is None
    assert renderer.path(B + "union/../../etc/passwd") is None
    assert renderer.path(B + "union/.htaccess") is None
    assert renderer.path(B + "union/a%2Fb") is None
    resources = list(renderer.resources())
    # the union, 250 comuni, and the class: in the project's namespace, described in the store
    assert len(resources) == 252 and resources == sorted(resources)
    assert LU + "UnioneDiComuni" in resources
    assert renderer.is_resource(B + "union/big") and not renderer.is_resource(B + "union/none")


def test_locate(renderer):
    assert renderer.locate("/lod/data/union/big") == (B + "union/big", None)
    assert renderer.locate("/lod/data/union/big.ttl") == (B + "union/big", TURTLE)
    assert renderer.locate("/lod/data/union/big.html") == (B + "union/big", HTML)
    assert renderer.locate("/lod/data/union/big.rdf") is None
    assert renderer.locate("/elsewhere/data/union/big") is None


def test_description_has_the_inverse_links_but_not_rdf_type(renderer):
    triples = renderer.description(B + "union/big")
    assert len(triples) == 2 + 250
    assert sum(1 for t in triples if t.predicate.value == ORG + "memberOf") == 250
    # the class does not list its instances: only its own label
    assert [t.predicate.value for t in renderer.description(LU + "UnioneDiComuni")] == [RDFS + "label"]
    assert renderer.description(B + "union/none") == []


def test_pagination_250_links(renderer, static):
    iri = B + "union/big"
    assert renderer.pages(iri) == 3
    pages = [renderer.page(iri, page=n) for n in (1, 2, 3)]
    assert renderer.page(iri, page=4) is None and renderer.page(iri, page=0) is None
    seen = []
    for text in pages:
        doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
        rows = doc.findall(".//table[@class='incoming']/tbody/tr")
        seen += [row.find("td/a").text for row in rows]
    assert seen == [f"Comune {i:03d}" for i in range(250)]
    assert [len(x) for x in (seen[:100], seen[100:200], seen[200:])] == [100, 100, 50]
    assert 'href="/lod/data/union/big?page=2"' in pages[0]
    # the static site: files, relative links
    page2 = static.page(iri, page=2)
    assert static.page_path("data/union/big", 2) == "data/union/big/page-2"
    assert 'href="../../../data/union/big/page-3.html"' in page2
    assert 'href="../../../data/comune/000100.html"' in page2


def test_embedded_jsonld_is_what_the_page_shows(renderer):
    text = renderer.page(B + "union/big", page=3)
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)
    script = doc.find(".//script[@type='application/ld+json']").text
    g = rdflib.Graph().parse(data=script, format="json-ld")
    assert len(g) == 2 + 50


@pytest.mark.parametrize("fmt", [TURTLE, JSONLD, NTRIPLES])
def test_documents_parse_as_the_description(renderer, fmt):
    iri = B + "union/big"
    data = renderer.document(iri, fmt.media_type)
    parsed = rdflib.Graph().parse(
        data=data, format={".ttl": "turtle", ".jsonld": "json-ld", ".nt": "nt"}[fmt.extension]
    )
    assert len(parsed) == 252
    if fmt is JSONLD:
        assert "@context" in json.loads(data)
    assert renderer.document(B + "union/none", fmt.media_type) is None


def test_unknown_media_type(renderer):
    with pytest.raises(ValueError, match="not a format of ours"):
        renderer.document(B + "union/big", "application/rdf+xml")
