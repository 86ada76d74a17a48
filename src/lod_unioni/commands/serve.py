"""``lod-unioni serve``: the publication live, a read-only SPARQL endpoint and the resources at
their own paths (:mod:`lod_unioni.server`)."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator

from ..config import Settings
from ..errors import LodError
from ..query import DEFAULT_MAX_MEMORY
from . import options

NAME = "serve"
HELP = "serve the dumps: a read-only SPARQL 1.1 endpoint, a query page and every resource at its IRI's path"
_MB = 1024 * 1024
_DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 8))
DESCRIPTION = """\
Serve the publication over HTTP (Starlette on uvicorn):

  /sparql   SPARQL 1.1 Protocol (GET, POST form, POST application/sparql-query): SELECT and ASK
            in JSON, XML, CSV, TSV, CONSTRUCT and DESCRIBE in Turtle, JSON-LD, N-Triples, by
            Accept; a browser gets the query page (also at /query), with the bundled queries
  /health   JSON: ok, triples, uptime
  every resource at the path of its IRI (the base IRI's path: /lod-unioni/data/union/...), with
  content negotiation: HTML, Turtle, JSON-LD, N-Triples

DATA are RDF files (format from the extension) or output folders of 'lod-unioni build' (their
unioni.nt, catalog.ttl and void.ttl). With no DATA the records (--records; default ./records, else
the bundled ones) are built into a temporary folder, removed when the server stops; with
--national, every union of the registries of --sources is built there.

It is read-only (SPARQL Update is refused), and a query that runs longer than --timeout is
stopped without stopping the server: the queries run in worker processes that hold the data, and
the one that overruns is killed and replaced. It listens on 127.0.0.1 unless --host says otherwise
(another host is allowed, with a warning). The access log (stderr) has the method, the path, the
status and the time of each request, and the length of a query, never its text.

examples:
  lod-unioni serve                                  # the bundled records, http://127.0.0.1:8000/
  lod-unioni serve output/ --port 8080
  lod-unioni serve --national --sources ../shared/data
  lod-unioni serve output/national/unioni.nt --timeout 30 --max-rows 10000"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", nargs="*", metavar="DATA", help="RDF files or output folders to serve")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    parser.add_argument(
        "--national", action="store_true", help="build and serve every union of the registries of --sources"
    )
    options.add_sources(parser)
    options.add_allow_implausible(parser)
    options.add_records(parser)
    options.add_base_iri(parser)
    parser.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="seconds a query may run (default: 10)"
    )
    parser.add_argument(
        "--max-rows", type=int, default=100_000, metavar="N", help="most rows of an answer (default: 100,000)"
    )
    parser.add_argument(
        "--max-body", type=int, default=1024, metavar="KB", help="largest request body, in KB (default: 1024)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=_DEFAULT_WORKERS,
        metavar="N",
        help=f"query worker processes (default: the number of CPUs, here {_DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--max-memory",
        type=int,
        default=DEFAULT_MAX_MEMORY // _MB,
        metavar="MB",
        help=f"address space of a query worker, in MB (default: {DEFAULT_MAX_MEMORY // _MB})",
    )
    parser.add_argument(
        "--prerender",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="render the page of every resource when the server starts, in the background, and keep "
        "them (default; about 200 MB for the national graph); --no-prerender renders each on its first request",
    )
    parser.add_argument(
        "--redirect",
        choices=("303", "none"),
        default="303",
        help="a resource IRI answers 303 See Other to its document (.html, .ttl, ...) for the "
        "Accept header (default), or 'none': the document itself, with Vary: Accept",
    )


@contextlib.contextmanager
def _publication(args: argparse.Namespace, settings: Settings, base_iri: str) -> Iterator[object]:
    from ..server.data import built_publication, files_publication

    if args.data:
        if args.national or args.records:
            raise LodError("give DATA, or --national / --records to build, not both", field="DATA")
        yield files_publication(args.data, base_iri)
        return
    records = options.records_dir(args.records, settings)
    sources = None
    if args.national:
        from ..sources.folder import resolve_sources

        sources = resolve_sources(args.sources or settings.sources, allow_implausible=args.allow_implausible)
    elif args.sources or args.allow_implausible:
        raise LodError("--sources and --allow-implausible are used with --national only", field="--sources")
    with built_publication(base_iri, records=records, national_sources=sources) as publication:
        yield publication


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..server import ServeOptions, serve

    for option, value in (
        ("--timeout", args.timeout),
        ("--max-rows", args.max_rows),
        ("--max-body", args.max_body),
        ("--workers", args.workers),
        ("--max-memory", args.max_memory),
    ):
        if not value or value <= 0:
            raise LodError("must be a positive number", field=option)
    serve_options = ServeOptions(
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_body=args.max_body * 1024,
        workers=args.workers,
        max_memory=args.max_memory * _MB,
        redirect=args.redirect,
        prerender=args.prerender,
    )
    base_iri = options.base_iri(args.base_iri, settings)
    with _publication(args, settings, base_iri) as publication:
        serve(publication, serve_options, host=args.host, port=args.port)  # type: ignore[arg-type]
    return 0
