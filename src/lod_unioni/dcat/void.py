"""The dump's own description (VoID): the dataset node every dump carries and ``void.ttl`` beside
the dumps repeats.

::

    from lod_unioni.dcat.void import dataset_description, with_description
    described = with_description(triples, base_iri, version="2026-12-01", issued="2026-11-22",
                                 modified="2026-12-01", prefixes=prefixes)

The dataset ``{base}dataset/unioni`` (the catalog's dataset, ``ontology/catalog/catalog.yaml``) is a
``void:Dataset`` with its title, licence and publisher (the catalog's agent), version
(``owl:versionInfo``, ``dcat:version``: the date of the data), ``dcterms:issued`` / ``modified``,
its sources (``dcterms:source``: every ``prov:Entity`` of the graph that is derived from no other:
the registry files and the ITALIAE cards), its URI space, dumps and number of triples
(``void:triples``: the triples of the dump, this description included; the N-Triples dump has as
many lines). Its links to the national datasets are ``void:Linkset`` subsets
(``{base}dataset/unioni/links/{target}/{prefix}-{name}``), one per target and link predicate, with
their counts: to IPA (``public-organization``, and the Department for Digital Transformation's
``public-organisation`` spelling), OntoPiA cities, provinces and regions
(:data:`LINK_TARGETS`); each target is described as a ``void:Dataset``
(``{base}dataset/external/{target}``) with its URI space and its publisher's page.

Nothing depends on the clock: the same triples and arguments give the same description.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from ..config import EXAMPLE_PUBLISHER, Publisher, check_base_iri
from ..graph import merge_sorted, to_bytes
from ..sources.kinds import file_named
from ..vocab import CCITIES, CPROV, CREG, DCAT, DCTERMS, FOAF, IPAORG, IPAORGS, OWL, PROV, RDF, RDFS, VOID, XSD
from .model import DUMP_FILES
from .template import load_template
from .triples import agent_iri

if TYPE_CHECKING:
    from ..mapping import Key

__all__ = ["DUMPS", "LINK_TARGETS", "LinkTarget", "dataset_description", "void_turtle", "with_description"]

#: The dump files the description names as ``void:dataDump`` (under the base IRI).
DUMPS = DUMP_FILES


@dataclass(frozen=True)
class LinkTarget:
    """A dataset our resources link to: its name in our IRIs, its URI space, its titles (Italian,
    English), its publisher's page and, when it has one, its own IRI (an OntoPiA vocabulary)."""

    name: str
    uri_space: str
    title_it: str
    title_en: str
    homepage: str
    see_also: str | None = None


LINK_TARGETS: tuple[LinkTarget, ...] = (
    LinkTarget(
        "ipa",
        IPAORG,
        "IPA - enti pubblici come dati collegati (public-organization)",
        "IPA - public bodies as linked data (public-organization)",
        file_named("ipa-enti").page,
    ),
    LinkTarget(
        "ipa-organisation",
        IPAORGS,
        "IPA - enti pubblici come dati collegati del Dipartimento per la trasformazione digitale (public-organisation)",
        "IPA - public bodies as linked data of the Department for Digital Transformation (public-organisation)",
        file_named("padigitale-avvisi").page,
    ),
    LinkTarget(
        "ontopia-cities",
        CCITIES,
        "OntoPiA - Archivio storico dei comuni",
        "OntoPiA - Historical archive of the comuni",
        file_named("ontopia-cities").page,
        CCITIES.rstrip("/"),
    ),
    LinkTarget(
        "ontopia-provinces",
        CPROV,
        "OntoPiA - Province",
        "OntoPiA - Provinces",
        file_named("ontopia-provinces").page,
        CPROV.rstrip("/"),
    ),
    LinkTarget(
        "ontopia-regions",
        CREG,
        "OntoPiA - Regioni",
        "OntoPiA - Regions",
        file_named("ontopia-regions").page,
        CREG.rstrip("/"),
    ),
)

_TYPE = NamedNode(RDF + "type")
_DATE = NamedNode(XSD + "date")


