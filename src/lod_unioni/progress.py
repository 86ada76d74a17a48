"""Progress and summaries for people, on stderr (stdout stays for data)."""

from __future__ import annotations

import sys
import time

_quiet = False


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def info(message: str) -> None:
    """A progress line on stderr, unless --quiet."""
    if not _quiet:
        print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """A warning on stderr, shown even with --quiet."""
    print(f"lod-unioni: warning: {message}", file=sys.stderr, flush=True)


class Step:
    """Context manager that reports a step and its duration: ``with Step("reading records"): ...``."""

    def __init__(self, label: str):
        self.label = label

    def __enter__(self):
        self.start = time.perf_counter()
        info(f"- {self.label} ...")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            info(f"  {self.label}: done in {time.perf_counter() - self.start:.2f} s")
        return False
