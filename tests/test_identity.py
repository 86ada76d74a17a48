"""The links of the national graph to IPA (ontology/MODEL.md, "Identity"): owl:sameAs only where
the identity is certain, lu:probableSameAs otherwise; IPA's codes as IPA spells them; the
Department for Digital Transformation's spelling of the national IRI as an alias.

What is certain is computed here from the registry files themselves, read with ``csv`` (IPA, the
Ministry register, ISTAT's list of comuni, OntoPiA's cities for former names), not with the code
under test:

* a union is certainly its IPA body when that body is an L18 union seated in one of the comuni
  the register lists for the union (by name, or a former name of the seat in OntoPiA's cities) and
  the two names have the same words once case, accents, punctuation and the words every union
  has are dropped (the list below, written from the names in the files); or when the union is a
  steward's record (``records/*.yaml``);
* a comune is certainly its IPA body when that body is an L6 body seated in it and either the one
  of legal status 2430 seated there, or, without a legal status, the one named "Comune di" + its
  ISTAT name.

Examples of IPA's spelling, read in ``ipa/enti-2024-07-31.csv``: ``UTA`` (Unione delle Terre
d'Argine, line 5947), ``UNRENGAL``, ``ROOFCYM9``, ``C_B605``, ``c_B705`` (Comune di Caprie, line 8977).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
import yaml
from conftest import COV, IPAORG, IPAORGS, LU, OWL, PROV, B

from lod_unioni.build import build_graph
from lod_unioni.mapping import map_record
from lod_unioni.national import build_national_records
from lod_unioni.records import load_records
from lod_unioni.resources import resource_dir
from lod_unioni.sources.folder import resolve_sources

SAME_AS = OWL + "sameAs"
PROBABLE = LU + "probableSameAs"
UNION = re.compile(re.escape(B) + r"union/([^/]+)")
COMUNE = re.compile(re.escape(B) + r"comune/([0-9]{6})")

# The words every union's name has (types of union, articles, prepositions, "in liquidazione"),
# dropped before two union names are compared; read off the register's and IPA's names.
GENERIC = set(
    """unione unioni union comuni comune comunita comunale collinare montana montani montane montano
    territoriale intercomunale uti lombarda lombardo valdostani unite des communes commune valdotaines
    in liquidazione tra fra i il la le lo gli l dei di del della delle degli dello dell d e ed da dal dai""".split()
)


def _norm(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in _norm(name).split() if w not in GENERIC)


# ---------------------------------------------------------------------------------------------
# the registry files, read here


@pytest.fixture(scope="module")
def ipa(shared_data) -> dict[str, dict]:
    """IPA's rows by code as IPA writes it (case-sensitive)."""
    with open(shared_data / "ipa" / "enti-2024-07-31.csv", encoding="utf-8-sig", newline="") as f:
        return {row["Codice_IPA"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def istat(shared_data) -> dict[str, list[str]]:
    with open(shared_data / "istat" / "Elenco-comuni-italiani.csv", encoding="latin-1", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        next(rows)
        return {row[4]: row for row in rows}  # column 5: codice comune alfanumerico


@pytest.fixture(scope="module")
def seat_names(shared_data, istat) -> dict[str, set[str]]:
    """Every name a comune has had (ISTAT's names and OntoPiA's labels), normalised."""
    names: dict[str, set[str]] = defaultdict(set)
    for code, row in istat.items():
        names[code] |= {_norm(row[5]), _norm(row[6])}
    with open(shared_data / "ontopia" / "cities.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            names[row["ID_COMUNE"][:6]].add(_norm(row["LABEL_COMUNE_IT"]))
    return names


@pytest.fixture(scope="module")
def register(shared_data) -> dict[str, dict]:
    """The Ministry register: CODICE UNIONE -> name and the normalised names of its members."""
    unions: dict[str, dict] = {}
    with open(shared_data / "ministero-interno" / "unioni-di-comuni-2020.csv", encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        next(rows)
        for row in rows:
            if row[0] == "0":
                current = unions.setdefault(row[1], {"name": row[4], "members": set()})
            else:
                current["members"].add(_norm(row[7]))
    return unions


@pytest.fixture(scope="module")
def stewards(repo) -> set[str]:
    """The IPA codes of the steward's records (records/*.yaml), as written there."""
    return {
        yaml.safe_load(p.read_text(encoding="utf-8"))["union"]["ipa_code"] for p in (repo / "records").glob("*.yaml")
    }


# ---------------------------------------------------------------------------------------------
# the national graph


@pytest.fixture(scope="module")
def graph(registries) -> dict[str, dict[str, set[str]]]:
    """The national graph (register + bundled records), subject -> predicate -> objects."""
    result = build_national_records(registries, load_records(resource_dir("records")), check_records=False)
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for t in build_graph(result.records):
        out[t.subject.value][t.predicate.value].add(t.object.value)
    return out


def _links(graph, pattern: re.Pattern) -> dict[str, tuple[str, str]]:
    """Subject -> (its cov:IPAcode, "same" or "probable") for every subject of the pattern."""
    found = {}
    for s, po in graph.items():
        if not pattern.fullmatch(s) or COV + "IPAcode" not in po:
            continue
        [code] = po[COV + "IPAcode"]
        kinds = {k for k, p in (("same", SAME_AS), ("probable", PROBABLE)) if po.get(p)}
        assert len(kinds) == 1, (s, kinds)
        [kind] = kinds
        found[s] = (code, kind)
    return found


def _union_certain(s, po, code, ipa, register, seat_names, stewards) -> bool:
    if code in stewards:
        return True
    body = ipa[code]
    [ministry] = po.get(LU + "ministryCode") or [None]
    if ministry is None:  # a union made from its IPA body itself, not from the register
        return (
            po[PROV + "wasDerivedFrom"] >= {B + "source/ipa-enti"}
            and B + "source/ministry-unions" not in po[PROV + "wasDerivedFrom"]
        )
    union = register[ministry]
    seated_in_member = bool(seat_names[body["Codice_comune_ISTAT"]] & union["members"])
    a_union = body["Codice_Categoria"] == "L18" or (
        body["Codice_Categoria"] == "L12" and body["Codice_natura"] == "2450"
    )
    return a_union and seated_in_member and _words(body["Denominazione_ente"]) == _words(union["name"])


@pytest.mark.slow
def test_a_union_is_the_same_as_its_ipa_body_only_when_that_is_certain(graph, ipa, register, seat_names, stewards):
    links = _links(graph, UNION)
    certain = {
        s for s, (code, _) in links.items() if _union_certain(s, graph[s], code, ipa, register, seat_names, stewards)
    }
    same = {s for s, (_, kind) in links.items() if kind == "same"}
    probable = {s for s, (_, kind) in links.items() if kind == "probable"}
    assert same == certain  # every sameAs is certain, and every certain identity is a sameAs
    assert probable == set(links) - certain
    # the audit's 54 matches on similar or partial names, or a seat outside the members, are not sameAs
    assert len(probable) >= 54 and len(same) >= 390
    print(f"unions linked to IPA: {len(links)}; owl:sameAs {len(same)}, lu:probableSameAs {len(probable)}")


@pytest.mark.slow
def test_a_union_that_is_probably_its_ipa_body_says_how_and_how_sure(graph):
    for s, (code, kind) in _links(graph, UNION).items():
        match = graph.get(s + "/match/union-ipa-code")
        if match is None:  # a steward's record: reconciled by hand
            assert kind == "same", s
            continue
        confidence = Decimal(next(iter(match[LU + "matchConfidence"])))
        assert match[PROV + "entity"] == {B + "source/ipa-enti"}
        assert (confidence == 1) == (kind == "same"), (s, confidence)
        assert next(iter(match[LU + "registryValue"])).startswith(code + " ")


def _comune_certain(istat_code: str, code: str, ipa, by_seat, istat) -> bool:
    body = ipa[code]
    if body["Codice_Categoria"] != "L6" or body["Codice_comune_ISTAT"] != istat_code:
        return False
    seated = [b for b in by_seat[istat_code] if b["Codice_Categoria"] == "L6"]
    legal = [b for b in seated if b["Codice_natura"] == "2430"]
    if legal:
        return legal == [body]
    row = istat[istat_code]
    names = {"comune di " + _norm(n) for n in (row[5], row[6])}
    return [b for b in seated if _norm(b["Denominazione_ente"]) in names] == [body]


@pytest.mark.slow
def test_a_comune_is_the_same_as_its_ipa_body_only_when_that_is_certain(graph, ipa, istat):
    by_seat = defaultdict(list)
    for row in ipa.values():
        by_seat[row["Codice_comune_ISTAT"]].append(row)
    links = _links(graph, COMUNE)
    certain = {
        s for s, (code, _) in links.items() if _comune_certain(COMUNE.fullmatch(s)[1], code, ipa, by_seat, istat)
    }
    same = {s for s, (_, kind) in links.items() if kind == "same"}
    assert same == certain
    assert len(same) > 2900  # nearly every comune: IPA registers each one, with its legal status
    for s, (_, kind) in links.items():
        match = graph.get(s + "/match/ipa-code")
        if match is not None:
            confidence = Decimal(next(iter(match[LU + "matchConfidence"])))
            assert (confidence == 1) == (kind == "same"), (s, confidence)
    print(f"comuni linked to IPA: {len(links)}; owl:sameAs {len(same)}, lu:probableSameAs {len(links) - len(same)}")


@pytest.mark.slow
def test_ipa_codes_and_links_are_spelt_as_ipa_spells_them(graph, ipa):
    lower = {code.lower(): code for code in ipa}
    spelt_otherwise = 0
    for pattern in (UNION, COMUNE):
        for s, (code, kind) in _links(graph, pattern).items():
            assert code == lower[code.lower()], s  # IPA's own spelling, e.g. UTA, C_B605, c_B705
            spelt_otherwise += code != code.lower()
            predicate = SAME_AS if kind == "same" else PROBABLE
            # the national IRI, and the Department for Digital Transformation's spelling of it
            assert graph[s][predicate] == {IPAORG + code, IPAORGS + code}, s
            if pattern is UNION:
                assert s == B + "union/" + code.lower()  # our IRIs keep their lower-case key
    codes = {next(iter(po[COV + "IPAcode"])) for po in graph.values() if COV + "IPAcode" in po}
    assert {"UTA", "UNRENGAL", "ROOFCYM9", "C_B605", "c_B705"} <= codes
    # the codes IPA does not write in lower case, counted in IPA's file for the codes published
    assert spelt_otherwise == sum(1 for c in {lower[c.lower()] for c in codes} if c != c.lower()) > 60


# ---------------------------------------------------------------------------------------------
# a comune whose IPA body has neither its legal status nor its name


def test_a_comune_body_without_legal_status_or_name_is_only_probably_the_comune(shared_data, tmp_path):
    """IPA as it is, but for Casalbordino's body (c_b865): no Codice_natura and another name. The
    body seated in the comune is still its likeliest IPA organization, but not certainly it."""
    for folder in ("istat", "ontopia", "ministero-interno"):
        (tmp_path / folder).symlink_to(shared_data / folder, target_is_directory=True)
    (tmp_path / "ipa").mkdir()
    text = (shared_data / "ipa" / "enti-2024-07-31.csv").read_text(encoding="utf-8-sig")
    old = "c_b865,Comune di Casalbordino,069015,Pubbliche Amministrazioni,L6,Comuni e loro Consorzi e Associazioni,Pubbliche Amministrazioni,2430,"
    assert text.count(old) == 1
    text = text.replace(
        old, old.replace("Comune di Casalbordino", "Ente di Casalbordino Vecchia").replace(",2430,", ",,")
    )
    (tmp_path / "ipa" / "enti-2024-07-31.csv").write_text(text, encoding="utf-8")
    result = build_national_records(resolve_sources(tmp_path), [])
    [record] = [r for r in result.records if r.data["union"].get("ministry_code") == "4130236050"]  # Miracoli
    [member] = [m for m in record.data["members"] if m["istat_code"] == "069015"]
    assert member["ipa_identity"] == "probable"
    assert member["ipa_match"]["method"] == "seat-comune" and member["ipa_match"]["confidence"] < 1
    triples = Counter((t.subject.value, t.predicate.value, t.object.value) for t in map_record(record))
    casalbordino = B + "comune/069015"
    assert (casalbordino, PROBABLE, IPAORG + "c_b865") in triples
    assert (casalbordino, PROBABLE, IPAORGS + "c_b865") in triples
    assert not [t for t in triples if t[0] == casalbordino and t[1] == SAME_AS]
    assert (casalbordino, PROV + "qualifiedDerivation", casalbordino + "/match/ipa-code") in triples
    # the other members keep their certain identity
    assert (B + "comune/069068", SAME_AS, IPAORG + "c_g799") in triples


def test_a_weak_union_match_is_published_as_probable(registries):
    """Only an exact name with the seat in a member, for a union of IPA (an L18 body, or an L12 body with
    the legal status Unione di comuni), is certain."""
    result = build_national_records(registries, [], check_records=False)
    seen = Counter()
    for r in result.records:
        union = r.data["union"]
        for m in r.data["provenance"]["matches"]:
            if m["field"] != "union.ipa_code":
                continue
            body = registries.ipa[union["ipa_code"].lower()]
            a_union = body.is_union or body.natura == "2450"
            certain = m["method"] in ("exact-name+seat-member", "exact-name+seat-member+category-l12") and a_union
            assert union.get("ipa_identity") == (None if certain else "probable"), (union["ipa_code"], m["method"])
            seen[certain] += 1
    assert seen[True] and seen[False]
