"""The lod-unioni ontology and the indicators vocabulary against MODEL.md and OntoPiA.

Expected values come from MODEL.md and the OntoPiA ontologies in
../shared/data/ontopia/ontologies (read through the ``shared_data`` fixture), not from the files
under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from conftest import DCAT, LU, LUI, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD
from conftest import DCT as DCTERMS
from rdflib import Literal, URIRef
from rdflib import namespace as rdflib_ns

from lod_unioni.resources import resource_dir

ONTO = resource_dir("ontology")
MODEL = ONTO / "MODEL.md"
ONTOLOGY_FILE = ONTO / "lod-unioni.ttl"
ALIGNMENTS_FILE = ONTO / "alignments.ttl"
INDICATORS_FILE = ONTO / "vocabularies" / "indicators" / "indicators.ttl"

# Plain namespaces (rdflib's DefinedNamespace objects warn when pytest inspects module globals).

LU_ONTOLOGY = URIRef("https://w3id.org/lod-unioni/onto")
LUI_SCHEME = URIRef("https://w3id.org/lod-unioni/vocab/indicators")
ITALIA_ONTO = "https://w3id.org/italia/onto/"
COV = rdflib.Namespace(ITALIA_ONTO + "COV/")
CLV = rdflib.Namespace(ITALIA_ONTO + "CLV/")
L0 = rdflib.Namespace(ITALIA_ONTO + "l0/")
TI = rdflib.Namespace(ITALIA_ONTO + "TI/")
IND = rdflib.Namespace(ITALIA_ONTO + "Indicator/")
MU = rdflib.Namespace(ITALIA_ONTO + "MU/")
PRJ = rdflib.Namespace(ITALIA_ONTO + "Project/")
SCHEMA = rdflib.Namespace("http://schema.org/")
QUDT_UNIT = rdflib.Namespace("http://qudt.org/vocab/unit/")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")

# Prefixes of MODEL.md (its namespace table).
ONTOPIA_PREFIXES = {
    "cov": COV,
    "clv": CLV,
    "l0": L0,
    "sm": ITALIA_ONTO + "SM/",
    "ti": TI,
    "ind": IND,
    "mu": MU,
    "prj": PRJ,
}
W3C_PREFIXES = {
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "owl": str(OWL),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcat": str(DCAT),
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
}
# The W3C / DCAT-AP_IT terms the data model may use, checked by hand against the W3C
# recommendations (ORG, SKOS, DCMI terms, PROV-O, OWL 2, RDF Schema, XML Schema datatypes).
KNOWN_W3C_TERMS = {
    "org:Membership",
    "org:FormalOrganization",
    "org:Organization",
    "org:hasMember",
    "org:member",
    "org:organization",
    "org:memberOf",
    "org:hasMembership",
    "skos:Concept",
    "skos:ConceptScheme",
    "skos:closeMatch",
    "skos:relatedMatch",
    "skos:exactMatch",
    "skos:inScheme",
    "skos:prefLabel",
    "skos:altLabel",
    "skos:notation",
    "dcterms:spatial",
    "dcterms:title",
    "dcterms:description",
    "dcterms:identifier",
    "dcterms:source",
    "dcterms:subject",
    "dcterms:isPartOf",
    "dcterms:isReplacedBy",
    "dcterms:relation",
    "dcterms:license",
    "dcterms:rights",
    "dcterms:issued",
    "dcterms:publisher",
    "dcterms:conformsTo",
    "dcterms:modified",
    "prov:Activity",
    "prov:Entity",
    "prov:Agent",
    "prov:wasDerivedFrom",
    "prov:wasAttributedTo",
    "prov:wasAssociatedWith",
    "prov:generatedAtTime",
    "prov:Derivation",
    "prov:qualifiedDerivation",
    "prov:entity",
    "prov:Collection",
    "prov:hadMember",
    "owl:sameAs",
    "owl:versionInfo",
    "owl:Nothing",
    "owl:FunctionalProperty",
    "owl:deprecated",
    "owl:Class",
    "owl:ObjectProperty",
    "owl:DatatypeProperty",
    "rdfs:label",
    "rdfs:comment",
    "rdfs:subClassOf",
    "rdfs:subPropertyOf",
    "rdfs:seeAlso",
    "rdfs:isDefinedBy",
    "xsd:string",
    "xsd:integer",
    "xsd:decimal",
    "xsd:date",
    "xsd:gYear",
    "xsd:anyURI",
    "xsd:dateTime",
    "dcat:Catalog",
    "dcat:version",
    "dcat:Dataset",
    "dcat:Distribution",
    "dcatapit:Catalog",
    "dcatapit:Dataset",
    "dcatapit:Distribution",
    "dcatapit:Agent",
}
RDFLIB_NAMESPACES = ("org", "skos", "dcterms", "prov", "owl", "rdfs", "xsd", "dcat")

# The OntoPiA ontologies lod-unioni.ttl must import (COV, CLV, l0, SM, TI, Indicator, MU, Project).
EXPECTED_IMPORTS = {"COV", "CLV", "l0", "SM", "TI", "Indicator", "MU", "Project"}

_LU_TERM = re.compile(r"(?<![\w-])lu:([A-Za-z][A-Za-z0-9_]*)")
_PREFIXED = re.compile(r"(?<![\w/#-])([a-z][a-z0-9]*):([A-Za-z_][A-Za-z0-9_]*)")


# ---------------------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_text() -> str:
    return MODEL.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def alignments() -> rdflib.Graph:
    return rdflib.Graph().parse(ALIGNMENTS_FILE, format="turtle")


@pytest.fixture(scope="module")
def indicators() -> rdflib.Graph:
    return rdflib.Graph().parse(INDICATORS_FILE, format="turtle")


@pytest.fixture(scope="module")
def ontopia(shared_data) -> rdflib.Graph:
    g = rdflib.Graph()
    files = sorted((shared_data / "ontopia" / "ontologies").glob("*.ttl"))
    assert len(files) == 8, files
    for f in files:
        g.parse(f, format="turtle")
    return g


def _defined_lu_terms(g: rdflib.Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s)[len(LU) :]
        for k in kinds
        for s in g.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(LU)
    }


def _langs(g: rdflib.Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and str(o).strip()}


def _ontopia_defined(ontopia: rdflib.Graph, iri: URIRef) -> bool:
    return (iri, RDF.type, None) in ontopia


# ---------------------------------------------------------------------------------------------
# parsing
# ---------------------------------------------------------------------------------------------


def test_every_turtle_file_under_ontology_parses():
    files = sorted(ONTO.rglob("*.ttl"))
    assert ONTOLOGY_FILE in files and INDICATORS_FILE in files and ALIGNMENTS_FILE in files
    for f in files:
        g = rdflib.Graph().parse(f, format="turtle")
        assert len(g) > 0, f


# ---------------------------------------------------------------------------------------------
# lu: terms <-> MODEL.md
# ---------------------------------------------------------------------------------------------


def test_the_term_extractor_sees_the_model(model_text):
    terms = set(_LU_TERM.findall(model_text))
    # a few terms picked by hand from MODEL.md, including the one with digits
    assert {"UnioneDiComuni", "Membership", "istatCode", "sha256", "inSynergyWith"} <= terms
    # lus:/lust:/lui: are other namespaces, not lu:
    assert not any(t.startswith(("active", "resident")) for t in terms)


def test_every_lu_term_of_the_model_is_defined_and_nothing_more(model_text, onto):
    in_model = set(_LU_TERM.findall(model_text))
    defined = _defined_lu_terms(onto)
    assert in_model - defined == set(), "used in MODEL.md but not defined in lod-unioni.ttl"
    assert defined - in_model == set(), "defined in lod-unioni.ttl but not used in MODEL.md"


def test_the_terms_the_model_needs_are_defined(onto):
    required = {
        "UnioneDiComuni",
        "Comune",
        "Membership",
        "SharedService",
        "Intervention",
        "InterventionLine",
        "region",
        "province",
        "city",
        "istatCode",
        "cadastralCode",
        "foundingDate",
        "hasMembership",
        "hasSharedService",
        "serviceType",
        "serviceStatus",
        "providedBy",
        "statedBy",
        "programme",
        "interventionLine",
        "beneficiary",
        "activityPeriod",
        "need",
        "scope",
        "action",
        "hasSection",
        "inSynergyWith",
        "partOfProgramme",
        "sha256",
        "probableSameAs",
    }
    assert required <= _defined_lu_terms(onto)


def test_no_lu_iri_is_used_without_being_defined(onto):
    defined = {URIRef(LU + t) for t in _defined_lu_terms(onto)}
    used = {n for t in onto for n in t if isinstance(n, URIRef) and str(n).startswith(LU)}
    used.discard(URIRef(LU + "0.1.0"))  # the version IRI
    assert used - defined == set()


@pytest.mark.parametrize("prop", [RDFS.label, RDFS.comment])
def test_every_lu_term_has_label_and_comment_in_italian_and_english(onto, prop):
    missing = [t for t in sorted(_defined_lu_terms(onto)) if not {"it", "en"} <= _langs(onto, URIRef(LU + t), prop)]
    assert missing == []


def test_every_lu_term_is_defined_by_the_ontology_and_has_one_kind(onto):
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for t in _defined_lu_terms(onto):
        s = URIRef(LU + t)
        assert set(onto.objects(s, RDFS.isDefinedBy)) == {LU_ONTOLOGY}, t
        assert len(set(onto.objects(s, RDF.type)) & kinds) == 1, t


def test_properties_have_domain_and_range_and_classes_are_capitalised(onto):
    for t in _defined_lu_terms(onto):
        s = URIRef(LU + t)
        if (s, RDF.type, OWL.Class) in onto:
            assert t[0].isupper(), t
        else:
            assert t[0].islower(), t
            assert len(set(onto.objects(s, RDFS.domain))) == 1, t
            assert len(set(onto.objects(s, RDFS.range))) == 1, t


def test_every_lu_term_is_aligned_to_a_reused_term(onto, alignments):
    onto = onto + alignments  # the SKOS mappings are in their own file
    align = [
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        SKOS.closeMatch,
        SKOS.exactMatch,
        SKOS.relatedMatch,
        SKOS.broadMatch,
        SKOS.narrowMatch,
    ]
    for t in sorted(_defined_lu_terms(onto)):
        s = URIRef(LU + t)
        targets = {o for p in align for o in onto.objects(s, p)}
        targets |= {o for o in onto.objects(s, OWL.inverseOf)}
        reused = {o for o in targets if not str(o).startswith(LU)}
        # a property aligned only through its lu: inverse counts when that inverse is aligned
        for inv in onto.objects(s, OWL.inverseOf):
            reused |= {o for p in align for o in onto.objects(inv, p) if not str(o).startswith(LU)}
        assert reused, f"lu:{t} has no alignment to a reused term"


# Alignments required by the model (MODEL.md).
@pytest.mark.parametrize(
    "s,p,o",
    [
        (LU + "UnioneDiComuni", RDFS.subClassOf, COV.PublicOrganization),
        (LU + "UnioneDiComuni", RDFS.subClassOf, ORG.FormalOrganization),
        (LU + "Comune", RDFS.subClassOf, COV.PublicOrganization),
        (LU + "Membership", RDFS.subClassOf, ORG.Membership),
        (LU + "Membership", RDFS.subClassOf, COV.Participation),
        # not l0:identifier, which CLV declares functional (cov:IPAcode is one already)
        (LU + "istatCode", RDFS.subPropertyOf, DCTERMS.identifier),
        (LU + "cadastralCode", RDFS.subPropertyOf, DCTERMS.identifier),
        (LU + "ministryCode", RDFS.subPropertyOf, DCTERMS.identifier),
        (LU + "probableSameAs", RDFS.subPropertyOf, RDFS.seeAlso),
        (LU + "region", RDFS.subPropertyOf, DCTERMS.spatial),
        (LU + "province", RDFS.subPropertyOf, DCTERMS.spatial),
        (LU + "city", RDFS.subPropertyOf, DCTERMS.spatial),
        (LU + "foundingDate", RDFS.subPropertyOf, SCHEMA.foundingDate),
        (LU + "activityPeriod", RDFS.subPropertyOf, DCTERMS.temporal),
        (LU + "Intervention", RDFS.subClassOf, L0.Activity),
        (LU + "Intervention", RDFS.subClassOf, PROV.Activity),
        (LU + "region", RDFS.range, CLV.Region),
        (LU + "province", RDFS.range, CLV.Province),
        (LU + "city", RDFS.range, CLV.City),
        (LU + "activityPeriod", RDFS.range, TI.TimeInterval),
        (LU + "programme", RDFS.range, PRJ.Programme),
        (LU + "statedBy", RDFS.domain, IND.IndicatorCalculation),
        (LU + "hasSection", RDFS.range, L0.Description),
    ],
)
def test_required_alignments(onto, s, p, o):
    assert (URIRef(s), p, o) in onto


# SKOS mappings required by the model, in ontology/alignments.ttl.
@pytest.mark.parametrize(
    "s,p,o",
    [
        (LU + "region", SKOS.closeMatch, CLV.hasRegion),
        (LU + "province", SKOS.closeMatch, CLV.hasProvince),
        (LU + "city", SKOS.closeMatch, CLV.hasCity),
        (LU + "foundingDate", SKOS.closeMatch, COV.foundationDate),
        (LU + "Intervention", SKOS.closeMatch, PRJ.PublicInvestmentProject),
        (LU + "InterventionLine", SKOS.relatedMatch, PRJ.Programme),
    ],
)
def test_required_mappings(alignments, s, p, o):
    assert (URIRef(s), p, o) in alignments


SKOS_MAPPINGS = {SKOS.closeMatch, SKOS.exactMatch, SKOS.relatedMatch, SKOS.broadMatch, SKOS.narrowMatch}


def test_the_ontology_makes_none_of_its_terms_a_skos_concept(onto):
    # SKOS gives the mapping properties the domain and range skos:Concept: on an OWL class or
    # property they would make it (and the reused term) a concept. They live in alignments.ttl.
    assert [(s, p, o) for s, p, o in onto if p in SKOS_MAPPINGS] == []
    assert (None, RDF.type, SKOS.Concept) not in onto


def test_the_alignments_are_only_mappings_of_our_terms(onto, alignments):
    defined = {URIRef(LU + t) for t in _defined_lu_terms(onto)}
    header = URIRef(LU + "alignments")
    for s, p, o in alignments:
        if s == header:
            continue
        assert p in SKOS_MAPPINGS and s in defined and not str(o).startswith(LU), (s, p, o)
    assert {"it", "en"} <= _langs(alignments, header, RDFS.label)
    # nothing loads them: not imported by the ontology
    assert (None, OWL.imports, header) not in onto


def test_reused_closematch_targets_really_do_not_fit_directly(ontopia):
    # The reasons for minting instead of reusing, checked in OntoPiA itself.
    assert (CLV.hasCity, RDFS.domain, CLV.Address) in ontopia
    assert (CLV.hasProvince, RDFS.domain, CLV.Address) in ontopia
    assert (CLV.hasRegion, RDFS.domain, CLV.Address) in ontopia
    assert (COV.foundationDate, RDFS.domain, COV.PrivateOrganization) in ontopia
    assert (PRJ.hasProgramme, RDFS.domain, PRJ.PublicInvestmentProject) in ontopia


def test_membership_direction_is_the_inverse_of_org_organization(onto):
    [restriction] = list(onto.objects(URIRef(LU + "hasMembership"), RDFS.subPropertyOf))
    assert (restriction, OWL.inverseOf, ORG.organization) in onto
    assert (URIRef(LU + "providedBy"), OWL.inverseOf, URIRef(LU + "hasSharedService")) in onto


def test_founding_date_admits_a_date_or_a_year(onto):
    [dt] = list(onto.objects(URIRef(LU + "foundingDate"), RDFS.range))
    [members] = list(onto.objects(dt, OWL.unionOf))
    assert set(rdflib.collection.Collection(onto, members)) == {XSD.date, XSD.gYear}


# ---------------------------------------------------------------------------------------------
# ontology header
# ---------------------------------------------------------------------------------------------


def test_ontology_header(onto):
    assert (LU_ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert list(onto.objects(LU_ONTOLOGY, OWL.versionInfo))
    assert list(onto.objects(LU_ONTOLOGY, OWL.versionIRI))
    assert {"it", "en"} <= _langs(onto, LU_ONTOLOGY, DCTERMS.title)
    assert {"it", "en"} <= _langs(onto, LU_ONTOLOGY, DCTERMS.description)
    assert (LU_ONTOLOGY, DCTERMS.license, CC_BY_4) in onto
    assert list(onto.objects(LU_ONTOLOGY, DCTERMS.creator))


def test_imports_are_the_ontopia_ontology_iris(onto, ontopia):
    imports = set(onto.objects(LU_ONTOLOGY, OWL.imports))
    assert imports == {URIRef(ITALIA_ONTO + name) for name in EXPECTED_IMPORTS}
    declared = set(ontopia.subjects(RDF.type, OWL.Ontology))
    assert imports <= declared, "an import IRI is not the IRI OntoPiA declares"


def test_the_version_matches_the_package():
    import lod_unioni

    g = rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")
    assert str(g.value(LU_ONTOLOGY, OWL.versionInfo)) == lod_unioni.__version__
    assert str(g.value(LU_ONTOLOGY, OWL.versionIRI)) == f"{LU}{lod_unioni.__version__}"


# ---------------------------------------------------------------------------------------------
# reused terms exist
# ---------------------------------------------------------------------------------------------


def test_every_reused_term_of_the_model_exists(model_text, ontopia):
    missing = []
    for prefix, local in sorted(set(_PREFIXED.findall(model_text))):
        if prefix in ONTOPIA_PREFIXES:
            if not _ontopia_defined(ontopia, URIRef(str(ONTOPIA_PREFIXES[prefix]) + local)):
                missing.append(f"{prefix}:{local}")
        elif prefix in W3C_PREFIXES and f"{prefix}:{local}" not in KNOWN_W3C_TERMS:
            missing.append(f"{prefix}:{local}")
    assert missing == []


def test_the_model_uses_the_ontopia_spelling_of_ipacode(model_text, ontopia):
    assert "cov:IPAcode" in model_text and "cov:IPACode" not in model_text
    assert _ontopia_defined(ontopia, COV.IPAcode)
    assert not _ontopia_defined(ontopia, COV.IPACode)


#: DCAT 3 terms (W3C Recommendation, 2024) that rdflib's DCAT namespace (DCAT 2) lacks; the DCAT-AP
#: 3.0.1 shapes (../shared/conformance/dcat-ap) use them.
DCAT_3_TERMS = {"dcat:version"}


def test_the_known_w3c_list_agrees_with_rdflib(conformance):
    shapes = (conformance / "dcat-ap" / "dcat-ap-3.0.1-SHACL.ttl").read_text(encoding="utf-8")
    for term in sorted(DCAT_3_TERMS):
        assert f"shacl:path {term} " in shapes, term
    for term in sorted(KNOWN_W3C_TERMS - DCAT_3_TERMS):
        prefix, local = term.split(":")
        if prefix in RDFLIB_NAMESPACES:
            ns = getattr(rdflib_ns, prefix.upper())
            assert local in ns.__annotations__ or local in getattr(ns, "_extras", []), term


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, ALIGNMENTS_FILE, INDICATORS_FILE])
def test_every_ontopia_term_our_files_use_exists(path, ontopia):
    g = rdflib.Graph().parse(path, format="turtle")
    used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(ITALIA_ONTO)}
    imports = set(g.objects(LU_ONTOLOGY, OWL.imports))
    missing = sorted(str(n) for n in used - imports if not _ontopia_defined(ontopia, n))
    assert missing == []


# ---------------------------------------------------------------------------------------------
# indicators vocabulary
# ---------------------------------------------------------------------------------------------

# Units checked by hand: population in inhabitants, surface in km², density in inhabitants per
# km², number of comuni a count.
EXPECTED_UNITS = {
    "resident-population": ("unit-inhabitants", "abitanti", "inhabitants"),
    "surface-area": ("unit-square-kilometre", "chilometro quadrato", "square kilometre"),
    "population-density": (
        "unit-inhabitants-per-square-kilometre",
        "abitanti per chilometro quadrato",
        "inhabitants per square kilometre",
    ),
    "number-of-comuni": ("unit-count", "numero", "count"),
    # the PNRR figures: a state code, projects and comuni counted, euro, euro per inhabitant, ranks
    "pnrr-status": ("unit-state", "stato", "state"),
    "pnrr-projects": ("unit-count", "numero", "count"),
    "pnrr-assigned": ("unit-euro", "euro", "euro"),
    "pnrr-disbursed": ("unit-euro", "euro", "euro"),
    "pnrr-assigned-per-inhabitant": ("unit-euro-per-inhabitant", "euro per abitante", "euro per inhabitant"),
    "pnrr-coverage": ("unit-count", "numero", "count"),
    "pnrr-rank-region": ("unit-rank", "posizione", "rank"),
    "pnrr-rank-italy": ("unit-rank", "posizione", "rank"),
    "pnrr-median-region": ("unit-euro-per-inhabitant", "euro per abitante", "euro per inhabitant"),
    "pnrr-median-italy": ("unit-euro-per-inhabitant", "euro per abitante", "euro per inhabitant"),
}


def test_the_model_indicators_are_all_defined(model_text, indicators):
    in_model = set(re.findall(r"(?<![\w-])lui:([a-z][a-z-]*[a-z])", model_text))
    units = {unit for unit, _, _ in EXPECTED_UNITS.values()}
    assert in_model - units == set(EXPECTED_UNITS)
    assert in_model & units == units  # MODEL.md names every unit too
    defined = {str(s)[len(LUI) :] for s in indicators.subjects(RDF.type, IND.Indicator)}
    assert defined == set(EXPECTED_UNITS)


@pytest.mark.parametrize("name", sorted(EXPECTED_UNITS))
def test_indicator(indicators, name):
    s = URIRef(LUI + name)
    assert (s, RDF.type, IND.Indicator) in indicators
    assert (s, RDF.type, SKOS.Concept) in indicators
    assert (s, SKOS.inScheme, LUI_SCHEME) in indicators
    assert (LUI_SCHEME, SKOS.hasTopConcept, s) in indicators
    assert str(indicators.value(s, SKOS.notation)) == name
    for p in (SKOS.prefLabel, SKOS.definition, L0.name):
        assert {"it", "en"} <= _langs(indicators, s, p), p


@pytest.mark.parametrize("name", sorted(EXPECTED_UNITS))
def test_indicator_unit(indicators, name):
    unit_local, label_it, label_en = EXPECTED_UNITS[name]
    units = list(indicators.objects(URIRef(LUI + name), MU.hasMeasurementUnit))
    assert units == [URIRef(LUI + unit_local)]
    unit = units[0]
    assert (unit, RDF.type, MU.MeasurementUnit) in indicators
    assert Literal(label_it, lang="it") in set(indicators.objects(unit, RDFS.label))
    assert Literal(label_en, lang="en") in set(indicators.objects(unit, RDFS.label))
    assert indicators.value(unit, SKOS.notation) is not None


def test_units_link_to_qudt_only_where_qudt_has_them(indicators):
    # km² is QUDT's KiloM2 and a count is QUDT's NUM; links are IRIs, not owl:sameAs.
    assert (URIRef(LUI + "unit-square-kilometre"), SKOS.exactMatch, QUDT_UNIT.KiloM2) in indicators
    assert (URIRef(LUI + "unit-count"), SKOS.exactMatch, QUDT_UNIT.NUM) in indicators
    assert (URIRef(LUI + "unit-inhabitants"), SKOS.exactMatch, None) not in indicators
    assert not list(indicators.triples((None, OWL.sameAs, None)))
    assert not [s for s in indicators.subjects() if str(s).startswith(str(QUDT_UNIT))]


def test_scheme_header(indicators):
    assert (LUI_SCHEME, RDF.type, SKOS.ConceptScheme) in indicators
    assert {"it", "en"} <= _langs(indicators, LUI_SCHEME, SKOS.prefLabel)
    assert (LUI_SCHEME, DCTERMS.license, CC_BY_4) in indicators


# ---------------------------------------------------------------------------------------------
# README
# ---------------------------------------------------------------------------------------------


def test_readme_lists_every_minted_term(onto):
    readme = (ONTO / "README.md").read_text(encoding="utf-8")
    assert "MODEL.md" in readme
    missing = [t for t in sorted(_defined_lu_terms(onto)) if f"`lu:{t}`" not in readme]
    assert missing == []


def test_resources_ship_with_the_package():
    # the wheel force-includes ontology/; the catalog template and vocabularies are inside it
    assert (ONTO / "catalog" / "catalog.yaml").is_file()
    assert Path(INDICATORS_FILE).is_file()


def test_indicator_iris_used_by_the_mappings_are_defined(indicators):
    mappings = sorted((ONTO.parent / "mappings").glob("*.yaml"))
    if not mappings:
        pytest.skip("no mappings in this checkout")
    used = {
        m for f in mappings for m in re.findall(r"(?<![\w-])lui:([A-Za-z][\w-]*[\w])", f.read_text(encoding="utf-8"))
    }
    defined = {str(s)[len(LUI) :] for s in indicators.subjects() if str(s).startswith(LUI)}
    assert used, "the mappings use no lui: term"
    assert used - defined == set()
