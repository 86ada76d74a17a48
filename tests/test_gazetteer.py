"""Name resolution with the ISTAT list and OntoPiA (lod_unioni.gazetteer.Gazetteer).

Expected codes were read by hand from ../shared/data (istat/Elenco-comuni-italiani.csv,
ontopia/cities.csv, provinces.csv, regions.csv).
"""

from __future__ import annotations

from datetime import date

import pytest

from lod_unioni.gazetteer import Gazetteer, ResolveError


@pytest.fixture(scope="module")
def g(shared_data):
    return Gazetteer.from_sources(shared_data)


# member comuni of the two seed cards: card name -> (ISTAT code, cadastral code)
MIRACOLI = {
    "Casalbordino": ("069015", "B865"),
    "Pollutri": ("069068", "G799"),
    "Scerni": ("069087", "I520"),
    "Villalfonsina": ("069100", "L961"),
}
LAGONEGRESE = {
    "Castelluccio Inferiore": ("076022", "C199"),
    "Castelluccio Superiore": ("076023", "C201"),
    "Lagonegro": ("076039", "E409"),
    "Latronico": ("076040", "E474"),
    "Lauria": ("076042", "E483"),
    "Maratea": ("076044", "E919"),
    "Nemoli": ("076054", "F866"),
    "Rivello": ("076068", "H348"),
    "Trecchina": ("076092", "L357"),
}


def test_gazetteer_from_the_real_sources_knows_every_current_comune(shared_data):
    g = Gazetteer.from_sources(shared_data)
    # every comune of the ISTAT list (7,896 in December 2024) resolves by its own name and province
    assert g.comune("Casalbordino", province_code="069").istat_code == "069015"
    assert g.comune("Lauria", province_code="076").istat_code == "076042"


@pytest.mark.parametrize("name, codes", sorted(MIRACOLI.items()))
def test_miracoli_members(g, name, codes):
    c = g.comune(name, "069", "13")
    assert (c.istat_code, c.cadastral_code) == codes
    assert (c.province_code, c.province_acronym, c.region_code) == ("069", "CH", "13")
    assert c.ontopia_city == f"{codes[0]}-(1948-01-01)" and c.city_valid_from == date(1948, 1, 1)
    assert c.ipa_code == "c_" + codes[1].lower()
    assert c.problems == ()


@pytest.mark.parametrize("name, codes", sorted(LAGONEGRESE.items()))
def test_lagonegrese_members(g, name, codes):
    c = g.comune(name, "076", "17")
    assert (c.istat_code, c.cadastral_code, c.province_acronym, c.region_code) == (*codes, "PZ", "17")
    assert c.ontopia_city == f"{codes[0]}-(1948-01-01)"


def test_ontopia_start_date_is_the_current_rows(g):
    c = g.comune("Ripacandida", "076")  # cities.csv: 076067-(1965-08-04), current
    assert (c.istat_code, c.ontopia_city, c.city_valid_from) == ("076067", "076067-(1965-08-04)", date(1965, 8, 4))
    c = g.comune("Agliè", "001")  # current row 001001-(2015-01-01)
    assert c.ontopia_city == "001001-(2015-01-01)"


@pytest.mark.parametrize("variant", ["casalbordino", "CASALBORDINO", " Casalbordino ", "CasalBordino"])
def test_case_and_spaces(g, variant):
    assert g.comune(variant, "069").istat_code == "069015"


@pytest.mark.parametrize("variant", ["Agliè", "AGLIÈ", "AGLIE'", "Aglie", "agliè"])
def test_accents(g, variant):
    assert g.comune(variant, "001").istat_code == "001001"


@pytest.mark.parametrize(
    "variant",
    [
        "Sant'Eusanio del Sangro",
        "Sant’Eusanio del Sangro",
        "SANT'EUSANIO DEL SANGRO",
        "Sant` Eusanio del Sangro",
        "sant’eusanio  del sangro",
        "Sant'Eusanio-del-Sangro",
    ],
)
def test_sant_and_apostrophes(g, variant):
    c = g.comune(variant, "069", "13")
    assert (c.istat_code, c.cadastral_code) == ("069085", "I335")


def test_hyphens(g):
    assert g.comune("Castelluccio-Inferiore", "076").istat_code == "076022"


