"""Reconciliation API: the card records, the bundled records and crafted records against the real registries.

The card records are the two records as the importer makes them from the seed cards (the
``card_records`` fixture of conftest.py): every disagreement of the cards with the registries must
be found. The bundled records (records/) are the same after the data steward applied those
findings (each change listed in provenance.edits): they must now reconcile with info findings only.

Expected values were read by hand from the registry files in ../shared/data (grep):
IPA (ipa/enti-2024-07-31.csv) line 20332 ``udcmd,Unione Dei Comuni Dei Monti Dauni,071001,...,L18``,
line 20341 ``udm_069,Unione Dei Miracoli,069015,...,https://unionedeimiracoli.eu/``, line 8361
``ull,Unione Lucana del Lagonegrese,076042,...`` (no website), line 11266 ``udag,Unione Dei Comuni
Alto Verdura e Gebbia,084022`` (no website); ISTAT population 2022-01-01: Casalbordino 5830,
Pollutri 2057, Scerni 3020, Villalfonsina 897, Castelluccio Superiore 731 (the other Lagonegrese
members as on the card); Ministry register line 14 ``UNIONE DEI MIRACOLI;29-Dic-2011;4;...;12.985``
and line 92 ``UNIONE LUCANA DEL LAGONEGRESE;7-Mag-2015;9;...;38.601``.
"""

from __future__ import annotations

import copy
import hashlib
import os
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES_DIR, REPO

from lod_unioni.errors import LodError
from lod_unioni.reconcile import reconcile
from lod_unioni.records import load_record, load_records
from lod_unioni.registries import Registries, load_registries
from lod_unioni.sources.folder import resolve_sources
from lod_unioni.validation.findings import findings_as_validation_results

FIXTURES = FIXTURES_DIR / "reconcile"
AGREE = FIXTURES / "agree" / "udm_069.yaml"
RENAMED = FIXTURES / "renamed" / "udcdc_at.yaml"
UDM_069_APPLICATION = (
    "udm_069 Unione Dei Miracoli: J91F22001760006 "
    "(1.4.4 Adozione SPID CIE-Amministrazioni diverse da Comuni e Scuole - Maggio 2022)"
)


@pytest.fixture(scope="module")
def from_cards(registries, card_records):
    """The findings on the records as imported from the cards (no hand edits)."""
    return reconcile(load_records(card_records), registries)


@pytest.fixture(scope="module")
def bundled(registries):
    """The findings on the bundled records, after the hand edits."""
    return reconcile(load_records(REPO / "records"), registries)


def keyed(findings):
    return {(f.check, f.field): f for f in findings}


def summary(findings):
    return sorted(
        (f.check, f.field, f.severity, f.record_value, f.registry_value)
        for f in findings
        if not isinstance(f.registry_value, str)
        or f.check not in ("ipa-code-other-body", "website-other-union", "website-other-body")
    )


