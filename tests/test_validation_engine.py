"""The fast SHACL engine against pySHACL on generic shapes using every Core component, its inputs,
its SPARQL pre-binding, and the fallback to pySHACL for the features it does not implement."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import EX, FIXTURES_DIR, REPO

from lod_unioni.errors import LodError
from lod_unioni.validation import Shapes, validate
from lod_unioni.validation.data import shape_files
from lod_unioni.validation.fast import FastEngine
from lod_unioni.validation.terms import display_path, display_term

FIXTURES = FIXTURES_DIR / "shapes"
ENGINE = FIXTURES / "engine"
CARDS = FIXTURES / "cards.ttl"
S = "http://example.org/shapes/"


@pytest.fixture(scope="module")
def engine_reports():
    return (
        validate(ENGINE / "data.ttl", shapes_dir=ENGINE, engine="fast"),
        validate(ENGINE / "data.ttl", shapes_dir=ENGINE, engine="pyshacl"),
    )


def short(report):
    return {
        (
            "_:" if r.rule.startswith("_:") else r.rule,
            r.component_name.replace("ConstraintComponent", ""),
            display_term(r.focus).replace(f"<{EX}", "ex:").rstrip(">"),
            None if r.value is None else display_term(r.value).replace(f"<{EX}", "ex:").rstrip(">"),
            r.severity,
        )
        for r in report.results
    }


def test_both_engines_agree_on_every_component(engine_reports):
    fast, reference = engine_reports
    assert Counter(r.key() for r in fast.results) == Counter(r.key() for r in reference.results)
    assert len(fast.results) == 42


@pytest.mark.parametrize(
    "expected",
    [
        # value-level components
        ("person-age", "MaxExclusive", "ex:bob", "200", "Warning"),
        ("person-age", "MinInclusive", "ex:dan", "-1", "Warning"),
        ("person-age", "Datatype", "ex:carol", "x", "Warning"),  # ill-formed "x"^^xsd:integer
        ("person-age", "Datatype", "ex:erin", "7.5", "Warning"),
        ("_:", "Datatype", "ex:bob", '"1990-13-01"^^xsd:date', "Violation"),  # blank-node property shape
        ("person-name", "LanguageIn", "ex:carol", '"Carla"@de', "Violation"),
        ("person-name", "Datatype", "ex:erin", '"Erin"', "Violation"),
        ("person-name", "MinLength", "ex:dan", '"D"@it', "Violation"),
        ("person-email", "NodeKind", "ex:bob", '"mailto:bob@example.org"', "Violation"),
        ("person-knows", "Class", "ex:bob", "ex:thing", "Violation"),
        ("person-knows", "Node", "ex:carol", "ex:anon", "Violation"),  # ex:anon has no name
        ("person-nick", "MaxLength", "ex:bob", '"Bobby-Bob"', "Info"),
        ("colour", "In", "ex:blue", "ex:blue", "Violation"),  # targetObjectsOf
        ("colour", "In", '"blue"@en', '"blue"@en', "Violation"),
        ("score", "MinExclusive", "ex:g2", "0.5", "Violation"),
        ("score", "MaxInclusive", "ex:g2", "11.5", "Violation"),
        ("score", "Datatype", "ex:g2", "3", "Violation"),
        # focus-level components
        ("person-name", "MinCount", "ex:anon", None, "Violation"),
        ("person-name", "MaxCount", "ex:carol", None, "Violation"),
        ("person-name", "UniqueLang", "ex:carol", None, "Violation"),
        ("parent", "MinCount", "ex:frank", None, "Violation"),  # targetSubjectsOf, inverse path
        ("ancestor", "MaxCount", "ex:alice", None, "Violation"),  # targetNode, oneOrMore path
        ("root", "HasValue", "ex:root", None, "Violation"),
        ("root", "NodeKind", "ex:root", "ex:root", "Violation"),
        ("game-title", "HasValue", "ex:g2", None, "Violation"),
        # SHACL-SPARQL
        ("friends", "SPARQL", "ex:bob", "ex:bob", "Violation"),
        ("children", "SPARQL", "ex:alice", "ex:dan", "Violation"),
    ],
)
def test_expected_results(engine_reports, expected):
    assert expected in short(engine_reports[0])


def test_conforming_nodes_have_no_results(engine_reports):
    fast, _ = engine_reports
    focus = {display_term(r.focus) for r in fast.results}
    assert f"<{EX}pic1>" not in focus and f"<{EX}red>" not in focus and '"blue"' not in focus
    assert f"<{EX}g1>" not in {display_term(r.focus) for r in fast.results if r.rule == "game-title"}
    assert not any(r.rule == "off" for r in fast.results)  # sh:deactivated true
    assert not any(r.rule == "person-email" and r.focus == ox.NamedNode(EX + "alice") for r in fast.results)
    assert not any(r.focus == ox.NamedNode(EX + "nobody") for r in fast.results)


def test_sparql_messages_are_filled_in(engine_reports):
    fast, _ = engine_reports
    [r] = [r for r in fast.results if r.rule == "friends" and r.focus == ox.NamedNode(EX + "bob")]
    assert r.message_en == "http://example.org/bob knows http://example.org/thing who does not know back"


def test_paths_are_kept(engine_reports):
    fast, _ = engine_reports
    paths = {display_path(r.path) for r in fast.results}
    assert f"<{EX}profile>/(<{EX}nick>|<{EX}alias>)" in paths
    assert f"^<{EX}childOf>" in paths and f"(<{EX}parentOf>)+" in paths and f"(<{EX}score>)?" in paths


# --- inputs -------------------------------------------------------------------------------------


def test_inputs_store_triples_and_files_give_the_same_report(tmp_path):
    store = ox.Store()
    store.load(path=str(CARDS), format=ox.RdfFormat.TURTLE)
    store.update(
        "DELETE WHERE { <https://w3id.org/lod-unioni/data/union/ull> <https://w3id.org/italia/onto/COV/IPAcode> ?c }"
    )
    triples = [q.triple for q in store]
    nt, jsonld = tmp_path / "g.nt", tmp_path / "g.jsonld"
    nt.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    jsonld.write_bytes(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
    reports = [validate(store), validate(triples), validate(nt), validate([str(jsonld)]), validate(iter(triples))]
    keys = [sorted(map(str, (r.key() for r in rep.results))) for rep in reports]
    assert all(k == keys[0] for k in keys) and len(keys[0]) == 1


def test_extra_graphs_do_not_change_the_given_store():
    store = ox.Store()
    store.load(path=str(CARDS), format=ox.RdfFormat.TURTLE)
    store.update(
        "PREFIX lu: <https://w3id.org/lod-unioni/onto/> "
        "DELETE WHERE { ?s lu:serviceType <https://w3id.org/lod-unioni/vocab/services/polizia-locale> } ; "
        "INSERT DATA { <https://w3id.org/lod-unioni/data/union/ull/service/polizia-locale> "
        "lu:serviceType <https://w3id.org/lod-unioni/vocab/services/polizia-rurale> }"
    )
    before = len(store)
    assert validate(store).conforms  # without the vocabulary only the namespace is checked
    report = validate(store, extra_graphs=[FIXTURES / "services-vocabulary.ttl"])
    assert [r.rule for r in report.results] == ["union-service-in-scheme"]
    assert len(store) == before and list(store.named_graphs()) == []


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.ttl", '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', "not valid Turtle"),
        ("bad.nt", "<http://example.org/a> <http://example.org/b> .\n", "not valid N-Triples"),
        ("data.csv", "a,b\n", "unknown RDF file extension"),
    ],
)
def test_unreadable_data_is_a_one_line_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LodError) as info:
        validate(path)
    assert message in str(info.value) and str(path) in str(info.value) and "\n" not in str(info.value)


def test_bad_turtle_error_gives_the_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    with pytest.raises(LodError) as info:
        validate(path)
    assert info.value.line == 3


def test_missing_file(tmp_path):
    with pytest.raises(LodError, match="file not found"):
        validate(tmp_path / "none.ttl")


def test_unknown_engine():
    with pytest.raises(ValueError):
        validate([], engine="jena")


# --- fallback and SHACL-SPARQL details ----------------------------------------------------------

SHAPE_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"""


