"""The reference engine: rdflib + pySHACL (``--engine pyshacl``, and the shapes ``auto`` gives it).

The data and the shapes are the triples the fast engine gets, handed to rdflib term by term with
their lexical forms unchanged (an N-Triples round trip through rdflib would normalise
``"01"^^xsd:integer`` to ``"1"``) and their blank nodes kept, so that the results name the same
terms whichever engine found them. pySHACL runs in advanced mode when the shapes use SHACL-AF.

Two things pySHACL does not do are done for it, in the shapes graph it gets:

- the prefixes of ``sh:prefixes`` are ``sh:prefixes/owl:imports*/sh:declare`` (SHACL 1.0, 5.2.1),
  and pySHACL reads only the ``sh:declare`` of the ``sh:prefixes`` value itself: the declarations
  of the ontologies it imports (in the shapes graph, never fetched) are copied onto it;
- :func:`reduced_shapes`: the shapes graph where only some shapes have targets (``auto``);
- :func:`xpath_patterns`: ``sh:pattern`` is an XPath regular expression, whose ``$`` is the end of
  the string; pySHACL gives it to Python's ``re``, whose ``$`` also matches before a final newline
  (``"069015\\n"`` would match ``^[0-9]{6}$``): the ``$`` become ``\\Z``.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..errors import LodError
from ..graph import to_rdflib
from ..vocab import OWL, RDF, RDFS, SH
from .fast import RawResult
from .fast.string_based import python_anchors
from .report import results_from_triples, severity_iri
from .terms import Term

if TYPE_CHECKING:
    import rdflib

#: Shapes-graph terms of SHACL Advanced Features: shapes using one run pySHACL in advanced mode.
ADVANCED_FEATURES = frozenset(
    SH + name
    for name in (
        "rule",
        "target",
        "condition",
        "expression",
        "filterShape",
        "SPARQLRule",
        "TripleRule",
        "SPARQLTarget",
        "SPARQLTargetType",
        "TargetType",
        "SPARQLFunction",
        "JSFunction",
        "JSRule",
        "JSTarget",
        "JSTargetType",
    )
)
TARGET_PREDICATES = frozenset(
    SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
)
CLASSES = frozenset((RDFS + "Class", OWL + "Class"))
SHAPE_CLASSES = frozenset((SH + "NodeShape", SH + "PropertyShape"))
_TYPE = RDF + "type"


def uses_advanced_features(shapes: Iterable[Triple]) -> bool:
    return any(t.predicate.value in ADVANCED_FEATURES or _iri(t.object) in ADVANCED_FEATURES for t in shapes)


def targeted_shapes(shapes: Iterable[Triple]) -> list[Term]:
    """The shapes with targets (explicit, or an implicit class target), in the order met."""
    shapes = list(shapes)
    typed: dict[Term, set[str]] = {}
    for t in shapes:
        if t.predicate.value == _TYPE and isinstance(t.object, NamedNode):
            typed.setdefault(t.subject, set()).add(t.object.value)
    found: dict[Term, None] = {}
    for t in shapes:
        types = typed.get(t.subject, set())
        implicit = isinstance(t.subject, NamedNode) and bool(types & CLASSES) and bool(types & SHAPE_CLASSES)
        if implicit or t.predicate.value in TARGET_PREDICATES:
            found[t.subject] = None
    return list(found)


def reduced_shapes(shapes: list[Triple], keep: set[Term]) -> list[Triple]:
    """The shapes graph where only the shapes ``keep`` have targets: the others lose their
    ``sh:target*`` and their implicit class target (``rdf:type rdfs:Class``/``owl:Class``) but stay
    in the graph, for the ``sh:node``, ``sh:property``... that refer to them."""
    return [
        t
        for t in shapes
        if t.subject in keep
        or not (t.predicate.value in TARGET_PREDICATES or (t.predicate.value == _TYPE and _iri(t.object) in CLASSES))
    ]


def xpath_patterns(shapes: list[Triple]) -> list[Triple]:
    """``shapes`` with each ``sh:pattern`` rewritten for Python's ``re`` (:func:`python_anchors`,
    with the ``sh:flags`` of the same shape)."""
    flags = {
        t.subject: t.object.value for t in shapes if t.predicate.value == SH + "flags" and isinstance(t.object, Literal)
    }
    out = []
    for t in shapes:
        if t.predicate.value == SH + "pattern" and isinstance(t.object, Literal):
            rewritten = python_anchors(t.object.value, flags.get(t.subject, ""))
            if rewritten != t.object.value:
                o = t.object
                new = Literal(rewritten, language=o.language) if o.language else Literal(rewritten, datatype=o.datatype)
                t = Triple(t.subject, t.predicate, new)
        out.append(t)
    return out


def _iri(term: Term) -> str | None:
    return term.value if isinstance(term, NamedNode) else None


def imported_declarations(shapes: list[Triple]) -> list[Triple]:
    """``p sh:declare d`` for every value ``p`` of ``sh:prefixes`` and every declaration ``d`` of an
    ontology it imports (``owl:imports+``, in the shapes graph)."""
    objects: dict[tuple[Term, str], list[Term]] = {}
    for t in shapes:
        objects.setdefault((t.subject, t.predicate.value), []).append(t.object)
    declare = NamedNode(SH + "declare")
    out: list[Triple] = []
    for p in {t.object for t in shapes if t.predicate.value == SH + "prefixes"}:
        if isinstance(p, Literal):
            continue
        seen: set[Term] = {p}
        todo = list(objects.get((p, OWL + "imports"), []))
        while todo:
            o = todo.pop()
            if o in seen:
                continue
            seen.add(o)
            out.extend(Triple(p, declare, d) for d in objects.get((o, SH + "declare"), []))
            todo.extend(objects.get((o, OWL + "imports"), []))
    return out


def _from_rdflib(term: rdflib.term.Node) -> Term:
    """An rdflib term as the pyoxigraph term, lexical form unchanged."""
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Literal(str(term), language=term.language)
        return Literal(str(term), datatype=NamedNode(str(term.datatype))) if term.datatype else Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def _pyshacl_error(exc: Exception | str, files: tuple[str, ...]) -> LodError:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    return LodError(f"pySHACL cannot validate with these shapes: {first}", file=", ".join(files) or None)


@contextlib.contextmanager
def _quiet() -> Iterator[list[warnings.WarningMessage]]:
    """rdflib logs every ill-typed literal it meets (a datatype test graph has some on purpose), and
    pySHACL logs and warns in lines of its own: silence them and collect the warnings."""
    rdflib_log, pyshacl_log = logging.getLogger("rdflib.term"), logging.getLogger("pyshacl-validate")
    level, disabled = rdflib_log.level, pyshacl_log.disabled
    rdflib_log.setLevel(logging.CRITICAL)
    pyshacl_log.disabled = True
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        rdflib_log.setLevel(level)
        pyshacl_log.disabled = disabled


def _report_graph(data: list[Triple], shapes: list[Triple], files: tuple[str, ...]) -> rdflib.Graph:
    """pySHACL's report graph; its errors, and a recursion it meets, as a one-line LodError."""
    import pyshacl  # imported only when pySHACL runs
    from pyshacl.errors import ReportableRuntimeError, ShapeRecursionWarning

    with _quiet() as caught:
        try:
            data_graph = to_rdflib(data, exact=True)
            shapes_graph = to_rdflib(xpath_patterns(shapes) + imported_declarations(shapes), exact=True)
            _conforms, report, text = pyshacl.validate(
                data_graph, shacl_graph=shapes_graph, advanced=uses_advanced_features(shapes)
            )
        except (ReportableRuntimeError, SyntaxError, NotImplementedError) as exc:  # bad or unsupported shapes
            raise _pyshacl_error(exc, files) from None
        except Exception as exc:  # a malformed SPARQL query: rdflib's parser (pyparsing) raises its own errors
            if type(exc).__module__.startswith(("pyparsing", "rdflib.plugins.sparql")):
                raise _pyshacl_error(exc, files) from None
            raise
    for w in caught:
        if isinstance(w.message, ShapeRecursionWarning):  # pySHACL would back out and answer "conforms"
            shape = re.search(r"<(?:Node|Property)Shape ([^\s>]+)>", str(w.message))
            where = f"shape {shape.group(1)} " if shape else "a shape "
            message = f"{where}is recursive on this data (recursion is undefined in SHACL 1.0)"
            raise LodError(message, file=", ".join(files) or None)
    if not hasattr(report, "serialize"):  # pySHACL's ValidationFailure: the shapes are wrong
        raise _pyshacl_error(text, files)
    return report


