"""SPARQL-based constraint components (SHACL 6): components declared in the shapes graph.

A component is any SHACL instance of ``sh:ConstraintComponent`` in the shapes graph (typed through
a subclass too). A shape uses it when it has a value for each of its mandatory parameters
(``sh:parameter`` with ``sh:path``; ``sh:optional true`` ones may be missing); one constraint per
combination of parameter values. The validator: ``sh:nodeValidator`` (node shapes) or
``sh:propertyValidator`` (property shapes), SELECT queries, else ``sh:validator``, an ASK query
asked for each value node; a shape with no suitable validator ignores the component. The
parameters are pre-bound to their values, named after the local name of their path.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode

from ..terms import Term, sh
from .context import Evaluation
from .index import Graph
from .model import Component, RawResult, Shape, ShapesError, describe
from .reader import Reader
from .sparql import SPARQL_PREBOUND, format_message, prepare, select_results
from .sparql_run import Bound


@dataclass(frozen=True)
class Parameter:
    path: NamedNode
    name: str
    optional: bool


def local_name(iri: str) -> str:
    return iri[max(iri.rfind("#"), iri.rfind("/"), iri.rfind(":")) + 1 :]


def declared_components(graph: Graph, reader: Reader) -> list[Component]:
    """The SPARQL-based constraint components of the shapes graph, in IRI order."""
    found = [c for c in graph.instances(sh("ConstraintComponent")) if not str(c).startswith(f"<{sh('').value}")]
    out = []
    for node in sorted(set(found), key=str):
        if not isinstance(node, NamedNode):
            raise ShapesError(f"the constraint component {describe(node)} must be an IRI", file=reader.files)
        out.append(_component(graph, reader, node))
    return out


def _component(graph: Graph, reader: Reader, node: NamedNode) -> Component:
    params = []
    for p in graph.objects(node, sh("parameter")):
        path = reader.iri(node, "path", reader.single(p, "path"))
        params.append(Parameter(path, local_name(path.value), reader.boolean(p, "optional")))
    if not params:
        raise ShapesError(f"the constraint component <{node.value}> has no sh:parameter", file=reader.files)
    params.sort(key=lambda p: (p.optional, p.path.value))
    validators = {kind: reader.one(node, kind) for kind in ("validator", "nodeValidator", "propertyValidator")}
    spec = _Spec(node, tuple(params), validators)
    return Component(node, tuple(p.path for p in params), spec.read, spec.check, batch=spec.batch)


@dataclass(frozen=True)
class _Args:
    bound: Bound
    ask: bool


class _Spec:
    """How one declared component reads its arguments and checks them."""

    def __init__(self, iri: NamedNode, params: tuple[Parameter, ...], validators: dict[str, Term | None]) -> None:
        self.iri = iri
        self.params = params
        self.validators = validators

    def read(self, reader: Reader, node: Term) -> list[_Args]:
        values = {p.name: reader.values(node, p.path) for p in self.params}
        if any(not values[p.name] for p in self.params if not p.optional):
            return []
        shape = reader.shape_of(node)
        kind = "propertyValidator" if shape.is_property else "nodeValidator"
        validator = self.validators[kind] or self.validators["validator"]
        if validator is None:
            return []
        if reader.values(validator, "jsFunctionName"):
            shape.unsupported.append(f"a JavaScript validator of <{self.iri.value}> (SHACL-JS)")
            return []
        ask = self.validators[kind] is None
        key = "ask" if ask else "select"
        text = reader.string(validator, key, reader.single(validator, key))
        prebound = SPARQL_PREBOUND | {p.name for p in self.params} | ({"value"} if ask else set())
        required = {"this", "value"} if ask else {"this"}
        prepared = prepare(
            reader, shape, validator, text, form="ASK" if ask else "SELECT", prebound=prebound, required=required
        )
        if prepared is None:
            return []
        present = [p.name for p in self.params if values[p.name]]
        out = []
        for combination in itertools.product(*(values[name] for name in present)):
            constants: dict[str, Term] = dict(zip(present, combination, strict=True))
            constants["currentShape"] = node
            out.append(_Args(Bound(prepared, constants, messages=shape.messages or prepared.messages), ask))
        return out

    def check(
        self, run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], args: _Args
    ) -> Iterable[RawResult]:
        if not args.ask:
            return select_results(run, shape, args.bound, [focus], self.iri)
        return self._ask(run, shape, focus, values, args.bound)

    def batch(self, run: Evaluation, shape: Shape, focus_nodes: Sequence[Term], args: _Args) -> list[RawResult]:
        if not args.ask:
            return select_results(run, shape, args.bound, focus_nodes, self.iri)
        return [r for f in focus_nodes for r in self._ask(run, shape, f, run.value_nodes(shape, f), args.bound)]

    def _ask(self, run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], bound: Bound) -> list[RawResult]:
        out = []
        for v in values:
            if not run.sparql.ask(bound, {"this": focus, "value": v}):
                bindings = {**bound.constants, "this": focus, "value": v}
                messages = [format_message(m, bindings) for m in bound.messages]
                out.append(run.result(shape, focus, self.iri, v, messages=messages))
        return out
