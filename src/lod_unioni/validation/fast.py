"""The fast SHACL engine: shapes compiled to set-based SPARQL queries run on a pyoxigraph Store.

Each shape gives a handful of queries over *all* its focus nodes at once (instead of pySHACL's
one evaluation per focus node):

- one query for all the value-level constraints of the shape (datatype, nodeKind, class, in,
  pattern, min/max inclusive/exclusive, min/max length, languageIn), each a projected boolean;
- one query per cardinality (minCount, maxCount), hasValue and uniqueLang constraint;
- one query per SHACL-SPARQL constraint: ``$this`` becomes a variable joined with the target
  pattern, ``$PATH`` the shape's path;
- sh:node evaluates the referenced shape on the value nodes (a nested target pattern).

The semantics are those of SHACL 1.0 as pySHACL implements them; tests run both engines on every
test graph and compare the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode

from ..vocab import RDF, RDFS, SH, XSD
from .shapes import COMPONENT_OF, Shape, ShapesGraph, SparqlConstraint, UnsupportedShapes
from .terms import PathExpr, Term, message_text, path_to_sparql, sh, sparql_string, sparql_term

TYPE_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"
ILL_FORMED = "<urn:x-lod-unioni:ill-formed>"
# Datatypes whose lexical form is checked (a cast fails on ill-formed literals), as pySHACL/rdflib do.
CHECKED_DATATYPES = {XSD + t for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime")}
NODE_KINDS = {
    "IRI": "!isIRI(?value)",
    "BlankNode": "!isBlank(?value)",
    "Literal": "!isLiteral(?value)",
    "BlankNodeOrIRI": "isLiteral(?value)",
    "BlankNodeOrLiteral": "isIRI(?value)",
    "IRIOrLiteral": "isBlank(?value)",
}
COMPARISONS = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}

Target = Callable[[str], str]  # variable name -> group graph pattern binding it to the focus nodes


@dataclass
class RawResult:
    focus: Term
    path: PathExpr | None
    value: Term | None
    severity: NamedNode
    messages: list[Literal]
    shape: Term
    component: NamedNode
    source_constraint: Term | None = None


def _component(parameter: str) -> NamedNode:
    return sh(COMPONENT_OF[parameter])


def target_pattern(shape: Shape, has_subclasses: Callable[[Term], bool] | None = None) -> Target:
    if (
        len(shape.targets) == 1
        and shape.targets[0][0] == "class"
        and has_subclasses is not None
        and not has_subclasses(shape.targets[0][1])
    ):
        # the common case, a class without subclasses: a plain pattern the query planner can start from
        cls = sparql_term(shape.targets[0][1])
        return lambda v: f"?{v} <{RDF}type> {cls} ."
    parts = []
    for kind, term in shape.targets:
        if kind == "class":
            parts.append(lambda v, t=term: f"?{v} {TYPE_PATH} {sparql_term(t)} .")
        elif kind == "node":
            parts.append(lambda v, t=term: f"VALUES ?{v} {{ {sparql_term(t)} }}")
        elif kind == "subjectsOf":
            parts.append(lambda v, t=term: f"?{v} {sparql_term(t)} ?{v}_o .")
        elif kind == "objectsOf":
            parts.append(lambda v, t=term: f"?{v}_s {sparql_term(t)} ?{v} .")

    def pattern(v: str) -> str:
        body = " UNION ".join("{ " + p(v) + " }" for p in parts)
        return f"{{ SELECT DISTINCT ?{v} WHERE {{ {body} }} }}"

    return pattern


_TERM_TYPES = (NamedNode, BlankNode, Literal, ox.Triple)

# The value of a constraint parameter, as the shapes model keeps it (see Shape.constraints), read
# back with its type; a value of another type is not one of our shapes': UnsupportedShapes.


def _term(arg: object) -> Term:
    if not isinstance(arg, _TERM_TYPES):
        raise UnsupportedShapes(f"not an RDF term: {arg!r}")
    return arg


def _term_value(arg: object) -> str:
    """The IRI, blank node id or lexical form of a term."""
    term = _term(arg)
    if isinstance(term, ox.Triple):
        raise UnsupportedShapes(f"a quoted triple is not a SHACL value: {term}")
    return term.value


def _terms(arg: object) -> tuple[Term, ...]:
    """The members of an RDF list (``sh:in``, ``sh:languageIn``)."""
    if not isinstance(arg, tuple):
        raise UnsupportedShapes(f"not an RDF list: {arg!r}")
    return tuple(_term(t) for t in arg)


def _count(arg: object) -> int:
    if not isinstance(arg, int):
        raise UnsupportedShapes(f"not an integer: {arg!r}")
    return arg


def _pattern(arg: object) -> tuple[str, str]:
    """(pattern, flags) of ``sh:pattern``."""
    if not (isinstance(arg, tuple) and len(arg) == 2 and all(isinstance(a, str) for a in arg)):
        raise UnsupportedShapes(f"not a pattern and its flags: {arg!r}")
    return str(arg[0]), str(arg[1])


def _shape(arg: object) -> Shape:
    if not isinstance(arg, Shape):
        raise UnsupportedShapes(f"not a shape: {arg!r}")
    return arg


def _value_condition(parameter: str, arg: object) -> str:
    """A SPARQL boolean expression, true when ``?value`` violates the constraint."""
    if parameter == "datatype":
        dt = _term_value(arg)
        if dt == RDFS + "Literal":
            return "!isLiteral(?value)"
        ok = f"isLiteral(?value) && sameTerm(DATATYPE(?value), <{dt}>)"
        if dt in CHECKED_DATATYPES:
            ok += f" && isLiteral(COALESCE(<{dt}>(?value), {ILL_FORMED}))"
        return f"!COALESCE({ok}, false)"
    if parameter == "nodeKind":
        kind = _term_value(arg)[len(SH) :]
        if kind not in NODE_KINDS:
            raise UnsupportedShapes(f"sh:nodeKind {arg}")
        return NODE_KINDS[kind]
    if parameter == "class":
        return f"NOT EXISTS {{ ?value {TYPE_PATH} {sparql_term(_term(arg))} }}"
    if parameter == "in":
        members = _terms(arg)
        if any(isinstance(t, BlankNode) for t in members):
            raise UnsupportedShapes("blank node in sh:in")
        if not members:
            return "true"
        return "!(" + " || ".join(f"sameTerm(?value, {sparql_term(t)})" for t in members) + ")"
    if parameter == "pattern":
        pattern, flags = _pattern(arg)
        return f"isBlank(?value) || !REGEX(STR(?value), {sparql_string(pattern)}, {sparql_string(flags)})"
    if parameter in COMPARISONS:
        return f"!COALESCE(?value {COMPARISONS[parameter]} {sparql_term(_term(arg))}, false)"
    if parameter == "minLength":
        return f"isBlank(?value) || !COALESCE(STRLEN(STR(?value)) >= {_count(arg)}, false)"
    if parameter == "maxLength":
        return f"isBlank(?value) || !COALESCE(STRLEN(STR(?value)) <= {_count(arg)}, false)"
    if parameter == "languageIn":
        languages = _terms(arg)
        if not languages:
            return "true"
        tests = " || ".join(f"langMatches(LANG(?value), {sparql_string(_term_value(t))})" for t in languages)
        return f"!COALESCE(isLiteral(?value) && ({tests}), false)"
    raise UnsupportedShapes(f"sh:{parameter}")


VALUE_LEVEL = {"datatype", "nodeKind", "class", "in", "pattern", "minLength", "maxLength", "languageIn", *COMPARISONS}


# --- SHACL-SPARQL ---------------------------------------------------------------------------------

_TOKEN = re.compile(r'"""|\'\'\'|"|\'|#|<[^<>"{}|^`\\\s]*>', re.S)
_AGGREGATE = re.compile(r"\b(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(", re.I)


