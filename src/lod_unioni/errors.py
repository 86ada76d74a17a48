"""Errors shown to users: one line naming the file, the record and the field.

Exit codes follow pySHACL's CLI: 0 ok / conforms, 1 does not conform or disagreements found,
2 bad usage or unreadable input.
"""

from __future__ import annotations

from typing import TypedDict

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class ErrorLocation(TypedDict, total=False):
    """Where a :class:`LodError` is: its keyword arguments besides the message."""

    file: str | None
    record: str | None
    field: str | None
    line: int | None
    column: str | None


class LodError(Exception):
    """A user-facing error: bad input, bad usage or an unreadable file (exit code 2).

    ``str(error)`` is one line: ``FILE: record RECORD: field FIELD: message``, leaving out the parts
    that are unknown.
    """

    exit_code = EXIT_USAGE

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = " ".join(str(message).split())  # always one line
        self.file = None if file is None else str(file)
        self.record = record
        self.field = field
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        if self.column:
            parts.append(f"column {self.column}")
        parts.append(self.message)
        return ": ".join(parts)


class SourceError(LodError):
    """A registry file (ISTAT, IPA, OntoPiA, Ministry, PA digitale 2026) cannot be read or is wrong."""


class RecordError(LodError):
    """A union record is malformed or inconsistent."""


class NotConformingError(LodError):
    """The data does not conform to the SHACL shapes and the caller asked to stop (exit code 1)."""

    exit_code = EXIT_FINDINGS
