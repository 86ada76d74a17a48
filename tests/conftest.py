"""Shared fixtures.

The real registry files (ISTAT, IPA, OntoPiA, Ministry, PA digitale 2026) live in ``../shared/data``
beside the checkout (or where ``LOD_UNIONI_SHARED_DATA`` points). They are never copied into the
repository. A missing folder is an error, not a skip: those tests must run in CI.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from rdflib import URIRef

from lod_unioni import cli, vocab
from lod_unioni.config import DEFAULT_BASE_IRI

#: The root of the checkout, and its folders the tests read.
REPO = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO / "tests" / "fixtures"
RECORDS = REPO / "records"


class Namespace(str):
    """A namespace IRI that is a plain ``str`` wherever code takes a string (slicing, ``repr``, YAML,
    the product's APIs), and makes rdflib terms as ``rdflib.Namespace`` does: ``LU.Comune``,
    ``LU["Comune"]``, ``DCT.title``."""

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return URIRef(str(self) + key)
        return str.__getitem__(self, key)

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        return URIRef(str(self) + name)

    @property
    def title(self) -> URIRef:  # type: ignore[override]  # dcterms:title, not str.title
        return URIRef(str(self) + "title")

    def __repr__(self) -> str:
        return str.__repr__(self)


yaml.SafeDumper.add_representer(Namespace, lambda dumper, value: dumper.represent_str(str(value)))

#: Namespaces, from lod_unioni.vocab (the one declaration), as :class:`Namespace`. ``B`` is the
#: default base IRI of our own resources; ``EX`` the example namespace of hand-written test data.
B = Namespace(DEFAULT_BASE_IRI)
EX = Namespace("http://example.org/")
RDF = Namespace(vocab.RDF)
RDFS = Namespace(vocab.RDFS)
XSD = Namespace(vocab.XSD)
OWL = Namespace(vocab.OWL)
SKOS = Namespace(vocab.SKOS)
DCT = Namespace(vocab.DCTERMS)
PROV = Namespace(vocab.PROV)
ORG = Namespace(vocab.ORG)
DCAT = Namespace(vocab.DCAT)
DCATAPIT = Namespace(vocab.DCATAPIT)
SH = Namespace(vocab.SH)
FOAF = Namespace(vocab.FOAF)
VCARD = Namespace(vocab.VCARD)
SPDX = Namespace(vocab.SPDX)
LU = Namespace(vocab.LU)
LUS = Namespace(vocab.LUS)
LUST = Namespace(vocab.LUST)
LUUS = Namespace(vocab.LUUS)
LUI = Namespace(vocab.LUI)
LUPM = Namespace(vocab.LUPM)
LUPST = Namespace(vocab.LUPST)
LUSH = Namespace(vocab.LUSH)
COV = Namespace(vocab.COV)
CLV = Namespace(vocab.CLV)
L0 = Namespace(vocab.L0)
SM = Namespace(vocab.SM)
TI = Namespace(vocab.TI)
IND = Namespace(vocab.IND)
MU = Namespace(vocab.MU)
PRJ = Namespace(vocab.PRJ)
CCITIES = Namespace(vocab.CCITIES)
CPROV = Namespace(vocab.CPROV)
CREG = Namespace(vocab.CREG)
IPAORG = Namespace(vocab.IPAORG)
IPAORGS = Namespace(vocab.IPAORGS)


def _shared_data() -> Path:
    env = os.environ.get("LOD_UNIONI_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = _shared_data()
    if not (path / "README.md").is_file():
        pytest.fail(
            f"reference data not found at {path}: clone with ../shared beside the repository "
            "or set LOD_UNIONI_SHARED_DATA"
        )
    return path


@pytest.fixture(scope="session")
def conformance(shared_data) -> Path:
    """``../shared/conformance``, beside the reference data: the W3C SHACL test suite and the
    DCAT-AP shapes (see its README.md). A missing folder is an error, not a skip."""
    path = shared_data.parent / "conformance"
    if not (path / "README.md").is_file():
        pytest.fail(f"conformance suites not found at {path}: clone with ../shared beside the repository")
    return path


@pytest.fixture(scope="session")
def registries(shared_data):
    """Every registry file of ``../shared/data``, read once per session (per xdist worker)."""
    from lod_unioni.registries import load_registries

    return load_registries(shared_data)


class NationalBuild(NamedTuple):
    """``lod-unioni build --national`` of the reference data and the bundled records, as a user
    runs it: its exit code, its stderr and its output folder (read it, never write into it)."""

    code: int
    stderr: str
    out: Path


@pytest.fixture(scope="session")
def national_build(shared_data, tmp_path_factory) -> NationalBuild:
    """The national build, made once per test run: the first xdist worker that asks builds it
    under a lock in the run's shared temporary folder, the others wait and read it."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    root = tmp_path_factory.getbasetemp().parent / f"national-{run}" if run else tmp_path_factory.mktemp("national")
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "done.json"
        if not done.is_file():
            err = io.StringIO()
            args = ["build", "--national", "--sources", str(shared_data), "--out", str(root / "out")]
            with contextlib.redirect_stderr(err):
                code = cli.main([*args, "--records", str(RECORDS)])
            done.write_text(json.dumps({"code": code, "stderr": err.getvalue()}), encoding="utf-8")
        state = json.loads(done.read_text(encoding="utf-8"))
    return NationalBuild(state["code"], state["stderr"], root / "out")


@pytest.fixture(scope="session")
def national_store(national_build):
    """The national build's N-Triples dump in an Oxigraph store, loaded once per session (per
    xdist worker) for the tests that query it: read it, never update it."""
    from lod_unioni.query import load_store

    return load_store([national_build.out / "unioni.nt"])


@pytest.fixture(scope="session")
def seeds_dir(shared_data) -> Path:
    return shared_data.parent / "seeds"


@pytest.fixture(scope="session")
def card_records(shared_data, seeds_dir, tmp_path_factory) -> Path:
    """The two records exactly as the importer makes them from the seed cards, with no hand edits.

    ``records/`` holds the bundled records after the data steward's edits (see each record's
    provenance.edits); tests about what the CARDS say (the importer, the findings of
    ``lod-unioni reconcile`` on the card values) read this folder instead. Written once per session
    (per xdist worker) with the importer API, in a temporary folder.
    """
    from lod_unioni.cards import import_cards

    cards = sorted(seeds_dir.glob("*.txt"))
    assert len(cards) == 2, f"expected the two ITALIAE seed cards in {seeds_dir}"
    out = tmp_path_factory.mktemp("card-records") / "records"
    import_cards(cards, sources_dir=shared_data, out_dir=out)
    return out


def gazetteer_cache(shared_data: Path, folder: Path, **istat: str) -> Path:
    """A sources folder as 'lod-unioni sources fetch' leaves it, with the four files import-card
    reads copied from ``shared_data``, and a manifest (sources.json) that lists only the ISTAT list,
    with the fields ``istat`` gives (url, official_url, downloaded, ...) and its checksum and size."""
    import hashlib
    import json
    import shutil

    for rel in (
        "istat/Elenco-comuni-italiani.csv",
        "ontopia/cities.csv",
        "ontopia/provinces.csv",
        "ontopia/regions.csv",
    ):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared_data / rel, folder / rel)
    path = folder / "istat" / "Elenco-comuni-italiani.csv"
    record = {"name": "istat-comuni", "path": "istat/Elenco-comuni-italiani.csv", **istat}
    record |= {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "size": path.stat().st_size}
    (folder / "sources.json").write_text(json.dumps({"format": 1, "files": {"istat-comuni": record}}), encoding="utf-8")
    return folder


#: The [publisher] table of the settings files the publishing tests use (site, publish --endpoint).
PUBLISHER_TOML = '[publisher]\nipa = "udm_069"\nname = "Unione dei Miracoli"\ncontact = "dati@example.org"\n'


@pytest.fixture(scope="session")
def publisher_config(tmp_path_factory) -> Path:
    """A ``lod-unioni.toml`` with a publisher (for ``--config``): site and publish require one."""
    path = tmp_path_factory.mktemp("config") / "lod-unioni.toml"
    path.write_text(PUBLISHER_TOML, encoding="utf-8")
    return path
