"""Where a triple store takes queries, updates and graphs, the graph's IRI, and the credentials.

A store is named by its SPARQL 1.1 query endpoint (``--endpoint``). Its SPARQL Update endpoint and
its Graph Store Protocol (GSP) endpoint are given (``--update``, ``--gsp``) or derived from the
last segment of the endpoint's path (:data:`DERIVED`), its query string kept:

=============================  ========================  ==================================  ===========
endpoint path ends with        update                    GSP                                 store
=============================  ========================  ==================================  ===========
``/query``                     ``/update``               ``/store``                          Oxigraph
``/sparql``                    the endpoint              ``/sparql-graph-crud``              Virtuoso
``/sparql-auth``               the endpoint              ``/sparql-graph-crud-auth``         Virtuoso
``/repositories/{id}``         ``.../statements``        ``.../rdf-graphs/service``          GraphDB, RDF4J
anything else                  the endpoint              the endpoint                        Fuseki's dataset URL
=============================  ========================  ==================================  ===========

A derived GSP endpoint may not exist: then (method ``auto``) the upload falls back to SPARQL
Update. Credentials come from the environment only (:data:`USER_ENV`, :data:`PASSWORD_ENV`); a URL
with a user name or password in it is refused, and the refusal never repeats it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import NamedNode

from ..errors import LodError
from ..httpauth import Credentials
from ..net import redact_url

__all__ = [
    "PASSWORD_ENV",
    "USER_ENV",
    "Endpoints",
    "check_url",
    "credentials_from_environment",
    "endpoints_for",
    "graph_node",
    "staging_graph",
]

#: The environment variables of the store's credentials (HTTP Basic or Digest, as the store asks).
USER_ENV = "LOD_UNIONI_ENDPOINT_USER"
PASSWORD_ENV = "LOD_UNIONI_ENDPOINT_PASSWORD"

#: The last segment of an endpoint's path -> (update segment, GSP segment); None: the endpoint itself.
DERIVED: dict[str, tuple[str | None, str | None]] = {
    "query": ("update", "store"),
    "sparql": (None, "sparql-graph-crud"),
    "sparql-auth": (None, "sparql-graph-crud-auth"),
}


@dataclass(frozen=True)
class Endpoints:
    """The URLs of one store: ``query`` (the count check), ``update`` (SPARQL Update), ``gsp``
    (Graph Store Protocol); ``gsp_given``: the GSP URL was given, not derived."""

    query: str
    update: str
    gsp: str
    gsp_given: bool = False


def check_url(url: str, option: str) -> str:
    """An http(s) URL with a host and no credentials in it (the error never repeats them)."""
    try:
        parts = urlsplit(url)
        has_userinfo = "@" in parts.netloc
        parts.port  # noqa: B018 - a port out of range raises here
    except ValueError:
        raise LodError("not a valid http(s) URL", field=option) from None
    if has_userinfo:
        raise LodError(f"do not put credentials in the URL; set {USER_ENV} and {PASSWORD_ENV} instead", field=option)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LodError(f"{redact_url(url)!r} is not an http(s) URL", field=option)
    return url


def _replace_segment(url: str, segment: str) -> str:
    parts = urlsplit(url)
    head, _, _ = parts.path.rstrip("/").rpartition("/")
    return urlunsplit(parts._replace(path=f"{head}/{segment}", fragment=""))


def _append(url: str, segment: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/" + segment, fragment=""))


def endpoints_for(endpoint: str, *, update: str | None = None, gsp: str | None = None) -> Endpoints:
    """The store's endpoints: ``update`` and ``gsp`` when given, else derived (see the module)."""
    check_url(endpoint, "--endpoint")
    for url, option in ((update, "--update"), (gsp, "--gsp")):
        if url is not None:
            check_url(url, option)
    segments = urlsplit(endpoint).path.rstrip("/").split("/")
    derived_update, derived_gsp = endpoint, endpoint
    if len(segments) >= 2 and segments[-2] == "repositories" and segments[-1]:
        derived_update, derived_gsp = _append(endpoint, "statements"), _append(endpoint, "rdf-graphs/service")
    elif segments[-1] in DERIVED:
        up, store = DERIVED[segments[-1]]
        derived_update = _replace_segment(endpoint, up) if up else endpoint
        derived_gsp = _replace_segment(endpoint, store) if store else endpoint
    return Endpoints(
        query=endpoint,
        update=update or derived_update,
        gsp=gsp or derived_gsp,
        gsp_given=gsp is not None,
    )


def graph_node(iri: str, option: str = "--graph") -> NamedNode:
    """The graph's IRI as an RDF term: an absolute IRI (checked by pyoxigraph), never pasted raw."""
    try:
        node = NamedNode(iri)
    except ValueError as exc:
        raise LodError(f"{iri!r} is not an absolute IRI ({exc})", field=option) from None
    if "@" in urlsplit(iri).netloc:
        raise LodError("a graph IRI must not have a user name or password", field=option)
    return node


def staging_graph(graph: NamedNode) -> NamedNode:
    """The graph an update loads into before its one-step switch: named after ``graph``, so that
    the leftover of an interrupted upload is dropped by the next one."""
    return NamedNode("urn:lod-unioni:staging:" + hashlib.sha256(graph.value.encode()).hexdigest()[:32])


def credentials_from_environment() -> Credentials | None:
    """The store's credentials from :data:`USER_ENV` and :data:`PASSWORD_ENV`; None when unset."""
    user = os.environ.get(USER_ENV)
    password = os.environ.get(PASSWORD_ENV)
    if not user:
        if password:
            raise LodError(f"{PASSWORD_ENV} is set but {USER_ENV} is not")
        return None
    if password is None:
        raise LodError(f"{USER_ENV} is set but {PASSWORD_ENV} is not")
    return Credentials(user, password)
