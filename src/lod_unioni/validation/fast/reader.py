"""Reading the parameters of a shape from the shapes graph, with one-line errors for bad values.

The constraint components use a :class:`Reader` to get their arguments (``reader.integer(node,
"minCount")``); a value of the wrong kind is a :class:`ShapesError` naming the shape.
"""

from __future__ import annotations

from collections.abc import Callable

from pyoxigraph import BlankNode, Literal, NamedNode

from ...vocab import XSD
from ..terms import RDF_FIRST, RDF_REST, PathExpr, Term, sh
from .index import Graph
from .model import Shape, ShapesError, describe
from .paths import read_path
from .xsd import INTEGER_RANGES, well_formed

TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))
_INTEGER_TYPES = {XSD + t for t in INTEGER_RANGES}


class Reader:
    """The shapes graph, the shapes read so far (``shape_of``) and the file(s) for errors."""

    def __init__(self, graph: Graph, shape_of: Callable[[Term], Shape], files: str | None = None) -> None:
        self.graph = graph
        self.shape_of = shape_of
        self.files = files
        self.queries: list = []  # every SPARQL query prepared (sparql.Prepared), for what the store needs

    def error(self, node: Term, message: str) -> ShapesError:
        return ShapesError(f"shape {self.label(node)}: {message}", file=self.files)

    def label(self, node: Term, depth: int = 0) -> str:
        """``<iri>``, or for a blank node where it is used (``[] (sh:property of <iri>)``)."""
        if not isinstance(node, BlankNode) or depth > 3:
            return describe(node)
        owner = self._owner(node, frozenset(), depth)
        return f"[] ({owner})" if owner else describe(node)

    def _owner(self, node: Term, seen: frozenset[Term], depth: int) -> str | None:
        """``sh:p of <subject>`` for the first triple that has ``node`` as object (going up RDF lists)."""
        for p in self.graph.predicates:
            for s in self.graph.subjects(p, node):
                if s in seen:
                    continue
                if p in (RDF_FIRST, RDF_REST):
                    found = self._owner(s, seen | {node}, depth)
                    if found:
                        return (
                            found.replace(" of ", " list of ", 1)
                            if p == RDF_FIRST and "list of" not in found
                            else found
                        )
                    continue
                return f"{_short(p)} of {self.label(s, depth + 1)}"
        return None

    def values(self, node: Term, parameter: str | NamedNode) -> list[Term]:
        return list(self.graph.objects(node, _iri(parameter)))

    def one(self, node: Term, parameter: str | NamedNode) -> Term | None:
        """The value of a parameter that has at most one."""
        found = self.values(node, parameter)
        if len(found) > 1:
            raise self.error(node, f"{_short(_iri(parameter))} has {len(found)} values (at most one is allowed)")
        return found[0] if found else None

    def single(self, node: Term, parameter: str | NamedNode) -> Term:
        value = self.one(node, parameter)
        if value is None:
            raise self.error(node, f"{_short(_iri(parameter))} has no value")
        return value

    def iri(self, node: Term, parameter: str, value: Term) -> NamedNode:
        if not isinstance(value, NamedNode):
            raise self.error(node, f"the value of sh:{parameter} must be an IRI, not {value}")
        return value

    def integer(self, node: Term, parameter: str) -> int | None:
        value = self.one(node, parameter)
        if value is None:
            return None
        if not (isinstance(value, Literal) and value.datatype.value in _INTEGER_TYPES and well_formed(value)):
            raise self.error(node, f"the value of sh:{parameter} must be an integer, not {value}")
        return int(value.value)

    def boolean(self, node: Term, parameter: str) -> bool:
        """True only for ``"true"^^xsd:boolean`` (as the recommendation says); False when absent."""
        value = self.one(node, parameter)
        if value is None:
            return False
        if not (isinstance(value, Literal) and value.datatype.value == XSD + "boolean" and well_formed(value)):
            raise self.error(node, f"the value of sh:{parameter} must be a boolean, not {value}")
        return value == TRUE

    def string(self, node: Term, parameter: str, value: Term) -> str:
        if not isinstance(value, Literal) or value.language:
            raise self.error(node, f"the value of sh:{parameter} must be a string, not {value}")
        return value.value

    def literal(self, node: Term, parameter: str, value: Term) -> Literal:
        if not isinstance(value, Literal):
            raise self.error(node, f"the value of sh:{parameter} must be a literal, not {value}")
        return value

    def members(self, node: Term, parameter: str, value: Term) -> list[Term]:
        """The members of the RDF list that is the value of a list-taking parameter."""
        try:
            return self.graph.rdf_list(value)
        except ShapesError as exc:
            raise self.error(node, f"the value of sh:{parameter} must be an RDF list ({exc.message})") from None

    def path(self, node: Term, value: Term) -> PathExpr:
        try:
            return read_path(self.graph, value)
        except ShapesError as exc:
            raise self.error(node, exc.message) from None

    def shapes(self, node: Term, parameter: str) -> list[Shape]:
        """The shapes that are values of a shape-expecting parameter (``sh:node``, ``sh:not``, ...)."""
        out = []
        for value in self.values(node, parameter):
            if isinstance(value, Literal):
                raise self.error(node, f"the value of sh:{parameter} must be a shape, not {value}")
            out.append(self.shape_of(value))
        return out

    def shape_list(self, node: Term, parameter: str) -> list[list[Shape]]:
        """The lists of shapes of a list-taking parameter (``sh:and``, ``sh:or``, ``sh:xone``)."""
        out = []
        for value in self.values(node, parameter):
            members = self.members(node, parameter, value)
            if any(isinstance(m, Literal) for m in members):
                raise self.error(node, f"the members of sh:{parameter} must be shapes")
            out.append([self.shape_of(m) for m in members])
        return out


def _iri(parameter: str | NamedNode) -> NamedNode:
    return parameter if isinstance(parameter, NamedNode) else sh(parameter)


def _short(p: NamedNode) -> str:
    iri = p.value
    return "sh:" + iri[len(sh("").value) :] if iri.startswith(sh("").value) else f"<{iri}>"
