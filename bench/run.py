"""The lod-unioni speed benchmark: the project's fast path against the plain rdflib + pySHACL way.

    .venv/bin/python bench/run.py                      # national scale (about 609,000 triples)
    .venv/bin/python bench/run.py --scale 0.1 --json figures.json
    .venv/bin/python bench/run.py --plain-timeout 600  # wait up to 10 min for a plain step
    .venv/bin/python bench/run.py --national --sources ../shared/data   # the national build

Each way runs in its own child process (so that the peak memory, ``ru_maxrss``, of one way does not
hide the other's) on the same synthetic dataset (``bench/synthetic.py``):

- ``lod-unioni``: the mapping engine -> a pyoxigraph Store -> :func:`lod_unioni.validation.validate`
  with the default engine -> every bundled local query through :func:`lod_unioni.query.run_query`
  on the Store -> the dumps through :mod:`lod_unioni.serialize`;
- ``plain``: the same triples in an rdflib in-memory Graph -> ``pyshacl.validate`` with its defaults
  on the same shapes folder -> every bundled local query with rdflib's SPARQL engine -> rdflib's
  Turtle, N-Triples and JSON-LD serializers.

Both ways validate the data together with the bundled vocabularies (``ontology/vocabularies``), as
``lod-unioni validate`` does. A step is a small function ``step(ctx) -> dict``; a way is a list of
steps (:func:`steps_for`). The parent prints a table (seconds, triples or rows, peak RSS, speed-up),
the per-query times with the 0.5 s target, and whether the two validation reports agree.

``--national --sources DIR`` benchmarks the national build from the real registry files instead
(:func:`lod_unioni.national.national_pipeline`, read -> reconcile -> match -> map -> validate ->
Turtle, JSON-LD, N-Triples, written to a temporary folder) beside the plain way on the same records:
read, reconcile and match are the same code in both ways, so they run once (in the lod-unioni child,
which hands the records over to the plain child) and count in both totals; the plain way then maps
the records into an rdflib Graph, validates it with pySHACL's defaults and serializes it with
rdflib's serializers (:func:`national_steps_for`, :func:`report_national`).

A step that runs longer than its time limit is reported as ``>N s``: pure-Python steps are
interrupted in the child (SIGALRM); a step stuck in native code (Oxigraph) makes the parent kill the
child and start it again without that step.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402  (bench/synthetic.py)

WAYS = ("lod-unioni", "plain")
QUERY_TARGET_S = 0.5
SPEEDUP_TARGET = 4.0
SH = "http://www.w3.org/ns/shacl#"


# --- steps --------------------------------------------------------------------------------------------


class StepTimeout(BaseException):
    """Raised by SIGALRM in the child when a step overruns (BaseException: libraries must not swallow it)."""


@dataclass
class Step:
    name: str  # unique within a way: "generate", "validate", "query:union-list", ...
    label: str  # for the table
    run: Callable[[Context], dict]
    compared: bool = True  # False: the same code in both ways (no speed-up shown)


class Context:
    """What the steps of one way share."""

    def __init__(self, args):
        self.args = args
        self.data: synthetic.Dataset | None = None
        self.triples = None
        self.store = None  # lod-unioni: pyoxigraph Store
        self.graph = None  # plain: rdflib Graph
        self.prefixes: dict[str, str] = {}
        self.records = None  # national: the records of the national build
        self.out_dir: Path | None = None  # national: where the dumps are written (temporary)


def step_generate(ctx: Context) -> dict:
    ctx.data = synthetic.generate(ctx.args.scale, ctx.args.seed)
    return {"detail": ctx.data.summary()}


def step_map(ctx: Context) -> dict:
    from lod_unioni.mapping import load_mapping

    mapping = load_mapping()
    ctx.prefixes = dict(mapping.prefixes)
    ctx.triples = ctx.data.triples(mapping)
    return {"triples": len(ctx.triples)}


def step_load_store(ctx: Context) -> dict:
    from lod_unioni.graph import to_store

    ctx.store = to_store(ctx.triples)
    return {"triples": len(ctx.store)}


def step_load_rdflib(ctx: Context) -> dict:
    from lod_unioni.graph import to_rdflib

    ctx.graph = to_rdflib(ctx.triples)
    return {"triples": len(ctx.graph)}


def step_validate_fast(ctx: Context) -> dict:
    from lod_unioni.validation import validate, vocabulary_files

    report = validate(ctx.store, shapes_dir=ctx.args.shapes, extra_graphs=vocabulary_files())
    severities = Counter(r.severity for r in report.results)
    rules = Counter(f"{r.severity}:{r.rule}" for r in report.results)
    return {"results": dict(severities), "detail": {"engine": report.engine, "rules": dict(rules)}}


def step_validate_pyshacl(ctx: Context) -> dict:
    import pyshacl
    import rdflib

    from lod_unioni.resources import resource_dir
    from lod_unioni.validation import vocabulary_files

    shapes = rdflib.Graph()
    for f in sorted(Path(ctx.args.shapes or resource_dir("shapes")).glob("*.ttl")):
        shapes.parse(f, format="turtle")
    vocab = rdflib.Graph()
    for f in vocabulary_files():
        vocab.parse(f, format="turtle")
    added = [t for t in vocab if t not in ctx.graph]
    for t in added:
        ctx.graph.add(t)
    try:
        _conforms, report, _text = pyshacl.validate(ctx.graph, shacl_graph=shapes)
    finally:
        for t in added:
            ctx.graph.remove(t)
    severities = Counter(str(o)[len(SH) :] for o in report.objects(None, rdflib.URIRef(SH + "resultSeverity")))
    return {"results": dict(severities)}


def _defective(ctx: Context):
    """The small dataset with known defects of the agreement check (``--agreement-scale``)."""
    data, expected = synthetic.with_defects(synthetic.generate(ctx.args.agreement_scale, ctx.args.seed))
    return data.triples(), expected


def step_agreement_fast(ctx: Context) -> dict:
    from lod_unioni.validation import validate, vocabulary_files

    triples, expected = _defective(ctx)
    report = validate(triples, shapes_dir=ctx.args.shapes, extra_graphs=vocabulary_files())
    found = sorted((r.union.rsplit("/", 1)[-1], r.severity, r.rule) for r in report.results if r.severity != "Info")
    return {
        "results": dict(Counter(r.severity for r in report.results)),
        "triples": len(triples),
        "detail": {"expected_found": found == sorted(expected)},
    }


def step_agreement_pyshacl(ctx: Context) -> dict:
    from lod_unioni.graph import to_rdflib

    triples, _expected = _defective(ctx)
    small = Context(ctx.args)
    small.graph = to_rdflib(triples)
    info = step_validate_pyshacl(small)
    info["triples"] = len(triples)
    return info


def _query_params(ctx: Context, query) -> dict:
    wanted = ctx.data.query_params()
    return {p.name: wanted[p.name] for p in query.info.params if p.name in wanted}


REPEAT_BUDGET_S = 2.0


def _repeated(ctx: Context, once: Callable[[], int]) -> dict:
    """Run a query up to ``--repeat`` times (fewer once 2 s have been spent on it): the step's time is
    the median run, which keeps other processes' noise out of sub-second figures."""
    runs, rows = [], None
    while len(runs) < max(1, ctx.args.repeat) and sum(runs) < REPEAT_BUDGET_S:
        start = time.perf_counter()
        rows = once()
        runs.append(time.perf_counter() - start)
    ordered = sorted(runs)
    return {"rows": rows, "seconds": ordered[(len(ordered) - 1) // 2], "runs": runs}


def make_query_step(name: str, plain: bool) -> Step:
    def run_lod(ctx: Context) -> dict:
        from lod_unioni.query import load_query, run_query

        q = load_query(name)
        params = _query_params(ctx, q)

        def once() -> int:
            result = run_query(q, store=ctx.store, params=params)
            return len(result) if result.kind != "ask" else int(bool(result.boolean))

        return _repeated(ctx, once)

    def run_plain(ctx: Context) -> dict:
        from lod_unioni.graph import to_rdflib_term
        from lod_unioni.query import load_query
        from lod_unioni.query.params import bind

        q = load_query(name)
        terms = bind(q.info.params, _query_params(ctx, q), q.prefixes)
        bindings = {k: to_rdflib_term(v) for k, v in terms.items()}

        def once() -> int:
            result = ctx.graph.query(q.text, initBindings=bindings or None)
            if result.type == "ASK":
                return int(bool(result.askAnswer))
            return len(list(result))

        return _repeated(ctx, once)

    return Step(f"query:{name}", name, run_plain if plain else run_lod)


def _serialize_lod(fmt: str) -> Callable[[Context], dict]:
    def run(ctx: Context) -> dict:
        from lod_unioni import serialize

        if fmt == "turtle":
            data = serialize.to_turtle(ctx.triples, ctx.prefixes)
        elif fmt == "nt":
            data = serialize.to_ntriples(ctx.triples)
        else:
            data = serialize.to_jsonld(ctx.triples, ctx.prefixes)
        return {"bytes": len(data)}

    return run


def _serialize_plain(fmt: str, file_name: str | None = None) -> Callable[[Context], dict]:
    """rdflib's serializer; with ``file_name`` the dump is also written to ``ctx.out_dir``."""

    def run(ctx: Context) -> dict:
        for p, ns in ctx.prefixes.items():
            ctx.graph.bind(p, ns, override=True)
        if fmt == "json-ld":
            data = ctx.graph.serialize(format="json-ld", context=dict(ctx.prefixes), encoding="utf-8")
        else:
            data = ctx.graph.serialize(format=fmt, encoding="utf-8")
        if file_name:
            (ctx.out_dir / file_name).write_bytes(data)
        return {"bytes": len(data)}

    return run


SERIALIZATIONS = (("turtle", "serialize Turtle"), ("nt", "serialize N-Triples"), ("json-ld", "serialize JSON-LD"))


def local_queries() -> list[str]:
    """The bundled queries that run locally (the federated Wikidata query needs a remote endpoint)."""
    from lod_unioni.query import list_queries

    return [q.name for q in list_queries() if not q.requires_remote]


def steps_for(way: str) -> list[Step]:
    """The steps of a way, in order. Add a step here (e.g. the national build) as one function."""
    plain = way == "plain"
    steps = [
        Step("generate", "generate records", step_generate, compared=False),
        Step("map", "map (mapping engine)", step_map, compared=False),
        Step("load", "load", step_load_rdflib if plain else step_load_store),
        Step("validate", "validate", step_validate_pyshacl if plain else step_validate_fast),
    ]
    steps.append(
        Step("agreement", "validate (small, known defects)", step_agreement_pyshacl if plain else step_agreement_fast)
    )
    steps += [make_query_step(name, plain) for name in local_queries()]
    for fmt, label in SERIALIZATIONS:
        steps.append(
            Step(
                f"serialize:{fmt}",
                label,
                _serialize_plain(fmt) if plain else _serialize_lod(fmt if fmt != "json-ld" else "jsonld"),
            )
        )
    return steps


# --- the national build ------------------------------------------------------------------------

#: The pipeline's timings (keys of national_pipeline's dict) in the order of the table: (key, label,
#: the plain way's step that does the same work, or None). read, reconcile and match are shared.
NATIONAL_ROWS = (
    ("read", "read (registries, bundled records)", "shared"),
    ("reconcile", "reconcile (bundled records)", "shared"),
    ("match", "match (register -> records)", "shared"),
    ("map", "map (records -> triples / Graph)", "map"),
    ("validate", "validate (SHACL)", "validate"),
    ("check records", "check records (record schema, forked)", None),
    ("turtle", "serialize Turtle", "serialize:turtle"),
    ("jsonld", "serialize JSON-LD", "serialize:json-ld"),
    ("ntriples", "serialize N-Triples", "serialize:nt"),
    ("catalog", "catalog (DCAT-AP_IT)", None),
    ("write", "write files", None),
)
SHARED_KEYS = ("read", "reconcile", "match")
NATIONAL_SERIALIZATIONS = (("turtle", "unioni.ttl"), ("json-ld", "unioni.jsonld"), ("nt", "unioni.nt"))
NATIONAL_TARGET_S = 10.0


def records_file(workdir) -> Path:
    """Where the lod-unioni child hands the national records over to the plain child."""
    return Path(workdir) / "records.pickle"


def _cpu() -> tuple[float, float]:
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def step_imports_lod(ctx: Context) -> dict:
    import lod_unioni.build
    import lod_unioni.dcat
    import lod_unioni.mapping
    import lod_unioni.national
    import lod_unioni.serialize
    import lod_unioni.validation  # noqa: F401

    return {}


def step_imports_plain(ctx: Context) -> dict:
    import pyshacl  # noqa: F401
    import rdflib  # noqa: F401
    from rdflib.plugins.serializers import jsonld, nt, turtle  # noqa: F401

    import lod_unioni.graph
    import lod_unioni.mapping  # noqa: F401

    return {}


def step_national_pipeline(ctx: Context) -> dict:
    """The whole national build, as ``lod-unioni build --national`` runs it, into a temporary folder;
    then hand the records over to the plain way (not timed)."""
    from lod_unioni.national import national_pipeline

    cpu0, children0 = _cpu()
    result, timings = national_pipeline(ctx.args.sources, ctx.out_dir, shapes_dir=ctx.args.shapes)
    cpu1, children1 = _cpu()
    report = json.loads((ctx.out_dir / "national-report.json").read_text(encoding="utf-8"))
    if ctx.args.workdir:
        target = records_file(ctx.args.workdir)
        with open(target.with_suffix(".tmp"), "wb") as f:
            pickle.dump(result.records, f, protocol=pickle.HIGHEST_PROTOCOL)
        target.with_suffix(".tmp").replace(target)
    return {
        "seconds": timings["total"],
        "timings": timings,
        "triples": result.stats["triples"],
        "detail": {"stats": result.stats, "sources": ctx.args.sources},
        "files": {p.name: p.stat().st_size for p in sorted(ctx.out_dir.iterdir())},
        "violations": {
            "accepted": len(report["source_disagreements"]["violations"]),
            "refused": len(report["refused_violations"]),
        },
        "cpu": {"self": cpu1 - cpu0, "children": children1 - children0},
    }


def step_national_records(ctx: Context) -> dict:
    """The records of the national build: handed over by the lod-unioni child (read, reconcile and
    match are the same code in both ways: they run once), or made here when that way did not run."""
    path = records_file(ctx.args.workdir) if ctx.args.workdir else None
    if path and path.is_file() and path.stat().st_size:
        with open(path, "rb") as f:
            ctx.records = pickle.load(f)
        return {"handed_over": True, "records": len(ctx.records)}
    from lod_unioni.national import build_national_records
    from lod_unioni.reconcile import reconcile
    from lod_unioni.records import load_records
    from lod_unioni.registries import load_registries
    from lod_unioni.resources import resource_dir

    timings: dict[str, float] = {}
    t = time.perf_counter()
    reg = load_registries(ctx.args.sources)
    bundled = load_records(resource_dir("records"))
    timings["read"] = time.perf_counter() - t
    t = time.perf_counter()
    reconciliation = reconcile(bundled, reg) if bundled else None
    timings["reconcile"] = time.perf_counter() - t
    t = time.perf_counter()
    result = build_national_records(reg, bundled, reconciliation=reconciliation, check_records=False)
    timings["match"] = time.perf_counter() - t
    ctx.records = result.records
    return {
        "handed_over": False,
        "records": len(ctx.records),
        "timings": timings,
        "detail": {"stats": result.stats, "sources": ctx.args.sources},
    }


def step_national_map_rdflib(ctx: Context) -> dict:
    """The plain way's map: the project's mapping engine (the same triples), added to an rdflib Graph."""
    import rdflib

    from lod_unioni.config import DEFAULT_BASE_IRI
    from lod_unioni.graph import to_rdflib
    from lod_unioni.mapping import load_mapping

    mapping = load_mapping()
    ctx.prefixes = dict(mapping.prefixes)
    ctx.graph = rdflib.Graph()
    for record in ctx.records:
        to_rdflib(mapping.triples(record, DEFAULT_BASE_IRI), ctx.graph)
    ctx.records = None
    return {"triples": len(ctx.graph)}


def national_steps_for(way: str) -> list[Step]:
    """The steps of a way of the national benchmark, in order."""
    if way == "plain":
        return [
            Step("imports", "Python imports", step_imports_plain, compared=False),
            Step("records", "records (read + reconcile + match)", step_national_records, compared=False),
            Step("map", "map", step_national_map_rdflib),
            Step("validate", "validate", step_validate_pyshacl),
        ] + [
            Step(f"serialize:{fmt}", f"serialize {fmt}", _serialize_plain(fmt, name))
            for fmt, name in NATIONAL_SERIALIZATIONS
        ]
    return [
        Step("imports", "Python imports", step_imports_lod, compared=False),
        Step("pipeline", "national pipeline", step_national_pipeline),
    ]


def way_steps(way: str, args) -> list[Step]:
    return national_steps_for(way) if getattr(args, "national", False) else steps_for(way)


# --- the child: run the steps of one way ---------------------------------------------------------------

#: Steps every later step needs: no time limit, and the way stops when one fails.
NEEDED_STEPS = ("generate", "map", "load", "imports", "records")


def step_limit(way: str, step: str, args) -> float:
    """The time limit of a step in seconds (0: none). The steps everything else needs have none."""
    if step in NEEDED_STEPS:
        return 0
    if way == "plain":
        return args.plain_query_timeout if step.startswith("query:") else args.plain_timeout
    return args.timeout


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _on_alarm(signum, frame):
    raise StepTimeout()


def run_child(args) -> int:
    from lod_unioni import progress

    progress.set_quiet(True)
    out = open(args.progress, "a", encoding="utf-8")  # noqa: SIM115  (open for the whole run, closed at exit)

    def emit(event: dict) -> None:
        out.write(json.dumps(event, default=str) + "\n")
        out.flush()

    skip = set(filter(None, (args.skip or "").split(",")))
    if not args.agreement_scale:
        skip.add("agreement")
    signal.signal(signal.SIGALRM, _on_alarm)
    ctx = Context(args)
    if args.national:  # the parent made the work folder and removes it
        ctx.out_dir = Path(args.workdir) / f"out-{args.child}"
        ctx.out_dir.mkdir(parents=True, exist_ok=True)
    for step in way_steps(args.child, args):
        if step.name in skip:
            continue
        emit({"event": "start", "step": step.name, "time": time.time()})
        print(f"  [{args.child}] {step.name} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        limit = step_limit(args.child, step.name, args)
        if limit:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            info = step.run(ctx)
            status = "ok"
        except StepTimeout:
            info, status = {"limit": limit}, "timeout"
        except Exception as exc:  # report and go on: one failing step must not hide the others
            info, status = {"error": f"{type(exc).__name__}: {exc}"}, "error"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        wall = time.perf_counter() - start
        seconds = info.pop("seconds", wall)  # a repeated step gives its median run
        emit(
            {
                "event": "end",
                "step": step.name,
                "status": status,
                "seconds": seconds,
                "wall_seconds": wall,
                "peak_rss_mb": _peak_rss_mb(),
                **info,
            }
        )
        print(f"  [{args.child}] {step.name}: {status} in {wall:.2f} s", file=sys.stderr, flush=True)
        if status != "ok" and step.name in NEEDED_STEPS:
            return 1  # nothing else can run
    return 0


# --- the parent: run both ways, print the figures ------------------------------------------------------


def _read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a line being written
            events.append(json.loads(line))
    return events


def run_way(way: str, args) -> dict[str, dict]:
    """Run one way in child processes; return step name -> figures. A child stuck in a step past its
    limit is killed and started again without that step."""
    results: dict[str, dict] = {}
    skip: list[str] = []
    while True:
        with tempfile.NamedTemporaryFile(prefix=f"bench-{way}-", suffix=".jsonl", delete=False) as tmp:
            progress_file = Path(tmp.name)
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            way,
            "--scale",
            str(args.scale),
            "--seed",
            str(args.seed),
            "--progress",
            str(progress_file),
            "--timeout",
            str(args.timeout),
            "--plain-timeout",
            str(args.plain_timeout),
            "--plain-query-timeout",
            str(args.plain_query_timeout),
        ]
        if skip:
            cmd += ["--skip", ",".join(skip)]
        if args.shapes:
            cmd += ["--shapes", str(Path(args.shapes).resolve())]
        cmd += ["--repeat", str(args.repeat), "--agreement-scale", str(args.agreement_scale)]
        if args.national:
            cmd += ["--national", "--sources", str(Path(args.sources).resolve()), "--workdir", str(args.workdir)]
        child = subprocess.Popen(cmd, start_new_session=True)
        killed_in = None
        try:
            while child.poll() is None:
                time.sleep(0.5)
                events = _read_events(progress_file)
                if events and events[-1]["event"] == "start":
                    limit = step_limit(way, events[-1]["step"], args)
                    running = time.time() - events[-1]["time"]
                    if limit and running > limit + args.grace:
                        killed_in = events[-1]["step"]
                        os.killpg(child.pid, signal.SIGKILL)
                        child.wait()
                        break
        except KeyboardInterrupt:
            os.killpg(child.pid, signal.SIGKILL)
            raise
        for e in _read_events(progress_file):
            if e["event"] == "end" and e["step"] not in results:
                results[e["step"]] = e
        progress_file.unlink(missing_ok=True)
        if killed_in is None:
            return results
        limit = step_limit(way, killed_in, args)
        print(f"  [{way}] {killed_in}: over {limit:g} s, killed; starting again without it", file=sys.stderr)
        results[killed_in] = {"step": killed_in, "status": "timeout", "seconds": None, "limit": limit, "killed": True}
        skip.append(killed_in)


def _seconds(e: dict | None) -> tuple[float | None, bool]:
    """(seconds, is a lower bound) of a step's figures; (None, False) when it has none."""
    if not e:
        return None, False
    if e.get("status") == "ok":
        return e["seconds"], False
    if e.get("status") == "timeout" and e.get("limit"):
        return e["limit"], True
    return None, False


def _fmt_s(e: dict | None) -> str:
    if e is None:
        return "-"
    s, lower = _seconds(e)
    if s is None:
        return e.get("status", "-")
    text = f"{s:.4f}" if s < 0.01 else f"{s:.3f}" if s < 10 else f"{s:.1f}"
    return f">{s:.1f}" if lower else text


def _speedup(a: dict | None, b: dict | None) -> tuple[float | None, bool]:
    """(plain seconds / lod-unioni seconds, is a lower bound)."""
    sa, lower_a = _seconds(a)
    sb, lower_b = _seconds(b)
    if sa is None or sb is None or lower_a:
        return None, False
    return sb / max(sa, 1e-6), lower_b


def _fmt_speedup(a: dict | None, b: dict | None) -> str:
    ratio, lower = _speedup(a, b)
    if ratio is None:
        return "-"
    return (">" if lower else "") + (f"{ratio:.1f}x" if ratio < 100 else f"{ratio:.0f}x")


def _total(results: dict, names: list[str]) -> dict | None:
    """The sum of several steps; a lower bound ("timeout" with a limit) when some timed out."""
    es = [results.get(n) for n in names]
    if not es or any(e is None for e in es):
        return None
    pairs = [_seconds(e) for e in es]
    if any(s is None for s, _ in pairs):
        return {"status": "error", "seconds": None}
    total = sum(s for s, _ in pairs)
    peak = max((e.get("peak_rss_mb") or 0) for e in es) or None
    if any(lower for _, lower in pairs):
        return {"status": "timeout", "seconds": None, "limit": total, "peak_rss_mb": peak}
    return {"status": "ok", "seconds": total, "peak_rss_mb": peak}


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _mb(e: dict | None) -> str:
    return f"{e['peak_rss_mb']:.0f}" if e and e.get("peak_rss_mb") else "-"


def _size(e: dict | None) -> str:
    e = e or {}
    if e.get("triples"):
        return f"{e['triples']:,} triples"
    if e.get("bytes"):
        return f"{e['bytes'] / 1e6:.1f} MB"
    return ""


def report(figures: dict) -> str:
    """The tables and verdicts printed at the end of a run (also stored in the --json file)."""
    lod, plain = figures["ways"].get("lod-unioni", {}), figures["ways"].get("plain", {})
    steps = steps_for("lod-unioni")
    queries = [s.name for s in steps if s.name.startswith("query:")]
    d, m = figures["dataset"], figures["machine"]
    out = [
        f"lod-unioni benchmark: synthetic dataset at scale {d.get('scale')} ({d.get('unions')} unions, "
        f"{d.get('comuni')} comuni of which {d.get('comuni_in_two_unions')} in two unions, {d.get('projects')} "
        f"projects); {m['cpus']} CPUs, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, "
        f"pySHACL {m['pyshacl']}",
        "",
    ]
    rows = []
    for s in steps:
        if s.name.startswith("query:"):
            continue
        a, b = lod.get(s.name), plain.get(s.name)
        rows.append(
            [
                s.label,
                _fmt_s(a),
                _fmt_s(b),
                _fmt_speedup(a, b) if s.compared else "(same code)",
                _size(a),
                _mb(a),
                _mb(b),
            ]
        )
        if s.name == "agreement":
            qa, qb = _total(lod, queries), _total(plain, queries)
            rows.append(
                [f"queries ({len(queries)}, total)", _fmt_s(qa), _fmt_s(qb), _fmt_speedup(qa, qb), "", _mb(qa), _mb(qb)]
            )
    out.append(_table(["step", "lod-unioni s", "plain s", "speed-up", "output", "lod-unioni MB", "plain MB"], rows))
    out.append("MB: peak RSS of the way's child process after the step (ru_maxrss); '>N': stopped at the time limit.")
    out.append("")

    qrows, slowest = [], None
    for name in queries:
        a, b = lod.get(name), plain.get(name)
        flag = []
        sa, _ = _seconds(a)
        if a and a.get("status") == "ok":
            if slowest is None or sa > slowest[1]:
                slowest = (name[6:], sa)
            if sa > QUERY_TARGET_S:
                flag.append(f"SLOW (> {QUERY_TARGET_S:g} s)")
        elif a:
            flag.append(a.get("status", ""))
        ra, rb = (a or {}).get("rows"), (b or {}).get("rows")
        if ra is not None and rb is not None and ra != rb:
            flag.append("ROWS DIFFER")
        qrows.append(
            [
                name[6:],
                _fmt_s(a),
                _fmt_s(b),
                _fmt_speedup(a, b),
                "-" if ra is None else str(ra),
                "-" if rb is None else str(rb),
                " ".join(flag),
            ]
        )
    out.append(_table(["query", "lod-unioni s", "plain s", "speed-up", "rows", "plain rows", ""], qrows))
    if slowest:
        out.append(f"slowest query (lod-unioni): {slowest[0]}, {slowest[1]:.3f} s")
    out.append("")

    va, vb = lod.get("validate"), plain.get("validate")
    sev = ("Violation", "Warning", "Info")
    for label, a, b in (
        ("benchmark graph", va, vb),
        ("small graph with known defects", lod.get("agreement"), plain.get("agreement")),
    ):
        done = [e.get("results", {}) if e and e.get("status") == "ok" else None for e in (a, b)]
        if done[0] is not None and done[1] is not None:
            agree = all(done[0].get(s, 0) == done[1].get(s, 0) for s in sev)
            out.append(
                f"validation results by severity, {label}, lod-unioni / plain: "
                + ", ".join(f"{s} {done[0].get(s, 0)} / {done[1].get(s, 0)}" for s in sev)
                + f": the reports {'AGREE' if agree else 'DIFFER'}"
            )
        elif done[0] is not None or done[1] is not None:
            way, counts = ("lod-unioni", done[0]) if done[0] is not None else ("plain", done[1])
            out.append(
                f"validation results by severity, {label}, {way} only (the other way did not finish): "
                + ", ".join(f"{s} {counts.get(s, 0)}" for s in sev)
            )
    expected = ((lod.get("agreement") or {}).get("detail") or {}).get("expected_found")
    if expected is not None:
        out.append(
            "the small graph's known defects: "
            + (
                "all found by lod-unioni, nothing else"
                if expected
                else "lod-unioni's results DIFFER from the known defects"
            )
        )
    out.append("")

    verdicts = []
    for label, a, b in (("validation", va, vb), ("query set", _total(lod, queries), _total(plain, queries))):
        ratio, lower = _speedup(a, b)
        if ratio is None:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: unknown")
        elif ratio >= SPEEDUP_TARGET:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: met ({'>' if lower else ''}{ratio:.1f}x)")
        else:
            verdicts.append(
                f"{label} >= {SPEEDUP_TARGET:g}x faster: {'unknown' if lower else 'MISSED'} "
                f"({'>' if lower else ''}{ratio:.1f}x)"
            )
    if slowest:
        verdicts.append(f"every query <= {QUERY_TARGET_S:g} s: {'met' if slowest[1] <= QUERY_TARGET_S else 'MISSED'}")
    out.append("targets: " + "; ".join(verdicts))
    return "\n".join(out)


# --- the national report ------------------------------------------------------------------------------

_LOD_FILES = {"turtle": "unioni.ttl", "jsonld": "unioni.jsonld", "ntriples": "unioni.nt"}


def _ok(seconds: float) -> dict:
    return {"status": "ok", "seconds": seconds}


def national_summary(lod: dict, plain: dict) -> dict:
    """The national figures row by row (pure: from the two ways' step figures).

    Returns ``rows``: a list of (label, lod-unioni figures, plain figures or the string "shared",
    lod-unioni output, plain output); ``lod_total`` and ``plain_total`` (figures: status "ok" with
    seconds, or "timeout" with a lower bound in ``limit``); ``shared`` (seconds of read + reconcile +
    match, counted in both totals); ``speedup`` ((plain / lod-unioni, is a lower bound) or (None, False));
    ``triples`` (lod-unioni, plain)."""
    pipe = lod.get("pipeline")
    timings = (pipe or {}).get("timings") or {}
    if not timings:  # the lod-unioni way did not run (or failed): the plain child made the records
        timings = dict((plain.get("records") or {}).get("timings") or {})
    files = (pipe or {}).get("files") or {}
    rows = []
    shared = {k: _ok(timings[k]) for k in SHARED_KEYS if k in timings}
    known = 0.0
    for key, label, plain_step in NATIONAL_ROWS:
        a = _ok(timings[key]) if key in timings and pipe else None
        if key in timings:
            known += timings[key]
        if plain_step == "shared":
            b = "shared" if key in shared else None
            a = shared.get(key)
        else:
            b = plain.get(plain_step) if plain_step else None
        out_a = out_b = ""
        if key == "map":
            out_a = f"{pipe['triples']:,} triples" if pipe and pipe.get("triples") else ""
            out_b = _size(b)
        elif key in _LOD_FILES:
            out_a = f"{files[_LOD_FILES[key]] / 1e6:.1f} MB" if _LOD_FILES[key] in files else ""
            out_b = _size(b)
        elif key == "write" and files:
            out_a = f"{len(files)} files, {sum(files.values()) / 1e6:.1f} MB"
        rows.append((label, a, b, out_a, out_b))
        if key == "map":
            mm_a = _total({"match": shared.get("match"), "map": a}, ["match", "map"]) if a else None
            mm_b = _total({"match": shared.get("match"), "map": b}, ["match", "map"]) if isinstance(b, dict) else None
            rows.append(("  match + map (records to triples)", mm_a, mm_b, "", ""))
    if pipe and "total" in timings and timings["total"] - known > 0.0005:
        rows.append(("other (not in a step above)", _ok(timings["total"] - known), None, "", ""))

    if pipe and pipe.get("status") == "ok":
        lod_total = {
            "status": "ok",
            "seconds": timings.get("total", pipe.get("seconds")),
            "peak_rss_mb": pipe.get("peak_rss_mb"),
        }
    else:
        lod_total = pipe
    plain_names = ["map", "validate"] + [f"serialize:{fmt}" for fmt, _ in NATIONAL_SERIALIZATIONS]
    plain_total = None
    if plain and len(shared) == len(SHARED_KEYS):
        plain_total = _total({**shared, **plain}, list(SHARED_KEYS) + plain_names)
        if plain_total:
            plain_total["peak_rss_mb"] = max((e.get("peak_rss_mb") or 0) for e in plain.values()) or None
    triples_plain = (plain.get("map") or {}).get("triples")
    return {
        "rows": rows,
        "lod_total": lod_total,
        "plain_total": plain_total,
        "shared": sum(e["seconds"] for e in shared.values()),
        "speedup": _speedup(lod_total, plain_total),
        "triples": ((pipe or {}).get("triples"), triples_plain),
    }


def national_verdicts(lod_total: dict | None, speedup: tuple[float | None, bool]) -> list[str]:
    """The targets of the national build: the lod-unioni pipeline under 10 s, at least 4x faster than the plain way."""
    out = []
    s, lower = _seconds(lod_total)
    if s is None:
        out.append(f"national pipeline < {NATIONAL_TARGET_S:g} s: unknown")
    else:
        met = not lower and s < NATIONAL_TARGET_S
        out.append(
            f"national pipeline < {NATIONAL_TARGET_S:g} s: {'met' if met else 'MISSED'} "
            f"({'>' if lower else ''}{s:.2f} s)"
        )
    ratio, lower = speedup
    if ratio is None:
        out.append(f">= {SPEEDUP_TARGET:g}x faster than plain: unknown")
    else:
        verdict = "met" if ratio >= SPEEDUP_TARGET else ("unknown" if lower else "MISSED")
        out.append(f">= {SPEEDUP_TARGET:g}x faster than plain: {verdict} ({'>' if lower else ''}{ratio:.1f}x)")
    return out


def report_national(figures: dict) -> str:
    """The table and verdicts of ``--national`` (also stored in the --json file)."""
    lod, plain = figures["ways"].get("lod-unioni", {}), figures["ways"].get("plain", {})
    d, m = figures.get("dataset") or {}, figures["machine"]
    summary = national_summary(lod, plain)
    head = f"lod-unioni benchmark: national build from {figures['options'].get('sources')}"
    if d:
        head += (
            f" ({d.get('unions')} register unions, {d.get('records')} records, {d.get('comuni')} comuni; "
            f"unions with an IPA code {d.get('union_match_rate', 0):.1%}, member rows resolved "
            f"{d.get('member_resolution_rate', 0):.1%})"
        )
    load = ""
    if m.get("loadavg_start"):
        load = f"; load average {m['loadavg_start'][0]:.1f} at the start" + (
            f", {m['loadavg_end'][0]:.1f} at the end" if m.get("loadavg_end") else ""
        )
    out = [
        head + f"; {m['cpus']} CPUs{load}, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, "
        f"rdflib {m['rdflib']}, pySHACL {m['pyshacl']}",
        "",
    ]
    rows = []
    for label, a, b, out_a, out_b in summary["rows"]:
        if b == "shared":
            rows.append([label, _fmt_s(a), "(shared)", "(same code)", out_a, out_b, ""])
        else:
            rows.append(
                [
                    label,
                    _fmt_s(a),
                    _fmt_s(b) if b is not None else "-",
                    _fmt_speedup(a, b) if b is not None else "-",
                    out_a,
                    out_b,
                    _mb(b),
                ]
            )
    la, pb = summary["lod_total"], summary["plain_total"]
    rows.append(["TOTAL (whole pipeline)", _fmt_s(la), _fmt_s(pb), _fmt_speedup(la, pb), "", "", _mb(pb)])
    imp_a, imp_b = lod.get("imports"), plain.get("imports")
    rows.append(
        ["Python imports (not in the totals)", _fmt_s(imp_a), _fmt_s(imp_b), "(not compared)", "", "", _mb(imp_b)]
    )
    out.append(
        _table(["step", "lod-unioni s", "plain s", "speed-up", "lod-unioni output", "plain output", "plain MB"], rows)
    )
    pipe = lod.get("pipeline") or {}
    notes = []
    if pipe.get("peak_rss_mb"):
        notes.append(
            f"peak memory (RSS of the way's child process): lod-unioni {pipe['peak_rss_mb']:.0f} MB"
            + (
                f", plain {summary['plain_total']['peak_rss_mb']:.0f} MB"
                if summary["plain_total"] and summary["plain_total"].get("peak_rss_mb")
                else ""
            )
            + (
                " (the plain child gets the records handed over: it holds no registries)"
                if (plain.get("records") or {}).get("handed_over")
                else ""
            )
        )
    notes.append(
        f"(shared): read, reconcile and match are the same code in both ways: run once, "
        f"{summary['shared']:.3f} s counted in both totals."
    )
    notes.append(
        "'-' in the plain column: a step the plain way does not have (its serializations write their "
        "files); '>N': stopped at the time limit, a lower bound."
    )
    if pipe.get("cpu"):
        notes.append(
            f"lod-unioni pipeline CPU time: {pipe['cpu']['self']:.2f} s in the process"
            + (f" + {pipe['cpu']['children']:.2f} s in the forked record check" if pipe["cpu"].get("children") else "")
            + f" (wall {_fmt_s(la)} s)"
        )
    for way, e in (("lod-unioni", pipe), *((f"plain {k}", v) for k, v in plain.items())):
        if e and e.get("status") == "error":
            notes.append(f"{way}: ERROR {e.get('error')}")
    out += notes
    out.append("")
    ta, tb = summary["triples"]
    if ta and tb:
        out.append(f"triples: lod-unioni {ta:,}, plain {tb:,}: " + ("the SAME" if ta == tb else "they DIFFER"))
    v = pipe.get("violations")
    vb = plain.get("validate") or {}
    line = ""
    if v:
        line = (
            f"validation, lod-unioni: {v['accepted']} violation(s) where the sources disagree (accepted), "
            f"{v['refused']} other(s)"
        )
    if vb.get("status") == "ok":
        line += (
            ("; " if line else "validation, ")
            + "plain (pySHACL): "
            + ", ".join(f"{s} {vb.get('results', {}).get(s, 0)}" for s in ("Violation", "Warning", "Info"))
        )
    elif vb:
        line += ("; " if line else "validation, ") + "plain (pySHACL): did not finish"
    if line:
        out.append(line)
    out.append("")
    out.append("targets: " + "; ".join(national_verdicts(la, summary["speedup"])))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="size of the synthetic dataset (1.0: about 560 unions, 7,900 comuni, 50,000 projects)",
    )
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--json", metavar="FILE", help="also write every figure to this JSON file")
    parser.add_argument("--ways", default=",".join(WAYS), help="comma-separated: lod-unioni,plain (default both)")
    parser.add_argument(
        "--plain-timeout",
        type=float,
        default=60,
        metavar="S",
        help="time limit of a plain step other than a query (validation, a serialization); "
        "0: none (default %(default)s)",
    )
    parser.add_argument(
        "--plain-query-timeout",
        type=float,
        default=20,
        metavar="S",
        help="time limit of one plain query; 0: none (default %(default)s)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300,
        metavar="S",
        help="time limit of one lod-unioni step (with --national: of the whole pipeline); "
        "0: none (default %(default)s)",
    )
    parser.add_argument(
        "--agreement-scale",
        type=float,
        default=0.02,
        metavar="SCALE",
        help="scale of the small dataset with known defects that both ways validate, to "
        "check that their reports agree (default %(default)s; 0: skip)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        metavar="N",
        help="run each query up to N times (fewer once 2 s are spent on it) and report the "
        "median (default %(default)s)",
    )
    parser.add_argument(
        "--shapes", metavar="DIR", help="SHACL shapes folder for both ways (default: the bundled shapes/)"
    )
    parser.add_argument("--grace", type=float, default=15, help=argparse.SUPPRESS)
    parser.add_argument(
        "--national",
        action="store_true",
        help="benchmark the national build from the registry files in --sources instead of the synthetic dataset",
    )
    parser.add_argument("--sources", metavar="DIR", help="registry files for --national (e.g. ../shared/data)")
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    # child mode (internal)
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(args)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    if not ways or any(w not in WAYS for w in ways):
        parser.error(f"--ways takes {', '.join(WAYS)}")
    if args.national:
        if not args.sources:
            parser.error("--national needs --sources DIR (the registry files, e.g. ../shared/data)")
        if not Path(args.sources).is_dir():
            parser.error(f"--sources {args.sources}: not a folder")
        ways = [w for w in WAYS if w in ways]  # lod-unioni first: it hands the records over to plain
    elif args.sources:
        parser.error("--sources goes with --national")

    import pyoxigraph
    import pyshacl
    import rdflib

    figures: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__,
            "pyshacl": pyshacl.__version__,
            "loadavg_start": list(os.getloadavg()),
        },
        "mode": "national" if args.national else "synthetic",
        "options": {
            "sources": str(Path(args.sources).resolve()) if args.sources else None,
            "scale": args.scale,
            "seed": args.seed,
            "shapes": args.shapes,
            "repeat": args.repeat,
            "agreement_scale": args.agreement_scale,
            "timeout": args.timeout,
            "plain_timeout": args.plain_timeout,
            "plain_query_timeout": args.plain_query_timeout,
        },
        "ways": {},
        "dataset": {},
    }
    if args.national:
        args.workdir = tempfile.mkdtemp(prefix="bench-national-")
    try:
        for way in ways:
            print(f"bench: running the {way} way ...", file=sys.stderr, flush=True)
            figures["ways"][way] = run_way(way, args)
            first = figures["ways"][way].get("pipeline" if args.national else "generate") or {}
            if args.national and not first:
                first = figures["ways"][way].get("records") or {}
            detail = first.get("detail") or {}
            if detail and not figures["dataset"]:
                figures["dataset"] = detail.get("stats", detail) if args.national else detail
    finally:
        if args.workdir:
            shutil.rmtree(args.workdir, ignore_errors=True)
    figures["machine"]["loadavg_end"] = list(os.getloadavg())
    text = report_national(figures) if args.national else report(figures)
    with contextlib.suppress(BrokenPipeError):  # e.g. piped into head
        print(text, flush=True)
    if args.json:
        figures["report"] = text
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
