"""What the server publishes: RDF files given on the command line, an output folder of
``lod-unioni build``, or a fresh build (the records, or the national graph) into a temporary folder
removed when the server stops; and the examples of its query page, the bundled queries."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pyoxigraph import Quad

from .. import progress
from ..errors import LodError
from ..query import list_queries, load_query, sparql_text
from ..query.bundled import Query
from ..query.local import data_files
from ..query.params import bind, values_block
from ..sources.folder import SourcesDir
from ..web.data import publication_quads, term_files
from ..web.querypage import Example

__all__ = ["DUMPS", "Publication", "built_publication", "bundled_examples", "files_publication"]

#: The files of an output folder that are served: the first dump found of ``DUMPS`` and the VoID
#: description beside it (into the default graph), and the catalog (into its own graph).
DUMPS = ("unioni.nt", "unioni.ttl", "unioni.jsonld")
_VOID = "void.ttl"
_CATALOG = "catalog.ttl"


@dataclass(frozen=True)
class Publication:
    """What is served: ``dumps`` (into the default graph), the ``catalog`` and, with ``terms``, the
    bundled ontology and vocabularies, laid out in a store as the static site's renderer reads
    them (:func:`lod_unioni.web.data.publication_store`); the base IRI of the resources, and a
    phrase saying what they are (for the start-up message)."""

    dumps: tuple[Path, ...]
    catalog: Path | None
    base_iri: str
    what: str
    terms: bool = True

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file served."""
        return (*self.dumps, *([self.catalog] if self.catalog else []), *(term_files() if self.terms else []))

    def quads(self) -> list[Quad]:
        """The quads of the publication as its files have them (the pages' renderer reads them)."""
        return publication_quads(self.dumps, catalog=self.catalog, terms=self.terms)


def files_publication(paths: Sequence[str | Path], base_iri: str, *, terms: bool = True) -> Publication:
    """The RDF files of ``paths``: files (format from the extension) or output folders (their
    dump, ``void.ttl`` and ``catalog.ttl``)."""
    dumps: list[Path] = []
    catalog = None
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            dumps.append(path)
            continue
        dump = next((path / name for name in DUMPS if (path / name).is_file()), None)
        if dump is None:
            raise LodError(f"no dump in this folder (looked for {', '.join(DUMPS)})", file=str(path))
        dumps += [dump] + ([path / _VOID] if (path / _VOID).is_file() else [])
        if (path / _CATALOG).is_file() and catalog is None:
            catalog = path / _CATALOG
    checked = [p for p, _ in data_files(dumps + ([catalog] if catalog else []))]
    what = ", ".join(str(p) for p in checked)
    return Publication(tuple(dumps), catalog, base_iri, what, terms)


@contextlib.contextmanager
def built_publication(
    base_iri: str,
    *,
    records: Path,
    national_sources: SourcesDir | None = None,
) -> Iterator[Publication]:
    """Build ``records`` (or, with ``national_sources``, every union of the registries, ``records``
    taking precedence for theirs) into a temporary folder, and publish it for the time of the
    ``with`` block."""
    folder = Path(tempfile.mkdtemp(prefix="lod-unioni-serve-"))
    try:
        out = folder / "output"
        if national_sources is not None:
            from ..national import national_pipeline

            progress.info(f"- building the national graph into {out} ...")
            national_pipeline(national_sources, out, base_iri=base_iri, bundled_records=records)
            what = "the national graph"
        else:
            from ..build import build, shacl_check

            progress.info(f"- building the records of {records} into {out} ...")
            build(records, out, base_iri, check=shacl_check())
            what = f"the records of {records}"
        yield replace(files_publication([out], base_iri), what=f"{what} (built in {out})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _example_text(query: Query) -> str:
    terms = bind(query.info.params, None, query.prefixes, query_name=query.name)
    return sparql_text.insert_at_where(query.text, values_block(terms)) if terms else query.text


def bundled_examples() -> list[Example]:
    """The bundled queries that run on the server's own data (not those that need ``SERVICE``),
    with their parameters' defaults bound."""
    examples = []
    for info in list_queries():
        if info.requires_remote:
            continue
        query = load_query(info.name)
        text = _example_text(query)
        examples.append(
            Example(info.name, info.title_it, info.title_en, info.description_it, info.description_en, text)
        )
    return examples
