"""`lod-unioni import-card`: exit codes, --force, atomic writes, one-line errors, settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

import lod_unioni.cards as cards
from lod_unioni.cli import main
from lod_unioni.errors import LodError

MIRACOLI_CARD = "000_2efc33edd475e064.txt"
LAGONEGRESE_CARD = "002_3ac5e4b8e6e15210.txt"


@pytest.fixture
def seeds(seeds_dir):
    return [str(seeds_dir / MIRACOLI_CARD), str(seeds_dir / LAGONEGRESE_CARD)]


@pytest.fixture(autouse=True)
def no_config(tmp_path, monkeypatch):
    """Run in an empty folder: no lod-unioni.toml from the repository."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.startswith("lod-unioni: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_imports_both_seeds(seeds, shared_data, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["import-card", *seeds, "--sources", str(shared_data), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["udcmd.yaml", "ull.yaml"]
    rec = yaml.safe_load((out / "udcmd.yaml").read_text(encoding="utf-8"))
    assert rec["union"]["name"] == "Unione dei Miracoli" and len(rec["members"]) == 4
    assert rec["population"]["value"] == 11749
    rec = yaml.safe_load((out / "ull.yaml").read_text(encoding="utf-8"))
    assert len(rec["members"]) == 9 and rec["population"]["value"] == 34908
    captured = capsys.readouterr()
    assert captured.out == ""  # progress goes to stderr
    assert "udcmd.yaml: Unione dei Miracoli, 4 comuni, 6 services, 0 unresolved" in captured.err
    assert "2 record(s) written" in captured.err


def test_refuses_to_overwrite_without_force(seeds, shared_data, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["import-card", seeds[0], "--sources", str(shared_data), "--out", str(out)]) == 0
    edited = (out / "udcmd.yaml").read_text(encoding="utf-8") + "# a steward's edit\n"
    (out / "udcmd.yaml").write_text(edited, encoding="utf-8")
    capsys.readouterr()
    assert main(["import-card", *seeds, "--sources", str(shared_data), "--out", str(out)]) == 2
    line = error_line(capsys)
    assert "udcmd.yaml" in line and "--force" in line
    assert (out / "udcmd.yaml").read_text(encoding="utf-8") == edited  # untouched
    assert not (out / "ull.yaml").exists()  # nothing written at all
    assert main(["import-card", *seeds, "--sources", str(shared_data), "--out", str(out), "--force"]) == 0
    assert "a steward's edit" not in (out / "udcmd.yaml").read_text(encoding="utf-8")
    assert (out / "ull.yaml").exists()


def test_no_sources_is_a_one_line_error(seeds, capsys):
    assert main(["import-card", *seeds]) == 2
    line = error_line(capsys)
    assert "--sources" in line


def test_sources_and_records_from_settings(seeds, shared_data, no_config, capsys):
    (no_config / "lod-unioni.toml").write_text(
        f'sources = "{shared_data.as_posix()}"\nrecords = "recs"\n', encoding="utf-8"
    )
    assert main(["import-card", seeds[1]]) == 0
    assert (no_config / "recs" / "ull.yaml").is_file()


def test_default_out_is_records(seeds, shared_data, no_config):
    assert main(["import-card", seeds[0], "--sources", str(shared_data)]) == 0
    assert (no_config / "records" / "udcmd.yaml").is_file()


def test_missing_sources_folder(seeds, tmp_path, capsys):
    assert main(["import-card", *seeds, "--sources", str(tmp_path / "nope")]) == 2
    assert "sources folder not found" in error_line(capsys)


def test_missing_card(shared_data, tmp_path, capsys):
    assert main(["import-card", str(tmp_path / "nope.txt"), "--sources", str(shared_data), "--out", str(tmp_path)]) == 2
    line = error_line(capsys)
    assert "nope.txt" in line and "card not found" in line


def test_bad_card_writes_nothing(seeds_dir, seeds, shared_data, tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text((seeds_dir / MIRACOLI_CARD).read_text(encoding="utf-8").replace("- 892\n", ""), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-card", seeds[1], str(bad), "--sources", str(shared_data), "--out", str(out)]) == 2
    line = error_line(capsys)
    assert line.startswith("lod-unioni: error: bad.txt: field members: ") and "4 comuni and 3 populations" in line
    assert not out.exists() or not any(out.iterdir())


def test_unresolved_gives_exit_1_and_still_writes(seeds_dir, shared_data, tmp_path, capsys):
    card = tmp_path / "card.txt"
    card.write_text(
        (seeds_dir / MIRACOLI_CARD).read_text(encoding="utf-8").replace("- Scerni", "- Scernii"), encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["import-card", str(card), "--sources", str(shared_data), "--out", str(out)]) == 1
    rec = yaml.safe_load((out / "udcmd.yaml").read_text(encoding="utf-8"))
    assert rec["unresolved"][0]["field"] == "members[2].name"
    err = capsys.readouterr().err
    assert "warning" in err and "Scernii" in err and "1 unresolved" in err


def test_same_ipa_code_twice(seeds, shared_data, tmp_path, capsys):
    assert main(["import-card", seeds[0], seeds[0], "--sources", str(shared_data), "--out", str(tmp_path / "o")]) == 2
    assert "same CODICE IPA udcmd" in error_line(capsys)


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path, monkeypatch):
    tmp_path = tmp_path / "recs"
    tmp_path.mkdir()
    target = tmp_path / "udcmd.yaml"
    target.write_text("old content\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(LodError) as info:
        cards.write_record(target, "new content\n")
    assert info.value.file == str(target) and "disk full" in info.value.message
    assert target.read_text(encoding="utf-8") == "old content\n"
    assert os.listdir(tmp_path) == ["udcmd.yaml"]  # no temporary file left behind


def test_atomic_write_replaces(tmp_path):
    tmp_path = tmp_path / "recs"
    tmp_path.mkdir()
    target = tmp_path / "x.yaml"
    target.write_text("old\n", encoding="utf-8")
    cards.write_record(target, "new\n")
    assert target.read_text(encoding="utf-8") == "new\n" and os.listdir(tmp_path) == ["x.yaml"]


def test_console_entry_point(seeds, shared_data, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "lod_unioni", "import-card", *seeds, "--sources", str(shared_data), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == ["udcmd.yaml", "ull.yaml"]
    first = (out / "ull.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=") and first.endswith("union-record.schema.json")


def test_help_lists_the_command():
    proc = subprocess.run(
        [sys.executable, "-m", "lod_unioni", "import-card", "--help"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and "--sources" in proc.stdout and "--force" in proc.stdout


def test_a_record_that_would_not_build_is_not_written_exit_1(seeds_dir, seeds, shared_data, tmp_path, capsys):
    """A card with a population of -5 made a record that `build` refuses (import exit 0, build exit
    2): the record is checked before anything is written."""
    card = tmp_path / "neg.txt"
    text = (seeds_dir / MIRACOLI_CARD).read_text(encoding="utf-8")
    assert "\n- 5.812\n" in text
    card.write_text(text.replace("\n- 5.812\n", "\n- -5\n"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["import-card", seeds[1], str(card), "--sources", str(shared_data), "--out", str(out)]) == 1
    line = error_line(capsys)
    assert line.startswith(f"lod-unioni: error: {card}: record udcmd: field members[0].population.value: ")
    assert "would not build" in line and "-5" in line
    assert not out.exists()  # nothing written, the good card's record neither
    # with an unresolved member too: the record may lack its codes (a steward completes it), but the
    # values it has must be valid
    card.write_text(text.replace("\n- 5.812\n", "\n- -5\n").replace("- Scerni\n", "- Scernii\n"), encoding="utf-8")
    assert main(["import-card", str(card), "--sources", str(shared_data), "--out", str(out)]) == 1
    assert "field members[0].population.value: " in error_line(capsys) and not out.exists()


def test_an_out_folder_that_cannot_be_made_is_one_line_exit_2(seeds, shared_data, tmp_path, capsys):
    for out in ("/proc/lod-unioni-x", "/proc/lod-unioni-x/records"):
        assert main(["import-card", seeds[0], "--sources", str(shared_data), "--out", out]) == 2
        line = error_line(capsys)
        assert line.startswith(f"lod-unioni: error: {out}: cannot create the output folder: "), line
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["import-card", seeds[0], "--sources", str(shared_data), "--out", str(tmp_path / "file")]) == 2
    assert "output folder is a file" in error_line(capsys)


def test_a_card_over_the_size_limit_is_refused_without_reading_it(seeds_dir, shared_data, tmp_path, capsys):
    assert cards.MAX_CARD_BYTES == 2**20  # a real card is a few KB
    card = tmp_path / "huge.txt"
    with open(card, "wb") as fh:  # 10 MB, sparse: only what is read costs anything
        fh.write((seeds_dir / MIRACOLI_CARD).read_bytes())
        fh.truncate(10 * 2**20)
    out = tmp_path / "out"
    assert main(["import-card", str(card), "--sources", str(shared_data), "--out", str(out)]) == 2
    line = error_line(capsys)
    assert line.startswith(f"lod-unioni: error: {card}: card too large (more than {2**20} bytes")
    assert not out.exists()
