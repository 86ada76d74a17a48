"""The national graph: every union of the Ministry register, joined with
IPA, ISTAT and OntoPiA, from the real registry files in ../shared/data.

Expected values were read by hand in the registry files (grep), not taken from the code:

* Ministry register, line 14: ``0;4130236050;ABRUZZO;CHIETI;UNIONE DEI MIRACOLI;29-Dic-2011;4`` with
  CASALBORDINO, POLLUTRI, SCERNI, VILLALFONSINA; IPA: ``udm_069,Unione Dei Miracoli,069015`` (L18,
  url ``https://unionedeimiracoli.eu/``); ISTAT 2022: Casalbordino 5830, Pollutri 2057, Scerni 3020,
  Villalfonsina 897 (sum 11804). The bundled record of that union (from its card, with the hand edits
  its provenance lists) is what the national dump publishes for it: its name, services and ITALIAE
  intervention, which no registry has.
* Register ``4130236080 UNIONE DEI COMUNI MONTANI MAIELLA ORIENTALE - VERDE AVENTINO`` (members
  include PALENA); IPA ``udcmmo,Unione Dei Comuni Montani Maiella Orientale Verde Aventino,069060``
  (069060 = Palena in the ISTAT list); ISTAT 2022 Palena 1251.
* Register ``4160416140 UNION 3`` (LECCE; CARMIANO, COPERTINO, LEVERANO, ...); IPA
  ``u_075,Unione dei Comuni Union3,075037`` (075037 = Leverano).
* OntoPiA cities: ``005020 CASORZO`` until 03-03-2022, then ``CASORZO MONFERRATO``; ``005014 CALLIANO``
  (Asti) until 12-08-2022, then ``CALLIANO MONFERRATO`` (``022035 CALLIANO`` is in Trentino);
  ``013199 RONAGO`` and ``013228 UGGIATE-TREVANO`` end on 01-01-2024, when ``013256 UGGIATE CON
  RONAGO`` starts (IPA ``c_l4878`` Unione di Comuni Lombarda Terre di Frontiera, seat 013256).
* Register ``2060936090 UNIONE TERRITORIALE INTERCOMUNALE DEL NONCELLO`` (an UTI of Friuli Venezia
  Giulia, abolished in 2020-2021): no L18 body of IPA 2024 has that name.
* IPA ``IDMPPX95 Unione tra Comuni CO.RO. PNRR`` (L18, founded after the 2020 register).

Thresholds of the match rates (asserted on what the build prints): unions with an IPA code >= 75 %
(IPA of July 2024 has 509 L18 bodies for the 557 unions of the 2020 register: unions dissolved since,
such as the 18 UTIs of Friuli Venezia Giulia, cannot be matched), member rows resolved >= 99 % (the
register writes official names of 2020; only renames and mergers since then need the OntoPiA history).
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import COV, DCT, LU, LUPM, LUPST, MU, OWL, PRJ, PROV, RDF, XSD, B
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from lod_unioni import cli
from lod_unioni.errors import NotConformingError, RecordError
from lod_unioni.national import (
    ACCEPTED_RULES,
    RecordCheck,
    accept_policy,
    build_national_records,
    national_pipeline,
)
from lod_unioni.national.members import member_match
from lod_unioni.records import Record, load_records, validate_record
from lod_unioni.registries import RegisterMemberMatch
from lod_unioni.resources import resource_dir
from lod_unioni.sources.folder import resolve_sources

# ---------------------------------------------------------------------------------------------
# fixtures: the registries read once; the records without and with the bundled records; one build

RDF_TYPE = str(RDF.type)


@pytest.fixture(scope="module")
def bundled():
    return load_records(resource_dir("records"))


@pytest.fixture(scope="module")
def plain(registries):
    """The register alone (no bundled record)."""
    return build_national_records(registries, [])


@pytest.fixture(scope="module")
def with_bundled(registries, bundled):
    return build_national_records(registries, bundled, check_records=False)  # plain checks them


@pytest.fixture(scope="module")
def built(national_build):
    """``lod-unioni build --national`` as a user runs it: (exit code, stderr, output folder)."""
    return national_build


class _Dump(list):
    """The triples of the N-Triples dump, indexed by (subject, predicate)."""

    def __init__(self, triples):
        super().__init__(triples)
        self.index: dict = {}
        for t in self:
            self.index.setdefault((t.subject, t.predicate), []).append(t.object)


@pytest.fixture(scope="module")
def dump(built):
    _, _, out = built
    with open(out / "unioni.nt", "rb") as fh:
        return _Dump(parse(fh, format=RdfFormat.N_TRIPLES))


@pytest.fixture(scope="module")
def report(built):
    return json.loads((built[2] / "national-report.json").read_text(encoding="utf-8"))


def _record(result, ministry_code: str) -> dict:
    [r] = [r for r in result.records if r.data["union"].get("ministry_code") == ministry_code]
    return r.data


def _objects(dump: _Dump, s: str, p: str) -> list:
    return list(dump.index.get((NamedNode(s), NamedNode(p)), []))


# ---------------------------------------------------------------------------------------------
# names


# ---------------------------------------------------------------------------------------------
# the record format: an IPA code, or an iri_key for a union IPA does not know


def _minimal(**union) -> dict:
    return {
        "record_format": 1,
        "provenance": {},
        "union": {"name": "U", "region": {"code": "13"}, "province": {"code": "069"}, **union},
        "members": [{"name": "Casalbordino", "istat_code": "069015"}],
    }


def test_a_union_has_an_ipa_code_or_an_iri_key_not_both():
    validate_record(_minimal(ipa_code="udm_069"))
    validate_record(_minimal(iri_key="dait-4130236050", ministry_code="4130236050"))
    with pytest.raises(RecordError) as info:
        validate_record(_minimal())
    assert info.value.field == "union.ipa_code" and "required" in info.value.message
    with pytest.raises(RecordError) as info:
        validate_record(_minimal(ipa_code="udm_069", iri_key="dait-4130236050"))
    assert info.value.field == "union.iri_key"
    with pytest.raises(RecordError) as info:
        validate_record(_minimal(iri_key="4130236050"))
    assert info.value.field == "union.iri_key"


def test_every_national_record_is_in_the_record_format(plain):
    register = [r for r in plain.records if r.data["union"].get("ministry_code")]
    assert len(register) == 557  # and the unions of IPA the register does not know
    assert len(plain.records) == 557 + plain.stats["ipa_only_unions"]
    for r in plain.records[:40]:
        assert validate_record(copy.deepcopy(r.data)) == r.data  # already normalised


# ---------------------------------------------------------------------------------------------
# matching


def test_miracoli_from_the_registries(plain):
    d = _record(plain, "4130236050")
    assert d["union"]["ipa_code"] == "udm_069"
    assert d["union"]["founded"] == "2011-12-29"
    assert d["union"]["website"] == "https://unionedeimiracoli.eu/"
    assert (d["union"]["region"]["code"], d["union"]["province"]["code"]) == ("13", "069")
    members = {m["istat_code"]: m for m in d["members"]}
    assert {c: m["population"]["value"] for c, m in members.items()} == {
        "069015": 5830,
        "069068": 2057,
        "069087": 3020,
        "069100": 897,
    }
    assert {m["population"]["reference_date"] for m in members.values()} == {"2022-01-01"}
    assert members["069015"]["name"] == "Casalbordino" and members["069015"]["cadastral_code"] == "B865"
    assert members["069015"]["ontopia_city"] == "069015-(1948-01-01)"
    assert members["069015"]["match"]["registry_value"] == "CASALBORDINO"
    assert d["population"]["value"] == 11804 and d["population"]["source_kind"] == "istat-population"
    assert d["number_of_comuni"] == 4
    [ipa] = [m for m in d["provenance"]["matches"] if m["field"] == "union.ipa_code"]
    assert (ipa["source"], ipa["method"], ipa["confidence"]) == ("ipa-enti", "exact-name+seat-member", Decimal("1.0"))
    assert "udm_069" in ipa["registry_value"]


@pytest.mark.parametrize(
    "code, ipa, method, seat",
    [
        ("4130236080", "udcmmo", "exact-name+seat-member", "069060"),  # seat Palena, a member
        ("4160416140", "u_075", "similar-name+seat-member", "075037"),  # UNION 3 / Union3, seat Leverano
    ],
)
def test_a_register_union_matched_to_ipa_by_name_and_seat(plain, code, ipa, method, seat):
    [um] = [u for u in plain.unions if u.code == code]
    assert um.ipa.code == ipa and um.ipa_method == method and um.ipa.seat_istat == seat
    assert seat in {m.istat_code for m in um.members}
    assert _record(plain, code)["union"]["ipa_code"] == ipa


# IPA recall, read by hand in ipa/enti-2024-07-31.csv (code, name, seat, category, natura) and the
# register: ``cm_agord,Unione Montana Agordina,025001,L12,2450`` (Agordo, a member of 2050106090
# UNIONE MONTANA AGORDINA); ``uncamalb,Unione Campospinoso Albaredo,018002,L18,2450`` (Albaredo
# Arnaboldi, merged into Campospinoso Albaredo 018026 in 2023); ``udcasd,UNIONE DEI COMUNI TERRE A
# LEVANTE,075027,L18,2450`` (Diso) for 4160416030 ANDRANO, SPONGANO E DISO; ``udcfle,Unione Dei Comuni
# di Francofonte e Licodie Eubea,089010,L18,2450`` for 5190766030 UNIONE TERRE DELLE ACQUE
# (FRANCOFONTE, LICODIA EUBEA); ``udctv,Unione dei Comuni del Calatino,087054,L18,2450`` (Vizzini) for
# 5190216010 UNIONE TERRA DEL VERGA (MAZZARRONE, VIZZINI). ``CMS61,Comunita' Montana del Savuto,078134,
# L12,2440``: a comunità montana seated in Santo Stefano di Rogliano, a member of 4180256040 UNIONE
# TERRE DEL SAVUTO, is another body.


@pytest.mark.parametrize(
    "code, ipa, method, confidence",
    [
        ("2050106090", "cm_agord", "exact-name+seat-member+category-l12", 1.0),  # an unione montana in L12
        ("1030576110", "uncamalb", "exact-name+seat-member", 1.0),  # its seat merged since
        ("4160416030", "udcasd", "register-name-lists-members+seat-member", 0.75),
        ("5190766030", "udcfle", "ipa-name-lists-members+seat-member", 0.85),
        ("5190216010", "udctv", "ipa-code-initials+seat-member", 0.7),
    ],
)
def test_a_union_registered_in_ipa_otherwise_is_matched(plain, code, ipa, method, confidence):
    [um] = [u for u in plain.unions if u.code == code]
    assert (um.ipa.code, um.ipa_method, um.ipa_confidence) == (ipa, method, confidence)
    [m] = [m for m in _record(plain, code)["provenance"]["matches"] if m["field"] == "union.ipa_code"]
    assert (m["method"], m["confidence"]) == (method, Decimal(str(confidence)))


def test_a_comunita_montana_is_not_a_union(plain):
    [um] = [u for u in plain.unions if u.code == "4180256040"]  # UNIONE TERRE DEL SAVUTO
    assert um.ipa is None
    [carnia] = [u for u in plain.unions if u.code == "2060856150"]  # the UTI, dissolved: not its successor
    assert carnia.ipa is None and _record(plain, "2060856150")["union"]["status"] == "not-in-ipa"


def test_the_other_wordings(registries):
    from lod_unioni.national.ipa import _initials, _members_named

    assert _members_named("Unione Dei Comuni di Francofonte e Licodie Eubea", ["Francofonte", "Licodia Eubea"]) == 2
    assert _members_named("Unione Dei Comuni Terre di Mezzo", ["Botrugno", "Surano"]) == 0
    names = ["Solarolo Rainerio", "San Giovanni in Croce", "Voltido"]
    assert _members_named("SOLAROLO RAINERIO - S.GIOVANNI IN CROCE - VOLTIDO", names) == 2
    assert _initials("udctv", "UNIONE TERRA DEL VERGA") and _initials("umv", "UNIONE MONTANA VALBRENTA")
    assert not _initials("umv", "UNIONE MONTANA VAL BRENTA") and not _initials("udc_069", "UNIONE DEI MIRACOLI")


def test_at_least_470_unions_are_linked_to_ipa(with_bundled):
    assert with_bundled.stats["unions_with_ipa"] >= 470


def test_each_ipa_code_goes_to_one_union_at_most(plain):
    codes = [u.ipa.code for u in plain.unions if u.ipa is not None]
    assert len(codes) == len(set(codes))


def test_a_union_ipa_does_not_know_is_kept_with_the_register_code(plain):
    d = _record(plain, "2060936090")
    assert "ipa_code" not in d["union"] and d["union"]["iri_key"] == "dait-2060936090"
    assert d["union"]["name"] == "Unione Territoriale Intercomunale del Noncello"
    assert len(d["members"]) == 5
    assert any(u["ministry_code"] == "2060936090" for u in plain.unmatched_unions)


def test_members_with_old_names_are_resolved_through_the_ontopia_history(plain):
    d = _record(plain, "1010076060")  # DEI COLLI DIVINI NEL CUORE DEL MONFERRATO
    by_name = {m["match"]["registry_value"]: m for m in d["members"]}
    assert by_name["CASORZO"]["istat_code"] == "005020"
    assert by_name["CASORZO"]["name"] == "Casorzo Monferrato"
    assert by_name["CASORZO"]["match"]["method"] == "former-name"
    d = _record(plain, "1010076020")  # MONFERRATO VALLE VERSA (Asti), not Calliano in Trentino
    assert {m["match"]["registry_value"]: m["istat_code"] for m in d["members"]}["CALLIANO"] == "005014"


def test_merged_comuni_become_one_member(plain):
    d = _record(plain, "1030246020")  # ... TERRE DI FRONTIERA UGGIATE TREVANO
    assert d["union"]["ipa_code"] == "c_l4878"
    merged = [m for m in d["members"] if m["istat_code"] == "013256"]
    assert len(merged) == 1
    assert merged[0]["match"]["method"].startswith("merged-into+name")
    assert set(merged[0]["match"]["registry_value"].split("; ")) == {"RONAGO", "UGGIATE-TREVANO"}
    assert d["number_of_comuni"] == 4 and len(d["members"]) == 3
    rules = {x.rule for x in plain.expected if x.union_key == "c_l4878"}
    assert rules == {"union-number-of-comuni"}


# ---------------------------------------------------------------------------------------------
# the population at 2022-01-01 of a comune merged since: the sum of the comuni it is made of
#
# Read by hand in istat/popolazione-residente-2022-01-01.csv: Ronago (13199) 1630, Uggiate-Trevano
# (13228) 5037, Bizzarone 1725, Faloppio 4831; Campospinoso (18026) 1091, Albaredo Arnaboldi (18002)
# 225. OntoPiA: RONAGO and UGGIATE-TREVANO end on 01-01-2024, when 013256 UGGIATE CON RONAGO starts;
# ALBAREDO ARNABOLDI ends on 18-11-2023, when 018026 CAMPOSPINOSO becomes CAMPOSPINOSO ALBAREDO.


def test_a_comune_made_by_a_merger_has_the_sum_of_its_predecessors(plain):
    d = _record(plain, "1030246020")  # TERRE DI FRONTIERA: Uggiate con Ronago did not exist on 2022-01-01
    [merged] = [m for m in d["members"] if m["istat_code"] == "013256"]
    pop = merged["population"]
    assert (pop["value"], pop["reference_date"], pop["source_kind"]) == (1630 + 5037, "2022-01-01", "istat-population")
    assert pop["derived_from"] == ["ontopia-cities"] and "Somma" in pop["source"]
    assert "Ronago (013199) 1630" in pop["comment"]["en"] and "Uggiate-Trevano (013228) 5037" in pop["comment"]["it"]
    assert d["population"]["value"] == 1725 + 4831 + 1630 + 5037  # so the union has its total
    assert d["population"]["derived_from"] == ["ontopia-cities"]


def test_a_comune_that_absorbed_another_has_both_figures(plain):
    d = _record(plain, "1030576110")  # CAMPOSPINOSO E ALBAREDO: now one comune, Campospinoso Albaredo
    [m] = d["members"]
    assert m["istat_code"] == "018026" and m["population"]["value"] == 1091 + 225
    assert d["population"]["value"] == 1091 + 225


def test_a_comune_only_renamed_keeps_its_own_figure(registries):
    # Casorzo became Casorzo Monferrato on 2022-03-03: no comune ended that day in its place
    assert registries.merged_into("005020", registries.population_date) == []
    assert registries.merged_into("069015", registries.population_date) == []  # Casalbordino, since 1948


def test_every_union_has_a_total_population(plain):
    assert plain.stats["members_without_population"] == 0
    # every union whose members are known: the register's 557 (an IPA-only union has no member)
    assert plain.stats["unions_with_total"] == 557 == plain.stats["records"] - plain.stats["ipa_only_unions"]
    assert plain.stats["comuni_population_summed"] == 6


def test_the_registries_follow_merged_comuni_only_when_asked(registries, plain):
    """ministry_members(merged=True) is the whole resolution the national build uses; what
    reconciliation asks for (history=True) still leaves a comune that no longer exists unresolved."""
    [union] = [u for u in registries.ministry if u.code == "1030246020"]
    old = {m.name: m for m in registries.ministry_members(union, history=True)}
    assert (old["RONAGO"].istat_code, old["RONAGO"].how) == (None, "not-current")
    new = {m.name: m for m in registries.ministry_members(union, merged=True)}
    for name in ("RONAGO", "UGGIATE-TREVANO"):
        assert (new[name].istat_code, new[name].how) == ("013256", "merged-into+name")
        assert new[name].current_name == "Uggiate con Ronago" and "ended on 2024-01-01" in new[name].note
    assert {n: m for n, m in new.items() if n not in ("RONAGO", "UGGIATE-TREVANO")} == {
        n: m for n, m in old.items() if n not in ("RONAGO", "UGGIATE-TREVANO")
    }
    [um] = [u for u in plain.unions if u.code == "1030246020"]
    assert {m.name: (m.method, m.confidence) for m in um.members if m.istat_code == "013256"} == {
        "RONAGO": ("merged-into+name", 0.9),
        "UGGIATE-TREVANO": ("merged-into+name", 0.9),
    }


@pytest.mark.parametrize(
    "how, also_started, method, confidence, source",
    [
        ("name", 0, "name-in-region", 1.0, "istat-comuni"),
        ("renamed", 0, "former-name", 0.9, "ontopia-cities"),
        ("moved", 0, "name-other-region", 0.8, "istat-comuni"),
        ("merged-into+name", 0, "merged-into+name", 0.9, "ontopia-cities"),
        ("merged-into+name", 2, "merged-into+name", 0.85, "ontopia-cities"),
        ("merged-into+date", 0, "merged-into+date", 0.7, "ontopia-cities"),
    ],
)
def test_the_method_and_confidence_of_a_member(how, also_started, method, confidence, source):
    m = member_match(RegisterMemberMatch("X", 3, "069015", how, "Casalbordino", also_started=also_started))
    assert (m.istat_code, m.line, m.method, m.confidence, m.source) == ("069015", 3, method, confidence, source)
    unresolved = member_match(RegisterMemberMatch("X", 3, None, "not-current", note="OntoPiA: X ended"))
    assert (unresolved.method, unresolved.confidence, unresolved.note) == ("unresolved", 0.0, "OntoPiA: X ended")


# ---------------------------------------------------------------------------------------------
# the union's province and region: its members' current ones, not the register's
#
# Read by hand: register 5200176030 BASSO CAMPIDANO (CAGLIARI) lists MONASTIR, NURAMINIS, SAN SPERATE,
# USSANA, all four now in Sud Sardegna (ISTAT 111041, 111047, 111065, 111093); register 3110066030
# UNIONE MONTANA DEI SIBILLINI (ASCOLI PICENO): 6 members in Fermo (Amandola 109002, Montefortino
# 109015, Montefalcone Appennino 109014, Montelparo 109020, Santa Vittoria in Matenano 109036,
# Smerillo 109039) and 5 in Ascoli Piceno (Comunanza, Force, Montedinove, Montemonaco, Rotella); IPA
# umds seated in Santa Vittoria in Matenano (109036).


@pytest.mark.parametrize(
    "code, province, region, method, confidence",
    [
        ("5200176030", "111", "20", "members-province", Decimal("1.0")),  # Sud Sardegna, not Cagliari
        ("5201076020", "111", "20", "members-province", Decimal("1.0")),  # CARBONIA-IGLESIAS is no more
        ("3110066030", "109", "11", "seat-province", Decimal("0.55")),  # 6 of 11 in Fermo, the seat's
    ],
)
def test_the_province_of_a_union_is_its_members(plain, code, province, region, method, confidence):
    d = _record(plain, code)
    assert (d["union"]["province"]["code"], d["union"]["region"]["code"]) == (province, region)
    [m] = [m for m in d["provenance"]["matches"] if m["field"] == "union.province"]
    assert (m["source"], m["method"], m["confidence"]) == ("istat-comuni", method, confidence)
    assert "register: " in m["registry_value"]


def test_the_province_rule_across_provinces(registries):
    from lod_unioni.national.members import union_province
    from lod_unioni.national.result import MemberMatch

    # Francofonte (Siracusa, 089) and Licodia Eubea (Catania, 087): one each
    two = [
        MemberMatch(n, i, c, "name-in-region", 1.0, "istat-comuni")
        for i, (n, c) in enumerate([("FRANCOFONTE", "089010"), ("LICODIA EUBEA", "087020")])
    ]
    assert union_province(registries, two, None, "089") == ("089", "members-majority", 0.5)  # the register's
    assert union_province(registries, two, None, "092") == ("087", "members-majority", 0.5)  # else the lowest
    assert union_province(registries, two, "087020", "089") == ("087", "seat-province", 0.5)  # the seat's
    assert union_province(registries, two[:1], "087020", "092") == ("089", "members-province", 1.0)
    assert union_province(registries, [], None, "092") == ("092", "register-name", 1.0)


def test_the_report_lists_where_the_register_names_another_province(plain):
    diffs = {d["ministry_code"]: d for d in plain.province_differences}
    assert diffs["5200176030"]["register_province"] == "CAGLIARI"
    assert (diffs["5200176030"]["register_province_code"], diffs["5200176030"]["province_code"]) == ("092", "111")
    assert diffs["5201076020"]["register_province_code"] is None  # CARBONIA-IGLESIAS: no current province
    assert "4130236080" not in diffs  # Maiella Orientale: all in Chieti, as the register says


# ---------------------------------------------------------------------------------------------
# founding dates: 1 January is the register's placeholder for a year


def _register_dates(shared_data) -> dict[str, str]:
    """CODICE UNIONE -> DATA COSTITUZIONE as written, read with the csv module."""
    path = shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return {
            r["CODICE UNIONE"]: r["DATA COSTITUZIONE"] for r in csv.DictReader(fh, delimiter=";") if r["NR."] == "0"
        }


def test_a_1_january_founding_date_is_published_as_a_year(plain, shared_data):
    # register line: 0;4130236030;ABRUZZO;CHIETI;UNIONE DEL SINELLO;1-Gen-2004;3
    d = _record(plain, "4130236030")
    assert d["union"]["founded"] == "2004"
    [m] = [m for m in d["provenance"]["matches"] if m["field"] == "union.founded"]
    assert (m["source"], m["registry_value"]) == ("ministry-unions", "1-Gen-2004")
    assert m["method"].startswith("register-year")
    d = _record(plain, "4130236080")  # a real day is the date itself
    assert d["union"]["founded"] == "2014-11-07"
    [m] = [m for m in d["provenance"]["matches"] if m["field"] == "union.founded"]
    assert (m["method"], m["registry_value"]) == ("register-date", "7-Nov-2014")
    dates = _register_dates(shared_data)
    placeholders = [c for c, v in dates.items() if v.startswith("1-Gen-")]
    assert len(dates) == 557 and len(placeholders) == 333
    assert (plain.stats["founding_dates"], plain.stats["founding_dates_1_january"]) == (557, 333)
    assert plain.stats["founding_published_as_year"] == 333
    assert sum(1 for r in plain.records if len(r.data["union"].get("founded", "")) == 4) == 333


@pytest.mark.slow
def test_the_dump_has_a_year_where_the_register_has_1_january(dump, report):
    assert _objects(dump, B + "union/udcs", LU + "foundingDate") == [Literal("2004", datatype=NamedNode(XSD + "gYear"))]
    assert report["stats"]["founding_dates_1_january"] == 333
    match = B + "union/udcs/match/union-founded"
    assert _objects(dump, match, LU + "registryValue") == [Literal("1-Gen-2004")]


# ---------------------------------------------------------------------------------------------
# is the union still alive? every union has a status with its evidence
#
# Read by hand: register 4180256010 PANDOSIA (COSENZA); IPA ``udcpl,Unione Dei Comuni Pandosia in
# Liquidazione,078076`` (L18). Register 1030576110 CAMPOSPINOSO E ALBAREDO lists CAMPOSPINOSO and
# ALBAREDO ARNABOLDI, one comune since 18-11-2023 (OntoPiA: 018026 CAMPOSPINOSO ALBAREDO).


def _status(result, code: str) -> tuple[str, dict]:
    d = _record(result, code)
    [evidence] = [m for m in d["provenance"]["matches"] if m["field"] == "union.status"]
    return d["union"]["status"], evidence


def test_every_union_has_a_status_with_its_evidence(plain):
    status, evidence = _status(plain, "4180256010")
    assert status == "in-liquidation" and _record(plain, "4180256010")["union"]["ipa_code"] == "udcpl"
    assert (evidence["source"], evidence["method"]) == ("ipa-enti", "ipa-in-liquidation")
    assert "in Liquidazione" in evidence["registry_value"]
    status, evidence = _status(plain, "1030576110")
    assert (status, evidence["method"], evidence["source"]) == (
        "single-member",
        "members-merged-into-one",
        "ontopia-cities",
    )
    assert evidence["registry_value"] == "ALBAREDO ARNABOLDI; CAMPOSPINOSO -> Campospinoso Albaredo (018026)"
    status, evidence = _status(plain, "2060936090")  # the UTI del Noncello, dissolved
    assert (status, evidence["method"], evidence["confidence"]) == ("not-in-ipa", "no-ipa-body", Decimal("1.0"))
    status, evidence = _status(plain, "4130236080")
    assert (status, evidence["method"]) == ("active", "ipa-body") and evidence["registry_value"].startswith("udcmmo ")
    assert all(r.data["union"]["status"] for r in plain.records)
    assert sum(plain.stats["statuses"].values()) == len(plain.records) == 557 + plain.stats["ipa_only_unions"]


def test_a_bundled_record_gets_its_status_and_the_match_of_its_ipa_code(with_bundled, bundled):
    miracoli = _miracoli(bundled)
    [ours] = [r for r in with_bundled.records if r.path == miracoli.path]
    assert "status" not in miracoli.data["union"] and "matches" not in miracoli.data["provenance"]
    assert ours.data["union"]["status"] == "active"
    matches = {m["field"]: m for m in ours.data["provenance"]["matches"]}
    assert (matches["union.ipa_code"]["method"], matches["union.ipa_code"]["confidence"]) == (
        "steward-record",
        Decimal("1.0"),
    )
    assert matches["union.ipa_code"]["registry_value"] == "udm_069 Unione Dei Miracoli (seat 069015)"
    assert matches["union.status"]["method"] == "ipa-body"


# ---------------------------------------------------------------------------------------------
# unions the register does not know: IPA's, published with IPA's data, members not known
#
# Read by hand in ipa/enti-2024-07-31.csv: ``IDMPPX95,Unione tra Comuni CO.RO. PNRR,078157,...,L18,
# ...,(no Codice_natura),...,https://www.comunecoriglianorossano.eu/`` (078157 Corigliano-Rossano,
# province 078 Cosenza, Calabria 18); ``c_ucllg,Unione di Comuni Lombarda di Lomello e Galliavola,
# 018083,...,L18,...,2450`` (Lomello, Pavia 018, Lombardia 03); ``anci,Associazione Nazionale Dei
# Comuni Italiani,058091,...,L18,...,1710``.


def _ipa_only(result, code: str) -> dict:
    [r] = [r for r in result.records if (r.data["union"].get("ipa_code") or "").lower() == code]
    return r.data


def test_a_union_of_ipa_the_register_does_not_know_is_published(plain):
    d = _ipa_only(plain, "idmppx95")
    u = d["union"]
    assert "ministry_code" not in u and d["members"] == [] and u["members_known"] is False
    assert (u["name"], u["province"]["code"], u["region"]["code"]) == ("Unione tra Comuni CO.RO. PNRR", "078", "18")
    assert (u["website"], u["status"]) == ("https://www.comunecoriglianorossano.eu/", "active")
    matches = {m["field"]: m for m in d["provenance"]["matches"]}
    assert (matches["union"]["source"], matches["union"]["method"]) == ("ipa-enti", "ipa-union-not-in-register")
    assert matches["union.legal_status"]["method"] == "ipa-category-and-name"  # IPA gives no Codice_natura
    assert _ipa_only(plain, "c_ucllg")["provenance"]["matches"][1]["method"] == "ipa-natura"
    assert "number_of_comuni" not in d and "population" not in d
    assert not [r for r in plain.records if r.data["union"].get("ipa_code") == "anci"]  # an association
    assert "anci" in {b["ipa_code"] for b in plain.ipa_left_out}
    assert not [x for x in plain.expected if x.union_key == "idmppx95"]  # no member is no disagreement


@pytest.mark.slow
def test_the_dump_says_the_members_of_an_ipa_only_union_are_not_known(dump, report):
    union = B + "union/idmppx95"
    assert _objects(dump, union, LU + "membersKnown") == [Literal("false", datatype=NamedNode(XSD + "boolean"))]
    assert _objects(dump, union, "http://www.w3.org/ns/org#hasMember") == []
    assert _objects(dump, B + "union/udcmmo", LU + "membersKnown") == [
        Literal("true", datatype=NamedNode(XSD + "boolean"))
    ]
    assert report["refused_violations"] == []
    assert report["stats"]["ipa_only_unions"] == len(report["ipa_only_unions"]) >= 40


def _miracoli(bundled) -> Record:
    return next(r for r in bundled if r.data["union"]["name"] == "Unione dei Miracoli")


def test_bundled_records_take_precedence_for_their_unions(with_bundled, bundled):
    replaced = {b["replaces"] for b in with_bundled.bundled}
    assert "4130236050" in replaced  # the Unione dei Miracoli of the register
    assert not [r for r in with_bundled.records if r.data["union"].get("ministry_code") == "4130236050"]
    miracoli = _miracoli(bundled)
    [ours] = [r for r in with_bundled.records if r.path == miracoli.path]
    # what the card says, with the status the national build learns (the record states none), the
    # PNRR projects of the union and its members (tests/test_projects.py: which) and their figures
    # (tests/test_pnrr_figures.py)
    learnt = ("provenance", "projects", "calls", "pnrr")
    assert {k: v for k, v in ours.data.items() if k not in learnt} == {
        **{k: v for k, v in miracoli.data.items() if k not in learnt},
        "union": {**miracoli.data["union"], "status": "active"},
    }
    assert "projects" not in miracoli.data and ours.data["projects"] and ours.data["calls"] and ours.data["pnrr"]
    # the registry files it cites are the national build's (same kind and SHA-256): described alike
    sources = {s["kind"]: s for s in with_bundled.records[0].data["provenance"]["sources"]}
    assert [s["kind"] for s in miracoli.data["provenance"]["sources"]] == [
        "istat-comuni",
        "ontopia-cities",
        "ontopia-provinces",
        "ontopia-regions",
        "istat-population",  # the file its populations were reconciled with
    ]
    # the national build adds the IPA file (its status and IPA match come from it), then every PA
    # digitale 2026 file read: the other bodies' file, each measure's (1.1 too, where no body of the
    # union applied: the file says so) and the calls' file
    padigitale = ["11", "131", "141", "144", "145"]
    assert [s["kind"] for s in ours.data["provenance"]["sources"]] == [
        s["kind"] for s in miracoli.data["provenance"]["sources"]
    ] + ["ipa-enti", "padigitale-altrienti-finanziate"] + [f"padigitale-finanziate-{n}" for n in padigitale] + [
        "padigitale-avvisi"
    ]
    assert ours.data["provenance"]["sources"][:6] == [
        sources[s["kind"]] for s in miracoli.data["provenance"]["sources"]
    ] + [sources["ipa-enti"]]
    assert ours.data["provenance"]["edits"] == miracoli.data["provenance"]["edits"]
    assert len(with_bundled.records) == 557 + with_bundled.stats["ipa_only_unions"]
    assert with_bundled.reconciliation["counts"].keys() == {"error", "warning", "info"}


# ---------------------------------------------------------------------------------------------
# the build: printed rates, report, dump, provenance, validation, determinism


@pytest.mark.slow
def test_the_build_prints_timings_and_match_rates_above_the_thresholds(built):
    code, err, _ = built
    assert code == 0
    steps = ("read", "reconcile", "match", "map", "validate", "check records", "turtle", "jsonld", "ntriples")
    for step in steps + ("catalog", "write", "total"):
        assert re.search(rf"\b{step} \d+\.\d\d s", err), step
    m = re.search(r"union match rate \(IPA code\): (\d+) of (\d+)", err)
    assert m and int(m[2]) == 557 and int(m[1]) / 557 >= 0.75
    m = re.search(r"member resolution rate: (\d+) of (\d+) register member rows", err)
    assert m and int(m[2]) == 3000 and int(m[1]) / 3000 >= 0.99
    assert "2060936090 UNIONE TERRITORIALE INTERCOMUNALE DEL NONCELLO" in err  # listed on stderr


@pytest.mark.slow
def test_the_report_lists_what_could_not_be_matched(built, report):
    assert report["stats"]["unions"] == 557 and report["stats"]["member_rows"] == 3000
    unmatched = {u["ministry_code"]: u for u in report["unmatched_unions"]}
    assert unmatched["2060936090"]["iri_key"] == "dait-2060936090"
    assert len(unmatched) == report["stats"]["unions"] - report["stats"]["unions_with_ipa"]
    assert "IDMPPX95".lower() in {b["ipa_code"] for b in report["ipa_unions_not_in_register"]}
    assert isinstance(report["unresolved_members"], list)
    text = (built[2] / "national-report.txt").read_text(encoding="utf-8")
    assert "2060936090 UNIONE TERRITORIALE INTERCOMUNALE DEL NONCELLO" in text
    assert "unions with an IPA code: " in text


# The PA digitale 2026 rows of comuni and unions that join no body, read by hand (grep): a row with no
# CUP; comuni whose IPA code IPA no longer knows (merged: Moransengo, Vighizzolo d'Este, Carceri,
# Alano di Piave, Albaredo Arnaboldi, Ronago) with cod_comune N/D; bodies of IPA category L18 or
# legal status 2450 that no record of the build has (ucmap, whose register union IPA does not match;
# the Villa Greppi consortium; UNCEM, the national association).
UNJOINED_ROWS = {
    ("no-cup", "candidature_finanziate_131.csv", 1824, "c_g751", None),
    ("comune-unknown", "candidature_finanziate_131.csv", 1320, "c_f709", "B51F22004330006"),
    ("comune-unknown", "candidature_finanziate_145.csv", 1890, "c_f709", "B51F22002800006"),
    ("comune-unknown", "candidature_finanziate_141.csv", 381, "c_l878", "D21F22000510006"),
    ("comune-unknown", "candidature_finanziate_144.csv", 997, "c_l878", "D21F22000120006"),
    ("comune-unknown", "candidature_finanziate_144.csv", 1352, "c_b749", "F71F22000130006"),
    ("comune-unknown", "candidature_finanziate_141.csv", 4395, "c_a121", "C81F22003730006"),
    ("comune-unknown", "candidature_finanziate_145.csv", 261, "c_a134", "E11F22003500006"),
    ("comune-unknown", "candidature_finanziate_145.csv", 3231, "c_h521", "J81F22003870006"),
    ("union-not-in-build", "candidature_altrienti_finanziate.csv", 174, "ucmap", "J21F22002460006"),
    ("union-not-in-build", "candidature_finanziate_144.csv", 11140, "ucmap", "J21F22002460006"),
    ("union-not-in-build", "candidature_altrienti_finanziate.csv", 1042, "cbvg", "C41F23000070006"),
    ("union-not-in-build", "candidature_finanziate_144.csv", 11853, "cbvg", "C41F23000070006"),
    ("union-not-in-build", "candidature_altrienti_finanziate.csv", 2181, "uncceem", "H81C23005120006"),
    ("union-not-in-build", "candidature_finanziate_11.csv", 152, "uncceem", "H81C23005120006"),
}


@pytest.mark.slow
def test_the_report_counts_and_lists_the_applications_that_join_no_body(built, report):
    rows = report["projects_unjoined"]
    assert {(r["reason"], r["file"], r["line"], r["codice_ipa"], r["cup"]) for r in rows} == UNJOINED_ROWS
    assert len(rows) == report["stats"]["project_rows_unjoined"] == 15
    text = (built[2] / "national-report.txt").read_text(encoding="utf-8")
    assert "applications that join no body (15; not published" in text
    assert "  no-cup (1): the row has no CUP" in text and "  comune-unknown (8): " in text
    assert "  union-not-in-build (6): " in text
    assert (
        "    no-cup: candidature_finanziate_131.csv line 1824: c_g751 Comune di Poggiardo (cod_comune 075061, "
        "Poggiardo): CUP -, 1.3.1 Piattaforma Digitale Nazionale Dati - Comuni Ottobre 2022\n"
    ) in text


@pytest.mark.slow
def test_the_projects_validate_but_for_one_application_of_the_sources(built, report):
    """candidature_finanziate_145.csv line 1137 (Petacciato, in the Basso Biferno union): CUP
    I31F22003830006 submitted on 2023-12-11 to a call that ended on 2022-11-11, funded on 2023-01-03.
    Every other project, application, state and call of the national graph conforms."""
    assert built[0] == 0 and report["refused_violations"] == []
    project_rules = ("project-", "application-", "state-", "call-")
    accepted = [v for v in report["source_disagreements"]["violations"] if v["rule"].startswith(project_rules)]
    assert [(v["rule"], v["focus"], v["value"]) for v in accepted] == [
        (
            "application-submitted-before-funding",
            B + "project/I31F22003830006/application/ccd5c814e9d0bcf2",
            "2023-12-11T10:00:00Z",
        )
    ]
    [expected] = [d for d in report["source_disagreements"]["expected"] if d.get("focus")]
    assert (expected["union"], expected["detail"]) == (
        "udcbb_cb",
        "CUP I31F22003830006: submitted 2023-12-11T10:00:00Z, funded 2023-01-03",
    )


@pytest.mark.slow
def test_the_dump_has_every_union_of_the_register(dump):
    unions = {t.subject for t in dump if t.predicate.value == RDF_TYPE and t.object == NamedNode(LU + "UnioneDiComuni")}
    in_register = {t.subject for t in dump if t.predicate.value == LU + "ministryCode"}
    assert len(in_register) == 557 - 2  # the two bundled records, from their cards, have no register code
    known = {t.subject for t in dump if t.predicate.value == LU + "membersKnown" and t.object.value == "true"}
    assert len(known) == 557 and in_register <= known  # and the unions of IPA the register does not know:
    assert len(unions - known) >= 40 and all(_objects(dump, u.value, COV + "IPAcode") for u in unions - known)
    noncello = B + "union/dait-2060936090"
    assert NamedNode(noncello) in unions
    assert _objects(dump, noncello, COV + "IPAcode") == []
    assert _objects(dump, noncello, LU + "ministryCode") == [Literal("2060936090")]
    assert _objects(dump, B + "union/udcmmo", COV + "IPAcode") == [Literal("udcmmo")]


@pytest.mark.slow
def test_the_bundled_record_is_what_the_dump_says_of_its_union(dump, bundled):
    miracoli = _miracoli(bundled)
    union = B + "union/" + miracoli.ipa_code
    assert _objects(dump, union, "https://w3id.org/italia/onto/l0/name") == [
        Literal("Unione dei Miracoli", language="it")
    ]
    services = _objects(dump, union, LU + "hasSharedService")  # from the card: no registry has them
    assert len(services) == len(miracoli.data["services"]) > 0
    assert set(_objects(dump, union, PROV + "wasDerivedFrom")) == {
        NamedNode(B + "source/" + s)
        for s in (
            miracoli.stem,
            "istat-comuni",
            "ontopia-cities",
            "ontopia-provinces",
            "ontopia-regions",
            "istat-population",
            "ipa-enti",
            "padigitale-altrienti-finanziate",  # every PA digitale 2026 file read: 1.1 too, no row of theirs
            "padigitale-finanziate-11",
            "padigitale-finanziate-131",
            "padigitale-finanziate-141",
            "padigitale-finanziate-144",
            "padigitale-finanziate-145",
            "padigitale-avvisi",
        )
    }
    total = _objects(dump, union + "/indicator/resident-population/2022-01-01/value", MU + "value")
    assert [int(v.value) for v in total] == [miracoli.data["population"]["value"]]
    for m in miracoli.data["members"]:
        value = B + f"comune/{m['istat_code']}/indicator/resident-population/2022-01-01/value"
        assert [int(v.value) for v in _objects(dump, value, MU + "value")] == [m["population"]["value"]]


@pytest.mark.slow
def test_the_dump_says_where_each_figure_and_resource_came_from(dump, shared_data):
    src = B + "source/istat-population"
    path = shared_data / "istat" / "popolazione-residente-2022-01-01.csv"
    assert NamedNode(PROV + "Entity") in _objects(dump, src, RDF_TYPE)
    assert _objects(dump, src, LU + "sha256") == [Literal(hashlib.sha256(path.read_bytes()).hexdigest())]
    # the publisher's page (the file has no stable download URL), never the local path; no
    # retrieval time: ../shared/data has no download manifest (tests/test_provenance.py)
    assert _objects(dump, src, DCT + "source") == [NamedNode("https://demo.istat.it/")]
    assert _objects(dump, src, PROV + "generatedAtTime") == []
    # a file the bundled records were imported from too: one description
    comuni = B + "source/istat-comuni"
    assert _objects(dump, comuni, DCT + "source") == [
        NamedNode("https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv")
    ]
    assert len(_objects(dump, comuni, DCT + "title")) == 1 and len(_objects(dump, comuni, LU + "sha256")) == 1
    calc = B + "comune/069060/indicator/resident-population/2022-01-01"  # Palena
    assert _objects(dump, calc + "/value", MU + "value")[0].value == "1251"
    assert NamedNode(src) in _objects(dump, calc, PROV + "wasDerivedFrom")
    assert NamedNode(src) in _objects(dump, calc, "https://w3id.org/italia/onto/Indicator/hasDatumSource")
    union = B + "union/udcmmo"
    assert {NamedNode(B + "source/ministry-unions"), NamedNode(B + "source/ipa-enti")} <= set(
        _objects(dump, union, PROV + "wasDerivedFrom")
    )
    match = B + "union/udcmmo/match/union-ipa-code"
    assert NamedNode(match) in _objects(dump, union, PROV + "qualifiedDerivation")
    assert _objects(dump, match, PROV + "entity") == [NamedNode(B + "source/ipa-enti")]
    assert _objects(dump, match, LU + "matchMethod") == [Literal("exact-name+seat-member")]
    assert _objects(dump, match, LU + "matchConfidence")[0].value == "1.0"
    member_match = B + "union/udcmmo/membership/069060/match"
    assert _objects(dump, member_match, LU + "registryValue") == [Literal("PALENA")]
    assert _objects(dump, member_match, PROV + "entity") == [NamedNode(B + "source/istat-comuni")]


@pytest.mark.slow
def test_the_graph_validates_with_only_source_disagreements(report):
    sd = report["source_disagreements"]
    assert report["refused_violations"] == []
    assert sd["violations"], "the sources do disagree (unions IPA does not know, merged comuni)"
    assert {v["rule"] for v in sd["violations"]} <= set(ACCEPTED_RULES)
    found = {(v["union"] or v["focus"], v["rule"]) for v in sd["violations"]}  # a project's: its focus
    assert (B + "union/dait-2060936090", "union-ipa-code-count") in found
    # SAPPADA, now in Friuli Venezia Giulia; UNIONE MONTANA COMELICO is cmcs in IPA (category L12)
    assert (B + "union/cmcs", "member-region") in found
    assert (B + "union/c_l4878", "union-number-of-comuni") in found
    expected = {(B + (x.get("focus") or "union/" + x["union"]), x["rule"]) for x in sd["expected"]}
    assert found <= expected


def test_the_policy_accepts_only_expected_violations(plain):
    policy = accept_policy(plain, B)

    def result(union, rule, severity="Violation", focus=None):
        return SimpleNamespace(union=union, rule=rule, severity=severity, focus=NamedNode(focus or union))

    assert policy(result(B + "union/dait-2060936090", "union-ipa-code-count"))
    assert not policy(result(B + "union/udcmmo", "union-ipa-code-count"))
    assert not policy(result(B + "union/dait-2060936090", "union-total-population"))
    assert policy(result(B + "union/udcmmo", "member-province", "Warning"))
    # a project's application, named by its focus node (candidature_finanziate_145.csv line 1137)
    application = B + "project/I31F22003830006/application/ccd5c814e9d0bcf2"
    assert policy(result(None, "application-submitted-before-funding", focus=application))
    assert not policy(result(None, "application-funding-date", focus=application))
    assert not policy(result(None, "application-submitted-before-funding", focus=application[:-1] + "0"))


@pytest.mark.slow
def test_rebuilding_gives_identical_bytes(built, registries, bundled, tmp_path):
    _, _, first = built
    national_pipeline(registries, tmp_path, bundled_records=bundled)
    assert sorted(p.name for p in first.iterdir()) == [
        "catalog.ttl",
        "context.jsonld",
        "iris.csv",
        "national-report.json",
        "national-report.txt",
        "unioni.jsonld",
        "unioni.nt",
        "unioni.ttl",
        "versions",
        "void.ttl",
    ]
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == names
    assert "versions/2026-12-01/unioni.nt" in names  # the version: the bundled records' last edit
    for name in names:
        assert (tmp_path / name).read_bytes() == (first / name).read_bytes(), name


@pytest.mark.slow
def test_a_violation_that_is_no_source_disagreement_stops_the_build(registries, bundled, tmp_path):
    broken = []
    for r in bundled:
        data = copy.deepcopy(r.data)
        if data["union"]["name"] == "Unione dei Miracoli":
            data["population"]["value"] += 1  # the card's total no longer is the members' sum
        broken.append(Record(r.path, data))
    out = tmp_path / "out"
    with pytest.raises(NotConformingError):  # the projects left out: they play no part in this total
        national_pipeline(registries, out, bundled_records=broken, projects=False)
    assert not out.exists() or list(out.iterdir()) == []


def test_a_bad_national_record_is_reported_by_the_background_check(plain):
    records = [Record(Path(f"r{i}.yaml"), copy.deepcopy(r.data)) for i, r in enumerate(plain.records[:60])]
    records[42].data["members"][0]["istat_code"] = "69015"
    check = RecordCheck(records)
    with pytest.raises(RecordError) as info:
        check.wait()
    assert (info.value.record, info.value.field) == ("r42", "members[0].istat_code")
    RecordCheck(records[:41]).wait()  # the good ones pass


def test_national_output_is_not_committed(repo):
    assert "output/national/" in (repo / ".gitignore").read_text(encoding="utf-8").split()


@pytest.mark.parametrize(
    "argv, words",
    [
        (["build", "--sources", "somewhere"], "sources folder not found"),  # the bundled records' projects
        (["build", "--allow-implausible"], "goes with --sources or --national"),
        (["build", "--national", "--sources", "{data}", "--allow-invalid"], "source"),
        (["build", "--national", "--sources", "/nonexistent/folder"], "sources folder not found"),
    ],
)
def test_national_usage_errors_are_one_line_and_exit_2(argv, words, shared_data, capsys, tmp_path):
    argv = [a.replace("{data}", str(shared_data)) for a in argv] + ["--out", str(tmp_path / "out")]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("lod-unioni: error:") and words in err[0]
    assert not (tmp_path / "out").exists()


REGISTER_HEADER = (
    "NR.;CODICE UNIONE;REGIONE;PROVINCIA;DESCRIZIONE UNIONE DI COMUNI;DATA COSTITUZIONE;NR. COMUNI;"
    "COMUNI APPARTENENTI ALL'UNIONE;POP. UOMINI;POP. DONNE;POP. TOTALE\n"
)


def test_a_register_member_that_names_no_comune_is_kept_and_listed(shared_data, tmp_path):
    """A register (written here) whose union lists a comune that never existed: the member is kept
    as text in the record, in the graph and in the report, never dropped."""
    for folder in ("istat", "ipa", "ontopia"):
        (tmp_path / folder).symlink_to(shared_data / folder, target_is_directory=True)
    (tmp_path / "ministero-interno").mkdir()
    (tmp_path / "ministero-interno" / "unioni-di-comuni-2020.csv").write_text(
        REGISTER_HEADER
        + "0;4130236050;ABRUZZO;CHIETI;UNIONE DEI MIRACOLI;29-Dic-2011;5;;6.224;6.763;12.987\n"
        + "1;;;;;;;CASALBORDINO;2.994;3.309;6.303\n2;;;;;;;POLLUTRI;1.105;1.201;2.306\n"
        + "3;;;;;;;SCERNI;1.661;1.738;3.399\n4;;;;;;;VILLALFONSINA;463;514;977\n"
        + "5;;;;;;;BORGO INESISTENTE;1;1;2\n",
        encoding="utf-8",
    )
    # a register of one union is not plausible: allowed explicitly
    result = build_national_records(resolve_sources(tmp_path, allow_implausible=True), [])
    assert result.stats["member_rows"] == 5 and result.stats["members_resolved"] == 4
    [missing] = result.unresolved_members
    assert (missing["ministry_code"], missing["name"]) == ("4130236050", "BORGO INESISTENTE")
    [record] = [r for r in result.records if r.data["union"].get("ministry_code")]  # (and IPA's unions)
    assert [u["text"] for u in record.data["unresolved"]] == ["BORGO INESISTENTE"]
    assert len(record.data["members"]) == 4 and record.data["number_of_comuni"] == 5
    assert {(d.union_key, d.rule) for d in result.expected} == {("udm_069", "union-number-of-comuni")}
    from lod_unioni.mapping import map_record

    comments = [
        t.object.value
        for t in map_record(record)
        if t.subject == NamedNode(B + "union/udm_069")
        and t.predicate == NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    ]
    assert len(comments) == 1 and "BORGO INESISTENTE" in comments[0]


@pytest.mark.slow
def test_the_report_counts_the_strong_and_the_probable_links_to_ipa(built, dump, report):
    ipaorg = "https://w3id.org/italia/data/public-organization/"

    def subjects(kind: str, predicate: str) -> set:
        return {
            t.subject
            for t in dump
            if t.predicate.value == predicate
            and t.subject.value.startswith(B + kind + "/")
            and t.object.value.startswith(ipaorg)
        }

    links = report["stats"]["ipa_links"]
    same, probable = OWL + "sameAs", LU + "probableSameAs"
    assert links["unions"] == {
        "sameAs": len(subjects("union", same)),
        "probableSameAs": len(subjects("union", probable)),
    }
    assert links["comuni"] == {
        "sameAs": len(subjects("comune", same)),
        "probableSameAs": len(subjects("comune", probable)),
    }
    # 473 register unions matched in IPA and the 43 unions of IPA the register does not know
    assert links["unions"]["sameAs"] + links["unions"]["probableSameAs"] == report["stats"]["unions_with_ipa"] + len(
        report["ipa_only_unions"]
    )
    assert report["stats"]["deprecated_iris"] == {"iris": 0, "with_successor": 0}  # a first build deprecates nothing
    text = (built[2] / "national-report.txt").read_text(encoding="utf-8")
    assert f"unions {links['unions']['sameAs']} owl:sameAs" in text
    assert "deprecated IRIs kept in the dumps (iris.csv): 0" in text


# ---------------------------------------------------------------------------------------------
# PNRR projects (PA digitale 2026)


@pytest.mark.slow
def test_the_report_says_which_pnrr_measures_are_in_the_sources(built, report):
    # ../shared/data/padigitale2026 has the files of 1.1, 1.3.1, 1.4.1, 1.4.4 and 1.4.5, not those of
    # 1.2 and 1.4.3: their applications are not known (not zero)
    assert report["stats"]["pnrr_measures"] == {
        "in_sources": ["1.1", "1.3.1", "1.4.1", "1.4.4", "1.4.5"],
        "not_in_sources": ["1.2", "1.4.3"],
    }
    text = (built[2] / "national-report.txt").read_text(encoding="utf-8")
    assert (
        "PNRR measures in the sources: 1.1, 1.3.1, 1.4.1, 1.4.4, 1.4.5; not in the sources "
        "(their applications are not known, not zero): 1.2, 1.4.3"
    ) in text


# Pretoro (069069, IPA c_h052), member of register union 4130236060 UNIONE DEI COMUNI MONTANI
# MAIELLA ALTA VAL DI FORO: its rows in padigitale2026/candidature_finanziate_*.csv, read by hand
# (codice_cup, importo_finanziamento, stato_candidatura, misura).
PRETORO_PROJECTS = {
    ("I51F22004770006", "10172.0", "E", "1.3.1"),
    ("I51J25000960006", "4326.4", "E", "1.3.1"),
    ("I91F22003490006", "79922.0", "A", "1.4.1"),
    ("I91F22002010006", "14000.0", "A", "1.4.4"),
    ("I91F22002820006", "23147.0", "E", "1.4.5"),
}


@pytest.mark.slow
def test_a_member_of_a_national_union_is_involved_in_its_projects(dump):
    projects = _objects(dump, B + "comune/069069", PRJ + "isInvolvedInProject")
    found = set()
    for p in projects:
        [cup] = _objects(dump, p.value, PRJ + "uniqueProjectCodeValue")
        [cost] = _objects(dump, p.value, PRJ + "projectTotalCost")
        [status] = _objects(dump, p.value, LU + "applicationStatus")
        [measure] = _objects(dump, p.value, LU + "pnrrMeasure")
        assert cost.datatype == NamedNode(XSD + "decimal")
        found.add((cup.value, str(Decimal(cost.value)), status.value[len(LUPST) :], measure.value[len(LUPM) :]))
    assert {(c, str(Decimal(a)), s, m) for c, a, s, m in PRETORO_PROJECTS} == found


def test_the_projects_change_no_expected_disagreement(registries, bundled, with_bundled):
    # the projects are joined after the records are made: the records made from the registries
    # must still be told apart from the bundled ones (their register disagreements are expected)
    without = build_national_records(registries, bundled, check_records=False, projects=False)
    assert not any("projects" in r.data for r in without.records)
    assert any("projects" in r.data for r in with_bundled.records)
    # but for the application the publisher's file says was submitted after its funding (policy.py)
    assert [d for d in with_bundled.expected if not d.focus] == without.expected
    assert [d.rule for d in with_bundled.expected if d.focus] == ["application-submitted-before-funding"]
    assert len(without.expected) > 50
