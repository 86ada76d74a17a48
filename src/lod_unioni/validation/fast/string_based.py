"""String-based constraint components (SHACL 4.4): sh:minLength, sh:maxLength, sh:pattern (with
sh:flags), sh:languageIn, sh:uniqueLang (property shapes)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from pyoxigraph import BlankNode, Literal, Triple

from ..terms import Term
from .context import Evaluation
from .model import Check, Component, RawResult, Read, Shape, core
from .reader import Reader


def _lexical(term: Term) -> str | None:
    """The string SPARQL's STR() gives (None for blank nodes)."""
    if isinstance(term, BlankNode | Triple):
        return None
    return term.value


def _length_reader(parameter: str) -> Read:
    def read(reader: Reader, node: Term) -> list[int]:
        n = reader.integer(node, parameter)
        if n is None or n < 0:
            raise reader.error(node, f"the value of sh:{parameter} must be a non-negative integer")
        return [n]

    return read


def _length_checker(name: str, ok: Callable[[int, int], bool]) -> Check:
    def check(run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], n: int) -> Iterable[RawResult]:
        for v in values:
            text = _lexical(v)
            if text is None or not ok(len(text), n):
                yield run.result(shape, focus, LENGTHS[name].iri, v)

    return check


# --- sh:pattern ---------------------------------------------------------------------------------

_FLAGS = {"s": re.S, "m": re.M, "i": re.I}


def xpath_regex(pattern: str, flags: str) -> re.Pattern[str]:
    """An XPath regular expression (``fn:matches``) with its flags, as a Python pattern: ``$``
    matches only at the very end (not before a final newline), ``x`` removes white space outside
    character classes, ``q`` quotes the whole pattern. Raises ValueError for a bad pattern."""
    unknown = set(flags) - {"s", "m", "i", "x", "q"}
    if unknown:
        raise ValueError(f"unknown regular expression flags {''.join(sorted(unknown))!r}")
    if "q" in flags:
        python = re.escape(pattern)
    else:
        python = _translate(pattern, strip_space="x" in flags, multiline="m" in flags)
    options = 0
    for f in flags:
        options |= _FLAGS.get(f, 0)
    try:
        return re.compile(python, options)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None


def python_anchors(pattern: str, flags: str) -> str:
    """``pattern`` with XPath's ``$`` (the very end, unless flag ``m``) written as Python's ``\\Z``,
    everything else unchanged: for an engine that hands ``sh:pattern`` to Python's ``re`` as is."""
    return pattern if "m" in flags or "q" in flags else _translate(pattern, strip_space=False, multiline=False)


def _translate(pattern: str, *, strip_space: bool, multiline: bool) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "$" and not multiline:
            c = r"\Z"
        elif strip_space and c in " \t\r\n":
            c = ""
        out.append(c)
        i += 1
    return "".join(out)


def _read_pattern(reader: Reader, node: Term) -> list[re.Pattern[str]]:
    flags_term = reader.one(node, "flags")
    flags = "" if flags_term is None else reader.string(node, "flags", flags_term)
    out = []
    for value in reader.values(node, "pattern"):
        try:
            out.append(xpath_regex(reader.string(node, "pattern", value), flags))
        except ValueError as exc:
            raise reader.error(node, f"sh:pattern {value}: {exc}") from None
    return out


def _check_pattern(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], regex: re.Pattern[str]
) -> Iterable[RawResult]:
    for v in values:
        text = _lexical(v)
        if text is None or regex.search(text) is None:
            yield run.result(shape, focus, PATTERN.iri, v)


# --- languages ----------------------------------------------------------------------------------


def lang_matches(tag: str, language_range: str) -> bool:
    """SPARQL's langMatches (basic filtering, RFC 4647)."""
    if language_range == "*":
        return bool(tag)
    tag, language_range = tag.lower(), language_range.lower()
    return tag == language_range or tag.startswith(language_range + "-")


def _read_language_in(reader: Reader, node: Term) -> list[tuple[str, ...]]:
    members = reader.members(node, "languageIn", reader.single(node, "languageIn"))
    return [tuple(reader.string(node, "languageIn", m) for m in members)]


def _check_language_in(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], ranges: tuple[str, ...]
) -> Iterable[RawResult]:
    for v in values:
        tag = v.language if isinstance(v, Literal) else None
        if not tag or not any(lang_matches(tag, r) for r in ranges):
            yield run.result(shape, focus, LANGUAGE_IN.iri, v)


def _read_unique_lang(reader: Reader, node: Term) -> list[bool]:
    return [True] if reader.boolean(node, "uniqueLang") else []


def _check_unique_lang(
    run: Evaluation, shape: Shape, focus: Term, values: Sequence[Term], _args: bool
) -> Iterable[RawResult]:
    seen: dict[str, int] = {}
    for v in values:
        if isinstance(v, Literal) and v.language:
            key = v.language.lower()
            seen[key] = seen.get(key, 0) + 1
    for _tag, n in seen.items():
        if n > 1:
            yield run.result(shape, focus, UNIQUE_LANG.iri)


_MIN, _MAX = (
    _length_checker("minLength", lambda size, n: size >= n),
    _length_checker("maxLength", lambda size, n: size <= n),
)
LENGTHS = {
    "minLength": core("MinLength", "minLength", read=_length_reader("minLength"), check=_MIN),
    "maxLength": core("MaxLength", "maxLength", read=_length_reader("maxLength"), check=_MAX),
}
PATTERN = core("Pattern", "pattern", "flags", read=_read_pattern, check=_check_pattern)
LANGUAGE_IN = core("LanguageIn", "languageIn", read=_read_language_in, check=_check_language_in)
UNIQUE_LANG = core("UniqueLang", "uniqueLang", read=_read_unique_lang, check=_check_unique_lang, property_only=True)
COMPONENTS: list[Component] = [*LENGTHS.values(), PATTERN, LANGUAGE_IN, UNIQUE_LANG]
