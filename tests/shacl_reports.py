"""Reading SHACL validation reports in tests, and comparing them as the W3C SHACL test suite does:
the ``sh:conforms`` flag and the results on (focusNode, resultPath, value, sourceShape,
sourceConstraintComponent, resultSeverity), blank nodes matched as in graph isomorphism, the path
as a canonical string, terms compared as RDF terms (``"4.0"^^xsd:decimal`` is not ``"4"``)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import pyoxigraph as ox
import rdflib
from conftest import RDF, SH
from rdflib.compare import isomorphic

from lod_unioni.graph import to_rdflib_term

KEYS = ("focusNode", "resultPath", "value", "sourceShape", "sourceConstraintComponent", "resultSeverity")
PATHS = (("inversePath", "^{}"), ("zeroOrMorePath", "{}*"), ("oneOrMorePath", "{}+"), ("zeroOrOnePath", "{}?"))


class Index:
    """Subject -> predicate IRI -> objects, of a parsed graph."""

    def __init__(self, triples):
        self.spo: dict = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def objects(self, s, p):
        return self.spo.get(s, {}).get(p, [])

    def one(self, s, p):
        values = self.objects(s, p)
        return values[0] if values else None

    def items(self, head):
        out = []
        while head != ox.NamedNode(RDF + "nil"):
            out.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return out

    def path_string(self, node) -> str:
        if isinstance(node, ox.NamedNode):
            return f"<{node.value}>"
        if self.objects(node, RDF + "first"):
            return "(" + "/".join(self.path_string(x) for x in self.items(node)) + ")"
        for key, fmt in PATHS:
            inner = self.one(node, SH + key)
            if inner is not None:
                return fmt.format(self.path_string(inner))
        alternatives = self.one(node, SH + "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(self.path_string(x) for x in self.items(alternatives)) + ")"
        return "?"

    def summary(self, report) -> tuple[bool | None, rdflib.Graph]:
        """The report's conforms flag, and its results as a graph of the compared fields only."""
        g = rdflib.Graph()
        for n, r in enumerate(self.objects(report, SH + "result")):
            node = rdflib.BNode(f"result{n}")
            g.add((node, rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")))
            for key in KEYS:
                for v in self.objects(r, SH + key):
                    term = rdflib.Literal(self.path_string(v)) if key == "resultPath" else to_rdflib_term(v, exact=True)
                    g.add((node, rdflib.URIRef(SH + key), term))
        conforms = self.one(report, SH + "conforms")
        return (None if conforms is None else conforms.value == "true"), g


def parse(path: Path) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.absolute().as_uri())]


def report_summary(text: str) -> tuple[bool | None, rdflib.Graph]:
    """The summary of a report in Turtle (``lod-unioni validate --format turtle``)."""
    index = Index(q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    [report] = [s for s in index.spo if ox.NamedNode(SH + "ValidationReport") in index.objects(s, RDF + "type")]
    return index.summary(report)


def same_summary(a: tuple[bool | None, rdflib.Graph], b: tuple[bool | None, rdflib.Graph]) -> bool:
    return a[0] == b[0] and isomorphic(a[1], b[1])


def lines(summary: tuple[bool | None, rdflib.Graph]) -> list[str]:
    """A summary's results as sorted N-Triples lines (for assertion messages)."""
    return sorted(summary[1].serialize(format="nt").splitlines())


@contextlib.contextmanager
def quiet_rdflib():
    """rdflib logs every ill-typed literal it converts (the suites have some on purpose)."""
    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)