@pytest.mark.parametrize("variant", ["Aldino", "Aldein", "Aldino/Aldein", "ALDEIN"])
def test_bilingual_names(g, variant):
    c = g.comune(variant, "021", "04")
    assert (c.istat_code, c.name, c.cadastral_code) == ("021001", "Aldino/Aldein", "A179")


def test_wrong_province(g):
    with pytest.raises(ResolveError) as info:
        g.comune("Casalbordino", "076", "17")
    assert info.value.reason == "other-region"
    with pytest.raises(ResolveError) as info:
        g.comune("Casalbordino", "076")
    assert info.value.reason == "other-province"
    assert "Potenza" in str(info.value) and "069015" in str(info.value)
    assert info.value.candidates == ("Casalbordino (069015, province CH)",)


def test_other_province_same_region(g):
    # Sant'Eusanio Forconese is in the province of L'Aquila (066), same region (Abruzzo) as Chieti
    with pytest.raises(ResolveError) as info:
        g.comune("Sant'Eusanio Forconese", "069", "13")
    assert info.value.reason == "other-province"
    assert g.comune("Sant'Eusanio Forconese", None, "13").istat_code == "066090"


def test_unknown_name_with_suggestion(g):
    with pytest.raises(ResolveError) as info:
        g.comune("Casalbordinoo", "069", "13")
    assert info.value.reason == "not-found"
    assert "did you mean Casalbordino (069015" in str(info.value)
    with pytest.raises(ResolveError, match="no comune named 'Atlantide'") as info:
        g.comune("Atlantide", "069")
    assert info.value.reason == "not-found"


def test_ambiguous_without_province(g):
    with pytest.raises(ResolveError) as info:
        g.comune("Castro")
    assert info.value.reason == "ambiguous"
    assert len(info.value.candidates) == 2
    assert g.comune("Castro", "016").istat_code == "016065"  # Bergamo
    assert g.comune("Castro", "075").istat_code == "075096"  # Lecce
    assert g.comune("Castro", None, "16").cadastral_code == "M261"


def test_no_guessing_on_partial_names(g):
    with pytest.raises(ResolveError):
        g.comune("Castelluccio", "076")  # Inferiore or Superiore: never picked
    with pytest.raises(ResolveError):
        g.comune("S. Eusanio del Sangro", "069")


# ---- provinces and regions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, code",
    [
        ("ABRUZZO", "13"),
        ("Basilicata", "17"),
        ("Friuli Venezia Giulia", "06"),
        ("FRIULI-VENEZIA GIULIA", "06"),
        ("Trentino Alto Adige", "04"),
        ("Valle d'Aosta", "02"),
        ("VALLE D’AOSTA", "02"),
        ("Regione Abruzzo", "13"),
        ("Emilia Romagna", "08"),
    ],
)
def test_regions(g, name, code):
    assert g.region(name).code == code


def test_region_unknown(g):
    with pytest.raises(ResolveError) as info:
        g.region("Padania")
    assert info.value.reason == "not-found"


@pytest.mark.parametrize(
    "name, region, expected",
    [
        ("CHIETI", "13", ("069", "CH", "13")),
        ("POTENZA", "17", ("076", "PZ", "17")),
        ("Potenza", None, ("076", "PZ", "17")),
        ("Provincia di Chieti", None, ("069", "CH", "13")),
        ("Bolzano", None, ("021", "BZ", "04")),
        ("Bozen", None, ("021", "BZ", "04")),
        ("TORINO", "01", ("001", "TO", "01")),
        ("CH", None, ("069", "CH", "13")),
        ("Sud Sardegna", None, ("111", "SU", "20")),
        ("Monza e della Brianza", None, ("108", "MB", "03")),
    ],
)
def test_provinces(g, name, region, expected):
    p = g.province(name, region)
    assert (p.code, p.acronym, p.region_code) == expected


def test_province_in_wrong_region(g):
    with pytest.raises(ResolveError) as info:
        g.province("CHIETI", "17")
    assert info.value.reason == "other-region"
    assert "Basilicata" in str(info.value)


def test_province_unknown(g):
    with pytest.raises(ResolveError, match="no province named 'Chiety'; did you mean Chieti"):
        g.province("Chiety")