def dataset_description(
    triples: Iterable[Triple],
    base_iri: str,
    *,
    prefixes: Mapping[str, str],
    version: str | None = None,
    issued: str | None = None,
    modified: str | None = None,
    publisher: Publisher | None = None,
    template: Mapping[str, Any] | None = None,
    keys: Sequence[Key] | None = None,
) -> list[Triple]:
    """The description of the dataset made of ``triples`` (see the module), without its
    ``void:triples`` (which counts the description too: :func:`with_description` adds it).
    ``version``, ``issued``, ``modified``: dates of the data (``YYYY-MM-DD``), from the records,
    never the clock. ``publisher``: the catalog's (default the example publisher).
    ``prefixes`` name the link predicates in the linksets' IRIs. ``keys``: the keys of
    ``triples`` (:data:`lod_unioni.mapping.Key`, every subject an IRI), when known: the sources
    and the links are counted from them."""
    base = check_base_iri(base_iri)
    tpl = template if template is not None else load_template()
    dataset = NamedNode(base + tpl["dataset"]["path"])
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, NamedNode(p), o))

    def texts(s: NamedNode, p: str, it: str, en: str) -> None:
        add(s, p, Literal(" ".join(it.split()), language="it"))
        add(s, p, Literal(" ".join(en.split()), language="en"))

    add(dataset, RDF + "type", NamedNode(VOID + "Dataset"))
    title = tpl["dataset"]["title"]
    texts(dataset, DCTERMS + "title", title["it"], title["en"])
    add(dataset, DCTERMS + "license", NamedNode(tpl["license"]["iri"]))
    add(dataset, DCTERMS + "publisher", NamedNode(agent_iri(base, publisher or EXAMPLE_PUBLISHER)))
    add(dataset, DCTERMS + "conformsTo", NamedNode(tpl["dataset"]["conforms_to"]["iri"]))
    if version is not None:
        add(dataset, OWL + "versionInfo", Literal(version))
        add(dataset, DCAT + "version", Literal(version))
    if issued is not None:
        add(dataset, DCTERMS + "issued", Literal(issued, datatype=_DATE))
    if modified is not None:
        add(dataset, DCTERMS + "modified", Literal(modified, datatype=_DATE))
    add(dataset, VOID + "uriSpace", Literal(base))
    for name in DUMPS:
        add(dataset, VOID + "dataDump", NamedNode(base + name))
    triples = list(triples) if keys is None else []
    for source in _sources(triples, base) if keys is None else _sources_of_keys(keys, base):
        add(dataset, DCTERMS + "source", source)
    counts = _link_counts(triples, base) if keys is None else _link_counts_of_keys(keys, base)
    out += _linksets(counts, base, dataset, tpl["dataset"]["path"], prefixes)
    return out


def _sources(triples: Sequence[Triple], base: str) -> list[NamedNode]:
    """The original sources: the ``prov:Entity`` nodes of our own IRIs derived from no other
    entity (the registry files and the cards; a record's entity is derived from its card)."""
    entity, derived, rdf_type = PROV + "Entity", PROV + "wasDerivedFrom", RDF + "type"
    entities: set[str] = set()
    derived_ones: set[str] = set()
    for t in triples:
        p, s, o = t.predicate.value, t.subject, t.object
        if type(s) is not NamedNode:
            continue
        if p == rdf_type and type(o) is NamedNode and o.value == entity:
            entities.add(s.value)
        elif p == derived:
            derived_ones.add(s.value)
    return [NamedNode(s) for s in sorted(entities - derived_ones) if s.startswith(base)]


def _sources_of_keys(keys: Iterable[Key], base: str) -> list[NamedNode]:
    """:func:`_sources` from the triples' keys (subject, "0"/"1" + predicate, N-Triples object)."""
    typed, entity, derived = "0" + RDF + "type", f"<{PROV}Entity>", "1" + PROV + "wasDerivedFrom"
    entities = {s for s, p, o in keys if p == typed and o == entity}
    derived_ones = {s for s, p, _o in keys if p == derived}
    return [NamedNode(s) for s in sorted(entities - derived_ones) if s.startswith(base)]


_BY_LENGTH = sorted(LINK_TARGETS, key=lambda x: -len(x.uri_space))


def _link_counts(triples: Iterable[Triple], base: str) -> Counter[tuple[LinkTarget, NamedNode]]:
    """The links of our resources (subjects under ``base``, not rdf:type) to each target, by predicate."""
    counts: Counter[tuple[LinkTarget, NamedNode]] = Counter()
    spaces = tuple(x.uri_space for x in _BY_LENGTH)
    for t in triples:
        o = t.object
        if type(o) is not NamedNode or not o.value.startswith(spaces):
            continue
        s = t.subject
        if type(s) is not NamedNode or not s.value.startswith(base) or t.predicate == _TYPE:
            continue
        target = next(x for x in _BY_LENGTH if o.value.startswith(x.uri_space))
        counts[(target, t.predicate)] += 1
    return counts


def _link_counts_of_keys(keys: Iterable[Key], base: str) -> Counter[tuple[LinkTarget, NamedNode]]:
    """:func:`_link_counts` from the triples' keys."""
    spaces = tuple("<" + x.uri_space for x in _BY_LENGTH)
    by_text: Counter[tuple[str, str]] = Counter(
        (o, p) for s, p, o in keys if o.startswith(spaces) and p[0] == "1" and s.startswith(base)
    )
    counts: Counter[tuple[LinkTarget, NamedNode]] = Counter()
    for (o, p), n in by_text.items():
        target = next(x for x in _BY_LENGTH if o.startswith(x.uri_space, 1))
        counts[(target, NamedNode(p[1:]))] += n
    return counts


