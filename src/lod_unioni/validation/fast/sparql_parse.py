"""Reading the structure of a SELECT or ASK query (:class:`~.sparql_text.Query`) from its tokens.

The syntax itself is checked by Oxigraph; this reader raises ValueError only when it cannot follow
the structure.
"""

from __future__ import annotations

import itertools
import re

from .sparql_text import Group, Query, Select, Token, tokenize, unescape_string

KEYWORDS_OF_GROUPS = {"OPTIONAL", "MINUS", "GRAPH", "SERVICE", "FILTER", "BIND", "VALUES"}
AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}
ANY = "*"  # in the predicates of a variable: any predicate
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_AFTER_TERM = {"subject": "verb", "object": "after", "after": "after", "item": "item", "verb": "object"}


def parse(text: str, prefixes: dict[str, str] | None = None) -> Query:
    """The structure of a SELECT or ASK query; ``prefixes``: declarations added before it."""
    return _Parser(text, dict(prefixes or {})).query()


class _Parser:
    def __init__(self, text: str, prefixes: dict[str, str]) -> None:
        self.tokens = tokenize(text)
        self.i = 0
        self.q = Query(text, self.tokens, Select("SELECT", 0, 0), prefixes)
        self._pending: list[Group] = []  # EXISTS groups met outside a group (projection, HAVING)

    # --- tokens ----------------------------------------------------------------------------------

    def peek(self, k: int = 0) -> Token | None:
        return self.tokens[self.i + k] if self.i + k < len(self.tokens) else None

    def next(self) -> Token:
        t = self.peek()
        if t is None:
            raise ValueError("the query ends too early")
        self.i += 1
        return t

    def at(self, *words: str) -> bool:
        t = self.peek()
        return t is not None and (t.upper in words or (t.kind == "punct" and t.text in words))

    def expect(self, word: str) -> Token:
        if not self.at(word):
            t = self.peek()
            raise ValueError(f"expected {word!r}, found {t.text if t else 'the end'!r}")
        return self.next()

    def calls(self) -> bool:
        """A function call starts here (a built-in name or an IRI followed by "(")."""
        t, after = self.peek(), self.peek(1)
        return t is not None and t.kind in ("word", "iri", "pname") and after is not None and after.text == "("

    # --- the query -------------------------------------------------------------------------------

    def query(self) -> Query:
        while self.at("PREFIX", "BASE"):
            if self.next().upper == "PREFIX":
                name, iri = self.next(), self.next()
                self.q.prefixes[name.text[:-1]] = iri.text[1:-1]
            else:
                self.next()
        if not self.at("SELECT", "ASK"):
            raise ValueError("not a SELECT or ASK query")
        self.q.select = self.select_query()
        if self.at("VALUES"):
            self.q.forbidden.add("VALUES")
            self.skip_values()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek().text!r} after the query")  # type: ignore[union-attr]
        self.q.select.where.children.extend(self._pending)
        self._scan_terms()
        return self.q

    def select_query(self) -> Select:
        keyword = self.i
        sel = Select(self.next().upper, keyword, keyword + 1)
        if sel.form == "SELECT":
            if self.at("DISTINCT", "REDUCED"):
                self.next()
            sel.after_modifier = self.i
            self.projection(sel)
        while self.at("FROM"):
            self.next()
            if self.at("NAMED"):
                self.next()
            self.next()
        if self.at("WHERE"):
            self.next()
        sel.where = self.group("where")
        self.modifiers(sel)
        return sel

    def projection(self, sel: Select) -> None:
        if self.at("*"):
            self.next()
            sel.star = True
            return
        while True:
            t = self.peek()
            if t is not None and t.kind == "var":
                sel.projected.add(t.name)
                sel.bare_projection.append(self.i)
                self.next()
            elif t is not None and t.text == "(":
                self.next()
                found, as_var, aggregates = self.bracketed(None)
                sel.aggregates |= aggregates
                self.q.assigning_vars |= found
                if as_var is not None:
                    sel.projected.add(as_var)
                    sel.as_vars.add(as_var)
            else:
                return

    def modifiers(self, sel: Select) -> None:
        if self.at("GROUP"):
            self.next()
            self.expect("BY")
            sel.aggregates = True
            self.conditions(sel, sel.group_by)
        if self.at("HAVING"):
            self.next()
            sel.aggregates = True
            while self.at("(") or self.calls():
                self.constraint(None)
        if self.at("ORDER"):
            self.next()
            self.expect("BY")
            self.conditions(sel, set())
        while self.at("LIMIT", "OFFSET"):
            self.next()
            self.next()
            sel.limit_offset = True

    def conditions(self, sel: Select, bare: set[str]) -> None:
        """GROUP BY or ORDER BY conditions."""
        while True:
            t = self.peek()
            if t is not None and t.kind == "var":
                bare.add(t.name)
                sel.bare_modifier_vars.append(self.i)
                self.next()
            elif self.at("ASC", "DESC"):
                self.next()
                self.expect("(")
                self.bracketed(None)
            elif self.at("("):
                self.next()
                found, as_var, _agg = self.bracketed(None)
                if as_var is not None:
                    self.q.bind_vars.add(as_var)
                    self.q.assigning_vars |= found
            elif self.calls() and not self.at("HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES"):
                name = self.next().upper
                self.next()
                self.bracketed(None, name)
            else:
                return

    # --- groups ----------------------------------------------------------------------------------

    def group(self, kind: str) -> Group:
        g = Group(kind, open=self.i)
        self.expect("{")
        if self.at("SELECT"):
            g.select = self.select_query()
            self.expect("}")
            return g
        while not self.at("}"):
            self.group_part(g)
        self.next()
        return g

    def group_part(self, g: Group) -> None:
        t = self.peek()
        if t is None:
            raise ValueError("unbalanced braces in the query")
        u = t.upper
        if t.text == "{":
            g.children.append(self.group("group"))
            while self.at("UNION"):
                self.next()
                g.children.append(self.group("group"))
        elif u in ("OPTIONAL", "MINUS"):
            self.next()
            if u == "MINUS":
                self.q.forbidden.add("MINUS")
            g.children.append(self.group(u.lower()))
        elif u in ("GRAPH", "SERVICE"):
            self.next()
            if u == "SERVICE":
                self.q.forbidden.add("SERVICE")
                if self.at("SILENT"):
                    self.next()
            name = self.next()
            child = self.group(u.lower())
            if name.kind == "var":
                child.bound_vars.add(name.name)
            g.children.append(child)
        elif u == "FILTER":
            self.next()
            g.expression_vars |= self.constraint(g)
        elif u == "BIND":
            self.next()
            self.expect("(")
            found, as_var, _agg = self.bracketed(g)
            g.expression_vars |= found
            self.q.assigning_vars |= found
            if as_var is not None:
                self.q.bind_vars.add(as_var)
                g.bound_vars.add(as_var)
        elif u == "VALUES":
            self.q.forbidden.add("VALUES")
            self.skip_values()
        elif t.text == ".":
            self.next()
        else:
            self.triples(g)

    def triples(self, g: Group) -> None:
        """A block of triple patterns (subject, verb, objects; ``[...]`` and ``(...)`` nested)."""
        state, verb = "subject", set[str]()
        stack: list[tuple[str, set[str]]] = []  # the state (and verb) to return to after "]" or ")"
        while True:
            t = self.peek()
            if t is None:
                raise ValueError("unbalanced braces in the query")
            if not stack and (t.text in ("{", "}") or t.upper in KEYWORDS_OF_GROUPS):
                return
            if state == "verb" and t.text not in (";", ".", "]"):
                if t.kind == "var":
                    self.q.variable_predicate = True
                    g.bound_vars.add(self.next().name)
                    verb = {ANY}
                else:
                    verb = self.path()
                state = "object"
            elif t.text in ("[", "("):
                self.next()
                if self.at("]"):
                    self.next()
                    state = _AFTER_TERM[state]
                else:
                    stack.append((_AFTER_TERM[state], verb))
                    state = "verb" if t.text == "[" else "item"
            elif t.text in ("]", ")"):
                self.next()
                state, verb = stack.pop() if stack else ("subject", set())
            elif t.text in (",", ";", "."):
                self.next()
                state = {",": "object", ";": "verb", ".": "subject"}[t.text]
            else:
                self.term(g, {ANY} if state == "item" else verb if state in ("object", "after") else set())
                state = _AFTER_TERM[state]

    def term(self, g: Group, predicates: set[str]) -> None:
        """A term of a triple pattern; ``predicates``: those it is an object of."""
        t = self.next()
        if t.kind == "var":
            g.bound_vars.add(t.name)
            if predicates:
                self.q.object_predicates.setdefault(t.name, set()).update(predicates)
        elif t.text in ("+", "-") and self.peek() is not None:
            self.next()
        elif t.kind == "string":
            if self.at("^^"):
                self.next()
                self.next()
            elif self.peek() is not None and self.peek().kind == "lang":  # type: ignore[union-attr]
                self.next()

    def path(self) -> set[str]:
        """A property path in the verb position: the IRIs it uses (:data:`ANY` for a negated set,
        which matches any other predicate too)."""
        depth, primary, iris = 0, True, set[str]()
        while True:
            t = self.peek()
            if t is None:
                return iris
            if primary:
                if t.text == "!":
                    self.q.variable_predicate = True
                    iris.add(ANY)
                elif t.text == "(":
                    depth += 1
                elif t.text != "^":
                    primary = False
                    iris.add(self._iri_of(t))
            elif t.text in ("/", "|"):
                primary = True
            elif t.text == ")" and depth > 0:
                depth -= 1
            elif t.text not in ("*", "+", "?"):
                return iris
            self.next()

    def _iri_of(self, t: Token) -> str:
        if t.kind == "iri":
            return t.text[1:-1]
        if t.kind == "word" and t.text == "a":
            return RDF_TYPE
        return (self.resolve(t.text) if t.kind == "pname" else None) or ANY

    def skip_values(self) -> None:
        self.next()
        while not self.at("{"):
            self.next()
        depth = 0
        while True:
            t = self.next()
            depth += {"{": 1, "}": -1}.get(t.text, 0)
            if depth == 0:
                return

    # --- expressions -----------------------------------------------------------------------------

    def constraint(self, g: Group | None) -> set[str]:
        """A FILTER or HAVING constraint; the variables it uses."""
        if self.at("("):
            self.next()
            return self.bracketed(g)[0]
        if self.at("NOT"):
            self.next()
        if self.at("EXISTS"):
            self.next()
            self._exists(g)
            return set()
        name = self.next().upper
        self.expect("(")
        return self.bracketed(g, name)[0]

    def bracketed(self, g: Group | None, call: str = "") -> tuple[set[str], str | None, bool]:
        """From after "(" to the matching ")": its variables, the ``AS ?v`` variable, aggregates.
        The variables inside each function call are noted (``call``: the function of this "(")."""
        depth, found, as_var, aggregates = 1, set[str](), None, False
        calls = [(1, call)] if call else []  # (depth of the call's "(", function name)
        while True:
            t = self.next()
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                while calls and calls[-1][0] == depth:
                    calls.pop()
                depth -= 1
                if depth == 0:
                    if as_var is not None:
                        self.q.flows.append((found, as_var))
                    return found, as_var, aggregates
            elif t.kind == "var":
                found.add(t.name)
                for _depth, name in calls:
                    self.q.call_args.setdefault(name, set()).add(t.name)
            elif t.kind == "word" and self.at("("):
                aggregates |= t.upper in AGGREGATES
                calls.append((depth + 1, t.upper))
            elif t.upper == "AS" and depth == 1:
                as_var = self.next().name
            elif t.upper == "EXISTS":
                self._exists(g)

    def _exists(self, g: Group | None) -> None:
        child = self.group("exists")
        (g.children if g is not None else self._pending).append(child)

    def _scan_terms(self) -> None:
        q, tokens = self.q, self.tokens
        q.var_names = {t.name for t in tokens if t.kind == "var"}
        q.functions = {t.upper for t, after in itertools.pairwise(tokens) if t.kind == "word" and after.text == "("}
        for n, t in enumerate(tokens):
            if t.kind == "iri":
                q.iris.add(t.text[1:-1])
            elif t.kind == "pname":
                iri = self.resolve(t.text)
                if iri is not None:
                    q.iris.add(iri)
            elif t.kind == "word" and t.text == "a":
                q.iris.add("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
            elif t.kind == "string" and n + 2 < len(tokens) and tokens[n + 1].text == "^^":
                dt = tokens[n + 2]
                iri = dt.text[1:-1] if dt.kind == "iri" else self.resolve(dt.text)
                if iri is not None:
                    q.typed_literals.append((unescape_string(t.text), iri))

    def resolve(self, pname: str) -> str | None:
        prefix, _, local = pname.partition(":")
        ns = self.q.prefixes.get(prefix)
        return None if ns is None else ns + re.sub(r"\\(.)", r"\1", local)
