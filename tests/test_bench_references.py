"""The references of the national benchmark (bench/national_refs.py, bench/national_report.py): the
CSV rows given to morph-kgc, the comparison of two sets of triples, the figures and verdicts beside
the pipeline's, and the RML mapping itself. No timed test: the benchmark is bench/run.py."""

from __future__ import annotations

import sys
import textwrap

import pytest
from conftest import REPO
from pyoxigraph import NamedNode, RdfFormat, parse

if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))

import morph_kgc_child
import national_refs
import national_report

RML = "http://w3id.org/rml/"

CANDIDATURE = textwrap.dedent(
    """\
    codice_ipa,ente,codice_cup,avviso
    c_a001,"Comune di A",J91F22001760006,"1.4.4 Adozione SPID CIE  - Comuni"
    c_b002,"Comune di ""B""
    sul lago",B11F22000010006,1.4.1 Esperienza
    c_c003,Comune di C,,1.4.1 Esperienza
    c_d004,Comune di D, h11f22000020006 ,1.4.5 Notifiche
    """
)


def test_csv_rows_copies_the_rows_kept_as_they_are():
    keep = {"B11F22000010006", "H11F22000020006"}
    text, kept, read = national_refs.csv_rows(CANDIDATURE, "codice_cup", lambda v: v.strip().upper() in keep)
    assert (kept, read) == (2, 4)
    # the header, then the quoted row over two lines (its doubled quotes kept), then row D as written
    assert text == (
        "codice_ipa,ente,codice_cup,avviso\n"
        'c_b002,"Comune di ""B""\nsul lago",B11F22000010006,1.4.1 Esperienza\n'
        "c_d004,Comune di D, h11f22000020006 ,1.4.5 Notifiche\n"
    )
    assert national_refs.csv_rows(CANDIDATURE, "codice_cup", lambda v: False) == (
        "codice_ipa,ente,codice_cup,avviso\n",
        0,
        4,
    )


def test_rml_inputs_keeps_the_projects_and_calls_of_the_build(tmp_path):
    src = tmp_path / "sources" / "padigitale2026"
    src.mkdir(parents=True)
    (src / "candidature_finanziate_144.csv").write_text(CANDIDATURE, encoding="utf-8")
    (src / "avvisi.csv").write_text(
        'titolo,misura\n"1.4.4 Adozione SPID CIE  - Comuni",1.4.4 Adozione\n1.2 Cloud,1.2 Cloud\n', encoding="utf-8"
    )
    (src / "notes.txt").write_text("not a CSV file", encoding="utf-8")
    counts = national_refs.rml_inputs(
        tmp_path / "sources", tmp_path / "out", {"J91F22001760006"}, {"1.4.4 Adozione SPID CIE - Comuni"}
    )
    assert counts == {"avvisi.csv": [1, 2], "candidature_finanziate_144.csv": [1, 4]}
    out = tmp_path / "out" / "padigitale2026"
    assert sorted(p.name for p in out.iterdir()) == ["avvisi.csv", "candidature_finanziate_144.csv"]
    # the call's title matched with its double space normalised, and copied with it
    assert (out / "avvisi.csv").read_text(encoding="utf-8").splitlines()[1] == (
        '"1.4.4 Adozione SPID CIE  - Comuni",1.4.4 Adozione'
    )
    assert (out / "candidature_finanziate_144.csv").read_text(encoding="utf-8").count("\n") == 2


def test_compare_triples_counts_each_side_by_predicate():
    ours = {
        "<s1> <http://x/onto/isInvolvedInProject> <p1>",
        "<s2> <http://x/onto/isInvolvedInProject> <p1>",
        '<s3> <http://x/onto#label> "a b"',
        "<s4> <http://x/same> <o>",
    }
    theirs = {"<s4> <http://x/same> <o>", "<s5> <http://x/onto/hasState> <o>"}
    c = national_refs.compare_triples(ours, theirs)
    assert (c["same"], c["only_lod_unioni"], c["only_rml"]) == (1, 3, 1)
    assert c["top_only_lod_unioni"] == [["isInvolvedInProject", 2], ["label", 1]]
    assert c["top_only_rml"] == [["hasState", 1]]


def _ways(morph: dict | None) -> tuple[dict, dict]:
    lod = {
        "pipeline": {
            "status": "ok",
            "seconds": 7.5,
            "timings": {"match": 2.5, "match: join projects": 2.0, "map": 3.0, "total": 7.5},
        },
        "map-projects": {
            "status": "ok",
            "seconds": 1.0,
            "triples": 400,
            "rows": {"a.csv": [10, 30], "b.csv": [2, 4]},
        },
    }
    refs = {
        "floor": {
            "imports": {"status": "ok", "seconds": 0.1},
            "load": {"status": "ok", "seconds": 0.5, "triples": 1000},
            "turtle": {"status": "ok", "seconds": 0.2, "bytes": 2_000_000},
            "ntriples": {"status": "ok", "seconds": 0.1, "bytes": 5_000_000},
            "jsonld": {"status": "ok", "seconds": 0.2, "bytes": 3_000_000},
        }
    }
    if morph is not None:
        refs["morph-kgc"] = morph
    return lod, refs


