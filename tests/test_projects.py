"""The PNRR projects of PA digitale 2026 joined to the records (lod_unioni.national.projects): one
project per CUP with its history, the IPA join ignoring case, every row that cannot be joined listed.
Expected values are read by hand from the CSV rows of ../shared/data/padigitale2026."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import REPO

from lod_unioni.national.projects import attach_projects, call_key, project_index
from lod_unioni.records import load_record
from lod_unioni.sources.padigitale import read_padigitale


@pytest.fixture(scope="module")
def pad(shared_data):
    return read_padigitale(shared_data)


@pytest.fixture(scope="module")
def index(registries, pad):
    return project_index(registries, pad)


@pytest.fixture(scope="module")
def miracoli(index):
    data = dict(load_record(REPO / "records" / "udm_069.yaml").data)
    data["provenance"] = dict(data["provenance"], sources=list(data["provenance"].get("sources", [])))
    attach_projects(data, index)
    return data


def _picture(data, body):
    return {
        (p["measure"], p["cup"], p["amount"], p["status"])
        for p in data["projects"]
        if p.get("comune", "union") == body and p["measure"] in ("1.4.1", "1.4.4", "1.4.5")
    }


def test_the_miracoli_union_has_one_project_from_two_files_with_its_history(miracoli):
    # candidature_finanziate_144.csv: udm_069 J91F22001760006, 14000.0, A on 2022-12-12;
    # candidature_altrienti_finanziate.csv: the same CUP and call, E on 2026-06-15
    own = [p for p in miracoli["projects"] if "comune" not in p]
    assert [(p["cup"], p["measure"], p["amount"], p["status"], p["status_date"]) for p in own] == [
        ("J91F22001760006", "1.4.4", Decimal("14000.00"), "E", "2026-06-15")
    ]
    (app,) = own[0]["applications"]
    assert app["states"] == [{"status": "A", "date": "2022-12-12"}, {"status": "E", "date": "2026-06-15"}]
    assert (app["window"], app["protocol"], app["decree"]) == (2, 49, "Decreto n.49 - 2 / 2022 - PNRR")
    assert app["sources"] == ["padigitale-altrienti-finanziate", "padigitale-finanziate-144"]


@pytest.mark.parametrize(
    ("istat", "expected"),
    [
        (  # Casalbordino, c_b865
            "069015",
            {
                ("1.4.1", "C91F22000570006", Decimal("155234.00"), "E"),
                ("1.4.4", "C91F22000020006", Decimal("14000.00"), "R"),
                ("1.4.4", "C91F22004520006", Decimal("14000.00"), "E"),
                ("1.4.4", "C51F24000610006", Decimal("8979.20"), "A"),
                ("1.4.5", "C91F22003090006", Decimal("32589.00"), "E"),
            },
        ),
        (  # Pollutri, c_g799
            "069068",
            {
                ("1.4.1", "H81F22000310006", Decimal("79922.00"), "E"),
                ("1.4.4", "H81F22000990006", Decimal("14000.00"), "E"),
                ("1.4.4", "H51F24002210006", Decimal("3928.40"), "A"),
                ("1.4.5", "H81F22003390006", Decimal("23147.00"), "E"),
            },
        ),
        (  # Scerni, c_i520 (the school of Scerni, istsc_chta02000x, is out of scope)
            "069087",
            {
                ("1.4.1", "C91F22004050006", Decimal("79922.00"), "A"),
                ("1.4.4", "C97H22001440005", Decimal("14000.00"), "R"),
                ("1.4.4", "C91F23000100006", Decimal("14000.00"), "A"),
                ("1.4.5", "C91F22003520006", Decimal("23147.00"), "E"),
            },
        ),
        (  # Villalfonsina, c_l961
            "069100",
            {
                ("1.4.1", "E41F22000330006", Decimal("79922.00"), "A"),
                ("1.4.4", "E41F22000940006", Decimal("14000.00"), "R"),
                ("1.4.4", "E41F22004480006", Decimal("14000.00"), "A"),
                ("1.4.4", "E51F24001590006", Decimal("3928.40"), "A"),
                ("1.4.5", "E41F22003250006", Decimal("23147.00"), "E"),
            },
        ),
    ],
)
def test_each_miracoli_comune_has_its_applications(miracoli, istat, expected):
    assert _picture(miracoli, istat) == expected


def test_scerni_has_no_pdnd_application(miracoli):
    measures = {p["measure"] for p in miracoli["projects"] if p.get("comune") == "069087"}
    assert "1.3.1" not in measures and {"1.4.1", "1.4.4", "1.4.5"} <= measures


def test_one_project_per_cup_however_many_rows(pad, index):
    # uc_basre F81F22001780006: four rows (two files x two calls: R in May 2022, E in September 2022)
    rows = [c for c in pad if c.cup == "F81F22001780006"]
    assert len(rows) == 4
    (project,) = [p for p in index.by_ipa["uc_basre"] if p["cup"] == "F81F22001780006"]
    assert len(project["applications"]) == 2  # one per call, each from both files
    assert (project["status"], project["status_date"], project["amount"]) == ("E", "2024-12-05", Decimal("14000.00"))
    assert project["call"] == call_key("1.4.4 Adozione SPID CIE-Amm.ni diverse da Comuni e Scuole - Settembre 2022")
    every = [p["cup"] for ps in index.by_ipa.values() for p in ps]
    assert len(every) == len({(p["cup"], ipa) for ipa, ps in index.by_ipa.items() for p in ps})


def test_the_ipa_code_joins_ignoring_case(index):
    # candidature_finanziate_141.csv writes C_C078 (Comune di Castel D'Azzano, 023021): IPA's c_c078
    assert "E51F22000210006" in {p["cup"] for p in index.by_ipa["c_c078"]}
    data = {"union": {"ipa_code": "x"}, "members": [{"istat_code": "999999", "ipa_code": "C_C078"}]}
    attach_projects(data, index)
    assert "E51F22000210006" in {p["cup"] for p in data["projects"]}


def test_rows_that_cannot_be_joined_are_listed(index):
    # c_f709 (Moransengo, merged into Moransengo-Tonengo in 2023) writes cod_comune N/D in
    # candidature_finanziate_131.csv (CUP B51F22004330006): no IPA body, no ISTAT code to go by
    unjoined = {(u.row.ipa_code, u.row.cup, u.reason) for u in index.unjoined}
    assert ("c_f709", "B51F22004330006", "comune-unknown") in unjoined
    assert "B51F22004330006" not in {p["cup"] for ps in index.by_ipa.values() for p in ps}
