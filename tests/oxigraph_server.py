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
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


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


class OxigraphServer:
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
        self.workdir: Path | None = None
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = None

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
        deadline = time.monotonic() + self.startup_timeout_s
        url = self.endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        return False

    def _read_log(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()[-500:]

    def _terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def stop(self) -> None:
        self._terminate()
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
