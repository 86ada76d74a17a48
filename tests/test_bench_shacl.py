"""The pure helpers of the SHACL benchmark (``bench/run.py --shacl``: bench/shacl_steps.py,
bench/shacl_report.py): the options, the steps of each engine, the suite's verdict on one test,
the comparison of two reports, the speed-ups and the targets' verdicts. The benchmark itself is
not a timed test."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import pytest
import rdflib
from conftest import REPO

# bench/ is run as scripts, not installed: its modules import each other by name, as bench/run.py does
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))

import harness  # bench/harness.py
import run  # bench/run.py: the command line
import shacl_report  # bench/shacl_report.py
import shacl_steps  # bench/shacl_steps.py

OK = "ok"


def ok(seconds: float, **more) -> dict:
    return {"status": OK, "seconds": seconds, **more}


def stopped(limit: float) -> dict:
    return {"status": "timeout", "seconds": None, "limit": limit}


# --- the options ---------------------------------------------------------------------------------


def _error(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        run.main(argv)
    assert exit_info.value.code == 2
    return capsys.readouterr().err


def test_shacl_needs_the_conformance_suites(capsys):
    assert "--shacl needs --conformance DIR" in _error(capsys, ["--shacl", "--workloads", "suite"])


def test_shacl_option_errors(capsys, conformance, shared_data, tmp_path):
    c = ["--shacl", "--conformance", str(conformance)]
    assert "no w3c-shacl/tests/manifest.ttl in it" in _error(capsys, ["--shacl", "--conformance", str(tmp_path)])
    assert "--shacl needs --sources DIR" in _error(capsys, c)  # the national workload is in by default
    assert "not a folder" in _error(capsys, [*c, "--sources", str(tmp_path / "missing")])
    assert "choose one" in _error(capsys, [*c, "--national", "--sources", str(shared_data)])
    assert "--engines takes fast, auto, pyshacl" in _error(
        capsys, [*c, "--engines", "fast,slow", "--workloads", "suite"]
    )
    assert "--workloads takes suite, national, dcat" in _error(capsys, [*c, "--workloads", "suite,w3c"])
    assert "--conformance goes with --shacl" in _error(capsys, ["--conformance", str(conformance)])


def test_shacl_engines_in_order(conformance, shared_data):
    parser = run.build_parser()
    args = parser.parse_args(["--shacl", "--conformance", str(conformance), "--engines", "pyshacl,fast"])
    args.sources = str(shared_data)
    assert run.shacl_engines(parser, args) == ["fast", "pyshacl"]
    args = parser.parse_args(["--shacl", "--conformance", str(conformance), "--workloads", "suite,dcat"])
    assert run.shacl_engines(parser, args) == ["fast", "auto", "pyshacl"]  # no --sources needed


def test_each_engine_runs_the_steps_of_its_workloads():
    args = run.build_parser().parse_args(["--shacl", "--engine", "pyshacl"])
    assert [s.name for s in run.way_steps("plain", args)] == [
        "imports",
        "suite",
        "national:load",
        "national:validate",
        "dcat",
    ]
    args = run.build_parser().parse_args(["--shacl", "--engine", "auto", "--workloads", "dcat, suite"])
    assert [s.name for s in run.way_steps("lod-unioni", args)] == ["imports", "suite", "dcat"]
    assert [shacl_steps.way_of(e) for e in shacl_steps.ENGINES] == ["lod-unioni", "lod-unioni", "plain"]


def test_pyshacl_gets_more_time_with_shacl():
    parser = run.build_parser()
    assert run.parse_args(parser, ["--shacl"]).plain_timeout == 180
    assert run.parse_args(parser, ["--shacl", "--plain-timeout", "1200"]).plain_timeout == 1200
    assert run.parse_args(parser, ["--national"]).plain_timeout == run.parse_args(parser, []).plain_timeout == 60


def test_the_child_gets_the_engine_and_the_workloads(tmp_path):
    args = run.parse_args(run.build_parser(), ["--shacl", "--conformance", "c", "--workloads", "suite"])
    args.engine, args.workdir = "auto", str(tmp_path)
    cmd = harness.child_command("lod-unioni", args, tmp_path / "progress.jsonl", [])
    i = cmd.index("--shacl")
    assert cmd[i : i + 5] == ["--shacl", "--engine", "auto", "--workloads", "suite"]
    assert cmd[cmd.index("--conformance") + 1].endswith("/c") and cmd[cmd.index("--workdir") + 1] == str(tmp_path)
    assert cmd[cmd.index("--plain-timeout") + 1] == "180.0"
    assert harness.step_limit("plain", "national:validate", args) == 180
    assert harness.step_limit("lod-unioni", "suite", args) == args.timeout
    assert harness.step_limit("plain", "imports", args) == 0


# --- judging the suite's tests and comparing reports --------------------------------------------


REPORT = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
[] a sh:ValidationReport ; sh:conforms false ; sh:result [ a sh:ValidationResult ; sh:focusNode ex:a ;
  sh:resultPath ex:p ; sh:value {value} ; sh:sourceShape [] ;
  sh:sourceConstraintComponent sh:MaxInclusiveConstraintComponent ; sh:resultSeverity sh:Violation ] .
"""
CONFORMS = "[] a <http://www.w3.org/ns/shacl#ValidationReport> ; <http://www.w3.org/ns/shacl#conforms> true ."


