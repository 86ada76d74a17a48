"""IPA reader: the real files in ../shared/data and small bad files.

Expected values were read by hand in ipa/enti-2024-07-31.csv and ipa/enti-full-columns-sample.csv.
"""

from __future__ import annotations

import pytest

from lod_unioni.errors import SourceError
from lod_unioni.sources.ipa import IpaIndex, normalize_ipa_code, read_ipa, read_ipa_index, website_url


@pytest.fixture(scope="module")
def ipa(shared_data) -> IpaIndex:
    return read_ipa_index(shared_data / "ipa" / "enti-2024-07-31.csv")


@pytest.fixture(scope="module")
def sample(shared_data):
    return {b.code: b for b in read_ipa(shared_data / "ipa" / "enti-full-columns-sample.csv")}


def test_count(shared_data):
    index = read_ipa_index(shared_data / "ipa" / "enti-2024-07-31.csv")
    assert len(index) == 23558


def test_unione_dei_miracoli(ipa):
    b = ipa["udm_069"]
    assert b.name == "Unione Dei Miracoli"
    assert b.category == "L18" and b.is_union and not b.is_comune
    assert b.category_name == "Unioni di Comuni e loro Consorzi e Associazioni"
    assert b.seat_istat == "069015"
    assert b.natura == "2450"
    assert b.website == "https://unionedeimiracoli.eu/"
    assert b.website_url == "https://unionedeimiracoli.eu/"


def test_other_known_unions(ipa):
    dauni = ipa["udcmd"]
    assert dauni.name == "Unione Dei Comuni Dei Monti Dauni"
    assert dauni.seat_istat == "071001"
    assert dauni.website is None  # empty url cell
    ull = ipa["ull"]
    assert ull.name == "Unione Lucana del Lagonegrese"
    assert ull.seat_istat == "076042" and ull.category == "L18"


def test_lookups_ignore_case(ipa):
    assert ipa.get("UDM_069") is ipa["udm_069"]
    assert "Udm_069" in ipa
    assert ipa.get("no-such-code") is None
    assert ipa.get(None) is None
    # codes written in capitals by the publisher are compared in lower case ...
    assert ipa.get("05GYSWFH").code == "05gyswfh"
    # ... and keep IPA's spelling (file lines 4, and UTA, c_B705, udm_069 found with grep)
    assert ipa.get("05gyswfh").official_code == "05GYSWFH"
    assert ipa.get("uta").official_code == "UTA"
    assert ipa.get("C_B705").official_code == "c_B705"
    assert ipa.get("UDM_069").official_code == "udm_069"


def test_l18_and_l6_helpers(ipa):
    unions = ipa.unions()
    comuni = ipa.comuni()
    assert len(unions) == 509
    assert len(comuni) == 8037
    assert all(b.category == "L18" for b in unions)
    assert "udm_069" in {b.code for b in unions}
    # the comune seated in Casalbordino (069015) is its own IPA organization c_ + cadastral code
    assert ipa.comune("069015").code == "c_b865"
    assert ipa.comune("69015").name == "Comune di Casalbordino"
    assert {b.code for b in ipa.with_seat("069015")} >= {"udm_069", "c_b865"}


def test_sources_folder_is_accepted(shared_data):
    # a --sources folder: ipa/enti-*.csv is found, the 3-row sample is not mistaken for it
    index = read_ipa_index(shared_data)
    assert len(index) == 23558
    assert index.path.name == "enti-2024-07-31.csv"


def test_full_export_with_bom_parses(sample):
    assert set(sample) == {"udcmd", "udm_069", "ull"}
    ull = sample["ull"]
    assert ull.tax_code == "91014970767"
    assert ull.seat_cadastral == "E483"
    assert ull.postcode == "85044"
    assert ull.address == "Traversa Largo Plebiscito, 12"
    assert ull.pec == "protocollo@pec.unionelucanalagonegrese.it"
    assert ull.emails == ("protocollo@pec.unionelucanalagonegrese.it", "unionelucanadellagonegrese@rete.basilicata.it")
    assert ull.updated.isoformat() == "2017-11-27"
    assert ull.website == "www.unionelucanalagonegrese.it"
    assert ull.website_url == "http://www.unionelucanalagonegrese.it"
    assert sample["udm_069"].seat_cadastral == "B865"


