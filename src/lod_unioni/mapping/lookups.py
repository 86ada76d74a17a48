"""Lookups: value tables read from RDF vocabularies (``lookups:`` of a mapping file), used as
``{value|lookup:NAME}``. The table is read on first use, through
:func:`lod_unioni.vocabularies.lookup_table` (each vocabulary file is parsed once)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..resources import resource_dir
from ..vocabularies import VocabularyError, lookup_table
from .errors import MappingError, ValueProblem
from .functions import ValueFunction, lexical

__all__ = ["Lookup", "lookup_source"]


@dataclass
class Lookup:
    """A lookup table: the objects of ``key`` -> the literal objects of ``value`` (in
    ``language``) of the same subjects, in the RDF file ``source``."""

    name: str
    source: Path
    key: str
    value: str
    language: str | None
    table: dict[str, str] | None = None

    def get(self, key: str) -> str | None:
        if self.table is None:
            self.table = _read_table(self.source, self.key, self.value, self.language)
        return self.table.get(key)

    def function(self) -> ValueFunction:
        """The ``{value|lookup:NAME}`` function: the value found for the value's lexical form; a
        value not in the table is a :class:`~lod_unioni.mapping.errors.ValueProblem`."""

        def look_up(value: Any) -> str:
            key = lexical(value)
            found = self.get(key)
            if found is None:
                raise ValueProblem(
                    f"{key!r} is not in the vocabulary {self.source.name} "
                    f"(no concept with that {self.key.rsplit('/', 1)[-1].rsplit('#', 1)[-1]})"
                )
            return found

        return look_up


def _read_table(source: Path, key: str, value: str, language: str | None) -> dict[str, str]:
    if not source.is_file():
        raise MappingError("vocabulary file of a mapping lookup not found", file=str(source))
    try:
        return lookup_table(source, key, value, language)
    except VocabularyError as exc:
        raise MappingError(f"cannot read the vocabulary of a mapping lookup: {exc.reason}", file=str(source)) from None


def lookup_source(vocabulary: str, directory: Path, file: str, where: str) -> Path:
    """The file a lookup's ``vocabulary:`` names: ``RESOURCE:relative/path`` in a bundled resource
    folder (``ontology:vocabularies/services/services.ttl``), else a path relative to the mappings
    folder ``directory``."""
    folder, sep, rel = vocabulary.partition(":")
    if not sep:
        return directory / folder
    try:
        return resource_dir(folder) / rel
    except (ValueError, FileNotFoundError) as exc:
        raise MappingError(str(exc), file=file, field=where) from None