def test_judge_as_the_suite():
    refuse = SimpleNamespace(failure=True, conforms=None, results=rdflib.Graph())
    conform = SimpleNamespace(failure=False, conforms=True, results=rdflib.Graph())
    judge = shacl_steps.judge
    assert judge(refuse, ("refused", "unsupported")) == "pass"
    assert judge(refuse, ("report", CONFORMS)) == "wrong"
    assert judge(refuse, ("crash", "TypeError")) == "crash"
    assert judge(conform, ("refused", "unsupported")) == "refused"
    assert judge(conform, ("report", CONFORMS)) == "pass"
    assert judge(conform, ("report", REPORT.format(value='"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'))) == (
        "wrong"
    )


def test_reports_compare_as_the_suite_compares_them():
    decimal = '"4.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    a = REPORT.format(value=decimal)
    assert shacl_steps.compare(a, a.replace("[] a sh:Val", "_:r a sh:Val")) == "same"  # blank nodes as in isomorphism
    assert shacl_steps.compare(a, REPORT.format(value=decimal.replace("4.0", "4"))) == "differ"  # another term
    assert shacl_steps.compare(a, CONFORMS) == "differ"


# --- speed-ups and verdicts ----------------------------------------------------------------------


def test_the_suite_target_is_faster_than_pyshacl():
    v = shacl_report.verdict
    assert v(ok(0.4), ok(4.0), 1.0) == "met (10.0x)"
    assert v(ok(4.0), ok(4.0), 1.0) == "MISSED (1.0x)"  # as fast is not faster
    assert v(ok(8.0), ok(4.0), 1.0) == "MISSED (0.5x)"


def test_the_national_target_and_lower_bounds():
    v = shacl_report.verdict
    assert v(ok(2.0), ok(20.0), 10.0) == "met (10.0x)"
    assert v(ok(2.5), ok(20.0), 10.0) == "MISSED (8.0x)"
    assert v(ok(2.5), stopped(60.0), 10.0) == "met (>24.0x)"  # pySHACL stopped: a lower bound, enough
    assert v(ok(10.0), stopped(60.0), 10.0) == "unknown (>6.0x)"  # a lower bound under the target says nothing
    assert v(stopped(300.0), ok(60.0), 10.0) == "MISSED (<0.2x)"  # the engine hit its limit, pySHACL did not
    assert v(stopped(5.0), ok(60.0), 10.0) == "unknown (<12.0x)"
    assert v(None, ok(60.0), 10.0) == "unknown"
    assert v({"status": "error", "error": "boom"}, ok(60.0), 10.0) == "unknown"


