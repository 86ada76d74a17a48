"""The PNRR queries (queries/pnrr-*.rq) on the national graph and on the hand-written test graph.

The expected rows were read by hand in the CSV files of ../shared/data/padigitale2026 (grep and
the csv module at a shell, never lod-unioni's reader): the rows of the members' IPA codes
(``c_b865``...), of comuni by ``cod_comune``, and of the union's own IPA code; one project per CUP,
with the amount, status and date of its latest row (latest ``data_stato_candidatura``, then
``data_finanziamento``). Populations: ISTAT's file of 1 January 2022 summed by hand. The national
counts (798 renounced projects, 111 own projects, the totals by measure) were made the same way
over the memberships and IPA codes of the national dump, the rows of the comuni merged since
(Moransengo and Tonengo, Ronago, Albaredo Arnaboldi, Gambugliano and Sovizzo) given to the comune
they are part of today, in the ISTAT list of 2024.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib
from conftest import FIXTURES_DIR, B

from lod_unioni.query import Result, list_queries, load_query, load_store, run_query

GRAPH = FIXTURES_DIR / "queries" / "graph.ttl"
PNRR = sorted(i.name for i in list_queries() if i.name.startswith("pnrr-"))

MIRACOLI = "Unione dei Miracoli"
UDM, ULL, USV, USG = (B + f"union/{c}" for c in ("udm_069", "ull", "usv_test", "usg_test"))

#: The projects of the Miracoli's comuni: measure, ISTAT code, CUP, amount, status, status date.
MIRACOLI_PROJECTS = [
    ("1.3.1", "069015", "C51F22004990006", "20344", "E", "2024-05-16"),
    ("1.3.1", "069015", "C51J25000370006", "4326.4", "E", "2026-06-15"),
    ("1.3.1", "069068", "H51F22005150006", "10172", "E", "2024-04-05"),
    ("1.3.1", "069068", "H51J25000730006", "4326.4", "E", "2026-04-09"),
    ("1.3.1", "069100", "E51F22005700006", "10172", "E", "2025-02-07"),
    ("1.3.1", "069100", "E91J25000800006", "4326.4", "E", "2026-08-10"),
    ("1.4.1", "069015", "C91F22000570006", "155234", "E", "2024-10-08"),
    ("1.4.1", "069068", "H81F22000310006", "79922", "E", "2024-06-26"),
    ("1.4.1", "069087", "C91F22004050006", "79922", "A", "2023-01-03"),
    ("1.4.1", "069100", "E41F22000330006", "79922", "A", "2022-08-19"),
    ("1.4.4", "069015", "C51F24000610006", "8979.2", "A", "2025-01-24"),
    ("1.4.4", "069015", "C91F22000020006", "14000", "R", "2022-10-20"),
    ("1.4.4", "069015", "C91F22004520006", "14000", "E", "2024-12-23"),
    ("1.4.4", "069068", "H51F24002210006", "3928.4", "A", "2025-01-24"),
    ("1.4.4", "069068", "H81F22000990006", "14000", "E", "2024-12-05"),
    ("1.4.4", "069087", "C91F23000100006", "14000", "A", "2023-04-03"),
    ("1.4.4", "069087", "C97H22001440005", "14000", "R", "2022-11-03"),
    ("1.4.4", "069100", "E41F22000940006", "14000", "R", "2022-11-17"),
    ("1.4.4", "069100", "E41F22004480006", "14000", "A", "2023-04-03"),
    ("1.4.4", "069100", "E51F24001590006", "3928.4", "A", "2025-01-24"),
    ("1.4.5", "069015", "C91F22003090006", "32589", "E", "2024-06-26"),
    ("1.4.5", "069068", "H81F22003390006", "23147", "E", "2024-06-26"),
    ("1.4.5", "069087", "C91F22003520006", "23147", "E", "2026-03-09"),
    ("1.4.5", "069100", "E41F22003250006", "23147", "E", "2024-12-19"),
]

#: The Lagonegrese's 1.4.4 projects (Castelluccio Inferiore has none; Maratea renounced
#: I21F22001720006 in January 2023, applied again with the same CUP and was paid in June 2024).
LAGONEGRESE_144 = [
    ("076023", "D81F23000320006", "14000", "A"),
    ("076039", "G61F22000130006", "14000", "A"),
    ("076040", "G71F22000830006", "14000", "A"),
    ("076042", "G91F23000360006", "14000", "E"),
    ("076044", "I21F22001720006", "14000", "E"),
    ("076044", "I21F24000300006", "6173.2", "A"),
    ("076054", "I51F24001610006", "3928.4", "A"),
    ("076068", "J51F24000740006", "6173.2", "A"),
    ("076068", "J81F22001060006", "14000", "E"),
    ("076092", "H51F22002600006", "14000", "A"),
]


def value(term):
    """A term as a comparable Python value: numbers as Decimal, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, rdflib.term.Identifier):  # an answer of rdflib's engine
        python = term.toPython() if isinstance(term, rdflib.Literal) else None
        if isinstance(python, (int, Decimal)) and not isinstance(python, bool):
            return Decimal(python)
        return str(term)
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value.rsplit("#", 1)[-1] in ("integer", "decimal"):
        return Decimal(term.value)
    return term.value


