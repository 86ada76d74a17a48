"""ITALIAE cards -> union records (the format of ``docs/record-format-example.yaml``).

A card is the text extracted from an ITALIAE PDF (see ``../shared/seeds``): a header (programme,
union name, region, intervention line, activity period), the *inquadramento territoriale* fields
(``KEY<TAB>VALUE``), the ``Comune`` and ``Popolazione`` lists, the figures (total population,
surface, density, number of comuni), the ITALIAE intervention (*Fabbisogno*, *Ambito di
intervento*, *Azioni*), narrative sections (a heading in capitals followed by paragraphs) and the
synergy sentence.

Every non-blank line of the card is either used or reported: what the importer cannot read or
resolve goes into the record's ``unresolved`` list as ``{field, text, reason}``; nothing is dropped
silently. Values are what the card says (Italian numbers parsed, names title-cased, IPA codes lower
case, websites with ``http://`` and a lower-case host); codes come from the registries (ISTAT list of
comuni, OntoPiA cities, provinces, regions) through :class:`lod_unioni.gazetteer.Gazetteer`.

Public API: :func:`parse_card`, :func:`import_card`, :func:`import_cards`, :func:`dump_record`,
:func:`write_record`, :func:`split_services`, :func:`services_vocabulary`,
:func:`status_vocabulary`, :func:`load_vocabulary`.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from . import __version__
from .codes import IPA_CODE
from .errors import LodError
from .fileio import write_atomic
from .gazetteer import Gazetteer, ResolveError
from .italian import ItalianFormatError, parse_int, parse_italian_date, parse_quantity
from .resources import resource_dir, schema_path
from .sources._csv import detect_encoding
from .sources.fetch import SourcesDir, load_manifest, source_entry
from .sources.kinds import GAZETTEER_KINDS, KINDS
from .text import normalize_name, parse_website, title_case
from .vocab import LUS, LUST

__all__ = [
    "RECORD_FORMAT",
    "CardImport",
    "Concept",
    "Vocabulary",
    "delete_path",
    "dump_record",
    "get_path",
    "import_card",
    "import_cards",
    "load_vocabulary",
    "parse_card",
    "record_file_name",
    "services_vocabulary",
    "split_services",
    "status_vocabulary",
    "write_record",
]

RECORD_FORMAT = 1
SERVICES_SCHEME = LUS.rstrip("/")
STATUS_SCHEME = LUST.rstrip("/")
PROGRAMME = "ITALIAE"
# Intervention lines of the ITALIAE programme, by normalised key.
KNOWN_LINES = {
    "community di innovazione": "Community di innovazione",
    "laboratorio permanente": "Laboratorio Permanente",
}


# ============================================================================================
# Vocabularies (SKOS, read from ontology/vocabularies/*/*.ttl)


@dataclass(frozen=True)
class Concept:
    iri: str
    notation: str
    pref_it: str
    pref_en: str | None
    labels: tuple[str, ...]  # prefLabel, altLabel, hiddenLabel (all languages)


_TOKEN = re.compile(r"[()\[\]]|[-–—]|[,;/•·+]|[^\s()\[\]\-–—,;/•·+]+")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word keys of ``text`` with their character spans: case, accents and apostrophes folded,
    parentheses, dashes and list separators kept as tokens of their own."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if raw in "-–—":
            out.append(("-", m.start(), m.end()))
        elif len(raw) == 1 and raw in "()[],;/•·+":
            out.append(({"[": "(", "]": ")"}.get(raw, raw), m.start(), m.end()))
        else:
            for word in normalize_name(raw).split():
                out.append((word, m.start(), m.end()))
    return out


@dataclass
class Vocabulary:
    """A SKOS concept scheme indexed by the token keys of its labels."""

    scheme: str
    concepts: dict[str, Concept]  # notation -> concept
    index: dict[tuple[str, ...], str] = field(default_factory=dict)  # label tokens -> notation
    longest: int = 0

    def match(self, keys: list[str], start: int) -> tuple[str, int] | None:
        """The longest label matching ``keys[start:]``: ``(notation, end)``."""
        for length in range(min(self.longest, len(keys) - start), 0, -1):
            notation = self.index.get(tuple(keys[start : start + length]))
            if notation is not None:
                return notation, start + length
        return None


def load_vocabulary(path: str | Path, scheme: str) -> Vocabulary:
    """Read a SKOS scheme from Turtle. Two concepts sharing a label (after folding case, accents
    and punctuation) are an error: the importer could not choose between them."""
    import rdflib
    from rdflib.namespace import RDF, SKOS

    g = rdflib.Graph()
    try:
        g.parse(str(path), format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise LodError(f"cannot read the vocabulary: {exc}", file=str(path)) from None
    scheme_ref = rdflib.URIRef(scheme)
    concepts: dict[str, Concept] = {}
    for c in sorted(set(g.subjects(SKOS.inScheme, scheme_ref)) | set(g.subjects(SKOS.topConceptOf, scheme_ref))):
        if (c, RDF.type, SKOS.Concept) not in g:
            continue
        notation = str(g.value(c, SKOS.notation) or str(c).rsplit("/", 1)[-1])
        prefs = {lit.language: str(lit) for lit in g.objects(c, SKOS.prefLabel)}
        labels = [str(lit) for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel) for lit in g.objects(c, p)]
        if "it" not in prefs:
            raise LodError(f"concept {c} has no skos:prefLabel @it", file=str(path))
        concepts[notation] = Concept(str(c), notation, prefs["it"], prefs.get("en"), tuple(sorted(labels)))
    if not concepts:
        raise LodError(f"no concept of scheme {scheme}", file=str(path))
    vocab = Vocabulary(scheme, concepts)
    for notation, concept in sorted(concepts.items()):
        for label in concept.labels:
            key = tuple(k for k, _, _ in _tokens(label))
            if not key:
                continue
            other = vocab.index.setdefault(key, notation)
            if other != notation:
                raise LodError(f"label {label!r} belongs to two concepts, {other} and {notation}", file=str(path))
            vocab.longest = max(vocab.longest, len(key))
    return vocab


@cache
def services_vocabulary() -> Vocabulary:
    """The services scheme bundled in ``ontology/vocabularies/services/services.ttl``."""
    return load_vocabulary(resource_dir("ontology") / "vocabularies" / "services" / "services.ttl", SERVICES_SCHEME)


@cache
def status_vocabulary() -> Vocabulary:
    """The service-status scheme bundled in ``ontology/vocabularies/service-status/service-status.ttl``."""
    return load_vocabulary(
        resource_dir("ontology") / "vocabularies" / "service-status" / "service-status.ttl", STATUS_SCHEME
    )


# ============================================================================================
# SERVIZI AGGREGATI: a run-on line split into services by the vocabulary's labels

_SEPARATORS = {"-", ",", ";", "/", "•", "·", "+"}
_CONJUNCTIONS = {"e", "ed"}


def split_services(
    text: str, services: Vocabulary | None = None, statuses: Vocabulary | None = None
) -> tuple[list[dict], list[dict]]:
    """Split the ``SERVIZI AGGREGATI`` text into services.

    Returns ``(services, unresolved)``: services as ``{concept, card_text, status}`` in card order,
    unresolved pieces as ``{field: "services", text, reason}``.

    Rules: at each position the longest label (prefLabel/altLabel of a concept, compared without
    case, accents, apostrophes) wins; ``-``, ``,``, ``;``, ``/`` between two services separate them;
    a status label (``(IN VIA DI ELABORAZIONE)``, in parentheses or of two words or more) sets the
    status of the service just before it; two labels of the same concept joined by ``-``
    (``MEDICO DEL LAVORO - SICUREZZA SUL LAVORO``) are one service; text no label matches is
    reported, never dropped.
    """
    services = services or services_vocabulary()
    statuses = statuses or status_vocabulary()
    toks = _tokens(text)
    keys = [k for k, _, _ in toks]
    n = len(toks)
    found: list[dict] = []
    spans: list[list[int]] = []  # [start char, end char] of each service
    unresolved: list[dict] = []
    pending: int | None = None  # token index where unmatched text starts
    last_end_token = -1  # token index just after the last service or status
    status_attached: list[bool] = []

    def piece(a: int, b: int) -> str:
        """Card text of tokens a..b-1, without separators at either end."""
        while a < b and keys[a] in _SEPARATORS:
            a += 1
        while b > a and keys[b - 1] in _SEPARATORS:
            b -= 1
        return text[toks[a][1] : toks[b - 1][2]] if a < b else ""

    def flush(upto: int, reason: str = "no concept of the services vocabulary matches this text") -> None:
        nonlocal pending
        if pending is not None:
            t = piece(pending, upto)
            if t:
                unresolved.append({"field": "services", "text": t, "reason": reason})
            pending = None

    def status_at(i: int) -> tuple[str, int] | None:
        if keys[i] == "(":
            m = statuses.match(keys, i + 1)
            if m and m[1] < n and keys[m[1]] == ")":
                return m[0], m[1] + 1
            return None
        m = statuses.match(keys, i)
        if m and m[1] - i >= 3:
            return m
        return None

    i = 0
    while i < n:
        st = status_at(i)
        if st:
            notation, end = st
            if pending is not None:
                flush(
                    i,
                    "no concept of the services vocabulary matches this text "
                    f"(marked {text[toks[i][1] : toks[end - 1][2]]})",
                )
            elif found and not status_attached[-1] and last_end_token == i:
                found[-1]["status"] = notation
                spans[-1][1] = toks[end - 1][2]
                found[-1]["card_text"] = text[spans[-1][0] : spans[-1][1]]
                status_attached[-1] = True
            else:
                unresolved.append(
                    {
                        "field": "services",
                        "text": text[toks[i][1] : toks[end - 1][2]],
                        "reason": "a status with no service before it",
                    }
                )
            i = end
            last_end_token = i
            continue
        m = services.match(keys, i)
        if m:
            flush(i)
            notation, end = m
            between = keys[last_end_token:i] if last_end_token >= 0 else None
            if (
                found
                and found[-1]["concept"] == notation
                and between is not None
                and all(k == "-" for k in between)
                and not status_attached[-1]
            ):
                spans[-1][1] = toks[end - 1][2]  # "MEDICO DEL LAVORO - SICUREZZA SUL LAVORO": one service
                found[-1]["card_text"] = text[spans[-1][0] : spans[-1][1]]
            elif any(s["concept"] == notation for s in found):
                unresolved.append(
                    {
                        "field": "services",
                        "text": text[toks[i][1] : toks[end - 1][2]],
                        "reason": f"service {notation} is listed twice on the card",
                    }
                )
            else:
                found.append(
                    {"concept": notation, "card_text": text[toks[i][1] : toks[end - 1][2]], "status": "active"}
                )
                spans.append([toks[i][1], toks[end - 1][2]])
                status_attached.append(False)
            i = end
            last_end_token = i
            continue
        if pending is None and keys[i] in _SEPARATORS:
            i += 1
            if last_end_token == i - 1:
                last_end_token = i
            continue
        if pending is None and keys[i] in _CONJUNCTIONS and i + 1 < n and services.match(keys, i + 1):
            i += 1
            continue
        if pending is None:
            pending = i
        i += 1
    flush(n)
    return found, unresolved


# ============================================================================================
# Small value parsers


def _founded(text: str) -> str:
    t = text.strip()
    if re.fullmatch(r"(1[89]|20)\d{2}", t):
        return t
    return parse_italian_date(t).isoformat()


_DATE_IN_TEXT = re.compile(r"(\d{1,2}[./-]\d{1,2}[./-]\d{4})")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _period(text: str) -> dict:
    dates = _DATE_IN_TEXT.findall(text)
    if dates and len(dates) <= 2:
        values = [parse_italian_date(d).isoformat() for d in dates]
    else:
        values = _YEAR.findall(text)
    if not values or len(values) > 2:
        raise ValueError(f"{text!r} is not a year or a period of two years/dates")
    return {"start": values[0], "end": values[-1]}


# ============================================================================================
# The card parser

_BULLET = re.compile(r"^\s*[-–•·]\s+(.*)$")
_FIELD_KEYS = {
    "regione": "region",
    "provincia": "province",
    "tipologia ente": "body_type",
    "tipologia di ente": "body_type",
    "data istituzione": "founded",
    "data di istituzione": "founded",
    "anno istituzione": "founded",
    "anno di istituzione": "founded",
    "web": "website",
    "indirizzo web": "website",
    "sito web": "website",
    "sito internet": "website",
    "sito istituzionale": "website",
    "codice ipa": "ipa_code",
    "servizi aggregati": "services",
    "servizi associati": "services",
    "funzioni associate": "services",
    "funzioni e servizi associati": "services",
}
_FIELD = re.compile(r"^(?P<key>[A-Za-zÀ-ÿ' ]+?)\s*(?P<sep>\t+|:|\s{2,})\s*(?P<value>.*)$")
_SYNERGY = re.compile(
    r"in sinergia con\s+(?:la\s+)?(?:linea di intervento\s+)?[\"“”«](?P<name>[^\"“”»]+)[\"“”»]", re.IGNORECASE
)
# Header lines that name a union even when not written in capitals.
_NAME_STARTS = ("unione ", "union ", "comunita montana ", "comunita ")
_NOT_A_VALUE = {"", "-", "–", "/", "n.d.", "nd", "n.d", "non disponibile", "assente", "nessuno"}


def _plain(line: str) -> str:
    """Line without markdown bold markers and extra spaces."""
    return " ".join(line.replace("**", "").replace("__", "").split())


def _key(line: str) -> str:
    return normalize_name(_plain(line))


def _is_caps(line: str) -> bool:
    p = _plain(line)
    return any(c.isalpha() for c in p) and p == p.upper() and p.upper() != p.lower()


class _Parser:
    """One pass over the lines of a card; fills ``self.r`` (parts of the record)."""

    def __init__(self, text: str, card: str, gazetteer: Gazetteer, services: Vocabulary, statuses: Vocabulary):
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        self.lines = [ln.rstrip() for ln in text.split("\n")]
        self.lines = ["" if not ln.strip() else ln for ln in self.lines]
        self.card = card
        self.g = gazetteer
        self.services_vocab = services
        self.statuses_vocab = statuses
        self.unresolved: list[dict] = []
        self.fields: dict[str, tuple[str, int]] = {}
        self.name_lines: list[tuple[str, int]] = []
        self.header_region: tuple[str, int] | None = None
        self.line_text: list[str] = []
        self.period_text: str | None = None
        self.programme_seen = False
        self.members: list[str] | None = None
        self.populations: list[str] | None = None
        self.total: tuple[str, int] | None = None
        self.source: str | None = None
        self.resident: dict = {}
        self.surface: tuple[str, int] | None = None
        self.density: tuple[str, int] | None = None
        self.n_comuni: tuple[str, int] | None = None
        self.need: list[str] | None = None
        self.scope: list[str] | None = None
        self.actions: list[str] | None = None
        self.sections: list[dict] = []
        self.synergy: str | None = None
        self.phase = "header"
        self.narrative = False

    # ---- helpers --------------------------------------------------------------------------
    def unresolved_line(self, i: int, reason: str = "line not recognised") -> None:
        self.unresolved.append({"field": "card", "text": _plain(self.lines[i]), "reason": f"line {i + 1}: {reason}"})

    def next_nonblank(self, i: int) -> int:
        while i < len(self.lines) and not self.lines[i]:
            i += 1
        return i

    def bullets(self, i: int) -> tuple[list[str], int]:
        """Bullet lines from ``i`` on (blank lines between bullets allowed)."""
        items: list[str] = []
        while True:
            j = self.next_nonblank(i)
            if j >= len(self.lines):
                return items, j
            m = _BULLET.match(self.lines[j])
            if not m:
                return items, j
            items.append(_plain(m.group(1)))
            i = j + 1

    def value_after_heading(self, i: int, heading_words: int) -> tuple[str, int, int]:
        """The value of a figure heading: the rest of its line, else the next non-blank line.
        Returns (value, line index of the value, index after)."""
        words = _plain(self.lines[i]).split(" ")
        rest = " ".join(words[heading_words:]).lstrip(":").strip()
        if rest:
            return rest, i, i + 1
        j = self.next_nonblank(i + 1)
        if j < len(self.lines) and not self.is_heading(j):
            return _plain(self.lines[j]), j, j + 1
        return "", i, i + 1

    def is_heading(self, i: int) -> bool:
        return self.known(i) is not None

    def known(self, i: int) -> str | None:
        """Which known heading line ``i`` is (None if not one)."""
        k = _key(self.lines[i])
        if k in (
            "italiae",
            "nuove formule organizzative per i territori",
            "formez",
            "linea di intervento",
            "inquadramento territoriale",
            "comune",
            "comuni",
            "popolazione",
            "popolazione residente",
            "fabbisogno",
            "fabbisogni",
            "ambito di intervento",
            "ambiti di intervento",
            "azioni",
        ):
            return k
        for prefix in (
            "periodo di attivita",
            "totale",
            "fonte",
            "superficie",
            "densita",
            "numero comuni",
            "numero dei comuni",
            "numero di comuni",
            "n comuni",
        ):
            if k == prefix or k.startswith(prefix + " "):
                return prefix
        return None

    def field_match(self, i: int) -> tuple[str, str, str] | None:
        """``(record key, card key, value)`` when line ``i`` is a field ``KEY<TAB>VALUE``."""
        line = self.lines[i].replace("**", "")
        m = _FIELD.match(line)
        if m and normalize_name(m["key"]) in _FIELD_KEYS:
            return _FIELD_KEYS[normalize_name(m["key"])], m["key"].strip(), " ".join(m["value"].split())
        if self.phase == "fields":  # "KEY VALUE" with one space, inside the inquadramento block
            k = normalize_name(line)
            for key in sorted(_FIELD_KEYS, key=len, reverse=True):
                if k == key or k.startswith(key + " "):
                    n_words = len(key.split())
                    words = _plain(line).split(" ")
                    return _FIELD_KEYS[key], " ".join(words[:n_words]), " ".join(words[n_words:])
        return None

    # ---- the pass -------------------------------------------------------------------------
    def run(self) -> None:
        i = 0
        lines = self.lines
        while i < len(lines):
            if not lines[i]:
                i += 1
                continue
            k = _key(lines[i])
            heading = self.known(i)
            fm = self.field_match(i) if heading is None else None
            if fm:
                i = self.on_field(i, *fm)
            elif heading in ("italiae", "nuove formule organizzative per i territori"):
                self.programme_seen = True
                i += 1
            elif heading == "formez":
                i += 1  # logo of Formez PA, which runs the programme
            elif heading == "linea di intervento":
                i = self.on_line(i + 1)
            elif heading == "periodo di attivita":
                text, _, i = self.value_after_heading(i, 3)
                self.period_text = text
            elif heading == "inquadramento territoriale":
                self.phase = "fields"
                i += 1
            elif heading in ("comune", "comuni"):
                self.phase = "body"
                if self.members is not None:
                    self.unresolved_line(i, "a second list of comuni")
                self.members, i = self.bullets(i + 1)
            elif heading == "popolazione":
                self.phase = "body"
                if self.populations is not None:
                    self.unresolved_line(i, "a second list of populations")
                self.populations, i = self.bullets(i + 1)
            elif heading == "totale":
                text, j, i = self.value_after_heading(i, 1)
                self.total = (text, j)
            elif heading == "fonte":
                self.source = re.sub(r"^fonte\s*:?\s*", "", _plain(lines[i]), flags=re.IGNORECASE)
                i += 1
            elif heading == "popolazione residente":
                i = self.on_resident(i + 1)
            elif heading == "superficie":
                text, j, i = self.value_after_heading(i, 2 if k.startswith("superficie totale") else 1)
                self.surface = (text, j)
            elif heading == "densita":
                text, j, i = self.value_after_heading(i, 2 if k.startswith("densita abitativa") else 1)
                self.density = (text, j)
            elif heading in ("numero comuni", "numero dei comuni", "numero di comuni", "n comuni"):
                text, j, i = self.value_after_heading(i, len(heading.split()))
                self.n_comuni = (text, j)
            elif heading in ("fabbisogno", "fabbisogni"):
                self.narrative = True
                self.need, i = self.bullets(i + 1)
            elif heading in ("ambito di intervento", "ambiti di intervento"):
                self.narrative = True
                self.scope, i = self.bullets(i + 1)
            elif heading == "azioni":
                self.narrative = True
                self.actions, i = self.bullets(i + 1)
            elif _SYNERGY.search(_plain(lines[i])):
                i = self.on_paragraph_line(i)
            elif self.phase == "header" and k.startswith("regione ") and not self.header_region:
                self.header_region = (_plain(lines[i])[len("regione ") :].strip(), i)
                i += 1
            elif self.phase == "header" and (_is_caps(lines[i]) or k.startswith(_NAME_STARTS)):
                self.name_lines.append((_plain(lines[i]), i))
                i += 1
            elif self.narrative and _is_caps(lines[i]):
                i = self.on_section(i)
            else:
                self.unresolved_line(i)
                i += 1

    def on_field(self, i: int, key: str, card_key: str, value: str) -> int:
        if key in self.fields:
            self.unresolved_line(i, f"{card_key} given twice (first on line {self.fields[key][1] + 1})")
            return i + 1
        j = i + 1
        if key == "services":  # a long services line may wrap onto the following lines
            while j < len(self.lines) and self.lines[j] and self.known(j) is None and not self.field_match(j):
                value = f"{value} {_plain(self.lines[j])}"
                j += 1
        self.fields[key] = (value, i)
        return j

    def on_line(self, i: int) -> int:
        """The lines after LINEA DI INTERVENTO (at most four, ``Formez`` skipped) up to the next
        known heading or field: ``C **COMMUNITY**`` / ``di **INNOVAZIONE**``."""
        taken = 0
        while i < len(self.lines) and taken < 4:
            if not self.lines[i]:
                i += 1
                continue
            heading = self.known(i)
            if heading == "formez":
                i += 1
                continue
            if heading is not None or self.field_match(i):
                break
            self.line_text.append(_plain(self.lines[i]))
            taken += 1
            i += 1
        return i

    def on_resident(self, i: int) -> int:
        """POPOLAZIONE RESIDENTE: a source line with its date (``ISTAT 01.01.2022``) and the figure."""
        for _ in range(2):
            j = self.next_nonblank(i)
            if j >= len(self.lines) or self.known(j) is not None:
                return j
            p = _plain(self.lines[j])
            m = _DATE_IN_TEXT.search(p)
            if m and "source" not in self.resident:
                self.resident["source"] = p
                self.resident["date_text"] = m.group(1)
                self.resident["line"] = j
            elif re.fullmatch(r"[\d.,\s]+", p) and "value" not in self.resident:
                self.resident["value"] = (p, j)
            else:
                return j
            i = j + 1
        return i

    def on_section(self, i: int) -> int:
        title = _plain(self.lines[i])
        paragraphs: list[str] = []
        current: list[str] = []
        j = i + 1
        while j < len(self.lines):
            line = self.lines[j]
            if not line:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                j += 1
                continue
            if _is_caps(line) or (self.known(j) is not None and len(_plain(line).split()) <= 6):
                break
            p = _plain(line)
            m = _SYNERGY.search(p)
            if m:
                self.set_synergy(m.group("name"), j)
                rest = _SYNERGY_SENTENCE.sub("", p).strip()
                if rest:
                    current.append(p)
            else:
                current.append(p)
            j += 1
        if current:
            paragraphs.append(" ".join(current))
        if paragraphs:
            self.sections.append({"title": title, "text": "\n\n".join(paragraphs)})
        else:
            self.unresolved_line(i, "a heading in capitals with no text after it")
        return j

    def on_paragraph_line(self, i: int) -> int:
        """A synergy sentence outside a section."""
        p = _plain(self.lines[i])
        m = _SYNERGY.search(p)
        self.set_synergy(m.group("name"), i)
        if _SYNERGY_SENTENCE.sub("", p).strip():
            self.unresolved_line(i, "text around the synergy sentence is not part of a section")
        return i + 1

    def set_synergy(self, name: str, i: int) -> None:
        name = " ".join(name.split())
        if self.synergy and normalize_name(self.synergy) != normalize_name(name):
            self.unresolved_line(i, f"a second synergy line ({self.synergy!r} already found)")
        else:
            self.synergy = name


_SYNERGY_SENTENCE = re.compile(r"[^.]*in sinergia con[^.]*[\"“”«][^\"“”»]+[\"“”»][^.]*\.?", re.IGNORECASE)


# ============================================================================================
# Record assembly


def _flow(d: dict) -> _FlowDict:
    return _FlowDict(d)


class _FlowDict(dict):
    """A mapping written on one line in YAML: ``{code: "13", name: Abruzzo}``."""


def parse_card(
    text: str,
    *,
    gazetteer: Gazetteer,
    card_name: str = "card.txt",
    card_sha256: str | None = None,
    today: date | None = None,
    sources: list[dict] | None = None,
    services: Vocabulary | None = None,
    statuses: Vocabulary | None = None,
) -> dict:
    """Parse the text of an ITALIAE card into a record dict (keys as in the record format example).

    ``card_name`` names the card in errors and provenance; ``sources`` is the provenance list of
    registry files (``{name, file, sha256}``). Raises :class:`~lod_unioni.errors.LodError` when no
    record can be made (no union name or IPA code, lists of comuni and populations of different
    lengths); everything else it cannot resolve goes to ``record["unresolved"]``.
    """
    p = _Parser(text, card_name, gazetteer, services or services_vocabulary(), statuses or status_vocabulary())
    p.run()
    unresolved = p.unresolved
    fields = p.fields

    def err(message: str, field_: str | None = None) -> LodError:
        return LodError(message, file=card_name, field=field_)

    def note(field_: str, text_: str, reason: str) -> None:
        unresolved.append({"field": field_, "text": text_, "reason": reason})

    # ---- union -----------------------------------------------------------------------------
    if not p.name_lines:
        raise err("cannot find the union's name (a line in capitals before INQUADRAMENTO TERRITORIALE)", "union.name")
    named = [n for n in p.name_lines if "union" in normalize_name(n[0])] or p.name_lines
    name_text = named[0][0]
    for other, i in p.name_lines:
        if other != name_text:
            p.unresolved_line(i, "a line in capitals in the header that is not the union's name")
    name = title_case(name_text)

    if "ipa_code" not in fields or not fields["ipa_code"][0] or fields["ipa_code"][0].lower() in _NOT_A_VALUE:
        raise err("the card has no CODICE IPA; records are named by the union's IPA code", "union.ipa_code")
    ipa = fields["ipa_code"][0].strip().lower()
    if not IPA_CODE.matches(ipa):
        raise err(
            f"CODICE IPA {fields['ipa_code'][0]!r} is not an IPA code (up to 32 letters, digits, '_')", "union.ipa_code"
        )

    union: dict = {"ipa_code": ipa, "name": name}
    region_code = province_code = None
    region_text = fields.get("region", (None,))[0] or (p.header_region[0] if p.header_region else None)
    if (
        p.header_region
        and "region" in fields
        and normalize_name(p.header_region[0]) != normalize_name(fields["region"][0])
    ):
        note(
            "union.region",
            f"Regione {p.header_region[0]}",
            f"the header says region {p.header_region[0]!r}, the REGIONE field {fields['region'][0]!r}",
        )
    if region_text:
        region = {"name": title_case(region_text)}
        try:
            r = gazetteer.region(region_text)
            region = {"code": r.code, "name": title_case(region_text)}
            region_code = r.code
        except ResolveError as exc:
            note("union.region", region_text, exc.message)
        union["region"] = _flow(region)
    else:
        note("union.region", "", "the card gives no REGIONE")
    if "province" in fields and fields["province"][0]:
        prov_text = fields["province"][0]
        province: dict = {"name": title_case(prov_text)}
        try:
            pr = gazetteer.province(prov_text, region_code)
            province = {"code": pr.code, "name": title_case(prov_text)}
            if pr.acronym:
                province["acronym"] = pr.acronym
            province_code = pr.code
        except ResolveError as exc:
            note("union.province", prov_text, exc.message)
        union["province"] = _flow(province)
    else:
        note("union.province", "", "the card gives no PROVINCIA")
    if "body_type" in fields and fields["body_type"][0]:
        union["body_type"] = fields["body_type"][0]
    if "founded" in fields and fields["founded"][0].lower() not in _NOT_A_VALUE:
        try:
            union["founded"] = _founded(fields["founded"][0])
        except (ValueError, ItalianFormatError) as exc:
            note("union.founded", fields["founded"][0], f"not a year or a date: {exc}")
    if "website" in fields and fields["website"][0].lower() not in _NOT_A_VALUE:
        try:
            union["website"] = parse_website(fields["website"][0])
        except ValueError as exc:
            note("union.website", fields["website"][0], str(exc))

    # ---- services --------------------------------------------------------------------------
    services_list: list[dict] = []
    if "services" in fields and fields["services"][0].lower() not in _NOT_A_VALUE:
        services_list, bad = split_services(fields["services"][0], p.services_vocab, p.statuses_vocab)
        unresolved.extend(bad)

    # ---- figures ---------------------------------------------------------------------------
    ref_date = None
    if p.resident.get("date_text"):
        try:
            ref_date = parse_italian_date(p.resident["date_text"])
        except ItalianFormatError as exc:
            note("population.reference_date", p.resident["source"], str(exc))

    def integer(field_: str, value: tuple[str, int] | None, what: str) -> int | None:
        if value is None:
            note(field_, "", f"the card gives no {what}")
            return None
        try:
            return parse_int(value[0])
        except ItalianFormatError as exc:
            note(field_, value[0], str(exc))
            return None

    # members
    names = p.members or []
    pops = p.populations or []
    if p.members is None:
        note("members", "", "the card has no list of comuni")
    elif p.populations is None:
        note("members", "", "the card has no Popolazione list: the members have no population")
    if p.members is not None and p.populations is not None and len(names) != len(pops):
        raise err(
            f"the card lists {len(names)} comuni and {len(pops)} populations; they are paired in order, "
            "so the lists must have the same length",
            "members",
        )
    members: list[dict] = []
    for idx, member_name in enumerate(names):
        m: dict = {"name": member_name}
        where = f"members[{idx}]"
        try:
            res = _resolve_member(gazetteer, member_name, province_code, region_code)
            if res[1]:
                note(f"{where}.name", member_name, res[1])
            c = res[0]
            m.update({"istat_code": c.istat_code, "cadastral_code": c.cadastral_code, "ipa_code": c.ipa_code})
            if c.ontopia_city:
                m["ontopia_city"] = c.ontopia_city
                m["city_valid_from"] = c.city_valid_from
            for problem in c.problems:
                note(f"{where}.ontopia_city", member_name, problem)
            m["province_code"] = c.province_code
            m["region_code"] = c.region_code
        except ResolveError as exc:
            note(f"{where}.name", member_name, exc.message)
        if idx < len(pops):
            try:
                pop = {"value": parse_int(pops[idx])}
                if ref_date:
                    pop["reference_date"] = ref_date
                if p.source:
                    pop["source"] = p.source
                m["population"] = _flow(pop)
            except ItalianFormatError as exc:
                note(f"{where}.population", pops[idx], str(exc))
        members.append(m)

    record_population = None
    total_value = None
    if p.total:
        try:
            total_value = parse_int(p.total[0])
        except ItalianFormatError as exc:
            note("population", f"TOTALE {p.total[0]}", str(exc))
    if "value" in p.resident:
        try:
            resident_value = parse_int(p.resident["value"][0])
            record_population = {"value": resident_value}
            if total_value is not None and total_value != resident_value:
                note(
                    "population",
                    f"TOTALE {p.total[0]}",
                    f"differs from POPOLAZIONE RESIDENTE {p.resident['value'][0]} (the record keeps the latter)",
                )
        except ItalianFormatError as exc:
            note("population", p.resident["value"][0], str(exc))
    elif total_value is not None:
        record_population = {"value": total_value}
    elif not p.total:
        note("population", "", "the card gives no total population (TOTALE or POPOLAZIONE RESIDENTE)")
    if record_population is not None:
        if ref_date:
            record_population["reference_date"] = ref_date
        src = p.resident.get("source") or p.source
        if src:
            record_population["source"] = src

    def quantity(field_: str, value: tuple[str, int] | None, units: tuple[str, ...], what: str):
        if value is None or not value[0]:
            note(field_, "", f"the card gives no {what}")
            return None
        try:
            q = parse_quantity(value[0])
        except ItalianFormatError as exc:
            note(field_, value[0], str(exc))
            return None
        if q.unit is not None and q.unit not in units:
            note(field_, value[0], f"unit {q.unit_text!r} where {' or '.join(units)} was expected")
            return None
        return Decimal(q.value) if not isinstance(q.value, Decimal) else q.value

    surface = quantity("surface_km2", p.surface, ("km2",), "SUPERFICIE TOTALE")
    density = quantity("density", p.density, ("ab/km2",), "DENSITA' ABITATIVA")
    n_comuni = integer("number_of_comuni", p.n_comuni, "NUMERO COMUNI")

    # ---- ITALIAE ---------------------------------------------------------------------------
    italiae: dict = {"programme": PROGRAMME}
    if p.line_text:
        joined = " ".join(p.line_text)
        key = normalize_name(joined)
        line_name = next((v for k, v in KNOWN_LINES.items() if k in key), None)
        if line_name:
            italiae["line"] = line_name
        else:
            italiae["line"] = joined
            note(
                "italiae.line",
                joined,
                "not a known ITALIAE intervention line (" + ", ".join(KNOWN_LINES.values()) + ")",
            )
    else:
        note("italiae.line", "", "the card gives no LINEA DI INTERVENTO")
    if p.period_text is not None:
        try:
            italiae["period"] = _flow(_period(p.period_text))
        except (ValueError, ItalianFormatError) as exc:
            note("italiae.period", p.period_text, str(exc))
    if p.need:
        italiae["need"] = "\n".join(p.need)
    if p.scope:
        italiae["scope"] = "\n".join(p.scope)
    if p.actions:
        italiae["actions"] = list(p.actions)
    if p.sections:
        italiae["sections"] = p.sections
    if p.synergy:
        italiae["synergy"] = p.synergy

    # ---- record ----------------------------------------------------------------------------
    record: dict = {
        "record_format": RECORD_FORMAT,
        "provenance": {
            "card": {
                "file": card_name,
                "sha256": card_sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "title": f"{PROGRAMME} - {name}",
            },
            "imported_on": today or date.today(),
            "importer": f"lod-unioni {__version__} import-card",
            "sources": list(sources or []),
            "edits": [],
        },
        "union": union,
        "services": services_list,
        "members": members,
    }
    if record_population is not None:
        record["population"] = _flow(record_population)
    if surface is not None:
        record["surface_km2"] = surface
    if density is not None:
        record["density"] = density
    if n_comuni is not None:
        record["number_of_comuni"] = n_comuni
    record["italiae"] = italiae
    record["unresolved"] = unresolved
    return record


def _resolve_member(g: Gazetteer, name: str, province_code: str | None, region_code: str | None):
    """Resolve within the card's province; a unique comune of that name elsewhere in the region is
    accepted with a note (a union may cross provinces), never silently."""
    try:
        return g.comune(name, province_code, region_code), None
    except ResolveError as exc:
        if exc.reason != "other-province" or region_code is None:
            raise
        c = g.comune(name, None, region_code)
        return c, (
            f"{exc.message}; resolved to {c.name} ({c.istat_code}, province {c.province_acronym}) "
            "in the same region: check the card"
        )


# ============================================================================================
# Files: cards in, records out


@dataclass
class CardImport:
    """The result of importing one card."""

    card: Path
    record: dict
    target: Path | None = None

    @property
    def ipa_code(self) -> str:
        return self.record["union"]["ipa_code"]

    @property
    def unresolved(self) -> list[dict]:
        return self.record["unresolved"]


def record_file_name(record: dict) -> str:
    """``{ipa_code}.yaml`` in lower case."""
    return f"{record['union']['ipa_code'].lower()}.yaml"


def _sources_provenance(gazetteer: Gazetteer, sources_dir: Path | None) -> list[dict]:
    """``provenance.sources`` of an import: each registry file the gazetteer read, with its catalog
    kind, its path relative to the sources folder (``file``), where it was read (``location``: the
    download URL when it came from the download cache, else that relative path), its date (download
    time, or the file's modification time; UTC), SHA-256 and licence (from
    :meth:`lod_unioni.sources.fetch.SourcesDir.provenance`). The dumps describe each file as the
    ``prov:Entity`` ``{base}source/{kind}`` (``mappings/provenance.yaml``)."""
    folder = None
    if sources_dir is not None:
        folder = (
            sources_dir
            if isinstance(sources_dir, SourcesDir)
            else SourcesDir(Path(sources_dir), cached=False, manifest=load_manifest(sources_dir))
        )
    out = []
    for kind in GAZETTEER_KINDS:
        path = gazetteer.files.get(kind)
        if path is None:
            continue
        prov = (folder or SourcesDir(path.parent, cached=False)).provenance(Path(path))
        out.append(source_entry(prov, kind, folder.path if folder else None, name=KINDS[kind].description))
    return out


def read_card_text(path: str | Path) -> tuple[str, str]:
    """The text of a card file (UTF-8, else Windows-1252) and the SHA-256 of its bytes."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise LodError("card not found", file=str(p)) from None
    except OSError as exc:
        raise LodError(f"cannot read the card: {exc.strerror or exc}", file=str(p)) from None
    return data.decode(detect_encoding(data)), hashlib.sha256(data).hexdigest()


