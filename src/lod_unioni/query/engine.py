"""Running queries: on the dumps with Oxigraph (in a child process that the timeout stops), on a
store already loaded, or on a remote SPARQL 1.1 endpoint (:mod:`lod_unioni.query.remote`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Store, Variable

from ..errors import LodError
from ..graph import Term
from . import sparql_text
from .bundled import Query, parse_query
from .local import DEFAULT_MAX_MEMORY, data_files, run_local_files
from .params import bind, values_block
from .remote import DEFAULT_MAX_ANSWER, PASSWORD_ENV, USER_ENV, check_endpoint, run_remote
from .results import DEFAULT_MAX_ROWS, Result, Row, from_oxigraph

__all__ = [
    "DEFAULT_MAX_ANSWER",
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "USER_ENV",
    "Result",
    "Row",
    "check_endpoint",
    "load_store",
    "run_query",
]

DEFAULT_TIMEOUT = 60.0


def load_store(paths: Iterable[str | Path], store: Store | None = None) -> Store:
    """Load RDF files (format from the extension) into an in-memory Oxigraph store, once."""
    store = store if store is not None else Store()
    for path, fmt in data_files(list(paths)):
        try:
            store.bulk_load(path=str(path), format=fmt)
        except SyntaxError as exc:
            raise LodError(f"not valid {fmt.name}: {exc}", file=str(path)) from None
        except OSError as exc:
            raise LodError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    return store


def _as_query(query: Query | str) -> Query:
    if isinstance(query, Query):
        return query
    if isinstance(query, str):
        return parse_query(query, name="query")
    raise TypeError("query must be a Query (see load_query) or SPARQL text")


def run_query(
    query: Query | str,
    *,
    data: Iterable[str | Path] | None = None,
    store: Store | None = None,
    endpoint: str | None = None,
    params: Mapping[str, object] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_memory: int = DEFAULT_MAX_MEMORY,
    max_answer: int = DEFAULT_MAX_ANSWER,
) -> Result:
    """Run a query with its parameters bound as RDF terms.

    Give exactly one of ``data`` (RDF files: loaded and queried in a child process, stopped after
    ``timeout`` seconds or at ``max_memory`` bytes of address space), ``store`` (an already loaded
    pyoxigraph Store, queried in this process: load once, query many times; no timeout) or
    ``endpoint`` (a SPARQL 1.1 endpoint URL; ``timeout`` for the whole answer, at most
    ``max_answer`` bytes; credentials from LOD_UNIONI_SPARQL_USER / LOD_UNIONI_SPARQL_PASSWORD).
    ``params`` maps parameter names to values (text, or pyoxigraph terms); declared defaults fill
    the rest. An answer of more than ``max_rows`` rows is an error.
    """
    q = _as_query(query)
    if sum(x is not None for x in (data, store, endpoint)) != 1:
        raise LodError("give exactly one of data files, a store or an endpoint to query")
    terms = bind(q.info.params, params, q.prefixes, query_name=f"query {q.name!r}")
    if endpoint is not None:
        text = sparql_text.insert_at_where(q.text, values_block(terms)) if terms else q.text
        graph = q.form in ("CONSTRUCT", "DESCRIBE")
        return run_remote(
            text, endpoint, graph=graph, timeout=timeout, max_bytes=max_answer, max_rows=max_rows, source=q.source
        )
    if q.info.requires_remote:
        raise LodError(
            f"query {q.name!r} needs a remote SPARQL endpoint (it federates with SERVICE); "
            "run it with --endpoint URL of an endpoint that holds the dumps"
        )
    if store is not None:
        return _run_in_process(q, terms, store, max_rows)
    files = data_files(list(data or ()))
    fallback = sparql_text.insert_at_where(q.text, values_block(terms)) if terms else None
    return run_local_files(
        q.text, files, terms, fallback, timeout=timeout, max_rows=max_rows, max_memory=max_memory, source=q.source
    )


def _run_in_process(q: Query, terms: dict[str, NamedNode | Literal], store: Store, max_rows: int) -> Result:
    substitutions: dict[Variable, Term] = {Variable(name): term for name, term in terms.items()}
    try:
        try:
            answer = store.query(q.text, substitutions=substitutions or None)
        except RuntimeError as exc:
            if "does not contain" not in str(exc) or not terms:
                raise
            # Oxigraph substitutes only projected variables: bind the others as the remote run does.
            answer = store.query(sparql_text.insert_at_where(q.text, values_block(terms)))
        return from_oxigraph(answer, max_rows=max_rows, file=q.source)
    except SyntaxError as exc:
        message = str(exc)
        message = message[len("error ") :] if message.startswith("error at ") else f": {message}"
        raise LodError(f"SPARQL syntax error {message}", file=q.source) from None
    except (RuntimeError, OSError, ValueError) as exc:
        raise LodError(f"query failed: {exc}", file=q.source) from None
