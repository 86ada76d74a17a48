"""Reading the graphs to validate and the shapes: RDF files (by extension), triples, or a Store.

Files are parsed, never loaded into a store: a store canonicalises literals (``"4.0"^^xsd:decimal``
becomes ``"4"``, ``"300"^^xsd:byte`` an ``xsd:integer``), and SHACL reports the data's own terms.
Relative IRIs resolve against the file's own IRI (``file:///…``, as rdflib and pySHACL do); the
blank nodes of each file are its own (renamed, so that two files never share one by accident); of a
dataset (``.nq``, ``.trig``) the default graph is read. ``owl:imports`` is not followed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeAlias, TypeGuard

import pyoxigraph as ox

from ..errors import LodError

# What can be validated: RDF files (by path), pyoxigraph triples and quads, and iterables of them.
RdfItems: TypeAlias = "str | os.PathLike[str] | ox.Triple | ox.Quad | Iterable[RdfItems]"
# Where shapes are: a file or a folder, or several of them.
ShapesPaths: TypeAlias = "str | os.PathLike[str] | Iterable[str | os.PathLike[str]]"

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
#: The files of a shapes folder that are read (``.json`` is left out: a folder may hold other JSON).
SHAPES_SUFFIXES = tuple(sorted(set(FORMATS) - {".json"}))


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LodError(
            f"unknown RDF file extension {path.suffix or '(none)'!r}; expected one of {', '.join(sorted(FORMATS))}",
            file=str(path),
        )
    return fmt


def file_iri(path: str | os.PathLike[str]) -> str:
    """The base IRI of a file: its absolute ``file://`` IRI (symbolic links not resolved, as rdflib)."""
    return Path(os.path.abspath(path)).as_uri()


def _syntax_error(path: Path, exc: SyntaxError) -> LodError:
    text = " ".join(str(exc.msg if getattr(exc, "msg", None) else exc).split())
    return LodError(f"not valid {rdf_format(path).name}: {text}", file=str(path), line=getattr(exc, "lineno", None))


def read_file(path: str | os.PathLike[str]) -> list[ox.Triple]:
    """The triples of an RDF file, as written (see the module); errors name the file."""
    p = Path(path)
    fmt = rdf_format(p)
    if not p.is_file():
        raise LodError("file not found" if not p.exists() else "not a file", file=str(p))
    default = ox.DefaultGraph()
    try:
        quads = ox.parse(path=str(p), format=fmt, base_iri=file_iri(p), rename_blank_nodes=True)
        return [q.triple for q in quads if q.graph_name == default]
    except SyntaxError as exc:
        raise _syntax_error(p, exc) from None
    except (OSError, ValueError) as exc:
        raise LodError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", file=str(p)) from None


def is_pathlike(item: object) -> TypeGuard[str | os.PathLike[str]]:
    """A file path (a string or a path-like object), not triples."""
    return isinstance(item, (str, os.PathLike))


class Reader:
    """Reads files once: the same file given twice (or as data and as shapes) gives the same
    triples, blank nodes included. ``known``: files already read, by :func:`file_iri`."""

    def __init__(self, known: dict[str, list[ox.Triple]] | None = None) -> None:
        self.files: dict[str, list[ox.Triple]] = dict(known or {})

    def read(self, path: str | os.PathLike[str]) -> list[ox.Triple]:
        key = file_iri(path)
        if key not in self.files:
            self.files[key] = read_file(path)
        return self.files[key]

    def triples(self, items: RdfItems, sources: list[str] | None = None) -> Iterator[ox.Triple]:
        """The triples of files, triples and quads (their graph ignored); the names of the files
        read are appended to ``sources``."""
        for item in [items] if is_pathlike(items) or not isinstance(items, Iterable) else items:
            if item.__class__ is ox.Triple:  # first: a graph of many triples (is_pathlike is an ABC check)
                yield item
            elif is_pathlike(item):
                yield from self.read(item)
                if sources is not None:
                    sources.append(str(item))
            elif isinstance(item, ox.Triple):
                yield item
            elif isinstance(item, ox.Quad):
                yield item.triple
            elif isinstance(item, Iterable):
                yield from self.triples(item, sources)
            else:
                raise TypeError(
                    f"cannot validate {type(item).__name__}: expected a file path, a pyoxigraph "
                    "Triple or Quad, or a pyoxigraph Store"
                )


def store_triples(store: ox.Store, all_graphs: bool = False) -> list[ox.Triple]:
    """The triples of a store's default graph (or of all its graphs, without duplicates). A store
    holds canonical terms already: a report on them shows ``"4"^^xsd:decimal`` for a ``"4.0"``."""
    if all_graphs:
        return list(dict.fromkeys(q.triple for q in store))
    return [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]


def shape_files(paths: ShapesPaths) -> list[Path]:
    """The shapes files: each path a file, or a folder whose RDF files (:data:`SHAPES_SUFFIXES`,
    not its subfolders) are read in name order; a file named twice is read once."""
    items: list[str | os.PathLike[str]] = [paths] if is_pathlike(paths) else list(paths)  # type: ignore[arg-type]
    if not items:
        raise LodError("no shapes given")
    files: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix.lower() in SHAPES_SUFFIXES and f.is_file())
            if not found:
                raise LodError(f"no shapes ({', '.join('*' + s for s in SHAPES_SUFFIXES)}) in the folder", file=str(p))
            files.extend(found)
        elif p.is_file():
            rdf_format(p)
            files.append(p)
        else:
            kind = "file" if p.suffix.lower() in FORMATS else "folder"
            raise LodError(f"shapes {kind} not found", file=str(p))
    unique: dict[str, Path] = {}
    for f in files:
        unique.setdefault(file_iri(f), f)
    return list(unique.values())
