"""SHACL validation of the lod-unioni graph, and of any RDF data with any SHACL shapes.

    from lod_unioni.validation import validate
    report = validate(["output/unioni.ttl"])            # the bundled shapes, engine "auto"
    report = validate(["data.ttl"], shapes=["dcat-ap.ttl", "extra/"])
    report.conforms, report.fails(on="violation")
    print(report.to_text())                             # or .to_turtle(), .to_json()

Three engines (``engine=``):

- ``"fast"``: the fast engine (:mod:`.fast`); shapes using a feature it does not implement are
  refused (:class:`~lod_unioni.errors.LodError` naming the feature and the shape), never guessed;
- ``"pyshacl"``: the reference, rdflib + pySHACL (:mod:`.reference`);
- ``"auto"`` (default): the fast engine for every shape it supports, pySHACL for the others only
  (their own shapes graph keeps the targets of those shapes alone), merged into one report.

The data and the shapes are parsed, not loaded into a store, so that the report shows the data's
own terms (:mod:`.data`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Triple

from .. import progress
from ..errors import LodError
from ..graph import no_gc
from ..resources import resource_dir
from ..vocab import RDF
from .data import RdfItems, Reader, ShapesPaths, file_iri, shape_files, store_triples
from .fast import FastEngine, RawResult, ShapesError, UnsupportedFeature, UnsupportedShapes
from .fast.index import Graph
from .reference import reduced_shapes, run_pyshacl, targeted_shapes
from .report import ValidationReport, ValidationResult
from .results import finish
from .terms import UNION_CLASS, Term, display_term

__all__ = [
    "ENGINES",
    "ShapesError",
    "UnsupportedShapes",
    "ValidationReport",
    "ValidationResult",
    "validate",
    "vocabulary_files",
]

ENGINES = ("auto", "fast", "pyshacl")
RDF_TYPE = ox.NamedNode(RDF + "type")


@dataclass
class Shapes:
    """The shapes read from their files, and the fast engine compiled for them (when asked)."""

    files: tuple[Path, ...]
    by_file: dict[str, list[Triple]]  # file IRI -> its triples
    triples: list[Triple]
    _engine: FastEngine | None = field(default=None, repr=False)

    @classmethod
    def read(cls, files: list[Path]) -> Shapes:
        reader = Reader()
        by_file = {file_iri(f): reader.read(f) for f in files}
        return cls(tuple(files), by_file, list(dict.fromkeys(t for ts in by_file.values() for t in ts)))

    def fast(self) -> FastEngine:
        """The fast engine for these shapes; bad shapes raise :class:`ShapesError`."""
        if self._engine is None:
            self._engine = FastEngine(self.triples, self.files)
        return self._engine

    def file_of(self, shape: Term) -> str | None:
        """The file that describes ``shape`` (the first one, if several do)."""
        for f, triples in zip(self.files, self.by_file.values(), strict=True):
            if any(t.subject == shape for t in triples):
                return str(f)
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(str(f) for f in self.files)


# A cache of one entry: the shapes last read and their compiled engine, keyed by the path, time and
# size of each of their files.
_shapes_cache: dict[tuple, Shapes] = {}


def _shapes(paths: ShapesPaths | None) -> Shapes:
    files = shape_files(resource_dir("shapes") if paths is None else paths)
    key = tuple((file_iri(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if key not in _shapes_cache:
        shapes = Shapes.read(files)
        _shapes_cache.clear()
        _shapes_cache[key] = shapes
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
    shapes: ShapesPaths | None = None,
    shapes_dir: ShapesPaths | None = None,
    extra_graphs: RdfItems = (),
    engine: str = "auto",
    allow_empty: bool = False,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (default: the bundled ``shapes/``).

    ``data``: a file path, or an iterable of file paths and/or pyoxigraph ``Triple``/``Quad``
    objects (their graph ignored), or a pyoxigraph ``Store`` (its default graph, or all its graphs
    when there are ``extra_graphs``; read back from the store, its literals are canonical already).
    Files are parsed by extension (``.ttl``, ``.nt``, ``.jsonld``/``.json``, ``.nq``, ``.trig``,
    ``.rdf``), relative IRIs against the file's own IRI; the same file may be data and shapes.
    ``shapes``: a shapes file or folder, or several (``shapes_dir``: the same, older name).
    ``extra_graphs``: more files or triples validated with the data (vocabularies, registry data
    such as :func:`lod_unioni.validation.registry.city_triples`).
    ``engine``: ``"auto"``, ``"fast"`` or ``"pyshacl"`` (see the module).

    Raises :class:`~lod_unioni.errors.LodError` for unreadable files or shapes, for shapes the
    fast engine does not implement when ``engine="fast"``, and, unless ``allow_empty``, for data
    with no triples, or, with the bundled shapes, no ``lu:UnioneDiComuni`` ("no data": an empty or
    truncated dump must not pass a pipeline gate as "conforms").
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}")
    shapes_graph = _shapes(shapes if shapes is not None else shapes_dir)
    reader = Reader(shapes_graph.by_file)
    sources: list[str] = []
    extra = list(reader.triples(extra_graphs))
    store = None
    if isinstance(data, ox.Store):
        own = store_triples(data, all_graphs=bool(extra))
        store = None if extra else data  # the store holds exactly these triples: the engine may query it
    else:
        own = list(reader.triples(data, sources))
    if not allow_empty:
        _check_not_empty(own, sources, bundled=shapes is None and shapes_dir is None)
    triples = own + extra
    with no_gc():  # the indexes are many small acyclic objects
        graph = Graph(triples)  # grouped by predicate once, for the engine and the results
        try:
            raw, used = _run(engine, shapes_graph, triples, store, graph)
        except ShapesError as exc:  # met on the data (a recursion): name the shapes files if it does not
            if exc.file:
                raise
            raise ShapesError(exc.message, file=", ".join(shapes_graph.names) or None) from None
        return ValidationReport(finish(graph, raw), engine=used, data_sources=tuple(sources))


def _check_not_empty(data: list[Triple], sources: list[str], *, bundled: bool) -> None:
    """Refuse data with no triples, or, for the bundled shapes, with no union (see :func:`validate`)."""
    where = ", ".join(sources) or None
    if not data:
        raise LodError(
            "no data: no triples to validate (allow_empty / --allow-empty to validate it anyway)", file=where
        )
    # from the end: a build's graph is sorted by subject, and the unions' IRIs (.../union/...) come last
    if bundled and not any(t.object == UNION_CLASS and t.predicate == RDF_TYPE for t in reversed(data)):
        raise LodError(
            f"no data: no {display_term(UNION_CLASS)} to validate (allow_empty / --allow-empty to validate it anyway)",
            file=where,
        )


def _run(
    engine: str, shapes: Shapes, data: list[Triple], store: ox.Store | None, graph: Graph
) -> tuple[list[RawResult], str]:
    """The raw results of the engine, and which engines made them (``fast``, ``pyshacl`` or both);
    ``graph``: the same triples as a :class:`~.fast.index.Graph`."""
    if engine == "pyshacl":
        return run_pyshacl(data, shapes.triples, shapes.names), "pyshacl"
    fast = shapes.fast()
    if engine == "fast" and fast.unsupported:
        raise _refusal(fast.unsupported, shapes)
    slow = list(fast.unsupported)  # and the shapes the fast engine cannot evaluate faithfully on these data
    supported = [s for s in targeted_shapes(shapes.triples) if s not in {u.shape for u in slow}]
    raw = fast.run(graph, store=store, skipped=slow) if supported else []
    if not slow:
        return raw, "fast"
    if engine == "fast":
        raise _refusal(slow, shapes)
    progress.warn(
        f"the fast SHACL engine does not support {len(slow)} shape(s) ({_describe(slow)}); validating them with pySHACL"
    )
    slow_shapes = {u.shape for u in slow}
    reference = run_pyshacl(data, reduced_shapes(shapes.triples, slow_shapes), shapes.names)
    if all(s in slow_shapes for s in supported):
        return reference, "pyshacl"
    return raw + reference, "fast+pyshacl"


def _describe(unsupported: list[UnsupportedFeature], most: int = 3) -> str:
    parts = [f"{u.feature} in shape {display_term(u.shape)}" for u in unsupported[:most]]
    return "; ".join(parts) + (f"; and {len(unsupported) - most} more" if len(unsupported) > most else "")


def _refusal(unsupported: list[UnsupportedFeature], shapes: Shapes) -> LodError:
    first = unsupported[0]
    more = f" (and {len(unsupported) - 1} more shape(s))" if len(unsupported) > 1 else ""
    return LodError(
        f"shape {display_term(first.shape)} uses {first.feature}, which the fast engine does not implement{more}; "
        "--engine auto validates such shapes with pySHACL",
        file=shapes.file_of(first.shape),
    )
