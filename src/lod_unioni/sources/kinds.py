"""The official sources lod-unioni reads, declared once: each *kind* of registry file (its name in
findings, where it lies in a ``--sources`` folder laid out like ``../shared/data``) and each file
of a kind (publisher, dataset page, download URL, licence, local path).

:data:`KINDS` is the table of kinds, :data:`FILES` the table of files; every module that names a
registry file names it by its kind (``ipa-enti``, ``istat-comuni``...) and finds it with
:func:`find_source_file`.

``lod-unioni sources fetch`` downloads every entry that has a download URL into a cache folder with
the same layout, so that the readers of :mod:`lod_unioni.sources` find the files there exactly as in
a folder the user gives with ``--sources``.

Where the URLs come from (checked against the publishers' pages and repositories):

* ISTAT keeps a permanent link to the current list of comuni
  (``www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv``);
* IPA publishes its open data through CKAN at ``indicepa.gov.it/ipa-dati``; the *enti* resource
  ``d09adf99-dc10-4349-8c53-27b1e5aa97b6`` dumped as CSV with a BOM is the official 35-column export;
* OntoPiA controlled vocabularies are files of the GitHub repository
  ``italia/daf-ontologie-vocabolari-controllati`` (branch ``master``);
* PA digitale 2026 open data are files of the GitHub repository ``teamdigitale/padigitale2026-opendata``
  (branch ``main``, folder ``data/``, updated daily; its DCAT-AP_IT metadata,
  ``metadata/pad26-opendata.rdf``, gives the ``raw.githubusercontent.com`` download URLs). The
  publisher splits the funded applications of its three clusters of bodies (``candidature_comuni_``,
  ``candidature_scuole_``, ``candidature_altrienti_finanziate.csv``) into one file per measure,
  ``candidature_finanziate_{the measure's digits}.csv``, each with every body that applied to the
  measure: 1.1, 1.2, 1.3.1, 1.4.1, 1.4.3, 1.4.4, 1.4.5. lod-unioni reads the measure files
  (:attr:`SourceFile.measure`; a measure whose file is not in a sources folder is *not in the
  sources*, never zero applications) and the other bodies' file (unions among them; its
  applications of a measure are in the measure's file too, unless that file is absent); the comuni's
  and the schools' cluster files repeat the rows of the measure files (schools are out of scope).

Two sources have no stable machine-readable download address, so ``fetch`` cannot get them by
itself: the Ministry of the Interior (DAIT) register of unions and the ISTAT resident population file
in the layout the readers expect. Put them in the cache folder by hand (``sources list`` shows where),
or give their URL in ``LOD_UNIONI_SOURCE_URL_<NAME>`` (``NAME`` upper case, ``-`` as ``_``, e.g.
``LOD_UNIONI_SOURCE_URL_MINISTRY_UNIONS``).

Overrides (environment):

* ``LOD_UNIONI_SOURCES_MIRROR=http://host/path/``: download every file from
  ``<mirror><local path>`` instead (a mirror laid out like ``../shared/data``; the tests serve one on
  127.0.0.1);
* ``LOD_UNIONI_SOURCE_URL_<NAME>=URL``: the download URL of one entry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import LodError, SourceError
from ..net import redact_url
from .terms import DAIT_TERMS, DTD_TERMS, IPA_TERMS, ISTAT_TERMS, ONTOPIA_TERMS, Terms

__all__ = [
    "FILES",
    "GAZETTEER_KINDS",
    "KINDS",
    "MIRROR_ENV",
    "OPTIONAL_REGISTRY_KINDS",
    "PNRR_MEASURES",
    "REGISTRY_KINDS",
    "URL_ENV_PREFIX",
    "Kind",
    "Plausible",
    "SourceFile",
    "download_url",
    "file_named",
    "files_of_kind",
    "find_source_file",
    "find_source_files",
    "measure_files",
    "public_url",
    "select_files",
]

# --------------------------------------------------------------------------------------------
# Kinds


@dataclass(frozen=True)
class Plausible:
    """What a complete file of a kind looks like (:mod:`lod_unioni.sources.plausible` checks it):
    the number of items its reader returns (``rows``: lowest, highest; the real files' counts with a
    margin), and for some fields of those items the least share of them in which the field is
    filled (``filled``: (field, share)). A header-only or truncated file fails the first check, a
    file whose column went empty the second."""

    rows: tuple[int, int]
    filled: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Kind:
    """A kind of registry file: how findings and reports name it, how errors describe it, the glob
    patterns that find it in a ``--sources`` folder (relative to the folder, tried in order; when a
    pattern matches several files, the last in name order wins: file names carry dates; in the
    download cache the manifest decides), and what a plausible file of the kind holds."""

    id: str
    label: str
    description: str
    patterns: tuple[str, ...]
    plausible: Plausible | None = None


# The real files (../shared/data): 7,896 comuni; 7,904 populations (3 empty); 35,723 OntoPiA city rows
# (38,503 lines, duplicates dropped); 107 provinces; 21 regions; 23,558 IPA bodies (81% with a
# website); 557 unions with 3,000 member rows in the Ministry register.
KINDS: dict[str, Kind] = {
    k.id: k
    for k in (
        Kind(
            "istat-comuni",
            "ISTAT comuni",
            "ISTAT Elenco comuni italiani",
            ("istat/Elenco-comuni-italiani.csv", "Elenco-comuni-italiani.csv", "istat/Elenco-comuni-italiani*.csv"),
            Plausible((7_000, 9_000), (("province_acronym", 0.9),)),
        ),
        Kind(
            "istat-population",
            "ISTAT population",
            "ISTAT popolazione residente",
            ("istat/popolazione-residente-*.csv", "popolazione-residente-*.csv"),
            Plausible((7_000, 9_000), (("population", 0.95),)),
        ),
        Kind(
            "ontopia-cities",
            "OntoPiA cities",
            "OntoPiA cities",
            ("ontopia/cities.csv", "cities.csv"),
            Plausible((30_000, 50_000), (("label_it", 0.99),)),
        ),
        Kind(
            "ontopia-provinces",
            "OntoPiA provinces",
            "OntoPiA provinces",
            ("ontopia/provinces.csv", "provinces.csv"),
            Plausible((90, 150), (("acronym", 0.9),)),
        ),
        Kind(
            "ontopia-regions",
            "OntoPiA regions",
            "OntoPiA regions",
            ("ontopia/regions.csv", "regions.csv"),
            Plausible((19, 25)),
        ),
        Kind("ontopia-s13", "OntoPiA S13", "OntoPiA S13 categories", ("ontopia/S13.ttl", "S13.ttl")),
        Kind(
            "ontopia-legal-status",
            "OntoPiA legal status",
            "OntoPiA legal status",
            ("ontopia/legal-status.ttl", "legal-status.ttl"),
        ),
        Kind(
            "ipa-enti",
            "IPA",
            "IPA enti",
            ("ipa/enti-*.csv", "ipa/enti.csv", "enti.csv"),
            Plausible((15_000, 40_000), (("seat_istat", 0.9), ("website", 0.5))),
        ),
        Kind(
            "ministry-unions",
            "Ministry register",
            "Ministero dell'Interno, unioni di comuni",
            ("ministero-interno/unioni-di-comuni-*.csv", "unioni-di-comuni-*.csv"),
            Plausible((450, 900), (("members", 0.95), ("total", 0.9), ("founding_date", 0.9))),
        ),
        Kind(
            "padigitale-candidature",
            "PA digitale 2026",
            "PA digitale 2026, candidature finanziate",
            ("padigitale2026/candidature_*.csv",),
        ),
        Kind("padigitale-avvisi", "PA digitale 2026 calls", "PA digitale 2026, avvisi", ("padigitale2026/avvisi.csv",)),
    )
}

#: The registry files the national build and reconciliation read (lod_unioni.registries), in the
#: order the national records cite them.
REGISTRY_KINDS = (
    "ministry-unions",
    "ipa-enti",
    "istat-comuni",
    "istat-population",
    "ontopia-cities",
    "ontopia-provinces",
    "ontopia-regions",
)
#: The registry files reconciliation also compares the records with when the sources folder has
#: them, read on first use (lod_unioni.registries.Registries.applications).
OPTIONAL_REGISTRY_KINDS = ("padigitale-candidature",)
#: The registry files the gazetteer reads (lod_unioni.gazetteer).
GAZETTEER_KINDS = ("istat-comuni", "ontopia-cities", "ontopia-provinces", "ontopia-regions")


def find_source_files(sources_dir: str | Path, kind: str) -> list[Path]:
    """Every file of ``kind`` (see :data:`KINDS`) in ``sources_dir``, in name order, from the
    first pattern that matches anything; an empty list when none does."""
    if kind not in KINDS:
        raise ValueError(f"unknown source kind {kind!r}; known: {', '.join(KINDS)}")
    base = Path(sources_dir)
    for pattern in KINDS[kind].patterns:
        found = sorted(p for p in base.glob(pattern) if p.is_file() and not (kind == "ipa-enti" and "sample" in p.name))
        if found:
            return found
    return []


def find_source_file(sources_dir: str | Path, kind: str) -> Path:
    """The registry file of ``kind`` in a ``--sources`` folder laid out like ``../shared/data``
    (``istat/Elenco-comuni-italiani.csv``, ``ontopia/cities.csv``...), or a flat folder.

    Kinds: see :data:`KINDS`. Missing folder or file: :class:`SourceError`.
    """
    base = Path(sources_dir)
    if not base.is_dir():
        raise SourceError("sources folder not found", file=str(base))
    found = find_source_files(base, kind)
    if not found:
        k = KINDS[kind]
        raise SourceError(f"{k.description} not found in the sources folder (expected {k.patterns[0]})", file=str(base))
    return found[-1]


# --------------------------------------------------------------------------------------------
# Files


MIRROR_ENV = "LOD_UNIONI_SOURCES_MIRROR"
URL_ENV_PREFIX = "LOD_UNIONI_SOURCE_URL_"


@dataclass(frozen=True)
class SourceFile:
    """One file of an official source."""

    name: str  # identifier used on the command line: "ipa-enti"
    kind: str  # its kind (KINDS): "ipa-enti"
    local: str  # path inside a --sources folder: "ipa/enti.csv"
    title: str
    publisher: str
    page: str  # the dataset's page (for people)
    url: str | None  # the download URL, None when there is no stable one
    terms: Terms  # the licence (or that there is none) and the rights statement
    note: str = ""
    measure: str | None = None  # PA digitale 2026: the PNRR measure whose applications the file lists, "1.4.4"

    @property
    def env_var(self) -> str:
        """The environment variable that overrides this entry's download URL."""
        return URL_ENV_PREFIX + self.name.upper().replace("-", "_")

    @property
    def licence(self) -> str | None:
        return self.terms.licence

    @property
    def licence_url(self) -> str | None:
        return self.terms.licence_url

    @property
    def public_source(self) -> str:
        """Where the file comes from, as the dumps say it: the publisher's download URL, else the
        dataset's page (never a mirror, an override or a local path)."""
        return self.url or self.page


