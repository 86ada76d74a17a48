"""Union records: one YAML file per Unione di Comuni, checked against the record schema.

A record is what a data steward edits (``records/udcmd.yaml``). Its format is the JSON Schema
``src/lod_unioni/schemas/union-record.schema.json`` (draft 2020-12); ``docs/record-format-example.yaml``
shows every key. Loading is strict and every error is one line naming the file, the record (its IPA
code or iri_key, or the file stem when neither can be read) and the field as a JSON path
(``members[2].population.value``)::

    from lod_unioni.records import load_records
    records = load_records("records")          # sorted by file name
    records[0].ipa_code, records[0].data["members"][0]["istat_code"]
    records[0].key        # the IPA code, or the iri_key (dait-{CODICE UNIONE}) of a union IPA does not know

Normalisation on load: YAML dates become ISO strings (``2022-01-01``), YAML floats become
:class:`decimal.Decimal` (through their shortest repr, so ``122.56`` stays ``122.56``), a year
written as a bare number (``founded: 2011``) becomes the string ``"2011"``. Nothing else is changed:
case normalisation of codes is the mapping's job.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from .codes import IPA_CODE, IRI_KEY
from .errors import RecordError
from .resources import schema_path
from .text import slug

__all__ = ["Figure", "Member", "Record", "UnionInfo", "json_path", "load_record", "load_records", "validate_record"]

_YEAR_OR_DATE = re.compile(r"^[0-9]{4}(-[0-9]{2}-[0-9]{2})?$")
# Keys whose value is a year or a date; a bare YAML integer there means a year.
_YEAR_KEYS = frozenset({"founded", "start", "end"})


@dataclass(frozen=True)
class Figure:
    """A figure of a record (``population``, a member's ``population``): its value, the date it
    refers to and the source it is stated by, as written in the record."""

    value: int | Decimal
    reference_date: str | None = None
    source: str | None = None

    @classmethod
    def of(cls, data: dict | None) -> Figure | None:
        """The figure of a record dict, None when the record has none."""
        if not data:
            return None
        return cls(data["value"], data.get("reference_date"), data.get("source"))


@dataclass(frozen=True)
class Member:
    """A member comune of a record, read-only, with the record field path of each of its values."""

    data: dict
    index: int

    def field(self, name: str = "") -> str:
        """The record field path of one of its values: ``members[2].population.value``."""
        return f"members[{self.index}]" + (f".{name}" if name else "")

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def istat_code(self) -> str:
        return str(self.data["istat_code"])

    @property
    def cadastral_code(self) -> str | None:
        return self.data.get("cadastral_code")

    @property
    def ipa_code(self) -> str | None:
        return self.data.get("ipa_code")

    @property
    def ontopia_city(self) -> str | None:
        return self.data.get("ontopia_city")

    @property
    def city_valid_from(self) -> str | None:
        return self.data.get("city_valid_from")

    @property
    def province_code(self) -> str | None:
        return self.data.get("province_code")

    @property
    def region_code(self) -> str | None:
        return self.data.get("region_code")

    @property
    def population(self) -> Figure | None:
        return Figure.of(self.data.get("population"))

    @property
    def match(self) -> dict | None:
        """How the national build resolved the member (method, confidence, registry value)."""
        return self.data.get("match")


@dataclass(frozen=True)
class UnionInfo:
    """The ``union`` part of a record, read-only."""

    data: dict

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def ipa_code(self) -> str | None:
        """The IPA code as written in the record (see :attr:`Record.ipa_code` for the key)."""
        return self.data.get("ipa_code")

    @property
    def iri_key(self) -> str | None:
        return self.data.get("iri_key")

    @property
    def ministry_code(self) -> str | None:
        return self.data.get("ministry_code")

    @property
    def region_code(self) -> str:
        return str(self.data["region"]["code"])

    @property
    def region_name(self) -> str | None:
        return self.data["region"].get("name")

    @property
    def province_code(self) -> str:
        return str(self.data["province"]["code"])

    @property
    def province_name(self) -> str | None:
        return self.data["province"].get("name")

    @property
    def province_acronym(self) -> str | None:
        return self.data["province"].get("acronym")

    @property
    def founded(self) -> str | None:
        """``YYYY`` or ``YYYY-MM-DD``; None when unknown."""
        founded = self.data.get("founded")
        return None if founded is None else str(founded)

    @property
    def website(self) -> str | None:
        return self.data.get("website")


@dataclass(frozen=True)
class Record:
    """A loaded, validated union record: the parsed (normalised) dict and the file it came from.

    Read it through the typed accessors (:attr:`union`, :attr:`members`, :attr:`population`...);
    ``data`` is the whole document, for the declarative mappings and for writers.
    """

    path: Path
    data: dict

    @property
    def union(self) -> UnionInfo:
        return UnionInfo(self.data["union"])

    @property
    def ipa_code(self) -> str | None:
        """The union's IPA code in lower case; None for a union IPA does not know (it has an
        ``iri_key`` instead)."""
        code = self.data["union"].get("ipa_code")
        return code.lower() if code else None

    @property
    def key(self) -> str:
        """The last segment of the union's IRI, which also names the record file: the IPA code in
        lower case, else the ``iri_key`` (``dait-{CODICE UNIONE}``, a union IPA does not know)."""
        union = self.data["union"]
        code = union.get("ipa_code") or union.get("iri_key")
        if not code:
            raise KeyError("union.ipa_code")
        return code.lower()

    @property
    def key_field(self) -> str:
        """The record field the key comes from: ``union.ipa_code`` or ``union.iri_key``."""
        return "union.ipa_code" if self.data["union"].get("ipa_code") else "union.iri_key"

    @property
    def label(self) -> str:
        """How errors name the record: its key (IPA code or iri_key), or the file stem."""
        try:
            return self.key
        except (KeyError, TypeError, AttributeError):
            return self.path.stem

    @property
    def name(self) -> str:
        return self.data["union"]["name"]

    @property
    def stem(self) -> str:
        return self.path.stem

    @property
    def members(self) -> list[Member]:
        return [Member(m, i) for i, m in enumerate(self.data["members"])]

    @property
    def member_codes(self) -> list[str]:
        """The ISTAT codes of the members, in record order."""
        return [str(m["istat_code"]) for m in self.data["members"]]

    @property
    def population(self) -> Figure | None:
        """The union's total population as the record states it."""
        return Figure.of(self.data.get("population"))

    @property
    def number_of_comuni(self) -> int | None:
        """The number of comuni the source states (the card, or the register's NR. COMUNI)."""
        return self.data.get("number_of_comuni")

    @property
    def provenance(self) -> dict:
        return self.data.get("provenance") or {}

    @property
    def dates(self) -> list[str]:
        """The dates the record carries about itself: when it was imported and edited."""
        prov = self.provenance
        found = [prov.get("imported_on")] + [e.get("date") for e in prov.get("edits") or []]
        return [d for d in found if d]

    @property
    def reference_dates(self) -> list[str]:
        """The reference dates of its figures (the union's and its members' populations)."""
        figures = [self.population] + [m.population for m in self.members]
        return [f.reference_date for f in figures if f is not None and f.reference_date]


