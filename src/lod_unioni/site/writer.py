"""Writing the resources' files into the new site folder, in several processes.

The renderer is built once, in this process; the workers are forked from it (they share its
lookups, copy-on-write) and each writes the pages and documents of every n-th resource. Where
``fork`` is not available, or with one job, this process writes them all.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..web import Renderer

__all__ = ["default_jobs", "write_file", "write_resources"]

_RENDERER: Renderer | None = None  # the renderer of the forked workers


def default_jobs() -> int:
    """One worker per CPU, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def write_file(stage: Path, name: str, data: bytes, made: set[Path]) -> None:
    """Write ``data`` as ``stage/name`` (a new file), making its folders (``made``: those known)."""
    path = stage / name
    parent = path.parent
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _write_slice(stage: str, iris: Sequence[str], r: Renderer | None = None) -> tuple[int, int, int]:
    """Write the files of ``iris``; returns (resources, files, bytes)."""
    renderer = r if r is not None else _RENDERER
    assert renderer is not None
    root = Path(stage)
    made: set[Path] = set()
    files = size = 0
    for iri in iris:
        for name, data in renderer.files(iri).items():
            write_file(root, name, data, made)
            files += 1
            size += len(data)
    return len(iris), files, size


def _forked(stage: str, iris: Sequence[str]) -> tuple[int, int, int]:
    return _write_slice(stage, iris)


def write_resources(
    r: Renderer, stage: Path, iris: Sequence[str], jobs: int, meanwhile: Callable[[], None] | None = None
) -> tuple[int, int]:
    """Write every page and document of ``iris`` into ``stage`` with ``jobs`` processes, and run
    ``meanwhile`` in this process while they work; returns (files, bytes)."""
    global _RENDERER
    # The renderer's lookups are many long-lived objects: out of the collector's way (its full
    # collections would walk them again and again, and touch every page the workers share).
    gc.collect()
    gc.freeze()
    try:
        return _write(r, stage, iris, jobs, meanwhile)
    finally:
        gc.unfreeze()


def _write(
    r: Renderer, stage: Path, iris: Sequence[str], jobs: int, meanwhile: Callable[[], None] | None
) -> tuple[int, int]:
    global _RENDERER
    if jobs <= 1 or len(iris) < 200 or "fork" not in multiprocessing.get_all_start_methods():
        _, files, size = _write_slice(str(stage), iris, r)
        if meanwhile is not None:
            meanwhile()
        return files, size
    _RENDERER = r
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            # every jobs-th resource: the few large ones (the sources) fall to different workers
            parts = [pool.submit(_forked, str(stage), iris[i::jobs]) for i in range(jobs)]
            if meanwhile is not None:
                meanwhile()
            results = [p.result() for p in parts]
    finally:
        _RENDERER = None
    return sum(x[1] for x in results), sum(x[2] for x in results)
