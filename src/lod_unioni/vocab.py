"""Every namespace IRI lod-unioni reads or writes: the one place for them in Python.

The RDF files carry their own prefix declarations (Turtle needs them): ``mappings/prefixes.yaml``
(the prefixes of the dumps and of the JSON-LD context), ``shapes/prefixes.ttl`` (``sh:declare`` of
the SHACL-SPARQL constraints) and the ontology. ``tests/test_vocab.py`` checks that each of them
agrees with :data:`PREFIXES`.

Constants are plain strings (namespace IRIs); modules build terms with ``NamedNode(vocab.LU +
"UnioneDiComuni")`` or, for rdflib, ``rdflib.Namespace(vocab.LU)``.
"""

from __future__ import annotations

__all__ = ["PREFIXES", "namespace_of"]

# W3C and other standard vocabularies
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
DCAT = "http://www.w3.org/ns/dcat#"
SH = "http://www.w3.org/ns/shacl#"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SPDX = "http://spdx.org/rdf/terms#"
DCATAPIT = "http://dati.gov.it/onto/dcatapit#"
VOID = "http://rdfs.org/ns/void#"

# lod-unioni's own terms (they do not change with the base IRI of the data)
LU = "https://w3id.org/lod-unioni/onto/"
LUS = "https://w3id.org/lod-unioni/vocab/services/"
LUST = "https://w3id.org/lod-unioni/vocab/service-status/"
LUUS = "https://w3id.org/lod-unioni/vocab/union-status/"
LUI = "https://w3id.org/lod-unioni/vocab/indicators/"
LUPM = "https://w3id.org/lod-unioni/vocab/pnrr-measures/"
LUPST = "https://w3id.org/lod-unioni/vocab/pnrr-status/"
LUSH = "https://w3id.org/lod-unioni/shapes/"

# OntoPiA ontologies
COV = "https://w3id.org/italia/onto/COV/"
CLV = "https://w3id.org/italia/onto/CLV/"
L0 = "https://w3id.org/italia/onto/l0/"
SM = "https://w3id.org/italia/onto/SM/"
TI = "https://w3id.org/italia/onto/TI/"
IND = "https://w3id.org/italia/onto/Indicator/"
MU = "https://w3id.org/italia/onto/MU/"
PRJ = "https://w3id.org/italia/onto/Project/"

# OntoPiA controlled vocabularies and the national data
TERRITORIAL = "https://w3id.org/italia/controlled-vocabulary/territorial-classifications/"
CCITIES = TERRITORIAL + "cities/"
CPROV = TERRITORIAL + "provinces/"
CREG = TERRITORIAL + "regions/"
ORGANIZATIONS = "https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/"
S13 = ORGANIZATIONS + "S13/"
LEGAL = ORGANIZATIONS + "legal-status/"
IPAORG = "https://w3id.org/italia/data/public-organization/"
#: The same national IRIs as the Department for Digital Transformation's RML spells them (PNRR data).
IPAORGS = "https://w3id.org/italia/data/public-organisation/"
#: The Department's IRIs of a PNRR project (by CUP) and of a call (by the MD5 of its title), as its RML mints them.
PNRRPRJ = "https://w3id.org/italia/data/public-investment-project/"
PNRRCALL = "https://w3id.org/italia/data/call/"

# EU Publications Office authority tables (DCAT-AP)
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_DATA_THEME = EU_AUTHORITY + "data-theme/"
EU_FREQUENCY = EU_AUTHORITY + "frequency/"
EU_FILE_TYPE = EU_AUTHORITY + "file-type/"
EU_LANGUAGE = EU_AUTHORITY + "language/"
EU_COUNTRY = EU_AUTHORITY + "country/"
EU_PLANNED_AVAILABILITY = EU_AUTHORITY + "planned-availability/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: DCAT-AP's own terms (``dcatap:availability``).
DCATAP = "http://data.europa.eu/r5r/"
#: EuroVoc, the EU thesaurus (the sub-themes of DCAT-AP_IT).
EUROVOC = "http://eurovoc.europa.eu/"

#: Conventional prefix -> namespace, for every namespace above.
PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "dcat": DCAT,
    "dcatapit": DCATAPIT,
    "sh": SH,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "void": VOID,
    "lu": LU,
    "lus": LUS,
    "lust": LUST,
    "luus": LUUS,
    "lui": LUI,
    "lupm": LUPM,
    "lupst": LUPST,
    "lush": LUSH,
    "cov": COV,
    "clv": CLV,
    "l0": L0,
    "sm": SM,
    "ti": TI,
    "ind": IND,
    "mu": MU,
    "prj": PRJ,
    "ccities": CCITIES,
    "cprov": CPROV,
    "creg": CREG,
    "s13": S13,
    "legal": LEGAL,
    "ipaorg": IPAORG,
    "ipaorgs": IPAORGS,
    "pnrrprj": PNRRPRJ,
    "pnrrcall": PNRRCALL,
    "theme": EU_DATA_THEME,
    "freq": EU_FREQUENCY,
    "filetype": EU_FILE_TYPE,
    "lang": EU_LANGUAGE,
    "country": EU_COUNTRY,
    "availability": EU_PLANNED_AVAILABILITY,
    "dcatap": DCATAP,
    "eurovoc": EUROVOC,
}

#: Other prefixes some files use for a namespace of :data:`PREFIXES` (``dct`` in the DCAT world).
ALIASES: dict[str, str] = {"dct": DCTERMS}


def namespace_of(prefix: str) -> str:
    """The namespace of a conventional prefix (``lu`` -> ``https://w3id.org/lod-unioni/onto/``)."""
    try:
        return PREFIXES[prefix] if prefix in PREFIXES else ALIASES[prefix]
    except KeyError:
        raise KeyError(f"unknown prefix {prefix!r}") from None
