"""SPARQL-based constraints (SHACL 5): ``sh:sparql`` with ``sh:select``, the ``sh:prefixes``
declarations, ``$PATH``, and the results of SELECT queries (also used by the SELECT validators of
SPARQL-based constraint components, :mod:`.components`).

A query is checked when the shapes are read: its syntax (by Oxigraph), the pre-binding rules
(:func:`.prebinding.check`); a bad query is a ShapesError naming the shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from ...vocab import OWL
from ..terms import PathExpr, Term, message_text, path_to_sparql
from .context import Evaluation
from .faithful import canonical_forms
from .model import Component, RawResult, Shape, core
from .prebinding import batchable, check
from .reader import TRUE, Reader
from .sparql_parse import parse
from .sparql_run import Bound, Prepared
from .sparql_text import tokenize

SPARQL_PREBOUND = {"this", "currentShape", "shapesGraph"}
_IMPORTS = NamedNode(OWL + "imports")


def prefixes_of(reader: Reader, shape: Term, source: Term) -> dict[str, str]:
    """The prefixes declared (``sh:declare``) by the values of ``sh:prefixes`` of ``source``, following
    ``owl:imports`` inside the shapes graph."""
    out: dict[str, str] = {}
    todo = list(reader.values(source, "prefixes"))
    seen: set[Term] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(reader.graph.objects(node, _IMPORTS))
        for decl in reader.values(node, "declare"):
            prefix = reader.string(shape, "prefix", reader.single(decl, "prefix"))
            ns = reader.single(decl, "namespace")
            namespace = ns.value if isinstance(ns, NamedNode) else reader.string(shape, "namespace", ns)
            if out.get(prefix, namespace) != namespace:
                raise reader.error(shape, f"the prefix {prefix!r} is declared for two namespaces")
            out[prefix] = namespace
    return out


def with_path(reader: Reader, shape: Term, text: str, path: PathExpr | None) -> str:
    """The query with ``$PATH`` replaced by the shape's path."""
    tokens = [t for t in tokenize(text) if t.kind == "var" and t.name == "PATH"]
    if not tokens:
        return text
    if path is None:
        raise reader.error(shape, "$PATH in the SPARQL query of a node shape")
    sparql_path = path_to_sparql(path)
    for t in reversed(tokens):
        text = text[: t.start] + sparql_path + text[t.end :]
    return text


def prepare(
    reader: Reader,
    shape: Shape,
    source: Term,
    text: str,
    *,
    form: str,
    prebound: set[str],
    required: set[str],
) -> Prepared | None:
    """A SELECT (``form``) or ASK query of ``source`` for ``shape``: ShapesError if it is wrong
    (bad syntax, a form the recommendation forbids); None, with the shape marked unsupported, if it
    is a query this reader cannot follow."""
    where = f"the SPARQL query of {reader.label(source)}"
    full = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes_of(reader, shape.node, source).items()) + text
    try:
        _syntax(full)
        query = parse(with_path(reader, shape.node, full, shape.path))
    except SyntaxError as exc:
        raise reader.error(shape.node, f"{where}: {' '.join(str(exc).split())}") from None
    except ValueError as exc:  # Oxigraph reads it, this reader does not
        shape.unsupported.append(f"a SPARQL query the engine cannot analyse ({exc}) in {where}")
        return None
    try:
        if query.select.form != form:
            raise ValueError(f"not {'a SELECT' if form == 'SELECT' else 'an ASK'} query")
        check(query, prebound, required)
    except ValueError as exc:
        raise reader.error(shape.node, f"{where}: {exc}") from None
    typed = [Literal(lex, datatype=NamedNode(dt)) for lex, dt in query.typed_literals]
    for lit, canon in zip(typed, canonical_forms(typed), strict=True):
        if lit != canon:
            shape.unsupported.append(f"the literal {lit} in {where} (a store would read it as {canon})")
    prepared = Prepared(source, query, batchable(query), messages_of(reader, source))
    reader.queries.append(prepared)
    return prepared


def _syntax(query: str) -> None:
    """SyntaxError if Oxigraph does not accept the query (run on an empty store; never a SERVICE)."""
    try:
        words = {t.upper for t in tokenize(query)}
    except ValueError:
        words = set()
    if "SERVICE" in words:
        raise SyntaxError("SERVICE is not allowed in a SHACL-SPARQL query (pre-binding)")
    ox.Store().query(query)


def messages_of(reader: Reader, node: Term) -> list[Literal]:
    return [m for m in reader.values(node, "message") if isinstance(m, Literal)]


def format_message(message: Literal, bindings: dict[str, Term]) -> Literal:
    """Substitute ``{?var}`` / ``{$var}`` in a message, keeping its language tag."""
    text = message.value
    for var, term in bindings.items():
        replacement = message_text(term).replace("\\", "\\\\")  # inserted as it is
        text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", replacement, text)
    return Literal(text, language=message.language) if message.language else Literal(text)


def select_results(
    run: Evaluation, shape: Shape, bound: Bound, focus_nodes: Sequence[Term], component: NamedNode
) -> list[RawResult]:
    """One result per distinct solution of a SELECT query pre-bound to each focus node."""
    out, seen = [], set()
    for focus, row in run.sparql.select(bound, focus_nodes):
        if row.get("failure") == TRUE:
            raise run.error(shape, f"the SPARQL query of {bound.prepared.source} reported a failure (?failure)")
        path_term = row.get("path")
        path = path_term if isinstance(path_term, NamedNode) else shape.path
        value = row.get("value")
        if value is None and not shape.is_property:
            value = focus
        key = (focus, path, value, tuple(sorted((k, str(v)) for k, v in row.items() if k != "this")))
        if key in seen:
            continue
        seen.add(key)
        bindings = {**bound.constants, **row, "this": focus}
        if value is not None:
            bindings["value"] = value
        messages = [format_message(m, bindings) for m in (bound.messages or shape.messages)]
        out.append(
            run.result(
                shape, focus, component, value, path=path, messages=messages, source_constraint=bound.source_constraint
            )
        )
    return out


# --- sh:sparql ----------------------------------------------------------------------------------


def _read_sparql(reader: Reader, node: Term) -> list[Bound]:
    shape = reader.shape_of(node)
    out = []
    for c in reader.values(node, "sparql"):
        if isinstance(c, Literal):
            raise reader.error(node, f"the value of sh:sparql must be a SPARQL constraint, not {c}")
        if reader.boolean(c, "deactivated"):
            continue
        if reader.values(c, "ask"):
            raise reader.error(node, f"the SPARQL constraint {reader.label(c)} has sh:ask (only sh:select is allowed)")
        text = reader.string(node, "select", reader.single(c, "select"))
        prepared = prepare(reader, shape, c, text, form="SELECT", prebound=SPARQL_PREBOUND, required={"this"})
        if prepared is None:
            continue
        out.append(Bound(prepared, {"currentShape": node}, source_constraint=c, messages=prepared.messages))
    return out


def _check_sparql(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], bound: Bound
) -> Iterable[RawResult]:
    return select_results(run, shape, bound, [focus], SPARQL.iri)


def _batch_sparql(run: Evaluation, shape: Shape, focus_nodes: Sequence[Term], bound: Bound) -> list[RawResult]:
    return select_results(run, shape, bound, focus_nodes, SPARQL.iri)


SPARQL = core("SPARQL", "sparql", read=_read_sparql, check=_check_sparql, batch=_batch_sparql)
COMPONENTS: list[Component] = [SPARQL]
