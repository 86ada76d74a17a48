"""Logical constraint components (SHACL 4.6): sh:not, sh:and, sh:or, sh:xone."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..terms import Term
from .context import Evaluation
from .model import Check, Component, RawResult, Read, Shape, core
from .reader import Reader


def _read_not(reader: Reader, node: Term) -> list[Shape]:
    return reader.shapes(node, "not")


def _check_not(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], other: Shape) -> Iterable[RawResult]:
    for v in values:
        if run.conforms(other, v):
            yield run.result(shape, focus, NOT.iri, v)


def _list_reader(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[list[Shape]]:
        return reader.shape_list(node, parameter)

    return read


def _list_checker(name: str, ok: Callable[[Evaluation, list[Shape], Term], bool]) -> Check:
    def check(
        run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], members: list[Shape]
    ) -> Iterable[RawResult]:
        for v in values:
            if not ok(run, members, v):
                yield run.result(shape, focus, LISTS[name].iri, v)

    return check


def _xone(run: Evaluation, members: list[Shape], v: Term) -> bool:
    return sum(1 for s in members if run.conforms(s, v)) == 1


def _and(run: Evaluation, members: list[Shape], v: Term) -> bool:
    return all(run.conforms(s, v) for s in members)


def _or(run: Evaluation, members: list[Shape], v: Term) -> bool:
    return any(run.conforms(s, v) for s in members)


def _members(members: list[Shape]) -> list[Shape]:
    return members


NOT = core("Not", "not", read=_read_not, check=_check_not, refs=lambda s: [s])
LISTS = {
    name: core(name.capitalize(), name, read=_list_reader(name), check=_list_checker(name, test), refs=_members)
    for name, test in (("and", _and), ("or", _or), ("xone", _xone))
}
COMPONENTS: list[Component] = [NOT, *LISTS.values()]
