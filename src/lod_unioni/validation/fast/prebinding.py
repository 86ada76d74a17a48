"""SHACL-SPARQL pre-binding (SHACL 5.3.1 and 6.4): the rules a query must follow, and the query text
with the pre-bound variables replaced by their values.

Pre-binding replaces every occurrence of a pre-bound variable (``$this``, ``$value``,
``$currentShape``, ``$shapesGraph``, the parameters of a component) by its value, everywhere in
the query: :func:`substitute` does exactly that on the tokens (a projected variable becomes
``(value AS ?var)``, a bare ``GROUP BY``/``ORDER BY`` variable ``(value)``). Blank nodes cannot be
written in a query: they are handed to Oxigraph as substitutions instead, which Oxigraph applies
everywhere except in expressions that return the variable itself (``BIND ($this AS ?x)``);
:func:`blank_node_safe` says when that does not matter.

:func:`batchable` says when a SELECT query may run once for all the focus nodes (``VALUES ?this``
at the start of the WHERE clause) with the same solutions as one pre-bound run per focus node.
"""

from __future__ import annotations

from .sparql_text import Group, Query, Select


def check(query: Query, prebound: set[str], required: set[str]) -> None:
    """Raise ValueError if the query breaks a pre-binding rule: MINUS, SERVICE, VALUES; ``AS ?v``
    for a pre-bound ``?v``; a subquery that does not return every ``required`` variable."""
    if query.forbidden:
        raise ValueError(f"{', '.join(sorted(query.forbidden))} is not allowed in a SHACL-SPARQL query (pre-binding)")
    selects = _selects(query)
    reassigned = (query.bind_vars | {v for s in selects for v in s.as_vars}) & prebound
    if reassigned:
        raise ValueError(f"the pre-bound variable ?{sorted(reassigned)[0]} is assigned with AS")
    for sub in selects[1:]:
        for var in sorted(required):
            if not _returns(sub, var):
                raise ValueError(f"a subquery does not return the pre-bound variable ${var}")


def _selects(query: Query) -> list[Select]:
    """The query and its subqueries (the query first)."""
    return [query.select] + [g.select for g in query.groups if g.select is not None]


def _returns(select: Select, var: str) -> bool:
    if not select.star:
        return var in select.projected
    return var in _in_scope(select.where)


def _in_scope(group: Group) -> set[str]:
    """The variables a group binds (what ``SELECT *`` returns)."""
    if group.select is not None:
        return group.select.projected if not group.select.star else _in_scope(group.select.where)
    out = set(group.bound_vars)
    for child in group.children:
        if child.kind not in ("exists", "minus"):
            out |= _in_scope(child)
    return out


def _mentions(group: Group, var: str) -> bool:
    return any(var in g.bound_vars or var in g.expression_vars for g in group.walk()) or any(
        g.select is not None and var in g.select.projected for g in group.walk()
    )


def batchable(query: Query, var: str = "this") -> bool:
    """Whether joining the WHERE clause with ``VALUES ?var { ... }`` gives, for each value, the
    solutions of the query pre-bound to that value: ``?var`` occurs only in the WHERE clause
    itself, or in nested groups that bind it in their own triple patterns (so that it is bound
    wherever it is used); no subquery uses it; no LIMIT/OFFSET; aggregates grouped by ``?var``."""
    select = query.select
    if select.limit_offset or (select.aggregates and var not in select.group_by):
        return False
    for group in select.where.walk()[1:]:
        if group.select is not None:
            if _mentions(group, var):
                return False
        elif var in group.expression_vars and var not in group.bound_vars:
            return False
    return True


def blank_node_safe(query: Query, var: str) -> bool:
    """Whether Oxigraph's substitution of a blank node for ``?var`` is the pre-binding: the variable
    is not used in the expression of a BIND or of a projection (where Oxigraph does not see it as
    bound when the expression returns it) and can be projected (no aggregates unless grouped by it)."""
    select = query.select
    if var in query.assigning_vars:
        return False
    return not (select.form == "SELECT" and select.aggregates and var not in select.group_by)


def substitute(
    query: Query,
    constants: dict[str, str],
    *,
    values: tuple[str, list[str]] | None = None,
    project: tuple[str, ...] = (),
) -> str:
    """The query text with each variable of ``constants`` (name -> SPARQL term) replaced by its
    value; ``values``: ``(var, terms)`` joined at the start of the WHERE clause; ``project``:
    variables added to the projection (when not there)."""
    tokens, text = query.tokens, query.text
    selects = _selects(query)
    top = set(selects[0].bare_projection)
    sub_projection = {i for s in selects[1:] for i in s.bare_projection}
    modifiers = {i for s in selects for i in s.bare_modifier_vars}
    select = query.select
    missing = [v for v in project if not select.star and v not in select.projected]
    out, pos, skip = [], 0, 0
    for n, t in enumerate(tokens):
        if skip:
            skip -= 1
            pos = t.end
            continue
        out.append(text[pos : t.start])
        pos = t.end
        if t.upper == "BOUND" and _bound_of_constant(tokens, n, constants):
            out.append("(true)")  # BOUND of a pre-bound variable (BOUND takes only a variable)
            skip = 3
            continue
        if select.form == "SELECT" and n == select.after_modifier and missing:
            out.append(" ".join("?" + v for v in missing) + " ")
        if n == select.where.open and values is not None:
            var, terms = values
            out.append(f"{{ VALUES ?{var} {{ {' '.join(terms)} }} ")
            continue
        value = constants.get(t.name) if t.kind == "var" else None
        if value is None:
            out.append(t.text)
        elif n in top:
            out.append(f"({value} AS ?{t.name})")
        elif n in sub_projection:
            out.append(f"({value} AS ?{t.name}_prebound_{n})")
        elif n in modifiers:
            out.append(f"({value})")
        else:
            out.append(value)
    out.append(text[pos:])
    return "".join(out)


def _bound_of_constant(tokens: list, n: int, constants: dict[str, str]) -> bool:
    around = tokens[n + 1 : n + 4]
    return (
        len(around) == 3
        and around[0].text == "("
        and around[1].kind == "var"
        and around[1].name in constants
        and around[2].text == ")"
    )
