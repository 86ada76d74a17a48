"""Where the bundled resources (ontology, mappings, shapes, queries, records) live.

In a wheel they are inside the package (``lod_unioni/_resources/<name>``, see pyproject's
force-include); in a source checkout or an editable install they are the top-level folders of the
repository. Nothing else in the package should guess paths.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_NAMES = ("ontology", "mappings", "shapes", "queries", "records")


def resource_dir(name: str) -> Path:
    """Return the folder of a bundled resource: one of ontology, mappings, shapes, queries, records."""
    if name not in _NAMES:
        raise ValueError(f"unknown resource {name!r}; expected one of {', '.join(_NAMES)}")
    packaged = _PACKAGE / "_resources" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled resource folder {name!r} not found (looked in {packaged} and {checkout})")


def schema_path(name: str = "union-record.schema.json") -> Path:
    """Path of a JSON Schema shipped in ``lod_unioni/schemas``."""
    return _PACKAGE / "schemas" / name