def rows(result: Result, *columns: str) -> list[tuple]:
    ks = [result.variables.index(c) for c in columns]
    return [tuple(value(row[k]) for k in ks) for row in result.rows]


def D(*texts: str) -> tuple[Decimal, ...]:
    return tuple(Decimal(t) for t in texts)


@pytest.fixture(scope="module")
def graph_store():
    return load_store([GRAPH])


def run(store, name, **params):
    return run_query(load_query(name), store=store, params=params)


# ------------------------------------------------------------------------------- the queries


def test_at_least_six_pnrr_queries_with_their_parameters():
    assert len(PNRR) >= 6
    params = {name: [p.name for p in load_query(name).info.params] for name in PNRR}
    assert params["pnrr-union-projects"] == ["union", "measure"]
    assert params["pnrr-comuni-without-measure"] == ["union", "measure"]
    assert params["pnrr-unions-per-capita"] == ["region"]
    assert params["pnrr-union-own-projects"] == []


@pytest.mark.parametrize("name", PNRR)
def test_pnrr_queries_answer_alike_on_rdflib(graph_store, name):
    """Plain SPARQL 1.1: rdflib's engine, which knows no Oxigraph extension, gives the same rows."""
    query = load_query(name)
    graph = rdflib.Graph().parse(GRAPH)
    bindings = {p.name: rdflib.Literal(p.default) for p in query.info.params}
    theirs = [tuple(value(t) for t in row) for row in graph.query(query.text, initBindings=bindings)]
    ours = [tuple(value(t) for t in row) for row in run_query(query, store=graph_store).rows]
    assert theirs == ours and ours


# ------------------------------------------------------------------------------- the test graph


def test_a_comune_in_two_unions_counts_in_each_union_but_once_in_all(graph_store):
    # Casalbordino (069015) is in the Miracoli and in the Vastese: its 6 projects assigned or
    # disbursed (1.3.1 20,344 + 4,326.4; 1.4.1 155,234; 1.4.4 8,979.2 + 14,000; 1.4.5 32,589)
    # are all the Vastese has
    abruzzo = rows(run(graph_store, "pnrr-unions-per-capita"), "union", "projects", "assigned", "population")
    assert abruzzo == [(UDM, 22, *D("637533.2", "11749")), (USV, 6, *D("235472.6", "99000"))]
    # in the whole graph the 18 projects of 1.4.4 are the Miracoli's 8 (the union's own included)
    # and the Lagonegrese's 10, Casalbordino's counted once
    everything = rows(run(graph_store, "pnrr-funding-by-measure"), "measureCode", "assignedProjects", "assigned")
    assert everything[2] == ("1.4.4", 18, Decimal("201110.8"))
    renounced = run(graph_store, "pnrr-renounced-projects")
    assert [c for (c,) in rows(renounced, "cup")] == [
        "C91F22000020006",  # Casalbordino, listed once for its two unions
        "X00X00000000001",
        "C97H22001440005",
        "E41F22000940006",
    ]
    assert rows(renounced, "unionNames")[0] == ("Unione Sintetica del Vastese | Unione dei Miracoli",)


