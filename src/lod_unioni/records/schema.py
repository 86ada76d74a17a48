"""The record schema check: the JSON Schema, the rules a schema cannot say, one-line messages.

The schema is ``src/lod_unioni/schemas/union-record.schema.json`` (draft 2020-12). Of the errors
jsonschema finds, the first in document order is reported, as one line naming the field by its
JSON path (``members[2].population.value``) and saying what is expected.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from ..codes import IPA_CODE, IRI_KEY
from ..errors import RecordError
from ..resources import schema_path
from .keys import check_record_keys
from .loader import normalise

__all__ = ["json_path", "validate_record"]

_YEAR_OR_DATE = re.compile(r"\A[0-9]{4}(-[0-9]{2}-[0-9]{2})?\Z")
_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def _check_year_or_date(value: object) -> bool:
    """The schema's ``year-or-date`` format: a date written as ``YYYY-MM-DD`` must exist
    (``2022-02-30`` raises ValueError). Text of another shape is left to the schema's ``pattern``."""
    if not isinstance(value, str):
        return True
    if _YEAR_OR_DATE.match(value) and len(value) == 10:
        _dt.date.fromisoformat(value)
    return True


def _check_date(value: object) -> bool:
    """The schema's ``date`` format, in place of jsonschema's own (which would also report the text
    of another shape that the schema's ``pattern`` reports): a ``YYYY-MM-DD`` date must exist."""
    if isinstance(value, str) and _DATE.match(value):
        _dt.date.fromisoformat(value)
    return True


def _format_checker() -> FormatChecker:
    """jsonschema's format checker with the two date formats of the record schema."""
    checker = FormatChecker()
    checker.checks("year-or-date", raises=ValueError)(_check_year_or_date)
    checker.checks("date", raises=ValueError)(_check_date)
    return checker


# Keywords that only annotate a schema: beside a $ref they change nothing in validation.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


def _inline_refs(schema: dict) -> dict:
    """The schema with every local reference ``{"$ref": "#/$defs/name", "description": ...}``
    replaced by the definition it names, itself inlined: jsonschema resolves nothing while
    validating (resolving a ``$ref`` on each use is costly, and a record is validated often).

    A ``$ref`` with only annotations beside it becomes the definition itself, so that an error
    reports the same subschema (and description) as through the reference; one with other
    keywords keeps them and applies the definition through ``allOf``. A reference that is not
    ``#/$defs/...`` or that is recursive is kept as it is."""
    defs = schema.get("$defs", {})
    done: dict[str, Any] = {}

    def definition(name: str, active: tuple[str, ...]) -> Any:
        if name not in done:
            done[name] = walk(defs[name], active + (name,))
        return done[name]

    def walk(node: Any, active: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(v, active) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        name = ref[len("#/$defs/") :] if isinstance(ref, str) and ref.startswith("#/$defs/") else None
        if name is not None and name in defs and name not in active:
            target = definition(name, active)
            rest = {k: walk(v, active) for k, v in node.items() if k != "$ref"}
            if set(rest) <= _ANNOTATIONS:
                return target
            return {**rest, "allOf": [*rest.get("allOf", []), target]}
        return {k: (v if k == "$defs" else walk(v, active)) for k, v in node.items()}

    return walk(schema, ())


_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)((?:\\\\)*)\$")


@functools.lru_cache(maxsize=256)
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) ``pattern`` as Python reads it: in ECMA-262 ``$`` is the end of
    the input, in Python also the place before a final newline, so ``"^[0-9]{6}$"`` would accept
    ``"069015\\n"``. Each unescaped ``$`` becomes ``\\Z`` (the schema's patterns use ``$`` only as
    an anchor)."""
    return re.compile(_UNESCAPED_DOLLAR.sub(lambda m: m.group(1) + r"\Z", pattern))


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterable[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


#: The draft 2020-12 validator, with ECMA-262's ``$`` in ``pattern`` (see :func:`ecma_pattern`).
_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return _Validator(_inline_refs(schema), format_checker=_format_checker())


def json_path(parts: Iterable[str | int]) -> str:
    """``("members", 2, "population", "value")`` -> ``members[2].population.value``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": 'a string (quote codes: "069015")',
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}


def _python_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "empty"
    return f"{value}"


