"""The bundled SKOS vocabularies (``ontology/vocabularies/NAME/NAME.ttl``), each file read once.

A vocabulary file is parsed with pyoxigraph the first time it is asked for, and again only when
the file changes (:func:`read_vocabulary`, a bounded cache keyed by path, modification time and
size). Two views of it:

- :func:`concepts`: the concepts of a SKOS scheme with their notation and labels, for the card
  importer (``lod_unioni.cards`` matches card text against the labels);
- :func:`lookup_table`: ``key -> value`` (``skos:notation -> skos:prefLabel@it``), the tables of the
  mapping language's ``{value|lookup:NAME}`` (``lod_unioni.mapping.lookups``).

Any RDF file pyoxigraph reads (format by extension) works, not only the bundled ones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from .errors import LodError
from .resources import resource_dir
from .vocab import LUPM, LUPST, LUS, LUST, LUUS, RDF, SKOS

__all__ = [
    "SCHEMES",
    "SERVICES",
    "SERVICE_STATUS",
    "UNION_STATUS",
    "Concept",
    "Statement",
    "VocabularyError",
    "VocabularyFile",
    "bundled_path",
    "concepts",
    "lookup_table",
    "read_vocabulary",
]

# The bundled vocabularies: folder name -> concept scheme IRI.
SERVICES = "services"
SERVICE_STATUS = "service-status"
UNION_STATUS = "union-status"
PNRR_MEASURES = "pnrr-measures"
PNRR_STATUS = "pnrr-status"
SCHEMES = {
    SERVICES: LUS.rstrip("/"),
    SERVICE_STATUS: LUST.rstrip("/"),
    UNION_STATUS: LUUS.rstrip("/"),
    PNRR_MEASURES: LUPM.rstrip("/"),
    PNRR_STATUS: LUPST.rstrip("/"),
}

_RDF_TYPE = RDF + "type"
_CONCEPT = NamedNode(SKOS + "Concept")
_IN_SCHEME = (SKOS + "inScheme", SKOS + "topConceptOf")
_NOTATION = SKOS + "notation"
_PREF_LABEL = SKOS + "prefLabel"
_LABELS = (_PREF_LABEL, SKOS + "altLabel", SKOS + "hiddenLabel")


class VocabularyError(LodError):
    """An RDF vocabulary file cannot be read, or has no usable concept scheme."""

    def __init__(self, message: str, *, file: str, reason: str | None = None):
        self.reason = reason or message  # the parser's own words, for callers that phrase the error themselves
        super().__init__(message, file=file)


@dataclass(frozen=True)
class Concept:
    """A SKOS concept: its IRI, notation, Italian and English prefLabel and every label
    (prefLabel, altLabel, hiddenLabel in all languages, sorted)."""

    iri: str
    notation: str
    pref_it: str
    pref_en: str | None
    labels: tuple[str, ...]


class Statement(NamedTuple):
    """A triple of a vocabulary file (quoted triples, which SKOS does not use, are left out)."""

    subject: NamedNode | BlankNode
    predicate: str  # IRI
    object: NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class VocabularyFile:
    """The distinct statements of one RDF file, in file order, and by subject."""

    path: Path
    statements: tuple[Statement, ...]
    by_subject: dict[NamedNode | BlankNode, list[Statement]]

    def objects(self, subject: NamedNode | BlankNode, predicate: str) -> list[NamedNode | BlankNode | Literal]:
        """The objects of ``subject predicate ?o``, in file order."""
        return [s.object for s in self.by_subject.get(subject, ()) if s.predicate == predicate]


def bundled_path(name: str) -> Path:
    """The file of a bundled vocabulary: ``ontology/vocabularies/{name}/{name}.ttl``."""
    return resource_dir("ontology") / "vocabularies" / name / f"{name}.ttl"


def read_vocabulary(path: str | Path) -> VocabularyFile:
    """The statements of an RDF file (format from its extension); :class:`VocabularyError` when
    the file cannot be read or parsed."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise VocabularyError(f"cannot read the vocabulary: {exc}", file=str(p), reason=str(exc)) from None
    return _read(p, (st.st_mtime_ns, st.st_size))


@functools.lru_cache(maxsize=16)
def _read(path: Path, stamp: tuple[int, int]) -> VocabularyFile:
    try:
        with open(path, "rb") as fh:
            triples = pyoxigraph.parse(
                fh, format=pyoxigraph.RdfFormat.from_extension(path.suffix.lstrip(".")), base_iri="http://localhost/"
            )
            statements = tuple(
                dict.fromkeys(
                    Statement(t.subject, t.predicate.value, t.object)
                    for t in triples
                    if not isinstance(t.subject, pyoxigraph.Triple) and not isinstance(t.object, pyoxigraph.Triple)
                )
            )
    except (SyntaxError, ValueError, OSError) as exc:
        raise VocabularyError(f"cannot read the vocabulary: {exc}", file=str(path), reason=str(exc)) from None
    by_subject: dict[NamedNode | BlankNode, list[Statement]] = {}
    for s in statements:
        by_subject.setdefault(s.subject, []).append(s)
    return VocabularyFile(path, statements, by_subject)


def lookup_table(path: str | Path, key: str, value: str, language: str | None = None) -> dict[str, str]:
    """``key -> value`` of the subjects that have both: the object of ``key`` (an IRI or a
    literal's lexical form) to the literal object of ``value`` (with the language tag
    ``language`` when given). The first of several in file order wins."""
    keys: dict[str, NamedNode | BlankNode] = {}
    values: dict[NamedNode | BlankNode, str] = {}
    for s in read_vocabulary(path).statements:
        if s.predicate == key:
            keys.setdefault(s.object.value, s.subject)
        elif (
            s.predicate == value
            and isinstance(s.object, Literal)
            and (language is None or s.object.language == language)
        ):
            values.setdefault(s.subject, s.object.value)
    return {k: values[subject] for k, subject in keys.items() if subject in values}


def concepts(path: str | Path, scheme: str) -> dict[str, Concept]:
    """The concepts (``skos:Concept``) in or at the top of ``scheme``, by notation (the last IRI
    segment when a concept has none), in IRI order. A concept without an Italian prefLabel, or a
    scheme without concepts, is a :class:`VocabularyError`."""
    vocabulary = read_vocabulary(path)
    scheme_node = NamedNode(scheme)
    statements = vocabulary.statements
    members = {s.subject for s in statements if s.predicate in _IN_SCHEME and s.object == scheme_node}
    typed = {s.subject for s in statements if s.predicate == _RDF_TYPE and s.object == _CONCEPT}
    found: dict[str, Concept] = {}
    for c in sorted(members & typed, key=lambda node: node.value):
        notations = vocabulary.objects(c, _NOTATION)
        notation = notations[0].value if notations else c.value.rsplit("/", 1)[-1]
        prefs = {o.language: o.value for o in vocabulary.objects(c, _PREF_LABEL) if isinstance(o, Literal)}
        labels = [o.value for predicate in _LABELS for o in vocabulary.objects(c, predicate)]
        if "it" not in prefs:
            raise VocabularyError(f"concept {c.value} has no skos:prefLabel @it", file=str(path))
        found[notation] = Concept(c.value, notation, prefs["it"], prefs.get("en"), tuple(sorted(labels)))
    if not found:
        raise VocabularyError(f"no concept of scheme {scheme}", file=str(path))
    return found
