"""The client-side search: a small JSON index of the unions and comuni (name, codes, place, page)
that ``assets/search.js`` (our own script, no library) reads in the browser; no server needed.

``search.json``: ``{"fields": [...], "items": [[name, codes, kind, place, path], ...]}`` with
``kind`` ``u`` (union) or ``c`` (comune), ``codes`` the IPA, ISTAT, cadastral and Ministry codes
separated by spaces, ``path`` the page from the site root without ``.html``.
"""

from __future__ import annotations

import json
from pathlib import Path

from .catalogue import Catalogue

__all__ = ["SEARCH_INDEX", "search_index", "search_script"]

SEARCH_INDEX = "search.json"
_FIELDS = ["name", "codes", "kind", "place", "path"]


def search_index(c: Catalogue) -> bytes:
    items = []
    for kind, entries in (("u", c.unions), ("c", c.comuni)):
        for e in entries:
            place = c.name(e.province) or c.name(e.region)
            items.append([e.name, " ".join(e.codes), kind, place, e.path])
    data = {"fields": _FIELDS, "items": items}
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def search_script() -> bytes:
    return (Path(__file__).resolve().parent / "assets" / "search.js").read_bytes()
