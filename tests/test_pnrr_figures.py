"""The PNRR figures the build publishes (lod_unioni.pnrr.figures, mappings/pnrr.yaml).

Expected values were read by hand in the CSV files of ../shared/data/padigitale2026 (the rows of
the members' IPA codes and ISTAT codes, one project per CUP with its latest row; the lists are in
tests/test_pnrr_queries.py) and in ISTAT's populations of 1 January 2022 (the Miracoli 11,804, the
Lagonegrese 34,907, Scerni 3,020). On the national graph the standings are checked against a
ranking made here in SPARQL over the projects, not with lod_unioni.pnrr.
"""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from conftest import IND, LUI, LUPM, MU, PROV, RECORDS, B
from pyoxigraph import Literal, NamedNode

from lod_unioni.build import build_records, shacl_check
from lod_unioni.national.projects import with_projects
from lod_unioni.query import load_store, run_query
from lod_unioni.records import load_records

DATE = "2026-08-15"  # the latest state date of the comuni's and unions' applications (a grep of the CSVs)


@pytest.fixture(scope="module")
def bundled(registries):
    """The bundled records joined with the projects of the reference data, as the build joins them."""
    records, index = with_projects(registries, load_records(RECORDS))
    return {r.key: r.data["pnrr"] for r in records}, index


def figures(items, indicator, measure=None):
    return [i["value"] for i in items if i["indicator"] == indicator and i.get("measure") == measure]


def comune(pnrr, istat):
    (found,) = [c for c in pnrr["comuni"] if c["istat"] == istat]
    return found


def D(text: str) -> Decimal:
    return Decimal(text)


def test_the_date_is_the_latest_state_date_of_the_applications(bundled):
    pnrr, index = bundled
    assert index.data_date == DATE
    assert {p["date"] for p in pnrr.values()} == {DATE}


def test_the_miracoli_union(bundled):
    union = bundled[0]["udm_069"]["union"]
    # 25 CUPs less the 3 renounced; 637,533.20 / 11,804 = 54.0099
    assert figures(union["counts"], "pnrr-projects") == [22]
    assert figures(union["euro"], "pnrr-assigned") == [D("637533.20")]
    assert figures(union["euro"], "pnrr-disbursed") == [D("432853.20")]
    assert figures(union["per_inhabitant"], "pnrr-assigned-per-inhabitant") == [D("54.01")]
    # coverage: no comune in 1.1 (its file lists only ASL and other bodies); Scerni has no 1.3.1;
    # every comune has the other measures
    coverage = [(i["measure"], i["value"], i["members"]) for i in union["counts"] if i["indicator"] == "pnrr-coverage"]
    assert coverage == [("1.1", 0, 4), ("1.3.1", 3, 4), ("1.4.1", 4, 4), ("1.4.4", 4, 4), ("1.4.5", 4, 4)]
    # its own project: J91F22001760006, 1.4.4, 14,000 disbursed
    own = [(i["measure"], i["value"]) for i in union["states"]]
    assert own == [("1.1", "none"), ("1.3.1", "none"), ("1.4.1", "none"), ("1.4.4", "E"), ("1.4.5", "none")]
    assert figures(union["euro"], "pnrr-assigned", "1.4.4") == figures(union["euro"], "pnrr-disbursed", "1.4.4")
    assert figures(union["euro"], "pnrr-assigned", "1.4.4") == [D("14000")]


def test_the_standings_among_the_bundled_unions(bundled):
    # the Lagonegrese: 1,289,245.48 / 34,907 = 36.93; the median of the two: (54.01 + 36.93) / 2
    ranks = {k: [(i["indicator"], i["value"], i["ranked"]) for i in p["union"]["ranks"]] for k, p in bundled[0].items()}
    assert ranks["udm_069"] == [("pnrr-rank-region", 1, 1), ("pnrr-rank-italy", 1, 2)]
    assert ranks["ull"] == [("pnrr-rank-region", 1, 1), ("pnrr-rank-italy", 2, 2)]
    medians = bundled[0]["ull"]["union"]["per_inhabitant"]
    assert figures(medians, "pnrr-median-italy") == [D("45.47")]
    assert figures(medians, "pnrr-median-region") == figures(medians, "pnrr-assigned-per-inhabitant") == [D("36.93")]