def import_card(
    path: str | Path, gazetteer: Gazetteer, *, sources: list[dict] | None = None, today: date | None = None
) -> CardImport:
    """Read and parse one card file (the record is not written: see :func:`import_cards`)."""
    p = Path(path)
    text, sha = read_card_text(p)
    record = parse_card(text, gazetteer=gazetteer, card_name=p.name, card_sha256=sha, today=today, sources=sources)
    return CardImport(p, record)


def import_cards(
    cards: list[str | Path],
    *,
    sources_dir: str | Path,
    out_dir: str | Path,
    force: bool = False,
    today: date | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[CardImport]:
    """Import every card and write ``{ipa_code}.yaml`` records into ``out_dir``.

    All cards are parsed before anything is written: an unreadable card, two cards with the same
    IPA code, or an existing record without ``force`` raise :class:`LodError` and write nothing.
    """
    sources_path = Path(sources_dir)
    g = gazetteer or Gazetteer.from_sources(sources_path)
    provenance = _sources_provenance(g, sources_path)
    results = [import_card(c, g, sources=provenance, today=today) for c in cards]
    out = Path(out_dir)
    by_name: dict[str, CardImport] = {}
    for r in results:
        name = record_file_name(r.record)
        if name in by_name:
            raise LodError(
                f"cards {by_name[name].card.name} and {r.card.name} have the same CODICE IPA {r.ipa_code}",
                file=str(r.card),
                field="union.ipa_code",
            )
        by_name[name] = r
        r.target = out / name
        if r.target.exists() and not force:
            raise LodError(
                "record already exists (a data steward may have edited it); pass --force to overwrite it",
                file=str(r.target),
            )
    if out.exists() and not out.is_dir():
        raise LodError("output folder is a file", file=str(out))
    out.mkdir(parents=True, exist_ok=True)
    for r in results:
        write_record(r.target, dump_record(r.record, out_dir=out))
    return results


# ============================================================================================
# YAML output


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):  # "  - item" under a key
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):  # no &id001 anchors: every value written where it is
        return True


