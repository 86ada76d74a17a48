"""The mapping language and engine, on small hand-written mappings and records."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import EX, FIXTURES_DIR, RDF, XSD, B
from pyoxigraph import Literal, NamedNode

from lod_unioni.errors import RecordError
from lod_unioni.mapping import MappingError, lexical, load_mapping, map_record, map_records
from lod_unioni.records import Record, load_records

FIXTURES = FIXTURES_DIR / "records"

PREFIXES = {"prefixes": {"ex": EX, "xsd": XSD}}

RDF_TYPE = str(RDF.type)


def _mapping(tmp_path: Path, files: dict[str, str], prefixes=PREFIXES):
    d = tmp_path / "mappings"
    d.mkdir(exist_ok=True)
    (d / "prefixes.yaml").write_text(yaml.safe_dump(prefixes), encoding="utf-8")
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return load_mapping(d)


def _record(data: dict, name: str = "u1.yaml") -> Record:
    return Record(path=Path("/records") / name, data=data)


def _spo(triples):
    out = set()
    for t in triples:
        o = t.object
        if isinstance(o, Literal):
            o = (o.value, o.language or o.datatype.value)
        else:
            o = o.value
        out.add((t.subject.value, t.predicate.value, o))
    return out


UNION = """
let:
  u: "{base}union/{union.code|lower}"
resources:
  - name: union
    for_each: union
    subject: "{:u}"
    types: [ex:Union]
    properties:
      ex:code: {literal: "{.code|lower}"}
      ex:name: {literal: "{.name}", lang: it}
      ex:category: {iri: "ex:cat/206"}
      ex:site: {iri: "{:u}/website", when: .website}
      ex:founded: {literal: "{.founded}", datatype: "@year-or-date"}
      ex:member: {iri: "{base}comune/{.istat}", for_each: "members[*]"}
  - name: member-population
    for_each: "members[*].population"
    subject: "{base}comune/{..istat}/pop/{.date|default:stated}"
    properties:
      ex:value: {literal: "{.value}", datatype: "@number"}
      ex:statedBy: {iri: "{:u}"}
      ex:source: {literal: "{.source|slug}"}
"""


def test_subject_types_literals_constant_iri_and_iterators(tmp_path):
    m = _mapping(tmp_path, {"u.yaml": UNION})
    data = {
        "union": {"code": "UDCMD", "name": "Unione dei Miracoli", "founded": "2011"},
        "members": [
            {
                "istat": "069015",
                "population": {"value": 5812, "date": "2022-01-01", "source": "Istat, Popolazione residente 2022"},
            },
            {"istat": "069068", "population": {"value": Decimal("2040.5")}},
        ],
    }
    got = _spo(map_record(_record(data), "http://b.example/", m))
    u = "http://b.example/union/udcmd"
    assert got == {
        (u, RDF_TYPE, EX + "Union"),
        (u, EX + "code", ("udcmd", XSD + "string")),
        (u, EX + "name", ("Unione dei Miracoli", "it")),
        (u, EX + "category", EX + "cat/206"),
        (u, EX + "founded", ("2011", XSD + "gYear")),
        (u, EX + "member", "http://b.example/comune/069015"),
        (u, EX + "member", "http://b.example/comune/069068"),
        # {..istat} reads the enclosing member from inside its population
        ("http://b.example/comune/069015/pop/2022-01-01", EX + "value", ("5812", XSD + "integer")),
        ("http://b.example/comune/069015/pop/2022-01-01", EX + "statedBy", u),
        (
            "http://b.example/comune/069015/pop/2022-01-01",
            EX + "source",
            ("istat-popolazione-residente-2022", XSD + "string"),
        ),
        # no date: default:stated; a decimal value: xsd:decimal; no source: no triple
        ("http://b.example/comune/069068/pop/stated", EX + "value", ("2040.5", XSD + "decimal")),
        ("http://b.example/comune/069068/pop/stated", EX + "statedBy", u),
    }


def test_unless_makes_an_object_only_when_its_path_is_absent(tmp_path):
    """``unless: PATH``: a figure from a registry (``kind``) is not the union's: no ex:statedBy."""
    mapping = """
let:
  u: "{base}union/{union.code}"
resources:
  - for_each: "members[*].population"
    subject: "{base}comune/{..istat}/pop"
    properties:
      ex:statedBy: {iri: "{:u}", unless: .kind}
      ex:from: {iri: "{base}source/{.kind}"}
"""
    m = _mapping(tmp_path, {"u.yaml": mapping})
    data = {
        "union": {"code": "u1"},
        "members": [
            {"istat": "069015", "population": {"value": 1, "kind": "istat-population"}},
            {"istat": "069068", "population": {"value": 2}},
            {"istat": "069087", "population": {"value": 3, "kind": ""}},  # empty: absent
        ],
    }
    got = _spo(map_record(_record(data), B, m))
    assert got == {
        (B + "comune/069015/pop", EX + "from", B + "source/istat-population"),
        (B + "comune/069068/pop", EX + "statedBy", B + "union/u1"),
        (B + "comune/069087/pop", EX + "statedBy", B + "union/u1"),
    }


