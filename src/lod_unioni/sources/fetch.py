"""Download the official registry files into the cache (``lod-unioni sources fetch``).

Every file is written atomically (a temporary file in the same folder, checked, then renamed over
the old copy), so a failed or interrupted download leaves the previous copy intact; the manifest
(:mod:`lod_unioni.sources.cache`) is rewritten the same way after each file. A failed download is
reported, never raised: :func:`fetch_sources` returns what happened to each file.
"""

from __future__ import annotations

import hashlib
import http.client
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import __version__, progress
from ..errors import LodError
from ..fileio import atomic_writer
from .cache import ManifestRecord, default_cache_dir, iso_utc, load_manifest, save_manifest, utc_now
from .kinds import SourceFile, download_url, select_files

__all__ = ["DownloadError", "FetchReport", "FetchResult", "fetch_sources"]

USER_AGENT = f"lod-unioni/{__version__} (linked open data of the Italian Unioni di Comuni)"
_CHUNK = 1 << 16


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
            downloaded=iso_utc(utc_now()),
            sha256=sha,
            size=size,
            title=e.title,
            publisher=e.publisher,
            licence=e.licence,
            licence_url=e.licence_url,
            page=e.page,
        )
        records[e.local] = rec
        save_manifest(folder, records)
        report.results.append(
            FetchResult(e, "downloaded", dest, url=url, sha256=sha, size=size, copy_date=rec.downloaded_at)
        )
    return report
