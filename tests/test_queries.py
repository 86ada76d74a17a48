"""The bundled SPARQL queries and the query API (lod_unioni.query).

Expected answers were worked out by hand from tests/fixtures/queries/graph.ttl (two real unions
from the ITALIAE cards, codes checked in ../shared/data, and two synthetic unions built to trip
every check). They are NOT copied from the code's output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from conftest import CCITIES, CPROV, CREG, FIXTURES_DIR, IPAORG, LUS, LUUS, REPO, XSD, B
from pyoxigraph import Literal, NamedNode, QueryResultsFormat, Variable

from lod_unioni.errors import LodError
from lod_unioni.query import (
    Param,
    Result,
    format_result,
    list_queries,
    load_query,
    load_store,
    parse_header,
    parse_query,
    queries_dir,
    run_query,
    sparql_text,
)
from lod_unioni.query.params import bind, to_term, values_block

FIXTURES = FIXTURES_DIR / "queries"
GRAPH = FIXTURES / "graph.ttl"
REAL_DUMP = REPO / "output" / "unioni.ttl"

UDM, ULL, USV, USG = (B + f"union/{c}" for c in ("udm_069", "ull", "usv_test", "usg_test"))
MIRACOLI = "Unione dei Miracoli"
LAGONEGRESE = "Unione dei Comuni Lucani del Lagonegrese"


@pytest.fixture(scope="module")
def store():
    return load_store([GRAPH])


def py(term):
    """A term as a plain Python value: IRIs as str, integers as int, decimals as Decimal."""
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        dt = term.datatype.value
        if dt == XSD + "integer":
            return int(term.value)
        if dt == XSD + "decimal":
            return Decimal(term.value)
        return term.value
    return str(term)


def rows(result: Result, *columns: str) -> list[tuple]:
    ks = [result.variables.index(c) for c in columns]
    return [tuple(py(row[k]) for k in ks) for row in result.rows]


def run(store, name, **params):
    return run_query(load_query(name), store=store, params=params)


# ------------------------------------------------------------------------------- catalogue


def test_at_least_twelve_bundled_queries_with_bilingual_headers():
    infos = list_queries()
    assert len(infos) >= 12
    names = [i.name for i in infos]
    assert names == sorted(names)
    for i in infos:
        for text in (i.title_it, i.title_en, i.description_it, i.description_en):
            assert text and "\n" not in text
        assert i.title_it != i.title_en, i.name
        assert i.description_it != i.description_en, i.name
        assert i.path == queries_dir() / f"{i.name}.rq"


def test_every_bundled_query_is_listed_in_the_readme():
    readme = (queries_dir() / "README.md").read_text(encoding="utf-8")
    for i in list_queries():
        assert f"`{i.name}`" in readme, i.name


def test_only_the_wikidata_query_needs_a_remote_endpoint():
    remote = [i.name for i in list_queries() if i.requires_remote]
    assert remote == ["wikidata-comuni"]
    text = load_query("wikidata-comuni").text
    assert "SERVICE <https://query.wikidata.org/sparql>" in text
    assert "wdt:P635 ?istatCode" in text


def _model_namespaces() -> dict[str, str]:
    model = (REPO / "ontology" / "MODEL.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+):` \| `(https?://[^`]+)` \|", model, re.M)}


def test_query_prefixes_are_those_of_the_data_model():
    model = _model_namespaces()
    assert model["lu"] == "https://w3id.org/lod-unioni/onto/" and model["cov"] == "https://w3id.org/italia/onto/COV/"
    w3c = {
        "org": "http://www.w3.org/ns/org#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": XSD,
        "dcterms": "http://purl.org/dc/terms/",
        "prov": "http://www.w3.org/ns/prov#",
        "creg": CREG,
        "cprov": CPROV,
        "ccities": CCITIES,
        "ipaorg": IPAORG,
        "wdt": "http://www.wikidata.org/prop/direct/",
    }
    for info in list_queries():
        for prefix, ns in load_query(info.name).prefixes.items():
            expected = model.get(prefix) or w3c.get(prefix)
            assert expected == ns, f"{info.name}: {prefix}: {ns}"


def test_bundled_parameters_are_projected_so_oxigraph_substitutes_them(store):
    # queries/README.md rule 1: Oxigraph's substitutions need the variable in the projection; run
    # them directly, without run_query's fallback, to prove it.
    checked = 0
    for info in list_queries():
        if not info.params or info.requires_remote:
            continue
        q = load_query(info.name)
        subs = {Variable(p.name): to_term(p, p.default, q.prefixes) for p in info.params}
        list(store.query(q.text, substitutions=subs))
        checked += 1
    assert checked >= 4


def test_unknown_query_name_suggests_close_names():
    with pytest.raises(LodError, match=r"unknown query 'union-member'.*union-members"):
        load_query("union-member")


def test_query_file_not_found(tmp_path):
    with pytest.raises(LodError) as err:
        load_query(tmp_path / "missing.rq")
    assert str(err.value).startswith(str(tmp_path / "missing.rq"))


# ------------------------------------------------------------------------------- answers on the test graph


def test_union_list(store):
    r = run(store, "union-list")
    assert rows(r, "union", "ipaCode", "name", "region", "province", "foundingDate", "website") == [
        (ULL, "ull", LAGONEGRESE, CREG + "17", CPROV + "076", "2015", "http://www.unionelucanalagonegrese.it"),
        (UDM, "udm_069", MIRACOLI, CREG + "13", CPROV + "069", "2011", "http://www.unionecomunialtoverduragebbia.it"),
        (
            USG,
            "usg_test",
            "Unione Sintetica del Golfo",
            CREG + "17",
            CPROV + "076",
            "2020",
            "http://www.example.org/usg",
        ),
        (USV, "usv_test", "Unione Sintetica del Vastese", CREG + "13", CPROV + "069", "2019-05-14", None),
    ]


@pytest.mark.parametrize("region", ["Abruzzo", "abruzzo", "ABRUZZO", "13"])
def test_unions_by_region_abruzzo(store, region):
    r = run(store, "unions-by-region", region=region)
    assert rows(r, "union", "name", "comuni", "population", "referenceDate") == [
        (UDM, MIRACOLI, 4, 11749, "2022-01-01"),
        (USV, "Unione Sintetica del Vastese", 3, 99000, "2022-01-01"),  # comuni counted, not stated (4)
    ]
    assert set(rows(r, "region", "regionName")) == {(region, "Abruzzo")}


def test_unions_by_region_default_is_abruzzo_and_basilicata_has_its_two(store):
    assert [u for (u,) in rows(run_query(load_query("unions-by-region"), store=store), "union")] == [UDM, USV]
    r = run(store, "unions-by-region", region="Basilicata")
    assert rows(r, "union", "comuni", "population") == [(ULL, 9, 34908), (USG, 3, 17917)]


@pytest.mark.parametrize("region", ["Campania", "Valle d'Aosta", "Vallée d'Aoste", "", "Abru", "1"])
def test_unions_by_region_without_unions(store, region):
    # Sapri (Campania) belongs to a union whose region is Basilicata; partial names do not match.
    assert len(run(store, "unions-by-region", region=region)) == 0


def test_union_members_default_is_the_miracoli(store):
    r = run_query(load_query("union-members"), store=store)
    assert rows(r, "unionIri", "name", "istatCode", "cadastralCode", "population", "referenceDate") == [
        (UDM, "Casalbordino", "069015", "B865", 5812, "2022-01-01"),
        (UDM, "Pollutri", "069068", "G799", 2040, "2022-01-01"),
        (UDM, "Scerni", "069087", "I520", 3005, "2022-01-01"),
        (UDM, "Villalfonsina", "069100", "L961", 892, "2022-01-01"),
    ]
    assert sum(p for (p,) in rows(r, "population")) == 11749


@pytest.mark.parametrize("key", ["ull", "ULL", "unione dei comuni lucani del lagonegrese"])
def test_union_members_of_the_lagonegrese(store, key):
    r = run(store, "union-members", union=key)
    assert [n for (n,) in rows(r, "name")] == [
        "Castelluccio Inferiore",
        "Castelluccio Superiore",
        "Lagonegro",
        "Latronico",
        "Lauria",
        "Maratea",
        "Nemoli",
        "Rivello",
        "Trecchina",
    ]
    assert rows(r, "istatCode")[4] == ("076042",)
    assert sum(p for (p,) in rows(r, "population")) == 34908
    assert {u for (u,) in rows(r, "union")} == {key}


def test_union_members_of_an_unknown_union(store):
    assert len(run(store, "union-members", union="Unione")) == 0


def test_unions_by_service(store):
    r = run_query(load_query("unions-by-service"), store=store)  # default: centrale-unica-committenza
    assert rows(r, "union", "status") == [(ULL, "active"), (UDM, "active"), (USV, "active")]
    assert {t for (t,) in rows(r, "serviceType")} == {LUS + "centrale-unica-committenza"}
    for key in ("polizia-locale", "POLIZIA", "locale"):
        r = run(store, "unions-by-service", service=key)
        assert rows(r, "union", "ipaCode", "status") == [
            (ULL, "ull", "active"),
            (USG, "usg_test", "active"),
            (USV, "usv_test", "planned"),
        ], key
    assert len(run(store, "unions-by-service", service="")) == 0
    assert len(run(store, "unions-by-service", service="teleferica")) == 0


def test_service_counts(store):
    r = run(store, "service-counts")
    assert rows(r, "serviceType", "active", "planned", "unions") == [
        (LUS + "centrale-unica-committenza", 3, 0, 3),
        (LUS + "polizia-locale", 2, 1, 3),
        (LUS + "protezione-civile", 1, 1, 2),
        (LUS + "integrazione-immigrati", 1, 0, 1),
        (LUS + "pianificazione-strategica", 0, 1, 1),
        (LUS + "rete-servizi-sociosanitari", 1, 0, 1),
        (LUS + "servizi-informatici", 1, 0, 1),
        (LUS + "servizio-civile", 1, 0, 1),
        (LUS + "sicurezza-lavoro", 1, 0, 1),
        (LUS + "tributi", 1, 0, 1),
    ]
    assert rows(r, "serviceLabel")[0] == ("Centrale unica di committenza",)


def test_planned_services(store):
    r = run(store, "planned-services")
    assert rows(r, "union", "serviceType", "serviceLabel") == [
        (ULL, LUS + "pianificazione-strategica", "Pianificazione strategica e sviluppo territoriale"),
        (USG, LUS + "protezione-civile", "Protezione civile"),
        (USV, LUS + "polizia-locale", "Polizia locale"),
    ]


def test_density_ranking(store):
    r = run(store, "density-ranking")
    assert rows(r, "union", "population", "surface", "density", "computedDensity") == [
        (USV, 99000, Decimal("150"), Decimal("700"), Decimal("660")),
        (USG, 17917, Decimal("100.5"), Decimal("178.27"), Decimal("178.27")),  # 178.2786 truncated
        (UDM, 11749, Decimal("122.56"), Decimal("95.86"), Decimal("95.86")),  # 95.8632
        (ULL, 34908, Decimal("623.4"), Decimal("55.99"), Decimal("55.99")),  # 55.9961, not 56.00
    ]


def test_comuni_in_several_unions(store):
    r = run(store, "comuni-in-several-unions")
    assert rows(r, "istatCode", "name", "unions", "union") == [
        ("069015", "Casalbordino", 2, UDM),
        ("069015", "Casalbordino", 2, USV),
        ("076044", "Maratea", 2, ULL),
        ("076044", "Maratea", 2, USG),
    ]


def test_union_links(store):
    r = run_query(load_query("union-links"), store=store)  # default: Unione dei Miracoli
    got = rows(r, "kind", "resource", "ipaOrganization", "ontopiaCity", "province", "region", "category")
    s13 = "https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/S13/"
    assert got[0] == ("union", UDM, IPAORG + "udm_069", None, CPROV + "069", CREG + "13", s13 + "206")
    assert rows(r, "legalStatus")[0] == (
        "https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/legal-status/2450",
    )
    assert got[1:] == [
        (
            "comune",
            B + "comune/" + istat,
            IPAORG + ipa,
            CCITIES + istat + "-(1948-01-01)",
            CPROV + "069",
            CREG + "13",
            s13 + "204",
        )
        for istat, ipa in (("069015", "c_b865"), ("069068", "c_g799"), ("069087", "c_i520"), ("069100", "c_l961"))
    ]
    assert len(run(store, "union-links", union="usg_test")) == 4


def test_italiae_interventions(store):
    r = run(store, "italiae-interventions")
    assert rows(r, "union", "programme", "line", "start", "end", "synergyWith") == [
        (ULL, "ITALIAE", "Community di innovazione", "2022-01-01", "2022-12-31", "Laboratorio permanente"),
        (UDM, "ITALIAE", "Community di innovazione", "2022-01-01", "2022-12-31", "Laboratorio permanente"),
    ]
    (need, scope, actions) = rows(r, "need", "scope", "actions")[1]
    assert need.startswith("AVERE UN QUADRO SULLO STATO DEL PROCESSO DI DIGITALIZZAZIONE")
    assert scope == "CHECKUP DELL'ASSETTO DIGITALE E TECNOLOGICO"
    assert actions == "DEFINIZIONE DEL PIANO DI INNOVAZIONE DIGITALE | SURVEY ONLINE SULLE DIMENSIONI DI INTERESSE"
    assert rows(r, "actions")[0][0].split(" | ") == [
        "ATTIVITÀ LABORATORIALI FORMATIVE/INFORMATIVE IN AMBITO DIGITALE",
        "DEFINIZIONE DEL PIANO DI INNOVAZIONE DIGITALE",
        "SURVEY ONLINE SULLE DIMENSIONI DI INTERESSE",
    ]


def test_check_population_total(store):
    r = run(store, "check-population-total")
    assert rows(
        r, "union", "referenceDate", "statedPopulation", "membersPopulation", "difference", "membersCounted"
    ) == [(USV, "2022-01-01", 99000, 99948, -948, 3)]  # 5812 + 40636 + 53500


def test_check_number_of_comuni(store):
    assert rows(run(store, "check-number-of-comuni"), "union", "statedNumber", "members") == [(USV, 4, 3)]


def test_check_density(store):
    r = run(store, "check-density")
    assert rows(r, "union", "population", "surface", "statedDensity", "computedDensity") == [
        (USV, 99000, Decimal("150"), Decimal("700"), Decimal("660"))
    ]


def test_check_members_outside_region(store):
    r = run(store, "check-members-outside-region")
    assert rows(r, "union", "unionRegion", "istatCode", "comuneName", "comuneRegion") == [
        (USG, CREG + "17", "065134", "Sapri", CREG + "15"),
        (USG, CREG + "17", "078101", "Praia a Mare", CREG + "18"),
    ]


def test_check_members_outside_province(store):
    r = run(store, "check-members-outside-province")
    assert rows(r, "union", "unionProvince", "istatCode", "comuneName", "comuneProvince") == [
        (USV, CPROV + "069", "068024", "Montesilvano", CPROV + "068")
    ]


def test_checks_find_nothing_on_consistent_data():
    consistent = load_store([GRAPH])
    consistent.update("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER (CONTAINS(STR(?s), '_test')) }")
    assert len(run(consistent, "union-list")) == 2
    for info in list_queries():
        if info.name.startswith("check-"):
            assert len(run(consistent, info.name)) == 0, info.name


def test_the_federated_query_is_refused_locally(store):
    with pytest.raises(LodError, match="needs a remote SPARQL endpoint"):
        run_query(load_query("wikidata-comuni"), store=store)


# ------------------------------------------------------------------------------- parameters


def test_parameters_are_bound_as_typed_terms(store):
    r = run_query(load_query(FIXTURES / "echo.rq"), store=store, params={"value": "abc", "number": "-12"})
    (row,) = r.rows
    value, number, iri, tag, day, length = row
    assert value == Literal("abc")
    assert number == Literal("-12", datatype=NamedNode(XSD + "integer"))
    assert iri == NamedNode(LUS + "polizia-locale")  # prefixed default expanded
    assert tag == Literal('ciao "mondo"', language="it")
    assert day == Literal("2022-01-01", datatype=NamedNode(XSD + "date"))
    assert py(length) == 3


INJECTIONS = [
    'Abruzzo" } ; DROP ALL ; SELECT * { ?s ?p ?o',
    "x' } } UNION { ?s ?p ?o } #",
    '"""\\u0022 ) } ; INSERT DATA { <a:b> <a:b> <a:b> }',
    "}\n{ ?s ?p ?o",
    "?region",
]


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_attempts_stay_literals(attack):
    st = load_store([GRAPH])
    size = len(st)
    assert len(run(st, "unions-by-region", region=attack)) == 0
    assert len(run(st, "union-members", union=attack)) == 0
    assert len(st) == size
    (row,) = run_query(load_query(FIXTURES / "echo.rq"), store=st, params={"value": attack}).rows
    assert row[0] == Literal(attack) and py(row[5]) == len(attack)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_values_block_keeps_injection_attempts_literal(attack, store):
    # the remote binding: same query text with a VALUES block, run here on Oxigraph
    q = load_query(FIXTURES / "echo.rq")
    terms = bind(q.info.params, {"value": attack}, q.prefixes)
    text = sparql_text.insert_at_where(q.text, values_block(terms))
    (row,) = list(store.query(text))
    assert row["value"] == Literal(attack) and py(row["length"]) == len(attack)


