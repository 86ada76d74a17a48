"""The SPARQL 1.1 Graph Store HTTP Protocol: the graph replaced by one ``PUT`` of the dumps.

``PUT {gsp}?graph={IRI}`` (indirect graph identification, GSP section 4.2) with the N-Triples body
(``application/n-triples``) replaces the graph in one request. Whether a reader can catch the graph
half-way is the store's business: Oxigraph 0.5 clears the graph, then loads the body, in two
transactions (a query in between sees the graph empty; ``.update`` switches in one). Blank nodes
travel in the body and stay what they are.

Before the body is sent, a ``HEAD`` of the same URL meets the store's authentication: a store that
asks for credentials answers it with its challenge (401), which the credentials answer on the PUT,
so that the dumps are sent once, and a missing or wrong password is reported before they are.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pyoxigraph import NamedNode

from ..httpauth import Credentials
from .dumps import Dump
from .protocol import StoreError, exchange, request

__all__ = ["ABSENT", "graph_url", "put_graph"]

#: The answers of a URL that has no Graph Store Protocol (not found, method not allowed, not implemented).
ABSENT = (404, 405, 501)


def graph_url(gsp: str, graph: NamedNode) -> str:
    """The GSP URL of ``graph``: ``gsp`` with ``graph={IRI}`` added to its query."""
    parts = urlsplit(gsp)
    query = parse_qsl(parts.query, keep_blank_values=True) + [("graph", graph.value)]
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def _probe(url: str, credentials: Credentials | None, timeout: float) -> None:
    """Meet the store's authentication with a ``HEAD`` (see the module). Any answer but 401 is fine:
    a 404 says only that the graph does not exist yet."""
    try:
        exchange(request(url, "HEAD"), "a HEAD of the graph", credentials=credentials, timeout=timeout)
    except StoreError as exc:
        if exc.status is None or exc.status == 401:
            raise


def put_graph(dump: Dump, gsp: str, graph: NamedNode, *, credentials: Credentials | None, timeout: float) -> int:
    """Replace ``graph`` with the dumps at the GSP endpoint ``gsp``; the answer's status."""
    url = graph_url(gsp, graph)
    _probe(url, credentials, timeout)
    with dump.path.open("rb") as body:
        req = request(url, "PUT", {"Content-Type": "application/n-triples"}, body=body, size=dump.size)
        return exchange(req, "the PUT of the graph", credentials=credentials, timeout=timeout).status