def test_a_renounced_project_applied_for_again_on_the_test_graph(graph_store):
    r = run(graph_store, "pnrr-renounced-projects", union="usg_test")
    assert rows(r, "bodyName", "measureCode", "cup", "amount", "otherProjects") == [
        ("Praia a Mare", "1.4.5", "X00X00000000001", Decimal("23147"), "X00X00000000002")
    ]
    assert len(run(graph_store, "pnrr-renounced-projects", union="ull")) == 0


# ------------------------------------------------------------------------------- the national graph

national = pytest.mark.slow


@national
def test_the_projects_of_the_miracoli_comuni(national_store):
    r = run(national_store, "pnrr-union-projects")
    got = rows(r, "measureCode", "istatCode", "cup", "amount", "status", "statusDate")
    assert got == [(m, i, c, Decimal(a), s, d) for m, i, c, a, s, d in MIRACOLI_PROJECTS]
    assert {u for (u,) in rows(r, "unionIri")} == {UDM}


@national
@pytest.mark.parametrize("key", ["ull", "ULL", "Unione Lucana del Lagonegrese"])
def test_the_projects_of_one_measure_in_the_lagonegrese(national_store, key):
    r = run(national_store, "pnrr-union-projects", union=key, measure="1.4.4")
    assert rows(r, "istatCode", "cup", "amount", "status") == [(i, c, Decimal(a), s) for i, c, a, s in LAGONEGRESE_144]


@national
@pytest.mark.parametrize(
    ("union", "measure", "expected"),
    [
        ("udm_069", "1.3.1", [("Scerni", "")]),
        ("udm_069", "1.4.4", []),  # three renounced, each applied again
        ("ull", "1.4.4", [("Castelluccio Inferiore", "")]),
        ("ull", "1.4.5", [("Nemoli", "")]),
        # Spriana renounced J81F22005750006 and has no other; Torre di Santa Maria applied again
        ("udcs_014", "1.4.5", [("Spriana", "J81F22005750006")]),
    ],
)
def test_the_comuni_without_a_measure(national_store, union, measure, expected):
    r = run(national_store, "pnrr-comuni-without-measure", union=union, measure=measure)
    assert rows(r, "comuneName", "renouncedCups") == expected
    assert {flag for (flag,) in rows(r, "inSources")} <= {"true"}


@national
def test_a_measure_with_no_project_in_the_graph_is_said_so(national_store):
    # no 1.2 file among the sources: every comune is listed, with inSources false, not as a gap
    r = run(national_store, "pnrr-comuni-without-measure", measure="1.2")
    assert rows(r, "istatCode", "inSources") == [(i, "false") for i in ("069015", "069068", "069087", "069100")]
    # 1.1's file was read and lists no comune: every comune is without it, and that is a finding
    r = run(national_store, "pnrr-comuni-without-measure", measure="1.1")
    assert rows(r, "istatCode", "inSources") == [(i, "true") for i in ("069015", "069068", "069087", "069100")]


@national
def test_the_coverage_of_the_seed_unions(national_store):
    columns = ("measureCode", "members", "comuniWith", "comuniWithout")
    # 1.1: its file was read, no comune applied (it lists only ASL and other bodies): a real zero
    assert rows(run(national_store, "pnrr-union-coverage"), *columns) == [
        ("1.1", 4, 0, 4),
        ("1.3.1", 4, 3, 1),
        ("1.4.1", 4, 4, 0),
        ("1.4.4", 4, 4, 0),
        ("1.4.5", 4, 4, 0),
    ]
    assert rows(run(national_store, "pnrr-union-coverage", union="ull"), *columns) == [
        ("1.1", 9, 0, 9),
        ("1.3.1", 9, 9, 0),
        ("1.4.1", 9, 9, 0),
        ("1.4.4", 9, 8, 1),
        ("1.4.5", 9, 8, 1),
    ]


