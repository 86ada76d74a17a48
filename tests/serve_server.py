"""``lod-unioni serve`` started for real in a subprocess on a free loopback port (``--port 0``),
its stderr in a file: the server tests and the browser tests use it."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path


class Server:
    """``lod-unioni serve`` in a subprocess, its stderr in a file."""

    def __init__(self, tmp: Path, *args: str) -> None:
        self.log_path = tmp / "serve.log"
        self.log = open(self.log_path, "w+b")  # noqa: SIM115 (open while the server runs)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "lod_unioni", "serve", *args, "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
            cwd=tmp,
        )
        self.url = self._wait_url()

    def _wait_url(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"lod-unioni serve exited: {self.stderr()}")
            m = re.search(r"(http://127\.0\.0\.1:\d+)/sparql", self.stderr())
            if m:
                return m.group(1)
            time.sleep(0.05)
        raise RuntimeError(f"lod-unioni serve did not start: {self.stderr()}")

    def stderr(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
