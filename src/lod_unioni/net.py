"""HTTP with limits: the one way lod-unioni talks to a server (downloads, SPARQL endpoints).

Every exchange has three limits (:class:`Limits`): ``timeout``, the longest wait for the server
(to connect, and for each read); ``max_time``, the whole exchange (connection, headers and body):
a watchdog shuts the connection down when it passes, so a server that sends a byte now and then
cannot keep it open; ``max_bytes``, the size of the body. A body shorter than its Content-Length,
or a chunked body cut off, is an error. Redirects keep credentials on their origin only (scheme,
host and port): they are never sent to another one. With ``keep_query`` (a SPARQL request) a
redirect that would lose the query (a POST turned into a GET, a GET that loses its query string)
is an error; a request with a body (POST, PUT) follows only a 307 or 308, with its body.
:class:`~lod_unioni.httpauth.Credentials` answer the server's challenge (Basic or Digest), on the
request's origin only. URLs are shown with :func:`redact_url` (no userinfo, no query values)::

    from lod_unioni.net import Limits, NetError, open_url
    with open_url(request, Limits(timeout=10, max_time=60, max_bytes=10_000_000)) as answer:
        body = answer.read_all()          # or answer.stream(out.write)
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .httpauth import Credentials, basic_auth

__all__ = ["Credentials", "Limits", "NetError", "Response", "basic_auth", "open_url", "origin", "redact_url"]

_CHUNK = 1 << 16
_REDACTED = "***"


def redact_url(url: str) -> str:
    """``url`` safe to show or store: userinfo removed, every query value replaced by ``***``,
    no fragment. ``https://u:p@host/x?token=abc&a=1`` -> ``https://host/x?token=***&a=***``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    query = urlencode([(k, _REDACTED) for k, _ in parse_qsl(parts.query, keep_blank_values=True)], safe="*")
    if parts.query and not query:
        query = _REDACTED
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of ``url``, the port made explicit for http and https."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


@dataclass(frozen=True)
class Limits:
    """``timeout``: seconds to wait for the server (connection, each read); ``max_time``: seconds
    for the whole exchange; ``max_bytes``: the largest body accepted."""

    timeout: float = 60.0
    max_time: float = 600.0
    max_bytes: int = 100 * 1024 * 1024

    def __post_init__(self) -> None:
        if not self.timeout > 0 or not self.max_time > 0 or not self.max_bytes > 0:
            raise ValueError("the limits of an HTTP exchange must be positive")


