"""The download cache of the registry files: its folder, its manifest, its state.

The cache is a folder laid out like ``../shared/data`` (``istat/``, ``ipa/``, ``ontopia/``...; the
local paths of :data:`lod_unioni.sources.kinds.FILES`) plus a manifest, ``sources.json``, that
records for each downloaded file its URL, download time (UTC, ISO 8601), SHA-256 and size. Default
folder: ``$LOD_UNIONI_CACHE_DIR``, else ``$XDG_CACHE_HOME/lod-unioni``, else ``~/.cache/lod-unioni``.
The manifest is rewritten atomically, one record at a time (:func:`update_manifest`), under the
folder's lock (:func:`cache_lock`): concurrent fetches never lose each other's records.
:func:`list_sources` and :func:`verify_sources` tell what a folder holds (``lod-unioni sources
list|verify``); :mod:`lod_unioni.sources.fetch` fills it.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from .. import __version__, progress
from ..errors import LodError, SourceError
from ..fileio import write_atomic
from ._csv import file_sha256
from .kinds import FILES, SourceFile

__all__ = [
    "CACHE_ENV",
    "LOCK_NAME",
    "LOCK_WAIT",
    "MANIFEST_NAME",
    "STALE_AFTER_DAYS",
    "CacheStatus",
    "ManifestRecord",
    "VerifyResult",
    "cache_lock",
    "default_cache_dir",
    "format_age",
    "iso_utc",
    "list_sources",
    "load_manifest",
    "save_manifest",
    "update_manifest",
    "utc_now",
    "verify_sources",
]

MANIFEST_NAME = "sources.json"
LOCK_NAME = ".sources.lock"
#: How long a fetch waits for another one that holds the folder's lock (seconds).
LOCK_WAIT = 900.0
MANIFEST_FORMAT = 1
CACHE_ENV = "LOD_UNIONI_CACHE_DIR"
STALE_AFTER_DAYS = 30


def default_cache_dir() -> Path:
    """``$LOD_UNIONI_CACHE_DIR``, else ``$XDG_CACHE_HOME/lod-unioni``, else ``~/.cache/lod-unioni``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "lod-unioni"


def utc_now() -> datetime:
    """Now, in UTC, to the second (the precision of the manifest)."""
    return datetime.now(UTC).replace(microsecond=0)


def iso_utc(moment: datetime) -> str:
    """``2026-11-22T10:15:00Z``: how the manifest and the provenance write a moment."""
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


def update_manifest(folder: Path, record: ManifestRecord) -> None:
    """Add or replace one file's record: the manifest is read again and rewritten atomically, so
    the records of other files are kept (call it under :func:`cache_lock`)."""
    records = load_manifest(folder)
    records[record.path] = record
    save_manifest(folder, records)


@contextmanager
def cache_lock(folder: Path, *, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of a cache folder (``folder/.sources.lock``, an ``flock``) inside the block:
    one ``sources fetch`` at a time. Another holder is waited for up to ``wait`` seconds (said on
    stderr), then a :class:`LodError` names it."""
    path = folder / LOCK_NAME
    try:
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held until the block ends
    except OSError as exc:
        raise LodError(f"cannot create the lock file: {exc.strerror or exc}", file=str(path)) from None
    with fh:
        _acquire(fh, folder, wait)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"{os.getpid()}\n")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _acquire(fh: TextIO, folder: Path, wait: float) -> None:
    end = time.monotonic() + wait
    said = False
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        fh.seek(0)
        holder = fh.read().strip() or "unknown"
        if time.monotonic() >= end:
            raise LodError(
                f"another 'lod-unioni sources fetch' (process {holder}) is still using this folder after "
                f"{wait:g} s of waiting; try again when it has finished",
                file=str(folder),
            )
        if not said:
            progress.info(f"waiting for another 'lod-unioni sources fetch' (process {holder}) to finish with {folder}")
            said = True
        time.sleep(0.1)


def save_manifest(folder: Path, records: dict[str, ManifestRecord]) -> None:
    """Write ``folder/sources.json`` atomically, its files in path order."""
    data = {
        "format": MANIFEST_FORMAT,
        "generator": f"lod-unioni {__version__}",
        "files": {r.name: asdict(r) for r in sorted(records.values(), key=lambda r: r.path)},
    }
    write_atomic(folder / MANIFEST_NAME, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


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
        return None if self.date is None else (now or utc_now()) - self.date


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
