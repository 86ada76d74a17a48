"""ITALIAE cards -> union records (the format of ``docs/record-format-example.yaml``).

A card is the text extracted from an ITALIAE PDF (see ``../shared/seeds``). The importer reads its
layout (:mod:`.parser`), splits the run-on services line into concepts of the services vocabulary
(:mod:`.services`), assembles the record, resolving names to codes with the registries
(:mod:`.assemble`), and writes it as YAML (:mod:`.yaml_writer`, :mod:`.files`). Every non-blank
line of the card is either used or reported in the record's ``unresolved`` list.

Public API: :func:`parse_card`, :func:`import_card`, :func:`import_cards`, :func:`dump_record`,
:func:`write_record`, :func:`split_services`, :func:`services_vocabulary`,
:func:`status_vocabulary`, :func:`load_vocabulary`.
"""

from __future__ import annotations

from ..vocabularies import Concept
from .assemble import RECORD_FORMAT, parse_card
from .edits import delete_path, get_path
from .files import (
    MAX_CARD_BYTES,
    CardImport,
    UnbuildableRecordError,
    import_card,
    import_cards,
    read_card_text,
    record_file_name,
)
from .services import Vocabulary, load_vocabulary, services_vocabulary, split_services, status_vocabulary
from .yaml_writer import dump_record, write_record

__all__ = [
    "MAX_CARD_BYTES",
    "RECORD_FORMAT",
    "CardImport",
    "Concept",
    "UnbuildableRecordError",
    "Vocabulary",
    "delete_path",
    "dump_record",
    "get_path",
    "import_card",
    "import_cards",
    "load_vocabulary",
    "parse_card",
    "read_card_text",
    "record_file_name",
    "services_vocabulary",
    "split_services",
    "status_vocabulary",
    "write_record",
]
