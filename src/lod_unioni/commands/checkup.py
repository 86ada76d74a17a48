"""``lod-unioni checkup``: the PNRR digital checkup of a union, from the dumps of a build."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import progress
from ..config import Settings
from ..errors import EXIT_OK
from ..fileio import write_atomic

NAME = "checkup"
HELP = "the PNRR digital checkup (PA digitale 2026) of a union: comuni x measures, gaps, comparison"
FORMATS = ("text", "md", "html", "json", "csv")  # lod_unioni.checkup.FORMATS (not imported for --help)
DESCRIPTION = """\
The digital checkup of a union from the PA digitale 2026 (PNRR) projects in the dumps of a build:
for each member comune and measure its state (E disbursed, A assigned, R renounced only, no
application, or not in the sources when the measure's file was not read), amounts and CUPs; the
gaps (comuni without a measure) with the calls for it; the union's own projects; the totals, each
CUP counted once, and euro per inhabitant (ISTAT 2022); where the union stands among the unions of
its region and of Italy in the same dumps; short findings in Italian or English.

  lod-unioni build --national --sources ../shared/data --out output/national  # with projects
  lod-unioni checkup udm_069 --dumps output/national
  lod-unioni checkup "Unione dei Miracoli" --dumps output/national --lang en
  lod-unioni checkup ull --dumps output/national --format html --out ull.html  # printable page
  lod-unioni checkup u_075 --dumps output/national --format json
  lod-unioni checkup https://w3id.org/lod-unioni/data/union/ull --dumps output/national --format csv

UNION is an IPA code (any case), the union's IRI, the last segment of its IRI (dait-4130236050)
or its name (or words of it); none or several matching: exit 2, listing the candidates.
The dumps (--dumps, default OUT: output/) must carry the projects: a national build
(lod-unioni build --national --sources DIR) or a build of records with their projects.
Formats: text (default), md (Markdown), html (one self-contained page: inline CSS and SVG, nothing
from the network), json (the whole model; for each member comune, by istat_code, its projects with
measure, cup, amount, status), csv (one row per comune x measure, then the union's own rows).
Exit codes: 0 done, 2 bad usage, no such union or unreadable dumps."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("union", metavar="UNION", help="IPA code, IRI or name of the union")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--lang", choices=("it", "en"), default="it", help="language of the text (default: it)")
    parser.add_argument("--out", metavar="FILE", help="write to FILE (atomically) instead of stdout")
    parser.add_argument(
        "--dumps",
        metavar="DIR",
        help="folder of the build's dumps (unioni.nt or unioni.ttl), or a dump file (default: OUT, output/)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from ..checkup import Checkups, read_dumps, render

    dumps = Path(args.dumps) if args.dumps else Path(settings.out)
    checkups = Checkups(read_dumps(dumps))
    checkup = checkups.of(args.union)
    text = render(checkup, args.format, args.lang)
    if args.out:
        write_atomic(args.out, text)
        progress.info(f"checkup of {checkup.union.name} written to {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK
