"""One atomic publication of a whole folder that a caller writes itself: a static site of many
thousands of files (``lod-unioni site``).

::

    from lod_unioni.publish.tree import publish_tree
    publish_tree("site", lambda stage: write_every_page_into(stage), dirs=("data", "onto"))

It is :func:`lod_unioni.publish.publish` (its package, whose private helpers it shares) for sets
too large to hold in memory, compare and sync file by file: the same lock, the same cleaning of
what a killed publication left, the same switch (``renameat2(RENAME_EXCHANGE)``, or two renames
where it is not available), the same entries of the output folder kept. The differences:
``fill(stage)`` writes the new set into the fresh folder beside the output folder (in several
processes if it likes); the filesystem is synced once (``syncfs``) when it returns, not each file;
no file is compared with the published one (all are new inodes).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from .. import progress
from ..errors import LodError
from . import (
    LOCK_TIMEOUT,
    _clean_leftovers,
    _Folder,
    _folder,
    _fsync_dir,
    _link,
    _locked,
    _message,
    _remove_flat,
    _replace,
)

__all__ = ["publish_tree"]


def publish_tree(
    out_dir: str | os.PathLike[str],
    fill: Callable[[Path], None],
    *,
    dirs: Iterable[str] = (),
    lock_timeout: float = LOCK_TIMEOUT,
) -> Path:
    """Publish the folder ``fill(stage)`` makes as ``out_dir`` in one atomic step (see the
    module). ``dirs``: the set's own folders, replaced as a whole (the folders ``fill`` makes are
    too); the other entries of the output folder that ``fill`` did not make are kept (files
    hard-linked, folders moved). If ``fill`` or anything before the switch fails, the output
    folder is left as it was. An :class:`OSError` becomes a :class:`~lod_unioni.errors.LodError`
    naming the output folder. Returns the output folder."""
    own = frozenset(dirs)
    folder = _folder(out_dir)
    try:
        os.makedirs(folder.parent, exist_ok=True)
        with _locked(folder, lock_timeout):
            _clean_leftovers(folder, frozenset(), own)
            _switch(folder, fill, own)
    except OSError as exc:
        raise LodError(_message(exc, folder), file=str(folder.given)) from None
    return folder.given


def _switch(folder: _Folder, fill: Callable[[Path], None], own: frozenset[str]) -> None:
    stage = folder.sibling("new")
    os.mkdir(stage, 0o777)
    exists = os.path.lexists(folder.out)
    moved: list[str] = []
    made = own
    try:
        fill(stage)
        made = own | frozenset(e.name for e in os.scandir(stage) if e.is_dir(follow_symlinks=False))
        carry_dirs = []
        if exists:
            for entry in sorted(os.scandir(folder.out), key=lambda e: e.name):
                if os.path.lexists(stage / entry.name) or entry.name in own:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    carry_dirs.append(entry.name)
                else:
                    _link(Path(entry.path), stage / entry.name, None)
            os.chmod(stage, os.stat(folder.out).st_mode & 0o7777)
        _syncfs(stage)
        for name in carry_dirs:
            os.rename(folder.out / name, stage / name)
            moved.append(name)
        previous = _replace(stage, folder, exists)
    except BaseException:
        with suppress(OSError):
            for name in moved:
                os.rename(stage / name, folder.out / name)
            _remove_flat(stage, made)
        raise
    try:
        _fsync_dir(folder.parent)
        if previous is not None:
            _remove_flat(previous, made)
    except OSError as exc:
        progress.warn(f"{folder.given}: published, but could not tidy up ({exc.strerror or exc}): the next one will")


def _syncfs(path: Path) -> None:
    """Flush the filesystem that holds ``path`` to disk: ``syncfs`` (Linux), else ``sync``."""
    function = None
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            function = ctypes.CDLL(None, use_errno=True).syncfs
    if function is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        if function(fd) != 0:
            os.sync()
    finally:
        os.close(fd)