def turtle(text):
    """The triples of a Turtle snippet (sh:, ex: and xsd: declared)."""
    return [q.triple for q in ox.parse(SHAPE_HEAD + text, format=ox.RdfFormat.TURTLE)]


def test_unsupported_shapes_fall_back_to_pyshacl(tmp_path, capsys):
    store = ox.Store()
    store.load(path=str(CARDS), format=ox.RdfFormat.TURTLE)
    store.update(
        "PREFIX lu: <https://w3id.org/lod-unioni/onto/> "
        "DELETE WHERE { <https://w3id.org/lod-unioni/data/union/ull> lu:foundingDate ?d } ; "
        'INSERT DATA { <https://w3id.org/lod-unioni/data/union/ull> lu:foundingDate "2015" }'
    )
    report = validate(store, shapes_dir=FIXTURES / "unsupported")
    assert report.engine == "pyshacl"
    assert [(r.rule, r.focus.value, r.component_name) for r in report.results] == [
        ("founding", "https://w3id.org/lod-unioni/data/union/ull", "OrConstraintComponent")
    ]


def test_fallback_warns_on_stderr(capsys):
    validate(CARDS, shapes_dir=FIXTURES / "unsupported")
    err = capsys.readouterr().err
    assert "lod-unioni: warning:" in err and "sh:rule (SHACL-AF)" in err and "pySHACL" in err


