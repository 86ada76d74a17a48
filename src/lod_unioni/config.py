"""Settings: defaults, overridden by ``lod-unioni.toml`` and then by command-line flags.

``lod-unioni.toml`` (in the working directory, or the file given with ``--config``)::

    base_iri = "https://data.example.org/unioni/"   # IRIs of our own resources
    records = "records"                              # folder of union records
    out = "output"                                   # folder of the dumps
    sources = "/path/to/registry/files"              # local copies of ISTAT, IPA, OntoPiA, ...
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


def check_base_iri(iri: str, *, setting: str = "base_iri", file: str | None = None) -> str:
    """A base IRI must be an absolute http(s) IRI with a host (and, if it has one, a port from 1 to
    65535), no user name or password, no query, no spaces or control characters, and end with '/'
    or '#'. Returns it unchanged; otherwise a :class:`LodError` naming the setting it came from
    (``setting``: ``--base-iri``, or ``base_iri`` of the settings ``file``)."""
    problem = _base_iri_problem(iri)
    if problem is not None:
        raise LodError(f"base IRI {_redacted(iri)!r} {problem}", file=file, field=setting)
    return iri


# Characters an IRI cannot have (RFC 3987), besides spaces and control characters.
_NOT_IN_IRI = frozenset('<>"{}|\\^`')
# A host: a registered name (letters, digits, '-', '.', '_', '~'; not starting with '.' or '-'), or an
# IPv6 address in brackets.
_HOST = re.compile(r"[^\W_][\w.~-]*|\[[0-9A-Fa-f:.]+\]")


def _split_authority(iri: str) -> tuple[str, str, str | None]:
    """(userinfo, host, port) of an http(s) IRI; port None when the IRI has no ``:port``."""
    authority = urlsplit(iri).netloc
    userinfo, _, hostport = authority.rpartition("@")
    if hostport.startswith("["):
        end = hostport.find("]") + 1
        host, rest = (hostport[:end], hostport[end:]) if end else (hostport, "")
    else:
        host, sep, port = hostport.partition(":")
        rest = sep + port
    return userinfo if "@" in authority else "", host, rest[1:] if rest.startswith(":") else None


def _base_iri_problem(iri: str) -> str | None:
    """What is wrong with a base IRI (see :func:`check_base_iri`), None when nothing is."""
    if not isinstance(iri, str) or not iri.startswith(("http://", "https://")):
        return "is not an absolute http(s) IRI"
    if any(c in _NOT_IN_IRI or ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in iri):
        return 'is not an absolute http(s) IRI (it has a space, a control character or one of <>"{}|\\^`)'
    if "@" in urlsplit(iri).netloc:
        return "must not have a user name or password"
    _, host, port = _split_authority(iri)
    if not _HOST.fullmatch(host):
        return "has no valid host"
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return f"has a port out of range ({port!r}; 1 to 65535)"
    if "?" in iri:
        return "must not have a query ('?')"
    if "#" in iri[:-1]:
        return "may have '#' only as its last character"
    if not iri.endswith(("/", "#")):
        return "must end with '/' or '#'"
    return None


def _redacted(iri: str) -> str:
    """The IRI with its user name and password (if any) replaced by ``***``, for messages."""
    if not isinstance(iri, str):
        return repr(iri)
    parts = urlsplit(iri)
    if "@" not in parts.netloc:
        return iri
    return urlunsplit(parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]))


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
    check_base_iri(settings.base_iri, file=str(p))
    return settings
