"""The compiler: the YAML mapping files of a folder (``mappings/*.yaml``, the language of
``mappings/README.md``) -> a :class:`~lod_unioni.mapping.runtime.Mapping` of compiled resources.

Everything is compiled once (:func:`load_mapping`, cached while the files do not change):
prefixes expanded, named templates inserted, templates split into text and placeholders,
functions and lookups resolved, constant objects made into terms.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode

from ..resources import resource_dir
from ..vocab import XSD
from .errors import MappingError
from .functions import ARGUMENT_FUNCTIONS, FUNCTIONS, KNOWN_FUNCTIONS, SPECIAL_LEXICAL, ValueFunction
from .lookups import Lookup, lookup_source
from .runtime import ALL, IRI, LITERAL, FieldPath, Mapping, ObjectSpec, Placeholder, Resource, Template

__all__ = ["PREFIXES_FILE", "load_mapping", "load_prefixes"]

PREFIXES_FILE = "prefixes.yaml"
_BUILD_VARIABLES = ("base", "file", "stem", "key")
_XSD_STRING = NamedNode(XSD + "string")
_OBJECT_KEYS = {"iri", "literal", "datatype", "lang", "when", "unless", "for_each"}
_RESOURCE_KEYS = {"name", "for_each", "when", "subject", "types", "properties", "description"}


def load_mapping(directory: str | Path | None = None) -> Mapping:
    """Compile the mapping files of ``directory`` (default: the bundled ``mappings/``). Cached."""
    d = Path(directory) if directory is not None else resource_dir("mappings")
    d = d.resolve()
    if not d.is_dir():
        raise MappingError("mappings folder not found", file=str(d))
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.glob("*.yaml")))
    return _load_mapping_cached(d, stamp)


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


def _read_yaml(path: Path) -> Any:
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


def _mapping_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name != PREFIXES_FILE)


@functools.lru_cache(maxsize=8)
def _load_mapping_cached(directory: Path, stamp: tuple) -> Mapping:
    prefixes = load_prefixes(directory)
    compiler = _Compiler(directory, prefixes)
    documents = []
    for path in _mapping_files(directory):  # the definitions of every file first: they are shared
        data = _read_yaml(path) or {}
        compiler.definitions(data, str(path))
        documents.append((str(path), data))
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


def _unknown_keys(spec: dict, allowed: set[str], file: str, where: str) -> None:
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise MappingError(
            f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}", file=file, field=where
        )


class _Compiler:
    """The named templates and lookups of all files, and the compilation of each part."""

    def __init__(self, directory: Path, prefixes: dict[str, str]):
        self.directory = directory
        self.prefixes = prefixes
        self.lets: dict[str, tuple[str, str]] = {}  # name -> (template text, file)
        self.lookups: dict[str, Lookup] = {}

    # ---- let: and lookups: ----------------------------------------------------------------------
    def definitions(self, data: Any, file: str) -> None:
        """Check the top level of a mapping file; add its named templates and lookups."""
        if not isinstance(data, dict):
            raise MappingError("a mapping file is a mapping with let:, lookups:, resources:", file=file)
        unknown = sorted(set(data) - {"let", "lookups", "resources", "description"})
        if unknown:
            raise MappingError(f"unknown top-level key(s) {', '.join(unknown)}", file=file)
        for name, text in (data.get("let") or {}).items():
            if name in self.lets:
                raise MappingError(
                    f"named template {name!r} is already defined in {self.lets[name][1]}",
                    file=file,
                    field=f"let.{name}",
                )
            if not isinstance(text, str):
                raise MappingError("a named template is a string", file=file, field=f"let.{name}")
            self.lets[name] = (text, file)
        for name, spec in (data.get("lookups") or {}).items():
            where = f"lookups.{name}"
            if name in self.lookups:
                raise MappingError(f"lookup {name!r} is defined twice", file=file, field=where)
            if not isinstance(spec, dict) or not {"vocabulary", "key", "value"} <= set(spec):
                raise MappingError("a lookup needs vocabulary:, key: and value:", file=file, field=where)
            self.lookups[name] = Lookup(
                name,
                lookup_source(str(spec["vocabulary"]), self.directory, file, where),
                self.expand(spec["key"], file, where),
                self.expand(spec["value"], file, where),
                spec.get("language"),
            )

    # ---- IRIs and CURIEs --------------------------------------------------------------------------
    def expand(self, text: Any, file: str, where: str) -> str:
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

    def term(self, text: Any, file: str, where: str) -> NamedNode:
        iri = self.expand(text, file, where)
        try:
            return NamedNode(iri)
        except ValueError as exc:
            raise MappingError(f"{iri!r} is not an IRI: {exc}", file=file, field=where) from None

    # ---- templates --------------------------------------------------------------------------------
    def macro_expand(self, text: str, file: str, where: str, seen: tuple[str, ...] = ()) -> str:
        """``text`` with each ``{:name}`` replaced by the named template (recursively)."""
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

    def template(self, text: Any, file: str, where: str) -> Template:
        if not isinstance(text, str):
            raise MappingError(f"expected a template string, found {text!r}", file=file, field=where)
        full = self.macro_expand(text, file, where)
        parts: list[str | Placeholder] = []
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
        return Template(text, parts)

    def placeholder(self, inner: str, file: str, where: str) -> Placeholder:
        expr, *fns = [p.strip() for p in inner.split("|")]
        if not expr:
            raise MappingError(f"empty placeholder {{{inner}}}", file=file, field=where)
        default = None
        functions: list[ValueFunction] = []
        for fn in fns:
            name, sep, arg = fn.partition(":")
            name = name.strip()
            made = ARGUMENT_FUNCTIONS[name](arg) if sep and name in ARGUMENT_FUNCTIONS else None
            if name in FUNCTIONS and not sep:
                functions.append(FUNCTIONS[name])
            elif name == "default" and sep:
                default = arg
            elif made is not None:
                functions.append(made)
            elif name == "lookup" and sep:
                if arg not in self.lookups:
                    raise MappingError(f"unknown lookup {arg!r} (define it under lookups:)", file=file, field=where)
                functions.append(self.lookups[arg].function())
            else:
                raise MappingError(
                    f"unknown function {fn!r} in {{{inner}}}; known: {', '.join(KNOWN_FUNCTIONS)}",
                    file=file,
                    field=where,
                )
        if expr in _BUILD_VARIABLES:
            return Placeholder(inner, "var", None, expr, functions, default)
        path = _parse_path(expr, allow_all=False, where=where, file=file)
        return Placeholder(inner, "path", path, "", functions, default)

    # ---- objects and resources -------------------------------------------------------------------
    def object_spec(self, spec: Any, file: str, where: str) -> ObjectSpec:
        if isinstance(spec, str):
            spec = {"iri": spec}
        if not isinstance(spec, dict):
            raise MappingError("an object is {iri: ...} or {literal: ...}", file=file, field=where)
        _unknown_keys(spec, _OBJECT_KEYS, file, where)
        if ("iri" in spec) == ("literal" in spec):
            raise MappingError("an object needs exactly one of iri: or literal:", file=file, field=where)
        when = _parse_path(spec["when"], allow_all=False, where=where, file=file) if "when" in spec else None
        for_each = _parse_path(spec["for_each"], allow_all=True, where=where, file=file) if "for_each" in spec else None
        if "iri" in spec:
            obj = self._iri_object(spec, file, where, when, for_each)
        else:
            obj = self._literal_object(spec, file, where, when, for_each)
        if "unless" in spec:
            obj.unless = _parse_path(spec["unless"], allow_all=False, where=where, file=file)
        return obj

    def _iri_object(
        self, spec: dict, file: str, where: str, when: FieldPath | None, for_each: FieldPath | None
    ) -> ObjectSpec:
        if "datatype" in spec or "lang" in spec:
            raise MappingError("datatype/lang only apply to literals", file=file, field=where)
        text = self.macro_expand(spec["iri"], file, where) if isinstance(spec["iri"], str) else spec["iri"]
        if isinstance(text, str) and not text.startswith("{"):
            head, sep, rest = text.partition(":")  # prefix:local{placeholders}
            if sep and head in self.prefixes and not rest.startswith("//"):
                text = self.prefixes[head] + rest
        template = self.template(text, file, where)
        constant = None
        if template.constant is not None:
            try:
                constant = NamedNode(template.constant)
            except ValueError as exc:
                raise MappingError(f"{template.constant!r} is not an IRI: {exc}", file=file, field=where) from None
        return ObjectSpec(where, IRI, template, when=when, for_each=for_each, constant_term=constant)

    def _literal_object(
        self, spec: dict, file: str, where: str, when: FieldPath | None, for_each: FieldPath | None
    ) -> ObjectSpec:
        template = self.template(spec["literal"], file, where)
        if "datatype" in spec and "lang" in spec:
            raise MappingError("a literal has a datatype or a language, not both", file=file, field=where)
        lang = datatype = special = None
        if "lang" in spec:
            if not isinstance(spec["lang"], str) or not spec["lang"]:
                raise MappingError("lang must be a language tag such as it", file=file, field=where)
            lang = spec["lang"]
        elif "datatype" in spec:
            dt = spec["datatype"]
            if dt in SPECIAL_LEXICAL:
                if template.single is None:
                    raise MappingError(
                        f"datatype {dt} needs a template that is one placeholder, like '{{.value}}'",
                        file=file,
                        field=where,
                    )
                special = SPECIAL_LEXICAL[dt]
            else:
                datatype = self.term(dt, file, where)
                if datatype == _XSD_STRING:
                    datatype = None
        constant = None
        if template.constant is not None and special is None:
            c = template.constant
            constant = Literal(c, language=lang) if lang else Literal(c, datatype=datatype) if datatype else Literal(c)
        return ObjectSpec(
            where,
            LITERAL,
            template,
            when=when,
            for_each=for_each,
            datatype=datatype,
            lang=lang,
            special_datatype=special,
            constant_term=constant,
        )

    def resource(self, spec: Any, file: str, where: str) -> Resource:
        if not isinstance(spec, dict):
            raise MappingError("a resource is a mapping with subject:, types:, properties:", file=file, field=where)
        _unknown_keys(spec, _RESOURCE_KEYS, file, where)
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
        return Resource(name, file, for_each, when, subject, types, props)


def _parse_path(text: Any, *, allow_all: bool, where: str, file: str) -> FieldPath:
    """A path of the language: ``$``, ``union.ipa_code``, ``.name``, ``..istat_code``, ``members[*]``."""
    raw = text.strip()
    if raw in ("$", ""):
        return FieldPath(text, -1, ())
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
            steps.extend([ALL] * alls)
    if ALL in steps and not allow_all:
        raise MappingError(f"[*] is not allowed in {text!r} here (only in for_each)", file=file, field=where)
    return FieldPath(text, up, tuple(steps))
