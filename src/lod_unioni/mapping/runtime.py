"""The runtime of compiled mappings: frames (where a placeholder reads its values), paths and
their iteration, templates, object specs and resources, and the compiled :class:`Mapping`.

Mapping a record walks Python dicts and builds :class:`pyoxigraph.Triple` objects, with no regular
expression and no parsing per triple; a bad record value is a
:class:`~lod_unioni.errors.RecordError` naming the record field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from ..config import DEFAULT_BASE_IRI
from ..errors import RecordError
from ..graph import no_gc
from ..records import Record, json_path
from ..vocab import RDF
from .errors import ValueProblem
from .frames import ALL, Context, FieldPath, Frame, getter, iterate, present
from .functions import ValueFunction, lexical
from .lookups import Lookup

__all__ = [
    "ALL",
    "IRI",
    "LITERAL",
    "FieldPath",
    "Key",
    "Mapping",
    "ObjectSpec",
    "Placeholder",
    "Resource",
    "Template",
    "predicate_key",
]

RDF_TYPE = NamedNode(RDF + "type")
IRI, LITERAL = 1, 2  # kinds of object

Term = NamedNode | Literal


# --- templates ----------------------------------------------------------------------------------------


class Placeholder:
    """A compiled ``{value|function|...}``: a build variable or a path, its functions, its default."""

    __slots__ = ("_get", "default", "functions", "kind", "path", "text", "var")

    def __init__(
        self,
        text: str,
        kind: str,
        path: FieldPath | None,
        var: str,
        functions: list[ValueFunction],
        default: str | None,
    ):
        self.text = text
        self.kind = kind  # "var" (a build variable) or "path"
        self.path = path  # None for a build variable
        self.var = var
        self.functions = functions
        self.default = default
        self._get = None if path is None else getter(path)

    def raw(self, ctx: Context, frame: Frame) -> Any:
        """The value (after the functions), or the default when absent."""
        get = self._get
        value = ctx.vars[self.var] if get is None else get(ctx, frame)
        if value is None or value == "":
            return self.default
        if isinstance(value, (dict, list)):
            raise _record_error(
                f"expected a single value here, found {'a mapping' if isinstance(value, dict) else 'a list'} "
                f"(mapping placeholder {{{self.text}}})",
                ctx,
                _field_of(self, frame),
            )
        try:
            for fn in self.functions:
                value = fn(value)
                if value is None:
                    return self.default
        except ValueProblem as exc:
            raise _record_error(str(exc), ctx, _field_of(self, frame)) from None
        return value


def _record_error(message: str, ctx: Context, field: str | None) -> RecordError:
    return RecordError(message, file=str(ctx.record.path), record=ctx.record.label, field=field)


def _field_of(ph: Placeholder, frame: Frame) -> str | None:
    if ph.kind != "path" or ph.path is None:
        return json_path(frame.path) or None
    if ph.path.up < 0:
        base: tuple = ()
    else:
        f = frame
        for _ in range(ph.path.up):
            f = f.parent if f.parent is not None else f
        base = f.path
    return json_path(base + ph.path.steps) or None


Render = Callable[[Context, Frame], "str | None"]


def _text_of(ph: Placeholder) -> Render:
    """The text of a placeholder in a template (None when absent): its value in lexical form."""
    get, raw = ph._get, ph.raw
    if get is None or ph.functions or ph.default is not None:

        def text(ctx: Context, frame: Frame) -> str | None:
            value = raw(ctx, frame)
            return None if value is None else value if value.__class__ is str else lexical(value)

        return text

    def plain(ctx: Context, frame: Frame) -> str | None:  # Placeholder.raw without functions nor default
        value = get(ctx, frame)
        if value is None or value == "":
            return None
        if value.__class__ is str:
            return value
        if isinstance(value, (dict, list)):
            raw(ctx, frame)  # the error naming the field
        return lexical(value)

    return plain


def _renderer(parts: list[str | Placeholder]) -> Render:
    """The function that fills a template's parts (the usual shapes without a loop)."""
    items: list[str | Render] = [p if isinstance(p, str) else _text_of(p) for p in parts]
    first, last = items[0], items[-1]
    if len(items) == 1 and not isinstance(first, str):
        return first
    if len(items) == 2 and isinstance(first, str) and not isinstance(last, str):
        head, text = first, last

        def prefixed(ctx: Context, frame: Frame) -> str | None:
            value = text(ctx, frame)
            return None if value is None else head + value

        return prefixed

    def render(ctx: Context, frame: Frame) -> str | None:
        out = []
        for item in items:
            if item.__class__ is str:
                out.append(item)
            else:
                value = item(ctx, frame)  # type: ignore[operator]
                if value is None:
                    return None
                out.append(value)
        return "".join(out)

    return render


