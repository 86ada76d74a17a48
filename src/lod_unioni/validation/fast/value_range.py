"""Value range constraint components (SHACL 4.3): sh:minExclusive, sh:minInclusive,
sh:maxExclusive, sh:maxInclusive, compared as SPARQL's operators compare (:func:`.xsd.compare`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from pyoxigraph import Literal

from ..terms import Term
from .context import Evaluation
from .model import Check, Component, RawResult, Read, Shape, core
from .reader import Reader
from .xsd import compare

# parameter -> whether compare(value, bound) passes
_TESTS: dict[str, Callable[[int], bool]] = {
    "minExclusive": lambda c: c > 0,
    "minInclusive": lambda c: c >= 0,
    "maxExclusive": lambda c: c < 0,
    "maxInclusive": lambda c: c <= 0,
}


def _reader(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[Literal]:
        return [reader.literal(node, parameter, reader.single(node, parameter))]

    return read


def _checker(parameter: str) -> Check:
    test = _TESTS[parameter]
    component = f"{parameter[0].upper()}{parameter[1:]}"

    def check(
        run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], bound: Literal
    ) -> Iterable[RawResult]:
        for v in values:
            c = compare(v, bound)
            if c is None or not test(c):
                yield run.result(shape, focus, COMPONENTS_BY_NAME[component].iri, v)

    return check


COMPONENTS: list[Component] = [core(f"{p[0].upper()}{p[1:]}", p, read=_reader(p), check=_checker(p)) for p in _TESTS]
COMPONENTS_BY_NAME = {c.name.removesuffix("ConstraintComponent"): c for c in COMPONENTS}
