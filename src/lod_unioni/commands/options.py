"""The options several subcommands share, defined once: ``--records``, ``--sources``, ``--out``,
``--base-iri``, ``--fail-on``; and how a command turns them and the settings into values.

Each ``add_*`` function takes the command's own help text where the option means something
particular there (``--sources`` is the registries to build from in ``build --national``, those to
check against in ``validate``), and a default help otherwise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import progress
from ..config import DEFAULT_BASE_IRI, Settings, check_base_iri
from ..resources import resource_dir

__all__ = [
    "FAIL_ON",
    "add_allow_implausible",
    "add_base_iri",
    "add_fail_on",
    "add_out",
    "add_records",
    "add_sources",
    "base_iri",
    "records_dir",
]

#: The severities ``--fail-on`` accepts, lowest first.
FAIL_ON = ("violation", "warning")

_RECORDS_HELP = "folder of union records (default: records/, or the bundled records when ./records does not exist)"
_SOURCES_HELP = (
    "folder of registry files laid out like ../shared/data (default: from lod-unioni.toml, else the "
    "download cache of 'lod-unioni sources fetch')"
)
_BASE_IRI_HELP = f"base IRI of the resources lod-unioni mints (default: from lod-unioni.toml, else {DEFAULT_BASE_IRI})"


def add_records(parser: argparse.ArgumentParser, help_text: str = _RECORDS_HELP) -> None:
    parser.add_argument("--records", metavar="DIR", help=help_text)


def add_sources(parser: argparse.ArgumentParser, help_text: str = _SOURCES_HELP) -> None:
    parser.add_argument("--sources", metavar="DIR", help=help_text)


def add_out(parser: argparse.ArgumentParser, help_text: str = "output folder (default: output/)") -> None:
    parser.add_argument("--out", metavar="DIR", help=help_text)


def add_base_iri(parser: argparse.ArgumentParser, help_text: str = _BASE_IRI_HELP) -> None:
    parser.add_argument("--base-iri", metavar="IRI", help=help_text)


def add_fail_on(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--fail-on", choices=FAIL_ON, default="violation", help=help_text)


def add_allow_implausible(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-implausible",
        action="store_true",
        help="use registry files that fail their plausibility or checksum checks (said loudly)",
    )


def records_dir(given: str | None, settings: Settings) -> Path:
    """The records folder: ``--records``, else the ``records`` setting; when neither is given and
    ``./records`` does not exist, the records bundled with the package (said on stderr)."""
    path = Path(given or settings.records)
    if given is None and settings.records == Settings().records and not path.exists():
        path = resource_dir("records")
        progress.info(f"no ./{settings.records} folder: using the bundled records in {path}")
    return path


def base_iri(given: str | None, settings: Settings) -> str:
    """The base IRI: ``--base-iri``, else the ``base_iri`` setting; checked (an error names the one
    it came from)."""
    if given is not None:
        return check_base_iri(given, setting="--base-iri")
    return check_base_iri(settings.base_iri)
