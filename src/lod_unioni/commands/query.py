"""``lod-unioni query``: run a bundled or own SPARQL query on the dumps or on an endpoint."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_OK, LodError
from ..net import redact_url
from ..query import (
    DEFAULT_MAX_ANSWER,
    DEFAULT_MAX_MEMORY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    FORMATS,
    PASSWORD_ENV,
    USER_ENV,
    check_endpoint,
    format_result,
    list_queries,
    load_query,
    run_query,
)

NAME = "query"
_MB = 1024 * 1024
HELP = "run a bundled SPARQL query (or a .rq file) on the dumps or on a SPARQL endpoint"
DESCRIPTION = f"""\
Run a SPARQL query on the dumps (default: OUT/unioni.ttl, OUT from the settings) with Oxigraph,
or on a remote SPARQL 1.1 endpoint with --endpoint.

  lod-unioni query --list
  lod-unioni query unions-by-region --param region=Basilicata
  lod-unioni query union-members --param union=ull --format csv
  lod-unioni query check-population-total --fail-on-results
  lod-unioni query my-query.rq --data output/unioni.ttl --data other.ttl
  lod-unioni query wikidata-comuni --endpoint https://example.org/sparql

Parameters are bound as RDF terms of their declared type, never pasted into the query text.
Credentials for a protected endpoint come only from the environment variables {USER_ENV} and
{PASSWORD_ENV} (HTTP Basic), and are sent to the endpoint's origin only (never on a redirect to
another one); a redirect that would drop the query is an error.
Limits: --timeout is the time the whole query may take, locally too (the local query runs in a
child process, stopped at the timeout and at --max-memory); --max-rows bounds the answer's rows,
--max-size the size of an endpoint's answer.
Exit codes: 0 ok, 1 rows found with --fail-on-results, 2 bad usage, bad query or unreadable data."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query", nargs="?", metavar="NAME|FILE", help="a bundled query name (see --list) or the path of a .rq file"
    )
    parser.add_argument("--list", action="store_true", help="list the bundled queries and exit")
    parser.add_argument(
        "--data",
        action="append",
        metavar="FILE",
        help="RDF file to query (repeatable; format from the extension); default OUT/unioni.ttl",
    )
    parser.add_argument("--endpoint", metavar="URL", help="query this SPARQL 1.1 endpoint instead of local files")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="a query parameter (repeatable)"
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output: table (for people), csv, json (SPARQL 1.1 JSON results), tsv (default: table)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds the whole query may take, local or remote (default: {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"most rows an answer may have (default: {DEFAULT_MAX_ROWS:,})",
    )
    parser.add_argument(
        "--max-memory",
        type=int,
        default=DEFAULT_MAX_MEMORY // _MB,
        metavar="MB",
        help=f"address space of a local query's process, in MB (default: {DEFAULT_MAX_MEMORY // _MB})",
    )
    parser.add_argument(
        "--max-size",
        type=int,
        default=DEFAULT_MAX_ANSWER // _MB,
        metavar="MB",
        help=f"largest answer read from an endpoint, in MB (default: {DEFAULT_MAX_ANSWER // _MB})",
    )
    parser.add_argument(
        "--fail-on-results",
        action="store_true",
        help="exit 1 when the query returns rows (or ASK is true): for the check-* queries in CI",
    )


def parse_params(items: list[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` -> ``{"a": "1", "b": "x=y"}``; one-line errors for malformed items."""
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise LodError(f"expected --param NAME=VALUE, got {item!r}", field="param")
        if name in params:
            raise LodError("given twice", field=f"param {name}")
        params[name] = value
    return params


def _list(fmt: str) -> str:
    infos = list_queries()
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "name": i.name,
                        "title": {"it": i.title_it, "en": i.title_en},
                        "description": {"it": i.description_it, "en": i.description_en},
                        "params": [
                            {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                            for p in i.params
                        ],
                        "requires_remote": i.requires_remote,
                    }
                    for i in infos
                ],
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    width = max(len(i.name) for i in infos) + 2
    lines = []
    for i in infos:
        lines.append(f"{i.name:<{width}}{i.title_en}")
        lines.append(f"{'':<{width}}{i.title_it}")
        notes = []
        for p in i.params:
            notes.append(
                f"--param {p.name}=… ({p.type}"
                + (f", default {p.default!r})" if p.default is not None else ", required)")
            )
        if i.requires_remote:
            notes.append("needs --endpoint (federated)")
        if notes:
            lines.append(f"{'':<{width}}[{'; '.join(notes)}]")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        sys.stdout.write(_list(args.format))
        return EXIT_OK
    if not args.query:
        raise LodError("give a query NAME or FILE, or --list to see the bundled queries")
    if args.data and args.endpoint:
        raise LodError("give either --data or --endpoint, not both")
    if not args.timeout or args.timeout <= 0:
        raise LodError("must be a positive number of seconds", field="timeout")
    for option, value in (
        ("--max-rows", args.max_rows),
        ("--max-memory", args.max_memory),
        ("--max-size", args.max_size),
    ):
        if value <= 0:
            raise LodError("must be a positive number", field=option)
    params = parse_params(args.param)
    query = load_query(args.query)
    started = time.perf_counter()
    if args.endpoint:
        check_endpoint(args.endpoint)  # before it is shown: a URL with credentials is refused unseen
        progress.info(f"- querying {redact_url(args.endpoint)} ...")
        result = run_query(
            query,
            endpoint=args.endpoint,
            params=params,
            timeout=args.timeout,
            max_rows=args.max_rows,
            max_answer=args.max_size * _MB,
        )
    else:
        data = args.data or [str(Path(settings.out) / "unioni.ttl")]
        result = run_query(
            query,
            data=data,
            params=params,
            timeout=args.timeout,
            max_rows=args.max_rows,
            max_memory=args.max_memory * _MB,
        )
    elapsed = time.perf_counter() - started
    prefixes = dict(query.prefixes)
    if "data" not in prefixes:
        prefixes["data"] = settings.base_iri  # only to shorten our own IRIs in tables
    sys.stdout.write(format_result(result, args.format, prefixes=prefixes))
    if result.kind == "ask":
        progress.info(f"{query.name}: {'true' if result.boolean else 'false'} in {elapsed:.2f} s")
        found = bool(result.boolean)
    else:
        progress.info(f"{query.name}: {len(result)} row(s) in {elapsed:.2f} s")
        found = len(result) > 0
    return EXIT_FINDINGS if (args.fail_on_results and found) else EXIT_OK
