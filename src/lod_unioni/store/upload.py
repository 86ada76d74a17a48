"""One upload: the dumps into a named graph of a triple store, then the store's count checked.

Methods: ``gsp`` (the Graph Store Protocol PUT, :mod:`.gsp`), ``update`` (SPARQL Update batches,
:mod:`.update`), ``auto`` (the default: GSP, and Update when the derived GSP endpoint is absent:
404, 405 or 501; said on stderr). Then ``SELECT (COUNT(*) ...) FROM <graph>`` on the query endpoint
must give the dumps' number of distinct triples; any other number is an error naming both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike

from pyoxigraph import NamedNode

from .. import progress
from ..errors import LodError
from ..httpauth import Credentials
from ..net import redact_url
from .dumps import Dump, read_dumps
from .endpoints import Endpoints, credentials_from_environment, endpoints_for, graph_node
from .gsp import ABSENT, put_graph
from .protocol import StoreError, count_triples
from .update import update_graph

__all__ = ["DEFAULT_BATCH_SIZE", "DEFAULT_TIMEOUT", "METHODS", "Upload", "default_graph", "upload"]

METHODS = ("auto", "gsp", "update")
#: Triples per update request: Virtuoso 7's SPARQL compiler gives up at about 5,000 triples.
DEFAULT_BATCH_SIZE = 2000
#: Seconds one request may take (the PUT of the whole graph included).
DEFAULT_TIMEOUT = 600.0


@dataclass(frozen=True)
class Upload:
    """What an upload did: the ``graph``, the ``method`` used, the dumps' ``triples`` (which the
    store's count matched), the ``requests`` sent, the ``seconds`` of the load (with an update, the
    final MOVE's ``switch_seconds`` included) and of the check."""

    graph: str
    method: str
    triples: int
    requests: int
    seconds: float
    check_seconds: float
    switch_seconds: float | None = None


def default_graph(dump: Dump) -> NamedNode:
    """The graph of an upload without ``--graph``: the dataset the dumps describe (``void:dataDump``),
    ``{base}dataset/unioni`` for ours; the catalog and ``void.ttl`` name the same IRI."""
    if len(dump.datasets) == 1:
        return graph_node(dump.datasets[0])
    found = "describe no dataset" if not dump.datasets else f"describe {len(dump.datasets)} datasets"
    raise LodError(f"the dumps {found} (void:dataDump): give --graph IRI", field="--graph")


def _check_options(method: str, batch_size: int, timeout: float) -> None:
    if method not in METHODS:
        raise LodError(f"unknown method {method!r}; one of {', '.join(METHODS)}", field="--method")
    if batch_size < 1:
        raise LodError("must be a positive number of triples", field="--batch-size")
    if not timeout > 0:
        raise LodError("must be a positive number of seconds", field="--timeout")


def upload(
    files: Sequence[str | PathLike[str]],
    endpoint: str,
    *,
    graph: str | None = None,
    method: str = "auto",
    gsp: str | None = None,
    update: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = DEFAULT_TIMEOUT,
) -> Upload:
    """Replace the named graph ``graph`` (default: :func:`default_graph`) of the store at the SPARQL
    endpoint ``endpoint`` with the triples of ``files``, then check the store's count. Every
    failure is a one-line :class:`~lod_unioni.errors.LodError`."""
    _check_options(method, batch_size, timeout)
    endpoints = endpoints_for(endpoint, update=update, gsp=gsp)
    node = graph_node(graph) if graph is not None else None
    credentials = credentials_from_environment()
    started = time.perf_counter()
    progress.info(f"- reading {', '.join(str(f) for f in files)} ...")
    with read_dumps(files) as dump:
        node = node or default_graph(dump)
        progress.info(
            f"  {dump.triples:,} triples in {time.perf_counter() - started:.2f} s; "
            f"into graph {node} of {redact_url(endpoint)}"
        )
        started = time.perf_counter()
        used, requests, switch = _load(dump, endpoints, node, method, credentials, timeout, batch_size)
        loaded = time.perf_counter()
        progress.info(f"  loaded in {loaded - started:.2f} s ({requests} requests); checking the count ...")
        found = count_triples(endpoints.query, node, credentials=credentials, timeout=timeout)
        if found != dump.triples:
            raise LodError(
                f"the store holds {found:,} triples in graph {node}, the dumps {dump.triples:,} "
                f"(counted at {redact_url(endpoints.query)})"
            )
        checked = time.perf_counter()
    return Upload(node.value, used, dump.triples, requests, loaded - started, checked - loaded, switch)


def _load(
    dump: Dump,
    endpoints: Endpoints,
    graph: NamedNode,
    method: str,
    credentials: Credentials | None,
    timeout: float,
    batch_size: int,
) -> tuple[str, int, float | None]:
    """Load the dumps with ``method``; (the method used, the number of requests, the seconds of an
    update's switch)."""
    if method in ("auto", "gsp"):
        progress.info(f"  PUT {redact_url(endpoints.gsp)} (Graph Store Protocol, {dump.size / 1e6:.1f} MB)")
        try:
            put_graph(dump, endpoints.gsp, graph, credentials=credentials, timeout=timeout)
            return "gsp", 2, None
        except StoreError as exc:
            if exc.status not in ABSENT:
                raise
            if method == "gsp" or endpoints.gsp_given:
                raise StoreError(
                    f"{exc.message}: no Graph Store Protocol there; give its URL with --gsp, or --method update",
                    status=exc.status,
                ) from None
            progress.warn(
                f"no Graph Store Protocol at {redact_url(endpoints.gsp)} (HTTP {exc.status}): loading with "
                f"SPARQL Update instead (give --gsp URL if the store has it elsewhere)"
            )
    progress.info(f"  SPARQL Update at {redact_url(endpoints.update)}, in batches of {batch_size:,} triples")
    requests, switch = update_graph(
        dump, endpoints.update, graph, credentials=credentials, timeout=timeout, batch_size=batch_size
    )
    return "update", requests, switch
