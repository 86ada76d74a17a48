"""Each dump describes itself (lod_unioni.dcat.void): a void:Dataset node in the dump and in void.ttl
beside it, with licence, version, dates, sources, triple count and linksets to the national
datasets; the catalog gives the same version; each build keeps a copy of its version.

Expected values are worked out from the bundled records by hand: 2 unions, 4 + 9 member comuni,
each with its IPA code (so 15 owl:sameAs), an OntoPiA city (13 lu:city), a province and a region
(13 + 2 each); imported on 2026-11-22, last edited on 2026-12-01.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import rdflib
import yaml
from conftest import CCITIES, CPROV, CREG, DCAT, DCT, IPAORG, LU, OWL, RDF, SPDX, XSD, B
from rdflib import Literal, Namespace, URIRef

from lod_unioni.build import build
from lod_unioni.resources import resource_dir

VOID = Namespace("http://rdfs.org/ns/void#")
DATASET = B["dataset/unioni"]
CC_BY = URIRef("https://w3id.org/italia/controlled-vocabulary/licences/A21_CCBY40")
SOURCES = {
    B["source/card/90847faaabe1a949"],  # the Miracoli card
    B["source/card/a5de3e65e11a1544"],  # the Lagonegrese card
    B["source/istat-comuni"],
    B["source/istat-population"],
    B["source/ontopia-cities"],
    B["source/ontopia-provinces"],
    B["source/ontopia-regions"],
}
LINKS = {  # (target, link predicate): links
    ("ipa", OWL.sameAs): 15,
    ("ipa-organisation", OWL.sameAs): 15,  # the same links to the DTD's spelling of the IRIs
    ("ontopia-cities", LU.city): 13,
    ("ontopia-provinces", LU.province): 15,
    ("ontopia-regions", LU.region): 15,
}
SPACES = {
    "ipa": IPAORG,
    "ipa-organisation": "https://w3id.org/italia/data/public-organisation/",
    "ontopia-cities": CCITIES,
    "ontopia-provinces": CPROV,
    "ontopia-regions": CREG,
}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("void") / "out"
    build(resource_dir("records"), folder)
    return folder


@pytest.fixture(scope="module")
def dump(out) -> rdflib.Graph:
    return rdflib.Graph().parse(out / "unioni.nt", format="nt")


def _linksets(g: rdflib.Graph) -> dict:
    found = {}
    for linkset in g.objects(DATASET, VOID.subset):
        assert (linkset, RDF.type, VOID.Linkset) in g
        assert g.value(linkset, VOID.subjectsTarget) == DATASET
        target = g.value(linkset, VOID.objectsTarget)
        assert (target, RDF.type, VOID.Dataset) in g
        name = str(target).rsplit("/", 1)[1]
        assert str(g.value(target, VOID.uriSpace)) == SPACES[name]
        found[(name, g.value(linkset, VOID.linkPredicate))] = g.value(linkset, VOID.triples).toPython()
    return found


def test_the_dump_describes_itself(out, dump):
    """Licence, version and dates (from the records, never the clock), sources, dumps, URI space, and
    the number of triples: the N-Triples dump's lines, this description included."""
    lines = (out / "unioni.nt").read_text(encoding="utf-8").splitlines()
    assert (DATASET, RDF.type, VOID.Dataset) in dump
    assert dump.value(DATASET, VOID.triples) == Literal(len(lines), datatype=XSD.integer)
    assert list(dump.objects(DATASET, DCT.license)) == [CC_BY]
    assert list(dump.objects(DATASET, OWL.versionInfo)) == [Literal("2026-12-01")]
    assert list(dump.objects(DATASET, DCAT.version)) == [Literal("2026-12-01")]
    assert list(dump.objects(DATASET, DCT.issued)) == [Literal("2026-11-22", datatype=XSD.date)]
    assert list(dump.objects(DATASET, DCT.modified)) == [Literal("2026-12-01", datatype=XSD.date)]
    assert set(dump.objects(DATASET, DCT.source)) == SOURCES
    assert set(dump.objects(DATASET, VOID.dataDump)) == {B["unioni.ttl"], B["unioni.nt"], B["unioni.jsonld"]}
    assert str(dump.value(DATASET, VOID.uriSpace)) == str(B)
    assert {lit.language for lit in dump.objects(DATASET, DCT.title)} == {"it", "en"}


