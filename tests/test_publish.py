"""lod_unioni.publish: the set of an output folder replaced in one atomic step, under a lock.

Fault injection at every step (each write, sync, link, rename, exchange and removal fails in turn,
or kills the process), real kills of `lod-unioni build`, and two builds at once: a reader always
sees the old complete set or the new one, and the next build leaves exactly the new set, the
entries that are not the build's, and nothing beside the folder.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES_DIR, REPO
from publish_faults import NEW, OLD, OTHERS, REPLACES, STRAY, TREES, faults, make_old, problems, state

from lod_unioni.build import OUTPUT_FILES, VERSIONS, build
from lod_unioni.errors import LodError
from lod_unioni.publish import publish
from lod_unioni.serialize import write_files

FIXTURES = FIXTURES_DIR / "records"
OTHER_BASE = "https://data.example.org/unioni/"


def _names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- what a publication does ---------------------------------------------------------------------


def test_the_new_set_replaces_the_old_one_and_keeps_what_is_not_the_builds(tmp_path):
    out = make_old(tmp_path)
    os.chmod(out, 0o750)
    nt = (out / "unioni.nt").stat()
    readme = (out / "README.md").stat().st_ino
    v1 = (out / "versions/v1/unioni.ttl").stat().st_ino
    written = publish(out, NEW, replaces=REPLACES, trees=TREES)
    assert written == sorted(out / name for name in NEW)
    assert problems(tmp_path, out, nt.st_ino) == []
    assert (out / "unioni.nt").stat().st_mtime_ns == nt.st_mtime_ns  # unchanged: the same file
    assert (out / "versions/v1/unioni.ttl").stat().st_ino == v1  # the earlier version: kept, the same file
    assert (out / "README.md").stat().st_ino == readme and not (out / STRAY).exists()
    assert "catalog.ttl" not in _names(out)  # of the old set, not given: removed
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert all(stat.S_IMODE((out / name).stat().st_mode) == 0o644 for name in NEW)
    # a folder of the set's trees that is a file is an error, and changes nothing
    (tmp_path / "x").mkdir()
    other = make_old(tmp_path / "x")
    shutil.rmtree(other / "versions")
    (other / "versions").write_bytes(b"not a folder")
    with pytest.raises(LodError, match="not a folder"):
        publish(other, NEW, replaces=REPLACES, trees=TREES)
    assert (other / "versions").read_bytes() == b"not a folder" and (other / "unioni.ttl").read_bytes() == OLD[
        "unioni.ttl"
    ]


def test_nothing_is_written_when_nothing_changes(tmp_path):
    out = tmp_path / "out"
    publish(out, NEW, trees=TREES)

    def files() -> dict:  # the same file, unchanged (the comparison reads it: its access time may change)
        return {name: ((st := (out / name).stat()).st_ino, st.st_mtime_ns, st.st_size) for name in NEW}

    before = files()
    folder = out.stat().st_ino
    publish(out, {name: data.decode() for name, data in NEW.items()}, trees=TREES)  # str is written as UTF-8
    assert out.stat().st_ino == folder  # not even switched
    assert files() == before and _names(tmp_path) == ["out"]


def test_a_new_folder_and_its_parents_are_created(tmp_path):
    out = tmp_path / "a" / "b" / "out"
    assert publish(out, {"x.ttl": b"x"}) == [out / "x.ttl"]
    assert (out / "x.ttl").read_bytes() == b"x" and _names(out.parent) == ["out"]


def test_bad_data_or_names_change_nothing(tmp_path):
    out = make_old(tmp_path)
    bad = (
        ({"unioni.ttl": b"new", "unioni.nt": 42}, TypeError),
        ({"../x.ttl": b"x"}, ValueError),
        ({"national/x.ttl": b"x"}, ValueError),  # a path in a folder that is not one of the set's trees
        ({"versions/../x.ttl": b"x"}, ValueError),
    )
    for files, error in bad:
        with pytest.raises(error):
            publish(out, files, replaces=REPLACES, trees=TREES)
        assert state(out) == "old" and _names(tmp_path) == ["out"]


def test_a_symbolic_link_to_the_output_folder_is_followed(tmp_path):
    real = make_old(tmp_path / "real")
    (tmp_path / "link").symlink_to(real)
    publish(tmp_path / "link", NEW, replaces=REPLACES, trees=TREES)
    assert (tmp_path / "link").is_symlink() and state(real) == "new"


@pytest.mark.parametrize("where", ["file", "cwd", "parent of cwd"])
def test_the_output_folder_must_be_a_folder_and_not_the_current_one(tmp_path, monkeypatch, where):
    out = make_old(tmp_path)
    if where == "file":
        target = out / "README.md"
        message = "not a folder"
    else:
        monkeypatch.chdir(out / "national" if where == "parent of cwd" else out)
        target, message = out, "is the current folder or contains it"
    with pytest.raises(LodError) as info:
        publish(target, NEW, replaces=REPLACES, trees=TREES)
    assert info.value.file == str(target) and message in info.value.message
    assert state(out) == "old"


# --- faults at every step ----------------------------------------------------------------------------


def _eio() -> None:
    raise OSError(errno.EIO, "Input/output error")


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "rename aside"])
def test_a_fault_at_any_step_leaves_the_old_or_the_new_set_and_the_next_build_cleans_up(tmp_path, exchange):
    """Each write, sync, link, rename, exchange or removal fails in turn (until a build succeeds):
    the build fails with a one-line error (or, after the switch, warns), the folder holds the old
    complete set or the new one, and the next build leaves exactly the new set. (Publishing file by
    file, a failure at the third rename left new dumps beside an old catalog.ttl.)"""
    at = 0
    while True:
        at += 1
        parent = tmp_path / str(at)
        parent.mkdir()
        out = make_old(parent)
        nt_inode = (out / "unioni.nt").stat().st_ino
        with faults(at, _eio, exchange=exchange) as calls:
            try:
                write_files(out, NEW, replaces=REPLACES, trees=TREES)
            except LodError as exc:
                assert "\n" not in str(exc) and exc.file == str(out), exc
        assert state(out) in ("old", "new"), (at, state(out))
        write_files(out, NEW, replaces=REPLACES, trees=TREES)  # the next build
        assert problems(parent, out, nt_inode) == [], at
        if calls[0] < at:  # no fault: every step has been failed once
            break
    assert at > 30, at


def test_a_kill_at_any_step_leaves_the_old_or_the_new_set_and_the_next_build_cleans_up(tmp_path):
    """The same with SIGKILL at each step (no clean-up runs in the killed process). With the
    exchange the folder is always there; renaming the old folder aside leaves none for an
    instant (the next build puts the old one back)."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "tests" / "publish_faults.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert proc.returncode == 0, proc.stderr
    results = [json.loads(line) for line in proc.stdout.splitlines()]
    for mode in ("exchange", "rename"):
        runs = [r for r in results if r["mode"] == mode]
        assert len(runs) > 30 and not runs[-1]["killed"] and all(r["killed"] for r in runs[:-1]), runs
        allowed = ("old", "new") if mode == "exchange" else ("old", "new", "missing")
        for r in runs:
            assert r["seen"] in allowed and r["problems"] == [], r
        assert sum(r["seen"] == "missing" for r in runs) <= 1  # only between the two renames


