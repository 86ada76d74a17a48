"""Reconciliation of the PA digitale 2026 applications (lod_unioni.reconcile.projects): the
applications of a union and of its members that cannot be joined (``project-unjoined``) and those
whose ``cod_comune`` is not the seat of their body (``project-seat``).

Expected values were read by hand from ../shared/data/padigitale2026 (grep, the csv module), e.g.
candidature_finanziate_131.csv line 1824 ``c_g751,Comune di Poggiardo,...,075061,...`` with an
empty codice_cup; line 1320 ``c_f709,Comune di Moransengo,...,N/D,...,B51F22004330006``;
candidature_altrienti_finanziate.csv line 1513 ``"udclbvo",...,"Borgoratto Mormorolo","018017"``
(IPA: udclbvo seated in Borgo Priolo, 018016); candidature_finanziate_131.csv line 310
``c_m026,Comune di Villaspeciosa,...,118072`` (ISTAT's list: Villaspeciosa is 111107).
"""

from __future__ import annotations

import copy
import csv
import hashlib
from pathlib import Path

import pytest
import yaml
from conftest import REPO

from lod_unioni.reconcile import reconcile
from lod_unioni.records import load_record, load_records
from lod_unioni.validation.findings import findings_as_validation_results

ULL = REPO / "records" / "ull.yaml"
MIRACOLI = REPO / "records" / "udm_069.yaml"
PRJ = "https://w3id.org/italia/onto/Project/"


def project_findings(result):
    return [f for f in result.findings if f.check.startswith("project-")]


def summary(findings):
    return sorted((f.check, f.severity, f.field, f.member, f.details["file"], f.registry_line) for f in findings)


def variant(tmp_path: Path, base: Path, edit) -> list:
    data = copy.deepcopy(yaml.safe_load(base.read_text(encoding="utf-8")))
    edit(data)
    folder = tmp_path / "records"
    folder.mkdir(exist_ok=True)
    path = folder / f"{data['union']['ipa_code'].lower()}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [load_record(path)]


def member(data: dict, index: int, **values) -> None:
    """Members[index] becomes another comune (its population and OntoPiA city left as they were)."""
    data["members"][index].update(values)


