"""`lod-unioni build`: the dumps, their IRIs and links (ontology/MODEL.md), determinism, bad input.

Expected values are read by hand from the two ITALIAE cards in ../shared/seeds and from MODEL.md;
the fixture records (tests/fixtures/records) were written by hand from those cards.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
import yaml
from conftest import (
    COV,
    DCT,
    FIXTURES_DIR,
    IND,
    IPAORG,
    IPAORGS,
    L0,
    LU,
    LUI,
    LUS,
    LUST,
    MU,
    ORG,
    OWL,
    PRJ,
    PROV,
    RDF,
    RDFS,
    SM,
    TI,
    XSD,
    B,
)
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from lod_unioni import vocab
from lod_unioni.build import OUTPUT_FILES, VERSIONED_FILES, build, build_graph, build_records
from lod_unioni.cli import main
from lod_unioni.errors import LodError, RecordError
from lod_unioni.records import load_records
from lod_unioni.resources import resource_dir
from lod_unioni.serialize import to_ntriples
from lod_unioni.text import slug

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

FIXTURES = FIXTURES_DIR / "records"
DUMPS = ("unioni.ttl", "unioni.jsonld", "unioni.nt")
TC = vocab.TERRITORIAL
CO = vocab.ORGANIZATIONS


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = build(FIXTURES, out)
    return result, out


@pytest.fixture(scope="module")
def graph(built):
    return rdflib.Graph().parse(built[1] / "unioni.ttl", format="turtle")


def _one(g, s, p):
    values = list(g.objects(s, p))
    assert len(values) == 1, (s, p, values)
    return values[0]


# --- the files -------------------------------------------------------------------------------------


def test_build_result_and_files(built):
    result, out = built
    assert (result.unions, result.comuni) == (2, 13)
    assert sorted(p.name for p in out.iterdir()) == [
        "catalog.ttl",
        "context.jsonld",
        "iris.csv",
        *sorted(DUMPS),
        "versions",
        "void.ttl",
    ]
    # the copies of the version (the data's date: the records were imported on 2026-11-22)
    version = [f"versions/2026-11-22/{name}" for name in ("unioni.jsonld", "unioni.nt", "unioni.ttl", "void.ttl")]
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert [p.relative_to(out).as_posix() for p in result.files] == files and set(version) <= set(files)
    assert all((out / name).read_bytes() == (out / name.rsplit("/", 1)[1]).read_bytes() for name in version)
    nt_lines = (out / "unioni.nt").read_text(encoding="utf-8").splitlines()
    assert result.triples == len(nt_lines) == len(set(nt_lines))


def test_the_three_dumps_are_isomorphic(built):
    out = built[1]
    graphs = [
        rdflib.Graph().parse(out / name, format={"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}[name[7:]])
        for name in DUMPS
    ]
    assert len(graphs[0]) == built[0].triples
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])


def test_jsonld_context_file_is_the_dump_context(built, repo):
    out = built[1]
    context = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))
    dump = json.loads((out / "unioni.jsonld").read_text(encoding="utf-8"))
    assert context["@context"] == dump["@context"]
    prefixes = yaml.safe_load((repo / "mappings" / "prefixes.yaml").read_text(encoding="utf-8"))["prefixes"]
    assert context["@context"] == prefixes
    union = next(n for n in dump["@graph"] if n["@id"] == str(B["union/udcmd"]))
    assert union["cov:IPAcode"] == "udcmd"
    assert union["cov:hasCategory"] == {"@id": "s13:206"}


def test_turtle_uses_the_prefixes(built):
    text = (built[1] / "unioni.ttl").read_text(encoding="utf-8")
    assert text.startswith("@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n")
    assert "lu:city ccities:069015-\\(1948-01-01\\)" in text


# --- MODEL.md, section by section -------------------------------------------------------------------


def test_union(graph):
    u = B["union/udcmd"]
    assert set(graph.objects(u, RDF.type)) == {COV.PublicOrganization, LU.UnioneDiComuni}
    assert _one(graph, u, COV.IPAcode) == Literal("udcmd")
    assert _one(graph, u, L0.name) == Literal("Unione dei Miracoli", lang="it")
    assert _one(graph, u, RDFS.label) == Literal("Unione dei Miracoli", lang="it")
    assert _one(graph, u, COV.hasCategory) == URIRef(CO + "S13/206")
    assert _one(graph, u, COV.hasLegalStatus) == URIRef(CO + "legal-status/2450")
    assert _one(graph, u, LU.region) == URIRef(TC + "regions/13")
    assert _one(graph, u, LU.province) == URIRef(TC + "provinces/069")
    assert _one(graph, u, LU.foundingDate) == Literal("2011", datatype=XSD.gYear)
    # IPA's national IRI and the Department for Digital Transformation's spelling of it (with an s)
    assert set(graph.objects(u, OWL.sameAs)) == {
        URIRef("https://w3id.org/italia/data/public-organization/udcmd"),
        URIRef("https://w3id.org/italia/data/public-organisation/udcmd"),
    }
    assert list(graph.objects(u, LU.probableSameAs)) == []  # a steward's record: the identity is certain
    site = _one(graph, u, SM.hasWebSite)
    assert site == B["union/udcmd/website"]
    assert _one(graph, site, RDF.type) == SM.WebSite
    assert _one(graph, site, SM.URL) == Literal("http://www.unionecomunialtoverduragebbia.it", datatype=XSD.anyURI)
    assert set(graph.objects(u, ORG.hasMember)) == {
        B["comune/069015"],
        B["comune/069068"],
        B["comune/069087"],
        B["comune/069100"],
    }
    assert set(graph.objects(u, LU.hasMembership)) == {
        B[f"union/udcmd/membership/{c}"] for c in ("069015", "069068", "069087", "069100")
    }
    assert _one(graph, u, PROV.wasDerivedFrom) == B["source/udcmd"]


def test_union_whose_record_writes_the_ipa_code_in_capitals(graph):
    # the record says ULL: our IRIs keep the lower-case key; the code and the link to IPA are
    # published as the record spells them (IPA's spelling: reconcile reports ipa-code-spelling
    # when IPA writes it otherwise, as it does here, ull)
    u = B["union/ull"]
    assert _one(graph, u, COV.IPAcode) == Literal("ULL")
    assert set(graph.objects(u, OWL.sameAs)) == {IPAORG["ULL"], IPAORGS["ULL"]}
    assert _one(graph, u, LU.region) == URIRef(TC + "regions/17")
    assert _one(graph, u, LU.province) == URIRef(TC + "provinces/076")
    assert _one(graph, u, LU.foundingDate) == Literal("2015", datatype=XSD.gYear)
    assert len(set(graph.objects(u, ORG.hasMember))) == 9
    assert list(graph.objects(u, SM.hasWebSite)) == []  # no website in that record: no triple
    assert not [s for s in graph.subjects() if "ULL" in str(s)]


def test_membership(graph):
    m = B["union/udcmd/membership/069015"]
    assert _one(graph, m, RDF.type) == LU.Membership
    assert _one(graph, m, ORG.organization) == B["union/udcmd"]
    assert _one(graph, m, ORG.member) == B["comune/069015"]
    assert len(set(graph.subjects(RDF.type, LU.Membership))) == 4 + 9


def test_member_comune_casalbordino(graph):
    c = B["comune/069015"]
    assert set(graph.objects(c, RDF.type)) == {COV.PublicOrganization, LU.Comune}
    assert _one(graph, c, L0.name) == Literal("Casalbordino", lang="it")
    assert _one(graph, c, RDFS.label) == Literal("Casalbordino", lang="it")
    assert _one(graph, c, LU.istatCode) == Literal("069015")
    assert _one(graph, c, LU.cadastralCode) == Literal("B865")
    assert _one(graph, c, COV.IPAcode) == Literal("c_b865")
    assert set(graph.objects(c, OWL.sameAs)) == {IPAORG["c_b865"], IPAORGS["c_b865"]}
    assert _one(graph, c, COV.hasCategory) == URIRef(CO + "S13/204")
    assert _one(graph, c, LU.city) == URIRef(TC + "cities/069015-(1948-01-01)")
    assert _one(graph, c, LU.province) == URIRef(TC + "provinces/069")
    assert _one(graph, c, LU.region) == URIRef(TC + "regions/13")
    assert _one(graph, c, IND.hasIndicatorCalculation) == B["comune/069015/indicator/resident-population/2022-01-01"]
    # Lagonegro: another province and region
    lagonegro = B["comune/076039"]
    assert _one(graph, lagonegro, LU.city) == URIRef(TC + "cities/076039-(1948-01-01)")
    assert _one(graph, lagonegro, LU.cadastralCode) == Literal("E409")


def _value(graph, calculation):
    v = _one(graph, calculation, IND.hasIndicatorValue)
    assert v == URIRef(str(calculation) + "/value")
    assert _one(graph, v, RDF.type) == MU.Value
    return _one(graph, v, MU.value), _one(graph, v, MU.hasMeasurementUnit)


def test_figures_of_the_union(graph):
    u = B["union/udcmd"]
    pop = B["union/udcmd/indicator/resident-population/2022-01-01"]
    assert set(graph.objects(u, IND.hasIndicatorCalculation)) == {
        pop,
        B["union/udcmd/indicator/surface-area/stated"],
        B["union/udcmd/indicator/population-density/stated"],
        B["union/udcmd/indicator/number-of-comuni/stated"],
    }
    assert _one(graph, pop, RDF.type) == IND.IndicatorCalculation
    assert _one(graph, pop, IND.forIndicator) == LUI["resident-population"]
    assert _one(graph, pop, IND.computedAtTime) == B["time/2022-01-01"]
    assert _one(graph, pop, LU.statedBy) == u
    source = _one(graph, pop, IND.hasDatumSource)
    assert _one(graph, source, RDF.type) == IND.DatumSource
    assert _one(graph, source, RDFS.label) == Literal("ISTAT 01.01.2022", lang="it")
    assert _value(graph, pop) == (Literal("11749", datatype=XSD.integer), LUI["unit-inhabitants"])
    assert _value(graph, B["union/udcmd/indicator/surface-area/stated"]) == (
        Literal("122.56", datatype=XSD.decimal),
        LUI["unit-square-kilometre"],
    )
    assert _value(graph, B["union/udcmd/indicator/population-density/stated"]) == (
        Literal("95.86", datatype=XSD.decimal),
        LUI["unit-inhabitants-per-square-kilometre"],
    )
    assert _value(graph, B["union/udcmd/indicator/number-of-comuni/stated"]) == (
        Literal("4", datatype=XSD.integer),
        LUI["unit-count"],
    )
    assert list(graph.objects(B["union/udcmd/indicator/surface-area/stated"], IND.computedAtTime)) == []
    t = B["time/2022-01-01"]
    assert _one(graph, t, RDF.type) == TI.TimeInterval
    assert _one(graph, t, TI.date) == Literal("2022-01-01", datatype=XSD.date)
    # Lagonegrese, from its card: 34.908 inhabitants, 623,4 km², 55,99 ab/km², 9 comuni
    assert _value(graph, B["union/ull/indicator/resident-population/2022-01-01"])[0].toPython() == 34908
    assert _value(graph, B["union/ull/indicator/surface-area/stated"])[0] == Literal("623.4", datatype=XSD.decimal)
    assert _value(graph, B["union/ull/indicator/population-density/stated"])[0].toPython() == Decimal("55.99")
    assert _value(graph, B["union/ull/indicator/number-of-comuni/stated"])[0].toPython() == 9


def test_figures_of_the_members_add_up_to_the_cards_totals(graph):
    def members_total(ipa):
        total = 0
        for comune in graph.objects(B[f"union/{ipa}"], ORG.hasMember):
            calc = _one(graph, comune, IND.hasIndicatorCalculation)
            assert _one(graph, calc, LU.statedBy) == B[f"union/{ipa}"]
            total += _value(graph, calc)[0].toPython()
        return total

    assert members_total("udcmd") == 5812 + 2040 + 3005 + 892 == 11749
    assert members_total("ull") == 34908
    casalbordino = B["comune/069015/indicator/resident-population/2022-01-01"]
    assert _value(graph, casalbordino)[0] == Literal("5812", datatype=XSD.integer)
    assert _one(graph, _one(graph, casalbordino, IND.hasDatumSource), RDFS.label) == Literal(
        "Istat, Popolazione residente 2022", lang="it"
    )
    # the Lagonegrese fixture names no source for its members: no datum source triple
    assert list(graph.objects(B["comune/076039/indicator/resident-population/2022-01-01"], IND.hasDatumSource)) == []


def test_shared_services(graph):
    cuc = B["union/udcmd/service/centrale-unica-committenza"]
    assert cuc in set(graph.objects(B["union/udcmd"], LU.hasSharedService))
    assert _one(graph, cuc, RDF.type) == LU.SharedService
    assert _one(graph, cuc, LU.serviceType) == LUS["centrale-unica-committenza"]
    assert _one(graph, cuc, LU.serviceStatus) == LUST.active
    assert _one(graph, cuc, LU.providedBy) == B["union/udcmd"]
    labels = set(graph.objects(cuc, RDFS.label))
    assert Literal("Centrale unica di committenza", lang="it") in labels
    assert {lit.language for lit in labels} == {"it", "en"}
    planned = B["union/ull/service/pianificazione-strategica"]  # "(IN VIA DI ELABORAZIONE)" on the card
    assert _one(graph, planned, LU.serviceStatus) == LUST.planned


def test_italiae_intervention(graph):
    i = B["union/ull/intervention/italiae"]
    programme = B["programme/italiae"]
    assert _one(graph, i, RDF.type) == LU.Intervention
    assert _one(graph, i, LU.programme) == programme
    assert _one(graph, i, LU.interventionLine) == B["programme/italiae/line/community-di-innovazione"]
    assert _one(graph, i, LU.beneficiary) == B["union/ull"]
    assert _one(graph, i, LU.inSynergyWith) == B["programme/italiae/line/laboratorio-permanente"]
    assert len(set(graph.objects(i, LU.action))) == 3
    assert Literal("ATTIVITÀ LABORATORIALI FORMATIVE/INFORMATIVE IN AMBITO DIGITALE", lang="it") in set(
        graph.objects(i, LU.action)
    )
    assert _one(graph, i, LU.need).language == "it"
    sections = set(graph.objects(i, LU.hasSection))
    assert sections == {
        B["union/ull/intervention/italiae/section/piano-di-innovazione-digitale"],
        B["union/ull/intervention/italiae/section/attivita-laboratoriali"],
    }
    lab = B["union/ull/intervention/italiae/section/attivita-laboratoriali"]
    assert _one(graph, lab, RDF.type) == L0.Description
    assert _one(graph, lab, DCT.title) == Literal("ATTIVITÀ LABORATORIALI", lang="it")
    period = _one(graph, i, LU.activityPeriod)
    assert period == B["union/ull/intervention/italiae/period"]
    assert _one(graph, period, RDF.type) == TI.TimeInterval
    assert _one(graph, period, TI.startTime) == Literal("2022-01-01", datatype=XSD.date)  # "2022" on the card
    assert _one(graph, period, TI.endTime) == Literal("2022-12-31", datatype=XSD.date)
    assert _one(graph, programme, RDF.type) == PRJ.Programme
    assert _one(graph, programme, L0.name) == Literal("ITALIAE", lang="it")
    assert _one(graph, programme, L0.description) == Literal("Nuove formule organizzative per i territori", lang="it")
    line = B["programme/italiae/line/laboratorio-permanente"]
    assert _one(graph, line, RDF.type) == LU.InterventionLine
    assert _one(graph, line, RDFS.label) == Literal("Laboratorio Permanente", lang="it")
    assert _one(graph, line, LU.partOfProgramme) == programme


def test_provenance(graph):
    record = B["source/udcmd"]
    assert _one(graph, record, RDF.type) == PROV.Entity
    assert Literal("Record udcmd.yaml", lang="en") in set(graph.objects(record, RDFS.label))
    card = _one(graph, record, PROV.wasDerivedFrom)
    assert card == B["source/card/90847faaabe1a949"]  # sha256 of seeds/000_2efc33edd475e064.txt
    assert _one(graph, card, LU.sha256) == Literal("90847faaabe1a94984140131bc7306115687fa973a43e717a8c611e357c0e840")
    assert _one(graph, card, DCT.title) == Literal("Scheda ITALIAE - Unione dei Miracoli", lang="it")


def test_datum_sources_in_other_scripts_keep_their_own_iris(tmp_path):
    """Two sources named without ASCII letters are two datum sources, each with its label (they
    used to collapse into one IRI, datum-source/, with both labels): the keys import-card gives them
    (the slug of the wording, which keeps such texts apart) differ."""
    d = tmp_path / "records"
    shutil.copytree(FIXTURES, d)
    path = d / "udcmd.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for member, text in zip(data["members"], ("数据", "Источник"), strict=False):
        member["population"]["source"] = text
        member["population"]["source_key"] = slug(text)  # what import-card writes
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    g = rdflib.Graph().parse(data=to_ntriples(build_graph(load_records(d))), format="nt")
    labels = {str(label): s for s, label in g.subject_objects(RDFS.label) if str(s).startswith(B + "datum-source/")}
    assert labels["数据"] != labels["Источник"]
    for label in ("数据", "Источник"):
        assert set(g.objects(labels[label], RDFS.label)) == {Literal(label, lang="it")}


def test_no_floats_and_no_untyped_numbers(built):
    text = (built[1] / "unioni.nt").read_text(encoding="utf-8")
    assert "XMLSchema#double" not in text and "XMLSchema#float" not in text


# --- base IRI, determinism -------------------------------------------------------------------------


def test_base_iri_changes_own_iris_and_nothing_else(built, tmp_path):
    other = "https://data.example.org/unioni/"
    build(FIXTURES, tmp_path, base_iri=other)
    default_nt = (built[1] / "unioni.nt").read_text(encoding="utf-8")
    other_nt = (tmp_path / "unioni.nt").read_text(encoding="utf-8")
    assert "https://w3id.org/lod-unioni/data/" not in other_nt
    assert sorted(other_nt.replace(other, str(B)).splitlines()) == sorted(default_nt.splitlines())
    g = rdflib.Graph().parse(data=other_nt, format="nt")
    u = URIRef(other + "union/udcmd")
    assert set(g.objects(u, OWL.sameAs)) == {IPAORG["udcmd"], IPAORGS["udcmd"]}
    assert g.value(URIRef(other + "comune/069015"), LU.city) == URIRef(TC + "cities/069015-(1948-01-01)")
    assert json.loads((tmp_path / "context.jsonld").read_bytes()) == json.loads(
        (built[1] / "context.jsonld").read_bytes()
    )


def test_rebuild_is_byte_identical(built, tmp_path):
    build(FIXTURES, tmp_path / "a")
    for name in (*DUMPS, "context.jsonld", "catalog.ttl"):
        assert (tmp_path / "a" / name).read_bytes() == (built[1] / name).read_bytes(), name
    build(FIXTURES, tmp_path / "a")
    for name in DUMPS:
        assert (tmp_path / "a" / name).read_bytes() == (built[1] / name).read_bytes(), name


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_build_prints_progress_and_a_summary(tmp_path, capsys):
    assert main(["build", "--records", str(FIXTURES), "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    last = captured.err.strip().splitlines()[-1]
    triples = len((tmp_path / "o" / "unioni.nt").read_text(encoding="utf-8").splitlines())
    assert last == f"built 2 unions, 13 comuni, {triples} triples; 11 files written to {tmp_path / 'o'}"
    assert "reading records" in captured.err


def test_cli_rejects_a_bad_base_iri(tmp_path, capsys):
    assert main(["build", "--records", str(FIXTURES), "--out", str(tmp_path / "o"), "--base-iri", "ftp://x/"]) == 2
    assert not (tmp_path / "o").exists()
    assert capsys.readouterr().err.strip().startswith("lod-unioni: error: field --base-iri: ")


@pytest.mark.parametrize(
    "iri, problem",
    [
        ("https:///", "has no valid host"),
        ("https://a:99999/", "has a port out of range"),
        ("https://a:0/", "has a port out of range"),
        ("https://steward:s3cret@data.example.org/", "must not have a user name or password"),
        ("https://data.example.org/?x=/", "must not have a query"),
        ("https://data.example.org/a#b/", "'#' only as its last character"),
        ("https://data.example.org/\n", "control character"),
    ],
)
def test_a_bad_base_iri_is_refused_naming_the_setting_it_came_from(tmp_path, monkeypatch, capsys, iri, problem):
    """--base-iri and base_iri of lod-unioni.toml: an http(s) IRI with a host, a port in range, no
    user name or password, ending in '/' or '#'; the error names the setting, never a record field."""
    monkeypatch.chdir(tmp_path)
    args = ["build", "--records", str(FIXTURES), "--out", str(tmp_path / "o")]
    assert main([*args, "--base-iri", iri]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lod-unioni: error: field --base-iri: base IRI "), lines
    assert problem in lines[0] and "record" not in lines[0] and "s3cret" not in lines[0]
    (tmp_path / "lod-unioni.toml").write_text(f"base_iri = {json.dumps(iri)}\n", encoding="utf-8")
    assert main(args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lod-unioni: error: lod-unioni.toml: field base_iri: "), lines
    assert problem in lines[0] and "record" not in lines[0] and "s3cret" not in lines[0]
    with pytest.raises(LodError) as info:
        build(FIXTURES, tmp_path / "o", base_iri=iri)
    assert info.value.field == "base_iri" and info.value.record is None
    assert not (tmp_path / "o").exists()


def test_cli_uses_the_bundled_records_when_there_is_no_records_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--out", "o"]) == 0
    err = capsys.readouterr().err
    assert "using the bundled records" in err
    g = rdflib.Graph().parse(tmp_path / "o" / "unioni.nt", format="nt")
    assert len(set(g.objects(B["union/udm_069"], ORG.hasMember))) == 4  # udcmd on the card (provenance.edits)
    assert len(set(g.objects(B["union/ull"], ORG.hasMember))) == 9


@pytest.mark.parametrize("case", ["a file", "below a file", "in /proc", "no permission"])
def test_an_out_folder_that_cannot_be_written_is_one_line_exit_2(tmp_path, monkeypatch, capsys, case):
    """--out at a file, below a file, at /proc/x, at a folder without permission: one line, exit 2
    (these were tracebacks with exit 1, the code of findings)."""
    (tmp_path / "file").write_text("x", encoding="utf-8")
    out = {"a file": tmp_path / "file", "below a file": tmp_path / "file" / "o", "in /proc": Path("/proc/x")}.get(
        case, tmp_path / "locked" / "o"
    )
    if case == "no permission":
        (tmp_path / "locked").mkdir(mode=0o555)
        if os.geteuid() == 0:  # root may write anyway: the folder refuses as it would refuse others

            def refused(*args, **kwargs):
                raise PermissionError(13, "Permission denied", str(args[0]))

            monkeypatch.setattr(os, "mkdir", refused)
    assert main(["-q", "build", "--records", str(FIXTURES), "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lod-unioni: error: {out}: "), lines
    message = {"a file": "not a folder", "below a file": f"{tmp_path / 'file'} is not a folder"}.get(
        case, "cannot write the output folder: " + ("Permission denied" if case == "no permission" else "")
    )
    assert message in lines[0], lines
    assert (tmp_path / "file").read_text(encoding="utf-8") == "x"


def _snapshot(directory: Path) -> dict:
    return {
        p.relative_to(directory).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _bad_records(tmp_path: Path, case: str) -> tuple[Path, str, str, str]:
    """A records folder with one broken record: (folder, file name, record, field)."""
    d = tmp_path / "records"
    shutil.copytree(FIXTURES, d)
    path = d / "udcmd.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if case == "malformed YAML":
        path.write_text(
            path.read_text(encoding="utf-8").replace("number_of_comuni: 4", "number_of_comuni: [4"), encoding="utf-8"
        )
        return d, "udcmd.yaml", "udcmd", None
    if case == "wrong type":
        data["members"][2]["population"]["value"] = "3.005"
        field = "members[2].population.value"
    elif case == "missing required field":
        del data["union"]["region"]
        field = "union.region"
    elif case == "negative population":
        data["members"][0]["population"]["value"] = -5812
        field = "members[0].population.value"
    elif case == "same comune twice":
        data["members"][2]["istat_code"] = "069068"
        field = "members[2].istat_code"
    elif case == "unknown service concept":
        data["services"][0]["concept"] = "centrale-unica-di-acquisto"
        field = "services[0].concept"
    elif case == "same IPA code in two records":
        data["union"]["ipa_code"] = "ull"
        path.unlink()
        path = d / "ull2.yaml"
        field = "union.ipa_code"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return d, "ull2.yaml", "ull", field
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return d, "udcmd.yaml", "udcmd", field


@pytest.mark.parametrize(
    "case",
    [
        "malformed YAML",
        "wrong type",
        "missing required field",
        "negative population",
        "same comune twice",
        "unknown service concept",
        "same IPA code in two records",
    ],
)
def test_bad_input_is_one_line_exit_2_and_the_output_untouched(tmp_path, capsys, case):
    out = tmp_path / "output"
    build(FIXTURES, out)
    before = _snapshot(out)
    records, file_name, record, field = _bad_records(tmp_path, case)
    capsys.readouterr()
    assert main(["build", "--records", str(records), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("lod-unioni: error: ")]
    assert len(error_lines) == 1
    line = error_lines[0]
    assert f"{records / file_name}" in line and f"record {record}" in line
    if field:
        assert f"field {field}: " in line
    else:
        assert f"{records / file_name}:" in line and "not valid YAML" in line  # with the line number
    assert _snapshot(out) == before


def test_a_failing_check_writes_nothing(tmp_path):
    out = tmp_path / "output"
    build(FIXTURES, out)
    before = _snapshot(out)
    seen = []

    def check(triples):
        seen.append(len(triples))
        raise LodError("the graph does not conform")

    with pytest.raises(LodError, match="does not conform"):
        build(FIXTURES, out, base_iri="https://data.example.org/unioni/", check=check)
    assert seen and seen[0] > 500
    assert _snapshot(out) == before


class _Background:
    """A background check (lod_unioni.build.BackgroundCheck) that records when it is waited for."""

    label = "checking in the background"

    def __init__(self, error: Exception | None = None):
        self.error = error
        self.waited = 0

    def wait(self):
        self.waited += 1
        if self.error is not None:
            raise self.error


def test_build_records_is_the_pipeline_of_build(built, tmp_path):
    """build() is load_records + build_records: the same records in memory give the same files; the
    extra files get the triples and what the check returned; every step is timed."""
    records = load_records(FIXTURES)
    background = _Background()
    timings: dict[str, float] = {}
    seen = []

    def check(triples):
        return f"{len(triples)} triples checked"

    def extra(triples, found):
        seen.append(found)
        return {"extra.txt": f"{len(triples)}\n".encode()}

    result = build_records(records, tmp_path, check=check, background=background, extra_files=extra, timings=timings)
    assert background.waited == 1
    assert seen == [f"{result.triples} triples checked"]
    assert (tmp_path / "extra.txt").read_text() == f"{result.triples}\n"
    for name in OUTPUT_FILES:
        assert (tmp_path / name).read_bytes() == (built[1] / name).read_bytes(), name
    assert list(timings) == [
        "map",
        "validate",
        "check records",
        "turtle",
        "jsonld",
        "ntriples",
        "catalog",
        "write",
    ]
    assert (result.unions, result.comuni, result.triples) == (built[0].unions, built[0].comuni, built[0].triples)


def test_build_records_waits_for_the_background_check_and_writes_nothing_when_it_fails(tmp_path):
    records = load_records(FIXTURES)
    out = tmp_path / "out"
    bad = _Background(RecordError("bad record", record="udm_069", field="members[0].istat_code"))
    with pytest.raises(RecordError, match="bad record"):
        build_records(records, out, background=bad)
    assert bad.waited == 1 and not out.exists()

    def failing(triples):
        raise LodError("the graph does not conform")

    good = _Background()
    with pytest.raises(LodError, match="does not conform"):
        build_records(records, out, check=failing, background=good)
    assert good.waited == 1 and not out.exists()  # waited for even when the check failed
    with pytest.raises(RecordError):  # the record error names the cause: it wins
        build_records(records, out, check=failing, background=_Background(RecordError("bad record")))


def test_build_records_writes_nothing_with_write_false(tmp_path):
    result = build_records(load_records(FIXTURES), tmp_path / "out", write=False)
    assert result.files == [] and result.triples > 500 and not (tmp_path / "out").exists()


# --- the committed output of the bundled records -----------------------------------------------------


def test_committed_output_is_up_to_date_with_the_bundled_records(repo, tmp_path):
    """output/ must be rebuilt (`lod-unioni build`) and committed whenever records/ or mappings/ change:
    the files of the build and the copies of its version (versions/{version}/). The build reads the
    committed IRI register and finds the committed versions, as every build of output/ does (the
    register records when each IRI was first published; the catalog describes every version kept)."""
    shutil.copyfile(repo / "output" / "iris.csv", tmp_path / "iris.csv")
    shutil.copytree(repo / "output" / "versions", tmp_path / "versions")
    build(resource_dir("records"), tmp_path)
    built = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert set(OUTPUT_FILES) <= set(built) and any(name.startswith("versions/") for name in built)
    stale = [
        name
        for name in built
        if not (repo / "output" / name).is_file()
        or (repo / "output" / name).read_bytes() != (tmp_path / name).read_bytes()
    ]
    assert stale == [], "run `lod-unioni build` and commit output/"
    # every earlier version kept in output/versions/ is complete and says which version it is
    for folder in sorted((repo / "output" / "versions").iterdir()):
        assert sorted(p.name for p in folder.iterdir()) == sorted(VERSIONED_FILES), folder
        void = rdflib.Graph().parse(folder / "void.ttl")
        assert {str(v) for v in void.objects(B["dataset/unioni"], OWL.versionInfo)} == {folder.name}


# ISTAT resident population at 2022-01-01 (istat/popolazione-residente-2022-01-01.csv, lines 5543,
# 5596, 5615, 5628 and 6597), read by hand: the bundled records hold these after reconciliation.
RECONCILED = {
    "udm_069": (
        "Unione dei Miracoli",
        "2011-12-29",
        "https://unionedeimiracoli.eu/",
        Decimal("95.86"),  # the card's density: 11,749 / 122.56 truncated
        {"069015": 5830, "069068": 2057, "069087": 3020, "069100": 897},
    ),
    "ull": (
        "Unione Lucana del Lagonegrese",
        "2015-05-07",
        "http://www.unionelucanalagonegrese.it",
        Decimal("55.99"),
        {
            "076022": 1947,
            "076023": 731,
            "076039": 5138,
            "076040": 4129,
            "076042": 12017,
            "076044": 4817,
            "076054": 1404,
            "076068": 2542,
            "076092": 2182,
        },
    ),
}


def test_committed_output_has_both_unions_as_reconciled(repo):
    """output/ is built from records/: the cards' values with the hand edits made after
    `lod-unioni reconcile` (IPA code, names, founding dates, ISTAT populations; see provenance.edits)."""
    g = rdflib.Graph().parse(repo / "output" / "unioni.nt", format="nt")
    assert sorted(set(str(u) for u in g.subjects(ORG.hasMember, None))) == [
        str(B["union/udm_069"]),
        str(B["union/ull"]),
    ]
    for (ipa, (name, founded, website, density, populations)), total in zip(
        RECONCILED.items(), (11804, 34907), strict=False
    ):
        assert sum(populations.values()) == total
        u = B[f"union/{ipa}"]
        assert _one(g, u, COV.IPAcode) == Literal(ipa)
        assert _one(g, u, L0.name) == Literal(name, lang="it")
        assert set(g.objects(u, OWL.sameAs)) == {IPAORG[ipa], IPAORGS[ipa]}
        assert _one(g, u, LU.foundingDate) == Literal(founded, datatype=XSD.date)
        assert _one(g, _one(g, u, SM.hasWebSite), SM.URL) == Literal(website, datatype=XSD.anyURI)
        comuni = set(g.objects(u, ORG.hasMember))
        assert comuni == {B[f"comune/{code}"] for code in populations}
        assert all(str(_one(g, c, LU.city)).startswith(TC + "cities/") for c in comuni)
        assert {
            str(c).rsplit("/", 1)[1]: _value(g, URIRef(f"{c}/indicator/resident-population/2022-01-01"))[0].toPython()
            for c in comuni
        } == populations
        assert _value(g, B[f"union/{ipa}/indicator/resident-population/2022-01-01"])[0].toPython() == total
        assert _value(g, B[f"union/{ipa}/indicator/population-density/stated"])[0].toPython() == density
    assert not list(g.triples((B["union/udcmd"], None, None)))


_ONTOPIA_RAW = (
    "https://raw.githubusercontent.com/italia/daf-ontologie-vocabolari-controllati/master/VocabolariControllati/"
)


def test_committed_output_says_which_registry_files_the_records_came_from(repo, shared_data):
    """Each ISTAT / OntoPiA file the bundled records were imported with is a prov:Entity with its
    publisher's URL (an IRI, never the path of a local copy), SHA-256 (of the files in
    ../shared/data) and licence, and both unions are derived from it. The records were imported from
    copies placed by hand: no retrieval time is claimed (their modification time is not one)."""
    g = rdflib.Graph().parse(repo / "output" / "unioni.ttl", format="turtle")
    files = {
        "istat-comuni": (
            "istat/Elenco-comuni-italiani.csv",
            "https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv",
        ),
        "ontopia-cities": ("ontopia/cities.csv", _ONTOPIA_RAW + "territorial-classifications/cities/cities.csv"),
        "ontopia-provinces": (
            "ontopia/provinces.csv",
            _ONTOPIA_RAW + "territorial-classifications/provinces/provinces.csv",
        ),
        "ontopia-regions": ("ontopia/regions.csv", _ONTOPIA_RAW + "territorial-classifications/regions/regions.csv"),
    }
    for kind, (rel, url) in files.items():
        src = B[f"source/{kind}"]
        assert _one(g, src, RDF.type) == PROV.Entity
        assert _one(g, src, LU.sha256) == Literal(hashlib.sha256((shared_data / rel).read_bytes()).hexdigest())
        assert _one(g, src, DCT.source) == URIRef(url)
        assert list(g.objects(src, PROV.generatedAtTime)) == []
        assert _one(g, src, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
        assert {r.language for r in g.objects(src, DCT.rights)} == {"it", "en"}
        assert Literal(f"Registry file {kind}", lang="en") in set(g.objects(src, RDFS.label))
        for union in ("udm_069", "ull"):
            assert src in set(g.objects(B[f"union/{union}"], PROV.wasDerivedFrom))
    sources = {s for s in g.subjects(RDF.type, PROV.Entity) if "/source/" in str(s) and "/card/" not in str(s)}
    # with the ISTAT population file the members' reconciled populations were read from
    expected = {B[f"source/{k}"] for k in files} | {B["source/istat-population"]}
    assert sources == expected | {B["source/udm_069"], B["source/ull"]}


def test_the_importer_still_gives_the_card_totals(card_records, tmp_path, capsys):
    """From the seed cards, import-card then build write both unions with 4 and 9 members and the totals the cards state, 11,749 and 34,908 (records/ holds the reconciled ones)."""
    assert main(["build", "--records", str(card_records), "--out", str(tmp_path / "o")]) == 0
    capsys.readouterr()
    g = rdflib.Graph().parse(tmp_path / "o" / "unioni.nt", format="nt")
    for ipa, name, members, total in (
        ("udcmd", "Unione dei Miracoli", 4, 11749),
        ("ull", "Unione dei Comuni Lucani del Lagonegrese", 9, 34908),
    ):
        u = B[f"union/{ipa}"]
        assert _one(g, u, L0.name) == Literal(name, lang="it")
        assert set(g.objects(u, OWL.sameAs)) == {IPAORG[ipa], IPAORGS[ipa]}
        comuni = set(g.objects(u, ORG.hasMember))
        assert len(comuni) == members
        assert all(str(_one(g, c, LU.city)).startswith(TC + "cities/") for c in comuni)
        assert _value(g, B[f"union/{ipa}/indicator/resident-population/2022-01-01"])[0].toPython() == total
        assert sum(_value(g, _one(g, c, IND.hasIndicatorCalculation))[0].toPython() for c in comuni) == total
