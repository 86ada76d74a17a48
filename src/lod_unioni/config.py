"""Settings: defaults, overridden by ``lod-unioni.toml`` and then by command-line flags.

``lod-unioni.toml`` (in the working directory, or the file given with ``--config``)::

    base_iri = "https://data.example.org/unioni/"   # IRIs of our own resources
    records = "records"                              # folder of union records
    out = "output"                                   # folder of the dumps
    sources = "/path/to/registry/files"              # local copies of ISTAT, IPA, OntoPiA, ...
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import LodError

DEFAULT_BASE_IRI = "https://w3id.org/lod-unioni/data/"
CONFIG_FILE = "lod-unioni.toml"


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    records: str = "records"
    out: str = "output"
    sources: str | None = None

    def with_overrides(self, **values: str | None) -> Settings:
        """Return a copy with every non-None value applied."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def check_base_iri(iri: str) -> str:
    """A base IRI must be absolute http(s) and end with '/' or '#'."""
    if not (iri.startswith("http://") or iri.startswith("https://")) or any(c in iri for c in ' <>"{}|\\^`'):
        raise LodError(f"base IRI {iri!r} is not an absolute http(s) IRI", field="base_iri")
    if not iri.endswith(("/", "#")):
        raise LodError(f"base IRI {iri!r} must end with '/' or '#'", field="base_iri")
    return iri


def load_settings(path: str | Path | None = None) -> Settings:
    """Read settings from ``path`` (an error if missing) or from ``./lod-unioni.toml`` if present."""
    explicit = path is not None
    p = Path(path) if path is not None else Path(CONFIG_FILE)
    if not p.exists():
        if explicit:
            raise LodError("configuration file not found", file=str(p))
        return Settings()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise LodError(f"not valid TOML: {exc}", file=str(p)) from None
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise LodError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", file=str(p))
    for key, value in data.items():
        if not isinstance(value, str):
            raise LodError("must be a string", file=str(p), field=key)
    settings = Settings().with_overrides(**data)
    check_base_iri(settings.base_iri)
    return settings
