"""How long ``lod-unioni publish --endpoint`` takes to put the national dump into a real store: the
Graph Store Protocol PUT beside SPARQL Update batches, in the same run, into the same server.

    .venv/bin/python bench/publish_endpoint.py --sources ../shared/data        # builds the national dump first
    .venv/bin/python bench/publish_endpoint.py --data output/national/unioni.nt
    .venv/bin/python bench/publish_endpoint.py --data output/national/unioni.nt --virtuoso --repeat 3

The stores: ``oxigraph serve`` on a RocksDB database (``--location``, as a deployment runs it) and
in memory, on loopback ports (``tests/oxigraph_server.py``), and with ``--virtuoso`` a Virtuoso
(``tests/virtuoso_server.py``, Digest credentials from the environment as ``publish`` takes them).
Into each store, one untimed PUT first, so that every timed upload replaces a full graph, as a
republication does; then each way ``--repeat`` times (the median is shown). For Oxigraph one more
way: the PUT with Oxigraph's own ``?no_transaction`` (its bulk loader; not standard, not atomic).
Every upload ends with ``publish``'s own check of the store's count. Columns: read (the dump parsed
into the N-Triples body, its triples counted), load (the PUT, or the batches and the MOVE), of which
the MOVE, check (the count query), total; triples per second of the load.
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the servers the test suite starts

from oxigraph_server import OxigraphServer  # noqa: E402
from virtuoso_server import VirtuosoServer  # noqa: E402

from lod_unioni import progress  # noqa: E402
from lod_unioni.store import PASSWORD_ENV, USER_ENV, upload  # noqa: E402

GRAPH = "https://w3id.org/lod-unioni/data/dataset/unioni"


def national_dump(sources: str, folder: Path) -> Path:
    """Build the national dump from the registry files into ``folder`` (not timed)."""
    out = folder / "national"
    subprocess.run(
        [sys.executable, "-m", "lod_unioni", "-q", "build", "--national", "--sources", sources, "--out", str(out)],
        check=True,
    )
    return out / "unioni.nt"


def measure(data: Path, endpoint: str, way: dict, repeat: int) -> dict:
    """Median figures of ``repeat`` uploads of ``data`` the ``way`` given (``upload``'s arguments)."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        with progress.reporting(quiet=True):
            done = upload([data], endpoint, graph=GRAPH, **way)
        total = time.perf_counter() - started
        runs.append(
            {
                "total": total,
                "load": done.seconds,
                "switch": done.switch_seconds or 0.0,
                "check": done.check_seconds,
                "requests": done.requests,
            }
        )
    median = {k: statistics.median(r[k] for r in runs) for k in ("total", "load", "switch", "check")}
    median["read"] = median["total"] - median["load"] - median["check"]
    return {**median, "requests": runs[0]["requests"], "triples": done.triples}


def store_ways(gsp: str | None, sizes: list[int]) -> list[tuple[str, dict]]:
    """(label, upload arguments) of each way into one store; ``gsp``: the Oxigraph no_transaction URL."""
    out = [("GSP PUT", {"method": "gsp"})]
    if gsp is not None:
        out.append(("GSP PUT ?no_transaction", {"method": "gsp", "gsp": gsp}))
    out += [(f"Update, batches of {n:,}", {"method": "update", "batch_size": n}) for n in sizes]
    return out


def run_store(name: str, endpoint: str, ways: list[tuple[str, dict]], data: Path, repeat: int) -> list:
    with progress.reporting(quiet=True):
        upload([data], endpoint, graph=GRAPH, method="gsp")  # the graph full before the first timed upload
    rows = []
    for label, way in ways:
        rows.append((name, label, measure(data, endpoint, way, repeat)))
        print(f"  {name}, {label}: {rows[-1][2]['total']:.2f} s", file=sys.stderr, flush=True)
    return rows


def table(rows: list[tuple[str, str, dict]]) -> str:
    head = ("store", "method", "requests", "read s", "load s", "of it MOVE s", "check s", "total s", "load triples/s")
    lines = [head]
    for store, way, f in rows:
        rate = f"{f['triples'] / f['load']:,.0f}" if f["load"] > 0 else "-"
        seconds = [f"{f[k]:.2f}" for k in ("read", "load", "switch", "check", "total")]
        lines.append((store, way, str(f["requests"]), *seconds, rate))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths, strict=True)))
        for line in lines
    ]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the N-Triples dump to publish (default: build the national one)")
    parser.add_argument("--sources", help="registry files to build the national dump from")
    parser.add_argument("--batch-sizes", default="2000,4000", help="SPARQL Update batch sizes (default 2000,4000)")
    parser.add_argument("--repeat", type=int, default=1, help="uploads per way; the median is shown (default 1)")
    parser.add_argument("--virtuoso", action="store_true", help="also into Virtuoso (GSP and Update, Digest)")
    args = parser.parse_args(argv)
    if not args.data and not args.sources:
        parser.error("give --data FILE or --sources DIR")
    sizes = [int(s) for s in args.batch_sizes.split(",") if s.strip()]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # the servers are stopped on the way out
    rows: list[tuple[str, str, dict]] = []
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lod-unioni-bench-publish-")))
        data = Path(args.data) if args.data else national_dump(args.sources, tmp)
        load_start = os.getloadavg()[0]
        for name, in_memory in (("oxigraph serve (RocksDB)", False), ("oxigraph serve (in memory)", True)):
            with OxigraphServer([], writable=True, in_memory=in_memory) as oxigraph:
                bulk = oxigraph.store_endpoint + "?no_transaction"
                rows += run_store(name, oxigraph.endpoint, store_ways(bulk, sizes), data, args.repeat)
        if args.virtuoso:
            with VirtuosoServer() as virtuoso:
                os.environ[USER_ENV], os.environ[PASSWORD_ENV] = virtuoso.user, virtuoso.password
                small = [n for n in sizes if n <= 4000] or [2000]  # Virtuoso 7's SPARQL compiler limit
                rows += run_store("Virtuoso 7.2", virtuoso.endpoint, store_ways(None, small), data, args.repeat)
        triples = rows[0][2]["triples"]
        print(
            f"publish --endpoint: {data} ({triples:,} triples, {data.stat().st_size / 1e6:.1f} MB) replacing one "
            f"named graph, median of {args.repeat}; {os.cpu_count()} CPUs, load average {load_start:.1f} at the "
            f"start, {os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()}, "
            f"oxigraph {oxigraph_version()}"
        )
        print(table(rows))
    return 0


def oxigraph_version() -> str:
    from oxigraph_server import oxigraph_executable

    done = subprocess.run([oxigraph_executable(), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().removeprefix("oxigraph ")


if __name__ == "__main__":
    sys.exit(main())
