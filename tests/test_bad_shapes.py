"""Bad shapes: one line on stderr naming the file and the shape, exit 2, whatever the engine.

A malformed SPARQL query, a constraint parameter of the wrong kind, a shape that is recursive on
the data (recursion is undefined in SHACL 1.0; a recursive shape on acyclic data is fine), and a
shapes file that does not parse. pySHACL's own messages do not always name the shape: with
``--engine pyshacl`` the line names the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lod_unioni.cli import main

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
CYCLE = "ex:ann a ex:Person ; ex:knows ex:bob . ex:bob a ex:Person ; ex:knows ex:ann .\n"
CHAIN = "ex:ann a ex:Person ; ex:knows ex:bob . ex:bob a ex:Person .\n"
RECURSIVE = "ex:KnowsShape sh:targetClass ex:Person ; sh:property [ sh:path ex:knows ; sh:node ex:KnowsShape ] .\n"
BAD = {
    "query": (
        "BadQuery",
        'ex:BadQuery sh:targetClass ex:Person ; sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/p> ?v" ] .\n',
    ),
    "parameter": (
        "BadCount",
        'ex:BadCount a sh:PropertyShape ; sh:targetClass ex:Person ; sh:path ex:name ; sh:minCount "x" .\n',
    ),
    "recursion": ("KnowsShape", RECURSIVE),
}


def write(path: Path, text: str) -> Path:
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


def run(capsys, *argv) -> tuple[int, str, list[str]]:
    code = main(["validate", *map(str, argv), "--no-vocabularies"])
    out, err = capsys.readouterr()
    return code, out, [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]


@pytest.mark.parametrize("engine", ["auto", "fast"])
@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_shapes_exit_2_naming_file_and_shape(capsys, tmp_path, case, engine):
    shape, text = BAD[case]
    data, shapes = write(tmp_path / "data.ttl", CYCLE), write(tmp_path / "shapes.ttl", text)
    code, out, errors = run(capsys, data, "--shapes", shapes, "--engine", engine)
    assert code == 2 and out == ""
    assert len(errors) == 1 and str(shapes) in errors[0] and shape in errors[0], errors
    if case == "recursion":
        assert "recursion is undefined in SHACL 1.0" in errors[0]


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_shapes_exit_2_with_pyshacl(capsys, tmp_path, case):
    _shape, text = BAD[case]
    data, shapes = write(tmp_path / "data.ttl", CYCLE), write(tmp_path / "shapes.ttl", text)
    code, out, errors = run(capsys, data, "--shapes", shapes, "--engine", "pyshacl")
    assert code == 2 and out == ""
    assert len(errors) == 1 and str(shapes) in errors[0], errors


@pytest.mark.parametrize("engine", ["auto", "fast", "pyshacl"])
def test_a_recursive_shape_on_acyclic_data_is_fine(capsys, tmp_path, engine):
    data, shapes = write(tmp_path / "data.ttl", CHAIN), write(tmp_path / "shapes.ttl", RECURSIVE)
    code, out, errors = run(capsys, data, "--shapes", shapes, "--engine", engine)
    assert code == 0 and errors == [] and "conforms: yes" in out


@pytest.mark.parametrize("engine", ["auto", "fast", "pyshacl"])
def test_a_shapes_file_that_does_not_parse(capsys, tmp_path, engine):
    data = write(tmp_path / "data.ttl", CHAIN)
    shapes = write(tmp_path / "shapes.ttl", "ex:S sh:targetClass ex:Person ;\n  sh:property [ sh:path ex:p .\n")
    code, out, errors = run(capsys, data, "--shapes", shapes, "--engine", engine)
    assert code == 2 and out == ""
    assert len(errors) == 1 and f"{shapes}:3: not valid Turtle" in errors[0], errors
