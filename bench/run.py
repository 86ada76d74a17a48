"""The lod-unioni speed benchmark: the project's fast path against the plain rdflib + pySHACL way.

    .venv/bin/python bench/run.py                      # national scale (about 611,000 triples)
    .venv/bin/python bench/run.py --scale 0.1 --json figures.json
    .venv/bin/python bench/run.py --plain-timeout 300  # give up on a plain step after 300 s

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

    report = validate(ctx.store, extra_graphs=vocabulary_files())
    severities = Counter(r.severity for r in report.results)
    rules = Counter(f"{r.severity}:{r.rule}" for r in report.results)
    return {"results": dict(severities), "detail": {"engine": report.engine, "rules": dict(rules)}}


def step_validate_pyshacl(ctx: Context) -> dict:
    import rdflib
    import pyshacl
    from lod_unioni.resources import resource_dir
    from lod_unioni.validation import vocabulary_files

    shapes = rdflib.Graph()
    for f in sorted(resource_dir("shapes").glob("*.ttl")):
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


def _query_params(ctx: Context, query) -> dict:
    wanted = ctx.data.query_params()
    return {p.name: wanted[p.name] for p in query.info.params if p.name in wanted}


def make_query_step(name: str, plain: bool) -> Step:
    def run_lod(ctx: Context) -> dict:
        from lod_unioni.query import load_query, run_query

        q = load_query(name)
        result = run_query(q, store=ctx.store, params=_query_params(ctx, q))
        return {"rows": len(result) if result.kind != "ask" else int(bool(result.boolean))}

    def run_plain(ctx: Context) -> dict:
        from lod_unioni.graph import to_rdflib_term
        from lod_unioni.query import load_query
        from lod_unioni.query.params import bind

        q = load_query(name)
        terms = bind(q.info.params, _query_params(ctx, q), q.prefixes)
        bindings = {k: to_rdflib_term(v) for k, v in terms.items()}
        result = ctx.graph.query(q.text, initBindings=bindings or None)
        if result.type == "ASK":
            return {"rows": int(bool(result.askAnswer))}
        return {"rows": len(list(result))}

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
    steps += [make_query_step(name, plain) for name in local_queries()]
    for fmt, label in SERIALIZATIONS:
        steps.append(Step(f"serialize:{fmt}", label, _serialize_plain(fmt) if plain else
                          _serialize_lod(fmt if fmt != "json-ld" else "jsonld")))
    return steps


# --- the child: run the steps of one way ---------------------------------------------------------------

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
    limit = args.step_timeout
    signal.signal(signal.SIGALRM, _on_alarm)
    ctx = Context(args)
    for step in steps_for(args.child):
        if step.name in skip:
            continue
        emit({"event": "start", "step": step.name, "time": time.time()})
        print(f"  [{args.child}] {step.name} ...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        if limit and step.compared:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            info = step.run(ctx)
            status = "ok"
        except StepTimeout:
            info, status = {}, "timeout"
        except Exception as exc:  # report and go on: one failing step must not hide the others
            info, status = {"error": f"{type(exc).__name__}: {exc}"}, "error"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
        emit({"event": "end", "step": step.name, "status": status, "seconds": seconds,
              "peak_rss_mb": _peak_rss_mb(), **info})
        print(f"  [{args.child}] {step.name}: {status} in {seconds:.2f} s", file=sys.stderr, flush=True)
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
    limit = args.plain_timeout if way == "plain" else args.timeout
    results: dict[str, dict] = {}
    skip: list[str] = []
    while True:
        with tempfile.NamedTemporaryFile(prefix=f"bench-{way}-", suffix=".jsonl", delete=False) as tmp:
            progress_file = Path(tmp.name)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", way, "--scale", str(args.scale),
               "--seed", str(args.seed), "--progress", str(progress_file), "--step-timeout", str(limit or 0)]
        if skip:
            cmd += ["--skip", ",".join(skip)]
        child = subprocess.Popen(cmd, start_new_session=True)
        killed_in = None
        try:
            while child.poll() is None:
                time.sleep(0.5)
                events = _read_events(progress_file)
                if limit and events and events[-1]["event"] == "start":
                    running = time.time() - events[-1]["time"]
                    if running > limit + args.grace:
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
        print(f"  [{way}] {killed_in}: over {limit:g} s, killed; starting again without it", file=sys.stderr)
        results[killed_in] = {"step": killed_in, "status": "timeout", "seconds": None}
        skip.append(killed_in)


def _fmt_s(e: dict | None, limit: float | None) -> str:
    if e is None:
        return "-"
    if e.get("status") == "timeout":
        return f">{limit:g} s" if limit else "timeout"
    if e.get("status") == "error":
        return "error"
    s = e["seconds"]
    return f"{s:.3f}" if s < 10 else f"{s:.1f}"


def _speedup(a: dict | None, b: dict | None, limit_b: float | None) -> str:
    if not a or not b or a.get("status") != "ok":
        return "-"
    if b.get("status") == "timeout":
        return f">{limit_b / max(a['seconds'], 1e-9):.0f}x" if limit_b else "-"
    if b.get("status") != "ok":
        return "-"
    return f"{b['seconds'] / max(a['seconds'], 1e-9):.1f}x"


def _total(results: dict, names: list[str]) -> dict | None:
    es = [results.get(n) for n in names]
    if not es or any(e is None for e in es):
        return None
    if any(e.get("status") == "timeout" for e in es):
        return {"status": "timeout", "seconds": None}
    if any(e.get("status") != "ok" for e in es):
        return {"status": "error", "seconds": None}
    return {"status": "ok", "seconds": sum(e["seconds"] for e in es), "peak_rss_mb": max(e["peak_rss_mb"] for e in es)}


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def report(figures: dict, args) -> str:
    lod, plain = figures["ways"].get("lod-unioni", {}), figures["ways"].get("plain", {})
    tl, tp = args.timeout, args.plain_timeout
    steps = steps_for("lod-unioni")
    queries = [s.name for s in steps if s.name.startswith("query:")]
    out = []
    d = figures["dataset"]
    out.append(f"lod-unioni benchmark - synthetic dataset scale {d.get('scale')}: {d.get('unions')} unions, "
               f"{d.get('comuni')} comuni ({d.get('comuni_in_two_unions')} in two unions), {d.get('projects')} projects; "
               f"{figures['machine']['cpus']} CPUs, Python {figures['machine']['python']}")
    out.append("")

    def mb(e):
        return f"{e['peak_rss_mb']:.0f}" if e and e.get("peak_rss_mb") else "-"

    rows = []
    for s in steps:
        if s.name.startswith("query:"):
            continue
        a, b = lod.get(s.name), plain.get(s.name)
        size = (a or {}).get("triples") or (a or {}).get("bytes")
        size_text = f"{size:,}" + (" B" if (a or {}).get("bytes") else "") if size else ""
        rows.append([s.label, _fmt_s(a, tl), _fmt_s(b, tp), _speedup(a, b, tp) if s.compared else "(same code)",
                     size_text, mb(a), mb(b)])
        if s.name == "validate":
            qa, qb = _total(lod, queries), _total(plain, queries)
            rows.append([f"queries ({len(queries)}, total)", _fmt_s(qa, tl), _fmt_s(qb, tp), _speedup(qa, qb, tp),
                         "", mb(qa), mb(qb)])
    out.append(_table(["step", "lod-unioni s", "plain s", "speed-up", "triples / size", "lod-unioni MB",
                       "plain MB"], rows))
    out.append("")
    out.append("peak RSS (MB) is the child's ru_maxrss after the step (cumulative within a way).")
    out.append("")

    qrows = []
    slowest = None
    for name in queries:
        a, b = lod.get(name), plain.get(name)
        flag = ""
        if a and a.get("status") == "ok":
            if slowest is None or a["seconds"] > slowest[1]:
                slowest = (name[6:], a["seconds"])
            if a["seconds"] > QUERY_TARGET_S:
                flag = f"SLOW (> {QUERY_TARGET_S} s)"
        elif a:
            flag = a.get("status", "")
        ra, rb = (a or {}).get("rows"), (b or {}).get("rows")
        if ra is not None and rb is not None and ra != rb:
            flag = (flag + " " if flag else "") + "ROWS DIFFER"
        qrows.append([name[6:], _fmt_s(a, tl), _fmt_s(b, tp), _speedup(a, b, tp),
                      "-" if ra is None else str(ra), "-" if rb is None else str(rb), flag])
    out.append(_table(["query", "lod-unioni s", "plain s", "speed-up", "rows", "plain rows", ""], qrows))
    if slowest:
        out.append(f"slowest query (lod-unioni): {slowest[0]} {slowest[1]:.3f} s "
                   f"({'within' if slowest[1] <= QUERY_TARGET_S else 'OVER'} the {QUERY_TARGET_S} s target)")
    out.append("")

    va, vb = lod.get("validate"), plain.get("validate")
    if va and vb and va.get("status") == vb.get("status") == "ok":
        ca, cb = va.get("results", {}), vb.get("results", {})
        sev = ("Violation", "Warning", "Info")
        text = ", ".join(f"{s} {ca.get(s, 0)}/{cb.get(s, 0)}" for s in sev)
        agree = all(ca.get(s, 0) == cb.get(s, 0) for s in sev)
        out.append(f"validation results by severity (lod-unioni/plain): {text} -> "
                   f"{'the reports AGREE' if agree else 'the reports DIFFER'}")
    else:
        out.append("validation results: cannot compare (a way did not finish its validation)")
    targets = []
    for label, a, b in (("validation", va, vb), ("full query set", _total(lod, queries), _total(plain, queries))):
        if a and a.get("status") == "ok" and b and b.get("status") in ("ok", "timeout"):
            if b.get("status") == "timeout":
                ratio = tp / a["seconds"] if tp else None
                ok = ratio is not None and ratio >= SPEEDUP_TARGET
                targets.append(f"{label} >= {SPEEDUP_TARGET:g}x: {'met' if ok else 'unknown'} (plain timed out)")
            else:
                ratio = b["seconds"] / a["seconds"]
                targets.append(f"{label} >= {SPEEDUP_TARGET:g}x: {'met' if ratio >= SPEEDUP_TARGET else 'MISSED'} "
                               f"({ratio:.1f}x)")
        else:
            targets.append(f"{label} >= {SPEEDUP_TARGET:g}x: unknown")
    if slowest:
        targets.append(f"every query <= {QUERY_TARGET_S} s: {'met' if slowest[1] <= QUERY_TARGET_S else 'MISSED'}")
    out.append("targets: " + "; ".join(targets))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="size of the synthetic dataset (1.0: about 560 unions, 7,900 comuni, 50,000 projects)")
    parser.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED)
    parser.add_argument("--json", metavar="FILE", help="also write every figure to this JSON file")
    parser.add_argument("--ways", default=",".join(WAYS), help="comma-separated: lod-unioni,plain (default both)")
    parser.add_argument("--plain-timeout", type=float, default=600, metavar="S",
                        help="time limit of one plain step (validation, a query, a serialization); 0: none")
    parser.add_argument("--timeout", type=float, default=600, metavar="S",
                        help="time limit of one lod-unioni step; 0: none")
    parser.add_argument("--grace", type=float, default=15, help=argparse.SUPPRESS)
    parser.add_argument("--national", action="store_true",
                        help="(issue 4, not available yet) also benchmark the national build from --sources")
    parser.add_argument("--sources", metavar="DIR", help="registry files for --national (e.g. ../shared/data)")
    # child mode (internal)
    parser.add_argument("--child", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    parser.add_argument("--step-timeout", type=float, default=0, help=argparse.SUPPRESS)
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
        "options": {"scale": args.scale, "seed": args.seed, "timeout": args.timeout,
                    "plain_timeout": args.plain_timeout},
        "ways": {},
        "dataset": {},
    }
    for way in ways:
        print(f"bench: running the {way} way ...", file=sys.stderr, flush=True)
        figures["ways"][way] = run_way(way, args)
        gen = figures["ways"][way].get("generate", {})
        if gen.get("detail") and not figures["dataset"]:
            figures["dataset"] = gen["detail"]
    text = report(figures, args)
    print(text)
    if args.json:
        figures["report"] = text
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
