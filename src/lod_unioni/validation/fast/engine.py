"""The fast SHACL engine: SHACL Core evaluated in Python on the data's own terms, SHACL-SPARQL on an
Oxigraph store (:mod:`.sparql_run`).

:class:`FastEngine` reads the shapes once; :meth:`FastEngine.run` validates a data graph: the focus
nodes of each shape with targets, each constraint checked on all of them (SPARQL constraints in one
query where the pre-binding rules allow it), nested shapes (``sh:node``, ``sh:property`` on value
nodes, the logical and qualified components) checked per node and memoised. Recursion, which SHACL
1.0 leaves undefined, is detected as it happens: a node checked against a shape while that very
check is under way is a :class:`~.model.ShapesError` (cycles between shapes are fine when the data
does not follow them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode, Triple

from ..terms import PathExpr, Term
from .context import SHAPE_PATH
from .faithful import Unfaithful
from .index import Graph, StoreGraph
from .model import RawResult, Shape, ShapesError, UnsupportedFeature, UnsupportedShapes
from .parse import parse_shapes
from .paths import values
from .sparql_run import Prepared, SparqlRunner


class FastEngine:
    """The shapes of a shapes graph, ready to validate any number of data graphs.

    ``unsupported``: the shapes with targets it does not evaluate (it evaluates all the others);
    ``ignored``: terms of the ``sh:`` namespace it ignored (not SHACL 1.0). Bad shapes raise
    :class:`~.model.ShapesError`.
    """

    def __init__(self, shapes_triples: Sequence[Triple], files: tuple[Path, ...] = ()) -> None:
        self.shapes_triples = list(shapes_triples)
        self.files = files
        parsed = parse_shapes(self.shapes_triples, files)
        self.all_shapes = parsed.all_shapes
        self.ignored = parsed.ignored
        self.sparql_iris = sparql_iris(parsed.queries)
        self.shapes: list[Shape] = []
        self.unsupported: list[UnsupportedFeature] = []
        for shape in parsed.top:
            reason = _unsupported(shape)
            if reason is None:
                self.shapes.append(shape)
            else:
                self.unsupported.append(UnsupportedFeature(shape.node, reason, shape.label))

    def run(
        self,
        data: Sequence[Triple] | Graph | None = None,
        *,
        store: ox.Store | None = None,
        union_default_graph: bool = False,
        skipped: list[UnsupportedFeature] | None = None,
    ) -> list[RawResult]:
        """The results of validating ``data`` (the data's own terms: a parse, not a store; or those
        triples already grouped in a :class:`~.index.Graph`).

        ``store``: a store that already holds exactly these triples (in its default graph, or in
        the union of its graphs with ``union_default_graph``), used for SHACL-SPARQL instead of a
        new one. Without ``data``, the data are the store's content, with the store's terms
        (canonical: ``"4.0"^^xsd:decimal`` is already ``"4"`` there). A shape whose SPARQL
        constraints cannot be evaluated faithfully on these data (see :mod:`.faithful`) is left
        out: it is appended to ``skipped``, or, when ``skipped`` is None,
        :class:`~.model.UnsupportedShapes` is raised.
        """
        files = ", ".join(str(f) for f in self.files) or None
        if data is None:
            if store is None:
                raise ValueError("FastEngine.run needs the data, a store, or both")
            graph: Graph = StoreGraph(store, union_default_graph)
        else:
            graph = data if isinstance(data, Graph) else Graph(data)
        run = Run(graph, self.shapes_triples, store, union_default_graph, files, self.sparql_iris)
        results: list[RawResult] = []
        left_out: list[UnsupportedFeature] = []
        for shape in self.shapes:
            try:
                results.extend(run.validate(shape))
            except Unfaithful as exc:
                left_out.append(UnsupportedFeature(shape.node, str(exc), shape.label))
        if left_out and skipped is None:
            raise UnsupportedShapes(left_out, file=files)
        if skipped is not None:
            skipped.extend(left_out)
        return results


def sparql_iris(queries: Sequence[Prepared]) -> frozenset[str] | None:
    """The IRIs the SPARQL queries of the shapes write (their predicates among them), or None when a
    query has a variable predicate or a negated property set (it can match any predicate)."""
    if any(p.query.variable_predicate for p in queries):
        return None
    return frozenset(iri for p in queries for iri in p.query.iris)


def _unsupported(shape: Shape) -> str | None:
    """Why ``shape`` (or a shape it refers to) cannot be evaluated, or None."""
    seen: set[int] = set()
    todo = [shape]
    while todo:
        s = todo.pop()
        if id(s) in seen:
            continue
        seen.add(id(s))
        if s.unsupported:
            where = "" if s is shape else f" (in the shape {s.label} it refers to)"
            return s.unsupported[0] + where
        for c in s.constraints:
            if c.component.refs is not None:
                todo.extend(c.component.refs(c.args))
    return None


class Run:
    """One validation of one data graph (implements :class:`~.context.Evaluation`)."""

    def __init__(
        self,
        data: Graph,
        shapes: Sequence[Triple],
        store: ox.Store | None,
        union: bool,
        files: str | None,
        sparql_iris: frozenset[str] | None = None,
    ) -> None:
        self._data = data
        self._files = files
        self._sparql = SparqlRunner(data, shapes, store, union, predicates=sparql_iris)
        self._conforms: dict[tuple[Shape, Term], bool] = {}
        self._active: set[tuple[Shape, Term]] = set()

    @property
    def data(self) -> Graph:
        return self._data

    @property
    def sparql(self) -> SparqlRunner:
        return self._sparql

    def focus_nodes(self, shape: Shape) -> list[Term]:
        found: dict[Term, None] = {}
        for kind, term in shape.targets:
            if kind == "node":
                found[term] = None
            elif kind == "class":
                found.update(dict.fromkeys(self._data.instances(term)))
            elif kind == "subjectsOf" and isinstance(term, NamedNode):
                found.update(dict.fromkeys(self._data.distinct_subjects(term)))
            elif kind == "objectsOf" and isinstance(term, NamedNode):
                found.update(dict.fromkeys(self._data.distinct_objects(term)))
        return list(found)

    def validate(self, shape: Shape) -> list[RawResult]:
        """The results of a shape with targets on all its focus nodes."""
        if shape.deactivated:
            return []
        focus_nodes = self.focus_nodes(shape)
        if isinstance(shape.path, NamedNode) and not isinstance(self._data, StoreGraph):
            # the common case, one predicate: its index once (a store is read per node instead)
            index = self._data.out_index(shape.path)
            value_nodes = {f: list(index.get(f, ())) for f in focus_nodes}
        else:
            value_nodes = {f: self.value_nodes(shape, f) for f in focus_nodes}
        out: list[RawResult] = []
        for c in shape.constraints:
            if c.component.batch is not None:
                out.extend(c.component.batch(self, shape, focus_nodes, c.args))
                continue
            for f in focus_nodes:
                out.extend(c.component.check(self, shape, f, value_nodes[f], c.args))
        return out

    def value_nodes(self, shape: Shape, focus: Term) -> list[Term]:
        return [focus] if shape.path is None else values(self._data, shape.path, focus)

    def results(self, shape: Shape, focus: Term) -> list[RawResult]:
        if shape.deactivated:
            return []
        with self._checking(shape, focus):
            vs = self.value_nodes(shape, focus)
            return [r for c in shape.constraints for r in c.component.check(self, shape, focus, vs, c.args)]

    def conforms(self, shape: Shape, node: Term) -> bool:
        key = (shape, node)
        known = self._conforms.get(key)
        if known is not None:
            return known
        if shape.deactivated:
            return True
        with self._checking(shape, node):
            vs = self.value_nodes(shape, node)
            ok = not any(True for c in shape.constraints for _ in c.component.check(self, shape, node, vs, c.args))
        self._conforms[key] = ok
        return ok

    @contextlib.contextmanager
    def _checking(self, shape: Shape, node: Term) -> Iterator[None]:
        key = (shape, node)
        if key in self._active:
            raise self.error(
                shape,
                f"validating {node} against it needs that very validation (a recursive shape: recursion is "
                "undefined in SHACL 1.0)",
            )
        self._active.add(key)
        try:
            yield
        finally:
            self._active.discard(key)

    def error(self, shape: Shape, message: str) -> ShapesError:
        return ShapesError(f"shape {shape.label}: {message}", file=self._files)

    def result(
        self,
        shape: Shape,
        focus: Term,
        component: NamedNode,
        value: Term | None = None,
        *,
        path: PathExpr | tuple | None = SHAPE_PATH,
        messages: Sequence[Literal] | None = None,
        source_constraint: Term | None = None,
    ) -> RawResult:
        return RawResult(
            focus=focus,
            path=shape.path if path is SHAPE_PATH else path,
            value=value,
            severity=shape.severity,
            messages=list(shape.messages if messages is None else messages),
            shape=shape.node,
            component=component,
            source_constraint=source_constraint,
        )
