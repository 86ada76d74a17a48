"""Every bundled query on the national graph, with its expected answer computed independently.

A query that makes an optional fact mandatory (an IPA code, a website, a surface, members) hides
the unions that lack it: on the national graph ``union-list`` answered 444 of the 557 unions of the
Ministry register, because it required an IPA code. Each expected count below is computed here
from the registry files (the Ministry register read with the csv module, not with lod-unioni's
reader) or from the records (the bundled YAML files read with PyYAML; the national records the
build published), never from the query's answer.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from lod_unioni.national import build_national_records
from lod_unioni.query import list_queries, load_query, run_query
from lod_unioni.records import load_records
from lod_unioni.resources import resource_dir

pytestmark = pytest.mark.slow


def _register(shared_data: Path) -> list[dict]:
    """The unions of the Ministry register: code, region, name, members (the rows that follow)."""
    path = shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv"
    unions: list[dict] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            if row["NR."] == "0":
                unions.append(
                    {
                        "code": row["CODICE UNIONE"],
                        "region": row["REGIONE"],
                        "name": row["DESCRIZIONE UNIONE DI COMUNI"],
                        "members": [],
                    }
                )
            else:
                unions[-1]["members"].append(row["COMUNI APPARTENENTI ALL'UNIONE"])
    return unions


_UNION_WORDS = {"unione", "unioni", "union"}
_ASSOCIATION_WORDS = {"anci", "uncem", "associazione", "consorzio", "delegazione", "nazionale"}


def _ipa_unions(shared_data: Path) -> set[str]:
    """The IPA codes (lower case) of IPA's unions: L18 bodies of legal status 2450, or of no legal
    status and named a union (not an association), read with the csv module."""
    out = set()
    with open(shared_data / "ipa" / "enti-2024-07-31.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            words = set(re.sub(r"[^a-z0-9]+", " ", row["Denominazione_ente"].lower()).split())
            natura = row["Codice_natura"].strip()
            if row["Codice_Categoria"] == "L18" and (
                natura == "2450" or (not natura and words & _UNION_WORDS and not words & _ASSOCIATION_WORDS)
            ):
                out.add(row["Codice_IPA"].lower())
    return out


def _ipa_region(shared_data: Path, code: str) -> str:
    """The region of an IPA body's seat, in the ISTAT list (both read with the csv module)."""
    with open(shared_data / "ipa" / "enti-2024-07-31.csv", encoding="utf-8", newline="") as fh:
        seat = next(r["Codice_comune_ISTAT"] for r in csv.DictReader(fh) if r["Codice_IPA"].lower() == code)
    with open(shared_data / "istat" / "Elenco-comuni-italiani.csv", encoding="latin-1", newline="") as fh:
        rows = csv.reader(fh, delimiter=";")
        header = [h.strip() for h in next(rows)]
        code_col, region_col = header.index("Codice Comune formato alfanumerico"), header.index("Denominazione Regione")
        return next(r[region_col] for r in rows if r[code_col] == seat)


def _bundled() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(resource_dir("records").glob("*.yaml"))]


@pytest.fixture(scope="module")
def national(registries, national_store):
    """The national build as published (the N-Triples dump in a store) and its records (the same
    records again: the build is deterministic, tested in test_national)."""
    result = build_national_records(registries, load_records(resource_dir("records")), check_records=False)
    return result, national_store


def _services(bundled: list[dict], status: str | None = None) -> list[tuple[str, str]]:
    return [
        (rec["union"]["ipa_code"], s["concept"])
        for rec in bundled
        for s in rec.get("services") or []
        if status is None or s["status"] == status
    ]


def _members(records, union_pred, member_pred) -> int:
    return sum(1 for r in records for m in r.data["members"] if union_pred(r.data) and member_pred(r.data["union"], m))


#: The rows of the PNRR queries with their default parameters, counted by hand in the CSV files of
#: ../shared/data/padigitale2026 (tests/test_pnrr_queries.py says how).
PNRR_DEFAULT_ROWS = {
    "pnrr-union-projects": 24,  # the Miracoli's comuni: 7 + 6 + 4 + 7 CUPs
    "pnrr-comuni-without-measure": 1,  # Scerni has no 1.3.1
    "pnrr-union-coverage": 5,  # the measures whose file was read: 1.1, 1.3.1, 1.4.1, 1.4.4, 1.4.5
    "pnrr-funding-by-measure": 4,  # the same four measures in the whole graph (1.1 has no comune or union)
    "pnrr-renounced-projects": 798,
    "pnrr-union-own-projects": 111,
}


