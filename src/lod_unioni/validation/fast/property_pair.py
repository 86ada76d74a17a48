"""Property pair constraint components (SHACL 4.5): sh:equals, sh:disjoint, sh:lessThan,
sh:lessThanOrEquals (the last two on property shapes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pyoxigraph import NamedNode

from ..terms import Term
from .context import Evaluation
from .model import Check, Component, RawResult, Read, Shape, core
from .reader import Reader
from .xsd import compare


def _reader(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[NamedNode]:
        return [reader.iri(node, parameter, v) for v in reader.values(node, parameter)]

    return read


def _check_equals(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], p: NamedNode
) -> Iterable[RawResult]:
    others = run.data.objects(focus, p)
    mine = set(values)
    for v in values:
        if v not in others:
            yield run.result(shape, focus, EQUALS.iri, v)
    for o in others:
        if o not in mine:
            yield run.result(shape, focus, EQUALS.iri, o)


def _check_disjoint(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], p: NamedNode
) -> Iterable[RawResult]:
    others = run.data.objects(focus, p)
    for v in values:
        if v in others:
            yield run.result(shape, focus, DISJOINT.iri, v)


def _order_checker(name: str, ok: Callable[[int], bool]) -> Check:
    def check(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], p: NamedNode) -> Iterable[RawResult]:
        others = run.data.objects(focus, p)
        for v in values:
            for o in others:
                c = compare(v, o)
                if c is None or not ok(c):
                    yield run.result(shape, focus, ORDERS[name].iri, v)

    return check


EQUALS = core("Equals", "equals", read=_reader("equals"), check=_check_equals)
DISJOINT = core("Disjoint", "disjoint", read=_reader("disjoint"), check=_check_disjoint)
ORDERS = {
    "lessThan": core(
        "LessThan",
        "lessThan",
        read=_reader("lessThan"),
        check=_order_checker("lessThan", lambda c: c < 0),
        property_only=True,
    ),
    "lessThanOrEquals": core(
        "LessThanOrEquals",
        "lessThanOrEquals",
        read=_reader("lessThanOrEquals"),
        check=_order_checker("lessThanOrEquals", lambda c: c <= 0),
        property_only=True,
    ),
}
COMPONENTS: list[Component] = [EQUALS, DISJOINT, *ORDERS.values()]
