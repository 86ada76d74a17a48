"""The validation report: text for people, and the standard SHACL report in Turtle and JSON-LD."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
import rdflib
from conftest import FIXTURES_DIR, SH
from conftest import B as D
from rdflib.compare import isomorphic

from lod_unioni.validation import ValidationReport, validate
from lod_unioni.validation.report import results_from_triples

FIXTURES = FIXTURES_DIR / "shapes"


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    """Three results: a violation with a sequence path, a warning, and an info on another union."""
    store = ox.Store()
    store.load(path=str(FIXTURES / "cards.ttl"), format=ox.RdfFormat.TURTLE)
    store.update(f"""
        PREFIX lu: <https://w3id.org/lod-unioni/onto/>
        PREFIX cprov: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/provinces/>
        DELETE WHERE {{ <{D}comune/069068> lu:istatCode ?c }} ;
        INSERT DATA {{ <{D}comune/069068> lu:istatCode "069068"^^<http://www.w3.org/2001/XMLSchema#token> }} ;
        DELETE WHERE {{ <{D}comune/069087> lu:province ?p }} ;
        INSERT DATA {{ <{D}comune/069087> lu:province cprov:066 }} ;
        DELETE WHERE {{ <{D}union/ull> lu:foundingDate ?d }}""")
    return validate(store)


def test_results_and_severities(report):
    assert [(r.rule, r.severity) for r in report.results] == [
        ("member-istat-code", "Violation"),
        ("member-province", "Warning"),
        ("union-founding-date-missing", "Info"),
    ]
    assert not report.conforms
    assert report.fails(on="violation") and report.fails(on="warning")
    assert (report.count("Violation"), report.count("Warning"), report.count("Info")) == (1, 1, 1)


def test_fails_thresholds():
    empty = ValidationReport([])
    assert empty.conforms and not empty.fails() and not empty.fails(on="warning")
    with pytest.raises(ValueError):
        empty.fails(on="info")


def test_warnings_alone_do_not_fail_on_violation(report):
    only_warning = ValidationReport([r for r in report.results if r.severity != "Violation"])
    assert not only_warning.conforms
    assert not only_warning.fails(on="violation") and only_warning.fails(on="warning")


def test_text_is_grouped_by_union_with_counts(report):
    text = report.to_text()
    lines = text.splitlines()
    assert lines[0] == f"Unione dei Miracoli <{D}union/udcmd>"
    assert lines[1].split()[:2] == ["VIOLATION", "member-istat-code:"]
    assert "The ISTAT code of a member comune must be" in lines[1] and "Il codice ISTAT" in lines[1]
    assert 'value "069068"^^xsd:token' in lines[1] and "path org:hasMember/lu:istatCode" in lines[1]
    assert lines[2].split()[:2] == ["WARNING", "member-province:"] and f"value <{D}comune/069087>" in lines[2]
    assert f"Unione dei Comuni Lucani del Lagonegrese <{D}union/ull>" in lines
    assert lines[-1].startswith("3 result(s): 1 violation(s), 1 warning(s), 1 info(s) in 2 union(s); conforms: no")


def _report_graph(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def test_turtle_is_a_standard_shacl_report(report):
    g = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    SHNS = rdflib.Namespace(SH)
    [rep] = list(g.subjects(rdflib.RDF.type, SHNS.ValidationReport))
    assert g.value(rep, SHNS.conforms).toPython() is False
    results = list(g.objects(rep, SHNS.result))
    assert len(results) == 3
    for r in results:
        for p in ("focusNode", "resultSeverity", "sourceShape", "sourceConstraintComponent"):
            assert g.value(r, SHNS[p]) is not None, p
        langs = {m.language for m in g.objects(r, SHNS.resultMessage)}
        assert langs == {"it", "en"}
    # the sequence path is an RDF list
    [istat] = [r for r in results if str(g.value(r, SHNS.sourceShape)).endswith("member-istat-code")]
    path = g.value(istat, SHNS.resultPath)
    assert list(rdflib.collection.Collection(g, path)) == [
        rdflib.URIRef("http://www.w3.org/ns/org#hasMember"),
        rdflib.URIRef("https://w3id.org/lod-unioni/onto/istatCode"),
    ]
    assert g.value(istat, SHNS.value) == rdflib.Literal("069068", datatype=rdflib.XSD.token)


def test_turtle_reads_back_to_the_same_results(report):
    triples = [q.triple for q in ox.parse(report.to_turtle().encode(), format=ox.RdfFormat.TURTLE)]
    back = results_from_triples(triples)
    assert sorted(
        (str(r["focus"]), str(r["path"]), str(r["value"]), r["severity"], str(r["shape"])) for r in back
    ) == sorted((str(r.focus), str(r.path), str(r.value), r.severity, str(r.shape)) for r in report.results)


def test_json_is_json_ld_of_the_same_report(report):
    doc = json.loads(report.to_json())
    assert doc["@type"] == "sh:ValidationReport" and doc["sh:conforms"] is False
    assert len(doc["sh:result"]) == 3
    from_json = rdflib.Graph().parse(data=report.to_json(), format="json-ld")
    from_turtle = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    assert isomorphic(from_json, from_turtle)
    # and pyoxigraph reads it too
    assert len(list(ox.parse(report.to_json().encode(), format=ox.RdfFormat.JSON_LD))) == len(from_turtle)


def test_conforming_report_formats():
    report = validate(FIXTURES / "cards.ttl")
    assert report.conforms
    g = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    assert (None, rdflib.URIRef(SH + "conforms"), rdflib.Literal(True)) in g
    assert json.loads(report.to_json())["sh:result"] == []
    assert report.to_text().strip().startswith("0 result(s)")


def test_result_fields(report):
    r = report.results[0]
    assert r.union == f"{D}union/udcmd" and r.union_name == "Unione dei Miracoli"
    assert r.path_sparql == "(<http://www.w3.org/ns/org#hasMember>/<https://w3id.org/lod-unioni/onto/istatCode>)"
    assert r.to_dict()["rule"] == "member-istat-code" and r.to_dict()["severity"] == "Violation"
    assert r.component.value == SH + "DatatypeConstraintComponent"


# --- blank-node shapes, custom severities, the data's own terms --------------------------------------

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S sh:targetClass ex:C ;
    sh:property [ sh:path ex:p ; sh:maxInclusive 3 ] ;
    sh:property [ sh:path ex:q ; sh:minCount 1 ; sh:severity ex:Grave ] .
"""
DATA = """@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a a ex:C ; ex:p "4.0"^^xsd:decimal, "05"^^xsd:integer . ex:b a ex:C ; ex:p 7, "2.50"^^xsd:decimal ; ex:q 1 .
"""


@pytest.fixture(scope="module")
def own_terms(tmp_path_factory):
    folder = tmp_path_factory.mktemp("own-terms")
    (folder / "shapes.ttl").write_text(SHAPES, encoding="utf-8")
    (folder / "data.ttl").write_text(DATA, encoding="utf-8")
    return folder


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_values_are_the_data_own_terms(own_terms, engine):
    report = validate(own_terms / "data.ttl", shapes=own_terms / "shapes.ttl", engine=engine)
    values = sorted(str(r.value) for r in report.results if r.value is not None)
    decimal, integer = "http://www.w3.org/2001/XMLSchema#decimal", "http://www.w3.org/2001/XMLSchema#integer"
    assert values == [f'"05"^^<{integer}>', f'"4.0"^^<{decimal}>', f'"7"^^<{integer}>']


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
def test_a_blank_node_shape_is_one_node_of_the_report(own_terms, engine):
    report = validate(own_terms / "data.ttl", shapes=own_terms / "shapes.ttl", engine=engine)
    g = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    SHNS = rdflib.Namespace(SH)
    shapes = [g.value(r, SHNS.sourceShape) for r in g.objects(None, SHNS.result)]
    max_inclusive = [
        s
        for r, s in zip(g.objects(None, SHNS.result), shapes, strict=True)
        if g.value(r, SHNS.sourceConstraintComponent) == SHNS.MaxInclusiveConstraintComponent
    ]
    assert len(max_inclusive) == 3 and len(set(max_inclusive)) == 1  # three results, one shape
    assert len(set(shapes)) == 2 and all(isinstance(s, rdflib.BNode) for s in shapes)
    from_json = rdflib.Graph().parse(data=report.to_json(), format="json-ld")
    assert isomorphic(from_json, g)


def test_custom_severities_are_kept_and_fail(own_terms):
    report = validate(own_terms / "data.ttl", shapes=own_terms / "shapes.ttl")
    [grave] = [r for r in report.results if r.component_name == "MinCountConstraintComponent"]
    assert grave.severity == "http://example.org/Grave" and grave.focus.value == "http://example.org/a"
    assert ValidationReport([grave]).fails(on="violation") and not ValidationReport([grave]).conforms
    text = ValidationReport([grave]).to_text()
    assert "  <http://example.org/Grave> _:" in text
    assert "1 result(s): 0 violation(s), 0 warning(s), 0 info(s) and 1 of other severities" in text
    g = rdflib.Graph().parse(data=ValidationReport([grave]).to_turtle(), format="turtle")
    assert set(g.objects(None, rdflib.URIRef(SH + "resultSeverity"))) == {rdflib.URIRef("http://example.org/Grave")}
    doc = json.loads(ValidationReport([grave]).to_json())
    assert doc["sh:result"][0]["sh:resultSeverity"] == {"@id": "http://example.org/Grave"}
    back = results_from_triples(q.triple for q in ox.parse(report.to_turtle().encode(), format=ox.RdfFormat.TURTLE))
    assert sorted(r["severity"] for r in back) == ["Violation"] * 3 + ["http://example.org/Grave"]
