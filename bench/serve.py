"""The speed of ``lod-unioni serve`` under load, beside ``oxigraph serve-read-only`` on the same
data and queries, in the same run.

    .venv/bin/python bench/serve.py --sources ../shared/data            # builds the national graph
    .venv/bin/python bench/serve.py --data output/national --clients 50 --duration 10
    .venv/bin/python bench/serve.py --data output --json figures.json   # the bundled dump

1. The data: an output folder of ``lod-unioni build`` (``--data``), or the national graph built
   from ``--sources`` into a temporary folder. Both servers load the same files (the dump, the
   catalog, the VoID description, the ontology and vocabularies: what ``lod-unioni serve`` serves).
2. **Resource pages**: ``--clients`` concurrent clients (asyncio loops, each on its own keep-alive
   connection) ask for the HTML page of resources drawn at random from every resource of the
   publication (unions, comuni, memberships, services, concepts...), for ``--duration`` seconds,
   once the server has rendered them all (``--prerender``, its default; the time it took is
   printed). ``--also-cold`` first measures a server started with ``--no-prerender``, where most
   pages are rendered on their request. The load generator is ``wrk`` (``apt-get install wrk``)
   when it is installed (``--load``): a C program that leaves the CPU to the server it shares the
   machine with; else the asyncio loop.
3. **SPARQL**: ``--sparql-clients`` concurrent clients send the bundled queries (those that run
   on the data; parameters at their defaults, bound by a VALUES block) as POST forms asking for
   SPARQL JSON results, for ``--duration`` seconds, to our server and then to Oxigraph's; the
   number of rows of each query's answer must be the same on both.

It prints, for each workload and server, the requests, errors, throughput and the p50 / p90 / p99
latencies, and the verdicts: resource pages p99 under 50 ms at 50 clients; SPARQL throughput at
least 0.8x Oxigraph's. The request loops are bounded in time and only reach loopback addresses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))  # the Oxigraph server the tests start

from oxigraph_server import OxigraphServer  # noqa: E402

PAGE_TARGET_MS = 50.0
SPARQL_RATIO_TARGET = 0.8
JSON_RESULTS = "application/sparql-results+json"


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(name: str, latencies: list[float], errors: int, elapsed: float) -> dict:
    """The figures of one workload on one server (latencies in seconds)."""
    return {
        "workload": name,
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p90_ms": round(percentile(latencies, 0.90) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
    }


class Connection:
    """One keep-alive HTTP/1.1 connection on asyncio streams: the load generator's client, lighter
    than a general HTTP client library (httpx's pool took a whole core for 200 requests a second
    here, and the client shares the machine with the servers it measures). It sends a request and
    reads the status, the headers and the body (Content-Length or chunked)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        reader = self.reader
        status = int((await reader.readline()).split()[1])
        fields = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            fields[name.strip().lower()] = value.strip()
        if fields.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await reader.readline()).split(b";")[0], 16):
                parts.append(await reader.readexactly(size))
                await reader.readline()
            await reader.readline()
            data = b"".join(parts)
        else:
            data = await reader.readexactly(int(fields.get("content-length", "0")))
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, fields, data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def load(base: str, requests, clients: int, duration: float) -> tuple[list[float], int, float, dict]:
    """``clients`` loops, each on its own keep-alive connection (opened before the clock starts),
    sending ``requests(client, k)`` (method, path, form data, headers) one after the other for
    ``duration`` seconds; the latencies of the successful answers, the errors, the elapsed time, and
    the rows of each JSON answer by request."""
    host, port = base.removeprefix("http://").split(":")
    connections = [Connection(host, int(port)) for _ in range(clients)]
    await asyncio.gather(*(c.request("GET", "/health") for c in connections))
    latencies: list[float] = []
    errors = 0
    rows: dict[str, set[int]] = {}
    deadline = time.perf_counter() + duration

    async def client(n: int) -> None:
        nonlocal errors
        k = 0
        while time.perf_counter() < deadline:
            method, path, data, headers = requests(n, k)
            k += 1
            body = urlencode(data).encode() if data else b""
            if data:
                headers = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
            started = time.perf_counter()
            try:
                status, fields, answer = await connections[n].request(method, path, body, headers)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                errors += 1
                connections[n].close()
                continue
            took = time.perf_counter() - started
            if status != 200:
                errors += 1
                continue
            latencies.append(took)
            if fields.get("content-type", "").startswith(JSON_RESULTS):
                doc = json.loads(answer)
                rows.setdefault(str(data), set()).add(len(doc.get("results", {}).get("bindings", [])))

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    for c in connections:
        c.close()
    return latencies, errors, elapsed, rows


