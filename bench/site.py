"""The speed of ``lod-unioni site`` on the national graph: the whole static publication, beside
the alternatives in the same run.

    .venv/bin/python bench/site.py --sources ../shared/data           # builds the national dumps first
    .venv/bin/python bench/site.py --dumps output/national            # from a national build already made
    .venv/bin/python bench/site.py --dumps output --ways parallel     # the bundled records (quick look)
    .venv/bin/python bench/site.py --dumps output/national --tmp /dev/shm   # in memory: no disk

Ways, each on the same dumps, each in its own child process (its own peak memory):

- ``parallel``: :func:`lod_unioni.site.make_site` as the command runs it (one worker process per
  CPU, up to 4, forked from the process that read the dumps once);
- ``serial``: the same in one process (``jobs=1``);
- ``lookups`` and ``per-query``: only the reading part of a page, every resource's description
  and the labels of the resources it links (no HTML, no documents, no files), with the
  renderer's lookups (made once per store), and the way a renderer without lookups works
  (LodView, Trifid): a SPARQL query for the description and one per linked resource for its
  label, on the same pyoxigraph store, run on a sample (``--sample``) and extrapolated.

Printed: seconds, resources, pages and files, megabytes, resources/s and pages/s, the target
(under 20 s for the national graph), the machine's load average (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 20.0
WAYS = ("parallel", "serial", "lookups", "per-query")


def _quiet():
    from lod_unioni import progress

    progress.set_quiet(True)


def run_make(dumps: str, out: str, jobs: int | None) -> dict:
    _quiet()
    from lod_unioni.site import make_site

    start = time.perf_counter()
    result = make_site(dumps, out, jobs=jobs)
    seconds = time.perf_counter() - start
    pages = sum(1 for _ in Path(out).rglob("*.html"))
    return {
        "seconds": seconds,
        "resources": result.resources,
        "pages": pages,
        "files": result.files,
        "mb": result.bytes / 1e6,
    }


def run_lookups(dumps: str, sample: int, seed: int) -> dict:
    """What the per-query way does (each resource's description and the labels of the resources
    it links), with the renderer's lookups, on every resource."""
    _quiet()
    import pyoxigraph

    from lod_unioni.web import Renderer
    from lod_unioni.web.data import publication_store

    start = time.perf_counter()
    store = publication_store([Path(dumps) / "unioni.nt"], catalog=Path(dumps) / "catalog.ttl")
    r = Renderer(store, "https://w3id.org/lod-unioni/data/", site_root=None, static=True)
    iris = list(r.resources())
    for iri in iris:
        for t in r.description(iri):
            for x in (t.subject, t.object):
                if isinstance(x, pyoxigraph.NamedNode):
                    r.lookup.label(x, x.value)
    return {"seconds": time.perf_counter() - start, "resources": len(iris)}


def run_per_query(dumps: str, sample: int, seed: int) -> dict:
    _quiet()
    import pyoxigraph

    from lod_unioni.web.data import publication_store

    start = time.perf_counter()
    store = publication_store([Path(dumps) / "unioni.nt"], catalog=Path(dumps) / "catalog.ttl")
    ours = [
        row["s"].value
        for row in store.query(
            "SELECT DISTINCT ?s WHERE { ?s ?p ?o "
            "FILTER(isIRI(?s) && STRSTARTS(STR(?s), 'https://w3id.org/lod-unioni/')) }",
            use_default_graph_as_union=True,
        )
    ]
    load = time.perf_counter() - start
    chosen = random.Random(seed).sample(ours, min(sample, len(ours)))
    describe = "CONSTRUCT { @R ?p ?o . ?s ?q @R } WHERE { { @R ?p ?o } UNION { ?s ?q @R FILTER(?q != rdf:type) } }"
    label = (
        "SELECT ?l WHERE { @X rdfs:label|<http://www.w3.org/2004/02/skos/core#prefLabel>|"
        "<https://w3id.org/italia/onto/l0/name> ?l } LIMIT 1"
    )
    prefixes = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    t = time.perf_counter()
    queries = 0
    for iri in chosen:
        node = pyoxigraph.NamedNode(iri)
        # the store's own IRIs, pasted as <...> as a template renderer does
        triples = list(
            store.query(describe.replace("@R", f"<{node.value}>"), prefixes=prefixes, use_default_graph_as_union=True)
        )
        queries += 1
        linked = {x for tr in triples for x in (tr.subject, tr.object) if isinstance(x, pyoxigraph.NamedNode)}
        for other in linked:
            list(
                store.query(label.replace("@X", f"<{other.value}>"), prefixes=prefixes, use_default_graph_as_union=True)
            )
            queries += 1
    per_resource = (time.perf_counter() - t) / max(1, len(chosen))
    return {
        "seconds": load + per_resource * len(ours),
        "resources": len(ours),
        "sampled": len(chosen),
        "queries_per_resource": queries / max(1, len(chosen)),
        "extrapolated": True,
    }


