"""``lod-unioni publish --endpoint URL``: the dumps into a named graph of a SPARQL 1.1 triple store."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import EXIT_OK
from . import options

NAME = "publish"
HELP = "load the dumps into a SPARQL 1.1 triple store (Graph Store Protocol or SPARQL Update), then check it"
DESCRIPTION = """\
Load the dumps into a named graph of a SPARQL 1.1 triple store (Oxigraph, Virtuoso, Fuseki, GraphDB,
QLever...), replacing what the graph held, then check that the store counts as many triples in the
graph as the dumps have.

  lod-unioni publish --endpoint http://127.0.0.1:7878/query                  # oxigraph serve
  lod-unioni publish --endpoint http://127.0.0.1:8890/sparql-auth            # Virtuoso
  lod-unioni publish --endpoint http://127.0.0.1:3030/unioni                 # Fuseki (dataset URL)
  lod-unioni publish --endpoint URL --data output/national/unioni.nt --graph https://example.org/g

--endpoint is the store's SPARQL query endpoint. Its Graph Store Protocol endpoint (--gsp) and its
SPARQL Update endpoint (--update) are derived from it when not given: .../query -> .../store and
.../update (Oxigraph); .../sparql and .../sparql-auth -> .../sparql-graph-crud(-auth) (Virtuoso);
.../repositories/ID -> .../rdf-graphs/service and .../statements (GraphDB, RDF4J); otherwise the
endpoint itself (Fuseki's dataset URL).

Methods (--method):
  gsp     one Graph Store Protocol PUT of the graph (N-Triples), blank nodes kept. One request;
          whether a query can catch the graph half-way is the store's business (Oxigraph 0.5 clears
          the graph, then loads it, in two transactions).
  update  SPARQL Update: INSERT DATA batches of --batch-size triples into a staging graph, then one
          MOVE onto the graph. The switch is one request (atomic where the store runs a request as
          one transaction, as Oxigraph does); the load is not: a failure half way leaves the graph
          as it was and drops the staging graph. Triples sharing blank nodes go in one batch.
  auto    (default) gsp; when the derived GSP endpoint does not exist (HTTP 404, 405, 501), update,
          said on stderr.

The graph (--graph) is by default the dataset the dumps describe (void:dataDump), the IRI the
catalog and void.ttl give the dataset: {base}dataset/unioni.

Credentials come only from the environment: LOD_UNIONI_ENDPOINT_USER and
LOD_UNIONI_ENDPOINT_PASSWORD, sent only when the store asks (HTTP 401), with Digest when it offers
it, else Basic, and only to the origin that asked. A URL with user:password@ in it is refused.
Exit codes: 0 loaded and checked, 2 bad usage, unreadable dumps, a store that refuses or fails, or
a count that differs from the dumps'."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..store import DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT, METHODS

    parser.add_argument("--endpoint", metavar="URL", required=True, help="the store's SPARQL 1.1 query endpoint")
    parser.add_argument(
        "--graph", metavar="IRI", help="the named graph to replace (default: the dataset the dumps describe)"
    )
    parser.add_argument(
        "--data",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="the dumps to load (.nt streams fastest; .ttl, .jsonld too; repeatable); default OUT/unioni.nt",
    )
    options.add_out(parser, "output folder whose unioni.nt is loaded (default: the out setting, output/)")
    parser.add_argument("--method", choices=METHODS, default="auto", help="how to load (default: auto)")
    parser.add_argument("--gsp", metavar="URL", help="the store's Graph Store Protocol endpoint (default: derived)")
    parser.add_argument("--update", metavar="URL", help="the store's SPARQL Update endpoint (default: derived)")
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        metavar="N",
        help=f"triples per SPARQL Update request (default: {DEFAULT_BATCH_SIZE:,})",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"seconds one request may take, the whole PUT included (default: {DEFAULT_TIMEOUT:g})",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..config import require_publisher
    from ..store import upload

    require_publisher(settings, command="publish")  # who publishes, before anything is sent
    files = args.data or [str(Path(args.out or settings.out) / "unioni.nt")]
    done = upload(
        files,
        args.endpoint,
        graph=args.graph,
        method=args.method,
        gsp=args.gsp,
        update=args.update,
        batch_size=args.batch_size,
        timeout=args.timeout,
    )
    way = "Graph Store Protocol PUT" if done.method == "gsp" else f"SPARQL Update ({done.requests} requests)"
    progress.info(
        f"published {done.triples:,} triples into graph <{done.graph}> with {way} in {done.seconds:.2f} s; "
        f"the store counts {done.triples:,} (checked in {done.check_seconds:.2f} s)"
    )
    return EXIT_OK
