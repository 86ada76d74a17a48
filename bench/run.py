"""The lod-unioni speed benchmark: the project's fast path against the plain rdflib + pySHACL way.

    .venv/bin/python bench/run.py                      # national scale (about 609,000 triples)
    .venv/bin/python bench/run.py --scale 0.1 --json figures.json
    .venv/bin/python bench/run.py --plain-timeout 600  # wait up to 10 min for a plain step

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

A step that runs longer than its time limit is reported as ``>N s``: pure-Python steps are
interrupted in the child (SIGALRM); a step stuck in native code (Oxigraph) makes the parent kill the
child and start it again without that step.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

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
    name: str            # unique within a way: "generate", "validate", "query:union-list", ...
    label: str           # for the table
    run: Callable[["Context"], dict]
    compared: bool = True  # False: the same code in both ways (no speed-up shown)


class Context:
    """What the steps of one way share."""

    def __init__(self, args):
        self.args = args
        self.data: synthetic.Dataset | None = None
        self.triples = None
        self.store = None      # lod-unioni: pyoxigraph Store
        self.graph = None      # plain: rdflib Graph
        self.prefixes: dict[str, str] = {}


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
    import rdflib
    import pyshacl
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
    severities = Counter(str(o)[len(SH):] for o in report.objects(None, rdflib.URIRef(SH + "resultSeverity")))
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
    return {"results": dict(Counter(r.severity for r in report.results)), "triples": len(triples),
            "detail": {"expected_found": found == sorted(expected)}}


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


def _serialize_plain(fmt: str) -> Callable[[Context], dict]:
    def run(ctx: Context) -> dict:
        for p, ns in ctx.prefixes.items():
            ctx.graph.bind(p, ns, override=True)
        if fmt == "json-ld":
            data = ctx.graph.serialize(format="json-ld", context=dict(ctx.prefixes), encoding="utf-8")
        else:
            data = ctx.graph.serialize(format=fmt, encoding="utf-8")
        return {"bytes": len(data)}
    return run


SERIALIZATIONS = (("turtle", "serialize Turtle"), ("nt", "serialize N-Triples"), ("json-ld", "serialize JSON-LD"))


def local_queries() -> list[str]:
    """The bundled queries that run locally (the federated Wikidata query needs a remote endpoint)."""
    from lod_unioni.query import list_queries

    return [q.name for q in list_queries() if not q.requires_remote]


def steps_for(way: str) -> list[Step]:
    """The steps of a way, in order. Add a step here (e.g. the issue-4 national build) as one function."""
    plain = way == "plain"
    steps = [
        Step("generate", "generate records", step_generate, compared=False),
        Step("map", "map (mapping engine)", step_map, compared=False),
        Step("load", "load", step_load_rdflib if plain else step_load_store),
        Step("validate", "validate", step_validate_pyshacl if plain else step_validate_fast),
    ]
    steps.append(Step("agreement", "validate (small, known defects)",
                      step_agreement_pyshacl if plain else step_agreement_fast))
    steps += [make_query_step(name, plain) for name in local_queries()]
    for fmt, label in SERIALIZATIONS:
        steps.append(Step(f"serialize:{fmt}", label, _serialize_plain(fmt) if plain else
                          _serialize_lod(fmt if fmt != "json-ld" else "jsonld")))
    return steps


# --- the child: run the steps of one way ---------------------------------------------------------------

def step_limit(way: str, step: str, args) -> float:
    """The time limit of a step in seconds (0: none). The steps everything else needs have none."""
    if step in ("generate", "map", "load"):
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
    out = open(args.progress, "a", encoding="utf-8")

    def emit(event: dict) -> None:
        out.write(json.dumps(event) + "\n")
        out.flush()

    skip = set(filter(None, (args.skip or "").split(",")))
    if not args.agreement_scale:
        skip.add("agreement")
    signal.signal(signal.SIGALRM, _on_alarm)
    ctx = Context(args)
    for step in steps_for(args.child):
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
        emit({"event": "end", "step": step.name, "status": status, "seconds": seconds, "wall_seconds": wall,
              "peak_rss_mb": _peak_rss_mb(), **info})
        print(f"  [{args.child}] {step.name}: {status} in {wall:.2f} s", file=sys.stderr, flush=True)
        if status != "ok" and step.name in ("generate", "map", "load"):
            return 1  # nothing else can run
    return 0


# --- the parent: run both ways, print the figures ------------------------------------------------------

def _read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            pass  # a line being written
    return events


def run_way(way: str, args) -> dict[str, dict]:
    """Run one way in child processes; return step name -> figures. A child stuck in a step past its
    limit is killed and started again without that step."""
    results: dict[str, dict] = {}
    skip: list[str] = []
    while True:
        with tempfile.NamedTemporaryFile(prefix=f"bench-{way}-", suffix=".jsonl", delete=False) as tmp:
            progress_file = Path(tmp.name)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", way, "--scale", str(args.scale),
               "--seed", str(args.seed), "--progress", str(progress_file), "--timeout", str(args.timeout),
               "--plain-timeout", str(args.plain_timeout), "--plain-query-timeout", str(args.plain_query_timeout)]
        if skip:
            cmd += ["--skip", ",".join(skip)]
        if args.shapes:
            cmd += ["--shapes", str(Path(args.shapes).resolve())]
        cmd += ["--repeat", str(args.repeat), "--agreement-scale", str(args.agreement_scale)]
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
        results[killed_in] = {"step": killed_in, "status": "timeout", "seconds": None, "limit": limit,
                              "killed": True}
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
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
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
    out = [f"lod-unioni benchmark: synthetic dataset at scale {d.get('scale')} ({d.get('unions')} unions, "
           f"{d.get('comuni')} comuni of which {d.get('comuni_in_two_unions')} in two unions, {d.get('projects')} "
           f"projects); {m['cpus']} CPUs, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, "
           f"pySHACL {m['pyshacl']}", ""]
    rows = []
    for s in steps:
        if s.name.startswith("query:"):
            continue
        a, b = lod.get(s.name), plain.get(s.name)
        rows.append([s.label, _fmt_s(a), _fmt_s(b), _fmt_speedup(a, b) if s.compared else "(same code)",
                     _size(a), _mb(a), _mb(b)])
        if s.name == "agreement":
            qa, qb = _total(lod, queries), _total(plain, queries)
            rows.append([f"queries ({len(queries)}, total)", _fmt_s(qa), _fmt_s(qb), _fmt_speedup(qa, qb), "",
                         _mb(qa), _mb(qb)])
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
        qrows.append([name[6:], _fmt_s(a), _fmt_s(b), _fmt_speedup(a, b), "-" if ra is None else str(ra),
                      "-" if rb is None else str(rb), " ".join(flag)])
    out.append(_table(["query", "lod-unioni s", "plain s", "speed-up", "rows", "plain rows", ""], qrows))
    if slowest:
        out.append(f"slowest query (lod-unioni): {slowest[0]}, {slowest[1]:.3f} s")
    out.append("")

    va, vb = lod.get("validate"), plain.get("validate")
    sev = ("Violation", "Warning", "Info")
    for label, a, b in (("benchmark graph", va, vb), ("small graph with known defects", lod.get("agreement"),
                                                       plain.get("agreement"))):
        done = [e.get("results", {}) if e and e.get("status") == "ok" else None for e in (a, b)]
        if done[0] is not None and done[1] is not None:
            agree = all(done[0].get(s, 0) == done[1].get(s, 0) for s in sev)
            out.append(f"validation results by severity, {label}, lod-unioni / plain: "
                       + ", ".join(f"{s} {done[0].get(s, 0)} / {done[1].get(s, 0)}" for s in sev)
                       + f": the reports {'AGREE' if agree else 'DIFFER'}")
        elif done[0] is not None or done[1] is not None:
            way, counts = ("lod-unioni", done[0]) if done[0] is not None else ("plain", done[1])
            out.append(f"validation results by severity, {label}, {way} only (the other way did not finish): "
                       + ", ".join(f"{s} {counts.get(s, 0)}" for s in sev))
    expected = ((lod.get("agreement") or {}).get("detail") or {}).get("expected_found")
    if expected is not None:
        out.append("the small graph's known defects: " + ("all found by lod-unioni, nothing else" if expected
                                                         else "lod-unioni's results DIFFER from the known defects"))
    out.append("")

    verdicts = []
    for label, a, b in (("validation", va, vb), ("query set", _total(lod, queries), _total(plain, queries))):
        ratio, lower = _speedup(a, b)
        if ratio is None:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: unknown")
        elif ratio >= SPEEDUP_TARGET:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: met ({'>' if lower else ''}{ratio:.1f}x)")
        else:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: {'unknown' if lower else 'MISSED'} "
                            f"({'>' if lower else ''}{ratio:.1f}x)")
    if slowest:
        verdicts.append(f"every query <= {QUERY_TARGET_S:g} s: {'met' if slowest[1] <= QUERY_TARGET_S else 'MISSED'}")
    out.append("targets: " + "; ".join(verdicts))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the synthetic dataset (1.0: about 560 unions, 7,900 comuni, 50,000 projects)")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--json", metavar="FILE", help="also write every figure to this JSON file")
    parser.add_argument("--ways", default=",".join(WAYS), help="comma-separated: lod-unioni,plain (default both)")
    parser.add_argument("--plain-timeout", type=float, default=60, metavar="S",
                        help="time limit of a plain step other than a query (validation, a serialization); "
                             "0: none (default %(default)s)")
    parser.add_argument("--plain-query-timeout", type=float, default=20, metavar="S",
                        help="time limit of one plain query; 0: none (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=300, metavar="S",
                        help="time limit of one lod-unioni step; 0: none (default %(default)s)")
    parser.add_argument("--agreement-scale", type=float, default=0.02, metavar="SCALE",
                        help="scale of the small dataset with known defects that both ways validate, to "
                             "check that their reports agree (default %(default)s; 0: skip)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="run each query up to N times (fewer once 2 s are spent on it) and report the "
                             "median (default %(default)s)")
    parser.add_argument("--shapes", metavar="DIR", help="SHACL shapes folder for both ways (default: the bundled shapes/)")
    parser.add_argument("--grace", type=float, default=15, help=argparse.SUPPRESS)
    parser.add_argument("--national", action="store_true",
                        help="(issue 4, not available yet) also benchmark the national build from --sources")
    parser.add_argument("--sources", metavar="DIR", help="registry files for --national (e.g. ../shared/data)")
    # child mode (internal)
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        return run_child(args)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.national:
        print("bench: --national: the national build (issue 4, section 3) is not available yet", file=sys.stderr)
        return 2
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    if not ways or any(w not in WAYS for w in ways):
        parser.error(f"--ways takes {', '.join(WAYS)}")

    import pyoxigraph
    import pyshacl
    import rdflib

    figures: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__,
                    "pyshacl": pyshacl.__version__},
        "options": {"scale": args.scale, "seed": args.seed, "shapes": args.shapes, "repeat": args.repeat, "agreement_scale": args.agreement_scale, "timeout": args.timeout,
                    "plain_timeout": args.plain_timeout, "plain_query_timeout": args.plain_query_timeout},
        "ways": {},
        "dataset": {},
    }
    for way in ways:
        print(f"bench: running the {way} way ...", file=sys.stderr, flush=True)
        figures["ways"][way] = run_way(way, args)
        gen = figures["ways"][way].get("generate", {})
        if gen.get("detail") and not figures["dataset"]:
            figures["dataset"] = gen["detail"]
    text = report(figures)
    try:
        print(text, flush=True)
    except BrokenPipeError:  # e.g. piped into head
        pass
    if args.json:
        figures["report"] = text
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
