"""What an Oxigraph store changes in the data's literals, and which SPARQL queries could tell.

A store keeps literals in a canonical form: ``"4.0"^^xsd:decimal`` as ``"4"``, ``"01"^^xsd:integer``
as ``"1"``, ``"300"^^xsd:byte`` as ``"300"^^xsd:integer``, ``"PT24H"`` as ``"P1D"``. A query over
the store still sees the data exactly when, among the literals it can meet (the objects of the
predicates it names, of every predicate if it has a variable predicate):

- no literal is ill-formed (the store would give it a value the data does not have);
- no two different literals become one term (joins, DISTINCT, GROUP BY and counts would merge them);
- no function reads the lexical form (STR, REGEX, CONCAT, sameTerm, ...) of a variable that can
  hold a literal the store rewrote (an object of a predicate that has such literals, or a variable
  assigned from one), nor its datatype (DATATYPE) when the store changed the datatype.

Then the store's terms correspond one to one with the data's, and the solutions are mapped back
(:meth:`Canonical.mapping`). Otherwise the query is :class:`Unfaithful`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from ...vocab import RDF, XSD
from ..terms import Term
from .index import Graph
from .sparql_parse import ANY
from .sparql_text import Query
from .xsd import well_formed

UNCHANGED_DATATYPES = {XSD + "string", RDF + "langString"}
LEXICAL_FUNCTIONS = {
    *"STR STRLEN SUBSTR UCASE LCASE STRSTARTS STRENDS CONTAINS STRBEFORE STRAFTER".split(),
    *"ENCODE_FOR_URI CONCAT REPLACE REGEX MD5 SHA1 SHA256 SHA384 SHA512 SAMETERM GROUP_CONCAT".split(),
}


class Unfaithful(Exception):
    """The store cannot evaluate this query on these data exactly as written."""


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


class Canonical:
    """The canonical forms of the literals of a data graph (and of the shapes graph), found once."""

    def __init__(self, data: Graph, shapes: Graph) -> None:
        self.data = data
        self.shapes = shapes
        self._forms: dict[Literal, Literal] = {}
        self._rewrites: dict[tuple[frozenset[NamedNode], bool], _Rewrite] = {}
        self._typed_cache: dict[tuple[int, NamedNode], tuple[list[Literal], bool]] = {}

    def find(self, literals: Iterable[Literal]) -> None:
        todo = [lit for lit in dict.fromkeys(literals) if lit not in self._forms]
        self._forms.update(zip(todo, canonical_forms(todo), strict=True))

    def changes(self, term: Term) -> bool:
        """Whether a store keeps ``term`` as another term."""
        if not isinstance(term, Literal) or term.datatype.value in UNCHANGED_DATATYPES:
            return False
        self.find([term])
        return self._forms[term] != term

    def mapping(self, query: Query, with_shapes: bool) -> dict[Literal, Literal]:
        """store term -> data term for the literals the store rewrites that ``query`` can meet (in the
        data, and in the shapes graph if the query reads it); Unfaithful if the query could tell."""
        graphs = [g for g in ([self.data, self.shapes] if with_shapes else [self.data]) if not g.canonical]
        if not graphs:
            return {}
        if query.variable_predicate:
            predicates = frozenset(p for g in graphs for p in g.predicates)
        else:
            predicates = frozenset(p for p in map(NamedNode, query.iris) if any(p in g.predicates for g in graphs))
        key = (predicates, with_shapes)
        if key not in self._rewrites:
            self._rewrites[key] = self._rewrite(graphs, predicates)
        rewrite = self._rewrites[key]
        if rewrite.back:
            _check_functions(query, rewrite)
        return rewrite.back

    def _typed(self, g: Graph, p: NamedNode) -> tuple[list[Literal], bool]:
        """The literals of ``p`` in ``g`` a store could rewrite, and whether it rewrites any."""
        key = (id(g), p)
        found = self._typed_cache.get(key)
        if found is None:
            literals = [
                o
                for o in g.distinct_objects(p)
                if isinstance(o, Literal) and o.datatype.value not in UNCHANGED_DATATYPES
            ]
            self.find(literals)
            found = self._typed_cache[key] = (literals, any(self._forms[lit] != lit for lit in literals))
        return found

    def _rewrite(self, graphs: list[Graph], predicates: frozenset[NamedNode]) -> _Rewrite:
        out = _Rewrite({}, set(), set())
        typed = [(p, self._typed(g, p)) for g in graphs for p in predicates]
        if not any(rewrites for _p, (_lits, rewrites) in typed):
            return out  # two literals can become one term only if one of them is rewritten
        literals: dict[Literal, set[str]] = {}
        for p, (lits, _rewrites) in typed:
            for lit in lits:
                literals.setdefault(lit, set()).add(p.value)
        by_form: dict[Literal, list[Literal]] = {}
        for lit in literals:
            by_form.setdefault(self._forms[lit], []).append(lit)
        for form, found in by_form.items():
            if len(found) > 1:
                raise Unfaithful(f"the data has {found[0]} and {found[1]}, which a store would keep as one term {form}")
            lit = found[0]
            if form == lit:
                continue
            if not well_formed(lit):
                where = sorted(literals[lit])[0]
                raise Unfaithful(f"the value {lit} of <{where}> is ill-formed, and a store would read it as {form}")
            out.back[form] = lit
            out.predicates |= literals[lit]
            if form.datatype != lit.datatype:
                out.retyped |= literals[lit]
        return out


@dataclass
class _Rewrite:
    back: dict[Literal, Literal]  # store term -> data term
    predicates: set[str]  # the predicates with rewritten literals among their objects
    retyped: set[str]  # those where the store changes the datatype too


def _reaching(query: Query, predicates: set[str]) -> set[str]:
    """The variables that can hold an object of one of ``predicates`` (directly or through AS)."""
    found = {v for v, ps in query.object_predicates.items() if ANY in ps or ps & predicates}
    grew = True
    while grew:
        grew = False
        for sources, target in query.flows:
            if target not in found and sources & found:
                found.add(target)
                grew = True
    return found


def _check_functions(query: Query, rewrite: _Rewrite) -> None:
    """Unfaithful if the query reads the lexical form (or the changed datatype) of a rewritten literal."""
    reaching = _reaching(query, rewrite.predicates)
    for name in sorted(LEXICAL_FUNCTIONS):
        seen = query.call_args.get(name, set()) & reaching
        if seen:
            raise Unfaithful(
                f"{name}() of ?{sorted(seen)[0]} would see a literal as a store would rewrite it ({_example(rewrite)})"
            )
    if rewrite.retyped:
        seen = query.call_args.get("DATATYPE", set()) & _reaching(query, rewrite.retyped)
        if seen:
            raise Unfaithful(
                f"DATATYPE() of ?{sorted(seen)[0]} would see the datatype a store would give ({_example(rewrite)})"
            )


def _example(rewrite: _Rewrite) -> str:
    form, lit = next(iter(rewrite.back.items()))
    return f"{lit} read as {form}"
