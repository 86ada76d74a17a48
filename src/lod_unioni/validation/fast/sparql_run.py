"""Running SHACL-SPARQL queries on an Oxigraph store, faithfully to the data's own terms.

A store canonicalises literals (``"4.0"^^xsd:decimal`` is stored as ``"4"``, ``"300"^^xsd:byte``
as ``"300"^^xsd:integer``), which a query could see. :class:`SparqlRunner` therefore finds the data
literals the store changes, and refuses (:class:`Unfaithful`) to run a query that could meet them:
one that uses a predicate of such a triple, a variable predicate or a negated property set, or is
pre-bound to such a literal. Every other query sees exactly the data's terms, so its solutions are
the data's own terms.

Pre-bound values are written into the query (:func:`.prebinding.substitute`), blank nodes are
given to Oxigraph as substitutions; a query that :func:`.prebinding.batchable` allows runs once for
all the focus nodes (in chunks), joined with ``VALUES ?this``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ...vocab import RDF, XSD
from ..terms import Term, sparql_term
from .index import Graph
from .model import ShapesError
from .prebinding import blank_node_safe, substitute
from .sparql_text import Query

#: The name of the shapes graph in the store, the value of ``$shapesGraph``.
SHAPES_GRAPH = NamedNode("urn:x-lod-unioni:validation:shapes-graph")
CHUNK = 2000  # focus nodes per batched query
_UNCHANGED_DATATYPES = {XSD + "string", RDF + "langString"}


class Unfaithful(Exception):
    """The store cannot evaluate this query on these data exactly as written."""


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


def canonical_forms(literals: Sequence[Literal]) -> list[Literal]:
    """The literals as an Oxigraph store keeps them (same order)."""
    store = ox.Store()
    p = NamedNode("urn:x-lod-unioni:p")
    store.extend(ox.Quad(NamedNode(f"urn:x-lod-unioni:{i}"), p, lit) for i, lit in enumerate(literals))
    out: list[Literal] = list(literals)
    for q in store:
        assert isinstance(q.object, Literal)
        out[int(q.subject.value.rsplit(":", 1)[1])] = q.object
    return out


class SparqlRunner:
    """The SPARQL side of one validation run."""

    def __init__(
        self,
        data: Graph,
        shapes: Sequence[Triple],
        store: ox.Store | None = None,
        union_default_graph: bool = False,
    ) -> None:
        self.data = data
        self.shapes = shapes
        self._given = store
        self._union = union_default_graph
        self._store: ox.Store | None = None
        self._with_shapes: ox.Store | None = None
        self._canonical: dict[Literal, Literal] = {}
        self._changed_predicates: dict[NamedNode, bool] = {}

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
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in self.data.triples())
        if with_shapes:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, SHAPES_GRAPH) for t in self.shapes)
        return store

    def canonical(self, literals: Iterable[Literal]) -> None:
        """Find (once) how a store keeps each of these literals."""
        todo = [lit for lit in dict.fromkeys(literals) if lit not in self._canonical]
        self._canonical.update(zip(todo, canonical_forms(todo), strict=True))

    def changes(self, term: Term) -> bool:
        """Whether a store keeps ``term`` (a data literal) as another term."""
        if not isinstance(term, Literal) or term.datatype.value in _UNCHANGED_DATATYPES:
            return False
        self.canonical([term])
        return self._canonical[term] != term

    def _changed_under(self, predicate: NamedNode) -> bool:
        """Whether a store changes an object of ``predicate`` in the data."""
        found = self._changed_predicates.get(predicate)
        if found is None:
            literals = [
                o
                for o in self.data.distinct_objects(predicate)
                if isinstance(o, Literal) and o.datatype.value not in _UNCHANGED_DATATYPES
            ]
            self.canonical(literals)
            found = self._changed_predicates[predicate] = any(self._canonical[lit] != lit for lit in literals)
        return found

    def check_faithful(self, query: Query) -> None:
        """Unfaithful if the query could meet a data literal that a store changes."""
        if query.variable_predicate:
            touched = [p for p in self.data.predicates if self._changed_under(p)]
            if touched:
                raise Unfaithful(
                    f"a variable predicate, and the values of <{touched[0].value}> include literals a store "
                    'changes (e.g. "4.0"^^xsd:decimal read as "4")'
                )
            return
        for iri in sorted(query.iris):
            p = NamedNode(iri)
            if p in self.data.predicates and self._changed_under(p):
                raise Unfaithful(f'the values of <{iri}> include literals a store changes (e.g. "4.0" read as "4")')

    # --- queries -------------------------------------------------------------------------------

    def select(self, bound: Bound, focus_nodes: Sequence[Term]) -> Iterator[tuple[Term, dict[str, Term]]]:
        """(focus node, solution) of a SELECT query pre-bound to each focus node."""
        query = bound.prepared.query
        self.check_faithful(query)
        texts, substitutions = self._constants(bound, query)
        self.canonical(
            f for f in focus_nodes if isinstance(f, Literal) and f.datatype.value not in _UNCHANGED_DATATYPES
        )
        batch: list[Term] = [
            f for f in focus_nodes if isinstance(f, NamedNode) or (isinstance(f, Literal) and not self.changes(f))
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
        self.check_faithful(query)
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
        elif self.changes(term):
            raise Unfaithful(f"${name} is pre-bound to {term}, which a store would change")
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
            yield {n: row[n] for n in names if row[n] is not None}
