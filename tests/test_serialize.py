"""Serializers: order, Turtle header, compacted JSON-LD, atomic writes."""

from __future__ import annotations

import json
import os

import pytest
import rdflib
from conftest import CCITIES as CITIES
from conftest import EX, XSD
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from rdflib.compare import isomorphic

from lod_unioni.graph import sort_triples, to_rdflib, to_store
from lod_unioni.serialize import (
    Compactor,
    context_bytes,
    to_jsonld,
    to_ntriples,
    to_turtle,
    write_atomic,
    write_files,
)

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

PREFIXES = {"ex": EX, "xsd": XSD, "ccities": CITIES, "exv": EX + "vocab/"}


def n(local: str) -> NamedNode:
    return NamedNode(EX + local)


def _tricky_graph() -> list[Triple]:
    u = NamedNode("https://data.example/union/udcmd")
    return [
        Triple(u, n("name"), Literal("Unione dei Miracoli", language="it")),
        Triple(u, n("code"), Literal("udcmd")),
        Triple(u, n("pop"), Literal("11749", datatype=NamedNode(XSD + "integer"))),
        Triple(u, n("pop"), Literal("007", datatype=NamedNode(XSD + "integer"))),  # not canonical
        Triple(u, n("surface"), Literal("122.56", datatype=NamedNode(XSD + "decimal"))),
        Triple(u, n("founded"), Literal("2011", datatype=NamedNode(XSD + "gYear"))),
        Triple(u, n("flag"), Literal("true", datatype=NamedNode(XSD + "boolean"))),
        Triple(u, n("text"), Literal('Dice "sì"\nE\' così\t€', language="it")),
        Triple(u, n("city"), NamedNode(CITIES + "069015-(1948-01-01)")),
        Triple(u, n("concept"), NamedNode(EX + "vocab/tributi")),  # longest namespace
        Triple(u, n("ns"), NamedNode(EX)),  # the namespace itself
        Triple(u, RDF_TYPE, n("Union")),
        Triple(u, RDF_TYPE, n("PublicOrganization")),
        Triple(u, n("blank"), BlankNode("b1")),
        Triple(BlankNode("b1"), n("label"), Literal("anonymous")),
        Triple(NamedNode("https://data.example/union/udcmd/website"), RDF_TYPE, n("WebSite")),
        Triple(NamedNode("https://data.example/comune/069015"), n("code"), Literal("069015")),
    ]


def test_sort_removes_duplicates_types_first_and_parents_before_children():
    triples = _tricky_graph()
    out = sort_triples(triples + triples[:3])
    assert len(out) == len(triples)
    subjects = [t.subject for t in out]
    # grouped: each subject appears in one run
    runs = [s for i, s in enumerate(subjects) if i == 0 or subjects[i - 1] != s]
    assert len(runs) == len(set(subjects))
    assert runs[:3] == [
        NamedNode("https://data.example/comune/069015"),
        NamedNode("https://data.example/union/udcmd"),
        NamedNode("https://data.example/union/udcmd/website"),
    ]
    assert runs[-1] == BlankNode("b1")
    union = [t for t in out if t.subject == NamedNode("https://data.example/union/udcmd")]
    assert [t.predicate for t in union[:2]] == [RDF_TYPE, RDF_TYPE]
    assert sort_triples(list(reversed(triples))) == out


def test_three_formats_are_the_same_graph():
    triples = sort_triples(_tricky_graph())
    ref = to_rdflib(triples)
    ttl = rdflib.Graph().parse(data=to_turtle(triples, PREFIXES), format="turtle")
    nt = rdflib.Graph().parse(data=to_ntriples(triples), format="nt")
    jld = rdflib.Graph().parse(data=to_jsonld(triples, PREFIXES), format="json-ld")
    for g in (ttl, nt, jld):
        assert len(g) == len(triples)
        assert isomorphic(g, ref)


