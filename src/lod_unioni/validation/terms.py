"""RDF terms, namespaces and SHACL property paths shared by the validation engines.

A *path* is kept as a small hashable expression, equal whichever engine produced it:

- a :class:`pyoxigraph.NamedNode` for a predicate path;
- ``("seq", (p1, p2, ...))``, ``("alt", (p1, p2, ...))`` for sequence and alternative paths;
- ``("inv", p)``, ``("zeroOrMore", p)``, ``("oneOrMore", p)``, ``("zeroOrOne", p)``.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from .. import vocab
from ..graph import Term
from ..vocab import LU, RDF, SH, XSD

RDF_TYPE = NamedNode(RDF + "type")
RDF_FIRST = NamedNode(RDF + "first")
RDF_REST = NamedNode(RDF + "rest")
RDF_NIL = NamedNode(RDF + "nil")
UNION_CLASS = NamedNode(LU + "UnioneDiComuni")

SEVERITIES = ("Violation", "Warning", "Info")

# Prefixes used to print IRIs for people (text report) and in the Turtle report.
DISPLAY_PREFIXES = {
    p: vocab.PREFIXES[p]
    for p in (
        "sh",
        "rdf",
        "rdfs",
        "xsd",
        "org",
        "skos",
        "lu",
        "lush",
        "lus",
        "lust",
        "lui",
        "lupm",
        "lupst",
        "prj",
        "cov",
        "clv",
        "l0",
        "sm",
        "ti",
        "ind",
        "mu",
        "creg",
        "cprov",
        "ccities",
        "s13",
        "legal",
    )
}

PathExpr = NamedNode | tuple

PATH_KEYS = {  # SHACL path predicate -> path expression tag
    SH + "inversePath": "inv",
    SH + "zeroOrMorePath": "zeroOrMore",
    SH + "oneOrMorePath": "oneOrMore",
    SH + "zeroOrOnePath": "zeroOrOne",
}
_PATH_SUFFIX = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}


def sh(name: str) -> NamedNode:
    return NamedNode(SH + name)


def sparql_term(term: Term) -> str:
    """A term in SPARQL syntax (N-Triples syntax is valid SPARQL for IRIs and literals)."""
    if isinstance(term, BlankNode):
        raise ValueError("a blank node cannot be written in a SPARQL query")
    return str(term)


def sparql_string(text: str) -> str:
    """A SPARQL string literal for ``text``."""
    return str(Literal(text))


def path_to_sparql(path: PathExpr) -> str:
    """The SPARQL property path of a path expression, with full IRIs."""
    if isinstance(path, NamedNode):
        return str(path)
    tag, arg = path
    if tag == "seq":
        return "(" + "/".join(path_to_sparql(p) for p in arg) + ")"
    if tag == "alt":
        return "(" + "|".join(path_to_sparql(p) for p in arg) + ")"
    if tag == "inv":
        return "^(" + path_to_sparql(arg) + ")"
    return "(" + path_to_sparql(arg) + ")" + _PATH_SUFFIX[tag]


def compact_iri(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``prefix:local`` when a known namespace fits and the local part is simple, else ``<iri>``."""
    for prefix, ns in (prefixes or DISPLAY_PREFIXES).items():
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "-_" for c in local) and local[0] != "-":
                return f"{prefix}:{local}"
    return f"<{iri}>"


def display_term(term: Term | None) -> str:
    """A short form of a term for people: prefixed IRIs, literals in N-Triples syntax."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact_iri(term.value)
    if isinstance(term, Literal):
        dt = term.datatype.value
        if term.language or dt == XSD + "string":
            return str(term)
        if dt in (XSD + "integer", XSD + "decimal", XSD + "boolean"):
            return term.value
        return f'"{term.value}"^^{compact_iri(dt)}'
    return str(term)


def display_path(path: PathExpr | None) -> str:
    if path is None:
        return ""
    if isinstance(path, NamedNode):
        return compact_iri(path.value)
    tag, arg = path
    if tag == "seq":
        return "/".join(display_path(p) for p in arg)
    if tag == "alt":
        return "(" + "|".join(display_path(p) for p in arg) + ")"
    if tag == "inv":
        return "^" + display_path(arg)
    return "(" + display_path(arg) + ")" + _PATH_SUFFIX[tag]


def message_text(term: Term) -> str:
    """The text SHACL-SPARQL substitutes for ``{?var}`` in a message (as pySHACL does: ``str(node)``)."""
    if isinstance(term, (NamedNode, BlankNode, Literal)):
        return term.value
    return str(term)


def local_name(term: Term | None) -> str:
    """The last segment of an IRI (the rule id of our shapes); ``_:`` for blank nodes."""
    if isinstance(term, NamedNode):
        iri = term.value
        cut = max(iri.rfind("/"), iri.rfind("#"))
        return iri[cut + 1 :] or iri
    if term is None:
        return ""
    return "_:" + term.value if isinstance(term, BlankNode) else str(term)
