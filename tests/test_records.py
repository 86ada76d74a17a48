"""Union records: loading, normalisation, schema and the one-line errors (file, record, field)."""

from __future__ import annotations

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES_DIR, RECORDS
from jsonschema import Draft202012Validator

from lod_unioni.cards.edits import delete_path
from lod_unioni.errors import RecordError
from lod_unioni.records import load_record, load_records, validate_record
from lod_unioni.resources import schema_path

FIXTURES = FIXTURES_DIR / "records"


def _data(name: str = "udcmd") -> dict:
    return yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


def _write(directory: Path, name: str, data) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _error(path: Path, *, check_name: bool = True) -> RecordError:
    with pytest.raises(RecordError) as info:
        load_record(path, check_name=check_name)
    err = info.value
    assert "\n" not in str(err)
    assert err.exit_code == 2
    return err


# --- the fixtures, checked against the cards ------------------------------------------------------


def test_load_the_two_fixture_records():
    records = load_records(FIXTURES)
    assert [r.path.name for r in records] == ["udcmd.yaml", "ull.yaml"]
    udcmd, ull = records
    assert udcmd.ipa_code == "udcmd" and udcmd.name == "Unione dei Miracoli"
    assert [m.istat_code for m in udcmd.members] == ["069015", "069068", "069087", "069100"]
    assert [m.population.value for m in udcmd.members] == [5812, 2040, 3005, 892]
    assert len(ull.members) == 9
    assert ull.ipa_code == "ull"  # written ULL in the record: case-insensitive
    assert ull.data["union"]["ipa_code"] == "ULL"  # the parsed dict itself is kept as written


def test_normalisation_dates_decimals_years():
    udcmd, ull = load_records(FIXTURES)
    member = udcmd.members[0]
    assert member.city_valid_from == "1948-01-01"  # a YAML date -> ISO text
    assert member.population.reference_date == "2022-01-01"
    assert udcmd.data["provenance"]["imported_on"] == "2026-11-22"
    assert udcmd.data["surface_km2"] == Decimal("122.56")  # a YAML float -> exact Decimal
    assert udcmd.data["density"] == Decimal("95.86")
    assert ull.data["surface_km2"] == Decimal("623.4")
    assert ull.data["union"]["founded"] == "2015"  # bare number 2015 -> the year "2015"
    assert udcmd.data["union"]["founded"] == "2011"


# --- the schema -------------------------------------------------------------------------------------


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _schema_node(schema, node):
    while "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_every_key_of_the_example_is_described_in_the_schema(repo):
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    example = yaml.safe_load((repo / "docs" / "record-format-example.yaml").read_text(encoding="utf-8"))
    missing = []

    def walk(value, node, path):
        node = _schema_node(schema, node)
        if isinstance(value, dict):
            props = node.get("properties", {})
            for key, sub in value.items():
                if key not in props:
                    missing.append(f"{path}.{key}")
                    continue
                if not (props[key].get("description") or _schema_node(schema, props[key]).get("description")):
                    missing.append(f"{path}.{key} (no description)")
                walk(sub, props[key], f"{path}.{key}")
        elif isinstance(value, list) and "items" in node:
            for item in value:
                walk(item, node["items"], path + "[]")

    walk(example, schema, "$")
    assert missing == []


def test_the_example_validates_apart_from_its_placeholder_checksums(repo):
    example = yaml.safe_load((repo / "docs" / "record-format-example.yaml").read_text(encoding="utf-8"))
    example["provenance"]["card"]["sha256"] = "0" * 64  # the example writes "…64 hex…"
    data = validate_record(example, file="record-format-example.yaml")
    assert data["members"][0]["ontopia_city"] == "069015-(1948-01-01)"


# --- errors: one line naming file, record, field ----------------------------------------------------


