"""``lod-unioni validate``: exit codes, formats, --report, defaults, and a broken record's three errors."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import FIXTURES_DIR, SH
from conftest import B as D

from lod_unioni.cli import main

FIXTURES = FIXTURES_DIR / "shapes"
CARDS = FIXTURES / "cards.ttl"
PREFIXES = """
PREFIX lu: <https://w3id.org/lod-unioni/onto/>
PREFIX cov: <https://w3id.org/italia/onto/COV/>
PREFIX mu: <https://w3id.org/italia/onto/MU/>
PREFIX creg: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/regions/>
PREFIX cprov: <https://w3id.org/italia/controlled-vocabulary/territorial-classifications/provinces/>
"""


def write_graph(path: Path, update: str = "") -> Path:
    store = ox.Store()
    store.load(path=str(CARDS), format=ox.RdfFormat.TURTLE)
    if update:
        store.update(PREFIXES + update)
    path.write_bytes(ox.serialize([q.triple for q in store], format=ox.RdfFormat.TURTLE))
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["validate", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def broken(tmp_path) -> Path:
    """A broken record: a wrong total (Unione dei Miracoli says 11,750), a member from another
    region (Pollutri moved to Molise, province of Campobasso) and the IPA code of the Miracoli used by
    the Lagonegrese too."""
    return write_graph(
        tmp_path / "broken.ttl",
        f"""
        DELETE WHERE {{ <{D}union/udcmd/indicator/resident-population/2022-01-01/value> mu:value ?v }} ;
        INSERT DATA {{ <{D}union/udcmd/indicator/resident-population/2022-01-01/value> mu:value 11750 }} ;
        DELETE WHERE {{ <{D}comune/069068> lu:region ?r }} ; DELETE WHERE {{ <{D}comune/069068> lu:province ?p }} ;
        INSERT DATA {{ <{D}comune/069068> lu:region creg:14 ; lu:province cprov:070 }} ;
        DELETE WHERE {{ <{D}union/ull> cov:IPAcode ?c }} ; INSERT DATA {{ <{D}union/ull> cov:IPAcode "udcmd" }}""",
    )


def test_done_scenario_exit_1_naming_union_and_rule(capsys, broken):
    code, out, err = run(capsys, broken)
    assert code == 1
    lines = out.splitlines()
    miracoli = lines.index(f"Unione dei Miracoli <{D}union/udcmd>")
    lagonegrese = lines.index(f"Unione dei Comuni Lucani del Lagonegrese <{D}union/ull>")
    block_m = lines[miracoli + 1 : lagonegrese] if miracoli < lagonegrese else lines[miracoli + 1 :]
    rules_m = [line.split()[1].rstrip(":") for line in block_m if line.startswith("  ")]
    assert sorted(rules_m) == [
        "member-province",
        "member-region",
        "union-density",
        "union-ipa-code-unique",
        "union-total-population",
    ]
    assert any("The stated total population (11750 at 2022-01-01) differs" in line for line in block_m)
    assert any(
        f"The member comune Pollutri ({D}comune/069068) is in region 14, not in the union's region (13)." in line
        for line in block_m
    )
    assert any(
        "Il comune membro Pollutri" in line and "provincia 070, non in quella dell'unione (069)" in line
        for line in block_m
    )
    assert any(
        line.startswith("  VIOLATION union-ipa-code-unique:") and "also used by another union" in line
        for line in lines[lagonegrese:]
    )
    assert lines[-1].startswith("6 result(s): 5 violation(s), 1 warning(s), 0 info(s) in 2 union(s); conforms: no")
    assert "does not conform" in err


def test_done_scenario_json_report_names_the_union(capsys, broken):
    code, out, _ = run(capsys, broken, "--format", "json")
    assert code == 1
    g = rdflib.Graph().parse(data=out, format="json-ld")
    focus_rules = {
        (str(g.value(r, SH.focusNode)), str(g.value(r, SH.sourceShape)).rsplit("/", 1)[1])
        for r in g.objects(None, SH.result)
    }
    assert (f"{D}union/udcmd", "union-total-population") in focus_rules
    assert (f"{D}union/udcmd", "member-region") in focus_rules
    assert (f"{D}union/ull", "union-ipa-code-unique") in focus_rules


def test_conforming_data_exit_0(capsys):
    code, out, _ = run(capsys, CARDS)
    assert code == 0
    assert out.strip().endswith("conforms: yes (engine: fast)")


def test_pyshacl_engine_gives_the_same_report(capsys, broken):
    code_fast, out_fast, _ = run(capsys, broken, "--format", "turtle")
    code_ref, out_ref, _ = run(capsys, broken, "--format", "turtle", "--engine", "pyshacl")
    assert code_fast == code_ref == 1

    def keys(text):
        g = rdflib.Graph().parse(data=text, format="turtle")
        return sorted(
            (
                str(g.value(r, SH.focusNode)),
                str(g.value(r, SH.sourceShape)),
                str(g.value(r, SH.value)),
                str(g.value(r, SH.resultSeverity)),
            )
            for r in g.objects(None, SH.result)
        )

    assert keys(out_fast) == keys(out_ref) and len(keys(out_fast)) == 6


def test_warnings_alone_exit_0_unless_fail_on_warning(capsys, tmp_path):
    data = write_graph(
        tmp_path / "w.ttl",
        f"""
        DELETE WHERE {{ <{D}comune/069087> lu:province ?p }} ; INSERT DATA {{ <{D}comune/069087> lu:province cprov:066 }}""",
    )
    code, out, _ = run(capsys, data)
    assert code == 0 and "WARNING   member-province" in out and "conforms: no" in out
    code, _, _ = run(capsys, data, "--fail-on", "warning")
    assert code == 1


def test_turtle_format_and_report_file(capsys, broken, tmp_path):
    report_ttl = tmp_path / "report.ttl"
    report_json = tmp_path / "report.json"
    code, out, _ = run(capsys, broken, "--format", "turtle", "--report", report_ttl)
    assert code == 1
    assert report_ttl.read_text(encoding="utf-8") == out
    g = rdflib.Graph().parse(data=out, format="turtle")
    [rep] = list(g.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert g.value(rep, SH.conforms).toPython() is False and len(list(g.objects(rep, SH.result))) == 6
    # the report file's format follows its extension
    code, out, _ = run(capsys, broken, "--report", report_json)
    assert out.splitlines()[0].startswith("Unione")  # stdout: text
    assert json.loads(report_json.read_text(encoding="utf-8"))["sh:conforms"] is False
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_default_data_is_out_unioni_ttl(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys)
    assert code == 2 and "output/unioni.ttl" in err and "lod-unioni build" in err
    (tmp_path / "output").mkdir()
    write_graph(tmp_path / "output" / "unioni.ttl")
    code, out, _ = run(capsys)
    assert code == 0 and "conforms: yes" in out
    (tmp_path / "site").mkdir()
    write_graph(tmp_path / "site" / "unioni.ttl", f"DELETE WHERE {{ <{D}union/ull> cov:IPAcode ?c }}")
    code, out, _ = run(capsys, "--out", "site")
    assert code == 1 and "union-ipa-code-count" in out
    (tmp_path / "lod-unioni.toml").write_text('out = "site"\n', encoding="utf-8")
    assert run(capsys)[0] == 1


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing.ttl"], "file not found"),
        (["data.csv"], "unknown RDF file extension"),
        (["bad.ttl"], "not valid Turtle"),
        (["good.ttl", "--shapes", "no-such-dir"], "shapes folder not found"),
        (["good.ttl", "--report", "no-such-dir/report.ttl"], "folder of the report does not exist"),
    ],
)
def test_bad_input_exit_2_one_line(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "bad.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    write_graph(tmp_path / "good.ttl")
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    error_lines = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert len(error_lines) == 1 and message in error_lines[0]


def test_bad_option_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["validate", "--format", "xml"])
    assert info.value.code == 2


def test_custom_shapes_folder(capsys, tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "s.ttl").write_text(
        """
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix lu: <https://w3id.org/lod-unioni/onto/> .
        <http://example.org/s> a sh:PropertyShape ; sh:targetClass lu:UnioneDiComuni ;
            sh:path lu:foundingDate ; sh:maxCount 0 ; sh:severity sh:Warning ;
            sh:message "nessuna data"@it , "no date"@en .""",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, CARDS, "--shapes", shapes, "--fail-on", "warning")
    assert code == 1 and out.count("WARNING   s: no date | nessuna data") == 2


def test_vocabularies_are_added(capsys, tmp_path):
    data = write_graph(
        tmp_path / "v.ttl",
        f"""
        DELETE WHERE {{ <{D}union/ull/service/polizia-locale> lu:serviceType ?t }} ;
        INSERT DATA {{ <{D}union/ull/service/polizia-locale> lu:serviceType
                       <https://w3id.org/lod-unioni/vocab/services/polizia-rurale> }}""",
    )
    code, out, _ = run(capsys, data)
    assert code == 1 and "union-service-in-scheme" in out
    code, out, _ = run(capsys, data, "--no-vocabularies")
    assert code == 0


# --- inputs: shapes files and folders, relative IRIs, one file as data and shapes ------------------

SH_PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"


def write(path: Path, text: str) -> Path:
    path.write_text(SH_PREFIXES + text, encoding="utf-8")
    return path


def turtle_results(out: str) -> list[tuple[str, ...]]:
    """(focus, shape, component, severity) of each result of a Turtle report (a blank node: ``_:``)."""
    g = rdflib.Graph().parse(data=out, format="turtle")

    def name(term) -> str:
        return "_:" if isinstance(term, rdflib.BNode) else str(term)

    keys = ("focusNode", "sourceShape", "sourceConstraintComponent", "resultSeverity")
    return sorted(tuple(name(g.value(r, SH[p])) for p in keys) for r in g.objects(None, SH.result))


@pytest.fixture
def people(tmp_path) -> Path:
    return write(tmp_path / "people.ttl", "ex:ann a ex:Person . ex:bob a ex:Person ; ex:name 'Bob' .\n")


def test_shapes_files_and_folders_repeatable(capsys, tmp_path, people):
    names = write(
        tmp_path / "names.ttl", "ex:names sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 1 ] ."
    )
    folder = tmp_path / "more"
    folder.mkdir()
    write(folder / "ages.ttl", "ex:ages sh:targetClass ex:Person ; sh:property [ sh:path ex:age ; sh:minCount 1 ] .")
    (folder / "README.md").write_text("not shapes\n", encoding="utf-8")
    code, out, _ = run(capsys, people, "--shapes", names, "--shapes", folder, "--format", "turtle", "--no-vocabularies")
    assert code == 1
    results = turtle_results(out)
    assert len(results) == 3  # ann has neither a name nor an age, bob no age
    # the same file twice is read once: the same results
    code, again, _ = run(
        capsys, people, "--shapes", names, "--shapes", folder, "--shapes", folder / "ages.ttl", "--format", "turtle"
    )
    assert turtle_results(again) == results


def test_relative_iris_resolve_against_each_file(capsys, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text("<item> a <Thing> .\n", encoding="utf-8")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<shape> sh:targetClass <Thing> ; sh:property [ sh:path <p> ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, data, "--shapes", shapes, "--format", "turtle", "--no-vocabularies")
    assert code == 1
    [(focus, shape, component, _severity)] = turtle_results(out)
    assert focus == (tmp_path / "item").as_uri() and shape == "_:"
    assert component == SH + "MinCountConstraintComponent"


def test_one_file_is_data_and_shapes(capsys, tmp_path):
    both = write(
        tmp_path / "both.ttl", "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 2 ] . ex:a ex:p 1 ."
    )
    code, out, _ = run(capsys, both, "--shapes", both, "--format", "turtle", "--no-vocabularies")
    assert code == 1 and [r[0] for r in turtle_results(out)] == ["http://example.org/a"]


def test_help_says_owl_imports_are_not_followed(capsys):
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    out = capsys.readouterr().out
    assert "owl:imports is not followed" in " ".join(out.split())
    assert "--engine {auto,fast,pyshacl}" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--shapes", "bad.ttl"], "bad.ttl:2: not valid Turtle"),
        (["--shapes", "missing.ttl"], "shapes file not found"),
        (["--shapes", "empty"], "no shapes"),
        (["--shapes", "shapes.csv"], "unknown RDF file extension"),
    ],
)
def test_bad_shapes_file_exit_2_one_line(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    (tmp_path / "shapes.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    write_graph(tmp_path / "good.ttl")
    code, out, err = run(capsys, "good.ttl", *argv)
    assert code == 2 and out == ""
    error_lines = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert len(error_lines) == 1 and message in error_lines[0], err


# --- engines ---------------------------------------------------------------------------------------

SPARQL_TARGET = """
ex:named sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:AdvancedShape a sh:NodeShape ;
    sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this a <http://example.org/Person> }" ] ;
    sh:property [ sh:path ex:age ; sh:minCount 1 ] .
"""


def test_fast_engine_refuses_what_it_does_not_implement(capsys, tmp_path, people):
    shapes = write(tmp_path / "advanced.ttl", SPARQL_TARGET)
    code, out, err = run(capsys, people, "--shapes", shapes, "--engine", "fast")
    assert code == 2 and out == ""
    [line] = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert str(shapes) in line and "http://example.org/AdvancedShape" in line and "sh:target" in line
    assert "which the fast engine does not implement" in line


def test_auto_engine_sends_only_the_unsupported_shapes_to_pyshacl(capsys, tmp_path, people):
    shapes = write(tmp_path / "advanced.ttl", SPARQL_TARGET)
    code, auto, err = run(capsys, people, "--shapes", shapes, "--format", "turtle", "--no-vocabularies")
    assert code == 1 and "validating them with pySHACL" in err and "AdvancedShape" in err
    code, reference, _ = run(capsys, people, "--shapes", shapes, "--format", "turtle", "--engine", "pyshacl")
    assert turtle_results(auto) == turtle_results(reference)
    components = [r[2].rsplit("#", 1)[1] for r in turtle_results(auto)]
    assert components == ["MinCountConstraintComponent"] * 3
    code, text, _ = run(capsys, people, "--shapes", shapes, "--no-vocabularies")
    assert text.strip().endswith("(engine: fast+pyshacl)")


@pytest.mark.parametrize("engine", ["auto", "fast", "pyshacl"])
def test_custom_severity_is_reported_and_fails(capsys, tmp_path, people, engine):
    shapes = write(
        tmp_path / "severity.ttl",
        "ex:names sh:targetClass ex:Person ; sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:severity ex:Grave ] .",
    )
    code, out, _ = run(capsys, people, "--shapes", shapes, "--format", "turtle", "--engine", engine)
    assert code == 1
    assert [r[3] for r in turtle_results(out)] == ["http://example.org/Grave"]


# --- no data: an empty or truncated dump is not "conforms" ----------------------------------------


def test_an_empty_file_is_no_data(tmp_path, capsys):
    """A 0-byte dump used to "conform" (exit 0), so a CI gate passed on it."""
    empty = tmp_path / "unioni.ttl"
    empty.write_bytes(b"")
    code, out, err = run(capsys, empty)
    assert code == 2 and out == ""
    assert [x for x in err.splitlines() if "error" in x] == [
        f"lod-unioni: error: {empty}: no data: no triples to validate (allow_empty / --allow-empty to validate it anyway)"
    ]
    code, out, _ = run(capsys, empty, "--allow-empty")
    assert code == 0 and "conforms" in out.lower()


def test_data_without_a_union_is_no_data_for_the_bundled_shapes(tmp_path, capsys):
    other = tmp_path / "other.ttl"
    other.write_text("<http://example.org/a> <http://example.org/p> 1 .\n", encoding="utf-8")
    code, _, err = run(capsys, other)
    assert code == 2 and "no data: no lu:UnioneDiComuni to validate" in err and str(other) in err
    assert run(capsys, other, "--allow-empty")[0] == 0
    # other shapes are about other data: no union is fine
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<http://example.org/S> a sh:NodeShape ; sh:targetNode <http://example.org/a> ;\n"
        "  sh:property [ sh:path <http://example.org/p> ; sh:minCount 2 ] .\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, other, "--shapes", shapes, "--no-vocabularies")
    assert code == 1 and "Fewer values than sh:minCount" in out


def test_the_vocabularies_alone_are_no_data(tmp_path, capsys):
    """The bundled vocabularies are added to the data: they must not count as data."""
    empty = tmp_path / "empty.nt"
    empty.write_bytes(b"")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n", encoding="utf-8")
    code, _, err = run(capsys, empty, "--shapes", shapes)
    assert code == 2 and "no data: no triples" in err
