"""The installed wheel works outside the repository: ontology, vocabularies, mappings, shapes,
queries and the bundled records ship inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(repo, tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(repo)], check=True)
    (whl,) = dist.glob("lod_unioni-*.whl")
    return whl


def test_wheel_carries_the_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "lod_unioni/_resources/ontology/lod-unioni.ttl",
        "lod_unioni/_resources/ontology/vocabularies/services/services.ttl",
        "lod_unioni/_resources/mappings/README.md",
        "lod_unioni/_resources/shapes/README.md",
        "lod_unioni/_resources/queries/README.md",
        "lod_unioni/schemas/union-record.schema.json",
        "lod_unioni/web/assets/query.js",
        "lod_unioni/web/assets/query.css",
    ):
        assert expected in names, expected
    assert any(n.startswith("lod_unioni/_resources/records/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("lod_unioni/_resources/shapes/") and n.endswith(".ttl") for n in names)
    assert any(n.startswith("lod_unioni/_resources/queries/") and n.endswith(".rq") for n in names)


def test_installed_wheel_builds_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheel)], check=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    run = subprocess.run([str(venv / "bin" / "lod-unioni"), "build"], cwd=work, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    out = work / "output"
    for name in ("unioni.ttl", "unioni.jsonld", "unioni.nt"):
        assert (out / name).stat().st_size > 0, name
    # The dump holds both bundled unions, read back by the installed package's own rdflib.
    check = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import rdflib,sys; g=rdflib.Graph().parse(sys.argv[1]);"
            "print(len(set(g.subjects(rdflib.RDF.type, rdflib.URIRef('https://w3id.org/lod-unioni/onto/UnioneDiComuni')))))",
            str(out / "unioni.ttl"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "2"
    # It did not read the repository: the package file lives in the venv.
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import lod_unioni; print(lod_unioni.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        check=True,
    )
    assert str(venv) in where.stdout
