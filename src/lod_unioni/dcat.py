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
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from .config import check_base_iri
from .errors import LodError
from .resources import resource_dir
from .vocab import (
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

TEMPLATE_FILE = "catalog.yaml"

#: File name extension -> format key of ``catalog.yaml`` (for :func:`describe_file`).
EXTENSION_FORMATS = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples"}

_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


@dataclass(frozen=True)
class Agent:
    """A publisher or rights holder: ``dct:identifier`` (the IPA code for a public administration)
    and ``foaf:name`` (Italian, as in IPA). ``iri`` defaults to ``{base}agent/{identifier}``;
    a public administration may pass its national IRI
    ``https://w3id.org/italia/data/public-organization/{ipa}``."""

    identifier: str
    name: str
    iri: str | None = None


@dataclass(frozen=True)
class Distribution:
    """One dump file: its name in the output folder, the format key (``turtle``, ``jsonld``,
    ``ntriples``), its size in bytes and its SHA-256 (hex)."""

    file_name: str
    format: str
    byte_size: int
    sha256: str


# --------------------------------------------------------------------------------------------
# Helpers for callers
# --------------------------------------------------------------------------------------------


def format_for_file(file_name: str) -> str:
    """The format key of a dump file from its extension (``unioni.ttl`` -> ``turtle``)."""
    suffix = Path(file_name).suffix.lower()
    try:
        return EXTENSION_FORMATS[suffix]
    except KeyError:
        raise LodError(
            f"no catalog format for extension {suffix!r}; known: {', '.join(sorted(EXTENSION_FORMATS))}",
            file=str(file_name),
        ) from None


def describe_file(path: str | Path, format_key: str | None = None) -> Distribution:
    """Size and SHA-256 of a written dump file, ready for :func:`catalog_triples`."""
    p = Path(path)
    digest = hashlib.sha256()
    size = 0
    try:
        with p.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise LodError(f"cannot read dump file: {exc.strerror or exc}", file=str(p)) from None
    return Distribution(p.name, format_key or format_for_file(p.name), size, digest.hexdigest())


def template_path() -> Path:
    """The bundled ``ontology/catalog/catalog.yaml``."""
    return resource_dir("ontology") / "catalog" / TEMPLATE_FILE


def load_template(path: str | Path | None = None) -> dict:
    """Read and check the catalog template (``yaml.safe_load``); errors name the file and field."""
    p = Path(path) if path is not None else template_path()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LodError(f"cannot read catalog template: {exc.strerror or exc}", file=str(p)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LodError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=str(p),
            line=None if mark is None else mark.line + 1,
        ) from None
    _check_template(data, str(p))
    return data


# --------------------------------------------------------------------------------------------
# The catalog
# --------------------------------------------------------------------------------------------


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
    template: Mapping[str, Any] | str | Path | None = None,
) -> list[Triple]:
    """The DCAT-AP_IT description of the dataset and its dump files, as pyoxigraph triples.

    ``distributions``: ``Distribution`` objects or ``(file name, format key, byte size, sha256)``
    tuples, one per dump file. ``modified``: the date of the data (a ``datetime.date`` or
    ``YYYY-MM-DD``), passed by the caller so that rebuilds are byte-identical. ``publisher`` and
    ``rights_holder`` default to the template's publisher (the rights holder defaults to the
    publisher). Download URLs are ``{download_base}{file name}`` with ``download_base`` defaulting
    to ``base_iri``. ``contact_email`` adds the recommended ``dcat:contactPoint``. ``template`` is
    the parsed catalog YAML or its path (default: the bundled one).

    Raises :class:`LodError` (naming the argument in ``field``) on bad input.
    """
    base = check_base_iri(base_iri)
    tpl = template if isinstance(template, Mapping) else load_template(template)
    if isinstance(template, Mapping):
        _check_template(tpl, "catalog template")
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

    out = _Triples()
    cat_t, ds_t, lic_t, fmt_t = tpl["catalog"], tpl["dataset"], tpl["license"], tpl["formats"]
    catalog = NamedNode(base + cat_t["path"])
    dataset = NamedNode(base + ds_t["path"])
    license_doc = NamedNode(lic_t["iri"])
    standard = NamedNode(ds_t["conforms_to"]["iri"])
    pub_node, holder_node = NamedNode(pub.iri), NamedNode(holder.iri)
    date_lit = Literal(modified_date.isoformat(), datatype=NamedNode(XSD + "date"))

    # -- catalog ---------------------------------------------------------------------------
    out.types(catalog, DCATAPIT + "Catalog", DCAT + "Catalog")
    out.texts(catalog, DCT + "title", cat_t["title"])
    out.texts(catalog, DCT + "description", cat_t["description"])
    out.add(catalog, DCT + "publisher", pub_node)
    out.add(catalog, DCT + "modified", date_lit)
    if issued_date is not None:
        out.add(catalog, DCT + "issued", Literal(issued_date.isoformat(), datatype=NamedNode(XSD + "date")))
    for code in cat_t["languages"]:
        out.add(catalog, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(catalog, FOAF + "homepage", NamedNode(cat_t["homepage"]))
    out.add(catalog, DCAT + "themeTaxonomy", NamedNode(cat_t["theme_taxonomy"]))
    out.add(catalog, DCAT + "dataset", dataset)

    # -- dataset ---------------------------------------------------------------------------
    out.types(dataset, DCATAPIT + "Dataset", DCAT + "Dataset")
    out.add(dataset, DCT + "identifier", Literal(ds_id))
    out.texts(dataset, DCT + "title", ds_t["title"])
    out.texts(dataset, DCT + "description", ds_t["description"])
    for code in ds_t["themes"]:
        out.add(dataset, DCAT + "theme", NamedNode(EU_DATA_THEME + code))
    for iri in ds_t["subjects"]:
        out.add(dataset, DCT + "subject", NamedNode(iri))
    for lang in sorted(ds_t["keywords"]):
        for word in ds_t["keywords"][lang]:
            out.add(dataset, DCAT + "keyword", Literal(word, language=lang))
    out.add(dataset, DCT + "publisher", pub_node)
    out.add(dataset, DCT + "rightsHolder", holder_node)
    out.add(dataset, DCT + "modified", date_lit)
    out.add(dataset, DCT + "accrualPeriodicity", NamedNode(EU_FREQUENCY + ds_t["frequency"]))
    for code in ds_t["languages"]:
        out.add(dataset, DCT + "language", NamedNode(EU_LANGUAGE + code))
    out.add(dataset, DCT + "spatial", NamedNode(ds_t["spatial"]))
    out.add(dataset, DCT + "conformsTo", standard)
    out.add(dataset, DCAT + "landingPage", NamedNode(cat_t["homepage"]))
    if contact_email is not None:
        contact = NamedNode(base + ds_t["path"] + "/contact-point")
        out.add(dataset, DCAT + "contactPoint", contact)
        out.types(contact, DCATAPIT + "Organization", VCARD + "Organization", VCARD + "Kind")
        out.add(contact, VCARD + "fn", Literal(pub.name, language="it"))
        out.add(contact, VCARD + "hasEmail", NamedNode("mailto:" + contact_email))
    dist_nodes = []
    for d in dists:
        node = NamedNode(f"{base}{ds_t['path']}/distribution/{d.file_name}")
        dist_nodes.append((node, d))
        out.add(dataset, DCAT + "distribution", node)

    # -- distributions ---------------------------------------------------------------------
    for node, d in dist_nodes:
        f = fmt_t[d.format]
        url = NamedNode(dl_base + d.file_name)
        out.types(node, DCATAPIT + "Distribution", DCAT + "Distribution")
        out.add(node, DCT + "format", NamedNode(EU_FILE_TYPE + f["file_type"]))
        out.add(node, DCAT + "mediaType", NamedNode(IANA_MEDIA_TYPES + f["media_type"]))
        out.add(node, DCAT + "accessURL", url)
        out.add(node, DCAT + "downloadURL", url)
        out.add(node, DCT + "license", license_doc)
        out.texts(node, DCT + "title", f["title"])
        out.texts(node, DCT + "description", f["description"])
        out.add(node, DCAT + "byteSize", Literal(str(d.byte_size), datatype=NamedNode(XSD + "decimal")))
        checksum = NamedNode(node.value + "/checksum")
        out.add(node, SPDX + "checksum", checksum)
        out.types(checksum, SPDX + "Checksum")
        out.add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
        out.add(checksum, SPDX + "checksumValue", Literal(d.sha256.lower(), datatype=NamedNode(XSD + "hexBinary")))

    # -- agents, licence, standard ---------------------------------------------------------
    for agent in (pub, holder):
        node = NamedNode(agent.iri)
        out.types(node, DCATAPIT + "Agent", FOAF + "Agent")
        out.add(node, DCT + "identifier", Literal(agent.identifier))
        out.add(node, FOAF + "name", Literal(agent.name, language="it"))
    out.types(license_doc, DCATAPIT + "LicenseDocument", DCT + "LicenseDocument")
    out.add(license_doc, DCT + "type", NamedNode(lic_t["type"]))
    out.texts(license_doc, FOAF + "name", lic_t["name"])
    out.add(license_doc, OWL + "versionInfo", Literal(str(lic_t["version"])))
    if lic_t.get("see_also"):
        out.add(license_doc, RDFS + "seeAlso", NamedNode(lic_t["see_also"]))
    std = ds_t["conforms_to"]
    out.types(standard, DCATAPIT + "Standard", DCT + "Standard")
    out.add(standard, DCT + "identifier", Literal(std["identifier"]))
    out.texts(standard, DCT + "title", std["title"])
    return out.triples


def catalog_turtle(triples: Iterable[Triple]) -> bytes:
    """Deterministic Turtle for catalog triples: sorted, with :data:`PREFIXES`."""
    ordered = sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return serialize(ordered, format=RdfFormat.TURTLE, prefixes=PREFIXES)


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _Triples:
    """An ordered set of triples."""

    def __init__(self):
        self.triples: list[Triple] = []
        self._seen: set[Triple] = set()

    def add(self, s: NamedNode, p: str, o) -> None:
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


def _agent(value: Any, field: str, tpl: Mapping[str, Any], base: str) -> Agent:
    if value is None:
        value = tpl["publisher"]
    if isinstance(value, Mapping):
        unknown = set(value) - {"identifier", "name", "iri"}
        if unknown:
            raise LodError(f"unknown key(s) {', '.join(sorted(unknown))}", field=field)
        value = Agent(value.get("identifier"), value.get("name"), value.get("iri"))
    if not isinstance(value, Agent):
        raise LodError("expected an Agent or a mapping with identifier and name", field=field)
    if not isinstance(value.identifier, str) or not _IDENTIFIER.match(value.identifier):
        raise LodError(f"{value.identifier!r} is not an identifier (e.g. an IPA code)", field=field + ".identifier")
    if not isinstance(value.name, str) or not value.name.strip():
        raise LodError("a name is required", field=field + ".name")
    iri = value.iri
    if iri is None:
        iri = f"{base}agent/{value.identifier}"
    elif not isinstance(iri, str) or not re.match(r"^https?://[^\s<>\"{}|\\^`]+$", iri):
        raise LodError(f"{iri!r} is not an absolute http(s) IRI", field=field + ".iri")
    return Agent(value.identifier, " ".join(value.name.split()), iri)


def _check_template(data: Any, file: str) -> None:
    """Check the shape of the catalog template; one error naming the field."""

    def need(obj: Any, path: str, kind: type, *, check=None):
        cur = obj
        for part in path.split("."):
            if not isinstance(cur, Mapping) or part not in cur:
                raise LodError("missing", file=file, field=path)
            cur = cur[part]
        if not isinstance(cur, kind) or isinstance(cur, bool):
            raise LodError(f"must be a {'mapping' if kind is Mapping else kind.__name__}", file=file, field=path)
        if check is not None and not check(cur):
            raise LodError("invalid value", file=file, field=path)
        return cur

    def iri(v):
        return isinstance(v, str) and re.match(r"^https?://[^\s<>\"{}|\\^`]+$", v) is not None

    def texts(v):
        return (
            bool(v)
            and all(isinstance(k, str) and isinstance(t, str) and t.strip() for k, t in v.items())
            and {"it", "en"} <= set(v)
        )

    def codes(v):
        return bool(v) and all(isinstance(c, str) and _CODE.match(c) for c in v)

    if not isinstance(data, Mapping):
        raise LodError("the catalog template must be a mapping", file=file)
    if data.get("catalog_format") != 1:
        raise LodError("unsupported catalog_format (expected 1)", file=file, field="catalog_format")
    need(data, "catalog.path", str, check=lambda v: re.fullmatch(r"[A-Za-z0-9/_-]+", v) is not None)
    need(data, "catalog.title", Mapping, check=texts)
    need(data, "catalog.description", Mapping, check=texts)
    need(data, "catalog.homepage", str, check=iri)
    need(data, "catalog.languages", list, check=codes)
    need(data, "catalog.theme_taxonomy", str, check=iri)
    need(data, "dataset.path", str, check=lambda v: re.fullmatch(r"[A-Za-z0-9/_-]+", v) is not None)
    need(data, "dataset.identifier_suffix", str, check=lambda v: _IDENTIFIER.match(v) is not None)
    need(data, "dataset.title", Mapping, check=texts)
    need(data, "dataset.description", Mapping, check=texts)
    need(data, "dataset.themes", list, check=codes)
    need(data, "dataset.subjects", list, check=lambda v: all(iri(x) for x in v))
    need(
        data,
        "dataset.keywords",
        Mapping,
        check=lambda v: all(
            isinstance(ws, list) and all(isinstance(w, str) and w.strip() for w in ws) for ws in v.values()
        ),
    )
    need(data, "dataset.frequency", str, check=lambda v: _CODE.match(v) is not None)
    need(data, "dataset.languages", list, check=codes)
    need(data, "dataset.spatial", str, check=iri)
    need(data, "dataset.conforms_to.iri", str, check=iri)
    need(data, "dataset.conforms_to.identifier", str, check=lambda v: bool(v.strip()))
    need(data, "dataset.conforms_to.title", Mapping, check=texts)
    need(data, "publisher.identifier", str, check=lambda v: _IDENTIFIER.match(v) is not None)
    need(data, "publisher.name", str, check=lambda v: bool(v.strip()))
    need(data, "license.iri", str, check=iri)
    need(data, "license.type", str, check=iri)
    need(data, "license.name", Mapping, check=texts)
    need(data, "license.version", str)
    formats = need(data, "formats", Mapping, check=bool)
    for key in formats:
        need(data, f"formats.{key}.file_type", str, check=lambda v: _CODE.match(v) is not None)
        need(
            data,
            f"formats.{key}.media_type",
            str,
            check=lambda v: re.fullmatch(r"[a-z]+/[A-Za-z0-9.+-]+", v) is not None,
        )
        need(data, f"formats.{key}.title", Mapping, check=texts)
        need(data, f"formats.{key}.description", Mapping, check=texts)
