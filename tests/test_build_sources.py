"""``lod-unioni build --sources DIR``: the bundled records with the PNRR projects of PA digitale 2026
of their unions and member comuni, each PA digitale 2026 file a source with its URL and checksum;
a measure whose file is not in the sources is said to be so, never zero applications; ``sources
fetch`` downloads every PA digitale 2026 file (1.2 and 1.4.3 included) from a mirror on 127.0.0.1.
Expected values are read by hand from the rows of ../shared/data/padigitale2026 (grep)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from conftest import DCT, LU, LUPM, OWL, PRJ, PROV, RDF, REPO, SKOS, TI, XSD, B
from rdflib import Literal, URIRef
from test_sources_fetch import serve

from lod_unioni.cli import main
from lod_unioni.national.projects import with_projects
from lod_unioni.records import load_records
from lod_unioni.sources.kinds import FILES, MIRROR_ENV, PNRR_MEASURES, file_named, measure_files
from lod_unioni.sources.padigitale import read_padigitale

RAW = "https://raw.githubusercontent.com/teamdigitale/padigitale2026-opendata/main/data/"


def _build(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", *argv])
    return code, err.getvalue()


@pytest.fixture(scope="module")
def sourced(shared_data, tmp_path_factory):
    """The bundled records built with ../shared/data (its PA digitale 2026 files: 1.1, 1.3.1, 1.4.1,
    1.4.4, 1.4.5, the other bodies' file and the calls; no 1.2 nor 1.4.3 file)."""
    out = tmp_path_factory.mktemp("sourced") / "out"
    code, err = _build("--sources", str(shared_data), "--records", str(REPO / "records"), "--out", str(out))
    assert code == 0, err
    return out, rdflib.Graph().parse(out / "unioni.nt", format="nt"), err


def _projects(g: rdflib.Graph, body: URIRef) -> set[tuple]:
    out = set()
    for p in g.objects(body, PRJ.isInvolvedInProject):
        [measure] = g.objects(p, LU.pnrrMeasure)
        [cup] = g.objects(p, PRJ.uniqueProjectCodeValue)
        [amount] = g.objects(p, PRJ.projectTotalCost)
        [status] = g.objects(p, LU.applicationStatus)
        out.add((str(measure).rsplit("/", 1)[1], str(cup), amount.toPython(), str(status).rsplit("/", 1)[1]))
    return out


def test_the_miracoli_union_has_its_own_spid_cie_project(sourced):
    # candidature_finanziate_144.csv: udm_069, J91F22001760006, 14000.0, A on 2022-12-12; the other
    # bodies' file: the same CUP and call, E on 2026-06-15
    _, g, _ = sourced
    assert _projects(g, B["union/udm_069"]) == {("1.4.4", "J91F22001760006", Decimal("14000.00"), "E")}
    project = B["project/J91F22001760006"]
    assert (project, OWL.sameAs, URIRef("https://w3id.org/italia/data/public-investment-project/J91F22001760006")) in g
    assert g.value(project, LU.statusDate) == Literal("2026-06-15", datatype=XSD.date)
    # the Lagonegrese itself applied to nothing (no row with codice_ipa ull)
    assert _projects(g, B["union/ull"]) == set()


@pytest.mark.parametrize(
    ("istat", "expected"),
    [
        (  # Scerni, c_i520: no 1.3.1 application; the school of Scerni (istsc_chta02000x) is out of scope
            "069087",
            {
                ("1.4.1", "C91F22004050006", Decimal("79922.00"), "A"),
                ("1.4.4", "C97H22001440005", Decimal("14000.00"), "R"),
                ("1.4.4", "C91F23000100006", Decimal("14000.00"), "A"),
                ("1.4.5", "C91F22003520006", Decimal("23147.00"), "E"),
            },
        ),
        (  # Castelluccio Inferiore, c_c199, of the Lagonegrese: no 1.4.4 application
            "076022",
            {
                ("1.3.1", "C31J25000340006", Decimal("4326.40"), "E"),
                ("1.4.1", "C71F22000970006", Decimal("79922.00"), "A"),
                ("1.4.5", "C71F22003480006", Decimal("23147.00"), "E"),
            },
        ),
    ],
)
def test_member_comuni_have_their_projects(sourced, istat, expected):
    _, g, _ = sourced
    assert _projects(g, B[f"comune/{istat}"]) == expected


def test_each_application_is_derived_from_the_files_it_is_in(sourced, shared_data):
    _, g, _ = sourced
    [application] = g.objects(B["project/J91F22001760006"], LU.hasApplication)
    states = {str(s).rsplit("/", 1)[1]: str(g.value(s, TI.date)) for s in g.objects(application, LU.hasState)}
    assert states == {"A": "2022-12-12", "E": "2026-06-15"}  # its history: the 1.4.4 file's A, the other's E
    assert set(g.objects(application, PROV.wasDerivedFrom)) == {
        B["source/padigitale-finanziate-144"],
        B["source/padigitale-altrienti-finanziate"],
    }
    for name, file in (
        ("padigitale-finanziate-144", "candidature_finanziate_144.csv"),
        ("padigitale-altrienti-finanziate", "candidature_altrienti_finanziate.csv"),
        ("padigitale-avvisi", "avvisi.csv"),
    ):
        src = B[f"source/{name}"]
        assert (src, RDF.type, PROV.Entity) in g
        assert g.value(src, DCT.source) == URIRef(RAW + file)  # the publisher's URL, never a local path
        sha = hashlib.sha256((shared_data / "padigitale2026" / file).read_bytes()).hexdigest()
        assert g.value(src, LU.sha256) == Literal(sha)
        assert list(g.objects(src, PROV.generatedAtTime)) == []  # placed by hand: no retrieval time claimed
    [call] = g.objects(application, PRJ.hasCall)
    assert (call, PROV.wasDerivedFrom, B["source/padigitale-avvisi"]) in g


def test_the_dumps_say_which_measures_files_were_read(sourced):
    """A measure's file is a source of both unions, with its measure as dcterms:subject, even when no
    body of theirs applied (1.1: central administrations, no comune); the dataset lists them among
    its sources. 1.2 and 1.4.3 have no file in ../shared/data: no source says them."""
    out, g, err = sourced
    read = {str(m).rsplit("/", 1)[1]: s for s, m in g.subject_objects(DCT.subject) if str(m).startswith(str(LUPM))}
    assert sorted(read) == ["1.1", "1.3.1", "1.4.1", "1.4.4", "1.4.5"]
    assert read["1.1"] == B["source/padigitale-finanziate-11"]
    assert list(g.objects(B["source/padigitale-altrienti-finanziate"], DCT.subject)) == []
    dataset_sources = set(g.objects(B["dataset/unioni"], DCT.source))
    for union in ("udm_069", "ull"):
        derived = set(g.objects(B[f"union/{union}"], PROV.wasDerivedFrom))
        assert set(read.values()) <= derived and set(read.values()) <= dataset_sources
    assert "PNRR measures in the sources: 1.1, 1.3.1, 1.4.1, 1.4.4, 1.4.5; not in the sources: 1.2, 1.4.3" in err
    # no machine path in the dumps (the sources folder, the output folder)
    text = (out / "unioni.nt").read_text(encoding="utf-8")
    assert "/tmp/" not in text and "file:" not in text and "shared/data" not in text


def test_a_build_without_sources_says_it_deprecates_the_projects(sourced, tmp_path):
    out, g, _ = sourced
    again = tmp_path / "out"
    shutil.copytree(out, again)
    projects = len(set(g.subjects(RDF.type, PRJ.PublicInvestmentProject)))
    code, err = _build("--records", str(REPO / "records"), "--out", str(again))
    assert code == 0 and projects > 50
    assert f"warning: {projects} PNRR project(s) of the previous build of {again} are not in this one" in err
    rebuilt = rdflib.Graph().parse(again / "unioni.nt", format="nt")
    assert list(rebuilt.subjects(RDF.type, PRJ.PublicInvestmentProject)) == []
    assert (B["project/J91F22001760006"], OWL.deprecated, Literal(True)) in rebuilt


def test_a_measure_without_its_file_is_not_in_the_sources(registries, shared_data, tmp_path):
    """A sources folder with the 1.4.4 file and the calls only: the other measures are not in the
    sources; Scerni's 1.4.1 project (C91F22004050006, in the 1.4.1 file) is not known, not absent."""
    folder = tmp_path / "padigitale2026"
    folder.mkdir()
    for name in ("candidature_finanziate_144.csv", "avvisi.csv"):
        os.symlink(shared_data / "padigitale2026" / name, folder / name)
    records, index = with_projects(registries, load_records(REPO / "records"), read_padigitale(tmp_path))
    assert index.measures == ("1.4.4",)
    assert index.measures_not_read == ("1.1", "1.2", "1.3.1", "1.4.1", "1.4.3", "1.4.5")
    [miracoli] = [r for r in records if r.key == "udm_069"]
    padigitale = {s["kind"]: s.get("measure") for s in miracoli.provenance["sources"] if "padigitale" in s["kind"]}
    assert padigitale == {"padigitale-finanziate-144": "1.4.4", "padigitale-avvisi": None}
    scerni = {p["cup"] for p in miracoli.data["projects"] if p.get("comune") == "069087"}
    assert scerni == {"C97H22001440005", "C91F23000100006"}  # the two 1.4.4 rows of c_i520


def test_bad_sources_is_one_line_and_exit_2(tmp_path):
    out = tmp_path / "out"
    code, err = _build("--sources", str(tmp_path / "nowhere"), "--records", str(REPO / "records"), "--out", str(out))
    assert code == 2 and err.strip().splitlines() == [
        f"lod-unioni: error: {tmp_path / 'nowhere'}: field --sources: sources folder not found"
    ]
    (tmp_path / "empty").mkdir()
    code, err = _build("--sources", str(tmp_path / "empty"), "--records", str(REPO / "records"), "--out", str(out))
    errors = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert code == 2 and len(errors) == 1 and "not found in the sources folder" in errors[0]
    assert "Traceback" not in err and not out.exists()


def test_the_publishers_urls_of_every_measure_file():
    """The files of data/ of teamdigitale/padigitale2026-opendata (its metadata/pad26-opendata.rdf
    gives raw.githubusercontent.com download URLs): one per measure, the other bodies', the calls."""
    urls = {e.measure: e.url for e in measure_files().values()}
    assert urls == {
        "1.1": RAW + "candidature_finanziate_11.csv",
        "1.2": RAW + "candidature_finanziate_12.csv",
        "1.3.1": RAW + "candidature_finanziate_131.csv",
        "1.4.1": RAW + "candidature_finanziate_141.csv",
        "1.4.3": RAW + "candidature_finanziate_143.csv",
        "1.4.4": RAW + "candidature_finanziate_144.csv",
        "1.4.5": RAW + "candidature_finanziate_145.csv",
    }
    assert file_named("padigitale-altrienti-finanziate").url == RAW + "candidature_altrienti_finanziate.csv"
    assert file_named("padigitale-avvisi").url == RAW + "avvisi.csv"
    # the measures with a file are the concepts of the measures scheme
    scheme = rdflib.Graph().parse(REPO / "ontology/vocabularies/pnrr-measures/pnrr-measures.ttl")
    concepts = {str(c).rsplit("/", 1)[1] for c in scheme.subjects(RDF.type, SKOS.Concept)}
    assert set(PNRR_MEASURES) == concepts


# Rows in the publisher's current layout for the two files ../shared/data lacks. The 1.2 row is the
# publisher's row of Casalbordino (c_b865) in its file of January 2023 (then without ente, decree and
# state date, and with tipologia_ente "Comune"); the 1.4.3 row of Pollutri is made up for the test.
HEADER = (
    "codice_ipa,ente,tipologia_ente,comune,cod_comune,provincia,cod_provincia,regione,cod_regione,"
    "importo_finanziamento,avviso,data_invio_candidatura,data_finanziamento,codice_cup,"
    "numero_finestra_temporale,numero_di_protocollo,decreto_finanziamento,stato_candidatura,"
    "data_stato_candidatura,misura\n"
)
LOCAL = {"ipa/enti.csv": "ipa/enti-2024-07-31.csv"}  # the IPA extract's name in ../shared/data
EXTRA = {
    "candidature_finanziate_12.csv": "c_b865,Comune di Casalbordino,Comune,Casalbordino,069015,CH,069,Abruzzo,13,"
    "121992.0,1.2 Abilitazione al cloud - Comuni - Aprile 2022,2022-05-03T16:13:07.000+0000,2022-08-08,"
    "C91C22000180006,1,28,Decreto n.28 - 1 / 2022 - PNRR,A,2022-08-08,"
    "1.2 Abilitazione e facilitazione migrazione al Cloud\n",
    "candidature_finanziate_143.csv": "c_g799,Comune di Pollutri,Comuni,Pollutri,069068,CH,069,Abruzzo,13,"
    "10206.0,1.4.3 - app IO - Comuni - Aprile 2022,2022-08-24T07:07:28.000+0000,2022-11-02,"
    "H81F22002010006,5,24,Decreto n.24 - 5 / 2022 - PNRR,A,2022-11-02,1.4.3 Adozione PagoPA e AppIO\n",
}


@pytest.mark.slow
def test_fetch_then_build_has_every_measure(shared_data, tmp_path, monkeypatch):
    """Every source file fetched from a mirror laid out like ../shared/data (with the 1.2 and 1.4.3
    files), the two files without a download URL placed by hand, then build --sources on the cache:
    every measure is in the sources, each file with its download time, checksum and official URL."""
    mirror = tmp_path / "mirror"
    for e in FILES:
        target = mirror / e.local
        target.parent.mkdir(parents=True, exist_ok=True)
        name = Path(e.local).name
        if name in EXTRA:
            target.write_text(HEADER + EXTRA[name], encoding="utf-8")
        elif e.url is not None:
            os.symlink(shared_data / LOCAL.get(e.local, e.local), target)
    cache = tmp_path / "cache"
    for e in FILES:  # no download URL: placed by hand, as 'sources list' says
        if e.url is None:
            (cache / e.local).parent.mkdir(parents=True, exist_ok=True)
            (cache / e.local).write_bytes((shared_data / LOCAL.get(e.local, e.local)).read_bytes())
    server, stop = serve(mirror)
    monkeypatch.setenv(MIRROR_ENV, server.url)  # every download from the mirror, never the network
    try:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(
                ["sources", "fetch", "--dir", str(cache), "--only", "padigitale-candidature", "padigitale-avvisi"]
            )
        assert code == 0, err.getvalue()
        with contextlib.redirect_stderr(err):
            others = [e.name for e in FILES if e.url is not None and not e.name.startswith("padigitale")]
            assert main(["sources", "fetch", "--dir", str(cache), "--only", *others]) == 0, err.getvalue()
    finally:
        stop()
    manifest = json.loads((cache / "sources.json").read_text(encoding="utf-8"))["files"]
    for measure, e in measure_files().items():
        rec = manifest[e.name]
        assert rec["url"] == server.url + e.local and rec["official_url"] == e.url, measure
        assert rec["sha256"] == hashlib.sha256((mirror / e.local).read_bytes()).hexdigest()
    out = tmp_path / "out"
    code, text = _build("--sources", str(cache), "--records", str(REPO / "records"), "--out", str(out))
    assert code == 0, text
    assert "PNRR measures in the sources: 1.1, 1.2, 1.3.1, 1.4.1, 1.4.3, 1.4.4, 1.4.5; not in the sources: none" in text
    g = rdflib.Graph().parse(out / "unioni.nt", format="nt")
    assert ("1.2", "C91C22000180006", Decimal("121992.00"), "A") in _projects(g, B["comune/069015"])
    assert ("1.4.3", "H81F22002010006", Decimal("10206.00"), "A") in _projects(g, B["comune/069068"])
    for measure, e in measure_files().items():
        src = B[f"source/{e.name}"]
        assert g.value(src, DCT.subject) == LUPM[measure]
        assert g.value(src, DCT.source) == URIRef(e.url)  # the publisher's URL, not the mirror's
        assert g.value(src, PROV.generatedAtTime) == Literal(manifest[e.name]["downloaded"], datatype=XSD.dateTime)
        assert g.value(src, LU.sha256) == Literal(manifest[e.name]["sha256"])
