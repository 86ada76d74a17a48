"""PA digitale 2026 readers: the real files and small bad files.

Expected values read by hand in padigitale2026/candidature_finanziate_141.csv (line 3: C_C078),
candidature_altrienti_finanziate.csv (line 124: a name with unescaped quotes) and avvisi.csv.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from lod_unioni.errors import SourceError
from lod_unioni.sources.padigitale import measure_code, read_avvisi, read_candidature, read_padigitale

HEADER = (
    "codice_ipa,ente,tipologia_ente,comune,cod_comune,provincia,cod_provincia,regione,cod_regione,"
    "importo_finanziamento,avviso,data_invio_candidatura,data_finanziamento,codice_cup,"
    "numero_finestra_temporale,numero_di_protocollo,decreto_finanziamento,stato_candidatura,"
    "data_stato_candidatura,misura\n"
)
ROW = (
    "C_A001,Comune di A,Comuni,A,001001,TO,001,Piemonte,01,{amount},1.4.1 Esperienza del Cittadino - Comuni,"
    "2022-04-27T11:03:08.000+0000,2022-08-19,E51F22000210006,1,32,Decreto n.32,{state},2024-12-23,"
    "1.4.1 Esperienza del cittadino nei servizi pubblici\n"
)


@pytest.fixture(scope="module")
def pad(shared_data):
    return read_padigitale(shared_data)


def test_counts(pad):
    by_file = {}
    for c in pad:
        by_file[c.file] = by_file.get(c.file, 0) + 1
    assert by_file == {
        "candidature_altrienti_finanziate.csv": 3054,
        "candidature_finanziate_11.csv": 413,
        "candidature_finanziate_131.csv": 11856,
        "candidature_finanziate_141.csv": 13513,
        "candidature_finanziate_144.csv": 12364,
        "candidature_finanziate_145.csv": 7707,
    }
    assert len(pad.avvisi) == 57


def test_codes_are_case_normalised(pad):
    rows = [c for c in pad.for_body("C_C078") if c.file == "candidature_finanziate_141.csv"]
    [c] = rows
    assert c.ipa_code == "c_c078"
    assert c.ente == "Comune di Castel D'Azzano"
    assert c.istat_code == "023021"
    assert (c.province, c.province_code, c.region_code) == ("VR", "023", "05")
    assert c.amount == Decimal("155234.00")
    assert c.submitted == datetime(2022, 4, 27, 11, 3, 8, tzinfo=UTC)
    assert c.funded == date(2022, 8, 19)
    assert c.cup == "E51F22000210006"
    assert (c.window, c.protocol) == (1, 32)
    assert c.status == "E" and c.status_date == date(2024, 12, 23)
    assert c.measure_code == "1.4.1"
    assert c.measure == "1.4.1 Esperienza del cittadino nei servizi pubblici"
    assert c.line == 3
    assert pad.for_body("c_c078") == pad.for_body("C_C078")
    assert all(x.ipa_code == x.ipa_code.lower() for x in pad)


def test_publisher_quirks(pad):
    # cod_comune "N/D" -> None (Moransengo, line 2 of the N/D rows in 131)
    nd = [c for c in pad if c.ipa_code == "c_f709" and c.file == "candidature_finanziate_131.csv"]
    assert nd and all(c.istat_code is None for c in nd)
    # the comune of None (TO) lost its name in the export: comune is None, the code is kept
    none = [c for c in pad if c.ipa_code == "c_f931"]
    assert none and all(c.comune is None and c.istat_code == "001168" for c in none)
    # an empty CUP -> None (Poggiardo, 131)
    assert any(c.ipa_code == "c_g751" and c.cup is None for c in pad)
    # data_invio_candidatura "None" -> None (Regione Piemonte, other bodies)
    assert any(c.ipa_code == "r_piemon" and c.submitted is None for c in pad)
    # unescaped quotes inside a quoted name are repaired (line 124 of candidature_altrienti_finanziate.csv)
    braga = [c for c in pad if c.file == "candidature_altrienti_finanziate.csv" and c.line == 124]
    assert braga[0].ente == 'ISTITUTO STATALE SUPERIORE DI STUDI MUSICALI E COREUTICI "GAETANO BRAGA"'
    assert braga[0].ipa_code == "impgbt" and braga[0].body_type == "Altri Enti"


def test_measure_of_other_bodies_comes_from_the_call(pad):
    others = [c for c in pad if c.file == "candidature_altrienti_finanziate.csv"]
    assert all(c.measure is not None for c in others)
    quota = [c for c in others if c.avviso.endswith("(quota 1.2)")]
    assert quota and all(c.measure_code == "1.2" for c in quota)
    assert {c.measure for c in quota} == {"1.2 Abilitazione e facilitazione migrazione al Cloud"}


def test_measure_code():
    assert measure_code("1.4.4 Adozione identità digitale") == "1.4.4"
    assert measure_code(None, "1.4.3 - app IO - Comuni - maggio 2025") == "1.4.3"
    assert measure_code(None, "1.1 e 1.2 'Infrastrutture digitali' - ASL/AO -marzo 2023 (quota 1.2)") == "1.2"
    assert measure_code(None, "Avviso senza numero") is None


def test_avvisi(shared_data):
    avvisi = read_avvisi(shared_data / "padigitale2026" / "avvisi.csv")
    first = avvisi[0]
    assert first.title == "1.2 Abilitazione al Cloud - Scuole - dicembre 2025"
    assert first.measure_code == "1.2"
    assert (first.start, first.end) == (date(2025, 12, 1), date(2026, 1, 30))
    assert first.amount_allocated == Decimal("1000000.00")
    assert first.recipients == ("Scuole",)
    assert avvisi[2].recipients == ("Province", "Citta Metropolitane")


def _write(tmp_path, text):
    p = tmp_path / "candidature_finanziate_141.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_amount_formats(tmp_path):
    rows = read_candidature(
        _write(tmp_path, HEADER + ROW.format(amount="4326.4", state="A") + ROW.format(amount='"14.000,50"', state="r"))
    )
    assert [r.amount for r in rows] == [Decimal("4326.40"), Decimal("14000.50")]
    assert rows[1].status == "R"


def test_the_body_type_comune_is_read_as_comuni(tmp_path):
    # the publisher's documentation and its files of 2022-2023 (e.g. candidature_finanziate_143.csv of
    # July 2023) write tipologia_ente "Comune"; its files since, "Comuni"
    row = ROW.format(amount="1.0", state="A")
    rows = read_candidature(_write(tmp_path, HEADER + row.replace(",Comuni,", ",Comune,") + row))
    assert [r.body_type for r in rows] == ["Comuni", "Comuni"]


def test_bad_amount_names_line_and_column(tmp_path):
    p = _write(tmp_path, HEADER + ROW.format(amount="14000.0", state="A") + ROW.format(amount="quattordici", state="A"))
    with pytest.raises(SourceError) as err:
        read_candidature(p)
    e = err.value
    assert (e.file, e.line, e.column) == (str(p), 3, "importo_finanziamento")


def test_unknown_state(tmp_path):
    with pytest.raises(SourceError) as err:
        read_candidature(_write(tmp_path, HEADER + ROW.format(amount="1.0", state="X")))
    assert (err.value.line, err.value.column) == (2, "stato_candidatura")


def test_bad_cup_and_date(tmp_path):
    with pytest.raises(SourceError) as err:
        read_candidature(
            _write(tmp_path, HEADER + ROW.format(amount="1.0", state="A").replace("E51F22000210006", "E51F"))
        )
    assert err.value.column == "codice_cup"
    with pytest.raises(SourceError) as err:
        read_candidature(
            _write(tmp_path, HEADER + ROW.format(amount="1.0", state="A").replace("2022-08-19", "19/08/2022"))
        )
    assert err.value.column == "data_finanziamento"


def test_missing_column(tmp_path):
    with pytest.raises(SourceError) as err:
        read_candidature(
            _write(tmp_path, HEADER.replace("stato_candidatura", "stato_x") + ROW.format(amount="1.0", state="A"))
        )
    assert err.value.line == 1 and "stato_candidatura" in str(err.value)


def test_folder_without_files(tmp_path):
    with pytest.raises(SourceError, match="candidature"):
        read_padigitale(tmp_path)
