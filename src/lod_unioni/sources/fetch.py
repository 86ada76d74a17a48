"""Download the official registry files into a cache, and tell every command where its sources are
and where they came from.

The cache is a folder laid out like ``../shared/data`` (``istat/``, ``ipa/``, ``ontopia/``...; the
local paths of :data:`lod_unioni.sources.kinds.FILES`) plus a manifest, ``sources.json``, that
records for each downloaded file its URL, download time (UTC, ISO 8601), SHA-256 and size. Default
folder: ``$LOD_UNIONI_CACHE_DIR``, else ``$XDG_CACHE_HOME/lod-unioni``, else ``~/.cache/lod-unioni``.

Every file is written atomically (a temporary file in the same folder, checked, then renamed over
the old copy), so a failed or interrupted download leaves the previous copy intact; the manifest is
rewritten the same way after each file.

Other commands call :func:`resolve_sources`::

    sources = resolve_sources(args.sources or settings.sources, args.cache_dir)
    ipa = read_ipa_index(sources.file("ipa-enti"))        # or read_ipa_index(sources): a folder works too
    prov = sources.provenance("ipa-enti")                 # URL or local path, date, sha256 (+ licence...)

A ``--sources DIR`` given by the user is used as is (no download, no manifest needed); without it the
cache is used, its age is reported on stderr, and a warning is printed when it is older than
:data:`STALE_AFTER_DAYS`. With neither, the error says to run ``lod-unioni sources fetch``.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import __version__, progress
from ..errors import LodError, SourceError
from ..fileio import atomic_writer, write_atomic
from ._csv import file_sha256
from .kinds import FILES, SourceFile, download_url, find_source_file, find_source_files, select_files

__all__ = [
    "CACHE_ENV",
    "MANIFEST_NAME",
    "STALE_AFTER_DAYS",
    "CacheStatus",
    "FetchReport",
    "FetchResult",
    "ManifestRecord",
    "Provenance",
    "SourcesDir",
    "VerifyResult",
    "default_cache_dir",
    "fetch_sources",
    "format_age",
    "list_sources",
    "load_manifest",
    "resolve_sources",
    "verify_sources",
]

MANIFEST_NAME = "sources.json"
MANIFEST_FORMAT = 1
CACHE_ENV = "LOD_UNIONI_CACHE_DIR"
STALE_AFTER_DAYS = 30
USER_AGENT = f"lod-unioni/{__version__} (linked open data of the Italian Unioni di Comuni)"
_CHUNK = 1 << 16


def default_cache_dir() -> Path:
    """``$LOD_UNIONI_CACHE_DIR``, else ``$XDG_CACHE_HOME/lod-unioni``, else ``~/.cache/lod-unioni``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "lod-unioni"


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_age(age: timedelta) -> str:
    """``timedelta(days=3, hours=2)`` -> ``"3 days"``; minutes under an hour, hours under two days."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        n, unit = seconds, "second"
    elif seconds < 3600:
        n, unit = seconds // 60, "minute"
    elif seconds < 2 * 86400:
        n, unit = seconds // 3600, "hour"
    else:
        n, unit = seconds // 86400, "day"
    return f"{n} {unit}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------------------------
# Manifest


@dataclass(frozen=True)
class ManifestRecord:
    """What ``sources.json`` says about one downloaded file."""

    name: str  # catalog name: "ipa-enti"
    path: str  # local path inside the folder, "/"-separated: "ipa/enti.csv"
    url: str  # the URL the file was downloaded from
    official_url: str | None  # the publisher's URL in the catalog (differs from url with a mirror)
    downloaded: str  # UTC, ISO 8601: "2026-11-22T10:15:00Z"
    sha256: str
    size: int
    title: str = ""
    publisher: str = ""
    licence: str = ""
    licence_url: str = ""
    page: str = ""

    @property
    def downloaded_at(self) -> datetime:
        return _parse_iso(self.downloaded)


def load_manifest(folder: str | Path) -> dict[str, ManifestRecord]:
    """The records of ``folder/sources.json`` by local path; empty when there is no manifest.
    A manifest that cannot be read is a :class:`SourceError`."""
    p = Path(folder) / MANIFEST_NAME
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        files = data["files"]
        records = [
            ManifestRecord(**{k: v for k, v in f.items() if k in ManifestRecord.__dataclass_fields__})
            for f in files.values()
        ]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SourceError(
            f"the manifest of the downloaded sources cannot be read ({exc}); run 'lod-unioni sources fetch' again",
            file=str(p),
        ) from None
    return {r.path: r for r in records}


def _save_manifest(folder: Path, records: dict[str, ManifestRecord]) -> None:
    data = {
        "format": MANIFEST_FORMAT,
        "generator": f"lod-unioni {__version__}",
        "files": {r.name: asdict(r) for r in sorted(records.values(), key=lambda r: r.path)},
    }
    write_atomic(folder / MANIFEST_NAME, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------------------------
# Download


class DownloadError(Exception):
    """A download that did not produce the file (message for people)."""


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}".strip()
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return f"no answer within {timeout:g} s"
        return f"cannot connect ({getattr(reason, 'strerror', None) or reason})"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, http.client.IncompleteRead):
        return f"incomplete download: the connection closed after {len(exc.partial)} bytes"
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP answer ({type(exc).__name__}: {exc})"
    return f"{type(exc).__name__}: {exc}"


def _download(url: str, dest: Path, timeout: float) -> tuple[str, int]:
    """Download ``url`` to ``dest`` atomically (:func:`lod_unioni.fileio.atomic_writer`: the old
    copy stays until the new one is complete and checked); returns (sha256, size). Raises
    :class:`DownloadError`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with atomic_writer(dest) as out:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                expected = response.headers.get("Content-Length")
                first = b""
                while True:
                    chunk = response.read(_CHUNK)
                    if not chunk:
                        break
                    if size == 0:
                        first = chunk[:512]
                    h.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                if expected is not None and expected.isdigit() and int(expected) != size:
                    raise DownloadError(f"incomplete download: {size} bytes of {expected}")
        except DownloadError:
            raise
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
            raise DownloadError(_describe(exc, timeout)) from None
        if size == 0:
            raise DownloadError("the server sent an empty file")
        head = first.lstrip().lower()
        if dest.suffix.lower() != ".html" and (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
            raise DownloadError("the server sent a web page instead of the file (has the address changed?)")
    return h.hexdigest(), size


@dataclass
class FetchResult:
    """What happened to one catalog entry.

    ``status``: ``downloaded``; ``stale`` (download failed, an older copy is kept); ``failed``
    (download failed, no copy); ``manual`` (no download URL and no copy); ``present`` (no download
    URL, a copy placed by hand is there)."""

    entry: SourceFile
    status: str
    path: Path
    url: str | None = None
    sha256: str | None = None
    size: int | None = None
    error: str | None = None
    copy_date: datetime | None = None  # for stale / present: when the kept copy was made

    def age(self, now: datetime | None = None) -> timedelta | None:
        if self.copy_date is None:
            return None
        return (now or _utc_now()) - self.copy_date


@dataclass
class FetchReport:
    cache_dir: Path
    results: list[FetchResult] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[FetchResult]:
        return [r for r in self.results if r.status in statuses]

    @property
    def ok(self) -> bool:
        """Every entry with a download URL was downloaded."""
        return not self.with_status("stale", "failed")


def _copy_date(folder: Path, local: str, records: dict[str, ManifestRecord]) -> datetime | None:
    rec = records.get(local)
    if rec is not None:
        return rec.downloaded_at
    p = folder / local
    if p.is_file():
        return datetime.fromtimestamp(p.stat().st_mtime, UTC).replace(microsecond=0)
    return None


def fetch_sources(
    cache_dir: str | Path | None = None,
    only: list[str] | None = None,
    *,
    mirror: str | None = None,
    timeout: float = 60.0,
) -> FetchReport:
    """Download the catalog's files (or those named in ``only``) into ``cache_dir``.

    Never raises for a failed download: each entry gets a :class:`FetchResult` and the caller
    decides (the ``sources fetch`` command exits 2 when a file has no copy at all, 1 when an older
    copy had to be kept unless ``--allow-stale``). A folder that cannot be created is a
    :class:`LodError`.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LodError(f"cannot create the sources cache folder: {exc.strerror or exc}", file=str(folder)) from None
    entries = select_files(only)
    records = load_manifest(folder)
    report = FetchReport(folder)
    unreachable: dict[str, str] = {}  # host -> why: do not wait for it again in this run
    for e in entries:
        dest = folder / e.local
        url = download_url(e, mirror)
        if url is None:
            date = _copy_date(folder, e.local, records)
            if dest.is_file():
                report.results.append(FetchResult(e, "present", dest, copy_date=date))
            else:
                report.results.append(FetchResult(e, "manual", dest, error=e.note or "no download URL"))
            continue
        progress.info(f"  {e.name} <- {url}")
        host = urllib.parse.urlsplit(url).netloc
        try:
            if host in unreachable:
                raise DownloadError(unreachable[host])
            sha, size = _download(url, dest, timeout)
        except DownloadError as exc:
            if str(exc).startswith(("cannot connect", "no answer")):
                unreachable[host] = str(exc)
            status = "stale" if dest.is_file() else "failed"
            progress.info(f"    failed: {exc}")
            report.results.append(
                FetchResult(e, status, dest, url=url, error=str(exc), copy_date=_copy_date(folder, e.local, records))
            )
            continue
        rec = ManifestRecord(
            name=e.name,
            path=e.local,
            url=url,
            official_url=e.url,
            downloaded=_iso(_utc_now()),
            sha256=sha,
            size=size,
            title=e.title,
            publisher=e.publisher,
            licence=e.licence,
            licence_url=e.licence_url,
            page=e.page,
        )
        records[e.local] = rec
        _save_manifest(folder, records)
        report.results.append(
            FetchResult(e, "downloaded", dest, url=url, sha256=sha, size=size, copy_date=rec.downloaded_at)
        )
    return report


# --------------------------------------------------------------------------------------------
# list / verify


@dataclass
class CacheStatus:
    """A catalog entry as found in a folder: ``downloaded`` (in the manifest), ``placed`` (file there,
    not downloaded by lod-unioni), ``missing``."""

    entry: SourceFile
    path: Path
    state: str
    record: ManifestRecord | None
    date: datetime | None
    size: int | None

    def age(self, now: datetime | None = None) -> timedelta | None:
        return None if self.date is None else (now or _utc_now()) - self.date


def list_sources(cache_dir: str | Path | None = None) -> list[CacheStatus]:
    """Every catalog entry with its state in ``cache_dir`` (default: the user cache folder)."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    records = load_manifest(folder) if folder.is_dir() else {}
    out = []
    for e in FILES:
        p = folder / e.local
        rec = records.get(e.local)
        if p.is_file():
            st = p.stat()
            state = "downloaded" if rec is not None else "placed"
            date = (
                rec.downloaded_at
                if rec is not None
                else datetime.fromtimestamp(st.st_mtime, UTC).replace(microsecond=0)
            )
            out.append(CacheStatus(e, p, state, rec, date, st.st_size))
        else:
            out.append(CacheStatus(e, p, "missing", rec, None, None))
    return out


@dataclass
class VerifyResult:
    """``ok``, ``changed`` (checksum or size differ from the manifest) or ``missing`` (in the
    manifest, not on disk)."""

    record: ManifestRecord
    path: Path
    status: str
    sha256: str | None = None


def verify_sources(cache_dir: str | Path | None = None) -> list[VerifyResult]:
    """Re-check every file of the manifest against its SHA-256. No manifest: :class:`LodError`."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    records = load_manifest(folder) if folder.is_dir() else {}
    if not records:
        raise LodError(
            "no downloaded sources to verify (no sources.json); run 'lod-unioni sources fetch'", file=str(folder)
        )
    out = []
    for rec in sorted(records.values(), key=lambda r: r.path):
        p = folder / rec.path
        if not p.is_file():
            out.append(VerifyResult(rec, p, "missing"))
            continue
        sha = file_sha256(p)
        out.append(VerifyResult(rec, p, "ok" if sha == rec.sha256 and p.stat().st_size == rec.size else "changed", sha))
    return out


# --------------------------------------------------------------------------------------------
# Resolution and provenance


@dataclass(frozen=True)
class Provenance:
    """Where a registry file came from, for the dumps (PROV-O / DCTERMS).

    Suggested triples for a derived resource ``R`` and a source entity ``S`` (e.g. an IRI minted from
    ``sha256``): ``R prov:wasDerivedFrom S``; ``S a prov:Entity, dcat:Distribution``;
    ``S dcat:downloadURL <url>`` (when ``url``) ; ``S dcterms:source <page>``;
    ``S prov:generatedAtTime / dcterms:issued date`` (``xsd:dateTime``, UTC); ``S dcterms:publisher
    publisher``; ``S dcterms:license <licence_url>``; ``S spdx:checksum [ spdx:algorithm
    spdx:checksumAlgorithm_sha256 ; spdx:checksumValue sha256 ]``; ``S dcterms:title title``.
    """

    kind: str
    path: Path
    source: str  # the download URL, or the local file path when given with --sources
    url: str | None  # URL the file was downloaded from (None for a local copy)
    official_url: str | None  # the publisher's URL in the catalog
    date: datetime  # download time, or the local file's modification time (UTC)
    sha256: str
    size: int
    downloaded: bool  # True when lod-unioni downloaded it (date is the download time)
    title: str | None = None
    publisher: str | None = None
    licence: str | None = None
    licence_url: str | None = None
    page: str | None = None

    def as_tuple(self) -> tuple[str, datetime, str]:
        """``(url or local path, date, sha256)``."""
        return self.source, self.date, self.sha256

    @property
    def date_iso(self) -> str:
        return _iso(self.date)


@dataclass
class SourcesDir:
    """A folder of registry files laid out like ``../shared/data``: the user's ``--sources`` folder
    (``cached`` False) or the download cache (``cached`` True). Usable as a path (``os.PathLike``):
    every reader accepts it where it accepts a ``--sources`` folder."""

    path: Path
    cached: bool
    manifest: dict[str, ManifestRecord] = field(default_factory=dict)
    _sha: dict[Path, str] = field(default_factory=dict, repr=False)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def file(self, kind: str) -> Path:
        """The file of ``kind`` (see ``lod_unioni.sources.kinds.KINDS``); missing: SourceError."""
        return find_source_file(self.path, kind)

    def files(self, kind: str) -> list[Path]:
        """Every file of ``kind`` (``padigitale-candidature`` has several), in name order."""
        return find_source_files(self.path, kind)

    def oldest(self) -> datetime | None:
        """Download time of the oldest file of the manifest (None without a manifest)."""
        dates = [r.downloaded_at for r in self.manifest.values() if (self.path / r.path).is_file()]
        return min(dates) if dates else None

    def provenance(self, kind_or_path: str | Path) -> Provenance:
        """Provenance of the file of a kind (``"ipa-enti"``) or of a file in this folder."""
        if isinstance(kind_or_path, Path):
            p, kind = kind_or_path, None
        else:
            p, kind = self.file(kind_or_path), kind_or_path
        return self._provenance(p, kind)

    def provenances(self, kind: str) -> list[Provenance]:
        """Provenance of every file of ``kind``."""
        return [self._provenance(p, kind) for p in self.files(kind)]

    def _sha256(self, p: Path) -> str:
        if p not in self._sha:
            self._sha[p] = file_sha256(p)
        return self._sha[p]

    def _provenance(self, p: Path, kind: str | None) -> Provenance:
        p = Path(p)
        if not p.is_file():
            raise SourceError("file not found", file=str(p))
        try:
            rel = p.resolve().relative_to(self.path.resolve()).as_posix()
        except ValueError:
            rel = None
        e = next((x for x in FILES if x.local == rel), None)
        if e is None and kind is not None:
            same_kind = [x for x in FILES if x.kind == kind]
            e = same_kind[0] if len(same_kind) == 1 else None
        kind = kind or (e.kind if e else "")
        sha = self._sha256(p)
        rec = self.manifest.get(rel) if rel else None
        if rec is not None and rec.sha256 == sha:
            return Provenance(
                kind=kind,
                path=p,
                source=rec.url,
                url=rec.url,
                official_url=rec.official_url,
                date=rec.downloaded_at,
                sha256=sha,
                size=rec.size,
                downloaded=True,
                title=rec.title or None,
                publisher=rec.publisher or None,
                licence=rec.licence or None,
                licence_url=rec.licence_url or None,
                page=rec.page or None,
            )
        st = p.stat()
        return Provenance(
            kind=kind,
            path=p,
            source=str(p.resolve()),
            url=None,
            official_url=e.url if e else None,
            date=datetime.fromtimestamp(st.st_mtime, UTC).replace(microsecond=0),
            sha256=sha,
            size=st.st_size,
            downloaded=False,
            title=e.title if e else None,
            publisher=e.publisher if e else None,
            licence=e.licence if e else None,
            licence_url=e.licence_url if e else None,
            page=e.page if e else None,
        )


def resolve_sources(sources_dir: str | Path | None, cache_dir: str | Path | None = None) -> SourcesDir:
    """Where the registry files are: ``sources_dir`` as is when given (no download, no manifest
    needed), else the download cache (``cache_dir`` or :func:`default_cache_dir`), whose age is
    reported on stderr (a warning past :data:`STALE_AFTER_DAYS`). Neither: :class:`LodError`."""
    if sources_dir is not None and str(sources_dir) != "":
        p = Path(sources_dir).expanduser()
        if not p.is_dir():
            raise LodError("sources folder not found", file=str(p), field="--sources")
        return SourcesDir(p, cached=False, manifest=load_manifest(p))
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    manifest = load_manifest(folder) if folder.is_dir() else {}
    if not manifest:
        raise LodError(
            f"no --sources folder given and no downloaded sources in {folder}: run "
            "'lod-unioni sources fetch' (needs network) or give --sources DIR"
        )
    sources = SourcesDir(folder, cached=True, manifest=manifest)
    oldest = sources.oldest()
    if oldest is None:
        raise LodError(
            f"the downloaded sources in {folder} are gone (sources.json lists files that are "
            "missing): run 'lod-unioni sources fetch' again"
        )
    age = _utc_now() - oldest
    if age > timedelta(days=STALE_AFTER_DAYS):
        progress.warn(
            f"using sources downloaded {format_age(age)} ago ({_iso(oldest)}) from {folder}; "
            "run 'lod-unioni sources fetch' to refresh them"
        )
    else:
        progress.info(f"using sources downloaded to {folder} (oldest file {format_age(age)} old, {_iso(oldest)})")
    return sources


def source_entry(
    prov: Provenance, kind: str, root: str | Path | None, *, name: str, location: str | None = None
) -> dict:
    """The ``provenance.sources`` entry of a record for one registry file: its catalog ``kind``,
    ``file`` (path relative to the sources folder ``root``), ``location`` (default: the download
    URL, else that relative path), ``date``, ``sha256`` and, when known, ``url`` and
    ``licence_url``. The mappings turn it into the ``prov:Entity`` ``{base}source/{kind}``."""
    try:
        if root is None:
            raise ValueError
        rel = Path(prov.path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        rel = Path(prov.path).name
    item = {
        "name": name,
        "kind": kind,
        "file": rel,
        "location": location or prov.url or rel,
        "date": prov.date_iso,
        "sha256": prov.sha256,
    }
    if prov.url:
        item["url"] = prov.url
    if prov.licence_url:
        item["licence_url"] = prov.licence_url
    return item