def _figures():
    suite = {"tests": 120, "peak_rss_mb": 70.0}
    fast = {
        "imports": ok(1.0),
        "suite": ok(0.3, outcomes={"pass": 120}, **suite),
        "national:load": ok(0.7, triples=140_000),
        "national:validate": ok(2.5, results={"Violation": 132, "Warning": 73}, total=205, engine_used="fast"),
        "dcat": ok(0.03, results={"Violation": 24}, total=24, engine_used="fast"),
    }
    plain = {
        "imports": ok(0.8),
        "suite": ok(4.0, outcomes={"pass": 116, "wrong": 3, "refused": 1}, detail={"not_passed": {"t1": "wrong"}}),
        "national:load": ok(6.5, triples=140_000),
        "national:validate": stopped(60.0),
        "dcat": ok(0.25, results={"Violation": 24}, total=24),
    }
    return {
        "machine": {"cpus": 2, "python": "3.11", "pyoxigraph": "0.5", "rdflib": "7", "pyshacl": "0.40"},
        "options": {"conformance": "/c", "sources": "/d", "workloads": list(shacl_steps.WORKLOADS)},
        "dataset": {"national": {"seconds": 9.0, "triples": 140_000}},
        "ways": {"fast": fast, "pyshacl": plain},
        "agreement": {"dcat": {"fast:pyshacl": "same"}},
    }


def test_verdicts_of_each_engine():
    assert shacl_report.verdicts(_figures()["ways"]) == [
        "W3C suite faster than pySHACL: fast met (13.3x)",
        "national validation >= 10x faster than pySHACL: fast met (>24.0x)",
    ]


def test_national_total_is_load_plus_validate():
    ways = _figures()["ways"]
    assert shacl_report.national_total(ways["fast"])["seconds"] == pytest.approx(3.2)
    total = shacl_report.national_total(ways["pyshacl"])
    assert total["status"] == "timeout" and total["limit"] == pytest.approx(66.5)


def test_the_report():
    text = shacl_report.report_shacl(_figures())
    lines = text.splitlines()
    assert lines[0].startswith("lod-unioni SHACL benchmark: conformance suites /c; national graph from /d")
    row = next(line for line in lines if line.startswith("W3C SHACL suite (120 tests"))
    assert row.split()[-3:] == ["0.300", "4.000", "13.3x"]
    row = next(line for line in lines if line.startswith("national graph: load + validate"))
    assert row.split()[-3:] == ["3.200", ">66.5", ">20.8x"]
    assert "116 pass, 1 refused, 3 wrong" in text and "205 results (V 132, W 73)" in text
    assert "fast = pySHACL: the SAME" in text and "did not finish (>60 s)" in text
    assert "W3C suite, pySHACL did not pass: t1: wrong" in text
    assert "what auto ran" not in text  # the fast engine alone needs no such line
    assert text.endswith(
        "targets: W3C suite faster than pySHACL: fast met (13.3x); "
        "national validation >= 10x faster than pySHACL: fast met (>24.0x)"
    )


def test_the_report_says_what_auto_ran():
    figures = _figures()
    auto = dict(figures["ways"]["fast"])
    auto["suite"] = dict(auto["suite"], engine_used="fast 112, fast+pyshacl 1")
    auto["dcat"] = dict(auto["dcat"], engine_used="fast+pyshacl")
    figures["ways"]["auto"] = auto
    text = shacl_report.report_shacl(figures)
    assert (
        "what auto ran (the engines that made each report): W3C suite (reports per engine): fast 112, "
        "fast+pyshacl 1; national graph: fast; DCAT-AP: fast+pyshacl"
    ) in text
    header = next(line for line in text.splitlines() if line.startswith("workload") and "speed-up" in line)
    assert header.split() == [
        "workload",
        "fast",
        "s",
        "auto",
        "s",
        "pySHACL",
        "s",
        "fast",
        "speed-up",
        "auto",
        "speed-up",
    ]