def run_pyshacl(data: list[Triple], shapes: list[Triple], files: tuple[str, ...] = ()) -> list[RawResult]:
    """Validate ``data`` against ``shapes`` with pySHACL; bad shapes (``files``) raise a one-line
    :class:`LodError`, and so does a recursive shape that pySHACL meets (it would back out)."""
    report = [Triple(*(_from_rdflib(x) for x in t)) for t in _report_graph(data, shapes, files)]  # type: ignore[arg-type]
    templates = _message_templates(shapes)
    return [
        RawResult(
            focus=r["focus"],
            path=r["path"],
            value=r["value"],
            severity=severity_iri(r["severity"]),
            messages=_restore_languages(r["messages"], templates.get(r["shape"], [])),
            shape=r["shape"],
            component=r["component"],
            source_constraint=r["source_constraint"],
        )
        for r in results_from_triples(report)
    ]


def _message_templates(shapes: list[Triple]) -> dict[Term, list[Literal]]:
    """For each shape, the ``sh:message`` of the shape and of its ``sh:sparql`` constraints."""
    messages: dict[Term, list[Literal]] = {}
    sparql: dict[Term, list[Term]] = {}
    for t in shapes:
        if t.predicate.value == SH + "message" and isinstance(t.object, Literal):
            messages.setdefault(t.subject, []).append(t.object)
        elif t.predicate.value == SH + "sparql":
            sparql.setdefault(t.subject, []).append(t.object)
    out = {s: list(m) for s, m in messages.items()}
    for s, constraints in sparql.items():
        for c in constraints:
            out.setdefault(s, []).extend(messages.get(c, []))
    return out


def _restore_languages(messages: list[Literal], templates: list[Literal]) -> list[Literal]:
    """pySHACL drops the language tag of SHACL-SPARQL messages once it fills their {?var}s; find each
    message's template (same text with the variables as wildcards) to give the tag back."""
    out = []
    for m in messages:
        if m.language or not templates:
            out.append(m)
            continue
        for t in templates:
            if not t.language:
                continue
            pattern = "".join(
                ".*?" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[?$]\w+\})", t.value)
            )
            if re.fullmatch(pattern, m.value, re.S):
                out.append(Literal(m.value, language=t.language))
                break
        else:
            out.append(m)
    return out
