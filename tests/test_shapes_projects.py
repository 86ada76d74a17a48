"""The rules of shapes/projects.ttl (the PNRR projects, their applications, states and calls): the
two projects of fixtures/shapes/projects.ttl (read by hand from the PA digitale 2026 rows) conform,
and each rule has a bad graph, the same fixture changed by one SPARQL Update, with exactly its
results written by hand: (rule, focus node, path, value, severity, constraint component). Every case
runs on both engines (the fast one and pySHACL), which must give the same results.
"""

from __future__ import annotations

import csv
from collections import Counter

import pyoxigraph as ox
import pytest
from conftest import FIXTURES_DIR, REPO
from conftest import B as D

from lod_unioni.validation import validate
from lod_unioni.validation.terms import display_path, display_term, local_name

FIXTURES = FIXTURES_DIR / "shapes"
PROJECTS = FIXTURES / "projects.ttl"
SHAPES = [REPO / "shapes" / "projects.ttl", REPO / "shapes" / "prefixes.ttl"]

P = D + "project/J91F22001760006"  # the union's
A = P + "/application/6fc479d1187c178e"
SA = A + "/state/A"
Q = D + "project/H81F22000310006"  # Pollutri's
QA = Q + "/application/b5c4125773be9806"
C1 = D + "call/6fc479d1187c178e9b5dfee06667d404"
UNION, POLLUTRI = D + "union/udcmd", D + "comune/069068"
V = "Violation"
LUPM = "https://w3id.org/lod-unioni/vocab/pnrr-measures/"
LUPST = "https://w3id.org/lod-unioni/vocab/pnrr-status/"

PREFIXES = f"""
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX lupm: <{LUPM}>
PREFIX lupst: <{LUPST}>
PREFIX l0: <https://w3id.org/italia/onto/l0/>
PREFIX ti: <https://w3id.org/italia/onto/TI/>
PREFIX prj: <https://w3id.org/italia/onto/Project/>
"""


def graph(update: str = "", *files) -> ox.Store:
    store = ox.Store()
    for f in (*files, PROJECTS):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    if update:
        for name, iri in (("$P", P), ("$A", A), ("$SA", SA), ("$Q", Q), ("$C1", C1), ("$UNION", UNION)):
            update = update.replace(name, f"<{iri}>")
        store.update(PREFIXES + update.replace("$POL", f"<{POLLUTRI}>"))
    return store


def summary(report) -> set[tuple]:
    return {
        (
            r.rule,
            r.focus.value,
            display_path(r.path) or None,
            None if r.value is None else display_term(r.value),
            r.severity,
            local_name(r.component).removesuffix("ConstraintComponent"),
        )
        for r in report.results
    }


def both_engines(store: ox.Store, **kwargs):
    fast = validate(store, engine="fast", **kwargs)
    reference = validate(store, engine="pyshacl", **kwargs)
    assert fast.engine == "fast" and reference.engine == "pyshacl"
    key = lambda r: (r.key(), r.message_it, r.message_en)  # noqa: E731
    assert Counter(map(key, fast.results)) == Counter(map(key, reference.results))
    return fast


