"""One atomic publication: the whole set of files of an output folder replaced in one step.

::

    from lod_unioni.publish import publish
    publish("output", {"unioni.ttl": ttl, "unioni.nt": nt, ...}, replaces=("catalog.ttl",))

:func:`publish` writes the new set into a fresh folder beside the output folder
(``.{name}.new-{pid}-{random}``, in the same parent), syncs it to disk and switches it with the
output folder in one atomic step: on Linux ``renameat2(RENAME_EXCHANGE)`` exchanges the two
folders, so that the output folder stays a real folder (it may be committed in git). A reader, a
crash or a kill sees the old complete set or the new one, never a mix. Where the exchange is not
available (another OS, a filesystem without it: EINVAL/ENOSYS), the old folder is renamed aside
(``.{name}.old-{pid}-{random}``) and the new one renamed in its place: between the two renames
there is no output folder for an instant, and a crash there is repaired by the next publication
(the names of the leftover folders are its journal).

The new folder holds:

* the files given; one whose bytes are those already published is hard-linked from the old set
  (it keeps its inode and mtime);
* every other entry of the output folder (``national/``, a README): files are hard-linked, folders
  are moved into the new folder just before the switch (and back if the switch fails);
* not the names of ``replaces`` that are not given (a ``catalog.ttl`` must not outlive the dumps
  it describes), nor the temporary files of earlier writes of the set (``.unioni.ttl.*.tmp``);
* the folders of ``trees`` (``versions/``): the set's own folders whose earlier content is kept.
  Their files are hard-linked into the new set (never moved), and the files given under them
  (``versions/2026-12-01/unioni.ttl``) are added, so that they too switch with the set.

When nothing would change, nothing is written. A lock (``fcntl.flock`` on ``.{name}.lock`` beside
the output folder, removed afterwards) serialises the publications into one folder: another one
waits up to ``lock_timeout`` seconds, then fails naming the folder and the process that holds the
lock. The leftovers of a killed publication are cleaned up, under the lock, by the next one. An
:class:`OSError` becomes a :class:`~lod_unioni.errors.LodError` naming the output folder (one
line, exit code 2). The folder that holds the output folder must be writable (the new set and the
lock are made there). POSIX only (``fcntl``, ``O_DIRECTORY``).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .. import progress
from ..errors import LodError
from ..fileio import DEFAULT_MODE

__all__ = ["LOCK_TIMEOUT", "check_out_folder", "exchange_paths", "publish"]

#: Seconds a publication waits for another one into the same folder (it holds the lock only while
#: it writes and switches the files).
LOCK_TIMEOUT = 60.0

_AT_FDCWD = -100  # Linux
_RENAME_EXCHANGE = 2
_NOT_SUPPORTED = frozenset({errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP})
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP})


@functools.lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    """libc's ``renameat2`` (Linux, glibc 2.28 or later), None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange_paths(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
    """Exchange two existing paths (files or folders) in one atomic step: ``renameat2`` with
    ``RENAME_EXCHANGE``. An :class:`OSError` with ENOSYS where it is not available, EINVAL where
    the filesystem cannot do it."""
    function = _renameat2()
    if function is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(a))
    if function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


@dataclass(frozen=True)
class _Folder:
    """The output folder (``out``, absolute, symbolic links resolved) as the user named it
    (``given``), and the names of what a publication puts beside it."""

    given: Path
    out: Path

    @property
    def parent(self) -> Path:
        return self.out.parent

    @property
    def lock(self) -> Path:
        return self.parent / f".{self.out.name}.lock"

    def leftover(self, name: str) -> str | None:
        """The kind of folder a publication left beside the output folder under this name: "new"
        (a new set, or the old one after the exchange) or "old" (renamed aside); else None."""
        m = re.fullmatch(rf"\.{re.escape(self.out.name)}\.(new|old)-\d+-[0-9a-f]{{8}}", name)
        return m.group(1) if m else None

    def sibling(self, kind: str) -> Path:
        return self.parent / f".{self.out.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}"