# --- YAML --------------------------------------------------------------------------------------

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RecordLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that rejects duplicate keys and reports impossible dates with their line."""


def _construct_mapping(loader, node, deep=False):
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


def _construct_timestamp(loader, node):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"impossible date {node.value!r}: {exc}", node.start_mark
        ) from None


_RecordLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_RecordLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _parse_yaml(text: str, file: str, record: str) -> Any:
    try:
        return yaml.load(text, Loader=_RecordLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise RecordError(
            f"not valid YAML: {problem}", file=file, record=record, line=None if mark is None else mark.line + 1
        ) from None
    except yaml.YAMLError as exc:
        raise RecordError(f"not valid YAML: {exc}", file=file, record=record) from None


# --- normalisation and schema ------------------------------------------------------------------


def _normalise(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _normalise(v, k if isinstance(k, str) else None) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
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


_format_checker = FormatChecker()


@_format_checker.checks("year-or-date", raises=ValueError)
def _is_year_or_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if _YEAR_OR_DATE.match(value) and len(value) == 10:
        _dt.date.fromisoformat(value)
    return True


@_format_checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str) and re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", value):
        _dt.date.fromisoformat(value)
    return True


# Keywords that only annotate a schema: beside a $ref they change nothing in validation.
_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


def _inline_refs(schema: dict) -> dict:
    """The schema with every local reference ``{"$ref": "#/$defs/name", "description": ...}``
    replaced by the definition it names, itself inlined: jsonschema resolves nothing while
    validating (resolving a ``$ref`` on each use was half of the time of :func:`validate_record`).

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


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    return Draft202012Validator(_inline_refs(schema), format_checker=_format_checker)


def json_path(parts) -> str:
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


def _schema_message(error: ValidationError) -> tuple[list, str]:
    """Turn a jsonschema error into (path parts, one-line message)."""
    path = list(error.absolute_path)
    v, vv, inst = error.validator, error.validator_value, error.instance
    desc = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    if v == "required":
        missing = [p for p in vv if isinstance(inst, dict) and p not in inst]
        name = missing[0] if missing else "?"
        return path + [name], "required field is missing"
    if v == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in inst if k not in allowed) if isinstance(inst, dict) else []
        key = extra[0] if extra else "?"
        return path + [key], f"unknown field (known here: {', '.join(allowed)})"
    if v == "type":
        types = vv if isinstance(vv, list) else [vv]
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