def _child(target, args, queue):
    try:
        import resource

        out = target(*args)
        out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        queue.put(out)
    except BaseException as exc:  # reported by the parent
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def in_child(target, *args) -> dict:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(target, args, queue))
    p.start()
    out = queue.get()
    p.join()
    return out


def build_national(sources: str, out: Path) -> float:
    _quiet()
    from lod_unioni.national import national_pipeline
    from lod_unioni.resources import resource_dir
    from lod_unioni.sources.folder import resolve_sources

    start = time.perf_counter()
    national_pipeline(resolve_sources(sources), out, bundled_records=resource_dir("records"))
    return time.perf_counter() - start


def report(figures: dict, build_seconds: float | None) -> None:
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    if build_seconds is not None:
        print(f"national build (the dumps, not part of the site's time): {build_seconds:.1f} s")
    heads = (("seconds", 8), ("resources", 9), ("pages", 7), ("files", 7), ("MB", 7), ("res/s", 7), ("pages/s", 8))
    print(f"{'way':<10} " + " ".join(f"{h:>{w}}" for h, w in heads) + f" {'peak MB':>8}")
    for way, f in figures.items():
        if "error" in f:
            print(f"{way:<10} failed: {f['error']}")
            continue
        pages = f.get("pages")
        print(
            f"{way:<10} {f['seconds']:>8.1f} {f['resources']:>9} {pages if pages else '-':>7} {f.get('files', '-'):>7} "
            f"{f.get('mb', 0):>7.0f} {f['resources'] / f['seconds']:>7.0f} "
            f"{(pages / f['seconds']) if pages else 0:>8.0f} {f['peak_mb']:>8.0f}"
            + (
                f"  (extrapolated from {f['sampled']} resources, {f['queries_per_resource']:.0f} queries each)"
                if f.get("extrapolated")
                else ""
            )
        )
    if "parallel" in figures and "seconds" in figures["parallel"]:
        s = figures["parallel"]["seconds"]
        verdict = "met" if s < TARGET_SECONDS else "NOT met"
        print(f"target: site generation under {TARGET_SECONDS:.0f} s: {verdict} ({s:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dumps", help="a build's output folder (default: build the national dumps from --sources)")
    parser.add_argument("--sources", help="registry files laid out like ../shared/data")
    parser.add_argument("--ways", default=",".join(WAYS), help=f"comma-separated, of {', '.join(WAYS)}")
    parser.add_argument("--sample", type=int, default=300, help="resources the per-query way runs (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--tmp", help="where the sites are written (default: the system's temporary folder; /dev/shm: no disk)"
    )
    args = parser.parse_args(argv)
    ways = [w.strip() for w in args.ways.split(",") if w.strip()]
    if unknown := set(ways) - set(WAYS):
        parser.error(f"unknown ways: {', '.join(sorted(unknown))}")
    tmp = Path(tempfile.mkdtemp(prefix="lod-unioni-bench-site-", dir=args.tmp))
    try:
        build_seconds = None
        dumps = args.dumps
        if dumps is None:
            if not args.sources:
                parser.error("give --dumps DIR or --sources DIR")
            dumps = str(tmp / "national")
            build_seconds = in_child(lambda: {"seconds": build_national(args.sources, Path(dumps))})["seconds"]
        figures = {}
        for way in ways:
            if way in ("per-query", "lookups"):
                runner = run_per_query if way == "per-query" else run_lookups
                figures[way] = in_child(runner, dumps, args.sample, args.seed)
            else:
                figures[way] = in_child(run_make, dumps, str(tmp / f"site-{way}"), None if way == "parallel" else 1)
            shutil.rmtree(tmp / f"site-{way}", ignore_errors=True)
        report(figures, build_seconds)
        if args.json:
            Path(args.json).write_text(json.dumps({"build_seconds": build_seconds, "ways": figures}, indent=2) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
