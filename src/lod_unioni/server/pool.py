"""The server's side of the query workers: a pool of processes that hold the store, each killed and
replaced when its query overruns the timeout.

:class:`ForkServer` starts the fork server (:mod:`lod_unioni.server.forkserver`), which loads the
data once, and asks it for workers; :class:`QueryPool` keeps ``size`` of them and hands each
request to an idle one. A query that has not answered within ``timeout`` seconds is stopped by
killing its worker; a new worker, forked from the loaded store, takes its place in milliseconds.
The other workers, and the server, are not affected.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import LodError
from .data import Publication
from .forkserver import FRAME
from .worker import Answer, Request, error

__all__ = ["ForkServer", "QueryPool"]


_MAIN = "import sys; from lod_unioni.server.forkserver import main; sys.exit(main(sys.argv[1:]))"


def _environment() -> dict[str, str]:
    """The fork server's environment: it imports lod_unioni from where this process did."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])  # the folder that holds the lod_unioni package
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


class ForkServer:
    """The process that loads the data once and forks query workers on request."""

    def __init__(self, publication: Publication, *, max_memory: int) -> None:
        self._control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        request = {
            "dumps": [str(path) for path in publication.dumps],
            "catalog": str(publication.catalog) if publication.catalog else None,
            "terms": publication.terms,
            "max_memory": max_memory,
        }
        self._lock = threading.Lock()
        self.process = subprocess.Popen(
            # -P: the working directory is not on the child's sys.path (a json.py there must not shadow json)
            [sys.executable, "-P", "-c", _MAIN, str(theirs.fileno()), json.dumps(request)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=_environment(),
        )
        theirs.close()
        self.triples: int | None = None

    def wait_ready(self) -> int:
        """Wait until the data is loaded; the number of quads. A file that cannot be loaded: LodError."""
        reply = self._control.recv(1024).decode("utf-8", "replace")
        if reply.startswith("ready "):
            self.triples = int(reply.split()[1])
            return self.triples
        self.close()
        raise LodError(f"the query workers cannot load the data: {reply.removeprefix('error ') or 'they exited'}")

    def _command(self, message: bytes, fds: Sequence[int] = ()) -> str:
        with self._lock:
            socket.send_fds(self._control, [message], list(fds))
            reply = self._control.recv(256).decode("ascii", "replace")
        if not reply or reply.startswith("error"):
            raise RuntimeError(f"the fork server did not answer {message.decode()!r}: {reply or 'it exited'}")
        return reply

    def spawn(self) -> tuple[int, socket.socket]:
        """A new worker: its process id and the server's end of its socket (blocking, milliseconds)."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            pid = int(self._command(b"spawn", [theirs.fileno()]))
        finally:
            theirs.close()
        return pid, ours

    def kill(self, pid: int) -> None:
        self._command(f"kill {pid}".encode())

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the fork server and its workers."""
        self._control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclass
class _Worker:
    pid: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    async def call(self, request: Request) -> Answer:
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        self.writer.write(FRAME.pack(len(data)) + data)
        await self.writer.drain()
        (size,) = FRAME.unpack(await self.reader.readexactly(FRAME.size))
        reply: Answer = pickle.loads(await self.reader.readexactly(size))
        return reply


class QueryPool:
    """``size`` query workers; :meth:`run` answers a request within ``timeout`` seconds."""

    def __init__(
        self, forkserver: ForkServer, *, size: int, timeout: float, queue_timeout: float | None = None
    ) -> None:
        self.forkserver = forkserver
        self.size = size
        self.timeout = timeout
        self.queue_timeout = timeout if queue_timeout is None else queue_timeout
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[int] = set()
        self.stopped = 0  # queries stopped at the timeout
        self.started = time.monotonic()

    async def start(self) -> None:
        for _ in range(self.size):
            self._idle.put_nowait(await self._new_worker())

    async def _new_worker(self) -> _Worker:
        pid, sock = await asyncio.to_thread(self.forkserver.spawn)
        reader, writer = await asyncio.open_unix_connection(sock=sock)
        self._all.add(pid)
        return _Worker(pid, reader, writer)

    async def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker.pid)
        worker.writer.close()
        await asyncio.to_thread(self.forkserver.kill, worker.pid)
        self._idle.put_nowait(await self._new_worker())

    @property
    def idle(self) -> int:
        return self._idle.qsize()

    async def run(self, request: Request) -> Answer:
        """The answer to ``request``: from an idle worker, or an error answer (busy, timeout, crash)."""
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
        except TimeoutError:
            return error(503, f"every query worker is busy (waited {self.queue_timeout:g} s): try again later")
        try:
            async with asyncio.timeout(self.timeout):
                reply = await worker.call(request)
        except TimeoutError:
            self.stopped += 1
            await self._replace(worker)
            return error(
                503, f"the query did not finish within {self.timeout:g} s, the limit of this endpoint (--timeout)"
            )
        except (asyncio.IncompleteReadError, ConnectionError, EOFError, pickle.UnpicklingError):
            await self._replace(worker)
            return error(500, "the query worker stopped (out of memory? see --max-memory)")
        except BaseException:
            with contextlib.suppress(Exception):  # cancelled mid-answer: the worker's state is unknown
                await asyncio.shield(self._replace(worker))
            raise
        self._idle.put_nowait(worker)
        return reply

    async def close(self) -> None:
        while not self._idle.empty():
            self._idle.get_nowait().writer.close()
        await asyncio.to_thread(self.forkserver.close)
