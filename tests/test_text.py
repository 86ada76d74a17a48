"""Names, slugs, union-name similarity and websites (lod_unioni.text)."""

from __future__ import annotations

import pytest

from lod_unioni.text import (
    core_name,
    name_keys,
    name_similarity,
    normalize_name,
    parse_website,
    slug,
    strip_accents,
    title_case,
    website_key,
    website_url,
)


@pytest.mark.parametrize(
    "variants",
    [
        [
            "Sant'Angelo Lodigiano",
            "SANT’ANGELO LODIGIANO",
            "Sant` Angelo Lodigiano",
            "sant‘angelo lodigiano",
            "Sant'Angelo-Lodigiano",
            "  Sant'Angelo   Lodigiano ",
        ],
        ["Agliè", "AGLIÈ", "AGLIE'", "Aglie"],  # Ministry capitals write the accent as an apostrophe
        ["Castelluccio Inferiore", "CASTELLUCCIO-INFERIORE", "castelluccio  inferiore"],
        ["Cantù", "CANTU'", "Cantú"],
    ],
)
def test_normalize_name_equates_variants(variants):
    keys = {normalize_name(v) for v in variants}
    assert len(keys) == 1, keys


def test_normalize_name_values():
    assert normalize_name("Sant’Eusanio del Sangro") == "sant eusanio del sangro"
    assert normalize_name("Aldino/Aldein") == "aldino aldein"
    assert (
        normalize_name("Montagna sulla Strada del Vino/Montan an der Weinstraße")
        == "montagna sulla strada del vino montan an der weinstrasse"
    )
    assert normalize_name("") == ""


def test_normalize_name_keeps_different_names_apart():
    assert normalize_name("San Vito") != normalize_name("Santo Vito")
    assert normalize_name("Castelluccio Inferiore") != normalize_name("Castelluccio Superiore")
    assert normalize_name("Sant'Elia") != normalize_name("Santelia")  # the apostrophe separates words


def test_normalize_name_is_pure():
    text = "Sant’Angelo"
    assert normalize_name(text) == normalize_name(text)
    assert text == "Sant’Angelo"


@pytest.mark.parametrize(
    "caps, expected",
    [
        ("UNIONE DEI COMUNI LUCANI DEL LAGONEGRESE", "Unione dei Comuni Lucani del Lagonegrese"),
        ("UNIONE DEI MIRACOLI", "Unione dei Miracoli"),
        ("VALLE DELL'ANIENE", "Valle dell'Aniene"),
        ("UNIONE DEI COMUNI DELLA VAL D'ENZA", "Unione dei Comuni della Val d'Enza"),
        ("SANT'ANGELO LODIGIANO", "Sant'Angelo Lodigiano"),
        ("L'AQUILA", "L'Aquila"),
        ("UNIONE TERRE E FIUMI", "Unione Terre e Fiumi"),
        ("UNIONE MONTANA DEI COMUNI DEL MONVISO", "Unione Montana dei Comuni del Monviso"),
        ("DELLA VALLE", "Della Valle"),  # first word capitalised even if a preposition
        ("ABRUZZO", "Abruzzo"),
        ("unione  dei   comuni", "Unione dei Comuni"),
        ("CENTRALE UNICA (CUC)", "Centrale Unica (CUC)"),
    ],
)
def test_title_case(caps, expected):
    assert title_case(caps) == expected


def test_strip_accents_and_name_keys():
    assert strip_accents("Agliè Cantù") == "Aglie Cantu"
    assert name_keys("Aldino/Aldein") == {"aldino aldein", "aldino", "aldein"}
    assert name_keys("") == set()


def test_slug():
    assert slug("Community di innovazione") == "community-di-innovazione"
    assert slug("ATTIVITÀ LABORATORIALI") == "attivita-laboratoriali"
    assert slug("Istat, Popolazione residente 2022") == "istat-popolazione-residente-2022"
    assert slug("E' stato — Sant'Angelo ") == "e-stato-sant-angelo"
    assert slug("—") == "" and slug("") == ""


