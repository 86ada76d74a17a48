"""What a constraint component sees of an evaluation in progress (implemented by the engine)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pyoxigraph import Literal, NamedNode

from ..terms import PathExpr, Term
from .index import Graph
from .model import RawResult, Shape, ShapesError
from .sparql_run import SparqlRunner

#: ``path`` argument of :meth:`Evaluation.result` meaning "the shape's own path".
SHAPE_PATH = ("shape",)


class Evaluation(Protocol):
    """The data graph and the operations constraint components need."""

    @property
    def data(self) -> Graph: ...

    @property
    def sparql(self) -> SparqlRunner:
        """The SPARQL side of the run (the store, built when a query first needs it)."""
        ...

    def result(
        self,
        shape: Shape,
        focus: Term,
        component: NamedNode,
        value: Term | None = None,
        *,
        path: PathExpr | tuple | None = SHAPE_PATH,
        messages: Sequence[Literal] | None = None,
        source_constraint: Term | None = None,
    ) -> RawResult:
        """A result of ``shape`` on ``focus`` (its severity and messages, the shape's path unless
        ``path`` is given)."""
        ...

    def error(self, shape: Shape, message: str) -> ShapesError:
        """A ShapesError about ``shape`` (naming the shapes file)."""
        ...

    def value_nodes(self, shape: Shape, focus: Term) -> list[Term]:
        """The value nodes of ``shape`` for ``focus``."""
        ...

    def results(self, shape: Shape, focus: Term) -> list[RawResult]:
        """Every result of validating ``focus`` against ``shape``."""
        ...

    def conforms(self, shape: Shape, node: Term) -> bool:
        """Whether ``node`` conforms to ``shape`` (memoised; a recursive shape is a ShapesError)."""
        ...