def test_unprojected_parameter_falls_back_to_a_values_block(store):
    q = load_query(FIXTURES / "unprojected.rq")
    assert rows(run_query(q, store=store), "ipaCode") == [("udm_069",)]
    assert rows(run_query(q, store=store, params={"name": "Unione Sintetica del Golfo"}), "ipaCode") == [("usg_test",)]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"value": "x", "number": "abc"}, r"param number: must be an integer"),
        ({"value": "x", "number": "1.5"}, r"param number: must be an integer"),
        ({"value": "x", "iri": "relative/path"}, r"param iri: must be an absolute IRI"),
        ({"value": "x", "iri": "https://example.org/a b"}, r"param iri: must be an absolute IRI"),
        ({"value": "x", "iri": "<https://example.org/a>b>"}, r"param iri"),
        ({"value": "x", "day": "2022-02-30"}, r"param day: must be a date"),
        (
            {"value": "x", "colour": "red"},
            r"param colour: unknown parameter 'colour'.*takes value, number, iri, tag, day",
        ),
        ({}, r"param value: missing required parameter"),
    ],
)
def test_bad_parameter_values_are_one_line_errors(store, params, message):
    with pytest.raises(LodError, match=message) as err:
        run_query(load_query(FIXTURES / "echo.rq"), store=store, params=params)
    assert "\n" not in str(err.value)