class Template:
    """A compiled template: constant text parts and placeholders; :attr:`render` fills it (None
    when a placeholder's value is absent)."""

    __slots__ = ("constant", "parts", "render", "single", "text")

    def __init__(self, text: str, parts: list[str | Placeholder]):
        self.text = text
        self.parts = parts
        self.constant: str | None = (
            parts[0] if len(parts) == 1 and isinstance(parts[0], str) else ("" if not parts else None)
        )
        self.single = parts[0] if len(parts) == 1 and isinstance(parts[0], Placeholder) else None
        constant = self.constant
        self.render: Render = (lambda ctx, frame: constant) if constant is not None else _renderer(parts)

    @property
    def placeholders(self) -> list[Placeholder]:
        return [p for p in self.parts if isinstance(p, Placeholder)]


# --- object specs, resources --------------------------------------------------------------------------

#: A triple's place in the canonical order of the dumps (:func:`lod_unioni.graph.sort_triples`): the
#: subject's IRI; "0" and the predicate's IRI for rdf:type, "1" and it for the others; the object's
#: N-Triples form. Sorting the keys sorts the triples; equal keys are equal triples.
Key = tuple[str, str, str]


def predicate_key(p: NamedNode) -> str:
    """The predicate's part of a :data:`Key`."""
    return ("0" if p == RDF_TYPE else "1") + p.value


def _suffix(lang: str | None, datatype: NamedNode | None) -> str:
    """What follows the quoted value in a literal's N-Triples form: ``@it``, ``^^<...>`` or nothing."""
    probe = Literal("", language=lang) if lang else Literal("", datatype=datatype) if datatype else Literal("")
    return str(probe)[2:]


def _literal_key(text: str, suffix: str) -> str | None:
    """The N-Triples form of a literal (``str(Literal)``) when its value needs no escape (every
    printable character but ``"`` and ``\\`` is written as it is), else None."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"' + suffix
    return None


_SUFFIXES: dict[NamedNode, str] = {}


class ObjectSpec:
    """A compiled object of a property: an IRI or a literal from a template, with its conditions."""

    __slots__ = (
        "_unless",
        "_unless_get",
        "_when_get",
        "constant_key",
        "constant_term",
        "datatype",
        "for_each",
        "kind",
        "lang",
        "simple",
        "special_datatype",
        "suffix",
        "template",
        "when",
        "where",
    )

    def __init__(
        self,
        where: str,
        kind: int,
        template: Template,
        *,
        when: FieldPath | None = None,
        for_each: FieldPath | None = None,
        datatype: NamedNode | None = None,
        lang: str | None = None,
        special_datatype: Callable[[Any], tuple[str, NamedNode]] | None = None,
        constant_term: Term | None = None,
    ):
        self.where = where
        self.kind = kind
        self.template = template
        self.when = when
        self._when_get = None if when is None else getter(when)
        self.for_each = for_each
        self.unless = None  # the object only when this path is absent or empty
        self.datatype = datatype
        self.lang = lang
        self.special_datatype = special_datatype  # value -> (lexical form, datatype)
        self.constant_term = constant_term
        self.constant_key = None if constant_term is None else str(constant_term)
        self.suffix = "" if kind == IRI else _suffix(lang, datatype)

    @property
    def unless(self) -> FieldPath | None:
        return self._unless

    @unless.setter
    def unless(self, path: FieldPath | None) -> None:
        self._unless = path
        self._unless_get = None if path is None else getter(path)
        self.simple = path is None and self.when is None and self.for_each is None  # emit_one will do

    def emit(self, ctx: Context, frame: Frame, s: NamedNode, skey: str, p: NamedNode, pkey: str, seen: dict) -> None:
        """Add the triples of this object (``s p o``) to ``seen`` (:data:`Key` -> triple), each once."""
        if self._when_get is not None and not present(self._when_get(ctx, frame)):
            return
        if self._unless_get is not None and present(self._unless_get(ctx, frame)):
            return
        if self.for_each is None:
            self.emit_one(ctx, frame, s, skey, p, pkey, seen)
        else:
            for sub in iterate(self.for_each, ctx, frame):
                self.emit_one(ctx, sub, s, skey, p, pkey, seen)

    def emit_one(
        self, ctx: Context, frame: Frame, s: NamedNode, skey: str, p: NamedNode, pkey: str, seen: dict
    ) -> None:
        """:meth:`emit` of the one object of ``frame`` (no condition, no iteration)."""
        if self.constant_key is not None:
            key = (skey, pkey, self.constant_key)
            if key not in seen:
                seen[key] = Triple(s, p, self.constant_term)  # type: ignore[arg-type]
            return
        if self.special_datatype is not None:
            self._emit_special(ctx, frame, s, skey, p, pkey, seen)
            return
        text = self.template.render(ctx, frame)
        if text is None:
            return
        if self.kind == IRI:
            key = (skey, pkey, "<" + text + ">")
            if key not in seen:
                seen[key] = Triple(s, p, _named_node(text, self.template, ctx, frame))
            return
        okey = _literal_key(text, self.suffix)
        o = None
        if okey is None:
            o = self._literal(text)
            okey = str(o)
        key = (skey, pkey, okey)
        if key not in seen:
            seen[key] = Triple(s, p, o if o is not None else self._literal(text))

    def _literal(self, text: str) -> Literal:
        if self.lang is not None:
            return Literal(text, language=self.lang)
        if self.datatype is not None:
            return Literal(text, datatype=self.datatype)
        return Literal(text)

    def _emit_special(
        self, ctx: Context, frame: Frame, s: NamedNode, skey: str, p: NamedNode, pkey: str, seen: dict
    ) -> None:
        single: Placeholder = self.template.single  # type: ignore[assignment]
        value = single.raw(ctx, frame)
        if value is None:
            return
        try:
            text, datatype = self.special_datatype(value)  # type: ignore[misc]
        except ValueProblem as exc:
            raise _record_error(str(exc), ctx, _field_of(single, frame)) from None
        suffix = _SUFFIXES.get(datatype)
        if suffix is None:
            suffix = _SUFFIXES[datatype] = _suffix(None, datatype)
        okey = _literal_key(text, suffix)
        o = None
        if okey is None:
            o = Literal(text, datatype=datatype)
            okey = str(o)
        key = (skey, pkey, okey)
        if key not in seen:
            seen[key] = Triple(s, p, o if o is not None else Literal(text, datatype=datatype))


def _named_node(text: str, template: Template, ctx: Context, frame: Frame) -> NamedNode:
    try:
        return NamedNode(text)
    except ValueError as exc:
        phs = template.placeholders
        fld = _field_of(phs[-1], frame) if phs else json_path(frame.path)
        raise _record_error(f"cannot make an IRI from {text!r} ({exc}); fix the value", ctx, fld) from None


@dataclass
class Resource:
    """A compiled resource: its iterators, condition, subject template, types and properties."""

    name: str
    file: str
    for_each: list[FieldPath]  # iterated in turn
    when: FieldPath | None
    subject: Template
    types: list[NamedNode]
    properties: list[tuple[NamedNode, ObjectSpec]]

    def __post_init__(self) -> None:
        self._when_get = None if self.when is None else getter(self.when)
        self._type_keys = [(t, "<" + t.value + ">") for t in self.types]
        self._keyed = [(p, predicate_key(p), spec) for p, spec in self.properties]

    def triples(self, ctx: Context, seen: dict) -> None:
        """Add the resource's triples to ``seen`` (:data:`Key` -> triple), each once."""
        for path in self.for_each:
            self._triples(path, ctx, seen)

    def _triples(self, path: FieldPath, ctx: Context, seen: dict) -> None:
        when, subject, type_key = self._when_get, self.subject, _TYPE_KEY
        for frame in iterate(path, ctx, ctx.root):
            if when is not None and not present(when(ctx, frame)):
                continue
            text = subject.render(ctx, frame)
            if text is None:
                continue
            s = _named_node(text, subject, ctx, frame)
            for t, okey in self._type_keys:
                key = (text, type_key, okey)
                if key not in seen:
                    seen[key] = Triple(s, RDF_TYPE, t)
            for p, pkey, spec in self._keyed:
                if spec.simple:
                    spec.emit_one(ctx, frame, s, text, p, pkey, seen)
                else:
                    spec.emit(ctx, frame, s, text, p, pkey, seen)


