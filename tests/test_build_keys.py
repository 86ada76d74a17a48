"""The keys the mapping gives each triple (its place in the dumps' order) and what the build reads
from them instead of the triples: the same order as sorting the triples, the same description
(VoID sources and linksets) and the same live IRIs of the register, on the bundled records."""

from __future__ import annotations

import pytest
from conftest import RDF
from pyoxigraph import Literal, NamedNode, Triple

from lod_unioni.build import _mapped
from lod_unioni.config import DEFAULT_BASE_IRI
from lod_unioni.dcat.void import dataset_description
from lod_unioni.graph import sort_triples
from lod_unioni.iris import IriRegister
from lod_unioni.mapping import load_mapping
from lod_unioni.records import load_records
from lod_unioni.resources import resource_dir


@pytest.fixture(scope="module")
def mapped():
    return _mapped(load_records(resource_dir("records")), DEFAULT_BASE_IRI, load_mapping())


def test_the_keys_are_the_triples_places_in_the_dumps_order(mapped):
    triples, keys = mapped
    assert len(triples) == len(keys) > 500
    # each key written from its triple: the subject, 0 (rdf:type) or 1 and the predicate, the object
    # as N-Triples writes it
    rdf_type = str(RDF.type)
    assert keys == [
        (t.subject.value, ("0" if t.predicate.value == rdf_type else "1") + t.predicate.value, str(t.object))
        for t in triples
    ]
    assert triples == sort_triples(reversed(triples + triples[:50]))  # sorted, without duplicates


def test_a_literal_that_needs_escapes_gets_its_n_triples_form_as_key(tmp_path):
    from lod_unioni.records import Record

    m = load_mapping()
    record = next(iter(load_records(resource_dir("records"))))
    data = dict(record.data)
    data["union"] = dict(data["union"], name='Unione "dei" Monti\\Valli\tnord')
    seen: dict = {}
    m.keyed(Record(path=record.path, data=data), DEFAULT_BASE_IRI, seen)
    named = [(k, t) for k, t in seen.items() if isinstance(t.object, Literal) and "Monti\\" in t.object.value]
    assert named
    for key, t in named:
        assert key[2] == str(t.object)
        assert key[2].startswith('"Unione \\"dei\\" Monti\\\\Valli\\tnord"')


def test_the_description_from_the_keys_is_the_description_from_the_triples(mapped):
    triples, keys = mapped
    options = {"prefixes": load_mapping().prefixes, "version": "2026-12-01", "modified": "2026-12-01"}
    from_triples = dataset_description(triples, DEFAULT_BASE_IRI, **options)
    from_keys = dataset_description(triples, DEFAULT_BASE_IRI, keys=keys, **options)
    assert from_keys == from_triples
    void = "http://rdfs.org/ns/void#"
    assert any(t.predicate == NamedNode(void + "subset") for t in from_keys)  # linksets counted
    assert any(t.predicate == NamedNode("http://purl.org/dc/terms/source") for t in from_keys)


def test_the_register_reads_the_same_live_iris_from_the_subjects(mapped):
    triples, keys = mapped
    extra = [Triple(NamedNode(DEFAULT_BASE_IRI + "dataset/unioni"), NamedNode(str(RDF.type)), Literal("x"))]
    register = IriRegister(DEFAULT_BASE_IRI, [])
    scanned = register.update([*triples, *extra], {}, since="2026-12-01")
    subjects = [*dict.fromkeys(k[0] for k in keys), DEFAULT_BASE_IRI + "dataset/unioni"]
    given = register.update([*triples, *extra], {}, since="2026-12-01", subjects=subjects)
    assert given.register.to_bytes() == scanned.register.to_bytes()
    assert given.new == scanned.new and len(given.new) > 100
