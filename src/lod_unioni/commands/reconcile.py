"""``lod-unioni reconcile``: check the union records against the official registries.
The work is in :mod:`lod_unioni.reconcile`."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import progress
from ..config import Settings
from ..errors import LodError
from ..fileio import write_atomic
from . import options

if TYPE_CHECKING:
    from ..reconcile import Reconciliation

NAME = "reconcile"
HELP = "check the union records against IPA, ISTAT, OntoPiA, the Ministry register and PA digitale 2026"
DESCRIPTION = """\
Check each union record against the official registries and list every disagreement, with its
severity and the value each side holds:
  - IPA: the union's IPA code exists, is an Unione di Comuni (L18) and fits the record's name and
    members (else: whose code it is, and the union's most likely code); the website;
  - ISTAT list of comuni and OntoPiA cities: each member's name, codes, province, region;
  - ISTAT resident population: each member's figure and the union's total at the same date;
  - Ministry of the Interior register of unions: name, members, founding date, number of comuni,
    population;
  - PA digitale 2026 (when the sources have padigitale2026/candidature_*.csv): the applications of
    the union and its members that cannot be joined, so are not published (no CUP, an IPA code IPA
    does not know), and those whose cod_comune is not the seat of their body.
Records are never changed: edit them by hand, citing the registry in a comment.

Severities: error (the record contradicts the registry), warning (a disagreement that dates or
wording may explain), info (the registry adds something, e.g. the full founding date).

examples:
  lod-unioni reconcile --sources ../shared/data
  lod-unioni reconcile --records records --format csv --output findings.csv
  lod-unioni reconcile --format json          # with the downloaded sources (lod-unioni sources fetch)

Each registry file is checked before use: its number of rows and its filled columns must be those
of a complete file, and a downloaded file must still have the checksum recorded in sources.json;
a file that fails stops the command (exit 2) unless --allow-implausible, which says so loudly.
The files used are listed on stderr with their date and SHA-256.

Exit codes: 0 all agree (info findings only), 1 warnings or errors, 2 cannot run (no sources,
unreadable, implausible or changed registry file, unreadable record)."""

FORMATS = ("text", "csv", "json")
CSV_COLUMNS = (
    "union",
    "union_name",
    "record_file",
    "severity",
    "check",
    "field",
    "member",
    "record_value",
    "registry",
    "registry_value",
    "registry_file",
    "registry_line",
    "registry_date",
    "registry_sha256",
    "message_en",
    "message_it",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_records(parser)
    options.add_sources(parser)
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="text (for people, default), csv or json (for machines)"
    )
    parser.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    options.add_allow_implausible(parser)


def _records_dir(args: argparse.Namespace, settings: Settings) -> Path:
    path = options.records_dir(args.records, settings)
    if not path.is_dir():
        raise LodError("records folder not found", file=str(path), field="--records")
    return path


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..reconcile import reconcile
    from ..records import load_records
    from ..registries import load_registries
    from ..sources.folder import resolve_sources

    records_dir = _records_dir(args, settings)
    sources = resolve_sources(args.sources or settings.sources, allow_implausible=args.allow_implausible)
    with progress.Step(f"reading the records in {records_dir}"):
        records = load_records(records_dir)
    if not records:
        raise LodError("no union records (*.yaml) in the folder", file=str(records_dir), field="--records")
    with progress.Step(f"reading the registries in {sources.path}"):
        registries = load_registries(sources)
    with progress.Step(f"checking {len(records)} record(s)"):
        result = reconcile(records, registries)
    text = render(result, args.format)
    if args.output:
        _write(Path(args.output), text)
        progress.info(f"report written to {args.output}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    c = result.counts
    progress.info(f"{len(result.unions)} union(s): {c['error']} error(s), {c['warning']} warning(s), {c['info']} info")
    return result.exit_code


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LodError(f"cannot write the report: {exc.strerror or exc}", file=str(path), field="--output") from None
    try:
        write_atomic(path, text)
    except LodError as exc:
        raise LodError(exc.message, file=str(path), field="--output") from None


# --------------------------------------------------------------------------------------------
# Formats


def render(result: Reconciliation, fmt: str) -> str:
    """The report of a :class:`~lod_unioni.reconcile.Reconciliation` as text, csv or json."""
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return render_csv(result)
    return render_text(result)


def _show(value: object) -> str:
    if value is None:
        return "-"
    return str(value)


def render_text(result: Reconciliation) -> str:
    out = []
    for union, findings in result.by_union():
        extra = []
        if union.ipa_body and union.ipa_body != union.ipa_code:
            extra.append(f"IPA {union.ipa_body}?")
        if union.ministry_code:
            extra.append(f"Ministry {union.ministry_code}")
        out.append(
            f"{union.name} ({union.ipa_code}) - {union.record_file}" + (f" [{', '.join(extra)}]" if extra else "")
        )
        if not findings:
            out.append("  all checks agree")
        for f in findings:
            where = f"{f.registry} line {f.registry_line}" if f.registry and f.registry_line else (f.registry or "")
            out.append(
                f"  {f.severity.upper():7} {f.field}: {f.message_en}"
                f" [record: {_show(f.record_value)} | {f.registry or 'registry'}: {_show(f.registry_value)}]"
                f" ({f.check}{'; ' + where if where else ''})"
            )
        out.append("")
    c = result.counts
    out.append(
        f"{len(result.unions)} union(s), {len(result.findings)} finding(s): {c['error']} error(s), "
        f"{c['warning']} warning(s), {c['info']} info"
    )
    out.append(
        "sources: "
        + "; ".join(f"{s.registry} {s.source} ({s.date}, sha256 {s.sha256[:12]})" for s in result.sources.values())
    )
    return "\n".join(out) + "\n"


def render_csv(result: Reconciliation) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in result.findings:
        s = f.source
        w.writerow(
            [
                f.union,
                f.union_name,
                f.record_file,
                f.severity,
                f.check,
                f.field,
                f.member or "",
                "" if f.record_value is None else f.record_value,
                f.registry or "",
                "" if f.registry_value is None else f.registry_value,
                s.source if s else "",
                f.registry_line or "",
                s.date if s else "",
                s.sha256 if s else "",
                f.message_en,
                f.message_it,
            ]
        )
    return buf.getvalue()