def test_turtle_header_lists_the_prefixes_in_order():
    text = to_turtle(sort_triples(_tricky_graph()), PREFIXES).decode("utf-8")
    lines = text.splitlines()
    assert lines[:4] == [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    assert "@prefix" not in "\n".join(lines[4:])
    assert "ccities:069015-\\(1948-01-01\\)" in text


def test_jsonld_is_compacted_with_the_published_context():
    triples = sort_triples(_tricky_graph())
    doc = json.loads(to_jsonld(triples, PREFIXES))
    assert doc["@context"] == json.loads(context_bytes(PREFIXES))["@context"] == PREFIXES
    nodes = {node["@id"]: node for node in doc["@graph"]}
    assert len(doc["@graph"]) == len(nodes) == 4  # one node object per subject
    u = nodes["https://data.example/union/udcmd"]
    assert u["@type"] == ["ex:PublicOrganization", "ex:Union"]
    assert u["ex:name"] == {"@value": "Unione dei Miracoli", "@language": "it"}
    assert u["ex:code"] == "udcmd"  # xsd:string: native
    assert u["ex:pop"] == [{"@value": "007", "@type": "xsd:integer"}, 11749]  # native only when lossless
    assert u["ex:surface"] == {"@value": "122.56", "@type": "xsd:decimal"}  # never a JSON float
    assert u["ex:founded"] == {"@value": "2011", "@type": "xsd:gYear"}
    assert u["ex:flag"] is True
    assert u["ex:city"] == {"@id": "ccities:069015-(1948-01-01)"}
    assert u["ex:concept"] == {"@id": "exv:tributi"}
    assert u["ex:ns"] == {"@id": EX}
    assert u["ex:blank"] == {"@id": "_:b1"}
    assert nodes["_:b1"]["ex:label"] == "anonymous"


def test_compactor():
    c = Compactor(PREFIXES)
    assert c(EX + "a") == "ex:a"
    assert c(EX + "vocab/x") == "exv:x"
    assert c(EX + "a/b") == "ex:a/b"
    assert c(EX) == EX
    assert c("https://w3id.org/lod-unioni/data/union/udcmd") == "https://w3id.org/lod-unioni/data/union/udcmd"


def test_graph_helpers():
    triples = _tricky_graph()
    store = to_store(triples)
    assert len(store) == len(triples)
    rows = list(store.query("SELECT ?o WHERE { <https://data.example/union/udcmd> <http://example.org/code> ?o }"))
    assert [r[0] for r in rows] == [Literal("udcmd")]
    g = to_rdflib(triples)
    assert (rdflib.URIRef("https://data.example/union/udcmd"), rdflib.URIRef(EX + "code"), rdflib.Literal("udcmd")) in g


def test_write_atomic_replaces_and_leaves_no_temp(tmp_path):
    p = tmp_path / "a.ttl"
    p.write_bytes(b"old")
    write_atomic(p, b"new")
    assert p.read_bytes() == b"new"
    assert [x.name for x in tmp_path.iterdir()] == ["a.ttl"]


def test_write_files_all_or_nothing_before_the_renames(tmp_path):
    out = tmp_path / "out"
    write_files(out, {"a.ttl": b"A1", "b.nt": b"B1"})
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    with pytest.raises(TypeError):
        write_files(out, {"a.ttl": b"A2", "b.nt": 42})  # fails while writing temporaries
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    assert after == before  # nothing replaced, no temp left


def test_write_files_leaves_unchanged_files_alone(tmp_path):
    out = tmp_path / "out"
    write_files(out, {"a.ttl": b"A", "b.nt": b"B"})
    a_mtime = (out / "a.ttl").stat().st_mtime_ns
    os.utime(out / "a.ttl", ns=(a_mtime - 10**9, a_mtime - 10**9))
    written = write_files(out, {"a.ttl": b"A", "b.nt": b"B2"})
    assert [p.name for p in written] == ["a.ttl", "b.nt"]
    assert (out / "a.ttl").stat().st_mtime_ns == a_mtime - 10**9
    assert (out / "b.nt").read_bytes() == b"B2"