def test_iri_parameter_forms():
    p = Param("x", "iri")
    assert to_term(p, "<https://example.org/a>") == NamedNode("https://example.org/a")
    assert to_term(p, "urn:isbn:123") == NamedNode("urn:isbn:123")
    assert to_term(p, "lus:tributi", {"lus": LUS}) == NamedNode(LUS + "tributi")


@pytest.mark.parametrize(
    "type_, value, term",
    [
        ("xsd:decimal", "12.50", Literal("12.50", datatype=NamedNode(XSD + "decimal"))),
        ("xsd:boolean", "1", Literal("true", datatype=NamedNode(XSD + "boolean"))),
        ("xsd:gYear", "2011", Literal("2011", datatype=NamedNode(XSD + "gYear"))),
        ("xsd:integer", "+007", Literal("7", datatype=NamedNode(XSD + "integer"))),
        ("rdf:langString@en", "Union", Literal("Union", language="en")),
    ],
)
def test_parameter_types(type_, value, term):
    assert to_term(Param("x", type_), value) == term


@pytest.mark.parametrize("type_, value", [("xsd:decimal", "1,5"), ("xsd:boolean", "yes"), ("xsd:gYear", "11")])
def test_parameter_types_reject(type_, value):
    with pytest.raises(LodError, match="param x"):
        to_term(Param("x", type_), value)