def test_malformed_yaml_names_the_line(tmp_path):
    text = (FIXTURES / "udcmd.yaml").read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(text) if line.startswith("surface_km2"))
    text[i] = "surface_km2: [122.56"  # unclosed flow sequence
    path = tmp_path / "udcmd.yaml"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    err = _error(path)
    assert err.file == str(path) and err.record == "udcmd"
    assert err.line is not None and err.line >= i + 1
    assert "not valid YAML" in str(err)
    assert str(err).startswith(f"{path}:{err.line}: record udcmd: ")


def test_duplicate_key_is_an_error_with_its_line(tmp_path):
    text = (FIXTURES / "udcmd.yaml").read_text(encoding="utf-8")
    text = text.replace("density: 95.86\n", "density: 95.86\ndensity: 96.0\n")
    path = tmp_path / "udcmd.yaml"
    path.write_text(text, encoding="utf-8")
    err = _error(path)
    expected_line = text.splitlines().index("density: 96.0") + 1
    assert err.line == expected_line
    assert "duplicate key 'density'" in str(err)


def test_impossible_date_is_an_error_with_its_line(tmp_path):
    text = (
        (FIXTURES / "udcmd.yaml")
        .read_text(encoding="utf-8")
        .replace("imported_on: 2026-11-22", "imported_on: 2026-02-30")
    )
    path = tmp_path / "udcmd.yaml"
    path.write_text(text, encoding="utf-8")
    err = _error(path)
    assert err.line == text.splitlines().index("  imported_on: 2026-02-30") + 1
    assert "2026-02-30" in str(err)


def test_impossible_quoted_date_is_a_field_error(tmp_path):
    data = _data()
    data["members"][1]["population"]["reference_date"] = "2022-13-01"
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert err.field == "members[1].population.reference_date"


def test_impossible_quoted_year_or_date_is_a_field_error(tmp_path):
    """The schema's own date formats are checked: a founding date that does not exist is an error."""
    data = _data()
    data["union"]["founded"] = "2022-02-30"
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert err.field == "union.founded"
    assert "'2022-02-30' is not a valid year-or-date: day is out of range for month" in str(err)


def test_a_date_of_another_shape_is_reported_by_its_pattern(tmp_path):
    data = _data()
    data["members"][1]["population"]["reference_date"] = "22-01-2022"
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert err.field == "members[1].population.reference_date"
    assert "'22-01-2022' is not valid: expected an ISO 8601 date, YYYY-MM-DD" in str(err)


@pytest.mark.parametrize(
    "edit, field, words",
    [
        (lambda d: d["members"][1].pop("istat_code"), "members[1].istat_code", "required field is missing"),
        (lambda d: d["union"].pop("name"), "union.name", "required field is missing"),
        (lambda d: d.pop("members"), "members", "required field is missing"),
        (
            lambda d: d["members"][2]["population"].__setitem__("value", "tremila"),
            "members[2].population.value",
            "must be an integer",
        ),
        (lambda d: d["members"][0].__setitem__("istat_code", 69015), "members[0].istat_code", "must be a string"),
        (lambda d: d["members"][0].__setitem__("istat_code", "69015"), "members[0].istat_code", "6-digit"),
        (
            lambda d: d["members"][0]["population"].__setitem__("value", -5812),
            "members[0].population.value",
            "at least 1",
        ),
        (lambda d: d["members"][3]["population"].__setitem__("value", 0), "members[3].population.value", "at least 1"),
        (lambda d: d["population"].__setitem__("value", 117490000), "population.value", "implausible"),
        (lambda d: d.__setitem__("surface_km2", -122.56), "surface_km2", "greater than 0"),
        (lambda d: d.__setitem__("number_of_comuni", 4.5), "number_of_comuni", "must be an integer"),
        (lambda d: d["services"][0].__setitem__("status", "ongoing"), "services[0].status", "active, planned"),
        (lambda d: d["union"].__setitem__("website", "www.example.it"), "union.website", "http"),
        (lambda d: d.__setitem__("membres", []), "membres", "unknown field"),
        (lambda d: d["union"].__setitem__("ipa_code", "udc md"), "union.ipa_code", "not valid"),
        (lambda d: d["union"]["region"].__setitem__("code", "013"), "union.region.code", "2-digit"),
        (lambda d: d.__setitem__("record_format", 2), "record_format", "must be 1"),
    ],
)
def test_schema_errors_name_file_record_and_field(tmp_path, edit, field, words):
    data = _data()
    edit(data)
    path = _write(tmp_path, "udcmd.yaml", data)
    err = _error(path)
    assert (err.file, err.record, err.field) == (str(path), "udcmd", field)
    assert words in err.message
    assert str(err).startswith(f"{path}: record udcmd: field {field}: ")