def test_slug_keeps_texts_apart_when_it_drops_letters():
    """Letters without an ASCII form are not dropped silently: the slug ends with a short hash of the
    text's Unicode slug, so that different texts do not collapse into one IRI segment."""
    slugs = {t: slug(t) for t in ("数据", "Источник", "Straße", "Strae", "a数b", "a据b", "ab")}
    assert len(set(slugs.values())) == len(slugs)
    assert slugs["数据"] == "5440f742" and slugs["Straße"] == "stra-e-787f4770" and slugs["ab"] == "ab"
    assert slug("Источник") == slug("ИСТОЧНИК")  # case is folded, as for ASCII letters
    assert slug("数据 x") == slug("数据-x") == "x-003fe43b"  # separators are folded, as for ASCII texts
    # accents are folded, not dropped: no hash
    assert [slug(t) for t in ("Agliè Cantù", "Sant’Angelo (CUC) 2022", "Ça va — où?")] == [
        "aglie-cantu",
        "sant-angelo-cuc-2022",
        "ca-va-ou",
    ]


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ("UNITE' DES COMMUNES VALDOTAINES GRAND-PARADIS", "Unione dei Comuni Valdostani Grand-Paradis", 1.0),
        (
            "UNIONE DEI COMUNI MONTANI MAIELLA ORIENTALE - VERDE AVENTINO",
            "Unione Dei Comuni Montani Maiella Orientale Verde Aventino",
            1.0,
        ),
        ("PANDOSIA", "Unione Dei Comuni Pandosia in Liquidazione", 1.0),
        ("UNION 3", "Unione dei Comuni Union3", 0.9),
        (
            "LE VALLI DELL'ENTELLA",
            "Unione Dei Comuni Montani della Valli Graveglia e Sturla - Le Valli dell'Entella",
            0.9,
        ),
        ("UTI MEDIO FRIULI", "Comunita' Collinare Del Friuli", 0.8),  # one word in common: weaker
    ],
)
def test_name_similarity_on_register_and_ipa_names(a, b, expected):
    assert name_similarity(a, b) == pytest.approx(expected)
    assert name_similarity(b, a) == pytest.approx(expected)


def test_different_unions_are_not_alike():
    assert (
        name_similarity("UNIONE TERRITORIALE INTERCOMUNALE DEL NONCELLO", "Unione Territoriale Intercomunale Collinare")
        < 0.6
    )


def test_union_names_and_website_keys():
    assert name_similarity("Unione dei Comuni Lucani del Lagonegrese", "Unione Lucana del Lagonegrese") >= 0.85
    assert name_similarity("Unione dei Miracoli", "Unione Dei Comuni Dei Monti Dauni") < 0.6
    assert name_similarity("Unione dei Miracoli", "UNIONE DEI MIRACOLI") == 1.0
    assert website_key("HTTPS://www.Example.it/") == "example.it"
    assert website_key("example.it/path/") == "example.it/path"
    assert website_key("  ") is None and website_key(None) is None
    assert core_name("Unione dei Comuni Lucani del Lagonegrese") == "lucani lagonegrese"
    assert core_name("Unione dei Comuni") == "unione dei comuni"  # only generic words: the whole name


def test_website_url_makes_a_registry_text_absolute():
    assert website_url("www.Example.it/X") == "http://www.Example.it/X"
    assert website_url("HTTPS://x.it") == "https://x.it"
    assert website_url("  ") is None and website_url(None) is None


@pytest.mark.parametrize(
    "card, expected",
    [
        ("WWW.UNIONECOMUNIALTOVERDURAGEBBIA.IT", "http://www.unionecomunialtoverduragebbia.it"),
        ("https://WWW.Example.IT/Pagina", "https://www.example.it/Pagina"),
        ("unione.example.it/", "http://unione.example.it/"),
        ("HTTP://WWW.EXAMPLE.IT", "http://www.example.it"),
    ],
)
def test_parse_website(card, expected):
    assert parse_website(card) == expected


@pytest.mark.parametrize("bad", ["non disponibile al momento", "ftp://example.it", "http://localhost", "www"])
def test_parse_website_rejects(bad):
    with pytest.raises(ValueError):
        parse_website(bad)


def test_title_case_is_linear_in_the_length_of_the_text():
    """It looked at the whole text before and after each word (quadratic: a 10 MB card line took
    minutes). Eight times the words take about eight times the CPU time, not sixty-four."""
    import time

    def cpu(words: int) -> float:
        text = "UNIONE DEI COMUNI (CUC) " * (words // 4)
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            title_case(text)
            best = min(best, time.process_time() - start)
        return best

    assert title_case("UNIONE DEI COMUNI (CUC) DELL'ANIENE ( ICT )") == "Unione dei Comuni (CUC) dell'Aniene ( ICT )"
    small, large = cpu(10_000), cpu(80_000)
    assert large < 20 * small, (small, large)
