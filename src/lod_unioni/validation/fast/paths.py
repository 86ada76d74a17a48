"""SHACL property paths: read from the shapes graph, evaluated on the data graph.

A path is the hashable expression of :mod:`lod_unioni.validation.terms` (a predicate IRI, or
``("seq" | "alt", (...))``, ``("inv" | "zeroOrMore" | "oneOrMore" | "zeroOrOne", p)``). Evaluation
is set-based (all the start nodes at once), keeps the order in which nodes are reached, and
terminates on cycles.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, NamedNode

from ...vocab import SH
from ..terms import PATH_KEYS, RDF_FIRST, PathExpr, Term
from .index import Graph
from .model import ShapesError

_Nodes = dict[Term, None]  # an ordered set
_ALTERNATIVE = NamedNode(SH + "alternativePath")
_PATH_PREDICATES = [(NamedNode(key), tag) for key, tag in PATH_KEYS.items()]


def read_path(shapes: Graph, node: Term, _seen: frozenset[Term] = frozenset()) -> PathExpr:
    """The path expression of the path node ``node``; ShapesError if it is not a SHACL path."""
    if isinstance(node, NamedNode):
        return node
    if not isinstance(node, BlankNode):
        raise ShapesError(f"not a SHACL path: {node}")
    if node in _seen:
        raise ShapesError(f"recursive SHACL path at {node}")
    seen = _seen | {node}
    if shapes.objects(node, RDF_FIRST):
        members = shapes.rdf_list(node)
        if not members:
            raise ShapesError("an empty sequence path")
        return ("seq", tuple(read_path(shapes, m, seen) for m in members))
    alternatives = list(shapes.objects(node, _ALTERNATIVE))
    kinds = [(p, tag) for p, tag in _PATH_PREDICATES if shapes.objects(node, p)]
    if len(alternatives) + len(kinds) != 1 or any(len(shapes.objects(node, p)) != 1 for p, _ in kinds):
        raise ShapesError(f"not a SHACL path: blank node {node} (one of sh:alternativePath, sh:inversePath, ...)")
    if alternatives:
        members = shapes.rdf_list(alternatives[0])
        if not members:
            raise ShapesError("an empty sh:alternativePath")
        return ("alt", tuple(read_path(shapes, m, seen) for m in members))
    p, tag = kinds[0]
    return (tag, read_path(shapes, next(iter(shapes.objects(node, p))), seen))


def values(data: Graph, path: PathExpr, focus: Term) -> list[Term]:
    """The value nodes of ``focus`` for ``path``, without duplicates."""
    if isinstance(path, NamedNode):
        return list(data.objects(focus, path))
    return list(_step(data, path, {focus: None}, inverse=False))


def _step(data: Graph, path: PathExpr, nodes: _Nodes, inverse: bool) -> _Nodes:
    """The nodes reached from ``nodes`` through ``path`` (or through its inverse)."""
    if isinstance(path, NamedNode):
        out: _Nodes = {}
        for n in nodes:
            out.update(dict.fromkeys(data.subjects(path, n) if inverse else data.objects(n, path)))
        return out
    tag, arg = path
    if tag == "inv":
        return _step(data, arg, nodes, not inverse)
    if tag == "seq":
        for part in reversed(arg) if inverse else arg:
            nodes = _step(data, part, nodes, inverse)
        return nodes
    if tag == "alt":
        out = {}
        for part in arg:
            out.update(_step(data, part, nodes, inverse))
        return out
    if tag == "zeroOrOne":
        out = dict(nodes)
        out.update(_step(data, arg, nodes, inverse))
        return out
    # zeroOrMore, oneOrMore: the transitive closure, breadth first
    reached: _Nodes = dict(nodes) if tag == "zeroOrMore" else {}
    frontier = nodes
    while frontier:
        nxt = _step(data, arg, frontier, inverse)
        frontier = {n: None for n in nxt if n not in reached}
        reached.update(frontier)
    return reached
