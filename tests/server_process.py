"""What the test servers (Oxigraph, Virtuoso) share: a process started by ``start()`` with its
output in ``self._log`` (a file opened w+b) and its folder in ``self.workdir``; ``stop()`` ends
the process (terminate, then kill after ``stop_timeout_s``) and removes the folder; a context
manager that calls them."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO, Self


class ServerProcess:
    stop_timeout_s: float = 5.0

    def __init__(self) -> None:
        self.workdir: Path | None = None
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def _answers(self, endpoint: str, timeout_s: float, pause_s: float) -> bool:
        """Whether the SPARQL ``endpoint`` answers ``ASK {}`` before ``timeout_s`` (False as soon
        as the process has exited)."""
        deadline = time.monotonic() + timeout_s
        url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(pause_s)
        return False

    def _read_log(self) -> str:
        """The last 500 characters of the process's output."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()[-500:]

    def _terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=self.stop_timeout_s)
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
