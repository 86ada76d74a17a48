"""Every rule of shapes/: a minimal bad graph giving exactly its result(s), and good graphs giving none.

The bad graphs are the hand-written graph of the two real unions (fixtures/shapes/cards.ttl,
figures from the ITALIAE cards) changed by one SPARQL Update. The expected results are written by
hand: (rule, focus node, result path, value, severity). Every case runs on BOTH engines (the fast
one and pySHACL), which must give the same results.
"""

from __future__ import annotations

import functools
from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import FIXTURES_DIR
from conftest import B as D
from test_shapes_projects import CASES as PROJECT_CASES

from lod_unioni.validation import validate
from lod_unioni.validation.registry import city_triples
from lod_unioni.validation.terms import display_path, display_term

FIXTURES = FIXTURES_DIR / "shapes"
CARDS = FIXTURES / "cards.ttl"
VOCAB = FIXTURES / "services-vocabulary.ttl"
U = D + "union/udcmd"  # Unione dei Miracoli
L = D + "union/ull"  # Unione dei Comuni Lucani del Lagonegrese
POLLUTRI = D + "comune/069068"

PREFIXES = f"""
PREFIX : <{D}>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX lus: <https://w3id.org/lod-unioni/vocab/services/>
PREFIX lust: <https://w3id.org/lod-unioni/vocab/service-status/>
PREFIX luus: <https://w3id.org/lod-unioni/vocab/union-status/>
PREFIX lui: <https://w3id.org/lod-unioni/vocab/indicators/>
PREFIX cov: <https://w3id.org/italia/onto/COV/>
PREFIX l0: <https://w3id.org/italia/onto/l0/>
PREFIX sm: <https://w3id.org/italia/onto/SM/>
PREFIX ti: <https://w3id.org/italia/onto/TI/>
PREFIX ind: <https://w3id.org/italia/onto/Indicator/>
PREFIX mu: <https://w3id.org/italia/onto/MU/>
PREFIX s13: <https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/S13/>
PREFIX legal: <https://w3id.org/italia/controlled-vocabulary/classifications-for-organizations/legal-status/>
PREFIX creg: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/regions/>
PREFIX cprov: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/provinces/>
PREFIX ccities: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/cities/>
"""
UDCMD, ULL, POL = "<" + U + ">", "<" + L + ">", "<" + POLLUTRI + ">"
POP = lambda subject: f"<{D}{subject}/indicator/resident-population/2022-01-01/value>"  # noqa: E731
STATED = lambda ind: f"<{U}/indicator/{ind}/stated/value>"  # noqa: E731
V, W, I = "Violation", "Warning", "Info"


@pytest.fixture(scope="module", autouse=True)
def prepared_rdflib_queries():
    """pySHACL parses the same SPARQL text again for every focus node (most of its run time on
    small graphs). For these tests only, rdflib reuses the parsed query: rdflib's own prepared
    queries, same results."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    @functools.cache
    def prepare(text, base, namespaces):
        return processor.translateQuery(processor.parseQuery(text), base, dict(namespaces))

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            # pySHACL writes the PREFIX lines in no fixed order: sort them to hit the cache
            lines = strOrQuery.split("\n")
            n = next((i for i, line in enumerate(lines) if not line.startswith("PREFIX ")), len(lines))
            text = "\n".join(sorted(lines[:n]) + lines[n:])
            strOrQuery = prepare(text, base, tuple(sorted((initNs or {}).items())))
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    yield
    processor.SPARQLProcessor.query = original


def graph(update: str = "") -> ox.Store:
    store = ox.Store()
    store.load(path=str(CARDS), format=ox.RdfFormat.TURTLE)
    if update:
        store.update(PREFIXES + update.replace("$UDCMD", UDCMD).replace("$ULL", ULL).replace("$POL", POL))
    return store


def summary(report) -> set[tuple]:
    return {
        (
            r.rule,
            r.focus.value,
            display_path(r.path) or None,
            None if r.value is None else display_term(r.value),
            r.severity,
        )
        for r in report.results
    }


def both_engines(store: ox.Store, **kwargs):
    """Run both engines; assert they agree; return the fast engine's report."""
    fast = validate(store, engine="fast", **kwargs)
    reference = validate(store, engine="pyshacl", **kwargs)
    assert fast.engine == "fast" and reference.engine == "pyshacl"
    assert Counter(r.key() for r in fast.results) == Counter(r.key() for r in reference.results)
    # the same messages too, in both languages, with the same values filled in
    assert Counter((r.key(), r.message_it, r.message_en) for r in fast.results) == Counter(
        (r.key(), r.message_it, r.message_en) for r in reference.results
    )
    return fast


