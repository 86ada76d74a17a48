"""The shapes as the fast engine evaluates them, its results and its errors.

A :class:`Shape` keeps the shapes graph's own terms (its node, blank or not, and the terms of its
parameters); its constraints are :class:`Constraint` objects, each an instance of a
:class:`Component` (the SHACL Core components are declared once, in the modules named after the
sections of the recommendation; SHACL-SPARQL components are built from the shapes graph).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode

from ...errors import LodError
from ..terms import PathExpr, Term, sh


class ShapesError(LodError):
    """The shapes are wrong (a malformed query, a parameter of the wrong kind, a recursive shape):
    one line naming the file and the shape (exit code 2)."""


@dataclass(frozen=True)
class UnsupportedFeature:
    """A shape the fast engine does not evaluate, and why (``feature``, e.g. ``sh:rule (SHACL-AF)``)."""

    shape: Term
    feature: str
    label: str | None = None  # the shape for people (a blank node: where it is used)

    def __str__(self) -> str:
        return f"{self.feature} in shape {self.label or describe(self.shape)}"


class UnsupportedShapes(LodError):
    """The fast engine cannot evaluate some shapes (faithfully): ``features`` lists them, each an
    :class:`UnsupportedFeature` (empty when the error is given as a message)."""

    def __init__(self, features: Sequence[UnsupportedFeature] | str, *, file: str | None = None) -> None:
        if isinstance(features, str):
            self.features: list[UnsupportedFeature] = []
            super().__init__(features, file=file)
            return
        self.features = list(features)
        shown = "; ".join(str(f) for f in self.features[:3])
        more = f" (and {len(self.features) - 3} more)" if len(self.features) > 3 else ""
        super().__init__(f"the fast SHACL engine does not support {shown}{more}", file=file)


@dataclass
class RawResult:
    """One validation result in the data's and the shapes graph's own terms."""

    focus: Term
    path: PathExpr | None
    value: Term | None
    severity: NamedNode
    messages: list[Literal]
    shape: Term
    component: NamedNode
    source_constraint: Term | None = None


# check(evaluation, shape, focus, value nodes, arguments) -> the results of one constraint on one
# focus node (the evaluation: a :class:`~.context.Evaluation`)
Check = Callable[[Any, "Shape", Term, Sequence[Term], Any], Iterable[RawResult]]


# batch(evaluation, shape, focus nodes, arguments) -> the results of one constraint on all the
# focus nodes of a shape at once (when the component can do better than one focus node at a time)
Batch = Callable[[Any, "Shape", Sequence[Term], Any], list[RawResult]]
# read(reader, shape node) -> the arguments of each constraint of the component in the shape (the
# reader: a :class:`~.reader.Reader`); no constraint: an empty list
Read = Callable[[Any, Term], list[Any]]


@dataclass(frozen=True, eq=False)
class Component:
    """A constraint component: its IRI, its parameters (a shape with a value for the first one has
    the component), how its arguments are read and how it is checked. ``property_only``: allowed
    on property shapes only (on a node shape: a ShapesError)."""

    iri: NamedNode
    parameters: tuple[NamedNode, ...]
    read: Read
    check: Check
    property_only: bool = False
    batch: Batch | None = None
    refs: Callable[[Any], list[Shape]] | None = None  # the shapes an argument refers to

    @property
    def name(self) -> str:
        return self.iri.value.rsplit("#", 1)[-1]


def core(
    name: str,
    *parameters: str,
    read: Read,
    check: Check,
    property_only: bool = False,
    batch: Batch | None = None,
    refs: Callable[[Any], list[Shape]] | None = None,
) -> Component:
    """A SHACL Core component (``sh:{name}ConstraintComponent``) with ``sh:`` parameters."""
    iri = sh(name + "ConstraintComponent")
    return Component(iri, tuple(sh(p) for p in parameters), read, check, property_only, batch, refs)


@dataclass(eq=False)
class Constraint:
    """One constraint of a shape: a component and its arguments (as the component reads them).
    ``node``: the constraint's own node (``sh:sparql`` constraints), reported as sh:sourceConstraint."""

    component: Component
    args: Any
    node: Term | None = None


@dataclass(eq=False)
class SparqlMessages:
    """What the reference engine needs of a SHACL-SPARQL constraint: its messages (templates)."""

    node: Term
    messages: list[Literal]


@dataclass(eq=False)
class Shape:
    """A node shape (``path`` None) or a property shape, with its constraints in the order of the
    shapes graph. ``unsupported``: the features it uses that the engine does not evaluate."""

    node: Term
    path: PathExpr | None = None
    targets: list[tuple[str, Term]] = field(default_factory=list)
    severity: NamedNode = field(default_factory=lambda: sh("Violation"))
    messages: list[Literal] = field(default_factory=list)
    deactivated: bool = False
    constraints: list[Constraint] = field(default_factory=list)
    sparql: list[SparqlMessages] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    label: str = ""  # the shape for people: <iri>, or where a blank node is used

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def __repr__(self) -> str:
        return f"Shape({self.label or describe(self.node)})"


def describe(node: Term) -> str:
    """A shape's node for people: ``<iri>``, or ``[]`` for a blank node."""
    if isinstance(node, NamedNode):
        return f"<{node.value}>"
    if isinstance(node, BlankNode):
        return f"[] (blank node {node.value})"
    return str(node)
