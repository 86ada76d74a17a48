"""A local HTTP server that misbehaves on purpose and records what it receives.

    with HostileServer() as server:
        server.route("/slow", trickle(b"x" * 100, every=0.2))
        server.route("/moved", redirect("http://127.0.0.1:9999/elsewhere", status=302))
        fetch(server.url + "/slow")
        server.requests      # [Received(method, path, headers, body), ...]

Each route is a function of the request handler that writes the whole answer itself; the helpers
below make the usual ones. The server listens on 127.0.0.1, on a free port, in a thread.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args):  # keep the test output quiet
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(Received(self.command, self.path, dict(self.headers), body))
        route = self.server.routes.get(self.path.split("?", 1)[0])
        try:
            if route is None:
                send(self, 404, b"not here", "text/plain")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    do_GET = do_POST = do_HEAD = do_PUT = _answer


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Answer]
    requests: list[Received]


class HostileServer:
    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = {}
        self._server.requests = []
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def requests(self) -> list[Received]:
        return self._server.requests

    def route(self, path: str, answer: Answer) -> str:
        """Answer ``path`` with ``answer``; returns the full URL."""
        self._server.routes[path] = answer
        return self.url + path

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


# ------------------------------------------------------------------------------------- answers


def send(h: http.server.BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "text/csv") -> None:
    h.send_response(status)
    h.send_header("Content-Type", ctype)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def ok(body: bytes, ctype: str = "text/csv") -> Answer:
    return lambda h: send(h, 200, body, ctype)


def trickle(body: bytes, every: float) -> Answer:
    """Announces ``body`` and sends it one byte every ``every`` seconds."""

    def answer(h):
        h.send_response(200)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(len(body)):
            h.wfile.write(body[i : i + 1])
            h.wfile.flush()
            time.sleep(every)

    return answer


def endless(chunk: bytes = b"x" * 65536, limit: int = 1 << 30) -> Answer:
    """A body without Content-Length that goes on (up to ``limit`` bytes, so that the test ends)."""

    def answer(h):
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        sent = 0
        while sent < limit:
            h.wfile.write(chunk)
            sent += len(chunk)

    return answer


def short(body: bytes, announced: int) -> Answer:
    """Announces ``announced`` bytes, sends ``body`` and closes."""

    def answer(h):
        h.send_response(200)
        h.send_header("Content-Length", str(announced))
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()

    return answer


def chunked_cut(body: bytes) -> Answer:
    """A chunked body whose last chunk (the empty one) never comes."""

    def answer(h):
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(f"{len(body):x}\r\n".encode() + body + b"\r\n")
        h.wfile.flush()

    return answer


def chunked(body: bytes) -> Answer:
    """A complete chunked body."""

    def answer(h):
        h.send_response(200)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n")

    return answer


def redirect(location: str, status: int = 302) -> Answer:
    def answer(h):
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def silent(seconds: float) -> Answer:
    """Says nothing for ``seconds``, then closes."""
    return lambda h: time.sleep(seconds)
