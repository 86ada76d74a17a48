"""The reference engine's inputs: the reduced shapes graph of ``--engine auto``, the prefixes of
imported ontologies (``sh:prefixes/owl:imports*/sh:declare``), SHACL-AF detection."""

from __future__ import annotations

import pyoxigraph as ox
from conftest import EX, RDF, RDFS, SH

from lod_unioni.validation.reference import (
    imported_declarations,
    reduced_shapes,
    run_pyshacl,
    targeted_shapes,
    uses_advanced_features,
    xpath_patterns,
)

HEAD = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . "
HEAD += "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"


def triples(text: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(HEAD + text, format=ox.RdfFormat.TURTLE)]


def test_reduced_shapes_keep_the_targets_of_the_given_shapes_only():
    shapes = triples(
        "ex:Kept sh:targetClass ex:A ; sh:targetNode ex:n ; sh:node ex:Other . "
        "ex:Other sh:targetSubjectsOf ex:p ; sh:targetObjectsOf ex:q ; sh:property [ sh:path ex:p ; sh:minCount 1 ] . "
        "ex:Implicit a sh:NodeShape, rdfs:Class ; sh:closed true . ex:Adv sh:target [ a sh:SPARQLTarget ] ."
    )
    assert targeted_shapes(shapes) == [ox.NamedNode(EX + n) for n in ("Kept", "Other", "Implicit", "Adv")]
    reduced = reduced_shapes(shapes, {ox.NamedNode(EX + "Kept")})
    assert targeted_shapes(reduced) == [ox.NamedNode(EX + "Kept")]
    removed = {(t.subject.value, t.predicate.value) for t in set(shapes) - set(reduced)}
    assert removed == {
        (EX + "Other", SH + "targetSubjectsOf"),
        (EX + "Other", SH + "targetObjectsOf"),
        (EX + "Implicit", RDF + "type"),
        (EX + "Adv", SH + "target"),
    }
    assert (
        ox.Triple(ox.NamedNode(EX + "Implicit"), ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "NodeShape")) in reduced
    )
    assert ox.NamedNode(RDFS + "Class") not in {t.object for t in reduced}


def test_imported_prefix_declarations_are_copied_onto_the_sh_prefixes_value():
    shapes = triples(
        'ex:c sh:prefixes ex:Mine . ex:Mine owl:imports ex:Lib ; sh:declare [ sh:prefix "m" ; sh:namespace "urn:m#" ] . '
        'ex:Lib owl:imports ex:Deeper . ex:Deeper owl:imports ex:Lib ; sh:declare [ sh:prefix "d" ; sh:namespace "urn:d#" ] . '
        'ex:Unused sh:declare [ sh:prefix "u" ; sh:namespace "urn:u#" ] .'
    )
    added = imported_declarations(shapes)
    assert {t.subject.value for t in added} == {EX + "Mine"} and len(added) == 1
    declared = {
        t.object for t in shapes if t.subject == ox.NamedNode(EX + "Deeper") and t.predicate.value == SH + "declare"
    }
    assert {t.object for t in added} == declared


def test_advanced_features_are_detected():
    assert not uses_advanced_features(triples("ex:S sh:targetClass ex:A ; sh:or ( [ sh:class ex:B ] ) ."))
    assert uses_advanced_features(triples("ex:S sh:target [ a sh:SPARQLTarget ] ."))
    assert uses_advanced_features(triples("ex:S sh:rule [ a sh:TripleRule ] ."))


def test_patterns_reach_pyshacl_with_xpath_anchors():
    """pySHACL hands sh:pattern to Python's re, whose $ matches before a final newline: "069015\\n"
    conformed to ^[0-9]{6}$ with --engine pyshacl."""
    shapes = triples(
        'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "^[0-9]{6}$" ] , '
        '[ sh:path ex:q ; sh:pattern "^a$" ; sh:flags "m" ] .'
    )
    data = triples('ex:a ex:p "069015\\n" ; ex:q "a\\nb" .')
    results = run_pyshacl(data, shapes)
    assert [(r.path, r.value) for r in results] == [(ox.NamedNode(EX + "p"), ox.Literal("069015\n"))]
    assert [t.object.value for t in xpath_patterns(shapes) if t.predicate.value == SH + "pattern"] == [
        "^[0-9]{6}\\Z",
        "^a$",
    ]
