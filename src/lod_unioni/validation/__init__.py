"""SHACL validation of the lod-unioni graph.

    from lod_unioni.validation import validate
    report = validate(["output/unioni.ttl"])            # the bundled shapes, the fast engine
    report.conforms, report.fails(on="violation")
    print(report.to_text())                             # or .to_turtle(), .to_json()

Two engines give the same results (a test checks it on every test graph):

- ``engine="fast"`` (default): the shapes compiled to set-based SPARQL queries on a pyoxigraph
  Store (:mod:`.fast`);
- ``engine="pyshacl"``: the reference, rdflib + pySHACL with its defaults (:mod:`.reference`).

Shapes using a SHACL feature the fast engine does not implement make it fall back to pySHACL with
a warning.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import NamedNode

from .. import progress
from ..resources import resource_dir
from ..vocab import L0, RDFS, SH
from .data import RdfItems, add_items
from .fast import FastEngine, RawResult, ShapesError, UnsupportedShapes
from .reference import run_pyshacl
from .report import ValidationReport, ValidationResult, split_messages
from .shapes import ShapesGraph, load_shapes, parse_rdf_file, shape_files, shapes_graph
from .terms import SEVERITIES, UNION_CLASS, Term, display_path, display_term, local_name

__all__ = [
    "ENGINES",
    "ShapesError",
    "UnsupportedShapes",
    "ValidationReport",
    "ValidationResult",
    "load_shapes",
    "validate",
    "vocabulary_files",
]

ENGINES = ("fast", "pyshacl")
EXTRA_GRAPH = NamedNode("urn:x-lod-unioni:validation:extra")

# A cache of one entry: the shapes last read and their compiled engine (or why the fast engine
# cannot run them), keyed by the folder and the path, time and size of each of its files.
_shapes_cache: dict[tuple, tuple[ShapesGraph, FastEngine | Exception]] = {}


def _shapes(shapes_dir: str | os.PathLike[str] | None) -> tuple[ShapesGraph, FastEngine | Exception]:
    d = Path(resource_dir("shapes") if shapes_dir is None else shapes_dir)
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.glob("*")) if p.is_file())
    key = (str(d.resolve()), stamp)
    if key not in _shapes_cache:
        files = shape_files(d)
        triples = [t for f in files for t in parse_rdf_file(f)]
        try:
            fast = FastEngine(triples, tuple(files))
            shapes = shapes_graph(fast, triples, tuple(files))
            engine: FastEngine | Exception = UnsupportedShapes(fast.unsupported) if fast.unsupported else fast
        except ShapesError as exc:
            shapes, engine = ShapesGraph(tuple(files), triples, [], {}), exc
        _shapes_cache.clear()
        _shapes_cache[key] = (shapes, engine)
    return _shapes_cache[key]


def vocabulary_files() -> list[Path]:
    """The bundled SKOS vocabularies (``ontology/vocabularies/**/*.ttl``): added to the validated
    graph so that the shapes can check, e.g., that a service type is a concept of its scheme."""
    try:
        root = resource_dir("ontology") / "vocabularies"
    except FileNotFoundError:
        return []
    return sorted(root.rglob("*.ttl")) if root.is_dir() else []


def validate(
    data: ox.Store | RdfItems,
    *,
    shapes_dir: str | os.PathLike[str] | None = None,
    extra_graphs: RdfItems = (),
    engine: str = "fast",
) -> ValidationReport:
    """Validate ``data`` against the shapes of ``shapes_dir`` (default: the bundled ``shapes/``).

    ``data``: a pyoxigraph ``Store`` (not modified, except that ``extra_graphs`` are added to a
    named graph for the time of the validation), a file path, or an iterable of file paths and/or
    pyoxigraph ``Triple``/``Quad`` objects. Files are parsed by extension (``.ttl``, ``.nt``,
    ``.jsonld``/``.json``, ``.nq``, ``.trig``, ``.rdf``).
    ``extra_graphs``: more files or triples validated with the data (vocabularies, registry data
    such as :func:`lod_unioni.validation.registry.city_triples`); they add no focus nodes of
    their own to the bundled shapes.
    ``engine``: ``"fast"`` or ``"pyshacl"``.

    Raises :class:`~lod_unioni.errors.LodError` for unreadable files or shapes.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    shapes, fast = _shapes(shapes_dir)
    extra: list[RdfItems] = [extra_graphs] if isinstance(extra_graphs, (str, os.PathLike)) else list(extra_graphs)
    sources: list[str] = []
    if isinstance(data, ox.Store):
        store, union_graph = data, bool(extra)
        if extra:
            add_items(store, extra, graph=EXTRA_GRAPH)
    else:
        store, union_graph = ox.Store(), False
        sources = add_items(store, data)
        add_items(store, extra)
    try:
        if engine == "fast" and isinstance(fast, ShapesError):
            raise fast
        if engine == "fast" and isinstance(fast, Exception):
            progress.warn(
                f"the fast SHACL engine does not support these shapes ({fast}); validating with pySHACL instead"
            )
            engine = "pyshacl"
        raw = None
        if engine == "fast" and isinstance(fast, FastEngine):
            try:
                if isinstance(data, list) and not extra and all(isinstance(t, ox.Triple) for t in data):
                    raw = fast.run(data, store=store)  # the triples as given (their own terms)
                else:
                    raw = fast.run(store=store, union_default_graph=union_graph)  # the store's terms
            except UnsupportedShapes as exc:
                progress.warn(f"{exc}; validating with pySHACL instead")
                engine = "pyshacl"
        if raw is None:
            raw = run_pyshacl(store, shapes, union_default_graph=union_graph)
        results = _finish(store, raw, union_graph)
    finally:
        if isinstance(data, ox.Store) and extra:
            store.remove_graph(EXTRA_GRAPH)
    return ValidationReport(results, engine=engine, data_sources=tuple(sources))