def bundled_queries() -> list[tuple[str, str]]:
    from lod_unioni.server.data import bundled_examples

    return [(e.name, e.text) for e in bundled_examples()]


class OurServer:
    """``lod-unioni serve DATA`` on a free loopback port."""

    def __init__(self, data: Path, workers: int, *extra: str) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (the server's stderr while it runs)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lod_unioni", "serve", str(data), "--port", "0", "--timeout", "60"]
            + ["--max-rows", "10000000", "--workers", str(workers), *extra],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            self.log.seek(0)
            text = self.log.read().decode("utf-8", "replace")
            m = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", text)
            if m:
                self.url = m.group(1)
                self.startup = text
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"lod-unioni serve exited: {text[-500:]}")
            time.sleep(0.1)
        raise RuntimeError("lod-unioni serve did not start")

    def wait_prerendered(self, limit: float = 300) -> float:
        """Seconds until every page is rendered (``/health``)."""
        started = time.monotonic()
        while time.monotonic() - started < limit:
            pages = httpx.get(self.url + "/health", timeout=30).json()["pages"]
            if pages["complete"]:
                break
            time.sleep(0.5)
        return time.monotonic() - started

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def resource_paths(url: str) -> list[str]:
    """The path of every resource page of ours, from the server's own SPARQL endpoint."""
    query = (
        'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/lod-unioni/")) }'
    )
    r = httpx.post(url + "/sparql", data={"query": query}, headers={"Accept": JSON_RESULTS}, timeout=60)
    r.raise_for_status()
    iris = [b["s"]["value"] for b in r.json()["results"]["bindings"]]
    return sorted(iri.replace("https://w3id.org", "") for iri in iris if "#" not in iri and "/." not in iri)


def pages_workload(url: str, paths: list[str], clients: int, duration: float, seed: int) -> dict:
    rng = random.Random(seed)
    order = [rng.choice(paths) for _ in range(200_000)]

    def request(n: int, k: int):
        return "GET", order[(n * 7919 + k * clients + n) % len(order)] + ".html", None, {"Accept": "text/html"}

    latencies, errors, elapsed, _ = asyncio.run(load(url, request, clients, duration))
    return summary("resource pages", latencies, errors, elapsed)


_WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _wrk_seconds(text: str) -> float:
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if m is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(m.group(1)) * _WRK_UNITS[m.group(2)]