def rows_by_code(shared_data: Path) -> dict[str, list[dict]]:
    """Every application of the shared files by its IPA code in lower case, with the csv module."""
    rows: dict[str, list[dict]] = {}
    for path in sorted((shared_data / "padigitale2026").glob("candidature_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                rows.setdefault(r["codice_ipa"].lower(), []).append(r)
    return rows


# --------------------------------------------------------------------------------------------
# The bundled records


def test_the_bundled_records_have_no_project_finding(registries, shared_data):
    """Every application of the two unions and of their members has a CUP and gives as
    cod_comune the member itself, or the union's IPA seat (udm_069: Casalbordino 069015; ull has
    no application), read with the csv module."""
    expected = {"udm_069": "069015"}
    for path in (MIRACOLI, ULL):
        for m in load_record(path).members:
            expected[m.ipa_code] = m.istat_code
    rows = rows_by_code(shared_data)
    for code, comune in expected.items():
        assert all(r["codice_cup"] and r["cod_comune"] == comune for r in rows.get(code, ())), code
    assert len(rows["udm_069"]) == 2 and "ull" not in rows and len(rows["c_b865"]) == 7
    assert project_findings(reconcile(load_records(REPO / "records"), registries)) == []


# --------------------------------------------------------------------------------------------
# project-unjoined


@pytest.fixture(scope="module")
def card_findings(registries, card_records):
    return [f for f in project_findings(reconcile(load_records(card_records), registries)) if f.union == "udcmd"]


def test_the_card_code_loses_the_union_applications(card_findings, shared_data):
    """The card gives udcmd (the Monti Dauni union): the Miracoli's own application, by udm_069
    (the likely code), is in two files and joins no record."""
    assert summary(card_findings) == [
        ("project-unjoined", "warning", "projects", None, "candidature_altrienti_finanziate.csv", 243),
        ("project-unjoined", "warning", "projects", None, "candidature_finanziate_144.csv", 11199),
    ]
    f = card_findings[1]
    assert f.details == {
        "file": "candidature_finanziate_144.csv",
        "line": 11199,
        "codice_ipa": "udm_069",
        "cup": "J91F22001760006",
        "cod_comune": "069015",
        "reason": "union-not-in-build",
    }
    path = shared_data / "padigitale2026" / "candidature_finanziate_144.csv"
    assert f.source.kind == "padigitale-candidature" and f.registry == "PA digitale 2026"
    assert Path(f.source.source) == path.resolve()
    assert f.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    line = path.read_text(encoding="utf-8").splitlines()[f.registry_line - 1]
    assert line.startswith("udm_069,Unione Dei Miracoli,Altri Enti,Casalbordino,069015,")
    call = "1.4.4 Adozione SPID CIE-Amministrazioni diverse da Comuni e Scuole - Maggio 2022"
    assert f.message_en == (
        f"the application J91F22001760006 of Unione Dei Miracoli (udm_069), most likely the union, to {call} "
        "(candidature_finanziate_144.csv line 11199) is not the record's code udcmd: it is not published"
    )
    assert f.message_it == (
        f"la candidatura J91F22001760006 di Unione Dei Miracoli (udm_069), molto probabilmente l'unione, "
        f"all'avviso {call} (candidature_finanziate_144.csv riga 11199) non ha il codice del record udcmd: non è "
        "pubblicata"
    )


def test_an_application_without_a_cup(registries, tmp_path):
    records = variant(
        tmp_path,
        ULL,
        lambda d: member(d, 0, name="Poggiardo", istat_code="075061", cadastral_code="G751", ipa_code="c_g751"),
    )
    found = project_findings(reconcile(records, registries))
    assert summary(found) == [
        ("project-unjoined", "warning", "members[0].projects", "075061", "candidature_finanziate_131.csv", 1824)
    ]
    (f,) = found
    assert f.record_value is None and f.details["cup"] is None and f.details["reason"] == "no-cup"
    assert f.message_en == (
        "Poggiardo (075061): the application of Comune di Poggiardo (c_g751) to 1.3.1 Piattaforma Digitale "
        "Nazionale Dati - Comuni Ottobre 2022 (candidature_finanziate_131.csv line 1824) has no CUP: it is not "
        "published"
    )


def test_a_member_code_ipa_no_longer_knows(registries, tmp_path):
    """Moransengo (c_f709) merged into Moransengo-Tonengo (005122) in 2023: two of its four
    applications give cod_comune N/D (131 line 1320, 145 line 1890) and join no body; the other two
    give Moransengo's own code 005079 (141 line 6264, 144 line 3098), the comune merged into the
    member: info. The applications of Moransengo-Tonengo's own body (3bep4zax) join by cod_comune."""
    records = variant(
        tmp_path,
        ULL,
        lambda d: member(
            d, 2, name="Moransengo-Tonengo", istat_code="005122", cadastral_code="M434", ipa_code="c_f709"
        ),
    )
    found = project_findings(reconcile(records, registries))
    field = "members[2].projects"
    assert summary(found) == [
        ("project-seat", "info", field, "005122", "candidature_finanziate_141.csv", 6264),
        ("project-seat", "info", field, "005122", "candidature_finanziate_144.csv", 3098),
        ("project-unjoined", "warning", field, "005122", "candidature_finanziate_131.csv", 1320),
        ("project-unjoined", "warning", field, "005122", "candidature_finanziate_145.csv", 1890),
    ]
    unjoined = [f for f in found if f.check == "project-unjoined"]
    assert {f.details["cup"] for f in unjoined} == {"B51F22004330006", "B51F22002800006"}
    assert all(f.details["reason"] == "comune-unknown" for f in unjoined)
    assert "IPA does not know c_f709 and its cod_comune N/D is no current comune" in unjoined[0].message_en
    assert "IPA non conosce c_f709 e il suo cod_comune N/D non è un comune attuale" in unjoined[0].message_it


# --------------------------------------------------------------------------------------------
# project-seat


def test_a_member_with_another_comune_ipa_code(registries, tmp_path):
    """Pollutri (069068) given Casalbordino's IPA code c_b865: Casalbordino's seven applications
    give 069015, not the member."""
    records = variant(tmp_path, MIRACOLI, lambda d: member(d, 1, ipa_code="c_b865"))
    assert records[0].members[1].istat_code == "069068"
    result = reconcile(records, registries)
    found = project_findings(result)
    field = "members[1].projects"
    assert summary(found) == [
        ("project-seat", "warning", field, "069068", "candidature_finanziate_131.csv", 294),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_131.csv", 7281),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_141.csv", 469),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_144.csv", 163),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_144.csv", 5742),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_144.csv", 7403),
        ("project-seat", "warning", field, "069068", "candidature_finanziate_145.csv", 698),
    ]
    f = next(f for f in found if f.registry_line == 469)
    assert (f.record_value, f.registry_value) == ("C91F22000570006", "069015")
    assert f.message_en == (
        "Pollutri (069068): the application C91F22000570006 of c_b865 (candidature_finanziate_141.csv line 469) "
        "gives the comune Casalbordino (069015)"
    )
    assert f.message_it == (
        "Pollutri (069068): la candidatura C91F22000570006 di c_b865 (candidature_finanziate_141.csv riga 469) "
        "indica il comune Casalbordino (069015)"
    )
    # as a SHACL result: the comune involved in the project, the CUP (131 line 294) as the value
    r = next(r for r in findings_as_validation_results(result) if r.field == field)
    assert (r.focus, r.path, r.value) == (
        "https://w3id.org/lod-unioni/data/comune/069068",
        f"<{PRJ}isInvolvedInProject>",
        "C51F22004990006",
    )
    assert r.rule == "reconcile-project-seat" and r.severity == "Warning"


