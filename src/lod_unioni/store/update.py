"""SPARQL 1.1 Update in batches, for a store without the Graph Store Protocol.

1. ``DROP SILENT GRAPH <staging>``: the staging graph (:func:`~.endpoints.staging_graph`, named
   after the target) is emptied of what an interrupted upload may have left;
2. ``INSERT DATA { GRAPH <staging> { ... } }``, one request per batch of ``batch_size`` triples;
3. ``MOVE <staging> TO <graph>``: one request replaces the graph with the staging graph's content
   (SPARQL 1.1 Update, section 3.2.5) and removes the staging graph.

What is atomic: the switch (3) is one request, which a store that runs an update request as one
transaction applies all at once (Oxigraph does: one transaction per request, committed at its end);
the readers of the graph see the old content during the whole load (2) and the new one after. What
is not: the load itself (2) is many requests, so a failure or an interruption half way leaves a
partial staging graph (the graph itself untouched; the staging graph is dropped after a failure, or
by the next upload). The price: the store writes the triples twice (into the staging graph, then
the MOVE), in one large transaction at the end.

Blank nodes: a blank node label is scoped to one request, so the triples that share blank nodes (a
connected group) always go in the same batch, held aside while the other triples stream; their
batches are ``INSERT { GRAPH <staging> { ... } } WHERE {}`` (the same fresh blank nodes as INSERT
DATA; Virtuoso 7 refuses blank nodes in INSERT DATA). The store mints its own blank nodes: the
graph is the same up to their names, as with any load.

Every term is written by pyoxigraph as an N-Triples term (IRIs checked, literals escaped), which
SPARQL reads as the same term; nothing from the input is pasted in any other way.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple

from .. import progress
from ..httpauth import Credentials
from .dumps import Dump, has_blank_node
from .endpoints import staging_graph
from .protocol import StoreError, send_update

__all__ = ["batches", "insert_text", "update_graph"]

#: Seconds between two progress lines.
_EVERY = 1.0


def _blank_ids(t: Triple) -> list[str]:
    return [n.value for n in (t.subject, t.object) if isinstance(n, BlankNode)]


def _groups(triples: list[Triple]) -> Iterator[list[Triple]]:
    """``triples`` (each with a blank node) in groups connected by their blank nodes."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for t in triples:
        first, *rest = _blank_ids(t)
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[str, list[Triple]] = defaultdict(list)
    for t in triples:
        groups[find(_blank_ids(t)[0])].append(t)
    yield from groups.values()


def _packed(groups: Iterable[list[Triple]], size: int) -> Iterator[list[Triple]]:
    """Whole groups packed into batches of at most ``size`` triples (a larger group is one batch)."""
    batch: list[Triple] = []
    for group in groups:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def batches(path: Path, size: int) -> Iterator[tuple[list[Triple], bool]]:
    """The triples of the N-Triples file ``path`` in batches: ``(triples, has_blank_nodes)``. The
    triples without blank nodes stream in batches of ``size``; those with blank nodes come last,
    whole connected groups per batch."""
    plain: list[Triple] = []
    blank: list[Triple] = []
    for quad in pyoxigraph.parse(path=str(path), format=RdfFormat.N_TRIPLES):
        t = quad.triple
        if has_blank_node(t):
            blank.append(t)
            continue
        plain.append(t)
        if len(plain) >= size:
            yield plain, False
            plain = []
    if plain:
        yield plain, False
    for batch in _packed(_groups(blank), size):
        yield batch, True


def insert_text(graph: NamedNode, triples: Iterable[Triple], blank: bool) -> str:
    """The update that adds ``triples`` to ``graph`` (see the module for ``blank``)."""
    body = "\n".join(f"{t} ." for t in triples)
    if blank:
        return f"INSERT {{ GRAPH {graph} {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}"


def update_graph(
    dump: Dump,
    url: str,
    graph: NamedNode,
    *,
    credentials: Credentials | None,
    timeout: float,
    batch_size: int,
) -> tuple[int, float]:
    """Replace ``graph`` with the dumps through the SPARQL Update endpoint ``url`` (see the module);
    returns the number of requests sent and the seconds of the switch (MOVE)."""

    def send(text: str, what: str) -> None:
        send_update(url, text, what, credentials=credentials, timeout=timeout)

    staging = staging_graph(graph)
    send(f"DROP SILENT GRAPH {staging}", "the clean-up of the staging graph")
    requests, sent, shown = 1, 0, time.monotonic()
    try:
        for number, (triples, blank) in enumerate(batches(dump.path, batch_size), 1):
            send(insert_text(staging, triples, blank), f"batch {number} ({len(triples):,} triples)")
            requests += 1
            sent += len(triples)
            if time.monotonic() - shown >= _EVERY or sent >= dump.triples:
                progress.info(
                    f"  batch {number}: {sent:,} of {dump.triples:,} triples ({100 * sent // dump.triples} %)"
                )
                shown = time.monotonic()
    except StoreError as exc:
        with contextlib.suppress(StoreError):
            send(f"DROP SILENT GRAPH {staging}", "the clean-up of the staging graph")
        hint = "; a smaller --batch-size may help" if exc.status in (400, 413, 500) else ""
        raise StoreError(f"{exc.message}; graph {graph} left as it was{hint}", status=exc.status) from None
    switch = time.perf_counter()
    try:
        send(f"MOVE {staging} TO {graph}", "the switch of the graph (MOVE)")
    except StoreError as exc:
        with contextlib.suppress(StoreError):
            send(f"DROP SILENT GRAPH {staging}", "the clean-up of the staging graph")
        raise StoreError(f"{exc.message}; graph {graph} as the store left it", status=exc.status) from None
    return requests + 1, time.perf_counter() - switch
