"""Frames and paths of the mapping runtime: where a placeholder reads its values (the item of the
record being mapped, its enclosing items, the build variables) and the compiled paths of the
language (``.name``, ``..istat_code``, ``union.ipa_code``, ``members[*]``) with their iteration."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..records import Record

__all__ = ["ALL", "Context", "FieldPath", "Frame", "get_value", "getter", "iterate", "present", "start_frame"]

ALL: Any = object()  # the "[*]" step of a path


# --- frames (where a placeholder reads its values) ---------------------------------------------------


class Frame:
    """An item of the record being mapped, with its enclosing item and its JSON path."""

    __slots__ = ("item", "parent", "path")

    def __init__(self, item: Any, parent: Frame | None, path: tuple):
        self.item = item
        self.parent = parent
        self.path = path


class Context:
    """What a placeholder can read: the build variables, the record root and the current frame."""

    __slots__ = ("record", "root", "vars")

    def __init__(self, variables: dict[str, str | None], root: Frame, record: Record):
        self.vars = variables
        self.root = root
        self.record = record


# --- paths ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldPath:
    """A compiled path: where it starts and its steps."""

    text: str
    up: int  # -1: from the root; 0: current item; 1: enclosing item; ...
    steps: tuple  # keys, or ALL for "[*]"

    @property
    def iterates(self) -> bool:
        return ALL in self.steps


def start_frame(path: FieldPath, ctx: Context, frame: Frame) -> Frame | None:
    if path.up < 0:
        return ctx.root
    f: Frame | None = frame
    for _ in range(path.up):
        f = f.parent  # type: ignore[union-attr]
        if f is None:
            return None
    return f


def get_value(path: FieldPath, ctx: Context, frame: Frame) -> Any:
    f = start_frame(path, ctx, frame)
    if f is None:
        return None
    value = f.item
    for key in path.steps:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
        if value is None:
            return None
    return value


@functools.cache
def getter(path: FieldPath) -> Callable[[Context, Frame], Any]:
    """:func:`get_value` of ``path``, made for it (a key of the root or of the current item: one lookup)."""
    if len(path.steps) == 1 and path.up in (-1, 0):
        key = path.steps[0]
        if key is not ALL and path.up < 0:

            def of_root(ctx: Context, frame: Frame) -> Any:
                item = ctx.root.item
                return item.get(key) if isinstance(item, dict) else None

            return of_root
        if key is not ALL:

            def of_item(ctx: Context, frame: Frame) -> Any:
                item = frame.item
                return item.get(key) if isinstance(item, dict) else None

            return of_item
    return functools.partial(get_value, path)


def iterate(path: FieldPath, ctx: Context, frame: Frame) -> Iterator[Frame]:
    """The frames a ``for_each`` path yields: one per item, absent values yield nothing."""
    start = start_frame(path, ctx, frame)
    if start is None:
        return
    steps = path.steps
    if len(steps) == 2 and steps[1] is ALL and steps[0] is not ALL:  # "list[*]", the usual iterator
        value = start.item.get(steps[0]) if isinstance(start.item, dict) else None
        if isinstance(value, list):
            base = (*start.path, steps[0])
            for i, el in enumerate(value):
                if el is not None:
                    yield Frame(el, start, (*base, i))
        return
    # state: (value, frame of value if known, enclosing frame, json path)
    states: list[tuple[Any, Frame | None, Frame | None, tuple]] = [(start.item, start, start.parent, start.path)]
    for step in path.steps:
        nxt: list[tuple[Any, Frame | None, Frame | None, tuple]] = []
        for value, own, owner, p in states:
            if step is ALL:
                if not isinstance(value, list):
                    continue
                for i, el in enumerate(value):
                    if el is not None:
                        nxt.append((el, None, owner, p + (i,)))
            else:
                if not isinstance(value, dict):
                    continue
                child = value.get(step)
                if child is None:
                    continue
                if own is None:
                    own = Frame(value, owner, p)
                nxt.append((child, None, own, p + (step,)))
        states = nxt
    for value, own, owner, p in states:
        yield own if own is not None else Frame(value, owner, p)


def present(value: Any) -> bool:
    return value is not None and value != [] and value != {} and value != ""