# Codes and years made of digits are quoted, so that YAML 1.2 readers (editors, other tools) do not
# read "069015" or "2011" as numbers.
_NUMBER_LIKE = re.compile(r"[-+]?[\d._:]+(?:[eE][-+]?\d+)?")


def _repr_str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _NUMBER_LIKE.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _repr_decimal(dumper: yaml.SafeDumper, value: Decimal):
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _repr_flow(dumper: yaml.SafeDumper, value: _FlowDict):
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _repr_str)
_Dumper.add_representer(Decimal, _repr_decimal)
_Dumper.add_representer(_FlowDict, _repr_flow)


def _schema_ref(out_dir: Path | None) -> str:
    schema = schema_path()
    if out_dir is None:
        return schema.as_uri()
    try:
        return Path(os.path.relpath(schema, Path(out_dir).resolve())).as_posix()
    except ValueError:  # another drive
        return schema.as_uri()


def dump_record(record: dict, *, out_dir: str | Path | None = None) -> str:
    """The YAML text of a record: a ``# yaml-language-server: $schema=...`` line (relative to
    ``out_dir``), a comment naming the card, then the record with its keys in format order."""
    card = record.get("provenance", {}).get("card", {})
    header = [
        f"# yaml-language-server: $schema={_schema_ref(Path(out_dir) if out_dir is not None else None)}",
        f"# Union record imported by `lod-unioni import-card` from the ITALIAE card {card.get('file', '?')}"
        f" ({card.get('title', '')}).",
        "# Values are what the card says. Hand edits: list each in provenance.edits and add a comment",
        "# with the reason next to the field.",
    ]
    body = yaml.dump(
        record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    return "\n".join(header) + "\n" + body


def write_record(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:func:`lod_unioni.fileio.write_atomic`: a temporary
    file in the same folder, then os.replace); a failure is a LodError naming the file."""
    write_atomic(path, text)


# ============================================================================================
# Paths inside a record ("members[2].population.value"), for provenance.edits

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for m in _PATH_PART.finditer(path):
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
    return parts


def get_path(record, path: str):
    """The value at ``path`` (``union.website``, ``members[2].population.value``); KeyError/IndexError if absent."""
    node = record
    for part in _parts(path):
        node = node[part]
    return node


def delete_path(record, path: str) -> bool:
    """Remove the value at ``path``; False when it was not there."""
    parts = _parts(path)
    node = record
    try:
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]
        return True
    except (KeyError, IndexError, TypeError):
        return False
