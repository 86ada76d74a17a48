"""From the engines' raw results to :class:`~.report.ValidationResult`: a message for the shapes
that give none, the severity's name, and the union each result is about."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Triple

from ..vocab import L0, RDFS
from .fast import RawResult
from .fast.index import Graph
from .report import ValidationResult, severity_name, split_messages
from .terms import RDF_TYPE, UNION_CLASS, Term, display_path, display_term, local_name

GENERIC_MESSAGES = {  # component -> (en, it) for shapes without sh:message
    "MinCountConstraintComponent": ("Fewer values than sh:minCount", "Meno valori di sh:minCount"),
    "MaxCountConstraintComponent": ("More values than sh:maxCount", "Più valori di sh:maxCount"),
    "DatatypeConstraintComponent": ("Value of the wrong datatype", "Valore del tipo di dato sbagliato"),
    "NodeKindConstraintComponent": ("Value of the wrong node kind", "Valore del tipo di nodo sbagliato"),
    "ClassConstraintComponent": ("Value not an instance of the class", "Valore non istanza della classe"),
    "InConstraintComponent": ("Value not in the allowed list", "Valore non tra quelli ammessi"),
    "HasValueConstraintComponent": ("Required value missing", "Manca il valore richiesto"),
    "PatternConstraintComponent": ("Value does not match the pattern", "Il valore non rispetta il modello"),
    "MinInclusiveConstraintComponent": ("Value too small", "Valore troppo piccolo"),
    "MinExclusiveConstraintComponent": ("Value too small", "Valore troppo piccolo"),
    "MaxInclusiveConstraintComponent": ("Value too large", "Valore troppo grande"),
    "MaxExclusiveConstraintComponent": ("Value too large", "Valore troppo grande"),
    "MinLengthConstraintComponent": ("Value too short", "Valore troppo corto"),
    "MaxLengthConstraintComponent": ("Value too long", "Valore troppo lungo"),
    "LanguageInConstraintComponent": ("Language not allowed", "Lingua non ammessa"),
    "UniqueLangConstraintComponent": ("Language used more than once", "Lingua usata più di una volta"),
    "NodeConstraintComponent": ("Value does not conform to the node shape", "Il valore non è conforme alla forma"),
    "SPARQLConstraintComponent": ("SPARQL constraint not satisfied", "Vincolo SPARQL non soddisfatto"),
}


def finish(data: Iterable[Triple] | Graph, raw: list[RawResult]) -> list[ValidationResult]:
    """The results of ``raw`` on the graph ``data`` (its triples, or grouped in a :class:`Graph`)."""
    unions = unions_of(data, {r.focus for r in raw})
    out = []
    for r in raw:
        it, en, others = split_messages(r.messages)
        if it is None and en is None and not others:
            en, it = GENERIC_MESSAGES.get(
                local_name(r.component), ("Constraint not satisfied", "Vincolo non soddisfatto")
            )
            what = display_path(r.path) or ""
            suffix = (
                f" ({what}{' = ' + display_term(r.value) if r.value is not None else ''})" if what or r.value else ""
            )
            en, it = en + suffix, it + suffix
        union, name = unions.get(r.focus, (None, None))
        out.append(
            ValidationResult(
                union=union,
                focus=r.focus,
                path=r.path,
                value=r.value,
                severity=severity_name(r.severity),
                message_it=it,
                message_en=en,
                shape=r.shape,
                component=r.component,
                union_name=name,
                other_messages=others,
            )
        )
    return out


_NAME = NamedNode(L0 + "name")
_LABEL = NamedNode(RDFS + "label")


def unions_of(data: Iterable[Triple] | Graph, focus_nodes: set[Term]) -> dict[Term, tuple[str, str | None]]:
    """For each focus node (an IRI), the union it is about: itself if it is a union, else a union
    linked to it by one triple in either direction (the lowest IRI if several); with the union's
    name: its ``l0:name`` in Italian, else its ``rdfs:label`` (the lowest if several)."""
    iris = {f for f in focus_nodes if isinstance(f, NamedNode)}
    if not iris:
        return {}
    graph = data if isinstance(data, Graph) else Graph(data)
    unions: set[Term] = {t.subject for t in graph.triples(RDF_TYPE) if t.object == UNION_CLASS}
    names: dict[Term, list[str]] = {}  # l0:name in Italian
    for t in graph.triples(_NAME):
        o = t.object
        if isinstance(o, Literal) and _italian(o.language):
            names.setdefault(t.subject, []).append(o.value)
    labels: dict[Term, list[str]] = {}
    for t in graph.triples(_LABEL):
        if not isinstance(t.object, Triple):
            labels.setdefault(t.subject, []).append(t.object.value)
    links: dict[Term, set[Term]] = {}
    for p in graph.predicates:
        for t in graph.triples(p):
            s, o = t.subject, t.object
            if s in iris:
                links.setdefault(s, set()).add(o)
            if o in iris:
                links.setdefault(o, set()).add(s)
    found: dict[Term, tuple[str, str | None]] = {}
    for f in iris:
        candidates = [f] if f in unions else [u for u in links.get(f, ()) if u in unions]
        best: tuple[tuple[str, str], str, str | None] | None = None
        for u in candidates:
            value = u.value if not isinstance(u, Triple) else str(u)
            found_names: list[str | None] = [*(names.get(u) or labels.get(u) or ())] or [None]
            for label in found_names:
                rank = (value, label or "")
                if best is None or rank < best[0]:
                    best = (rank, value, label)
        if best is not None:
            found[f] = (best[1], best[2])
    return found


def _italian(language: str | None) -> bool:
    """SPARQL's ``langMatches(LANG(?x), "it")``."""
    tag = (language or "").lower()
    return tag == "it" or tag.startswith("it-")
