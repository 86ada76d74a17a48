"""Find a union of the dumps by what a user types: its IRI, its IPA code (ignoring case) or the
key of its IRI (``dait-4130236050``), or its name (ignoring case, accents and punctuation; the
whole name first, then every word of it). None found or several: a one-line :class:`LodError`
listing the candidates."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import LodError
from ..text import normalize_name
from .dumps import Dumps, UnionRow

__all__ = ["find_union"]

_SHOWN = 8


def _show(unions: Iterable[UnionRow]) -> str:
    items = sorted(unions, key=lambda u: (normalize_name(u.name), u.key))
    shown = [f"{u.ipa or u.key} ({u.name})" for u in items[:_SHOWN]]
    more = len(items) - _SHOWN
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _matching(unions: list[UnionRow], text: str) -> list[UnionRow]:
    wanted = text.strip()
    by_iri = [u for u in unions if u.iri == wanted]
    if by_iri:
        return by_iri
    code = wanted.casefold()
    by_code = [u for u in unions if (u.ipa or "").casefold() == code or u.key.casefold() == code]
    if by_code:
        return by_code
    key = normalize_name(wanted)
    if not key:
        return []
    whole = [u for u in unions if normalize_name(u.name) == key]
    if whole:
        return whole
    words = key.split()
    return [u for u in unions if all(w in normalize_name(u.name).split() for w in words)]


def find_union(dumps: Dumps, text: str) -> UnionRow:
    """The one union of ``dumps`` that ``text`` names (see the module's rules)."""
    found = _matching(list(dumps.unions.values()), text)
    if len(found) == 1:
        return found[0]
    if not found:
        near = [
            u for u in dumps.unions.values() if normalize_name(text) and normalize_name(text) in normalize_name(u.name)
        ]
        hint = f"; did you mean: {_show(near)}" if near else "; give its IPA code, its IRI or its name"
        raise LodError(f"no union {text!r} in the dumps{hint}", file=str(dumps.path))
    raise LodError(f"{len(found)} unions match {text!r}: {_show(found)}; give its IPA code", file=str(dumps.path))