def test_sparql_path_and_messages_with_braces():
    shapes = turtle(
        'ex:s sh:targetClass ex:C ; sh:path ex:p ; sh:sparql [ sh:select """'
        'SELECT ?value WHERE { $this $PATH ?value . FILTER(?value = "{x}") }""" ] .'
    )
    data = turtle('ex:a a ex:C ; ex:p "{x}" . ex:b a ex:C ; ex:p "y" . ex:c ex:p "{x}" .')
    results = FastEngine(shapes).run(data)
    assert [(r.focus.value, r.value.value) for r in results] == [(EX + "a", "{x}")]


def bundled_shapes() -> list:
    return Shapes.read(shape_files(REPO / "shapes")).triples


def test_bundled_shapes_compile():
    engine = FastEngine(bundled_shapes())
    assert len(engine.shapes) >= 30
    assert not engine.unsupported and not engine.ignored


def test_sparql_keywords_in_strings_and_iris_are_not_taken_for_syntax():
    shapes = turtle(
        'ex:s sh:targetClass ex:C ; sh:sparql [ sh:select """'
        "SELECT $this ?value WHERE { $this <http://example.org/values#LIMIT> ?value . "
        'FILTER(?value != "{ LIMIT 1 }") }""" ] .'
    )
    data = turtle(f'ex:a a ex:C ; <{EX}values#LIMIT> "x", "{{ LIMIT 1 }}" .')
    results = FastEngine(shapes).run(data)
    assert [(r.focus.value, r.value.value) for r in results] == [(EX + "a", "x")]


def test_bundled_sparql_constraints_run_once_for_all_focus_nodes():
    """The project's queries follow the pre-binding rules that let one query serve every focus node."""
    engine = FastEngine(bundled_shapes())
    prepared = [c.args.prepared for s in engine.shapes for c in s.constraints if c.node is not None]
    assert len(prepared) >= 20 and all(p.batchable for p in prepared)
