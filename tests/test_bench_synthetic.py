"""The benchmark's synthetic dataset (bench/synthetic.py, bench/synthetic_records.py) at a small scale:
the advertised shape, the record schema, determinism, and conformance to the project's shapes. The
benchmark itself (bench/run.py) is not a timed test."""

from __future__ import annotations

import copy
import csv
import re
import sys
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import LU, PRJ, RDF, REPO, XSD
from conftest import B as BASE
from pyoxigraph import Literal

from lod_unioni.records import Record, validate_record
from lod_unioni.validation import validate, vocabulary_files

RDF_TYPE = str(RDF.type)
XSD_DECIMAL = str(XSD.decimal)
SCALE = 0.02  # 11 unions, 158 comuni, 1,000 projects


# bench/ is run as scripts, not installed: its modules import each other by name, as bench/run.py does
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))

import national_report  # noqa: E402  (bench/national_report.py)
import synthetic  # noqa: E402  (bench/synthetic.py)


@pytest.fixture(scope="module")
def dataset():
    return synthetic.generate(SCALE)


@pytest.fixture(scope="module")
def triples(dataset):
    return dataset.triples()


def _subjects_of_type(triples, cls: str) -> set[str]:
    return {t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value == cls}


# --- shape of the records ------------------------------------------------------------------------


def test_counts_at_small_scale(dataset):
    # 560 * 0.02 = 11.2 -> 11 unions; 7,900 * 0.02 = 158 comuni; 40 * 0.02 -> 1 shared; 50,000 * 0.02 = 1,000
    assert len(dataset.records) == 11
    codes = [m.istat_code for r in dataset.records for m in r.members]
    assert len(set(codes)) == 158
    twice = [c for c, n in Counter(codes).items() if n > 1]
    assert len(twice) == 1 and Counter(codes)[twice[0]] == 2
    assert len(dataset.projects) == 1000 * 7


def test_national_scale_counts_are_the_advertised_ones():
    # the sizes only (no mapping): about 560 unions and 7,900 comuni, a few in two unions
    records = synthetic.generate_records(1.0)
    assert len(records) == 560
    codes = Counter(m.istat_code for r in records for m in r.members)
    assert len(codes) == 7900
    assert sum(1 for n in codes.values() if n == 2) == 40 and max(codes.values()) == 2
    sizes = [len(r.members) for r in records]
    assert min(sizes) == 2 and max(sizes) == 40


def test_records_conform_to_the_record_schema(dataset):
    for record in dataset.records:
        validate_record(copy.deepcopy(record.data), file=str(record.path))  # raises RecordError if not


def test_figures_are_consistent_as_on_the_cards(dataset):
    for r in dataset.records:
        d = r.data
        members = d["members"]
        assert 2 <= len(members) <= 40
        assert d["number_of_comuni"] == len(members)
        assert d["population"]["value"] == sum(m["population"]["value"] for m in members)
        assert all(m["population"]["value"] > 0 for m in members)
        # density = population / surface truncated (not rounded) to two decimals
        exact = Fraction(d["population"]["value"]) / Fraction(d["surface_km2"])
        assert d["density"] == Decimal((exact * 100).__floor__()) / 100
        assert isinstance(d["surface_km2"], Decimal) and d["surface_km2"] == d["surface_km2"].quantize(Decimal("0.01"))


def test_comuni_are_in_the_union_province_and_codes_are_well_formed(dataset):
    istat = {}
    for r in dataset.records:
        province, region = r.union.province_code, r.union.region_code
        for m in r.members:
            assert m.province_code == province and m.region_code == region
            assert re.fullmatch(r"[0-9]{6}", m.istat_code) and m.istat_code.startswith(province)
            assert m.ipa_code == "c_" + m.cadastral_code.lower()
            assert m.ontopia_city == f"{m.istat_code}-({m.city_valid_from})"
            istat.setdefault(m.istat_code, m.data)
            assert istat[m.istat_code] == m.data  # a comune in two unions is the same comune in both
    cadastral = [m["cadastral_code"] for m in istat.values()]
    assert len(set(cadastral)) == len(cadastral)


