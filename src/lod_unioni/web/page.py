"""The HTML page of one resource (:meth:`lod_unioni.web.Renderer.page`): its label and types, its
IRI and documents, its properties (figures with their date and source), its external links (IPA,
OntoPiA, Wikidata) and its inverse links, one page of them at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..iris import OWL_DEPRECATED
from ..vocab import CCITIES, CPROV, CREG, IND, IPAORG, IPAORGS, LU, RDF, XSD
from .conneg import RDF_FORMATS
from .html import both, esc, frame, word
from .lookup import LABEL_PREDICATES

if TYPE_CHECKING:
    from .render import Renderer

__all__ = ["Section", "resource_page"]

_TYPE = NamedNode(RDF + "type")
_CALCULATION = NamedNode(IND + "IndicatorCalculation")
_DATUM_SOURCE = NamedNode(IND + "hasDatumSource")
_STATED_BY = NamedNode(LU + "statedBy")
_ISTAT_CODE = NamedNode(LU + "istatCode")
_ANY_URI = XSD + "anyURI"
_BOOLEAN = XSD + "boolean"
_PLAIN = (XSD + "string", RDF + "langString")
_EXTERNAL = (
    (IPAORG, "IPA", "IPA"),
    (IPAORGS, "IPA (DTD)", "IPA (DTD)"),
    (CCITIES, "OntoPiA, comuni", "OntoPiA, cities"),
    (CPROV, "OntoPiA, province", "OntoPiA, provinces"),
    (CREG, "OntoPiA, regioni", "OntoPiA, regions"),
)
#: Wikidata's items of the Italian comuni by ISTAT code (property P635).
WIKIDATA_SEARCH = "https://www.wikidata.org/w/index.php?search=haswbstatement%3AP635%3D"


@dataclass(frozen=True)
class Section:
    """HTML that the caller of a renderer adds to a resource's page (:attr:`Renderer.sections
    <lod_unioni.web.Renderer>`): ``html``, the caller's own (it escapes what it puts in), shown
    after the resource's properties and external links; ``styles``, the style sheets it needs
    (paths from the site root, ``assets/checkup.css``), linked once in the page's head."""

    html: str
    styles: tuple[str, ...] = ()


class _Writer:
    """Links and values as HTML, from the page at ``at``."""

    def __init__(self, r: Renderer, at: str) -> None:
        self.r = r
        self.at = at
        self.look = r.lookup
        self.root = r.root(at)
        self.anchors = r.anchors

    def link(self, node: NamedNode) -> str:
        key = (node, self.root)
        anchor = self.anchors.get(key)
        if anchor is None:
            anchor = self.anchors[key] = self._link(node)
        return anchor

    def _link(self, node: NamedNode) -> str:
        iri = node.value
        r = self.r
        path = r.path(iri)
        if path is not None and r.is_resource(iri):
            label = self.look.label(node, path)
            lang = f' lang="{label.lang}"' if label.lang not in ("it", "") else ""
            return f'<a href="{esc(r.href(path, at=self.at))}"{lang}>{esc(label.text)}</a>'
        own = self.look.own_label(node)
        text = own.text if own is not None else r.compact(iri)
        return f'<a class="ext" href="{esc(iri)}" title="{esc(iri)}">{esc(text)}</a>'

    def value(self, term: NamedNode | BlankNode | Literal | Triple, depth: int = 0) -> str:
        if isinstance(term, NamedNode):
            return self.link(term) + self.detail(term)
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, BlankNode):
            if depth > 3:
                return esc("_:" + term.value)
            return self.table(self.look.out.get(term, ()), depth + 1)
        return esc(str(term))

    def literal(self, lit: Literal) -> str:
        text = esc(lit.value)
        if lit.language:
            return f'<span lang="{esc(lit.language)}">{text}</span>'
        dt = lit.datatype.value
        if dt == _ANY_URI and lit.value.startswith(("http://", "https://")):
            return f'<a class="ext" href="{text}">{text}</a>'
        if dt in _PLAIN:
            return text
        if dt == _BOOLEAN and lit.value in ("true", "false"):
            return f'<span title="{lit.value}">{word(lit.value)}</span>'
        return f'<span title="{esc(self.r.compact(dt))}">{text}</span>'

    def detail(self, node: NamedNode) -> str:
        """After a link to a figure: its sources and who states it."""
        if _CALCULATION not in self.look.types(node):
            return ""
        parts = []
        sources = [o for o in self.look.objects(node, _DATUM_SOURCE) if isinstance(o, NamedNode)]
        if sources:
            parts.append(word("source", sep="/") + ": " + ", ".join(self.link(s) for s in sources))
        stated = [o for o in self.look.objects(node, _STATED_BY) if isinstance(o, NamedNode)]
        if stated:
            parts.append(word("stated_by", sep="/") + " " + ", ".join(self.link(s) for s in stated))
        return f' <small class="detail">({"; ".join(parts)})</small>' if parts else ""

    def predicate(self, node: NamedNode) -> str:
        found = self.r.predicates.get(node)
        if found is None:
            found = self.r.predicates[node] = self._predicate(node)
        return found

    def _predicate(self, node: NamedNode) -> str:
        label = self.look.own_label(node)
        compact = self.r.compact(node.value)
        if label is None:
            return f'<span title="{esc(node.value)}">{esc(compact)}</span>'
        return f'<span title="{esc(compact)}">{both(label.text, label.en, it_lang=label.lang)}</span>'

    def table(self, triples: Iterable[Triple], depth: int = 0) -> str:
        rows = []
        own = sorted(triples, key=lambda t: (_predicate_order(self, t.predicate), str(t.object)))
        for predicate, group in groupby(own, key=lambda t: t.predicate):
            values = [self.value(t.object, depth) for t in group]
            cell = values[0] if len(values) == 1 else "<ul>" + "".join(f"<li>{v}</li>" for v in values) + "</ul>"
            rows.append(f'<tr><th scope="row">{self.predicate(predicate)}</th><td>{cell}</td></tr>')
        return '<table class="props"><tbody>' + "".join(rows) + "</tbody></table>"


def _predicate_order(w: _Writer, predicate: NamedNode) -> tuple[int, str]:
    label = w.look.own_label(predicate)
    return (0 if predicate in LABEL_PREDICATES else 1, label.text.lower() if label else w.r.compact(predicate.value))


def _head(r: Renderer, path: str, at: str, embedded: str, sections: Sequence[Section]) -> str:
    links = "".join(
        f'<link rel="alternate" type="{f.media_type}" href="{esc(r.href(path, at=at, fmt=f))}">\n' for f in RDF_FORMATS
    )
    styles = dict.fromkeys(style for s in sections for style in s.styles)
    links += "".join(f'<link rel="stylesheet" href="{esc(r.root(at) + style)}">\n' for style in styles)
    return links + f'<script type="application/ld+json">\n{embedded}</script>\n'


def _intro(w: _Writer, iri: str, path: str, node: NamedNode) -> str:
    r, look = w.r, w.look
    label = look.label(node, path)
    types = [w.link(t) for t in look.types(node)]
    documents = " · ".join(
        f'<a href="{esc(r.href(path, at=w.at, fmt=f))}" type="{f.media_type}">{f.name}</a>' for f in RDF_FORMATS
    )
    out = [f"<h1>{both(label.text, label.en, it_lang=label.lang)}</h1>\n", '<dl class="meta">']
    if types:
        out.append(f"<dt>{word('type')}</dt><dd>{', '.join(types)}</dd>")
    out.append(f"<dt>{word('iri')}</dt><dd><code>{esc(iri)}</code></dd>")
    out.append(f"<dt>{word('documents')}</dt><dd>{documents}</dd></dl>\n")
    if any(isinstance(o, Literal) and o.value == "true" for o in look.objects(node, OWL_DEPRECATED)):
        out.append(f'<p class="notice">{word("deprecated")}.</p>\n')
    return "".join(out)


def _external(w: _Writer, node: NamedNode, outgoing: list[Triple]) -> str:
    items = []
    for t in outgoing:
        if t.subject != node or not isinstance(t.object, NamedNode):
            continue
        for namespace, it, en in _EXTERNAL:
            if t.object.value.startswith(namespace):
                code = t.object.value[len(namespace) :]
                label = w.look.own_label(t.object)
                text = f"{label.text} ({code})" if label is not None else code
                items.append(f'<li>{both(it, en)}: <a class="ext" href="{esc(t.object.value)}">{esc(text)}</a></li>')
    for code in w.look.objects(node, _ISTAT_CODE):
        if isinstance(code, Literal):
            href = WIKIDATA_SEARCH + quote(code.value)
            items.append(f'<li>Wikidata: <a class="ext" href="{esc(href)}">ISTAT {esc(code.value)} (P635)</a></li>')
    if not items:
        return ""
    return (
        f'<section aria-labelledby="external"><h2 id="external">{word("external")}</h2>\n'
        f'<ul class="external">{"".join(items)}</ul></section>\n'
    )


def _others(w: _Writer, node: NamedNode, outgoing: list[Triple]) -> str:
    """The other resources of a description that is a whole graph (the terms of the ontology, the
    concepts of a scheme, the datasets and distributions of a catalog), one section each."""
    subjects: dict[NamedNode, list[Triple]] = {}
    for t in outgoing:
        if isinstance(t.subject, NamedNode) and t.subject != node:
            subjects.setdefault(t.subject, []).append(t)
    if not subjects:
        return ""
    out = [f'<section aria-labelledby="contents"><h2 id="contents">{word("contents")}</h2>\n']
    for i, (subject, triples) in enumerate(sorted(subjects.items(), key=lambda kv: kv[0].value), 1):
        types = ", ".join(w.link(t) for t in w.look.types(subject))
        own = [t for t in triples if t.predicate != _TYPE]
        out.append(
            f'<section aria-labelledby="s{i}"><h3 id="s{i}">{w.link(subject)} '
            f"<small><code>{esc(w.r.compact(subject.value))}</code></small></h3>\n"
            + (f"<p>{word('type')}: {types}</p>\n" if types else "")
            + w.table(own)
            + "</section>\n"
        )
    out.append("</section>\n")
    return "".join(out)


def _pagination(r: Renderer, path: str, at: str, page: int, count: int) -> str:
    if count <= 1:
        return ""
    links = []
    if page > 1:
        links.append(f'<a rel="prev" href="{esc(r.href(path, at=at, page=page - 1))}">{word("previous")}</a>')
    for n in range(1, count + 1):
        if n == page:
            links.append(f'<span aria-current="page">{n}</span>')
        else:
            links.append(f'<a href="{esc(r.href(path, at=at, page=n))}">{n}</a>')
    if page < count:
        links.append(f'<a rel="next" href="{esc(r.href(path, at=at, page=page + 1))}">{word("next")}</a>')
    it, en = "Pagine dei collegamenti in entrata", "Pages of the incoming links"
    return f'<nav class="pages" aria-label="{it} / {en}">{" ".join(links)}</nav>\n'


def _incoming(w: _Writer, path: str, shown: list[Triple], page: int, count: int, total: int) -> str:
    if not total:
        return ""
    rows = "".join(
        f"<tr><td>{w.link(t.subject)}</td><td>{w.predicate(t.predicate)}</td></tr>"
        for t in shown
        if isinstance(t.subject, NamedNode)
    )
    first = (page - 1) * w.r.per_page + 1
    where = f"{first}–{first + len(shown) - 1} / {total}"
    nav = _pagination(w.r, path, w.at, page, count)
    return (
        f'<section aria-labelledby="incoming"><h2 id="incoming">{word("incoming")}</h2>\n'
        f'<p>{word("incoming_note", sep=" ")} <span class="count">{esc(where)}</span></p>\n{nav}'
        f'<table class="incoming"><thead><tr><th scope="col">{word("from")}</th>'
        f'<th scope="col">{word("via")}</th></tr></thead><tbody>{rows}</tbody></table>\n{nav}</section>\n'
    )


def resource_page(
    r: Renderer,
    iri: str,
    path: str,
    outgoing: list[Triple],
    shown: list[Triple],
    *,
    page: int,
    count: int,
    total: int,
    embedded: str,
    sections: Sequence[Section] = (),
) -> str:
    """The page (see the module); ``shown``: the inverse links of this page; ``sections``: the
    caller's, after the external links."""
    at = r.page_path(path, page) if r.static else path
    w = _Writer(r, at)
    node = NamedNode(iri)
    own = [t for t in outgoing if t.subject == node and t.predicate != _TYPE]
    body = [_intro(w, iri, path, node)]
    if own:
        body.append(f'<section aria-labelledby="properties"><h2 id="properties">{word("properties")}</h2>\n')
        body.append(w.table(own) + "</section>\n")
    body.append(_others(w, node, outgoing))
    body.append(_external(w, node, outgoing))
    body.extend(s.html for s in sections)
    body.append(_incoming(w, path, shown, page, count, total))
    label = w.look.label(node, path)
    title = label.text if page == 1 else f"{label.text} ({page}/{count})"
    return frame(
        title=title,
        body="".join(body),
        root=r.root(at),
        nav=r.nav,
        head=_head(r, path, at, embedded, sections),
        title_lang=label.lang,
    )
