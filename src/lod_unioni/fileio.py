"""Atomic file writes: the one way lod-unioni replaces a file.

A file is written to a temporary file in the target's own folder (``.{name}.*.tmp``), flushed to
disk (``fsync``), given its permissions and renamed over the target with :func:`os.replace`. A
reader sees the old file or the new one, never a part of it; when anything fails the temporary
file is removed and the target is left exactly as it was. An :class:`OSError` becomes a
:class:`~lod_unioni.errors.LodError` naming the file (one line, exit code 2)::

    from lod_unioni.fileio import write_atomic, atomic_writer, write_atomic_many
    write_atomic("records/udm_069.yaml", text)              # str (UTF-8, newlines as given) or bytes
    with atomic_writer(dest) as fh:                          # a binary file object, for streaming
        for chunk in chunks:
            fh.write(chunk)                                  # an exception here leaves dest untouched
    write_atomic_many({out / "a.ttl": a, out / "b.nt": b})  # every temporary first, then the renames

The folder must exist (callers create it when that is what they mean).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TypeVar

from .errors import LodError

__all__ = ["DEFAULT_MODE", "atomic_writer", "write_atomic", "write_atomic_many"]

_PathT = TypeVar("_PathT", bound=str | os.PathLike[str])

#: Permissions of a written file (mkstemp makes 0600; records, dumps and reports are shared files).
DEFAULT_MODE = 0o644


def _error(path: Path, exc: OSError) -> LodError:
    return LodError(f"cannot write the file: {exc.strerror or exc}", file=str(path))


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return data.encode("utf-8")
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(f"data to write must be bytes or str, not {type(data).__name__}")


def _unlink(tmp: str) -> None:
    with suppress(OSError):
        os.unlink(tmp)


@contextmanager
def _temporary(target: Path, mode: int) -> Iterator[tuple[BinaryIO, str]]:
    """A temporary file beside ``target``: yields (binary file, its path). On a normal exit it is
    flushed, synced and chmod-ed, and left for the caller to rename; on an exception it is removed."""
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh, tmp
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise


@contextmanager
def atomic_writer(path: str | os.PathLike, *, mode: int = DEFAULT_MODE) -> Iterator[BinaryIO]:
    """A binary file object whose content replaces ``path`` atomically when the ``with`` block
    ends normally. An exception in the block removes the temporary file, leaves ``path`` as it was
    and propagates (an :class:`OSError`, from the block or from writing the file, as a
    :class:`~lod_unioni.errors.LodError` naming ``path``)."""
    target = Path(path)
    try:
        with _temporary(target, mode) as (fh, tmp):
            yield fh
        try:
            os.replace(tmp, target)
        except BaseException:
            _unlink(tmp)
            raise
    except OSError as exc:
        raise _error(target, exc) from None


def write_atomic(path: str | os.PathLike, data: bytes | str, *, mode: int = DEFAULT_MODE) -> Path:
    """Write ``data`` (bytes, or str written as UTF-8) to ``path`` atomically; returns the path."""
    payload = _as_bytes(data)
    with atomic_writer(path, mode=mode) as fh:
        fh.write(payload)
    return Path(path)


def write_atomic_many(files: Mapping[_PathT, bytes | str], *, mode: int = DEFAULT_MODE) -> list[Path]:
    """Write several files: every temporary file first, then the renames, so that a failure while
    writing (a full disk, data that is neither bytes nor str) changes none of the targets. Returns
    the paths in the order given."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            target = Path(path)
            payload = _as_bytes(data)
            try:
                with _temporary(target, mode) as (fh, tmp):
                    fh.write(payload)
            except OSError as exc:
                raise _error(target, exc) from None
            staged.append((tmp, target))
        written: list[Path] = []
        while staged:
            tmp, target = staged[0]
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise _error(target, exc) from None
            staged.pop(0)
            written.append(target)
        return written
    finally:
        for tmp, _ in staged:
            _unlink(tmp)
