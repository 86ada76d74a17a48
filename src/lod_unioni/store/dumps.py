"""The dumps to upload, read once into one N-Triples file: the body of a GSP PUT, the source of the
update batches, and the figures the store's count is checked against.

::

    with read_dumps(["output/unioni.nt"]) as dump:
        dump.path, dump.triples, dump.datasets

Each file is parsed by pyoxigraph (its format from its extension; N-Triples streams fastest), its
blank nodes renamed apart (two files never share one), and written out as N-Triples: what the store
receives is exactly what pyoxigraph read, in the W3C's line format, whatever the input format.
A triple given twice (overlapping files) is written once: the file holds ``triples`` distinct
triples, told apart by a 128-bit digest of each. ``datasets`` are the IRIs the dumps
describe as datasets with their dumps (``void:dataDump``): our own dumps name theirs,
``{base}dataset/unioni``, which is the default graph of the upload. The file is removed when the
block ends.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple

from ..errors import LodError
from ..vocab import VOID

__all__ = ["Dump", "has_blank_node", "rdf_format", "read_dumps"]

_DATA_DUMP = NamedNode(VOID + "dataDump")


@dataclass(frozen=True)
class Dump:
    """The dumps read: ``path`` (their N-Triples), ``triples`` (distinct), ``blank_triples`` (those
    with a blank node), ``datasets`` (the IRIs described with ``void:dataDump``), ``files``."""

    path: Path
    triples: int
    blank_triples: int
    datasets: tuple[str, ...]
    files: tuple[str, ...]
    size: int


def rdf_format(path: Path) -> RdfFormat:
    """The format of a dump from its extension (pyoxigraph's table)."""
    ext = path.suffix.lstrip(".").lower()
    fmt = RdfFormat.from_extension(ext) if ext else None
    if fmt is None:
        raise LodError(
            f"unknown RDF format {path.suffix or '(no extension)'}; use .nt, .ttl or .jsonld", file=str(path)
        )
    return fmt


def has_blank_node(t: Triple) -> bool:
    return isinstance(t.subject, BlankNode) or isinstance(t.object, BlankNode)


class _Tally:
    """Lets each distinct triple through once, counting them, and notes the datasets."""

    def __init__(self) -> None:
        self.seen: set[bytes] = set()
        self.blank = 0
        self.datasets: set[str] = set()

    def distinct(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        """The triples not seen before."""
        for t in triples:
            key = hashlib.blake2b(str(t).encode("utf-8"), digest_size=16).digest()
            if key in self.seen:
                continue
            self.seen.add(key)
            if has_blank_node(t):
                self.blank += 1
            if t.predicate == _DATA_DUMP and isinstance(t.subject, NamedNode):
                self.datasets.add(t.subject.value)
            yield t


def _checked(path: Path) -> RdfFormat:
    """The format of a dump that exists (else :class:`LodError`)."""
    fmt = rdf_format(path)
    if not path.is_file():
        hint = "; run 'lod-unioni build' first or give --data FILE" if path.name.startswith("unioni.") else ""
        raise LodError(("file not found" if not path.exists() else "not a file") + hint, file=str(path))
    return fmt


def _triples(path: Path, fmt: RdfFormat) -> Iterator[Triple]:
    """The triples of one dump; a syntax error, a named graph or an unreadable file: :class:`LodError`."""
    try:
        for quad in pyoxigraph.parse(
            path=str(path),
            format=fmt,
            base_iri=Path(os.path.abspath(path)).as_uri(),
            without_named_graphs=True,
            rename_blank_nodes=True,
        ):
            yield quad.triple
    except SyntaxError as exc:
        text = " ".join(str(getattr(exc, "msg", None) or exc).split())
        raise LodError(f"not valid {fmt.name}: {text}", file=str(path), line=getattr(exc, "lineno", None)) from None
    except (OSError, ValueError) as exc:
        raise LodError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", file=str(path)) from None


@contextmanager
def read_dumps(files: Sequence[str | os.PathLike[str]]) -> Iterator[Dump]:
    """Read ``files`` into one N-Triples file (see the module); no triple at all: :class:`LodError`
    (an empty upload would empty the store's graph)."""
    paths = [Path(f) for f in files]
    if not paths:
        raise LodError("no dumps to upload: give --data FILE")
    formats = [_checked(p) for p in paths]  # every file, before the first is read
    tally = _Tally()
    handle, name = tempfile.mkstemp(prefix="lod-unioni-upload-", suffix=".nt")
    body = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            for path, fmt in zip(paths, formats, strict=True):
                pyoxigraph.serialize(tally.distinct(_triples(path, fmt)), out, RdfFormat.N_TRIPLES)
        if not tally.seen:
            raise LodError("no triples to upload (an empty upload would empty the store's graph)", file=str(paths[0]))
        yield Dump(
            path=body,
            triples=len(tally.seen),
            blank_triples=tally.blank,
            datasets=tuple(sorted(tally.datasets)),
            files=tuple(str(p) for p in paths),
            size=body.stat().st_size,
        )
    finally:
        body.unlink(missing_ok=True)