def test_a_comune_by_measure(bundled):
    scerni = comune(bundled[0]["udm_069"], "069087")
    assert [(i["measure"], i["value"]) for i in scerni["states"]] == [
        ("1.1", "none"),
        ("1.3.1", "none"),
        ("1.4.1", "A"),
        ("1.4.4", "A"),  # C91F23000100006 assigned; C97H22001440005 renounced
        ("1.4.5", "E"),
    ]
    assert [(i["indicator"], i["measure"], i["value"]) for i in scerni["euro"]] == [
        ("pnrr-assigned", "1.4.1", D("79922")),
        ("pnrr-assigned", "1.4.4", D("14000")),
        ("pnrr-assigned", "1.4.5", D("23147")),
        ("pnrr-disbursed", "1.4.5", D("23147")),
    ]
    # (79,922 + 14,000 + 23,147) / 3,020 = 38.764
    assert figures(scerni["per_inhabitant"], "pnrr-assigned-per-inhabitant") == [D("38.76")]
    casalbordino = comune(bundled[0]["udm_069"], "069015")
    assert figures(casalbordino["euro"], "pnrr-assigned", "1.4.4") == [D("8979.2") + D("14000")]
    assert figures(casalbordino["euro"], "pnrr-disbursed", "1.4.4") == [D("14000")]
    # Maratea renounced I21F22001720006, applied again with it and was paid; and I21F24000300006
    maratea = comune(bundled[0]["ull"], "076044")
    assert figures(maratea["states"], "pnrr-status", "1.4.4") == ["E"]
    assert figures(maratea["euro"], "pnrr-assigned", "1.4.4") == [D("20173.2")]
    assert figures(comune(bundled[0]["ull"], "076022")["states"], "pnrr-status", "1.4.4") == ["none"]
    assert figures(comune(bundled[0]["ull"], "076054")["states"], "pnrr-status", "1.4.5") == ["none"]


def test_a_measure_whose_file_was_not_read_has_no_figure(bundled):
    # ../shared/data has the files of 1.1, 1.3.1, 1.4.1, 1.4.4, 1.4.5, not those of 1.2 and 1.4.3
    for pnrr in bundled[0].values():
        items = [i for c in pnrr["comuni"] for g in c.values() if isinstance(g, list) for i in g]
        items += [i for g in pnrr["union"].values() for i in g]
        assert {i.get("measure") for i in items} == {None, "1.1", "1.3.1", "1.4.1", "1.4.4", "1.4.5"}


# ------------------------------------------------------------------------------- in the dumps


@pytest.fixture(scope="module")
def bundled_dump(registries, tmp_path_factory):
    """The bundled records with their projects and figures, built (and validated) into a store."""
    records, _ = with_projects(registries, load_records(RECORDS))
    out = tmp_path_factory.mktemp("pnrr-figures")
    build_records(records, out / "dumps", check=shacl_check(), iri_register=out / "iris.csv")
    return load_store([out / "dumps" / "unioni.nt"])


def _value(store, subject: str) -> tuple:
    (row,) = store.query(
        f"SELECT ?indicator ?value ?unit WHERE {{ <{subject}> <{IND.forIndicator}> ?indicator ; "
        f"<{IND.hasIndicatorValue}> ?v . ?v <{MU.value}> ?value ; <{MU.hasMeasurementUnit}> ?unit }}"
    )
    return row["indicator"].value, row["value"].value, row["unit"].value


def test_the_figures_are_indicators_with_their_unit_date_and_source(bundled_dump):
    scerni = B + f"comune/069087/indicator/pnrr-status/1.3.1/{DATE}"
    assert NamedNode(scerni) in {
        t.object
        for t in bundled_dump.quads_for_pattern(
            NamedNode(B + "comune/069087"), NamedNode(IND.hasIndicatorCalculation), None
        )
    }
    assert _value(bundled_dump, scerni) == (LUI + "pnrr-status", "none", LUI + "unit-state")
    facts = {(t.predicate.value, t.object.value) for t in bundled_dump.quads_for_pattern(NamedNode(scerni), None, None)}
    assert (str(IND.computedAtTime), B + f"time/{DATE}") in facts
    assert (str(PROV.wasDerivedFrom), B + "source/padigitale-finanziate-131") in facts
    assert ("https://w3id.org/lod-unioni/onto/pnrrMeasure", LUPM + "1.3.1") in facts
    per_inhabitant = B + f"union/udm_069/indicator/pnrr-assigned-per-inhabitant/all/{DATE}"
    assert _value(bundled_dump, per_inhabitant) == (
        LUI + "pnrr-assigned-per-inhabitant",
        "54.01",
        LUI + "unit-euro-per-inhabitant",
    )
    sources = {
        t.object.value
        for t in bundled_dump.quads_for_pattern(NamedNode(per_inhabitant), NamedNode(PROV.wasDerivedFrom), None)
    }
    assert sources == {B + "source/padigitale-candidature", B + "source/istat-population"}
    assert bundled_dump.query(
        f"ASK {{ <{B}time/{DATE}> ?p {Literal(DATE, datatype=NamedNode('http://www.w3.org/2001/XMLSchema#date'))} }}"
    )