def variant(tmp_path: Path, base: Path, edit) -> list:
    """A copy of a record changed by ``edit(data)``, loaded like any record."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    edit(data)
    folder = tmp_path / "records"
    folder.mkdir(exist_ok=True)
    path = folder / f"{data['union']['ipa_code'].lower()}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [load_record(path)]


# --------------------------------------------------------------------------------------------
# The records as imported from the cards


def test_card_miracoli_findings(from_cards):
    found = from_cards.for_union("udcmd")
    assert summary(found) == sorted(
        [
            ("ipa-code-likely", "union.ipa_code", "info", "udcmd", "udm_069"),
            (
                "website-mismatch",
                "union.website",
                "warning",
                "http://www.unionecomunialtoverduragebbia.it",
                "https://unionedeimiracoli.eu/",
            ),
            ("member-population", "members[0].population.value", "error", 5812, 5830),
            ("member-population", "members[1].population.value", "error", 2040, 2057),
            ("member-population", "members[2].population.value", "error", 3005, 3020),
            ("member-population", "members[3].population.value", "error", 892, 897),
            ("union-population", "population.value", "error", 11749, 5830 + 2057 + 3020 + 897),
            ("ministry-founding-detail", "union.founded", "info", "2011", "2011-12-29"),
            ("ministry-population", "population.value", "info", 11749, 12985),
            # the applications of udm_069, the union's body, join no record of code udcmd
            # (candidature_finanziate_144.csv line 11199, candidature_altrienti_finanziate.csv line 243)
            ("project-unjoined", "projects", "warning", None, UDM_069_APPLICATION),
            ("project-unjoined", "projects", "warning", None, UDM_069_APPLICATION),
        ]
    )
    k = keyed(found)
    other = k[("ipa-code-other-body", "union.ipa_code")]
    assert other.severity == "error" and other.record_value == "udcmd"
    assert other.details["owner_name"] == "Unione Dei Comuni Dei Monti Dauni"
    assert other.details["owner_seat"] == "071001"
    assert "Puglia" in other.registry_value and "Accadia" in other.registry_value
    likely = k[("ipa-code-likely", "union.ipa_code")]
    assert likely.details["confidence"] == "high" and likely.details["seat"] == "069015"
    assert likely.details["seat_is_member"] is True
    assert "udm_069" in likely.message_en and "udm_069" in likely.message_it
    site = k[("website-other-union", "union.website")]
    assert site.severity == "error" and site.details["owner_code"] == "udag"
    assert "Alto Verdura e Gebbia" in site.registry_value
    assert k[("member-population", "members[0].population.value")].details["difference"] == -18
    assert len(found) == 13


def test_card_lagonegrese_findings(from_cards):
    found = from_cards.for_union("ull")
    assert summary(found) == sorted(
        [
            (
                "ipa-name",
                "union.name",
                "warning",
                "Unione dei Comuni Lucani del Lagonegrese",
                "Unione Lucana del Lagonegrese",
            ),
            ("website-not-in-ipa", "union.website", "info", "http://www.unionelucanalagonegrese.it", None),
            ("member-population", "members[1].population.value", "error", 732, 731),
            ("union-population", "population.value", "error", 34908, 34907),
            (
                "ministry-name",
                "union.name",
                "warning",
                "Unione dei Comuni Lucani del Lagonegrese",
                "UNIONE LUCANA DEL LAGONEGRESE",
            ),
            ("ministry-founding-detail", "union.founded", "info", "2015", "2015-05-07"),
            ("ministry-population", "population.value", "info", 34908, 38601),
        ]
    )


def test_card_counts_unions_and_exit_code(from_cards):
    assert from_cards.counts == {"error": 9, "warning": 5, "info": 6}
    assert from_cards.exit_code == 1 and not from_cards.agrees
    by_code = {u.ipa_code: u for u in from_cards.unions}
    assert by_code["udcmd"].ipa_body == "udm_069" and by_code["udcmd"].ipa_match.startswith("likely")
    assert by_code["ull"].ipa_body == "ull" and by_code["ull"].ipa_match == "record code"
    assert by_code["udcmd"].ministry_code == "4130236050"
    assert by_code["ull"].ministry_code == "4170646020"


def test_findings_carry_registry_provenance_and_line(from_cards, shared_data):
    f = keyed(from_cards.for_union("udcmd"))[("ipa-code-other-body", "union.ipa_code")]
    ipa_file = shared_data / "ipa" / "enti-2024-07-31.csv"
    assert f.registry == "IPA" and f.source.kind == "ipa-enti"
    assert Path(f.source.source) == ipa_file.resolve()
    assert f.source.sha256 == hashlib.sha256(ipa_file.read_bytes()).hexdigest()
    assert f.source.date.endswith("Z") and not f.source.downloaded
    line = ipa_file.read_text(encoding="utf-8").splitlines()[f.registry_line - 1]
    assert line.startswith("udcmd,Unione Dei Comuni Dei Monti Dauni,071001,")
    pop = keyed(from_cards.for_union("ull"))[("member-population", "members[1].population.value")]
    pop_file = shared_data / "istat" / "popolazione-residente-2022-01-01.csv"
    assert pop.source.sha256 == hashlib.sha256(pop_file.read_bytes()).hexdigest()
    assert (
        pop_file.read_text(encoding="utf-8")
        .splitlines()[pop.registry_line - 1]
        .startswith('"Castelluccio Superiore","76023"')
    )
    ministry = keyed(from_cards.for_union("ull"))[("ministry-founding-detail", "union.founded")]
    reg_line = (
        (shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv")
        .read_text()
        .splitlines()[ministry.registry_line - 1]
    )
    assert "UNIONE LUCANA DEL LAGONEGRESE;7-Mag-2015" in reg_line


def test_every_finding_has_both_messages(from_cards):
    for f in from_cards.findings:
        assert f.severity in ("error", "warning", "info")
        assert f.message_en and f.message_it and f.message_en != f.message_it
        assert "\n" not in f.message_en and "\n" not in f.message_it


# --------------------------------------------------------------------------------------------
# The bundled records, after the hand edits


def test_bundled_records_have_only_info_findings(bundled):
    """The steward applied every error and warning found on the cards (provenance.edits); what is
    left is information: the register's population is of another date (line 14 ``...;12.985``,
    line 92 ``...;38.601``) and IPA has no website for ull (line 8361)."""
    assert bundled.counts == {"error": 0, "warning": 0, "info": 3}
    assert bundled.exit_code == 0 and bundled.agrees
    assert summary(bundled.findings) == sorted(
        [
            ("ministry-population", "population.value", "info", 11804, 12985),
            ("website-not-in-ipa", "union.website", "info", "http://www.unionelucanalagonegrese.it", None),
            ("ministry-population", "population.value", "info", 34907, 38601),
        ]
    )
    assert [f.check for f in bundled.for_union("udm_069")] == ["ministry-population"]
    assert bundled.for_union("udcmd") == []
    by_code = {u.ipa_code: u for u in bundled.unions}
    assert sorted(by_code) == ["udm_069", "ull"]
    assert by_code["udm_069"].ipa_body == "udm_069" and by_code["udm_069"].ipa_match == "record code"
    assert by_code["ull"].ipa_body == "ull" and by_code["ull"].ipa_match == "record code"
    assert by_code["udm_069"].ministry_code == "4130236050"
    assert by_code["ull"].ministry_code == "4170646020"


def test_reconcile_never_rewrites_records(registries, tmp_path, card_records):
    folder = tmp_path / "records"
    folder.mkdir()
    for p in (REPO / "records").glob("*.yaml"):
        (folder / p.name).write_bytes(p.read_bytes())
    for p in card_records.glob("*.yaml"):  # records with errors too (udcmd.yaml)
        (folder / p.name).write_bytes(p.read_bytes())
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    reconcile(folder, registries)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert before == after


# --------------------------------------------------------------------------------------------
# All agree


def test_record_that_agrees_has_only_info(registries):
    result = reconcile([load_record(AGREE)], registries)
    assert result.exit_code == 0 and result.agrees
    assert summary(result.findings) == [("ministry-population", "population.value", "info", 11804, 12985)]
    assert result.unions[0].ministry_code == "4130236050"
    assert result.unions[0].ipa_match == "record code"


def test_register_renames_are_info(registries):
    result = reconcile([load_record(RENAMED)], registries)
    assert result.exit_code == 0
    renames = sorted(
        (f.record_value, f.registry_value, f.member) for f in result.findings if f.check == "ministry-member-renamed"
    )
    assert renames == [
        ("Casorzo Monferrato", "CASORZO", "005020"),
        ("Grana Monferrato", "GRANA", "005056"),
        ("Montemagno Monferrato", "MONTEMAGNO", "005077"),
    ]
    assert all(f.severity == "info" for f in result.findings)
    k = keyed(result.findings)
    # DEI COLLI DIVINI NEL CUORE DEL MONFERRATO: only the generic word "Unione" differs
    assert k[("ministry-name", "union.name")].severity == "info"
    assert k[("ministry-founding-detail", "union.founded")].registry_value == "2000-01-01"
    assert "6 of 6" in result.unions[0].ministry_match


def test_a_former_name_in_the_union_region_wins_over_a_homonym_elsewhere(registries, tmp_path):
    """Register line 1738: 1010076020 MONFERRATO VALLE VERSA (PIEMONTE, ASTI) lists CALLIANO (line
    1739). OntoPiA cities: 005014 (Asti) was CALLIANO until 12-08-2022, then CALLIANO MONFERRATO;
    022035 CALLIANO (Trento) is the only current comune of that name. ISTAT: Calliano Monferrato
    005014, Castell'Alfero 005025, Portacomaro 005087, Tonco 005109 (province 005)."""
    [union] = [u for u in registries.ministry if u.code == "1010076020"]
    calliano = registries.ministry_members(union, history=True)[0]
    assert (calliano.name, calliano.line) == ("CALLIANO", 1739)
    assert (calliano.istat_code, calliano.how, calliano.current_name) == ("005014", "renamed", "Calliano Monferrato")
    assert "022035" in calliano.note
    record = {
        "record_format": 1,
        "provenance": {},
        "union": {
            "ipa_code": "umvv",
            "name": "Unione Monferrato Valle Versa",
            "region": {"code": "01"},
            "province": {"code": "005"},
        },
        "members": [
            {"name": n, "istat_code": c}
            for n, c in (
                ("Calliano Monferrato", "005014"),
                ("Castell'Alfero", "005025"),
                ("Portacomaro", "005087"),
                ("Tonco", "005109"),
            )
        ],
    }
    path = tmp_path / "umvv.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = reconcile([load_record(path)], registries)
    assert result.unions[0].ministry_code == "1010076020"
    k = keyed(result.findings)
    renamed = k[("ministry-member-renamed", "members")]
    assert (renamed.record_value, renamed.registry_value, renamed.member) == (
        "Calliano Monferrato",
        "CALLIANO",
        "005014",
    )
    checks = {f.check for f in result.findings}
    assert not checks & {"ministry-member-missing", "ministry-member-extra", "ministry-member-unresolved"}


