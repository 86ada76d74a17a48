"""DCAT-AP_IT description of the dumps (lod_unioni.dcat).

The SHACL shape below is written from the DCAT-AP_IT guidelines ("elementi obbligatori" of
Catalogo, Dataset, Distribuzione, Soggetto, Standard in
github.com/italia/linee-guida-cataloghi-dati-dcat-ap-it), not from the code's output.
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
from conftest import DCAT, DCATAPIT, DCT, FOAF, RDF, SPDX, VCARD, XSD
from conftest import B as BASE
from rdflib import Literal, URIRef

from lod_unioni.dcat import (
    Agent,
    Distribution,
    catalog_triples,
    catalog_turtle,
    describe_file,
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

# Mandatory (M) properties of DCAT-AP_IT, per class, from the profile overview table.
DCATAPIT_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcatapit: <http://dati.gov.it/onto/dcatapit#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/shapes#> .

ex:Catalog a sh:NodeShape ; sh:targetClass dcatapit:Catalog ;
  sh:class dcat:Catalog ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:publisher ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:Agent ] ;
  sh:property [ sh:path dct:modified ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path dcat:dataset ; sh:minCount 1 ; sh:class dcatapit:Dataset ] .

ex:Dataset a sh:NodeShape ; sh:targetClass dcatapit:Dataset ;
  sh:class dcat:Dataset ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:Literal ] ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:description ; sh:minCount 1 ] ;
  sh:property [ sh:path dct:modified ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:date ] ;
  sh:property [ sh:path dcat:theme ; sh:minCount 1 ; sh:nodeKind sh:IRI ;
                sh:pattern "^http://publications.europa.eu/resource/authority/data-theme/[A-Z_]+$" ] ;
  sh:property [ sh:path dct:rightsHolder ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:Agent ] ;
  sh:property [ sh:path dct:accrualPeriodicity ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ;
                sh:pattern "^http://publications.europa.eu/resource/authority/frequency/[A-Z_0-9]+$" ] ;
  sh:property [ sh:path dcat:distribution ; sh:minCount 1 ; sh:class dcatapit:Distribution ] .

ex:Distribution a sh:NodeShape ; sh:targetClass dcatapit:Distribution ;
  sh:class dcat:Distribution ;
  sh:property [ sh:path dct:format ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ;
                sh:pattern "^http://publications.europa.eu/resource/authority/file-type/[A-Z_]+$" ] ;
  sh:property [ sh:path dcat:accessURL ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path dct:license ; sh:minCount 1 ; sh:maxCount 1 ; sh:class dcatapit:LicenseDocument ] .

ex:Agent a sh:NodeShape ; sh:targetClass dcatapit:Agent ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path foaf:name ; sh:minCount 1 ] .

ex:Standard a sh:NodeShape ; sh:targetClass dcatapit:Standard ;
  sh:property [ sh:path dct:identifier ; sh:minCount 1 ; sh:maxCount 1 ] .
"""


def _graph(triples) -> rdflib.Graph:
    return rdflib.Graph().parse(data=catalog_turtle(triples).decode("utf-8"), format="turtle")


@pytest.fixture(scope="module")
def triples():
    return catalog_triples(BASE, DISTS, modified=MODIFIED)


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
    [DCT.rightsHolder, DCT.accrualPeriodicity, DCAT.theme, DCT.license, DCT["format"], DCAT.accessURL, DCT.identifier],
)
def test_the_shape_has_teeth(g, shapes, drop):
    broken = rdflib.Graph()
    for t in g:
        if t[1] != drop:
            broken.add(t)
    conforms, _ = _conforms(broken, shapes)
    assert not conforms


def test_one_catalog_one_dataset_three_distributions(g):
    catalogs = list(g.subjects(RDF.type, DCATAPIT.Catalog))
    datasets = list(g.subjects(RDF.type, DCATAPIT.Dataset))
    assert catalogs == [URIRef(BASE + "catalog")]
    assert datasets == [URIRef(BASE + "dataset/unioni")]
    assert (catalogs[0], DCAT.dataset, datasets[0]) in g
    assert len(set(g.objects(datasets[0], DCAT.distribution))) == 3
    assert len(set(g.subjects(RDF.type, DCATAPIT.Distribution))) == 3


