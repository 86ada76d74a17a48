"""The lod-unioni speed benchmark: the project's fast path against the plain rdflib + pySHACL way.

    .venv/bin/python bench/run.py                      # national scale (about 609,000 triples)
    .venv/bin/python bench/run.py --scale 0.1 --json figures.json
    .venv/bin/python bench/run.py --plain-timeout 600  # wait up to 10 min for a plain step
    .venv/bin/python bench/run.py --national --sources ../shared/data   # the national build

Each way runs in its own child process (so that the peak memory, ``ru_maxrss``, of one way does not
hide the other's) on the same synthetic dataset (``bench/synthetic.py``): ``lod-unioni`` (the
mapping engine, a pyoxigraph Store, :func:`lod_unioni.validation.validate`, the bundled queries
through :func:`lod_unioni.query.run_query`, :mod:`lod_unioni.serialize`) and ``plain`` (the same
triples in an rdflib Graph, ``pyshacl.validate`` with its defaults, rdflib's SPARQL engine and
serializers). The parent prints a table (seconds, triples or rows, peak RSS, speed-up), the
per-query times with the 0.5 s target, and whether the two validation reports agree.

``--national --sources DIR`` benchmarks the national build from the real registry files instead
(:func:`lod_unioni.national.national_pipeline`) beside the plain way on the same records.

``--shacl --conformance DIR --sources DIR`` benchmarks SHACL validation alone: the W3C SHACL test
suite, the national graph with the bundled shapes, and the DCAT-AP shapes on the catalog, with
the fast and auto engines of :func:`lod_unioni.validation.validate` and plain pySHACL, each engine
in its own child process.

This module is the command line only; the benchmark is in the modules beside it:

- ``harness.py``: steps, their context, the child process per way, time limits, events, peak RSS;
- ``synthetic_steps.py``, ``national_steps.py`` and ``shacl_steps.py``: the steps of each benchmark;
- ``report.py``, ``national_report.py`` and ``shacl_report.py``: the tables and verdicts;
- ``synthetic.py`` and ``synthetic_records.py``: the synthetic dataset.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # the benchmark's modules, also when this file is loaded by path

import synthetic  # noqa: E402
from harness import CHILD_WAYS, WAYS, Step, run_child, run_way  # noqa: E402
from national_refs import REFERENCES, morph_kgc_python, run_morph_kgc  # noqa: E402
from national_report import report_national  # noqa: E402
from national_steps import national_steps_for  # noqa: E402
from report import report  # noqa: E402
from shacl_report import report_shacl  # noqa: E402
from shacl_steps import ENGINES, SUITE_MANIFEST, WORKLOADS, agreement, prepare, shacl_steps_for, way_of  # noqa: E402
from synthetic_steps import steps_for  # noqa: E402


def way_steps(way: str, args: argparse.Namespace) -> list[Step]:
    """The steps of ``way`` in the benchmark the command line chose (with ``--shacl``: of ``--engine``)."""
    if getattr(args, "shacl", False):
        return shacl_steps_for(args.engine, args.workloads)
    return national_steps_for(way) if getattr(args, "national", False) else steps_for(way)


def names(text: str) -> list[str]:
    """A comma-separated option's names, in order."""
    return [n.strip() for n in text.split(",") if n.strip()]


#: The default time limit of a plain step; with --shacl long enough for pySHACL to show the national
#: graph's 10x target even when the machine is busy (pySHACL itself needs many minutes there).
PLAIN_TIMEOUT = 60.0
SHACL_PLAIN_TIMEOUT = 180.0


def parse_args(parser: argparse.ArgumentParser, argv: list[str] | None = None) -> argparse.Namespace:
    """The options, with the defaults that depend on the benchmark chosen."""
    args = parser.parse_args(argv)
    if args.plain_timeout is None:
        args.plain_timeout = SHACL_PLAIN_TIMEOUT if args.shacl else PLAIN_TIMEOUT
    return args


def build_parser() -> argparse.ArgumentParser:
    """The options of the benchmark, and the hidden ones of a way's child process."""
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
        metavar="S",
        help="time limit of a plain step other than a query (validation, a serialization; with --shacl, "
        f"each pySHACL step); 0: none (default {PLAIN_TIMEOUT:g}, with --shacl {SHACL_PLAIN_TIMEOUT:g})",
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
    _add_national_arguments(parser)
    _add_shacl_arguments(parser)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    # child mode (internal)
    parser.add_argument("--child", choices=CHILD_WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--engine", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--progress", help=argparse.SUPPRESS)
    parser.add_argument("--skip", help=argparse.SUPPRESS)
    return parser


