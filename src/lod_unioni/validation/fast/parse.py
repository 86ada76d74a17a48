"""Reading a shapes graph into :class:`~.model.Shape` objects.

The shapes are those with targets (explicit, or implicit: a shape that is also a class), and every
shape they refer to (``sh:property``, ``sh:node``, ``sh:not``, ...), each read once (a shape used in
several places is one object, cycles included). Constraints come from the SHACL Core components
and the SPARQL-based components declared in the shapes graph. SHACL-AF features make a shape
unsupported (:attr:`~.model.Shape.unsupported`); a term of the ``sh:`` namespace that SHACL 1.0
does not define is ignored, as pySHACL does, and listed in :attr:`ParsedShapes.ignored`; a shapes
graph that asks for an entailment regime (``sh:entailment``) has all its shapes unsupported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from ...vocab import OWL, RDFS, SH
from ..terms import RDF_TYPE, Term, sh
from . import cardinality, logical, other, property_pair, shape_based, sparql, string_based, value_range, value_type
from .components import declared_components
from .index import Graph
from .model import Component, Constraint, Shape, SparqlMessages
from .reader import Reader

CORE: list[Component] = [
    *value_type.COMPONENTS,
    *cardinality.COMPONENTS,
    *value_range.COMPONENTS,
    *string_based.COMPONENTS,
    *property_pair.COMPONENTS,
    *logical.COMPONENTS,
    *shape_based.COMPONENTS,
    *other.COMPONENTS,
    *sparql.COMPONENTS,
]
TARGETS = {
    "targetNode": "node",
    "targetClass": "class",
    "targetSubjectsOf": "subjectsOf",
    "targetObjectsOf": "objectsOf",
}
# sh: terms of a shape that are not constraint parameters
NON_CONSTRAINT = {
    *TARGETS,
    *"severity message deactivated path name description order group defaultValue labelTemplate".split(),
    *"parameter validator nodeValidator propertyValidator optional prefixes declare select ask".split(),
    *"suggestedShapesGraph shapesGraph entailment".split(),
}
ADVANCED = {  # SHACL Advanced Features (and SHACL-JS): a shape using them is not evaluated here
    **{t: "SHACL-AF" for t in "target rule condition expression values resultAnnotation filterShape".split()},
    **{t: "SHACL-JS" for t in "js jsFunctionName jsLibrary jsLibraryURL".split()},
}
_CLASSES = {NamedNode(RDFS + "Class"), NamedNode(OWL + "Class")}
_SHAPE_CLASSES = {sh("NodeShape"), sh("PropertyShape")}


@dataclass
class ParsedShapes:
    top: list[Shape]  # the shapes with targets, in a stable order
    all_shapes: dict[Term, Shape]
    ignored: list[str] = field(default_factory=list)
    queries: list = field(default_factory=list)  # every SPARQL query of the shapes (sparql_run.Prepared)


def parse_shapes(triples: Sequence[Triple], files: Sequence[Path] = ()) -> ParsedShapes:
    """The shapes of a shapes graph; ShapesError (naming the file and the shape) if one is wrong."""
    graph = Graph(triples)
    builder = _Builder(graph, ", ".join(str(f) for f in files) or None)
    top = [builder.shape(n) for n in sorted(_targeted(graph), key=str)]
    for regime in graph.distinct_objects(sh("entailment")):  # the engine implements no entailment regime
        for shape in top:
            shape.unsupported.append(f"sh:entailment {regime} (an entailment regime)")
    return ParsedShapes(top, builder.shapes, builder.ignored, builder.reader.queries)


def _targeted(graph: Graph) -> set[Term]:
    nodes: set[Term] = set()
    for p in (*TARGETS, "target"):
        nodes.update(graph.distinct_subjects(sh(p)))
    shapes = {n for cls in _SHAPE_CLASSES for n in graph.instances(cls)}
    for cls in _CLASSES:
        for node in graph.instances(cls):  # a class that is a shape: an implicit class target
            if isinstance(node, NamedNode) and (node in shapes or _has_shacl_terms(graph, node)):
                nodes.add(node)
    return {n for n in nodes if not isinstance(n, Literal)}


def _has_shacl_terms(graph: Graph, node: Term) -> bool:
    return any(p.value.startswith(SH) for p, _ in graph.outgoing(node))


class _Builder:
    def __init__(self, graph: Graph, files: str | None) -> None:
        self.graph = graph
        self.shapes: dict[Term, Shape] = {}
        self.ignored: list[str] = []
        self.reader = Reader(graph, self.shape, files)
        self.components = CORE + declared_components(graph, self.reader)
        self.known = NON_CONSTRAINT | {p.value[len(SH) :] for c in self.components for p in c.parameters}
        self.by_key: dict[NamedNode, list[Component]] = {}
        for c in self.components:
            self.by_key.setdefault(c.parameters[0], []).append(c)

    def shape(self, node: Term) -> Shape:
        """The shape of ``node``, read the first time it is asked for."""
        shape = self.shapes.get(node)
        if shape is None:
            shape = self.shapes[node] = Shape(node, label=self.reader.label(node))
            self._read(node, shape)
        return shape

    def _read(self, node: Term, shape: Shape) -> None:
        r = self.reader
        path = r.one(node, "path")
        if path is not None:
            shape.path = r.path(node, path)
        shape.targets = self._targets(node)
        severity = r.one(node, "severity")
        if severity is not None:
            shape.severity = r.iri(node, "severity", severity)
        shape.messages = [m for m in r.values(node, "message") if isinstance(m, Literal)]
        shape.deactivated = r.boolean(node, "deactivated")
        predicates = dict.fromkeys(p for p, _ in self.graph.outgoing(node))
        for p in predicates:
            self._predicate(node, shape, p)
        shape.sparql = [
            SparqlMessages(c.node, list(getattr(c.args, "messages", [])))
            for c in shape.constraints
            if c.node is not None
        ]

    def _predicate(self, node: Term, shape: Shape, p: NamedNode) -> None:
        for component in self.by_key.get(p, ()):
            if component.property_only and not shape.is_property:
                raise self.reader.error(node, f"{component.name} on a node shape (it needs sh:path)")
            for args in component.read(self.reader, node):
                shape.constraints.append(Constraint(component, args, getattr(args, "source_constraint", None)))
        if not p.value.startswith(SH):
            return
        local = p.value[len(SH) :]
        if local in ADVANCED:
            shape.unsupported.append(f"sh:{local} ({ADVANCED[local]})")
        elif local not in self.known:
            self.ignored.append(f"shape {self.reader.label(node)}: sh:{local} is not a SHACL 1.0 term: ignored")

    def _targets(self, node: Term) -> list[tuple[str, Term]]:
        targets: list[tuple[str, Term]] = []
        for key, kind in TARGETS.items():
            for t in self.reader.values(node, key):
                if kind != "node" and not isinstance(t, NamedNode):
                    raise self.reader.error(node, f"the value of sh:{key} must be an IRI, not {t}")
                targets.append((kind, t))
        types = self.graph.objects(node, RDF_TYPE)
        if isinstance(node, NamedNode) and any(self.graph.superclasses(t) & _CLASSES for t in types):
            targets.append(("class", node))  # an implicit class target
        return targets
