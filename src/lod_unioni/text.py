"""Text for matching and naming: normalised names, keys, slugs, union-name similarity, websites.

Pure functions, no I/O; the one home of these conventions (the readers, the gazetteer, the card
importer, reconciliation, the national matching and the mappings all call them):

* :func:`normalize_name` / :func:`name_keys`: keys for matching place and body names;
* :func:`title_case`: Italian title case for names written in capitals;
* :func:`slug`: ASCII slugs for IRI segments;
* :func:`core_name` / :func:`name_similarity` / :class:`NameMatcher`: how alike two union names are;
* :func:`website_url` (lenient: a registry's text made absolute), :func:`parse_website` (strict: a
  checked http(s) URL, or ValueError) and :func:`website_key` (a comparison key).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "GENERIC_WORDS",
    "NameMatcher",
    "core_name",
    "name_keys",
    "name_similarity",
    "normalize_name",
    "parse_website",
    "slug",
    "strip_accents",
    "title_case",
    "website_key",
    "website_url",
]

_CACHE = 65536  # entries of each memoised function: every union and comune name of Italy fits

# --------------------------------------------------------------------------------------------
# Names


_APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u02b9\u2032"
_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """``Agliè`` -> ``Aglie``; ``ß`` is kept (``normalize_name`` folds it)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize_name(text: str) -> str:
    """A key for matching place names: ``"Sant’Angelo-Lodigiano "`` -> ``"sant angelo lodigiano"``.

    Case-folded, accents removed, apostrophes (' ’ ‘ ` ´), hyphens, dots, slashes and runs of spaces
    all become one space. So ``AGLIE'`` (capitals with an apostrophe for the accent, as in the
    Ministry register) and ``Agliè`` give the same key, as do ``Sant'Elia`` and ``SANT’ ELIA``.
    """
    folded = strip_accents(text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


# Words kept in lower case inside a title (articles, prepositions, articulated prepositions,
# conjunctions), except as the first word.
_LOWER_WORDS = frozenset(
    """
a ad al allo alla ai agli alle all
con col coi
da dal dallo dalla dai dagli dalle dall
di del dello della dei degli delle dell d
e ed
fra tra
i il gli la le lo l
in nel nello nella nei negli nelle nell
o od
per
su sul sullo sulla sui sugli sulle sull
""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _char_before(text: str, i: int) -> str:
    """The character before ``text[i]``, a space skipped (the text has single spaces); "" if none."""
    j = i - 1 if i > 0 and text[i - 1] != " " else i - 2
    return text[j] if j >= 0 else ""


def _char_after(text: str, i: int) -> str:
    """The character at ``text[i]``, a space skipped (the text has single spaces); "" if none."""
    j = i if i < len(text) and text[i] != " " else i + 1
    return text[j] if j < len(text) else ""


def title_case(text: str) -> str:
    """Italian title case for names written in capitals on the cards.

    ``UNIONE DEI COMUNI LUCANI DEL LAGONEGRESE`` -> ``Unione dei Comuni Lucani del Lagonegrese``;
    ``VALLE DELL'ANIENE`` -> ``Valle dell'Aniene``; ``SANT'ANGELO`` -> ``Sant'Angelo``. Articles and
    prepositions stay lower case except as the first word; words in parentheses that are acronyms
    (``(CUC)``) keep their capitals.
    """
    text = " ".join(text.split())
    out = []
    pos = 0
    first = True
    for m in _WORD.finditer(text):
        out.append(text[pos : m.start()])
        word = m.group()
        lower = word.lower()
        in_parens = _char_before(text, m.start()) == "(" and _char_after(text, m.end()) == ")"
        if in_parens and word.isupper() and len(word) <= 6:
            out.append(word)  # an acronym: (CUC), (ICT)
        elif not first and lower in _LOWER_WORDS:
            out.append(lower)
        else:
            out.append(lower[:1].upper() + lower[1:])
        first = False
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def name_keys(name: str) -> set[str]:
    """Keys of a name and of each part of a bilingual name (``Aldino/Aldein``)."""
    keys = {normalize_name(name)}
    if "/" in name:
        keys.update(normalize_name(part) for part in name.split("/"))
    keys.discard("")
    return keys


@functools.lru_cache(maxsize=_CACHE)
def slug(text: str) -> str:
    """``"Community di innovazione"`` -> ``community-di-innovazione``; accents dropped, ASCII only.

    Letters and digits that have no ASCII form (``数据``, ``Источник``, ``ß``) are not dropped
    silently: the slug then ends with the first 8 hex digits of the SHA-256 of the text's Unicode
    slug (the same words, in lower case, with the letters kept), so that such texts keep apart
    (``数据`` -> ``5440f742``, ``Straße`` -> ``stra-e-787f4770``). A text with nothing dropped (accents
    are folded, not dropped) has the plain ASCII slug.
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    out: list[str] = []
    full: list[str] = []  # the Unicode slug: every letter and digit kept
    dropped = False
    dash = False
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        if ch.isalnum():
            full.append(ch.lower())
            if ch.isascii():
                out.append(ch.lower())
                dash = False
                continue
            dropped = True
        elif full and full[-1] != "-":
            full.append("-")
        if not dash and out:
            out.append("-")
            dash = True
    ascii_slug = "".join(out).rstrip("-")
    if not dropped:
        return ascii_slug
    digest = hashlib.sha256("".join(full).strip("-").encode("utf-8")).hexdigest()[:8]
    return f"{ascii_slug}-{digest}" if ascii_slug else digest


# --------------------------------------------------------------------------------------------
# Union names

#: Words that say what kind of body a union is, not which one (Italian and the French of the
#: Valle d'Aosta unions), and the state of the body ("in liquidazione").
GENERIC_WORDS = frozenset(
    """
unione unioni union comuni comune comunita comunale dei di del della delle degli dello dell d e ed
il lo la i gli le l montana montani montano montane dal dai da in tra fra collinare
territoriale intercomunale uti lombarda lombardo liquidazione
unite des communes commune valdotaines valdostani
""".split()
)


@functools.lru_cache(maxsize=_CACHE)
def core_name(name: str) -> str:
    """The distinctive words of a union's name (:func:`normalize_name` without
    :data:`GENERIC_WORDS`; the whole name when every word is generic):
    ``Unione dei Comuni Lucani del Lagonegrese`` -> ``lucani lagonegrese``."""
    words = normalize_name(name).split()
    core = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(core or words)


@functools.lru_cache(maxsize=_CACHE)
def _sorted_core(name: str) -> str:
    return " ".join(sorted(core_name(name).split()))


@functools.lru_cache(maxsize=_CACHE)
def _compact(name: str) -> str:
    """The whole name without spaces when it has a distinctive word (``UNION 3`` -> ``union3``), else ''."""
    words = normalize_name(name).split()
    return "".join(words) if any(w not in GENERIC_WORDS for w in words) else ""


def name_similarity(a: str, b: str) -> float:
    """How alike two union names are, 0..1: 1 when equal but for case, accents, punctuation and
    the generic words (``UNITE' DES COMMUNES VALDOTAINES GRAND-PARADIS`` / ``Unione dei Comuni
    Valdostani Grand-Paradis``); 0.9 when one's distinctive words (6 letters or more) are all in
    the other's (0.8 for a single word), or one name written without spaces is in the other
    (``UNION 3`` / ``Unione dei Comuni Union3``); else the better of the two sequence ratios (as
    written, and words sorted)."""
    return NameMatcher(a).to(b)


class NameMatcher:
    """:func:`name_similarity` of one name against many (the name's matcher is built once)."""

    def __init__(self, name: str):
        self.core = core_name(name)
        self.tokens = set(self.core.split())
        self.compact = _compact(name)
        self.seq = difflib.SequenceMatcher(None, "", "")
        self.seq.set_seq2(self.core)
        self.srt = difflib.SequenceMatcher(None, "", "")
        self.srt.set_seq2(_sorted_core(name))

    def to(self, other: str, at_least: float = 0.0) -> float:
        """The similarity with ``other``; 0 when it is surely below ``at_least``."""
        core = core_name(other)
        if core == self.core:
            return 1.0
        tokens = set(core.split())
        small, large = (self.tokens, tokens) if len(self.core) <= len(core) else (tokens, self.tokens)
        best = 0.0
        if len("".join(small)) >= 6 and small <= large:
            best = 0.9 if len(small) > 1 else 0.8  # one word in common is weaker evidence
        other_compact = _compact(other)
        if (
            not best
            and self.compact
            and other_compact
            and min(len(self.compact), len(other_compact)) >= 6
            and (self.compact in other_compact or other_compact in self.compact)
        ):
            best = 0.9
        for matcher, text in ((self.seq, core), (self.srt, _sorted_core(other))):
            matcher.set_seq1(text)
            if matcher.real_quick_ratio() <= max(best, at_least) or matcher.quick_ratio() <= max(best, at_least):
                continue
            best = max(best, matcher.ratio())
        return best


# --------------------------------------------------------------------------------------------
# Websites

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HOST = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def website_url(text: str | None) -> str | None:
    """A website as a registry writes it, made an absolute URL without judging it: ``None`` or
    blank stays ``None``, ``www.x.it`` becomes ``http://www.x.it``, ``HTTPS://x.it`` keeps its
    scheme (lower-cased) and the rest as written."""
    if text is None:
        return None
    t = text.strip()
    if not t:
        return None
    m = _SCHEME.match(t)
    if m:
        return m.group().lower() + t[m.end() :]
    return "http://" + t.lstrip("/")


def parse_website(text: str) -> str:
    """A website written by people, checked and made a canonical http(s) URL: ``WWW.EXAMPLE.IT``
    -> ``http://www.example.it``; scheme and host lower-cased, the path kept. Not an http(s) web
    address: :class:`ValueError`."""
    t = text.strip().strip("<>").strip()
    if not t or " " in t:
        raise ValueError(f"{text!r} is not a web address")
    if not _SCHEME.match(t):
        t = "http://" + t
    parts = urlsplit(t)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not _HOST.fullmatch(host):
        raise ValueError(f"{text!r} is not an http(s) web address")
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


_SCHEME_PREFIX = re.compile(r"^[a-z][a-z0-9+.-]*://")


def website_key(url: str | None) -> str | None:
    """A website as a comparison key: no scheme, no ``www.``, lower case, no fragment, no trailing
    slash (``HTTPS://www.Example.it/`` -> ``example.it``); None for None or blank."""
    if url is None:
        return None
    key = _SCHEME_PREFIX.sub("", url.strip().lower())
    key = key.split("#", 1)[0]
    if key.startswith("www."):
        key = key[4:]
    key = key.rstrip("/")
    if "/?" in key:
        key = key.replace("/?", "?", 1)
    return key or None
