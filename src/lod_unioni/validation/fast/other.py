"""Other constraint components (SHACL 4.8): sh:closed with sh:ignoredProperties, sh:hasValue, sh:in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import NamedNode

from ..terms import Term, sh
from .context import Evaluation
from .model import Component, RawResult, Shape, core
from .reader import Reader


def _read_closed(reader: Reader, node: Term) -> list[frozenset[NamedNode]]:
    if not reader.boolean(node, "closed"):
        return []
    allowed: set[NamedNode] = set()
    for prop in reader.graph.objects(node, sh("property")):
        path = reader.graph.value(prop, sh("path"))
        if isinstance(path, NamedNode):
            allowed.add(path)
    ignored = reader.one(node, "ignoredProperties")
    if ignored is not None:
        allowed.update(
            reader.iri(node, "ignoredProperties", m) for m in reader.members(node, "ignoredProperties", ignored)
        )
    return [frozenset(allowed)]


def _check_closed(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], allowed: frozenset[NamedNode]
) -> Iterable[RawResult]:
    for v in values:
        for p, o in run.data.outgoing(v):
            if p not in allowed:
                yield run.result(shape, focus, CLOSED.iri, o, path=p)


def _read_has_value(reader: Reader, node: Term) -> list[Term]:
    return reader.values(node, "hasValue")


def _check_has_value(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], required: Term
) -> Iterable[RawResult]:
    if required not in values:
        yield run.result(shape, focus, HAS_VALUE.iri)


def _read_in(reader: Reader, node: Term) -> list[frozenset[Term]]:
    return [frozenset(reader.members(node, "in", reader.single(node, "in")))]


def _check_in(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], members: frozenset[Term]
) -> Iterable[RawResult]:
    for v in values:
        if v not in members:
            yield run.result(shape, focus, IN.iri, v)


CLOSED = core("Closed", "closed", "ignoredProperties", read=_read_closed, check=_check_closed)
HAS_VALUE = core("HasValue", "hasValue", read=_read_has_value, check=_check_has_value)
IN = core("In", "in", read=_read_in, check=_check_in)
COMPONENTS: list[Component] = [CLOSED, HAS_VALUE, IN]
