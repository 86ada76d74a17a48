"""DCAT-AP_IT self-description of the dumps, so that dati.gov.it (and any DCAT harvester) can list them.

The fixed texts and codes live in ``ontology/catalog/catalog.yaml``; what changes per build comes
from the caller: the base IRI, the dump files and the modification date. Typical use by the build::

    dists = [describe_file(out / name) for name in ("unioni.ttl", "unioni.jsonld", "unioni.nt")]
    triples = catalog_triples(base_iri, dists, modified=datetime.date(2026, 11, 22))
    (out / "catalog.ttl").write_bytes(catalog_turtle(triples))

The description follows the DCAT-AP_IT profile (http://dati.gov.it/onto/dcatapit#):

* ``dcatapit:Catalog``: title, description, publisher, modified, dataset (mandatory); homepage,
  language, themeTaxonomy (recommended); issued when given.
* ``dcatapit:Dataset``: identifier, title, description, modified, theme (EU data-theme), rights
  holder, accrual periodicity (EU frequency), distribution (mandatory for open data); subject,
  publisher, contact point when given (recommended); keywords, language, spatial coverage,
  conformance to the ontology, landing page (optional).
* ``dcatapit:Distribution`` per dump: format (EU file type), access URL, licence (mandatory);
  description (recommended); title, download URL, media type, byte size, SPDX SHA-256 checksum.
* ``dcatapit:Agent`` (identifier, name), ``dcatapit:LicenseDocument`` (type, name, version),
  ``dcatapit:Standard`` (identifier, title).

Nothing depends on the clock: the same arguments give the same triples in the same order.

The package: ``model`` (:class:`Agent`, :class:`Distribution`, a dump file described), ``template``
(the catalog template read and checked), ``triples`` (the description and its Turtle), ``void``
(the dumps' own description in VoID, in every dump and in ``void.ttl``: licence, version, dates,
sources, triple count, linksets to IPA and OntoPiA).
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
