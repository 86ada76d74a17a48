"""Settings: defaults, overridden by ``lod-unioni.toml`` and then by command-line flags.

``lod-unioni.toml`` (in the working directory, or the file given with ``--config``)::

    base_iri = "https://data.example.org/unioni/"   # IRIs of our own resources
    records = "records"                              # folder of union records
    out = "output"                                   # folder of the dumps
    sources = "/path/to/registry/files"              # local copies of ISTAT, IPA, OntoPiA, ...

    [publisher]                                      # who publishes the data (the DCAT-AP_IT catalog)
    ipa = "udm_069"                                  # its codice IPA, as IPA spells it
    name = "Unione dei Miracoli"                     # its name, as IPA gives it
    contact = "dati@unionedeimiracoli.eu"            # an e-mail address or an http(s) URL
    iri = "https://w3id.org/italia/data/public-organization/udm_069"   # optional

The publisher has no default: ``lod-unioni build`` names :data:`EXAMPLE_PUBLISHER` in the catalog
when there is none (and says so, there and on stderr), while the commands that publish
(``site``, ``publish --endpoint``) call :func:`require_publisher`, which refuses without it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .codes import IPA_CODE
from .errors import LodError

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_BASE_IRI",
    "EXAMPLE_PUBLISHER",
    "PUBLISHER_KEYS",
    "Publisher",
    "Settings",
    "check_base_iri",
    "check_publisher",
    "load_settings",
    "require_publisher",
]

DEFAULT_BASE_IRI = "https://w3id.org/lod-unioni/data/"
CONFIG_FILE = "lod-unioni.toml"

#: The keys of the ``[publisher]`` table, the optional one last.
PUBLISHER_KEYS = ("ipa", "name", "contact", "iri")


@dataclass(frozen=True)
class Publisher:
    """Who publishes the data: the catalog's ``dcatapit:Agent`` (``dct:identifier`` its IPA code,
    ``foaf:name`` its name) and the dataset's contact point (``contact``: an e-mail address or an
    http(s) URL). ``iri`` is the agent's IRI (default ``{base}agent/{ipa in lower case}``; a public
    administration may give IPA's national IRI, ``https://w3id.org/italia/data/public-organization/{ipa}``)."""

    ipa: str
    name: str
    contact: str
    iri: str | None = None

    @property
    def is_example(self) -> bool:
        """True for :data:`EXAMPLE_PUBLISHER` (its IPA code, whatever the other values)."""
        return self.ipa.lower() == EXAMPLE_PUBLISHER.ipa

    @property
    def email(self) -> str | None:
        """The contact when it is an e-mail address."""
        return None if _is_url(self.contact) else self.contact

    @property
    def url(self) -> str | None:
        """The contact when it is an http(s) URL."""
        return self.contact if _is_url(self.contact) else None


#: The publisher ``lod-unioni build`` names when the settings have none: an EXAMPLE, not a real
#: body (``esempio`` is no code of IPA; ``example.org`` is reserved for examples, RFC 2606). The
#: catalog then says so, and ``site`` and ``publish`` refuse it (:func:`require_publisher`).
EXAMPLE_PUBLISHER = Publisher(ipa="esempio", name="Editore di esempio (non configurato)", contact="dati@example.org")


@dataclass(frozen=True)
class Settings:
    base_iri: str = DEFAULT_BASE_IRI
    records: str = "records"
    out: str = "output"
    sources: str | None = None
    publisher: Publisher | None = None  # the [publisher] table
    file: str | None = None  # the settings file read, if any (for messages)

    def with_overrides(self, **values: str | None) -> Settings:
        """Return a copy with every non-None value applied."""
        given: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
        return replace(self, **given)


#: The keys of ``lod-unioni.toml`` that take a string.
_STRING_KEYS = ("base_iri", "records", "out", "sources")