class NetError(Exception):
    """An exchange that failed; ``str()`` is for people. ``kind``: ``timeout`` (no answer within
    ``timeout``), ``max-time``, ``too-large``, ``incomplete``, ``http`` (``status``, ``body``: the
    start of the server's answer), ``redirect``, ``connect``, ``protocol``."""

    def __init__(self, kind: str, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.body = body


def _rewind(req: urllib.request.Request) -> bool:
    """Make the body of ``req`` ready to be sent again; False when it cannot be (a stream)."""
    data = req.data
    if data is None or isinstance(data, (bytes, bytearray)):
        return True
    seek = getattr(data, "seek", None)
    if seek is None:
        return False
    seek(0)
    return True


# --------------------------------------------------------------------------------------- limits


class _Watchdog:
    """Shuts down every socket of an exchange when its ``max_time`` has passed."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.end = time.monotonic() + limits.max_time
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(limits.max_time, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def wait(self) -> float:
        """How long one network wait may last now."""
        return max(0.01, min(self.limits.timeout, self.end - time.monotonic()))

    def cancel(self) -> None:
        self._timer.cancel()

    def connection(self, base: type[http.client.HTTPConnection]) -> Callable[..., http.client.HTTPConnection]:
        """A factory of ``base`` connections whose sockets this watchdog watches."""

        def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
            conn = base(host, **kwargs)
            create = conn._create_connection  # type: ignore[attr-defined]

            def watched(address: tuple[str, int], timeout: float = self.limits.timeout, *rest: Any) -> socket.socket:
                sock: socket.socket = create(address, min(timeout, self.wait()), *rest)
                self.watch(sock)
                return sock

            conn._create_connection = watched  # type: ignore[attr-defined]
            return conn

        return make


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(self._watchdog.connection(http.client.HTTPConnection), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watchdog: _Watchdog) -> None:
        super().__init__()
        self._watchdog = watchdog

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            self._watchdog.connection(http.client.HTTPSConnection),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


# --------------------------------------------------------------------------------------- redirects


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects with the credentials kept on their origin, and a request's body only on a
    307 or 308; with ``keep_query``, refuses a redirect that would lose the query."""

    def __init__(
        self,
        authorization: str | None,
        credentials: Credentials | None,
        auth_origin: tuple[str, str, int | None],
        keep_query: bool,
    ) -> None:
        super().__init__()
        self.authorization = authorization
        self.credentials = credentials
        self.auth_origin = auth_origin
        self.keep_query = keep_query

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        newurl = newurl.replace(" ", "%20")
        refused = self._refused(req, code, newurl)
        if refused is not None:
            with suppress(Exception):
                fp.close()
            raise NetError("redirect", f"redirected (HTTP {code}) to {redact_url(newurl)}{refused}")
        method = req.get_method()
        body = req.data is not None
        # the request's own headers only: Host, Content-Length and the credentials are the new one's
        skip = {"authorization"} if body else {"content-length", "content-type", "authorization"}
        new_headers = {k: v for k, v in req.headers.items() if k.lower() not in skip}
        new = urllib.request.Request(
            newurl,
            data=req.data if body else None,
            headers=new_headers,
            origin_req_host=req.origin_req_host,
            unverifiable=True,
            method=method if body or method == "HEAD" else None,
        )
        header = self.authorization
        if self.credentials is not None:
            header = self.credentials.authorization(method, newurl)
        if header is not None and origin(newurl) == self.auth_origin:
            new.add_unredirected_header("Authorization", header)
        return new

    def _refused(self, req: urllib.request.Request, code: int, newurl: str) -> str | None:
        """Why a redirect is not followed (the end of the message), or None."""
        if urlsplit(newurl).scheme.lower() not in ("http", "https"):
            return ", which is not an http(s) URL"
        if req.data is not None and code not in (307, 308):
            what = "the query" if self.keep_query else "the request's body"
            return f" as a GET, which would drop {what}; use that address instead"
        if req.data is not None and not _rewind(req):
            return ", which would need the request's body again"
        if self.keep_query and urlsplit(req.full_url).query and not urlsplit(newurl).query:
            return ", which would drop the query string"
        return None


# --------------------------------------------------------------------------------------- exchange


class Response:
    """The answer of a server, read within the limits of its exchange."""

    def __init__(self, raw: http.client.HTTPResponse, watchdog: _Watchdog) -> None:
        self._raw = raw
        self._watchdog = watchdog
        self.status: int = raw.status
        self.headers: Message = raw.headers

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def framed(self) -> bool:
        """The server said where the body ends (Content-Length, or chunks): a body cut off is then
        detected. An unframed body ends when the connection closes, cut off or not."""
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        return chunked or self.headers.get("Content-Length") is not None

    def stream(self, sink: Callable[[bytes], object]) -> int:
        """Pass the body to ``sink`` chunk by chunk; returns its size. :class:`NetError` when the
        body is larger than ``max_bytes``, shorter than its Content-Length or cut off, or when
        ``max_time`` passes."""
        limits = self._watchdog.limits
        declared = self.headers.get("Content-Length")
        expected = int(declared) if declared is not None and declared.strip().isdigit() else None
        if expected is not None and expected > limits.max_bytes:
            raise _too_large(limits)
        size = 0
        try:
            while chunk := self._raw.read1(_CHUNK):
                size += len(chunk)
                if size > limits.max_bytes:
                    raise _too_large(limits)
                sink(chunk)
        except NetError:
            raise
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise _failure(exc, self._watchdog) from None
        if expected is not None and size != expected:
            if self._watchdog.expired:
                raise _late(limits)
            raise NetError("incomplete", f"incomplete download: {size} bytes of {expected}")
        if not self.framed and self._watchdog.expired:  # the watchdog's shutdown ended the body
            raise _late(limits)
        return size

    def read_all(self) -> bytes:
        """The whole body (see :meth:`stream`)."""
        parts: list[bytes] = []
        self.stream(parts.append)
        return b"".join(parts)


def _too_large(limits: Limits) -> NetError:
    return NetError("too-large", f"the answer is larger than {_megabytes(limits.max_bytes)}")


def _late(limits: Limits) -> NetError:
    return NetError("max-time", f"not finished within {limits.max_time:g} s")


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:g} MB" if n >= 1024 * 1024 else f"{n} bytes"


