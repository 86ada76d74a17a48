"""The DCAT-AP_IT description of the dumps as triples, and its Turtle."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from ..config import check_base_iri
from ..errors import LodError
from ..graph import to_bytes
from ..vocab import (
    DCAT,
    DCATAPIT,
    DCTERMS,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    EU_LANGUAGE,
    FOAF,
    IANA_MEDIA_TYPES,
    OWL,
    RDF,
    RDFS,
    SPDX,
    VCARD,
    XSD,
)
from .model import Agent, Distribution
from .template import HTTP_IRI, IDENTIFIER, check_template, load_template

__all__ = ["PREFIXES", "catalog_triples", "catalog_turtle"]

DCT = DCTERMS


#: Prefixes for :func:`catalog_turtle` (and for anyone serializing the catalog triples).
PREFIXES = {
    "dcatapit": DCATAPIT,
    "dcat": DCAT,
    "dct": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "theme": EU_DATA_THEME,
    "freq": EU_FREQUENCY,
    "filetype": EU_FILE_TYPE,
    "lang": EU_LANGUAGE,
}

_FILE_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_SHA256 = re.compile(r"\A[0-9a-fA-F]{64}\Z")
_EMAIL = re.compile(r"\A[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+\Z")


def catalog_triples(
    base_iri: str,
    distributions: Iterable[Distribution | Sequence[Any]],
    *,
    modified: _dt.date | str,
    publisher: Agent | Mapping[str, str] | None = None,
    rights_holder: Agent | Mapping[str, str] | None = None,
    dataset_identifier: str | None = None,
    download_base: str | None = None,
    contact_email: str | None = None,
    issued: _dt.date | str | None = None,
    version: str | None = None,
    template: Mapping[str, Any] | str | Path | None = None,
) -> list[Triple]:
    """The DCAT-AP_IT description of the dataset and its dump files, as pyoxigraph triples.

    ``distributions``: ``Distribution`` objects or ``(file name, format key, byte size, sha256)``
    tuples, one per dump file. ``modified``: the date of the data (a ``datetime.date`` or
    ``YYYY-MM-DD``), passed by the caller so that rebuilds are byte-identical. ``publisher`` and
    ``rights_holder`` default to the template's publisher (the rights holder defaults to the
    publisher). Download URLs are ``{download_base}{file name}`` with ``download_base`` defaulting
    to ``base_iri``. ``contact_email`` adds the recommended ``dcat:contactPoint``. ``issued`` (the
    first date of the data) is the catalog's and the dataset's ``dct:issued``; ``version`` (e.g. the
    date of the data) the dataset's ``owl:versionInfo`` (DCAT-AP_IT) and ``dcat:version`` (DCAT 3).
    ``template`` is
    the parsed catalog YAML or its path (default: the bundled one).

    Raises :class:`LodError` (naming the argument in ``field``) on bad input.
    """
    base = check_base_iri(base_iri)
    tpl = template if isinstance(template, Mapping) else load_template(template)
    if isinstance(template, Mapping):
        check_template(tpl, "catalog template")
    dl_base = check_base_iri(download_base) if download_base is not None else base
    modified_date = _date(modified, "modified")
    issued_date = _date(issued, "issued") if issued is not None else None
    dists = _distributions(distributions, tpl)
    pub = _agent(publisher, "publisher", tpl, base)
    holder = _agent(rights_holder, "rights_holder", tpl, base) if rights_holder is not None else pub
    ds_id = (
        dataset_identifier
        if dataset_identifier is not None
        else f"{pub.identifier}:{tpl['dataset']['identifier_suffix']}"
    )
    if not isinstance(ds_id, str) or not ds_id.strip() or any(c.isspace() for c in ds_id):
        raise LodError("must be a non-empty identifier without spaces", field="dataset_identifier")
    if contact_email is not None and (not isinstance(contact_email, str) or not _EMAIL.match(contact_email)):
        raise LodError(f"{contact_email!r} is not an e-mail address", field="contact_email")
    c = _Catalog(
        tpl=tpl,
        base=base,
        download_base=dl_base,
        catalog=NamedNode(base + tpl["catalog"]["path"]),
        dataset=NamedNode(base + tpl["dataset"]["path"]),
        modified=Literal(modified_date.isoformat(), datatype=NamedNode(XSD + "date")),
        issued=None if issued_date is None else Literal(issued_date.isoformat(), datatype=NamedNode(XSD + "date")),
        publisher=pub,
        rights_holder=holder,
        dataset_identifier=ds_id,
        contact_email=contact_email,
        version=_version(version),
    )
    out = _Triples()
    _catalog(out, c)
    dist_nodes = _dataset(out, c, dists)
    for node, d in dist_nodes:
        _distribution(out, c, node, d)
    _agents_licence_standard(out, c)
    return out.triples


@dataclass(frozen=True)
class _Party:
    """A checked :class:`Agent`: its IRI is known."""

    identifier: str
    name: str
    iri: str

    @property
    def node(self) -> NamedNode:
        return NamedNode(self.iri)


@dataclass(frozen=True)
class _Catalog:
    """The checked arguments of :func:`catalog_triples` and the nodes they give."""

    tpl: Mapping[str, Any]  # the catalog template (YAML)
    base: str
    download_base: str
    catalog: NamedNode
    dataset: NamedNode
    modified: Literal
    issued: Literal | None
    publisher: _Party
    rights_holder: _Party
    dataset_identifier: str
    contact_email: str | None
    version: str | None = None

    @property
    def license(self) -> NamedNode:
        return NamedNode(self.tpl["license"]["iri"])

    @property
    def standard(self) -> NamedNode:
        return NamedNode(self.tpl["dataset"]["conforms_to"]["iri"])


def _catalog(out: _Triples, c: _Catalog) -> None:
    cat_t = c.tpl["catalog"]
    catalog = c.catalog
    out.types(catalog, DCATAPIT + "Catalog", DCAT + "Catalog")
    out.texts(catalog, DCT + "title", cat_t["title"])
    out.texts(catalog, DCT + "description", cat_t["description"])
    out.add(catalog, DCT + "publisher", c.publisher.node)
    out.add(catalog, DCT + "modified", c.modified)
    if c.issued is not None:
        out.add(catalog, DCT + "issued", c.issued)
    for code in cat_t["languages"]:
        out.add(catalog, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(catalog, FOAF + "homepage", NamedNode(cat_t["homepage"]))
    out.add(catalog, DCAT + "themeTaxonomy", NamedNode(cat_t["theme_taxonomy"]))
    out.add(catalog, DCAT + "dataset", c.dataset)


def _dataset(out: _Triples, c: _Catalog, dists: list[Distribution]) -> list[tuple[NamedNode, Distribution]]:
    """The dataset, its contact point; returns the node of each distribution."""
    ds_t = c.tpl["dataset"]
    dataset = c.dataset
    out.types(dataset, DCATAPIT + "Dataset", DCAT + "Dataset")
    out.add(dataset, DCT + "identifier", Literal(c.dataset_identifier))
    out.texts(dataset, DCT + "title", ds_t["title"])
    out.texts(dataset, DCT + "description", ds_t["description"])
    for code in ds_t["themes"]:
        out.add(dataset, DCAT + "theme", NamedNode(EU_DATA_THEME + code))
    for iri in ds_t["subjects"]:
        out.add(dataset, DCT + "subject", NamedNode(iri))
    for lang in sorted(ds_t["keywords"]):
        for word in ds_t["keywords"][lang]:
            out.add(dataset, DCAT + "keyword", Literal(word, language=lang))
    out.add(dataset, DCT + "publisher", c.publisher.node)
    out.add(dataset, DCT + "rightsHolder", c.rights_holder.node)
    out.add(dataset, DCT + "modified", c.modified)
    if c.issued is not None:
        out.add(dataset, DCT + "issued", c.issued)
    if c.version is not None:
        out.add(dataset, OWL + "versionInfo", Literal(c.version))
        out.add(dataset, DCAT + "version", Literal(c.version))
    out.add(dataset, DCT + "accrualPeriodicity", NamedNode(EU_FREQUENCY + ds_t["frequency"]))
    for code in ds_t["languages"]:
        out.add(dataset, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(dataset, DCT + "spatial", NamedNode(ds_t["spatial"]))
    out.add(dataset, DCT + "conformsTo", c.standard)
    out.add(dataset, DCAT + "landingPage", NamedNode(c.tpl["catalog"]["homepage"]))
    if c.contact_email is not None:
        contact = NamedNode(c.base + ds_t["path"] + "/contact-point")
        out.add(dataset, DCAT + "contactPoint", contact)
        out.types(contact, DCATAPIT + "Organization", VCARD + "Organization", VCARD + "Kind")
        out.add(contact, VCARD + "fn", Literal(c.publisher.name, language="it"))
        out.add(contact, VCARD + "hasEmail", NamedNode("mailto:" + c.contact_email))
    dist_nodes = []
    for d in dists:
        node = NamedNode(f"{c.base}{ds_t['path']}/distribution/{d.file_name}")
        dist_nodes.append((node, d))
        out.add(dataset, DCAT + "distribution", node)
    return dist_nodes


def _distribution(out: _Triples, c: _Catalog, node: NamedNode, d: Distribution) -> None:
    f = c.tpl["formats"][d.format]
    url = NamedNode(c.download_base + d.file_name)
    out.types(node, DCATAPIT + "Distribution", DCAT + "Distribution")
    out.add(node, DCT + "format", NamedNode(EU_FILE_TYPE + f["file_type"]))
    out.add(node, DCAT + "mediaType", NamedNode(IANA_MEDIA_TYPES + f["media_type"]))
    out.add(node, DCAT + "accessURL", url)
    out.add(node, DCAT + "downloadURL", url)
    out.add(node, DCT + "license", c.license)
    out.texts(node, DCT + "title", f["title"])
    out.texts(node, DCT + "description", f["description"])
    out.add(node, DCAT + "byteSize", Literal(str(d.byte_size), datatype=NamedNode(XSD + "decimal")))
    checksum = NamedNode(node.value + "/checksum")
    out.add(node, SPDX + "checksum", checksum)
    out.types(checksum, SPDX + "Checksum")
    out.add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
    out.add(checksum, SPDX + "checksumValue", Literal(d.sha256.lower(), datatype=NamedNode(XSD + "hexBinary")))


def _agents_licence_standard(out: _Triples, c: _Catalog) -> None:
    for agent in (c.publisher, c.rights_holder):
        node = agent.node
        out.types(node, DCATAPIT + "Agent", FOAF + "Agent")
        out.add(node, DCT + "identifier", Literal(agent.identifier))
        out.add(node, FOAF + "name", Literal(agent.name, language="it"))
    lic_t = c.tpl["license"]
    license_doc = c.license
    out.types(license_doc, DCATAPIT + "LicenseDocument", DCT + "LicenseDocument")
    out.add(license_doc, DCT + "type", NamedNode(lic_t["type"]))
    out.texts(license_doc, FOAF + "name", lic_t["name"])
    out.add(license_doc, OWL + "versionInfo", Literal(str(lic_t["version"])))
    if lic_t.get("see_also"):
        out.add(license_doc, RDFS + "seeAlso", NamedNode(lic_t["see_also"]))
    std = c.tpl["dataset"]["conforms_to"]
    standard = c.standard
    out.types(standard, DCATAPIT + "Standard", DCT + "Standard")
    out.add(standard, DCT + "identifier", Literal(std["identifier"]))
    out.texts(standard, DCT + "title", std["title"])


def catalog_turtle(triples: Iterable[Triple]) -> bytes:
    """Deterministic Turtle for catalog triples: sorted, with :data:`PREFIXES`."""
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return to_bytes(ordered, RdfFormat.TURTLE, PREFIXES)


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _Triples:
    """An ordered set of triples."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self._seen: set[Triple] = set()

    def add(self, s: NamedNode, p: str, o: NamedNode | Literal) -> None:
        t = Triple(s, NamedNode(p), o)
        if t not in self._seen:
            self._seen.add(t)
            self.triples.append(t)

    def types(self, s: NamedNode, *classes: str) -> None:
        for c in classes:
            self.add(s, RDF + "type", NamedNode(c))

    def texts(self, s: NamedNode, p: str, by_language: Mapping[str, str]) -> None:
        for lang in sorted(by_language):
            self.add(s, p, Literal(" ".join(str(by_language[lang]).split()), language=lang))


