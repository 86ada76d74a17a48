"""Start and stop a real Virtuoso (Debian's ``virtuoso-opensource``: ``virtuoso-t``, ``isql-vt``).

    with VirtuosoServer() as server:
        server.endpoint        # http://127.0.0.1:PORT/sparql-auth (SPARQL query and update, Digest)
        server.gsp             # http://127.0.0.1:PORT/sparql-graph-crud-auth (Graph Store Protocol, Digest)
        server.user, server.password

A new database in a temporary directory, with its own ``virtuoso.ini``: the HTTP and ISQL ports
are free loopback ports (127.0.0.1 only), the server runs in the foreground (``+foreground``, so
that ``stop()`` ends it). Once it answers SPARQL, ``isql-vt`` (the commands on its stdin, never in
its arguments) replaces the well-known ``dba`` password with a random one and creates a user with
the ``SPARQL_UPDATE`` role and a random password, which a test passes to ``lod-unioni publish``
through the environment. ``stop()`` terminates the server and removes the directory.

The programs are installed by ``tests/setup/system-packages.sh``; :func:`virtuoso_programs` says
when they are not, :func:`require_virtuoso` fails (under CI) or skips a test then.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from oxigraph_server import free_port
from server_process import ServerProcess

SETUP_SCRIPT = "tests/setup/system-packages.sh"

_INI = """\
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{isql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 0
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {dir}
MaxClientConnections = 4
ServerThreads        = 4
MaxKeepAlives        = 4
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 0

[SPARQL]
ResultSetMaxRows      = 100000
MaxQueryExecutionTime = 60
"""


def virtuoso_programs() -> tuple[str, str] | None:
    """(virtuoso-t, isql-vt) when installed, else None."""
    server = shutil.which("virtuoso-t")
    isql = shutil.which("isql-vt") or shutil.which("isql-v")
    return (server, isql) if server and isql else None


def require_virtuoso() -> None:
    """In a test: Virtuoso must be installed. When it is not, the test fails under CI (``CI=true``:
    the setup script should have installed it) and is skipped elsewhere; the message names the script."""
    import os

    import pytest

    if virtuoso_programs() is None:
        message = f"virtuoso-t is not installed: run {SETUP_SCRIPT} (the test command runs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


class VirtuosoServer(ServerProcess):
    stop_timeout_s = 15.0

    def __init__(self, *, startup_timeout_s: float = 60.0) -> None:
        programs = virtuoso_programs()
        if programs is None:
            raise FileNotFoundError(f"virtuoso-t / isql-vt not installed: run {SETUP_SCRIPT}")
        self.exe, self.isql = programs
        self.startup_timeout_s = startup_timeout_s
        self.user = "lodpub"
        self.password = "pw-" + secrets.token_hex(12)
        self._dba_password = "dba-" + secrets.token_hex(12)
        super().__init__()
        self.http_port: int | None = None
        self.isql_port: int | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def public_endpoint(self) -> str:
        return self.base + "/sparql"

    @property
    def gsp(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def start(self) -> VirtuosoServer:
        self.workdir = Path(tempfile.mkdtemp(prefix="lod-unioni-virtuoso-"))
        last_error = ""
        for _attempt in range(3):  # a free port may be taken between probing and binding
            self.http_port, self.isql_port = free_port(), free_port()
            ini = self.workdir / "virtuoso.ini"
            ini.write_text(_INI.format(dir=self.workdir, http_port=self.http_port, isql_port=self.isql_port))
            self._log = open(self.workdir / "server.out", "w+b")  # noqa: SIM115  (kept open while the server runs)
            self.process = subprocess.Popen(
                [self.exe, "+foreground", "+configfile", str(ini)],
                cwd=self.workdir,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            if self._wait_ready():
                self._set_up_users()
                return self
            last_error = self._read_log()
            self._terminate()
            for leftover in self.workdir.glob("virtuoso*"):
                if leftover.name != "virtuoso.ini":
                    leftover.unlink()
        self.stop()
        raise RuntimeError(f"virtuoso-t did not start: {last_error}")

    def _wait_ready(self) -> bool:
        return self._answers(self.public_endpoint, self.startup_timeout_s, 0.1)

    def _set_up_users(self) -> None:
        """The publishing user and a new dba password, by ISQL commands on stdin (the passwords are
        random hex: nothing to quote)."""
        script = (
            f"DB.DBA.USER_CREATE('{self.user}', '{self.password}');\n"
            f'GRANT SPARQL_UPDATE TO "{self.user}";\n'
            f"DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '{self._dba_password}');\n"
        )
        done = subprocess.run(
            [self.isql, f"127.0.0.1:{self.isql_port}", "dba", "dba", "VERBOSE=OFF", "ERRORS=STDOUT"],
            input=script,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0 or "Error" in done.stdout:
            output = (done.stdout + done.stderr).replace(self.password, "***").replace(self._dba_password, "***")
            self.stop()
            raise RuntimeError(f"isql-vt could not set up the users: {output.strip()[-500:]}")
