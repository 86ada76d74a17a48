"""Value type constraint components (SHACL 4.1): sh:class, sh:datatype, sh:nodeKind."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pyoxigraph import BlankNode, Literal, NamedNode

from ...vocab import SH
from ..terms import Term
from .context import Evaluation
from .model import Component, RawResult, Shape, core
from .reader import Reader
from .xsd import well_formed


def _read_class(reader: Reader, node: Term) -> list[NamedNode]:
    return [reader.iri(node, "class", v) for v in reader.values(node, "class")]


def _check_class(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], cls: Term) -> Iterable[RawResult]:
    data = run.data
    for v in values:
        if isinstance(v, Literal) or not data.is_instance(v, cls):
            yield run.result(shape, focus, CLASS.iri, v)


def _read_datatype(reader: Reader, node: Term) -> list[NamedNode]:
    return [reader.iri(node, "datatype", reader.single(node, "datatype"))]


def _check_datatype(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], datatype: NamedNode
) -> Iterable[RawResult]:
    for v in values:
        if not (isinstance(v, Literal) and v.datatype == datatype and well_formed(v)):
            yield run.result(shape, focus, DATATYPE.iri, v)


NODE_KINDS = {  # sh:nodeKind value -> the kinds of term it allows
    "IRI": (NamedNode,),
    "BlankNode": (BlankNode,),
    "Literal": (Literal,),
    "BlankNodeOrIRI": (BlankNode, NamedNode),
    "BlankNodeOrLiteral": (BlankNode, Literal),
    "IRIOrLiteral": (NamedNode, Literal),
}


def _read_node_kind(reader: Reader, node: Term) -> list[tuple[type, ...]]:
    kind = reader.single(node, "nodeKind")
    if not (isinstance(kind, NamedNode) and kind.value.startswith(SH) and kind.value[len(SH) :] in NODE_KINDS):
        raise reader.error(node, f"sh:nodeKind {kind} is not one of sh:{', sh:'.join(NODE_KINDS)}")
    return [NODE_KINDS[kind.value[len(SH) :]]]


def _check_node_kind(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], kinds: tuple[type, ...]
) -> Iterable[RawResult]:
    for v in values:
        if not isinstance(v, kinds):
            yield run.result(shape, focus, NODE_KIND.iri, v)


CLASS = core("Class", "class", read=_read_class, check=_check_class)
DATATYPE = core("Datatype", "datatype", read=_read_datatype, check=_check_datatype)
NODE_KIND = core("NodeKind", "nodeKind", read=_read_node_kind, check=_check_node_kind)
COMPONENTS: list[Component] = [CLASS, DATATYPE, NODE_KIND]