def test_references_summary_and_verdicts():
    morph = {"status": "ok", "seconds": 16.5, "triples": 410, "version": "2.10.0", "cpu": {"self": 1, "children": 9}}
    lod, refs = _ways(morph)
    s = national_report.references_summary(lod, refs)
    # ours: the join (2.0) + the projects' mapping (1.0) = 3.0 s, against morph-kgc's 16.5 s
    assert s["ours"]["seconds"] == pytest.approx(3.0)
    assert s["mapping_ratio"] == pytest.approx(5.5)
    assert s["map_ratio"] == pytest.approx(5.5)  # the whole map step, 3.0 s
    # the floor: load 0.5 + Turtle 0.2 + N-Triples 0.1 + JSON-LD 0.2 (not the imports) = 1.0 s
    assert s["floor_total"]["seconds"] == pytest.approx(1.0)
    assert s["floor_ratio"] == pytest.approx(7.5)
    assert national_report.reference_verdicts(s) == [
        "mapping >= 5x faster than morph-kgc: met (5.5x)",
        "national pipeline <= 3x the pyoxigraph floor: MISSED (7.5x)",
    ]
    lod["pipeline"]["timings"]["total"] = 2.9
    assert national_report.reference_verdicts(national_report.references_summary(lod, refs))[1] == (
        "national pipeline <= 3x the pyoxigraph floor: met (2.9x)"
    )


def test_references_verdicts_without_figures():
    lod, refs = _ways({"status": "timeout", "seconds": None, "limit": 300.0})
    s = national_report.references_summary(lod, refs)
    assert s["mapping_ratio"] is None
    assert national_report.reference_verdicts(s)[0] == (
        "mapping >= 5x faster than morph-kgc: unknown (morph-kgc >300 s)"
    )
    lod, refs = _ways(None)
    del refs["floor"]
    assert national_report.reference_verdicts(national_report.references_summary(lod, refs)) == [
        "mapping >= 5x faster than morph-kgc: unknown",
        "national pipeline <= 3x the pyoxigraph floor: unknown",
    ]


def test_the_report_shows_the_references_beside_the_pipeline():
    comparison = national_refs.compare_triples(
        {"<a> <http://x/p> <b>"}, {"<a> <http://x/p> <b>", "<a> <http://x/q> <c>"}
    )
    morph = {"status": "ok", "seconds": 16.5, "triples": 2, "version": "2.10.0", "comparison": comparison}
    lod, refs = _ways(morph)
    figures = {
        "ways": {"lod-unioni": lod},
        "references": refs,
        "dataset": {},
        "options": {"sources": "/data"},
        "machine": {"cpus": 2, "python": "3.11", "pyoxigraph": "0.5", "rdflib": "7", "pyshacl": "0.4"},
    }
    text = national_report.report_national(figures)
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("lod-unioni: join + map projects"))
    assert row.split()[-5:] == ["3.000", "morph-kgc", "/", "this:", "5.5x"]
    assert next(line for line in lines if line.startswith("pyoxigraph floor: total")).split()[3] == "1.000"
    assert "the rows morph-kgc maps: 12 of the 34 rows" in text
    assert "triples: 1 the same, 0 only lod-unioni's, 1 only morph-kgc's" in text
    assert lines[-1] == (
        "targets: mapping >= 5x faster than morph-kgc: met (5.5x); "
        "national pipeline <= 3x the pyoxigraph floor: MISSED (7.5x)"
    )


def test_the_rml_mapping_reads_files_of_the_shared_folder(shared_data):
    mapping = national_refs.RML_MAPPING
    triples = [q.triple for q in parse(path=mapping, format=RdfFormat.TURTLE)]
    sources = {t.object.value for t in triples if t.predicate == NamedNode(RML + "source")}
    assert len(sources) == 7  # the six applications' files and the calls
    for source in sources:
        assert (shared_data / source).is_file(), source
    maps = {t.subject for t in triples if t.object == NamedNode(RML + "TriplesMap")}
    with_source = {t.subject for t in triples if t.predicate == NamedNode(RML + "logicalSource")}
    assert maps and maps <= with_source


def test_morph_kgc_configuration():
    text = morph_kgc_child.config_text("/m/padigitale.rml.ttl", None)
    assert "number_of_processes" not in text  # morph-kgc's own default
    assert "na_values=,nan,None" in text and text.endswith("mappings=/m/padigitale.rml.ttl\n")
    assert "number_of_processes=1\n" in morph_kgc_child.config_text("m.ttl", 1)
