"""The YAML text of an imported record (:func:`dump_record`) and its atomic write
(:func:`write_record`): keys in format order, no anchors, codes and years quoted, decimals as
written, small mappings (:class:`FlowDict`) on one line."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import yaml

from ..fileio import write_atomic
from ..resources import schema_path

__all__ = ["FlowDict", "dump_record", "write_record"]


class FlowDict(dict):
    """A mapping written on one line in YAML: ``{code: "13", name: Abruzzo}``."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # "  - item" under a key
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: object) -> bool:  # no &id001 anchors: every value written where it is
        return True


# Codes and years made of digits are quoted, so that YAML 1.2 readers (editors, other tools) do not
# read "069015" or "2011" as numbers.
_NUMBER_LIKE = re.compile(r"[-+]?[\d._:]+(?:[eE][-+]?\d+)?")


def _repr_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if _NUMBER_LIKE.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _repr_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _repr_flow(dumper: yaml.SafeDumper, value: FlowDict) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


_Dumper.add_representer(str, _repr_str)
_Dumper.add_representer(Decimal, _repr_decimal)
_Dumper.add_representer(FlowDict, _repr_flow)


def _schema_ref(out_dir: Path | None) -> str:
    schema = schema_path()
    if out_dir is None:
        return schema.as_uri()
    try:
        return Path(os.path.relpath(schema, Path(out_dir).resolve())).as_posix()
    except ValueError:  # another drive
        return schema.as_uri()


def dump_record(record: dict, *, out_dir: str | Path | None = None) -> str:
    """The YAML text of a record: a ``# yaml-language-server: $schema=...`` line (relative to
    ``out_dir``), a comment naming the card, then the record with its keys in format order."""
    card = record.get("provenance", {}).get("card", {})
    header = [
        f"# yaml-language-server: $schema={_schema_ref(Path(out_dir) if out_dir is not None else None)}",
        f"# Union record imported by `lod-unioni import-card` from the ITALIAE card {card.get('file', '?')}"
        f" ({card.get('title', '')}).",
        "# Values are what the card says. Hand edits: list each in provenance.edits and add a comment",
        "# with the reason next to the field. Never change a key (key, line_key, synergy_key, source_key):",
        "# it names the resource in the published dumps; reword the text beside it instead.",
    ]
    body = yaml.dump(
        record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    return "\n".join(header) + "\n" + body


def write_record(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (:func:`lod_unioni.fileio.write_atomic`: a temporary
    file in the same folder, then os.replace); a failure is a LodError naming the file."""
    write_atomic(path, text)
