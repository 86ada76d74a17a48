"""SHACL shapes files: the shapes folder, its triples, and the shapes read by the fast engine.

:func:`load_shapes` reads every ``*.ttl`` / ``*.nt`` file of a folder (default: the bundled
``shapes/``) into a :class:`ShapesGraph`: the triples (for pySHACL) and the shapes as the fast
engine reads them (:mod:`.fast`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import LodError
from ..resources import resource_dir
from .fast import FastEngine, Shape, ShapesError, UnsupportedShapes
from .terms import Term

__all__ = ["ShapesError", "ShapesGraph", "UnsupportedShapes", "build_shapes", "load_shapes", "shape_files"]


@dataclass
class ShapesGraph:
    """The parsed shapes: the triples (for pySHACL and messages) and the top-level shapes."""

    files: tuple[Path, ...]
    triples: list[ox.Triple]
    shapes: list[Shape]  # shapes with targets that the fast engine evaluates, in a stable order
    all_shapes: dict[Term, Shape]


def shape_files(shapes_dir: str | Path) -> list[Path]:
    d = Path(shapes_dir)
    if not d.is_dir():
        raise LodError("shapes folder not found", file=str(d))
    files = sorted(p for p in d.iterdir() if p.suffix in (".ttl", ".nt") and p.is_file())
    if not files:
        raise LodError("no shapes (*.ttl) in the folder", file=str(d))
    return files


def parse_rdf_file(path: Path) -> list[ox.Triple]:
    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    try:
        return [q.triple for q in ox.parse(path=str(path), format=fmt)]
    except SyntaxError as exc:
        raise LodError(f"not valid RDF: {exc}", file=str(path)) from None
    except OSError as exc:
        raise LodError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None


def load_shapes(shapes_dir: str | Path | None = None) -> ShapesGraph:
    """Read every ``*.ttl`` of ``shapes_dir`` (default: the bundled ``shapes/``)."""
    files = shape_files(resource_dir("shapes") if shapes_dir is None else shapes_dir)
    triples: list[ox.Triple] = []
    for f in files:
        triples.extend(parse_rdf_file(f))
    return build_shapes(triples, tuple(files))


def build_shapes(triples: list[ox.Triple], files: tuple[Path, ...] = ()) -> ShapesGraph:
    """The shapes of a shapes graph; bad shapes raise :class:`~.fast.ShapesError`."""
    return shapes_graph(FastEngine(triples, files), triples, files)


def shapes_graph(engine: FastEngine, triples: list[ox.Triple], files: tuple[Path, ...]) -> ShapesGraph:
    return ShapesGraph(files=files, triples=triples, shapes=engine.shapes, all_shapes=engine.all_shapes)
