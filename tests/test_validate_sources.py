"""`lod-unioni validate --sources DIR`: the SHACL report also holds the registry checks
(current OntoPiA cities; reconciliation of the records with IPA, ISTAT, OntoPiA, Ministry)."""

from __future__ import annotations

import shutil

import rdflib
from conftest import LUSH, REPO, SH

from lod_unioni.cli import main


def _run(capsys, *argv):
    code = main(["-q", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_bundled_records_agree_with_the_registries(capsys, shared_data):
    """After reconciliation only infos remain (checked by hand in tests/test_reconcile.py): the
    Ministry's 2020 populations (12985, 38601) and IPA's missing website of ull."""
    code, out, _ = _run(
        capsys, "validate", REPO / "output" / "unioni.ttl", "--records", REPO / "records", "--sources", shared_data
    )
    assert code == 0
    assert out.count("INFO      reconcile-") == 3 and "VIOLATION" not in out and "WARNING" not in out
    assert "12985" in out and "38601" in out


def test_card_records_fail_with_registry_violations(capsys, shared_data, card_records, tmp_path):
    assert main(["-q", "build", "--records", str(card_records), "--out", str(tmp_path / "out")]) == 0
    report = tmp_path / "report.ttl"
    code, out, _ = _run(
        capsys,
        "validate",
        tmp_path / "out" / "unioni.ttl",
        "--records",
        card_records,
        "--sources",
        shared_data,
        "--report",
        report,
    )
    assert code == 1
    # the rule and the union are named; udcmd is the IPA code of the Monti Dauni union
    line = next(l for l in out.splitlines() if "reconcile-ipa-code-other-body" in l)
    assert line.lstrip().startswith("VIOLATION") and "Monti Dauni" in line
    assert out.splitlines()[0].startswith("Unione dei Miracoli <https://w3id.org/lod-unioni/data/union/udcmd>")
    # machine report: a standard SHACL report whose registry results have their own component
    g = rdflib.Graph().parse(report)
    results = list(g.subjects(SH.sourceConstraintComponent, LUSH.RegistryConstraintComponent))
    assert len(results) == 20  # 9 errors, 5 warnings, 6 info (test_reconcile.py)
    casalbordino = rdflib.URIRef("https://w3id.org/lod-unioni/data/comune/069015")
    (r,) = [r for r in results if (r, SH.focusNode, casalbordino) in g]
    assert (r, SH.resultSeverity, SH.Violation) in g
    assert (r, SH.sourceShape, LUSH["reconcile-member-population"]) in g
    assert {m.language for m in g.objects(r, SH.resultMessage)} == {"it", "en"}


def test_a_member_city_that_is_no_longer_current_is_a_violation(capsys, shared_data, tmp_path):
    """Casalbordino's OntoPiA row 069015-(1861-03-17) ended on 01-01-1948 (ontopia/cities.csv);
    its current row is 069015-(1948-01-01)."""
    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    rec = records / "udm_069.yaml"
    text = rec.read_text(encoding="utf-8")
    assert text.count("ontopia_city: 069015-(1948-01-01)") == 1
    rec.write_text(
        text.replace("ontopia_city: 069015-(1948-01-01)", "ontopia_city: 069015-(1861-03-17)"), encoding="utf-8"
    )
    assert main(["-q", "build", "--records", str(records), "--out", str(tmp_path / "out")]) == 0
    dump = tmp_path / "out" / "unioni.ttl"
    # without the registries the dump conforms: nothing in it says the city ended
    assert _run(capsys, "validate", dump)[0] == 0
    code, out, _ = _run(capsys, "validate", dump, "--records", records, "--sources", shared_data)
    assert code == 1
    lines = [l for l in out.splitlines() if "member-city-current" in l]
    assert len(lines) == 1 and lines[0].lstrip().startswith("VIOLATION") and "069015-(1861-03-17)" in lines[0]


def test_missing_sources_folder_is_a_usage_error(capsys, tmp_path):
    code, _, err = _run(capsys, "validate", REPO / "output" / "unioni.ttl", "--sources", tmp_path / "nowhere")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "lod-unioni: error:" in err


def test_a_registry_finding_names_the_iri_the_union_keeps(capsys, shared_data, card_records, tmp_path):
    # the register says the Miracoli card's union was first published as union/unione-dei-miracoli:
    # it keeps that IRI, and the findings about it must name the IRI the data has, not union/udcmd
    out = tmp_path / "out"
    out.mkdir()
    (out / "iris.csv").write_text(
        "iri,key,since,status,successor\n"
        "https://w3id.org/lod-unioni/data/union/unione-dei-miracoli,card:90847faaabe1a949,2026-01-01,live,\n",
        encoding="utf-8",
    )
    assert main(["-q", "build", "--records", str(card_records), "--out", str(out)]) == 0
    kept = "https://w3id.org/lod-unioni/data/union/unione-dei-miracoli"
    assert f"<{kept}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in (out / "unioni.nt").read_text()
    code, text, _ = _run(capsys, "validate", out / "unioni.ttl", "--records", card_records, "--sources", shared_data)
    assert code == 1
    assert f"Unione dei Miracoli <{kept}>" in text.splitlines()
    assert "/union/udcmd>" not in text
