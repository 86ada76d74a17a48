"""DCAT-AP_IT description of the dumps (lod_unioni.dcat).

The SHACL shape below is written from the DCAT-AP_IT guidelines ("elementi obbligatori" of
Catalogo, Dataset, Distribuzione, Soggetto, Punto di contatto, Standard in
github.com/italia/linee-guida-cataloghi-dati-dcat-ap-it, and the ranges of the DCAT-AP_IT
ontology), not from the code's output; the codes and labels expected are those of the EU authority
tables, EuroVoc and AgID's theme-subtheme mapping, copied by hand.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
import sys

import pyshacl
import pytest
import rdflib
import rdflib.compare
import yaml
from conftest import DCAT, DCATAPIT, DCT, FOAF, RDF, RDFS, SKOS, SPDX, VCARD, XSD
from conftest import B as BASE
from rdflib import Literal, URIRef

from lod_unioni.config import EXAMPLE_PUBLISHER, Publisher
from lod_unioni.dcat import (
    Agent,
    Distribution,
    Version,
    catalog_triples,
    catalog_turtle,
    describe_file,
    describe_versions,
    format_for_file,
    load_template,
    template_path,
)
from lod_unioni.errors import LodError

SHA_TTL = hashlib.sha256(b"turtle bytes").hexdigest()
SHA_JSONLD = hashlib.sha256(b"json-ld bytes").hexdigest()
SHA_NT = hashlib.sha256(b"n-triples bytes").hexdigest()
DISTS = [
    ("unioni.ttl", "turtle", 1200, SHA_TTL),
    ("unioni.jsonld", "jsonld", 3400, SHA_JSONLD),
    ("unioni.nt", "ntriples", 5600, SHA_NT),
]
MODIFIED = datetime.date(2026, 11, 22)
PUBLISHER = Publisher("udm_069", "Unione dei Miracoli", "dati@unionedeimiracoli.eu")
OLD = Version("2026-06-30", (Distribution("unioni.ttl", "turtle", 1000, SHA_NT),), "versions/2026-06-30")
AUTH = "http://publications.europa.eu/resource/authority/"
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
DATASET = URIRef(BASE + "dataset/unioni")
CATALOG = URIRef(BASE + "catalog")

# Mandatory (M) properties of DCAT-AP_IT, per class, from the profile overview table, and the
# ranges the profile gives them; the forms of the codes: an agent's identifier is its codice IPA
# (letters, digits, underscores), the dataset's "{codice IPA}:{identifier}".
DCATAPIT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcatapit: <http://dati.gov.it/onto/dcatapit#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/shapes#> .

ex:Catalog a sh:NodeShape ; sh:targetClass dcatapit:Catalog ;
  sh:class dcat:Catalog ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:Agent ] ;
  sh:property [ sh:path dct:modified ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path dct:issued ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path foaf:homepage ; sh:maxCount 1 ; sh:class foaf:Document ] ;
  sh:property [ sh:path dct:language ; sh:class dct:LinguisticSystem ] ;
  sh:property [ sh:path dcat:themeTaxonomy ; sh:class skos:ConceptScheme ] ;
  sh:property [ sh:path dct:license ; sh:maxCount 1 ; sh:class dcatapit:LicenseDocument ] ;
  sh:property [ sh:path dcat:dataset ; sh:minCount 1 ; sh:class dcatapit:Dataset ] .

ex:Dataset a sh:NodeShape ; sh:targetClass dcatapit:Dataset ;
  sh:class dcat:Dataset ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:Literal ] ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:modified ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path dct:issued ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path dcat:theme ; sh:minCount 1 ; sh:nodeKind sh:IRI ; sh:class skos:Concept ;
                sh:pattern "^http://publications.europa.eu/resource/authority/data-theme/[A-Z_]+$" ] ;
  sh:property [ sh:path dct:subject ; sh:class skos:Concept ] ;
  sh:property [ sh:path dct:rightsHolder ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:Agent ] ;
  sh:property [ sh:path dct:publisher ; sh:maxCount 1 ; sh:class dcatapit:Agent ] ;
  sh:property [ sh:path dct:accrualPeriodicity ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dct:Frequency ;
                sh:pattern "^http://publications.europa.eu/resource/authority/frequency/[A-Z_0-9]+$" ] ;
  sh:property [ sh:path dct:language ; sh:class dct:LinguisticSystem ] ;
  sh:property [ sh:path dct:spatial ; sh:class dct:Location ] ;
  sh:property [ sh:path dcat:landingPage ; sh:maxCount 1 ; sh:class foaf:Document ] ;
  sh:property [ sh:path dcat:contactPoint ; sh:minCount 1 ; sh:class dcatapit:Organization ] ;
  sh:property [ sh:path dcat:distribution ; sh:minCount 1 ; sh:class dcatapit:Distribution ] ;
  sh:sparql [ sh:message "dct:identifier is not the codice IPA of the publisher, ':' and an identifier" ;
              sh:select \"\"\"SELECT $this WHERE {
                  $this <http://purl.org/dc/terms/identifier> ?id ; <http://purl.org/dc/terms/publisher> ?agent .
                  ?agent <http://purl.org/dc/terms/identifier> ?ipa .
                  FILTER (!STRSTARTS(STR(?id), CONCAT(STR(?ipa), ":")) || STRLEN(STR(?id)) <= STRLEN(STR(?ipa)) + 1)
              }\"\"\" ] .

ex:Distribution a sh:NodeShape ; sh:targetClass dcatapit:Distribution ;
  sh:class dcat:Distribution ;
  sh:property [ sh:path dct:format ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:class dct:MediaTypeOrExtent ;
                sh:pattern "^http://publications.europa.eu/resource/authority/file-type/[A-Z_]+$" ] ;
  sh:property [ sh:path dcat:accessURL ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path dct:license ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:LicenseDocument ] ;
  sh:property [ sh:path dcat:mediaType ; sh:maxCount 1 ; sh:class dct:MediaTypeOrExtent ] ;
  sh:property [ sh:path spdx:checksum ; sh:maxCount 1 ; sh:class spdx:Checksum ] .

ex:Agent a sh:NodeShape ; sh:targetClass dcatapit:Agent ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:Literal ;
                sh:pattern "^[A-Za-z0-9_]+$" ] ;
  sh:property [ sh:path foaf:name ; sh:minCount 1 ; sh:maxCount 1 ] .

ex:ContactPoint a sh:NodeShape ; sh:targetClass dcatapit:Organization ;
  sh:class vcard:Kind ;
  sh:property [ sh:path vcard:fn ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path vcard:hasEmail ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ; sh:pattern "^mailto:" ] .

ex:LicenseDocument a sh:NodeShape ; sh:targetClass dcatapit:LicenseDocument ;
  sh:property [ sh:path dct:type ; sh:maxCount 1 ; sh:class skos:Concept ] .

ex:Standard a sh:NodeShape ; sh:targetClass dcatapit:Standard ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ] .
"""