# --------------------------------------------------------------------------------------------
# IPA code


def test_code_of_a_comune_is_another_body(registries, tmp_path):
    recs = variant(tmp_path, AGREE, lambda d: d["union"].update(ipa_code="c_b865"))
    k = keyed(reconcile(recs, registries).findings)
    other = k[("ipa-code-other-body", "union.ipa_code")]
    assert other.severity == "error" and other.details["owner_category"] == "L6"
    assert other.details["owner_name"] == "Comune di Casalbordino"
    assert "not an Unione di Comuni" in other.message_en
    assert k[("ipa-code-likely", "union.ipa_code")].registry_value == "udm_069"


def test_a_code_spelt_otherwise_than_ipa_is_an_error(registries, tmp_path):
    # IPA writes udm_069 and c_b865 in lower case (ipa/enti-2024-07-31.csv); the dumps publish the
    # record's spelling, and the national IRI public-organization/UDM_069 does not exist
    def edit(d):
        d["union"]["ipa_code"] = "UDM_069"
        d["members"][0]["ipa_code"] = "C_B865"

    recs = variant(tmp_path, AGREE, edit)
    k = keyed(reconcile(recs, registries).findings)
    union = k[("ipa-code-spelling", "union.ipa_code")]
    assert (union.severity, union.record_value, union.registry_value) == ("error", "UDM_069", "udm_069")
    member = k[("member-ipa-code-spelling", "members[0].ipa_code")]
    assert (member.severity, member.record_value, member.registry_value) == ("error", "C_B865", "c_b865")
    assert ("ipa-code-other-body", "union.ipa_code") not in k and ("member-ipa-code", "members[0].ipa_code") not in k


