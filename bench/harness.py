"""How the benchmark runs a way: its steps, their shared context, one child process per way, the time
limits, the progress events and the peak memory.

A step is a small function ``step(ctx) -> dict`` (:class:`Step`); a way is a list of steps
(``synthetic_steps.steps_for``, ``national_steps.national_steps_for``). The parent
(:func:`run_way`) starts ``bench/run.py --child WAY`` and follows the child's progress file (one
JSON event per line: ``start`` and ``end`` of each step, with its figures and the child's peak RSS).
A step that runs longer than its time limit is reported as ``timeout``: pure-Python steps are
interrupted in the child (SIGALRM, :func:`run_child`); a step stuck in native code (Oxigraph) makes
the parent kill the child and start it again without that step.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import synthetic

WAYS = ("lod-unioni", "plain")
#: The ways a child process can run: with ``--national``, also the pyoxigraph floor.
CHILD_WAYS = (*WAYS, "floor")

#: The command line that runs one way in a child process (``--child WAY``).
CHILD_SCRIPT = Path(__file__).resolve().with_name("run.py")

#: Steps every later step needs: no time limit, and the way stops when one fails.
NEEDED_STEPS = ("generate", "map", "load", "imports", "records")


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
        self.extra = None  # shacl: the triples validated with the data (the vocabularies)


def step_limit(way: str, step: str, args) -> float:
    """The time limit of a step in seconds (0: none). The steps everything else needs have none."""
    if step in NEEDED_STEPS:
        return 0
    if way == "plain":
        return args.plain_query_timeout if step.startswith("query:") else args.plain_timeout
    return args.timeout


# --- the child: run the steps of one way ---------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _on_alarm(signum, frame):
    raise StepTimeout()


def _run_step(step: Step, ctx: Context, limit: float) -> tuple[dict, str, float]:
    """Run one step under its time limit: (its figures, status, wall seconds)."""
    start = time.perf_counter()
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
    return info, status, time.perf_counter() - start


def run_child(args, steps: list[Step]) -> int:
    """Run the steps of the way ``args.child`` (but those in ``--skip``), writing their events to
    ``--progress``; 1 when a step everything else needs failed."""
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
    who = getattr(args, "engine", None) or args.child
    for step in steps:
        if step.name in skip:
            continue
        emit({"event": "start", "step": step.name, "time": time.time()})
        print(f"  [{who}] {step.name} ...", file=sys.stderr, flush=True)
        info, status, wall = _run_step(step, ctx, step_limit(args.child, step.name, args))
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
        print(f"  [{who}] {step.name}: {status} in {wall:.2f} s", file=sys.stderr, flush=True)
        if status != "ok" and step.name in NEEDED_STEPS:
            return 1  # nothing else can run
    return 0


# --- the parent: run a way in child processes ----------------------------------------------------------


def _read_events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(json.JSONDecodeError):  # a line being written
            events.append(json.loads(line))
    return events


def child_command(way: str, args, progress_file: Path, skip: list[str]) -> list[str]:
    """The command line of the child that runs ``way`` without the steps in ``skip``."""
    cmd = [
        sys.executable,
        str(CHILD_SCRIPT),
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
    if args.national and way == "lod-unioni" and "morph-kgc" not in getattr(args, "references", ("morph-kgc",)):
        skip = [*skip, "map-projects"]  # the mapping reference's triples: only with morph-kgc
    if skip:
        cmd += ["--skip", ",".join(skip)]
    if args.shapes:
        cmd += ["--shapes", str(Path(args.shapes).resolve())]
    cmd += ["--repeat", str(args.repeat), "--agreement-scale", str(args.agreement_scale)]
    if args.national:
        cmd += ["--national", "--sources", str(Path(args.sources).resolve()), "--workdir", str(args.workdir)]
    if getattr(args, "shacl", False):
        cmd += ["--shacl", "--engine", args.engine, "--workloads", ",".join(args.workloads)]
        cmd += ["--conformance", str(Path(args.conformance).resolve()), "--workdir", str(args.workdir)]
    return cmd


def _watch(child: subprocess.Popen, way: str, args, progress_file: Path) -> str | None:
    """Wait for the child; kill it when a step runs past its limit (plus ``--grace``) and return
    that step's name, else None."""
    try:
        while child.poll() is None:
            time.sleep(0.5)
            events = _read_events(progress_file)
            if events and events[-1]["event"] == "start":
                limit = step_limit(way, events[-1]["step"], args)
                running = time.time() - events[-1]["time"]
                if limit and running > limit + args.grace:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
                    return events[-1]["step"]
    except KeyboardInterrupt:
        os.killpg(child.pid, signal.SIGKILL)
        raise
    return None


def run_way(way: str, args) -> dict[str, dict]:
    """Run one way in child processes; return step name -> figures. A child stuck in a step past its
    limit is killed and started again without that step."""
    results: dict[str, dict] = {}
    skip: list[str] = []
    while True:
        with tempfile.NamedTemporaryFile(prefix=f"bench-{way}-", suffix=".jsonl", delete=False) as tmp:
            progress_file = Path(tmp.name)
        child = subprocess.Popen(child_command(way, args, progress_file, skip), start_new_session=True)
        killed_in = _watch(child, way, args, progress_file)
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
