"""A graph as parsed (its terms unchanged), indexed for the SHACL engine.

Both the data graph and the shapes graph are a :class:`Graph`: the triples grouped by predicate
once, then for each predicate asked for, subject -> objects and object -> subjects (in the order
of the triples, without duplicates). Nothing is canonicalised: ``"4.0"^^xsd:decimal`` and
``"4.00"^^xsd:decimal`` stay two values, ``"300"^^xsd:byte`` keeps its datatype.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from pyoxigraph import NamedNode, Triple

from ..terms import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, Term
from .model import ShapesError

SUBCLASS_OF = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")

_Index = dict[Term, dict[Term, None]]  # key -> ordered set of terms
_EMPTY: dict[Term, None] = {}


class Graph:
    """The triples of one graph, with lazily built indexes."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        by_predicate: dict[NamedNode, list[Triple]] = {}
        for t in triples:
            by_predicate.setdefault(t.predicate, []).append(t)
        self._by_predicate = by_predicate
        self._out: dict[NamedNode, _Index] = {}
        self._in: dict[NamedNode, _Index] = {}
        self._subject_index: dict[Term, list[tuple[NamedNode, Term]]] | None = None
        self._superclasses: dict[Term, frozenset[Term]] = {}
        self._instances: dict[Term, dict[Term, None]] = {}

    @property
    def predicates(self) -> Collection[NamedNode]:
        return self._by_predicate.keys()

    def triples(self, predicate: NamedNode | None = None) -> Iterable[Triple]:
        """The triples (of one predicate)."""
        if predicate is not None:
            yield from self._by_predicate.get(predicate, ())
            return
        for group in self._by_predicate.values():
            yield from group

    def __len__(self) -> int:
        return sum(len(g) for g in self._by_predicate.values())

    def out_index(self, p: NamedNode) -> _Index:
        """subject -> objects of ``p``."""
        index = self._out.get(p)
        if index is None:
            index = {}
            for t in self._by_predicate.get(p, ()):
                index.setdefault(t.subject, {})[t.object] = None
            self._out[p] = index
        return index

    def in_index(self, p: NamedNode) -> _Index:
        """object -> subjects of ``p``."""
        index = self._in.get(p)
        if index is None:
            index = {}
            for t in self._by_predicate.get(p, ()):
                index.setdefault(t.object, {})[t.subject] = None
            self._in[p] = index
        return index

    def distinct_objects(self, p: NamedNode) -> Collection[Term]:
        """Every object of ``p`` (from its index when there is one already)."""
        index = self._in.get(p)
        if index is not None:
            return index.keys()
        return {t.object for t in self._by_predicate.get(p, ())}

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
            index: dict[Term, list[tuple[NamedNode, Term]]] = {}
            for p, group in self._by_predicate.items():
                seen = set()
                for t in group:
                    key = (t.subject, t.object)
                    if key not in seen:
                        seen.add(key)
                        index.setdefault(t.subject, []).append((p, t.object))
            self._subject_index = index
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
            out = self.out_index(SUBCLASS_OF)
            while todo:
                for sup in out.get(todo.pop(), _EMPTY):
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
            sub_index = self.in_index(SUBCLASS_OF)
            while todo:
                for sub in sub_index.get(todo.pop(), _EMPTY):
                    if sub not in classes:
                        classes[sub] = None
                        todo.append(sub)
            found = {}
            types = self.in_index(RDF_TYPE)
            for c in classes:
                found.update(types.get(c, _EMPTY))
            self._instances[cls] = found
        return found
