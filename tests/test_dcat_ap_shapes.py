"""Third-party shapes: the DCAT-AP 3.0.1 SHACL shapes (``../shared/conformance/dcat-ap``), unedited,
on the catalog lod-unioni publishes (``output/catalog.ttl``, DCAT-AP_IT).

The catalog conforms to them but for the points where DCAT-AP_IT, or a defect of the shapes, rules
otherwise: each is in the "Exceptions" table of ``ontology/catalog/README.md``, and
:data:`EXPECTED` lists the results they give, worked out from the shapes by hand (the file, the
node, the path, the value, the constraint, the severity). The fast engine gives pySHACL's results,
compared as the W3C suite compares reports.

The single-file release (``dcat-ap-3.0.1-SHACL.ttl``) refers with ``sh:property`` to two property
shapes of ``dcat:DataServiceShape`` that it never defines. pySHACL accepts them as long as no focus
node reaches them (the catalog has no ``dcat:DataService``) and refuses the shapes when one does;
so does lod-unioni, with one line naming the shape.
"""

from __future__ import annotations

import pytest
from conftest import DCAT, DCT, REPO, SH, SPDX, B
from rdflib import URIRef
from shacl_reports import lines, quiet_rdflib, report_summary, same_summary

from lod_unioni.cli import main

CATALOG = REPO / "output" / "catalog.ttl"
SINGLE = "dcat-ap-3.0.1-SHACL.ttl"
SHAPES = "3.0.1-html-shapes.ttl"
RANGE = "3.0.1-html-range.ttl"
RECOMMENDED = "3.0.1-html-shapes_recommended.ttl"
VOCABULARIES = "3.0.1-html-mdr-vocabularies.shape.ttl"
HTML = [SHAPES, RECOMMENDED, RANGE, VOCABULARIES]
UNDEFINED = [
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/dc08f4dca4377fade57f89454e3fa06a8389d314",
    "https://semiceu.github.io/DCAT-AP/releases/3.0.1#dcat:DataServiceShape/eb3ac4e4fdde2e2588a9502c5956060a18c5c99f",
]

DATASET = B["dataset/unioni"]
AGENT = B["agent/esempio"]  # output/ is built without [publisher]: the example publisher
ITALY = URIRef("http://publications.europa.eu/resource/authority/country/ITA")
DUMPS = ("unioni.ttl", "unioni.jsonld", "unioni.nt")
WARNING, VIOLATION = SH.Warning, SH.Violation
MIN_COUNT, NODE = SH.MinCountConstraintComponent, SH.NodeConstraintComponent


def _checksums() -> list[URIRef]:
    """The checksum of each distribution: each dump, and its copy in each version kept in output/."""
    versions = sorted(p.name for p in (REPO / "output" / "versions").iterdir())
    folders = ["", *(f"versions/{v}/" for v in versions)]
    return [B[f"dataset/unioni/distribution/{folder}{name}/checksum"] for folder in folders for name in DUMPS]


def _expected(names: list[str]) -> set[tuple]:
    """(focus node, path, value, constraint, severity) of every result the shapes files give."""
    by_file = {
        SINGLE: set(),
        SHAPES: set(),
        RANGE: set(),
        RECOMMENDED: {
            # recommended properties DCAT-AP_IT does not have: a publisher type (ADMS), a temporal
            # coverage, the bounding box and centroid of a dct:Location
            (AGENT, f"<{DCT.type}>", None, MIN_COUNT, WARNING),
            (DATASET, f"<{DCT.temporal}>", None, MIN_COUNT, WARNING),
            (ITALY, f"<{DCAT.bbox}>", None, MIN_COUNT, WARNING),
            (ITALY, f"<{DCAT.centroid}>", None, MIN_COUNT, WARNING),
        },
        VOCABULARIES: {
            # the publisher is named by its codice IPA (DCAT-AP_IT), no EU corporate body
            (B["catalog"], f"<{DCT.publisher}>", AGENT, NODE, WARNING),
            (DATASET, f"<{DCT.publisher}>", AGENT, NODE, WARNING),
            # ChecksumAlgorithmRestriction wants "^https://spdx.org/rdf/terms": the SPDX namespace is http
            *((c, f"<{SPDX.algorithm}>", SPDX.checksumAlgorithm_sha256, NODE, VIOLATION) for c in _checksums()),
        },
    }
    return set().union(*(by_file[name] for name in names))


def run(capsys, data, shapes, engine) -> tuple[int, str, str]:
    argv = ["validate", str(data), "--no-vocabularies", "--format", "turtle", "--engine", engine]
    for s in shapes:
        argv += ["--shapes", str(s)]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _results(summary) -> set[tuple]:
    g = summary[1]
    out = set()
    for r in g.subjects(None, SH.ValidationResult):
        path = g.value(r, SH.resultPath)
        out.add(
            (
                g.value(r, SH.focusNode),
                None if path is None else str(path),
                g.value(r, SH.value),
                g.value(r, SH.sourceConstraintComponent),
                g.value(r, SH.resultSeverity),
            )
        )
    return out


@pytest.mark.parametrize("names", [[SINGLE], *([name] for name in HTML), HTML], ids=lambda n: "+".join(n))
def test_the_catalog_gives_the_expected_results_and_the_fast_engine_pyshacls(capsys, conformance, names):
    shapes = [conformance / "dcat-ap" / name for name in names]
    code_fast, fast, err = run(capsys, CATALOG, shapes, "fast")
    code_reference, reference, _ = run(capsys, CATALOG, shapes, "pyshacl")
    with quiet_rdflib():
        a, b = report_summary(fast), report_summary(reference)
    assert code_fast == code_reference and same_summary(a, b), (lines(a), lines(b))
    expected = _expected(names)
    assert _results(b) == expected, sorted(map(str, _results(b) ^ expected))
    violations = {r for r in expected if r[4] == VIOLATION}
    assert code_fast == (1 if violations else 0), err


def test_the_catalog_conforms_to_the_single_file_release(capsys, conformance):
    """The single-file release (all the constraints of DCAT-AP 3.0.1) finds nothing; only the file
    of the controlled vocabularies (its header dates it 2.1.1) has violations: the checksum's."""
    code, out, _ = run(capsys, CATALOG, [conformance / "dcat-ap" / SINGLE], "fast")
    with quiet_rdflib():
        conforms, results = report_summary(out)
    assert code == 0 and conforms is True and len(results) == 0


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