def test_record_is_the_file_stem_when_the_ipa_code_is_unreadable(tmp_path):
    data = _data()
    data["union"].pop("ipa_code")
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert (err.record, err.field) == ("udcmd", "union.ipa_code")


def test_same_comune_twice_in_one_record(tmp_path):
    data = _data()
    data["members"][3]["istat_code"] = "069015"
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert err.field == "members[3].istat_code"
    assert "069015" in err.message and "members[0]" in err.message and "Casalbordino" in err.message


def test_same_service_twice_and_same_section_twice(tmp_path):
    data = _data()
    data["services"][1]["concept"] = "centrale-unica-committenza"
    assert _error(_write(tmp_path / "a", "udcmd.yaml", data)).field == "services[1].concept"
    data = _data()
    data["italiae"]["sections"][1]["key"] = data["italiae"]["sections"][0]["key"]
    err = _error(_write(tmp_path / "b", "udcmd.yaml", data))
    assert err.field == "italiae.sections[1].key" and "italiae.sections[0]" in err.message


def test_a_section_is_named_by_its_key_not_its_title(tmp_path):
    """Two titles with the same slug are two sections, each with its key; a section needs a key."""
    data = _data()
    data["italiae"]["sections"][1]["title"] = "Digitalizzazione dei servizi locali"  # the slug of [0]'s
    _write(tmp_path / "a", "udcmd.yaml", data)
    assert len(load_records(tmp_path / "a")[0].data["italiae"]["sections"]) == 2
    del data["italiae"]["sections"][1]["key"]
    err = _error(_write(tmp_path / "b", "udcmd.yaml", data))
    assert (err.field, err.message) == ("italiae.sections[1].key", "required field is missing")


@pytest.mark.parametrize(
    "text, key",
    [
        ("italiae.line", "italiae.line_key"),
        ("italiae.synergy", "italiae.synergy_key"),
        ("population.source", "population.source_key"),
        ("members[2].population.source", "members[2].population.source_key"),
    ],
)
def test_a_text_that_names_a_resource_comes_with_its_key(tmp_path, text, key):
    data = _data()
    delete_path(data, key)
    err = _error(_write(tmp_path / "a", "udcmd.yaml", data))
    assert (err.field, err.message.split(" (")[0]) == (key, "required field is missing")
    data = _data()
    delete_path(data, text)
    err = _error(_write(tmp_path / "b", "udcmd.yaml", data))
    assert (err.field, err.message.split(" (")[0]) == (text, "required field is missing")


def test_one_key_one_wording_within_a_record(tmp_path):
    data = _data()
    data["members"][1]["population"]["source"] = "ISTAT, popolazione 2022"  # the key of members[0]'s source
    err = _error(_write(tmp_path, "udcmd.yaml", data))
    assert err.field == "members[1].population.source_key"
    assert "Istat, Popolazione residente 2022" in err.message and "members[0].population.source_key" in err.message


def test_file_name_must_be_the_lower_case_ipa_code(tmp_path):
    path = tmp_path / "miracoli.yaml"
    shutil.copy(FIXTURES / "udcmd.yaml", path)
    err = _error(path)
    assert (err.record, err.field) == ("udcmd", "union.ipa_code")
    assert "udcmd.yaml" in err.message
    upper = tmp_path / "UDCMD.yaml"
    shutil.copy(FIXTURES / "udcmd.yaml", upper)
    assert _error(upper).field == "union.ipa_code"
    assert load_record(path, check_name=False).ipa_code == "udcmd"


