"""Stable IRIs: the register of minted IRIs (lod_unioni.iris) and the builds that read and update it.

An IRI once published never disappears: a union keeps the IRI first minted for it when its IPA
code or its match changes, a text a steward rewords keeps its IRI (it is named by a key), and an
IRI the records no longer describe stays in the dumps, deprecated, with its successor.

Expected values read by hand in the registry files (grep):

* IPA, line 23449: ``udcmmo,Unione Dei Comuni Montani Maiella Orientale Verde Aventino,069060,...,
  L18,...,2450,94.11.00,https://www.unionemova.it/``; Ministry register, line 7:
  ``0;4130236080;ABRUZZO;CHIETI;UNIONE DEI COMUNI MONTANI MAIELLA ORIENTALE - VERDE AVENTINO;...``.
  Without that IPA row the union is a union IPA does not know: it has no IPA code, no website
  and no IPA match.
* OntoPiA cities: ``104001 AGGIUS`` (province OT) from 01-01-2006 to 28-04-2016, then ``090001
  AGGIUS`` (SS) from 28-04-2016 (current): the same comune recoded. ``013199 RONAGO`` and ``013228
  UGGIATE-TREVANO`` end on 01-01-2024, when ``013256 UGGIATE CON RONAGO`` starts: merged into it.
  ``069015 CASALBORDINO`` is current.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import COV, DCT, LU, OWL, RDF, RECORDS, B
from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from lod_unioni import progress
from lod_unioni.build import build, build_records, shacl_check
from lod_unioni.errors import LodError, NotConformingError
from lod_unioni.iris import COLUMNS, DEPRECATED, LIVE, Entry, IriRegister, UnionClaim, read_register
from lod_unioni.national import national_pipeline
from lod_unioni.records import Record, load_records

OWL_DEPRECATED = str(OWL.deprecated)
REPLACED_BY = str(DCT.isReplacedBy)
IPA_CODE = str(COV.IPAcode)
MINISTRY_CODE = str(LU.ministryCode)
RDF_TYPE = str(RDF.type)
X = "https://example.org/d/"
P = NamedNode("https://example.org/p")


def _t(*subjects: str) -> list[Triple]:
    return [Triple(NamedNode(X + s), P, NamedNode(X + "o")) for s in subjects]


def _register(*rows: tuple[str, ...]) -> IriRegister:
    return IriRegister(X, [Entry(X + r[0], *r[1:]) for r in rows])


# --- the register file --------------------------------------------------------------------------


def test_the_register_file_round_trips_and_is_sorted(tmp_path):
    reg = _register(("union/b", "ipa:b", "2024-07-31"), ("union/a", "ministry:1 ipa:a", "2024-07-31"))
    data = reg.to_bytes()
    assert data.decode().splitlines() == [
        ",".join(COLUMNS),
        f"{X}union/a,ministry:1 ipa:a,2024-07-31,live,",
        f"{X}union/b,ipa:b,2024-07-31,live,",
    ]
    (tmp_path / "iris.csv").write_bytes(data)
    again = read_register(tmp_path / "iris.csv", X)
    assert again.found and again.to_bytes() == data


def test_no_register_file_is_an_empty_register(tmp_path):
    reg = read_register(tmp_path / "iris.csv", X)
    assert not reg.found and reg.entries == {}


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("iri,key\n", 1, "first line must be iri,key,since,status,successor"),
        ("iri,key,since,status,successor\nhttps://example.org/d/a,,2024-07-31,gone,\n", 2, "status 'gone'"),
        ("iri,key,since,status,successor\nhttps://example.org/d/a,,31-07-2024,live,\n", 2, "since '31-07-2024'"),
        ("iri,key,since,status,successor\nhttps://example.org/d/a,,,live\n", 2, "4 columns"),
        ("iri,key,since,status,successor\nnot an iri,,,live,\n", 2, "not an absolute http(s) IRI"),
        (
            "iri,key,since,status,successor\nhttps://example.org/d/a,,,live,https://example.org/d/b\n",
            2,
            "only a deprecated",
        ),
        (
            "iri,key,since,status,successor\nhttps://example.org/d/a,,,live,\nhttps://example.org/d/a,,,live,\n",
            3,
            "twice",
        ),
    ],
)
def test_a_damaged_register_stops_the_build(tmp_path, text, line, words):
    """Never a fresh register over a damaged one: that would mint the unions' IRIs afresh."""
    path = tmp_path / "iris.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LodError) as info:
        read_register(path, X)
    assert (info.value.file, info.value.line) == (str(path), line) and words in info.value.message


# --- the unions' IRIs ------------------------------------------------------------------------------


