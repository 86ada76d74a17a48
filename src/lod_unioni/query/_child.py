"""The child process of a local query (:mod:`lod_unioni.query.local`): load the data files, run
the query, write the answer as SPARQL 1.1 JSON results on stdout.

Run as a script (``python -P _child.py``), it imports only the standard library and pyoxigraph, so
that it starts quickly. Its address space is limited (``RLIMIT_AS``) before it loads anything; the
parent kills it when the query's time is up. The request comes as JSON on stdin::

    {"files": [[path, media type]], "query": text, "substitutions": {name: term},
     "fallback": text or null, "max_rows": n, "max_memory": bytes}

and the answer is ``{"result": <SPARQL 1.1 JSON results>, "kind": "select" | "ask" | "graph"}`` or
``{"error": {"kind": "syntax" | "query" | "data" | "rows" | "memory", "message": ..., "file": ...}}``.
Terms are written as in SPARQL 1.1 JSON results (``{"type": "uri", "value": ...}``).
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, QueryBoolean, QueryTriples, RdfFormat, Store, Variable

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Stop(Exception):
    def __init__(self, kind: str, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.error = {"kind": kind, "message": message, "file": file}


def _to_json(term: Any) -> dict[str, str] | None:
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _from_json(term: dict[str, str]) -> NamedNode | Literal:
    if term["type"] == "uri":
        return NamedNode(term["value"])
    if "xml:lang" in term:
        return Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return Literal(term["value"], datatype=NamedNode(term["datatype"]))
    return Literal(term["value"])


def _load(files: list[list[str]]) -> Store:
    store = Store()
    for path, media_type in files:
        fmt = RdfFormat.from_media_type(media_type)
        try:
            store.bulk_load(path=path, format=fmt)
        except SyntaxError as exc:
            raise _Stop("data", f"not valid {fmt.name if fmt else media_type}: {exc}", path) from None
        except OSError as exc:
            raise _Stop("data", f"cannot read: {exc.strerror or exc}", path) from None
    return store


def _query(store: Store, request: dict[str, Any]) -> Any:
    substitutions: dict[Variable, Any] = {Variable(k): _from_json(v) for k, v in request["substitutions"].items()}
    try:
        try:
            return store.query(request["query"], substitutions=substitutions or None)
        except RuntimeError as exc:
            if "does not contain" not in str(exc) or not request["fallback"]:
                raise
            # Oxigraph substitutes only projected variables: bind the others with a VALUES block.
            return store.query(request["fallback"])
    except SyntaxError as exc:
        raise _Stop("syntax", str(exc)) from None
    except (RuntimeError, OSError, ValueError) as exc:
        raise _Stop("query", str(exc)) from None


def _rows(answer: Any, max_rows: int) -> dict[str, Any]:
    if isinstance(answer, QueryBoolean):
        return {"kind": "ask", "result": {"head": {}, "boolean": bool(answer)}}
    if isinstance(answer, QueryTriples):
        names = ["subject", "predicate", "object"]
        rows = ((t.subject, t.predicate, t.object) for t in answer)
        kind = "graph"
    else:
        names = [v.value for v in answer.variables]
        rows = (tuple(solution[name] for name in names) for solution in answer)
        kind = "select"
    bindings: list[dict[str, Any]] = []
    try:
        for row in rows:
            if len(bindings) == max_rows:
                raise _Stop("rows", f"more than {max_rows} rows")
            bindings.append({n: t for n, t in zip(names, map(_to_json, row), strict=True) if t is not None})
    except (RuntimeError, OSError, ValueError) as exc:
        raise _Stop("query", str(exc)) from None
    return {"kind": kind, "result": {"head": {"vars": names}, "results": {"bindings": bindings}}}


def main() -> None:
    request = json.load(sys.stdin)
    limit = int(request["max_memory"])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        answer: dict[str, Any] = _rows(_query(_load(request["files"]), request), int(request["max_rows"]))
    except _Stop as stop:
        answer = {"error": stop.error}
    except MemoryError:
        answer = {"error": {"kind": "memory", "message": "out of memory", "file": None}}
    json.dump(answer, sys.stdout, ensure_ascii=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
