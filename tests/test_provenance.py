"""What the dumps say about where their facts come from: each registry file by its publisher's URL
(never the build machine's path), its retrieval time only when it is known (the download manifest),
its checksum and its publisher's licence, or a plain statement that the publisher states none.

The national graph is built once for the module, from ``../shared/data`` (files placed by hand:
no manifest, so no retrieval time).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
import rdflib
import yaml
from conftest import (
    CCITIES,
    CPROV,
    CREG,
    DCT,
    FOAF,
    IND,
    IPAORG,
    LU,
    LUI,
    MU,
    OWL,
    PROV,
    RDF,
    RDFS,
    XSD,
    B,
    gazetteer_cache,
)
from rdflib import Literal, URIRef

from lod_unioni.build import build, build_graph
from lod_unioni.cards import import_cards
from lod_unioni.query import load_query, run_query
from lod_unioni.records import load_records
from lod_unioni.resources import resource_dir
from lod_unioni.serialize import to_ntriples
from lod_unioni.validation import validate

CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
MIRACOLI_CARD = "000_2efc33edd475e064.txt"

# The publishers' URLs, written out by hand: a download URL where the publisher has a stable one,
# else the dataset's page (the Ministry's register and ISTAT's population file have none).
ONTOPIA_RAW = (
    "https://raw.githubusercontent.com/italia/daf-ontologie-vocabolari-controllati/master/VocabolariControllati/"
)
PUBLISHED_AT = {
    "ministry-unions": "https://dait.interno.gov.it/territorio-e-autonomie-locali",
    "ipa-enti": "https://indicepa.gov.it/ipa-dati/datastore/dump/d09adf99-dc10-4349-8c53-27b1e5aa97b6?bom=True",
    "istat-comuni": "https://www.istat.it/storage/codici-unita-amministrative/Elenco-comuni-italiani.csv",
    "istat-population": "https://demo.istat.it/",
    "ontopia-cities": ONTOPIA_RAW + "territorial-classifications/cities/cities.csv",
    "ontopia-provinces": ONTOPIA_RAW + "territorial-classifications/provinces/provinces.csv",
    "ontopia-regions": ONTOPIA_RAW + "territorial-classifications/regions/regions.csv",
}
# The files of ../shared/data each kind is read from (README.md there)
LOCAL_FILE = {
    "ministry-unions": "ministero-interno/unioni-di-comuni-2020.csv",
    "ipa-enti": "ipa/enti-2024-07-31.csv",
    "istat-comuni": "istat/Elenco-comuni-italiani.csv",
    "istat-population": "istat/popolazione-residente-2022-01-01.csv",
    "ontopia-cities": "ontopia/cities.csv",
    "ontopia-provinces": "ontopia/provinces.csv",
    "ontopia-regions": "ontopia/regions.csv",
}


@pytest.fixture(scope="module")
def national(national_build) -> Path:
    return national_build.out


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bundled-provenance") / "out"
    build(resource_dir("records"), out)
    return out


def _triples_with(nt: Path, *needles: str) -> rdflib.Graph:
    """The triples of an N-Triples dump whose line names one of ``needles`` (N-Triples has one
    triple per line): what a test reads of the national dump, without parsing its million triples."""
    with open(nt, encoding="utf-8") as f:
        lines = [line for line in f if any(n in line for n in needles)]
    return rdflib.Graph().parse(data="".join(lines), format="nt")


def _machine_strings(shared_data: Path, out: Path) -> list[str]:
    """What would identify the build machine in a dump: the sources folder (as given and resolved),
    the home folder, the user name as a path segment, the temporary and output folders, the
    checkout, the records folder."""
    found = {
        str(shared_data),
        str(shared_data.resolve()),
        str(Path(resource_dir("records")).resolve()),
        str(Path(__file__).resolve().parent.parent),
        str(out),
        str(out.resolve()),
        "/tmp/",
        "file:",
    }
    home = os.path.expanduser("~")
    if home not in ("", "/"):
        found.add(home)
    user = getpass.getuser()
    if user:
        found.add(f"/{user}/")
    return sorted(found)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["bundled", "national"])
def test_no_path_of_the_build_machine_in_any_dump(which, request, shared_data):
    """No local path, user name or file:// IRI in any dump (the national build used to publish the
    sources folder's path as dcterms:source), and every dcterms:source of a registry file is the
    publisher's http(s) URL, as an IRI (the bundled records gave 'istat/Elenco-comuni-italiani.csv')."""
    out = request.getfixturevalue(which)
    leaks = _machine_strings(shared_data, out)
    for name in ("unioni.ttl", "unioni.nt", "unioni.jsonld", "catalog.ttl", "void.ttl", "iris.csv"):
        text = (out / name).read_text(encoding="utf-8")
        found = [s for s in leaks if s in text]
        assert found == [], f"{which} {name} names the build machine: {found}"
    g = _triples_with(out / "unioni.nt", f"<{RDFS.label}>", f"<{DCT.source}>")
    sources = {s for s, label in g.subject_objects(RDFS.label) if str(label).startswith("Registry file ")}
    assert len(sources) >= 4
    for s in sources:
        [where] = list(g.objects(s, DCT.source))
        assert isinstance(where, URIRef) and re.match(r"https?://", str(where)), (s, where)


