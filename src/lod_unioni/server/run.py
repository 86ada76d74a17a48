"""Running the server: load the data into the fork server, listen, serve with uvicorn until
interrupted.

The data is loaded before the server listens, so that a file that cannot be read is a one-line
error (exit 2) and a server that answers has its data. The socket is bound here too: a port in use
is the same kind of error. Binding to a host that is not a loopback address is allowed, with a
warning: the server is then reachable from other machines.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import time

import uvicorn

from .. import progress
from ..errors import LodError
from .app import ACCESS_LOG, ServeOptions, create_app
from .data import Publication
from .pool import ForkServer

__all__ = ["is_loopback", "listen", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``; one that cannot be bound: :class:`LodError`."""
    if not 0 <= port <= 65535:
        raise LodError(f"must be between 0 and 65535, got {port}", field="--port")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say so (else keep-alive
        # answers wait 40 ms for delayed ACKs)
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError as exc:
        raise LodError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", field="--host/--port") from None
    sock.set_inheritable(True)
    return sock


def _access_log() -> None:
    logger = logging.getLogger(ACCESS_LOG)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S%z"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def serve(publication: Publication, options: ServeOptions, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``publication`` on ``host``:``port`` until interrupted (Ctrl-C, SIGTERM)."""
    if not is_loopback(host):
        progress.warn(
            f"listening on {host}, not a loopback address: other machines can reach this server "
            "(it is read-only; put a reverse proxy with TLS in front of it for a public service)"
        )
    sock = listen(host, port)
    started = time.perf_counter()
    forkserver = ForkServer(publication, max_memory=options.max_memory)
    try:
        quads = publication.quads()  # the pages' own, while the workers load their store
        triples = forkserver.wait_ready()
    except BaseException:
        forkserver.close()
        sock.close()
        raise
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    progress.info(
        f"serving {publication.what}: {triples:,} triples loaded in {time.perf_counter() - started:.1f} s, "
        f"{options.workers} query worker(s), timeout {options.timeout:g} s, at most {options.max_rows:,} rows"
    )
    progress.info(f"  http://{shown}:{bound_port}/sparql   SPARQL 1.1 endpoint (query page for browsers)")
    progress.info(f"  http://{shown}:{bound_port}/health   health (JSON)")
    progress.info(f"  http://{shown}:{bound_port}/         the resources, at the paths of their IRIs")
    _access_log()
    app = create_app(publication, options, forkserver=forkserver, quads=quads)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=5,
        lifespan="on",
    )
    uvicorn.Server(config).run(sockets=[sock])