def _graph(triples) -> rdflib.Graph:
    return rdflib.Graph().parse(data=catalog_turtle(triples).decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def triples():
    return catalog_triples(BASE, DISTS, modified=MODIFIED, issued="2026-01-15", publisher=PUBLISHER, versions=[OLD])


@pytest.fixture(scope="module")
def g(triples) -> rdflib.Graph:
    return _graph(triples)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=DCATAPIT_SHAPES, format="turtle")


def _conforms(graph, shapes) -> tuple[bool, str]:
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    return conforms, text


# ---------------------------------------------------------------------------------------------
# DCAT-AP_IT mandatory properties
# ---------------------------------------------------------------------------------------------


def test_catalog_conforms_to_the_dcatapit_mandatory_shape(g, shapes):
    conforms, text = _conforms(g, shapes)
    assert conforms, text


@pytest.mark.parametrize(
    "drop",
    [
        DCT.rightsHolder,
        DCT.accrualPeriodicity,
        DCAT.theme,
        DCT.license,
        DCT["format"],
        DCAT.accessURL,
        DCT.identifier,
        DCT.issued,
        DCAT.contactPoint,
        VCARD.hasEmail,
        VCARD.fn,
    ],
)
def test_the_shape_has_teeth(g, shapes, drop):
    broken = rdflib.Graph()
    for t in g:
        if t[1] != drop:
            broken.add(t)
    conforms, _ = _conforms(broken, shapes)
    assert not conforms