@pytest.mark.slow
def test_the_national_dump_describes_each_registry_file_by_its_publisher(national, shared_data):
    g = _triples_with(national / "unioni.nt", f"<{B}source/")
    for kind, url in PUBLISHED_AT.items():
        s = B[f"source/{kind}"]
        assert list(g.objects(s, DCT.source)) == [URIRef(url)], kind
        sha = hashlib.sha256((shared_data / LOCAL_FILE[kind]).read_bytes()).hexdigest()
        assert list(g.objects(s, LU.sha256)) == [Literal(sha)], kind
        # ../shared/data has no download manifest: no retrieval time is known, none is claimed
        assert list(g.objects(s, PROV.generatedAtTime)) == [], kind
        rights = {r.language: str(r) for r in g.objects(s, DCT.rights)}
        assert set(rights) == {"it", "en"}, kind
        if kind == "ministry-unions":
            # the Ministry states no licence: none is given (its homepage used to be), and the rights say so
            assert list(g.objects(s, DCT.license)) == []
            assert "states no licence" in rights["en"] and "non indica alcuna licenza" in rights["it"]
        else:
            assert list(g.objects(s, DCT.license)) == [CC_BY_4], kind
    # ISTAT's legal notice: CC BY "3.0 or later"
    assert any("3.0 or later" in str(r) for r in g.objects(B["source/istat-comuni"], DCT.rights))
    assert list(g.objects(B["source/ipa-enti"], FOAF.page)) == [URIRef("https://indicepa.gov.it/ipa-dati/dataset/enti")]


def test_a_downloaded_file_carries_its_retrieval_time_from_the_manifest(seeds_dir, shared_data, tmp_path):
    """A sources folder with a download manifest (sources.json, as 'lod-unioni sources fetch' writes
    it, here from a mirror): the dump gives the file the manifest's download time as
    prov:generatedAtTime and the publisher's URL as its source, never the mirror's; a file the
    manifest does not list has no retrieval time."""
    folder = gazetteer_cache(
        shared_data,
        tmp_path / "cache",
        url="http://127.0.0.1:9/mirror/istat/Elenco-comuni-italiani.csv",
        official_url=PUBLISHED_AT["istat-comuni"],
        downloaded="2026-11-20T08:30:00Z",
    )
    import_cards([seeds_dir / MIRACOLI_CARD], sources_dir=folder, out_dir=tmp_path / "records")
    build(tmp_path / "records", tmp_path / "out")
    g = rdflib.Graph().parse(tmp_path / "out" / "unioni.nt", format="nt")
    istat_source = B["source/istat-comuni"]
    assert list(g.objects(istat_source, PROV.generatedAtTime)) == [
        Literal("2026-11-20T08:30:00Z", datatype=XSD.dateTime)
    ]
    assert list(g.objects(istat_source, DCT.source)) == [URIRef(PUBLISHED_AT["istat-comuni"])]
    assert list(g.objects(B["source/ontopia-cities"], PROV.generatedAtTime)) == []
    assert "127.0.0.1" not in (tmp_path / "out" / "unioni.nt").read_text(encoding="utf-8")