def wrk_figures(output: str, name: str) -> dict:
    """The figures of wrk's ``--latency`` report."""
    quantiles = {q: _wrk_seconds(v) for q, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, re.MULTILINE)}
    total = int(re.search(r"(\d+) requests in ([0-9.]+\w+)", output).group(1))
    seconds = _wrk_seconds(re.search(r"\d+ requests in ([0-9.]+\w+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, socket.groups())) if socket else 0)
    return {
        "workload": name,
        "requests": total - errors,
        "errors": errors,
        "seconds": round(seconds, 2),
        "per_second": round((total - errors) / seconds, 1),
        "p50_ms": round(quantiles["50"] * 1000, 1),
        "p90_ms": round(quantiles["90"] * 1000, 1),
        "p99_ms": round(quantiles["99"] * 1000, 1),
    }


def pages_workload_wrk(url: str, paths: list[str], clients: int, duration: float, seed: int, name: str) -> dict:
    """The pages workload run by wrk (one thread, ``clients`` connections; each request a page
    drawn at random): a load generator that needs little of the CPU the server shares with it."""
    with tempfile.TemporaryDirectory(prefix="lod-unioni-wrk-") as folder:
        script = Path(folder) / "pages.lua"
        listed = ",\n".join(json.dumps(path + ".html") for path in paths)
        script.write_text(
            f"paths = {{\n{listed}\n}}\nmath.randomseed({seed})\n"
            "request = function()\n"
            '  return wrk.format("GET", paths[math.random(#paths)], {["Accept"] = "text/html"})\n'
            "end\n",
            encoding="utf-8",
        )
        run = subprocess.run(
            ["wrk", "-t1", f"-c{clients}", f"-d{duration:g}s", "--latency", "--timeout", "30s", "-s", str(script), url],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        )
    return wrk_figures(run.stdout, name)


def sparql_workload(url: str, path: str, queries: list[tuple[str, str]], clients: int, duration: float):
    def request(n: int, k: int):
        _, text = queries[(n + k) % len(queries)]
        return "POST", path, {"query": text}, {"Accept": JSON_RESULTS}

    latencies, errors, elapsed, rows = asyncio.run(load(url, request, clients, duration))
    return summary("SPARQL (bundled queries)", latencies, errors, elapsed), rows


def served_files(data: Path) -> list[Path]:
    from lod_unioni.server.data import files_publication

    return list(files_publication([data], "https://w3id.org/lod-unioni/data/").files)


def national(sources: Path, folder: Path) -> Path:
    from lod_unioni.national import national_pipeline
    from lod_unioni.resources import resource_dir

    out = folder / "national"
    print(f"building the national graph from {sources} ...", file=sys.stderr)
    national_pipeline(str(sources), out, bundled_records=resource_dir("records"))
    return out


def print_table(rows: list[dict]) -> None:
    print(
        f"{'server':<12} {'workload':<26} {'requests':>8} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}"
    )
    for r in rows:
        print(
            f"{r['server']:<12} {r['workload']:<26} {r['requests']:>8} {r['errors']:>6} {r['per_second']:>8} "
            f"{r['p50_ms']:>8} {r['p90_ms']:>8} {r['p99_ms']:>8}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="an output folder of lod-unioni build (default: build --sources)")
    parser.add_argument("--sources", type=Path, help="registry files: build the national graph to serve")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients on resource pages (default 50)")
    parser.add_argument("--sparql-clients", type=int, default=8, help="concurrent SPARQL clients (default 8)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of each workload (default 10)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="our query workers")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--load",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator of the pages: wrk (Debian's package; auto: when installed) or the asyncio loop",
    )
    parser.add_argument("--also-cold", action="store_true", help="also the pages of a server with --no-prerender")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if (args.data is None) == (args.sources is None):
        parser.error("give --data DIR or --sources DIR")
    with tempfile.TemporaryDirectory(prefix="lod-unioni-bench-serve-") as tmp:
        data = args.data or national(args.sources, Path(tmp))
        files = served_files(data)
        queries = bundled_queries()
        rows: list[dict] = []
        use_wrk = args.load == "wrk" or (args.load == "auto" and shutil.which("wrk"))

        def pages(url: str, paths: list[str], name: str) -> dict:
            if use_wrk:
                return pages_workload_wrk(url, paths, args.clients, args.duration, args.seed, name)
            return {**pages_workload(url, paths, args.clients, args.duration, args.seed), "workload": name}

        if args.also_cold:
            cold = OurServer(data, args.workers, "--no-prerender")
            try:
                rows.append(
                    {"server": "lod-unioni", **pages(cold.url, resource_paths(cold.url), "pages, not prerendered")}
                )
            finally:
                cold.stop()
        ours = OurServer(data, args.workers)
        try:
            print(next((line for line in ours.startup.splitlines() if line.startswith("serving")), ""))
            paths = resource_paths(ours.url)
            warm = ours.wait_prerendered()
            print(f"{len(paths)} resource pages, all rendered {warm:.1f} s after the start; {len(queries)} queries")
            rows.append({"server": "lod-unioni", **pages(ours.url, paths, "resource pages")})
            figures, our_rows = sparql_workload(ours.url, "/sparql", queries, args.sparql_clients, args.duration)
            rows.append({"server": "lod-unioni", **figures})
        finally:
            ours.stop()
        with OxigraphServer(files, query_timeout_s=60) as oxigraph:
            figures, their_rows = sparql_workload(
                f"http://127.0.0.1:{oxigraph.port}", "/query", queries, args.sparql_clients, args.duration
            )
            rows.append({"server": "oxigraph", **figures})
    print_table(rows)
    disagree = sorted(k for k in our_rows.keys() & their_rows.keys() if our_rows[k] != their_rows[k])
    pages, ours_q, theirs_q = rows[-3], rows[-2], rows[-1]
    ratio = ours_q["per_second"] / theirs_q["per_second"] if theirs_q["per_second"] else float("inf")
    verdicts = {
        "pages_p99_ms": pages["p99_ms"],
        "pages_ok": pages["p99_ms"] < PAGE_TARGET_MS and pages["errors"] == 0,
        "sparql_ratio": round(ratio, 2),
        "sparql_ok": ratio >= SPARQL_RATIO_TARGET and ours_q["errors"] == 0,
        "answers_agree": not disagree,
    }
    print(
        f"resource pages p99 {pages['p99_ms']} ms at {args.clients} clients (target < {PAGE_TARGET_MS:g}): "
        f"{'ok' if verdicts['pages_ok'] else 'MISSED'}"
    )
    print(
        f"SPARQL throughput {ratio:.2f}x Oxigraph's (target >= {SPARQL_RATIO_TARGET}): "
        f"{'ok' if verdicts['sparql_ok'] else 'MISSED'}; answers agree: {verdicts['answers_agree']}"
    )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "verdicts": verdicts}, indent=1) + "\n", encoding="utf-8")
    return 0 if verdicts["pages_ok"] and verdicts["sparql_ok"] and verdicts["answers_agree"] else 1


if __name__ == "__main__":
    sys.exit(main())
