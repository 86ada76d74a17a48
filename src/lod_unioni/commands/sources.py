"""``lod-unioni sources``: download the official registry files into a cache, list and verify it.
The work is in lod_unioni.sources.fetch and lod_unioni.sources.kinds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import EXIT_FINDINGS, EXIT_OK, LodError
from ..sources.cache import MANIFEST_NAME, default_cache_dir, format_age, list_sources, verify_sources
from ..sources.fetch import DEFAULT_MAX_BYTES, DEFAULT_MAX_TIME, DEFAULT_TIMEOUT, fetch_sources
from ..sources.kinds import FILES

NAME = "sources"
HELP = "download the official registry files (ISTAT, IPA, OntoPiA, PA digitale 2026) into a cache"
DESCRIPTION = """\
Manage the local copies of the official registry files that reconcile and the national build read.

  lod-unioni sources fetch  [--dir DIR] [--only NAME ...] [--allow-stale] [--timeout S]
                            [--max-time S] [--max-size MB]
  lod-unioni sources list   [--dir DIR]
  lod-unioni sources verify [--dir DIR]

fetch downloads the current files from their publishers into the cache folder (default:
$LOD_UNIONI_CACHE_DIR, else $XDG_CACHE_HOME/lod-unioni, else ~/.cache/lod-unioni), laid out like
../shared/data, and records URL, download time (UTC), SHA-256 and size of each file in
sources.json. Every file is replaced atomically: a failed download keeps the previous copy.
Each download waits at most --timeout seconds for the server, takes at most --max-time seconds
and --max-size MB; a file shorter than announced or cut off is a failed download. One fetch at a
time uses a folder: a second one waits for the first. Mirror and override URLs are shown and
recorded without userinfo and query values.
PA digitale 2026 (teamdigitale/padigitale2026-opendata, data/): the funded applications of each
measure (1.1, 1.2, 1.3.1, 1.4.1, 1.4.3, 1.4.4, 1.4.5), those of the other bodies, and the calls; a
measure whose file is missing from a sources folder is "not in the sources" for the commands that
read it, never zero applications.
The Ministry register of unions and the ISTAT population file have no stable download address:
put them in the cache by hand ('list' shows where) or set LOD_UNIONI_SOURCE_URL_<NAME>.
LOD_UNIONI_SOURCES_MIRROR=URL downloads every file from a mirror laid out like ../shared/data.

The commands that read registries (import-card, reconcile, validate --sources, build --national)
use the cache when no --sources DIR is given, and say how old it is; build of the bundled records
joins their PNRR projects only when given sources (--sources DIR, e.g. the cache folder).

