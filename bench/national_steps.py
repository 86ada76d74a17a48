"""The steps of the national benchmark (``bench/run.py --national --sources DIR``), in both ways, on
the real registry files.

- ``lod-unioni``: :func:`lod_unioni.national.national_pipeline` as ``lod-unioni build --national``
  runs it (read -> reconcile -> match -> map -> validate -> Turtle, JSON-LD, N-Triples), written to
  a temporary folder;
- ``plain``: the same records mapped into an rdflib Graph, validated with pySHACL's defaults and
  serialized with rdflib's serializers (the steps of :mod:`synthetic_steps`), the dumps written too.

Read, reconcile and match are the same code in both ways, so they run once: the lod-unioni child
hands the records over to the plain child (:func:`records_file`); the plain child makes them itself
when the lod-unioni way did not run. :func:`national_steps_for` lists the steps of a way, in order.
After the pipeline the lod-unioni child maps the projects alone, for the mapping reference
(:mod:`national_refs`).
"""

from __future__ import annotations

import json
import os
import pickle
import time
from pathlib import Path

from harness import Context, Step
from national_refs import floor_steps, step_map_projects
from synthetic_steps import serialize_plain, step_validate_pyshacl

#: The plain way's dumps: (rdflib format, file name), in the order of the table.
NATIONAL_SERIALIZATIONS = (("turtle", "unioni.ttl"), ("json-ld", "unioni.jsonld"), ("nt", "unioni.nt"))


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
    ctx.records = result.records  # for the mapping reference (step_map_projects)
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
    """The steps of a way of the national benchmark, in order (``floor``: the pyoxigraph floor,
    :mod:`national_refs`)."""
    if way == "floor":
        return floor_steps()
    if way == "plain":
        return [
            Step("imports", "Python imports", step_imports_plain, compared=False),
            Step("records", "records (read + reconcile + match)", step_national_records, compared=False),
            Step("map", "map", step_national_map_rdflib),
            Step("validate", "validate", step_validate_pyshacl),
        ] + [
            Step(f"serialize:{fmt}", f"serialize {fmt}", serialize_plain(fmt, name))
            for fmt, name in NATIONAL_SERIALIZATIONS
        ]
    return [
        Step("imports", "Python imports", step_imports_lod, compared=False),
        Step("pipeline", "national pipeline", step_national_pipeline),
        Step("map-projects", "map projects (the mapping reference's triples)", step_map_projects),
    ]
