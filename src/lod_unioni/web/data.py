"""The store a renderer reads: the dumps, the catalog and the bundled ontology and vocabularies.

::

    from lod_unioni.web.data import publication_store
    store = publication_store(["output/unioni.nt"], catalog="output/catalog.ttl")

The dumps go into the default graph. The ontology (``ontology/lod-unioni.ttl``), each vocabulary
(``ontology/vocabularies/*/*.ttl``) and the catalog go each into the named graph of the resource
they describe as a whole (the ``owl:Ontology``, the ``skos:ConceptScheme``, the
``dcat:Catalog``), so that the renderer gives the whole file as that resource's description
(:class:`lod_unioni.web.Renderer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat

from ..errors import LodError
from ..resources import resource_dir
from ..vocab import DCAT, OWL, RDF, SKOS

__all__ = ["WHOLE_TYPES", "publication_quads", "publication_store", "term_files"]

#: The types of the resources whose description is their whole file, first the one that decides
#: (a catalog names the EU schemes of its controlled values: it is still the catalog's file).
WHOLE_TYPES = (OWL + "Ontology", DCAT + "Catalog", SKOS + "ConceptScheme")

_TYPE = NamedNode(RDF + "type")


def term_files() -> list[Path]:
    """The bundled ontology and vocabularies."""
    ontology = resource_dir("ontology")
    return [ontology / "lod-unioni.ttl", *sorted((ontology / "vocabularies").glob("*/*.ttl"))]


def _parse(path: Path) -> list[pyoxigraph.Triple]:
    fmt = RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
    if fmt is None:
        raise LodError("not an RDF file (by its extension: .ttl, .nt, .jsonld, ...)", file=str(path))
    try:
        return [q.triple for q in pyoxigraph.parse(path=str(path), format=fmt)]
    except (OSError, SyntaxError, ValueError) as exc:
        raise LodError(f"cannot read it: {exc}", file=str(path)) from None


def _whole_graph(triples: Sequence[pyoxigraph.Triple]) -> NamedNode | None:
    """The resource a file describes as a whole: its one subject of the first type of
    :data:`WHOLE_TYPES` that it has (None when it has none, or several subjects of that type)."""
    typed: dict[str, set[NamedNode]] = {}
    for t in triples:
        if t.predicate == _TYPE and isinstance(t.subject, NamedNode) and isinstance(t.object, NamedNode):
            typed.setdefault(t.object.value, set()).add(t.subject)
    for kind in WHOLE_TYPES:
        if kind in typed:
            found = typed[kind]
            return next(iter(found)) if len(found) == 1 else None
    return None


def publication_store(
    dumps: Iterable[str | Path],
    *,
    catalog: str | Path | None = None,
    terms: bool = True,
    store: pyoxigraph.Store | None = None,
) -> pyoxigraph.Store:
    """A store with the dumps (default graph), the catalog and, with ``terms``, the bundled
    ontology and vocabularies (each in the named graph of what it describes; see the module)."""
    store = store if store is not None else pyoxigraph.Store()
    for path in dumps:
        p = Path(path)
        fmt = RdfFormat.from_extension(p.suffix.lstrip("."))
        if fmt is None:
            raise LodError("not an RDF file (by its extension: .ttl, .nt, .jsonld, ...)", file=str(p))
        try:
            store.bulk_load(path=str(p), format=fmt, to_graph=DefaultGraph())
        except (OSError, SyntaxError, ValueError) as exc:
            raise LodError(f"cannot read it: {exc}", file=str(p)) from None
    store.bulk_extend(_whole_quads(catalog, terms))
    return store


def _whole_quads(catalog: str | Path | None, terms: bool) -> Iterator[Quad]:
    """The quads of the ontology, the vocabularies and the catalog, each file in its graph."""
    files = term_files() if terms else []
    if catalog is not None:
        files.append(Path(catalog))
    for path in files:
        triples = _parse(path)
        graph = _whole_graph(triples)
        yield from (Quad(t.subject, t.predicate, t.object, graph or DefaultGraph()) for t in triples)


def publication_quads(
    dumps: Iterable[str | Path], *, catalog: str | Path | None = None, terms: bool = True
) -> list[Quad]:
    """The quads of :func:`publication_store`, as the files have them, for a renderer that needs no
    store (a store does not keep every literal as written: Oxigraph keeps ``xsd:nonNegativeInteger``
    and the other integer types as ``xsd:integer``, the catalog's ``dcat:byteSize`` among them)."""
    quads = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for path in dumps for t in _parse(Path(path))]
    return quads + list(_whole_quads(catalog, terms))