CUP, COST, STATUS, MEASURE = (
    "prj:uniqueProjectCodeValue",
    "prj:projectTotalCost",
    "lu:applicationStatus",
    "lu:pnrrMeasure",
)
BODY = "^prj:isInvolvedInProject"
CASES = [
    # --- the project ---
    (  # the CUP of candidature_finanziate_144.csv line 5223 (c_b919, a comune in no union): a 1 for an I
        "cup-as-a-real-row-writes-it",
        'DELETE WHERE { $P prj:uniqueProjectCodeValue ?c } ; INSERT DATA { $P prj:uniqueProjectCodeValue "H28122001420005" }',
        {("project-cup", P, CUP, '"H28122001420005"', V, "Pattern")},
    ),
    (
        "cup-14-characters",
        'DELETE WHERE { $P prj:uniqueProjectCodeValue ?c } ; INSERT DATA { $P prj:uniqueProjectCodeValue "J91F2200176000" }',
        {("project-cup", P, CUP, '"J91F2200176000"', V, "Pattern")},
    ),
    (
        "cup-lower-case",
        'DELETE WHERE { $P prj:uniqueProjectCodeValue ?c } ; INSERT DATA { $P prj:uniqueProjectCodeValue "j91f22001760006" }',
        {("project-cup", P, CUP, '"j91f22001760006"', V, "Pattern")},
    ),
    (
        "cup-two",
        'INSERT DATA { $P prj:uniqueProjectCodeValue "J91F22001760007" }',
        {("project-cup", P, CUP, None, V, "MaxCount")},
    ),
    (
        "cup-missing",
        "DELETE WHERE { $Q prj:uniqueProjectCodeValue ?c }",
        {("project-cup", Q, CUP, None, V, "MinCount")},
    ),
    (
        "cost-zero",
        "DELETE WHERE { $P prj:projectTotalCost ?c } ; INSERT DATA { $P prj:projectTotalCost 0.0 }",
        {("project-cost", P, COST, "0", V, "MinExclusive")},
    ),
    (
        "cost-a-float",
        'DELETE WHERE { $P prj:projectTotalCost ?c } ; INSERT DATA { $P prj:projectTotalCost "14000"^^xsd:float }',
        {("project-cost", P, COST, '"14000"^^xsd:float', V, "Datatype")},
    ),
    (
        "cost-missing",
        "DELETE WHERE { $Q prj:projectTotalCost ?c }",
        {("project-cost", Q, COST, None, V, "MinCount")},
    ),
    (
        "status-not-a-state",
        "DELETE WHERE { $P lu:applicationStatus ?s } ; INSERT DATA { $P lu:applicationStatus lupst:X }",
        {("project-status", P, STATUS, "lupst:X", V, "In")},
    ),
    (
        "status-date-a-datetime",
        'DELETE WHERE { $P lu:statusDate ?d } ; INSERT DATA { $P lu:statusDate "2026-06-15T00:00:00Z"^^xsd:dateTime }',
        {("project-status-date", P, "lu:statusDate", '"2026-06-15T00:00:00Z"^^xsd:dateTime', V, "Datatype")},
    ),
    (
        "measure-unknown",
        f"DELETE WHERE {{ $P lu:pnrrMeasure ?m }} ; INSERT DATA {{ $P lu:pnrrMeasure <{LUPM}1.4.2> }}",
        {("project-measure", P, MEASURE, f"<{LUPM}1.4.2>", V, "In")},
    ),
    (
        "measure-missing",
        "DELETE WHERE { $Q lu:pnrrMeasure ?m }",
        {("project-measure", Q, MEASURE, None, V, "MinCount")},
    ),
    (  # a member's project also the union's (the mapping did that once)
        "body-two",
        "INSERT DATA { $UNION prj:isInvolvedInProject $Q }",
        {("project-body", Q, BODY, None, V, "MaxCount")},
    ),
    (
        "body-missing",
        "DELETE WHERE { ?b prj:isInvolvedInProject $Q }",
        {("project-body", Q, BODY, None, V, "MinCount")},
    ),
    (
        "body-not-a-union-or-comune",
        "DELETE WHERE { ?b prj:isInvolvedInProject $P } ; INSERT DATA { $C1 prj:isInvolvedInProject $P }",
        {("project-body", P, BODY, f"<{C1}>", V, "Or")},
    ),
    (
        "call-not-a-call",
        f"DELETE WHERE {{ $P prj:hasCall ?c }} ; INSERT DATA {{ $P prj:hasCall <{C1}/period> }}",
        {("project-call", P, "prj:hasCall", f"<{C1}/period>", V, "Class")},
    ),
    (
        "application-missing",
        "DELETE WHERE { $Q lu:hasApplication ?a }",
        {("project-application", Q, "lu:hasApplication", None, V, "MinCount")},
    ),
    # --- the applications ---
    (
        "application-call-missing",
        "DELETE WHERE { $A prj:hasCall ?c }",
        {("application-call", A, "prj:hasCall", None, V, "MinCount")},
    ),
    (
        "application-amount-negative",
        "DELETE WHERE { $A lu:requestedAmount ?x } ; INSERT DATA { $A lu:requestedAmount -14000.0 }",
        {("application-amount", A, "lu:requestedAmount", "-14000", V, "MinExclusive")},
    ),
    (
        "application-two-states",
        "INSERT DATA { $A lu:applicationStatus lupst:A }",
        {("application-status", A, STATUS, None, V, "MaxCount")},
    ),
    (
        "application-status-date-missing",
        "DELETE WHERE { $A lu:statusDate ?d }",
        # the funding date then has no status date to compare with: lessThanOrEquals finds no pair
        {("application-status-date", A, "lu:statusDate", None, V, "MinCount")},
    ),
    (
        "application-submitted-a-date",
        'DELETE WHERE { $A lu:submitted ?d } ; INSERT DATA { $A lu:submitted "2022-07-19"^^xsd:date }',
        {("application-submitted", A, "lu:submitted", '"2022-07-19"^^xsd:date', V, "Datatype")},
    ),
    (  # funded after the date of its status (E on 2026-06-15)
        "application-funded-after-its-status",
        'DELETE WHERE { $A lu:fundingDate ?d } ; INSERT DATA { $A lu:fundingDate "2026-07-01"^^xsd:date }',
        {("application-funding-date", A, "lu:fundingDate", '"2026-07-01"^^xsd:date', V, "LessThanOrEquals")},
    ),
    (
        "application-funded-twice",
        'INSERT DATA { $A lu:fundingDate "2022-12-13"^^xsd:date }',
        {("application-funding-date", A, "lu:fundingDate", None, V, "MaxCount")},
    ),
    (  # the day after the decree of 2022-12-12
        "application-submitted-after-funding",
        'DELETE WHERE { $A lu:submitted ?d } ; INSERT DATA { $A lu:submitted "2022-12-13T08:00:00Z"^^xsd:dateTime }',
        {
            (
                "application-submitted-before-funding",
                A,
                "lu:submitted",
                '"2022-12-13T08:00:00Z"^^xsd:dateTime',
                V,
                "SPARQL",
            )
        },
    ),
    (
        "application-without-states",
        "DELETE WHERE { $A lu:hasState ?s }",
        {("application-state", A, "lu:hasState", None, V, "MinCount")},
    ),
    # --- the states ---
    (
        "state-not-a-state",
        "DELETE WHERE { $SA lu:applicationStatus ?s } ; INSERT DATA { $SA lu:applicationStatus lupst:a }",
        {("state-status", SA, STATUS, "lupst:a", V, "In")},
    ),
    (
        "state-date-missing",
        "DELETE WHERE { $SA ti:date ?d }",
        {("state-date", SA, "ti:date", None, V, "MinCount")},
    ),
    (  # a renunciation before the decree of 2022-12-12 is no violation: see shapes/projects.ttl
        "state-date-a-datetime",
        'DELETE WHERE { $SA ti:date ?d } ; INSERT DATA { $SA ti:date "2022-12-12T00:00:00Z"^^xsd:dateTime }',
        {("state-date", SA, "ti:date", '"2022-12-12T00:00:00Z"^^xsd:dateTime', V, "Datatype")},
    ),
    # --- the calls ---
    (
        "call-name-in-english",
        'DELETE WHERE { $C1 l0:name ?n } ; INSERT DATA { $C1 l0:name "1.4.4 SPID CIE, May 2022"@en }',
        {("call-name", C1, "l0:name", '"1.4.4 SPID CIE, May 2022"@en', V, "LanguageIn")},
    ),
    (
        "call-identifier-upper-case",
        'DELETE WHERE { $C1 l0:identifier ?i } ; INSERT DATA { $C1 l0:identifier "6FC479D1187C178E9B5DFEE06667D404" }',
        {("call-identifier", C1, "l0:identifier", '"6FC479D1187C178E9B5DFEE06667D404"', V, "Pattern")},
    ),
    (
        "call-measure-unknown",
        "DELETE WHERE { $C1 lu:pnrrMeasure ?m } ; INSERT DATA { $C1 lu:pnrrMeasure lupst:A }",
        {("call-measure", C1, MEASURE, "lupst:A", V, "In")},
    ),
    (
        "call-budget-zero-and-an-integer",
        "DELETE WHERE { $C1 lu:budget ?b . $C1 lu:measureBudget ?m } ; "
        "INSERT DATA { $C1 lu:budget 0.0 ; lu:measureBudget 206000000 }",
        {
            ("call-budget", C1, "(lu:budget|lu:measureBudget)", "0", V, "MinExclusive"),
            ("call-budget", C1, "(lu:budget|lu:measureBudget)", "206000000", V, "Datatype"),
        },
    ),
    (
        "call-ends-before-it-starts",
        f'DELETE WHERE {{ <{C1}/period> ti:endTime ?e }} ; INSERT DATA {{ <{C1}/period> ti:endTime "2022-05-29"^^xsd:date }}',
        {("call-period", C1, "ti:atTime", f"<{C1}/period>", V, "Node")},
    ),
]