def test_a_union_keeps_the_iri_first_minted_for_its_ministry_code():
    reg = _register(("union/dait-1", "ministry:1"), ("union/abc", "ministry:2 ipa:abc"))
    claims = [
        UnionClaim("abc", ("ministry:1", "ipa:abc")),  # union 1 is now matched to IPA abc
        UnionClaim("dait-2", ("ministry:2",)),  # union 2 lost its match
    ]
    assert reg.union_keys(claims) == ["dait-1", "abc"]


def test_a_union_known_by_its_ipa_code_keeps_its_iri_when_its_union_left_the_build():
    reg = _register(("union/abc", "ministry:2 ipa:abc"))
    assert reg.union_keys([UnionClaim("abc", ("ministry:3", "ipa:abc"))]) == ["abc"]  # re-registered as 3
    # union 2 is still in the build (without abc): abc was its IRI, the newcomer gets another one
    claims = [UnionClaim("dait-2", ("ministry:2",)), UnionClaim("abc", ("ministry:3", "ipa:abc"))]
    assert reg.union_keys(claims) == ["abc", "abc-2"]


def test_a_new_union_never_takes_an_iri_of_another_union():
    reg = _register(("union/abc", "ministry:2 ipa:abc", "", DEPRECATED))
    assert reg.union_keys([UnionClaim("abc", ("ministry:7",))]) == ["abc-2"]
    assert reg.union_keys([UnionClaim("u", ("ipa:u",)), UnionClaim("u", ("ipa:u",))]) == ["u", "u-2"]
    assert _register(("union/abc", "")).union_keys([UnionClaim("abc", ("ipa:abc",))]) == ["abc"]


# --- deprecation and successors ----------------------------------------------------------------------


def test_an_iri_no_longer_described_is_deprecated_with_its_successor():
    reg = _register(
        ("union/abc", "ipa:abc", "2023-01-01"),  # an IPA-only union, now matched to register union 5
        ("union/abc/website", "", "2023-01-01"),
        ("union/dait-5", "ministry:5", "2023-01-01"),
        ("union/dait-5/service/tributi", "", "2023-01-01"),  # the service was dropped
    )
    up = reg.update(
        _t("union/dait-5", "union/dait-5/website"),
        {X + "union/dait-5": ("ministry:5", "ipa:abc")},
        since="2024-07-31",
    )
    e = up.register.entries
    assert e[X + "union/abc"] == Entry(X + "union/abc", "ipa:abc", "2023-01-01", DEPRECATED, X + "union/dait-5")
    assert e[X + "union/abc/website"].successor == X + "union/dait-5/website"
    assert (e[X + "union/dait-5/service/tributi"].status, e[X + "union/dait-5/service/tributi"].successor) == (
        DEPRECATED,
        "",
    )
    assert e[X + "union/dait-5"] == Entry(X + "union/dait-5", "ministry:5 ipa:abc", "2023-01-01", LIVE)
    assert e[X + "union/dait-5/website"].since == "2024-07-31"  # new
    assert sorted((t.subject.value, t.predicate.value, t.object.value) for t in up.triples) == [
        (X + "union/abc", REPLACED_BY, X + "union/dait-5"),
        (X + "union/abc", OWL_DEPRECATED, "true"),
        (X + "union/abc/website", REPLACED_BY, X + "union/dait-5/website"),
        (X + "union/abc/website", OWL_DEPRECATED, "true"),
        (X + "union/dait-5/service/tributi", OWL_DEPRECATED, "true"),
    ]
    assert (up.new, up.deprecated) == (
        [X + "union/dait-5/website"],
        [X + "union/abc", X + "union/abc/website"] + [X + "union/dait-5/service/tributi"],
    )


def test_a_successor_is_always_live_and_an_iri_described_again_is_live_again():
    reg = _register(
        ("a", "", "2020-01-01", DEPRECATED, X + "b"),
        ("b", "", "2021-01-01", DEPRECATED, X + "c"),
        ("c", "", "2022-01-01"),
        ("d", "", "2020-01-01", DEPRECATED, X + "e"),
    )
    up = reg.update(_t("c", "d"), {}, since="2024-07-31")
    e = up.register.entries
    assert (e[X + "a"].successor, e[X + "b"].successor) == (X + "c", X + "c")  # the chain's live end
    assert e[X + "d"] == Entry(X + "d", "", "2020-01-01", LIVE) and up.revived == [X + "d"]
    up = up.register.update(_t("d"), {}, since="2024-08-31")  # c goes too: a, b and c have no live successor
    assert {e.successor for e in up.register.entries.values()} == {""}