# --- from raw engine results to ValidationResults -------------------------------------------------

GENERIC_MESSAGES = {  # component -> (en, it) for shapes without sh:message
    "MinCountConstraintComponent": ("Fewer values than sh:minCount", "Meno valori di sh:minCount"),
    "MaxCountConstraintComponent": ("More values than sh:maxCount", "Più valori di sh:maxCount"),
    "DatatypeConstraintComponent": ("Value of the wrong datatype", "Valore del tipo di dato sbagliato"),
    "NodeKindConstraintComponent": ("Value of the wrong node kind", "Valore del tipo di nodo sbagliato"),
    "ClassConstraintComponent": ("Value not an instance of the class", "Valore non istanza della classe"),
    "InConstraintComponent": ("Value not in the allowed list", "Valore non tra quelli ammessi"),
    "HasValueConstraintComponent": ("Required value missing", "Manca il valore richiesto"),
    "PatternConstraintComponent": ("Value does not match the pattern", "Il valore non rispetta il modello"),
    "MinInclusiveConstraintComponent": ("Value too small", "Valore troppo piccolo"),
    "MinExclusiveConstraintComponent": ("Value too small", "Valore troppo piccolo"),
    "MaxInclusiveConstraintComponent": ("Value too large", "Valore troppo grande"),
    "MaxExclusiveConstraintComponent": ("Value too large", "Valore troppo grande"),
    "MinLengthConstraintComponent": ("Value too short", "Valore troppo corto"),
    "MaxLengthConstraintComponent": ("Value too long", "Valore troppo lungo"),
    "LanguageInConstraintComponent": ("Language not allowed", "Lingua non ammessa"),
    "UniqueLangConstraintComponent": ("Language used more than once", "Lingua usata più di una volta"),
    "NodeConstraintComponent": ("Value does not conform to the node shape", "Il valore non è conforme alla forma"),
    "SPARQLConstraintComponent": ("SPARQL constraint not satisfied", "Vincolo SPARQL non soddisfatto"),
}


def _finish(store: ox.Store, raw: list[RawResult], union_graph: bool) -> list[ValidationResult]:
    unions = _unions_of(store, {r.focus for r in raw}, union_graph)
    out = []
    for r in raw:
        it, en, others = split_messages(r.messages)
        if it is None and en is None and not others:
            en, it = GENERIC_MESSAGES.get(
                local_name(r.component), ("Constraint not satisfied", "Vincolo non soddisfatto")
            )
            what = display_path(r.path) or ""
            suffix = (
                f" ({what}{' = ' + display_term(r.value) if r.value is not None else ''})" if what or r.value else ""
            )
            en, it = en + suffix, it + suffix
        severity = r.severity.value[len(SH) :] if r.severity.value.startswith(SH) else r.severity.value
        if severity not in SEVERITIES:
            severity = "Violation"
        union, name = unions.get(r.focus, (None, None))
        out.append(
            ValidationResult(
                union=union,
                focus=r.focus,
                path=r.path,
                value=r.value,
                severity=severity,
                message_it=it,
                message_en=en,
                shape=r.shape,
                component=r.component,
                union_name=name,
                other_messages=others,
            )
        )
    return out


def _unions_of(store: ox.Store, focus_nodes: set[Term], union_graph: bool) -> dict[Term, tuple[str, str | None]]:
    """For each focus node, the union it is about: itself if it is a union, else a union linked to
    it by one triple in either direction (the lowest IRI if several); with the union's @it name."""
    found: dict[Term, tuple[tuple[str, str], str, str | None]] = {}  # focus -> (rank, union IRI, name)
    name = (
        f'OPTIONAL {{ ?u <{L0}name> ?n1 FILTER(langMatches(LANG(?n1), "it")) }} '
        f"OPTIONAL {{ ?u <{RDFS}label> ?n2 }} BIND(COALESCE(?n1, ?n2) AS ?name)"
    )

    def lookup(nodes: list[NamedNode], pattern: str) -> None:
        for start in range(0, len(nodes), 1000):
            values = " ".join(str(f) for f in nodes[start : start + 1000])
            q = f"SELECT ?f ?u ?name WHERE {{ VALUES ?f {{ {values} }} {pattern} {name} }}"
            solutions = store.query(q, use_default_graph_as_union=union_graph)
            assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query
            for row in solutions:
                f, u = row["f"], row["u"]
                label = row["name"].value if row["name"] is not None else None
                rank = (u.value, label or "")
                if f not in found or rank < found[f][0]:
                    found[f] = (rank, u.value, label)

    iris = sorted((f for f in focus_nodes if isinstance(f, NamedNode)), key=str)
    lookup(iris, f"?f a {UNION_CLASS} . BIND(?f AS ?u)")
    rest = [f for f in iris if f not in found]
    if rest:
        lookup(rest, f"{{ ?u a {UNION_CLASS} ; ?p ?f . }} UNION {{ ?f ?p ?u . ?u a {UNION_CLASS} . }}")
    return {f: (u, label) for f, (_rank, u, label) in found.items()}