def _error_order(error: ValidationError):
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


def validate_record(data: Any, *, file: str = "<record>", record: str | None = None) -> dict:
    """Check a parsed record against the schema and the rules a schema cannot say.

    Returns the normalised dict; raises :class:`RecordError` naming file, record and field.
    """
    stem = Path(file).stem
    record = record or _record_label(data, stem)
    if not isinstance(data, dict):
        raise RecordError(f"a record must be a mapping of fields, not {_python_type(data)}", file=file, record=record)
    data = _normalise(data)
    errors = sorted(_validator().iter_errors(data), key=_error_order)
    if errors:
        # One error at a time, the first in document order: deterministic and easy to fix.
        first = errors[0]
        path, message = _schema_message(first)
        raise RecordError(message, file=file, record=record, field=json_path(path) or None)
    seen: dict[str, int] = {}
    for i, member in enumerate(data["members"]):
        code = member["istat_code"]
        if code in seen:
            j = seen[code]
            raise RecordError(
                f"comune {code} ({member['name']}) is listed twice: also members[{j}] ({data['members'][j]['name']})",
                file=file,
                record=record,
                field=f"members[{i}].istat_code",
            )
        seen[code] = i

    titles: dict[str, int] = {}
    for i, section in enumerate((data.get("italiae") or {}).get("sections") or []):
        key = slug(section["title"])
        if not key:
            raise RecordError(
                "a section title needs letters or digits (it names the section's IRI)",
                file=file,
                record=record,
                field=f"italiae.sections[{i}].title",
            )
        if key in titles:
            raise RecordError(
                f"section title {section['title']!r} names the same section as italiae.sections[{titles[key]}]",
                file=file,
                record=record,
                field=f"italiae.sections[{i}].title",
            )
        titles[key] = i
    services: dict[str, int] = {}
    for i, service in enumerate(data.get("services") or []):
        if service["concept"] in services:
            raise RecordError(
                f"service {service['concept']!r} is listed twice: also services[{services[service['concept']]}]",
                file=file,
                record=record,
                field=f"services[{i}].concept",
            )
        services[service["concept"]] = i
    return data


def load_record(path: str | Path, *, check_name: bool = True) -> Record:
    """Read and validate one record file.

    With ``check_name`` (the default) the file must be named after the record's key:
    ``{ipa_code in lower case}.yaml``, or ``{iri_key}.yaml`` for a union IPA does not know.
    """
    p = Path(path)
    file = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise RecordError("record file not found", file=file) from None
    except OSError as exc:
        raise RecordError(f"cannot read the record: {exc.strerror or exc}", file=file) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RecordError("not valid UTF-8 text", file=file, record=p.stem, line=line) from None
    data = _parse_yaml(text, file, p.stem)
    data = validate_record(data, file=file)
    record = Record(path=p, data=data)
    if check_name:
        _check_file_name(record)
    return record


def _check_file_name(record: Record) -> None:
    expected = f"{record.key}.yaml"
    if record.path.name != expected:
        what = "IPA code in lower case" if record.ipa_code else "iri_key (it has no IPA code)"
        raise RecordError(
            f"the file must be named after the union's {what}: {expected}",
            file=str(record.path),
            record=record.key,
            field=record.key_field,
        )


def _key_name(record: Record) -> str:
    return f"IPA code {record.key}" if record.ipa_code else f"iri_key {record.key}"


def load_records(directory: str | Path) -> list[Record]:
    """Load every ``*.yaml`` record of a folder, sorted by file name.

    Also checks what involves several records: the same key (IPA code, or iri_key for a union
    IPA does not know) in two records is an error.
    """
    d = Path(directory)
    if not d.is_dir():
        raise RecordError("records folder not found" if not d.exists() else "not a folder", file=str(d))
    paths = sorted(p for p in d.glob("*.yaml") if p.is_file())
    if not paths:
        raise RecordError("no records (*.yaml files) in this folder", file=str(d))
    records = [load_record(p, check_name=False) for p in paths]
    by_key: dict[str, Record] = {}
    for record in records:
        other = by_key.get(record.key)
        if other is not None:
            raise RecordError(
                f"{_key_name(record)} is already used by {other.path.name}",
                file=str(record.path),
                record=record.key,
                field=record.key_field,
            )
        by_key[record.key] = record
    for record in records:
        _check_file_name(record)
    return records