# ------------------------------------------------------------------------------- header syntax

HEADER = """# Free text before the first field is ignored.
# @title@it: Titolo
# @title@en: Title
# @description@it: Prima riga
#   seconda riga.
#
# a free comment after an empty comment line
# @description@en: First line
#   second line.
# @param limit: xsd:integer = 10 -- how many
#   rows at most
# @param name: xsd:string = "a \\"quoted\\" -- name"
# @param who: iri
# @requires: remote-endpoint
PREFIX ex: <https://example.org/>
SELECT ?limit ?name ?who WHERE { ?who ex:p ?name } # @title@it: not a header
"""


def test_header_syntax():
    h = parse_header(HEADER)
    assert h["title@it"] == "Titolo" and h["title@en"] == "Title"
    assert h["description@it"] == "Prima riga seconda riga."
    assert h["description@en"] == "First line second line."
    assert h["params"] == [
        Param("limit", "xsd:integer", "10", "how many rows at most"),
        Param("name", "xsd:string", 'a "quoted" -- name', ""),
        Param("who", "iri", None, ""),
    ]
    assert h["params"][2].required and not h["params"][0].required
    assert h["requires"] == ["remote-endpoint"]
    q = parse_query(HEADER, name="demo")
    assert q.info.requires_remote and q.form == "SELECT" and q.prefixes == {"ex": "https://example.org/"}