@pytest.mark.parametrize(
    "old,new",
    [
        (Literal("udm_069"), Literal("udm-069")),  # not a codice IPA
        (Literal("udm_069:unioni-di-comuni"), Literal("unioni-di-comuni")),  # not {ipa}:{id}
        (Literal("udm_069:unioni-di-comuni"), Literal("UDM_069:unioni-di-comuni")),  # another code
        (URIRef(AUTH + "file-type/RDF_TURTLE"), URIRef(AUTH + "file-type/TURTLE")),  # untyped: no EU code
        (
            URIRef("mailto:dati@unionedeimiracoli.eu"),
            Literal("dati@unionedeimiracoli.eu"),
        ),  # an e-mail is a mailto: IRI
    ],
)
def test_the_shape_checks_the_forms_of_the_codes(g, shapes, old, new):
    broken = rdflib.Graph()
    for s, p, o in g:
        broken.add((s, p, new if o == old else o))
    assert broken != g
    conforms, _ = _conforms(broken, shapes)
    assert not conforms


def test_one_catalog_one_dataset_distributions_of_the_dumps_and_of_the_versions(g):
    assert list(g.subjects(RDF.type, DCATAPIT.Catalog)) == [CATALOG]
    # one dcat:Dataset only: a harvester (ckanext-dcat, dati.gov.it) takes every one for a dataset
    assert list(g.subjects(RDF.type, DCAT.Dataset)) == [DATASET]
    assert (CATALOG, DCAT.dataset, DATASET) in g
    assert set(g.objects(DATASET, DCAT.distribution)) == set(g.subjects(RDF.type, DCATAPIT.Distribution))
    assert {str(u).removeprefix(BASE) for u in g.objects(None, DCAT.downloadURL)} == {
        "unioni.ttl",
        "unioni.jsonld",
        "unioni.nt",
        "versions/2026-06-30/unioni.ttl",
    }


def test_titles_and_descriptions_in_italian_and_english(g):
    for s in (CATALOG, DATASET, *g.objects(DATASET, DCAT.distribution)):
        for p in (DCT.title, DCT.description):
            assert {o.language for o in g.objects(s, p)} == {"it", "en"}


def test_dataset_classification_and_metadata(g):
    assert set(g.objects(DATASET, DCAT.theme)) == {URIRef(AUTH + "data-theme/GOVE"), URIRef(AUTH + "data-theme/REGI")}
    assert list(g.objects(DATASET, DCT.accrualPeriodicity)) == [URIRef(AUTH + "frequency/IRREG")]
    assert set(g.objects(DATASET, DCT.language)) == {URIRef(AUTH + "language/ITA"), URIRef(AUTH + "language/ENG")}
    for s in (CATALOG, DATASET):
        assert list(g.objects(s, DCT.modified)) == [Literal("2026-11-22", datatype=XSD.date)]
        assert list(g.objects(s, DCT.issued)) == [Literal("2026-01-15", datatype=XSD.date)]
        assert list(g.objects(s, DCT.spatial)) == [URIRef(AUTH + "country/ITA")]
    assert Literal("unioni di comuni", lang="it") in set(g.objects(DATASET, DCAT.keyword))
    std = URIRef("https://w3id.org/lod-unioni/onto")
    assert list(g.objects(DATASET, DCT.conformsTo)) == [std]
    assert (std, RDF.type, DCATAPIT.Standard) in g


def test_sub_themes_are_eurovoc_microthesauri_of_agids_mapping_for_the_themes(g):
    """dati.gov.it keeps a dct:subject as a sub-theme when AgID's theme-subtheme mapping gives it
    to one of the dataset's themes: 0436 (100169) is under GOVE, 7211 (100278) under REGI there."""
    subjects = set(g.objects(DATASET, DCT.subject))
    assert {URIRef("http://eurovoc.europa.eu/100169"), URIRef("http://eurovoc.europa.eu/100278")} <= subjects
    # and the S13 category "Unioni di comuni" (OntoPiA), for linked-data users
    s13 = URIRef("https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/S13/206")
    assert s13 in subjects and (s13, SKOS.prefLabel, Literal("Unioni di comuni", lang="it")) in g
    assert len(subjects) == 3