@national
def test_the_unions_of_basilicata_by_euro_per_inhabitant(national_store):
    # ISTAT 2022: Val Camastra Basento 7,658, Alto Bradano 17,080, Lagonegrese 34,907; the Medio
    # Agri's members are not known: no projects, no population, last
    r = run(national_store, "pnrr-unions-per-capita", region="Basilicata")
    columns = ("ipaCode", "projects", "assigned", "disbursed", "population", "euroPerInhabitant")
    assert rows(r, *columns) == [
        ("udcvcb", 32, *D("797261.20", "512985.60", "7658", "104.11")),
        ("udcab_0", 29, *D("879626.02", "748763.34", "17080", "51.50")),
        ("ull", 39, *D("1289245.48", "624977.20", "34907", "36.93")),
        ("udcmea", 0, *D("0", "0"), None, None),
    ]
    # the ranks the published figures give them (lui:pnrr-rank-region): the same order
    assert [rank for (rank,) in rows(r, "rankInRegion")] == [1, 2, 3, None]


@national
def test_the_miracoli_per_inhabitant(national_store):
    # 25 projects less the 3 renounced; 637,533.20 / 11,804 = 54.0099
    r = run(national_store, "pnrr-unions-per-capita", region="13")
    miracoli = [
        row for row in rows(r, "union", "projects", "assigned", "disbursed", "euroPerInhabitant") if row[0] == UDM
    ]
    assert miracoli == [(UDM, 22, *D("637533.20", "432853.20", "54.01"))]


@national
def test_assigned_and_disbursed_by_measure(national_store):
    columns = ("measureCode", "assignedProjects", "assigned", "onlyAssigned", "disbursed", "renouncedProjects")
    assert rows(run(national_store, "pnrr-funding-by-measure", union=MIRACOLI), *columns) == [
        ("1.3.1", 6, *D("53667.2", "0", "53667.2"), 0),
        ("1.4.1", 4, *D("395000", "159844", "235156"), 0),
        ("1.4.4", 8, *D("86836", "44836", "42000"), 3),  # the union's own J91F22001760006 included
        ("1.4.5", 4, *D("102030", "0", "102030"), 0),
    ]
    assert rows(run(national_store, "pnrr-funding-by-measure"), *columns) == [
        ("1.3.1", 685 + 3467, *D("42245582.43", "5042040.53", "37203541.90"), 104),
        ("1.4.1", 2005 + 421, *D("235840794", "199601456", "36239338"), 2),
        ("1.4.4", 2580 + 1330, *D("41205108.80", "22585108.80", "18620000"), 401),
        ("1.4.5", 45 + 2559, *D("67755496", "1107709", "66647787"), 291),
    ]


@national
def test_the_renounced_projects_of_the_miracoli(national_store):
    r = run(national_store, "pnrr-renounced-projects", union="udm_069")
    assert rows(r, "bodyName", "measureCode", "cup", "amount", "statusDate", "otherProjects") == [
        ("Casalbordino", "1.4.4", "C91F22000020006", Decimal(14000), "2022-10-20", "C51F24000610006 C91F22004520006"),
        ("Scerni", "1.4.4", "C97H22001440005", Decimal(14000), "2022-11-03", "C91F23000100006"),
        ("Villalfonsina", "1.4.4", "E41F22000940006", Decimal(14000), "2022-11-17", "E41F22004480006 E51F24001590006"),
    ]


@national
def test_the_unions_own_projects(national_store):
    r = run(national_store, "pnrr-union-own-projects")
    own = rows(r, "ipaCode", "measureCode", "cup", "amount", "status", "statusDate")
    assert len(own) == 111
    # each union only with the projects it applied for: the Miracoli's one, not its comuni's
    assert [row for row in own if row[0] == "udm_069"] == [
        ("udm_069", "1.4.4", "J91F22001760006", Decimal(14000), "E", "2026-06-15")
    ]
    assert [row for row in own if row[0] == "udcs_014"] == [
        ("udcs_014", "1.4.4", "J41F22004590006", Decimal(14000), "E", "2025-12-16")
    ]
    assert not [row for row in own if row[0] == "ull"]