def _mask(text: str) -> str:
    """``text`` with the insides of strings, IRIs and comments blanked out (same length), so that
    keywords and braces can be searched in what is left."""
    out, i = [], 0
    while True:
        m = _TOKEN.search(text, i)
        if m is None:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i : m.start()])
        tok = m.group(0)
        if tok == "#":
            nl = text.find("\n", m.end())
            end = len(text) if nl < 0 else nl
        elif tok.startswith("<"):
            end = m.end()
        else:
            j = m.end()
            while True:
                k = text.find(tok, j)
                if k < 0:
                    raise UnsupportedShapes("unterminated string in a SPARQL query")
                backslashes = len(text[:k]) - len(text[:k].rstrip("\\"))
                if len(tok) == 1 and backslashes % 2 == 1:
                    j = k + 1
                    continue
                end = k + len(tok)
                break
        out.append(" " * (end - m.start()))
        i = end


@dataclass
class CompiledSparql:
    constraint: SparqlConstraint
    prefix_text: str
    head: str  # text before the WHERE group's "{" (with ?this projected)
    body: str  # text after it


def _verbatim(text: str) -> Callable[[re.Match[str]], str]:
    """A replacement for :func:`re.sub` that inserts ``text`` as it is (no backslash escapes)."""
    return lambda _m: text


