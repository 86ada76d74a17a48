"""The dumps into a real triple store, with the W3C's protocols: ``lod-unioni publish --endpoint``.

::

    from lod_unioni.store import upload
    done = upload(["output/unioni.nt"], "http://127.0.0.1:7878/query")   # Oxigraph
    done.graph, done.method, done.triples

Not to be confused with :mod:`lod_unioni.publish`, which switches the files of an output folder
in one step: this package sends those files to a SPARQL 1.1 store. The named graph is replaced with
a Graph Store Protocol PUT (one request), or with SPARQL Update batches into a staging graph and one
MOVE where the store has no GSP; the store's triple count for the graph is then checked against
the dumps'. The modules: ``endpoints`` (the store's URLs, the graph's IRI, the credentials from the
environment), ``dumps`` (the dumps read into one N-Triples file), ``protocol`` (the requests, and
their failures as one-line errors), ``gsp``, ``update``, ``upload`` (the whole upload).
"""

from .endpoints import PASSWORD_ENV, USER_ENV, Endpoints, endpoints_for
from .upload import DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT, METHODS, Upload, default_graph, upload

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_TIMEOUT",
    "METHODS",
    "PASSWORD_ENV",
    "USER_ENV",
    "Endpoints",
    "Upload",
    "default_graph",
    "endpoints_for",
    "upload",
]
