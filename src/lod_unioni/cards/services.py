"""SERVIZI AGGREGATI: the run-on services line of a card split into concepts of the services
vocabulary, matched by their labels (:func:`split_services`).

The concepts come from :mod:`lod_unioni.vocabularies`; here they are indexed by the word keys of
their labels (case, accents and apostrophes folded), the form in which card text is compared.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LodError
from ..text import normalize_name
from ..vocabularies import SCHEMES, SERVICE_STATUS, SERVICES, Concept, bundled_path, concepts

__all__ = ["Vocabulary", "load_vocabulary", "services_vocabulary", "split_services", "status_vocabulary"]

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
    """Read a SKOS scheme (:func:`lod_unioni.vocabularies.concepts`) and index its labels. Two
    concepts sharing a label (after folding case, accents and punctuation) are an error: the
    importer could not choose between them."""
    vocab = Vocabulary(scheme, concepts(path, scheme))
    for notation, concept in sorted(vocab.concepts.items()):
        for label in concept.labels:
            key = tuple(k for k, _, _ in _tokens(label))
            if not key:
                continue
            other = vocab.index.setdefault(key, notation)
            if other != notation:
                raise LodError(f"label {label!r} belongs to two concepts, {other} and {notation}", file=str(path))
            vocab.longest = max(vocab.longest, len(key))
    return vocab


@functools.lru_cache(maxsize=1)
def services_vocabulary() -> Vocabulary:
    """The services scheme bundled in ``ontology/vocabularies/services/services.ttl``."""
    return load_vocabulary(bundled_path(SERVICES), SCHEMES[SERVICES])


@functools.lru_cache(maxsize=1)
def status_vocabulary() -> Vocabulary:
    """The service-status scheme bundled in ``ontology/vocabularies/service-status/service-status.ttl``."""
    return load_vocabulary(bundled_path(SERVICE_STATUS), SCHEMES[SERVICE_STATUS])


# --- the split -----------------------------------------------------------------------------------

_SEPARATORS = {"-", ",", ";", "/", "•", "·", "+"}
_CONJUNCTIONS = {"e", "ed"}
_NO_MATCH = "no concept of the services vocabulary matches this text"


@dataclass
class _Service:
    concept: str
    start: int  # character span of its card text
    end: int
    status: str = "active"
    marked: bool = False  # a status label follows it


def split_services(
    text: str, services: Vocabulary | None = None, statuses: Vocabulary | None = None
) -> tuple[list[dict], list[dict]]:
    """Split the ``SERVIZI AGGREGATI`` text into services.

    Returns ``(services, unresolved)``: services as ``{concept, card_text, status}`` in card order,
    unresolved pieces as ``{field: "services", text, reason}``.

    Rules: at each position the longest label (prefLabel/altLabel of a concept, compared without
    case, accents, apostrophes) wins; ``-``, ``,``, ``;``, ``/`` between two services separate them;
    a status label (``(IN VIA DI ELABORAZIONE)``, in parentheses or of three words or more) sets the
    status of the service just before it; two labels of the same concept joined by ``-``
    (``MEDICO DEL LAVORO - SICUREZZA SUL LAVORO``) are one service; text no label matches is
    reported, never dropped.
    """
    splitter = _Splitter(text, services or services_vocabulary(), statuses or status_vocabulary())
    splitter.run()
    found = [{"concept": s.concept, "card_text": text[s.start : s.end], "status": s.status} for s in splitter.found]
    return found, splitter.unresolved


class _Splitter:
    """One pass over the tokens of the services text."""

    def __init__(self, text: str, services: Vocabulary, statuses: Vocabulary):
        self.text = text
        self.services = services
        self.statuses = statuses
        self.toks = _tokens(text)
        self.keys = [k for k, _, _ in self.toks]
        self.n = len(self.toks)
        self.found: list[_Service] = []
        self.unresolved: list[dict] = []
        self.pending: int | None = None  # token index where unmatched text starts
        self.last_end = -1  # token index just after the last service or status

    def run(self) -> None:
        i = 0
        while i < self.n:
            i = self.step(i)
        self.flush(self.n)

    def step(self, i: int) -> int:
        """Read what starts at token ``i``; the index of the next token to read."""
        status = self.status_at(i)
        if status:
            self.on_status(i, *status)
            self.last_end = status[1]
            return status[1]
        service = self.services.match(self.keys, i)
        if service:
            self.on_service(i, *service)
            self.last_end = service[1]
            return service[1]
        if self.pending is None and self.keys[i] in _SEPARATORS:
            if self.last_end == i:
                self.last_end = i + 1
            return i + 1
        if (
            self.pending is None
            and self.keys[i] in _CONJUNCTIONS
            and i + 1 < self.n
            and self.services.match(self.keys, i + 1)
        ):
            return i + 1
        if self.pending is None:
            self.pending = i
        return i + 1

    def span(self, a: int, b: int) -> str:
        """Card text of tokens a..b-1."""
        return self.text[self.toks[a][1] : self.toks[b - 1][2]]

    def piece(self, a: int, b: int) -> str:
        """Card text of tokens a..b-1, without separators at either end."""
        while a < b and self.keys[a] in _SEPARATORS:
            a += 1
        while b > a and self.keys[b - 1] in _SEPARATORS:
            b -= 1
        return self.span(a, b) if a < b else ""

    def flush(self, upto: int, reason: str = _NO_MATCH) -> None:
        """Report the unmatched text before token ``upto``."""
        if self.pending is not None:
            t = self.piece(self.pending, upto)
            if t:
                self.unresolved.append({"field": "services", "text": t, "reason": reason})
            self.pending = None

    def status_at(self, i: int) -> tuple[str, int] | None:
        """A status label at token ``i``, in parentheses or of three tokens or more."""
        keys = self.keys
        if keys[i] == "(":
            m = self.statuses.match(keys, i + 1)
            if m and m[1] < self.n and keys[m[1]] == ")":
                return m[0], m[1] + 1
            return None
        m = self.statuses.match(keys, i)
        if m and m[1] - i >= 3:
            return m
        return None

    def on_status(self, i: int, notation: str, end: int) -> None:
        last = self.found[-1] if self.found else None
        if self.pending is not None:
            self.flush(i, f"{_NO_MATCH} (marked {self.span(i, end)})")
        elif last is not None and not last.marked and self.last_end == i:
            last.status = notation
            last.end = self.toks[end - 1][2]
            last.marked = True
        else:
            self.unresolved.append(
                {"field": "services", "text": self.span(i, end), "reason": "a status with no service before it"}
            )

    def on_service(self, i: int, notation: str, end: int) -> None:
        self.flush(i)
        last = self.found[-1] if self.found else None
        between = self.keys[self.last_end : i] if self.last_end >= 0 else None
        if (
            last is not None
            and last.concept == notation
            and between is not None
            and all(k == "-" for k in between)
            and not last.marked
        ):
            last.end = self.toks[end - 1][2]  # "MEDICO DEL LAVORO - SICUREZZA SUL LAVORO": one service
        elif any(s.concept == notation for s in self.found):
            self.unresolved.append(
                {
                    "field": "services",
                    "text": self.span(i, end),
                    "reason": f"service {notation} is listed twice on the card",
                }
            )
        else:
            self.found.append(_Service(notation, self.toks[i][1], self.toks[end - 1][2]))
