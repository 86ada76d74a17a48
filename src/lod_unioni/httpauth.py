"""HTTP authentication: a user name and a password answered to a server's challenge.

HTTP Basic (RFC 7617) and Digest (RFC 7616: MD5, SHA-256 and their ``-sess`` forms, ``qop=auth``,
or no qop as in RFC 2069). :class:`Credentials` send nothing before the server asks: the first
request goes without, its 401 answer names the scheme in ``WWW-Authenticate``, and the request is
sent again with Digest when the server offers it, else Basic (Basic would show the password to a
server that never asked for it). :func:`lod_unioni.net.open_url` does the exchange and keeps the
credentials on the request's origin::

    credentials = Credentials(user, password)
    with open_url(request, limits, credentials=credentials) as answer: ...

The password is never shown: ``repr`` names the user only, :meth:`Credentials.scrub` removes the
password (and its Basic token) from a text, such as a server's error message.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from email.message import Message
from urllib.parse import urlsplit

__all__ = ["Credentials", "basic_auth"]

# One item of a WWW-Authenticate value: a scheme (a token alone) or a parameter (token=value).
_AUTH_ITEM = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*))?\s*,?')
_DIGESTS = {"md5": hashlib.md5, "sha-256": hashlib.sha256}
_REDACTED = "***"


def basic_auth(user: str, password: str) -> str:
    """The value of an ``Authorization`` header for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def challenges(values: list[str]) -> dict[str, dict[str, str]]:
    """The challenges of ``WWW-Authenticate`` values by lower-case scheme, each with its parameters
    (lower-case names, values unquoted): ``{"digest": {"realm": "SPARQL", "nonce": "..."}}``."""
    found: dict[str, dict[str, str]] = {}
    for value in values:
        params: dict[str, str] | None = None
        pos = 0
        while (m := _AUTH_ITEM.match(value, pos)) is not None and m.end() > pos:
            pos = m.end()
            name, raw = m.group(1).lower(), m.group(2)
            if raw is None:
                params = found.setdefault(name, {})
            elif params is not None:
                params[name] = re.sub(r"\\(.)", r"\1", raw[1:-1]) if raw.startswith('"') else raw
    return found


def _usable_digest(challenge: dict[str, str] | None) -> bool:
    """A Digest challenge this module can answer (its algorithm, and qop ``auth`` or none)."""
    if challenge is None or "nonce" not in challenge:
        return False
    qops = [q.strip() for q in challenge.get("qop", "").split(",") if q.strip()]
    algorithm = challenge.get("algorithm", "MD5").lower().removesuffix("-sess")
    return algorithm in _DIGESTS and (not qops or "auth" in qops)


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


class Credentials:
    """A user name and a password, answered to the challenges of a server (see the module)."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self._password = password
        self._scheme: str | None = None
        self._digest: dict[str, str] = {}
        self._count = 0

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r})"

    @property
    def scheme(self) -> str | None:
        """``basic`` or ``digest`` once a challenge is learnt, else None."""
        return self._scheme

    def challenged(self, headers: Message) -> bool:
        """Learn the challenge of a 401 answer; True when the request is worth sending again: the
        first challenge answered, or a Digest nonce the server calls stale."""
        offered = challenges(headers.get_all("WWW-Authenticate") or [])
        digest = offered.get("digest")
        if digest is not None and _usable_digest(digest):
            again = self._scheme is None or digest.get("stale", "").lower() == "true"
            self._scheme, self._digest, self._count = "digest", digest, 0
            return again
        if "basic" in offered:
            again = self._scheme is None
            self._scheme = "basic"
            return again
        return False

    def authorization(self, method: str, url: str) -> str | None:
        """The ``Authorization`` header for ``method`` on ``url``; None before a challenge."""
        if self._scheme is None:
            return None
        if self._scheme == "basic":
            return basic_auth(self.user, self._password)
        return self._answer(method, url)

    def _answer(self, method: str, url: str) -> str:
        """The Digest answer (RFC 7616, section 3.4) to the challenge learnt."""
        c = self._digest
        algorithm = c.get("algorithm", "MD5")
        digest = _DIGESTS[algorithm.lower().removesuffix("-sess")]

        def h(text: str) -> str:
            return digest(text.encode("utf-8")).hexdigest()

        parts = urlsplit(url)
        uri = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        realm, nonce, cnonce = c.get("realm", ""), c["nonce"], secrets.token_hex(8)
        self._count += 1
        nc = f"{self._count:08x}"
        ha1 = h(f"{self.user}:{realm}:{self._password}")
        if algorithm.lower().endswith("-sess"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}")
        ha2 = h(f"{method}:{uri}")
        qop = "auth" in (q.strip() for q in c.get("qop", "").split(","))
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}" if qop else f"{ha1}:{nonce}:{ha2}")
        quoted = {"username": self.user, "realm": realm, "nonce": nonce, "uri": uri}
        fields = [f'{k}="{_quote(v)}"' for k, v in quoted.items()]
        fields += [f"algorithm={algorithm}", f'response="{response}"']
        if "opaque" in c:
            fields.append(f'opaque="{_quote(c["opaque"])}"')
        if qop:
            fields += ["qop=auth", f"nc={nc}", f'cnonce="{cnonce}"']
        return "Digest " + ", ".join(fields)

    def scrub(self, text: str) -> str:
        """``text`` with the password (as itself, and as the Basic token) replaced by ``***``."""
        if not self._password:
            return text
        token = basic_auth(self.user, self._password).removeprefix("Basic ")
        return text.replace(self._password, _REDACTED).replace(token, _REDACTED)
