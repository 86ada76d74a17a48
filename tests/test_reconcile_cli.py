"""``lod-unioni reconcile``: formats, output file, exit codes 0 / 1 / 2, progress on stderr.

The reports with findings run on the records as imported from the seed cards (``card_records`` in
conftest.py); the bundled records (records/), edited after reconciliation, exit 0 with info only.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import FIXTURES_DIR, REPO

from lod_unioni.cli import main
from lod_unioni.commands.reconcile import CSV_COLUMNS

RECORDS = REPO / "records"
AGREE = FIXTURES_DIR / "reconcile" / "agree"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No lod-unioni.toml and an empty download cache, whatever the developer's machine has."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOD_UNIONI_CACHE_DIR", str(tmp_path / "empty-cache"))


def run(capsys, *args):
    code = main(["reconcile", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_on_the_card_records(capsys, shared_data, card_records):
    code, out, err = run(capsys, "--records", str(card_records), "--sources", str(shared_data))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("Unione dei Miracoli (udcmd) - ")
    assert "[IPA udm_069?, Ministry 4130236050]" in lines[0]
    pop = [line for line in lines if "members[0].population.value" in line and "Casalbordino" in line]
    assert len(pop) == 1 and pop[0].lstrip().startswith("ERROR")
    assert "[record: 5812 | ISTAT population: 5830]" in pop[0]
    assert any(line.startswith("Unione dei Comuni Lucani del Lagonegrese (ull) - ") for line in lines)
    assert "2 union(s), 20 finding(s): 9 error(s), 5 warning(s), 6 info" in out
    assert "- reading the registries in" in err and "9 error(s), 5 warning(s), 6 info" in err


def test_json_report(capsys, shared_data, card_records):
    code, out, _ = run(capsys, "--records", str(card_records), "--sources", str(shared_data), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["counts"] == {"error": 9, "warning": 5, "info": 6}
    assert len(data["findings"]) == 20
    assert set(data["sources"]) == {
        "ipa-enti",
        "istat-comuni",
        "istat-population",
        "ontopia-cities",
        "ontopia-provinces",
        "ontopia-regions",
        "ministry-unions",
        *(f"padigitale2026/candidature_{f}.csv" for f in ("altrienti_finanziate", "finanziate_11", "finanziate_131")),
        *(f"padigitale2026/candidature_finanziate_{m}.csv" for m in ("141", "144", "145")),
    }
    likely = [f for f in data["findings"] if f["check"] == "ipa-code-likely"]
    assert likely[0]["registry_value"] == "udm_069" and likely[0]["details"]["confidence"] == "high"
    assert likely[0]["source"]["sha256"] == data["sources"]["ipa-enti"]["sha256"]


def test_csv_report_to_a_file(capsys, shared_data, tmp_path, card_records):
    target = tmp_path / "out" / "findings.csv"
    code, out, err = run(
        capsys,
        "--records",
        str(card_records),
        "--sources",
        str(shared_data),
        "--format",
        "csv",
        "--output",
        str(target),
    )
    assert code == 1 and out == ""
    assert f"report written to {target}" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(rows) == 20
    founded = [r for r in rows if r["union"] == "ull" and r["check"] == "ministry-founding-detail"]
    assert (founded[0]["record_value"], founded[0]["registry_value"], founded[0]["severity"]) == (
        "2015",
        "2015-05-07",
        "info",
    )
    assert founded[0]["registry_file"].endswith("unioni-di-comuni-2020.csv")
    assert founded[0]["registry_line"] == "92"


def test_bundled_records_exit_0_with_info_only(capsys, shared_data):
    """records/ after the hand edits: only the register's populations (another date) and ull's
    website that IPA lacks (line 8361) remain, as info."""
    code, out, err = run(capsys, "--records", str(RECORDS), "--sources", str(shared_data))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Unione dei Miracoli (udm_069) - ")
    assert any(line.startswith("Unione Lucana del Lagonegrese (ull) - ") for line in lines)
    findings = [line.split()[:2] for line in lines if line.startswith("  ")]
    assert sorted(findings) == [
        ["INFO", "population.value:"],
        ["INFO", "population.value:"],
        ["INFO", "union.website:"],
    ]
    assert "[record: 11804 | Ministry register: 12985]" in out
    assert "[record: 34907 | Ministry register: 38601]" in out
    assert "2 union(s), 3 finding(s): 0 error(s), 0 warning(s), 3 info" in out
    assert "0 error(s), 0 warning(s), 3 info" in err


def test_all_agree_exits_0(capsys, shared_data):
    code, out, _ = run(capsys, "--records", str(AGREE), "--sources", str(shared_data))
    assert code == 0
    assert "0 error(s), 0 warning(s), 1 info" in out


def test_no_sources_exits_2_with_one_line(capsys):
    code, out, err = run(capsys, "--records", str(RECORDS))
    assert code == 2 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert len(lines) == 1 and "lod-unioni sources fetch" in lines[0] and "--sources" in lines[0]


def test_sources_folder_not_found(capsys, tmp_path):
    code, _, err = run(capsys, "--records", str(RECORDS), "--sources", str(tmp_path / "nowhere"))
    assert code == 2
    assert err.strip().endswith("sources folder not found")
    assert len(err.strip().splitlines()) == 1


def test_sources_folder_without_a_registry(capsys, tmp_path):
    (tmp_path / "partial").mkdir()
    code, _, err = run(capsys, "--records", str(RECORDS), "--sources", str(tmp_path / "partial"))
    assert code == 2
    error = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert len(error) == 1 and "not found in the sources folder" in error[0]


def test_bad_record_exits_2(capsys, shared_data, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "udcmd.yaml").write_text("record_format: 1\nunion: [\n", encoding="utf-8")
    code, out, err = run(capsys, "--records", str(folder), "--sources", str(shared_data))
    assert code == 2 and out == ""
    assert "udcmd.yaml" in err and "not valid YAML" in err


def test_records_folder_not_found(capsys, shared_data, tmp_path):
    code, _, err = run(capsys, "--records", str(tmp_path / "none"), "--sources", str(shared_data))
    assert code == 2 and "records folder not found" in err
