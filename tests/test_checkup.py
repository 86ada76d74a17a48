"""``lod-unioni checkup``: the PNRR picture of the seed unions and of a union of the national graph,
checked against the rows of ../shared/data/padigitale2026/candidature_*.csv read by hand.

The rows were read with a CSV reader, one body at a time (the members' codice_ipa of records/*.yaml,
and their cod_comune for rows of comuni): file (candidature_finanziate_NNN / _altrienti_), codice_cup,
importo_finanziamento, stato_candidatura. A CUP with two rows is one project whose status is that of
its latest row (Maratea I21F22001720006: R on 2023-01-05 in the April 2022 call, E on 2024-06-26 in
the September 2022 call; the Miracoli's J91F22001760006: A in the 1.4.4 file, E in the other bodies'
file). Populations: ISTAT 2022 (popolazione-residente-2022-01-01.csv). The bundled dumps do not carry
projects yet, so the seed unions are built here with them (national.projects.with_projects).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from decimal import Decimal

import html5lib
import pytest
from conftest import RECORDS

from lod_unioni import cli, progress
from lod_unioni.build import build_records
from lod_unioni.checkup import Checkups, read_dumps, render, render_html
from lod_unioni.errors import LodError
from lod_unioni.national.projects import with_projects
from lod_unioni.pnrr.indicators import union_figures
from lod_unioni.pnrr.inputs import sources_of_records, union_of_record
from lod_unioni.records import load_records

D = Decimal
# one worker runs them all: the seed dumps are built, and the national dump loaded, once
pytestmark = pytest.mark.xdist_group("checkup")

# (measure, CUP, amount, status) of each project, by member's ISTAT code; read by hand (see above)
MIRACOLI = {
    "069015": {  # Casalbordino, c_b865
        ("1.3.1", "C51F22004990006", D("20344.00"), "E"),
        ("1.3.1", "C51J25000370006", D("4326.40"), "E"),
        ("1.4.1", "C91F22000570006", D("155234.00"), "E"),
        ("1.4.4", "C91F22000020006", D("14000.00"), "R"),
        ("1.4.4", "C91F22004520006", D("14000.00"), "E"),
        ("1.4.4", "C51F24000610006", D("8979.20"), "A"),
        ("1.4.5", "C91F22003090006", D("32589.00"), "E"),
    },
    "069068": {  # Pollutri, c_g799
        ("1.3.1", "H51F22005150006", D("10172.00"), "E"),
        ("1.3.1", "H51J25000730006", D("4326.40"), "E"),
        ("1.4.1", "H81F22000310006", D("79922.00"), "E"),
        ("1.4.4", "H81F22000990006", D("14000.00"), "E"),
        ("1.4.4", "H51F24002210006", D("3928.40"), "A"),
        ("1.4.5", "H81F22003390006", D("23147.00"), "E"),
    },
    "069087": {  # Scerni, c_i520: no 1.3.1 row (its school istsc_chta02000x is out of scope)
        ("1.4.1", "C91F22004050006", D("79922.00"), "A"),
        ("1.4.4", "C97H22001440005", D("14000.00"), "R"),
        ("1.4.4", "C91F23000100006", D("14000.00"), "A"),
        ("1.4.5", "C91F22003520006", D("23147.00"), "E"),
    },
    "069100": {  # Villalfonsina, c_l961
        ("1.3.1", "E51F22005700006", D("10172.00"), "E"),
        ("1.3.1", "E91J25000800006", D("4326.40"), "E"),
        ("1.4.1", "E41F22000330006", D("79922.00"), "A"),
        ("1.4.4", "E41F22000940006", D("14000.00"), "R"),
        ("1.4.4", "E41F22004480006", D("14000.00"), "A"),
        ("1.4.4", "E51F24001590006", D("3928.40"), "A"),
        ("1.4.5", "E41F22003250006", D("23147.00"), "E"),
    },
}
MIRACOLI_OWN = {("1.4.4", "J91F22001760006", D("14000.00"), "E")}  # udm_069, 144 (A) + altrienti (E)

LAGONEGRESE = {
    "076022": {  # Castelluccio Inferiore, c_c199: no 1.4.4 row
        ("1.3.1", "C31J25000340006", D("4326.40"), "E"),
        ("1.4.1", "C71F22000970006", D("79922.00"), "A"),
        ("1.4.5", "C71F22003480006", D("23147.00"), "E"),
    },
    "076023": {  # Castelluccio Superiore, c_c201
        ("1.3.1", "D51F22011800006", D("10172.00"), "E"),
        ("1.3.1", "D51J25001850006", D("4326.40"), "E"),
        ("1.4.1", "D81F22000730006", D("79922.00"), "A"),
        ("1.4.4", "D81F23000320006", D("14000.00"), "A"),
        ("1.4.5", "D81F22005100006", D("23147.00"), "E"),
    },
    "076039": {  # Lagonegro, c_e409
        ("1.3.1", "G21J25000340006", D("4326.40"), "A"),
        ("1.4.1", "G61F22000490006", D("155234.00"), "E"),
        ("1.4.4", "G61F22000130006", D("14000.00"), "A"),
        ("1.4.5", "G61F22003320006", D("32589.00"), "E"),
    },
    "076040": {  # Latronico, c_e474
        ("1.3.1", "G51J25000690006", D("4326.40"), "E"),
        ("1.4.1", "G71F22000380006", D("79922.00"), "A"),
        ("1.4.4", "G71F22000830006", D("14000.00"), "A"),
        ("1.4.5", "G71F22003480006", D("23147.00"), "E"),
    },
    "076042": {  # Lauria, c_e483
        ("1.3.1", "G51J25000550006", D("18990.54"), "A"),
        ("1.4.1", "G97H22001370005", D("155234.00"), "A"),
        ("1.4.4", "G91F23000360006", D("14000.00"), "E"),
        ("1.4.5", "G91F22003810006", D("32589.00"), "E"),
    },
    "076044": {  # Maratea, c_e919
        ("1.3.1", "I51F22008990006", D("10172.00"), "E"),
        ("1.3.1", "I51J25000640006", D("9506.14"), "A"),
        ("1.4.1", "I21F22003850006", D("79922.00"), "E"),
        ("1.4.4", "I21F22001720006", D("14000.00"), "E"),  # two rows: R then E
        ("1.4.4", "I21F24000300006", D("6173.20"), "A"),
        ("1.4.5", "I21F22003350006", D("23147.00"), "E"),
    },
    "076054": {  # Nemoli, c_f866: no 1.4.5 row
        ("1.3.1", "I51F22008830006", D("10172.00"), "E"),
        ("1.4.1", "I31F22000890006", D("79922.00"), "E"),
        ("1.4.4", "I51F24001610006", D("3928.40"), "A"),
    },
    "076068": {  # Rivello, c_h348
        ("1.3.1", "J51F22008540006", D("10172.00"), "E"),
        ("1.4.1", "J81F22000440006", D("79922.00"), "A"),
        ("1.4.4", "J81F22001060006", D("14000.00"), "E"),
        ("1.4.4", "J51F24000740006", D("6173.20"), "A"),
        ("1.4.5", "J81F22003840006", D("23147.00"), "E"),
    },
    "076092": {  # Trecchina, c_l357
        ("1.3.1", "H51F22011060006", D("10172.00"), "E"),
        ("1.3.1", "H11J25001390006", D("4326.40"), "A"),
        ("1.4.1", "H51F22003700006", D("79922.00"), "A"),
        ("1.4.4", "H51F22002600006", D("14000.00"), "A"),
        ("1.4.5", "H51F22003940006", D("23147.00"), "E"),
    },
}


@pytest.fixture(scope="module")
def seed_records(registries):
    """The bundled records with their projects."""
    records, _ = with_projects(registries, load_records(RECORDS))
    return records


@pytest.fixture(scope="module")
def seed_dumps(seed_records, tmp_path_factory):
    """The bundled records with their projects, built into a folder of dumps."""
    out = tmp_path_factory.mktemp("checkup-seed")
    with progress.reporting(quiet=True):
        build_records(seed_records, out)
    return out


@pytest.fixture(scope="module")
def seed(seed_dumps):
    with progress.reporting(quiet=True):
        return Checkups(read_dumps(seed_dumps))


def _checkup_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["checkup", *argv])
    return code, out.getvalue(), err.getvalue()


def _json(seed_dumps, union):
    code, out, _ = _checkup_cli(union, "--dumps", str(seed_dumps), "--format", "json")
    assert code == 0
    return json.loads(out, parse_float=Decimal)


def _projects(items):
    return {(p["measure"], p["cup"], D(p["amount"]), p["status"]) for p in items}


@pytest.mark.parametrize(
    ("union", "members", "own"), [("udm_069", MIRACOLI, MIRACOLI_OWN), ("ull", LAGONEGRESE, set())]
)
def test_the_checkup_json_lists_each_members_projects_as_the_csv_rows_say(seed_dumps, union, members, own):
    model = _json(seed_dumps, union)
    assert {c["istat_code"]: _projects(c["projects"]) for c in model["comuni"]} == members
    assert _projects(model["union_projects"]) == own


def test_the_miracoli_picture(seed_dumps):
    model = _json(seed_dumps, "udm_069")
    status = {(c["istat_code"], m): cell["status"] for c in model["comuni"] for m, cell in c["measures"].items()}
    for istat in MIRACOLI:  # every comune has 1.4.1, 1.4.4 and 1.4.5
        assert all(status[(istat, m)] in ("A", "E") for m in ("1.4.1", "1.4.4", "1.4.5"))
    assert status[("069087", "1.3.1")] == "none"  # Scerni: the 1.3.1 file was read, no row
    # Casalbordino 1.4.4: R, E and A -> E; assigned 14000 + 8979.20, disbursed 14000, renounced 14000
    [casalbordino] = [c for c in model["comuni"] if c["istat_code"] == "069015"]
    assert casalbordino["measures"]["1.4.4"] == {
        "status": "E",
        "assigned": D("22979.2"),
        "disbursed": 14000,
        "renounced": 14000,
        "cups": ["C51F24000610006", "C91F22000020006", "C91F22004520006"],
    }
    # 1.2 and 1.4.3: their files are not in ../shared/data: not in the sources, never "none"
    assert {status[(i, m)] for i in MIRACOLI for m in ("1.2", "1.4.3")} == {"not-in-sources"}
    assert model["union_measures"]["1.4.4"]["status"] == "E"
    coverage = {c["measure"]: c for c in model["coverage"]}
    assert coverage["1.3.1"]["missing"] == ["069087"] and len(coverage["1.3.1"]["covered"]) == 3
    # 1.1: its file was read and lists no comune, but no call of it is for comuni: not a gap
    assert (coverage["1.1"]["covered"], coverage["1.1"]["for_comuni"], coverage["1.3.1"]["for_comuni"]) == (
        [],
        False,
        True,
    )
    [gap] = model["gaps"]
    assert gap["measure"] == "1.3.1" and gap["comuni"] == ["069087"]
    # the calls for comuni of 1.3.1 (avvisi.csv): October 2022 and May 2025, with their dates
    assert [(k["title"], k["start"], k["end"]) for k in gap["calls"]] == [
        ("1.3.1 Piattaforma Digitale Nazionale Dati - Comuni Ottobre 2022", "2022-10-20", "2023-05-19"),
        ("1.3.1 Piattaforma Digitale Nazionale Dati - ANNCSU - Comuni - maggio 2025", "2025-05-30", "2025-09-30"),
    ]


def test_the_miracoli_totals_count_each_cup_once_and_no_renounced_money(seed_dumps):
    t = _json(seed_dumps, "udm_069")["totals"]
    # assigned, by comune (no R): Casalbordino 20344 + 4326.40 + 155234 + 14000 + 8979.20 + 32589 = 235472.60,
    # Pollutri 10172 + 4326.40 + 79922 + 14000 + 3928.40 + 23147 = 135495.80, Scerni 79922 + 14000 + 23147
    # = 117069, Villalfonsina 135495.80 (as Pollutri), the union 14000: 637533.20
    assert (t["projects"], t["live"], D(t["assigned"]), t["renounced"]) == (25, 22, D("637533.20"), 42000)
    # disbursed: 226493.40 + 131567.40 + 23147 + 37645.40 + 14000
    assert D(t["disbursed"]) == D("432853.20")
    # ISTAT 2022: 5830 + 2057 + 3020 + 897 = 11804; 637533.20 / 11804 = 54.0099...
    assert (t["population"], D(t["per_capita"])) == (11804, D("54.01"))
    assert t["shared_cups"] == []


def test_the_lagonegrese_gaps_and_totals(seed_dumps):
    model = _json(seed_dumps, "ull")
    assert {g["measure"]: g["comuni"] for g in model["gaps"]} == {"1.4.4": ["076022"], "1.4.5": ["076054"]}
    t = model["totals"]
    # the sum of the hand-read amounts above, none renounced; ISTAT 2022 total 34907
    assert (t["projects"], D(t["assigned"]), t["renounced"], t["population"]) == (39, D("1289245.48"), 0, 34907)
    assert D(t["per_capita"]) == D("36.93")  # 1289245.48 / 34907 = 36.934...


def test_the_records_give_the_figures_the_dumps_give(seed, seed_records):
    """The build's inputs (pnrr.inputs, from a record) and the checkup's (from the dumps) agree."""
    assert len(seed_records) == 2
    sources = sources_of_records(r.data for r in seed_records)
    for record in seed_records:
        from_record = union_figures(union_of_record(record.data), sources, seed.notations)
        from_dumps = seed.figures[seed.find(record.data["union"]["ipa_code"]).iri]
        assert from_record.totals == from_dumps.totals
        # the cells alike (the call is named by its key in a record, by its IRI in the dumps)
        assert _cells(from_record) == _cells(from_dumps)


def _cells(figures):
    cells = [("union", c) for c in figures.own] + [(f.istat, c) for f in figures.comuni for c in f.cells]
    return [(who, c.measure, c.status, c.assigned, c.disbursed, [p.cup for p in c.projects]) for who, c in cells]


def test_text_markdown_and_csv_say_the_same_facts(seed, seed_dumps):
    c = seed.of("udm_069")
    text = render(c, "text", "en")
    assert "Scerni has no funded project for M1C1 1.3.1" in text
    scerni = next(line for line in text.splitlines() if line.startswith("Scerni (069087)"))
    # 1.1 read, no application (and no call for comuni, as the legend says); 1.2 unknown; no 1.3.1
    assert scerni.split()[2:7] == ["-", "?", "-", "A", "€79,922.00"]
    assert "1.1 M1C1 1.1 Digital infrastructure (no call for comuni)" in text
    assert "J91F22001760006" in text.split("The union's own projects")[1]
    italian = render(c, "text", "it")
    assert "Scerni non ha un progetto finanziato per M1C1 1.3.1" in italian and "637.533,20 €" in italian
    md = render(c, "md", "en")
    assert "| Scerni (069087) | - | ? | - | A €79,922.00 | ? | A €14,000.00 | E €23,147.00 |" in md
    rows = list(csv.DictReader(io.StringIO(render(c, "csv"))))
    assert len(rows) == 5 * 7  # four comuni and the union, seven measures
    by = {(r["istat_code"], r["measure"]): r for r in rows}
    assert by[("069087", "1.3.1")]["status"] == "none"
    assert (by[("069015", "1.4.4")]["status"], by[("069015", "1.4.4")]["amount_assigned"]) == ("E", "22979.20")
    union_row = by[("", "1.4.4")]
    assert (union_row["body"], union_row["status"], union_row["cups"]) == ("union", "E", "J91F22001760006")


def test_the_html_page_is_self_contained_and_shows_the_gap(seed):
    c = seed.of("Unione dei Miracoli")
    page = render(c, "html", "it")
    doc = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    assert doc.find("head/title").text == "Checkup digitale PNRR — Unione dei Miracoli"
    assert len(doc.findall(".//{http://www.w3.org/2000/svg}svg")) == 3  # coverage, amounts, comparison
    for tag in ("script", "link", "img", "iframe"):
        assert doc.findall(f".//{tag}") == []
    assert "url(" not in page and "@import" not in page
    scerni = next(tr for tr in doc.iter("tr") if (tr.find("th").text or "").startswith("Scerni"))
    cells = scerni.findall("td")
    assert (cells[2].text, cells[2].get("class")) == ("-", "st-none")  # 1.3.1
    parts = render_html(c, "en", level=2)  # for a page with its own h1
    assert parts.fragment.startswith('<section class="lu-checkup" lang="en">') and ".lu-checkup" in parts.css
    assert '<h2 class="title">' in parts.fragment and "<h1" not in parts.fragment
    assert parts.page == render(c, "html", "en")


def test_a_union_is_found_by_code_iri_or_name(seed):
    iri = "https://w3id.org/lod-unioni/data/union/ull"
    for text in ("ull", "ULL", iri, "Unione Lucana del Lagonegrese", "lagonegrese"):
        assert seed.find(text).iri == iri


def test_no_union_or_several_are_one_line_errors(seed_dumps):
    code, out, err = _checkup_cli("nessuna", "--dumps", str(seed_dumps))
    assert (code, out) == (2, "")
    assert err.strip().splitlines()[-1].startswith("lod-unioni: error: ") and "no union 'nessuna'" in err
    code, _, err = _checkup_cli("unione", "--dumps", str(seed_dumps))
    last = err.strip().splitlines()[-1]
    assert code == 2 and "2 unions match 'unione'" in last and "udm_069 (Unione dei Miracoli)" in last
    code, _, err = _checkup_cli("ull", "--dumps", str(seed_dumps / "missing"))
    assert code == 2 and "no such folder of dumps" in err and "Traceback" not in err


def test_the_checkup_writes_its_file(seed_dumps, tmp_path):
    target = tmp_path / "ull.html"
    code, out, _ = _checkup_cli(
        "ull", "--dumps", str(seed_dumps), "--format", "html", "--lang", "en", "--out", str(target)
    )
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(LodError, match="unknown format"):
        render(Checkups(read_dumps(seed_dumps)).of("ull"), "pdf")


def test_dumps_without_applications_are_refused_not_shown_as_zero(tmp_path):
    dump = tmp_path / "unioni.nt"
    dump.write_text(
        "<https://w3id.org/lod-unioni/data/union/u1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/lod-unioni/onto/UnioneDiComuni> .\n",
        encoding="utf-8",
    )
    code, out, err = _checkup_cli("u1", "--dumps", str(tmp_path))
    assert (code, out) == (2, "")
    assert "the dumps carry no PA digitale 2026 applications" in err.strip().splitlines()[-1]


def test_a_measure_is_in_the_sources_when_a_file_of_the_dump_says_it(tmp_path):
    """A source with dcterms:subject lupm:1.2 is the file of 1.2's applications, whatever its name:
    a comune without a 1.2 project has no application; 1.4.1, whose file is not there, is unknown."""
    b, lu = "https://w3id.org/lod-unioni/data/", "https://w3id.org/lod-unioni/onto/"
    rdf_type, l0 = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "https://w3id.org/italia/onto/l0/"
    lines = [
        f"<{b}union/u1> <{rdf_type}> <{lu}UnioneDiComuni> .",
        f'<{b}union/u1> <{l0}name> "Unione Prova"@it .',
        f"<{b}union/u1> <http://www.w3.org/ns/org#hasMember> <{b}comune/000001> .",
        f'<{b}comune/000001> <{lu}istatCode> "000001" .',
        f'<{b}comune/000001> <{l0}name> "Uno"@it .',
        f"<{b}source/cloud-file> <{rdf_type}> <http://www.w3.org/ns/prov#Entity> .",
        f"<{b}source/cloud-file> <http://purl.org/dc/terms/subject> <https://w3id.org/lod-unioni/vocab/pnrr-measures/1.2> .",
    ]
    (tmp_path / "unioni.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = _checkup_cli("prova", "--dumps", str(tmp_path), "--format", "json")
    model = json.loads(out)
    [comune] = model["comuni"]
    assert (code, comune["measures"]["1.2"]["status"], comune["measures"]["1.4.1"]["status"]) == (
        0,
        "none",
        "not-in-sources",
    )
    assert model["data"]["measures_in_sources"] == {"comuni": ["1.2"], "unions": ["1.2"]}


def test_the_formats_of_the_command_are_the_renderers():
    from lod_unioni.checkup import FORMATS
    from lod_unioni.commands import checkup as command

    assert command.FORMATS == FORMATS


# --- a union of the national graph: Unione dei Comuni del Sinello (udcs), Abruzzo -----------------------
# Register: UNIONE DEL SINELLO, CARPINETO SINELLO, CASALANGUIDA, GUILMI; IPA udcs (seat 069044).
SINELLO = {
    "069011": {  # Carpineto Sinello, c_b826; ISTAT 2022: 530
        ("1.3.1", "F51F22005620006", D("10172.00"), "E"),
        ("1.3.1", "F11J25000130006", D("4326.40"), "E"),
        ("1.4.1", "F51F22000310006", D("79922.00"), "E"),
        ("1.4.4", "F51F22000850006", D("14000.00"), "R"),
        ("1.4.4", "F51F22004360006", D("14000.00"), "E"),
        ("1.4.4", "F51F24000750006", D("3928.40"), "A"),
        ("1.4.5", "F51F22003320006", D("23147.00"), "E"),
    },
    "069014": {  # Casalanguida, c_b861; 837; no 1.4.1 row
        ("1.3.1", "E51F22009670006", D("10172.00"), "E"),
        ("1.3.1", "E51J25003100006", D("4326.40"), "A"),
        ("1.4.4", "E81F22002580006", D("14000.00"), "A"),
        ("1.4.4", "E51F24003410006", D("3928.40"), "A"),
        ("1.4.5", "E81F22003310006", D("23147.00"), "E"),
    },
    "069044": {  # Guilmi, c_e266; 404
        ("1.3.1", "G51F22004770006", D("10172.00"), "E"),
        ("1.3.1", "G51J25001040006", D("4326.40"), "E"),
        ("1.4.1", "G21F22000320006", D("79922.00"), "E"),
        ("1.4.4", "G21F22000160006", D("14000.00"), "R"),
        ("1.4.4", "G21F22004030006", D("14000.00"), "E"),
        ("1.4.4", "G51F24000620006", D("3928.40"), "A"),
        ("1.4.5", "G21F22002890006", D("23147.00"), "E"),
    },
}
SINELLO_OWN = {("1.4.4", "B21F22001450006", D("14000.00"), "E")}  # udcs: 144 A 2022-11-08, altrienti E 2025-08-13

# Every union's euro per inhabitant, computed in SPARQL on the dump (not by the checkup): the
# projects of the union and its members, each once, not renounced; the members' ISTAT 2022 figures.
_EURO = """PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX prj: <https://w3id.org/italia/onto/Project/>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?union (SUM(?amount) AS ?euro) WHERE {
  { SELECT DISTINCT ?union ?project WHERE {
      ?union a lu:UnioneDiComuni .
      { ?union prj:isInvolvedInProject ?project } UNION { ?union org:hasMember/prj:isInvolvedInProject ?project } } }
  ?project prj:projectTotalCost ?amount ; lu:applicationStatus ?status .
  FILTER (?status != <https://w3id.org/lod-unioni/vocab/pnrr-status/R>)
} GROUP BY ?union"""
_PEOPLE = """PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ind: <https://w3id.org/italia/onto/Indicator/>
PREFIX mu: <https://w3id.org/italia/onto/MU/>
PREFIX ti: <https://w3id.org/italia/onto/TI/>
SELECT ?union ?region (COUNT(?comune) AS ?members) (COUNT(?people) AS ?known) (SUM(?people) AS ?population) WHERE {
  ?union a lu:UnioneDiComuni . OPTIONAL { ?union lu:region ?region }
  OPTIONAL { ?union org:hasMember ?comune .
    OPTIONAL { ?comune ind:hasIndicatorCalculation ?c .
      ?c ind:forIndicator <https://w3id.org/lod-unioni/vocab/indicators/resident-population> ;
         ind:computedAtTime/ti:date "2022-01-01"^^<http://www.w3.org/2001/XMLSchema#date> ;
         ind:hasIndicatorValue/mu:value ?people .
      FILTER NOT EXISTS { ?c lu:statedBy ?someone } } }
} GROUP BY ?union ?region"""


@pytest.fixture(scope="session")
def national(national_build, national_store):
    """The checkups of the national build, on the session's store of its dump (read, never updated)."""
    assert national_build.code == 0, national_build.stderr[-2000:]
    with progress.reporting(quiet=True):
        return Checkups(read_dumps(national_build.out, store=national_store)), national_store