def test_no_figure_of_a_measure_not_in_the_sources_in_the_dumps(bundled_dump):
    ask = f"ASK {{ ?calculation <https://w3id.org/lod-unioni/onto/pnrrMeasure> <{LUPM}1.2> }}"
    assert not bundled_dump.query(ask)
    assert bundled_dump.query(ask.replace("1.2>", "1.4.4>"))


# ------------------------------------------------------------------------------- the national graph

_PREFIXES = """
PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX prj: <https://w3id.org/italia/onto/Project/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lupst: <https://w3id.org/lod-unioni/vocab/pnrr-status/>
PREFIX lui: <https://w3id.org/lod-unioni/vocab/indicators/>
PREFIX ind: <https://w3id.org/italia/onto/Indicator/>
PREFIX mu: <https://w3id.org/italia/onto/MU/>
"""

#: Each union's region and population (ISTAT's, not a card's).
_PER_INHABITANT = (
    _PREFIXES
    + """
SELECT ?union ?region ?population WHERE {
  ?union a lu:UnioneDiComuni ; lu:region ?region ; ind:hasIndicatorCalculation ?c .
  ?c ind:forIndicator lui:resident-population ; ind:hasIndicatorValue/mu:value ?population .
  FILTER NOT EXISTS { ?c lu:statedBy ?anyone }
}
"""
)

#: The amount of each union's projects and its members', each CUP once, renounced ones left out
#: (a union without any has no row: 0).
_ASSIGNED = (
    _PREFIXES
    + """
SELECT ?union (SUM(?cost) AS ?assigned) WHERE {
  { SELECT DISTINCT ?union ?project WHERE {
      { ?union org:hasMember ?body } UNION { ?union a lu:UnioneDiComuni BIND (?union AS ?body) }
      ?body prj:isInvolvedInProject ?project } }
  ?project prj:projectTotalCost ?cost ; lu:applicationStatus ?status .
  FILTER (?status != lupst:R)
} GROUP BY ?union
"""
)


def _published(store, union: str, indicator: str):
    rows = list(
        store.query(
            f"SELECT ?v WHERE {{ <{union}> <{IND.hasIndicatorCalculation}> ?c . ?c <{IND.forIndicator}> <{LUI}{indicator}> ; "
            f"<{IND.hasIndicatorValue}>/<{MU.value}> ?v }}"
        )
    )
    return [Decimal(r["v"].value) for r in rows]


@pytest.mark.slow
def test_the_standings_on_the_national_graph_agree_with_a_ranking_in_sparql(national_store):
    assigned = {
        r["union"].value: Decimal(r["assigned"].value) for r in run_query(_ASSIGNED, store=national_store).dicts()
    }
    cents = Decimal("0.01")
    per = {
        row["union"].value: (
            row["region"].value,
            (assigned.get(row["union"].value, Decimal(0)) / Decimal(row["population"].value)).quantize(
                cents, ROUND_HALF_EVEN
            ),
        )
        for row in run_query(_PER_INHABITANT, store=national_store).dicts()
    }
    miracoli = B + "union/udm_069"
    abruzzo = sorted((v for r, v in per.values() if r == per[miracoli][0]), reverse=True)
    assert len(abruzzo) == 11 and abruzzo.index(per[miracoli][1]) + 1 == 6
    everywhere = sorted((v for _, v in per.values()), reverse=True)
    assert _published(national_store, miracoli, "pnrr-assigned-per-inhabitant") == [D("54.01")]
    assert _published(national_store, miracoli, "pnrr-rank-region") == [6]
    assert _published(national_store, miracoli, "pnrr-median-region") == [statistics.median(abruzzo)]
    assert _published(national_store, miracoli, "pnrr-rank-italy") == [everywhere.index(per[miracoli][1]) + 1]
    median = Decimal(statistics.median(everywhere)).quantize(cents, ROUND_HALF_EVEN)
    assert _published(national_store, miracoli, "pnrr-median-italy") == [median]
    # every union with a figure per inhabitant has it, equal to the one made here
    for union, (_, value) in per.items():
        assert _published(national_store, union, "pnrr-assigned-per-inhabitant") == [value], union
