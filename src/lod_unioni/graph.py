"""The graph: a sorted, duplicate-free list of :class:`pyoxigraph.Triple`, and its conversions.

The mappings produce plain lists of pyoxigraph triples (:func:`no_gc` while they are built);
:func:`sort_triples` puts them in the canonical order of the dumps; SPARQL and the fast validator
want a :class:`pyoxigraph.Store` (:func:`to_store`); the writers want bytes (:func:`to_bytes`);
tests and pySHACL want an :class:`rdflib.Graph` (:func:`to_rdflib`, which imports rdflib only
when it is called).
"""

from __future__ import annotations

import bisect
import contextlib
import gc
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Triple

from .vocab import RDF, XSD

if TYPE_CHECKING:
    import rdflib

__all__ = ["Term", "merge_sorted", "no_gc", "sort_triples", "to_bytes", "to_rdflib", "to_rdflib_term", "to_store"]

#: An RDF term as pyoxigraph gives it: an IRI, a blank node, a literal or a quoted triple.
Term = NamedNode | BlankNode | Literal | Triple

_XSD_STRING = XSD + "string"
_RDF_TYPE = RDF + "type"


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects (much faster)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    """Triples without duplicates, in the canonical order of the dumps."""
    with no_gc():
        return _sort_triples(triples)


def _key(t: Triple) -> tuple[str, bool, str, str]:
    # Subjects by IRI (a resource before its sub-resources: ".../069015" < ".../069015/..."),
    # blank nodes last; rdf:type first within a subject.
    return (
        t.subject.value if isinstance(t.subject, NamedNode) else "\U0010ffff" + _node_id(t.subject),
        t.predicate.value != _RDF_TYPE,
        t.predicate.value,
        str(t.object),
    )


def _sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    unique = dict.fromkeys(triples)
    keyed = [(*_key(t), t) for t in unique]
    keyed.sort(key=lambda k: k[:4])
    return [k[4] for k in keyed]


def merge_sorted(triples: Sequence[Triple], extra: Iterable[Triple]) -> list[Triple]:
    """``triples`` (in the order of :func:`sort_triples`) with a few ``extra`` ones put in their
    place, without duplicates: the same list as ``sort_triples([*triples, *extra])``, without
    sorting ``triples`` again."""
    out = list(triples)
    for t in sort_triples(extra):
        key = _key(t)
        i = bisect.bisect_left(out, key, key=_key)
        while i < len(out) and _key(out[i]) == key:
            if out[i] == t:
                break
            i += 1
        else:
            out.insert(i, t)
    return out


def _node_id(node: BlankNode | Triple) -> str:
    """A blank node's id; a quoted triple (RDF-star subject) as N-Triples."""
    return node.value if isinstance(node, BlankNode) else str(node)


def to_store(triples: Iterable[Triple], store: pyoxigraph.Store | None = None) -> pyoxigraph.Store:
    """Load triples into the default graph of an (in-memory, unless given) Oxigraph store, in bulk."""
    store = store if store is not None else pyoxigraph.Store()
    graph = DefaultGraph()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def to_bytes(triples: Iterable[Triple], format: RdfFormat, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples serialised in ``format`` (with ``prefixes`` for Turtle), in the order given."""
    if prefixes is None:
        data = pyoxigraph.serialize(triples, format=format)
    else:
        data = pyoxigraph.serialize(triples, format=format, prefixes=prefixes)
    if data is None:  # pyoxigraph returns None only when it writes to an output
        raise RuntimeError("pyoxigraph.serialize returned no bytes")
    return data


def to_rdflib_term(term: Term, exact: bool = False) -> rdflib.term.Identifier:
    """A pyoxigraph term as the equal rdflib term (plain literals have no datatype in rdflib); a
    quoted triple has none: TypeError. ``exact``: literals keep their lexical form (rdflib
    otherwise normalises some, ``"01"^^xsd:integer`` to ``"1"``)."""
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        normalize = False if exact else None
        if term.language:
            return rdflib.Literal(term.value, lang=term.language, normalize=normalize)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib.Literal(term.value, normalize=normalize)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype), normalize=normalize)
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"cannot convert {term!r} to rdflib")


def to_rdflib(triples: Iterable[Triple], graph: rdflib.Graph | None = None, exact: bool = False) -> rdflib.Graph:
    """Triples as an :class:`rdflib.Graph` (for tests and pySHACL); ``exact``: see :func:`to_rdflib_term`."""
    import rdflib

    g = graph if graph is not None else rdflib.Graph()
    cache: dict[Term, rdflib.term.Identifier] = {}
    for t in triples:
        s = cache.get(t.subject)
        if s is None:
            s = cache[t.subject] = to_rdflib_term(t.subject, exact)
        p = cache.get(t.predicate)
        if p is None:
            p = cache[t.predicate] = to_rdflib_term(t.predicate, exact)
        g.add((s, p, to_rdflib_term(t.object, exact)))
    return g
