"""The fork server and its query workers: processes that hold the store and can be killed.

Oxigraph cannot interrupt a query from another thread, so a query that runs too long is stopped by
killing the process that runs it. Loading the data for each new process would take seconds on the
national graph; instead one process, the *fork server*, loads the data once and then forks a query
worker whenever the server asks for one: the worker shares the loaded store with it (copy on
write) and is ready in milliseconds.

The fork server is started by the server (:class:`lod_unioni.server.pool.ForkServer`), a new
Python running :func:`main` with the arguments ``FD REQUEST``: FD is its end of a ``SOCK_SEQPACKET``
control socket, REQUEST a JSON object ``{"dumps": [path], "catalog": path or null, "terms": bool,
"max_memory": bytes}``: it loads them as :func:`lod_unioni.web.data.publication_store` does (the
store of the pages). Once loaded it sends ``ready N`` (N the number of quads) or ``error MESSAGE``; then it answers

* ``spawn`` (with one file descriptor, the worker's end of a stream socket): forks a worker that
  serves on that socket, and answers with its process id;
* ``kill PID``: kills that worker and reaps it, and answers ``ok``.

It exits, killing its workers, when the control socket closes (the server stopped or died). It is
single-threaded, so forking it is safe. A worker reads requests and writes answers
(:mod:`lod_unioni.server.worker`) as frames (:func:`send_frame`, :func:`recv_frame`): an 8-byte
length, then a pickle, on a socket whose other end only the server holds. Its address space is
limited to ``max_memory`` bytes. It exits when the server closes its socket.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import resource
import signal
import socket
import struct
from typing import Any

from pyoxigraph import Store

from ..errors import LodError
from ..web.data import publication_store
from .worker import Answer, answer, error

__all__ = ["FRAME", "recv_frame", "send_frame"]

#: The header of a frame: the length of the pickle that follows.
FRAME = struct.Struct("!Q")


def send_frame(sock: socket.socket, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(FRAME.pack(len(data)))
    sock.sendall(data)


def _recv_exactly(sock: socket.socket, n: int) -> bytes | None:
    buffer = bytearray(n)
    view = memoryview(buffer)
    got = 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            return None
        got += k
    return bytes(buffer)


def recv_frame(sock: socket.socket) -> Any:
    """The next object on ``sock``; None when the other end has closed it."""
    header = _recv_exactly(sock, FRAME.size)
    if header is None:
        return None
    data = _recv_exactly(sock, FRAME.unpack(header)[0])
    return None if data is None else pickle.loads(data)


def _worker(store: Store, sock: socket.socket, max_memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    while True:
        request = recv_frame(sock)
        if request is None:
            return
        try:
            reply: Answer = answer(store, request)
        except MemoryError:
            send_frame(
                sock, error(500, f"the query needed more than {max_memory // 2**20} MB of memory (--max-memory)")
            )
            return  # a fresh worker replaces this one
        send_frame(sock, reply)


def _spawn(store: Store, control: socket.socket, fd: int, max_memory: int) -> int:
    pid = os.fork()
    if pid == 0:  # the worker
        code = 0
        try:
            control.close()
            _worker(store, socket.socket(fileno=fd), max_memory)
        except BaseException:  # a worker never returns into the fork server's loop
            code = 1
        finally:
            os._exit(code)
    os.close(fd)
    return pid


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def serve(control: socket.socket, store: Store, max_memory: int) -> None:
    """Answer the server's commands until it closes the control socket."""
    children: set[int] = set()
    try:
        while True:
            message, fds, _, _ = socket.recv_fds(control, 256, 1)
            if not message:
                return
            command, _, argument = message.decode("ascii").partition(" ")
            if command == "spawn" and len(fds) == 1:
                pid = _spawn(store, control, fds[0], max_memory)
                children.add(pid)
                control.send(str(pid).encode())
            elif command == "kill" and argument.isdigit() and int(argument) in children:
                _kill(int(argument))
                children.discard(int(argument))
                control.send(b"ok")
            else:
                for fd in fds:
                    os.close(fd)
                control.send(b"error unknown command")
            _reap(children)
    finally:
        for pid in children:
            _kill(pid)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which closes the socket
    control = socket.socket(fileno=int(argv[0]))
    request = json.loads(argv[1])
    try:
        store = publication_store(request["dumps"], catalog=request["catalog"], terms=request["terms"])
    except LodError as exc:
        control.send(f"error {exc}"[:1000].encode("utf-8"))
        return 2
    gc.collect()
    gc.freeze()  # the loader's objects stay shared with the workers instead of being copied
    control.send(f"ready {len(store)}".encode())
    serve(control, store, int(request["max_memory"]))
    return 0