@pytest.mark.parametrize(("case_id", "update", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_graph_gives_exactly_its_results(case_id, update, expected):
    report = both_engines(graph(update), shapes=SHAPES)
    assert summary(report) == expected
    for r in report.results:
        assert r.message_it and r.message_en and r.message_it != r.message_en
        assert "{?" not in r.message_it + r.message_en


def test_the_fixture_conforms_with_the_project_shapes():
    assert both_engines(graph(), shapes=SHAPES).results == []


def test_the_fixture_and_the_cards_conform_with_every_shape():
    report = both_engines(graph("", FIXTURES / "cards.ttl"))
    assert report.conforms and report.results == []


def test_a_submission_on_the_day_of_the_decree_conforms():
    """The day of a submission is its UTC date: 23:00 UTC on the day of the decree is no later."""
    store = graph(
        'DELETE WHERE { $A lu:submitted ?d } ; INSERT DATA { $A lu:submitted "2022-12-12T23:00:00Z"^^xsd:dateTime }'
    )
    assert validate(store, shapes=SHAPES, engine="fast").results == []


def test_the_message_names_the_dates():
    store = graph(
        'DELETE WHERE { $A lu:submitted ?d } ; INSERT DATA { $A lu:submitted "2022-12-13T08:00:00Z"^^xsd:dateTime }'
    )
    [r] = validate(store, shapes=SHAPES, engine="fast").results
    assert r.message_en == "The application was submitted on 2022-12-13T08:00:00Z, after it was funded on 2022-12-12."
    assert (
        r.message_it
        == "La candidatura è stata inviata il 2022-12-13T08:00:00Z, dopo il suo finanziamento del 2022-12-12."
    )
    assert r.union is None  # an application names no union: it is linked to its project only


def test_a_union_project_result_names_its_union():
    [r] = validate(
        graph("DELETE WHERE { $P prj:projectTotalCost ?c } ; INSERT DATA { $P prj:projectTotalCost 0.0 }"),
        shapes=SHAPES,
        engine="fast",
    ).results
    assert r.union == UNION


def test_every_rule_has_a_bad_graph():
    store = ox.Store()
    store.load(path=str(SHAPES[0]), format=ox.RdfFormat.TURTLE)
    rules = {
        row["s"].value.rsplit("/", 1)[1]
        for row in store.query("SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/ns/shacl#targetClass> ?c }")
    }
    assert rules == {rule for _, _, expected in CASES for rule, *_ in expected}


def test_the_measures_are_the_scheme_concepts(repo):
    """The sh:in lists of project-measure and call-measure are the concepts of the pnrr-measures scheme."""
    store = ox.Store()
    store.load(path=str(SHAPES[0]), format=ox.RdfFormat.TURTLE)
    store.load(
        path=str(repo / "ontology" / "vocabularies" / "pnrr-measures" / "pnrr-measures.ttl"), format=ox.RdfFormat.TURTLE
    )
    concepts = {
        r["c"].value
        for r in store.query(
            "SELECT ?c WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/lod-unioni/vocab/pnrr-measures> }"
        )
    }
    assert len(concepts) == 7
    for rule in ("project-measure", "call-measure"):
        listed = {
            r["m"].value
            for r in store.query(
                f"SELECT ?m WHERE {{ <https://w3id.org/lod-unioni/shapes/{rule}> <http://www.w3.org/ns/shacl#in>/"
                "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?m }"
            )
        }
        assert listed == concepts, rule


# --- the real projects of the two bundled unions ------------------------------------------------


@pytest.fixture(scope="module")
def bundled_with_projects(registries):
    """The triples of the bundled records with their PA digitale 2026 projects joined."""
    from lod_unioni.mapping import map_records
    from lod_unioni.national.projects import with_projects
    from lod_unioni.records import load_records

    records, _ = with_projects(registries, load_records(REPO / "records"))
    return records, map_records(records)


def test_the_bundled_unions_with_their_projects_conform(bundled_with_projects, shared_data):
    """Every project of the two unions and of their members, with its applications (one per CUP
    and call, counted from the CSV rows with the csv module), conforms."""
    records, triples = bundled_with_projects
    codes = {r.union.ipa_code for r in records} | {m.ipa_code for r in records for m in r.members}
    cups, applications = set(), set()
    for path in (shared_data / "padigitale2026").glob("candidature_*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["codice_ipa"].lower() in codes:
                    cups.add(row["codice_cup"])
                    applications.add((row["codice_cup"], " ".join(row["avviso"].split()).casefold()))
    types = Counter(t.object.value.rsplit("/", 1)[1] for t in triples if t.predicate.value.endswith("#type"))
    assert (types["PublicInvestmentProject"], types["Application"]) == (len(cups), len(applications))
    report = validate(triples, engine="fast")
    assert [r for r in report.results if r.severity == "Violation"] == []


def test_a_window_renounced_before_the_latest_funding_conforms():
    """Pove del Grappa's B41F22000020006 (candidature_finanziate_144.csv lines 553 and 4957): funded
    in window 1 on 2022-08-02, renounced on 2022-08-08, funded again in window 5 on 2022-11-30 and
    paid on 2023-10-26; one application of the call, whose funding date is the latest."""
    store = graph(
        'DELETE WHERE { $A lu:fundingDate ?d } ; INSERT DATA { $A lu:fundingDate "2022-12-13"^^xsd:date ; '
        f"lu:hasState <{A}/state/R> . <{A}/state/R> a lu:ApplicationState ; lu:applicationStatus lupst:R ; "
        'ti:date "2022-12-12"^^xsd:date }'
    )
    assert validate(store, shapes=SHAPES, engine="fast").results == []
