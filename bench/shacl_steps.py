"""The steps of the SHACL benchmark (``bench/run.py --shacl``): three workloads, each engine in its
own child process.

Engines: ``fast`` and ``auto`` are :func:`lod_unioni.validation.validate` with that ``engine=`` (the
``lod-unioni`` way of :mod:`harness`); ``pyshacl`` is plain pySHACL as a user calls it (rdflib
parses the files, ``pyshacl.validate`` with its defaults: the ``plain`` way).

Workloads:

- ``suite``: the whole W3C SHACL test suite (``--conformance``/w3c-shacl) in one loop, parsing
  included, without vocabularies; each test then judged as ``tests/test_w3c_shacl.py`` judges it
  (the report's ``sh:conforms`` and results, compared as the suite does, not timed), but for the
  exit code, which a call of the API does not have;
- ``national``: the national graph (``unioni.nt`` of ``lod-unioni build --national``) with the
  bundled shapes and vocabularies, as ``lod-unioni validate`` validates it by default: ``load``
  parses the data and the vocabularies, ``validate`` reads the shapes and validates;
- ``dcat``: the single-file DCAT-AP 3.0.1 shapes on the catalog of the bundled build
  (``catalog.ttl`` of ``lod-unioni build``), parsing included, without vocabularies.

The graphs are built once, before the engines run and not timed (:func:`prepare`). Each child
writes its national and DCAT-AP reports to the work folder; :func:`agreement` compares them.
The suite's manifests are read, and reports compared, with the test suite's own helpers
(``tests/test_w3c_shacl.py``, ``tests/shacl_reports.py``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from harness import Context, Step

ENGINES = ("fast", "auto", "pyshacl")
WORKLOADS = ("suite", "national", "dcat")
REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"

#: Under ``--conformance``: the suite's top manifest and the single-file DCAT-AP shapes.
SUITE_MANIFEST = Path("w3c-shacl") / "tests" / "manifest.ttl"
DCAT_AP_SHAPES = Path("dcat-ap") / "dcat-ap-3.0.1-SHACL.ttl"
#: The workloads whose reports the children write and :func:`agreement` compares.
COMPARED = ("national:validate", "dcat")


def way_of(engine: str) -> str:
    """The way of :mod:`harness` an engine runs as (its time limit: ``--timeout`` or ``--plain-timeout``)."""
    return "plain" if engine == "pyshacl" else "lod-unioni"


def national_file(workdir) -> Path:
    return Path(workdir) / "national" / "unioni.nt"


def catalog_file(workdir) -> Path:
    return Path(workdir) / "bundled" / "catalog.ttl"


def report_file(workdir, step: str, engine: str) -> Path:
    return Path(workdir) / "reports" / f"{step.replace(':', '-')}-{engine}.ttl"


def _test_helpers() -> None:
    """The test suite's modules (suite reading, report comparison) become importable by name."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))


# --- before the engines: the graphs, built once (not timed) ------------------------------------------