# The controlled values and the classes the DCAT-AP 3 range shapes and the DCAT-AP_IT rules give
# them, with their labels as the EU tables have them.
VALUES = [
    ("data-theme/GOVE", [SKOS.Concept], {"it": "Governo e settore pubblico", "en": "Government and public sector"}),
    ("data-theme/REGI", [SKOS.Concept], {"it": "Regioni e città", "en": "Regions and cities"}),
    ("frequency/IRREG", [SKOS.Concept, DCT.Frequency], {"it": "irregolare", "en": "irregular"}),
    ("language/ITA", [SKOS.Concept, DCT.LinguisticSystem], {"it": "italiano", "en": "Italian"}),
    ("language/ENG", [SKOS.Concept, DCT.LinguisticSystem], {"it": "inglese", "en": "English"}),
    ("country/ITA", [SKOS.Concept, DCT.Location], {"it": "Italia", "en": "Italy"}),
    ("file-type/RDF_TURTLE", [SKOS.Concept, DCT.MediaTypeOrExtent], {"it": "RDF Turtle", "en": "RDF Turtle"}),
    ("file-type/JSON_LD", [SKOS.Concept, DCT.MediaTypeOrExtent], {"it": "JSON-LD", "en": "JSON-LD"}),
    ("file-type/RDF_N_TRIPLES", [SKOS.Concept, DCT.MediaTypeOrExtent], {"it": "RDF N-Triples", "en": "RDF N-Triples"}),
    ("planned-availability/STABLE", [SKOS.Concept], {"it": "stabile", "en": "stable"}),
]


@pytest.mark.parametrize("code,classes,labels", VALUES, ids=[v[0] for v in VALUES])
def test_each_controlled_value_is_typed_labelled_and_in_its_table(g, code, classes, labels):
    node = URIRef(AUTH + code)
    assert set(g.objects(node, RDF.type)) == set(classes)
    assert {o.language: str(o) for o in g.objects(node, SKOS.prefLabel)} == labels
    assert list(g.objects(node, SKOS.inScheme)) == [URIRef(AUTH + code.split("/")[0])]


def test_the_spatial_coverage_is_a_location_dati_gov_it_reads(g):
    place = URIRef(AUTH + "country/ITA")
    assert list(g.objects(place, DCATAPIT.geographicalIdentifier)) == [Literal(AUTH + "country/ITA")]


def test_the_theme_taxonomy_licence_type_checksum_algorithm_and_pages_are_typed(g):
    themes = URIRef(AUTH + "data-theme")
    assert list(g.objects(CATALOG, DCAT.themeTaxonomy)) == [themes]
    assert (themes, RDF.type, SKOS.ConceptScheme) in g and (themes, DCT.title, Literal("Data theme", lang="en")) in g
    attribution = URIRef("http://purl.org/adms/licencetype/Attribution")
    assert (attribution, RDF.type, SKOS.Concept) in g
    assert (attribution, SKOS.inScheme, URIRef("http://purl.org/adms/licencetype/1.0")) in g
    assert (SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm) in g
    for page in (*g.objects(CATALOG, FOAF.homepage), *g.objects(DATASET, DCAT.landingPage)):
        assert page == URIRef(BASE) and (page, RDF.type, FOAF.Document) in g
    license_doc = URIRef("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40")
    assert list(g.objects(CATALOG, DCT.license)) == [license_doc]


def test_the_publisher_is_an_agent_named_by_its_codice_ipa(g):
    agent = URIRef(BASE + "agent/udm_069")
    for s in (CATALOG, DATASET):
        assert list(g.objects(s, DCT.publisher)) == [agent]
    assert list(g.objects(DATASET, DCT.rightsHolder)) == [agent]
    assert set(g.objects(agent, RDF.type)) == {DCATAPIT.Agent, FOAF.Agent}
    assert list(g.objects(agent, DCT.identifier)) == [Literal("udm_069")]
    assert list(g.objects(agent, FOAF.name)) == [Literal("Unione dei Miracoli", lang="it")]
    assert list(g.objects(DATASET, DCT.identifier)) == [Literal("udm_069:unioni-di-comuni")]
    assert not list(g.objects(agent, RDFS.comment)) and not list(g.objects(CATALOG, RDFS.comment))


