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
from ..resources import resource_dir
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

    def single(self, s: Term, p: str) -> Term:
        """The one value of ``p`` on ``s``; none or several: :class:`UnsupportedShapes`."""
        value = self.one(s, p)
        if value is None:
            raise UnsupportedShapes(f"{s} has no value of <{p}>")
        return value

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
        return ("alt", tuple(parse_path(index, p) for p in index.rdf_list(index.single(node, SH + "alternativePath"))))
    for key, tag in PATH_KEYS.items():
        if key in preds:
            return (tag, parse_path(index, index.single(node, key)))
    raise UnsupportedShapes(f"unknown path {node}")


def _prefixes(index: _Index, node: Term) -> dict[str, str]:
    prefixes: dict[str, str] = {}
    for ontology in index.objects(node, SH + "prefixes"):
        for decl in index.objects(ontology, SH + "declare"):
            prefix, ns = index.one(decl, SH + "prefix"), index.one(decl, SH + "namespace")
            if prefix is None or ns is None:
                raise UnsupportedShapes(f"incomplete sh:declare in {ontology}")
            prefixes[_lexical(prefix)] = _lexical(ns)
    return prefixes


def load_shapes(shapes_dir: str | Path | None = None) -> ShapesGraph:
    """Read every ``*.ttl`` of ``shapes_dir`` (default: the bundled ``shapes/``)."""
    files = shape_files(resource_dir("shapes") if shapes_dir is None else shapes_dir)
    triples: list[ox.Triple] = []
    for f in files:
        triples.extend(parse_rdf_file(f))
    return build_shapes(triples, tuple(files))


def build_shapes(triples: list[ox.Triple], files: tuple[Path, ...] = ()) -> ShapesGraph:
    """The shapes of a shapes graph: every node or property shape, and those with targets in a
    stable order. A SHACL feature the fast engine does not implement raises :class:`UnsupportedShapes`."""
    index = _Index(triples)
    _check_features(index)
    builder = _Builder(index)
    for node in sorted(_candidates(index), key=str):
        builder.get(node)
    all_shapes = builder.shapes
    top = [s for s in sorted(all_shapes.values(), key=lambda s: str(s.node)) if s.targets]
    return ShapesGraph(files=files, triples=triples, shapes=top, all_shapes=all_shapes)


_TARGETS = (
    ("targetClass", "class"),
    ("targetNode", "node"),
    ("targetSubjectsOf", "subjectsOf"),
    ("targetObjectsOf", "objectsOf"),
)


def _check_features(index: _Index) -> None:
    """Custom constraint components, sh:target, rules and JavaScript are not implemented."""
    if index.pos.get(RDF_TYPE.value, {}).get(sh("ConstraintComponent")):
        raise UnsupportedShapes("custom constraint components")
    for p in ("target", "rule", "js", "jsFunctionName"):
        if index.pos.get(SH + p):
            raise UnsupportedShapes(f"sh:{p}")


def _candidates(index: _Index) -> set[Term]:
    """The nodes declared as shapes or that have a target."""
    candidates: set[Term] = set()
    for cls in ("NodeShape", "PropertyShape"):
        candidates.update(index.pos.get(RDF_TYPE.value, {}).get(sh(cls), ()))
    for p, _ in _TARGETS:
        for subjects in index.pos.get(SH + p, {}).values():
            candidates.update(subjects)
    return candidates


def _lexical(term: Term) -> str:
    """The value of an IRI, a blank node or a literal (a quoted triple has none)."""
    if isinstance(term, ox.Triple):
        raise UnsupportedShapes(f"a quoted triple is not a SHACL value: {term}")
    return term.value


def _is_true(term: Term | None) -> bool:
    return isinstance(term, Literal) and term.value == "true"


class _Builder:
    """Builds each shape once (a shape referenced by several others is one :class:`Shape`)."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.shapes: dict[Term, Shape] = {}
        self._building: set[Term] = set()

    def get(self, node: Term) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if node in self._building:
            raise UnsupportedShapes(f"recursive shape {node}")
        self._building.add(node)
        shape = self._build(node)
        self._building.discard(node)
        self.shapes[node] = shape
        return shape

    def _build(self, node: Term) -> Shape:
        index = self.index
        path_node = index.one(node, SH + "path")
        shape = Shape(node=node, is_property=path_node is not None)
        if path_node is not None:
            shape.path = parse_path(index, path_node)
        for p in index.spo.get(node, {}):
            if p.startswith(SH):
                local = p[len(SH) :]
                if local not in SUPPORTED_PARAMETERS and local not in NON_CONSTRAINT:
                    raise UnsupportedShapes(f"sh:{local} (in shape {node})")
        shape.targets = self._targets(node)
        severity = index.one(node, SH + "severity")
        if severity is not None:
            if not isinstance(severity, NamedNode):
                raise UnsupportedShapes(f"sh:severity of {node} is not an IRI")
            shape.severity = severity
        shape.messages = [m for m in index.objects(node, SH + "message") if isinstance(m, Literal)]
        shape.deactivated = _is_true(index.one(node, SH + "deactivated"))
        self._add_constraints(node, shape)
        if not shape.is_property:
            for p, _ in shape.constraints:
                if p in ("minCount", "maxCount", "uniqueLang"):
                    raise UnsupportedShapes(f"sh:{p} on the node shape {node}")
        for prop in index.objects(node, SH + "property"):
            child = self.get(prop)
            if not child.is_property:
                raise UnsupportedShapes(f"sh:property {prop} has no sh:path")
            shape.properties.append(child)
        return shape

    def _targets(self, node: Term) -> list[tuple[str, Term]]:
        targets: list[tuple[str, Term]] = []
        for key, kind in _TARGETS:
            for t in self.index.objects(node, SH + key):
                if kind == "node" and isinstance(t, BlankNode):
                    raise UnsupportedShapes("blank node in sh:targetNode")
                targets.append((kind, t))
        types = set(self.index.objects(node, RDF_TYPE.value))
        if types & {NamedNode(RDFS + "Class"), NamedNode(OWL + "Class")} and isinstance(node, NamedNode):
            targets.append(("class", node))  # implicit class target
        return targets

    def _add_constraints(self, node: Term, shape: Shape) -> None:
        """The shape's constraint parameters, in the order of the shapes graph."""
        index = self.index
        for p in index.spo.get(node, {}):
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
                    shape.constraints.append((local, (_lexical(value), _lexical(flags) if flags else "")))
                elif local in ("minCount", "maxCount", "minLength", "maxLength"):
                    shape.constraints.append((local, int(_lexical(value))))
                elif local == "uniqueLang":
                    if _lexical(value) == "true":
                        shape.constraints.append((local, True))
                elif local == "node":
                    shape.constraints.append((local, self.get(value)))
                elif local == "sparql":
                    shape.sparql.append(self._sparql(value))
                else:
                    shape.constraints.append((local, value))

    def _sparql(self, node: Term) -> SparqlConstraint:
        index = self.index
        select = index.one(node, SH + "select")
        if select is None:
            raise UnsupportedShapes(f"SPARQL constraint {node} without sh:select")
        for p in index.spo.get(node, {}):
            if p.startswith(SH) and p[len(SH) :] not in ("select", "prefixes", "message", "deactivated"):
                raise UnsupportedShapes(f"sh:{p[len(SH) :]} in the SPARQL constraint {node}")
        return SparqlConstraint(
            node=node,
            select="" if _is_true(index.one(node, SH + "deactivated")) else _lexical(select),
            prefixes=_prefixes(index, node),
            messages=[m for m in index.objects(node, SH + "message") if isinstance(m, Literal)],
        )
