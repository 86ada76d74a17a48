"""Union records: one YAML file per Unione di Comuni, checked against the record schema.

A record is what a data steward edits (``records/udcmd.yaml``). Its format is the JSON Schema
``src/lod_unioni/schemas/union-record.schema.json`` (draft 2020-12); ``docs/record-format-example.yaml``
shows every key. Loading is strict and every error is one line naming the file, the record (its IPA
code or iri_key, or the file stem when neither can be read) and the field as a JSON path
(``members[2].population.value``)::

    from lod_unioni.records import load_records
    records = load_records("records")          # sorted by file name
    records[0].ipa_code, records[0].members[0].istat_code
    records[0].key        # the IPA code, or the iri_key (dait-{CODICE UNIONE}) of a union IPA does not know

The package: ``model`` (:class:`Record` and its typed accessors), ``loader`` (the safe YAML loader
and the normalisation of what it reads), ``schema`` (the schema check and its one-line messages),
``files`` (a record file, a folder of them: what a records folder may hold, the size limit),
``keys`` (the keys that name a record's texts in the dumps: sections, lines, datum sources).
"""

from .files import MAX_RECORD_BYTES, load_record, load_records, record_from_text, record_paths
from .keys import check_shared_keys
from .model import Figure, Member, Record, UnionInfo, data_date, first_date
from .schema import json_path, validate_record

__all__ = [
    "MAX_RECORD_BYTES",
    "Figure",
    "Member",
    "Record",
    "UnionInfo",
    "check_shared_keys",
    "data_date",
    "first_date",
    "json_path",
    "load_record",
    "load_records",
    "record_from_text",
    "record_paths",
    "validate_record",
]
