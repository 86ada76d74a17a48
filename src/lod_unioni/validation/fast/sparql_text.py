"""SPARQL queries as tokens, and the light structure :mod:`.sparql_parse` finds in them: enough to
apply SHACL's pre-binding rules.

A :class:`Query` has its groups (``{...}`` with their kind: the WHERE clause, a plain or UNION
group, OPTIONAL, MINUS, GRAPH, SERVICE, EXISTS), the variables each group uses directly (in its
triple patterns, and in its FILTER and BIND expressions), its subqueries, projections and solution
modifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+|\#[^\n]*)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    |(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
    |(?P<bnode>_:[A-Za-z0-9_\u00c0-\uffff](?:[A-Za-z0-9_\-.\u00b7\u00c0-\uffff]*[A-Za-z0-9_\-\u00b7\u00c0-\uffff])?)
    |(?P<pname>(?:[A-Za-z\u00c0-\uffff](?:[A-Za-z0-9_\-.\u00b7\u00c0-\uffff]*[A-Za-z0-9_\-\u00b7\u00c0-\uffff])?)?:
        (?:(?:[A-Za-z0-9_:\u00c0-\uffff]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?\#@%-])
           (?:(?:[A-Za-z0-9_\-.:\u00b7\u00c0-\uffff]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?\#@%-])*
              (?:[A-Za-z0-9_\-:\u00b7\u00c0-\uffff]|%[0-9A-Fa-f]{2}|\\[_~.!$&'()*+,;=/?\#@%-]))?)?)
    |(?P<number>\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
    |(?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>&&|\|\||!=|<=|>=|\^\^|[{}()\[\].,;*=<>!+\-/|^?])
    """,
    re.X,
)


@dataclass
class Token:
    kind: str  # iri, string, var, bnode, pname, number, lang, word, punct
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    @property
    def name(self) -> str:
        """A variable's name, without ``?`` or ``$``."""
        return self.text[1:]


@dataclass
class Group:
    """A group graph pattern ``{...}`` (or a subquery, when ``select`` is set)."""

    kind: str  # where, group, optional, minus, graph, service, exists
    bound_vars: set[str] = field(default_factory=set)  # in its own triple patterns, GRAPH ?g, BIND (... AS ?v)
    expression_vars: set[str] = field(default_factory=set)  # in its own FILTER / BIND expressions
    children: list[Group] = field(default_factory=list)
    select: Select | None = None
    open: int = -1  # token index of its "{"

    def walk(self) -> list[Group]:
        """This group and every group inside it (subqueries included)."""
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        if self.select is not None:
            out.extend(self.select.where.walk())
        return out


@dataclass
class Select:
    """A SELECT (or ASK) query or subquery."""

    form: str  # SELECT or ASK
    keyword: int  # token index of SELECT/ASK
    after_modifier: int  # token index after SELECT [DISTINCT|REDUCED]
    star: bool = False
    projected: set[str] = field(default_factory=set)  # bare variables and AS variables
    bare_projection: list[int] = field(default_factory=list)  # token indexes of bare projected variables
    as_vars: set[str] = field(default_factory=set)
    aggregates: bool = False
    where: Group = field(default_factory=lambda: Group("where"))
    group_by: set[str] = field(default_factory=set)  # bare variables of GROUP BY
    bare_modifier_vars: list[int] = field(default_factory=list)  # bare variables of GROUP BY / ORDER BY
    limit_offset: bool = False


@dataclass
class Query:
    text: str
    tokens: list[Token]
    select: Select
    prefixes: dict[str, str]
    forbidden: set[str] = field(default_factory=set)  # MINUS, SERVICE, VALUES found
    bind_vars: set[str] = field(default_factory=set)  # variables bound with BIND (... AS ?v)
    assigning_vars: set[str] = field(default_factory=set)  # variables used in the expression of an AS
    variable_predicate: bool = False  # a variable (or a negated property set) as a predicate
    iris: set[str] = field(default_factory=set)  # every IRI written in the query (prefixed names resolved)
    typed_literals: list[tuple[str, str]] = field(default_factory=list)  # ("lexical form", datatype IRI)
    var_names: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)  # names called (upper case): STR, REGEX, ...
    object_predicates: dict[str, set[str]] = field(default_factory=dict)  # var -> predicates it is an object of
    call_args: dict[str, set[str]] = field(default_factory=dict)  # function -> variables in its arguments
    flows: list[tuple[set[str], str]] = field(default_factory=list)  # (variables of an expression, AS var)

    @property
    def groups(self) -> list[Group]:
        return self.select.where.walk()


def tokenize(text: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            raise ValueError(f"unexpected character {text[i]!r} in the query")
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, m.group(0), m.start(), m.end()))
        i = m.end()
    return tokens


_STRING_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape_string(token: str) -> str:
    """The value of a SPARQL string literal token."""
    quote = 3 if token[:3] in ('"""', "'''") else 1
    body = token[quote:-quote]
    return re.sub(
        r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)",
        lambda m: (
            chr(int(m.group(1)[1:], 16))
            if m.group(1)[0] in "uU" and len(m.group(1)) > 1
            else _STRING_ESCAPES.get(m.group(1), m.group(1))
        ),
        body,
    )
