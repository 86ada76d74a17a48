"""Ministry of the Interior register of unions: the real file and small bad files.

Expected values read by hand in ministero-interno/unioni-di-comuni-2020.csv (lines 14-18, 92-101).
"""

from __future__ import annotations

from datetime import date

import pytest

from lod_unioni.errors import SourceError
from lod_unioni.sources.ministero import read_ministry_register


@pytest.fixture(scope="module")
def register(shared_data):
    return read_ministry_register(shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv")


def test_counts(register):
    assert len(register) == 557
    assert register.member_count == 3000
    assert register.issues == []  # the 2020 release agrees with itself


def test_unione_dei_miracoli(register):
    [u] = register.find("Unione dei Miracoli")
    assert u.name == "UNIONE DEI MIRACOLI"
    assert u.code == "4130236050"
    assert (u.region, u.province) == ("ABRUZZO", "CHIETI")
    assert u.founding_date == date(2011, 12, 29)
    assert u.declared_comuni == 4 and u.count_agrees
    assert u.member_names == ["CASALBORDINO", "POLLUTRI", "SCERNI", "VILLALFONSINA"]
    assert (u.men, u.women, u.total) == (6223, 6762, 12985)
    casal = u.members[0]
    assert (casal.men, casal.women, casal.total) == (2994, 3309, 6303)
    assert casal.number == 1 and casal.line == 15
    assert u.line == 14


def test_unione_lucana_del_lagonegrese(register):
    [u] = register.find("UNIONE LUCANA DEL LAGONEGRESE", province="Potenza")
    assert u.founding_date == date(2015, 5, 7)
    assert u.declared_comuni == 9
    assert len(u.members) == 9
    assert u.members[0].name == "CASTELLUCCIO INFERIORE"
    assert u.total == 38601


def test_lookups(register):
    assert register.by_code("4130236050").name == "UNIONE DEI MIRACOLI"
    assert register.by_code("0000000000") is None
    assert register.find("Unione dei Miracoli", province="Teramo") == []


def test_sources_folder(shared_data):
    assert len(read_ministry_register(shared_data)) == 557


HEADER = (
    "NR.;CODICE UNIONE;REGIONE;PROVINCIA;DESCRIZIONE UNIONE DI COMUNI;DATA COSTITUZIONE;NR. COMUNI;"
    "COMUNI APPARTENENTI ALL'UNIONE;POP. UOMINI;POP. DONNE;POP. TOTALE\r\n"
)
UNION = "0;111;ABRUZZO;CHIETI;UNIONE A;1-Gen-2004;{n};;1.000;1.000;2.000\r\n"
MEMBER = "{i};;;;;;;COMUNE {i};{m};{w};{t}\r\n"


def _write(tmp_path, text):
    p = tmp_path / "unioni.csv"
    p.write_bytes(text.encode("iso-8859-1"))
    return p


def test_count_mismatch_is_reported_not_raised(tmp_path):
    text = (
        HEADER
        + UNION.format(n=3)
        + MEMBER.format(i=1, m="500", w="500", t="1.000")
        + MEMBER.format(i=2, m="500", w="500", t="1.000")
    )
    reg = read_ministry_register(_write(tmp_path, text))
    [u] = reg.unions
    assert not u.count_agrees
    [issue] = reg.count_mismatches()
    assert (issue.kind, issue.expected, issue.found, issue.line) == ("count", 3, 2, 2)
    assert "UNIONE A declares 3 comuni but 2" in issue.message


def test_population_disagreements_are_reported(tmp_path):
    text = (
        HEADER
        + UNION.format(n=2)
        + MEMBER.format(i=1, m="500", w="400", t="1.000")
        + MEMBER.format(i=2, m="500", w="500", t="1.000")
    )
    reg = read_ministry_register(_write(tmp_path, text))
    kinds = sorted((i.kind, i.line) for i in reg.issues)
    assert kinds == [("sex-sum", 3)]
    text = (
        HEADER
        + UNION.format(n=2)
        + MEMBER.format(i=1, m="500", w="500", t="1.000")
        + MEMBER.format(i=2, m="400", w="500", t="900")
    )
    reg = read_ministry_register(_write(tmp_path, text))
    [issue] = reg.issues
    assert (issue.kind, issue.expected, issue.found) == ("members-sum", 2000, 1900)


def test_member_before_union_is_an_error(tmp_path):
    p = _write(tmp_path, HEADER + MEMBER.format(i=1, m="5", w="5", t="10"))
    with pytest.raises(SourceError) as err:
        read_ministry_register(p)
    e = err.value
    assert (e.file, e.line, e.column) == (str(p), 2, "NR.")
    assert "before any union row" in str(e)


def test_bad_number_names_line_and_column(tmp_path):
    p = _write(tmp_path, HEADER + UNION.format(n=1) + MEMBER.format(i=1, m="1.000", w="1,000.5", t="2.000"))
    with pytest.raises(SourceError) as err:
        read_ministry_register(p)
    assert (err.value.line, err.value.column) == (3, "POP. DONNE")


def test_bad_date_names_line_and_column(tmp_path):
    p = _write(tmp_path, HEADER + UNION.format(n=0).replace("1-Gen-2004", "31-Xyz-2004"))
    with pytest.raises(SourceError) as err:
        read_ministry_register(p)
    assert (err.value.line, err.value.column) == (2, "DATA COSTITUZIONE")
    assert "Xyz" in str(err.value)


def test_missing_column(tmp_path):
    p = _write(tmp_path, "NR.;CODICE UNIONE;REGIONE;PROVINCIA;DESCRIZIONE UNIONE DI COMUNI\r\n0;1;A;B;C\r\n")
    with pytest.raises(SourceError) as err:
        read_ministry_register(p)
    assert err.value.line == 1 and "COMUNI APPARTENENTI" in str(err.value)


def test_duplicate_union_code(tmp_path):
    p = _write(tmp_path, HEADER + UNION.format(n=0) + UNION.format(n=0))
    with pytest.raises(SourceError) as err:
        read_ministry_register(p)
    assert (err.value.line, err.value.column) == (3, "CODICE UNIONE")


def test_tolerant_header_case_and_blank_lines(tmp_path):
    text = HEADER.lower() + "\r\n" + UNION.format(n=1) + MEMBER.format(i=1, m="", w="", t="") + "\r\n"
    reg = read_ministry_register(_write(tmp_path, text))
    [u] = reg.unions
    assert u.members[0].total is None
    assert u.founding_date == date(2004, 1, 1)
