"""The dump files of the catalog, their versions, and who holds the rights."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import LodError

__all__ = [
    "DUMP_FILES",
    "EXTENSION_FORMATS",
    "Agent",
    "Distribution",
    "Version",
    "describe_file",
    "describe_versions",
    "format_for_file",
]

#: The dump files of a build, which the catalog describes and VoID names (``void:dataDump``).
DUMP_FILES = ("unioni.ttl", "unioni.jsonld", "unioni.nt")

# The name of a version's folder (lod_unioni.serialize.version_files writes no other).
_VERSION_NAME = re.compile(r"\A[0-9A-Za-z][0-9A-Za-z._-]*\Z")

#: File name extension -> format key of ``catalog.yaml`` (for :func:`describe_file`).
EXTENSION_FORMATS = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}


@dataclass(frozen=True)
class Agent:
    """A rights holder other than the publisher: ``dct:identifier`` (the IPA code for a public
    administration) and ``foaf:name`` (Italian, as in IPA). ``iri`` defaults to
    ``{base}agent/{identifier in lower case}``; a public administration may pass its national IRI
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


@dataclass(frozen=True)
class Version:
    """The copies of one version of the dumps: the version (the date of its data), its dump files
    and the folder that holds them, relative to the output folder and to the download base
    (``versions/2026-12-01``: :func:`lod_unioni.serialize.version_files`)."""

    version: str
    distributions: tuple[Distribution, ...]
    folder: str


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


def describe_versions(
    out_dir: str | Path, folder: str, names: Iterable[str], *, skip: str | None = None
) -> list[Version]:
    """The versions kept in ``out_dir/{folder}/`` (``versions/``), sorted by name, each with its
    copies of the dump files ``names`` (size and SHA-256 read from the files); ``skip`` leaves out a
    version (the one being built: its copies are replaced). No folder, no versions; an entry that
    is no folder named like a version (``2026-12-01``), or holds no dump, is none."""
    root = Path(out_dir) / folder
    if not root.is_dir():
        return []
    names = tuple(names)
    out = []
    for sub in sorted(root.iterdir(), key=lambda p: p.name):
        if sub.name == skip or not _VERSION_NAME.match(sub.name) or not sub.is_dir():
            continue
        dists = tuple(describe_file(sub / name) for name in names if (sub / name).is_file())
        if dists:
            out.append(Version(sub.name, dists, f"{folder}/{sub.name}"))
    return out