def test_same_ipa_code_in_two_records(tmp_path):
    shutil.copy(FIXTURES / "udcmd.yaml", tmp_path / "udcmd.yaml")
    data = _data("ull")
    data["union"]["ipa_code"] = "UDCMD"  # a copy whose code was not changed (case differs)
    _write(tmp_path, "ull.yaml", data)
    with pytest.raises(RecordError) as info:
        load_records(tmp_path)
    err = info.value
    assert (err.file, err.record, err.field) == (str(tmp_path / "ull.yaml"), "udcmd", "union.ipa_code")
    assert "already used by udcmd.yaml" in err.message


def test_not_a_mapping_not_utf8_missing_and_empty(tmp_path):
    (tmp_path / "a").mkdir()
    p = tmp_path / "a" / "udcmd.yaml"
    p.write_text("- just\n- a list\n", encoding="utf-8")
    assert "mapping of fields" in _error(p).message
    p.write_bytes(b"record_format: 1\nunion:\n  name: Unione \xe0 caso\n")
    err = _error(p)
    assert "UTF-8" in err.message and err.line == 3
    with pytest.raises(RecordError, match="not found"):
        load_record(tmp_path / "nope.yaml")
    (tmp_path / "empty").mkdir()
    with pytest.raises(RecordError, match="no records"):
        load_records(tmp_path / "empty")
    with pytest.raises(RecordError, match="folder not found"):
        load_records(tmp_path / "missing")


def test_minimal_record_is_enough(tmp_path):
    data = {
        "record_format": 1,
        "provenance": {},
        "union": {"ipa_code": "umin", "name": "Unione Minima", "region": {"code": "13"}, "province": {"code": "069"}},
        "members": [{"name": "Scerni", "istat_code": "069087"}],
    }
    record = load_record(_write(tmp_path, "umin.yaml", data))
    assert record.ipa_code == "umin" and record.members[0].name == "Scerni"


# --- a union IPA does not know: an iri_key instead of the IPA code ---------------------------------
# Register line 600: 2060936090 UNIONE TERRITORIALE INTERCOMUNALE DEL NONCELLO (Pordenone, FVG), whose
# members include FONTANAFREDDA (093022), PORCIA (093032), PORDENONE (093033); no L18 body of IPA has it.


def _noncello(**union) -> dict:
    return {
        "record_format": 1,
        "provenance": {},
        "union": {
            "iri_key": "dait-2060936090",
            "ministry_code": "2060936090",
            "name": "Unione Territoriale Intercomunale del Noncello",
            "region": {"code": "06"},
            "province": {"code": "093"},
            **union,
        },
        "members": [
            {"name": "Fontanafredda", "istat_code": "093022"},
            {"name": "Porcia", "istat_code": "093032"},
            {"name": "Pordenone", "istat_code": "093033"},
        ],
    }


def test_a_record_without_ipa_code_is_named_after_its_iri_key(tmp_path):
    shutil.copy(FIXTURES / "udcmd.yaml", tmp_path / "udcmd.yaml")
    _write(tmp_path, "dait-2060936090.yaml", _noncello())
    noncello, udcmd = load_records(tmp_path)  # sorted by file name
    assert noncello.key == "dait-2060936090" and noncello.label == "dait-2060936090"
    assert noncello.ipa_code is None and noncello.key_field == "union.iri_key"
    assert [m.istat_code for m in noncello.members] == ["093022", "093032", "093033"]
    assert (udcmd.key, udcmd.ipa_code, udcmd.key_field) == ("udcmd", "udcmd", "union.ipa_code")


