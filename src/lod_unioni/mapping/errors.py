"""The two errors of the mapping language: a malformed mapping file (:class:`MappingError`, at
compile time) and a record value a function cannot take (:class:`ValueProblem`, which the runtime
reports as a :class:`~lod_unioni.errors.RecordError` naming the record field)."""

from __future__ import annotations

from ..errors import LodError

__all__ = ["MappingError", "ValueProblem"]


class MappingError(LodError):
    """A mapping file is malformed (a bug of the mappings, reported like a user error)."""


class ValueProblem(Exception):
    """A value function or datatype cannot take a record value; the message says why."""
