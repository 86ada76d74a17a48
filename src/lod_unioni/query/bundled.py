"""The bundled queries (``queries/*.rq``) and their header comment blocks.

The header syntax is defined in ``queries/README.md``::

    # @title@it: Unioni di Comuni di una regione
    # @title@en: Unions of a region
    # @description@it: ...
    # @description@en: ...
    #   (continuation lines)
    # @param region: xsd:string = "Abruzzo" -- region name or 2-digit ISTAT code
    # @requires: remote-endpoint
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LodError
from ..resources import resource_dir
from . import sparql_text
from .params import Param, check_name, check_type, to_term

REMOTE_ENDPOINT = "remote-endpoint"
_KNOWN_REQUIREMENTS = (REMOTE_ENDPOINT,)
_TEXT_KEYS = ("title@it", "title@en", "description@it", "description@en")
_FIELD = re.compile(r"\A@([A-Za-z]+(?:@[a-z]{2})?)(?:\s*:\s*|\s+)(.*)\Z")
_PARAM = re.compile(r"\A(?P<name>\S+?)\s*:\s*(?P<type>\S+)\s*(?P<rest>.*)\Z")


@dataclass(frozen=True)
class QueryInfo:
    """What ``lod-unioni query --list`` shows about a query."""

    name: str
    title_it: str
    title_en: str
    description_it: str
    description_en: str
    params: tuple[Param, ...] = ()
    requires_remote: bool = False
    path: Path | None = None


@dataclass(frozen=True)
class Query:
    """A query ready to run: its header information and its SPARQL text."""

    info: QueryInfo
    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    prefixes: dict = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def source(self) -> str:
        """How errors name the query: its file, or its name."""
        return str(self.info.path) if self.info.path else self.info.name


def queries_dir() -> Path:
    return resource_dir("queries")


def parse_header(text: str, *, source: str = "query") -> dict:
    """Read the header comment block: returns {title@it, ..., params: [Param], requires: [str]}.

    Errors name ``source`` (the file) and the field.
    """
    fields: dict = {"params": [], "requires": []}
    raw_params: list[list[str]] = []
    current: list[str] | None = None  # the text being continued
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            if current is None and not fields.get("_started"):
                continue  # blank lines before the header
            break
        if not stripped.startswith("#"):
            break
        fields["_started"] = True
        body = stripped.lstrip("#").strip()
        if not body:
            current = None
            continue
        m = _FIELD.match(body)
        if body.startswith("@") and not m:
            raise LodError(f"malformed header line {body!r}: expected '@key: value'", file=source)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key in _TEXT_KEYS:
                if key in fields:
                    raise LodError("given twice", file=source, field=f"@{key}")
                current = [value]
                fields[key] = current
            elif key == "param":
                current = [value]
                raw_params.append(current)
            elif key == "requires":
                for item in (v.strip() for v in value.split(",")):
                    if item not in _KNOWN_REQUIREMENTS:
                        raise LodError(
                            f"unknown requirement {item!r}; known: {', '.join(_KNOWN_REQUIREMENTS)}",
                            file=source,
                            field="@requires",
                        )
                    fields["requires"].append(item)
                current = None
            else:
                raise LodError(
                    f"unknown header key; known: {', '.join('@' + k for k in _TEXT_KEYS)}, @param, @requires",
                    file=source,
                    field=f"@{key}",
                )
        elif current is not None:
            current.append(body)
    fields.pop("_started", None)
    for key in _TEXT_KEYS:
        if key in fields:
            fields[key] = " ".join(fields[key]).strip()
    seen = set()
    for parts in raw_params:
        param = _parse_param(" ".join(parts), source)
        if param.name in seen:
            raise LodError("declared twice", file=source, field=f"@param {param.name}")
        seen.add(param.name)
        fields["params"].append(param)
    return fields


def _parse_param(spec: str, source: str) -> Param:
    m = _PARAM.match(spec)
    if not m:
        raise LodError(
            f"malformed parameter {spec!r}: expected 'NAME: TYPE [= DEFAULT] [-- DESCRIPTION]'",
            file=source,
            field="@param",
        )
    name, type_, rest = m.group("name"), m.group("type"), m.group("rest").strip()
    try:
        check_name(name)
        check_type(type_)
    except ValueError as exc:
        raise LodError(str(exc), file=source, field=f"@param {name}") from None
    default = None
    if rest.startswith("="):
        rest = rest[1:].lstrip()
        if rest.startswith('"'):
            try:
                default, end = json.JSONDecoder().raw_decode(rest)
            except json.JSONDecodeError:
                raise LodError(
                    f"bad default {rest!r}: a double-quoted string with JSON escapes, or a token without spaces",
                    file=source,
                    field=f"@param {name}",
                ) from None
            rest = rest[end:].strip()
        else:
            default, _, rest = rest.partition(" ")
            rest = rest.strip()
            if not default:
                raise LodError("'=' without a default value", file=source, field=f"@param {name}")
    description = ""
    if rest:
        if not rest.startswith("--"):
            raise LodError(
                f"unexpected text {rest!r}: put a description after ' -- '", file=source, field=f"@param {name}"
            )
        description = rest[2:].strip()
    return Param(name=name, type=type_, default=default, description=description)


def parse_query(text: str, *, name: str, path: Path | None = None, strict: bool = False) -> Query:
    """Build a :class:`Query` from SPARQL text with an optional header block.

    ``strict`` (bundled queries) requires the four titles and descriptions.
    """
    source = str(path) if path else name
    header = parse_header(text, source=source)
    if strict:
        for key in _TEXT_KEYS:
            if not header.get(key):
                raise LodError("missing in the header of a bundled query", file=source, field=f"@{key}")
    form = sparql_text.query_form(text)
    prefixes = sparql_text.prefixes(text)
    used = sparql_text.variables(text)
    for p in header["params"]:
        if p.name not in used:
            raise LodError(f"the query never uses ?{p.name}", file=source, field=f"@param {p.name}")
        if p.default is not None:
            try:
                to_term(p, p.default, prefixes)
            except LodError as exc:
                raise LodError(f"bad default: {exc.message}", file=source, field=f"@param {p.name}") from None
    title = header.get("title@en") or header.get("title@it") or name
    info = QueryInfo(
        name=name,
        title_it=header.get("title@it") or title,
        title_en=title,
        description_it=header.get("description@it", ""),
        description_en=header.get("description@en", ""),
        params=tuple(header["params"]),
        requires_remote=REMOTE_ENDPOINT in header["requires"],
        path=path,
    )
    return Query(info=info, text=text, form=form, prefixes=prefixes)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LodError("query file not found", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise LodError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", file=str(path)) from None
    except OSError as exc:
        raise LodError(f"cannot read the query file: {exc.strerror or exc}", file=str(path)) from None


def bundled_names() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def list_queries() -> list[QueryInfo]:
    """The bundled queries, sorted by name."""
    return [load_query(name).info for name in bundled_names()]


def _looks_like_path(value: str) -> bool:
    return "/" in value or "\\" in value or bool(Path(value).suffix)


def load_query(name_or_path: str | Path) -> Query:
    """A bundled query by name (``union-members``) or a query file by path (``my.rq``).

    A bare word is a bundled name first; a word with a path separator or a file extension is a path.
    """
    if isinstance(name_or_path, Path) or _looks_like_path(str(name_or_path)):
        path = Path(name_or_path)
        return parse_query(_read(path), name=path.stem, path=path)
    name = str(name_or_path)
    path = queries_dir() / f"{name}.rq"
    if not path.is_file() and Path(name).is_file():
        return parse_query(_read(Path(name)), name=name, path=Path(name))
    if not path.is_file():
        names = bundled_names()
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise LodError(
            f"unknown query {name!r}{hint}; 'lod-unioni query --list' lists the bundled queries, "
            "or give the path of a .rq file"
        )
    return parse_query(_read(path), name=name, path=path, strict=True)
