"""Validation results and the SHACL validation report in text, Turtle and JSON-LD."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..graph import to_bytes
from ..vocab import RDF, SH, XSD
from .terms import (
    DISPLAY_PREFIXES,
    PATH_KEYS,
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    SEVERITIES,
    PathExpr,
    Term,
    display_path,
    display_term,
    local_name,
    path_to_sparql,
    sh,
)

_PATH_PREDICATES = {tag: key for key, tag in PATH_KEYS.items()}


def severity_name(severity: Term | None) -> str:
    """The severity of a result as :class:`ValidationResult` keeps it: ``"Violation"``,
    ``"Warning"``, ``"Info"`` for SHACL's own, the IRI for any other (a custom severity)."""
    if not isinstance(severity, NamedNode):
        return "Violation" if severity is None else str(severity)
    value = severity.value
    return value[len(SH) :] if value.startswith(SH) and value[len(SH) :] in SEVERITIES else value


def severity_iri(name: str) -> NamedNode:
    """The IRI of a severity named as :func:`severity_name` names it."""
    return sh(name) if name in SEVERITIES else NamedNode(name)


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``.

    ``union`` is the IRI of the Unione di Comuni the result is about (the focus node itself for the
    bundled shapes), ``severity`` one of ``"Violation"``, ``"Warning"``, ``"Info"`` (or the IRI of a
    custom severity, which counts as a violation for :meth:`ValidationReport.fails`); ``focus``,
    ``value``, ``shape`` and ``component`` are pyoxigraph terms; ``path`` a path expression (see
    :mod:`lod_unioni.validation.terms`), ``path_sparql`` the same as a SPARQL property path.
    """

    union: str | None
    focus: Term
    path: PathExpr | None
    value: Term | None
    severity: str
    message_it: str | None
    message_en: str | None
    shape: Term
    component: NamedNode
    union_name: str | None = field(default=None, compare=False)
    other_messages: tuple[Literal, ...] = field(default=(), compare=False)

    @property
    def rule(self) -> str:
        """The rule id: the local name of the source shape (e.g. ``union-total-population``)."""
        return local_name(self.shape)

    @property
    def component_name(self) -> str:
        return local_name(self.component)

    @property
    def path_sparql(self) -> str | None:
        return None if self.path is None else path_to_sparql(self.path)

    def key(self, with_value: bool = True) -> tuple:
        """A comparable key, independent of the engine (blank nodes count as equal)."""

        def norm(t: Term | None) -> str | None:
            return "_:" if isinstance(t, BlankNode) else (None if t is None else str(t))

        k = (norm(self.focus), self.path_sparql, self.severity, norm(self.shape), norm(self.component))
        return k + (norm(self.value),) if with_value else k

    def messages(self) -> list[Literal]:
        out = []
        if self.message_it is not None:
            out.append(Literal(self.message_it, language="it"))
        if self.message_en is not None:
            out.append(Literal(self.message_en, language="en"))
        return out + list(self.other_messages)

    def to_dict(self) -> dict:
        return {
            "union": self.union,
            "union_name": self.union_name,
            "rule": self.rule,
            "severity": self.severity,
            "focus": str(self.focus),
            "path": self.path_sparql,
            "value": None if self.value is None else str(self.value),
            "message_it": self.message_it,
            "message_en": self.message_en,
            "shape": str(self.shape),
            "component": self.component.value,
        }


def _sort_key(r: ValidationResult) -> tuple[str, int, str, str, str, str]:
    return (
        r.union or "~",
        SEVERITIES.index(r.severity) if r.severity in SEVERITIES else 9,
        r.rule,
        str(r.focus),
        r.path_sparql or "",
        str(r.value),
    )


@dataclass
class ValidationReport:
    """A SHACL validation report: ``conforms`` is True when there is no result at all (SHACL)."""

    results: list[ValidationResult]
    engine: str = "fast"
    data_sources: tuple[str, ...] = ()

    def __post_init__(self):
        self.results = sorted(self.results, key=_sort_key)

    @property
    def conforms(self) -> bool:
        return not self.results

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, on: str = "violation") -> bool:
        """True when there is a result of the given severity or a worse one.

        ``on="violation"``: only violations fail; ``on="warning"``: violations and warnings fail.
        A custom severity (not SHACL's three) fails as a violation does.
        """
        if on not in ("violation", "warning"):
            raise ValueError("on must be 'violation' or 'warning'")
        passing = {"Warning", "Info"} if on == "violation" else {"Info"}
        return any(r.severity not in passing for r in self.results)

    def by_union(self) -> dict[str | None, list[ValidationResult]]:
        groups: dict[str | None, list[ValidationResult]] = {}
        for r in self.results:
            groups.setdefault(r.union, []).append(r)
        return groups

    # --- formats -------------------------------------------------------------------------------

    def to_text(self) -> str:
        """For people: grouped by union, one line per result, counts at the end."""
        lines = []
        for union, results in self.by_union().items():
            name = next((r.union_name for r in results if r.union_name), None)
            if union is None:
                lines.append("(no union)")
            else:
                lines.append(f"{name} <{union}>" if name else f"<{union}>")
            for r in results:
                where = []
                if union is None or r.focus != NamedNode(union):
                    where.append(f"focus {display_term(r.focus)}")
                if r.path is not None:
                    where.append(f"path {display_path(r.path)}")
                if r.value is not None:
                    where.append(f"value {display_term(r.value)}")
                msg = r.message_en or ""
                if r.message_it and r.message_it != r.message_en:
                    msg = f"{msg} | {r.message_it}" if msg else r.message_it
                severity = r.severity.upper() if r.severity in SEVERITIES else display_term(NamedNode(r.severity))
                lines.append(f"  {severity:9} {r.rule}: {msg}" + (f" [{'; '.join(where)}]" if where else ""))
            lines.append("")
        unions = len([u for u in self.by_union() if u is not None])
        v, w, i = (self.count(s) for s in SEVERITIES)
        other = len(self.results) - v - w - i
        lines.append(
            f"{len(self.results)} result(s): {v} violation(s), {w} warning(s), {i} info(s) "
            + (f"and {other} of other severities " if other else "")
            + f"in {unions} union(s); conforms: {'yes' if self.conforms else 'no'} "
            f"(engine: {self.engine})"
        )
        return "\n".join(lines) + "\n"

    def triples(self) -> Iterator[Triple]:
        """The triples of the standard ``sh:ValidationReport``: one node per result; the blank
        nodes of the data and of the shapes keep their identity (one shape, one node)."""
        report = BlankNode("report")
        blank = _BlankNodes()
        yield Triple(report, RDF_TYPE, sh("ValidationReport"))
        yield Triple(
            report, sh("conforms"), Literal("true" if self.conforms else "false", datatype=NamedNode(XSD + "boolean"))
        )
        for n, r in enumerate(self.results):
            node = BlankNode(f"r{n}")
            yield Triple(report, sh("result"), node)
            yield Triple(node, RDF_TYPE, sh("ValidationResult"))
            yield Triple(node, sh("focusNode"), blank(r.focus))
            if r.path is not None:
                path_node, path_triples = _path_triples(r.path, f"r{n}p")
                yield Triple(node, sh("resultPath"), path_node)
                yield from path_triples
            if r.value is not None:
                yield Triple(node, sh("value"), blank(r.value))
            yield Triple(node, sh("resultSeverity"), severity_iri(r.severity))
            yield Triple(node, sh("sourceShape"), blank(r.shape))
            yield Triple(node, sh("sourceConstraintComponent"), r.component)
            for m in r.messages():
                yield Triple(node, sh("resultMessage"), m)

    def to_turtle(self) -> str:
        prefixes = {"sh": SH, "xsd": XSD, "rdf": RDF}
        prefixes.update({p: ns for p, ns in DISPLAY_PREFIXES.items() if p not in prefixes})
        return to_bytes(list(self.triples()), ox.RdfFormat.TURTLE, prefixes).decode("utf-8")

    def to_json(self) -> str:
        """The report as JSON-LD (compacted with a small context)."""
        results: list[dict] = []
        doc = {
            "@context": {"sh": SH, "xsd": XSD, "rdf": RDF},
            "@id": "_:report",
            "@type": "sh:ValidationReport",
            "sh:conforms": self.conforms,
            "sh:result": results,
        }
        blank = _BlankNodes()
        for n, r in enumerate(self.results):
            item: dict = {
                "@id": f"_:r{n}",
                "@type": "sh:ValidationResult",
                "sh:focusNode": _jsonld_term(blank(r.focus)),
            }
            if r.path is not None:
                item["sh:resultPath"] = _jsonld_path(r.path)
            if r.value is not None:
                item["sh:value"] = _jsonld_term(blank(r.value))
            item["sh:resultSeverity"] = {"@id": f"sh:{r.severity}" if r.severity in SEVERITIES else r.severity}
            item["sh:sourceShape"] = _jsonld_term(blank(r.shape))
            item["sh:sourceConstraintComponent"] = {"@id": r.component.value}
            item["sh:resultMessage"] = [_jsonld_term(m) for m in r.messages()]
            results.append(item)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class _BlankNodes:
    """Names the blank nodes of the data and of the shapes in a report: ``_:b0``, ``_:b1``... in
    the order they are met, the same name each time the same node is met (the report's own nodes
    are ``_:report``, ``_:r{n}`` and ``_:r{n}p{m}``)."""

    def __init__(self) -> None:
        self.names: dict[BlankNode, BlankNode] = {}

    def __call__(self, term: Term) -> Term:
        if not isinstance(term, BlankNode):
            return term
        if term not in self.names:
            self.names[term] = BlankNode(f"b{len(self.names)}")
        return self.names[term]


def _path_triples(path: PathExpr, prefix: str) -> tuple[Term, list[Triple]]:
    counter = [0]

    def fresh() -> BlankNode:
        counter[0] += 1
        return BlankNode(f"{prefix}{counter[0]}")

    def build(p: PathExpr) -> tuple[Term, list[Triple]]:
        if isinstance(p, NamedNode):
            return p, []
        tag, arg = p
        if tag in ("seq", "alt"):
            head, triples = _list([build(x) for x in arg], fresh)
            if tag == "seq":
                return head, triples
            node = fresh()
            return node, [Triple(node, sh("alternativePath"), head)] + triples
        inner, triples = build(arg)
        node = fresh()
        return node, [Triple(node, NamedNode(_PATH_PREDICATES[tag]), inner)] + triples

    return build(path)


def _list(items: list[tuple[Term, list[Triple]]], fresh: Callable[[], BlankNode]) -> tuple[Term, list[Triple]]:
    triples: list[Triple] = []
    head: Term = RDF_NIL
    for term, sub in reversed(items):
        node = fresh()
        triples = [Triple(node, RDF_FIRST, term), Triple(node, RDF_REST, head)] + sub + triples
        head = node
    return head, triples


def _jsonld_term(t: Term) -> dict:
    if isinstance(t, NamedNode):
        return {"@id": t.value}
    if isinstance(t, BlankNode):
        return {"@id": f"_:{t.value}"}
    if isinstance(t, Literal):
        if t.language:
            return {"@value": t.value, "@language": t.language}
        if t.datatype.value == XSD + "string":
            return {"@value": t.value}
        return {"@value": t.value, "@type": t.datatype.value}
    raise ValueError(f"cannot write {t} in JSON-LD")


def _jsonld_path(p: PathExpr) -> dict:
    if isinstance(p, NamedNode):
        return {"@id": p.value}
    tag, arg = p
    if tag == "seq":
        return {"@list": [_jsonld_path(x) for x in arg]}
    if tag == "alt":
        return {"sh:alternativePath": {"@list": [_jsonld_path(x) for x in arg]}}
    return {_PATH_PREDICATES[tag].replace(SH, "sh:"): _jsonld_path(arg)}


# --- reading a report graph (pySHACL's, or our own written one) -----------------------------------


def results_from_triples(triples: Iterable[Triple]) -> list[dict]:
    """The results of a SHACL validation report graph, as dicts of terms (union unknown)."""
    spo: dict[Term, dict[str, list[Term]]] = {}
    for t in triples:
        spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def objs(s: Term, p: str) -> list[Term]:
        return spo.get(s, {}).get(SH + p, [])

    def one(s: Term, p: str) -> Term | None:
        values = objs(s, p)
        return values[0] if values else None

    def parse_path(node: Term) -> PathExpr:
        if isinstance(node, NamedNode):
            return node
        preds = spo.get(node, {})
        if RDF_FIRST.value in preds:
            items: list[PathExpr] = []
            cur: Term = node
            while cur != RDF_NIL:
                items.append(parse_path(spo[cur][RDF_FIRST.value][0]))
                cur = spo[cur][RDF_REST.value][0]
            return ("seq", tuple(items))
        if SH + "alternativePath" in preds:
            alt = parse_path(preds[SH + "alternativePath"][0])
            return ("alt", alt[1] if isinstance(alt, tuple) and alt[0] == "seq" else (alt,))
        for key, tag in PATH_KEYS.items():
            if key in preds:
                return (tag, parse_path(preds[key][0]))
        raise ValueError(f"cannot read the result path {node}")

    top = {
        r
        for s, preds in spo.items()
        if sh("ValidationReport") in preds.get(RDF_TYPE.value, [])
        for r in preds.get(SH + "result", [])
    }  # not the nested sh:detail results
    out = []
    for s, _preds in spo.items():
        if s not in top:
            continue
        path_node = one(s, "resultPath")
        severity = one(s, "resultSeverity")
        out.append(
            {
                "focus": one(s, "focusNode"),
                "path": None if path_node is None else parse_path(path_node),
                "value": one(s, "value"),
                "severity": severity_name(severity),
                "shape": one(s, "sourceShape"),
                "component": one(s, "sourceConstraintComponent"),
                "source_constraint": one(s, "sourceConstraint"),
                "messages": [m for m in objs(s, "resultMessage") if isinstance(m, Literal)],
            }
        )
    return out


def split_messages(messages: Iterable[Literal]) -> tuple[str | None, str | None, tuple[Literal, ...]]:
    """(Italian, English, others) from message literals; an untagged message counts as English."""
    it = en = None
    others = []
    for m in messages:
        lang = (m.language or "").lower()
        if lang.startswith("it") and it is None:
            it = m.value
        elif (lang.startswith("en") or not lang) and en is None:
            en = m.value
        else:
            others.append(m)
    return it, en, tuple(others)


def summary_counts(results: Iterable[ValidationResult]) -> Counter:
    return Counter(r.severity for r in results)