def test_unknown_code(registries, tmp_path):
    recs = variant(tmp_path, AGREE, lambda d: d["union"].update(ipa_code="zz_not_a_code"))
    result = reconcile(recs, registries)
    k = keyed(result.findings)
    assert k[("ipa-code-unknown", "union.ipa_code")].severity == "error"
    assert k[("ipa-code-likely", "union.ipa_code")].registry_value == "udm_069"
    # the likely body still serves the website check: the record's site is udm_069's
    assert not [f for f in result.findings if f.check.startswith("website")]


def test_ipa_seat_not_a_member(registries, tmp_path):
    def edit(d):
        d["members"] = [m for m in d["members"] if m["istat_code"] != "069015"]

    k = keyed(reconcile(variant(tmp_path, AGREE, edit), registries).findings)
    f = k[("ipa-seat-not-member", "union.ipa_code")]
    assert f.severity == "warning" and "Casalbordino (069015)" in f.message_en


# --------------------------------------------------------------------------------------------
# Website


def test_website_written_differently_is_info(registries, tmp_path):
    recs = variant(tmp_path, AGREE, lambda d: d["union"].update(website="http://www.UnioneDeiMiracoli.eu"))
    result = reconcile(recs, registries)
    assert [(f.check, f.severity) for f in result.findings if f.field == "union.website"] == [("website-form", "info")]
    assert result.exit_code == 0


