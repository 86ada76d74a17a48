"""The requests an upload sends, through :mod:`lod_unioni.net`, and their failures as one-line errors.

- :func:`send_update`: a SPARQL 1.1 Update request, POSTed directly
  (``application/sparql-update``, SPARQL 1.1 Protocol, section 2.2.2);
- :func:`count_triples`: ``SELECT (COUNT(*) AS ?n) FROM <graph> WHERE { ?s ?p ?o }``, POSTed as a
  form (section 2.1.2), its answer in SPARQL JSON results;
- :func:`exchange`: any request (the GSP ``HEAD`` and ``PUT``), its body read within the limits.

The only text of a query or update that is not ours is an IRI checked by pyoxigraph and written as
an N-Triples term, and triples written by pyoxigraph. A failure is a :class:`StoreError` (a
:class:`~lod_unioni.errors.LodError`: one line, exit code 2) naming the URL without its query
values, and never the password (the server's own message is scrubbed of it).
"""

from __future__ import annotations

import json
import re
import urllib.request
from typing import IO
from urllib.parse import urlencode

from pyoxigraph import NamedNode

from .. import __version__
from ..errors import LodError
from ..httpauth import Credentials
from ..net import Limits, NetError, open_url, redact_url
from .endpoints import PASSWORD_ENV, USER_ENV

__all__ = ["Answer", "StoreError", "count_triples", "exchange", "request", "send_update"]

_AGENT = f"lod-unioni/{__version__}"
#: The largest answer read from the store (an update's or a PUT's answer is small).
_MAX_ANSWER = 16 * 1024 * 1024


class StoreError(LodError):
    """A request the store failed or refused; ``status``: its HTTP status, if it answered one."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Answer:
    """A store's answer: ``status``, ``content_type``, ``body``."""

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        self.status = status
        self.content_type = content_type
        self.body = body


def request(
    url: str,
    method: str,
    headers: dict[str, str] | None = None,
    *,
    body: bytes | IO[bytes] | None = None,
    size: int | None = None,
) -> urllib.request.Request:
    """A request with our User-Agent; ``size``: the length of a file ``body``."""
    req = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": _AGENT, **(headers or {})})
    if body is not None:
        req.add_header("Content-Length", str(len(body) if isinstance(body, bytes) else size))
    return req


def exchange(
    req: urllib.request.Request, what: str, *, credentials: Credentials | None, timeout: float, keep_query: bool = False
) -> Answer:
    """Send ``req``; its answer, or a :class:`StoreError` saying what failed (``what``: for people)."""
    limits = Limits(timeout=timeout, max_time=timeout, max_bytes=_MAX_ANSWER)
    try:
        with open_url(req, limits, credentials=credentials, keep_query=keep_query) as answer:
            return Answer(answer.status, answer.content_type, answer.read_all())
    except NetError as exc:
        raise failure(exc, req.full_url, what, timeout=timeout, credentials=credentials) from None


def _detail(body: bytes, credentials: Credentials | None) -> str:
    """The store's own message, on one line, at most 300 characters, without the password."""
    text = body.decode("utf-8", "replace")
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = re.sub(r"<[^>]*>", " ", text)  # the store's error page: its words
    text = " ".join(text.split())
    if credentials is not None:
        text = credentials.scrub(text)
    return text[:300] + ("..." if len(text) > 300 else "")


def failure(exc: NetError, url: str, what: str, *, timeout: float, credentials: Credentials | None) -> StoreError:
    """The one-line error of a failed exchange."""
    where = redact_url(url)
    if exc.kind in ("timeout", "max-time"):
        return StoreError(f"{where} did not answer {what} within {timeout:g} s (--timeout)")
    if exc.kind == "connect":
        return StoreError(f"{where}: {exc}")
    if exc.kind != "http":
        return StoreError(f"{where}: {what}: {exc}")
    status = exc.status
    if status == 401 and credentials is None:
        return StoreError(f"{where} asks for credentials (HTTP 401): set {USER_ENV} and {PASSWORD_ENV}", status=401)
    if status == 401:
        return StoreError(
            f"{where} refused the credentials of {USER_ENV}={credentials.user if credentials else ''} (HTTP 401)",
            status=401,
        )
    detail = _detail(exc.body, credentials)
    if status == 403:
        who = f"user {credentials.user!r}" if credentials else f"an anonymous user (set {USER_ENV})"
        return StoreError(f"{where} forbids {what} to {who} (HTTP 403): {detail}".rstrip(": "), status=403)
    return StoreError(f"{where} refused {what} ({exc}): {detail}".rstrip(": "), status=status)


def send_update(url: str, text: str, what: str, *, credentials: Credentials | None, timeout: float) -> Answer:
    """POST the SPARQL Update ``text`` to ``url``."""
    headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
    req = request(url, "POST", headers, body=text.encode("utf-8"))
    return exchange(req, what, credentials=credentials, timeout=timeout)


def count_triples(url: str, graph: NamedNode, *, credentials: Credentials | None, timeout: float) -> int:
    """The number of triples of ``graph`` in the store of the query endpoint ``url``."""
    query = f"SELECT (COUNT(*) AS ?n) FROM {graph} WHERE {{ ?s ?p ?o }}"
    body = urlencode({"query": query}).encode("ascii")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
    req = request(url, "POST", headers, body=body)
    answer = exchange(req, "the count query", credentials=credentials, timeout=timeout, keep_query=True)
    try:
        bindings = json.loads(answer.body)["results"]["bindings"]
        return int(bindings[0]["n"]["value"])
    except (ValueError, KeyError, IndexError, TypeError):
        raise StoreError(
            f"{redact_url(url)} answered the count query with no count ({answer.content_type or 'no content type'})"
        ) from None
