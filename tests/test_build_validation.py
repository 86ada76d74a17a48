"""`lod-unioni build` validates what it writes: non-conforming data never replaces the output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RECORDS

from lod_unioni.cli import main


@pytest.fixture
def records(tmp_path) -> Path:
    d = tmp_path / "records"
    shutil.copytree(RECORDS, d)
    return d


def _break_total(records: Path) -> None:
    """The Lagonegrese record states 34907, the sum of its 9 members (ISTAT 2022); 34000 contradicts them."""
    (rec,) = [p for p in records.glob("*.yaml") if "Lagonegrese" in p.read_text(encoding="utf-8")]
    text = rec.read_text(encoding="utf-8")
    assert "\npopulation: {value: 34907," in text
    rec.write_text(text.replace("\npopulation: {value: 34907,", "\npopulation: {value: 34000,"), encoding="utf-8")


def _snapshot(out: Path) -> dict:
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_conforming_records_build(records, tmp_path, capsys):
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "unioni.ttl").stat().st_size > 0


def test_non_conforming_graph_is_refused_and_output_untouched(records, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--records", str(records), "--out", str(out)]) == 0
    before = _snapshot(out)
    _break_total(records)
    capsys.readouterr()
    assert main(["build", "--records", str(records), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert _snapshot(out) == before
    # the report names the union and the rule; the error is one line and says what happened
    assert "Unione Lucana del Lagonegrese" in err and "union-total-population" in err
    (line,) = [l for l in err.splitlines() if l.startswith("lod-unioni: error:")]
    assert "does not conform" in line and "untouched" in line


def test_allow_invalid_writes_and_says_so(records, tmp_path, capsys):
    out = tmp_path / "out"
    _break_total(records)
    assert main(["build", "--records", str(records), "--out", str(out), "--allow-invalid"]) == 0
    err = capsys.readouterr().err
    assert "DOES NOT CONFORM" in err and "--allow-invalid" in err
    assert '"34000"' in (out / "unioni.nt").read_text(encoding="utf-8")


def test_fail_on_warning_stops_on_warnings(records, tmp_path, capsys):
    """A member in another province of the same region is a warning: it passes by default and
    stops the build with --fail-on warning."""
    (rec,) = [p for p in records.glob("*.yaml") if "Lagonegrese" in p.read_text(encoding="utf-8")]
    text = rec.read_text(encoding="utf-8")
    # Nemoli (076054) declared in province 077 (Matera), same region 17
    i = text.index('istat_code: "076054"')
    j = text.index('province_code: "076"', i)
    rec.write_text(text[:j] + 'province_code: "077"' + text[j + len('province_code: "076"') :], encoding="utf-8")
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "a")]) == 0
    assert main(["build", "--records", str(records), "--out", str(tmp_path / "b"), "--fail-on", "warning"]) == 1
    assert not (tmp_path / "b").exists()