def test_website_of_another_body(registries, tmp_path):
    recs = variant(tmp_path, AGREE, lambda d: d["union"].update(website="https://www.comune.lagonegro.pz.it"))
    k = keyed(reconcile(recs, registries).findings)
    assert k[("website-mismatch", "union.website")].severity == "warning"
    other = k[("website-other-body", "union.website")]
    assert other.severity == "error" and other.details["owner_code"] == "c_e409"


def test_missing_website_is_info(registries, tmp_path):
    recs = variant(tmp_path, AGREE, lambda d: d["union"].pop("website"))
    k = keyed(reconcile(recs, registries).findings)
    f = k[("website-missing", "union.website")]
    assert f.severity == "info" and f.registry_value == "https://unionedeimiracoli.eu/"


# --------------------------------------------------------------------------------------------
# Members against ISTAT and OntoPiA


def test_member_with_a_former_name(registries, tmp_path):
    def edit(d):
        d["members"][2]["name"] = "Grana"

    k = keyed(reconcile(variant(tmp_path, RENAMED, edit), registries).findings)
    f = k[("member-renamed", "members[2].name")]
    assert f.severity == "warning" and f.record_value == "Grana" and f.registry_value == "Grana Monferrato"


def test_member_name_of_another_code(registries, tmp_path):
    def edit(d):
        d["members"][1]["name"] = "Scerni"  # code 069068 is Pollutri

    k = keyed(reconcile(variant(tmp_path, AGREE, edit), registries).findings)
    f = k[("member-name-other-code", "members[1].name")]
    assert f.severity == "error" and f.registry_value == "Scerni (069087)" and f.member == "069068"


def test_member_code_not_current(registries, tmp_path):
    def edit(d):
        d["members"][3].update(name="Ronago", istat_code="013199", province_code="013", region_code="03")
        for key in ("cadastral_code", "ipa_code", "ontopia_city", "city_valid_from"):
            d["members"][3].pop(key)

    k = keyed(reconcile(variant(tmp_path, AGREE, edit), registries).findings)
    f = k[("member-istat-code", "members[3].istat_code")]
    assert f.severity == "error" and f.record_value == "013199"
    assert "2024-01-01" in f.message_en  # OntoPiA: RONAGO valid until 01-01-2024


def test_member_codes_that_differ(registries, tmp_path):
    def edit(d):
        d["members"][0].update(province_code="068", cadastral_code="B866", ipa_code="c_b866")

    k = keyed(reconcile(variant(tmp_path, AGREE, edit), registries).findings)
    assert (
        k[("member-province", "members[0].province_code")].record_value,
        k[("member-province", "members[0].province_code")].registry_value,
    ) == ("068", "069")
    assert k[("member-cadastral-code", "members[0].cadastral_code")].registry_value == "B865"
    assert k[("member-ipa-code", "members[0].ipa_code")].registry_value == "c_b865"
    assert k[("member-ipa-code", "members[0].ipa_code")].severity == "warning"


def test_stale_ontopia_city(registries, tmp_path):
    def edit(d):
        d["members"][0]["ontopia_city"] = "005020-(1948-01-01)"

    k = keyed(reconcile(variant(tmp_path, RENAMED, edit), registries).findings)
    f = k[("member-ontopia-city", "members[0].ontopia_city")]
    assert f.severity == "error" and f.registry_value == "005020-(2022-03-03)"


# --------------------------------------------------------------------------------------------
# Population against ISTAT


def test_population_of_another_date_is_a_warning(registries, tmp_path):
    def edit(d):
        d["members"][0]["population"] = {"value": 5812, "reference_date": "2023-01-01"}
        d["population"]["reference_date"] = "2023-01-01"

    result = reconcile(variant(tmp_path, AGREE, edit), registries)
    k = keyed(result.findings)
    f = k[("member-population-date", "members[0].population.reference_date")]
    assert f.severity == "warning" and (f.record_value, f.registry_value) == ("2023-01-01", "2022-01-01")
    assert "5830" in f.message_en
    assert k[("union-population-date", "population.reference_date")].severity == "warning"
    assert not [x for x in result.findings if x.severity == "error"]
    assert result.exit_code == 1


