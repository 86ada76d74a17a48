"""The names of the regions and provinces, which the dumps name only by their OntoPiA IRIs: read
from OntoPiA's files among the registry files, when they are at hand."""

from __future__ import annotations

from .. import progress
from ..errors import LodError
from ..sources.folder import SourcesDir
from ..sources.ontopia import read_provinces, read_regions

__all__ = ["place_names"]


def place_names(sources: SourcesDir | None) -> dict[str, tuple[str, str | None]]:
    """OntoPiA region and province IRI -> (Italian name, None); empty without sources (the pages
    then show the codes, ``creg:13``)."""
    if sources is None:
        progress.info("  no registry files (--sources): regions and provinces are named by their codes")
        return {}
    try:
        regions = read_regions(sources.file("ontopia-regions"))
        provinces = read_provinces(sources.file("ontopia-provinces"))
    except LodError as exc:
        progress.warn(f"regions and provinces are named by their codes: {exc}")
        return {}
    names: dict[str, tuple[str, str | None]] = {r.iri: (r.name, None) for r in regions}
    names.update({p.iri: (p.name, None) for p in provinces})
    return names