def prepare(args) -> dict:
    """Build what the workloads validate into ``args.workdir`` with the command line, as a user
    would (``lod-unioni build --national``, ``lod-unioni build``); return their figures."""
    done: dict[str, dict] = {}
    builds = []
    if "national" in args.workloads:
        builds.append(("national", ["--national", "--sources", str(Path(args.sources).resolve())]))
    if "dcat" in args.workloads:
        builds.append(("bundled", []))
    for name, options in builds:
        out = Path(args.workdir) / name
        print(f"bench: building the {name} graph (not timed) ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        cmd = [sys.executable, "-m", "lod_unioni", "-q", "build", *options, "--out", str(out)]
        subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        done[name] = {"seconds": time.perf_counter() - start}
    if "national" in done:
        with open(national_file(args.workdir), "rb") as f:
            done["national"]["triples"] = sum(1 for line in f if line.strip())
    if "bundled" in done:
        done["bundled"]["catalog_bytes"] = catalog_file(args.workdir).stat().st_size
    return done


# --- the engines ----------------------------------------------------------------------------------


def _quiet_pyshacl():
    """pySHACL warns about odd shapes and rdflib about ill-typed literals (the suite has some on
    purpose): keep them off the terminal."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    logging.getLogger("pyshacl-validate").disabled = True


def parse_rdflib(paths):
    """The files (a path or several) parsed by rdflib into a new Graph, the format guessed from the
    extension, relative IRIs against each file's own IRI (rdflib's default)."""
    import rdflib
    from rdflib.util import guess_format

    graph = rdflib.Graph()
    for path in [paths] if isinstance(paths, Path) else paths:
        graph.parse(path, format=guess_format(str(path)) or "turtle")
    return graph


class ShapesRefused(Exception):
    """pySHACL returned a ValidationFailure instead of a report."""


def validate_plain(data, shapes):
    """Plain pySHACL: ``pyshacl.validate`` with its defaults on rdflib graphs (``data``, ``shapes``:
    a file or a Graph; the same file is parsed once). Returns the report graph; raises when
    pySHACL refuses the shapes."""
    import pyshacl

    data_graph = parse_rdflib(data) if isinstance(data, Path) else data
    if isinstance(shapes, Path):
        shapes = data_graph if shapes == data else parse_rdflib(shapes)
    _conforms, report, text = pyshacl.validate(data_graph, shacl_graph=shapes)
    if not hasattr(report, "serialize"):
        raise ShapesRefused(text)
    return report


def _refusal(engine: str, exc: Exception) -> bool:
    """Whether an exception is the engine refusing the shapes (else it is a crash)."""
    if engine == "pyshacl":
        from pyshacl.errors import ReportableRuntimeError

        return isinstance(exc, ReportableRuntimeError | NotImplementedError | ShapesRefused)
    from lod_unioni.errors import LodError

    return isinstance(exc, LodError)


def _validate(engine: str, data, shapes, extra=()):
    """One validation with ``engine``: a ValidationReport (fast, auto) or pySHACL's report graph."""
    if engine == "pyshacl":
        return validate_plain(data, shapes)
    from lod_unioni.validation import validate

    return validate(data, shapes=shapes, extra_graphs=extra, engine=engine)


def report_turtle(engine: str, report) -> str:
    """A report as Turtle (pySHACL's as N-Triples: rdflib's Turtle writer would shorten
    ``"111360"^^xsd:decimal`` to ``111360.0``, another term)."""
    return report.serialize(format="nt") if engine == "pyshacl" else report.to_turtle()


def _severities(engine: str, report) -> dict[str, int]:
    if engine != "pyshacl":
        return dict(Counter(r.severity for r in report.results))
    import rdflib

    from lod_unioni.vocab import SH

    found = report.objects(None, rdflib.URIRef(SH + "resultSeverity"))
    return dict(Counter(str(o).rsplit("#", 1)[-1] for o in found))


def _figures_of(ctx: Context, step: str, report, seconds: float) -> dict:
    """A validation step's figures; its report written for :func:`agreement` (not timed)."""
    engine = ctx.args.engine
    path = report_file(ctx.args.workdir, step, engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_turtle(engine, report), encoding="utf-8")
    severities = _severities(engine, report)
    info = {"seconds": seconds, "results": severities, "total": sum(severities.values())}
    if engine != "pyshacl":
        info["engine_used"] = report.engine
    return info


# --- the steps --------------------------------------------------------------------------------------


def step_imports(ctx: Context) -> dict:
    _test_helpers()
    import pyshacl  # noqa: F401
    import rdflib  # noqa: F401
    import shacl_reports  # noqa: F401
    import test_w3c_shacl  # noqa: F401

    import lod_unioni.validation  # noqa: F401

    return {}


def judge(case, outcome) -> str:
    """The suite's verdict on one test: ``pass``, ``refused`` (refused where a report is expected),
    ``wrong`` (another report, or a report where the suite expects a refusal) or ``crash``;
    ``outcome``: ("report", its Turtle), ("refused", message) or ("crash", message)."""
    from shacl_reports import quiet_rdflib, report_summary, same_summary

    kind, text = outcome
    if kind == "crash":
        return "crash"
    if kind == "refused":
        return "pass" if case.failure else "refused"
    if case.failure:
        return "wrong"
    with quiet_rdflib():
        return "pass" if same_summary(report_summary(text), (case.conforms, case.results)) else "wrong"


