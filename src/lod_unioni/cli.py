"""The ``lod-unioni`` command: a thin layer over the Python API.

Each subcommand lives in ``lod_unioni.commands.<module>`` and defines ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args, settings) -> int``. Errors of the user's input
(:class:`~lod_unioni.errors.LodError`) become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__, progress
from .config import load_settings
from .errors import EXIT_USAGE, LodError

# Subcommands in the order of the pipeline: sources -> records -> graph -> validation -> queries.
COMMAND_MODULES = (
    "sources",
    "import_card",
    "reconcile",
    "build",
    "validate",
    "query",
    "checkup",
    "site",
    "serve",
    "publish",
)

EPILOG = """\
Unioni di Comuni come linked open data / Italian unions of municipalities as linked open data.
Run 'lod-unioni COMMAND --help' for the options of a command.
Exit codes: 0 ok, 1 findings (not conforming, disagreements), 2 bad usage or bad input."""


def _load_commands():
    commands = []
    for name in COMMAND_MODULES:
        try:
            commands.append(importlib.import_module(f"lod_unioni.commands.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"lod_unioni.commands.{name}":
                raise
    return commands


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="lod-unioni",
        description="Publish Italian Unioni di Comuni as linked open data: records -> RDF dumps, "
        "SHACL validation, SPARQL queries.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lod-unioni {__version__}")
    parser.add_argument("--config", metavar="FILE", help="settings file (default: ./lod-unioni.toml when present)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    runners = {}
    for module in _load_commands():
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", module.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(p)
        runners[module.NAME] = module.run
    return parser, runners


def main(argv: list[str] | None = None) -> int:
    parser, runners = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with progress.reporting(quiet=args.quiet):
            settings = load_settings(args.config)
            return runners[args.command](args, settings)
    except LodError as exc:
        print(f"lod-unioni: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lod-unioni: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