# --- figures: a registry's figure and the card's own, each its own calculation -------------------

CARD = B["source/card/90847faaabe1a949"]  # sha256 of the Miracoli card, seeds/000_2efc33edd475e064.txt
POPULATION = B["source/istat-population"]


def _figure(g: rdflib.Graph, calc: URIRef) -> tuple:
    """(value, derived from, stated by) of a calculation."""
    [value] = list(g.objects(g.value(calc, IND.hasIndicatorValue), MU.value))
    return value.toPython(), frozenset(g.objects(calc, PROV.wasDerivedFrom)), frozenset(g.objects(calc, LU.statedBy))


def test_the_card_total_and_istats_are_both_published(bundled):
    """The Miracoli card says 11,749 (its members 5,812, 2,040, 3,005, 892); ISTAT at 2022-01-01 gives
    11,804 (5,830, 2,057, 3,020, 897: istat/popolazione-residente-2022-01-01.csv, lines 5543, 5596,
    5615, 5628, read by hand). Each is its own calculation: ISTAT's derived from the ISTAT file and
    stated by no union, the card's derived from the card and stated by the union (the 11,749 was
    only in the record's provenance.edits)."""
    g = rdflib.Graph().parse(bundled / "unioni.nt", format="nt")
    union = B["union/udm_069"]
    calcs = {
        c
        for c in g.objects(union, IND.hasIndicatorCalculation)
        if g.value(c, IND.forIndicator) == LUI["resident-population"]
    }
    assert {_figure(g, c) for c in calcs} == {
        (11804, frozenset({POPULATION}), frozenset()),
        (11749, frozenset({CARD}), frozenset({union})),
    }
    members = {"069015": (5830, 5812), "069068": (2057, 2040), "069087": (3020, 3005), "069100": (897, 892)}
    for code, (istat, card) in members.items():
        base = f"{B}comune/{code}/indicator/resident-population/2022-01-01"
        assert _figure(g, URIRef(base)) == (istat, {POPULATION}, set())
        assert _figure(g, URIRef(base + "/card/90847faaabe1a949")) == (card, {CARD}, {union})


@pytest.mark.slow
def test_no_registry_figure_is_said_to_be_stated_by_a_union(national):
    """ISTAT's populations and the register's numbers of comuni are not the unions' statements (the
    national build gave 4,082 of them lu:statedBy a union); only the bundled cards' figures are."""
    g = _triples_with(
        national / "unioni.nt", f"<{LU.statedBy}>", f"<{PROV.wasDerivedFrom}>", f"<{IND.IndicatorCalculation}>"
    )
    stated = set(g.subjects(LU.statedBy, None))
    assert stated
    for calc in stated:
        assert set(g.objects(calc, PROV.wasDerivedFrom)) <= {CARD, B["source/card/a5de3e65e11a1544"]}, calc
    from_registries = {
        c
        for c, s in g.subject_objects(PROV.wasDerivedFrom)
        if s in (POPULATION, B["source/ministry-unions"]) and (c, RDF.type, IND.IndicatorCalculation) in g
    }
    assert len(from_registries) > 3000 and not from_registries & stated