def step_suite(ctx: Context) -> dict:
    """The whole W3C suite in one loop (timed: parsing and validation); then each test judged."""
    from shacl_reports import quiet_rdflib
    from test_w3c_shacl import suite_cases

    engine = ctx.args.engine
    _quiet_pyshacl()
    with quiet_rdflib():
        cases = suite_cases(Path(ctx.args.conformance) / SUITE_MANIFEST)
    reports: dict[str, tuple[str, object]] = {}
    start = time.perf_counter()
    for case in cases:
        try:
            reports[case.name] = ("report", _validate(engine, case.data, case.shapes))
        except Exception as exc:  # a refusal or a crash is an outcome
            message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            reports[case.name] = ("refused" if _refusal(engine, exc) else "crash", message)
    seconds = time.perf_counter() - start
    verdicts, used, not_passed = Counter(), Counter(), {}
    for case in cases:
        kind, value = reports[case.name]
        verdict = judge(case, (kind, report_turtle(engine, value) if kind == "report" else value))
        verdicts[verdict] += 1
        if kind == "report" and engine != "pyshacl":
            used[value.engine] += 1
        if verdict != "pass":
            not_passed[case.name] = verdict + ("" if kind == "report" else f" ({value})")
    return {
        "seconds": seconds,
        "tests": len(cases),
        "outcomes": dict(verdicts),
        "engine_used": ", ".join(f"{e} {n}" for e, n in sorted(used.items())),
        "detail": {"not_passed": not_passed},
    }


def step_national_load(ctx: Context) -> dict:
    """Parse the national graph and the bundled vocabularies (rdflib for pySHACL, the project's
    reader for the others)."""
    from lod_unioni.validation import vocabulary_files

    data = national_file(ctx.args.workdir)
    if ctx.args.engine == "pyshacl":
        ctx.graph = parse_rdflib([data, *vocabulary_files()])
        return {"triples": len(ctx.graph)}
    from lod_unioni.validation.data import Reader

    reader = Reader()
    ctx.triples = list(reader.triples([data]))
    ctx.extra = list(reader.triples(vocabulary_files()))
    return {"triples": len(ctx.triples) + len(ctx.extra)}


def step_national_validate(ctx: Context) -> dict:
    """Validate the loaded graph with the bundled shapes (or ``--shapes``)."""
    from lod_unioni.resources import resource_dir
    from lod_unioni.validation.data import shape_files

    shapes = ctx.args.shapes or resource_dir("shapes")
    start = time.perf_counter()
    if ctx.args.engine == "pyshacl":
        report = validate_plain(ctx.graph, parse_rdflib(shape_files(shapes)))
    else:
        report = _validate(ctx.args.engine, ctx.triples, shapes, extra=ctx.extra)
    return _figures_of(ctx, "national:validate", report, time.perf_counter() - start)


def step_dcat(ctx: Context) -> dict:
    """The DCAT-AP shapes on the bundled catalog (timed: parsing and validation)."""
    _quiet_pyshacl()
    shapes = Path(ctx.args.conformance) / DCAT_AP_SHAPES
    start = time.perf_counter()
    report = _validate(ctx.args.engine, catalog_file(ctx.args.workdir), shapes)
    return _figures_of(ctx, "dcat", report, time.perf_counter() - start)


def shacl_steps_for(engine: str, workloads) -> list[Step]:
    """The steps of one engine's child, in order."""
    steps = [Step("imports", "Python imports", step_imports, compared=False)]
    if "suite" in workloads:
        steps.append(Step("suite", "W3C SHACL suite", step_suite))
    if "national" in workloads:
        steps.append(Step("national:load", "national graph: load", step_national_load))
        steps.append(Step("national:validate", "national graph: validate", step_national_validate))
    if "dcat" in workloads:
        steps.append(Step("dcat", "DCAT-AP on the catalog", step_dcat))
    return steps


# --- after the engines: do the reports agree? -----------------------------------------------------


def compare(a: str, b: str) -> str:
    """Two reports in Turtle, compared as the W3C suite compares them: ``same`` or ``differ``."""
    _test_helpers()
    from shacl_reports import quiet_rdflib, report_summary, same_summary

    with quiet_rdflib():
        return "same" if same_summary(report_summary(a), report_summary(b)) else "differ"


def agreement(workdir, engines) -> dict:
    """For each compared workload, each lod-unioni engine's report against pySHACL's (and auto's
    against fast's): ``same`` or ``differ``; missing when a report is."""
    out: dict[str, dict[str, str]] = {}
    pairs = [(e, "pyshacl") for e in engines if e != "pyshacl"] + [("auto", "fast")]
    for step in COMPARED:
        for a, b in pairs:
            fa, fb = report_file(workdir, step, a), report_file(workdir, step, b)
            if fa.is_file() and fb.is_file():
                text_a, text_b = fa.read_text(encoding="utf-8"), fb.read_text(encoding="utf-8")
                out.setdefault(step, {})[f"{a}:{b}"] = compare(text_a, text_b)
    return out
