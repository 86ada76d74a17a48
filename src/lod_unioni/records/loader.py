"""The safe YAML loader of record files, and the normalisation of what it reads.

The loader is YAML's safe loader (the C one when PyYAML has it) that also rejects duplicate keys
and non-scalar keys, and reports an impossible date (``2026-02-30``) with its line. Anchors and
aliases are refused before anything is built (a record never needs them; aliases of aliases are
how a small hostile file expands into gigabytes). Normalisation
turns YAML dates into ISO strings (``2022-01-01``), floats into :class:`decimal.Decimal` (through
their shortest repr, so ``122.56`` stays ``122.56``) and a year written as a bare number
(``founded: 2011``) into the string ``"2011"``. Nothing else is changed: case normalisation of
codes is the mapping's job.
"""

from __future__ import annotations

import datetime as _dt
import sys
from decimal import Decimal
from typing import Any

import yaml

from ..errors import RecordError

__all__ = ["normalise", "parse_yaml"]

# Keys whose value is a year or a date; a bare YAML integer there means a year.
_YEAR_KEYS = frozenset({"founded", "start", "end"})

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys and reports impossible dates with their line."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {node.value!r}: {exc}", node.start_mark
        ) from None


_RecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _refuse_anchors(text: str, file: str, record: str) -> None:
    """Raise a :class:`RecordError` at the first anchor (``&name``) or alias (``*name``) of the text,
    before anything is built from it: a record never needs them, and a few aliases of aliases make
    a small file expand into gigabytes (an "alias bomb"). Only the parser's events are read."""
    if "&" not in text and "*" not in text:
        return  # neither can occur
    for event in yaml.parse(text, Loader=_BaseLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:  # an alias event, or a node with an anchor
            what = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            mark = event.start_mark
            raise RecordError(
                f"not valid in a record: YAML {what} {anchor!r} (anchors and aliases are not allowed: "
                "write each value where it is used)",
                file=file,
                record=record,
                line=None if mark is None else mark.line + 1,
            )


def parse_yaml(text: str, file: str, record: str) -> Any:
    """The YAML document of a record file; a syntax error is a :class:`RecordError` with its line,
    and so is an anchor or an alias (refused before anything is built) or a number too long to
    read."""
    try:
        _refuse_anchors(text, file, record)
        return yaml.load(text, Loader=_RecordLoader)
    except ValueError:  # Python's limit on the digits of an integer read from text
        raise RecordError(
            f"not valid in a record: a number with more than {sys.get_int_max_str_digits()} digits",
            file=file,
            record=record,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise RecordError(
            f"not valid YAML: {problem}", file=file, record=record, line=None if mark is None else mark.line + 1
        ) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"not valid YAML: {exc}", file=file, record=record) from None


def normalise(value: Any, key: str | None = None) -> Any:
    """The parsed document with YAML dates, floats and bare years normalised (see the module)."""
    if isinstance(value, dict):
        return {k: normalise(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, _dt.datetime):
        return value.isoformat()  # rejected by the date patterns: a record has dates, not times
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)  # NaN/inf: rejected as a wrong type
        return Decimal(repr(value))
    if key in _YEAR_KEYS and isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 2999:
        return str(value)
    return value