def _records_with(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "records"
    shutil.copytree(resource_dir("records"), folder)
    path = folder / "udm_069.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_the_totals_are_checked_against_the_members_of_their_own_source(tmp_path, engine):
    """Two totals (ISTAT's 11,804, the card's 11,749) and two figures per member: each total is the
    sum of its own source's figures, so the bundled records conform (summing every figure gave
    23,553), and a card figure that no longer adds up (5,812 -> 5,800: 11,737) is one violation,
    about the card's total; the check-population-total query finds the same union."""
    ok = build_graph(load_records(resource_dir("records")))
    assert [r.shape for r in validate(ok, engine=engine).results] == []

    def broken(data):
        data["members"][0]["population"]["card_figure"]["value"] = 5800

    bad = build_graph(load_records(_records_with(tmp_path, broken)))
    [r] = validate(bad, engine=engine).results
    assert r.shape.value.endswith("union-total-population") and "(11737)" in r.message_en
    assert "11749" in r.message_en
    dump = tmp_path / "bad.nt"
    dump.write_bytes(to_ntriples(bad))
    rows = run_query(load_query("check-population-total"), data=[dump]).dicts()
    assert [(int(r["statedPopulation"].value), int(r["membersPopulation"].value)) for r in rows] == [(11749, 11737)]
    good = tmp_path / "good.nt"
    good.write_bytes(to_ntriples(ok))
    for name in ("check-population-total", "check-density"):
        assert len(run_query(load_query(name), data=[good])) == 0, name


@pytest.mark.slow
def test_the_national_dump_describes_itself_with_its_linksets(national):
    """The national dump's dataset node: its triples are the N-Triples lines, and each linkset
    counts the lines that link our resources to IPA or to an OntoPiA vocabulary (counted here on
    the text of the dump). Its sources: the seven registry files, the two cards and the PA digitale
    2026 files read. Its version is the data's date: the bundled records' last edit (no registry file has a known download date)."""
    void = "http://rdfs.org/ns/void#"
    lines = (national / "unioni.nt").read_text(encoding="utf-8").splitlines()
    g = rdflib.Graph().parse(national / "void.ttl")
    dataset = B["dataset/unioni"]
    assert g.value(dataset, URIRef(void + "triples")).toPython() == len(lines)
    assert str(g.value(dataset, OWL.versionInfo)) == "2026-12-01"
    # and every PA digitale 2026 file read: each measure's (the 1.1 file too, though no comune nor
    # union applied to 1.1: grep, only ASL and other bodies), the other bodies' and the calls'
    padigitale = ["avvisi", "altrienti-finanziate"] + [f"finanziate-{n}" for n in ("11", "131", "141", "144", "145")]
    expected_sources = (
        {B[f"source/{kind}"] for kind in PUBLISHED_AT}
        | {
            CARD,
            B["source/card/a5de3e65e11a1544"],
        }
        | {B[f"source/padigitale-{name}"] for name in padigitale}
    )
    assert set(g.objects(dataset, DCT.source)) == expected_sources
    spaces = {
        "ipa": IPAORG,
        "ipa-organisation": "https://w3id.org/italia/data/public-organisation/",
        "ontopia-cities": CCITIES,
        "ontopia-provinces": CPROV,
        "ontopia-regions": CREG,
    }
    counted: dict = {}
    for line in lines:  # <subject> <predicate> <object> .
        s, p, o = line.split(" ", 2)
        if not s.startswith(f"<{B}") or p == f"<{RDF.type}>":
            continue
        for name, space in spaces.items():
            if o.startswith(f"<{space}"):
                key = (name, URIRef(p[1:-1]))
                counted[key] = counted.get(key, 0) + 1
    found = {}
    for linkset in g.objects(dataset, URIRef(void + "subset")):
        target = str(g.value(linkset, URIRef(void + "objectsTarget"))).rsplit("/", 1)[1]
        found[(target, g.value(linkset, URIRef(void + "linkPredicate")))] = g.value(
            linkset, URIRef(void + "triples")
        ).toPython()
    assert found == counted, counted
    assert found[("ipa", OWL.sameAs)] > 3000 and found[("ontopia-cities", LU.city)] > 2900