def test_titles_and_descriptions_in_italian_and_english(g):
    for s in (URIRef(BASE + "catalog"), URIRef(BASE + "dataset/unioni")):
        for p in (DCT.title, DCT.description):
            assert {o.language for o in g.objects(s, p)} == {"it", "en"}


def test_dataset_classification_and_metadata(g):
    ds = URIRef(BASE + "dataset/unioni")
    auth = "http://publications.europa.eu/resource/authority/"
    assert set(g.objects(ds, DCAT.theme)) == {URIRef(auth + "data-theme/GOVE"), URIRef(auth + "data-theme/REGI")}
    assert list(g.objects(ds, DCT.accrualPeriodicity)) == [URIRef(auth + "frequency/IRREG")]
    assert set(g.objects(ds, DCT.language)) == {URIRef(auth + "language/ITA"), URIRef(auth + "language/ENG")}
    assert list(g.objects(ds, DCT.spatial)) == [URIRef(auth + "country/ITA")]
    assert list(g.objects(ds, DCT.modified)) == [Literal("2026-11-22", datatype=XSD.date)]
    assert list(g.objects(URIRef(BASE + "catalog"), DCT.modified)) == [Literal("2026-11-22", datatype=XSD.date)]
    # sub-theme: the S13 category "Unioni di comuni"
    assert URIRef("https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/S13/206") in set(
        g.objects(ds, DCT.subject)
    )
    assert Literal("unioni di comuni", lang="it") in set(g.objects(ds, DCAT.keyword))
    std = URIRef("https://w3id.org/lod-unioni/onto")
    assert list(g.objects(ds, DCT.conformsTo)) == [std]
    assert (std, RDF.type, DCATAPIT.Standard) in g


def test_publisher_and_rights_holder_default_to_one_agent(g):
    ds = URIRef(BASE + "dataset/unioni")
    agent = URIRef(BASE + "agent/lod-unioni")
    assert list(g.objects(ds, DCT.publisher)) == [agent]
    assert list(g.objects(ds, DCT.rightsHolder)) == [agent]
    assert (agent, RDF.type, DCATAPIT.Agent) in g and (agent, RDF.type, FOAF.Agent) in g
    assert list(g.objects(agent, DCT.identifier)) == [Literal("lod-unioni")]
    assert list(g.objects(ds, DCT.identifier)) == [Literal("lod-unioni:unioni-di-comuni")]


# Each format key against the EU file-type table and IANA, checked by hand.
@pytest.mark.parametrize(
    "name,file_type,media,size,sha",
    [
        ("unioni.ttl", "TURTLE", "text/turtle", 1200, SHA_TTL),
        ("unioni.jsonld", "JSON_LD", "application/ld+json", 3400, SHA_JSONLD),
        ("unioni.nt", "RDF_N_TRIPLES", "application/n-triples", 5600, SHA_NT),
    ],
)
def test_distribution(g, name, file_type, media, size, sha):
    d = URIRef(f"{BASE}dataset/unioni/distribution/{name}")
    assert (URIRef(BASE + "dataset/unioni"), DCAT.distribution, d) in g
    assert list(g.objects(d, DCT["format"])) == [
        URIRef("http://publications.europa.eu/resource/authority/file-type/" + file_type)
    ]
    assert list(g.objects(d, DCAT.mediaType)) == [URIRef("https://www.iana.org/assignments/media-types/" + media)]
    assert list(g.objects(d, DCAT.downloadURL)) == [URIRef(BASE + name)]
    assert list(g.objects(d, DCAT.accessURL)) == [URIRef(BASE + name)]
    [byte_size] = list(g.objects(d, DCAT.byteSize))
    assert byte_size.datatype == XSD.decimal and int(byte_size) == size
    license_doc = URIRef("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40")
    assert list(g.objects(d, DCT.license)) == [license_doc]
    assert (license_doc, RDF.type, DCATAPIT.LicenseDocument) in g
    assert (license_doc, DCT.type, URIRef("http://purl.org/adms/licencetype/Attribution")) in g
    [checksum] = list(g.objects(d, SPDX.checksum))
    assert list(g.objects(checksum, SPDX.algorithm)) == [SPDX.checksumAlgorithm_sha256]
    assert [str(v) for v in g.objects(checksum, SPDX.checksumValue)] == [sha]


