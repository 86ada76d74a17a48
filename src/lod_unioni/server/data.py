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

from pyoxigraph import RdfFormat

from .. import progress
from ..errors import LodError
from ..query import list_queries, load_query, sparql_text
from ..query.bundled import Query
from ..query.local import data_files
from ..query.params import bind, values_block
from ..resources import resource_dir
from ..sources.folder import SourcesDir
from ..web.querypage import Example

__all__ = ["DUMPS", "Publication", "built_publication", "bundled_examples", "files_publication", "ontology_files"]

#: The files of an output folder that are served, the first dump found of ``DUMPS`` with the
#: descriptions beside it.
DUMPS = ("unioni.nt", "unioni.ttl", "unioni.jsonld")
_DESCRIPTIONS = ("catalog.ttl", "void.ttl")


@dataclass(frozen=True)
class Publication:
    """The RDF files served (with their formats), the base IRI of their resources and a phrase
    saying what they are (for the start-up message)."""

    files: tuple[tuple[Path, RdfFormat], ...]
    base_iri: str
    what: str


def _folder_files(folder: Path) -> list[Path]:
    dump = next((folder / name for name in DUMPS if (folder / name).is_file()), None)
    if dump is None:
        raise LodError(f"no dump in this folder (looked for {', '.join(DUMPS)})", file=str(folder))
    return [dump] + [folder / name for name in _DESCRIPTIONS if (folder / name).is_file()]


def ontology_files() -> list[Path]:
    """The bundled ontology, its alignments and the vocabularies: their terms are resources of
    ours too (``/lod-unioni/onto/...``, ``/lod-unioni/vocab/...``)."""
    folder = resource_dir("ontology")
    return sorted(folder.glob("*.ttl")) + sorted(folder.glob("vocabularies/*/*.ttl"))


def files_publication(paths: Sequence[str | Path], base_iri: str, *, ontology: bool = True) -> Publication:
    """The RDF files of ``paths`` (files, format from the extension, or output folders) and, with
    ``ontology``, :func:`ontology_files`."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        files += _folder_files(path) if path.is_dir() else [path]
    what = ", ".join(str(p) for p in files)
    if ontology:
        files += [p for p in ontology_files() if p not in files]
    return Publication(tuple(data_files(files)), base_iri, what)


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