def test_the_contact_point_is_a_dcatapit_organization_with_the_e_mail(g):
    [contact] = list(g.objects(DATASET, DCAT.contactPoint))
    assert set(g.objects(contact, RDF.type)) == {DCATAPIT.Organization, VCARD.Organization, VCARD.Kind}
    assert list(g.objects(contact, VCARD.fn)) == [Literal("Unione dei Miracoli", lang="it")]
    assert list(g.objects(contact, VCARD.hasEmail)) == [URIRef("mailto:dati@unionedeimiracoli.eu")]


def test_a_contact_url_is_vcard_has_url_and_dcatapit_asks_for_an_e_mail(shapes):
    """A contact page instead of an address: vcard:hasURL; DCAT-AP_IT makes vcard:hasEmail
    mandatory in a contact point, so such a catalog misses it (the README says so)."""
    pub = Publisher("udm_069", "Unione dei Miracoli", "https://unionedeimiracoli.eu/contatti")
    g = _graph(catalog_triples(BASE, DISTS, modified=MODIFIED, publisher=pub))
    [contact] = list(g.objects(DATASET, DCAT.contactPoint))
    assert list(g.objects(contact, VCARD.hasURL)) == [URIRef("https://unionedeimiracoli.eu/contatti")]
    assert not list(g.objects(contact, VCARD.hasEmail))
    conforms, text = _conforms(g, shapes)
    assert not conforms and "Results (1)" in text and "vcard:hasEmail" in text, text


def test_without_a_publisher_the_catalog_names_the_example_and_says_so(shapes):
    g = _graph(catalog_triples(BASE, DISTS, modified=MODIFIED))
    agent = URIRef(BASE + "agent/esempio")
    assert list(g.objects(CATALOG, DCT.publisher)) == [agent] and EXAMPLE_PUBLISHER.ipa == "esempio"
    assert list(g.objects(DATASET, DCT.identifier)) == [Literal("esempio:unioni-di-comuni")]
    for s in (CATALOG, agent):
        notes = {o.language: str(o) for o in g.objects(s, RDFS.comment)}
        assert notes["it"].startswith("ESEMPIO") and notes["en"].startswith("EXAMPLE"), notes
        assert "Do not harvest" in notes["en"] and "[publisher]" in notes["en"]
    # the issue date defaults to the modification date
    assert list(g.objects(CATALOG, DCT.issued)) == [Literal("2026-11-22", datatype=XSD.date)]
    conforms, text = _conforms(g, shapes)
    assert conforms, text


# Each format key against the EU file-type table and IANA, checked by hand.
@pytest.mark.parametrize(
    "name,file_type,media,size,sha",
    [
        ("unioni.ttl", "RDF_TURTLE", "text/turtle", 1200, SHA_TTL),
        ("unioni.jsonld", "JSON_LD", "application/ld+json", 3400, SHA_JSONLD),
        ("unioni.nt", "RDF_N_TRIPLES", "application/n-triples", 5600, SHA_NT),
    ],
)
def test_distribution(g, name, file_type, media, size, sha):
    d = URIRef(f"{BASE}dataset/unioni/distribution/{name}")
    assert (DATASET, DCAT.distribution, d) in g
    assert list(g.objects(d, DCT["format"])) == [URIRef(AUTH + "file-type/" + file_type)]
    media_type = URIRef("https://www.iana.org/assignments/media-types/" + media)
    assert list(g.objects(d, DCAT.mediaType)) == [media_type]
    assert set(g.objects(media_type, RDF.type)) == {DCT.MediaType, DCT.MediaTypeOrExtent}
    assert list(g.objects(d, DCAT.downloadURL)) == [URIRef(BASE + name)]
    assert list(g.objects(d, DCAT.accessURL)) == [URIRef(BASE + name)]
    assert list(g.objects(d, DCAT.byteSize)) == [Literal(str(size), datatype=XSD.nonNegativeInteger)]
    assert list(g.objects(d, DCATAP.availability)) == [URIRef(AUTH + "planned-availability/STABLE")]
    license_doc = URIRef("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40")
    assert list(g.objects(d, DCT.license)) == [license_doc]
    assert (license_doc, RDF.type, DCATAPIT.LicenseDocument) in g
    assert (license_doc, DCT.type, URIRef("http://purl.org/adms/licencetype/Attribution")) in g
    [checksum] = list(g.objects(d, SPDX.checksum))
    assert list(g.objects(checksum, SPDX.algorithm)) == [SPDX.checksumAlgorithm_sha256]
    assert [str(v) for v in g.objects(checksum, SPDX.checksumValue)] == [sha]


