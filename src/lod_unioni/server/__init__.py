"""``lod-unioni serve``: the publication live over HTTP.

A read-only SPARQL 1.1 endpoint (:mod:`~lod_unioni.server.sparql`) whose queries run in worker
processes that hold the data and are killed at the timeout (:mod:`~lod_unioni.server.pool`,
:mod:`~lod_unioni.server.forkserver`, :mod:`~lod_unioni.server.worker`), the query page, every
resource at the path of its IRI, ``/health``; Starlette on uvicorn (:mod:`~lod_unioni.server.app`,
:mod:`~lod_unioni.server.run`). What is served: :mod:`~lod_unioni.server.data`.

    from lod_unioni.server import ServeOptions, files_publication, serve
    serve(files_publication(["output/"], "https://w3id.org/lod-unioni/data/"), ServeOptions(timeout=10))
"""

from .app import ServeOptions, create_app
from .data import Publication, built_publication, files_publication
from .run import serve

__all__ = ["Publication", "ServeOptions", "built_publication", "create_app", "files_publication", "serve"]
