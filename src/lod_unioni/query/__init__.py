"""Bundled SPARQL queries and the engine behind ``lod-unioni query``.

Public API::

    list_queries() -> list[QueryInfo]
    load_query(name_or_path) -> Query
    run_query(query, *, data=[paths] | store=Store | endpoint=URL, params={name: value},
              timeout=60.0, max_rows=..., max_memory=..., max_answer=...) -> Result
    load_store(paths) -> pyoxigraph.Store          # load the dumps once, query many times
    format_result(result, "table" | "csv" | "json" | "tsv", prefixes=query.prefixes) -> str

Parameters are bound as RDF terms (Oxigraph substitutions locally, a VALUES block of
N-Triples terms remotely), never pasted into the query text; see queries/README.md.
"""

from .bundled import Query, QueryInfo, list_queries, load_query, parse_header, parse_query, queries_dir
from .engine import (
    DEFAULT_MAX_ANSWER,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    PASSWORD_ENV,
    USER_ENV,
    Result,
    check_endpoint,
    load_store,
    run_query,
)
from .formats import FORMATS, format_csv, format_json, format_result, format_table, format_tsv
from .params import Param

__all__ = [
    "DEFAULT_MAX_ANSWER",
    "DEFAULT_MAX_MEMORY",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "PASSWORD_ENV",
    "USER_ENV",
    "Param",
    "Query",
    "QueryInfo",
    "Result",
    "check_endpoint",
    "format_csv",
    "format_json",
    "format_result",
    "format_table",
    "format_tsv",
    "list_queries",
    "load_query",
    "load_store",
    "parse_header",
    "parse_query",
    "queries_dir",
    "run_query",
]