@pytest.mark.parametrize(
    "header, message",
    [
        ("# @titel@en: x\nSELECT * {}", r"field @titel@en: unknown header key"),
        ("# @title@en: x\n# @title@en: y\nSELECT * {}", r"field @title@en: given twice"),
        ("# @param x: xsd:float\nSELECT ?x {}", r"unknown parameter type 'xsd:float'"),
        ("# @param x xsd:string\nSELECT ?x {}", r"malformed parameter"),
        ("# @param 1x: xsd:string\nSELECT ?x {}", r"bad parameter name"),
        ("# @param x: xsd:integer = ten\nSELECT ?x {}", r"field @param x: bad default: must be an integer"),
        ('# @param x: xsd:string = "a" extra\nSELECT ?x {}', r"unexpected text"),
        ("# @param x: xsd:string\n# @param x: xsd:string\nSELECT ?x {}", r"declared twice"),
        ("# @param y: xsd:string\nSELECT ?x {}", r"field @param y: the query never uses \?y"),
        ("# @requires: internet\nSELECT * {}", r"unknown requirement 'internet'"),
        ("# @title@en x y\n# @nonsense\nSELECT * {}", r"malformed header line|unknown header key"),
    ],
)
def test_header_errors_name_the_file_and_field(header, message):
    with pytest.raises(LodError, match=message) as err:
        parse_query(header, name="demo", path=Path("demo.rq"))
    assert str(err.value).startswith("demo.rq: ")


def test_bundled_queries_need_both_languages():
    with pytest.raises(LodError, match="field @title@it: missing"):
        parse_query("# @title@en: x\n# @description@en: y\n# @description@it: z\nSELECT * {}", name="x", strict=True)


# ------------------------------------------------------------------------------- SPARQL text


def test_tokenizer_skips_strings_comments_and_iris():
    text = (
        "PREFIX org: <http://www.w3.org/ns/org#>\n# SELECT { in a comment\n"
        'SELECT (CONCAT("{", \'}\', """a"b{""") AS ?x) ?y WHERE { ?y org:p "#}" } # {\n'
    )
    assert sparql_text.prefixes(text) == {"org": "http://www.w3.org/ns/org#"}
    assert sparql_text.query_form(text) == "SELECT"
    assert sparql_text.variables(text) == {"x", "y"}
    at = sparql_text.where_group_start(text)
    assert text[at - 1] == "{" and text[at:].startswith(' ?y org:p "#}"')