_ISTAT = "ISTAT - Istituto Nazionale di Statistica"
_AGID = "AgID - Agenzia per l'Italia Digitale (IPA)"
_ONTOPIA = "AgID / ISTAT - OntoPiA (italia/daf-ontologie-vocabolari-controllati)"
_DAIT = "Ministero dell'Interno - Dipartimento per gli Affari Interni e Territoriali (DAIT)"
_DTD = "Presidenza del Consiglio dei Ministri - Dipartimento per la trasformazione digitale"

_ONTOPIA_RAW = (
    "https://raw.githubusercontent.com/italia/daf-ontologie-vocabolari-controllati/master/VocabolariControllati/"
)
_ONTOPIA_PAGE = "https://github.com/italia/daf-ontologie-vocabolari-controllati/tree/master/VocabolariControllati/"
_PAD26_RAW = "https://raw.githubusercontent.com/teamdigitale/padigitale2026-opendata/main/data/"
_PAD26_PAGE = "https://github.com/teamdigitale/padigitale2026-opendata"


def _pad26(file: str, title: str, measure: str | None = None) -> SourceFile:
    stem = file.removesuffix(".csv").replace("_", "-")
    return SourceFile(
        name=f"padigitale-{stem.removeprefix('candidature-')}",
        kind="padigitale-avvisi" if file == "avvisi.csv" else "padigitale-candidature",
        local=f"padigitale2026/{file}",
        title=title,
        publisher=_DTD,
        page=_PAD26_PAGE,
        url=_PAD26_RAW + file,
        terms=DTD_TERMS,
        measure=measure,
    )


