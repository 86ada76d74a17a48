"""Download the official registry files into the cache (``lod-unioni sources fetch``).

Every file is written atomically (a temporary file in the same folder, checked, then renamed over
the old copy), so a failed or interrupted download leaves the previous copy intact; the manifest
(:mod:`lod_unioni.sources.cache`) is updated the same way after each file, under the folder's lock
(one fetch at a time). Each download has limits (:mod:`lod_unioni.net`): the wait for the server,
the whole time, the size; a body shorter than announced or cut off is a failed download. URLs
other than the publishers' official ones (mirrors, overrides) are shown and recorded redacted
(:func:`lod_unioni.sources.kinds.public_url`). A failed download is reported, never raised:
:func:`fetch_sources` returns what happened to each file.
"""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import __version__, progress
from ..errors import LodError
from ..fileio import atomic_writer
from ..net import Limits, NetError, basic_auth, open_url
from .cache import (
    LOCK_WAIT,
    ManifestRecord,
    cache_lock,
    default_cache_dir,
    iso_utc,
    load_manifest,
    update_manifest,
    utc_now,
)
from .kinds import SourceFile, download_url, public_url, select_files

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_TIME",
    "DEFAULT_TIMEOUT",
    "DownloadError",
    "FetchReport",
    "FetchResult",
    "fetch_sources",
]

USER_AGENT = f"lod-unioni/{__version__} (linked open data of the Italian Unioni di Comuni)"


#: Default limits of one download: the longest wait for the server, the whole download, its size.
#: The largest official file (IPA enti) is about 10 MB; a slow line (100 KB/s) takes under 2 minutes.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_TIME = 600.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


#: Text files, which end with a line end: one that does not, sent without a length, was cut off.
_TEXT_SUFFIXES = (".csv", ".ttl")


class DownloadError(Exception):
    """A download that did not produce the file (message for people)."""


def _describe(exc: NetError) -> str:
    if exc.kind == "max-time":
        return f"{exc} (--max-time)"
    if exc.kind == "too-large":
        return f"{exc} (--max-size): nothing kept"
    return str(exc)


def _credentials(url: str) -> tuple[str, str | None]:
    """``url`` without its userinfo, and the Basic ``Authorization`` of that userinfo (sent to
    that origin only)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.netloc.rpartition("@")[2]
    bare = urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    user = urllib.parse.unquote(parts.username)
    return bare, basic_auth(user, urllib.parse.unquote(parts.password or ""))


def _download(url: str, dest: Path, limits: Limits) -> tuple[str, int]:
    """Download ``url`` to ``dest`` atomically (:func:`lod_unioni.fileio.atomic_writer`: the old
    copy stays until the new one is complete and checked) within ``limits``; returns (sha256,
    size). Raises :class:`DownloadError`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    first, last = bytearray(), bytearray()
    bare, authorization = _credentials(url)
    request = urllib.request.Request(bare, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})

    def write(chunk: bytes) -> None:
        if len(first) < 512:
            first.extend(chunk[: 512 - len(first)])
        last[:] = chunk[-1:]
        h.update(chunk)
        out.write(chunk)

    with atomic_writer(dest) as out:
        try:
            with open_url(request, limits, authorization=authorization) as response:
                size = response.stream(write)
                framed = response.framed
        except NetError as exc:
            raise DownloadError(_describe(exc)) from None
        if size == 0:
            raise DownloadError("the server sent an empty file")
        if not framed and dest.suffix.lower() in _TEXT_SUFFIXES and bytes(last) not in (b"\n", b"\r"):
            raise DownloadError(
                "the download may be cut off: the server gave no length and the file does not end with a line end"
            )
        head = bytes(first).lstrip().lower()
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
        return (now or utc_now()) - self.copy_date


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
    timeout: float = DEFAULT_TIMEOUT,
    max_time: float = DEFAULT_MAX_TIME,
    max_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait: float = LOCK_WAIT,
) -> FetchReport:
    """Download the catalog's files (or those named in ``only``) into ``cache_dir``.

    Each download waits at most ``timeout`` seconds for the server, takes at most ``max_time``
    seconds and ``max_bytes`` bytes. One fetch at a time uses a folder (:func:`cache_lock`: a
    second one waits up to ``lock_wait`` seconds). Never raises for a failed download: each entry
    gets a :class:`FetchResult` and the caller decides (the ``sources fetch`` command exits 2 when a
    file has no copy at all, 1 when an older copy had to be kept unless ``--allow-stale``). A
    folder that cannot be created, or that another fetch keeps locked, is a :class:`LodError`.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LodError(f"cannot create the sources cache folder: {exc.strerror or exc}", file=str(folder)) from None
    try:
        limits = Limits(timeout=timeout, max_time=max_time, max_bytes=max_bytes)
    except ValueError:
        raise LodError("the timeout, the time limit and the size limit must be positive numbers") from None
    entries = select_files(only)
    with cache_lock(folder, wait=lock_wait):
        report = FetchReport(folder)
        unreachable: dict[str, str] = {}  # host -> why: do not wait for it again in this run
        for e in entries:
            report.results.append(_fetch_one(e, folder, download_url(e, mirror), limits, unreachable))
    return report


def _fetch_one(
    e: SourceFile, folder: Path, url: str | None, limits: Limits, unreachable: dict[str, str]
) -> FetchResult:
    """Download one entry and record it in the manifest; what happened."""
    dest = folder / e.local
    if url is None:
        date = _copy_date(folder, e.local, load_manifest(folder))
        if dest.is_file():
            return FetchResult(e, "present", dest, copy_date=date)
        return FetchResult(e, "manual", dest, error=e.note or "no download URL")
    shown = public_url(e, url)
    progress.info(f"  {e.name} <- {shown}")
    host = urllib.parse.urlsplit(url).netloc
    try:
        if host in unreachable:
            raise DownloadError(unreachable[host])
        sha, size = _download(url, dest, limits)
    except DownloadError as exc:
        if str(exc).startswith(("cannot connect", "no answer")):
            unreachable[host] = str(exc)
        status = "stale" if dest.is_file() else "failed"
        progress.info(f"    failed: {exc}")
        date = _copy_date(folder, e.local, load_manifest(folder))
        return FetchResult(e, status, dest, url=shown, error=str(exc), copy_date=date)
    rec = ManifestRecord(
        name=e.name,
        path=e.local,
        url=shown,
        official_url=e.url,
        downloaded=iso_utc(utc_now()),
        sha256=sha,
        size=size,
        title=e.title,
        publisher=e.publisher,
        licence=e.licence or "",
        licence_url=e.licence_url or "",
        page=e.page,
    )
    update_manifest(folder, rec)
    return FetchResult(e, "downloaded", dest, url=shown, sha256=sha, size=size, copy_date=rec.downloaded_at)