def _linksets(
    counts: Counter[tuple[LinkTarget, NamedNode]], base: str, dataset: NamedNode, path: str, prefixes: Mapping[str, str]
) -> list[Triple]:
    """A ``void:Linkset`` per target and link predicate with links, and the targets linked."""
    out: list[Triple] = []

    def add(s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        out.append(Triple(s, NamedNode(p), o))

    for target in LINK_TARGETS:
        predicates = sorted((p for (x, p) in counts if x == target), key=lambda p: p.value)
        if not predicates:
            continue
        node = NamedNode(f"{base}dataset/external/{target.name}")
        add(node, RDF + "type", NamedNode(VOID + "Dataset"))
        add(node, DCTERMS + "title", Literal(target.title_it, language="it"))
        add(node, DCTERMS + "title", Literal(target.title_en, language="en"))
        add(node, VOID + "uriSpace", Literal(target.uri_space))
        add(node, FOAF + "homepage", NamedNode(target.homepage))
        if target.see_also:
            add(node, RDFS + "seeAlso", NamedNode(target.see_also))
        for p in predicates:
            linkset = NamedNode(f"{base}{path}/links/{target.name}/{_curie_slug(p.value, prefixes)}")
            add(dataset, VOID + "subset", linkset)
            add(linkset, RDF + "type", NamedNode(VOID + "Linkset"))
            add(
                linkset,
                DCTERMS + "title",
                Literal(f"Collegamenti {_curie(p.value, prefixes)} a {target.title_it}", language="it"),
            )
            add(
                linkset,
                DCTERMS + "title",
                Literal(f"{_curie(p.value, prefixes)} links to {target.title_en}", language="en"),
            )
            add(linkset, VOID + "subjectsTarget", dataset)
            add(linkset, VOID + "objectsTarget", node)
            add(linkset, VOID + "linkPredicate", p)
            add(linkset, VOID + "triples", Literal(str(counts[(target, p)]), datatype=NamedNode(XSD + "integer")))
    return out


def _curie(iri: str, prefixes: Mapping[str, str]) -> str:
    """``owl:sameAs`` for the IRI of owl:sameAs (the longest namespace of ``prefixes`` that fits)."""
    best = max(((p, ns) for p, ns in prefixes.items() if iri.startswith(ns)), key=lambda x: len(x[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]) :]}" if best else iri


def _curie_slug(iri: str, prefixes: Mapping[str, str]) -> str:
    """The link predicate in a linkset's IRI: ``owl-sameAs``, ``lu-city``."""
    curie = _curie(iri, prefixes)
    if curie == iri:
        raise ValueError(f"no prefix for the link predicate {iri}: add it to mappings/prefixes.yaml")
    return curie.replace(":", "-")


def with_description(
    triples: list[Triple],
    base_iri: str,
    *,
    prefixes: Mapping[str, str],
    version: str | None = None,
    issued: str | None = None,
    modified: str | None = None,
    publisher: Publisher | None = None,
    extend: Callable[[list[Triple], list[Triple]], list[Triple]] | None = None,
    keys: Sequence[Key] | None = None,
) -> tuple[list[Triple], list[Triple]]:
    """``triples`` (sorted, as :func:`lod_unioni.graph.sort_triples` gives them) with their
    description, in order; and the description alone (for ``void.ttl``). ``extend`` adds the
    triples that are no data to describe (the IRI register's deprecated IRIs: no links, no types)
    to the described graph, before it is counted: ``void:triples`` counts every triple of the
    result, itself included; it is called with the graph and the description's triples in it.
    ``publisher``: the catalog's (:func:`dataset_description`). ``keys``: the keys of ``triples``
    (:data:`lod_unioni.mapping.Key`), when known: they are read instead of the triples."""
    description = dataset_description(
        triples,
        base_iri,
        prefixes=prefixes,
        version=version,
        issued=issued,
        modified=modified,
        publisher=publisher,
        keys=keys,
    )
    described = merge_sorted(triples, description)
    if extend is not None:
        described = extend(described, description)
    dataset = description[0].subject
    count = Triple(
        dataset, NamedNode(VOID + "triples"), Literal(str(len(described) + 1), datatype=NamedNode(XSD + "integer"))
    )
    return merge_sorted(described, [count]), merge_sorted([], [*description, count])


def void_turtle(description: Iterable[Triple], prefixes: Mapping[str, str]) -> bytes:
    """``void.ttl``: the description in Turtle, in the order given."""
    return to_bytes(description, RdfFormat.TURTLE, dict(prefixes))