def test_values_block_goes_into_the_where_group_of_each_form():
    block = "VALUES (?v) { (1) }"
    construct = "CONSTRUCT { ?s <a:p> ?v } WHERE { ?s <a:q> ?v }"
    assert sparql_text.insert_at_where(construct, block).startswith("CONSTRUCT { ?s <a:p> ?v } WHERE {\n  VALUES")
    assert sparql_text.insert_at_where("ASK { ?s ?p ?v }", block).startswith("ASK {\n  VALUES")
    assert sparql_text.insert_at_where("SELECT * FROM <a:g> { ?s ?p ?v }", block).startswith(
        "SELECT * FROM <a:g> {\n  VALUES"
    )
    with pytest.raises(LodError, match="short form CONSTRUCT WHERE"):
        sparql_text.insert_at_where("CONSTRUCT WHERE { ?s ?p ?v }", block)
    with pytest.raises(LodError, match="no WHERE group"):
        sparql_text.insert_at_where("DESCRIBE <a:b>", block)


def test_values_block_terms_are_ntriples():
    terms = {
        "a": Literal('x"y'),
        "b": NamedNode("https://example.org/"),
        "c": Literal("1", datatype=NamedNode(XSD + "integer")),
    }
    assert values_block(terms) == (
        'VALUES (?a ?b ?c) { ("x\\"y" <https://example.org/> "1"^^<http://www.w3.org/2001/XMLSchema#integer>) }'
    )