FILES: tuple[SourceFile, ...] = (
    SourceFile(
        name="istat-comuni",
        kind="istat-comuni",
        local="istat/Elenco-comuni-italiani.csv",
        title="Elenco dei comuni italiani (codici statistici delle unità amministrative territoriali)",
        publisher=_ISTAT,
        page="https://www.istat.it/it/archivio/6789",
        url="https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv",
        terms=ISTAT_TERMS,
    ),
    SourceFile(
        name="istat-population",
        kind="istat-population",
        local="istat/popolazione-residente-2022-01-01.csv",
        title="Popolazione residente al 1° gennaio 2022 per comune",
        publisher=_ISTAT,
        page="https://demo.istat.it/",
        url=None,
        terms=ISTAT_TERMS,
        note="no stable download URL in this layout (municipality, municipality_code, population...): "
        "place the file by hand or set its URL",
    ),
    SourceFile(
        name="ipa-enti",
        kind="ipa-enti",
        local="ipa/enti.csv",
        title="IPA - Enti (Indice dei domicili digitali della PA, open data)",
        publisher=_AGID,
        page="https://indicepa.gov.it/ipa-dati/dataset/enti",
        url="https://indicepa.gov.it/ipa-dati/datastore/dump/d09adf99-dc10-4349-8c53-27b1e5aa97b6?bom=True",
        terms=IPA_TERMS,
    ),
    SourceFile(
        name="ontopia-cities",
        kind="ontopia-cities",
        local="ontopia/cities.csv",
        title="OntoPiA - Archivio storico dei comuni (territorial-classifications/cities)",
        publisher=_ONTOPIA,
        page=_ONTOPIA_PAGE + "territorial-classifications/cities",
        url=_ONTOPIA_RAW + "territorial-classifications/cities/cities.csv",
        terms=ONTOPIA_TERMS,
    ),
    SourceFile(
        name="ontopia-provinces",
        kind="ontopia-provinces",
        local="ontopia/provinces.csv",
        title="OntoPiA - Province (territorial-classifications/provinces)",
        publisher=_ONTOPIA,
        page=_ONTOPIA_PAGE + "territorial-classifications/provinces",
        url=_ONTOPIA_RAW + "territorial-classifications/provinces/provinces.csv",
        terms=ONTOPIA_TERMS,
    ),
    SourceFile(
        name="ontopia-regions",
        kind="ontopia-regions",
        local="ontopia/regions.csv",
        title="OntoPiA - Regioni (territorial-classifications/regions)",
        publisher=_ONTOPIA,
        page=_ONTOPIA_PAGE + "territorial-classifications/regions",
        url=_ONTOPIA_RAW + "territorial-classifications/regions/regions.csv",
        terms=ONTOPIA_TERMS,
    ),
    SourceFile(
        name="ontopia-s13",
        kind="ontopia-s13",
        local="ontopia/S13.ttl",
        title="OntoPiA - Classificazione S13 delle amministrazioni pubbliche",
        publisher=_ONTOPIA,
        page=_ONTOPIA_PAGE + "classifications-for-organizations/S13",
        url=_ONTOPIA_RAW + "classifications-for-organizations/S13/S13.ttl",
        terms=ONTOPIA_TERMS,
    ),
    SourceFile(
        name="ontopia-legal-status",
        kind="ontopia-legal-status",
        local="ontopia/legal-status.ttl",
        title="OntoPiA - Forme giuridiche (classifications-for-organizations/legal-status)",
        publisher=_ONTOPIA,
        page=_ONTOPIA_PAGE + "classifications-for-organizations/legal-status",
        url=_ONTOPIA_RAW + "classifications-for-organizations/legal-status/legal-status.ttl",
        terms=ONTOPIA_TERMS,
    ),
    SourceFile(
        name="ministry-unions",
        kind="ministry-unions",
        local="ministero-interno/unioni-di-comuni-2020.csv",
        title="Elenco delle Unioni di Comuni (2020)",
        publisher=_DAIT,
        page="https://dait.interno.gov.it/territorio-e-autonomie-locali",
        url=None,
        terms=DAIT_TERMS,
        note="no stable download URL: place the file by hand or set its URL",
    ),
    _pad26(
        "candidature_finanziate_11.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.1 Infrastrutture digitali",
        "1.1",
    ),
    _pad26(
        "candidature_finanziate_12.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.2 Abilitazione e facilitazione migrazione al cloud",
        "1.2",
    ),
    _pad26("candidature_finanziate_131.csv", "PA digitale 2026 - candidature finanziate, misura 1.3.1 PDND", "1.3.1"),
    _pad26(
        "candidature_finanziate_141.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.4.1 Esperienza del cittadino",
        "1.4.1",
    ),
    _pad26(
        "candidature_finanziate_143.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.4.3 Adozione pagoPA e app IO",
        "1.4.3",
    ),
    _pad26(
        "candidature_finanziate_144.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.4.4 SPID CIE ANPR",
        "1.4.4",
    ),
    _pad26(
        "candidature_finanziate_145.csv",
        "PA digitale 2026 - candidature finanziate, misura 1.4.5 Piattaforma notifiche",
        "1.4.5",
    ),
    _pad26("candidature_altrienti_finanziate.csv", "PA digitale 2026 - candidature finanziate di altri enti"),
    _pad26("avvisi.csv", "PA digitale 2026 - avvisi"),
)

