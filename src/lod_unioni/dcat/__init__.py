"""DCAT-AP_IT self-description of the dumps, so that dati.gov.it (and any DCAT harvester) can list them.

The fixed texts, codes and labels live in ``ontology/catalog/catalog.yaml``; what changes per build
comes from the caller: the base IRI, the publisher (:class:`lod_unioni.config.Publisher`, the
``[publisher]`` settings), the dump files, the versions kept and the dates of the data. Typical
use by the build::

    dists = [describe_file(out / name) for name in DUMP_FILES]
    triples = catalog_triples(base_iri, dists, modified=datetime.date(2026, 12, 1), publisher=publisher,
                              versions=describe_versions(out, "versions", DUMP_FILES))
    (out / "catalog.ttl").write_bytes(catalog_turtle(triples))

The description follows the DCAT-AP_IT profile (http://dati.gov.it/onto/dcatapit#) and conforms
to the DCAT-AP 3.0.1 shapes but for the exceptions listed in ``ontology/catalog/README.md``:

* ``dcatapit:Catalog``: title, description, publisher, modified, dataset (mandatory); homepage,
  language, themeTaxonomy, issued (recommended); licence, spatial coverage.
* ``dcatapit:Dataset``: identifier (``{codice IPA}:{id}``), title, description, modified, theme
  (EU data-theme), rights holder, accrual periodicity (EU frequency), distribution (mandatory for
  open data); sub-themes (``dct:subject``: EuroVoc, from AgID's theme-subtheme mapping),
  publisher, contact point (a ``dcatapit:Organization``) (recommended); keywords, language,
  spatial coverage (a ``dct:Location``), conformance to the ontology, landing page, issued,
  version (optional).
* ``dcatapit:Distribution`` per dump and per copy of a version kept: format (EU file type), access
  URL, licence (mandatory); description (recommended); title, download URL, media type, byte size
  (``xsd:nonNegativeInteger``), SPDX SHA-256 checksum, DCAT-AP availability.
* ``dcatapit:Agent`` (identifier: the codice IPA, name), ``dcatapit:LicenseDocument`` (type, name,
  version), ``dcatapit:Standard`` (identifier, title); every controlled value typed and labelled
  (:mod:`.concepts`).

Nothing depends on the clock: the same arguments give the same triples in the same order.

The package: ``model`` (:class:`Agent`, :class:`Distribution`, :class:`Version`, a dump file and
the versions kept described), ``template`` (the catalog template read and checked), ``triples``
(the description and its Turtle), ``concepts`` (the controlled values, typed and labelled),
``void`` (the dumps' own description in VoID, in every dump and in ``void.ttl``: licence,
publisher, version, dates, sources, triple count, linksets to IPA and OntoPiA).
"""

from .model import (
    DUMP_FILES,
    EXTENSION_FORMATS,
    Agent,
    Distribution,
    Version,
    describe_file,
    describe_versions,
    format_for_file,
)
from .template import TEMPLATE_FILE, load_template, template_path
from .triples import PREFIXES, agent_iri, catalog_for_dumps, catalog_triples, catalog_turtle

__all__ = [
    "DUMP_FILES",
    "EXTENSION_FORMATS",
    "PREFIXES",
    "TEMPLATE_FILE",
    "Agent",
    "Distribution",
    "Version",
    "agent_iri",
    "catalog_for_dumps",
    "catalog_triples",
    "catalog_turtle",
    "describe_file",
    "describe_versions",
    "format_for_file",
    "load_template",
    "template_path",
]
