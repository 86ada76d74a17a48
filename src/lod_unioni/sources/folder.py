"""Where a command's registry files are, and where each of them came from.

Every command that reads registries calls :func:`resolve_sources`::

    sources = resolve_sources(args.sources or settings.sources, args.cache_dir)
    ipa = read_ipa_index(sources.file("ipa-enti"))        # or read_ipa_index(sources): a folder works too
    prov = sources.provenance("ipa-enti")                 # URL or local path, date, sha256 (+ licence...)

A ``--sources DIR`` given by the user is used as is (no download, no manifest needed); without it the
download cache (:mod:`lod_unioni.sources.cache`) is used, its age is reported on stderr, and a
warning is printed when it is older than :data:`~lod_unioni.sources.cache.STALE_AFTER_DAYS`. With
neither, the error says to run ``lod-unioni sources fetch``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import progress
from ..errors import LodError, SourceError
from ._csv import file_sha256
from .cache import (
    MANIFEST_NAME,
    STALE_AFTER_DAYS,
    ManifestRecord,
    default_cache_dir,
    format_age,
    iso_utc,
    load_manifest,
    utc_now,
)
from .kinds import FILES, KINDS, SourceFile, find_source_file, find_source_files
from .plausible import ALLOW_OPTION

__all__ = ["Provenance", "SourcesDir", "resolve_sources", "source_entry"]


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
    source: str  # downloaded: the publisher's public URL (below); else the local file path (--sources)
    url: str | None  # URL the file was downloaded from, redacted (None for a local copy)
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
        return iso_utc(self.date)


@dataclass
class SourcesDir:
    """A folder of registry files laid out like ``../shared/data``: the user's ``--sources`` folder
    (``cached`` False) or the download cache (``cached`` True). Usable as a path (``os.PathLike``):
    every reader accepts it where it accepts a ``--sources`` folder.

    :meth:`file` chooses the file of a kind: the one its manifest (``sources.json``) records, else
    the last by name of those its patterns find (saying which others it ignores). A file the manifest
    records must still have the recorded SHA-256. With ``allow_implausible`` a changed file, and a
    file that fails the checks of :mod:`lod_unioni.sources.plausible`, are used anyway (loudly)."""

    path: Path
    cached: bool
    manifest: dict[str, ManifestRecord] = field(default_factory=dict)
    allow_implausible: bool = False
    _sha: dict[Path, str] = field(default_factory=dict, repr=False)
    _chosen: dict[str, Path] = field(default_factory=dict, repr=False)

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

    def file(self, kind: str) -> Path:
        """The file of ``kind`` (see ``lod_unioni.sources.kinds.KINDS``); missing, or changed since
        its download: :class:`SourceError`."""
        if kind not in self._chosen:
            listed = self._listed(kind)
            path = listed[0] if len(listed) == 1 else self._found(kind)
            self._verify(path)
            self._chosen[kind] = path
        return self._chosen[kind]

    def files(self, kind: str) -> list[Path]:
        """Every file of ``kind`` (``padigitale-candidature`` has several), in name order: those the
        manifest records (each with its recorded SHA-256), else those the patterns find."""
        paths = self._listed(kind) or find_source_files(self.path, kind)
        for p in paths:
            self._verify(p)
        return paths

    def _listed(self, kind: str) -> list[Path]:
        """The files of ``kind`` that the manifest records (a listed file that is gone: SourceError)."""
        out = []
        for rec in sorted(self.manifest.values(), key=lambda r: r.path):
            if any(e.local == rec.path and e.kind == kind for e in FILES):
                p = self.path / rec.path
                if not p.is_file():
                    raise SourceError(
                        f"listed in {MANIFEST_NAME} but missing; run 'lod-unioni sources fetch' again", file=str(p)
                    )
                out.append(p)
        return out

    def _found(self, kind: str) -> Path:
        chosen = find_source_file(self.path, kind)
        others = [p.name for p in find_source_files(self.path, kind) if p != chosen]
        if others:
            progress.warn(
                f"{len(others) + 1} {KINDS[kind].description} files in {self.path}: using {chosen.name} (the last "
                f"by name), not {', '.join(others)}; remove the ones that should not be used"
            )
        return chosen

    def _verify(self, p: Path) -> None:
        """A file the manifest records must have its recorded SHA-256 (read again once: a fetch
        running now may have just replaced the file and then the manifest)."""
        rel = p.relative_to(self.path).as_posix()
        rec = self.manifest.get(rel)
        if rec is None or self._sha256(p) == rec.sha256:
            return
        self.manifest = load_manifest(self.path)
        rec = self.manifest.get(rel)
        if rec is None or self._sha256(p) == rec.sha256:
            return
        why = (
            f"changed since it was downloaded on {rec.downloaded} (sha256 {self._sha256(p)[:12]}... instead of "
            f"{rec.sha256[:12]}...; see 'lod-unioni sources verify')"
        )
        if self.allow_implausible:
            progress.warn(f"{p}: {why}; used anyway ({ALLOW_OPTION})")
            return
        raise SourceError(
            f"{why}; run 'lod-unioni sources fetch' again, or pass {ALLOW_OPTION} to use it anyway", file=str(p)
        )

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
                source=_public_source(rec, e),
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


def _public_source(rec: ManifestRecord, e: SourceFile | None) -> str:
    """Where a downloaded file comes from, as the dumps say it: the publisher's official URL, else
    the dataset's page; never a mirror or an override (the URL it was downloaded from)."""
    catalog = (e.url or e.page) if e is not None else None
    return rec.official_url or catalog or rec.page or rec.url


