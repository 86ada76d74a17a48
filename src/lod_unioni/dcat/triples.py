"""The DCAT-AP_IT description of the dumps as triples, and its Turtle."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from ..config import EXAMPLE_PUBLISHER, Publisher, check_base_iri, check_publisher
from ..errors import LodError
from ..graph import to_bytes
from ..vocab import (
    DCAT,
    DCATAP,
    DCATAPIT,
    DCTERMS,
    EU_COUNTRY,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_FREQUENCY,
    EU_LANGUAGE,
    EU_PLANNED_AVAILABILITY,
    EUROVOC,
    FOAF,
    IANA_MEDIA_TYPES,
    OWL,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    XSD,
)
from .concepts import CHECKSUM_ALGORITHM, describe_values
from .model import DUMP_FILES, Agent, Distribution, Version, format_for_file
from .template import BASE_PLACEHOLDER, HTTP_IRI, IDENTIFIER, check_template, load_template

__all__ = ["PREFIXES", "agent_iri", "catalog_for_dumps", "catalog_triples", "catalog_turtle"]

DCT = DCTERMS


#: Prefixes for :func:`catalog_turtle` (and for anyone serializing the catalog triples).
PREFIXES = {
    "dcatapit": DCATAPIT,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCT,
    "foaf": FOAF,
    "vcard": VCARD,
    "spdx": SPDX,
    "skos": SKOS,
    "owl": OWL,
    "rdfs": RDFS,
    "xsd": XSD,
    "theme": EU_DATA_THEME,
    "freq": EU_FREQUENCY,
    "filetype": EU_FILE_TYPE,
    "lang": EU_LANGUAGE,
    "country": EU_COUNTRY,
    "availability": EU_PLANNED_AVAILABILITY,
    "eurovoc": EUROVOC,
}

_FILE_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_FOLDER = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*\Z")
_SHA256 = re.compile(r"\A[0-9a-fA-F]{64}\Z")


def agent_iri(base_iri: str, publisher: Publisher) -> str:
    """The IRI of the publisher's agent: its ``iri``, else ``{base}agent/{codice IPA in lower case}``
    (our IRIs keep IPA codes in lower case; ``dct:identifier`` keeps IPA's spelling)."""
    return publisher.iri or f"{check_base_iri(base_iri)}agent/{publisher.ipa.lower()}"


def catalog_triples(
    base_iri: str,
    distributions: Iterable[Distribution | Sequence[Any]],
    *,
    modified: _dt.date | str,
    publisher: Publisher | None = None,
    rights_holder: Agent | Mapping[str, str] | None = None,
    dataset_identifier: str | None = None,
    download_base: str | None = None,
    issued: _dt.date | str | None = None,
    version: str | None = None,
    versions: Iterable[Version] = (),
    template: Mapping[str, Any] | str | Path | None = None,
) -> list[Triple]:
    """The DCAT-AP_IT description of the dataset and its dump files, as pyoxigraph triples.

    ``distributions``: ``Distribution`` objects or ``(file name, format key, byte size, sha256)``
    tuples, one per dump file. ``modified``: the date of the data (a ``datetime.date`` or
    ``YYYY-MM-DD``), passed by the caller so that rebuilds are byte-identical; ``issued`` (default
    ``modified``): the first date of the data; both are the catalog's and the dataset's.
    ``publisher``: a :class:`~lod_unioni.config.Publisher` (the ``[publisher]`` settings; default
    :data:`~lod_unioni.config.EXAMPLE_PUBLISHER`, and the catalog then says it is an example); it
    is the rights holder too unless ``rights_holder`` is given. ``dataset_identifier`` defaults to
    ``{codice IPA}:{dataset.identifier_suffix}``. Download URLs are ``{download_base}{file name}``
    (``download_base`` defaults to ``base_iri``: the site publishes the dumps at the paths their IRIs
    name). ``version`` (the date of the data) is the dataset's ``owl:versionInfo`` (DCAT-AP_IT) and
    ``dcat:version`` (DCAT 3). ``versions``: the copies kept of each version (the current one too),
    one more distribution per file, ``{download_base}{version.folder}/{file name}``. ``template`` is
    the parsed catalog YAML or its path (default: the bundled one).

    Raises :class:`LodError` (naming the argument in ``field``) on bad input.
    """
    base = check_base_iri(base_iri)
    tpl = template if isinstance(template, Mapping) else load_template(template)
    if isinstance(template, Mapping):
        check_template(tpl, "catalog template")
    pub = check_publisher(publisher if publisher is not None else EXAMPLE_PUBLISHER)
    holder = (
        _agent(rights_holder, base) if rights_holder is not None else _Party(pub.ipa, pub.name, agent_iri(base, pub))
    )
    ds_id = dataset_identifier if dataset_identifier is not None else f"{pub.ipa}:{tpl['dataset']['identifier_suffix']}"
    if not isinstance(ds_id, str) or not ds_id.strip() or any(c.isspace() for c in ds_id):
        raise LodError("must be a non-empty identifier without spaces", field="dataset_identifier")
    modified_date = _date(modified, "modified")
    c = _Catalog(
        tpl=tpl,
        base=base,
        download_base=check_base_iri(download_base) if download_base is not None else base,
        catalog=NamedNode(base + tpl["catalog"]["path"]),
        dataset=NamedNode(base + tpl["dataset"]["path"]),
        modified=Literal(modified_date.isoformat(), datatype=NamedNode(XSD + "date")),
        issued=Literal(
            (_date(issued, "issued") if issued is not None else modified_date).isoformat(),
            datatype=NamedNode(XSD + "date"),
        ),
        publisher=pub,
        agent=_Party(pub.ipa, pub.name, agent_iri(base, pub)),
        rights_holder=holder,
        dataset_identifier=ds_id,
        version=_version(version),
    )
    files: list[tuple[Version | None, Distribution]] = [(None, d) for d in _distributions(distributions, tpl)]
    for kept in _versions(versions, tpl):
        files += [(kept, d) for d in kept.distributions]
    out = _Triples()
    _catalog(out, c)
    nodes = _dataset(out, c, files)
    for node, (where, d) in zip(nodes, files, strict=True):
        _distribution(out, c, node, d, where)
    _agents_licence_standard(out, c)
    describe_values(out.add, tpl, [c.url("catalog", "homepage"), c.url("dataset", "landing_page")])
    return out.triples


@dataclass(frozen=True)
class _Party:
    """A checked agent: its identifier, its name, its IRI."""

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
    issued: Literal
    publisher: Publisher
    agent: _Party
    rights_holder: _Party
    dataset_identifier: str
    version: str | None = None

    @property
    def license(self) -> NamedNode:
        return NamedNode(self.tpl["license"]["iri"])

    @property
    def standard(self) -> NamedNode:
        return NamedNode(self.tpl["dataset"]["conforms_to"]["iri"])

    def url(self, part: str, key: str) -> str:
        """A URL of the template, ``{base}`` replaced by the base IRI."""
        return self.tpl[part][key].replace(BASE_PLACEHOLDER, self.base)

    def example_note(self, out: _Triples, node: NamedNode) -> None:
        """With the example publisher, the catalog and the agent say so."""
        if self.publisher.is_example:
            out.texts(node, RDFS + "comment", self.tpl["example_publisher"])


def _catalog(out: _Triples, c: _Catalog) -> None:
    cat_t = c.tpl["catalog"]
    catalog = c.catalog
    out.types(catalog, DCATAPIT + "Catalog", DCAT + "Catalog")
    out.texts(catalog, DCT + "title", cat_t["title"])
    out.texts(catalog, DCT + "description", cat_t["description"])
    c.example_note(out, catalog)
    out.add(catalog, DCT + "publisher", c.agent.node)
    out.add(catalog, DCT + "modified", c.modified)
    out.add(catalog, DCT + "issued", c.issued)
    for code in cat_t["languages"]:
        out.add(catalog, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(catalog, DCT + "spatial", NamedNode(EU_COUNTRY + cat_t["spatial"]))
    out.add(catalog, DCT + "license", c.license)
    out.add(catalog, FOAF + "homepage", NamedNode(c.url("catalog", "homepage")))
    out.add(catalog, DCAT + "themeTaxonomy", NamedNode(EU_DATA_THEME.rstrip("/")))
    out.add(catalog, DCAT + "dataset", c.dataset)


def _dataset(out: _Triples, c: _Catalog, files: list[tuple[Version | None, Distribution]]) -> list[NamedNode]:
    """The dataset and its contact point; returns the node of each distribution."""
    ds_t = c.tpl["dataset"]
    dataset = c.dataset
    out.types(dataset, DCATAPIT + "Dataset", DCAT + "Dataset")
    out.add(dataset, DCT + "identifier", Literal(c.dataset_identifier))
    out.texts(dataset, DCT + "title", ds_t["title"])
    out.texts(dataset, DCT + "description", ds_t["description"])
    for theme, subthemes in ds_t["themes"].items():
        out.add(dataset, DCAT + "theme", NamedNode(EU_DATA_THEME + theme))
        for iri in subthemes:
            out.add(dataset, DCT + "subject", NamedNode(iri))
    for iri in ds_t["subjects"]:
        out.add(dataset, DCT + "subject", NamedNode(iri))
    for lang in sorted(ds_t["keywords"]):
        for word in ds_t["keywords"][lang]:
            out.add(dataset, DCAT + "keyword", Literal(word, language=lang))
    out.add(dataset, DCT + "publisher", c.agent.node)
    out.add(dataset, DCT + "rightsHolder", c.rights_holder.node)
    out.add(dataset, DCT + "modified", c.modified)
    out.add(dataset, DCT + "issued", c.issued)
    if c.version is not None:
        out.add(dataset, OWL + "versionInfo", Literal(c.version))
        out.add(dataset, DCAT + "version", Literal(c.version))
    out.add(dataset, DCT + "accrualPeriodicity", NamedNode(EU_FREQUENCY + ds_t["frequency"]))
    for code in ds_t["languages"]:
        out.add(dataset, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(dataset, DCT + "spatial", NamedNode(EU_COUNTRY + ds_t["spatial"]))
    out.add(dataset, DCT + "conformsTo", c.standard)
    out.add(dataset, DCAT + "landingPage", NamedNode(c.url("dataset", "landing_page")))
    contact = NamedNode(c.base + ds_t["path"] + "/contact-point")
    out.add(dataset, DCAT + "contactPoint", contact)
    out.types(contact, DCATAPIT + "Organization", VCARD + "Organization", VCARD + "Kind")
    out.add(contact, VCARD + "fn", Literal(c.publisher.name, language="it"))
    if c.publisher.email is not None:
        out.add(contact, VCARD + "hasEmail", NamedNode("mailto:" + c.publisher.email))
    else:
        out.add(contact, VCARD + "hasURL", NamedNode(c.publisher.contact))
    nodes = []
    for v, d in files:
        where = d.file_name if v is None else f"{v.folder}/{d.file_name}"
        node = NamedNode(f"{c.base}{ds_t['path']}/distribution/{where}")
        nodes.append(node)
        out.add(dataset, DCAT + "distribution", node)
    return nodes


def _distribution(out: _Triples, c: _Catalog, node: NamedNode, d: Distribution, v: Version | None) -> None:
    f = c.tpl["formats"][d.format]
    url = NamedNode(c.download_base + (d.file_name if v is None else f"{v.folder}/{d.file_name}"))
    out.types(node, DCATAPIT + "Distribution", DCAT + "Distribution")
    out.add(node, DCT + "format", NamedNode(EU_FILE_TYPE + f["file_type"]))
    out.add(node, DCAT + "mediaType", NamedNode(IANA_MEDIA_TYPES + f["media_type"]))
    out.add(node, DCAT + "accessURL", url)
    out.add(node, DCAT + "downloadURL", url)
    out.add(node, DCT + "license", c.license)
    out.add(node, DCATAP + "availability", NamedNode(EU_PLANNED_AVAILABILITY + c.tpl["availability"]))
    if v is None:
        out.texts(node, DCT + "title", f["title"])
        out.texts(node, DCT + "description", f["description"])
    else:
        names, notes = c.tpl["version"]["title"], c.tpl["version"]["description"]
        titles = {lang: names[lang].format(title=f["title"][lang], version=v.version) for lang in f["title"]}
        texts = {lang: f"{f['description'][lang]} {notes[lang].format(version=v.version)}" for lang in f["description"]}
        out.texts(node, DCT + "title", titles)
        out.texts(node, DCT + "description", texts)
    out.add(node, DCAT + "byteSize", Literal(str(d.byte_size), datatype=NamedNode(XSD + "nonNegativeInteger")))
    checksum = NamedNode(node.value + "/checksum")
    out.add(node, SPDX + "checksum", checksum)
    out.types(checksum, SPDX + "Checksum")
    out.add(checksum, SPDX + "algorithm", NamedNode(CHECKSUM_ALGORITHM))
    out.add(checksum, SPDX + "checksumValue", Literal(d.sha256.lower(), datatype=NamedNode(XSD + "hexBinary")))


def _agents_licence_standard(out: _Triples, c: _Catalog) -> None:
    for agent in (c.agent, c.rights_holder):
        node = agent.node
        out.types(node, DCATAPIT + "Agent", FOAF + "Agent")
        out.add(node, DCT + "identifier", Literal(agent.identifier))
        out.add(node, FOAF + "name", Literal(agent.name, language="it"))
    c.example_note(out, c.agent.node)
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


def catalog_for_dumps(
    base_iri: str,
    files: Mapping[str, bytes],
    *,
    modified: str,
    issued: str | None = None,
    publisher: Publisher | None = None,
    versions_folder: str | None = None,
    kept: Iterable[Version] = (),
) -> bytes:
    """``catalog.ttl`` of a build: the dump files of ``files`` (name -> bytes; other files are no
    dumps), the copies of this version in ``{versions_folder}/{modified}/`` (the same bytes) when
    ``versions_folder`` is given, and the versions ``kept`` of earlier builds
    (:func:`describe_versions`; the version being built is left out of them: its copies are
    replaced). ``modified`` is the date of the data and the version."""
    dists = tuple(
        Distribution(name, format_for_file(name), len(files[name]), hashlib.sha256(files[name]).hexdigest())
        for name in sorted(DUMP_FILES)
        if name in files
    )
    versions = [v for v in kept if v.version != modified]
    if versions_folder is not None:
        versions.append(Version(modified, dists, f"{versions_folder}/{modified}"))
    versions.sort(key=lambda v: v.version)
    triples = catalog_triples(
        base_iri, dists, modified=modified, issued=issued, version=modified, publisher=publisher, versions=versions
    )
    return catalog_turtle(triples)


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


def _distributions(items: Iterable[Any], tpl: Mapping[str, Any], where: str = "distributions") -> list[Distribution]:
    result: list[Distribution] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        if isinstance(item, Distribution):
            d = item
        else:
            try:
                name, fmt, size, sha = item
            except (TypeError, ValueError):
                raise LodError("expected (file name, format key, byte size, sha256)", field=at) from None
            d = Distribution(name, fmt, size, sha)
        if not isinstance(d.file_name, str) or not _FILE_NAME.match(d.file_name):
            raise LodError(f"{d.file_name!r} is not a plain file name", field=at + ".file_name")
        if d.file_name in seen:
            raise LodError(f"file {d.file_name!r} listed twice", field=at + ".file_name")
        seen.add(d.file_name)
        if d.format not in tpl["formats"]:
            raise LodError(
                f"unknown format {d.format!r}; known: {', '.join(sorted(tpl['formats']))}", field=at + ".format"
            )
        if isinstance(d.byte_size, bool) or not isinstance(d.byte_size, int) or d.byte_size < 0:
            raise LodError(f"{d.byte_size!r} is not a byte size", field=at + ".byte_size")
        if not isinstance(d.sha256, str) or not _SHA256.match(d.sha256):
            raise LodError("not a SHA-256 (64 hexadecimal digits)", field=at + ".sha256")
        result.append(d)
    if not result:
        raise LodError("at least one dump file is needed (DCAT-AP_IT: open data has a distribution)", field=where)
    return result


def _versions(items: Iterable[Version], tpl: Mapping[str, Any]) -> list[Version]:
    """The versions, checked: each a :class:`Version` with a version, its folder and its files."""
    result: list[Version] = []
    folders: set[str] = set()
    for i, v in enumerate(items):
        at = f"versions[{i}]"
        if not isinstance(v, Version):
            raise LodError("expected a Version (version, distributions, folder)", field=at)
        _version(v.version)
        if not isinstance(v.folder, str) or not _FOLDER.match(v.folder) or ".." in v.folder.split("/"):
            raise LodError(f"{v.folder!r} is not a relative folder", field=at + ".folder")
        if v.folder in folders:
            raise LodError(f"folder {v.folder!r} listed twice", field=at + ".folder")
        folders.add(v.folder)
        result.append(Version(v.version, tuple(_distributions(v.distributions, tpl, at + ".distributions")), v.folder))
    return result


def _agent(value: Agent | Mapping[str, str], base: str) -> _Party:
    if isinstance(value, Mapping):
        unknown = set(value) - {"identifier", "name", "iri"}
        if unknown:
            raise LodError(f"unknown key(s) {', '.join(sorted(unknown))}", field="rights_holder")
        identifier, name, iri = value.get("identifier"), value.get("name"), value.get("iri")
    elif isinstance(value, Agent):
        identifier, name, iri = value.identifier, value.name, value.iri
    else:
        raise LodError("expected an Agent or a mapping with identifier and name", field="rights_holder")
    if not isinstance(identifier, str) or not IDENTIFIER.match(identifier):
        raise LodError(f"{identifier!r} is not an identifier (e.g. an IPA code)", field="rights_holder.identifier")
    if not isinstance(name, str) or not name.strip():
        raise LodError("a name is required", field="rights_holder.name")
    if iri is None:
        iri = f"{base}agent/{identifier.lower()}"
    elif not isinstance(iri, str) or not HTTP_IRI.match(iri):
        raise LodError(f"{iri!r} is not an absolute http(s) IRI", field="rights_holder.iri")
    return _Party(identifier, " ".join(name.split()), iri)
