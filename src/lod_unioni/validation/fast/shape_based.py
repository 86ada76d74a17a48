"""Shape-based constraint components (SHACL 4.7): sh:node, sh:property, sh:qualifiedValueShape
with sh:qualifiedMinCount / sh:qualifiedMaxCount and sh:qualifiedValueShapesDisjoint."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..terms import Term, sh
from .context import Evaluation
from .model import Component, RawResult, Read, Shape, ShapesError, core
from .reader import Reader


def _read_node(reader: Reader, node: Term) -> list[Shape]:
    return reader.shapes(node, "node")


def _check_node(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], other: Shape
) -> Iterable[RawResult]:
    for v in values:
        if not run.conforms(other, v):
            yield run.result(shape, focus, NODE.iri, v)


@dataclass(frozen=True)
class Undefined:
    """A value of sh:property that the shapes graph does not describe at all: an error only when
    some node has to be validated against it (as pySHACL does)."""

    error: ShapesError


def _read_property(reader: Reader, node: Term) -> list[Shape | Undefined]:
    out: list[Shape | Undefined] = []
    for prop in reader.shapes(node, "property"):
        if prop.is_property:
            out.append(prop)
        elif not reader.graph.outgoing(prop.node):
            out.append(Undefined(reader.error(node, f"the property shape {prop.node} of sh:property is not defined")))
        else:
            raise reader.error(node, f"the value {prop.node} of sh:property is not a property shape (no sh:path)")
    return out


def _check_property(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], prop: Shape | Undefined
) -> Iterable[RawResult]:
    if isinstance(prop, Undefined):
        if values:
            raise prop.error
        return
    for v in values:
        yield from run.results(prop, v)


@dataclass(frozen=True)
class Qualified:
    shape: Shape
    count: int
    siblings: tuple[Shape, ...]


def _qualified_reader(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[Qualified]:
        count = reader.integer(node, parameter)
        if count is None:
            return []
        own = reader.single(node, "qualifiedValueShape")
        [qualified] = reader.shapes(node, "qualifiedValueShape")
        siblings: list[Shape] = []
        if reader.boolean(node, "qualifiedValueShapesDisjoint"):
            for parent in reader.graph.subjects(sh("property"), node):
                for sibling in reader.graph.objects(parent, sh("property")):
                    for q in reader.graph.objects(sibling, sh("qualifiedValueShape")):
                        if q != own and all(s.node != q for s in siblings):
                            siblings.append(reader.shape_of(q))
        return [Qualified(qualified, count, tuple(siblings))]

    return read


def _conforming(run: Evaluation, q: Qualified, values: Sequence[Term]) -> int:
    return sum(1 for v in values if run.conforms(q.shape, v) and not any(run.conforms(s, v) for s in q.siblings))


def _check_min(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], q: Qualified) -> Iterable[RawResult]:
    if _conforming(run, q, values) < q.count:
        yield run.result(shape, focus, QUALIFIED_MIN.iri)


def _check_max(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], q: Qualified) -> Iterable[RawResult]:
    if _conforming(run, q, values) > q.count:
        yield run.result(shape, focus, QUALIFIED_MAX.iri)


_QUALIFIED = ("qualifiedValueShape", "qualifiedValueShapesDisjoint")


def _qualified_refs(q: Qualified) -> list[Shape]:
    return [q.shape, *q.siblings]


NODE = core("Node", "node", read=_read_node, check=_check_node, refs=lambda s: [s])
PROPERTY = core(
    "Property",
    "property",
    read=_read_property,
    check=_check_property,
    refs=lambda s: [s] if isinstance(s, Shape) else [],
)
QUALIFIED_MIN = core(
    "QualifiedMinCount",
    *_QUALIFIED,
    "qualifiedMinCount",
    read=_qualified_reader("qualifiedMinCount"),
    check=_check_min,
    refs=_qualified_refs,
)
QUALIFIED_MAX = core(
    "QualifiedMaxCount",
    *_QUALIFIED,
    "qualifiedMaxCount",
    read=_qualified_reader("qualifiedMaxCount"),
    check=_check_max,
    refs=_qualified_refs,
)
COMPONENTS: list[Component] = [NODE, PROPERTY, QUALIFIED_MIN, QUALIFIED_MAX]
