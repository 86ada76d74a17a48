"""Progress and summaries for people, on stderr (stdout stays for data).

Modules report through :func:`info` (a progress line, dropped when quiet), :func:`warn` (always
shown) and :class:`Step` (a step and its duration). Where the lines go, and whether progress is
shown, is the :class:`Reporter` of the current context: the command line runs a command inside
``with progress.reporting(quiet=args.quiet):``, a test or a script does the same around what it
calls. Outside any ``reporting`` block the reporter is ``Reporter()``: progress and warnings on
stderr.

The current reporter is a :class:`contextvars.ContextVar`, not a module variable that callers set
and forget to reset: a ``reporting`` block restores the previous reporter when it ends (even on an
error), and concurrent contexts (threads, tasks) do not see each other's setting.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO

__all__ = ["Reporter", "Step", "current", "info", "reporting", "set_quiet", "warn"]


@dataclass(frozen=True)
class Reporter:
    """Where progress lines and warnings go. ``quiet`` drops the progress lines, never the
    warnings; ``stream`` defaults to :data:`sys.stderr` as it is when a line is written."""

    quiet: bool = False
    stream: TextIO | None = None

    def info(self, message: str) -> None:
        """A progress line, unless quiet."""
        if not self.quiet:
            print(message, file=self.stream or sys.stderr, flush=True)

    def warn(self, message: str) -> None:
        """A warning, shown even when quiet."""
        print(f"lod-unioni: warning: {message}", file=self.stream or sys.stderr, flush=True)


_DEFAULT = Reporter()
_current: ContextVar[Reporter | None] = ContextVar("lod_unioni.progress", default=None)


def current() -> Reporter:
    """The reporter of the current context."""
    return _current.get() or _DEFAULT


@contextmanager
def reporting(reporter: Reporter | None = None, *, quiet: bool = False) -> Iterator[Reporter]:
    """Report through ``reporter`` (default: ``Reporter(quiet=quiet)``) inside the block."""
    chosen = reporter if reporter is not None else Reporter(quiet=quiet)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def set_quiet(quiet: bool) -> None:
    """Make the current context quiet (or not) from here on, without a block to end: for a process
    that is quiet as a whole, such as a benchmark's child. Prefer :func:`reporting`."""
    _current.set(Reporter(quiet=quiet, stream=current().stream))


def info(message: str) -> None:
    """A progress line on stderr, unless quiet (``--quiet``)."""
    current().info(message)


def warn(message: str) -> None:
    """A warning on stderr, shown even when quiet."""
    current().warn(message)


class Step:
    """Context manager that reports a step and its duration: ``with Step("reading records"): ...``."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> Step:
        self.start = time.perf_counter()
        info(f"- {self.label} ...")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None:
            info(f"  {self.label}: done in {time.perf_counter() - self.start:.2f} s")
