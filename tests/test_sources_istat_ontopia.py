"""Readers of the ISTAT and OntoPiA files (lod_unioni.sources.istat / ontopia / _csv).

Real files from ../shared/data (facts checked by hand against them), and small files written in
tmp_path for the publishers' variations and for broken data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lod_unioni.errors import SourceError
from lod_unioni.sources._csv import detect_encoding, normalize_header, read_csv, read_text
from lod_unioni.sources.istat import population_reference_date, read_istat_comuni, read_istat_population
from lod_unioni.sources.kinds import find_source_file, find_source_files
from lod_unioni.sources.ontopia import OPEN_END, read_cities, read_provinces, read_regions

# The header of the December 2024 release, two cells with an embedded newline.
ISTAT_HEADER = (
    'Codice Regione;"Codice dell\'Unità territoriale sovracomunale \n(valida a fini statistici)";'
    "Codice Provincia (Storico)(1);Progressivo del Comune (2);Codice Comune formato alfanumerico;"
    "Denominazione (Italiana e straniera);Denominazione in italiano;Denominazione altra lingua;"
    "Codice Ripartizione Geografica;Ripartizione geografica;Denominazione Regione;"
    '"Denominazione dell\'Unità territoriale sovracomunale \n(valida a fini statistici)";'
    "Tipologia di Unità territoriale sovracomunale ;Flag Comune capoluogo di provincia/città "
    "metropolitana/libero consorzio;Sigla automobilistica;Codice Comune formato numerico;"
    "Codice Catastale del comune"
)
CASALBORDINO = "13;069;069;015;069015;Casalbordino;Casalbordino;;4;Sud;Abruzzo;Chieti;1;0;CH;69015;B865"
AGLIE = "01;201;001;001;001001;Agliè;Agliè;;1;Nord-ovest;Piemonte;Torino;3;0;TO;1001;A074"
ALDINO = "04;021;021;001;021001;Aldino/Aldein;Aldino;Aldein;2;Nord-est;Trentino-Alto Adige/Südtirol;Bolzano/Bozen;2;0;BZ;21001;A179"


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\r\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding) if newline != "\n" else text.encode(encoding))
    return path


def istat_file(tmp_path: Path, rows: list[str], header: str = ISTAT_HEADER, encoding: str = "iso-8859-1") -> Path:
    # CRLF between records, LF inside the quoted header cells, as in the real file
    text = header + "\r\n" + "\r\n".join(rows) + "\r\n"
    p = tmp_path / "Elenco-comuni-italiani.csv"
    p.write_bytes(text.encode(encoding))
    return p


# ---- the real ISTAT list -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comuni(shared_data):
    return read_istat_comuni(shared_data / "istat" / "Elenco-comuni-italiani.csv")


def test_istat_list_reads_all_comuni(comuni):
    assert len(comuni) == 7896  # the README: all 7,896 comuni of December 2024
    assert len({c.istat_code for c in comuni}) == 7896


def test_istat_list_row_values(comuni):
    by_code = {c.istat_code: c for c in comuni}
    c = by_code["069015"]
    assert (c.name, c.cadastral_code, c.province_code, c.region_code, c.province_acronym, c.region_name) == (
        "Casalbordino",
        "B865",
        "069",
        "13",
        "CH",
        "Abruzzo",
    )
    lauria = by_code["076042"]
    assert (lauria.name, lauria.cadastral_code, lauria.province_acronym) == ("Lauria", "E483", "PZ")
    # ISO-8859-1 decoded: accented names are right
    assert by_code["001001"].name == "Agliè"
    # metropolitan city: UTS code 201, historical province code 001 (the OntoPiA province)
    assert (by_code["001001"].uts_code, by_code["001001"].province_code) == ("201", "001")
    # bilingual
    aldino = by_code["021001"]
    assert (aldino.name, aldino.name_it, aldino.name_other) == ("Aldino/Aldein", "Aldino", "Aldein")


def test_istat_list_line_numbers_count_the_embedded_newlines(comuni):
    # the header takes 3 physical lines (two cells with a newline), so the first comune is on line 4
    assert comuni[0].line == 4 and comuni[0].istat_code == "001001"


def test_istat_list_has_every_comune_of_december_2024(shared_data):
    comuni = read_istat_comuni(shared_data / "istat" / "Elenco-comuni-italiani.csv")
    assert len(comuni) == 7896 and len({c.istat_code for c in comuni}) == 7896


# ---- ISTAT list: publishers' variations ----------------------------------------------------------


def test_istat_list_utf8_and_latin1_give_the_same_rows(tmp_path):
    a = read_istat_comuni(istat_file(tmp_path, [AGLIE, CASALBORDINO], encoding="iso-8859-1"))
    (tmp_path / "u").mkdir()
    b = read_istat_comuni(istat_file(tmp_path / "u", [AGLIE, CASALBORDINO], encoding="utf-8"))
    assert (
        [(c.istat_code, c.name) for c in a]
        == [(c.istat_code, c.name) for c in b]
        == [("001001", "Agliè"), ("069015", "Casalbordino")]
    )


def test_istat_list_older_header_wording(tmp_path):
    # Wording of older releases: no "(Storico)", "Codice Comune" without "formato alfanumerico",
    # "Denominazione in tedesco", different case and spacing.
    header = (
        "codice regione;Codice Città Metropolitana;Codice Provincia (1);Progressivo del Comune (2);"
        "CODICE COMUNE;Denominazione in italiano;Denominazione in tedesco;Denominazione regione;"
        "Denominazione provincia;Sigla automobilistica;Codice  Catastale"
    )
    row = "04;;021;001;021001;Aldino;Aldein;Trentino-Alto Adige;Bolzano;BZ;A179"
    p = tmp_path / "old.csv"
    p.write_text(header + "\n" + row + "\n", encoding="utf-8")
    [c] = read_istat_comuni(p)
    assert (c.istat_code, c.name, c.name_it, c.name_other, c.province_code, c.cadastral_code, c.uts_code) == (
        "021001",
        "Aldino",
        "Aldino",
        "Aldein",
        "021",
        "A179",
        None,
    )


def test_istat_list_bad_code_names_file_line_and_column(tmp_path):
    bad = CASALBORDINO.replace(";069015;", ";69015;")
    p = istat_file(tmp_path, [AGLIE, bad])
    with pytest.raises(SourceError) as info:
        read_istat_comuni(p)
    err = info.value
    assert err.line == 5 and err.column == "Codice Comune formato alfanumerico"
    assert str(err).startswith(f"{p}:5: column Codice Comune formato alfanumerico: ")
    assert "'69015'" in str(err) and "\n" not in str(err)


def test_istat_list_bad_cadastral_code(tmp_path):
    with pytest.raises(SourceError, match="cadastral") as info:
        read_istat_comuni(istat_file(tmp_path, [CASALBORDINO.replace(";B865", ";865")]))
    assert info.value.line == 4 and info.value.column == "Codice Catastale del comune"


def test_istat_list_duplicate_code(tmp_path):
    with pytest.raises(SourceError, match="already on line 4"):
        read_istat_comuni(istat_file(tmp_path, [CASALBORDINO, CASALBORDINO]))


def test_istat_list_missing_column(tmp_path):
    header = ISTAT_HEADER.replace(";Codice Catastale del comune", "")
    row = CASALBORDINO.rsplit(";", 1)[0]
    with pytest.raises(SourceError, match="Codice Catastale") as info:
        read_istat_comuni(istat_file(tmp_path, [row], header=header))
    assert info.value.line == 1


def test_istat_list_row_with_extra_cells(tmp_path):
    with pytest.raises(SourceError, match="18 cells where the header has 17") as info:
        read_istat_comuni(istat_file(tmp_path, [AGLIE, CASALBORDINO + ";X"]))
    assert info.value.line == 5


# ---- ISTAT population ----------------------------------------------------------------------------


def test_population_real_file(shared_data):
    path = shared_data / "istat" / "popolazione-residente-2022-01-01.csv"
    rows = {r.istat_code: r for r in read_istat_population(path)}
    assert len(rows) == 7904  # README: 7,904 comuni of that date
    aglie = rows["001001"]  # "Agliè","1001",...,"2562.0","1347.0","1215.0"
    assert (aglie.population, aglie.female, aglie.male, aglie.province_code) == (2562, 1347, 1215, "001")
    assert aglie.reference_date == date(2022, 1, 1)
    assert rows["099030"].population is None  # Montecopiolo: empty cells in the file


POP_HEADER = '"municipality","municipality_code","province_code","province","province_short","region","region_code","population","population_F","population_M"\n'


def test_population_codes_padded_and_floats(tmp_path):
    p = tmp_path / "popolazione-residente-2023-01-01.csv"
    p.write_text(
        POP_HEADER + '"Casalbordino","69015","69","Chieti","CH","Abruzzo","13","5812.0","2900.0","2912.0"\n'
        '"X","1001","1","Torino","TO","Piemonte","1","2562","",""\n',
        encoding="utf-8",
    )
    rows = read_istat_population(p)
    assert [(r.istat_code, r.province_code, r.population, r.female) for r in rows] == [
        ("069015", "069", 5812, 2900),
        ("001001", "001", 2562, None),
    ]
    assert rows[0].reference_date == date(2023, 1, 1)


@pytest.mark.parametrize(
    "value, message",
    [
        ("5812.5", "not a whole number"),
        ("-3", "not a population"),
        ("cinque", "not a population"),
        ("5.812", "not a whole number"),
    ],
)
def test_population_bad_number_names_line_and_column(tmp_path, value, message):
    p = tmp_path / "pop.csv"
    p.write_text(
        POP_HEADER + '"A","1001","1","Torino","TO","Piemonte","1","10.0","5.0","5.0"\n'
        f'"B","1002","1","Torino","TO","Piemonte","1","{value}","5.0","5.0"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=message) as info:
        read_istat_population(p)
    assert (info.value.line, info.value.column) == (3, "population")


def test_population_bad_code(tmp_path):
    p = tmp_path / "pop.csv"
    p.write_text(POP_HEADER + '"A","1234567","1","Torino","TO","Piemonte","1","10.0","5.0","5.0"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="at most 6 digits") as info:
        read_istat_population(p)
    assert (info.value.line, info.value.column) == (2, "municipality_code")


def test_population_reference_date_from_file_name():
    assert population_reference_date("x/popolazione-residente-2022-01-01.csv") == date(2022, 1, 1)
    assert population_reference_date("popolazione.csv") is None


# ---- OntoPiA -------------------------------------------------------------------------------------


def test_cities_current_rows(shared_data):
    cities = read_cities(shared_data / "ontopia" / "cities.csv", current_only=True)
    assert all(c.current for c in cities)
    assert len(cities) == len({c.istat_code for c in cities}) == 7896
    by_code = {c.istat_code: c for c in cities}
    casal = by_code["069015"]  # README: Casalbordino is 069015-(1948-01-01)
    assert (
        casal.id_comune,
        casal.valid_from,
        casal.valid_to,
        casal.label_it,
        casal.province_code,
        casal.region_code,
        casal.province_acronym,
    ) == ("069015-(1948-01-01)", date(1948, 1, 1), OPEN_END, "CASALBORDINO", "069", "13", "CH")
    assert casal.iri == (
        "https://w3id.org/italia/controlled-vocabulary/territorial-classifications/cities/069015-(1948-01-01)"
    )
    assert by_code["076067"].id_comune == "076067-(1965-08-04)"  # Ripacandida, not a 1948 row
    assert by_code["021053"].label_de == "MONTAN AN DER WEINSTRAßE"


def test_cities_all_rows_history(shared_data):
    cities = read_cities(shared_data / "ontopia" / "cities.csv")
    casal = [c for c in cities if c.istat_code == "069015"]
    assert [(c.id_comune, c.valid_to) for c in casal] == [
        ("069015-(1861-03-17)", date(1948, 1, 1)),
        ("069015-(1948-01-01)", OPEN_END),
    ]
    # rows repeated verbatim in the file are dropped: Agliè 1929-06-15 appears twice in the file
    assert sum(1 for c in cities if c.id_comune == "007805-(1929-06-15)") == 1


CITIES_HEADER = (
    '"CODICE_REGIONE","CODICE_PROVINCIA","SIGLA_AUTOMOBILISTICA","ID_COMUNE","CODICE_COMUNE",'
    '"LABEL_COMUNE_IT","LABEL_COMUNE_DE","DATA_INIZIO_VALIDITA","DATA_FINE_VALIDITA"\n'
)


def test_cities_duplicates_dropped_and_dates(tmp_path):
    row = '"13","069","CH","069015-(1948-01-01)","069015","CASALBORDINO","","01-01-1948","31-12-9999"\n'
    p = tmp_path / "cities.csv"
    p.write_text(CITIES_HEADER + row + row, encoding="utf-8")
    [c] = read_cities(p)
    assert c.valid_from == date(1948, 1, 1) and c.current and c.line == 2


@pytest.mark.parametrize(
    "row, column, message",
    [
        (
            '"13","069","CH","069015-(1948-01-01)","069015","X","","1948-01-01","31-12-9999"',
            "DATA_INIZIO_VALIDITA",
            "dd-mm-yyyy",
        ),
        (
            '"13","069","CH","069015-(1948-01-01)","069015","X","","01-01-1948","31-13-9999"',
            "DATA_FINE_VALIDITA",
            "dd-mm-yyyy",
        ),
        ('"13","069","CH","069015","069015","X","","01-01-1948","31-12-9999"', "ID_COMUNE", "not an ID_COMUNE"),
        (
            '"13","069","CH","069015-(1948-01-01)","069016","X","","01-01-1948","31-12-9999"',
            "CODICE_COMUNE",
            "does not agree",
        ),
        (
            '"13","069","CH","069015-(1948-01-01)","069015","X","","02-01-1948","31-12-9999"',
            "DATA_INIZIO_VALIDITA",
            "does not agree",
        ),
        (
            '"13","069","CH","069015-(1948-01-01)","069015","X","","01-01-1948","01-01-1940"',
            "DATA_FINE_VALIDITA",
            "before it starts",
        ),
    ],
)
def test_cities_wrong_data(tmp_path, row, column, message):
    p = tmp_path / "cities.csv"
    p.write_text(
        CITIES_HEADER
        + '"13","069","CH","069068-(1948-01-01)","069068","POLLUTRI","","01-01-1948","31-12-9999"\n'
        + row
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match=message) as info:
        read_cities(p)
    assert (info.value.line, info.value.column) == (3, column)


def test_provinces_and_regions(shared_data):
    provinces = {p.code: p for p in read_provinces(shared_data / "ontopia" / "provinces.csv")}
    assert len(provinces) == 107
    assert (provinces["069"].name, provinces["069"].acronym, provinces["069"].region_code) == ("Chieti", "CH", "13")
    assert (provinces["076"].name, provinces["076"].acronym, provinces["076"].region_code) == ("Potenza", "PZ", "17")
    assert provinces["111"].name == "Sud Sardegna"
    regions = {r.code: r for r in read_regions(shared_data / "ontopia" / "regions.csv")}
    assert len(regions) == 21 and "00" in regions  # 20 regions + the fictitious pre-1948 one
    assert regions["13"].name == "Abruzzo" and regions["17"].name == "Basilicata"
    assert regions["04"].name == "Trentino-Alto Adige/Südtirol"
    assert regions["13"].iri.endswith("/territorial-classifications/regions/13")


def test_provinces_conflicting_duplicate(tmp_path):
    p = tmp_path / "provinces.csv"
    p.write_text(
        '"codice_1_livello","label_1_livello_it","codice_2_livello","label_2_livello_it","acronimo_2_livello_it"\n'
        '"13","Abruzzo","069","Chieti","CH"\n"13","Abruzzo","069","Chieti","CH"\n"13","Abruzzo","069","Pescara","PE"\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="already on line 2") as info:
        read_provinces(p)
    assert info.value.line == 4


# ---- the shared CSV helper -----------------------------------------------------------------------


def test_detect_encoding():
    assert detect_encoding("Agliè".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbf_id") == "utf-8-sig"
    assert detect_encoding("Agliè".encode("iso-8859-1")) == "cp1252"
    assert detect_encoding(b"caf\x81") == "iso-8859-1"  # not valid UTF-8 nor Windows-1252


def test_read_text_bom_and_missing(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf_id,Codice_IPA\n1,c_b865\n")
    text, enc = read_text(p)
    assert enc == "utf-8-sig" and text.startswith("_id")
    with pytest.raises(SourceError, match="file not found"):
        read_text(tmp_path / "nope.csv")


def test_normalize_header():
    assert normalize_header("Codice Provincia (Storico)(1)") == "codice provincia (storico)"
    assert (
        normalize_header("Codice dell'Unità territoriale sovracomunale \n(valida a fini statistici)")
        == "codice dell'unita territoriale sovracomunale (valida a fini statistici)"
    )
    assert normalize_header(" Codice NUTS2 2021 (3) ") == "codice nuts2 2021"
    assert normalize_header("LABEL_COMUNE_IT") == "label comune it"


def test_read_csv_delimiter_and_column_lookup(tmp_path):
    p = write(tmp_path / "x.csv", "A;B (1);C\n1;2;3\n\n4;5;6\n")
    t = read_csv(p)
    assert t.delimiter == ";" and t.rows == [(2, ["1", "2", "3"]), (4, ["4", "5", "6"])]
    assert t.column("b") == 1 and t.column("zz", "c") == 2 and t.column("nope", required=False) is None
    with pytest.raises(SourceError, match="no column 'nope'"):
        t.column("nope")


def test_read_csv_short_rows(tmp_path):
    p = write(tmp_path / "x.csv", "A,B,C\n1,2\n")
    with pytest.raises(SourceError, match="2 cells where the header has 3"):
        read_csv(p)
    assert read_csv(p, pad_short_rows=True).rows == [(2, ["1", "2", ""])]


def test_read_csv_empty_and_malformed(tmp_path):
    with pytest.raises(SourceError, match="empty"):
        read_csv(write(tmp_path / "e.csv", "  \n"))
    with pytest.raises(SourceError, match="malformed CSV"):
        read_csv(write(tmp_path / "m.csv", 'A,B\n"1"x,2\n', newline="\n"))


def test_find_source_file_in_shared_layout(shared_data):
    assert find_source_file(shared_data, "istat-comuni") == shared_data / "istat" / "Elenco-comuni-italiani.csv"
    assert find_source_file(shared_data, "ontopia-cities") == shared_data / "ontopia" / "cities.csv"
    assert find_source_file(shared_data, "istat-population").name == "popolazione-residente-2022-01-01.csv"
    assert find_source_file(shared_data, "ipa-enti").name == "enti-2024-07-31.csv"  # not the sample
    assert find_source_file(shared_data, "ministry-unions").name == "unioni-di-comuni-2020.csv"


def test_find_source_file_flat_latest_and_missing(tmp_path):
    (tmp_path / "cities.csv").write_text("x")
    assert find_source_file(tmp_path, "ontopia-cities") == tmp_path / "cities.csv"
    (tmp_path / "istat").mkdir()
    for d in ("2021-01-01", "2022-01-01"):
        (tmp_path / "istat" / f"popolazione-residente-{d}.csv").write_text("x")
    assert find_source_file(tmp_path, "istat-population").name == "popolazione-residente-2022-01-01.csv"
    assert len(find_source_files(tmp_path, "istat-population")) == 2
    with pytest.raises(SourceError, match="OntoPiA regions not found"):
        find_source_file(tmp_path, "ontopia-regions")
    with pytest.raises(SourceError, match="sources folder not found"):
        find_source_file(tmp_path / "nope", "ontopia-regions")
    with pytest.raises(ValueError):
        find_source_file(tmp_path, "no-such-kind")
