"""Cardinality constraint components (SHACL 4.2): sh:minCount, sh:maxCount (property shapes)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..terms import Term
from .context import Evaluation
from .model import Component, RawResult, Read, Shape, core
from .reader import Reader


def _count(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[int]:
        n = reader.integer(node, parameter)
        if n is None or n < 0:
            raise reader.error(node, f"the value of sh:{parameter} must be a non-negative integer")
        return [] if parameter == "minCount" and n == 0 else [n]

    return read


def _check_min(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], n: int) -> Iterable[RawResult]:
    if len(values) < n:
        yield run.result(shape, focus, MIN_COUNT.iri)


def _check_max(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], n: int) -> Iterable[RawResult]:
    if len(values) > n:
        yield run.result(shape, focus, MAX_COUNT.iri)


MIN_COUNT = core("MinCount", "minCount", read=_count("minCount"), check=_check_min, property_only=True)
MAX_COUNT = core("MaxCount", "maxCount", read=_count("maxCount"), check=_check_max, property_only=True)
COMPONENTS: list[Component] = [MIN_COUNT, MAX_COUNT]