def test_syntax_error_is_a_one_line_error(store, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT * WHERE { ?s ?p }\n", encoding="utf-8")
    with pytest.raises(LodError, match=r"bad.rq: SPARQL syntax error") as err:
        run_query(load_query(bad), store=store)
    assert "\n" not in str(err.value)


def test_ask_and_construct_queries(store):
    ask = run_query("ASK { ?u <https://w3id.org/italia/onto/COV/IPAcode> 'ull' }", store=store)
    assert ask.kind == "ask" and ask.boolean is True
    graph = run_query(
        "CONSTRUCT { ?u <urn:x:code> ?c } WHERE { ?u <https://w3id.org/italia/onto/COV/IPAcode> ?c "
        "FILTER (STRSTARTS(?c, 'u')) }",
        store=store,
    )
    assert graph.kind == "graph" and graph.variables == ["subject", "predicate", "object"]
    assert {py(r[2]) for r in graph.rows} == {"ull", "udm_069", "usv_test", "usg_test"}


# ------------------------------------------------------------------------------- data loading


def test_load_store_errors(tmp_path):
    with pytest.raises(LodError, match="data file not found"):
        load_store([tmp_path / "none.ttl"])
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a:b> <a:c> .\n", encoding="utf-8")
    with pytest.raises(LodError, match=r"broken.ttl: not valid") as err:
        load_store([broken])
    assert "\n" not in str(err.value)
    with pytest.raises(LodError, match=r"unknown RDF format \.csv"):
        load_store([tmp_path / "x.csv"])


def test_several_data_files_and_formats(tmp_path):
    nt = tmp_path / "extra.nt"
    nt.write_text(
        '<https://w3id.org/lod-unioni/data/union/zz> <https://w3id.org/italia/onto/COV/IPAcode> "zz" .\n'
        "<https://w3id.org/lod-unioni/data/union/zz> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/lod-unioni/onto/UnioneDiComuni> .\n"
        '<https://w3id.org/lod-unioni/data/union/zz> <https://w3id.org/italia/onto/l0/name> "Zeta"@it .\n',
        encoding="utf-8",
    )
    r = run_query(load_query("union-list"), data=[GRAPH, nt])
    assert len(r) == 5 and rows(r, "ipaCode")[-1] == ("zz",)


NO_IPA = """
@prefix lu: <https://w3id.org/lod-unioni/onto/> .
@prefix l0: <https://w3id.org/italia/onto/l0/> .
@prefix org: <http://www.w3.org/ns/org#> .
<https://w3id.org/lod-unioni/data/union/dait-1> a lu:UnioneDiComuni ;
    l0:name "Unione Senza Codice"@it ; lu:ministryCode "4130236999" ;
    lu:region <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/regions/13> ;
    lu:province <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/provinces/069> ;
    org:hasMember <https://w3id.org/lod-unioni/data/comune/068024> ;
    lu:unionStatus <https://w3id.org/lod-unioni/vocab/union-status/not-in-ipa> ;
    <http://www.w3.org/ns/prov#qualifiedDerivation> <https://w3id.org/lod-unioni/data/union/dait-1/match/union-status> .
<https://w3id.org/lod-unioni/data/union/dait-1/match/union-status> lu:matchMethod "no-ipa-body" ;
    lu:registryValue "no body of IPA matched the union" .
"""


def test_a_union_without_an_ipa_code_is_not_hidden(tmp_path):
    """An IPA code is optional (a union of the Ministry register that IPA does not know has none):
    no query makes it mandatory, and the union is found by its register code."""
    extra = tmp_path / "no-ipa.ttl"
    extra.write_text(NO_IPA, encoding="utf-8")
    st = load_store([GRAPH, extra])
    union = B + "union/dait-1"
    assert (union, None) in rows(run(st, "union-list"), "union", "ipaCode")
    assert (union, None) in rows(run(st, "unions-by-region", region="Abruzzo"), "union", "ipaCode")
    assert rows(run(st, "union-members", union="4130236999"), "unionIri", "istatCode") == [(union, "068024")]
    assert rows(run(st, "union-members", union="unione senza codice"), "unionIri") == [(union,)]
    assert ("union", union) in rows(run(st, "union-links", union="4130236999"), "kind", "resource")
    assert rows(run(st, "unions-by-status"), "union", "status", "method", "evidence") == [
        (union, "not-in-ipa", "no-ipa-body", "no body of IPA matched the union"),
        (USG, "not-in-ipa", None, None),  # the test graph gives it no evidence
    ]
    assert rows(run(st, "unions-by-status", status=""), "union") == [(UDM,), (union,), (USG,)]  # the others: none
    assert rows(run(st, "unions-by-status", status="active"), "union") == [(UDM,)]
    assert (union, LUUS + "not-in-ipa") in rows(run(st, "union-list"), "union", "status")
    # Montesilvano (068024) is in Abruzzo, in another province: the check sees the union too
    assert (union, "068024") in rows(run(st, "check-members-outside-province"), "union", "istatCode")


def test_a_union_whose_members_are_not_known_has_no_count_of_comuni(tmp_path):
    """An IPA-only union (lu:membersKnown false) has no member: its number of comuni is unknown, not 0."""
    extra = tmp_path / "ipa-only.ttl"
    extra.write_text(
        NO_IPA.replace("dait-1", "udcmch").replace(
            "    org:hasMember <https://w3id.org/lod-unioni/data/comune/068024> ;\n", ""
        )
        + "<https://w3id.org/lod-unioni/data/union/udcmch> lu:membersKnown false .\n",
        encoding="utf-8",
    )
    st = load_store([GRAPH, extra])
    got = {u: (n, k) for u, n, k in rows(run(st, "unions-by-region", region="13"), "union", "comuni", "membersKnown")}
    assert got[B + "union/udcmch"] == (None, "false")
    assert got[UDM] == (4, None)  # the test graph says nothing of its members being known: counted
    assert (B + "union/udcmch", "false") in rows(run(st, "union-list"), "union", "membersKnown")
    assert len(run(st, "union-members", union="udcmch")) == 0


def test_run_query_needs_exactly_one_source(store):
    with pytest.raises(LodError, match="exactly one"):
        run_query("ASK {}")
    with pytest.raises(LodError, match="exactly one"):
        run_query("ASK {}", store=store, endpoint="http://127.0.0.1:9/query")


# ------------------------------------------------------------------------------- formats


def _echo(store, value):
    return run_query(load_query(FIXTURES / "echo.rq"), store=store, params={"value": value})


TRICKY = 'tab\there "quotes", comma; new\nline \\ back'


def test_json_is_sparql_results_json(store):
    result = _echo(store, TRICKY)
    doc = json.loads(format_result(result, "json"))
    assert doc["head"]["vars"] == ["value", "number", "iri", "tag", "day", "length"]
    (b,) = doc["results"]["bindings"]
    assert b["value"] == {"type": "literal", "value": TRICKY}
    assert b["number"] == {"type": "literal", "value": "7", "datatype": XSD + "integer"}
    assert b["iri"] == {"type": "uri", "value": LUS + "polizia-locale"}
    assert b["tag"] == {"type": "literal", "value": 'ciao "mondo"', "xml:lang": "it"}
    parsed = list(pyoxigraph.parse_query_results(format_result(result, "json"), QueryResultsFormat.JSON))
    assert [tuple(s[v] for v in result.variables) for s in parsed] == result.rows


def test_tsv_parses_back_to_the_same_terms(store):
    for result in (_echo(store, TRICKY), run(store, "union-members", union="ull"), run(store, "union-list")):
        text = format_result(result, "tsv")
        assert text.splitlines()[0].split("\t") == [f"?{v}" for v in result.variables]
        parsed = list(pyoxigraph.parse_query_results(text, QueryResultsFormat.TSV))
        assert [tuple(s[v] for v in result.variables) for s in parsed] == result.rows


def test_csv_is_sparql_results_csv(store):
    result = run(store, "union-members", union="ull")
    text = format_result(result, "csv")
    assert "\r\n" in text
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert table[0] == result.variables
    assert table[1][:7] == ["ull", ULL, LAGONEGRESE, B + "comune/076022", "Castelluccio Inferiore", "076022", "C199"]
    assert len(table) == 10
    (echo,) = list(csv.DictReader(io.StringIO(format_result(_echo(store, TRICKY), "csv"), newline="")))
    assert echo["value"] == TRICKY and echo["iri"] == LUS + "polizia-locale" and echo["number"] == "7"


def test_table_is_readable(store):
    q = load_query("union-list")
    text = format_result(run_query(q, store=store), "table", prefixes=q.prefixes)
    lines = text.splitlines()
    assert lines[0].split() == [
        "union",
        "ipaCode",
        "name",
        "region",
        "province",
        "foundingDate",
        "website",
        "status",
        "membersKnown",
    ]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 6
    assert "creg:17" in lines[2] and "cprov:076" in lines[2] and LAGONEGRESE in lines[2]
    assert "<https://w3id.org/lod-unioni/data/union/ull>" in lines[2]
    long = format_result(_echo(store, "x" * 200), "table")
    assert "x" * 59 + "…" in long and "x" * 61 not in long


def test_ask_in_every_format(store):
    ask = run_query("ASK { ?s ?p ?o }", store=store)
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
    assert bool(pyoxigraph.parse_query_results(format_result(ask, "tsv"), QueryResultsFormat.TSV)) is True
    assert format_result(ask, "table") == "true\n" and format_result(ask, "csv") == "true\r\n"


# ------------------------------------------------------------------------------- the real dump
# output/ is built from records/, the cards' values after the hand edits made on the findings of
# `lod-unioni reconcile` (provenance.edits): IPA code udm_069 (udcmd on the card), the Lagonegrese's
# name in IPA and the Ministry register, ISTAT resident population at 2022-01-01 read by hand from
# istat/popolazione-residente-2022-01-01.csv: Casalbordino 5830, Pollutri 2057, Scerni 3020,
# Villalfonsina 897 (11804), Castelluccio Superiore 731 (34907); beside them the cards' own figures
# (11749 and 34908, density 95.86 = 11749 / 122.56), each its own calculation stated by the union.
# The importer still gives the cards' 11749 and 34908 (tests/test_build.py, tests/test_cards.py).

LAGONEGRESE_RECONCILED = "Unione Lucana del Lagonegrese"

real_dump = pytest.mark.skipif(not REAL_DUMP.is_file(), reason="output/unioni.ttl not built yet")


@pytest.fixture(scope="module")
def real_store():
    return load_store([REAL_DUMP])


@real_dump
def test_real_dump_unions_by_region(real_store):
    (abruzzo,) = run(real_store, "unions-by-region", region="Abruzzo").dicts()
    assert py(abruzzo["name"]) == MIRACOLI and py(abruzzo["comuni"]) == 4 and py(abruzzo["population"]) == 11804
    assert (py(abruzzo["union"]), py(abruzzo["ipaCode"])) == (UDM, "udm_069")
    (basilicata,) = run(real_store, "unions-by-region", region="Basilicata").dicts()
    assert py(basilicata["name"]) == LAGONEGRESE_RECONCILED
    assert py(basilicata["comuni"]) == 9 and py(basilicata["population"]) == 34907


@real_dump
def test_real_dump_members(real_store):
    r = run(real_store, "union-members", union=MIRACOLI)
    assert rows(r, "name", "istatCode", "population") == [
        ("Casalbordino", "069015", 5830),
        ("Pollutri", "069068", 2057),
        ("Scerni", "069087", 3020),
        ("Villalfonsina", "069100", 897),
    ]
    assert {py(t) for t in r.column("unionIri")} == {UDM}
    r = run(real_store, "union-members", union="ull")
    assert len(r) == 9 and sum(p for (p,) in rows(r, "population")) == 34907
    assert ("Lauria", "076042", 12017) in rows(r, "name", "istatCode", "population")
    assert ("Castelluccio Superiore", "076023", 731) in rows(r, "name", "istatCode", "population")


@real_dump
def test_real_dump_is_consistent_and_linked(real_store):
    for info in list_queries():
        if info.name.startswith("check-"):
            assert len(run(real_store, info.name)) == 0, info.name
    links = run(real_store, "union-links", union="ull")
    assert ("comune", CCITIES + "076042-(1948-01-01)") in rows(links, "kind", "ontopiaCity")
    planned = rows(run(real_store, "planned-services"), "ipaCode", "serviceType")
    assert planned == [("ull", LUS + "pianificazione-strategica")]
    density = rows(run(real_store, "density-ranking"), "name", "density")
    # the densities the cards state (95.86 = 11,749 / 122.56 truncated): no source states another
    assert density == [(MIRACOLI, Decimal("95.86")), (LAGONEGRESE_RECONCILED, Decimal("55.99"))]


@real_dump
def test_real_dumps_in_every_format_answer_alike():
    answers = []
    for name in ("unioni.ttl", "unioni.nt", "unioni.jsonld"):
        r = run_query(load_query("union-members"), data=[REAL_DUMP.parent / name], params={"union": "ull"})
        answers.append(rows(r, "unionIri", "istatCode", "population"))
    assert answers[0] == answers[1] == answers[2] and len(answers[0]) == 9