def compile_sparql(constraint: SparqlConstraint, shape: Shape) -> CompiledSparql:
    text = constraint.select
    for var in ("shapesGraph", "currentShape"):
        if re.search(r"\$" + var + r"\b", text):
            raise UnsupportedShapes(f"${var} in a SPARQL constraint")
    if re.search(r"\$PATH\b", text):
        if shape.path is None:
            raise UnsupportedShapes("$PATH in a SPARQL constraint of a node shape")
        path = path_to_sparql(shape.path)
        text = re.sub(r"\$PATH\b", _verbatim(path), text)
    masked = _mask(text)
    if re.search(r"\b(LIMIT|OFFSET|VALUES|MINUS|SERVICE)\b", masked, re.I):
        # MINUS, SERVICE and VALUES are not allowed in SHACL-SPARQL (pre-binding); LIMIT and OFFSET
        # would apply to all the focus nodes at once here
        raise UnsupportedShapes("LIMIT, OFFSET, VALUES, MINUS or SERVICE in a SPARQL constraint")
    select = re.search(r"\bSELECT\b", masked, re.I)
    if select is None or "{" not in masked:
        raise UnsupportedShapes("a SPARQL constraint that is not a SELECT query")
    brace = masked.index("{")
    head, body = text[:brace], text[brace + 1 :]
    masked_head, masked_body = masked[:brace], masked[brace + 1 :]
    sub = re.search(r"\bSELECT\b", masked_body, re.I)
    if sub and re.search(r"[?$]this\b", masked_body[sub.start() :]):
        raise UnsupportedShapes("a subquery that uses $this")
    projection = masked_head[select.end() :]
    if "*" not in projection and not re.search(r"[?$]this\b", projection):
        m = re.match(r"\s*(DISTINCT|REDUCED)?", projection, re.I)  # always matches
        cut = select.end() + (m.end() if m else 0)
        head = head[:cut] + " ?this " + head[cut:]
    group = re.search(r"\bGROUP\s+BY\b(.*?)(\bHAVING\b|\bORDER\b|$)", masked_body, re.I | re.S)
    aggregate = _AGGREGATE.search(projection) or re.search(r"\bHAVING\b", masked_body, re.I)
    if aggregate and (group is None or not re.search(r"[?$]this\b", group.group(1))):
        raise UnsupportedShapes("an aggregate SPARQL constraint not grouped by $this")
    prefix_text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in constraint.prefixes.items())
    return CompiledSparql(constraint, prefix_text, head, body)


# --- the engine ---------------------------------------------------------------------------------


