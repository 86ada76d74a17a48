"""Where a command's registry files are, and where each of them came from.

Every command that reads registries calls :func:`resolve_sources`::

    sources = resolve_sources(args.sources or settings.sources, args.cache_dir)
    ipa = read_ipa_index(sources.file("ipa-enti"))        # or read_ipa_index(sources): a folder works too
    prov = sources.provenance("ipa-enti")                 # publisher's URL, retrieval time, sha256, terms

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
from .terms import Terms

__all__ = ["Provenance", "SourcesDir", "resolve_sources", "source_entry"]


@dataclass(frozen=True)
class Provenance:
    """Where a registry file came from, for the dumps (``mappings/provenance.yaml``: the
    ``prov:Entity`` ``{base}source/{kind}``) and for messages.

    What the dumps may say: ``source``, the publisher's public URL (the download URL of the catalog,
    else the dataset's page; never a mirror, an override or a local path); ``retrieved``, when
    lod-unioni downloaded the file (the manifest, ``sources.json``), None for a copy that was placed
    by hand (then its time is not known: ``modified`` is only the local file's modification time,
    for messages); ``sha256``; the publisher's ``terms`` (licence, or that it states none).
    ``path`` and ``url`` (where it was downloaded from, redacted: maybe a mirror) are for messages.
    """

    kind: str
    path: Path
    source: str | None  # the publisher's URL (see above); None for a file the catalog does not know
    url: str | None  # URL the file was downloaded from, redacted (None for a local copy)
    official_url: str | None  # the publisher's download URL in the catalog
    retrieved: datetime | None  # download time (UTC), from the manifest; None for a local copy
    modified: datetime  # the local file's modification time (UTC): for messages, never a retrieval time
    sha256: str
    size: int
    title: str | None = None
    publisher: str | None = None
    terms: Terms | None = None
    page: str | None = None

    @property
    def downloaded(self) -> bool:
        """Whether lod-unioni downloaded it (``retrieved`` is the download time)."""
        return self.retrieved is not None

    @property
    def date(self) -> datetime:
        """The date messages show: the download time, else the local file's modification time."""
        return self.retrieved or self.modified

    @property
    def date_iso(self) -> str:
        return iso_utc(self.date)

    @property
    def retrieved_iso(self) -> str | None:
        return iso_utc(self.retrieved) if self.retrieved is not None else None

    @property
    def licence(self) -> str | None:
        return self.terms.licence if self.terms else None

    @property
    def licence_url(self) -> str | None:
        return self.terms.licence_url if self.terms else None

    def as_tuple(self) -> tuple[str | None, datetime, str]:
        """``(publisher's URL, date, sha256)``."""
        return self.source, self.date, self.sha256


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
        st = p.stat()
        rec = self.manifest.get(rel) if rel else None
        downloaded = rec is not None and rec.sha256 == sha
        return Provenance(
            kind=kind,
            path=p,
            source=_public_source(rec if downloaded else None, e),
            url=rec.url if downloaded and rec else None,
            official_url=(rec.official_url if downloaded and rec else None) or (e.url if e else None),
            retrieved=rec.downloaded_at if downloaded and rec else None,
            modified=datetime.fromtimestamp(st.st_mtime, UTC).replace(microsecond=0),
            sha256=sha,
            size=st.st_size,
            title=(e.title if e else None) or (rec.title if downloaded and rec else None) or None,
            publisher=(e.publisher if e else None) or (rec.publisher if downloaded and rec else None) or None,
            terms=e.terms if e else None,
            page=(e.page if e else None) or (rec.page if downloaded and rec else None) or None,
        )


def _public_source(rec: ManifestRecord | None, e: SourceFile | None) -> str | None:
    """Where a file comes from, as the dumps say it: the publisher's download URL, else the
    dataset's page (the catalog's, else the manifest's); never a mirror or an override (the URL it
    was downloaded from), never a local path."""
    if e is not None:
        return e.public_source
    if rec is not None:
        return rec.official_url or rec.page or None
    return None


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
    ``file`` (path relative to the sources folder ``root``, for people: never published),
    ``location`` (default: the publisher's URL, :attr:`Provenance.source`), ``page`` (the dataset's
    page, when it is not the location), ``retrieved`` (the download time, only for a file
    lod-unioni downloaded: a copy placed by hand has no known retrieval time), ``sha256``, ``url``
    (where it was downloaded from, redacted), ``licence_url`` (when the publisher states a licence)
    and ``rights`` (``it``, ``en``: the publisher's statement, or that it states none). The
    mappings turn it into the ``prov:Entity`` ``{base}source/{kind}``."""
    try:
        if root is None:
            raise ValueError
        rel = Path(prov.path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        rel = Path(prov.path).name
    item: dict = {"name": name, "kind": kind, "file": rel}
    where = location or prov.source
    if where:
        item["location"] = where
    if prov.page and prov.page != where:
        item["page"] = prov.page
    if prov.retrieved_iso:
        item["retrieved"] = prov.retrieved_iso
    item["sha256"] = prov.sha256
    if prov.url:
        item["url"] = prov.url
    if prov.licence_url:
        item["licence_url"] = prov.licence_url
    if prov.terms is not None:
        item["rights"] = {"it": prov.terms.rights_it, "en": prov.terms.rights_en}
    return item