# ---------------------------------------------------------------------------------------------
# determinism and options
# ---------------------------------------------------------------------------------------------


def test_same_arguments_same_bytes(triples):
    again = catalog_triples(BASE, [Distribution(*d) for d in DISTS], modified="2026-11-22")
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
    g = _graph(catalog_triples(other, DISTS, modified=MODIFIED))
    subjects = {str(s) for s in g.subjects()}
    assert not any(s.startswith(BASE) for s in subjects)
    assert other + "catalog" in subjects and other + "dataset/unioni" in subjects
    assert (
        URIRef(other + "dataset/unioni/distribution/unioni.ttl"),
        DCAT.downloadURL,
        URIRef(other + "unioni.ttl"),
    ) in g
    # controlled vocabularies and the ontology stay where they are
    assert (URIRef(other + "dataset/unioni"), DCT.conformsTo, URIRef("https://w3id.org/lod-unioni/onto")) in g


def test_download_base_changes_download_urls_only():
    g = _graph(catalog_triples(BASE, DISTS, modified=MODIFIED, download_base="https://files.example.org/v1/"))
    d = URIRef(BASE + "dataset/unioni/distribution/unioni.nt")
    assert list(g.objects(d, DCAT.downloadURL)) == [URIRef("https://files.example.org/v1/unioni.nt")]


def test_public_administration_as_publisher_with_a_separate_rights_holder(shapes):
    ipa = "https://w3id.org/italia/data/public-organization/"
    pub = Agent("udcmd", "Unione dei Comuni del Miracolo", ipa + "udcmd")
    g = _graph(
        catalog_triples(
            BASE,
            DISTS,
            modified=MODIFIED,
            publisher=pub,
            rights_holder={"identifier": "agid", "name": "Agenzia per l'Italia Digitale"},
            dataset_identifier="udcmd:D.1",
            contact_email="dati@example.it",
            issued="2026-01-15",
        )
    )
    ds = URIRef(BASE + "dataset/unioni")
    assert list(g.objects(ds, DCT.publisher)) == [URIRef(ipa + "udcmd")]
    assert list(g.objects(ds, DCT.rightsHolder)) == [URIRef(BASE + "agent/agid")]
    assert list(g.objects(URIRef(BASE + "agent/agid"), FOAF.name)) == [
        Literal("Agenzia per l'Italia Digitale", lang="it")
    ]
    assert list(g.objects(ds, DCT.identifier)) == [Literal("udcmd:D.1")]
    [contact] = list(g.objects(ds, DCAT.contactPoint))
    assert (contact, RDF.type, DCATAPIT.Organization) in g
    assert list(g.objects(contact, VCARD.hasEmail)) == [URIRef("mailto:dati@example.it")]
    assert list(g.objects(URIRef(BASE + "catalog"), DCT.issued)) == [Literal("2026-01-15", datatype=XSD.date)]
    conforms, text = _conforms(g, shapes)
    assert conforms, text


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
        ({"modified": MODIFIED, "publisher": {"identifier": "udcmd"}}, "publisher.name"),
        ({"modified": MODIFIED, "publisher": {"identifier": "bad id", "name": "X"}}, "publisher.identifier"),
        ({"modified": MODIFIED, "publisher": Agent("udcmd", "X", "not an iri")}, "publisher.iri"),
        ({"modified": MODIFIED, "contact_email": "nobody"}, "contact_email"),
        ({"modified": MODIFIED, "dataset_identifier": "a b"}, "dataset_identifier"),
        ({"modified": MODIFIED, "download_base": "https://example.org/no-slash"}, "base_iri"),
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

    p.write_text("catalog_format: 1\ncatalog: [unclosed\n", encoding="utf-8")
    with pytest.raises(LodError) as err:
        load_template(p)
    assert err.value.file == str(p) and err.value.line is not None


def test_bundled_template_loads():
    data = load_template()
    assert set(data["formats"]) == {"turtle", "jsonld", "ntriples"}
