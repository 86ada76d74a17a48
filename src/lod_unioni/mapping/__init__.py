"""The mapping engine: declarative YAML mappings (``mappings/*.yaml``) -> RDF triples.

The language is documented in ``mappings/README.md``. In short, a mapping file lists resources;
each resource iterates over a part of a record (``for_each: members[*]``), mints a subject IRI from
a template (``"{base}comune/{.istat_code}"``), gives classes (``types``) and predicate -> object
pairs (``properties``) whose objects are IRIs or literals made from templates. A template is text
with ``{placeholders}``: ``{base}`` (the base IRI), ``{file}``/``{stem}`` (the record file),
``{key}`` (the last segment of the union's IRI),
``{union.ipa_code}`` (a path from the record root), ``{.name}`` (from the current item),
``{..istat_code}`` (from the enclosing item), ``{:union}`` (a named template from ``let:``),
each followed by functions: ``{.ipa_code|lower}``, ``{.reference_date|default:stated}``.
A placeholder whose value is absent drops the triple (optional fields); a subject that cannot be
made drops the resource.

The package: :mod:`.compiler` (mapping files -> compiled resources, once: :func:`load_mapping`),
:mod:`.frames` (where a placeholder reads its values, the paths and their iteration),
:mod:`.runtime` (templates, terms: a record -> :class:`pyoxigraph.Triple` objects, each made once
with its place in the dumps' order, with no regular expression and no parsing per triple),
:mod:`.functions` (the value functions and datatypes), :mod:`.lookups` (value tables read from
RDF vocabularies).
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import Triple

from ..config import DEFAULT_BASE_IRI
from ..records import Record
from .compiler import PREFIXES_FILE, load_mapping, load_prefixes
from .errors import MappingError
from .functions import lexical
from .runtime import Key, Mapping

__all__ = [
    "PREFIXES_FILE",
    "Key",
    "Mapping",
    "MappingError",
    "lexical",
    "load_mapping",
    "load_prefixes",
    "map_record",
    "map_records",
]


def map_record(record: Record, base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None) -> list[Triple]:
    """The triples of one record, without duplicates, in mapping order."""
    m = mapping or load_mapping()
    return m.triples(record, base_iri)


def map_records(
    records: Iterable[Record], base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None
) -> list[Triple]:
    """The triples of all records, without duplicates (shared nodes such as time instants appear once)."""
    m = mapping or load_mapping()
    seen: dict = {}
    for record in records:
        m.keyed(record, base_iri, seen)
    return list(seen.values())