def _expected(shared_data: Path, records) -> dict[str, int]:
    """The number of rows each bundled query must give with its default parameters."""
    register = _register(shared_data)
    bundled = _bundled()
    miracoli = [u for u in register if u["name"] == "UNIONE DEI MIRACOLI"]
    in_register = Counter((u["region"], name) for u in register for name in u["members"])
    # the IPA codes of the register's unions (and of the bundled records), as the build linked them
    linked = {r.ipa_code for r in records if r.ipa_code and r.data["union"].get("members_known", True)}
    expected = {
        # every union: those of the register (a bundled record replaces its register union)
        # every union: the register's and IPA's unions that no register union (nor bundled record) is
        "union-list": len(register) + len(_ipa_unions(shared_data) - linked),
        "unions-by-status": sum(1 for r in records if r.data["union"].get("status") == "not-in-ipa"),  # default
        "unions-by-region": sum(1 for u in register if u["region"] == "ABRUZZO")
        + sum(1 for code in _ipa_unions(shared_data) - linked if _ipa_region(shared_data, code) == "Abruzzo"),
        "union-members": len(miracoli[0]["members"]),
        "union-links": 1 + len(miracoli[0]["members"]),  # the union, then its members
        # services, surfaces, densities and the ITALIAE interventions come only from the cards
        "unions-by-service": sum(1 for _, c in _services(bundled) if c == "centrale-unica-committenza"),
        "service-counts": len({c for _, c in _services(bundled)}),
        "planned-services": len(_services(bundled, "planned")),
        "density-ranking": sum(1 for rec in bundled if "density" in rec or "surface_km2" in rec),
        "italiae-interventions": sum(1 for rec in bundled if rec.get("italiae")),
        "comuni-in-several-unions": sum(n for n in in_register.values() if n > 1),
        # the checks, from the records: the same facts the graph was made from
        "check-density": 0,  # no record states a density that differs from population / surface
        "check-population-total": sum(
            1
            for r in records
            if r.data.get("population")
            and all(m.get("population") for m in r.data["members"])
            and r.data["population"]["value"] != sum(m["population"]["value"] for m in r.data["members"])
        ),
        "check-number-of-comuni": sum(
            1 for r in records if r.data.get("number_of_comuni") not in (None, len(r.data["members"]))
        ),
        "check-members-outside-region": _members(
            records, lambda d: True, lambda u, m: m.get("region_code") != u["region"]["code"]
        ),
        "check-members-outside-province": _members(
            records,
            lambda d: True,
            lambda u, m: (
                m.get("region_code") == u["region"]["code"] and m.get("province_code") != u["province"]["code"]
            ),
        ),
    }
    # the PNRR queries: every union of the region, and the rows read by hand (test_pnrr_queries.py)
    return expected | PNRR_DEFAULT_ROWS | {"pnrr-unions-per-capita": expected["unions-by-region"]}


def test_every_local_bundled_query_has_an_expected_answer(shared_data, national):
    result, _ = national
    local = {i.name for i in list_queries() if not i.requires_remote}
    assert set(_expected(shared_data, result.records)) == local


@pytest.mark.parametrize("name", sorted(i.name for i in list_queries() if not i.requires_remote))
def test_a_bundled_query_sees_every_union_of_the_national_graph(shared_data, national, name):
    result, store = national
    expected = _expected(shared_data, result.records)[name]
    assert len(run_query(load_query(name), store=store)) == expected, name


def test_union_list_lists_unions_ipa_does_not_know(national):
    _, store = national
    answered = run_query(load_query("union-list"), store=store)
    without_code = [row for row in answered.dicts() if row.get("ipaCode") is None]
    assert without_code, "the register's unions IPA does not know are listed too"
    noncello = "https://w3id.org/lod-unioni/data/union/dait-2060936090"
    assert noncello in {row["union"].value for row in without_code}


def test_a_union_ipa_does_not_know_is_found_by_its_register_code(shared_data, national):
    _, store = national
    [noncello] = [u for u in _register(shared_data) if u["code"] == "2060936090"]
    members = run_query(load_query("union-members"), store=store, params={"union": "2060936090"})
    assert len(members) == len(noncello["members"]) == 5
    assert len(run_query(load_query("union-links"), store=store, params={"union": "2060936090"})) == 6


def test_union_links_shows_a_probable_ipa_link_as_probable(national):
    _, store = national
    ipaorg = "https://w3id.org/italia/data/public-organization/"
    # 437MRY30 has the name of the register union but its seat (082003) is no member: exact-name+seat-province,
    # confidence 0.85, a probable identity that the dump links with lu:probableSameAs
    probable = run_query(load_query("union-links"), store=store, params={"union": "437mry30"}).dicts()
    assert probable[0]["kind"].value == "union"
    assert probable[0]["ipaOrganization"].value == ipaorg + "437MRY30"
    assert probable[0]["ipaLink"].value == "https://w3id.org/lod-unioni/onto/probableSameAs"
    certain = run_query(load_query("union-links"), store=store, params={"union": "udm_069"}).dicts()
    assert certain[0]["ipaLink"].value == "http://www.w3.org/2002/07/owl#sameAs"
    assert {row["ipaLink"].value for row in certain[1:]} == {"http://www.w3.org/2002/07/owl#sameAs"}