def resolve_sources(
    sources_dir: str | Path | None, cache_dir: str | Path | None = None, *, allow_implausible: bool = False
) -> SourcesDir:
    """Where the registry files are: ``sources_dir`` as is when given (no download, no manifest
    needed), else the download cache (``cache_dir`` or :func:`default_cache_dir`), whose age is
    reported on stderr (a warning past :data:`STALE_AFTER_DAYS`). Neither: :class:`LodError`.
    ``allow_implausible``: see :class:`SourcesDir`."""
    if sources_dir is not None and str(sources_dir) != "":
        p = Path(sources_dir).expanduser()
        if not p.is_dir():
            raise LodError("sources folder not found", file=str(p), field="--sources")
        return SourcesDir(p, cached=False, manifest=load_manifest(p), allow_implausible=allow_implausible)
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    manifest = load_manifest(folder) if folder.is_dir() else {}
    if not manifest:
        raise LodError(
            f"no --sources folder given and no downloaded sources in {folder}: run "
            "'lod-unioni sources fetch' (needs network) or give --sources DIR"
        )
    sources = SourcesDir(folder, cached=True, manifest=manifest, allow_implausible=allow_implausible)
    oldest = sources.oldest()
    if oldest is None:
        raise LodError(
            f"the downloaded sources in {folder} are gone (sources.json lists files that are "
            "missing): run 'lod-unioni sources fetch' again"
        )
    age = utc_now() - oldest
    if age > timedelta(days=STALE_AFTER_DAYS):
        progress.warn(
            f"using sources downloaded {format_age(age)} ago ({iso_utc(oldest)}) from {folder}; "
            "run 'lod-unioni sources fetch' to refresh them"
        )
    else:
        progress.info(f"using sources downloaded to {folder} (oldest file {format_age(age)} old, {iso_utc(oldest)})")
    return sources


def source_entry(
    prov: Provenance, kind: str, root: str | Path | None, *, name: str, location: str | None = None
) -> dict:
    """The ``provenance.sources`` entry of a record for one registry file: its catalog ``kind``,
    ``file`` (path relative to the sources folder ``root``), ``location`` (default: the publisher's
    public URL of a downloaded file, else that relative path), ``date``, ``sha256`` and, when known,
    ``url`` (where it was downloaded from, redacted) and ``licence_url``. The mappings turn it into
    the ``prov:Entity`` ``{base}source/{kind}``: its ``dcterms:source`` is the ``location``."""
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
        "location": location or (prov.source if prov.downloaded else rel),
        "date": prov.date_iso,
        "sha256": prov.sha256,
    }
    if prov.url:
        item["url"] = prov.url
    if prov.licence_url:
        item["licence_url"] = prov.licence_url
    return item