class FastEngine:
    """Compile a :class:`ShapesGraph` once; :meth:`run` it on any number of stores."""

    def __init__(self, shapes: ShapesGraph):
        self.shapes = shapes
        self._sparql: dict[int, CompiledSparql] = {}
        for shape in shapes.all_shapes.values():
            self._check(shape)

    def _check(self, shape: Shape) -> None:
        for parameter, arg in shape.constraints:
            if parameter in VALUE_LEVEL:
                _value_condition(parameter, arg)
            elif parameter == "hasValue" and isinstance(_term(arg), BlankNode):
                raise UnsupportedShapes("blank node in sh:hasValue")
        for c in shape.sparql:
            if c.select:
                self._sparql[id(c)] = compile_sparql(c, shape)

    def run(self, store: ox.Store, union_default_graph: bool = False) -> list[RawResult]:
        self._store = store
        self._union = union_default_graph
        results: list[RawResult] = []
        subclasses: dict[Term, bool] = {}

        def has_subclasses(cls: Term) -> bool:
            if cls not in subclasses:
                subclasses[cls] = self._ask(f"ASK {{ ?sub <{RDFS}subClassOf>+ {sparql_term(cls)} }}")
            return subclasses[cls]

        for shape in self.shapes.shapes:
            results.extend(self._evaluate(shape, target_pattern(shape, has_subclasses), depth=0))
        return results

    def _run_query(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self._store.query(query, use_default_graph_as_union=self._union)
        except SyntaxError as exc:  # a bug in a shape or in the compiler: say which query
            raise UnsupportedShapes(f"query not accepted by Oxigraph ({exc}): {query}") from None

    def _query(self, query: str) -> ox.QuerySolutions:
        """The solutions of a SELECT query."""
        answer = self._run_query(query)
        if not isinstance(answer, ox.QuerySolutions):
            raise UnsupportedShapes(f"not a SELECT query: {query}")
        return answer

    def _ask(self, query: str) -> bool:
        return bool(self._run_query(query))

    def _evaluate(self, shape: Shape, target: Target, depth: int) -> list[RawResult]:
        if shape.deactivated:
            return []
        if depth > 8:
            raise UnsupportedShapes("sh:node nested too deeply")
        out: list[RawResult] = []
        t = target("this")
        if shape.path is not None:  # a property shape
            path = path_to_sparql(shape.path)
            value_pattern = f"?this {path} ?value ."
        else:
            path = None
            value_pattern = "BIND(?this AS ?value)"

        def result(focus: Term, value: Term | None, parameter: str) -> RawResult:
            return RawResult(
                focus=focus,
                path=shape.path if shape.is_property else None,
                value=value,
                severity=shape.severity,
                messages=shape.messages,
                shape=shape.node,
                component=_component(parameter),
            )

        # value-level constraints: one query for the shape
        conditions = [(p, a) for p, a in shape.constraints if p in VALUE_LEVEL]
        if conditions:
            binds = " ".join(
                f"BIND(COALESCE({_value_condition(p, a)}, false) AS ?c{i})" for i, (p, a) in enumerate(conditions)
            )
            flags = " ".join(f"?c{i}" for i in range(len(conditions)))
            where = " || ".join(f"?c{i}" for i in range(len(conditions)))
            q = f"SELECT DISTINCT ?this ?value {flags} WHERE {{ {t} {value_pattern} {binds} FILTER({where}) }}"
            for row in self._query(q):
                for i, (p, _) in enumerate(conditions):
                    flag = row[f"c{i}"]
                    if flag is not None and flag.value == "true":
                        out.append(result(row["this"], row["value"], p))

        for parameter, arg in shape.constraints:
            if parameter in ("minCount", "maxCount"):
                op = "<" if parameter == "minCount" else ">"
                count = _count(arg)
                if parameter == "minCount" and count <= 0:
                    continue
                optional = f"OPTIONAL {{ {value_pattern} }}" if parameter == "minCount" else value_pattern
                having = f"HAVING (COUNT(DISTINCT ?value) {op} {count})"
                q = f"SELECT ?this WHERE {{ {t} {optional} }} GROUP BY ?this {having}"
                out.extend(result(row["this"], None, parameter) for row in self._query(q))
            elif parameter == "hasValue":
                if shape.is_property:
                    q = f"SELECT ?this WHERE {{ {t} FILTER NOT EXISTS {{ ?this {path} {sparql_term(_term(arg))} }} }}"
                    out.extend(result(row["this"], None, parameter) for row in self._query(q))
                else:
                    q = f"SELECT ?this WHERE {{ {t} FILTER(!sameTerm(?this, {sparql_term(_term(arg))})) }}"
                    out.extend(result(row["this"], None, parameter) for row in self._query(q))
            elif parameter == "uniqueLang":
                q = (
                    f"SELECT DISTINCT ?this ?lang WHERE {{ {t} ?this {path} ?a . ?this {path} ?b . "
                    f'FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && isLiteral(?b) && LANG(?a) != "" '
                    f"&& LCASE(LANG(?a)) = LCASE(LANG(?b))) BIND(LCASE(LANG(?a)) AS ?lang) }}"
                )
                out.extend(result(row["this"], None, parameter) for row in self._query(q))
            elif parameter == "node":
                out.extend(self._node(_shape(arg), target, value_pattern, depth, result))

        for c in shape.sparql:
            if c.select:
                out.extend(self._run_sparql(shape, self._sparql[id(c)], t))

        for prop in shape.properties:
            out.extend(self._evaluate(prop, target, depth))
        return out

    def _node(
        self,
        inner_shape: Shape,
        target: Target,
        value_pattern: str,
        depth: int,
        result: Callable[[Term, Term | None, str], RawResult],
    ) -> list[RawResult]:
        """The value nodes that do not conform to ``inner_shape`` (sh:node)."""
        var = f"f{depth}"
        outer = target(var)
        vp = value_pattern.replace("?this", f"?{var}")

        def inner_target(v: str) -> str:
            return f"{{ SELECT DISTINCT ?{v} WHERE {{ {outer} {vp.replace('?value', '?' + v)} }} }}"

        failing = {r.focus for r in self._evaluate(inner_shape, inner_target, depth + 1)}
        if not failing:
            return []
        pairs = self._query(f"SELECT DISTINCT ?this ?value WHERE {{ {target('this')} {value_pattern} }}")
        return [result(row["this"], row["value"], "node") for row in pairs if row["value"] in failing]

    def _run_sparql(self, shape: Shape, compiled: CompiledSparql, t: str) -> list[RawResult]:
        query = compiled.prefix_text + compiled.head + "{ " + t + " " + compiled.body
        constraint = compiled.constraint
        messages = constraint.messages or shape.messages
        out, seen = [], set()
        solutions = self._query(query)
        variables = [v.value for v in solutions.variables]
        for row in solutions:
            bindings = {v: row[v] for v in variables if row[v] is not None}
            if "failure" in bindings:
                raise UnsupportedShapes("?failure in a SPARQL constraint")
            focus = bindings.get("this")
            if focus is None:
                continue
            path_term = bindings.get("path")
            path = path_term if isinstance(path_term, NamedNode) else (shape.path if shape.is_property else None)
            value = bindings.get("value")
            if value is None and not shape.is_property:
                value = focus
            key = (focus, path, value, tuple(sorted((k, str(v)) for k, v in bindings.items())))
            if key in seen:
                continue
            seen.add(key)
            subst = dict(bindings)
            subst["this"] = focus
            if path_term is not None:
                subst["path"] = path_term
            if value is not None:
                subst["value"] = value
            out.append(
                RawResult(
                    focus=focus,
                    path=path,
                    value=value,
                    severity=shape.severity,
                    messages=[format_message(m, subst) for m in messages],
                    shape=shape.node,
                    component=sh("SPARQLConstraintComponent"),
                    source_constraint=constraint.node,
                )
            )
        return out


def format_message(message: Literal, bindings: dict[str, Term]) -> Literal:
    """Substitute ``{?var}`` / ``{$var}`` in a SHACL-SPARQL message, keeping its language tag."""
    text = message.value
    for var, term in bindings.items():
        text = re.sub(r"\{[?$]" + re.escape(var) + r"\}", _verbatim(message_text(term)), text)
    if message.language:
        return Literal(text, language=message.language)
    return Literal(text)
