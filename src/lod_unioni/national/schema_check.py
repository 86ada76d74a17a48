"""The record-schema check of the national records, in the background.

:func:`lod_unioni.records.validate_record` of the few hundred national records costs about as much
CPU as the SHACL validation of their graph, so :class:`RecordCheck` runs it in a forked process
while the build maps and validates the graph on the other core, and the build waits for it before
anything is written (:func:`lod_unioni.build.build_records`, ``background``). Where the platform
cannot fork, or for a few records, it checks them at once.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from ..errors import RecordError
from ..records import Record, validate_record
from .records import record_file

__all__ = ["RecordCheck"]


def _first_error(items: list[tuple[str, dict]]) -> dict | None:
    """The first RecordError of the records (label, data), as a dict; None when all are good."""
    for label, data in items:
        try:
            validate_record(data, file=record_file(label), record=label)
        except RecordError as exc:
            return {"message": exc.message, "file": exc.file, "record": exc.record, "field": exc.field}
    return None


def _check_in_child(items: list[tuple[str, dict]], conn: Connection) -> None:  # pragma: no cover - forked
    try:
        conn.send(_first_error(items))
    finally:
        conn.close()


class RecordCheck:
    """:func:`~lod_unioni.records.validate_record` of records made in memory, started at once in a
    forked process (the records are inherited, not copied through a pipe); :meth:`wait` raises the
    first :class:`~lod_unioni.errors.RecordError`. A child that dies or hangs is replaced by the
    check in this process."""

    #: Below this many records the check runs at once: a fork would cost more than it saves.
    MIN_FORKED = 50
    #: Seconds to wait for the child before checking here instead.
    TIMEOUT = 300.0

    def __init__(self, records: Sequence[Record]):
        self._items = [(r.path.stem, r.data) for r in records]
        self.label = f"checking the {len(self._items)} national records with the record schema"
        self._error: dict | None = None
        self._process: Any = None
        if len(self._items) > self.MIN_FORKED and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            sys.stdout.flush()  # the child must not write the parent's buffered output again
            sys.stderr.flush()
            self._conn, child = ctx.Pipe(duplex=False)
            try:
                self._process = ctx.Process(target=_check_in_child, args=(self._items, child), daemon=True)
                self._process.start()
                return
            except OSError:
                self._process = None
                self._conn.close()
            finally:
                child.close()
        self._error = _first_error(self._items)

    def wait(self) -> None:
        """Wait for the check; raise its RecordError."""
        if self._process is not None:
            try:
                if self._conn.poll(self.TIMEOUT):
                    self._error = self._conn.recv()
                else:  # the child is stuck: check here
                    self._process.terminate()
                    self._error = _first_error(self._items)
            except EOFError:  # the child died: check here
                self._error = _first_error(self._items)
            finally:
                self._process.join()
                self._conn.close()
                self._process = None
        if self._error is not None:
            raise RecordError(**self._error)
