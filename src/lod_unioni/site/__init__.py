"""``lod-unioni site``: the dumps as a complete static publication, which any web server or
Pages host can serve.

::

    from lod_unioni.site import make_site
    result = make_site("output", "site")          # a build's output folder -> site/

What it writes (``docs/publishing.md`` says how to serve it), for the default base IRI
``https://w3id.org/lod-unioni/data/`` whose site IRI is ``https://w3id.org/lod-unioni/``:

- every resource of the dumps, the ontology and the vocabularies at the path its IRI names:
  ``data/union/udm_069.html`` (its page, :class:`lod_unioni.web.Renderer`) and ``.ttl``,
  ``.jsonld``, ``.nt``; ``…/page-2.html`` for its further inverse links; ``onto.html`` /
  ``onto.ttl`` the whole ontology, ``vocab/services.html`` / ``.ttl`` a whole vocabulary,
  ``data/catalog.ttl`` the whole catalog;
- the dumps (``data/unioni.ttl``... and ``.gz``), ``context.jsonld``, ``void.ttl``, ``iris.csv``
  and ``versions/{version}/`` beside them, where their IRIs say;
- the home page, the unions by region, by province and by service, the search (``cerca.html``,
  ``search.json``, ``assets/search.js``), the bundled queries (``query.html``, ``queries/*.rq``),
  ``404.html``, ``sitemap.xml``, ``robots.txt``;
- ``.htaccess`` (Apache) and ``hosting/nginx.conf``: 303 from a resource IRI to the document the
  Accept header prefers; ``hosting/w3id.org-lod-unioni.htaccess``: the redirect to propose to
  w3id.org (module :mod:`lod_unioni.site.hosting`).

The whole folder is published in one atomic step (:mod:`lod_unioni.publish.tree`).
"""

from __future__ import annotations

from ..config import Publisher, Settings, require_publisher
from .make import DEFAULT_SITE_URL, SiteResult, base_iri_of, check_dumps, make_site, site_url_for
from .names import place_names

__all__ = [
    "DEFAULT_SITE_URL",
    "SiteResult",
    "base_iri_of",
    "check_dumps",
    "check_settings",
    "make_site",
    "place_names",
    "site_url_for",
]


def check_settings(settings: Settings) -> Publisher:
    """What ``lod-unioni site`` requires of the settings, checked before any work: the publisher of
    the data (:func:`lod_unioni.config.require_publisher`), named in the catalog and the dumps."""
    return require_publisher(settings, command="site")