def _date(value: Any, field: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise LodError(f"{value!r} is not a date (YYYY-MM-DD)", field=field)


def _version(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
        raise LodError(f"{value!r} is not a version (a non-empty text without spaces)", field="version")
    return value


def _distributions(items: Iterable[Any], tpl: Mapping[str, Any]) -> list[Distribution]:
    result: list[Distribution] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"distributions[{i}]"
        if isinstance(item, Distribution):
            d = item
        else:
            try:
                name, fmt, size, sha = item
            except (TypeError, ValueError):
                raise LodError("expected (file name, format key, byte size, sha256)", field=where) from None
            d = Distribution(name, fmt, size, sha)
        if not isinstance(d.file_name, str) or not _FILE_NAME.match(d.file_name):
            raise LodError(f"{d.file_name!r} is not a plain file name", field=where + ".file_name")
        if d.file_name in seen:
            raise LodError(f"file {d.file_name!r} listed twice", field=where + ".file_name")
        seen.add(d.file_name)
        if d.format not in tpl["formats"]:
            raise LodError(
                f"unknown format {d.format!r}; known: {', '.join(sorted(tpl['formats']))}", field=where + ".format"
            )
        if isinstance(d.byte_size, bool) or not isinstance(d.byte_size, int) or d.byte_size < 0:
            raise LodError(f"{d.byte_size!r} is not a byte size", field=where + ".byte_size")
        if not isinstance(d.sha256, str) or not _SHA256.match(d.sha256):
            raise LodError("not a SHA-256 (64 hexadecimal digits)", field=where + ".sha256")
        result.append(d)
    if not result:
        raise LodError(
            "at least one dump file is needed (DCAT-AP_IT: open data has a distribution)", field="distributions"
        )
    return result


def _agent(value: Agent | Mapping[str, str] | None, field: str, tpl: Mapping[str, Any], base: str) -> _Party:
    if value is None:
        value = tpl["publisher"]
    if isinstance(value, Mapping):
        unknown = set(value) - {"identifier", "name", "iri"}
        if unknown:
            raise LodError(f"unknown key(s) {', '.join(sorted(unknown))}", field=field)
        identifier, name, iri = value.get("identifier"), value.get("name"), value.get("iri")
    elif isinstance(value, Agent):
        identifier, name, iri = value.identifier, value.name, value.iri
    else:
        raise LodError("expected an Agent or a mapping with identifier and name", field=field)
    if not isinstance(identifier, str) or not IDENTIFIER.match(identifier):
        raise LodError(f"{identifier!r} is not an identifier (e.g. an IPA code)", field=field + ".identifier")
    if not isinstance(name, str) or not name.strip():
        raise LodError("a name is required", field=field + ".name")
    if iri is None:
        iri = f"{base}agent/{identifier}"
    elif not isinstance(iri, str) or not HTTP_IRI.match(iri):
        raise LodError(f"{iri!r} is not an absolute http(s) IRI", field=field + ".iri")
    return _Party(identifier, " ".join(name.split()), iri)
