"""The controlled values of the catalog, typed and labelled as the DCAT-AP 3 shapes and the
DCAT-AP_IT rules expect them: each EU authority code a ``skos:Concept`` in its table (and a
``dct:Frequency``, ``dct:LinguisticSystem``, ``dct:Location`` or ``dct:MediaTypeOrExtent`` as its
role asks), the data-theme table a ``skos:ConceptScheme``, each IANA media type a ``dct:MediaType``,
the SHA-256 algorithm a ``spdx:ChecksumAlgorithm``, the home and landing pages ``foaf:Document``.

The labels come from the template (``labels:``), as the vocabularies give them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyoxigraph import Literal, NamedNode

from ..vocab import (
    DCATAPIT,
    DCTERMS,
    EU_COUNTRY,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    EU_LANGUAGE,
    EU_PLANNED_AVAILABILITY,
    FOAF,
    IANA_MEDIA_TYPES,
    RDF,
    SKOS,
    SPDX,
)

__all__ = ["CHECKSUM_ALGORITHM", "describe_values"]

#: The algorithm of every checksum: SPDX's SHA-256 (``spdx:checksumAlgorithm_sha256``).
CHECKSUM_ALGORITHM = SPDX + "checksumAlgorithm_sha256"

_TYPE = RDF + "type"

#: Adds one triple: subject, predicate IRI, object.
Add = Callable[[NamedNode, str, NamedNode | Literal], None]


def _scheme(namespace: str) -> str:
    return namespace.rstrip("/")


def describe_values(add: Add, tpl: Mapping[str, Any], documents: list[str]) -> None:
    """The triples that type and label the controlled values of the template, the media types of its
    formats, the checksum algorithm and the ``documents`` (home and landing pages)."""
    labels = tpl["labels"]

    def concept(iri: str, *classes: str, scheme: str | None = None) -> NamedNode:
        node = NamedNode(iri)
        for c in (SKOS + "Concept", *classes):
            add(node, _TYPE, NamedNode(c))
        if scheme is not None:
            add(node, SKOS + "inScheme", NamedNode(scheme))
        for lang, text in sorted(labels[iri].items()):
            add(node, SKOS + "prefLabel", Literal(" ".join(text.split()), language=lang))
        return node

    cat, ds = tpl["catalog"], tpl["dataset"]
    themes = NamedNode(_scheme(EU_DATA_THEME))
    add(themes, _TYPE, NamedNode(SKOS + "ConceptScheme"))
    for lang, text in sorted(labels[themes.value].items()):
        add(themes, DCTERMS + "title", Literal(text, language=lang))
    for theme, subthemes in ds["themes"].items():
        concept(EU_DATA_THEME + theme, scheme=themes.value)
        for iri in subthemes:
            concept(iri)
    for iri in ds["subjects"]:
        concept(iri)
    concept(EU_FREQUENCY + ds["frequency"], DCTERMS + "Frequency", scheme=_scheme(EU_FREQUENCY))
    for code in sorted({*cat["languages"], *ds["languages"]}):
        concept(EU_LANGUAGE + code, DCTERMS + "LinguisticSystem", scheme=_scheme(EU_LANGUAGE))
    for code in sorted({cat["spatial"], ds["spatial"]}):
        place = concept(EU_COUNTRY + code, DCTERMS + "Location", scheme=_scheme(EU_COUNTRY))
        # what dati.gov.it's harvester (ckanext-dcatapit) reads as the geographic coverage
        add(place, DCATAPIT + "geographicalIdentifier", Literal(place.value))
    for f in tpl["formats"].values():
        concept(EU_FILE_TYPE + f["file_type"], DCTERMS + "MediaTypeOrExtent", scheme=_scheme(EU_FILE_TYPE))
        media = NamedNode(IANA_MEDIA_TYPES + f["media_type"])
        add(media, _TYPE, NamedNode(DCTERMS + "MediaType"))
        add(media, _TYPE, NamedNode(DCTERMS + "MediaTypeOrExtent"))  # DCAT-AP_IT: a dct:MediaTypeOrExtent
    concept(EU_PLANNED_AVAILABILITY + tpl["availability"], scheme=_scheme(EU_PLANNED_AVAILABILITY))
    concept(tpl["license"]["type"], scheme=tpl["license"]["type_scheme"])
    add(NamedNode(CHECKSUM_ALGORITHM), _TYPE, NamedNode(SPDX + "ChecksumAlgorithm"))
    for iri in documents:
        add(NamedNode(iri), _TYPE, NamedNode(FOAF + "Document"))
