"""Local queries on RDF files, in a child process that can really be stopped.

Oxigraph has no query timeout, and a query (a cartesian product, say) cannot be interrupted from
Python: :func:`run_local_files` runs it in a child process (:mod:`lod_unioni.query._child`, which
loads the files and runs the query), kills the child when ``timeout`` has passed, limits its address
space to ``max_memory`` bytes and its answer to ``max_rows`` rows. Every failure is a one-line
:class:`~lod_unioni.errors.LodError`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat

from ..errors import LodError
from . import _child
from .results import Result, from_document, too_many_rows

__all__ = ["DEFAULT_MAX_MEMORY", "data_files", "run_local_files"]

#: The address space of the child (bytes): loading the national dump takes about 300 MB.
DEFAULT_MAX_MEMORY = 4096 * 1024 * 1024


def format_of(path: Path) -> RdfFormat:
    """The RDF format of a data file, from its extension."""
    ext = path.suffix.lstrip(".").lower()
    fmt = RdfFormat.from_extension(ext) if ext else None
    if ext == "xml":
        fmt = RdfFormat.RDF_XML
    if fmt is None:
        raise LodError(
            f"unknown RDF format {path.suffix or '(no extension)'}; use .ttl, .nt, .nq, .trig, .jsonld, .rdf or .n3",
            file=str(path),
        )
    return fmt


def data_files(paths: Sequence[str | Path]) -> list[tuple[Path, RdfFormat]]:
    """The data files with their formats; an unknown format or a missing file: :class:`LodError`."""
    out = []
    for p in paths:
        path = Path(p)
        fmt = format_of(path)
        if not path.is_file():
            raise LodError(
                "data file not found"
                + ("; run 'lod-unioni build' first or give --data FILE" if path.name.startswith("unioni.") else ""),
                file=str(path),
            )
        out.append((path, fmt))
    return out


def _term(term: NamedNode | Literal | BlankNode) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    raise TypeError(f"a query parameter cannot be a {type(term).__name__}")


def _environment() -> dict[str, str]:
    """The child's environment: it finds pyoxigraph where this process found it; few malloc arenas,
    so that its address space reflects the memory it uses."""
    env = dict(os.environ)
    site = str(Path(pyoxigraph.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (site, env.get("PYTHONPATH")) if p)
    env.setdefault("MALLOC_ARENA_MAX", "2")
    return env


def run_local_files(
    text: str,
    files: Sequence[tuple[Path, RdfFormat]],
    substitutions: dict[str, NamedNode | Literal],
    fallback: str | None,
    *,
    timeout: float,
    max_rows: int,
    max_memory: int,
    source: str | None,
) -> Result:
    """Load ``files`` and run the query ``text`` (``substitutions`` bound; ``fallback``: the same
    query with them in a VALUES block, for variables Oxigraph cannot substitute) in a child process
    stopped at ``timeout`` seconds, ``max_memory`` bytes of address space, ``max_rows`` rows."""
    if not timeout or timeout <= 0:
        raise LodError("the timeout must be a positive number of seconds", field="timeout")
    request = {
        "files": [[str(path), fmt.media_type] for path, fmt in files],
        "query": text,
        "substitutions": {name: _term(term) for name, term in substitutions.items()},
        "fallback": fallback,
        "max_rows": max_rows,
        "max_memory": max_memory,
    }
    if not sys.executable:
        raise LodError("cannot run a local query: the Python interpreter of this process is unknown")
    proc = subprocess.Popen(
        [sys.executable, "-P", _child.__file__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_environment(),
    )
    try:
        out, err = proc.communicate(json.dumps(request).encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LodError(f"the query did not finish within {timeout:g} s (--timeout)", file=source) from None
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return _answer(proc.returncode, out, err, max_rows=max_rows, max_memory=max_memory, source=source)


def _answer(code: int, out: bytes, err: bytes, *, max_rows: int, max_memory: int, source: str | None) -> Result:
    """The child's answer, or the :class:`LodError` of its failure."""
    memory = LodError(
        f"the query needed more than {max_memory // (1024 * 1024)} MB of memory (--max-memory)", file=source
    )
    try:
        answer: dict[str, Any] = json.loads(out) if code == 0 else {}
    except ValueError:
        answer = {}
    if "error" in answer:
        raise _error(answer["error"], max_rows, source, memory)
    if "result" in answer:
        return from_document(answer["result"], "the local query", max_rows=max_rows, kind=answer["kind"])
    if b"memory allocation" in err or code == -signal.SIGABRT:
        raise memory
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {code}"]
    raise LodError(f"the query process failed: {last[0]}", file=source)


def _error(error: dict[str, str], max_rows: int, source: str | None, memory: LodError) -> LodError:
    kind, message = error["kind"], error["message"]
    if kind == "syntax":
        message = message[len("error ") :] if message.startswith("error at ") else f": {message}"
        return LodError(f"SPARQL syntax error {message}", file=source)
    if kind == "data":
        return LodError(message, file=error.get("file"))
    if kind == "rows":
        return too_many_rows(max_rows, file=source)
    if kind == "memory":
        return memory
    return LodError(f"query failed: {message}", file=source)