def test_a_union_application_that_names_another_comune(registries, tmp_path):
    """udclbvo, seated in Borgo Priolo (018016): the same application gives 018016 in the 1.4.4
    file (line 12220) and Borgoratto Mormorolo, 018017, in the other bodies' file (line 1513)."""

    def union(d):
        d["union"].update(ipa_code="udclbvo", name="Unione Dei Comuni Lombarda Borghi e Valli D'Oltrepo'")

    result = reconcile(variant(tmp_path, ULL, union), registries)
    found = project_findings(result)
    assert summary(found) == [
        ("project-seat", "warning", "projects", None, "candidature_altrienti_finanziate.csv", 1513)
    ]
    (f,) = found
    assert (f.record_value, f.registry_value) == ("H61F23000050006", "018017")
    assert f.message_en == (
        "the union's application H61F23000050006 (candidature_altrienti_finanziate.csv line 1513) gives the "
        "comune Borgoratto Mormorolo (018017); IPA's seat of udclbvo is Borgo Priolo (018016)"
    )
    r = next(r for r in findings_as_validation_results(result) if r.field == "projects")
    assert (r.focus, r.path, r.value) == (
        "https://w3id.org/lod-unioni/data/union/udclbvo",
        f"<{PRJ}isInvolvedInProject>",
        "H61F23000050006",
    )


def test_a_code_newer_than_istat_with_the_comune_name_is_info(registries, tmp_path):
    """Villaspeciosa (c_m026) is 111107 in ISTAT's list; three of its applications give 118072, the
    code of the Sardinian recoding, which neither ISTAT's list nor OntoPiA has yet (131 lines 310
    and 9093, 145 line 2716); the other two give 111107."""
    records = variant(
        tmp_path,
        ULL,
        lambda d: member(d, 0, name="Villaspeciosa", istat_code="111107", cadastral_code="M026", ipa_code="c_m026"),
    )
    found = project_findings(reconcile(records, registries))
    assert summary(found) == [
        ("project-seat", "info", "members[0].projects", "111107", "candidature_finanziate_131.csv", 310),
        ("project-seat", "info", "members[0].projects", "111107", "candidature_finanziate_131.csv", 9093),
        ("project-seat", "info", "members[0].projects", "111107", "candidature_finanziate_145.csv", 2716),
    ]
    assert "gives the comune Villaspeciosa (118072)" in found[0].message_en
