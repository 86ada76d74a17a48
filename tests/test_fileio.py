"""lod_unioni.fileio: the one atomic write (temporary file in the same folder, fsync, chmod,
os.replace), its clean-up on failure and its one-line errors."""

from __future__ import annotations

import os
import stat

import pytest

from lod_unioni.errors import LodError
from lod_unioni.fileio import atomic_writer, write_atomic, write_atomic_many


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_bytes_and_text(tmp_path):
    p = tmp_path / "a.ttl"
    p.write_bytes(b"old")
    assert write_atomic(p, b"new") == p and p.read_bytes() == b"new"
    write_atomic(p, "città\n")  # text: UTF-8, newline kept as given
    assert p.read_bytes() == "città\n".encode()
    assert stat.S_IMODE(p.stat().st_mode) == 0o644  # not mkstemp's 0600
    write_atomic(p, b"x", mode=0o600)
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["a.ttl"]  # no temporary file left


def test_a_failed_rename_keeps_the_old_file_and_names_it(tmp_path, monkeypatch):
    p = tmp_path / "udcmd.yaml"
    p.write_text("old\n", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(LodError) as info:
        write_atomic(p, "new\n")
    assert info.value.file == str(p) and "No space left on device" in str(info.value)
    assert "\n" not in str(info.value) and info.value.exit_code == 2
    assert p.read_text(encoding="utf-8") == "old\n" and _names(tmp_path) == ["udcmd.yaml"]


def test_a_missing_folder_is_a_one_line_error(tmp_path):
    target = tmp_path / "nope" / "report.json"
    with pytest.raises(LodError) as info:
        write_atomic(target, "{}")
    assert info.value.file == str(target) and "cannot write" in info.value.message


def test_data_of_another_type_writes_nothing(tmp_path):
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "a.ttl", 42)
    assert _names(tmp_path) == []


def test_atomic_writer_streams_and_an_exception_in_the_block_changes_nothing(tmp_path):
    p = tmp_path / "enti.csv"
    with atomic_writer(p) as fh:
        for chunk in (b"a,b\n", b"1,2\n"):
            fh.write(chunk)
        assert not p.exists()  # nothing visible before the end of the block
    assert p.read_bytes() == b"a,b\n1,2\n"

    class Broken(Exception):
        pass

    with pytest.raises(Broken), atomic_writer(p) as fh:  # not an OSError: propagates as it is
        fh.write(b"partial")
        raise Broken()
    assert p.read_bytes() == b"a,b\n1,2\n" and _names(tmp_path) == ["enti.csv"]
    with pytest.raises(LodError) as info, atomic_writer(p):  # an OSError in the block: a LodError
        raise PermissionError(13, "Permission denied")
    assert info.value.file == str(p) and _names(tmp_path) == ["enti.csv"]


def test_write_atomic_many_changes_nothing_when_a_file_cannot_be_written(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    assert write_atomic_many({a: b"A1", b: "B1"}) == [a, b]
    with pytest.raises(TypeError):
        write_atomic_many({a: b"A2", b: None})  # fails after a's temporary file was written
    assert (a.read_bytes(), b.read_bytes()) == (b"A1", b"B1")
    with pytest.raises(LodError) as info:
        write_atomic_many({a: b"A3", tmp_path / "missing" / "c.nt": b"C"})
    assert info.value.file == str(tmp_path / "missing" / "c.nt")
    assert a.read_bytes() == b"A1" and _names(tmp_path) == ["a.ttl", "b.nt"]