# (id, SPARQL update on cards.ttl, expected results, validate() keyword arguments)
CASES = [
    # --- IPA code ---
    (
        "ipa-code-missing",
        "DELETE WHERE { $UDCMD cov:IPAcode ?c }",
        {("union-ipa-code-count", U, "cov:IPAcode", None, V)},
        {},
    ),
    (
        "ipa-code-two",
        'INSERT DATA { $UDCMD cov:IPAcode "udcmd2" }',
        {("union-ipa-code-count", U, "cov:IPAcode", None, V)},
        {},
    ),
    (
        "ipa-code-not-ipa-alphabet",
        'DELETE DATA { $UDCMD cov:IPAcode "udcmd" } ; INSERT DATA { $UDCMD cov:IPAcode "udc-md" }',
        {("union-ipa-code-form", U, "cov:IPAcode", '"udc-md"', V)},
        {},
    ),
    (
        "ipa-code-not-string",
        'DELETE DATA { $UDCMD cov:IPAcode "udcmd" } ; INSERT DATA { $UDCMD cov:IPAcode "udcmd"^^xsd:token }',
        {("union-ipa-code-form", U, "cov:IPAcode", '"udcmd"^^xsd:token', V)},
        {},
    ),
    (
        "ipa-code-used-twice",
        'DELETE DATA { $ULL cov:IPAcode "ull" } ; INSERT DATA { $ULL cov:IPAcode "udcmd" }',
        {
            ("union-ipa-code-unique", U, "cov:IPAcode", '"udcmd"', V),
            ("union-ipa-code-unique", L, "cov:IPAcode", '"udcmd"', V),
        },
        {},
    ),
    (
        "ipa-code-used-twice-other-case",
        'DELETE DATA { $ULL cov:IPAcode "ull" } ; INSERT DATA { $ULL cov:IPAcode "UDCMD" }',
        {  # compared ignoring case, from either side
            ("union-ipa-code-unique", U, "cov:IPAcode", '"udcmd"', V),
            ("union-ipa-code-unique", L, "cov:IPAcode", '"UDCMD"', V),
        },
        {},
    ),
    # --- name, category, legal status ---
    ("name-missing", "DELETE WHERE { $UDCMD l0:name ?n }", {("union-name", U, "l0:name", None, V)}, {}),
    (
        "name-not-italian",
        'DELETE WHERE { $UDCMD l0:name ?n } ; INSERT DATA { $UDCMD l0:name "Union of the Miracles"@en }',
        {("union-name", U, "l0:name", '"Union of the Miracles"@en', V)},
        {},
    ),
    (
        "name-two-italian",
        'INSERT DATA { $UDCMD l0:name "Unione Miracoli"@it }',
        {("union-name", U, "l0:name", None, V)},
        {},
    ),
    (
        "category-comune",
        "DELETE DATA { $UDCMD cov:hasCategory s13:206 } ; INSERT DATA { $UDCMD cov:hasCategory s13:204 }",
        {("union-category", U, "cov:hasCategory", None, V)},
        {},
    ),
    (
        "legal-status-missing",
        "DELETE DATA { $UDCMD cov:hasLegalStatus legal:2450 }",
        {("union-legal-status", U, "cov:hasLegalStatus", None, W)},
        {},
    ),
    # --- territory ---
    ("region-missing", "DELETE DATA { $UDCMD lu:region creg:13 }", {("union-region", U, "lu:region", None, V)}, {}),
    (
        "region-two",
        "INSERT { ?s lu:region creg:14 } WHERE { ?s lu:region creg:13 }",
        {("union-region", U, "lu:region", None, V)},
        {},
    ),
    (
        "region-not-ontopia",
        "DELETE { ?s lu:region creg:13 } INSERT { ?s lu:region <http://example.org/regions/13> } "
        "WHERE { ?s lu:region creg:13 }",
        {("union-region", U, "lu:region", "<http://example.org/regions/13>", V)},
        {},
    ),
    (
        "region-a-literal",
        'DELETE { ?s lu:region creg:13 } INSERT { ?s lu:region "https://w3id.org/italia/controlled-vocabulary/'
        'territorial-classifications/regions/13" } WHERE { ?s lu:region creg:13 }',
        {
            (
                "union-region",
                U,
                "lu:region",
                '"https://w3id.org/italia/controlled-vocabulary/territorial-classifications/regions/13"',
                V,
            )
        },
        {},
    ),
    (
        "province-two",
        "INSERT { ?s lu:province cprov:066 } WHERE { ?s lu:province cprov:069 }",
        {("union-province", U, "lu:province", None, V)},
        {},
    ),
    (
        "province-not-3-digits",
        "DELETE { ?s lu:province cprov:069 } INSERT { ?s lu:province cprov:69 } WHERE { ?s lu:province cprov:069 }",
        {("union-province", U, "lu:province", "cprov:69", V)},
        {},
    ),
    # --- members ---
    (
        "one-member",  # three members leave; the stated figures follow (Casalbordino alone)
        f"DELETE {{ $UDCMD org:hasMember ?m }} WHERE {{ $UDCMD org:hasMember ?m FILTER(?m != :comune\\/069015) }} ;"
        f"DELETE WHERE {{ {POP('union/udcmd')} mu:value ?v }} ; INSERT DATA {{ {POP('union/udcmd')} mu:value 5812 }} ;"
        f"DELETE WHERE {{ {STATED('number-of-comuni')} mu:value ?v }} ; INSERT DATA {{ {STATED('number-of-comuni')} mu:value 1 }} ;"
        f"DELETE WHERE {{ {STATED('population-density')} mu:value ?v }} ; "
        f"INSERT DATA {{ {STATED('population-density')} mu:value 47.42 }}",  # 5812 / 122.56 = 47.421...
        {("union-members", U, "org:hasMember", None, V)},
        {},
    ),
    (
        "members-unknown-but-listed",  # lu:membersKnown false is for a union with no member in the graph
        "INSERT DATA { $UDCMD lu:membersKnown false }",
        {
            ("union-members-unknown", U, None, f"<{D}comune/069015>", V),
            ("union-members-unknown", U, None, f"<{POLLUTRI}>", V),
            ("union-members-unknown", U, None, f"<{D}comune/069087>", V),
            ("union-members-unknown", U, None, f"<{D}comune/069100>", V),
        },
        {},
    ),
    (
        "members-known-not-a-boolean",
        'INSERT DATA { $UDCMD lu:membersKnown "no" }',
        {("union-members-known", U, "lu:membersKnown", '"no"', V)},
        {},
    ),
    (
        "member-not-a-comune",
        "DELETE DATA { $POL a lu:Comune }",
        {("union-members", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    # --- founding date ---
    (
        "founding-date-missing",
        "DELETE WHERE { $UDCMD lu:foundingDate ?d }",
        {("union-founding-date-missing", U, "lu:foundingDate", None, I)},
        {},
    ),
    (
        "founding-date-two",
        'INSERT DATA { $UDCMD lu:foundingDate "2012"^^xsd:gYear }',
        {("union-founding-date-count", U, "lu:foundingDate", None, V)},
        {},
    ),
    (
        "founding-date-string",
        'DELETE WHERE { $UDCMD lu:foundingDate ?d } ; INSERT DATA { $UDCMD lu:foundingDate "2011" }',
        {("union-founding-date-type", U, "lu:foundingDate", '"2011"', V)},
        {},
    ),
    (
        "founding-year-future",
        'DELETE WHERE { $UDCMD lu:foundingDate ?d } ; INSERT DATA { $UDCMD lu:foundingDate "2999"^^xsd:gYear }',
        {("union-founding-date-future", U, "lu:foundingDate", '"2999"^^xsd:gYear', V)},
        {},
    ),
    (
        "founding-date-future",
        'DELETE WHERE { $UDCMD lu:foundingDate ?d } ; INSERT DATA { $UDCMD lu:foundingDate "2999-01-31"^^xsd:date }',
        {("union-founding-date-future", U, "lu:foundingDate", '"2999-01-31"^^xsd:date', V)},
        {},
    ),
    # --- status ---
    (
        "status-outside-the-scheme",  # a service status is no union status
        "INSERT DATA { $UDCMD lu:unionStatus lust:active }",
        {("union-status", U, "lu:unionStatus", "lust:active", V)},
        {},
    ),
    (
        "status-two",
        "INSERT DATA { $UDCMD lu:unionStatus luus:active, luus:not-in-ipa }",
        {("union-status", U, "lu:unionStatus", None, V)},
        {},
    ),
    # --- website ---
    (
        "website-no-scheme",
        "DELETE WHERE { ?w sm:URL ?u } ; INSERT DATA { <"
        + U
        + '/website> sm:URL "www.unionecomunialtoverduragebbia.it"^^xsd:anyURI }',
        {("union-website", U, "sm:hasWebSite/sm:URL", '"www.unionecomunialtoverduragebbia.it"^^xsd:anyURI', V)},
        {},
    ),
    (
        "website-not-anyuri",
        "DELETE WHERE { <"
        + U
        + "/website> sm:URL ?u } ; INSERT DATA { <"
        + U
        + '/website> sm:URL "http://www.unionecomunialtoverduragebbia.it" }',
        {("union-website", U, "sm:hasWebSite/sm:URL", '"http://www.unionecomunialtoverduragebbia.it"', V)},
        {},
    ),
    # --- services ---
    (
        "service-type-elsewhere",
        "DELETE WHERE { <" + U + "/service/protezione-civile> lu:serviceType ?t } ; "
        "INSERT DATA { <"
        + U
        + "/service/protezione-civile> lu:serviceType <http://example.org/services/civil-protection> }",
        {
            (
                "union-service-type",
                U,
                "lu:hasSharedService/lu:serviceType",
                "<http://example.org/services/civil-protection>",
                V,
            )
        },
        {},
    ),
    (
        "service-type-missing",
        "DELETE WHERE { <" + U + "/service/protezione-civile> lu:serviceType ?t }",
        {("union-service-type-count", U, "lu:hasSharedService", f"<{U}/service/protezione-civile>", V)},
        {},
    ),
    (
        "service-type-two",
        "INSERT DATA { <" + U + "/service/protezione-civile> lu:serviceType lus:polizia-locale }",
        {("union-service-type-count", U, "lu:hasSharedService", f"<{U}/service/protezione-civile>", V)},
        {},
    ),
    (
        "service-not-in-scheme",
        "DELETE WHERE { <" + U + "/service/protezione-civile> lu:serviceType ?t } ; "
        "INSERT DATA { <" + U + "/service/protezione-civile> lu:serviceType lus:protezione-incivile }",
        {("union-service-in-scheme", U, "lu:hasSharedService/lu:serviceType", "lus:protezione-incivile", V)},
        {"extra_graphs": [VOCAB]},
    ),
    (
        "service-status-unknown",
        "DELETE WHERE { <" + U + "/service/protezione-civile> lu:serviceStatus ?s } ; "
        "INSERT DATA { <" + U + "/service/protezione-civile> lu:serviceStatus lust:suspended }",
        {("union-service-status", U, "lu:hasSharedService/lu:serviceStatus", "lust:suspended", V)},
        {},
    ),
    # --- member ISTAT code and city ---
    (
        "istat-code-5-digits",
        'DELETE WHERE { $POL lu:istatCode ?c } ; INSERT DATA { $POL lu:istatCode "69068" }',
        {
            ("member-istat-code", U, "org:hasMember/lu:istatCode", '"69068"', V),
            ("member-city-istat", U, "org:hasMember", f"<{POLLUTRI}>", V),
        },
        {},
    ),
    (
        "istat-code-a-number",
        "DELETE WHERE { $POL lu:istatCode ?c } ; INSERT DATA { $POL lu:istatCode 69068 }",
        {
            ("member-istat-code", U, "org:hasMember/lu:istatCode", "69068", V),
            ("member-city-istat", U, "org:hasMember", f"<{POLLUTRI}>", V),
        },
        {},
    ),
    (
        "istat-code-missing",
        "DELETE WHERE { $POL lu:istatCode ?c }",
        {("member-istat-code-count", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    (
        "city-without-date",
        "DELETE WHERE { $POL lu:city ?c } ; INSERT DATA { $POL lu:city <https://w3id.org/italia/controlled-vocabulary/"
        "territorial-classifications/cities/069068-(1948)> }",
        {
            (
                "member-city",
                U,
                "org:hasMember/lu:city",
                "<https://w3id.org/italia/controlled-vocabulary/territorial-classifications/cities/069068-(1948)>",
                V,
            )
        },
        {},
    ),
    (
        "city-missing",
        "DELETE WHERE { $POL lu:city ?c }",
        {("member-city-count", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    (
        "city-of-another-comune",
        "DELETE WHERE { $POL lu:city ?c } ; INSERT DATA { $POL lu:city <https://w3id.org/italia/controlled-vocabulary/"
        "territorial-classifications/cities/069015-(1948-01-01)> }",
        {("member-city-istat", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    # --- member population ---
    (
        "member-population-missing",
        "DELETE WHERE { $POL ind:hasIndicatorCalculation ?c }",
        {("member-population", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    (
        "member-population-decimal",
        f"DELETE WHERE {{ {POP('comune/069068')} mu:value ?v }} ; INSERT DATA {{ {POP('comune/069068')} mu:value 2040.0 }}",
        {("member-population-value", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    (
        "member-population-negative",
        f"DELETE WHERE {{ {POP('comune/069068')} mu:value ?v }} ; INSERT DATA {{ {POP('comune/069068')} mu:value -2040 }}",
        {
            ("member-population-value", U, "org:hasMember", f"<{POLLUTRI}>", V),
            ("union-total-population", U, None, "11749", V),
        },
        {},
    ),
    (
        "member-population-other-date",
        f"DELETE WHERE {{ <{POLLUTRI}/indicator/resident-population/2022-01-01> ind:computedAtTime ?t }} ; "
        f"INSERT DATA {{ <{POLLUTRI}/indicator/resident-population/2022-01-01> ind:computedAtTime :time\\/2021-01-01 . "
        f':time\\/2021-01-01 ti:date "2021-01-01"^^xsd:date }}',
        {("union-total-population-unchecked", U, "org:hasMember", f"<{POLLUTRI}>", W)},
        {},
    ),
    # --- member territory ---
    (
        "member-other-region",  # Pollutri moved to Molise, province of Campobasso
        "DELETE WHERE { $POL lu:region ?r } ; DELETE WHERE { $POL lu:province ?p } ; "
        "INSERT DATA { $POL lu:region creg:14 ; lu:province cprov:070 }",
        {
            ("member-region", U, "org:hasMember", f"<{POLLUTRI}>", V),
            ("member-province", U, "org:hasMember", f"<{POLLUTRI}>", W),
        },
        {},
    ),
    (
        "member-other-province",
        "DELETE WHERE { $POL lu:province ?p } ; INSERT DATA { $POL lu:province cprov:066 }",
        {("member-province", U, "org:hasMember", f"<{POLLUTRI}>", W)},
        {},
    ),
    # --- the same comune twice ---
    (
        "comune-twice-two-memberships",
        "INSERT DATA { $UDCMD lu:hasMembership <" + U + "/membership/69068> . "
        "<" + U + "/membership/69068> a lu:Membership ; org:organization $UDCMD ; org:member $POL }",
        {("member-duplicate", U, "org:hasMember", f"<{POLLUTRI}>", V)},
        {},
    ),
    (
        "comune-twice-two-iris",  # a copy of Pollutri under another IRI: the totals count it twice
        "INSERT { :comune\\/69068 ?p ?o . $UDCMD org:hasMember :comune\\/69068 } WHERE { $POL ?p ?o }",
        {
            ("member-duplicate", U, "org:hasMember", f"<{POLLUTRI}>", V),
            ("union-number-of-comuni", U, None, "4", V),
            ("union-total-population", U, None, "11749", V),
        },
        {},
    ),
    # --- figures ---
    (
        "surface-negative",
        f"DELETE WHERE {{ {STATED('surface-area')} mu:value ?v }} ; INSERT DATA {{ {STATED('surface-area')} mu:value -122.56 }}",
        {("union-figure-values", U, None, "-122.56", V)},
        {},
    ),
    (
        "population-decimal",
        f"DELETE WHERE {{ {POP('union/udcmd')} mu:value ?v }} ; INSERT DATA {{ {POP('union/udcmd')} mu:value 11749.0 }}",
        {("union-figure-values", U, None, "11749", V)},
        {},
    ),  # 11749.0 is written 11749 (canonical decimal)
    (
        "union-population-two-values",
        f"INSERT DATA {{ {POP('union/udcmd')} mu:value 11750 }}",
        {
            ("figure-conflict", U, None, f"<{U}/indicator/resident-population/2022-01-01>", V),
            ("union-total-population", U, None, "11750", V),
        },
        {},
    ),
    (
        "member-population-two-values",  # two cards state Pollutri's population differently
        f"INSERT DATA {{ {POP('comune/069068')} mu:value 2041 }}",
        {
            ("figure-conflict", U, None, f"<{POLLUTRI}/indicator/resident-population/2022-01-01>", V),
            ("union-total-population", U, None, "11749", V),
        },
        {},
    ),
    # --- consistency ---
    (
        "member-population-wrong",  # Pollutri 2041: the sum is 11750, the card says 11749
        f"DELETE WHERE {{ {POP('comune/069068')} mu:value ?v }} ; INSERT DATA {{ {POP('comune/069068')} mu:value 2041 }}",
        {("union-total-population", U, None, "11749", V)},
        {},
    ),
    (
        "total-population-wrong",  # 11759 also breaks the density: 11759 / 122.56 = 95.94
        f"DELETE WHERE {{ {POP('union/udcmd')} mu:value ?v }} ; INSERT DATA {{ {POP('union/udcmd')} mu:value 11759 }}",
        {("union-total-population", U, None, "11759", V), ("union-density", U, None, "95.86", V)},
        {},
    ),
    (
        "density-rounded-not-truncated",  # 34908 / 623.4 = 55.996: the cards write 55.99, not 56.00
        f"DELETE WHERE {{ <{L}/indicator/population-density/stated/value> mu:value ?v }} ; "
        f"INSERT DATA {{ <{L}/indicator/population-density/stated/value> mu:value 56.00 }}",
        {("union-density", L, None, "56", V)},
        {},
    ),
    (
        "density-wrong",
        f"DELETE WHERE {{ {STATED('population-density')} mu:value ?v }} ; INSERT DATA {{ {STATED('population-density')} mu:value 95.85 }}",
        {("union-density", U, None, "95.85", V)},
        {},
    ),
    (
        "number-of-comuni-wrong",
        f"DELETE WHERE {{ {STATED('number-of-comuni')} mu:value ?v }} ; INSERT DATA {{ {STATED('number-of-comuni')} mu:value 5 }}",
        {("union-number-of-comuni", U, None, "5", V)},
        {},
    ),
]


def test_an_ipa_code_in_capitals_as_ipa_spells_it_conforms():
    # IPA spells some codes in capitals or mixed case (UTA, ROOFCYM9, c_B705): the dumps keep it
    store = graph('DELETE DATA { $UDCMD cov:IPAcode "udcmd" } ; INSERT DATA { $UDCMD cov:IPAcode "UDCMD" }')
    assert both_engines(store).results == []


@pytest.mark.parametrize("case_id, update, expected, kwargs", CASES, ids=[c[0] for c in CASES])
def test_bad_graph_gives_exactly_its_results(case_id, update, expected, kwargs):
    report = both_engines(graph(update), **kwargs)
    assert summary(report) == expected
    assert not report.conforms
    for r in report.results:
        # every result names its union, with messages in Italian and English
        assert r.union == r.focus.value and r.union in (U, L)
        assert r.union_name in ("Unione dei Miracoli", "Unione dei Comuni Lucani del Lagonegrese", "Unione Miracoli")
        assert r.message_it and r.message_en and r.message_it != r.message_en
        assert "{?" not in r.message_it + r.message_en


def test_every_rule_has_a_bad_graph(repo):
    """Each shape of shapes/ is exercised by at least one case above."""
    store = ox.Store()
    for f in sorted((repo / "shapes").glob("*.ttl")):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    rules = {
        row["s"].value.rsplit("/", 1)[1]
        for row in store.query("SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/ns/shacl#targetClass> ?c }")
    }
    tested = {rule for _, _, expected, _ in CASES for rule, *_ in expected} | {"member-city-current"}
    tested |= {rule for _, _, expected in PROJECT_CASES for rule, *_ in expected}  # shapes/projects.ttl
    assert rules == tested


def test_the_two_real_unions_conform():
    report = both_engines(graph())
    assert report.conforms and report.results == []


def test_the_real_unions_conform_with_the_services_vocabulary():
    report = both_engines(graph(), extra_graphs=[VOCAB])
    assert report.conforms


def test_a_union_whose_members_are_not_known_is_no_violation():
    """A union published with IPA's data only says its members are not known: no member is no
    violation then; without that statement, the same union breaks union-members."""
    ipa_only = """
        INSERT DATA {
            :union\\/idmppx95 a lu:UnioneDiComuni , cov:PublicOrganization ;
                l0:name "Unione tra Comuni CO.RO. PNRR"@it ; cov:IPAcode "idmppx95" ;
                cov:hasCategory s13:206 ; cov:hasLegalStatus legal:2450 ;
                lu:region creg:18 ; lu:province cprov:078 ; lu:foundingDate "2022"^^xsd:gYear ;
                lu:membersKnown false ; lu:unionStatus luus:active .
        }"""
    assert both_engines(graph(ipa_only)).conforms
    known = ipa_only.replace("lu:membersKnown false", "lu:membersKnown true")
    assert summary(both_engines(graph(known))) == {("union-members", D + "union/idmppx95", "org:hasMember", None, V)}


def test_members_in_two_unions_are_fine():
    # Pollutri also a member of the Lagonegrese union would break the union's own checks (region,
    # totals), but not the rule on duplicates: a comune may belong to two different unions.
    report = both_engines(graph("INSERT DATA { $ULL org:hasMember $POL }"))
    assert not any(r.rule == "member-duplicate" for r in report.results)
    assert {r.rule for r in report.results} == {
        "member-region",
        "member-province",
        "union-total-population",
        "union-number-of-comuni",
    }
    assert {r.union for r in report.results} == {L}


# --- the OntoPiA hook ---------------------------------------------------------------------------


def _cities(**changes):
    codes = [
        "069015",
        "069068",
        "069087",
        "069100",
        "076022",
        "076023",
        "076039",
        "076040",
        "076042",
        "076044",
        "076054",
        "076068",
        "076092",
    ]
    rows = {c: (f"{c}-(1948-01-01)", "1948-01-01", "9999-12-31") for c in codes}
    rows.update(changes)
    return [r for r in rows.values() if r is not None]


def test_current_cities_conform():
    report = both_engines(graph(), extra_graphs=[list(city_triples(_cities()))])
    assert report.conforms


def test_city_no_longer_valid():
    # as if Pollutri had been suppressed at the end of 2023
    cities = _cities(**{"069068": ("069068-(1948-01-01)", "1948-01-01", "2023-12-31")})
    report = both_engines(graph(), extra_graphs=[list(city_triples(cities))])
    assert summary(report) == {("member-city-current", U, "org:hasMember", f"<{POLLUTRI}>", V)}


def test_city_unknown_to_ontopia():
    report = both_engines(graph(), extra_graphs=[list(city_triples(_cities(**{"076092": None})))])
    assert summary(report) == {("member-city-current", L, "org:hasMember", f"<{D}comune/076092>", V)}


def test_city_hook_reads_the_real_ontopia_file(shared_data):
    from lod_unioni.sources.ontopia import read_cities

    cities = read_cities(shared_data / "ontopia" / "cities.csv")
    report = validate(graph(), extra_graphs=[city_triples(cities)])
    assert report.conforms
    # and a city row that ended long ago (Agliè in the province of Aosta, 1927-1929) is refused
    old = graph("DELETE WHERE { $POL lu:city ?c } ; INSERT DATA { $POL lu:city ccities:007805-\\(1927-01-12\\) }")
    report = validate(old, extra_graphs=[city_triples(cities)])
    assert {r.rule for r in report.results} == {"member-city-current", "member-city-istat"}


# --- messages -----------------------------------------------------------------------------------


def test_messages_name_the_values():
    report = validate(
        graph(
            f"DELETE WHERE {{ {POP('comune/069068')} mu:value ?v }} ; "
            f"INSERT DATA {{ {POP('comune/069068')} mu:value 2041 }}"
        )
    )
    [r] = report.results
    assert r.message_en == (
        "The stated total population (11749 at 2022-01-01) differs from the sum of the "
        "member comuni's populations at the same date from the same source (11750)."
    )
    assert r.message_it.startswith("La popolazione totale dichiarata (11749 al 2022-01-01)")


def test_density_message_shows_the_truncated_figure():
    report = validate(
        graph(
            f"DELETE WHERE {{ <{L}/indicator/population-density/stated/value> mu:value ?v }} ; "
            f"INSERT DATA {{ <{L}/indicator/population-density/stated/value> mu:value 56.00 }}"
        )
    )
    [r] = report.results
    assert "34908 / 623.4 = 55.99" in r.message_en


# --- the bundled dumps (output/, built by `lod-unioni build` from records/) ------------------------


def test_bundled_dumps_conform(repo):
    from lod_unioni.validation import vocabulary_files

    vocabularies = vocabulary_files()
    assert any(p.parent.name == "services" for p in vocabularies)
    report = both_engines(_load(repo / "output" / "unioni.ttl"), extra_graphs=vocabularies)
    assert report.conforms
    for dump in ("unioni.jsonld", "unioni.nt"):
        assert validate(repo / "output" / dump, extra_graphs=vocabularies).conforms


def test_bundled_dump_done_scenario(repo):
    """A broken record on the bundled dump: the total population one more than stated, a
    member moved to another region, the IPA code of one union given to the other."""
    store = _load(repo / "output" / "unioni.ttl")
    [miracoli] = [
        row["u"].value
        for row in store.query(f"SELECT ?u WHERE {{ ?u <http://www.w3.org/ns/org#hasMember> <{POLLUTRI}> }}")
    ]
    store.update(
        PREFIXES
        + f"""
        DELETE {{ ?figure mu:value ?total }} INSERT {{ ?figure mu:value ?wrong }} WHERE {{
            <{miracoli}> ind:hasIndicatorCalculation ?calc .
            ?calc ind:forIndicator lui:resident-population ; ind:hasIndicatorValue ?figure .
            ?figure mu:value ?total . BIND (?total + 1 AS ?wrong) }} ;
        DELETE WHERE {{ <{POLLUTRI}> lu:region ?r }} ; INSERT DATA {{ <{POLLUTRI}> lu:region creg:14 }} ;
        DELETE {{ <{L}> cov:IPAcode ?code }} INSERT {{ <{L}> cov:IPAcode ?other }}
        WHERE {{ <{L}> cov:IPAcode ?code . <{miracoli}> cov:IPAcode ?other }}"""
    )
    report = both_engines(store)
    found = {(r.rule, r.union) for r in report.results}
    assert {
        ("union-total-population", miracoli),
        ("member-region", miracoli),
        ("union-ipa-code-unique", miracoli),
        ("union-ipa-code-unique", L),
    } <= found
    assert report.fails()


def _load(path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
