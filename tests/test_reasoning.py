"""What an OWL 2 RL reasoner infers from the bundled dump read with its ontologies
(ontology/MODEL.md, "Codes and OWL reasoning", "Alignments").

The closure (owlrl, ``DeductiveClosure(OWLRL_Semantics)``) is computed once, over:

* the bundled dump, ``output/unioni.ttl`` (tests/test_build.py checks that it is what the build
  makes of ``records/``);
* the lod-unioni ontology, ``ontology/lod-unioni.ttl``, which says what our terms are
  (``ontology/alignments.ttl`` is not read: neither the ontology nor the dumps load it);
* the OntoPiA ontologies of ``../shared/data/ontopia/ontologies`` (COV, CLV, l0, SM, TI, Indicator,
  MU, Project), without their annotations: the triples whose object is a literal and whose
  predicate is not an OWL term (labels, comments, version notes...) and ``rdfs:isDefinedBy`` /
  ``rdfs:seeAlso``. No OWL 2 RL rule reads an annotation's value, so the closure loses no
  entailment about the data, and takes half the time (about 20 s instead of 40 s on a 2-core
  machine);
* the SKOS axioms of the semantic and mapping relations, from the SKOS Reference (W3C
  Recommendation, 2009-08-18, sections 8 and 10): what makes a reasoner treat the subject and
  object of ``skos:closeMatch`` as concepts.

It must infer no ``owl:sameAs`` between two different literals (CLV's ``l0:identifier`` is
functional: codes that are all its sub-properties made "c_g799" the same as "069068"), no member of
``owl:Nothing`` and no inconsistency owlrl reports, and no ``skos:Concept`` but the concepts of our
SKOS vocabularies (services, statuses, indicators) and of OntoPiA's controlled vocabularies (SKOS
mappings on our OWL terms made 17 of them, ``clv:hasCity`` and ``prj:Programme`` concepts).
"""

from __future__ import annotations

import time

import owlrl
import pytest
import rdflib
from conftest import COV, DCT, IPAORG, IPAORGS, LU, LUI, LUPM, LUPST, LUS, LUST, OWL, RDF, RDFS, SKOS, B
from rdflib import BNode, Literal, URIRef

ERRORS = rdflib.Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # where owlrl reports inconsistencies
CONTROLLED_VOCABULARIES = "https://w3id.org/italia/controlled-vocabulary/"

SKOS_MAPPING_AXIOMS = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
skos:semanticRelation rdfs:domain skos:Concept ; rdfs:range skos:Concept .
skos:related rdfs:subPropertyOf skos:semanticRelation .
skos:broader rdfs:subPropertyOf skos:semanticRelation .
skos:narrower rdfs:subPropertyOf skos:semanticRelation .
skos:mappingRelation rdfs:subPropertyOf skos:semanticRelation .
skos:closeMatch rdfs:subPropertyOf skos:mappingRelation .
skos:exactMatch rdfs:subPropertyOf skos:closeMatch .
skos:broadMatch rdfs:subPropertyOf skos:mappingRelation , skos:broader .
skos:narrowMatch rdfs:subPropertyOf skos:mappingRelation , skos:narrower .
skos:relatedMatch rdfs:subPropertyOf skos:mappingRelation , skos:related .
"""

_ANNOTATIONS = {RDFS.label, RDFS.comment, RDFS.isDefinedBy, RDFS.seeAlso}


def _without_annotations(path) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o in rdflib.Graph().parse(path, format="turtle"):
        if p in _ANNOTATIONS or (isinstance(o, Literal) and not str(p).startswith(OWL)) or p == OWL.versionInfo:
            continue
        g.add((s, p, o))
    return g


@pytest.fixture(scope="module")
def closure(repo, shared_data) -> rdflib.Graph:
    g = rdflib.Graph().parse(repo / "output" / "unioni.ttl", format="turtle")
    dump = len(g)
    g.parse(repo / "ontology" / "lod-unioni.ttl", format="turtle")
    ontologies = sorted((shared_data / "ontopia" / "ontologies").glob("*.ttl"))
    assert len(ontologies) == 8, ontologies
    for path in ontologies:
        g += _without_annotations(path)
    g.parse(data=SKOS_MAPPING_AXIOMS, format="turtle")
    given, start = len(g), time.perf_counter()
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    print(
        f"OWL-RL closure: {dump} dump triples, {given} with the ontologies, {len(g)} after ({time.perf_counter() - start:.1f} s)"
    )
    return g


@pytest.mark.slow
def test_the_closure_makes_no_two_literals_the_same(closure):
    equal = [
        (s, o)
        for s, o in closure.subject_objects(OWL.sameAs)
        if (isinstance(s, Literal) or isinstance(o, Literal)) and s != o
    ]
    assert equal == []


@pytest.mark.slow
def test_the_closure_is_consistent(closure):
    assert list(closure.subjects(RDF.type, OWL.Nothing)) == []
    errors = [str(closure.value(e, ERRORS.error)) for e in closure.subjects(RDF.type, ERRORS.ErrorMessage)]
    assert errors == []


@pytest.mark.slow
def test_the_closure_types_as_concepts_only_vocabulary_concepts(closure):
    concepts = {c for c in closure.subjects(RDF.type, SKOS.Concept) if not isinstance(c, BNode)}
    ours = (LUS, LUST, LUI, LUPM, LUPST)
    unexpected = sorted(str(c) for c in concepts if not str(c).startswith((*ours, CONTROLLED_VOCABULARIES)))
    assert unexpected == []  # no lu: term, no clv:hasCity, no prj:Programme
    assert URIRef(LUS + "protezione-civile") in concepts  # the range of lu:serviceType


@pytest.mark.slow
def test_the_closure_does_infer_from_the_ontologies(closure):
    """The reasoner did read the ontologies: what the data says follows through them."""
    miracoli, pollutri = URIRef(B + "union/udm_069"), URIRef(B + "comune/069068")
    assert (miracoli, RDF.type, URIRef("https://w3id.org/italia/onto/l0/Agent")) in closure
    assert (pollutri, URIRef(DCT + "identifier"), Literal("069068")) in closure  # lu:istatCode
    assert (pollutri, URIRef("https://w3id.org/italia/onto/l0/identifier"), Literal("c_g799")) in closure  # cov:IPAcode
    assert (pollutri, COV.IPAcode, Literal("c_g799")) in closure
    # the two spellings of IPA's national IRI name one body
    assert (URIRef(IPAORG + "udm_069"), OWL.sameAs, URIRef(IPAORGS + "udm_069")) in closure
    assert (URIRef(LU + "city"), RDF.type, SKOS.Concept) not in closure
