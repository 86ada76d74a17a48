"""The registry codes are declared once (lod_unioni.codes); the record schema agrees with them."""

from __future__ import annotations

import json

import pytest

from lod_unioni.codes import CODES, IPA_CODE, ISTAT_CODE, ONTOPIA_CITY_ID
from lod_unioni.resources import schema_path


def _schema_patterns() -> dict[str, set[str]]:
    """Code name -> the patterns the schema writes for a field or $def of that name."""
    found: dict[str, set[str]] = {}
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in CODES and isinstance(value, dict):
                    target = defs[value["$ref"].rsplit("/", 1)[1]] if "$ref" in value else value
                    if "pattern" in target and target["pattern"] != "^$":
                        found.setdefault(key, set()).add(target["pattern"])
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def test_the_schema_writes_each_code_as_codes_declares_it():
    patterns = _schema_patterns()
    # every code of the record format is found, with exactly the declared pattern
    assert set(patterns) == set(CODES), set(CODES) ^ set(patterns)
    for name, found in patterns.items():
        assert found == {CODES[name].anchored}, name


@pytest.mark.parametrize("code", list(CODES.values()), ids=list(CODES))
def test_each_example_is_a_code_of_its_kind(code):
    assert code.matches(code.example)
    assert not code.matches(code.example + " ")
    assert not code.matches("")


def test_codes_match_the_whole_text():
    assert IPA_CODE.matches("udm_069") and IPA_CODE.matches("C_B605")
    assert not IPA_CODE.matches("udm-069") and not IPA_CODE.matches("x" * 33)
    assert not ISTAT_CODE.matches("69015") and not ISTAT_CODE.matches("0690150")
    assert not ISTAT_CODE.matches("٠٦٩٠١٥")  # Arabic-Indic digits are not ISTAT digits
    assert ONTOPIA_CITY_ID.matches("069015-(1948-01-01)") and not ONTOPIA_CITY_ID.matches("069015-(0948-01-01)")
