"""Third-party shapes: the DCAT-AP 3.0.1 SHACL shapes (``../shared/conformance/dcat-ap``), unedited,
on the catalog lod-unioni publishes (``output/catalog.ttl``, DCAT-AP_IT): the fast engine gives
pySHACL's results, compared as the W3C suite compares reports.

The single-file release (``dcat-ap-3.0.1-SHACL.ttl``) refers with ``sh:property`` to two property
shapes of ``dcat:DataServiceShape`` that it never defines. pySHACL accepts them as long as no focus
node reaches them (the catalog has no ``dcat:DataService``) and refuses the shapes when one does;
so does lod-unioni, with one line naming the shape.
"""

from __future__ import annotations

import pytest
from conftest import REPO
from shacl_reports import lines, quiet_rdflib, report_summary, same_summary

from lod_unioni.cli import main

CATALOG = REPO / "output" / "catalog.ttl"
SINGLE = "dcat-ap-3.0.1-SHACL.ttl"
HTML = [
    "3.0.1-html-shapes.ttl",
    "3.0.1-html-shapes_recommended.ttl",
    "3.0.1-html-range.ttl",
    "3.0.1-html-mdr-vocabularies.shape.ttl",
]
UNDEFINED = [
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/dc08f4dca4377fade57f89454e3fa06a8389d314",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/eb3ac4e4fdde2e2588a9502c5956060a18c5c99f",
]


def run(capsys, data, shapes, engine) -> tuple[int, str, str]:
    argv = ["validate", str(data), "--no-vocabularies", "--format", "turtle", "--engine", engine]
    for s in shapes:
        argv += ["--shapes", str(s)]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("names", [[SINGLE], *([name] for name in HTML), HTML], ids=lambda n: "+".join(n))
def test_fast_engine_gives_pyshacl_results(capsys, conformance, names):
    shapes = [conformance / "dcat-ap" / name for name in names]
    code_fast, fast, err = run(capsys, CATALOG, shapes, "fast")
    assert code_fast in (0, 1), err
    code_reference, reference, _ = run(capsys, CATALOG, shapes, "pyshacl")
    with quiet_rdflib():
        a, b = report_summary(fast), report_summary(reference)
    assert code_fast == code_reference and same_summary(a, b), (lines(a), lines(b))
    assert len(b[1]) > 0  # the catalog is DCAT-AP_IT: DCAT-AP finds something to say


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_undefined_property_shapes_are_refused_when_reached(capsys, conformance, tmp_path, engine):
    service = tmp_path / "service.ttl"
    service.write_text(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        '<http://example.org/service> a dcat:DataService ; dct:title "A service" ; '
        "dcat:endpointURL <http://example.org/endpoint> .\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, service, [conformance / "dcat-ap" / SINGLE], engine)
    errors = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
    assert code == 2 and out == "" and len(errors) == 1, err
    assert SINGLE in errors[0] and any(iri in errors[0] for iri in UNDEFINED), errors