def test_population_differs_at_the_same_date(registries, tmp_path):
    def edit(d):
        d["members"][2]["population"]["value"] = 3000

    k = keyed(reconcile(variant(tmp_path, AGREE, edit), registries).findings)
    f = k[("member-population", "members[2].population.value")]
    assert (f.severity, f.record_value, f.registry_value, f.details["difference"]) == ("error", 3000, 3020, -20)
    # the stated total still equals ISTAT's sum (11804): no union-population finding
    assert ("union-population", "population.value") not in k


# --------------------------------------------------------------------------------------------
# Ministry register


def test_founding_year_that_differs(registries, tmp_path):
    k = keyed(reconcile(variant(tmp_path, AGREE, lambda d: d["union"].update(founded="2012")), registries).findings)
    f = k[("ministry-founding-date", "union.founded")]
    assert (f.severity, f.record_value, f.registry_value) == ("error", "2012", "2011-12-29")


def test_founding_date_that_differs_and_absent(registries, tmp_path):
    k = keyed(
        reconcile(variant(tmp_path, AGREE, lambda d: d["union"].update(founded="2011-12-30")), registries).findings
    )
    assert k[("ministry-founding-date", "union.founded")].severity == "error"
    k = keyed(reconcile(variant(tmp_path, AGREE, lambda d: d["union"].pop("founded")), registries).findings)
    f = k[("ministry-founding-detail", "union.founded")]
    assert (f.severity, f.record_value, f.registry_value) == ("info", None, "2011-12-29")


def test_members_and_count_that_differ_from_the_register(registries, tmp_path):
    def edit(d):
        d["members"] = [m for m in d["members"] if m["name"] != "Scerni"]
        d["members"].append({"name": "Vasto", "istat_code": "069099", "province_code": "069", "region_code": "13"})
        d["number_of_comuni"] = 5

    result = reconcile(variant(tmp_path, AGREE, edit), registries)
    k = keyed(result.findings)
    missing = k[("ministry-member-missing", "members[3]")]
    assert missing.severity == "warning" and missing.record_value == "Vasto (069099)"
    extra = [f for f in result.findings if f.check == "ministry-member-extra"]
    assert [(f.registry_value, f.member) for f in extra] == [("SCERNI (069087)", "069087")]
    count = k[("ministry-number-of-comuni", "number_of_comuni")]
    assert (count.severity, count.record_value, count.registry_value) == ("warning", 5, 4)
    # still found: name and 3 of 4 members in common
    assert result.unions[0].ministry_code == "4130236050"


@pytest.fixture(scope="module")
def crafted_register(shared_data, tmp_path_factory) -> Registries:
    """The real registries but a Ministry register with only the Lagonegrese (read once; a register
    of one union is not plausible, hence allowed explicitly)."""
    folder = _sources_with_register(shared_data, tmp_path_factory.mktemp("crafted"))
    return load_registries(resolve_sources(folder, allow_implausible=True))


def _sources_with_register(shared_data: Path, tmp_path: Path) -> Path:
    """A sources folder: links to the real files, and a Ministry register with only the Lagonegrese."""
    folder = tmp_path / "sources"
    for sub in ("istat", "ipa", "ontopia"):
        (folder / sub).mkdir(parents=True)
        for p in (shared_data / sub).iterdir():
            if p.is_file():
                os.symlink(p, folder / sub / p.name)
    (folder / "ministero-interno").mkdir()
    os.symlink(FIXTURES / "ministero-lagonegrese-only.csv", folder / "ministero-interno" / "unioni-di-comuni-2020.csv")
    return folder


