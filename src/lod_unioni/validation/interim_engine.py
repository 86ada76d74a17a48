"""Today's fast engine (:mod:`.fast`, :mod:`.shapes`) behind the interface of the new one:
``FastEngine(shapes_triples, files)`` with ``.unsupported`` and ``.run(data)``. It compiles a shapes
graph whole or not at all, so one unsupported feature makes every shape unsupported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyoxigraph import Triple

from ..errors import LodError
from ..graph import to_store
from .fast import FastEngine as _StoreEngine
from .fast import RawResult
from .reference import targeted_shapes
from .shapes import UnsupportedShapes, build_shapes
from .terms import Term

__all__ = ["FastEngine", "RawResult", "ShapesError", "UnsupportedFeature"]


class ShapesError(LodError):
    """The shapes are wrong: one line naming the file and the shape."""


@dataclass(frozen=True)
class UnsupportedFeature:
    shape: Term
    feature: str


class FastEngine:
    def __init__(self, shapes_triples: list[Triple], files: tuple[Path, ...] = ()) -> None:
        self.unsupported: list[UnsupportedFeature] = []
        self._engine: _StoreEngine | None = None
        try:
            self._engine = _StoreEngine(build_shapes(shapes_triples, files))
        except UnsupportedShapes as exc:
            self.unsupported = [UnsupportedFeature(s, str(exc)) for s in targeted_shapes(shapes_triples)]

    def run(
        self,
        data: list[Triple],
        *,
        store: ox.Store | None = None,
        union_default_graph: bool = False,
        skipped: list[UnsupportedFeature] | None = None,
    ) -> list[RawResult]:
        if self._engine is None:
            return []
        return self._engine.run(to_store(data) if store is None else store, union_default_graph)