def test_a_union_of_the_national_graph(national):
    checkups, _ = national
    c = checkups.of("Unione Dei Comuni del Sinello")
    model = json.loads(render(c, "json"), parse_float=Decimal)
    assert {m["istat_code"]: _projects(m["projects"]) for m in model["comuni"]} == SINELLO
    assert _projects(model["union_projects"]) == SINELLO_OWN
    assert [(g["measure"], g["comuni"]) for g in model["gaps"]] == [("1.4.1", ["069014"])]  # Casalanguida
    t = model["totals"]
    # assigned: Carpineto 135495.80, Casalanguida 10172 + 4326.40 + 14000 + 3928.40 + 23147 = 55573.80,
    # Guilmi 135495.80, the union 14000; disbursed 131567.40 + 33319 + 131567.40 + 14000; renounced 2 x 14000
    assert (D(t["assigned"]), D(t["disbursed"]), t["renounced"]) == (D("340565.40"), D("310453.80"), 28000)
    assert (t["population"], D(t["per_capita"])) == (1771, D("192.30"))  # 530 + 837 + 404; 340565.40 / 1771


def test_a_union_whose_members_are_not_known(national):
    """A union of IPA the register does not know (lu:membersKnown false): its own projects only,
    no per-capita figure, not ranked."""
    checkups, _ = national
    union = next(u for u in checkups.dumps.unions.values() if not u.members_known)
    c = checkups.of(union)
    model = json.loads(render(c, "json"))
    assert model["comuni"] == [] and model["totals"]["population"] is None
    assert c.comparison.italy.rank is None and "members-unknown" in [f["key"] for f in model["findings"]]
    html5lib.HTMLParser(strict=True).parse(render(c, "html", "en"))