def test_a_version_kept_is_one_more_distribution_per_file(g):
    d = URIRef(f"{BASE}dataset/unioni/distribution/versions/2026-06-30/unioni.ttl")
    assert (DATASET, DCAT.distribution, d) in g
    assert list(g.objects(d, DCAT.downloadURL)) == [URIRef(BASE + "versions/2026-06-30/unioni.ttl")]
    assert list(g.objects(d, DCT["format"])) == [URIRef(AUTH + "file-type/RDF_TURTLE")]
    assert list(g.objects(d, DCAT.byteSize)) == [Literal("1000", datatype=XSD.nonNegativeInteger)]
    assert {o.language: str(o) for o in g.objects(d, DCT.title)} == {
        "it": "Dump in Turtle, versione 2026-06-30",
        "en": "Turtle dump, version 2026-06-30",
    }
    assert all("2026-06-30" in str(o) for o in g.objects(d, DCT.description))
    # the dataset's own version is the current one
    assert list(g.objects(DATASET, DCAT.version)) == []  # no version given to catalog_triples here


# ---------------------------------------------------------------------------------------------
# determinism and options
# ---------------------------------------------------------------------------------------------


def test_same_arguments_same_bytes(triples):
    again = catalog_triples(
        BASE,
        [Distribution(*d) for d in DISTS],
        modified="2026-11-22",
        issued=datetime.date(2026, 1, 15),
        publisher=PUBLISHER,
        versions=[OLD],
    )
    assert again == triples
    assert catalog_turtle(again) == catalog_turtle(triples)