_TYPE_KEY = predicate_key(RDF_TYPE)


# --- the compiled mapping -----------------------------------------------------------------------------------


def _union_key(record: Record) -> str | None:
    """The last segment of the union's IRI (``{key}``); None when the record has no key."""
    try:
        return record.union_key
    except (KeyError, TypeError, AttributeError):
        return None


@dataclass
class Mapping:
    """All mapping files of a folder, compiled. Call :meth:`triples` per record."""

    directory: Path
    prefixes: dict[str, str]
    resources: list[Resource] = field(default_factory=list)
    lookups: dict[str, Lookup] = field(default_factory=dict)

    def triples(self, record: Record, base_iri: str = DEFAULT_BASE_IRI) -> list[Triple]:
        """The triples of one record, each once, in mapping order (shared nodes recur across records)."""
        seen: dict[Key, Triple] = {}
        self.keyed(record, base_iri, seen)
        return list(seen.values())

    def keyed(self, record: Record, base_iri: str, seen: dict[Key, Triple]) -> None:
        """Add the triples of one record to ``seen``, by their :data:`Key` (the triples already in
        ``seen`` are not made again): sorting the keys puts the triples in the dumps' order."""
        variables: dict[str, str | None] = {
            "base": base_iri,
            "file": record.path.name,
            "stem": record.path.stem,
            "key": _union_key(record),
        }
        root = Frame(record.data, None, ())
        ctx = Context(variables, root, record)
        with no_gc():
            for resource in self.resources:
                resource.triples(ctx, seen)

    def context(self) -> dict:
        """The JSON-LD ``@context`` object: the prefixes."""
        return dict(self.prefixes)