def _ranks(store):
    """Each union's (region, euro per inhabitant or None), from the two queries above."""
    euro = {r["union"].value: D(r["euro"].value) for r in store.query(_EURO)}
    out = {}
    for r in store.query(_PEOPLE):
        members, known = int(r["members"].value), int(r["known"].value)
        pop = int(r["population"].value) if members and members == known else None
        value = (euro.get(r["union"].value, D(0)) / pop).quantize(D("0.01")) if pop else None
        out[r["union"].value] = (r["region"].value if r["region"] else None, value)
    return out


def test_the_national_comparison_agrees_with_an_independent_count(national):
    checkups, store = national
    c = checkups.of("udcs")
    figures = _ranks(store)
    region = [v for reg, v in figures.values() if reg and reg.endswith("/13")]
    italy = [v for _, v in figures.values()]
    mine = figures[c.union.iri][1]
    for standing, values in ((c.comparison.region, region), (c.comparison.italy, italy)):
        known = sorted(v for v in values if v is not None)
        assert standing.value == mine == D("192.30")
        assert standing.rank == 1 + sum(1 for v in known if v > mine)  # ties share the best rank
        assert (standing.ranked, standing.unranked) == (len(known), len(values) - len(known))
        middle = len(known) // 2
        median = known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
        assert standing.median == median.quantize(D("0.01"))
