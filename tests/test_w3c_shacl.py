"""The W3C SHACL test suite (``../shared/conformance/w3c-shacl``) through ``lod-unioni validate``.

Every test of the suite's manifests runs through the command line, in process, with each engine
(``main(["validate", DATA, "--shapes", SHAPES, "--format", "turtle", "--engine", E])``), and is
judged as the suite judges: the report's ``sh:conforms`` and the set of its results compared on
(focusNode, resultPath, value, sourceShape, sourceConstraintComponent, resultSeverity), blank nodes
matched as in graph isomorphism, the path as a canonical string, terms compared as RDF terms
(``"4.0"^^xsd:decimal`` is not ``"4"^^xsd:decimal``). The exit code must agree with the report
(1 for a violation, 0 otherwise). A test whose result is ``sht:Failure`` passes when the command
refuses the shapes (exit 2).

Outcomes: ``pass``; ``refused`` (exit 2 where a report was expected); ``wrong`` (another report,
an exit code that contradicts it, or a report where the suite expects a failure); ``crash`` (an
exception out of the command).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import RDFS, REPO, SH
from shacl_reports import Index, lines, parse, quiet_rdflib, report_summary, same_summary

from lod_unioni.cli import main

# The vocabularies of the suite's manifests (W3C test manifests and the SHACL test vocabulary).
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"


def path_of(iri) -> Path:
    return Path(urllib.request.url2pathname(urllib.parse.urlparse(iri.value).path))


@dataclass
class Case:
    name: str
    data: Path
    shapes: Path
    failure: bool  # the suite expects the shapes to be refused
    conforms: bool | None
    results: rdflib.Graph
    label: str


def suite_cases(manifest: Path) -> list[Case]:
    """The tests of a manifest and of the manifests it includes, in order."""
    index = Index(parse(manifest))
    me = ox.NamedNode(manifest.absolute().as_uri())
    cases = []
    for include in index.objects(me, MF + "include"):
        cases.extend(suite_cases(path_of(include)))
    for entries in index.objects(me, MF + "entries"):
        for test in index.items(entries):
            action, result = index.one(test, MF + "action"), index.one(test, MF + "result")
            failure = result == ox.NamedNode(SHT + "Failure")
            conforms, results = (None, rdflib.Graph()) if failure else index.summary(result)
            cases.append(
                Case(
                    name=test.value.split("/tests/", 1)[-1],
                    data=path_of(index.one(action, SHT + "dataGraph")),
                    shapes=path_of(index.one(action, SHT + "shapesGraph")),
                    failure=failure,
                    conforms=conforms,
                    results=results,
                    label=str(index.one(test, RDFS + "label") or ""),
                )
            )
    return cases


@dataclass
class Outcome:
    kind: str  # pass, refused, wrong, crash
    detail: str = ""


def run_case(case: Case, engine: str) -> Outcome:
    out, err = io.StringIO(), io.StringIO()
    argv = ["-q", "validate", str(case.data), "--shapes", str(case.shapes), "--no-vocabularies"]
    argv += ["--format", "turtle", "--engine", engine]
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except Exception as exc:  # a crash is an outcome
        return Outcome("crash", f"{type(exc).__name__}: {exc}"[:300])
    if code == 2:
        return Outcome("pass" if case.failure else "refused", err.getvalue().strip())
    if case.failure:
        return Outcome("wrong", "a report where the suite expects the shapes to be refused")
    actual = report_summary(out.getvalue())
    expected = (case.conforms, case.results)
    if not same_summary(actual, expected):
        return Outcome(
            "wrong", f"conforms {actual[0]}, expected {case.conforms}; expected {lines(expected)}, got {lines(actual)}"
        )
    severities = {str(s) for s in actual[1].objects(None, rdflib.URIRef(SH + "resultSeverity"))}
    failing = bool(severities - {SH + "Warning", SH + "Info"})
    if code != (1 if failing else 0):
        return Outcome("wrong", f"exit code {code} for this report")
    return Outcome("pass")


@dataclass
class Figures:
    outcomes: dict[str, Outcome]
    seconds: float

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes.values() if o.kind == kind)

    def names(self, kind: str) -> dict[str, str]:
        return {name: o.detail for name, o in self.outcomes.items() if o.kind == kind}

    def line(self, engine: str) -> str:
        kinds = ", ".join(f"{k} {self.count(k)}" for k in ("pass", "refused", "wrong", "crash"))
        return f"--engine {engine}: {len(self.outcomes)} tests: {kinds} in {self.seconds:.1f} s"


@functools.lru_cache(maxsize=3)
def figures(root: Path, engine: str) -> Figures:
    with quiet_rdflib():
        cases = suite_cases(root / "manifest.ttl")
        start = time.perf_counter()
        outcomes = {case.name: run_case(case, engine) for case in cases}
        return Figures(outcomes, time.perf_counter() - start)


@pytest.fixture(scope="module")
def suite(conformance) -> Path:
    root = conformance / "w3c-shacl" / "tests"
    assert (root / "manifest.ttl").is_file(), root
    return root


def test_the_suite_is_read_whole(suite):
    cases = suite_cases(suite / "manifest.ttl")
    assert len(cases) == 120 and len({c.name for c in cases}) == 120
    assert sum(c.failure for c in cases) == 7
    assert all(c.data.is_file() and c.shapes.is_file() for c in cases)


def refused_features() -> list[str]:
    """The features shapes/README.md lists as refused by the fast engine: the first code span of
    each item of its list; a refusal names a listed feature when it contains one."""
    text = (REPO / "shapes" / "README.md").read_text(encoding="utf-8")
    section = text.split("### What the fast engine refuses", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^- `([^`]+)`", section, re.M)


def test_auto_engine(suite):
    f = figures(suite, "auto")
    print(f.line("auto"))
    assert f.count("wrong") == 0, f.names("wrong")
    assert f.count("crash") == 0, f.names("crash")
    assert f.count("pass") == 120, f.line("auto") + f" refused: {f.names('refused')}"


def test_fast_engine(suite):
    f = figures(suite, "fast")
    print(f.line("fast"))
    assert f.count("wrong") == 0, f.names("wrong")
    assert f.count("crash") == 0, f.names("crash")
    listed = refused_features()
    for name, message in f.names("refused").items():
        m = re.search(r"uses (.+?), which the fast engine does not implement", message)
        assert m and any(item in m.group(1) for item in listed), f"{name}: {message} (shapes/README.md lists {listed})"


def test_pyshacl_engine(suite):
    """The reference: its figures for information; no crash."""
    f = figures(suite, "pyshacl")
    print(f.line("pyshacl"), {k: f.names(k) for k in ("refused", "wrong")})
    assert f.count("crash") == 0, f.names("crash")
