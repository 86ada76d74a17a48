"""The mapping engine: declarative YAML mappings (``mappings/*.yaml``) -> RDF triples.

The language is documented in ``mappings/README.md``. In short, a mapping file lists resources;
each resource iterates over a part of a record (``for_each: members[*]``), mints a subject IRI from
a template (``"{base}comune/{.istat_code}"``), gives classes (``types``) and predicate -> object
pairs (``properties``) whose objects are IRIs or literals made from templates. A template is text
with ``{placeholders}``: ``{base}`` (the base IRI), ``{file}``/``{stem}`` (the record file),
``{union.ipa_code}`` (a path from the record root), ``{.name}`` (from the current item),
``{..istat_code}`` (from the enclosing item), ``{:union}`` (a named template from ``let:``),
each followed by functions: ``{.ipa_code|lower}``, ``{.reference_date|default:stated}``.
A placeholder whose value is absent drops the triple (optional fields); a subject that cannot be
made drops the resource.

Everything is compiled once (:func:`load_mapping`); mapping a record walks Python dicts and builds
:class:`pyoxigraph.Triple` objects, with no regular expression and no parsing per triple.
"""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, Triple

from .config import DEFAULT_BASE_IRI
from .errors import LodError, RecordError
from .graph import no_gc
from .records import Record, json_path
from .resources import resource_dir
from .text import slug
from .vocab import RDF, XSD

__all__ = ["Mapping", "MappingError", "load_mapping", "load_prefixes", "map_record", "map_records"]

RDF_TYPE = NamedNode(RDF + "type")
_XSD_INTEGER = NamedNode(XSD + "integer")
_XSD_DECIMAL = NamedNode(XSD + "decimal")
_XSD_GYEAR = NamedNode(XSD + "gYear")
_XSD_DATE = NamedNode(XSD + "date")
_XSD_STRING = NamedNode(XSD + "string")

PREFIXES_FILE = "prefixes.yaml"
_BUILD_VARIABLES = ("base", "file", "stem")


class MappingError(LodError):
    """A mapping file is malformed (a bug of the mappings, reported like a user error)."""


# --- small value functions ------------------------------------------------------------------------


