"""Running SHACL-SPARQL queries on an Oxigraph store, faithfully to the data's own terms.

A store canonicalises literals (``"4.0"^^xsd:decimal`` is stored as ``"4"``): a query that could
see the difference is not run (:mod:`.faithful`, :class:`~.faithful.Unfaithful`), nor one pre-bound
to such a literal; the solutions of the others are mapped back to the data's own terms.

Pre-bound values are written into the query (:func:`.prebinding.substitute`), blank nodes are
given to Oxigraph as substitutions; a query that :func:`.prebinding.batchable` allows runs once for
all the focus nodes (in chunks), joined with ``VALUES ?this``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..terms import Term, sparql_term
from .faithful import Canonical, Unfaithful
from .index import Graph
from .model import ShapesError
from .prebinding import blank_node_safe, substitute
from .sparql_text import Query

#: The name of the shapes graph in the store, the value of ``$shapesGraph``.
SHAPES_GRAPH = NamedNode("urn:x-lod-unioni:validation:shapes-graph")
CHUNK = 2000  # focus nodes per batched query


@dataclass(eq=False)
class Prepared:
    """A SHACL-SPARQL query ready to run: parsed, checked, with its messages."""

    source: Term  # the SPARQL constraint or the validator
    query: Query
    batchable: bool
    messages: list[Literal] = field(default_factory=list)

    @property
    def uses_shapes_graph(self) -> bool:
        return any(t.kind == "var" and t.name == "shapesGraph" for t in self.query.tokens)


@dataclass(eq=False)
class Bound:
    """One SPARQL-based constraint: a prepared query and the values pre-bound besides ``$this``."""

    prepared: Prepared
    constants: dict[str, Term]
    source_constraint: Term | None = None  # reported as sh:sourceConstraint (sh:sparql)
    messages: list[Literal] = field(default_factory=list)


class SparqlRunner:
    """The SPARQL side of one validation run."""

    def __init__(
        self,
        data: Graph,
        shapes: Sequence[Triple],
        store: ox.Store | None = None,
        union_default_graph: bool = False,
        *,
        predicates: frozenset[str] | None = None,
    ) -> None:
        self.data = data
        self.shapes = shapes
        self.predicates = predicates  # the predicates the queries can match (None: any)
        self._given = store
        self._union = union_default_graph
        self._store: ox.Store | None = None
        self._with_shapes: ox.Store | None = None
        self.canonical = Canonical(data, Graph(shapes))

    # --- stores --------------------------------------------------------------------------------

    def store(self, with_shapes: bool = False) -> ox.Store:
        """The data in the default graph (and the shapes graph in :data:`SHAPES_GRAPH` if asked)."""
        if not with_shapes:
            if self._given is not None:
                return self._given
            if self._store is None:
                self._store = self._build(False)
            return self._store
        if self._with_shapes is None:
            self._with_shapes = self._build(True)
        return self._with_shapes

    def _build(self, with_shapes: bool) -> ox.Store:
        """A store of the data triples the queries can match: those of :attr:`predicates` only, when
        every query names its predicates (a triple pattern, or a path of IRIs, with a constant
        predicate matches only triples of that predicate), else all of them."""
        store = ox.Store()
        if self.predicates is None:
            triples: Iterable[Triple] = self.data.triples()
        else:
            wanted = [p for p in self.data.predicates if p.value in self.predicates]
            triples = (t for p in wanted for t in self.data.triples(p))
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        if with_shapes:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, SHAPES_GRAPH) for t in self.shapes)
        return store

    # --- queries -------------------------------------------------------------------------------

    def select(self, bound: Bound, focus_nodes: Sequence[Term]) -> Iterator[tuple[Term, dict[str, Term]]]:
        """(focus node, solution) of a SELECT query pre-bound to each focus node."""
        query = bound.prepared.query
        back = self.canonical.mapping(query, bound.prepared.uses_shapes_graph)
        for focus, row in self._select(bound, focus_nodes):
            if back:
                row = {k: back.get(v, v) if isinstance(v, Literal) else v for k, v in row.items()}
            yield focus, row

    def _select(self, bound: Bound, focus_nodes: Sequence[Term]) -> Iterator[tuple[Term, dict[str, Term]]]:
        query = bound.prepared.query
        texts, substitutions = self._constants(bound, query)
        self.canonical.find(f for f in focus_nodes if isinstance(f, Literal))
        batch: list[Term] = [
            f
            for f in focus_nodes
            if isinstance(f, NamedNode) or (isinstance(f, Literal) and not self.canonical.changes(f))
        ]
        if bound.prepared.batchable and not substitutions and len(batch) > 1:
            yield from self._batched(bound, texts, batch)
            batched = set(batch)
            single = [f for f in focus_nodes if f not in batched]
        else:
            single = list(focus_nodes)
        for focus in single:
            yield from ((focus, row) for row in self._run_one(bound, texts, substitutions, focus))

    def _batched(self, bound: Bound, texts: dict[str, str], batch: list[Term]) -> Iterator[tuple[Term, dict]]:
        query = bound.prepared.query
        store = self.store(bound.prepared.uses_shapes_graph)
        for start in range(0, len(batch), CHUNK):
            chunk = batch[start : start + CHUNK]
            text = substitute(query, texts, values=("this", [sparql_term(f) for f in chunk]), project=("this",))
            for row in self._solutions(store, text, None):
                focus = row.get("this")
                if focus is not None:
                    yield focus, row

    def _run_one(
        self, bound: Bound, texts: dict[str, str], substitutions: dict[str, Term], focus: Term
    ) -> Iterator[dict[str, Term]]:
        query = bound.prepared.query
        texts, substitutions = dict(texts), dict(substitutions)
        self._bind(query, "this", focus, texts, substitutions)
        text = substitute(query, texts, project=tuple(substitutions))
        store = self.store(bound.prepared.uses_shapes_graph)
        for row in self._solutions(store, text, substitutions):
            row.pop("this", None)
            yield row

    def ask(self, bound: Bound, bindings: dict[str, Term]) -> bool:
        """The answer of an ASK query pre-bound to ``bindings`` (``this``, ``value``)."""
        query = bound.prepared.query
        self.canonical.mapping(query, bound.prepared.uses_shapes_graph)
        texts, substitutions = self._constants(bound, query)
        for name, term in bindings.items():
            self._bind(query, name, term, texts, substitutions)
        text = substitute(query, texts)
        return bool(self._query(self.store(bound.prepared.uses_shapes_graph), text, substitutions))

    def _constants(self, bound: Bound, query: Query) -> tuple[dict[str, str], dict[str, Term]]:
        texts: dict[str, str] = {}
        substitutions: dict[str, Term] = {}
        if bound.prepared.uses_shapes_graph:
            texts["shapesGraph"] = sparql_term(SHAPES_GRAPH)
        for name, term in bound.constants.items():
            if name in query.var_names:
                self._bind(query, name, term, texts, substitutions)
        return texts, substitutions

    def _bind(self, query: Query, name: str, term: Term, texts: dict[str, str], subs: dict[str, Term]) -> None:
        if isinstance(term, BlankNode):
            if not blank_node_safe(query, name):
                raise Unfaithful(f"a blank node pre-bound to ${name}, used in an expression")
            subs[name] = term
        elif self.canonical.changes(term):
            raise Unfaithful(f"${name} is pre-bound to {term}, which a store would rewrite")
        else:
            texts[name] = sparql_term(term)

    def _query(
        self, store: ox.Store, text: str, substitutions: dict[str, Term] | None
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return store.query(
                text,
                substitutions={ox.Variable(k): v for k, v in substitutions.items()} if substitutions else None,
                use_default_graph_as_union=self._union and store is self._given,
            )
        except (SyntaxError, RuntimeError) as exc:  # the query as pre-bound here: a bug, say which query
            raise ShapesError(f"query not accepted by Oxigraph ({exc}): {' '.join(text.split())}") from None

    def _solutions(self, store: ox.Store, text: str, substitutions: dict[str, Term] | None) -> Iterator[dict]:
        solutions = self._query(store, text, substitutions)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT query (checked when prepared)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            yield {n: v for n, v in zip(names, row, strict=True) if v is not None}