# --- the lock ------------------------------------------------------------------------------------------


def _hold_lock(out: Path):
    fd = os.open(out.parent / f".{out.name}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, b"4242\n")
    return fd


def test_a_publication_waits_for_the_lock_then_fails_naming_the_folder_and_the_process(tmp_path):
    out = make_old(tmp_path)
    fd = _hold_lock(out)
    release = threading.Timer(0.2, os.close, [fd])  # the other build finishes
    try:
        start = time.monotonic()
        with pytest.raises(LodError) as info:
            publish(out, NEW, replaces=REPLACES, trees=TREES, lock_timeout=0.3)
        assert 0.3 <= time.monotonic() - start < 5
        assert info.value.file == str(out) and "another build (process 4242)" in info.value.message
        assert "waited 0.3 s" in info.value.message and state(out) == "old"
        release.start()
        publish(out, NEW, replaces=REPLACES, trees=TREES, lock_timeout=10)
    finally:
        if release.is_alive() or release.finished.is_set():
            release.join()
        else:
            os.close(fd)
    assert state(out) == "new" and _names(tmp_path) == ["out"]  # the lock file too is gone


# --- real builds ---------------------------------------------------------------------------------------


def _cli(out: Path, base_iri: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lod_unioni", "-q", "build", "--records", str(FIXTURES), "--out", str(out)]
        + ["--base-iri", base_iri],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def _dumps(out: Path) -> dict[str, bytes]:
    """The files of the set but the IRI register, which also keeps the IRIs of the builds before
    (another base IRI here); it is checked to be the register of these dumps."""
    files = {name: (out / name).read_bytes() for name in _names(out) if name in OUTPUT_FILES and name != "iris.csv"}
    if "unioni.nt" in files:
        subjects = {line.split(" ", 1)[0][1:-1] for line in files["unioni.nt"].decode().splitlines()}
        base = next(
            b for b in ("https://w3id.org/lod-unioni/data/", OTHER_BASE) if any(s.startswith(b) for s in subjects)
        )
        rows = list(csv.DictReader(io.StringIO((out / "iris.csv").read_text(encoding="utf-8"))))
        assert {r["iri"] for r in rows if r["iri"].startswith(base) and r["status"] == "live"} == {
            s for s in subjects if s.startswith(base)
        }, "the IRI register is not the one of these dumps"
    return files


def test_builds_killed_at_random_moments_never_leave_a_mixed_set(tmp_path):
    old_dir, new_dir, out = tmp_path / "old", tmp_path / "new", tmp_path / "work" / "out"
    build(FIXTURES, old_dir)
    start = time.monotonic()
    assert _cli(new_dir, OTHER_BASE).wait(timeout=120) == 0
    took = time.monotonic() - start
    old, new = _dumps(old_dir), _dumps(new_dir)
    build(FIXTURES, out)
    (out / "national").mkdir()
    rng = random.Random(9)
    for _ in range(6):
        proc = _cli(out, OTHER_BASE)
        time.sleep(rng.uniform(0.3, 1.1) * took)
        proc.kill()
        proc.wait(timeout=60)
        assert _dumps(out) in (old, new)
        build(FIXTURES, out)  # back to the old set, cleaning up
        assert _dumps(out) == old and _names(out.parent) == ["out"] and (out / "national").is_dir()


def test_two_builds_at_once_publish_one_complete_set_each(tmp_path):
    out = tmp_path / "work" / "out"
    build(FIXTURES, tmp_path / "a")
    build(FIXTURES, tmp_path / "b", base_iri=OTHER_BASE)
    sets = (_dumps(tmp_path / "a"), _dumps(tmp_path / "b"))
    procs = [_cli(out, base) for base in ("https://w3id.org/lod-unioni/data/", OTHER_BASE)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    assert _dumps(out) in sets and _names(out.parent) == ["out"]


def test_the_committed_output_folder_is_published_in_place(tmp_path):
    """The repository's output/ is a real folder, committed in git: after a build it still is."""
    repo = tmp_path / "repo"
    (repo / "output").mkdir(parents=True)
    build(FIXTURES, repo / "output")
    assert (repo / "output").is_dir() and not (repo / "output").is_symlink()
    assert _names(repo) == ["output"]
    # the scenario of the fault tests is a build's: its files, and copies in the build's folder of versions
    flat = {n for n in {*OLD, *NEW} if "/" not in n}
    assert flat <= set(OUTPUT_FILES) and set(OTHERS).isdisjoint(OUTPUT_FILES) and TREES == (VERSIONS,)
    assert {n.split("/")[0] for n in {*OLD, *NEW} if "/" in n} == {VERSIONS}
