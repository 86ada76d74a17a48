"""The bundled SKOS vocabularies read once (lod_unioni.vocabularies): concepts of a scheme for the
card importer, key -> value tables for the mapping language's lookups."""

from __future__ import annotations

import pytest
from conftest import LUS, LUUS, SKOS

from lod_unioni.errors import LodError
from lod_unioni.vocabularies import (
    SCHEMES,
    SERVICE_STATUS,
    SERVICES,
    UNION_STATUS,
    VocabularyError,
    bundled_path,
    concepts,
    lookup_table,
    read_vocabulary,
)

TWO_CONCEPTS = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://x.org/s/a> a skos:Concept ; skos:notation "a" ; skos:prefLabel "Tributi"@it , "Taxes"@en ;
    skos:altLabel "Ufficio tributi"@it ; skos:hiddenLabel "TRIBUTI"@it ; skos:inScheme <https://x.org/s> .
<https://x.org/s/b> a skos:Concept ; skos:prefLabel "Polizia"@it ; skos:topConceptOf <https://x.org/s> .
<https://x.org/s/c> skos:notation "c" ; skos:prefLabel "Not a concept"@it ; skos:inScheme <https://x.org/s> .
"""


def test_bundled_schemes():
    services = concepts(bundled_path(SERVICES), SCHEMES[SERVICES])
    assert SCHEMES[SERVICES] + "/" == str(LUS)
    assert services["tributi"].iri == LUS + "tributi"
    assert (services["tributi"].pref_it, services["tributi"].pref_en) == ("Tributi", "Local taxes")
    assert "Ufficio tributi" in services["tributi"].labels
    assert list(services) == sorted(services, key=lambda n: services[n].iri)  # in IRI order
    statuses = concepts(bundled_path(SERVICE_STATUS), SCHEMES[SERVICE_STATUS])
    assert set(statuses) == {"active", "planned"}


def test_the_union_status_scheme_is_what_records_and_the_build_use():
    import json

    from lod_unioni.national.status import STATUSES
    from lod_unioni.resources import schema_path

    statuses = concepts(bundled_path(UNION_STATUS), SCHEMES[UNION_STATUS])
    assert SCHEMES[UNION_STATUS] + "/" == str(LUUS)
    assert set(statuses) == {"active", "in-liquidation", "not-in-ipa", "single-member"} == set(STATUSES)
    assert all(c.pref_it and c.pref_en and c.iri == LUUS + n for n, c in statuses.items())
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert schema["properties"]["union"]["properties"]["status"]["enum"] == sorted(statuses)


def test_concepts_notation_labels_and_scheme(tmp_path):
    p = tmp_path / "v.ttl"
    p.write_text(TWO_CONCEPTS, encoding="utf-8")
    found = concepts(p, "https://x.org/s")
    assert list(found) == ["a", "b"]  # c is not a skos:Concept; b has no notation: its last IRI segment
    assert found["a"].labels == ("TRIBUTI", "Taxes", "Tributi", "Ufficio tributi")
    assert (found["b"].pref_it, found["b"].pref_en, found["b"].labels) == ("Polizia", None, ("Polizia",))
    with pytest.raises(VocabularyError) as info:
        concepts(p, "https://x.org/other")
    assert info.value.message == "no concept of scheme https://x.org/other"


def test_a_concept_without_an_italian_label_is_refused(tmp_path):
    p = tmp_path / "v.ttl"
    p.write_text(TWO_CONCEPTS.replace('"Polizia"@it', '"Police"@en'), encoding="utf-8")
    with pytest.raises(LodError) as info:
        concepts(p, "https://x.org/s")
    assert (info.value.file, info.value.message) == (str(p), "concept https://x.org/s/b has no skos:prefLabel @it")


def test_lookup_table(tmp_path):
    services = lookup_table(bundled_path(SERVICES), SKOS + "notation", SKOS + "prefLabel", "en")
    assert services["tributi"] == "Local taxes"
    p = tmp_path / "v.ttl"
    p.write_text(TWO_CONCEPTS, encoding="utf-8")
    assert lookup_table(p, SKOS + "notation", SKOS + "prefLabel", "it") == {"a": "Tributi", "c": "Not a concept"}
    assert lookup_table(p, SKOS + "notation", SKOS + "prefLabel") == {"a": "Tributi", "c": "Not a concept"}
    assert lookup_table(p, SKOS + "inScheme", SKOS + "notation") == {"https://x.org/s": "a"}  # the first wins


def test_a_file_is_read_once_and_again_when_it_changes(tmp_path):
    p = tmp_path / "v.ttl"
    p.write_text(TWO_CONCEPTS, encoding="utf-8")
    first = read_vocabulary(p)
    assert read_vocabulary(p) is first
    p.write_text(TWO_CONCEPTS.replace('"Polizia"@it', '"Polizia locale"@it'), encoding="utf-8")  # another size
    again = read_vocabulary(p)
    assert again is not first and concepts(p, "https://x.org/s")["b"].pref_it == "Polizia locale"


def test_unreadable_files(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://x.org/a> skos:notation .\n", encoding="utf-8")
    with pytest.raises(VocabularyError) as info:
        read_vocabulary(bad)
    assert info.value.message.startswith("cannot read the vocabulary: ") and info.value.file == str(bad)
    assert info.value.reason and info.value.reason in info.value.message
    with pytest.raises(VocabularyError, match="cannot read the vocabulary"):
        read_vocabulary(tmp_path / "missing.ttl")


def test_the_pnrr_schemes_name_every_measure_and_state_the_reader_knows():
    from conftest import LUPM, LUPST

    from lod_unioni.sources.padigitale import STATUS_LABELS
    from lod_unioni.vocabularies import PNRR_MEASURES, PNRR_STATUS

    measures = concepts(bundled_path(PNRR_MEASURES), SCHEMES[PNRR_MEASURES])
    assert set(measures) == {"1.1", "1.2", "1.3.1", "1.4.1", "1.4.3", "1.4.4", "1.4.5"}
    assert measures["1.4.4"].iri == LUPM + "1.4.4"
    assert all(c.pref_it.startswith(f"M1C1 {n} ") and c.pref_en for n, c in measures.items())
    statuses = concepts(bundled_path(PNRR_STATUS), SCHEMES[PNRR_STATUS])
    assert set(statuses) == set(STATUS_LABELS) == {"A", "R", "E"}
    assert (statuses["R"].iri, statuses["R"].pref_en) == (LUPST + "R", "Renounced")