def _failure(exc: BaseException, watchdog: _Watchdog) -> NetError:
    """A :class:`NetError` for what urllib or http.client raised."""
    if watchdog.expired:
        return _late(watchdog.limits)
    if isinstance(exc, NetError):
        return exc
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, NetError):
        return exc.reason
    timeout = watchdog.limits.timeout
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return NetError("timeout", f"no answer within {timeout:g} s")
        return NetError("connect", f"cannot connect ({getattr(reason, 'strerror', None) or reason})")
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return NetError("timeout", f"no answer within {timeout:g} s")
    if isinstance(exc, http.client.IncompleteRead):
        return NetError("incomplete", f"incomplete download: the connection closed after {len(exc.partial)} bytes")
    if isinstance(exc, http.client.HTTPException):
        return NetError("protocol", f"bad HTTP answer ({type(exc).__name__}: {exc})")
    return NetError("connect", f"{type(exc).__name__}: {exc}")


def _http_error(exc: urllib.error.HTTPError) -> NetError:
    body = b""
    with suppress(Exception):
        body = exc.read(64 * 1024) or b""
    with suppress(Exception):
        exc.close()
    return NetError("http", f"HTTP {exc.code} {exc.reason}".strip(), status=exc.code, body=body)


@contextmanager
def open_url(
    request: urllib.request.Request | str,
    limits: Limits,
    *,
    authorization: str | None = None,
    credentials: Credentials | None = None,
    keep_query: bool = False,
) -> Iterator[Response]:
    """Send ``request`` within ``limits``; yields the :class:`Response` (status 2xx: an HTTP error
    status is a :class:`NetError` of kind ``http``). ``authorization`` (an ``Authorization``
    header) is sent to the request's origin only, on redirects too. ``credentials`` answer a 401
    challenge: the request is sent once more, with its body (bytes, or a file that can seek)."""
    req = request if isinstance(request, urllib.request.Request) else urllib.request.Request(request)
    watchdog = _Watchdog(limits)
    try:
        raw = _send(req, watchdog, authorization, credentials, keep_query)
        with raw:
            yield Response(raw, watchdog)
    finally:
        watchdog.cancel()


def _send(
    req: urllib.request.Request,
    watchdog: _Watchdog,
    authorization: str | None,
    credentials: Credentials | None,
    keep_query: bool,
) -> http.client.HTTPResponse:
    """The answer to ``req``, sent again once when ``credentials`` learn a challenge from a 401."""
    auth_origin = origin(req.full_url)
    for attempt in (1, 2):
        header = authorization
        if credentials is not None:
            header = credentials.authorization(req.get_method(), req.full_url)
        if header is not None:  # the request's own origin
            req.add_unredirected_header("Authorization", header)
        redirects = _Redirects(authorization, credentials, auth_origin, keep_query)
        opener = urllib.request.build_opener(_HTTP(watchdog), _HTTPS(watchdog), redirects)
        try:
            raw: http.client.HTTPResponse = opener.open(req, timeout=watchdog.limits.timeout)
            return raw
        except urllib.error.HTTPError as exc:
            if watchdog.expired:
                raise _late(watchdog.limits) from None
            again = exc.code == 401 and credentials is not None and attempt == 1
            if again and credentials is not None and credentials.challenged(exc.headers) and _rewind(req):
                with suppress(Exception):
                    exc.close()
                continue
            raise _http_error(exc) from None
        except (OSError, http.client.HTTPException, ValueError, NetError) as exc:
            raise _failure(exc, watchdog) from None
    raise AssertionError("unreachable")  # pragma: no cover