def test_optional_fields_drop_only_their_triple(tmp_path):
    m = _mapping(tmp_path, {"u.yaml": UNION})
    full = {"union": {"code": "u1", "name": "U", "website": "http://u.it", "founded": "2015-06-30"}, "members": []}
    got = _spo(map_record(_record(full), B, m))
    assert (B + "union/u1", EX + "site", B + "union/u1/website") in got
    assert (B + "union/u1", EX + "founded", ("2015-06-30", XSD + "date")) in got
    bare = {"union": {"code": "u1", "name": "U"}}
    got = _spo(map_record(_record(bare), B, m))
    assert got == {
        (B + "union/u1", RDF_TYPE, EX + "Union"),
        (B + "union/u1", EX + "code", ("u1", XSD + "string")),
        (B + "union/u1", EX + "name", ("U", "it")),
        (B + "union/u1", EX + "category", EX + "cat/206"),
    }
    # no union at all: the subject cannot be made, nothing is produced
    assert map_record(_record({"members": [{"istat": "069015"}]}), B, m) == []


def test_when_and_unless_choose_between_two_objects(tmp_path):
    # the link to IPA: owl:sameAs unless the record says the identity is only probable
    m = _mapping(
        tmp_path,
        {
            "u.yaml": """
resources:
  - for_each: union
    subject: "{base}union/{.code|lower}"
    properties:
      ex:sameAs: {iri: "ex:org/{.code}", unless: .doubt}
      ex:probably: {iri: "ex:org/{.code}", when: .doubt}
"""
        },
    )
    u = B + "union/uta"
    certain = _spo(map_record(_record({"union": {"code": "UTA"}}), B, m))
    assert certain == {(u, EX + "sameAs", EX + "org/UTA")}
    for empty in ("", [], None):  # absent or empty: as for when
        assert _spo(map_record(_record({"union": {"code": "UTA", "doubt": empty}}), B, m)) == certain
    probable = _spo(map_record(_record({"union": {"code": "UTA", "doubt": "probable"}}), B, m))
    assert probable == {(u, EX + "probably", EX + "org/UTA")}


def test_build_variables_functions_and_lists_of_scalars(tmp_path):
    m = _mapping(
        tmp_path,
        {
            "p.yaml": """
resources:
  - subject: "{base}source/{stem}"
    properties:
      ex:label: {literal: "Record {file}", lang: en}
      ex:card: {iri: "{base}card/{card.sha|first:8}"}
      ex:action: {literal: "{.}", lang: it, for_each: "actions[*]"}
      ex:upper: {literal: "{name|upper}"}
      ex:trim: {literal: "{name|trim|prepend:<|append:>}"}
      ex:braces: {literal: "{{literal}} {name}"}
"""
        },
    )
    data = {
        "card": {"sha": "90847faaabe1a949841"},
        "actions": ["SURVEY ONLINE", "PIANO"],
        "name": "  Unione  dei\tMiracoli ",
    }
    got = _spo(map_record(_record(data, "udcmd.yaml"), B, m))
    s = B + "source/udcmd"
    assert got == {
        (s, EX + "label", ("Record udcmd.yaml", "en")),
        (s, EX + "card", B + "card/90847faa"),
        (s, EX + "action", ("SURVEY ONLINE", "it")),
        (s, EX + "action", ("PIANO", "it")),
        (s, EX + "upper", ("  UNIONE  DEI\tMIRACOLI ", XSD + "string")),
        (s, EX + "trim", ("<Unione dei Miracoli>", XSD + "string")),
        (s, EX + "braces", ("{literal}   Unione  dei\tMiracoli ", XSD + "string")),
    }


def test_named_templates_are_shared_across_files_and_nested(tmp_path):
    m = _mapping(
        tmp_path,
        {
            "a.yaml": 'let:\n  u: "{base}union/{code}"\n  svc: "{:u}/service/{.concept}"\n',
            "b.yaml": 'resources:\n  - for_each: "services[*]"\n    subject: "{:svc}"\n    properties:\n'
            '      ex:by: {iri: "{:u}"}\n',
        },
    )
    got = _spo(map_record(_record({"code": "ull", "services": [{"concept": "tributi"}, {"concept": "suap"}]}), B, m))
    assert got == {
        (B + "union/ull/service/tributi", EX + "by", B + "union/ull"),
        (B + "union/ull/service/suap", EX + "by", B + "union/ull"),
    }


