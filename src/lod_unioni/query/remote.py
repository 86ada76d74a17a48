"""Queries on a remote SPARQL 1.1 endpoint (the SPARQL protocol: a POST of the query, form-encoded).

The exchange goes through :mod:`lod_unioni.net`: ``timeout`` is the time the whole answer may take,
``max_bytes`` its size. The credentials (HTTP Basic, from ``LOD_UNIONI_SPARQL_USER`` /
``LOD_UNIONI_SPARQL_PASSWORD``) are sent to the endpoint's origin only: a redirect to another
origin is followed without them; a redirect that turns the POST into a GET (which would drop the
query) is an error, never an answer. The endpoint URL is shown without its query values.
"""

from __future__ import annotations

import os
import urllib.request
from urllib.parse import urlsplit

from SPARQLWrapper import CONSTRUCT, JSON, POST, SELECT, TURTLE, URLENCODED, SPARQLWrapper

from .. import __version__
from ..errors import LodError
from ..net import Limits, NetError, basic_auth, open_url, redact_url
from .results import Result, from_json, graph_from_body

__all__ = ["DEFAULT_MAX_ANSWER", "PASSWORD_ENV", "USER_ENV", "check_endpoint", "run_remote"]

#: Environment variables holding the credentials of a protected endpoint (HTTP Basic).
USER_ENV = "LOD_UNIONI_SPARQL_USER"
PASSWORD_ENV = "LOD_UNIONI_SPARQL_PASSWORD"
#: The largest answer read from an endpoint: the whole national graph as JSON results is ~80 MB.
DEFAULT_MAX_ANSWER = 512 * 1024 * 1024


def check_endpoint(url: str) -> str:
    """An endpoint must be an http(s) URL without credentials in it (the error never repeats them)."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        has_userinfo = "@" in parts.netloc
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise LodError("the endpoint is not a valid http(s) URL", field="endpoint") from None
    if has_userinfo:
        raise LodError(
            f"do not put credentials in the endpoint URL; set {USER_ENV} and {PASSWORD_ENV} instead", field="endpoint"
        )
    if parts.scheme not in ("http", "https") or not hostname:
        raise LodError(f"endpoint {redact_url(url)!r} is not an http(s) URL", field="endpoint")
    return url


def _request(text: str, endpoint: str, graph: bool) -> urllib.request.Request:
    """The SPARQL 1.1 Protocol request, made by SPARQLWrapper (a POST of the form-encoded query,
    the Accept header of the answer's format). It is sent by :func:`lod_unioni.net.open_url`, not
    by SPARQLWrapper: urllib's redirect handling would take the credentials to another origin and
    turn the POST into a GET."""
    sw = SPARQLWrapper(endpoint, agent=f"lod-unioni/{__version__}")
    sw.setQuery(text)
    # SPARQLWrapper guesses the form with a regex that also reads comments ("# ... dropped ..." made
    # it a DROP, sent as an update): the form is known, and an update is never sent
    sw.queryType = CONSTRUCT if graph else SELECT
    sw.setMethod(POST)
    sw.setRequestMethod(URLENCODED)
    sw.setReturnFormat(TURTLE if graph else JSON)
    return sw._createRequest()


def run_remote(
    text: str, endpoint: str, *, graph: bool, timeout: float, max_bytes: int, max_rows: int, source: str | None
) -> Result:
    """Send the query ``text`` to ``endpoint``; its answer as a :class:`Result` (``graph``: a
    CONSTRUCT / DESCRIBE). Every failure is a one-line :class:`LodError`."""
    check_endpoint(endpoint)
    if not timeout or timeout <= 0:
        raise LodError("the timeout must be a positive number of seconds", field="timeout")
    user = os.environ.get(USER_ENV)
    authorization = basic_auth(user, os.environ.get(PASSWORD_ENV, "")) if user else None
    where = f"endpoint {redact_url(endpoint)}"
    limits = Limits(timeout=timeout, max_time=timeout, max_bytes=max_bytes)
    try:
        with open_url(_request(text, endpoint, graph), limits, authorization=authorization, keep_query=True) as answer:
            body = answer.read_all()
            content_type = answer.content_type
    except NetError as exc:
        raise _error(exc, where, timeout, source) from None
    if graph:
        return graph_from_body(body, content_type, where, max_rows=max_rows)
    return from_json(body, where, max_rows=max_rows)


def _detail(body: bytes) -> str:
    """The endpoint's own message, on one line, at most 300 characters."""
    text = " ".join(body.decode("utf-8", "replace").split())
    return text[:300] + ("..." if len(text) > 300 else "")


def _error(exc: NetError, where: str, timeout: float, source: str | None) -> LodError:
    if exc.kind in ("timeout", "max-time"):
        return LodError(f"{where} did not answer within {timeout:g} s (--timeout)")
    if exc.kind == "connect":
        return LodError(f"cannot reach {where}: {exc}")
    if exc.kind == "too-large":
        return LodError(f"{where}: {exc} (--max-size)")
    if exc.kind != "http":
        return LodError(f"{where}: {exc}")
    status = exc.status
    if status == 400:
        return LodError(f"{where} rejected the query as malformed: {_detail(exc.body)}", file=source)
    if status == 401:
        return LodError(f"{where} refused access (HTTP 401); set {USER_ENV} and {PASSWORD_ENV}")
    if status == 404:
        return LodError(f"{where} not found (HTTP 404)")
    if status == 414:
        return LodError(f"{where}: request too long (HTTP 414)")
    if status == 500:
        return LodError(f"{where} failed (HTTP 500): {_detail(exc.body)}")
    return LodError(f"{where} answered {exc}")
