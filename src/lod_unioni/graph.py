"""Small helpers between lists of :class:`pyoxigraph.Triple` and the two RDF libraries.

The build produces plain lists of pyoxigraph triples; SPARQL and the fast validator want a
:class:`pyoxigraph.Store`; tests and pySHACL want an :class:`rdflib.Graph`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, Triple

from .vocab import XSD

__all__ = ["to_rdflib", "to_rdflib_term", "to_store"]

_XSD_STRING = XSD + "string"


def to_store(triples: Iterable[Triple], store: pyoxigraph.Store | None = None) -> pyoxigraph.Store:
    """Load triples into the default graph of an (in-memory, unless given) Oxigraph store, in bulk."""
    store = store if store is not None else pyoxigraph.Store()
    graph = DefaultGraph()
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    return store


def to_rdflib_term(term):
    """A pyoxigraph term as the equal rdflib term (plain literals have no datatype in rdflib)."""
    import rdflib

    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    if isinstance(term, BlankNode):
        return rdflib.BNode(term.value)
    raise TypeError(f"cannot convert {term!r} to rdflib")


def to_rdflib(triples: Iterable[Triple], graph=None):
    """Triples as an :class:`rdflib.Graph` (for tests and pySHACL)."""
    import rdflib

    g = graph if graph is not None else rdflib.Graph()
    conv = to_rdflib_term
    cache: dict = {}
    for t in triples:
        s = cache.get(t.subject)
        if s is None:
            s = cache[t.subject] = conv(t.subject)
        p = cache.get(t.predicate)
        if p is None:
            p = cache[t.predicate] = conv(t.predicate)
        g.add((s, p, conv(t.object)))
    return g