def _add_national_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of the national benchmark (``--national``) and its references."""
    parser.add_argument(
        "--national",
        action="store_true",
        help="benchmark the national build from the registry files in --sources instead of the synthetic dataset",
    )
    parser.add_argument(
        "--sources", metavar="DIR", help="registry files for --national and --shacl (e.g. ../shared/data)"
    )
    parser.add_argument(
        "--references",
        type=names,
        default=list(REFERENCES),
        help="with --national, comma-separated: morph-kgc (the RML mapping of the same CSV files), floor "
        "(pyoxigraph loading and writing the final N-Triples); 'none' for neither (default both)",
    )
    parser.add_argument(
        "--morph-kgc-python",
        metavar="PY",
        help="the Python that runs morph-kgc (default: this one; see bench/requirements-morph-kgc.txt)",
    )


def _add_shacl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shacl",
        action="store_true",
        help="benchmark SHACL validation: the W3C suite, the national graph, DCAT-AP on the catalog",
    )
    parser.add_argument(
        "--conformance", metavar="DIR", help="the conformance suites for --shacl (e.g. ../shared/conformance)"
    )
    parser.add_argument(
        "--engines",
        type=names,
        default=list(ENGINES),
        help=f"with --shacl, comma-separated: {','.join(ENGINES)} (default all)",
    )
    parser.add_argument(
        "--workloads",
        type=names,
        default=list(WORKLOADS),
        help=f"with --shacl, comma-separated: {','.join(WORKLOADS)} (default all)",
    )


def shacl_engines(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The engines ``--shacl`` runs, in order, once its options are checked (``parser.error`` if not)."""
    if args.national:
        parser.error("--shacl and --national are two benchmarks: choose one")
    if not args.conformance:
        parser.error("--shacl needs --conformance DIR (the conformance suites, e.g. ../shared/conformance)")
    if not (Path(args.conformance) / SUITE_MANIFEST).is_file():
        parser.error(f"--conformance {args.conformance}: no {SUITE_MANIFEST} in it")
    if not args.engines or any(e not in ENGINES for e in args.engines):
        parser.error(f"--engines takes {', '.join(ENGINES)}")
    if not args.workloads or any(w not in WORKLOADS for w in args.workloads):
        parser.error(f"--workloads takes {', '.join(WORKLOADS)}")
    if "national" in args.workloads:
        if not args.sources:
            parser.error("--shacl needs --sources DIR for the national graph (or leave it out of --workloads)")
        if not Path(args.sources).is_dir():
            parser.error(f"--sources {args.sources}: not a folder")
    return [e for e in ENGINES if e in args.engines]


def _ways(parser: argparse.ArgumentParser, args: argparse.Namespace) -> list[str]:
    """The ways to run, in order, once the options are checked (``parser.error`` if not); with
    ``--shacl``, the engines."""
    if args.shacl:
        return shacl_engines(parser, args)
    if args.conformance:
        parser.error("--conformance goes with --shacl")
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
        args.references = [r for r in args.references if r != "none"]
        if any(r not in REFERENCES for r in args.references):
            parser.error(f"--references takes {', '.join(REFERENCES)} or none")
    elif args.sources:
        parser.error("--sources goes with --national")
    return ways


def _figures(args: argparse.Namespace) -> dict:
    """The figures of a run before any way ran: the machine, the mode and the options."""
    import pyoxigraph
    import pyshacl
    import rdflib

    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__,
            "pyshacl": pyshacl.__version__,
            "loadavg_start": list(os.getloadavg()),
        },
        "mode": "shacl" if args.shacl else "national" if args.national else "synthetic",
        "options": {
            "sources": str(Path(args.sources).resolve()) if args.sources else None,
            "conformance": str(Path(args.conformance).resolve()) if args.conformance else None,
            "engines": args.engines if args.shacl else None,
            "workloads": args.workloads if args.shacl else None,
            "scale": args.scale,
            "seed": args.seed,
            "shapes": args.shapes,
            "repeat": args.repeat,
            "agreement_scale": args.agreement_scale,
            "timeout": args.timeout,
            "references": args.references if args.national else None,
            "plain_timeout": args.plain_timeout,
            "plain_query_timeout": args.plain_query_timeout,
        },
        "ways": {},
        "dataset": {},
    }


def _run_engines(engines: list[str], args: argparse.Namespace, figures: dict) -> None:
    """``--shacl``: build the graphs (not timed), run each engine in its child process, compare the
    reports; the figures go into ``figures`` (``ways`` by engine)."""
    args.workdir = tempfile.mkdtemp(prefix="bench-shacl-")
    try:
        figures["dataset"] = prepare(args)
        for engine in engines:
            print(f"bench: running the {engine} engine ...", file=sys.stderr, flush=True)
            child_args = copy.copy(args)
            child_args.engine = engine
            figures["ways"][engine] = run_way(way_of(engine), child_args)
        figures["agreement"] = agreement(args.workdir, engines)
    finally:
        shutil.rmtree(args.workdir, ignore_errors=True)


def _run_ways(ways: list[str], args: argparse.Namespace, figures: dict) -> None:
    """Run each way in its child processes; their figures (and the dataset's) go into ``figures``."""
    if args.shacl:
        _run_engines(ways, args, figures)
        return
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
        if args.national:
            figures["references"] = _run_references(args)
    finally:
        if args.workdir:
            shutil.rmtree(args.workdir, ignore_errors=True)


def _run_references(args: argparse.Namespace) -> dict:
    """``--national``: the pyoxigraph floor (a child of its own) and morph-kgc, after the ways."""
    out: dict = {}
    if "floor" in args.references:
        print("bench: running the pyoxigraph floor ...", file=sys.stderr, flush=True)
        out["floor"] = run_way("floor", args)
    if "morph-kgc" in args.references:
        print("bench: running morph-kgc on the RML mapping ...", file=sys.stderr, flush=True)
        out["morph-kgc"] = run_morph_kgc(morph_kgc_python(args.morph_kgc_python), args.workdir, args.timeout)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parse_args(parser, argv)
    if args.child:
        return run_child(args, way_steps(args.child, args))
    ways = _ways(parser, args)
    figures = _figures(args)
    _run_ways(ways, args, figures)
    figures["machine"]["loadavg_end"] = list(os.getloadavg())
    text = report_shacl(figures) if args.shacl else report_national(figures) if args.national else report(figures)
    with contextlib.suppress(BrokenPipeError):  # e.g. piped into head
        print(text, flush=True)
    if args.json:
        figures["report"] = text
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
