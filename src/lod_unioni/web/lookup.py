"""The lookups a renderer needs, made once per store: every triple by subject and by object, the
labels and types of every resource, and the computed labels of the resources that have none of
their own (memberships, figures, values, dates, matches).

Building it reads the store once (one pass over its quads, the named graphs merged into one
graph); every later lookup is a dictionary access, so that a page costs no query at all. The
store must not change afterwards (build a new one for new data).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from ..vocab import DCTERMS, FOAF, IND, L0, LU, MU, ORG, PROV, RDF, RDFS, SKOS, SM, TI, VCARD
from .terms import TERMS

__all__ = ["Label", "Lookup"]

Subject = NamedNode | BlankNode
_TYPE = NamedNode(RDF + "type")
#: The predicates of a resource's own label, first the preferred.
LABEL_PREDICATES = tuple(
    NamedNode(p)
    for p in (
        RDFS + "label",
        SKOS + "prefLabel",
        L0 + "name",
        DCTERMS + "title",
        FOAF + "name",
        VCARD + "fn",
    )
)
_CALCULATION = NamedNode(IND + "IndicatorCalculation")
_VALUE_TYPE = NamedNode(MU + "Value")
_MEMBERSHIP = NamedNode(LU + "Membership")
_WEBSITE = NamedNode(SM + "WebSite")
_TIME = NamedNode(TI + "TimeInterval")
_DERIVATION = NamedNode(PROV + "Derivation")


@dataclass(frozen=True)
class Label:
    """A resource's label for people: ``text`` in ``lang`` (Italian when there is one, else
    English, else any), and ``en``, its English label when it has another one."""

    text: str
    lang: str = "it"
    en: str | None = None


def _literals(triples: Iterable[Triple], predicate: NamedNode) -> list[Literal]:
    return [t.object for t in triples if t.predicate == predicate and isinstance(t.object, Literal)]


class Lookup:
    """Every triple of a store by subject (:attr:`out`), by IRI object (:attr:`into`) and by
    named graph (:attr:`graphs`), with the labels and types of its resources."""

    def __init__(self, store: pyoxigraph.Store | Iterable[Quad]) -> None:
        out: defaultdict[Subject, list[Triple]] = defaultdict(list)
        into: defaultdict[NamedNode, list[Triple]] = defaultdict(list)
        graphs: defaultdict[NamedNode, list[Triple]] = defaultdict(list)
        if isinstance(store, pyoxigraph.Store):
            quads: Iterable[Quad] = store.quads_for_pattern(None, None, None, None)
            merge = any(True for _ in store.named_graphs())
        else:
            quads = list(store)
            merge = any(isinstance(q.graph_name, NamedNode) for q in quads)
        seen: set[Triple] = set()
        for quad in quads:
            t = quad.triple
            if isinstance(quad.graph_name, NamedNode):
                graphs[quad.graph_name].append(t)
            if merge:
                if t in seen:
                    continue
                seen.add(t)
            subject = t.subject
            if isinstance(subject, Triple):
                continue  # RDF-star: no page is about a quoted triple
            out[subject].append(t)
            if isinstance(t.object, NamedNode):
                into[t.object].append(t)
        self.out: dict[Subject, list[Triple]] = dict(out)
        self.into: dict[NamedNode, list[Triple]] = dict(into)
        #: The triples of each named graph.
        self.graphs: dict[NamedNode, list[Triple]] = dict(graphs)
        self._labels: dict[Subject, Label | None] = {}
        self._computed: dict[Subject, Label] = {}
        self._extra: dict[str, tuple[str, str | None]] = {}

    def add_labels(self, labels: Mapping[str, tuple[str, str | None]]) -> None:
        """Labels (Italian, English or None) of IRIs the store does not label, such as OntoPiA's
        regions and provinces: used where the store has none."""
        self._extra.update(labels)
        self._labels.clear()
        self._computed.clear()

    def objects(self, subject: Subject, predicate: NamedNode) -> list:
        return [t.object for t in self.out.get(subject, ()) if t.predicate == predicate]

    def first(self, subject: Subject, predicate: NamedNode) -> object | None:
        for t in self.out.get(subject, ()):
            if t.predicate == predicate:
                return t.object
        return None

    def types(self, subject: Subject) -> list[NamedNode]:
        return [t.object for t in self.out.get(subject, ()) if t.predicate == _TYPE and isinstance(t.object, NamedNode)]

    def own_label(self, node: Subject) -> Label | None:
        """The resource's own label (rdfs:label, skos:prefLabel, l0:name, dcterms:title...:
        Italian first, then English), or the table's for a reused term; None when it has none."""
        if node in self._labels:
            return self._labels[node]
        found = None
        triples = self.out.get(node, ())
        by_lang: dict[str, str] = {}
        for predicate in LABEL_PREDICATES:
            for lit in _literals(triples, predicate):
                by_lang.setdefault(lit.language or "", lit.value)
            if by_lang:
                break
        if by_lang:
            lang = next((x for x in ("it", "en", "") if x in by_lang), next(iter(by_lang)))
            en = by_lang.get("en")
            found = Label(by_lang[lang], lang, en if en != by_lang[lang] else None)
        elif isinstance(node, NamedNode) and (node.value in self._extra or node.value in TERMS):
            it, en = self._extra.get(node.value) or TERMS[node.value]
            found = Label(it, "it", en if en != it else None)
        self._labels[node] = found
        return found

    def label(self, node: Subject, fallback: str) -> Label:
        """The resource's label: its own, else one computed from its type (a figure: indicator,
        value, date; a membership: member and union; a web site: its URL...), else ``fallback``."""
        own = self.own_label(node)
        if own is not None:
            return own
        computed = self._computed.get(node)
        if computed is None:
            computed = self._computed[node] = self._compute(node) or Label(fallback, "")
        return computed

    def _text(self, node: object) -> str:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, NamedNode | BlankNode):
            label = self.label(node, _short(node))
            return label.text
        return ""

    def _compute(self, node: Subject) -> Label | None:
        types = self.types(node)
        if _CALCULATION in types:
            return self._calculation(node)
        if _VALUE_TYPE in types:
            return self._value(node)
        if _MEMBERSHIP in types:
            member = self._text(self.first(node, NamedNode(ORG + "member")))
            union = self._text(self.first(node, NamedNode(ORG + "organization")))
            return Label(f"Adesione di {member} a {union}", "it", f"Membership of {member} in {union}")
        if _WEBSITE in types:
            url = self.first(node, NamedNode(SM + "URL"))
            return Label(url.value, "") if isinstance(url, Literal) else None
        if _TIME in types:
            return self._time(node)
        if _DERIVATION in types:
            method = self.first(node, NamedNode(LU + "matchMethod"))
            if isinstance(method, Literal):
                return Label(f"Abbinamento: {method.value}", "it", f"Match: {method.value}")
        return self._typed(node, types)

    def _typed(self, node: Subject, types: list[NamedNode]) -> Label | None:
        """The label of its first labelled type and the last segment of its IRI ("Intervento italiae")."""
        if not isinstance(node, NamedNode):
            return None
        last = node.value.rstrip("/").rsplit("/", 1)[-1]
        for t in types:
            label = self.own_label(t)
            if label is not None:
                en = f"{label.en} {last}" if label.en else None
                return Label(f"{label.text} {last}", label.lang, en)
        return None

    def _value(self, node: Subject) -> Label | None:
        value = self.first(node, NamedNode(MU + "value"))
        if not isinstance(value, Literal):
            return None
        unit = self.first(node, NamedNode(MU + "hasMeasurementUnit"))
        unit_label = self.own_label(unit) if isinstance(unit, NamedNode) else None
        if unit_label is None:
            return Label(value.value, "")
        en = f"{value.value} {unit_label.en}" if unit_label.en else None
        return Label(f"{value.value} {unit_label.text}", unit_label.lang, en)

    def _time(self, node: Subject) -> Label | None:
        date = self.first(node, NamedNode(TI + "date"))
        if isinstance(date, Literal):
            return Label(date.value, "")
        start = self.first(node, NamedNode(TI + "startTime"))
        end = self.first(node, NamedNode(TI + "endTime"))
        if isinstance(start, Literal) or isinstance(end, Literal):
            text = " – ".join(x.value for x in (start, end) if isinstance(x, Literal))
            return Label(text, "")
        return None

    def _calculation(self, node: Subject) -> Label:
        indicator = self.first(node, NamedNode(IND + "forIndicator"))
        ind_label = self.own_label(indicator) if isinstance(indicator, NamedNode) else None
        value = self.first(node, NamedNode(IND + "hasIndicatorValue"))
        value_label = self._value(value) if isinstance(value, NamedNode | BlankNode) else None
        time = self.first(node, NamedNode(IND + "computedAtTime"))
        when = self._text(time) if time is not None else None
        it_name = ind_label.text if ind_label else "Dato"
        en_name = (ind_label.en or ind_label.text) if ind_label else "Figure"
        it_value = value_label.text if value_label else ""
        en_value = (value_label.en or value_label.text) if value_label else ""
        it = f"{it_name}: {it_value}" + (f" (al {when})" if when else " (dichiarato)")
        en = f"{en_name}: {en_value}" + (f" (at {when})" if when else " (stated)")
        return Label(it, "it", en)


def _short(node: NamedNode | BlankNode) -> str:
    if isinstance(node, BlankNode):
        return "_:" + node.value
    return node.value
