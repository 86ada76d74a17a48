"""Is a registry file plausible? Checked on what its reader returned, before anything uses it.

The expectations are declared once, per kind, in :data:`lod_unioni.sources.kinds.KINDS`
(:class:`~lod_unioni.sources.kinds.Plausible`): how many items a complete file gives, and in what
share of them some fields are filled. A header-only file, a truncated one, or one whose column went
empty fails with a one-line :class:`~lod_unioni.errors.SourceError` naming the file and the check
(exit code 2); with ``allow`` (``--allow-implausible``) it is used anyway, and said loudly on stderr.
The reader itself checks the header (a required column that is missing is an error).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from .. import progress
from ..errors import SourceError
from .kinds import KINDS

__all__ = ["ALLOW_OPTION", "Items", "check_plausible", "implausible"]

#: The option that lets a command use a file that fails a check (its name in messages).
ALLOW_OPTION = "--allow-implausible"


class Items(Protocol):
    """What a reader returns: items that can be counted and gone through."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Any]: ...


def implausible(kind: str, items: Items) -> str | None:
    """Why the items read from a file of ``kind`` are not those of a complete file, or None."""
    expected = KINDS[kind].plausible
    if expected is None:
        return None
    low, high = expected.rows
    n = len(items)
    if not low <= n <= high:
        return (
            f"{n:,} row(s) where a complete {KINDS[kind].label} file has {low:,} to {high:,} "
            "(a header-only or truncated file?)"
        )
    for name, share in expected.filled:
        filled = sum(1 for item in items if getattr(item, name) not in (None, "", ()))
        if filled < share * n:
            return (
                f"{name.replace('_', ' ')} is empty in {n - filled:,} of {n:,} row(s) (at most {1 - share:.0%} may be)"
            )
    return None


def check_plausible(kind: str, path: str | Path, items: Items, *, allow: bool = False) -> None:
    """Stop (:class:`SourceError`) when the items read from ``path`` fail the checks of ``kind``;
    with ``allow``, warn and go on."""
    why = implausible(kind, items)
    if why is None:
        return
    if allow:
        progress.warn(f"{path}: implausible {KINDS[kind].label} file: {why}; used anyway ({ALLOW_OPTION})")
        return
    raise SourceError(
        f"implausible {KINDS[kind].label} file: {why}; replace it (lod-unioni sources fetch) or pass "
        f"{ALLOW_OPTION} to use it anyway",
        file=str(path),
    )