def test_a_record_without_ipa_code_in_a_file_of_another_name(tmp_path):
    path = _write(tmp_path, "noncello.yaml", _noncello())
    with pytest.raises(RecordError) as info:
        load_records(tmp_path)
    err = info.value
    assert "\n" not in str(err) and err.exit_code == 2
    assert (err.file, err.record, err.field) == (str(path), "dait-2060936090", "union.iri_key")
    assert "dait-2060936090.yaml" in err.message and "iri_key" in err.message
    assert str(err).startswith(f"{path}: record dait-2060936090: field union.iri_key: ")
    assert _error(path).field == "union.iri_key"  # load_record checks the name too
    assert load_record(path, check_name=False).key == "dait-2060936090"


def test_errors_of_a_record_without_ipa_code_name_it_by_its_iri_key(tmp_path):
    data = _noncello()
    data["members"][1]["istat_code"] = "93032"  # not 6 digits
    err = _error(_write(tmp_path, "dait-2060936090.yaml", data))
    assert (err.record, err.field) == ("dait-2060936090", "members[1].istat_code")
    data = _noncello(iri_key="noncello")  # not dait-{code}: the file stem names it
    err = _error(_write(tmp_path, "x.yaml", data))
    assert (err.record, err.field) == ("x", "union.iri_key")


def test_same_iri_key_in_two_records(tmp_path):
    _write(tmp_path, "dait-2060936090.yaml", _noncello())
    path = _write(tmp_path, "zz.yaml", _noncello(name="Copia"))
    with pytest.raises(RecordError) as info:
        load_records(tmp_path)
    err = info.value
    assert (err.file, err.record, err.field) == (str(path), "dait-2060936090", "union.iri_key")
    assert err.message == "iri_key dait-2060936090 is already used by dait-2060936090.yaml"


def test_a_record_without_ipa_code_maps_to_its_iri_key(tmp_path):
    from lod_unioni.build import build_graph

    [record] = load_records(_write(tmp_path, "dait-2060936090.yaml", _noncello()).parent)
    triples = build_graph([record], "https://data.example.org/")
    union = "https://data.example.org/union/dait-2060936090"
    types = {t.object.value for t in triples if t.subject.value == union and t.predicate.value.endswith("#type")}
    assert "https://w3id.org/lod-unioni/onto/UnioneDiComuni" in types
    assert not [t for t in triples if t.subject.value == union and t.predicate.value.endswith("/IPAcode")]


def test_the_validator_resolves_the_schema_references_once_and_reports_the_same_errors():
    from lod_unioni.records.loader import normalise as _normalise
    from lod_unioni.records.schema import _validator

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert "$ref" in json.dumps(schema["properties"])
    assert "$ref" not in json.dumps(_validator().schema["properties"])  # inlined when it is built
    plain = Draft202012Validator(schema, format_checker=_validator().format_checker)
    data = _data()
    data["union"]["ipa_code"] = "not a code"  # $defs/ipa_code (pattern)
    data["provenance"]["card"]["sha256"] = "xyz"  # $defs/sha256 (no description)
    data["members"][1]["population"]["reference_date"] = "2022-02-30"  # $defs/population -> $defs/date
    data["members"][2]["name"] = ""  # $defs/text (minLength)
    data["members"][3]["province_code"] = 69  # $defs/province_code (type)
    data["italiae"]["period"]["start"] = "22"  # $defs/year_or_date

    def errors(validator):
        return sorted(
            (
                (list(e.absolute_path), e.validator, e.message, e.schema.get("description"))
                for e in validator.iter_errors(_normalise(data))
            ),
            key=repr,
        )

    got = errors(_validator())
    assert len(got) >= 6
    assert got == errors(plain)


# --- hostile input: bounded work ---------------------------------------------------------------------