@dataclass
class _Plan:
    """What the new set is made of (see the module)."""

    exists: bool  # whether the output folder exists
    mode: int | None = None  # its permissions
    write: dict[str, bytes] = field(default_factory=dict)  # new or changed files
    keep: dict[str, bytes] = field(default_factory=dict)  # unchanged files: hard-linked
    carry_files: list[str] = field(default_factory=list)  # other entries, not folders: hard-linked
    carry_dirs: list[str] = field(default_factory=list)  # other folders: moved
    drop: list[str] = field(default_factory=list)  # not carried over
    trees: frozenset[str] = frozenset()  # the set's folders: their files are linked, given ones added

    @property
    def changes(self) -> bool:
        return not self.exists or bool(self.write or self.drop)


def _as_bytes(name: str, data: bytes | str, trees: frozenset[str]) -> bytes:
    parts = name.split("/") if isinstance(name, str) else [""]
    if any(p in ("", ".", "..") or "\0" in p for p in parts) or (len(parts) > 1 and parts[0] not in trees):
        raise ValueError(f"not a file name (or not in a folder of trees): {name!r}")
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"data to write must be bytes or str, not {type(data).__name__}")


def check_out_folder(out_dir: str | os.PathLike[str]) -> Path:
    """Raise the :class:`LodError` that :func:`publish` would raise about ``out_dir`` itself (a
    file, below a file, the root, the current folder), before any work; returns it resolved."""
    return _folder(out_dir).out


def _folder(out_dir: str | os.PathLike[str]) -> _Folder:
    """The output folder, checked: not a file, not the root, not the current folder nor one that
    contains it (the folder is replaced as a whole)."""
    given = Path(out_dir)
    out = Path(os.path.realpath(given))
    if out.parent == out:
        raise LodError("cannot publish into the root folder", file=str(given))
    if os.path.lexists(out) and not out.is_dir():
        raise LodError("not a folder: the output must be a folder", file=str(given))
    above = next(p for p in out.parents if os.path.lexists(p))
    if not above.is_dir():
        raise LodError(f"cannot make the output folder: {above} is not a folder", file=str(given))
    try:
        cwd = Path(os.path.realpath(os.getcwd()))
    except OSError:  # the current folder was removed: it is not the output folder
        cwd = None
    if cwd is not None and (cwd == out or out in cwd.parents):
        raise LodError(
            "is the current folder or contains it: a build replaces the output folder as a whole, "
            "so run it from another folder",
            file=str(given),
        )
    return _Folder(given, out)


def publish(
    out_dir: str | os.PathLike[str],
    files: Mapping[str, bytes | str],
    *,
    replaces: Iterable[str] = (),
    trees: Iterable[str] = (),
    lock_timeout: float = LOCK_TIMEOUT,
) -> list[Path]:
    """Publish ``files`` (name -> bytes, or str written as UTF-8) as the set of ``out_dir`` in one
    atomic step (see the module); names of ``replaces`` that are not in ``files`` are removed.
    ``trees``: the set's folders whose earlier files are kept; a name of ``files`` may be a path
    in one of them (``versions/2026-12-01/unioni.ttl``). Creates the folder and its parents when
    needed. Returns the paths of ``files``, sorted."""
    tree_names = frozenset(trees)
    payloads = {name: _as_bytes(name, data, tree_names) for name, data in files.items()}
    owned = frozenset(payloads) | frozenset(replaces)
    folder = _folder(out_dir)
    try:
        os.makedirs(folder.parent, exist_ok=True)
        with _locked(folder, lock_timeout):
            _clean_leftovers(folder, owned, tree_names)
            plan = _plan(folder, payloads, owned, tree_names)
            if plan.changes:
                _switch(folder, plan)
    except OSError as exc:
        raise LodError(_message(exc, folder), file=str(folder.given)) from None
    return sorted(folder.given / name for name in payloads)


def _message(exc: OSError, folder: _Folder) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    message = f"cannot write the output folder: {exc.strerror or exc}{where}"
    beside = exc.filename is not None and Path(os.fsdecode(exc.filename)).parent == folder.parent
    if beside and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        message += f"; the new set is made beside the output folder, so {folder.parent} must be writable too"
    return message


# --- the lock ------------------------------------------------------------------------------------


