"""The W3C SHACL test suite on the fast engine called directly (``FastEngine(shapes).run(data)``).

Every test of ``core/`` and ``sparql/`` must pass (the conforms flag and the set of results compared
as the suite does: focus node, path, value, source shape, component, severity, blank nodes matched
as in graph isomorphism), or, for a feature the engine lists as unsupported, be refused; no wrong
answer, no crash. The suite is read from ``../shared/conformance`` (never copied).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from lod_unioni.graph import to_rdflib_term
from lod_unioni.validation.fast import FastEngine, ShapesError, UnsupportedShapes

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KEYS = ("focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent", "resultSeverity")
# Features the engine refuses (SHACL-AF): none of the core/ and sparql/ tests needs them.
REFUSED_FEATURES: tuple[str, ...] = ()


@dataclass
class Case:
    name: str
    data: Path
    shapes: Path
    manifest: list[ox.Triple]
    result: ox.NamedNode | ox.BlankNode


def _parse(path: Path) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())]


def _objects(triples: list[ox.Triple], s, p: str) -> list:
    return [t.object for t in triples if t.subject == s and t.predicate.value == p]


def _one(triples, s, p):
    found = _objects(triples, s, p)
    return found[0] if found else None


def _list(triples, head) -> list:
    out = []
    while head != ox.NamedNode(RDF + "nil"):
        out.append(_one(triples, head, RDF + "first"))
        head = _one(triples, head, RDF + "rest")
    return out


def cases(root: Path) -> list[Case]:
    out: list[Case] = []

    def walk(manifest: Path) -> None:
        triples = _parse(manifest)
        for t in triples:
            if t.predicate.value == MF + "include":
                walk(Path(t.object.value.removeprefix("file://")))
        for t in triples:
            if t.predicate.value == MF + "entries":
                for entry in _list(triples, t.object):
                    action = _one(triples, entry, MF + "action")
                    data = _one(triples, action, SHT + "dataGraph").value.removeprefix("file://")
                    shapes = _one(triples, action, SHT + "shapesGraph").value.removeprefix("file://")
                    name = entry.value.removeprefix(root.as_uri() + "/")
                    out.append(Case(name, Path(data), Path(shapes), triples, _one(triples, entry, MF + "result")))

    walk(root / "manifest.ttl")
    return out


def path_string(triples, node) -> str:
    if isinstance(node, ox.NamedNode):
        return f"<{node.value}>"
    if _one(triples, node, RDF + "first") is not None:
        return "(" + "/".join(path_string(triples, x) for x in _list(triples, node)) + ")"
    for key, fmt in (
        ("inversePath", "^{}"),
        ("zeroOrMorePath", "{}*"),
        ("oneOrMorePath", "{}+"),
        ("zeroOrOnePath", "{}?"),
    ):
        v = _one(triples, node, SH + key)
        if v is not None:
            return fmt.format(path_string(triples, v))
    return (
        "("
        + "|".join(path_string(triples, x) for x in _list(triples, _one(triples, node, SH + "alternativePath")))
        + ")"
    )


def expr_string(path) -> str:
    if isinstance(path, ox.NamedNode):
        return f"<{path.value}>"
    tag, arg = path
    if tag in ("seq", "alt"):
        return "(" + ("/" if tag == "seq" else "|").join(expr_string(p) for p in arg) + ")"
    return {"inv": "^{}", "zeroOrMore": "{}*", "oneOrMore": "{}+", "zeroOrOne": "{}?"}[tag].format(expr_string(arg))


def expected(case: Case) -> tuple[bool, rdflib.Graph]:
    g = rdflib.Graph()
    conforms = _one(case.manifest, case.result, SH + "conforms").value == "true"
    for r in _objects(case.manifest, case.result, SH + "result"):
        node = rdflib.BNode()
        for key in KEYS:
            for v in _objects(case.manifest, r, SH + key):
                value = rdflib.Literal(path_string(case.manifest, v)) if key == "resultPath" else to_rdflib_term(v)
                g.add((node, rdflib.URIRef(SH + key), value))
    return conforms, g


def actual(results) -> tuple[bool, rdflib.Graph]:
    g = rdflib.Graph()
    for r in results:
        node = rdflib.BNode()
        fields = {
            "focusNode": r.focus,
            "value": r.value,
            "sourceShape": r.shape,
            "sourceConstraintComponent": r.component,
            "resultSeverity": r.severity,
        }
        for key, term in fields.items():
            if term is not None:
                g.add((node, rdflib.URIRef(SH + key), to_rdflib_term(term)))
        if r.path is not None:
            g.add((node, rdflib.URIRef(SH + "resultPath"), rdflib.Literal(expr_string(r.path))))
    return not results, g


def outcome(case: Case) -> tuple[str, str]:
    """("pass" | "refused" | "wrong" | "crash", detail) of one test on the fast engine."""
    failure = case.result == ox.NamedNode(SHT + "Failure")
    try:
        data = _parse(case.data)
        shapes = data if case.shapes == case.data else _parse(case.shapes)
        engine = FastEngine(shapes, (case.shapes,))
        if engine.unsupported:
            return "refused", "; ".join(map(str, engine.unsupported))
        results = engine.run(data)
    except ShapesError as exc:
        return ("pass", str(exc)) if failure else ("wrong", f"refused as bad shapes: {exc}")
    except UnsupportedShapes as exc:
        return "refused", str(exc)
    except Exception as exc:
        return "crash", f"{type(exc).__name__}: {exc}"
    if failure:
        return "wrong", "expected a failure"
    (want_conforms, want), (got_conforms, got) = expected(case), actual(results)
    if want_conforms == got_conforms and isomorphic(want, got):
        return "pass", ""
    return (
        "wrong",
        f"conforms {got_conforms} (expected {want_conforms}), {len(got)} result triples, {len(want)} expected",
    )


@pytest.fixture(scope="module")
def w3c_cases(shared_data) -> list[Case]:
    root = shared_data.parent / "conformance" / "w3c-shacl" / "tests"
    if not (root / "manifest.ttl").is_file():
        pytest.fail(f"the W3C SHACL test suite is not at {root} (see ../shared/conformance/README.md)")
    return cases(root)


@pytest.mark.filterwarnings("ignore:Parsing weird boolean")  # rdflib, on the suite's ill-typed literals
def test_the_whole_suite_on_the_fast_engine(w3c_cases, capsys):
    start = time.perf_counter()
    outcomes = {c.name: outcome(c) for c in w3c_cases}
    took = time.perf_counter() - start
    counts = {k: sum(1 for o, _ in outcomes.values() if o == k) for k in ("pass", "refused", "wrong", "crash")}
    with capsys.disabled():
        print(f"\nW3C SHACL suite, fast engine: {counts} in {took:.1f} s")
    bad = {name: o for name, o in outcomes.items() if o[0] in ("wrong", "crash")}
    assert not bad
    refused = {name: detail for name, (o, detail) in outcomes.items() if o == "refused"}
    assert all(any(f in detail for f in REFUSED_FEATURES) for detail in refused.values()), refused
    assert len(w3c_cases) >= 120 and counts["pass"] == len(w3c_cases) - len(refused)