def test_lookup_from_a_vocabulary(tmp_path):
    d = tmp_path / "mappings"
    d.mkdir()
    (d / "vocab.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://v/tributi> skos:notation "tributi" ; skos:prefLabel "Tributi"@it , "Taxes"@en .\n',
        encoding="utf-8",
    )
    m = _mapping(
        tmp_path,
        {
            "s.yaml": """
lookups:
  label-en: {vocabulary: vocab.ttl, key: "http://www.w3.org/2004/02/skos/core#notation",
             value: "http://www.w3.org/2004/02/skos/core#prefLabel", language: en}
resources:
  - for_each: "services[*]"
    subject: "{base}s/{.concept}"
    properties:
      ex:label: {literal: "{.concept|lookup:label-en}", lang: en}
"""
        },
    )
    got = _spo(map_record(_record({"services": [{"concept": "tributi"}]}), B, m))
    assert got == {(B + "s/tributi", EX + "label", ("Taxes", "en"))}
    with pytest.raises(RecordError) as info:
        map_record(
            _record({"union": {"ipa_code": "ux"}, "services": [{"concept": "tributi"}, {"concept": "catasto"}]}), B, m
        )
    assert info.value.field == "services[1].concept" and "catasto" in info.value.message


def test_bundled_services_lookup_rejects_an_unknown_concept(tmp_path):
    udcmd = load_records(FIXTURES)[0]
    data = dict(udcmd.data)
    data["services"] = [
        {"concept": "centrale-unica-committenza", "status": "active"},
        {"concept": "servizio-inesistente", "status": "active"},
    ]
    with pytest.raises(RecordError) as info:
        map_record(Record(udcmd.path, data))
    err = info.value
    assert (err.record, err.field) == ("udcmd", "services[1].concept")
    assert "servizio-inesistente" in err.message and "services.ttl" in err.message


def test_a_value_that_makes_no_iri_is_a_record_error(tmp_path):
    m = _mapping(tmp_path, {"u.yaml": UNION})
    with pytest.raises(RecordError) as info:
        map_record(_record({"union": {"code": "u1", "name": "U"}, "members": [{"istat": "069 015"}]}), B, m)
    assert info.value.field == "members[0].istat"


@pytest.mark.parametrize(
    "text, words",
    [
        ('resources:\n  - subject: "{base}x"\n    types: [nope:Thing]\n', "known prefix"),
        ('resources:\n  - subject: "{base}x/{name|shout}"\n', "unknown function"),
        ('resources:\n  - subject: "{:missing}"\n', "unknown named template"),
        ('resources:\n  - subject: "{base}x"\n    colour: red\n', "unknown key"),
        ('resources:\n  - subject: "{base}x"\n    properties:\n      ex:p: {iri: "x", literal: "y"}\n', "exactly one"),
        (
            'resources:\n  - subject: "{base}x"\n    properties:\n      ex:p: {literal: "{a}{b}", datatype: "@number"}\n',
            "one placeholder",
        ),
        ('resources:\n  - subject: "{base}x/{name"\n', "unclosed"),
        ('resources:\n  - subject: "{base}x/{members[*]}"\n', "only in for_each"),
        ('let:\n  a: "{:b}"\n  b: "{:a}"\nresources:\n  - subject: "{:a}"\n', "refers to itself"),
        ("resources: [\n", "not valid YAML"),
    ],
)
def test_mapping_errors_name_the_file_and_place(tmp_path, text, words):
    with pytest.raises(MappingError) as info:
        _mapping(tmp_path, {"bad.yaml": text})
    assert words in str(info.value)
    assert info.value.file.endswith("bad.yaml")
    assert "\n" not in str(info.value)


def test_lexical():
    assert lexical(Decimal("623.4")) == "623.4"
    assert lexical(Decimal("95.860")) == "95.86"
    assert lexical(Decimal("4")) == "4.0"
    assert lexical(Decimal("1E+2")) == "100.0"
    assert lexical(5812) == "5812"


def test_bundled_mappings_use_only_terms_of_the_data_model(repo):
    """Every class and predicate the mappings write appears in ontology/MODEL.md."""
    model = (repo / "ontology" / "MODEL.md").read_text(encoding="utf-8")
    used = set()
    for path in sorted((repo / "mappings").glob("*.yaml")):
        if path.name == "prefixes.yaml":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for res in data.get("resources", []):
            used.update(res.get("types", []))
            used.update(res.get("properties", {}))
    assert used, "no terms found"
    missing = sorted(t for t in used if not re.search(r"(?<![\w:])" + re.escape(t) + r"(?![\w-])", model))
    assert missing == []


def test_mapping_at_national_scale_mints_every_comune():
    """560 unions x 14 comuni (7,840 comuni), like the national data: mapping takes well under a few seconds."""
    udcmd = load_records(FIXTURES)[0]
    records = []
    for u in range(560):
        data = dict(udcmd.data)
        data["union"] = dict(data["union"], ipa_code=f"u{u:04d}")
        members = []
        for c in range(14):
            m = dict(
                udcmd.members[c % 4].data, istat_code=f"{u:03d}{c:03d}", ontopia_city=f"{u:03d}{c:03d}-(1948-01-01)"
            )
            members.append(m)
        data["members"] = members
        records.append(Record(Path(f"/r/u{u:04d}.yaml"), data))
    triples = map_records(records)
    assert (
        len(
            {
                t.subject
                for t in triples
                if t.predicate.value == RDF_TYPE and t.object == NamedNode("https://w3id.org/lod-unioni/onto/Comune")
            }
        )
        == 560 * 14
    )
