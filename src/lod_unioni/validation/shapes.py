"""Reading a SHACL shapes graph into a small model the fast engine compiles.

Only what lod-unioni's shapes use is supported (see :data:`SUPPORTED_PARAMETERS`); anything else
raises :class:`UnsupportedShapes`, and :func:`lod_unioni.validation.validate` then falls back to
pySHACL with a warning.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode

from ..errors import LodError
from ..vocab import OWL, RDFS, SH
from .terms import PATH_KEYS, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, PathExpr, Term, sh


class UnsupportedShapes(Exception):
    """The shapes use a SHACL feature the fast engine does not implement."""


# Core constraint parameters the fast engine compiles (sh:flags goes with sh:pattern).
SUPPORTED_PARAMETERS = {
    "minCount",
    "maxCount",
    "datatype",
    "nodeKind",
    "class",
    "in",
    "hasValue",
    "pattern",
    "flags",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "languageIn",
    "uniqueLang",
    "node",
    "sparql",
}
# sh: predicates of a shape that are not constraints.
NON_CONSTRAINT = {
    "targetClass",
    "targetNode",
    "targetSubjectsOf",
    "targetObjectsOf",
    "severity",
    "message",
    "deactivated",
    "path",
    "property",
    "name",
    "description",
    "order",
    "group",
    "defaultValue",
}
COMPONENT_OF = {  # parameter -> constraint component local name
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "class": "ClassConstraintComponent",
    "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "languageIn": "LanguageInConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent",
    "node": "NodeConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
}


@dataclass
class SparqlConstraint:
    node: Term
    select: str
    prefixes: dict[str, str]
    messages: list[Literal]


@dataclass
class Shape:
    node: Term
    is_property: bool
    path: PathExpr | None = None
    targets: list[tuple[str, Term]] = field(default_factory=list)
    severity: NamedNode = field(default_factory=lambda: sh("Violation"))
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False
    constraints: list[tuple[str, object]] = field(default_factory=list)  # (parameter, value)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)

    @property
    def severity_name(self) -> str:
        return self.severity.value[len(SH) :] if self.severity.value.startswith(SH) else self.severity.value


@dataclass
class ShapesGraph:
    """The parsed shapes: the triples (for pySHACL and messages) and the top-level shapes."""

    files: tuple[Path, ...]
    triples: list[ox.Triple]
    shapes: list[Shape]  # shapes with targets, in a stable order
    all_shapes: dict[Term, Shape]


def shape_files(shapes_dir: str | Path) -> list[Path]:
    d = Path(shapes_dir)
    if not d.is_dir():
        raise LodError("shapes folder not found", file=str(d))
    files = sorted(p for p in d.iterdir() if p.suffix in (".ttl", ".nt") and p.is_file())
    if not files:
        raise LodError("no shapes (*.ttl) in the folder", file=str(d))
    return files


def parse_rdf_file(path: Path) -> list[ox.Triple]:
    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except SyntaxError as exc:
        raise LodError(f"not valid RDF: {exc}", file=str(path)) from None
    except OSError as exc:
        raise LodError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


class _Index:
    def __init__(self, triples: Iterable[ox.Triple]):
        self.spo: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.pos: dict[str, dict[Term, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.spo[t.subject][t.predicate.value].append(t.object)
            self.pos[t.predicate.value][t.object].append(t.subject)

    def objects(self, s: Term, p: str) -> list[Term]:
        return list(self.spo.get(s, {}).get(p, ()))

    def one(self, s: Term, p: str) -> Term | None:
        values = self.objects(s, p)
        if len(values) > 1:
            raise UnsupportedShapes(f"{s} has several values of <{p}>")
        return values[0] if values else None

    def rdf_list(self, head: Term) -> list[Term]:
        items, node, seen = [], head, set()
        while node != RDF_NIL:
            if node in seen:
                raise UnsupportedShapes(f"cyclic RDF list at {node}")
            seen.add(node)
            first = self.objects(node, RDF_FIRST.value)
            rest = self.objects(node, RDF_REST.value)
            if len(first) != 1 or len(rest) != 1:
                raise UnsupportedShapes(f"malformed RDF list at {node}")
            items.append(first[0])
            node = rest[0]
        return items


def parse_path(index: _Index, node: Term) -> PathExpr:
    if isinstance(node, NamedNode):
        return node
    if isinstance(node, Literal):
        raise UnsupportedShapes(f"a literal is not a path: {node}")
    preds = index.spo.get(node, {})
    if RDF_FIRST.value in preds:
        return ("seq", tuple(parse_path(index, p) for p in index.rdf_list(node)))
    if SH + "alternativePath" in preds:
        return ("alt", tuple(parse_path(index, p) for p in index.rdf_list(index.one(node, SH + "alternativePath"))))
    for key, tag in PATH_KEYS.items():
        if key in preds:
            return (tag, parse_path(index, index.one(node, key)))
    raise UnsupportedShapes(f"unknown path {node}")


def _prefixes(index: _Index, node: Term) -> dict[str, str]:
    prefixes: dict[str, str] = {}
    for ontology in index.objects(node, SH + "prefixes"):
        for decl in index.objects(ontology, SH + "declare"):
            prefix, ns = index.one(decl, SH + "prefix"), index.one(decl, SH + "namespace")
            if prefix is None or ns is None:
                raise UnsupportedShapes(f"incomplete sh:declare in {ontology}")
            prefixes[prefix.value] = ns.value
    return prefixes


def load_shapes(shapes_dir: str | Path | None = None) -> ShapesGraph:
    """Read every ``*.ttl`` of ``shapes_dir`` (default: the bundled ``shapes/``)."""
    if shapes_dir is None:
        from ..resources import resource_dir

        shapes_dir = resource_dir("shapes")
    files = shape_files(shapes_dir)
    triples: list[ox.Triple] = []
    for f in files:
        triples.extend(parse_rdf_file(f))
    return build_shapes(triples, tuple(files))


def build_shapes(triples: list[ox.Triple], files: tuple[Path, ...] = ()) -> ShapesGraph:
    index = _Index(triples)
    if index.pos.get(RDF_TYPE.value, {}).get(sh("ConstraintComponent")):
        raise UnsupportedShapes("custom constraint components")
    for p in ("target", "rule", "js", "jsFunctionName"):
        if index.pos.get(SH + p):
            raise UnsupportedShapes(f"sh:{p}")
    candidates: set[Term] = set()
    for cls in ("NodeShape", "PropertyShape"):
        candidates.update(index.pos.get(RDF_TYPE.value, {}).get(sh(cls), ()))
    for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
        for subjects in index.pos.get(SH + p, {}).values():
            candidates.update(subjects)
    all_shapes: dict[Term, Shape] = {}
    building: set[Term] = set()

    def get(node: Term) -> Shape:
        if node in all_shapes:
            return all_shapes[node]
        if node in building:
            raise UnsupportedShapes(f"recursive shape {node}")
        building.add(node)
        shape = _build(node)
        building.discard(node)
        all_shapes[node] = shape
        return shape

    def _build(node: Term) -> Shape:
        preds = index.spo.get(node, {})
        path_node = index.one(node, SH + "path")
        shape = Shape(node=node, is_property=path_node is not None)
        if path_node is not None:
            shape.path = parse_path(index, path_node)
        for p in preds:
            if p.startswith(SH):
                local = p[len(SH) :]
                if local not in SUPPORTED_PARAMETERS and local not in NON_CONSTRAINT:
                    raise UnsupportedShapes(f"sh:{local} (in shape {node})")
        for key, kind in (
            ("targetClass", "class"),
            ("targetNode", "node"),
            ("targetSubjectsOf", "subjectsOf"),
            ("targetObjectsOf", "objectsOf"),
        ):
            for t in index.objects(node, SH + key):
                if kind == "node" and isinstance(t, BlankNode):
                    raise UnsupportedShapes("blank node in sh:targetNode")
                shape.targets.append((kind, t))
        types = set(index.objects(node, RDF_TYPE.value))
        if types & {NamedNode(RDFS + "Class"), NamedNode(OWL + "Class")} and isinstance(node, NamedNode):
            shape.targets.append(("class", node))  # implicit class target
        severity = index.one(node, SH + "severity")
        if severity is not None:
            if not isinstance(severity, NamedNode):
                raise UnsupportedShapes(f"sh:severity of {node} is not an IRI")
            shape.severity = severity
        shape.messages = [m for m in index.objects(node, SH + "message") if isinstance(m, Literal)]
        deactivated = index.one(node, SH + "deactivated")
        shape.deactivated = isinstance(deactivated, Literal) and deactivated.value == "true"
        for p in preds:
            if not p.startswith(SH):
                continue
            local = p[len(SH) :]
            if local in NON_CONSTRAINT or local == "flags":
                continue
            for value in index.objects(node, p):
                if local in ("in", "languageIn"):
                    shape.constraints.append((local, tuple(index.rdf_list(value))))
                elif local == "pattern":
                    flags = index.one(node, SH + "flags")
                    shape.constraints.append((local, (value.value, flags.value if flags else "")))
                elif local in ("minCount", "maxCount", "minLength", "maxLength"):
                    shape.constraints.append((local, int(value.value)))
                elif local == "uniqueLang":
                    if value.value == "true":
                        shape.constraints.append((local, True))
                elif local == "node":
                    shape.constraints.append((local, get(value)))
                elif local == "sparql":
                    shape.sparql.append(_sparql(value))
                else:
                    shape.constraints.append((local, value))
        if not shape.is_property:
            for p, _ in shape.constraints:
                if p in ("minCount", "maxCount", "uniqueLang"):
                    raise UnsupportedShapes(f"sh:{p} on the node shape {node}")
        for prop in index.objects(node, SH + "property"):
            child = get(prop)
            if not child.is_property:
                raise UnsupportedShapes(f"sh:property {prop} has no sh:path")
            shape.properties.append(child)
        return shape

    def _sparql(node: Term) -> SparqlConstraint:
        select = index.one(node, SH + "select")
        if select is None:
            raise UnsupportedShapes(f"SPARQL constraint {node} without sh:select")
        for p in index.spo.get(node, {}):
            if p.startswith(SH) and p[len(SH) :] not in ("select", "prefixes", "message", "deactivated"):
                raise UnsupportedShapes(f"sh:{p[len(SH) :]} in the SPARQL constraint {node}")
        deactivated = index.one(node, SH + "deactivated")
        return SparqlConstraint(
            node=node,
            select=select.value if not (isinstance(deactivated, Literal) and deactivated.value == "true") else "",
            prefixes=_prefixes(index, node),
            messages=[m for m in index.objects(node, SH + "message") if isinstance(m, Literal)],
        )

    for node in sorted(candidates, key=str):
        get(node)
    top = [s for s in sorted(all_shapes.values(), key=lambda s: str(s.node)) if s.targets]
    return ShapesGraph(files=files, triples=triples, shapes=top, all_shapes=all_shapes)