def test_regions_and_provinces_are_the_ontopia_ones(shared_data):
    with open(shared_data / "ontopia" / "provinces.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ontopia = {(row["codice_1_livello"], row["codice_2_livello"]) for row in rows}
    ours = {(region, p) for region, (_name, provinces, _w) in synthetic.REGIONS.items() for p in provinces}
    assert ours == ontopia  # all 107 provinces, each in its region


def test_services_come_from_the_services_vocabulary(dataset):
    text = (REPO / "ontology" / "vocabularies" / "services" / "services.ttl").read_text(encoding="utf-8")
    notations = set(re.findall(r'skos:notation "([^"]+)"', text))
    used = [s["concept"] for r in dataset.records for s in r.data.get("services") or []]
    assert used and set(used) <= notations
    assert {s["status"] for r in dataset.records for s in r.data.get("services") or []} <= {"active", "planned"}


def test_deterministic_for_a_seed():
    a, b = synthetic.generate(0.01, seed=7), synthetic.generate(0.01, seed=7)
    assert [r.data for r in a.records] == [r.data for r in b.records]
    assert a.triples() == b.triples()
    c = synthetic.generate(0.01, seed=8)
    assert [r.data for r in a.records] != [r.data for r in c.records]


def test_scale_shrinks_the_dataset():
    small = synthetic.generate(0.01)
    assert len(small.records) == round(560 * 0.01) and len(small.comuni) == 79


# --- the graph ------------------------------------------------------------------------------------


def test_graph_has_the_shape_of_a_build(dataset, triples):
    assert len(set(triples)) == len(triples)
    unions = _subjects_of_type(triples, LU + "UnioneDiComuni")
    comuni = _subjects_of_type(triples, LU + "Comune")
    assert unions == {f"{BASE}union/{r.ipa_code}" for r in dataset.records}
    assert comuni == {f"{BASE}comune/{c}" for c in dataset.comuni}
    members = {
        (t.subject.value, t.object.value) for t in triples if t.predicate.value == "http://www.w3.org/ns/org#hasMember"
    }
    assert len(members) == sum(len(r.members) for r in dataset.records)
    # the same as mapping the records through the project's own engine
    from lod_unioni.build import build_graph

    mapped = set(build_graph(dataset.records))
    assert mapped <= set(triples)
    assert set(triples) - mapped == set(dataset.projects)
    italiae = _subjects_of_type(triples, LU + "Intervention")
    assert len(italiae) == sum(1 for r in dataset.records if "italiae" in r.data)


def test_projects_are_ontopia_public_investment_projects(triples):
    projects = _subjects_of_type(triples, PRJ + "PublicInvestmentProject")
    assert len(projects) == 1000
    agents_ok = _subjects_of_type(triples, LU + "UnioneDiComuni") | _subjects_of_type(triples, LU + "Comune")
    by_subject: dict = {}
    for t in triples:
        if t.subject.value in projects:
            by_subject.setdefault(t.subject.value, []).append(t)
    cups = set()
    for iri, ts in by_subject.items():
        props = Counter(t.predicate.value for t in ts)
        assert props[PRJ + "hasParticipantingAgent"] == 1 and props[PRJ + "hasUniqueProjectCode"] == 1
        assert props[PRJ + "projectTitle"] == 1 and props[PRJ + "projectTotalCost"] == 1
        agent = next(t.object.value for t in ts if t.predicate.value == PRJ + "hasParticipantingAgent")
        assert agent in agents_ok
        cost = next(t.object for t in ts if t.predicate.value == PRJ + "projectTotalCost")
        assert isinstance(cost, Literal) and cost.datatype.value == XSD_DECIMAL and Decimal(cost.value) > 0
        cup = iri.rsplit("/", 1)[1]
        assert re.fullmatch(r"[A-Z][0-9]{2}[A-Z][0-9]{11}", cup)
        cups.add(cup)
    assert len(cups) == 1000
    code_values = {t.object.value for t in triples if t.predicate.value == PRJ + "uniqueProjectCodeValue"}
    assert code_values == cups


def test_graph_conforms_to_the_project_shapes(dataset, triples):
    report = validate(triples, extra_graphs=vocabulary_files())
    assert report.count("Violation") == 0 and report.count("Warning") == 0, report.to_text()
    # the only results: a union whose card gives no founding date (Info), as on real cards
    undated = {f"{BASE}union/{r.ipa_code}" for r in dataset.records if "founded" not in r.data["union"]}
    assert {(r.union, r.rule) for r in report.results} == {(u, "union-founding-date-missing") for u in undated}


def test_a_broken_record_is_caught(dataset):
    # the conformance check is not vacuous: a density that is not the truncated quotient is a violation
    records = [Record(r.path, copy.deepcopy(r.data)) for r in dataset.records]
    records[0].data["density"] += Decimal("0.05")
    broken = synthetic.Dataset(records=records, projects=[], scale=SCALE, seed=0)
    report = validate(broken.triples(), extra_graphs=vocabulary_files())
    violations = [r for r in report.results if r.severity == "Violation"]
    assert [(r.union, r.rule) for r in violations] == [(f"{BASE}union/{records[0].ipa_code}", "union-density")]


def test_query_params_name_real_things(dataset):
    params = dataset.query_params()
    assert params["union"] in {r.name for r in dataset.records}
    assert params["region"] in {synthetic.REGIONS[r.data["union"]["region"]["code"]][0] for r in dataset.records}
    assert params["service"] in {s["concept"] for r in dataset.records for s in r.data.get("services") or []}


def test_with_defects_gives_exactly_the_expected_results(dataset):
    broken, expected = synthetic.with_defects(dataset)
    assert len(expected) == 7 and len({ipa for ipa, _s, _r in expected}) == 6
    report = validate(broken.triples(), extra_graphs=vocabulary_files())
    found = sorted((r.union.rsplit("/", 1)[1], r.severity, r.rule) for r in report.results if r.severity != "Info")
    assert found == sorted(expected)
    # the original is untouched
    assert validate(dataset.triples(), extra_graphs=vocabulary_files()).count("Violation") == 0


# --- bench/run.py --national: the pure helpers that turn the steps' figures into totals and verdicts ----
# (bench/national_report.py)


def _national_ways(total: float = 7.5):
    # A lod-unioni pipeline whose steps add up to 7.0 s (0.5 s outside the steps when total is 7.5),
    # and a plain way whose validation and Turtle serialization hit a 60 s limit.
    timings = {
        "read": 1.0,
        "reconcile": 0.5,
        "match": 2.0,
        "map": 1.0,
        "validate": 1.5,
        "check records": 0.1,
        "turtle": 0.2,
        "jsonld": 0.3,
        "ntriples": 0.1,
        "catalog": 0.1,
        "write": 0.2,
        "total": total,
    }
    lod = {
        "pipeline": {
            "status": "ok",
            "seconds": total,
            "timings": timings,
            "triples": 1000,
            "peak_rss_mb": 300.0,
            "files": {"unioni.ttl": 2_000_000, "unioni.nt": 5_000_000},
            "violations": {"accepted": 3, "refused": 0},
        }
    }
    plain = {
        "records": {"status": "ok", "seconds": 0.1, "handed_over": True, "peak_rss_mb": 100.0},
        "map": {"status": "ok", "seconds": 3.0, "triples": 1000, "peak_rss_mb": 200.0},
        "validate": {"status": "timeout", "seconds": 60.0, "limit": 60.0, "peak_rss_mb": 250.0},
        "serialize:turtle": {"status": "timeout", "seconds": 60.0, "limit": 60.0, "peak_rss_mb": 260.0},
        "serialize:json-ld": {"status": "ok", "seconds": 5.0, "bytes": 3_000_000, "peak_rss_mb": 400.0},
        "serialize:nt": {"status": "ok", "seconds": 1.0, "bytes": 5_000_000, "peak_rss_mb": 400.0},
    }
    return lod, plain


def test_national_summary_counts_the_shared_steps_in_both_totals():
    lod, plain = _national_ways(total=7.5)
    s = national_report.national_summary(lod, plain)
    assert s["shared"] == pytest.approx(3.5)  # read 1 + reconcile 0.5 + match 2
    assert s["lod_total"]["seconds"] == 7.5
    # 3.5 shared + map 3 + validate >60 + Turtle >60 + JSON-LD 5 + N-Triples 1: a lower bound
    assert s["plain_total"]["status"] == "timeout" and s["plain_total"]["limit"] == pytest.approx(132.5)
    ratio, lower = s["speedup"]
    assert lower and ratio == pytest.approx(132.5 / 7.5)
    assert s["plain_total"]["peak_rss_mb"] == 400.0
    assert s["triples"] == (1000, 1000)
    rows = {label: (a, b) for label, a, b, _oa, _ob in s["rows"]}
    assert rows["read (registries, bundled records)"] == ({"status": "ok", "seconds": 1.0}, "shared")
    mm_a, mm_b = rows["  match + map (records to triples)"]
    assert mm_a["seconds"] == pytest.approx(3.0) and mm_b["seconds"] == pytest.approx(5.0)
    assert rows["check records (record schema, forked)"][1] is None  # no plain counterpart
    # the 0.5 s the steps do not account for get their own row, so that the rows add up to the total
    assert rows["other (not in a step above)"][0]["seconds"] == pytest.approx(0.5)
    assert "other (not in a step above)" not in {
        r[0] for r in national_report.national_summary(*_national_ways(7.0))["rows"]
    }


def test_national_verdicts():
    v = national_report.national_verdicts
    assert v({"status": "ok", "seconds": 7.5}, (17.67, True)) == [
        "national pipeline < 10 s: met (7.50 s)",
        ">= 4x faster than plain: met (>17.7x)",
    ]
    assert v({"status": "ok", "seconds": 12.0}, (3.0, False)) == [
        "national pipeline < 10 s: MISSED (12.00 s)",
        ">= 4x faster than plain: MISSED (3.0x)",
    ]
    # a lower bound under 4x says nothing; a pipeline that hit its limit misses the 10 s target
    assert v({"status": "timeout", "limit": 300.0}, (None, False)) == [
        "national pipeline < 10 s: MISSED (>300.00 s)",
        ">= 4x faster than plain: unknown",
    ]
    assert v({"status": "ok", "seconds": 9.0}, (3.0, True))[1] == ">= 4x faster than plain: unknown (>3.0x)"


def test_national_report_without_the_plain_way():
    lod, _plain = _national_ways(total=7.5)
    figures = {
        "ways": {"lod-unioni": lod},
        "dataset": {},
        "options": {"sources": "/data"},
        "machine": {"cpus": 2, "python": "3.11", "pyoxigraph": "0.5", "rdflib": "7", "pyshacl": "0.4"},
    }
    s = national_report.national_summary(lod, {})
    assert s["plain_total"] is None and s["speedup"] == (None, False)
    text = national_report.report_national(figures)
    assert "targets: national pipeline < 10 s: met (7.50 s); >= 4x faster than plain: unknown" in text
    assert "3 violation(s) where the sources disagree" in text


def test_the_command_line_picks_the_steps_of_each_benchmark():
    import run  # bench/run.py: the command line

    national = run.build_parser().parse_args(["--national", "--sources", "data"])
    assert [s.name for s in run.way_steps("lod-unioni", national)] == ["imports", "pipeline", "map-projects"]
    assert [s.name for s in run.way_steps("floor", national)] == ["imports", "load", "turtle", "ntriples", "jsonld"]
    assert national.references == ["morph-kgc", "floor"]
    assert [s.name for s in run.way_steps("plain", national)][:4] == ["imports", "records", "map", "validate"]
    synthetic_steps = [s.name for s in run.way_steps("plain", run.build_parser().parse_args([]))]
    assert synthetic_steps[:5] == ["generate", "map", "load", "validate", "agreement"]
    assert synthetic_steps[-3:] == ["serialize:turtle", "serialize:nt", "serialize:json-ld"]