def require_publisher(settings: Settings, *, command: str) -> Publisher:
    """The publisher of the settings, for a command that publishes (``site``, ``publish``): a
    :class:`LodError` naming the missing setting and the command when there is none, or when it is
    :data:`EXAMPLE_PUBLISHER` (data published in the example's name would be harvested as its)."""
    where = settings.file or CONFIG_FILE
    pub = settings.publisher
    if pub is None:
        raise LodError(
            f"'lod-unioni {command}' needs the publisher of the data: add a [publisher] table with ipa "
            "(its codice IPA), name and contact (an e-mail address or an http(s) URL)",
            file=where,
            field="publisher.ipa",
        )
    if pub.is_example:
        raise LodError(
            f"'lod-unioni {command}' will not publish in the name of the example publisher "
            f"({EXAMPLE_PUBLISHER.ipa!r}): set the codice IPA of the publishing administration",
            file=where,
            field="publisher.ipa",
        )
    return pub


_EMAIL = re.compile(r"[^@\s<>\"(),;:]+@[^@\s<>\"(),;:]+\.[^@\s<>\"(),;:.]+")


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _line_problem(text: Any) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return "must be a non-empty string"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text):
        return "must be one line, without control characters"
    return None


def _url_problem(url: str) -> str | None:
    """What is wrong with an absolute http(s) URL (a contact page, an agent's IRI), None when
    nothing is: a host (and a port in range), no user name or password, no space, no control
    character and none of <>"{}|\\^`."""
    if any(c in _NOT_IN_IRI or ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in url):
        return 'has a space, a control character or one of <>"{}|\\^`'
    userinfo, host, port = _split_authority(url)
    if userinfo:
        return "must not have a user name or password"
    if not _HOST.fullmatch(host):
        return "has no valid host"
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return f"has a port out of range ({port!r}; 1 to 65535)"
    return None


def _publisher_problem(key: str, value: Any) -> str | None:
    """What is wrong with the value of a key of the ``[publisher]`` table, None when nothing is."""
    problem = _line_problem(value)
    if problem is not None:
        return problem
    if key == "ipa" and not IPA_CODE.matches(value):
        return f"{value!r} is not a codice IPA (letters, digits and underscores, e.g. {IPA_CODE.example!r})"
    if key == "contact":
        if _is_url(value):
            problem = _url_problem(value)
            return None if problem is None else f"URL {_redacted(value)!r} {problem}"
        if not _EMAIL.fullmatch(value):
            return f"{value!r} is neither an e-mail address nor an http(s) URL"
    if key == "iri":
        problem = _url_problem(value) if _is_url(value) else "is not an absolute http(s) IRI"
        return None if problem is None else f"IRI {_redacted(value)!r} {problem}"
    return None


def check_publisher(values: Mapping[str, Any] | Publisher, *, file: str | None = None) -> Publisher:
    """A :class:`Publisher` from the ``[publisher]`` table (or a publisher to check), its values
    checked: ``ipa`` a codice IPA as :data:`lod_unioni.codes.IPA_CODE` has it, ``name`` one line,
    ``contact`` an e-mail address or an http(s) URL, ``iri`` (optional) an http(s) IRI. A
    :class:`LodError` names the file and the setting (``publisher.contact``)."""
    if isinstance(values, Publisher):
        values = {k: getattr(values, k) for k in PUBLISHER_KEYS if getattr(values, k) is not None}
    if not isinstance(values, Mapping):
        raise LodError("must be a table: [publisher] with ipa, name and contact", file=file, field="publisher")
    unknown = sorted(set(values) - set(PUBLISHER_KEYS))
    if unknown:
        raise LodError(
            f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(PUBLISHER_KEYS)}",
            file=file,
            field="publisher",
        )
    for key in PUBLISHER_KEYS:
        if key not in values:
            if key == "iri":
                continue
            raise LodError(
                "missing (the [publisher] table needs ipa, name and contact)", file=file, field=f"publisher.{key}"
            )
        problem = _publisher_problem(key, values[key])
        if problem is not None:
            raise LodError(problem, file=file, field=f"publisher.{key}")
    return Publisher(
        ipa=values["ipa"], name=" ".join(values["name"].split()), contact=values["contact"], iri=values.get("iri")
    )


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
    known = {*_STRING_KEYS, "publisher"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise LodError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", file=str(p))
    for key, value in data.items():
        if key != "publisher" and not isinstance(value, str):
            raise LodError("must be a string", file=str(p), field=key)
    publisher = check_publisher(data.pop("publisher"), file=str(p)) if "publisher" in data else None
    settings = replace(Settings().with_overrides(**data), publisher=publisher, file=str(p))
    check_base_iri(settings.base_iri, file=str(p))
    return settings