Exit codes (fetch): 0 every file downloaded; 1 some download failed and an older copy was kept
(0 with --allow-stale); 2 a file could not be downloaded and there is no copy (e.g. no network).
verify: 0 all checksums agree, 1 a file changed or is missing, 2 nothing downloaded yet."""

NAMES = ", ".join(e.name for e in FILES)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sources_action", metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--dir", metavar="DIR", help=f"cache folder (default: {default_cache_dir()})")
    fetch = sub.add_parser(
        "fetch",
        parents=[common],
        help="download the official files into the cache",
        description="Download the official registry files into the cache folder.",
    )
    fetch.add_argument("--only", nargs="+", metavar="NAME", help=f"only these sources ({NAMES})")
    fetch.add_argument(
        "--allow-stale",
        action="store_true",
        help="exit 0 when a download fails but an older copy is kept (still warned)",
    )
    fetch.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds to wait for a server to connect or send more (default {DEFAULT_TIMEOUT:g})",
    )
    fetch.add_argument(
        "--max-time",
        type=float,
        default=DEFAULT_MAX_TIME,
        metavar="S",
        help=f"seconds one file may take to download, in all (default {DEFAULT_MAX_TIME:g})",
    )
    fetch.add_argument(
        "--max-size",
        type=float,
        default=DEFAULT_MAX_BYTES / 1024 / 1024,
        metavar="MB",
        help=f"largest file accepted, in MB (default {DEFAULT_MAX_BYTES // 1024 // 1024})",
    )
    sub.add_parser(
        "list",
        parents=[common],
        help="show what is cached, with dates and age",
        description="Show every official source, whether it is in the cache, when it was downloaded.",
    )
    sub.add_parser(
        "verify",
        parents=[common],
        help="re-check the SHA-256 of the cached files",
        description="Re-check every downloaded file against the SHA-256 recorded in sources.json.",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    action = getattr(args, "sources_action", None)
    if action == "fetch":
        return _fetch(args)
    if action == "list":
        return _list(args)
    if action == "verify":
        return _verify(args)
    raise LodError("say what to do: 'lod-unioni sources fetch', 'sources list' or 'sources verify'")


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def _fetch(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else default_cache_dir()
    progress.info(f"- downloading the official sources into {folder}")
    for option, value in (("--timeout", args.timeout), ("--max-time", args.max_time), ("--max-size", args.max_size)):
        if not value > 0:
            raise LodError("must be a positive number", field=option)
    report = fetch_sources(
        folder, args.only, timeout=args.timeout, max_time=args.max_time, max_bytes=int(args.max_size * 1024 * 1024)
    )
    for r in report.with_status("present"):
        progress.info(f"  {r.entry.name}: no download URL; keeping the copy placed by hand ({r.path})")
    manual = report.with_status("manual")
    for r in manual:
        progress.warn(f"{r.entry.name}: not downloaded ({r.error}); copy it to {r.path} or set {r.entry.env_var}=URL")
    stale = report.with_status("stale")
    for r in stale:
        age = r.age()
        when = f"from {r.copy_date:%Y-%m-%d %H:%M} UTC, {format_age(age)} old" if age is not None else "of unknown date"
        progress.warn(
            f"STALE: {r.entry.name} could not be downloaded from {r.url} ({r.error}); "
            f"keeping the older copy {r.path} ({when})"
        )
    failed = report.with_status("failed")
    explicit_manual = [r for r in manual if args.only]
    downloaded = len(report.with_status("downloaded"))
    progress.info(
        f"{downloaded} file(s) downloaded, {len(stale)} kept from an older download, "
        f"{len(failed) + len(explicit_manual)} missing; manifest: {report.cache_dir / MANIFEST_NAME}"
    )
    if failed or explicit_manual:
        missing = failed + explicit_manual
        by_error: dict[str, list[str]] = {}
        for r in missing:
            by_error.setdefault(r.error or "unknown error", []).append(r.entry.name)
        parts = [f"{', '.join(names)} ({error})" for error, names in by_error.items()]
        no_network = failed and all(r.error and r.error.startswith(("cannot connect", "no answer")) for r in failed)
        why = "cannot reach the publishers (no network?)" if no_network else "some files could not be downloaded"
        raise LodError(
            f"{why} and there is no cached copy of {len(missing)} file(s): {'; '.join(parts)}",
            file=str(report.cache_dir),
        )
    if stale and not args.allow_stale:
        progress.warn(f"{len(stale)} source file(s) are older copies; pass --allow-stale to accept them")
        return EXIT_FINDINGS
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else default_cache_dir()
    rows = list_sources(folder)
    out = sys.stdout
    print(f"# sources cache: {folder}", file=out)
    header = ("NAME", "STATE", "DATE (UTC)", "AGE", "SIZE", "FILE")
    table = [header]
    for s in rows:
        age = s.age()
        table.append(
            (
                s.entry.name,
                s.state if s.entry.url or s.state != "missing" else "missing (place by hand)",
                f"{s.date:%Y-%m-%d %H:%M}" if s.date else "-",
                format_age(age) if age is not None else "-",
                _size(s.size),
                s.entry.local,
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip(), file=out)
    have = sum(1 for s in rows if s.state != "missing")
    progress.info(f"{have} of {len(rows)} source file(s) in {folder}")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    folder = Path(args.dir) if args.dir else default_cache_dir()
    results = verify_sources(folder)
    bad = 0
    for r in results:
        if r.status == "ok":
            print(f"ok       {r.record.name}  {r.record.path}  sha256 {r.record.sha256[:12]}...")
        elif r.status == "missing":
            bad += 1
            print(f"MISSING  {r.record.name}  {r.record.path}")
        else:
            bad += 1
            print(
                f"CHANGED  {r.record.name}  {r.record.path}  sha256 {(r.sha256 or '')[:12]}... "
                f"(downloaded {r.record.sha256[:12]}... on {r.record.downloaded})"
            )
    progress.info(f"{len(results) - bad} of {len(results)} file(s) agree with {folder / MANIFEST_NAME}")
    return EXIT_FINDINGS if bad else EXIT_OK