def _alias_bomb(levels: int) -> str:
    """An unknown key whose value is a "billion laughs": each level is 9 aliases of the one before
    (9**levels strings once built)."""
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "junk:\n" + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_before_anything_is_built(tmp_path, capsys):
    """A 10 KB record with 9 levels of aliases (it took 1.3 GB and ended in a MemoryError traceback)
    fails with exit 2 in well under a second and 100 MB: anchors and aliases are refused before
    the document is built."""
    import time
    import tracemalloc

    from lod_unioni.cli import main

    d = tmp_path / "records"
    d.mkdir()
    text = (FIXTURES / "udcmd.yaml").read_text(encoding="utf-8") + _alias_bomb(9)
    text += "# padding\n" * ((10_000 - len(text)) // 10)
    (d / "udcmd.yaml").write_text(text, encoding="utf-8")
    assert 9_000 < (d / "udcmd.yaml").stat().st_size < 11_000
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(RecordError) as info:
            load_records(d)
        took = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert took < 1.0 and peak < 100 * 2**20, (took, peak)
    err = info.value
    assert err.file == str(d / "udcmd.yaml") and err.line == text.splitlines().index("junk:") + 2
    assert "anchor 'a0'" in err.message and "not allowed" in err.message
    capsys.readouterr()
    assert main(["build", "--records", str(d), "--out", str(tmp_path / "out")]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines[-1].startswith(f"lod-unioni: error: {d / 'udcmd.yaml'}:") and "Traceback" not in "".join(lines)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t + "merged:\n  <<: *a\n", "alias 'a'"),  # an alias (here without its anchor)
        (lambda t: t + "x: &x {a: 1}\n", "anchor 'x'"),  # an anchor nobody uses
        (lambda t: t.replace("surface_km2: 122.56", "surface_km2: !!float &f 122.56"), "anchor 'f'"),
        (lambda t: t.replace("value: 5812", "value: " + "1" * 5000), "a number with more than"),
        (lambda t: t + "junk: " + "9" * 100_000 + "\n", "a number with more than"),
    ],
)
def test_anchors_aliases_and_endless_numbers_are_one_line_errors(tmp_path, edit, message):
    path = tmp_path / "udcmd.yaml"
    path.write_text(edit((FIXTURES / "udcmd.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    err = _error(path)
    assert message in err.message and err.file == str(path) and err.record == "udcmd"


def test_a_text_with_ampersands_and_asterisks_in_strings_is_read_as_before(tmp_path):
    data = _data()
    data["union"]["name"] = "Unione dei Miracoli & *Co*"
    record = load_record(_write(tmp_path, "udcmd.yaml", data))
    assert record.name == "Unione dei Miracoli & *Co*"


def test_a_record_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    from lod_unioni.records import MAX_RECORD_BYTES

    assert MAX_RECORD_BYTES == 4 * 2**20  # real records are a few KB
    path = tmp_path / "udcmd.yaml"
    with open(path, "wb") as fh:  # a sparse file of 5 MB: only what is read costs anything
        fh.write((FIXTURES / "udcmd.yaml").read_bytes())
        fh.truncate(5 * 2**20)
    err = _error(path)
    assert "too large" in err.message and str(MAX_RECORD_BYTES) in err.message
    small = _write(tmp_path / "small", "udcmd.yaml", _data())
    assert load_record(small, max_bytes=small.stat().st_size).ipa_code == "udcmd"
    with pytest.raises(RecordError, match="too large"):
        load_records(small.parent, max_bytes=small.stat().st_size - 1)


# --- a records folder: nothing skipped silently ------------------------------------------------------


def _records_folder(tmp_path: Path) -> Path:
    d = tmp_path / "records"
    shutil.copytree(FIXTURES, d)
    return d


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: (d / "ull.yaml").rename(d / "ull.yml"), "rename it to ull.yaml"),
        (lambda d: (d / "ull.yaml").rename(d / "ull.YAML"), "rename it to ull.yaml"),
        (lambda d: (d / "udcmd.yaml").rename(d / "udcmd.Yml"), "rename it to udcmd.yaml"),
        (lambda d: (d / "new.yaml").symlink_to(d / "nowhere.yaml"), "not a record file: a dangling symbolic link"),
        (lambda d: (d / "loop.yaml").symlink_to(d / "loop.yaml"), "not a record file: unreadable"),
        (lambda d: os.mkfifo(d / "fifo.yaml"), "not a record file: a FIFO"),
        (lambda d: os.mkfifo(d / "pipe"), "not a record file: a FIFO"),
        (lambda d: (d / "folder.yaml").mkdir(), "not a record file: a folder"),
        (lambda d: (d / "abruzzo").mkdir(), "records are not read from subfolders"),
        (lambda d: (d / "README").symlink_to(d / "gone"), "not a record file: a dangling symbolic link"),
    ],
)
def test_an_entry_of_the_records_folder_that_is_not_a_record_is_an_error(tmp_path, make, message):
    """A record spelt otherwise, or an entry that is not a regular file, would make a union vanish
    from the dumps without a word: it is a one-line error naming the entry."""
    d = _records_folder(tmp_path)
    before = set(os.listdir(d))
    make(d)
    (entry,) = set(os.listdir(d)) - before or {n for n in os.listdir(d) if n not in ("udcmd.yaml", "ull.yaml")}
    with pytest.raises(RecordError) as info:
        load_records(d)
    assert info.value.file == str(d / entry) and message in info.value.message, str(info.value)
    assert "\n" not in str(info.value) and info.value.exit_code == 2