def _schema_message(error: ValidationError) -> tuple[list[str | int], str]:
    """Turn a jsonschema error into (path parts, one-line message)."""
    path: list[str | int] = list(error.absolute_path)
    v = str(error.validator)
    # The keyword's value, the instance and the subschema are whatever JSON the schema holds.
    vv: Any = error.validator_value
    inst: Any = error.instance
    schema: Any = error.schema
    desc = schema.get("description", "") if isinstance(schema, dict) else ""
    if v == "required":
        missing = [p for p in vv if isinstance(inst, dict) and p not in inst]
        name = missing[0] if missing else "?"
        return path + [name], "required field is missing"
    if v == "dependentRequired" and isinstance(inst, dict):
        for given, needed in vv.items():
            missing = [p for p in needed if given in inst and p not in inst]
            if missing:
                return path + [missing[0]], f"required field is missing (a record with {given} has {missing[0]})"
    if v == "additionalProperties":
        allowed = sorted((schema.get("properties") or {}).keys())
        extra = sorted(k for k in inst if k not in allowed) if isinstance(inst, dict) else []
        key = extra[0] if extra else "?"
        return path + [key], f"unknown field (known here: {', '.join(allowed)})"
    if v == "type":
        types: list[str] = vv if isinstance(vv, list) else [vv]
        want = " or ".join(_TYPE_NAMES.get(t, t) for t in types)
        return path, f"must be {want}, not {_python_type(inst)}"
    if v in ("minimum", "exclusiveMinimum"):
        bound = "at least" if v == "minimum" else "greater than"
        return path, f"must be {bound} {vv}, not {inst}"
    if v in ("maximum", "exclusiveMaximum"):
        return path, f"implausible value {inst}: must be at most {vv}"
    if v == "enum":
        return path, f"must be one of {', '.join(map(str, vv))}, not {inst!r}"
    if v == "const":
        return path, f"must be {vv!r}, not {inst!r}"
    if v == "pattern":
        what = desc.split(". ")[0].rstrip(".") if desc else f"text matching {vv}"
        return path, f"{inst!r} is not valid: expected {what[0].lower() + what[1:]}"
    if v == "format":
        return path, f"{inst!r} is not a valid {vv}: {error.cause or error.message}"
    if v in ("minItems", "maxItems", "minLength"):
        return path, error.message
    return path, error.message


def _error_order(error: ValidationError) -> tuple[list[tuple[int, int, str]], str]:
    return ([(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path], str(error.validator))


def _record_label(data: Any, stem: str) -> str:
    """The record's key (IPA code in lower case, or iri_key) when it can be read, else the file stem."""
    try:
        union = data["union"]
        code = union.get("ipa_code")
        if isinstance(code, str) and IPA_CODE.matches(code):
            return code.lower()
        key = union.get("iri_key")
        if code is None and isinstance(key, str) and IRI_KEY.matches(key):
            return key
    except (TypeError, KeyError, AttributeError):
        pass
    return stem


def validate_record(
    data: Any, *, file: str = "<record>", record: str | None = None, allow_missing: bool = False
) -> dict:
    """Check a parsed record against the schema and the rules a schema cannot say.

    Returns the normalised dict; raises :class:`RecordError` naming file, record and field.
    ``allow_missing`` checks the values that are there and lets required fields be missing (a
    record the card importer could not complete: what it left out is in ``unresolved``); such a
    record is not one ``build`` reads.
    """
    stem = Path(file).stem
    record = record or _record_label(data, stem)
    if not isinstance(data, dict):
        raise RecordError(f"a record must be a mapping of fields, not {_python_type(data)}", file=file, record=record)
    data = normalise(data)
    errors = sorted(
        (e for e in _validator().iter_errors(data) if not (allow_missing and e.validator == "required")),
        key=_error_order,
    )
    if errors:
        # One error at a time, the first in document order: deterministic and easy to fix.
        first = errors[0]
        path, message = _schema_message(first)
        raise RecordError(message, file=file, record=record, field=json_path(path) or None)
    _check_text(data, (), file, record)
    _check_rules(data, file, record)
    return data


#: Control characters a record's text never holds (tab and line ends are text).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_text(value: object, path: tuple[str | int, ...], file: str, record: str) -> None:
    """No string of a record holds a control character (a NUL in a name, an escape sequence...)."""
    if isinstance(value, str):
        found = _CONTROL.search(value)
        if found:
            raise RecordError(
                f"a control character (U+{ord(found.group()):04X}) in the text",
                file=file,
                record=record,
                field=json_path(path) or None,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(item, (*path, key), file, record)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_text(item, (*path, i), file, record)


def _check_rules(data: dict, file: str, record: str) -> None:
    """The rules a schema cannot say: a comune, a section key or a service listed twice, a line or
    datum source key with two wordings (:mod:`.keys`). A value that is missing (see
    ``allow_missing``) is not compared."""
    seen: dict[str, int] = {}
    for i, member in enumerate(data.get("members") or []):
        code = member.get("istat_code")
        if code is None:
            continue
        if code in seen:
            j = seen[code]
            raise RecordError(
                f"comune {code} ({member.get('name')}) is listed twice: also members[{j}] "
                f"({data['members'][j].get('name')})",
                file=file,
                record=record,
                field=f"members[{i}].istat_code",
            )
        seen[code] = i

    check_record_keys(data, file, record)
    services: dict[str, int] = {}
    for i, service in enumerate(data.get("services") or []):
        concept = service.get("concept")
        if concept is None:
            continue
        if concept in services:
            raise RecordError(
                f"service {concept!r} is listed twice: also services[{services[concept]}]",
                file=file,
                record=record,
                field=f"services[{i}].concept",
            )
        services[concept] = i