def test_union_missing_from_the_register(crafted_register, tmp_path):
    sources = crafted_register
    result = reconcile([load_record(AGREE)], sources)
    f = keyed(result.findings)[("ministry-not-found", "union")]
    assert f.severity == "warning" and f.source.kind == "ministry-unions"
    assert result.exit_code == 1 and result.unions[0].ministry_code is None
    # founded after the register's year: info, not a warning
    recs = variant(tmp_path, AGREE, lambda d: d["union"].update(founded="2021-03-01"))
    result = reconcile(recs, sources)
    assert keyed(result.findings)[("ministry-not-found", "union")].severity == "info"
    assert result.exit_code == 0


def test_without_the_pa_digitale_files_no_application_is_checked(crafted_register):
    """The crafted folder has no padigitale2026/: the project checks have nothing to compare with."""
    result = reconcile([load_record(REPO / "records" / "udm_069.yaml")], crafted_register)
    assert crafted_register.applications is None
    assert not [f for f in result.findings if f.check.startswith("project-")]
    assert not [k for k in result.sources if k.startswith("padigitale")]


def test_register_with_other_members(crafted_register):
    """The crafted register lists LAGONEGRO, CASTELLUCCIO SUPERIORE and RONAGO (merged away in 2024)
    for the Lagonegrese, and declares 2 comuni."""
    sources = crafted_register
    result = reconcile([load_record(REPO / "records" / "ull.yaml")], sources)
    missing = sorted(f.member for f in result.findings if f.check == "ministry-member-missing")
    assert missing == ["076022", "076040", "076042", "076044", "076054", "076068", "076092"]
    k = keyed(result.findings)
    gone = k[("ministry-member-unresolved", "members")]
    assert gone.severity == "warning" and gone.registry_value == "RONAGO" and gone.registry_line == 5
    assert "013199" in gone.message_en and "2024-01-01" in gone.message_en
    count = k[("ministry-number-of-comuni", "number_of_comuni")]
    assert (count.record_value, count.registry_value) == (9, 2)
    issue = k[("ministry-register-issue", "union")]
    assert issue.severity == "info" and "declares 2 comuni but 3 member row(s)" in issue.message_en
    assert result.unions[0].ministry_code == "4170646020"


# --------------------------------------------------------------------------------------------
# Helpers, sources, validation results


def test_missing_registry_file_is_a_one_line_error(shared_data, tmp_path):
    folder = tmp_path / "sources"
    (folder / "istat").mkdir(parents=True)
    os.symlink(shared_data / "istat" / "Elenco-comuni-italiani.csv", folder / "istat" / "Elenco-comuni-italiani.csv")
    with pytest.raises(LodError) as exc:
        load_registries(folder)
    assert "not found in the sources folder" in str(exc.value) and "\n" not in str(exc.value)


def test_findings_as_validation_results(from_cards):
    base = "https://data.example.org/u/"
    results = findings_as_validation_results(from_cards, base)
    assert len(results) == len(from_cards.findings)
    by = {(r.rule, r.field): r for r in results}
    code = by[("reconcile-ipa-code-other-body", "union.ipa_code")]
    assert code.union == base + "union/udcmd" and code.focus == base + "union/udcmd"
    assert code.path == "<https://w3id.org/italia/onto/COV/IPAcode>"
    assert code.severity == "Violation" and code.severity_iri == "http://www.w3.org/ns/shacl#Violation"
    assert code.value == "udcmd" and code.message_it.startswith("il codice IPA udcmd")
    pop = by[("reconcile-member-population", "members[1].population.value")]
    assert pop.union == base + "union/ull" and pop.focus == base + "comune/076023"
    assert pop.path == (
        "(<https://w3id.org/italia/onto/Indicator/hasIndicatorCalculation>/"
        "<https://w3id.org/italia/onto/Indicator/hasIndicatorValue>/"
        "<https://w3id.org/italia/onto/MU/value>)"
    )
    site = by[("reconcile-website-mismatch", "union.website")]
    assert site.focus == base + "union/udcmd/website" and site.severity == "Warning"
    assert site.path == "<https://w3id.org/italia/onto/SM/URL>"
    info = by[("reconcile-ministry-founding-detail", "union.founded")]
    assert info.severity == "Info" and info.path == "<https://w3id.org/lod-unioni/onto/foundingDate>"
    assert info.source["kind"] == "ministry-unions"
    default = findings_as_validation_results(from_cards)
    assert default[0].union.startswith("https://w3id.org/lod-unioni/data/union/")
