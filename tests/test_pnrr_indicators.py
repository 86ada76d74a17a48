"""The PNRR figures (lod_unioni.pnrr.indicators) on small inputs made by hand: the status of a
comune in a measure, renounced projects, no double counting, the measures not in the sources,
euro per inhabitant, ranks with ties and unions without population. Every expected value is worked
out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lod_unioni.pnrr.indicators import (
    NO_APPLICATION,
    NOT_IN_SOURCES,
    Comune,
    Project,
    Sources,
    Union,
    cell,
    compare,
    comune_figures,
    median,
    per_capita,
    rank,
    union_figures,
)
from lod_unioni.pnrr.inputs import sources_of_record, union_of_record

D = Decimal
ALL = ("1.1", "1.2", "1.3.1", "1.4.1", "1.4.3", "1.4.4", "1.4.5")
# the files read: 1.4.1, 1.4.4, 1.4.5 and the other bodies' file (as the dumps name them)
SOURCES = Sources.from_names(
    ["padigitale-finanziate-141", "padigitale-finanziate-144", "padigitale-finanziate-145"]
    + ["padigitale-altrienti-finanziate", "padigitale-avvisi", "istat-comuni"]
)


def P(cup, measure, amount, status):
    return Project(cup, measure, D(amount), status)


SHARED = P("SHARED000000001", "1.4.4", "5000.00", "E")  # listed by the union and by comune 000001
COMUNE_A = Comune(
    "000001",
    1000,
    (
        P("P10000000000001", "1.4.1", "100.00", "E"),
        P("P20000000000002", "1.4.4", "14000.00", "R"),
        P("P30000000000003", "1.4.4", "14000.00", "A"),
        SHARED,
    ),
)
COMUNE_B = Comune("000002", 3000, (P("P50000000000005", "1.4.5", "300.00", "A"),))
UNION = Union("u1", (COMUNE_A, COMUNE_B), (SHARED, P("P60000000000006", "1.4.3", "1000.00", "A")), region="13")


def test_sources_from_the_names_of_the_files_read():
    assert SOURCES.measures == {"1.4.1", "1.4.4", "1.4.5"}
    assert SOURCES.other_bodies
    assert Sources.from_names(["padigitale-finanziate-11", "padigitale-finanziate-131"]) == Sources(
        frozenset({"1.1", "1.3.1"}), False
    )
    # a comune's 1.4.3 applications would be in the 1.4.3 file (not read); a union's are in the other bodies' file
    assert not SOURCES.has("1.4.3") and SOURCES.has("1.4.3", union=True)
    assert not Sources().has("1.4.1", union=True)
    assert Sources().nothing_read and not SOURCES.nothing_read
    assert not Sources.from_names(["padigitale-altrienti-finanziate"]).nothing_read


def test_a_comune_with_several_projects_in_a_measure_gets_the_most_advanced_status():
    # 1.4.4 of comune A: R 14000, A 14000, E 5000 -> E; assigned A + E = 19000, disbursed 5000, renounced 14000
    c = cell("1.4.4", COMUNE_A.projects, in_sources=True)
    assert (c.status, c.assigned, c.disbursed, c.renounced) == ("E", D("19000.00"), D("5000.00"), D("14000.00"))
    assert [p.cup for p in c.projects] == ["P20000000000002", "P30000000000003", "SHARED000000001"]
    assert c.has_measure
    # without the disbursed one: A; with only the renounced one: R, which is not having the measure
    assert cell("1.4.4", COMUNE_A.projects[1:3], in_sources=True).status == "A"
    only_renounced = cell("1.4.4", COMUNE_A.projects[1:2], in_sources=True)
    assert (only_renounced.status, only_renounced.assigned, only_renounced.has_measure) == ("R", D("0.00"), False)


def test_no_application_is_not_the_same_as_not_in_the_sources():
    b = comune_figures(COMUNE_B, SOURCES, ALL)
    assert [c.measure for c in b.cells] == list(ALL)
    states = {c.measure: c.status for c in b.cells}
    # 1.4.1 and 1.4.4 files read, nothing for B: no application; 1.1, 1.2, 1.3.1, 1.4.3 files not read
    assert states == {
        "1.1": NOT_IN_SOURCES,
        "1.2": NOT_IN_SOURCES,
        "1.3.1": NOT_IN_SOURCES,
        "1.4.1": NO_APPLICATION,
        "1.4.3": NOT_IN_SOURCES,
        "1.4.4": NO_APPLICATION,
        "1.4.5": "A",
    }
    assert not b.cell("1.2").in_sources and b.cell("1.4.1").in_sources
    # by default only the measures of the files read (and of the projects) are shown
    assert [c.measure for c in comune_figures(COMUNE_B, SOURCES).cells] == ["1.4.1", "1.4.4", "1.4.5"]


def test_comune_totals_leave_out_renounced_money():
    t = comune_figures(COMUNE_A, SOURCES).totals
    # 100 + 14000 + 5000 assigned (the renounced 14000 apart); disbursed 100 + 5000; 19100 / 1000 inhabitants
    assert (t.projects, t.live) == (4, 3)
    assert (t.assigned, t.disbursed, t.renounced) == (D("19100.00"), D("5100.00"), D("14000.00"))
    assert (t.per_capita, t.disbursed_per_capita) == (D("19.10"), D("5.10"))
    assert comune_figures(Comune("000009", None, COMUNE_A.projects), SOURCES).totals.per_capita is None


def test_a_cup_of_the_union_and_a_member_is_counted_once():
    f = union_figures(UNION, SOURCES, ALL)
    t = f.totals
    # CUPs: SHARED, P6, P1, P2, P3, P5 = 6 (5 live); assigned 5000 + 1000 + 100 + 14000 + 300 = 20400
    # (counting SHARED twice would give 25400); disbursed 5000 + 100; population 1000 + 3000
    assert (t.projects, t.live, t.assigned, t.disbursed, t.renounced) == (
        6,
        5,
        D("20400.00"),
        D("5100.00"),
        D("14000.00"),
    )
    assert (t.population, t.per_capita) == (4000, D("5.10"))
    assert f.shared == ("SHARED000000001",)
    # the union's own projects: 1.4.3 (its applications are in the other bodies' file) and 1.4.4
    own = {c.measure: c.status for c in f.own}
    assert own == {
        "1.1": "none",
        "1.2": "none",
        "1.3.1": "none",
        "1.4.1": "none",
        "1.4.3": "A",
        "1.4.4": "E",
        "1.4.5": "none",
    }
    assert f.comune("000001").cell("1.4.4").status == "E"


def test_coverage_per_measure_names_the_members_missing():
    members = (*UNION.members, Comune("000003", 500, (P("P70000000000007", "1.4.4", "14000.00", "R"),)))
    f = union_figures(Union("u2", members), SOURCES, ALL)
    cov = {c.measure: c for c in f.coverage}
    assert (cov["1.4.4"].members, cov["1.4.4"].covered) == (3, ("000001",))
    # 000002 has no application, 000003 only a renounced one: both are missing it
    assert cov["1.4.4"].missing == ("000002", "000003") and cov["1.4.4"].renounced == ("000003",)
    assert cov["1.4.1"].covered == ("000001",) and cov["1.4.1"].missing == ("000002", "000003")
    # 1.2: the file was not read: nobody is "missing" it, nobody is known to have it
    assert (cov["1.2"].in_sources, cov["1.2"].covered, cov["1.2"].missing) == (False, (), ())
    assert cov["1.2"].unknown == ("000001", "000002", "000003")


def test_a_union_with_a_member_without_population_has_no_per_capita():
    members = (COMUNE_A, Comune("000002", None, COMUNE_B.projects))
    f = union_figures(Union("u3", members), SOURCES)
    assert f.totals.population is None and f.totals.per_capita is None
    assert f.totals.assigned == D("19400.00")  # 19100 + 300: the money is still counted
    assert union_figures(Union("u4", (), (SHARED,)), SOURCES).totals.per_capita is None  # no members known


def test_per_capita_rounds_to_the_cent_half_even():
    assert per_capita(D("10"), 3) == D("3.33")
    assert per_capita(D("1"), 200) == D("0.00")  # 0.005 -> 0.00 (half even)
    assert per_capita(D("3"), 200) == D("0.02")  # 0.015 -> 0.02
    assert per_capita(D("10"), 0) is None and per_capita(D("10"), None) is None


def test_ranks_share_the_best_place_on_ties_and_skip_unions_without_a_figure():
    values = {"a": D("5.00"), "b": D("7.00"), "c": D("5.00"), "d": None, "e": D("1.00")}
    assert rank(values) == {"b": 1, "a": 2, "c": 2, "e": 4}
    assert median(values.values()) == D("5.00")  # 1, 5, 5, 7 -> (5 + 5) / 2
    assert median([D("1.00"), D("2.01")]) == D("1.50")  # 1.505 -> half even
    assert median([D("3.00"), D("1.00"), D("2.00")]) == D("2.00")
    assert median([None]) is None


def _union(key, region, euro, population):
    members = (Comune(f"{key}-c", population, (P(f"{key}CUP", "1.4.1", euro, "A"),) if euro else ()),)
    return union_figures(Union(key, members, region=region), SOURCES)


def test_a_union_stands_among_the_unions_of_its_region_and_of_italy():
    u1 = _union("u1", "13", "5100.00", 1000)  # 5.10 per inhabitant
    others = [
        _union("u2", "13", "10000.00", 1000),  # 10.00
        _union("u3", "17", "510.00", 100),  # 5.10, a tie with u1 in Italy
        _union("u4", "13", "900.00", None),  # no population: not ranked
        _union("u5", "17", None, 50),  # no project: 0.00, ranked last
    ]
    c = compare(u1, [u1, *others])
    # region 13: u2 10.00, u1 5.10 (u4 unranked): rank 2 of 2, median (10.00 + 5.10) / 2 = 7.55
    assert (c.region.scope, c.region.value, c.region.rank, c.region.ranked, c.region.unranked, c.region.median) == (
        "13",
        D("5.10"),
        2,
        2,
        1,
        D("7.55"),
    )
    # Italy: 10.00, 5.10, 5.10, 0.00 -> u1 and u3 share rank 2; median (5.10 + 5.10) / 2
    assert (c.italy.rank, c.italy.ranked, c.italy.unranked, c.italy.median) == (2, 4, 1, D("5.10"))
    assert compare(others[2], others).italy.rank is None
    assert compare(_union("u6", None, "1.00", 1), others).region is None


def test_a_status_outside_a_r_e_is_refused():
    with pytest.raises(ValueError, match="status 'X'"):
        Project("P80000000000008", "1.4.1", D("1.00"), "X")


def test_the_inputs_of_a_record_with_its_projects():
    record = {
        "union": {"ipa_code": "UDX", "region": {"code": "13", "name": "Abruzzo"}},
        "members": [
            {"istat_code": "000001", "population": {"value": 1000, "reference_date": "2022-01-01"}},
            {"istat_code": "000002", "population": {"value": 50, "reference_date": "2023-01-01"}},  # another date
        ],
        "projects": [
            {"cup": "SHARED000000001", "measure": "1.4.4", "amount": D("5000.00"), "status": "E", "call": "k1"},
            {"cup": "P10000000000001", "measure": "1.4.1", "amount": D("100.0"), "status": "A", "comune": "000001"},
            {"cup": "SHARED000000001", "measure": "1.4.4", "amount": D("5000.00"), "status": "E", "comune": "000002"},
        ],
        "provenance": {
            "sources": [
                {"kind": "padigitale-finanziate-141"},
                {"kind": "cloud", "measure": "1.2"},
                {"kind": "ipa-enti"},
            ]
        },
    }
    u = union_of_record(record)
    assert (u.key, u.region, [p.cup for p in u.projects]) == ("udx", "13", ["SHARED000000001"])
    assert [(m.istat, m.population, [p.cup for p in m.projects]) for m in u.members] == [
        ("000001", 1000, ["P10000000000001"]),
        ("000002", None, ["SHARED000000001"]),
    ]
    assert sources_of_record(record) == Sources(frozenset({"1.4.1", "1.2"}), False)
    f = union_figures(u, sources_of_record(record))
    assert (f.totals.assigned, f.totals.projects, f.shared, f.totals.population) == (
        D("5100.00"),
        2,
        ("SHARED000000001",),
        None,
    )


def test_the_measures_not_for_comuni_are_those_of_the_calls(shared_data):
    """NOT_FOR_COMUNI says what avvisi.csv says: 1.1 has six calls (PA centrali, ASL, research
    bodies...) and none for comuni; every other measure has at least one call for "Comuni"."""
    from lod_unioni.pnrr.indicators import NOT_FOR_COMUNI
    from lod_unioni.sources.padigitale import read_avvisi

    calls = read_avvisi(shared_data / "padigitale2026" / "avvisi.csv")
    for_comuni: dict[str, bool] = {}
    for k in calls:
        assert k.measure_code, k.title
        for_comuni[k.measure_code] = for_comuni.get(k.measure_code, False) or "Comuni" in k.recipients
    assert set(for_comuni) == set(ALL)
    assert {m for m, yes in for_comuni.items() if not yes} == NOT_FOR_COMUNI == {"1.1"}
