"""The layout of an ITALIAE card: one pass over its lines into the parts of a record
(:func:`read_layout` -> :class:`CardLayout`), with no registry look-up.

A card has a header (programme, union name, region, intervention line, activity period), the
*inquadramento territoriale* fields (``KEY<TAB>VALUE``), the ``Comune`` and ``Popolazione`` lists,
the figures (total population, surface, density, number of comuni), the ITALIAE intervention
(*Fabbisogno*, *Ambito di intervento*, *Azioni*), narrative sections (a heading in capitals
followed by paragraphs) and the synergy sentence. Every non-blank line is either used or reported
in :attr:`CardLayout.unresolved`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from ..text import normalize_name

__all__ = ["DATE_IN_TEXT", "CardLayout", "Resident", "card_line_note", "read_layout"]

DATE_IN_TEXT = re.compile(r"(\d{1,2}[./-]\d{1,2}[./-]\d{4})")
_BULLET = re.compile(r"\A\s*[-–•·]\s+(.*)\Z")
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
_FIELD_KEYS_LONGEST_FIRST = sorted(_FIELD_KEYS, key=len, reverse=True)
_FIELD = re.compile(r"\A(?P<key>[A-Za-zÀ-ÿ' ]+?)\s*(?P<sep>\t+|:|\s{2,})\s*(?P<value>.*)\Z")
_SYNERGY = re.compile(
    r"in sinergia con\s+(?:la\s+)?(?:linea di intervento\s+)?[\"“”«](?P<name>[^\"“”»]+)[\"“”»]", re.IGNORECASE
)
_SYNERGY_SENTENCE = re.compile(r"[^.]*in sinergia con[^.]*[\"“”«][^\"“”»]+[\"“”»][^.]*\.?", re.IGNORECASE)
# Header lines that name a union even when not written in capitals.
_NAME_STARTS = ("unione ", "union ", "comunita montana ", "comunita ")
# Headings matched as the whole line, and as the start of a line (followed by a value).
_HEADINGS = (
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
)
_HEADING_PREFIXES = (
    "periodo di attivita",
    "totale",
    "fonte",
    "superficie",
    "densita",
    "numero comuni",
    "numero dei comuni",
    "numero di comuni",
    "n comuni",
)
# Figure headings: the CardLayout attribute of the value, and the longer heading of two words.
_FIGURES = {
    "totale": ("total", None),
    "superficie": ("surface", "superficie totale"),
    "densita": ("density", "densita abitativa"),
    "numero comuni": ("n_comuni", None),
    "numero dei comuni": ("n_comuni", None),
    "numero di comuni": ("n_comuni", None),
    "n comuni": ("n_comuni", None),
}
# Bullet lists: the CardLayout attribute, and the reason when a card gives the list twice (None:
# the later list replaces the earlier one).
_LISTS = {
    "comune": ("members", "a second list of comuni"),
    "comuni": ("members", "a second list of comuni"),
    "popolazione": ("populations", "a second list of populations"),
    "fabbisogno": ("need", None),
    "fabbisogni": ("need", None),
    "ambito di intervento": ("scope", None),
    "ambiti di intervento": ("scope", None),
    "azioni": ("actions", None),
}
_NARRATIVE_LISTS = {"need", "scope", "actions"}


def plain(line: str) -> str:
    """Line without markdown bold markers and extra spaces."""
    return " ".join(line.replace("**", "").replace("__", "").split())


def _key(line: str) -> str:
    return normalize_name(plain(line))


def _is_caps(line: str) -> bool:
    p = plain(line)
    return any(c.isalpha() for c in p) and p == p.upper() and p.upper() != p.lower()


def card_line_note(text: str, i: int, reason: str = "line not recognised") -> dict:
    """The ``unresolved`` entry of card line ``i`` (0-based) whose text (plain) is ``text``."""
    return {"field": "card", "text": text, "reason": f"line {i + 1}: {reason}"}


@dataclass
class Resident:
    """POPOLAZIONE RESIDENTE: its source line (with the date in it) and its figure."""

    source: str | None = None
    date_text: str | None = None
    line: int | None = None
    value: tuple[str, int] | None = None  # (text, line index)


@dataclass
class CardLayout:
    """The parts of a card, as text; line indexes are 0-based."""

    unresolved: list[dict] = field(default_factory=list)
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)  # record key -> (value, line)
    name_lines: list[tuple[str, int]] = field(default_factory=list)
    header_region: tuple[str, int] | None = None
    line_text: list[str] = field(default_factory=list)  # the intervention line, as written
    period_text: str | None = None
    programme_seen: bool = False
    members: list[str] | None = None
    populations: list[str] | None = None
    total: tuple[str, int] | None = None
    source: str | None = None
    resident: Resident = field(default_factory=Resident)
    surface: tuple[str, int] | None = None
    density: tuple[str, int] | None = None
    n_comuni: tuple[str, int] | None = None
    need: list[str] | None = None
    scope: list[str] | None = None
    actions: list[str] | None = None
    sections: list[dict] = field(default_factory=list)
    synergy: str | None = None


def read_layout(text: str) -> CardLayout:
    """The parts of the card ``text`` (any newline convention; NFC-normalised)."""
    reader = _Reader(text)
    reader.run()
    return reader.card


class _Reader:
    """One pass over the lines of a card; fills ``self.card``."""

    def __init__(self, text: str):
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        self.lines = ["" if not ln.strip() else ln.rstrip() for ln in text.split("\n")]
        self.card = CardLayout()
        self.phase = "header"  # then "fields" (inquadramento territoriale), then "body"
        self.narrative = False  # after Fabbisogno / Ambito di intervento / Azioni

    # ---- helpers ------------------------------------------------------------------------------
    def unresolved_line(self, i: int, reason: str = "line not recognised") -> None:
        self.card.unresolved.append(card_line_note(plain(self.lines[i]), i, reason))

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
            items.append(plain(m.group(1)))
            i = j + 1

    def value_after_heading(self, i: int, heading_words: int) -> tuple[str, int, int]:
        """The value of a figure heading: the rest of its line, else the next non-blank line.
        Returns (value, line index of the value, index after)."""
        words = plain(self.lines[i]).split(" ")
        rest = " ".join(words[heading_words:]).lstrip(":").strip()
        if rest:
            return rest, i, i + 1
        j = self.next_nonblank(i + 1)
        if j < len(self.lines) and self.known(j) is None:
            return plain(self.lines[j]), j, j + 1
        return "", i, i + 1

    def known(self, i: int) -> str | None:
        """Which known heading line ``i`` is (None if not one)."""
        k = _key(self.lines[i])
        if k in _HEADINGS:
            return k
        for prefix in _HEADING_PREFIXES:
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
            for key in _FIELD_KEYS_LONGEST_FIRST:
                if k == key or k.startswith(key + " "):
                    n_words = len(key.split())
                    words = plain(line).split(" ")
                    return _FIELD_KEYS[key], " ".join(words[:n_words]), " ".join(words[n_words:])
        return None

    # ---- the pass -----------------------------------------------------------------------------
    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            i = self.step(i) if self.lines[i] else i + 1

    def step(self, i: int) -> int:
        """Read the non-blank line ``i`` (and what belongs to it); the index of the next line."""
        heading = self.known(i)
        if heading is not None:
            return self._ON_HEADING.get(heading, _Reader.on_list)(self, i, heading)
        fm = self.field_match(i)
        if fm:
            return self.on_field(i, *fm)
        return self.on_other(i)

    def on_other(self, i: int) -> int:
        """A line that is no heading and no field: synergy, header, section, or unrecognised."""
        line = self.lines[i]
        k = _key(line)
        card = self.card
        if _SYNERGY.search(plain(line)):
            return self.on_synergy_line(i)
        if self.phase == "header" and k.startswith("regione ") and not card.header_region:
            card.header_region = (plain(line)[len("regione ") :].strip(), i)
        elif self.phase == "header" and (_is_caps(line) or k.startswith(_NAME_STARTS)):
            card.name_lines.append((plain(line), i))
        elif self.narrative and _is_caps(line):
            return self.on_section(i)
        else:
            self.unresolved_line(i)
        return i + 1

    # ---- sections of the card -----------------------------------------------------------------
    def on_programme(self, i: int, heading: str) -> int:
        self.card.programme_seen = True
        return i + 1

    def on_logo(self, i: int, heading: str) -> int:
        return i + 1  # logo of Formez PA, which runs the programme

    def on_fields_block(self, i: int, heading: str) -> int:
        self.phase = "fields"
        return i + 1

    def on_period(self, i: int, heading: str) -> int:
        self.card.period_text, _, after = self.value_after_heading(i, len(heading.split()))
        return after

    def on_figure(self, i: int, heading: str) -> int:
        attribute, longer = _FIGURES[heading]
        words = 2 if longer is not None and _key(self.lines[i]).startswith(longer) else len(heading.split())
        text, j, after = self.value_after_heading(i, words)
        setattr(self.card, attribute, (text, j))
        return after

    def on_source(self, i: int, heading: str) -> int:
        self.card.source = re.sub(r"^fonte\s*:?\s*", "", plain(self.lines[i]), flags=re.IGNORECASE)
        return i + 1

    def on_list(self, i: int, heading: str) -> int:
        """A bullet list: the comuni, their populations, or a part of the ITALIAE intervention."""
        attribute, twice = _LISTS[heading]
        if attribute in _NARRATIVE_LISTS:
            self.narrative = True
        else:
            self.phase = "body"
            if twice is not None and getattr(self.card, attribute) is not None:
                self.unresolved_line(i, twice)
        items, after = self.bullets(i + 1)
        setattr(self.card, attribute, items)
        return after

    def on_field(self, i: int, key: str, card_key: str, value: str) -> int:
        fields = self.card.fields
        if key in fields:
            self.unresolved_line(i, f"{card_key} given twice (first on line {fields[key][1] + 1})")
            return i + 1
        j = i + 1
        if key == "services":  # a long services line may wrap onto the following lines
            while j < len(self.lines) and self.lines[j] and self.known(j) is None and not self.field_match(j):
                value = f"{value} {plain(self.lines[j])}"
                j += 1
        fields[key] = (value, i)
        return j

    def on_line(self, i: int, heading: str) -> int:
        """The lines after LINEA DI INTERVENTO (at most four, ``Formez`` skipped) up to the next
        known heading or field: ``C **COMMUNITY**`` / ``di **INNOVAZIONE**``."""
        i += 1
        taken = 0
        while i < len(self.lines) and taken < 4:
            if not self.lines[i]:
                i += 1
                continue
            found = self.known(i)
            if found == "formez":
                i += 1
                continue
            if found is not None or self.field_match(i):
                break
            self.card.line_text.append(plain(self.lines[i]))
            taken += 1
            i += 1
        return i

    def on_resident(self, i: int, heading: str) -> int:
        """POPOLAZIONE RESIDENTE: a source line with its date (``ISTAT 01.01.2022``) and the figure."""
        resident = self.card.resident
        i += 1
        for _ in range(2):
            j = self.next_nonblank(i)
            if j >= len(self.lines) or self.known(j) is not None:
                return j
            p = plain(self.lines[j])
            m = DATE_IN_TEXT.search(p)
            if m and resident.source is None:
                resident.source, resident.date_text, resident.line = p, m.group(1), j
            elif re.fullmatch(r"[\d.,\s]+", p) and resident.value is None:
                resident.value = (p, j)
            else:
                return j
            i = j + 1
        return i

    def on_section(self, i: int) -> int:
        """A heading in capitals after the intervention, and its paragraphs."""
        title = plain(self.lines[i])
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
            if _is_caps(line) or (self.known(j) is not None and len(plain(line).split()) <= 6):
                break
            p = plain(line)
            m = _SYNERGY.search(p)
            if m:
                self.set_synergy(m.group("name"), j)
                if _SYNERGY_SENTENCE.sub("", p).strip():
                    current.append(p)
            else:
                current.append(p)
            j += 1
        if current:
            paragraphs.append(" ".join(current))
        if paragraphs:
            self.card.sections.append({"title": title, "text": "\n\n".join(paragraphs)})
        else:
            self.unresolved_line(i, "a heading in capitals with no text after it")
        return j

    def on_synergy_line(self, i: int) -> int:
        """A synergy sentence outside a section."""
        p = plain(self.lines[i])
        m = _SYNERGY.search(p)
        assert m is not None
        self.set_synergy(m.group("name"), i)
        if _SYNERGY_SENTENCE.sub("", p).strip():
            self.unresolved_line(i, "text around the synergy sentence is not part of a section")
        return i + 1

    def set_synergy(self, name: str, i: int) -> None:
        name = " ".join(name.split())
        card = self.card
        if card.synergy and normalize_name(card.synergy) != normalize_name(name):
            self.unresolved_line(i, f"a second synergy line ({card.synergy!r} already found)")
        else:
            card.synergy = name

    # Known headings (see known) -> what reads them; the other headings are bullet lists (on_list).
    _ON_HEADING: ClassVar[dict[str, Callable[[_Reader, int, str], int]]] = {
        "italiae": on_programme,
        "nuove formule organizzative per i territori": on_programme,
        "formez": on_logo,
        "linea di intervento": on_line,
        "periodo di attivita": on_period,
        "inquadramento territoriale": on_fields_block,
        "popolazione residente": on_resident,
        "fonte": on_source,
        **dict.fromkeys(_FIGURES, on_figure),
    }
