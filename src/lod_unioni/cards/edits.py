"""Paths inside a record (``members[2].population.value``), as ``provenance.edits`` names the
fields a data steward changed: :func:`get_path`, :func:`delete_path`."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["delete_path", "get_path"]

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for m in _PATH_PART.finditer(path):
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
    return parts


def get_path(record: Any, path: str) -> Any:
    """The value at ``path`` (``union.website``, ``members[2].population.value``); KeyError/IndexError if absent."""
    node = record
    for part in _parts(path):
        node = node[part]
    return node


def delete_path(record: Any, path: str) -> bool:
    """Remove the value at ``path``; False when it was not there."""
    parts = _parts(path)
    node = record
    try:
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]
        return True
    except (KeyError, IndexError, TypeError):
        return False
