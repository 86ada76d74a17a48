"""The scenario of the fault-injection tests of the publication (tests/test_publish.py).

An output folder ``out`` holds an old set of files, the set's own folder of versions with an
earlier version (``versions/v1/``), a file and a folder that are not the build's (``README.md``,
``national/``) and a temporary file an older build left; a new set is published into it (one file
unchanged, one new, one dropped, a new version's copy ``versions/v2/`` beside the kept ``v1``). :func:`faults` makes the os functions that
change the filesystem fail, or kill the process, at their Nth call.

Run as a script (``python publish_faults.py FOLDER``) it is the child of the kill test: for every
N until a publication completes, it forks a process that publishes with a SIGKILL at the Nth call,
then looks at the output folder as a reader would, publishes again (the next build) and prints
one JSON line per N: what the reader saw and what was wrong after the next build.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_NEW_TURTLE = b"new turtle\n"
OLD = {
    "unioni.ttl": b"old turtle\n",
    "unioni.nt": b"the same n-triples\n",
    "catalog.ttl": b"old catalog\n",
    "context.jsonld": b"old context\n",
    "versions/v1/unioni.ttl": b"old turtle\n",
}
NEW = {
    "unioni.ttl": _NEW_TURTLE,
    "unioni.nt": b"the same n-triples\n",
    "context.jsonld": b"new context\n",
    "unioni.jsonld": b"new json-ld\n",
    "versions/v2/unioni.ttl": _NEW_TURTLE,  # the same bytes: one file, two names
}
#: What a reader sees after the new set: the new files and the earlier version, kept.
NEW_SET = {**NEW, "versions/v1/unioni.ttl": OLD["versions/v1/unioni.ttl"]}
REPLACES = ("unioni.ttl", "unioni.jsonld", "unioni.nt", "context.jsonld", "catalog.ttl")
TREES = ("versions",)
OTHERS = {"README.md": b"not the build's\n", "national/national-report.txt": b"another build's\n"}
STRAY = ".unioni.ttl.k2j3h4.tmp"  # left by an older build

#: The os functions that change the filesystem (or make a change durable).
MUTATING = (
    "open",
    "write",
    "fchmod",
    "chmod",
    "fsync",
    "close",
    "ftruncate",
    "link",
    "rename",
    "replace",
    "mkdir",
    "unlink",
    "rmdir",
)


def make_old(parent: Path) -> Path:
    """``parent/out`` with the old set, the other entries and a stray temporary file."""
    out = parent / "out"
    (out / "national").mkdir(parents=True)
    for name, data in {**OLD, **OTHERS, STRAY: b"partial"}.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


def _files(out: Path) -> dict[str, bytes]:
    """The set's files a reader sees: those of REPLACES and those under the folders of TREES."""
    seen = {name: (out / name).read_bytes() for name in os.listdir(out) if name in REPLACES}
    for tree in TREES:
        for folder, _, names in os.walk(out / tree):
            for name in names:
                path = Path(folder) / name
                seen[path.relative_to(out).as_posix()] = path.read_bytes()
    return seen


def state(out: Path) -> str:
    """What a reader sees of the set: "old", "new", "missing" (no folder) or what is mixed."""
    if not out.is_dir():
        return "missing"
    seen = _files(out)
    for label, expected in (("old", OLD), ("new", NEW_SET)):
        if seen == expected:
            return label
    return f"mixed: {sorted(seen)} {seen}"


def problems(parent: Path, out: Path, nt_inode: int) -> list[str]:
    """What is wrong after a complete publication of the new set: the files, the other entries,
    the unchanged file's inode, and anything left beside or in the folder."""
    found = []
    if state(out) != "new":
        found.append(f"the set is {state(out)}")
    expected = sorted([*(n for n in NEW if "/" not in n), *TREES, "README.md", "national"])
    if sorted(os.listdir(out)) != expected:
        found.append(f"out holds {sorted(os.listdir(out))}, not {expected}")
    if (out / "versions/v2/unioni.ttl").stat().st_ino != (out / "unioni.ttl").stat().st_ino:
        found.append("the version's copy is not the dump's file")
    for name, data in OTHERS.items():
        if not (out / name).is_file() or (out / name).read_bytes() != data:
            found.append(f"{name} was not kept")
    if (out / "unioni.nt").stat().st_ino != nt_inode:
        found.append("the unchanged unioni.nt was rewritten")
    if os.listdir(parent) != ["out"]:
        found.append(f"left beside the folder: {sorted(os.listdir(parent))}")
    return found


@contextmanager
def faults(at: int, action: Callable[[], None], *, exchange: bool = True) -> Iterator[list[int]]:
    """Call ``action`` (raise, or kill the process) at the ``at``-th call of a :data:`MUTATING`
    os function. Yields a list holding the number of calls so far. ``exchange=False``: the
    atomic exchange of two folders is not available (as on another OS)."""
    import lod_unioni.publish as publish

    calls = [0]
    saved = {name: getattr(os, name) for name in MUTATING}
    saved_exchange = publish.exchange_paths

    def wrap(function: Callable) -> Callable:
        def call(*args: object, **kwargs: object) -> object:
            calls[0] += 1
            if calls[0] == at:
                action()
            return function(*args, **kwargs)

        return call

    def no_exchange(a: object, b: object) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    for name, function in saved.items():
        setattr(os, name, wrap(function))
    publish.exchange_paths = wrap(saved_exchange if exchange else no_exchange)  # type: ignore[assignment]
    try:
        yield calls
    finally:
        for name, function in saved.items():
            setattr(os, name, function)
        publish.exchange_paths = saved_exchange  # type: ignore[assignment]


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _run_killed(base: Path, mode: str, at: int) -> dict:
    """One publication killed at the ``at``-th call, then the next one; what was seen."""
    from lod_unioni.publish import publish

    parent = base / f"{mode}-{at}"
    parent.mkdir()
    out = make_old(parent)
    nt_inode = (out / "unioni.nt").stat().st_ino
    pid = os.fork()
    if pid == 0:  # the build that is killed
        try:
            with faults(at, _kill, exchange=mode == "exchange"):
                publish(out, NEW, replaces=REPLACES, trees=TREES)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    killed = os.WIFSIGNALED(status)
    seen = state(out)
    publish(out, NEW, replaces=REPLACES, trees=TREES)  # the next build
    return {"mode": mode, "at": at, "killed": killed, "seen": seen, "problems": problems(parent, out, nt_inode)}


def main() -> None:
    base = Path(sys.argv[1])
    for mode in ("exchange", "rename"):
        at = 1
        while True:
            result = _run_killed(base, mode, at)
            print(json.dumps(result), flush=True)
            if not result["killed"]:
                break
            at += 1


if __name__ == "__main__":
    main()