def test_bytes_do_not_depend_on_the_process():
    code = (
        "import sys, datetime; from lod_unioni.dcat import catalog_triples, catalog_turtle; "
        f"sys.stdout.buffer.write(catalog_turtle(catalog_triples({BASE!r}, {DISTS!r}, "
        "modified=datetime.date(2026, 11, 22))))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True).stdout)
    assert len(outputs) == 1


def test_turtle_round_trips_to_the_same_graph(triples):
    g1 = _graph(triples)
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    g2 = rdflib.Graph().parse(data=nt, format="nt")
    assert rdflib.compare.isomorphic(g1, g2)
    assert len(g1) == len(set(triples))


def test_base_iri_moves_own_resources_only():
    other = "https://data.example.org/unioni/"
    g = _graph(catalog_triples(other, DISTS, modified=MODIFIED, publisher=PUBLISHER))
    subjects = {str(s) for s in g.subjects()}
    assert not any(s.startswith(BASE) for s in subjects)
    assert (
        other + "catalog" in subjects and other + "dataset/unioni" in subjects and other + "agent/udm_069" in subjects
    )
    assert (
        URIRef(other + "dataset/unioni/distribution/unioni.ttl"),
        DCAT.downloadURL,
        URIRef(other + "unioni.ttl"),
    ) in g
    assert list(g.objects(URIRef(other + "catalog"), FOAF.homepage)) == [URIRef(other)]
    # controlled vocabularies and the ontology stay where they are
    assert (URIRef(other + "dataset/unioni"), DCT.conformsTo, URIRef("https://w3id.org/lod-unioni/onto")) in g


def test_download_base_changes_download_urls_only():
    g = _graph(
        catalog_triples(BASE, DISTS, modified=MODIFIED, download_base="https://files.example.org/v1/", versions=[OLD])
    )
    d = URIRef(BASE + "dataset/unioni/distribution/unioni.nt")
    assert list(g.objects(d, DCAT.downloadURL)) == [URIRef("https://files.example.org/v1/unioni.nt")]
    d = URIRef(BASE + "dataset/unioni/distribution/versions/2026-06-30/unioni.ttl")
    assert list(g.objects(d, DCAT.downloadURL)) == [
        URIRef("https://files.example.org/v1/versions/2026-06-30/unioni.ttl")
    ]


def test_national_iri_of_the_publisher_and_a_separate_rights_holder(shapes):
    ipa = "https://w3id.org/italia/data/public-organization/"
    pub = Publisher("UTA", "Unione dei Comuni del Miracolo", "dati@example.it", iri=ipa + "UTA")
    g = _graph(
        catalog_triples(
            BASE,
            DISTS,
            modified=MODIFIED,
            publisher=pub,
            rights_holder={"identifier": "agid", "name": "Agenzia per l'Italia Digitale"},
            dataset_identifier="UTA:D.1",
        )
    )
    assert list(g.objects(DATASET, DCT.publisher)) == [URIRef(ipa + "UTA")]
    assert list(g.objects(URIRef(ipa + "UTA"), DCT.identifier)) == [Literal("UTA")]  # as IPA spells it
    assert list(g.objects(DATASET, DCT.rightsHolder)) == [URIRef(BASE + "agent/agid")]
    assert list(g.objects(URIRef(BASE + "agent/agid"), FOAF.name)) == [
        Literal("Agenzia per l'Italia Digitale", lang="it")
    ]
    assert list(g.objects(DATASET, DCT.identifier)) == [Literal("UTA:D.1")]
    conforms, text = _conforms(g, shapes)
    assert conforms, text


def test_an_ipa_code_in_upper_case_keeps_its_spelling_in_the_identifiers_not_in_our_iri():
    g = _graph(catalog_triples(BASE, DISTS, modified=MODIFIED, publisher=Publisher("UTA", "Unione", "a@b.it")))
    agent = URIRef(BASE + "agent/uta")
    assert list(g.objects(agent, DCT.identifier)) == [Literal("UTA")]
    assert list(g.objects(DATASET, DCT.identifier)) == [Literal("UTA:unioni-di-comuni")]


# ---------------------------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------------------------


def test_describe_file(tmp_path):
    p = tmp_path / "unioni.ttl"
    p.write_bytes(b"hello")
    d = describe_file(p)
    # sha256("hello") is a well-known test vector
    assert d == Distribution(
        "unioni.ttl", "turtle", 5, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    )


def test_describe_versions(tmp_path):
    for version, names in (("2026-01-01", ["unioni.ttl", "unioni.nt"]), ("2026-02-01", ["unioni.ttl"])):
        folder = tmp_path / "versions" / version
        folder.mkdir(parents=True)
        for name in [*names, "void.ttl"]:
            (folder / name).write_bytes(b"hello")
    (tmp_path / "versions" / "2026-03-01").mkdir()  # no dump: no version
    (tmp_path / "versions" / "my copy").mkdir()  # not a version's name (no build writes it)
    (tmp_path / "versions" / "my copy" / "unioni.ttl").write_bytes(b"hello")
    (tmp_path / "versions" / "notes.txt").write_text("not a version")
    found = describe_versions(tmp_path, "versions", ["unioni.ttl", "unioni.jsonld", "unioni.nt"], skip="2026-02-01")
    hello = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert found == [
        Version(
            "2026-01-01",
            (Distribution("unioni.ttl", "turtle", 5, hello), Distribution("unioni.nt", "ntriples", 5, hello)),
            "versions/2026-01-01",
        )
    ]
    assert describe_versions(tmp_path / "missing", "versions", ["unioni.ttl"]) == []


@pytest.mark.parametrize("name,key", [("unioni.ttl", "turtle"), ("x/unioni.jsonld", "jsonld"), ("a.NT", "ntriples")])
def test_format_for_file(name, key):
    assert format_for_file(name) == key


def test_unknown_extension_and_missing_file(tmp_path):
    with pytest.raises(LodError, match="extension"):
        format_for_file("unioni.csv")
    with pytest.raises(LodError) as err:
        describe_file(tmp_path / "missing.ttl")
    assert "missing.ttl" in str(err.value)


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dists,field",
    [
        ([("unioni.ttl", "rdfxml", 1, SHA_TTL)], "distributions[0].format"),
        ([("unioni.ttl", "turtle", -1, SHA_TTL)], "distributions[0].byte_size"),
        ([("unioni.ttl", "turtle", True, SHA_TTL)], "distributions[0].byte_size"),
        ([("unioni.ttl", "turtle", 1, "abc")], "distributions[0].sha256"),
        ([("dir/unioni.ttl", "turtle", 1, SHA_TTL)], "distributions[0].file_name"),
        ([("unioni.ttl", "turtle", 1, SHA_TTL), ("unioni.ttl", "turtle", 1, SHA_TTL)], "distributions[1].file_name"),
        ([("unioni.ttl", "turtle", 1)], "distributions[0]"),
        ([], "distributions"),
    ],
)
def test_bad_distributions(dists, field):
    with pytest.raises(LodError) as err:
        catalog_triples(BASE, dists, modified=MODIFIED)
    assert err.value.field == field
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"modified": "22/11/2026"}, "modified"),
        ({"modified": "2026-02-30"}, "modified"),
        ({"modified": None}, "modified"),
        ({"modified": MODIFIED, "issued": "yesterday"}, "issued"),
        ({"modified": MODIFIED, "publisher": Publisher("bad code", "X", "a@b.it")}, "publisher.ipa"),
        ({"modified": MODIFIED, "publisher": Publisher("udm_069", " ", "a@b.it")}, "publisher.name"),
        ({"modified": MODIFIED, "publisher": Publisher("udm_069", "X", "nobody")}, "publisher.contact"),
        ({"modified": MODIFIED, "publisher": Publisher("udm_069", "X", "a@b.it", "not an iri")}, "publisher.iri"),
        ({"modified": MODIFIED, "rights_holder": {"identifier": "agid"}}, "rights_holder.name"),
        ({"modified": MODIFIED, "rights_holder": Agent("agid", "X", "not an iri")}, "rights_holder.iri"),
        ({"modified": MODIFIED, "dataset_identifier": "a b"}, "dataset_identifier"),
        ({"modified": MODIFIED, "download_base": "https://example.org/no-slash"}, "base_iri"),
        ({"modified": MODIFIED, "versions": [("2026-01-01", (), "versions/2026-01-01")]}, "versions[0]"),
        ({"modified": MODIFIED, "versions": [Version("2026-01-01", (), "../up")]}, "versions[0].folder"),
        ({"modified": MODIFIED, "versions": [Version("2026-01-01", (), "v/1")]}, "versions[0].distributions"),
        ({"modified": MODIFIED, "versions": [OLD, OLD]}, "versions[1].folder"),
    ],
)
def test_bad_options(kwargs, field):
    with pytest.raises(LodError) as err:
        catalog_triples(BASE, DISTS, **kwargs)
    assert err.value.field == field


