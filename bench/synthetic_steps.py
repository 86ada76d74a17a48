"""The steps of the synthetic benchmark (``bench/run.py``, the default), in both ways, on the dataset
of :mod:`synthetic`:

- ``lod-unioni``: the mapping engine -> a pyoxigraph Store -> :func:`lod_unioni.validation.validate`
  with the default engine -> every bundled local query through :func:`lod_unioni.query.run_query`
  on the Store -> the dumps through :mod:`lod_unioni.serialize`;
- ``plain``: the same triples in an rdflib in-memory Graph -> ``pyshacl.validate`` with its defaults
  on the same shapes folder -> every bundled local query with rdflib's SPARQL engine -> rdflib's
  Turtle, N-Triples and JSON-LD serializers.

Both ways validate the data together with the bundled vocabularies (``ontology/vocabularies``), as
``lod-unioni validate`` does. :func:`steps_for` lists the steps of a way, in order.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import synthetic
from harness import Context, Step

from lod_unioni.vocab import SH


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


def serialize_plain(fmt: str, file_name: str | None = None) -> Callable[[Context], dict]:
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
    """The steps of a way of the synthetic benchmark, in order. A new step is one function here."""
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
                serialize_plain(fmt) if plain else _serialize_lod(fmt if fmt != "json-ld" else "jsonld"),
            )
        )
    return steps