@contextmanager
def _locked(folder: _Folder, timeout: float) -> Iterator[None]:
    """Hold the lock of the output folder (its lock file, which holds our process id)."""
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(folder.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, DEFAULT_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise LodError(
                    f"another build ({_holder(folder.lock)}) is publishing into this folder; waited "
                    f"{timeout:g} s: try again when it has finished",
                    file=str(folder.given),
                ) from None
            time.sleep(0.05)
            continue
        except BaseException:
            os.close(fd)
            raise
        if _is_the_file(fd, folder.lock):
            break
        os.close(fd)  # the holder before us removed the file after we opened it: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with suppress(OSError):
            os.unlink(folder.lock)
        with suppress(OSError):
            os.close(fd)


def _is_the_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _holder(lock: Path) -> str:
    try:
        pid = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


# --- leftovers, the plan ---------------------------------------------------------------------------


def _is_temporary(name: str, owned: frozenset[str]) -> bool:
    """A temporary file of an earlier write of one of the set's files (``.unioni.ttl.x1y2.tmp``)."""
    return name.startswith(".") and name.endswith(".tmp") and any(name.startswith(f".{n}.") for n in owned)


def _clean_leftovers(folder: _Folder, owned: frozenset[str], trees: frozenset[str]) -> None:
    """Repair what a killed publication left: put back an output folder renamed aside (the
    fallback switch), move the folders carried into a new set back, remove the rest (the folders
    of ``trees`` there are copies made of links, or the originals of the links now published)."""
    leftovers = {name: folder.leftover(name) for name in os.listdir(folder.parent)}
    new = sorted(folder.parent / n for n, kind in leftovers.items() if kind == "new")
    old = sorted((folder.parent / n for n, kind in leftovers.items() if kind == "old"), key=os.path.getmtime)
    if old and not os.path.lexists(folder.out):
        os.rename(old.pop(), folder.out)
        progress.warn(f"{folder.given}: put the previous files back (a publication was interrupted)")
    for stage in new:
        if folder.out.is_dir():
            for entry in os.scandir(stage):
                moved = entry.is_dir(follow_symlinks=False) and entry.name not in trees
                if moved and not os.path.lexists(folder.out / entry.name):
                    os.rename(entry.path, folder.out / entry.name)
        _remove_flat(stage, trees)
    for stage in old:
        _remove_flat(stage, trees)
    if folder.out.is_dir():
        for name in os.listdir(folder.out):
            if _is_temporary(name, owned):
                os.unlink(folder.out / name)


def _remove_flat(path: Path, trees: frozenset[str] = frozenset()) -> None:
    """Remove a folder left by a publication and the files in it, and its folders of ``trees``;
    never another folder in it (one that was not carried back, which is then left in place, with
    a warning)."""
    kept = []
    for entry in os.scandir(path):
        if entry.is_dir(follow_symlinks=False) and entry.name in trees:
            shutil.rmtree(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            kept.append(entry.name)
        else:
            os.unlink(entry.path)
    if kept:
        progress.warn(f"{path}: left in place: it holds {', '.join(sorted(kept))}, not put back (see its content)")
    else:
        os.rmdir(path)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        st = os.lstat(path)
        if not (stat.S_ISREG(st.st_mode) and st.st_size == len(data)):
            return False
        with open(path, "rb") as fh:
            return fh.read() == data
    except OSError:
        return False


def _plan(folder: _Folder, payloads: dict[str, bytes], owned: frozenset[str], trees: frozenset[str]) -> _Plan:
    if not os.path.lexists(folder.out):
        return _Plan(exists=False, write=dict(payloads), trees=trees)
    plan = _Plan(exists=True, mode=os.stat(folder.out).st_mode & 0o7777, trees=trees)
    present = sorted(os.listdir(folder.out))
    for name in sorted(n for n in payloads if "/" in n):
        target = plan.keep if _same_bytes(folder.out / name, payloads[name]) else plan.write
        target[name] = payloads[name]
    for name in present:
        path = folder.out / name
        if name in trees:
            if os.path.islink(path) or not os.path.isdir(path):
                raise OSError(errno.ENOTDIR, "the output folder's own folder is not a folder", str(path))
        elif name in payloads:
            target = plan.keep if _same_bytes(path, payloads[name]) else plan.write
            target[name] = payloads[name]
        elif name in owned or _is_temporary(name, owned):
            plan.drop.append(name)
        elif os.path.isdir(path) and not os.path.islink(path):
            plan.carry_dirs.append(name)
        else:
            plan.carry_files.append(name)
    for name in payloads.keys() - set(present) - plan.keep.keys():
        plan.write[name] = payloads[name]
    return plan


# --- the new set and the switch ----------------------------------------------------------------------


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, DEFAULT_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fchmod(fd, DEFAULT_MODE)  # not less because of the umask: dumps are shared files
        os.fsync(fd)
    finally:
        os.close(fd)


def _link(source: Path, target: Path, data: bytes | None) -> None:
    """Hard-link ``source`` as ``target``; where the filesystem has no hard links, write ``data``
    (or copy ``source`` when it is None)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if data is not None:
            _write_new(target, data)
        else:
            shutil.copy2(source, target, follow_symlinks=False)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fill(stage: Path, folder: _Folder, plan: _Plan) -> None:
    """The new set in ``stage``: the new files, links to the unchanged ones and to the other files;
    the permissions of the output folder."""
    for tree in sorted(plan.trees):
        _link_tree(folder.out / tree, stage / tree, tree, frozenset(plan.write) | frozenset(plan.keep))
    first: dict[int, Path] = {}  # the same bytes given twice (a dump and its version's copy): one file
    for name, data in sorted(plan.write.items()):
        _make_parents(stage, name)
        if id(data) in first:
            _link(first[id(data)], stage / name, data)
        else:
            _write_new(stage / name, data)
            first[id(data)] = stage / name
    for name, data in sorted(plan.keep.items()):
        _make_parents(stage, name)
        _link(folder.out / name, stage / name, data)
    for name in plan.carry_files:
        _link(folder.out / name, stage / name, None)
    if plan.mode is not None:
        os.chmod(stage, plan.mode)
    for tree in sorted(plan.trees):
        for sub, _, _ in os.walk(stage / tree):
            _fsync_dir(Path(sub))
    _fsync_dir(stage)


def _link_tree(source: Path, target: Path, rel: str, given: frozenset[str]) -> None:
    """``target``: a copy of the folder ``source`` (``rel`` in the output folder; when it exists)
    made of hard links, but for the files of the set given anew (``given``)."""
    os.mkdir(target, 0o777)
    if not os.path.isdir(source):
        return
    for entry in sorted(os.scandir(source), key=lambda e: e.name):
        path = f"{rel}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            _link_tree(Path(entry.path), target / entry.name, path, given)
        elif path not in given:
            _link(Path(entry.path), target / entry.name, None)


def _make_parents(stage: Path, name: str) -> None:
    """The folders of a file of a tree (``versions/2026-12-01/``) in the new set."""
    parent = (stage / name).parent
    if parent != stage:
        os.makedirs(parent, 0o777, exist_ok=True)


def _switch(folder: _Folder, plan: _Plan) -> None:
    """Make the new set, then switch it with the output folder (see the module)."""
    stage = folder.sibling("new")
    os.mkdir(stage, 0o777)
    moved: list[str] = []
    try:
        _fill(stage, folder, plan)
        for name in plan.carry_dirs:
            os.rename(folder.out / name, stage / name)
            moved.append(name)
        previous = _replace(stage, folder, plan.exists)
    except BaseException:
        with suppress(OSError):
            for name in moved:
                os.rename(stage / name, folder.out / name)
            _remove_flat(stage, plan.trees)
        raise
    # Published: what is left to do only tidies up, and the next publication finishes it.
    try:
        _fsync_dir(folder.parent)
        if previous is not None:
            _remove_flat(previous, plan.trees)
    except OSError as exc:
        progress.warn(f"{folder.given}: published, but could not tidy up ({exc.strerror or exc}): the next build will")


def _replace(stage: Path, folder: _Folder, exists: bool) -> Path | None:
    """Put ``stage`` in the place of the output folder; returns where the previous set now is."""
    if not exists:
        os.rename(stage, folder.out)
        return None
    try:
        exchange_paths(stage, folder.out)
        return stage
    except OSError as exc:
        if exc.errno not in _NOT_SUPPORTED:
            raise
    aside = folder.sibling("old")
    os.rename(folder.out, aside)
    try:
        os.rename(stage, folder.out)
    except BaseException:
        with suppress(OSError):
            os.rename(aside, folder.out)
        raise
    return aside