def test_full_export_agrees_with_extract(ipa, sample):
    """The 35-column layout and the reduced one give the same fields for the same bodies."""
    for code, full in sample.items():
        short = ipa[code]
        for name in ("code", "name", "category", "kind", "natura", "ateco", "seat_istat"):
            assert getattr(full, name) == getattr(short, name), (code, name)
    assert sample["udm_069"].website == ipa["udm_069"].website
    # the extract of July 2024 has no website for ull; the full export has one
    assert ipa["ull"].website is None and sample["ull"].website is not None


def test_helpers():
    assert normalize_ipa_code("  C_C078 ") == "c_c078"
    assert website_url(None) is None
    assert website_url("  ") is None
    assert website_url("www.comune.it") == "http://www.comune.it"
    assert website_url("HTTPS://Comune.it/x") == "https://Comune.it/x"


HEADER = "Codice_IPA,Denominazione_ente,Codice_comune_ISTAT,Tipologia,Codice_Categoria,Codice_natura,url\n"


def _write(tmp_path, text, name="enti.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_tolerant_headers_encoding_and_case(tmp_path):
    text = (
        "codice_ipa;DENOMINAZIONE_ENTE;codice_comune_istat;TIPOLOGIA;codice_categoria;codice_natura;URL\r\n"
        "C_A123;Comune di Città;1001;Pubbliche Amministrazioni;l6;2430;\r\n"
    )
    p = _write(tmp_path, text, encoding="cp1252")
    [b] = read_ipa(p)
    assert b.code == "c_a123"
    assert b.name == "Comune di Città"
    assert b.seat_istat == "001001"
    assert b.category == "L6"
    assert b.website is None


def test_bad_seat_code_names_line_and_column(tmp_path):
    p = _write(tmp_path, HEADER + "c_a001,Comune A,069001,PA,L6,2430,\nc_a002,Comune B,69X01,PA,L6,2430,\n")
    with pytest.raises(SourceError) as err:
        read_ipa(p)
    e = err.value
    assert e.file == str(p) and e.line == 3 and e.column == "Codice_comune_ISTAT"
    assert "69X01" in str(e)


def test_missing_column_is_an_error(tmp_path):
    p = _write(tmp_path, "Codice_IPA,Denominazione_ente,url\nc_a001,Comune A,\n")
    with pytest.raises(SourceError) as err:
        read_ipa(p)
    assert err.value.line == 1
    assert "Codice_Categoria" in str(err.value)


def test_duplicate_code_ignoring_case(tmp_path):
    p = _write(tmp_path, HEADER + "c_a001,Comune A,069001,PA,L6,2430,\nC_A001,Comune A bis,069001,PA,L6,2430,\n")
    with pytest.raises(SourceError) as err:
        read_ipa(p)
    assert err.value.line == 3 and err.value.column == "Codice_IPA"
    assert "line 2" in str(err.value)


def test_empty_code_and_bad_category(tmp_path):
    with pytest.raises(SourceError) as err:
        read_ipa(_write(tmp_path, HEADER + " ,Comune A,069001,PA,L6,2430,\n"))
    assert err.value.line == 2 and "empty IPA code" in str(err.value)
    with pytest.raises(SourceError) as err:
        read_ipa(_write(tmp_path, HEADER + "c_a001,Comune A,069001,PA,Unione!,2430,\n", name="b.csv"))
    assert err.value.column == "Codice_Categoria"


def test_bad_update_date(tmp_path):
    text = (
        "_id,Codice_IPA,Denominazione_ente,Codice_Categoria,Data_aggiornamento\n"
        "1,x1,Ente,L6,2023-02-23\n2,x2,Ente 2,L6,23/02/2023\n"
    )
    with pytest.raises(SourceError) as err:
        read_ipa(_write(tmp_path, "\ufeff" + text))
    assert err.value.line == 3 and err.value.column == "Data_aggiornamento"
