"""A graph indexed for the SHACL engine, its terms as they are.

:class:`Graph` is a list of triples as parsed (the data's own terms: ``"4.0"^^xsd:decimal`` and
``"4.00"^^xsd:decimal`` stay two values, ``"300"^^xsd:byte`` keeps its datatype), grouped by
predicate once. :class:`StoreGraph` is the content of an Oxigraph store, read one predicate at a
time when a check needs it (its terms are the store's, already canonical). Both build, for each
predicate asked for, subject -> objects and object -> subjects (in the order of the triples,
without duplicates).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import pyoxigraph as ox
from pyoxigraph import NamedNode, Triple

from ..terms import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, Term
from .model import ShapesError

SUBCLASS_OF = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")

_Index = dict[Term, dict[Term, None]]  # key -> ordered set of terms
_EMPTY: dict[Term, None] = {}


class Graph:
    """The triples of one graph, with lazily built indexes."""

    #: True when the terms are already those an Oxigraph store keeps (nothing for a store to rewrite)
    canonical = False

    def __init__(self, triples: Iterable[Triple] = ()) -> None:
        by_predicate: dict[NamedNode, list[Triple]] = {}
        for t in triples:
            by_predicate.setdefault(t.predicate, []).append(t)
        self._by_predicate = by_predicate
        self._out: dict[NamedNode, _Index] = {}
        self._in: dict[NamedNode, _Index] = {}
        self._subject_index: dict[Term, list[tuple[NamedNode, Term]]] | None = None
        self._superclasses: dict[Term, frozenset[Term]] = {}
        self._instances: dict[Term, dict[Term, None]] = {}
        self._objects_of: dict[NamedNode, list[Term]] = {}

    @property
    def predicates(self) -> Collection[NamedNode]:
        return self._by_predicate.keys()

    def triples(self, predicate: NamedNode | None = None) -> Iterable[Triple]:
        """The triples (of one predicate)."""
        if predicate is not None:
            return self._by_predicate.get(predicate, ())
        return (t for group in self._by_predicate.values() for t in group)

    def out_index(self, p: NamedNode) -> _Index:
        """subject -> objects of ``p``."""
        index = self._out.get(p)
        if index is None:
            index = {}
            for t in self.triples(p):
                index.setdefault(t.subject, {})[t.object] = None
            self._out[p] = index
        return index

    def in_index(self, p: NamedNode) -> _Index:
        """object -> subjects of ``p``."""
        index = self._in.get(p)
        if index is None:
            index = {}
            for t in self.triples(p):
                index.setdefault(t.object, {})[t.subject] = None
            self._in[p] = index
        return index

    def distinct_objects(self, p: NamedNode) -> Collection[Term]:
        """Every object of ``p`` (from its index when there is one already)."""
        index = self._in.get(p)
        if index is not None:
            return index.keys()
        found = self._objects_of.get(p)
        if found is None:
            found = self._objects_of[p] = list(dict.fromkeys(t.object for t in self.triples(p)))
        return found

    def distinct_subjects(self, p: NamedNode) -> Collection[Term]:
        """Every subject of ``p``."""
        index = self._out.get(p)
        if index is not None:
            return index.keys()
        return dict.fromkeys(t.subject for t in self.triples(p)).keys()

    def objects(self, s: Term, p: NamedNode) -> Collection[Term]:
        return self.out_index(p).get(s, _EMPTY).keys()

    def subjects(self, p: NamedNode, o: Term) -> Collection[Term]:
        return self.in_index(p).get(o, _EMPTY).keys()

    def value(self, s: Term, p: NamedNode) -> Term | None:
        """The first object of ``p`` on ``s`` (None if there is none)."""
        return next(iter(self.objects(s, p)), None)

    def outgoing(self, s: Term) -> list[tuple[NamedNode, Term]]:
        """Every (predicate, object) of the subject ``s``."""
        if self._subject_index is None:
            index: dict[Term, dict[tuple[NamedNode, Term], None]] = {}
            for t in self.triples():
                index.setdefault(t.subject, {})[(t.predicate, t.object)] = None
            self._subject_index = {s: list(po) for s, po in index.items()}
        return self._subject_index.get(s, [])

    def rdf_list(self, head: Term) -> list[Term]:
        """The members of the RDF list starting at ``head``; ShapesError if it is not a well-formed list."""
        items: list[Term] = []
        node, seen = head, set()
        while node != RDF_NIL:
            if node in seen:
                raise ShapesError(f"cyclic RDF list at {node}")
            seen.add(node)
            first, rest = list(self.objects(node, RDF_FIRST)), list(self.objects(node, RDF_REST))
            if len(first) != 1 or len(rest) != 1:
                raise ShapesError(f"not a well-formed RDF list: {head}")
            items.append(first[0])
            node = rest[0]
        return items

    # --- classes -------------------------------------------------------------------------------

    def superclasses(self, cls: Term) -> frozenset[Term]:
        """``cls`` and every class it is a subclass of (``rdfs:subClassOf*``, cycles included)."""
        found = self._superclasses.get(cls)
        if found is None:
            seen = {cls}
            todo = [cls]
            while todo:
                for sup in self.objects(todo.pop(), SUBCLASS_OF):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            found = frozenset(seen)
            self._superclasses[cls] = found
        return found

    def is_instance(self, node: Term, cls: Term) -> bool:
        """``node rdf:type/rdfs:subClassOf* cls`` (a SHACL instance)."""
        return node in self._instances_of(cls)

    def instances(self, cls: Term) -> list[Term]:
        """Every SHACL instance of ``cls``, in the order of the triples."""
        return list(self._instances_of(cls))

    def _instances_of(self, cls: Term) -> dict[Term, None]:
        found = self._instances.get(cls)
        if found is None:
            classes = {cls: None}
            todo = [cls]
            while todo:
                for sub in self.subjects(SUBCLASS_OF, todo.pop()):
                    if sub not in classes:
                        classes[sub] = None
                        todo.append(sub)
            found = {}
            for c in classes:
                found.update(dict.fromkeys(self.subjects(RDF_TYPE, c)))
            self._instances[cls] = found
        return found


class StoreGraph(Graph):
    """The default graph of an Oxigraph store (or the union of its graphs), looked up in the store
    as the checks need it: nothing is copied that no check needs."""

    canonical = True

    def __init__(self, store: ox.Store, union: bool = False) -> None:
        super().__init__()
        self.store = store
        self._graph = None if union else ox.DefaultGraph()
        self._predicates: list[NamedNode] | None = None

    @property
    def predicates(self) -> Collection[NamedNode]:
        if self._predicates is None:
            rows = self.store.query(
                "SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=self._graph is None
            )
            assert isinstance(rows, ox.QuerySolutions)
            self._predicates = [row["p"] for row in rows]
        return self._predicates

    def triples(self, predicate: NamedNode | None = None) -> Iterable[Triple]:
        return (q.triple for q in self.store.quads_for_pattern(None, predicate, None, self._graph))

    def objects(self, s: Term, p: NamedNode) -> Collection[Term]:
        index = self._out.get(p)
        if index is not None:
            return index.get(s, _EMPTY).keys()
        if isinstance(s, ox.Literal):
            return ()
        return dict.fromkeys(q.object for q in self.store.quads_for_pattern(s, p, None, self._graph)).keys()

    def subjects(self, p: NamedNode, o: Term) -> Collection[Term]:
        index = self._in.get(p)
        if index is not None:
            return index.get(o, _EMPTY).keys()
        return dict.fromkeys(q.subject for q in self.store.quads_for_pattern(None, p, o, self._graph)).keys()

    def outgoing(self, s: Term) -> list[tuple[NamedNode, Term]]:
        if isinstance(s, ox.Literal):
            return []
        found = {(q.predicate, q.object): None for q in self.store.quads_for_pattern(s, None, None, self._graph)}
        return list(found)
