"""A small SPARQL lexer: just enough to read a query's prologue and structure safely.

It skips comments, strings (short and long, with escapes) and IRIs, so that braces, ``#`` or
keywords inside them are never mistaken for syntax. It is used to

* read the ``PREFIX`` declarations (to expand ``prefix:local`` IRI parameters and to show
  compact IRIs in tables),
* find the query form (SELECT, ASK, CONSTRUCT, DESCRIBE),
* list the variables a query mentions (a declared parameter must be one of them),
* find the brace that opens the ``WHERE`` group, where a ``VALUES`` block of parameter bindings
  is placed for remote endpoints.

It does not validate SPARQL: the engine (Oxigraph locally, the endpoint remotely) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LodError

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PNAME_REST = re.compile(r"(?:[\w\-.:%]|\\.)*")


def _pname_end(text: str, pos: int) -> int:
    """Where the local part of a prefixed name that starts at ``pos`` ends (it may be empty)."""
    m = _PNAME_REST.match(text, pos)
    return m.end() if m else pos


_VAR = re.compile(r"[?$]([A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Token:
    kind: str  # word, pname, var, iri, string, lbrace, rbrace, punct, number
    value: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split SPARQL text into tokens, dropping whitespace and comments."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            j = _string_end(text, i)
            tokens.append(Token("string", text[i:j], i, j))
            i = j
            continue
        if c == "<":
            m = _IRIREF.match(text, i)
            if m:
                tokens.append(Token("iri", m.group(), i, m.end()))
                i = m.end()
                continue
            tokens.append(Token("punct", c, i, i + 1))
            i += 1
            continue
        if c in "?$":
            m = _VAR.match(text, i)
            if m:
                tokens.append(Token("var", m.group(1), i, m.end()))
                i = m.end()
                continue
        if c == "{":
            tokens.append(Token("lbrace", c, i, i + 1))
            i += 1
            continue
        if c == "}":
            tokens.append(Token("rbrace", c, i, i + 1))
            i += 1
            continue
        m = _WORD.match(text, i)
        if m:
            j = m.end()
            if j < n and text[j] == ":":  # prefixed name (or PNAME_NS in a PREFIX declaration)
                end = _pname_end(text, j + 1)
                tokens.append(Token("pname", text[i:end], i, end))
                i = end
            else:
                tokens.append(Token("word", m.group(), i, j))
                i = j
            continue
        if c == ":":  # the empty prefix
            end = _pname_end(text, i + 1)
            tokens.append(Token("pname", text[i:end], i, end))
            i = end
            continue
        m = _NUMBER.match(text, i)
        if m:
            tokens.append(Token("number", m.group(), i, m.end()))
            i = m.end()
            continue
        tokens.append(Token("punct", c, i, i + 1))
        i += 1
    return tokens


def _string_end(text: str, i: int) -> int:
    """Index just after the string literal starting at ``i`` (short or long form)."""
    q = text[i]
    if text.startswith(q * 3, i):
        j = i + 3
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith(q * 3, j):
                # a long string may end with up to two extra quotes: """a""""" is 'a""'
                k = j + 3
                while k < len(text) and text[k] == q and k - j < 5:
                    k += 1
                return k
            j += 1
        raise LodError("unterminated long string literal in the query")
    j = i + 1
    while j < len(text):
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        if ch == q:
            return j + 1
        if ch in "\r\n":
            break
        j += 1
    raise LodError("unterminated string literal in the query")


def prefixes(text: str) -> dict[str, str]:
    """The ``PREFIX`` declarations of a query: prefix (without colon) -> namespace IRI."""
    result: dict[str, str] = {}
    tokens = tokenize(text)
    for k, tok in enumerate(tokens[:-2]):
        if tok.kind == "word" and tok.value.upper() == "PREFIX":
            name, iri = tokens[k + 1], tokens[k + 2]
            if name.kind == "pname" and name.value.endswith(":") and iri.kind == "iri":
                result[name.value[:-1]] = iri.value[1:-1]
    return result


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword outside braces."""
    depth = 0
    for tok in tokenize(text):
        if tok.kind == "lbrace":
            depth += 1
        elif tok.kind == "rbrace":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.value.upper() in FORMS:
            return tok.value.upper()
    raise LodError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")


def variables(text: str) -> set[str]:
    """Names of all the variables (``?x`` or ``$x``) the query mentions."""
    return {tok.value for tok in tokenize(text) if tok.kind == "var"}


def where_group_start(text: str) -> int:
    """Offset just after the ``{`` that opens the query's ``WHERE`` group."""
    tokens = tokenize(text)
    depth = 0
    for k, tok in enumerate(tokens):
        if tok.kind == "lbrace":
            depth += 1
        elif tok.kind == "rbrace":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.value.upper() in FORMS:
            form = tok.value.upper()
            rest = tokens[k + 1 :]
            if form == "CONSTRUCT":
                if rest and rest[0].kind == "word" and rest[0].value.upper() == "WHERE":
                    raise LodError(
                        "parameters cannot be bound in the short form CONSTRUCT WHERE { ... }; "
                        "write the template and the WHERE clause separately"
                    )
                if rest and rest[0].kind == "lbrace":  # skip the template
                    end = _matching_brace(rest, 0)
                    rest = rest[end + 1 :]
            for t in rest:
                if t.kind == "lbrace":
                    return t.end
                if t.kind == "rbrace":
                    break
            raise LodError(f"cannot bind parameters: this {form} query has no WHERE group")
    raise LodError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")


def _matching_brace(tokens: list[Token], start: int) -> int:
    depth = 0
    for k in range(start, len(tokens)):
        if tokens[k].kind == "lbrace":
            depth += 1
        elif tokens[k].kind == "rbrace":
            depth -= 1
            if depth == 0:
                return k
    raise LodError("unbalanced braces in the query")


def insert_at_where(text: str, fragment: str) -> str:
    """Return the query with ``fragment`` placed first inside its ``WHERE`` group."""
    at = where_group_start(text)
    return f"{text[:at]}\n  {fragment}\n{text[at:]}"
