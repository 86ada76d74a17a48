"""Start and stop a real Oxigraph SPARQL server (the ``oxigraph`` CLI, pip package ``oxigraph``).

    with OxigraphServer(["output/unioni.ttl"]) as server:
        run_query(query, endpoint=server.endpoint)

The data is loaded with ``oxigraph load`` into a database in a temporary directory, then served
with ``oxigraph serve-read-only`` (nothing can change it) on a free loopback port
(127.0.0.1, port from a socket bound to port 0) with a per-query ``--timeout-s``. ``stop()``
terminates the process and removes the directory; the context manager calls it on errors too.

``OxigraphServer([], writable=True)`` serves with ``oxigraph serve`` instead: SPARQL Update at
``update_endpoint`` and the Graph Store Protocol at ``store_endpoint`` (what ``publish`` writes to);
with ``in_memory=True`` its store is in memory (no ``--location``), not a RocksDB database.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from server_process import ServerProcess


def oxigraph_executable() -> str:
    """The ``oxigraph`` CLI: beside the running Python (the venv), else on PATH."""
    for candidate in (Path(sys.executable).parent / "oxigraph", shutil.which("oxigraph")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise FileNotFoundError("the oxigraph CLI is not installed (pip install 'oxigraph>=0.5,<0.6')")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer(ServerProcess):
    def __init__(
        self, data_files, *, query_timeout_s: int = 30, startup_timeout_s: float = 20.0, writable=False, in_memory=False
    ):
        if in_memory and (data_files or not writable):
            raise ValueError("an in-memory server starts empty and writable")
        self.data_files = [str(Path(f).resolve()) for f in data_files]
        self.writable = writable
        self.in_memory = in_memory
        self.query_timeout_s = query_timeout_s
        self.startup_timeout_s = startup_timeout_s
        self.exe = oxigraph_executable()
        super().__init__()
        self.port: int | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    @property
    def store_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/store"

    def start(self) -> OxigraphServer:
        self.workdir = Path(tempfile.mkdtemp(prefix="lod-unioni-oxigraph-"))
        db = self.workdir / "db"
        if self.data_files:
            load = subprocess.run(
                [self.exe, "load", "--location", str(db), "--file", *self.data_files],
                capture_output=True,
                text=True,
                timeout=120,
            )
            if load.returncode != 0:
                self.stop()
                raise RuntimeError(f"oxigraph load failed: {load.stderr.strip()}")
        last_error = ""
        for _attempt in range(3):  # the free port may be taken between probing and binding
            self.port = free_port()
            self._log = open(self.workdir / "server.log", "w+b")  # noqa: SIM115  (kept open while the server runs)
            self.process = subprocess.Popen(
                [
                    self.exe,
                    "serve" if self.writable else "serve-read-only",
                    *([] if self.in_memory else ["--location", str(db)]),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout-s",
                    str(self.query_timeout_s),
                ],
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            if self._wait_ready():
                return self
            last_error = self._read_log()
            self._terminate()
        self.stop()
        raise RuntimeError(f"oxigraph serve did not start: {last_error}")

    def _wait_ready(self) -> bool:
        return self._answers(self.endpoint, self.startup_timeout_s, 0.05)