def test_the_links_to_the_national_datasets_are_linksets_with_their_counts(dump):
    assert _linksets(dump) == LINKS
    # the counts are the links in the dump
    for (name, predicate), n in LINKS.items():
        links = [o for o in dump.objects(None, predicate) if str(o).startswith(SPACES[name])]
        assert len(links) == n


def test_void_ttl_is_the_description_in_the_dump(out, dump):
    void = rdflib.Graph().parse(out / "void.ttl")
    assert len(void) > 40
    assert all(t in dump for t in void)
    assert _linksets(void) == LINKS and void.value(DATASET, VOID.triples) == dump.value(DATASET, VOID.triples)


def test_the_catalog_gives_the_same_version(out):
    catalog = rdflib.Graph().parse(out / "catalog.ttl")
    assert list(catalog.objects(DATASET, OWL.versionInfo)) == [Literal("2026-12-01")]
    assert list(catalog.objects(DATASET, DCAT.version)) == [Literal("2026-12-01")]
    assert list(catalog.objects(DATASET, DCT.issued)) == [Literal("2026-11-22", datatype=XSD.date)]


def _later(records: Path, day: str) -> None:
    """A steward's edit on ``day``: a new data date, hence a new version."""
    path = records / "ull.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["provenance"]["edits"].append(
        {"field": "union.website", "old": "x", "new": data["union"]["website"], "reason": "checked", "date": day}
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_each_build_keeps_a_copy_of_its_version_and_the_earlier_ones(tmp_path):
    """versions/{version}/ holds the dumps and void.ttl of each version, the same bytes (one file:
    the copy is a link); a new data date adds a version and keeps the earlier ones untouched; the
    same records give byte-identical files, wherever they are built, but for the register and the
    catalog, which also tell what the folder published before: each version kept is a distribution."""
    records = tmp_path / "records"
    shutil.copytree(resource_dir("records"), records)
    out = tmp_path / "out"
    build(records, out)
    first = out / "versions" / "2026-12-01"
    assert sorted(p.name for p in first.iterdir()) == ["unioni.jsonld", "unioni.nt", "unioni.ttl", "void.ttl"]
    assert os.stat(first / "unioni.nt").st_ino == os.stat(out / "unioni.nt").st_ino
    kept = {p.name: (p.read_bytes(), p.stat().st_ino) for p in first.iterdir()}
    _later(records, "2027-01-15")
    build(records, out)
    assert sorted(p.name for p in (out / "versions").iterdir()) == ["2026-12-01", "2027-01-15"]
    assert {p.name: (p.read_bytes(), p.stat().st_ino) for p in first.iterdir()} == kept
    second = rdflib.Graph().parse(out / "versions" / "2027-01-15" / "void.ttl")
    assert list(second.objects(DATASET, OWL.versionInfo)) == [Literal("2027-01-15")]
    assert (out / "versions" / "2027-01-15" / "unioni.ttl").read_bytes() == (out / "unioni.ttl").read_bytes()
    again = tmp_path / "again"
    build(records, again)
    for path in sorted(again.rglob("*")):
        # the register (when each IRI was first published) and the catalog (the versions published)
        # tell the history of the folder, not only the records
        if path.is_file() and path.name not in ("iris.csv", "catalog.ttl"):
            assert path.read_bytes() == (out / path.relative_to(again)).read_bytes(), path
    assert _downloads(out) == {f"versions/{v}/{name}" for v in ("2026-12-01", "2027-01-15") for name in DUMPS} | DUMPS
    assert _downloads(again) == {f"versions/2027-01-15/{name}" for name in DUMPS} | DUMPS


DUMPS = {"unioni.ttl", "unioni.jsonld", "unioni.nt"}


def _downloads(folder: Path) -> set[str]:
    """The download URLs of the catalog of a build folder, relative to the base IRI, each checked
    against the file it names: the same size and SHA-256 as the file in the folder."""
    catalog = rdflib.Graph().parse(folder / "catalog.ttl")
    found = set()
    for dist, url in catalog.subject_objects(DCAT.downloadURL):
        name = str(url).removeprefix(str(B))
        data = (folder / name).read_bytes()
        assert int(catalog.value(dist, DCAT.byteSize)) == len(data), name
        checksum = catalog.value(dist, SPDX.checksum)
        assert str(catalog.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest(), name
        found.add(name)
    return found