#: The PNRR measures that have a file of applications (PA digitale 2026), in the order of their numbers.
PNRR_MEASURES: tuple[str, ...] = tuple(e.measure for e in FILES if e.measure)


def measure_files() -> dict[str, SourceFile]:
    """The file of each PNRR measure's applications, by measure (:data:`PNRR_MEASURES`)."""
    return {e.measure: e for e in FILES if e.measure}


def select_files(only: list[str] | tuple[str, ...] | None = None) -> list[SourceFile]:
    """Every file, or the files named in ``only`` (names or kinds; unknown names: :class:`LodError`)."""
    if not only:
        return list(FILES)
    chosen: list[SourceFile] = []
    for name in only:
        matches = [e for e in FILES if e.name == name] or [e for e in FILES if e.kind == name]
        if not matches:
            raise LodError(f"unknown source {name!r}; known: {', '.join(e.name for e in FILES)}", field="--only")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def file_named(name: str) -> SourceFile:
    """The file called ``name``."""
    for e in FILES:
        if e.name == name:
            return e
    raise LodError(f"unknown source {name!r}; known: {', '.join(e.name for e in FILES)}")


def files_of_kind(kind: str) -> list[SourceFile]:
    """The files of ``kind`` (``padigitale-candidature`` has several)."""
    return [e for e in FILES if e.kind == kind]


def download_url(e: SourceFile, mirror: str | None = None) -> str | None:
    """Where to download ``e`` from: ``mirror`` (or ``$LOD_UNIONI_SOURCES_MIRROR``) + local path,
    else ``$LOD_UNIONI_SOURCE_URL_<NAME>``, else the official URL (None when there is none)."""
    base = mirror if mirror is not None else os.environ.get(MIRROR_ENV)
    if base:
        return base.rstrip("/") + "/" + e.local
    return os.environ.get(e.env_var) or e.url


def public_url(e: SourceFile, url: str) -> str:
    """``url`` as messages and the manifest show it: the official URL as is, any other (a mirror,
    an override) without userinfo and query values (:func:`lod_unioni.net.redact_url`)."""
    return url if url == e.url else redact_url(url)