def lexical(value: Any) -> str:
    """The RDF lexical form of a record value (canonical for numbers and dates)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0")
            if text.endswith("."):
                text += "0"
        else:
            text += ".0"
        return text
    if isinstance(value, float):
        return lexical(Decimal(repr(value)))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__} cannot be written as a literal")


def _year_bound(value: Any, suffix: str) -> str:
    """``"2022"`` -> ``2022-01-01`` (or ``-12-31``); a full date is kept."""
    text = lexical(value)
    return text + suffix if len(text) == 4 and text.isdigit() else text


_SIMPLE_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "lower": lambda v: lexical(v).lower(),
    "upper": lambda v: lexical(v).upper(),
    "trim": lambda v: " ".join(lexical(v).split()),
    "slug": lambda v: slug(lexical(v)),
    "iso-date": lambda v: lexical(v),
    "year-start": lambda v: _year_bound(v, "-01-01"),
    "year-end": lambda v: _year_bound(v, "-12-31"),
    "str": lexical,
}


# --- frames (where a placeholder reads its values) ---------------------------------------------------


class _Frame:
    """An item of the record being mapped, with its enclosing item and its JSON path."""

    __slots__ = ("item", "parent", "path")

    def __init__(self, item, parent, path):
        self.item = item
        self.parent = parent
        self.path = path


class _Context:
    """What a placeholder can read: the build variables, the record root and the current frame."""

    __slots__ = ("record", "root", "vars")

    def __init__(self, variables, root, record):
        self.vars = variables
        self.root = root
        self.record = record


# --- paths ----------------------------------------------------------------------------------------

_ALL = object()


@dataclass(frozen=True)
class _Path:
    text: str
    up: int  # -1: from the root; 0: current item; 1: enclosing item; ...
    steps: tuple  # keys, or _ALL for "[*]"

    @property
    def iterates(self) -> bool:
        return _ALL in self.steps


def _parse_path(text: str, *, allow_all: bool, where: str, file: str) -> _Path:
    raw = text.strip()
    if raw in ("$", ""):
        return _Path(text, -1, ())
    if raw.startswith("$."):
        raw = raw[2:]
        up = -1
    elif raw.startswith("."):
        dots = len(raw) - len(raw.lstrip("."))
        up = dots - 1
        raw = raw[dots:]
    else:
        up = -1
    steps: list = []
    if raw:
        for part in raw.split("."):
            key = part
            alls = 0
            while key.endswith("[*]"):
                key = key[:-3]
                alls += 1
            if not key or any(c in key for c in "[]{}|: "):
                raise MappingError(f"bad path {text!r}: {part!r} is not a field name", file=file, field=where)
            steps.append(key)
            steps.extend([_ALL] * alls)
    if _ALL in steps and not allow_all:
        raise MappingError(f"[*] is not allowed in {text!r} here (only in for_each)", file=file, field=where)
    return _Path(text, up, tuple(steps))


def _start_frame(path: _Path, ctx: _Context, frame: _Frame) -> _Frame | None:
    if path.up < 0:
        return ctx.root
    f = frame
    for _ in range(path.up):
        f = f.parent
        if f is None:
            return None
    return f


def _get(path: _Path, ctx: _Context, frame: _Frame):
    f = _start_frame(path, ctx, frame)
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


def _iterate(path: _Path, ctx: _Context, frame: _Frame) -> Iterator[_Frame]:
    """The frames a ``for_each`` path yields: one per item, absent values yield nothing."""
    start = _start_frame(path, ctx, frame)
    if start is None:
        return
    # state: (value, frame of value if known, enclosing frame, json path)
    states = [(start.item, start, start.parent, start.path)]
    for step in path.steps:
        nxt = []
        for value, own, owner, p in states:
            if step is _ALL:
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
                    own = _Frame(value, owner, p)
                nxt.append((child, None, own, p + (step,)))
        states = nxt
    for value, own, owner, p in states:
        yield own if own is not None else _Frame(value, owner, p)


def _present(value) -> bool:
    return value is not None and value != [] and value != {} and value != ""


# --- templates ----------------------------------------------------------------------------------------


class _Placeholder:
    __slots__ = ("default", "functions", "kind", "path", "text", "var")

    def __init__(self, text, kind, path, var, functions, default):
        self.text = text
        self.kind = kind  # "var" or "path"
        self.path = path
        self.var = var
        self.functions = functions  # list of (name, callable(value, ctx, frame, placeholder))
        self.default = default

    def raw(self, ctx: _Context, frame: _Frame):
        if self.kind == "var":
            value = ctx.vars[self.var]
        else:
            value = _get(self.path, ctx, frame)
        if value is None or value == "":
            return self.default
        if isinstance(value, (dict, list)):
            raise RecordError(
                f"expected a single value here, found {'a mapping' if isinstance(value, dict) else 'a list'} "
                f"(mapping placeholder {{{self.text}}})",
                file=str(ctx.record.path),
                record=ctx.record.label,
                field=_field_of(self, frame),
            )
        for fn in self.functions:
            value = fn(value, ctx, frame, self)
            if value is None:
                return self.default
        return value


def _field_of(ph: _Placeholder, frame: _Frame) -> str:
    if ph.kind != "path":
        return json_path(frame.path) or None
    if ph.path.up < 0:
        base: tuple = ()
    else:
        f = frame
        for _ in range(ph.path.up):
            f = f.parent if f.parent is not None else f
        base = f.path
    return json_path(base + ph.path.steps) or None


class _Template:
    """A compiled template: constant text parts and placeholders."""

    __slots__ = ("constant", "parts", "single", "text")

    def __init__(self, text: str, parts: list):
        self.text = text
        self.parts = parts
        self.constant = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else ("" if not parts else None)
        self.single = parts[0] if len(parts) == 1 and isinstance(parts[0], _Placeholder) else None

    def render(self, ctx: _Context, frame: _Frame) -> str | None:
        if self.constant is not None:
            return self.constant
        out = []
        for part in self.parts:
            if part.__class__ is str:
                out.append(part)
            else:
                value = part.raw(ctx, frame)
                if value is None:
                    return None
                out.append(value if value.__class__ is str else lexical(value))
        return "".join(out)

    @property
    def placeholders(self) -> list[_Placeholder]:
        return [p for p in self.parts if isinstance(p, _Placeholder)]


# --- object specs, resources --------------------------------------------------------------------------

_IRI, _LITERAL = 1, 2


class _ObjectSpec:
    __slots__ = (
        "constant_term",
        "datatype",
        "for_each",
        "kind",
        "lang",
        "special_datatype",
        "template",
        "when",
        "where",
    )

    def objects(self, ctx: _Context, frame: _Frame) -> Iterator:
        if self.when is not None and not _present(_get(self.when, ctx, frame)):
            return
        if self.for_each is not None:
            for sub in _iterate(self.for_each, ctx, frame):
                term = self._term(ctx, sub)
                if term is not None:
                    yield term
        else:
            term = self._term(ctx, frame)
            if term is not None:
                yield term

    def _term(self, ctx: _Context, frame: _Frame):
        if self.constant_term is not None:
            return self.constant_term
        if self.kind == _IRI:
            text = self.template.render(ctx, frame)
            if text is None:
                return None
            return _named_node(text, self.template, ctx, frame)
        if self.special_datatype is not None:
            value = self.template.single.raw(ctx, frame)
            if value is None:
                return None
            return self.special_datatype(value, ctx, frame, self)
        text = self.template.render(ctx, frame)
        if text is None:
            return None
        if self.lang is not None:
            return Literal(text, language=self.lang)
        if self.datatype is not None:
            return Literal(text, datatype=self.datatype)
        return Literal(text)


def _named_node(text: str, template: _Template, ctx: _Context, frame: _Frame) -> NamedNode:
    try:
        return NamedNode(text)
    except ValueError as exc:
        phs = template.placeholders
        fld = _field_of(phs[-1], frame) if phs else json_path(frame.path)
        raise RecordError(
            f"cannot make an IRI from {text!r} ({exc}); fix the value",
            file=str(ctx.record.path),
            record=ctx.record.label,
            field=fld,
        ) from None


def _dt_number(value, ctx, frame, spec):
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise RecordError(
            f"expected a number, found {value!r}",
            file=str(ctx.record.path),
            record=ctx.record.label,
            field=_field_of(spec.template.single, frame),
        )
    return Literal(lexical(value), datatype=_XSD_INTEGER if isinstance(value, int) else _XSD_DECIMAL)


def _dt_year_or_date(value, ctx, frame, spec):
    text = lexical(value)
    if len(text) == 4 and text.isdigit():
        return Literal(text, datatype=_XSD_GYEAR)
    if len(text) == 10:
        return Literal(text, datatype=_XSD_DATE)
    raise RecordError(
        f"expected a year (YYYY) or a date (YYYY-MM-DD), found {text!r}",
        file=str(ctx.record.path),
        record=ctx.record.label,
        field=_field_of(spec.template.single, frame),
    )


_SPECIAL_DATATYPES = {"@number": _dt_number, "@year-or-date": _dt_year_or_date}


@dataclass
class _Resource:
    name: str
    file: str
    for_each: list  # _Path, iterated in turn
    when: _Path | None
    subject: _Template
    types: list  # NamedNode
    properties: list  # (NamedNode predicate, _ObjectSpec)

    def triples(self, ctx: _Context, out: list) -> None:
        for path in self.for_each:
            self._triples(path, ctx, out)

    def _triples(self, path: _Path, ctx: _Context, out: list) -> None:
        for frame in _iterate(path, ctx, ctx.root):
            if self.when is not None and not _present(_get(self.when, ctx, frame)):
                continue
            text = self.subject.render(ctx, frame)
            if text is None:
                continue
            s = _named_node(text, self.subject, ctx, frame)
            for t in self.types:
                out.append(Triple(s, RDF_TYPE, t))
            for p, spec in self.properties:
                for o in spec.objects(ctx, frame):
                    out.append(Triple(s, p, o))


# --- lookups (values read from RDF vocabularies) ---------------------------------------------------------


@dataclass
class _Lookup:
    name: str
    source: Path
    key: str
    value: str
    language: str | None
    table: dict | None = None

    def get(self, key: str) -> str | None:
        if self.table is None:
            self.table = _load_lookup(self.source, self.key, self.value, self.language)
        return self.table.get(key)


@functools.lru_cache(maxsize=32)
def _load_lookup(source: Path, key: str, value: str, language: str | None) -> dict:
    import pyoxigraph

    if not source.is_file():
        raise MappingError("vocabulary file of a mapping lookup not found", file=str(source))
    keys: dict = {}
    values: dict = {}
    try:
        with open(source, "rb") as fh:
            for t in pyoxigraph.parse(
                fh, format=pyoxigraph.RdfFormat.from_extension(source.suffix.lstrip(".")), base_iri="http://localhost/"
            ):
                if t.predicate.value == key:
                    keys.setdefault(t.object.value, t.subject)
                elif (
                    t.predicate.value == value
                    and isinstance(t.object, Literal)
                    and (language is None or t.object.language == language)
                ):
                    values.setdefault(t.subject, t.object.value)
    except (SyntaxError, ValueError) as exc:
        raise MappingError(f"cannot read the vocabulary of a mapping lookup: {exc}", file=str(source)) from None
    return {k: values[s] for k, s in keys.items() if s in values}


# --- the compiled mapping -----------------------------------------------------------------------------------


@dataclass
class Mapping:
    """All mapping files of a folder, compiled. Call :meth:`triples` per record."""

    directory: Path
    prefixes: dict[str, str]
    resources: list[_Resource] = field(default_factory=list)
    lookups: dict[str, _Lookup] = field(default_factory=dict)

    def triples(self, record: Record, base_iri: str = DEFAULT_BASE_IRI) -> list[Triple]:
        """The triples of one record (may contain duplicates; shared nodes recur across records)."""
        variables = {"base": base_iri, "file": record.path.name, "stem": record.path.stem}
        root = _Frame(record.data, None, ())
        ctx = _Context(variables, root, record)
        out: list[Triple] = []
        with no_gc():
            for resource in self.resources:
                resource.triples(ctx, out)
        return out

    def context(self) -> dict:
        """The JSON-LD ``@context`` object: the prefixes."""
        return dict(self.prefixes)


def load_prefixes(directory: str | Path | None = None) -> dict[str, str]:
    """The prefixes of ``mappings/prefixes.yaml`` (one place for Turtle and the JSON-LD context)."""
    d = Path(directory) if directory is not None else resource_dir("mappings")
    path = d / PREFIXES_FILE
    data = _read_yaml(path)
    prefixes = data.get("prefixes") if isinstance(data, dict) else None
    if not isinstance(prefixes, dict) or not prefixes:
        raise MappingError("expected a 'prefixes' mapping of prefix: namespace IRI", file=str(path), field="prefixes")
    out: dict[str, str] = {}
    for prefix, ns in prefixes.items():
        if (
            not isinstance(prefix, str)
            or not prefix.replace("-", "").replace("_", "").isalnum()
            or not isinstance(ns, str)
        ):
            raise MappingError(f"bad prefix {prefix!r}: {ns!r}", file=str(path), field=f"prefixes.{prefix}")
        if not ns.endswith(("/", "#")):
            raise MappingError(f"namespace {ns!r} must end with '/' or '#'", file=str(path), field=f"prefixes.{prefix}")
        try:
            NamedNode(ns)
        except ValueError as exc:
            raise MappingError(
                f"namespace {ns!r} is not an IRI: {exc}", file=str(path), field=f"prefixes.{prefix}"
            ) from None
        out[prefix] = ns
    return out


def _read_yaml(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MappingError(f"cannot read the mapping file: {exc.strerror or exc}", file=str(path)) from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise MappingError(
            f"not valid YAML: {exc.problem}", file=str(path), line=None if mark is None else mark.line + 1
        ) from None


class _Compiler:
    def __init__(self, directory: Path, prefixes: dict[str, str]):
        self.directory = directory
        self.prefixes = prefixes
        self.lets: dict[str, tuple[str, str]] = {}  # name -> (template text, file)
        self.lookups: dict[str, _Lookup] = {}

    # IRIs and CURIEs
    def expand(self, text: str, file: str, where: str) -> str:
        if not isinstance(text, str):
            raise MappingError(f"expected an IRI or prefix:name, found {text!r}", file=file, field=where)
        prefix, sep, local = text.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        if sep and local.startswith("//"):
            return text
        raise MappingError(
            f"{text!r} is neither an absolute IRI nor prefix:name with a known prefix", file=file, field=where
        )

    def term(self, text: str, file: str, where: str) -> NamedNode:
        iri = self.expand(text, file, where)
        try:
            return NamedNode(iri)
        except ValueError as exc:
            raise MappingError(f"{iri!r} is not an IRI: {exc}", file=file, field=where) from None

    # templates
    def macro_expand(self, text: str, file: str, where: str, seen=()) -> str:
        if "{:" not in text:
            return text
        out = []
        i = 0
        while i < len(text):
            j = text.find("{:", i)
            if j < 0:
                out.append(text[i:])
                break
            if j > 0 and text[j - 1] == "{" and (j < 2 or text[j - 2] != "{"):
                out.append(text[i : j + 2])
                i = j + 2
                continue
            k = text.find("}", j)
            if k < 0:
                raise MappingError(f"unclosed {{ in template {text!r}", file=file, field=where)
            name = text[j + 2 : k].strip()
            if name not in self.lets:
                raise MappingError(f"unknown named template {{:{name}}} (define it under let:)", file=file, field=where)
            if name in seen:
                raise MappingError(f"named template {name!r} refers to itself", file=file, field=where)
            out.append(text[i:j])
            out.append(self.macro_expand(self.lets[name][0], file, where, seen + (name,)))
            i = k + 1
        return "".join(out)

    def template(self, text: Any, file: str, where: str) -> _Template:
        if not isinstance(text, str):
            raise MappingError(f"expected a template string, found {text!r}", file=file, field=where)
        full = self.macro_expand(text, file, where)
        parts: list = []
        buf: list[str] = []
        i, n = 0, len(full)
        while i < n:
            c = full[i]
            if c == "{":
                if i + 1 < n and full[i + 1] == "{":
                    buf.append("{")
                    i += 2
                    continue
                k = full.find("}", i)
                if k < 0:
                    raise MappingError(f"unclosed {{ in template {text!r}", file=file, field=where)
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(self.placeholder(full[i + 1 : k], file, where))
                i = k + 1
            elif c == "}":
                if i + 1 < n and full[i + 1] == "}":
                    buf.append("}")
                    i += 2
                    continue
                raise MappingError(
                    f"unmatched }} in template {text!r} (write }}}} for a brace)", file=file, field=where
                )
            else:
                buf.append(c)
                i += 1
        if buf:
            parts.append("".join(buf))
        return _Template(text, parts)

    def placeholder(self, inner: str, file: str, where: str) -> _Placeholder:
        expr, *fns = [p.strip() for p in inner.split("|")]
        if not expr:
            raise MappingError(f"empty placeholder {{{inner}}}", file=file, field=where)
        default = None
        functions = []
        for fn in fns:
            name, sep, arg = fn.partition(":")
            name = name.strip()
            if name in _SIMPLE_FUNCTIONS and not sep:
                f = _SIMPLE_FUNCTIONS[name]
                functions.append(lambda v, ctx, frame, ph, f=f: f(v))
            elif name == "default" and sep:
                default = arg
            elif name == "first" and sep and arg.isdigit():
                count = int(arg)
                functions.append(lambda v, ctx, frame, ph, count=count: lexical(v)[:count])
            elif name == "prepend" and sep:
                functions.append(lambda v, ctx, frame, ph, arg=arg: arg + lexical(v))
            elif name == "append" and sep:
                functions.append(lambda v, ctx, frame, ph, arg=arg: lexical(v) + arg)
            elif name == "lookup" and sep:
                if arg not in self.lookups:
                    raise MappingError(f"unknown lookup {arg!r} (define it under lookups:)", file=file, field=where)
                functions.append(self._lookup_fn(self.lookups[arg]))
            else:
                known = sorted(_SIMPLE_FUNCTIONS) + [
                    "default:TEXT",
                    "first:N",
                    "lookup:NAME",
                    "prepend:TEXT",
                    "append:TEXT",
                ]
                raise MappingError(
                    f"unknown function {fn!r} in {{{inner}}}; known: {', '.join(known)}", file=file, field=where
                )
        if expr in _BUILD_VARIABLES:
            return _Placeholder(inner, "var", None, expr, functions, default)
        path = _parse_path(expr, allow_all=False, where=where, file=file)
        return _Placeholder(inner, "path", path, None, functions, default)

    @staticmethod
    def _lookup_fn(lookup: _Lookup):
        def fn(value, ctx, frame, ph):
            key = lexical(value)
            found = lookup.get(key)
            if found is None:
                raise RecordError(
                    f"{key!r} is not in the vocabulary {lookup.source.name} "
                    f"(no concept with that {lookup.key.rsplit('/', 1)[-1].rsplit('#', 1)[-1]})",
                    file=str(ctx.record.path),
                    record=ctx.record.label,
                    field=_field_of(ph, frame),
                )
            return found

        return fn

    # object specs
    def object_spec(self, spec: Any, file: str, where: str) -> _ObjectSpec:
        if isinstance(spec, str):
            spec = {"iri": spec}
        if not isinstance(spec, dict):
            raise MappingError("an object is {iri: ...} or {literal: ...}", file=file, field=where)
        allowed = {"iri", "literal", "datatype", "lang", "when", "for_each"}
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise MappingError(
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", file=file, field=where
            )
        if ("iri" in spec) == ("literal" in spec):
            raise MappingError("an object needs exactly one of iri: or literal:", file=file, field=where)
        o = _ObjectSpec()
        o.where = where
        o.when = _parse_path(spec["when"], allow_all=False, where=where, file=file) if "when" in spec else None
        o.for_each = (
            _parse_path(spec["for_each"], allow_all=True, where=where, file=file) if "for_each" in spec else None
        )
        o.datatype = o.lang = o.special_datatype = o.constant_term = None
        if "iri" in spec:
            if "datatype" in spec or "lang" in spec:
                raise MappingError("datatype/lang only apply to literals", file=file, field=where)
            o.kind = _IRI
            text = self.macro_expand(spec["iri"], file, where) if isinstance(spec["iri"], str) else spec["iri"]
            if isinstance(text, str) and not text.startswith("{"):
                head, sep, rest = text.partition(":")  # prefix:local{placeholders}
                if sep and head in self.prefixes and not rest.startswith("//"):
                    text = self.prefixes[head] + rest
            o.template = self.template(text, file, where)
            if o.template.constant is not None:
                try:
                    o.constant_term = NamedNode(o.template.constant)
                except ValueError as exc:
                    raise MappingError(
                        f"{o.template.constant!r} is not an IRI: {exc}", file=file, field=where
                    ) from None
        else:
            o.kind = _LITERAL
            o.template = self.template(spec["literal"], file, where)
            if "datatype" in spec and "lang" in spec:
                raise MappingError("a literal has a datatype or a language, not both", file=file, field=where)
            if "lang" in spec:
                if not isinstance(spec["lang"], str) or not spec["lang"]:
                    raise MappingError("lang must be a language tag such as it", file=file, field=where)
                o.lang = spec["lang"]
            elif "datatype" in spec:
                dt = spec["datatype"]
                if dt in _SPECIAL_DATATYPES:
                    if o.template.single is None:
                        raise MappingError(
                            f"datatype {dt} needs a template that is one placeholder, like '{{.value}}'",
                            file=file,
                            field=where,
                        )
                    o.special_datatype = _SPECIAL_DATATYPES[dt]
                else:
                    o.datatype = self.term(dt, file, where)
                    if o.datatype == _XSD_STRING:
                        o.datatype = None
            if o.template.constant is not None and o.special_datatype is None:
                c = o.template.constant
                o.constant_term = (
                    Literal(c, language=o.lang)
                    if o.lang
                    else Literal(c, datatype=o.datatype)
                    if o.datatype
                    else Literal(c)
                )
        return o

    def resource(self, spec: Any, file: str, where: str) -> _Resource:
        if not isinstance(spec, dict):
            raise MappingError("a resource is a mapping with subject:, types:, properties:", file=file, field=where)
        allowed = {"name", "for_each", "when", "subject", "types", "properties", "description"}
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise MappingError(
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", file=file, field=where
            )
        if "subject" not in spec:
            raise MappingError("a resource needs a subject: template", file=file, field=where)
        name = str(spec.get("name", where))
        paths = spec.get("for_each", "$")
        if not isinstance(paths, list):
            paths = [paths]
        if not paths or not all(isinstance(p, str) for p in paths):
            raise MappingError("for_each: is a path or a list of paths", file=file, field=f"{where}.for_each")
        for_each = [_parse_path(p, allow_all=True, where=f"{where}.for_each", file=file) for p in paths]
        when = _parse_path(spec["when"], allow_all=False, where=f"{where}.when", file=file) if "when" in spec else None
        subject = self.template(spec["subject"], file, f"{where}.subject")
        types_spec = spec.get("types", [])
        if isinstance(types_spec, str):
            types_spec = [types_spec]
        types = [self.term(t, file, f"{where}.types") for t in types_spec]
        props = []
        properties = spec.get("properties") or {}
        if not isinstance(properties, dict):
            raise MappingError(
                "properties: is a mapping predicate -> object(s)", file=file, field=f"{where}.properties"
            )
        for pred, objs in properties.items():
            pwhere = f"{where}.properties.{pred}"
            p = self.term(pred, file, pwhere)
            for i, o in enumerate(objs if isinstance(objs, list) else [objs]):
                props.append((p, self.object_spec(o, file, pwhere if not isinstance(objs, list) else f"{pwhere}[{i}]")))
        return _Resource(name, file, for_each, when, subject, types, props)


def _mapping_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != PREFIXES_FILE)


@functools.lru_cache(maxsize=8)
def _load_mapping_cached(directory: Path, stamp: tuple) -> Mapping:
    prefixes = load_prefixes(directory)
    compiler = _Compiler(directory, prefixes)
    documents = []
    for path in _mapping_files(directory):
        data = _read_yaml(path) or {}
        file = str(path)
        if not isinstance(data, dict):
            raise MappingError("a mapping file is a mapping with let:, lookups:, resources:", file=file)
        unknown = sorted(set(data) - {"let", "lookups", "resources", "description"})
        if unknown:
            raise MappingError(f"unknown top-level key(s) {', '.join(unknown)}", file=file)
        for name, text in (data.get("let") or {}).items():
            if name in compiler.lets:
                raise MappingError(
                    f"named template {name!r} is already defined in {compiler.lets[name][1]}",
                    file=file,
                    field=f"let.{name}",
                )
            if not isinstance(text, str):
                raise MappingError("a named template is a string", file=file, field=f"let.{name}")
            compiler.lets[name] = (text, file)
        for name, spec in (data.get("lookups") or {}).items():
            where = f"lookups.{name}"
            if name in compiler.lookups:
                raise MappingError(f"lookup {name!r} is defined twice", file=file, field=where)
            if not isinstance(spec, dict) or not {"vocabulary", "key", "value"} <= set(spec):
                raise MappingError("a lookup needs vocabulary:, key: and value:", file=file, field=where)
            folder, sep, rel = str(spec["vocabulary"]).partition(":")
            if not sep:  # a path relative to the mappings folder
                source = directory / folder
            else:  # RESOURCE:relative/path, e.g. ontology:vocabularies/services/services.ttl
                try:
                    source = resource_dir(folder) / rel
                except (ValueError, FileNotFoundError) as exc:
                    raise MappingError(str(exc), file=file, field=where) from None
            compiler.lookups[name] = _Lookup(
                name,
                source,
                compiler.expand(spec["key"], file, where),
                compiler.expand(spec["value"], file, where),
                spec.get("language"),
            )
        documents.append((file, data))
    resources = []
    for file, data in documents:
        specs = data.get("resources") or []
        if not isinstance(specs, list):
            raise MappingError("resources: is a list", file=file, field="resources")
        for i, spec in enumerate(specs):
            name = spec.get("name") if isinstance(spec, dict) else None
            resources.append(compiler.resource(spec, file, f"resources[{i}]" + (f" ({name})" if name else "")))
    if not resources:
        raise MappingError("no resources in the mapping files", file=str(directory))
    return Mapping(directory, prefixes, resources, compiler.lookups)


def load_mapping(directory: str | Path | None = None) -> Mapping:
    """Compile the mapping files of ``directory`` (default: the bundled ``mappings/``). Cached."""
    d = Path(directory) if directory is not None else resource_dir("mappings")
    d = d.resolve()
    if not d.is_dir():
        raise MappingError("mappings folder not found", file=str(d))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.glob("*.yaml")))
    return _load_mapping_cached(d, stamp)


def map_record(record: Record, base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None) -> list[Triple]:
    """The triples of one record, without duplicates, in mapping order."""
    m = mapping or load_mapping()
    return list(dict.fromkeys(m.triples(record, base_iri)))


def map_records(
    records: Iterable[Record], base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None
) -> list[Triple]:
    """The triples of all records, without duplicates (shared nodes such as time instants appear once)."""
    m = mapping or load_mapping()
    seen: dict[Triple, None] = {}
    for record in records:
        seen.update(dict.fromkeys(m.triples(record, base_iri)))
    return list(seen)
