"""The dump files of the catalog, and who publishes them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import LodError

__all__ = ["EXTENSION_FORMATS", "Agent", "Distribution", "describe_file", "format_for_file"]

#: File name extension -> format key of ``catalog.yaml`` (for :func:`describe_file`).
EXTENSION_FORMATS = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}


@dataclass(frozen=True)
class Agent:
    """A publisher or rights holder: ``dct:identifier`` (the IPA code for a public administration)
    and ``foaf:name`` (Italian, as in IPA). ``iri`` defaults to ``{base}agent/{identifier}``;
    a public administration may pass its national IRI
    ``https://w3id.org/italia/data/public-organization/{ipa}``."""

    identifier: str
    name: str
    iri: str | None = None


@dataclass(frozen=True)
class Distribution:
    """One dump file: its name in the output folder, the format key (``turtle``, ``jsonld``,
    ``ntriples``), its size in bytes and its SHA-256 (hex)."""

    file_name: str
    format: str
    byte_size: int
    sha256: str


def format_for_file(file_name: str) -> str:
    """The format key of a dump file from its extension (``unioni.ttl`` -> ``turtle``)."""
    suffix = Path(file_name).suffix.lower()
    try:
        return EXTENSION_FORMATS[suffix]
    except KeyError:
        raise LodError(
            f"no catalog format for extension {suffix!r}; known: {', '.join(sorted(EXTENSION_FORMATS))}",
            file=str(file_name),
        ) from None


def describe_file(path: str | Path, format_key: str | None = None) -> Distribution:
    """Size and SHA-256 of a written dump file, ready for :func:`catalog_triples`."""
    p = Path(path)
    digest = hashlib.sha256()
    size = 0
    try:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise LodError(f"cannot read dump file: {exc.strerror or exc}", file=str(p)) from None
    return Distribution(p.name, format_key or format_for_file(p.name), size, digest.hexdigest())