def test_a_comune_recoded_or_merged_by_istat_has_its_successor(registries):
    assert registries.comune_successor("104001") == ("090001", True)  # AGGIUS, OT -> SS
    assert registries.comune_successor("013199") == ("013256", False)  # RONAGO -> UGGIATE CON RONAGO
    assert registries.comune_successor("013228") == ("013256", False)
    assert registries.comune_successor("069015") is None  # current
    old = [
        "comune/104001",
        "comune/104001/indicator/resident-population/2022-01-01",
        "union/u/membership/104001",
        "comune/013199",
        "comune/013199/indicator/resident-population/2022-01-01",
    ]
    reg = _register(*((s,) for s in old))
    live = [
        "comune/090001",
        "comune/090001/indicator/resident-population/2022-01-01",
        "union/u/membership/090001",
        "comune/013256",
        "comune/013256/indicator/resident-population/2022-01-01",
    ]
    up = reg.update(_t(*live), {}, since="2024-07-31", comune_successor=registries.comune_successor)
    assert {s: up.register.entries[X + s].successor.removeprefix(X) for s in old} == {
        "comune/104001": "comune/090001",
        "comune/104001/indicator/resident-population/2022-01-01": "comune/090001/indicator/resident-population/2022-01-01",
        "union/u/membership/104001": "union/u/membership/090001",
        "comune/013199": "comune/013256",
        # a merged comune's figures are not its successor's
        "comune/013199/indicator/resident-population/2022-01-01": "",
    }


# --- the bundled build ---------------------------------------------------------------------------------


def _subjects(out: Path) -> dict[str, dict[str, list[str]]]:
    """Subject IRI under the base -> predicate -> objects, from the N-Triples dump."""
    found: dict[str, dict[str, list[str]]] = {}
    with open(out / "unioni.nt", "rb") as fh:
        for t in parse(fh, format=RdfFormat.N_TRIPLES):
            if isinstance(t.subject, NamedNode) and t.subject.value.startswith(B):
                found.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    return found


def _live(described: dict[str, list[str]]) -> bool:
    return OWL_DEPRECATED not in described


def _all_kept(before: dict, after: dict) -> list[str]:
    """The IRIs of ``before`` that ``after`` lost: not in it, or deprecated with a successor that is
    not live (deprecated without a successor is kept: the resource was dropped)."""
    return [
        iri
        for iri in before
        if iri not in after
        or not (_live(after[iri]) or all(s in after and _live(after[s]) for s in after[iri].get(REPLACED_BY, [])))
    ]


