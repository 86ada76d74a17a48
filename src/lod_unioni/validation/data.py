"""Loading the graph to validate: RDF files (by extension), triples, or an existing Store."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TypeAlias, TypeGuard

import pyoxigraph as ox

from ..errors import LodError

# What can be validated: RDF files (by path), pyoxigraph triples and quads, and iterables of them.
RdfItems: TypeAlias = "str | os.PathLike[str] | ox.Triple | ox.Quad | Iterable[RdfItems]"

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LodError(
            f"unknown RDF file extension {path.suffix or '(none)'!r}; expected one of {', '.join(sorted(FORMATS))}",
            file=str(path),
        )
    return fmt


def _syntax_error(path: Path, exc: SyntaxError) -> LodError:
    text = " ".join(str(exc.msg if getattr(exc, "msg", None) else exc).split())
    return LodError(f"not valid {rdf_format(path).name}: {text}", file=str(path), line=getattr(exc, "lineno", None))


def load_file(store: ox.Store, path: str | os.PathLike[str], graph: ox.NamedNode | None = None) -> None:
    """Parse an RDF file into ``store`` (its default graph, or ``graph``); errors name the file."""
    p = Path(path)
    fmt = rdf_format(p)
    if not p.is_file():
        raise LodError("file not found" if not p.exists() else "not a file", file=str(p))
    try:
        store.load(path=str(p), format=fmt, to_graph=graph)
    except SyntaxError as exc:
        raise _syntax_error(p, exc) from None
    except (OSError, ValueError) as exc:
        raise LodError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", file=str(p)) from None


def is_pathlike(item: object) -> TypeGuard[str | os.PathLike[str]]:
    """A file path (a string or a path-like object), not triples."""
    return isinstance(item, (str, os.PathLike))


def add_items(store: ox.Store, items: RdfItems, graph: ox.NamedNode | None = None) -> list[str]:
    """Add files or triples/quads to ``store``; return the names of the files read."""
    if isinstance(items, (str, os.PathLike)):
        items = [items]
    files: list[str] = []
    batch: list[ox.Quad] = []
    target = graph if graph is not None else ox.DefaultGraph()
    for item in items:
        if is_pathlike(item):
            load_file(store, item, graph)
            files.append(str(item))
        elif isinstance(item, (ox.Triple, ox.Quad)):
            batch.append(ox.Quad(item.subject, item.predicate, item.object, target))
        elif isinstance(item, Iterable):
            files.extend(add_items(store, item, graph))
        else:
            raise TypeError(
                f"cannot validate {type(item).__name__}: expected a file path, a pyoxigraph "
                "Triple or Quad, or a pyoxigraph Store"
            )
        if len(batch) >= 100_000:
            store.extend(batch)
            batch = []
    if batch:
        store.extend(batch)
    return files