def test_an_unreadable_record_is_an_error(tmp_path, monkeypatch):
    d = _records_folder(tmp_path)
    real_open = open

    def no_permission(path, *args, **kwargs):
        if Path(path).name == "ull.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_permission)
    with pytest.raises(RecordError) as info:
        load_records(d)
    assert info.value.file == str(d / "ull.yaml") and "cannot read the record: Permission denied" in info.value.message


def test_other_files_and_hidden_entries_of_the_records_folder_are_warned_about(tmp_path, capsys):
    from lod_unioni import progress

    d = _records_folder(tmp_path)
    for name in ("README.md", "ull.yaml~", ".gitkeep", ".udcmd.yaml.swp"):
        (d / name).write_text("x\n", encoding="utf-8")
    (d / ".#udcmd.yaml").symlink_to("steward@host.1234")  # an editor's lock: a dangling link
    (d / ".git").mkdir()
    with progress.reporting():
        records = load_records(d)
    assert [r.path.name for r in records] == ["udcmd.yaml", "ull.yaml"]
    warnings = capsys.readouterr().err.splitlines()
    for name in (".#udcmd.yaml", ".git", ".gitkeep", ".udcmd.yaml.swp", "README.md", "ull.yaml~"):
        line = f"lod-unioni: warning: {d / name}: "
        assert sum(w.startswith(line) and "not read" in w for w in warnings) == 1, (name, warnings)
    assert len(warnings) == 6


# --- values are what they claim: patterns on the whole text, no control characters ---------------


@pytest.mark.parametrize(
    "field, value",
    [
        (("members", 0, "istat_code"), "069015\n"),
        (("members", 0, "cadastral_code"), "B865\n"),
        (("union", "founded"), "2011\n"),
        (("union", "region", "code"), "13\n"),
        (("members", 0, "name"), "Casalbordino\nPollutri"),
        (("union", "name"), "Unione\u0000dei Miracoli"),
        (("italiae", "need"), "AVERE UN QUADRO\u001b[31m"),
    ],
)
def test_a_value_with_a_trailing_newline_or_a_control_character_is_refused(field, value):
    """Python's `$` matches before a final newline: the schema's ECMA patterns must not."""
    data = yaml.safe_load((RECORDS / "udm_069.yaml").read_text(encoding="utf-8"))
    target = data
    for key in field[:-1]:
        target = target[key]
    target[field[-1]] = value
    with pytest.raises(RecordError) as info:
        validate_record(data, file="udm_069.yaml")
    dotted = ".".join(str(k) for k in field).replace(".0.", "[0].")
    assert info.value.field == dotted, str(info.value)
    assert "\n" not in str(info.value)


def test_the_record_as_it_is_passes():
    data = yaml.safe_load((RECORDS / "udm_069.yaml").read_text(encoding="utf-8"))
    assert validate_record(data, file="udm_069.yaml")["union"]["name"] == "Unione dei Miracoli"