def test_a_steward_s_edits_keep_every_iri(tmp_path):
    """Rewording a section title, a datum source and the intervention line, reordering sections and
    correcting the union's IPA code keep every IRI live; a dropped service stays, deprecated."""
    records, out = tmp_path / "records", tmp_path / "out"
    shutil.copytree(RECORDS, records)
    build(records, out, check=shacl_check())
    before = _subjects(out)
    path = records / "udm_069.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sections = data["italiae"]["sections"]
    sections[0]["title"] = "La digitalizzazione dei servizi locali"
    sections.reverse()
    data["italiae"]["line"] = "Community di Innovazione (ITALIAE)"
    for figure in [data["population"]] + [m["population"] for m in data["members"]]:
        figure["source"] = "ISTAT - Popolazione residente al 1° gennaio 2022"
    data["union"]["ipa_code"] = "udm69"  # a corrected IPA code renames the record file too
    dropped = data["services"].pop()["concept"]
    path.unlink()
    (records / "udm69.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    other = yaml.safe_load((records / "ull.yaml").read_text(encoding="utf-8"))
    other["italiae"]["line"] = data["italiae"]["line"]  # the line is the programme's: one wording
    for figure in [other["population"]] + [m["population"] for m in other["members"]]:
        if figure["source"].startswith("ISTAT, Popolazione residente al 1 gennaio"):
            figure["source"] = "ISTAT - Popolazione residente al 1° gennaio 2022"  # the same key, one wording
    (records / "ull.yaml").write_text(yaml.safe_dump(other, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(records, out, check=shacl_check())
    after = _subjects(out)
    assert _all_kept(before, after) == []
    gone = {iri for iri in before if not _live(after[iri])}
    assert gone == {f"{B}union/udm_069/service/{dropped}"}
    union = after[f"{B}union/udm_069"]
    assert union[IPA_CODE] == ["udm69"] and _live(union)
    section = after[f"{B}union/udm_069/intervention/italiae/section/digitalizzazione-dei-servizi-locali"]
    assert section[str(DCT.title)] == ["La digitalizzazione dei servizi locali"]
    rows = read_register(out / "iris.csv", B).entries
    assert rows[f"{B}union/udm_069"].key == "ipa:udm69 card:90847faaabe1a949"
    assert rows[f"{B}union/udm_069/service/{dropped}"].status == DEPRECATED


def test_a_failed_build_leaves_the_register_untouched(tmp_path):
    records, out, elsewhere = tmp_path / "records", tmp_path / "out", tmp_path / "registers" / "iris.csv"
    shutil.copytree(RECORDS, records)
    elsewhere.parent.mkdir()
    build(records, out, check=shacl_check(), iri_register=elsewhere)
    register, copy_ = (out / "iris.csv").read_bytes(), elsewhere.read_bytes()
    assert register == copy_
    bad = [Record(r.path, copy.deepcopy(r.data)) for r in load_records(records)]
    bad[0].data["population"]["value"] += 1  # the total no longer is the members' sum: a violation
    bad[0].data["services"].pop()  # would deprecate an IRI
    with pytest.raises(NotConformingError):
        build_records(bad, out, check=shacl_check(), iri_register=elsewhere)
    assert (out / "iris.csv").read_bytes() == register and elsewhere.read_bytes() == copy_


def test_the_committed_register_is_the_one_of_the_committed_dumps(repo):
    rows = read_register(repo / "output" / "iris.csv", B).entries
    assert {iri for iri, e in rows.items() if e.status == LIVE} == set(_subjects(repo / "output"))


# --- the national build ----------------------------------------------------------------------------------

UNION = "4130236080"  # UNIONE DEI COMUNI MONTANI MAIELLA ORIENTALE - VERDE AVENTINO, IPA udcmmo


@pytest.fixture(scope="module")
def without_udcmmo(shared_data, tmp_path_factory) -> Path:
    """A copy of the reference data whose IPA file lacks the union's body (line 23449)."""
    d = tmp_path_factory.mktemp("sources")
    for entry in shared_data.iterdir():
        if entry.name != "ipa":
            (d / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (d / "ipa").mkdir()
    for f in (shared_data / "ipa").iterdir():
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        (d / "ipa" / f.name).write_text("".join(x for x in lines if not x.startswith("udcmmo,")), encoding="utf-8")
    return d


def _national_cli(sources: Path, out: Path) -> None:
    """The national build of ``sources`` into ``out``, as ``lod-unioni build --national`` makes it
    but without SHACL validation (tests/test_national.py checks it; the register does not depend on it)."""
    with progress.reporting(quiet=True):
        national_pipeline(sources, out, bundled_records=RECORDS, validate=False)


@pytest.mark.slow
def test_a_union_that_loses_its_ipa_body_keeps_its_iri(national_build, without_udcmmo, tmp_path):
    out = tmp_path / "national"
    shutil.copytree(national_build.out, out)  # the first build
    before = _subjects(out)
    assert before[f"{B}union/udcmmo"][IPA_CODE] == ["udcmmo"]
    _national_cli(without_udcmmo, out)
    after = _subjects(out)
    assert _all_kept(before, after) == []
    union = after[f"{B}union/udcmmo"]
    assert _live(union) and IPA_CODE not in union and union[MINISTRY_CODE] == [UNION]
    assert f"{B}union/dait-{UNION}" not in after
    # what came from IPA's row is deprecated, with no successor: the union has no website now, and
    # its own PNRR project (CUP E91F22002600006, rows udcmmo of the 1.4.4 file, state A, and of the
    # other bodies' file, state E) can no longer be told to be a union's, nor the union's own amounts
    # in 1.4.4 (its state there stays, now none)
    project = f"{B}project/E91F22002600006"
    [application] = [iri for iri in before if iri.startswith(project + "/application/") and "/state/" not in iri]
    own = [f"{B}union/udcmmo/indicator/pnrr-{x}/1.4.4/2026-08-15" for x in ("assigned", "disbursed")]
    assert {iri for iri in before if not _live(after[iri])} == {
        f"{B}union/udcmmo/website",
        f"{B}union/udcmmo/match/union-ipa-code",
        project,
        application,
        application + "/state/A",
        application + "/state/E",
        *own,
        *(iri + "/value" for iri in own),
    }
    assert all(REPLACED_BY not in after[f"{B}union/udcmmo/{x}"] for x in ("website", "match/union-ipa-code"))
    report = json.loads((out / "national-report.json").read_text(encoding="utf-8"))
    assert report["stats"]["deprecated_iris"] == {"iris": 10, "with_successor": 0}


@pytest.mark.slow
def test_a_union_that_ipa_matches_later_keeps_its_iri(registries, without_udcmmo, tmp_path):
    out = tmp_path / "national"
    _national_cli(without_udcmmo, out)
    before = _subjects(out)
    assert IPA_CODE not in before[f"{B}union/dait-{UNION}"]
    national_pipeline(registries, out, bundled_records=RECORDS)
    after = _subjects(out)
    assert _all_kept(before, after) == [] and all(_live(after[iri]) for iri in before)
    union = after[f"{B}union/dait-{UNION}"]
    assert union[IPA_CODE] == ["udcmmo"] and union[RDF_TYPE]
    assert f"{B}union/udcmmo" not in after and f"{B}union/dait-{UNION}/website" in after
