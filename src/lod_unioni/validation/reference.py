"""The reference engine: rdflib + pySHACL with its defaults (``--engine pyshacl``).

The data goes through the same pyoxigraph parse as for the fast engine (then N-Triples to rdflib),
so both engines see exactly the same terms.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import LodError
from ..graph import to_bytes
from .fast import RawResult
from .report import results_from_triples
from .shapes import Shape, ShapesGraph
from .terms import sh

if TYPE_CHECKING:
    import rdflib


def _to_rdflib(triples: Iterable[ox.Triple]) -> rdflib.Graph:
    """The triples in an rdflib graph, through N-Triples (rdflib is imported only when pySHACL runs)."""
    import rdflib

    data = to_bytes(triples, ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    if data:
        g.parse(data=data.decode("utf-8"), format="nt")
    return g


def run_pyshacl(store: ox.Store, shapes: ShapesGraph, union_default_graph: bool = False) -> list[RawResult]:
    """Validate the store's default graph (or the union of its graphs) with pySHACL."""
    import pyshacl  # imported only when pySHACL runs

    # rdflib logs every ill-typed literal it meets (a datatype test graph has some on purpose)
    rdflib_log = logging.getLogger("rdflib.term")
    level = rdflib_log.level
    rdflib_log.setLevel(logging.CRITICAL)
    try:
        triples: Iterable[ox.Triple]
        if union_default_graph:
            triples = {q.triple for q in store}
        else:
            triples = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
        data_graph = _to_rdflib(list(triples))
        shapes_graph = _to_rdflib(shapes.triples)
        _conforms, report_graph, text = pyshacl.validate(data_graph, shacl_graph=shapes_graph)
    finally:
        rdflib_log.setLevel(level)
    if not hasattr(report_graph, "serialize"):  # pySHACL's ValidationFailure: the shapes are wrong
        raise LodError(f"pySHACL cannot validate with these shapes: {text}")
    report = ox.parse(report_graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    out = []
    for r in results_from_triples(q.triple for q in report):
        shape = shapes.all_shapes.get(r["shape"])
        out.append(
            RawResult(
                focus=r["focus"],
                path=r["path"],
                value=r["value"],
                severity=sh(r["severity"]),
                messages=_restore_languages(r["messages"], shape),
                shape=r["shape"],
                component=r["component"],
                source_constraint=r["source_constraint"],
            )
        )
    return out


def _restore_languages(messages: list[ox.Literal], shape: Shape | None) -> list[ox.Literal]:
    """pySHACL drops the language tag of SHACL-SPARQL messages once it fills their {?var}s; find each
    message's template (same text with the variables as wildcards) to give the tag back."""
    templates: list[ox.Literal] = []
    if shape is not None:
        templates.extend(shape.messages)
        for c in shape.sparql:  # (blank node ids differ between the two parses of the shapes)
            templates.extend(c.messages)
    out = []
    for m in messages:
        if m.language or not templates:
            out.append(m)
            continue
        for t in templates:
            if not t.language:
                continue
            pattern = "".join(
                ".*?" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[?$]\w+\})", t.value)
            )
            if re.fullmatch(pattern, m.value, re.S):
                out.append(ox.Literal(m.value, language=t.language))
                break
        else:
            out.append(m)
    return out