def test_bad_base_iri():
    with pytest.raises(LodError) as err:
        catalog_triples("https://w3id.org/lod-unioni/data", DISTS, modified=MODIFIED)
    assert err.value.field == "base_iri"


def test_template_errors_name_file_and_field(tmp_path):
    data = yaml.safe_load(template_path().read_text(encoding="utf-8"))
    del data["dataset"]["title"]["en"]
    p = tmp_path / "catalog.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LodError) as err:
        catalog_triples(BASE, DISTS, modified=MODIFIED, template=p)
    assert err.value.field == "dataset.title" and err.value.file == str(p)

    p.write_text("catalog_format: 2\ncatalog: [unclosed\n", encoding="utf-8")
    with pytest.raises(LodError) as err:
        load_template(p)
    assert err.value.file == str(p) and err.value.line is not None


def test_a_controlled_value_without_labels_is_refused(tmp_path):
    data = yaml.safe_load(template_path().read_text(encoding="utf-8"))
    data["dataset"]["themes"]["SOCI"] = []  # Popolazione e società: a code, but no labels given
    p = tmp_path / "catalog.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(LodError) as err:
        load_template(p)
    assert err.value.field == "labels" and "data-theme/SOCI" in str(err.value)


def test_bundled_template_loads():
    data = load_template()
    assert set(data["formats"]) == {"turtle", "jsonld", "ntriples"}
