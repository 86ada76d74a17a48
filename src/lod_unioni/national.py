"""The national graph: every Unione di Comuni of the Ministry register, from the official sources.

``lod-unioni build --national --sources DIR [--out DIR]`` (default ``--out output/national``)
builds the linked data of all the unions of the Ministry of the Interior (DAIT) register (557
unions and their 3,000 member rows in the 2020 release), joined with IPA, the ISTAT list of comuni,
ISTAT's resident population at 1 January 2022 and the OntoPiA territorial vocabularies. The
bundled records (richer: made from the ITALIAE cards) take precedence for their unions. The
result is a mirror of the official sources: it is not committed (``output/national/`` is in
``.gitignore``) and it is rebuilt from the registry files.

::

    from lod_unioni.national import build_national_records, national_pipeline
    result = build_national_records("/path/to/sources", load_records("records"))
    result.records, result.stats, result.unmatched_unions, result.unresolved_members
    result, timings = national_pipeline("/path/to/sources", "output/national")   # what the command runs

The pipeline
------------

1. **read** every registry file once (:func:`lod_unioni.registries.load_registries`) and the bundled
   records;
2. **reconcile** the bundled records with the registries (the counts are reported; see
   ``lod-unioni reconcile`` for the findings) and find their unions in the register;
3. **match** (:func:`build_national_records`): every register union becomes a record in the
   record format (checked with :func:`lod_unioni.records.validate_record`), see below;
4. **map** the records with the bundled mappings (the same as ``lod-unioni build``);
5. **validate** the graph with the SHACL shapes (fast engine) and the policy below;
6. **write** ``unioni.ttl``, ``unioni.jsonld``, ``unioni.nt``, ``context.jsonld``, ``catalog.ttl``
   and ``national-report.json`` / ``national-report.txt`` (atomically, nothing when a step fails;
   the same sources give byte-identical files). Each step's time is printed.

How the register becomes records
--------------------------------

* **Members** (upper-case names, sometimes older than ISTAT's) are resolved to current ISTAT codes
  within the union's region (:meth:`lod_unioni.registries.Registries.ministry_members`):
  ``name-in-region`` (confidence 1.0), ``former-name`` through the OntoPiA history of the comuni
  (0.9; a former name of a comune of the union's region wins over the same name in another region:
  the register's CALLIANO in Asti is Calliano Monferrato, not Calliano in Trentino),
  ``name-other-region`` for a comune that has since moved to another region (0.8, e.g. SAPPADA). A name
  whose comune no longer exists is followed to the comune it was **merged into**: OntoPiA closes
  the old comune's last row on the day the successor's current row starts, in the same province;
  ``merged-into+name`` when the successor's name contains the old one (0.9, or 0.85 when other
  comuni of the province started that day), ``merged-into+date`` when the successor is the only
  comune of the province that started that day (0.7). Two register rows that now are one comune
  give one member. What cannot be resolved is kept in the record (``unresolved``, a
  ``rdfs:comment`` of the union in the graph) and listed in the report: never dropped.
* **IPA** (the L18 bodies, Unioni di Comuni): each register union is compared with the L18 bodies
  seated in one of its members or in its region. The evidence is the name similarity ``s`` (0..1,
  after dropping the words every union has: unione, comuni, comunità, montana, lombarda, the
  French *unité des communes valdôtaines*, "in liquidazione"...) and where the body's seat is: a
  member (``seat-member``), the union's province (``seat-province``) or only its region
  (``seat-region``). ``confidence = 0.6 s + 0.4 / 0.25 / 0.1`` (seat member / province / region);
  a pair is accepted when the confidence is at least 0.7 and either the seat is a member or the
  names are alike (``s >= 0.85``); the method names the evidence, e.g.
  ``exact-name+seat-member`` (1.0), ``similar-name+seat-province``, ``partial-name+seat-member``.
  Pairs are assigned best first, each IPA code to one union. A union IPA does not know is kept,
  with no IPA code and the IRI ``{base}union/dait-{CODICE UNIONE}`` (the register's code); its
  best candidate, if any, is listed in the report.
* **Figures**: each member's resident population at 2022-01-01 from the ISTAT file; the union's
  total is the sum of its members' (computed, said so in its datum source) when every member has
  one; ``number_of_comuni`` is the register's own count (``NR. COMUNI``), so that a difference with
  the members found is reported by the shapes. Founding date from the register, website from IPA
  (one that is not an http(s) URL with a host name is kept in ``unresolved`` and listed instead).
  No surface, density, services or ITALIAE data: the registries have none.
* **Provenance**: every record lists the registry files it was made from (``provenance.sources``:
  kind, URL or local path, date, SHA-256) and how each match was made
  (``provenance.matches`` for the union, ``members[].match`` for each member: method, confidence,
  the value the registry holds). In the graph each registry file is ``{base}source/{kind}`` (a
  ``prov:Entity`` with ``dcterms:source``, ``prov:generatedAtTime``, ``lu:sha256``), unions,
  memberships, comuni and figures are ``prov:wasDerivedFrom`` it (figures also
  ``ind:hasDatumSource``), and each match is a PROV qualified derivation with ``lu:matchMethod``,
  ``lu:matchConfidence`` and ``lu:registryValue`` (``ontology/MODEL.md``).
* **Bundled records** take precedence for their unions: a register union is replaced by the
  bundled record that reconciliation finds in the register (same name in the same region, or
  most of the members), or whose IPA code the matching gives it. Bundled records that are not in
  the register are published too. A registry file a bundled record cites (``provenance.sources``)
  that is the national build's file of that kind (same SHA-256) is described as the national
  records describe it, so that ``{base}source/{kind}`` has one location, title and date.

The validation policy: violations where the sources disagree
------------------------------------------------------------

The national graph is a mirror of the official sources, so the build writes it even where the
sources disagree with each other, and the report lists those results. Exactly these SHACL
violations are accepted, and only for the unions where the records show the disagreement
(:attr:`NationalResult.expected`, computed before validation from the records themselves):

==================================== =================================================================
shape (rule)                         accepted for a union when
==================================== =================================================================
``union-ipa-code-count``             IPA does not know the union (no IPA code): Ministry vs IPA
``union-number-of-comuni``           the register's ``NR. COMUNI`` differs from the members resolved
                                     (comuni merged since 2020, a register row that names no current
                                     comune, a register that disagrees with itself): Ministry vs
                                     ISTAT / OntoPiA
``union-members``                    fewer than two members: the register lists a single comune for
                                     the union (6 unions in 2020; IPA and the law know unions of two
                                     comuni at least), or its comuni have merged into one since:
                                     Ministry vs IPA / ISTAT / OntoPiA
``member-region``                    a member is now in another region than the register's union
                                     (e.g. a comune that changed region after 2020): Ministry vs ISTAT
``member-population``                ISTAT has no population at 2022-01-01 for a member (a comune
                                     created after that date): ISTAT list vs ISTAT population
``member-city-count``                OntoPiA has no single current row for a member's ISTAT code:
                                     ISTAT vs OntoPiA
``figure-conflict``,                 a comune's population at one date is stated differently by two
``union-total-population``,          records (a bundled record's card against ISTAT, for a comune
``union-density``                    that the register also lists in another union): card vs ISTAT
==================================== =================================================================

Any other violation (of any union), or one of these for a union where the records show no such
disagreement, is a bug of lod-unioni or of a bundled record: the build stops with exit code 1 and
writes nothing. Warnings and infos never stop it.

Speed
-----

:func:`national_pipeline` returns the seconds of each step (``read``, ``reconcile``, ``match``
with its parts, ``map``, ``validate``, ``check records``, ``turtle``, ``jsonld``, ``ntriples``,
``catalog``, ``write``, ``total``); the command prints them. On ``../shared/data`` (557 unions,
about 140,000 triples) the main process needs about 5.2 s of CPU: read 1.0 (the OntoPiA cities
with their whole history among them, read once by :class:`~lod_unioni.registries.Registries`),
match 0.6 (most of it indexing that history by name, on first use), map 1.2, SHACL 1.3-1.6, the
three dumps 0.6. The check of the 557 records with the record schema (1.1 s of CPU, jsonschema)
runs in a forked process meanwhile (:class:`RecordCheck`), so the whole build takes about 6 s on an
idle 2-core machine. The timings are not in ``national-report.json`` (which stays byte-identical).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from . import __version__, progress
from .codes import IPA_CODE
from .config import DEFAULT_BASE_IRI, check_base_iri
from .errors import RecordError
from .reconcile import Reconciliation, reconcile
from .records import Record, load_records, validate_record
from .registries import Registries, load_registries
from .sources.fetch import SourcesDir, source_entry
from .sources.ipa import IpaBody, website_url
from .sources.ministero import MinistryUnion
from .sources.ontopia import OntopiaCity
from .text import GENERIC_WORDS, NameMatcher, name_similarity, normalize_name, title_case

__all__ = [
    "ACCEPTED_RULES",
    "DEFAULT_OUT",
    "REPORT_FILES",
    "Disagreement",
    "MemberMatch",
    "NationalResult",
    "UnionMatch",
    "accept_policy",
    "build_national_records",
    "name_similarity",
    "national_pipeline",
]

DEFAULT_OUT = "output/national"
REPORT_FILES = ("national-report.json", "national-report.txt")
POPULATION_KIND = "istat-population"
#: Registry files every national record is made from (source kinds), in this order.
NATIONAL_KINDS = (
    "ministry-unions",
    "ipa-enti",
    "istat-comuni",
    "istat-population",
    "ontopia-cities",
    "ontopia-provinces",
    "ontopia-regions",
)

#: The SHACL rules whose violations may come from a disagreement between the sources (see the
#: module docstring): accepted only for the unions listed in NationalResult.expected.
ACCEPTED_RULES = {
    "union-ipa-code-count": "IPA does not know the union: it has no IPA code (Ministry register vs IPA)",
    "union-number-of-comuni": "the register's number of comuni differs from the members resolved "
    "(Ministry register vs ISTAT / OntoPiA)",
    "union-members": "fewer than two member comuni: the register lists a single comune, or its comuni "
    "have merged into one (Ministry register vs IPA / ISTAT / OntoPiA)",
    "member-region": "a member comune is now in another region (Ministry register vs ISTAT)",
    "member-population": "ISTAT has no population at 2022-01-01 for a member comune (created later: "
    "ISTAT list of comuni vs ISTAT population)",
    "member-city-count": "OntoPiA has no single current city for a member's ISTAT code (ISTAT vs OntoPiA)",
    "figure-conflict": "a comune's population is stated differently by a bundled card and by ISTAT",
    "union-total-population": "a member's population is stated differently by a bundled card and by ISTAT",
    "union-density": "a member's population is stated differently by a bundled card and by ISTAT",
}

# IPA matching (see the module docstring)
SEAT_WEIGHT = {"seat-member": 0.4, "seat-province": 0.25, "seat-region": 0.1}
MIN_CONFIDENCE = 0.7
SIMILAR = 0.85
PARTIAL = 0.5

_WEBSITE = re.compile(
    r"https?://[^\s/?#<>\"{}|\\^`]+\.[^\s<>\"{}|\\^`]+"
)  # the shapes' union-website, and the schema's

_MEMBER_METHODS = {  # RegisterMemberMatch.how -> (method, confidence, registry kind that resolved it)
    "name": ("name-in-region", 1.0, "istat-comuni"),
    "renamed": ("former-name", 0.9, "ontopia-cities"),
    "moved": ("name-other-region", 0.8, "istat-comuni"),
}


# --------------------------------------------------------------------------------------------
# Names


def _union_name(register_name: str, body: IpaBody | None) -> str:
    """IPA's name when the union is in IPA (the current official name), else the register's, in
    Italian title case when written in capitals."""
    name = body.name if body is not None else register_name
    name = " ".join(name.replace('""', '"').split())
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        name = title_case(name)
    return name


# --------------------------------------------------------------------------------------------
# Results


@dataclass
class MemberMatch:
    """A member row of the register and the comune it was resolved to (``istat_code`` None when
    unresolved)."""

    name: str  # as the register writes it: "CASALBORDINO"
    line: int
    istat_code: str | None
    method: str  # "name-in-region", "former-name", "merged-into+name", "unresolved", ...
    confidence: float
    source: str  # kind (sources.kinds) of the registry that resolved it
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "line": self.line,
            "istat_code": self.istat_code,
            "method": self.method,
            "confidence": self.confidence,
            "source": self.source,
            "note": self.note,
        }


@dataclass
class UnionMatch:
    """What the matching learnt about one union of the register."""

    register: MinistryUnion
    region_code: str | None
    province_code: str | None
    province_method: str  # "register-name" | "members-majority"
    province_confidence: float
    members: list[MemberMatch]
    ipa: IpaBody | None = None
    ipa_method: str | None = None
    ipa_confidence: float | None = None
    ipa_similarity: float | None = None
    candidate: dict | None = None  # best IPA candidate that was not accepted (for the report)
    bundled: Record | None = None  # the bundled record that replaces this union
    bundled_how: str | None = None

    @property
    def code(self) -> str:
        return self.register.code

    @property
    def key(self) -> str:
        """The last segment of the union's IRI: its IPA code, else ``dait-{CODICE UNIONE}``."""
        return self.ipa.code if self.ipa is not None else f"dait-{self.register.code}"


@dataclass(frozen=True)
class Disagreement:
    """A SHACL violation expected because the sources disagree (see :data:`ACCEPTED_RULES`)."""

    union_key: str
    union_name: str
    rule: str
    detail: str

    def to_dict(self) -> dict:
        return {"union": self.union_key, "union_name": self.union_name, "rule": self.rule, "detail": self.detail}


@dataclass
class NationalResult:
    """The national records and what the matching found."""

    records: list[Record]
    unions: list[UnionMatch]
    stats: dict
    unmatched_unions: list[dict]  # register unions without an IPA code (with the best candidate)
    unresolved_members: list[dict]  # register member rows that name no current comune
    unresolved_values: list[dict]  # other registry values that could not be published (a website)
    ipa_not_in_register: list[dict]  # L18 bodies no register union was matched to
    excluded: list[dict]  # unions that could not become a record (none resolved), with why
    expected: list[Disagreement]  # violations expected from source disagreements
    bundled: list[dict]  # the bundled records and the register union each replaces
    reconciliation: dict  # counts of the reconciliation of the bundled records
    sources: dict[str, dict]  # provenance of the registry files (kind -> dict)
    data_date: str | None = None  # date of the data (latest registry file or bundled edit)

    def expected_keys(self, base_iri: str) -> set[tuple[str, str]]:
        """``(union IRI, rule)`` of every expected source-disagreement violation."""
        return {(f"{base_iri}union/{d.union_key}", d.rule) for d in self.expected}

    def summary_lines(self) -> list[str]:
        s = self.stats
        return [
            f"unions: {s['unions']} in the Ministry register, {s['records']} records "
            f"({s['bundled_replacing']} from bundled records, "
            f"{s['bundled_extra']} bundled records not in the register)",
            f"union match rate (IPA code): {s['unions_with_ipa']} of {s['unions']} = {s['union_match_rate']:.1%}"
            f" ({', '.join(f'{k} {v}' for k, v in sorted(s['ipa_methods'].items()))})",
            f"member resolution rate: {s['members_resolved']} of {s['member_rows']} register member rows = "
            f"{s['member_resolution_rate']:.1%} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(s['member_methods'].items()))})",
        ]


# --------------------------------------------------------------------------------------------
# Member resolution


class _Successors:
    """Current OntoPiA rows by (province, start date): where merged comuni went."""

    def __init__(self, reg: Registries):
        self.reg = reg
        self.by_start: dict[tuple[str, date], list[OntopiaCity]] = defaultdict(list)
        for code, rows in reg.current_cities.items():
            if code in reg.istat and len(rows) == 1:
                row = rows[0]
                self.by_start[(row.province_code, row.valid_from)].append(row)

    def find(self, name: str, region: str | None, province: str | None) -> MemberMatch | None:
        """The current comune a no-longer-existing comune named ``name`` was merged into."""
        reg = self.reg
        ended: dict[str, OntopiaCity] = {}
        for row in reg.former_names(name):
            if row.istat_code in reg.istat:
                continue
            last = ended.get(row.istat_code)
            if last is None or row.valid_to > last.valid_to:
                ended[row.istat_code] = row
        olds = [r for r in ended.values() if region is None or self._region(r.province_code) == region]
        if len(olds) > 1 and province:
            olds = [r for r in olds if r.province_code == province] or olds
        if len(olds) != 1:
            return None
        old = olds[0]
        day = old.valid_to
        started = [r for r in self.by_start.get((old.province_code, day), ()) if r.istat_code != old.istat_code]
        words = {w for w in normalize_name(name).split() if len(w) > 3 and w not in GENERIC_WORDS}
        named = [r for r in started if words & set(normalize_name(r.label_it).split())]
        note = f"{old.label_it} ({old.istat_code}) ended on {day.isoformat()} (OntoPiA)"
        if len(named) == 1:
            row = named[0]
            conf = 0.9 if len(started) == 1 else 0.85
            return MemberMatch(
                name,
                0,
                row.istat_code,
                "merged-into+name",
                conf,
                "ontopia-cities",
                f"{note}; merged into {reg.istat[row.istat_code].name} ({row.istat_code}), whose name contains it",
            )
        if len(started) == 1:
            row = started[0]
            return MemberMatch(
                name,
                0,
                row.istat_code,
                "merged-into+date",
                0.7,
                "ontopia-cities",
                f"{note}; merged into {reg.istat[row.istat_code].name} ({row.istat_code}), "
                f"the only comune of the province that started that day",
            )
        return None

    def _region(self, province_code: str) -> str | None:
        p = self.reg.provinces.get(province_code)
        return p.region_code if p else None


def _resolve_members(
    reg: Registries, u: MinistryUnion, region: str | None, province: str | None, successors: _Successors
) -> list[MemberMatch]:
    out = []
    for m in reg.ministry_members(u, history=True):
        if m.istat_code:
            method, conf, kind = _MEMBER_METHODS.get(m.how, (m.how, 0.5, "istat-comuni"))
            note = m.note
            if m.how == "renamed":
                note = f"former name of {m.current_name} ({m.istat_code}) in OntoPiA" + (
                    f"; {m.note}" if m.note else ""
                )
            out.append(MemberMatch(m.name, m.line, m.istat_code, method, conf, kind, note))
            continue
        found = successors.find(m.name, region, province) if m.how == "not-current" else None
        if found is not None:
            found.line = m.line
            out.append(found)
        else:
            why = m.note or "no current comune of that name in the union's region, nor a former name in OntoPiA"
            out.append(MemberMatch(m.name, m.line, None, "unresolved", 0.0, "istat-comuni", why))
    return out


def _province(reg: Registries, u: MinistryUnion, members: list[MemberMatch]) -> tuple[str | None, str, float]:
    code = reg.ministry_province(u)
    if code is not None:
        return code, "register-name", 1.0
    provinces = Counter(reg.istat[m.istat_code].province_code for m in members if m.istat_code)
    if not provinces:
        return None, "none", 0.0
    (best, n), *_rest = sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))
    return best, "members-majority", round(n / sum(provinces.values()), 2)


# --------------------------------------------------------------------------------------------
# IPA matching


@dataclass
class _Pair:
    union: UnionMatch
    body: IpaBody
    similarity: float
    seat: str  # seat-member | seat-province | seat-region
    confidence: float

    @property
    def method(self) -> str:
        s = self.similarity
        name = (
            "exact-name"
            if s >= 1.0
            else "similar-name"
            if s >= SIMILAR
            else "partial-name"
            if s >= PARTIAL
            else "other-name"
        )
        return f"{name}+{self.seat}"

    @property
    def accepted(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE and (self.seat == "seat-member" or self.similarity >= SIMILAR)


def _match_ipa(reg: Registries, unions: list[UnionMatch]) -> None:
    bodies = reg.ipa_unions()
    by_seat: dict[str, list[IpaBody]] = defaultdict(list)
    by_region: dict[str, list[IpaBody]] = defaultdict(list)
    for b in bodies:
        seat = reg.istat.get(b.seat_istat or "")
        if seat is None or not IPA_CODE.matches(b.code):
            continue
        by_seat[seat.istat_code].append(b)
        by_region[seat.region_code].append(b)
    pairs: list[_Pair] = []
    for um in unions:
        members = {m.istat_code for m in um.members if m.istat_code}
        seen: set[str] = set()
        candidates = [b for code in sorted(members) for b in by_seat.get(code, ())]
        candidates += by_region.get(um.region_code or "", [])
        similarity = NameMatcher(um.register.name)
        best: _Pair | None = None
        for b in candidates:
            if b.code in seen:
                continue
            seen.add(b.code)
            seat = reg.istat[b.seat_istat]
            if b.seat_istat in members:
                where = "seat-member"
            elif seat.province_code == um.province_code:
                where = "seat-province"
            else:
                where = "seat-region"
            # a seat outside the members needs alike names: skip what cannot reach SIMILAR
            floor = 0.0 if where == "seat-member" else SIMILAR - 0.005
            s = round(similarity.to(b.name, floor), 2)
            if where != "seat-member" and s < SIMILAR:
                continue
            conf = round(min(1.0, 0.6 * s + SEAT_WEIGHT[where]), 2)
            pair = _Pair(um, b, s, where, conf)
            if pair.accepted:
                pairs.append(pair)
            if best is None or (conf, s) > (best.confidence, best.similarity):
                best = pair
        if best is not None:
            um.candidate = {
                "ipa_code": best.body.code,
                "name": best.body.name,
                "seat": best.body.seat_istat,
                "similarity": best.similarity,
                "method": best.method,
                "confidence": best.confidence,
            }
    pairs.sort(key=lambda p: (-p.confidence, -p.similarity, p.union.code, p.body.code))
    taken: set[str] = set()
    for p in pairs:
        if p.union.ipa is not None or p.body.code in taken:
            continue
        p.union.ipa, p.union.ipa_method = p.body, p.method
        p.union.ipa_confidence, p.union.ipa_similarity = p.confidence, p.similarity
        taken.add(p.body.code)
    for um in unions:
        if um.ipa is not None:
            um.candidate = None


# --------------------------------------------------------------------------------------------
# Records


def _dec(x: float) -> Decimal:
    """A confidence as the record loader normalises numbers (a Decimal of two decimals at most)."""
    return Decimal(repr(round(float(x), 2)))


def _source_items(reg: Registries) -> tuple[list[dict], dict[str, dict]]:
    items, info = [], {}
    for kind in NATIONAL_KINDS:
        p = reg.sources.provenance(kind)
        item = source_entry(p, kind, reg.sources.path, name=p.title or kind, location=p.source)
        items.append(item)
        info[kind] = dict(item, downloaded=p.downloaded, official_url=p.official_url, size=p.size)
    return items, info


def _member_dict(reg: Registries, code: str, rows: list[MemberMatch], ref: str | None) -> dict:
    c = reg.istat[code]
    m: dict = {"name": c.name, "istat_code": code, "cadastral_code": c.cadastral_code}
    body = reg.ipa.comune(code)
    if body is not None and IPA_CODE.matches(body.code):
        m["ipa_code"] = body.code
    cities = reg.current_cities.get(code, [])
    if len(cities) == 1:
        m["ontopia_city"] = cities[0].id_comune
        m["city_valid_from"] = cities[0].valid_from.isoformat()
    m["province_code"] = c.province_code
    m["region_code"] = c.region_code
    pop = reg.population.get(code)
    if pop is not None and pop.population and ref:
        m["population"] = {"value": pop.population, "reference_date": ref, "source_kind": POPULATION_KIND}
    m["derived_from"] = ["istat-comuni", "ontopia-cities"]
    best = min(rows, key=lambda r: (-r.confidence, r.line))
    m["match"] = {
        "source": best.source,
        "method": best.method if len(rows) == 1 else f"{best.method} ({len(rows)} register rows)",
        "confidence": _dec(min(r.confidence for r in rows)),
        "registry_value": "; ".join(r.name for r in rows),
    }
    return m


def _national_record(reg: Registries, um: UnionMatch, sources: list[dict], ref: str | None) -> tuple[dict, list[dict]]:
    u = um.register
    region = reg.regions.get(um.region_code or "")
    province = reg.provinces.get(um.province_code or "")
    union: dict = {}
    if um.ipa is not None:
        union["ipa_code"] = um.ipa.code
    else:
        union["iri_key"] = um.key
    union["ministry_code"] = u.code
    union["name"] = _union_name(u.name, um.ipa)
    union["region"] = {"code": region.code, "name": region.name} if region else None
    union["province"] = (
        ({"code": province.code, "name": province.name} | ({"acronym": province.acronym} if province.acronym else {}))
        if province
        else None
    )
    if u.founding_date is not None:
        union["founded"] = u.founding_date.isoformat()
    site = website_url(um.ipa.website) if um.ipa is not None else None
    unresolved = []
    if site and _WEBSITE.fullmatch(site):
        union["website"] = site
    elif site:
        unresolved.append(
            {
                "field": "union.website",
                "text": um.ipa.website,
                "reason": "IPA's website of the union is not an http(s) URL with a host name",
            }
        )
    matches = [
        {
            "field": "union",
            "source": "ministry-unions",
            "method": "register-row",
            "confidence": _dec(1.0),
            "registry_value": f"{u.code} {u.name} (line {u.line})",
        }
    ]
    if um.ipa is not None:
        matches.append(
            {
                "field": "union.ipa_code",
                "source": "ipa-enti",
                "method": um.ipa_method,
                "confidence": _dec(um.ipa_confidence),
                "registry_value": f"{um.ipa.code} {um.ipa.name} (seat {um.ipa.seat_istat})",
            }
        )
    if um.province_method != "register-name":
        matches.append(
            {
                "field": "union.province",
                "source": "istat-comuni",
                "method": um.province_method,
                "confidence": _dec(um.province_confidence),
                "registry_value": u.province,
            }
        )
    by_code: dict[str, list[MemberMatch]] = {}
    for mm in um.members:
        if mm.istat_code:
            by_code.setdefault(mm.istat_code, []).append(mm)
        else:
            unresolved.append({"field": "members", "text": mm.name, "reason": mm.note})
    members = [_member_dict(reg, code, rows, ref) for code, rows in by_code.items()]
    kept_sources = [s for s in sources if s["kind"] != "ipa-enti" or um.ipa is not None]
    data: dict = {
        "record_format": 1,
        "provenance": {
            "importer": f"lod-unioni {__version__} build --national",
            "sources": kept_sources,
            "matches": matches,
            "edits": [],
        },
        "union": union,
        "members": members,
    }
    if members and all("population" in m for m in members):
        data["population"] = {
            "value": sum(m["population"]["value"] for m in members),
            "reference_date": ref,
            "source": f"Somma della popolazione residente ISTAT al {ref} dei comuni membri",
            "source_kind": POPULATION_KIND,
        }
    data["number_of_comuni"] = u.declared_comuni if u.declared_comuni else len(u.members)
    data["number_of_comuni_source"] = "ministry-unions"
    if unresolved:
        data["unresolved"] = unresolved
    return data, unresolved


# --------------------------------------------------------------------------------------------
# The whole matching


def build_national_records(
    sources: Registries | SourcesDir | str | Path,
    bundled_records: Sequence[Record] | str | Path | None = (),
    *,
    reconciliation: Reconciliation | None = None,
    check_records: bool = True,
    timings: dict | None = None,
) -> NationalResult:
    """Every union of the Ministry register as a record (module docstring: how), the bundled
    records taking precedence for their unions.

    ``sources``: a :class:`~lod_unioni.registries.Registries` already read (each registry file is
    then read once for the whole pipeline), a :class:`~lod_unioni.sources.fetch.SourcesDir` or a
    folder. ``bundled_records``: loaded records or a records folder (``None`` or empty: none).
    ``reconciliation``: the reconciliation of the bundled records, when already made.
    ``check_records``: check every national record with :func:`lod_unioni.records.validate_record`
    (a :class:`~lod_unioni.errors.RecordError` for the first bad one); :func:`national_pipeline`
    passes False and checks them in a background process while it maps and validates the graph
    (:class:`RecordCheck`). The records are already in the normalised form the loader gives.
    """
    clock = _Clock(timings)
    reg = sources if isinstance(sources, Registries) else load_registries(sources)
    if isinstance(bundled_records, (str, Path)):
        bundled_records = load_records(bundled_records)
    bundled = list(bundled_records or [])
    if bundled and reconciliation is None:
        reconciliation = reconcile(bundled, reg)
        clock.lap("reconcile")
    ref = reg.population_date.isoformat() if reg.population_date else None

    successors = _Successors(reg)
    unions: list[UnionMatch] = []
    for u in reg.ministry:
        region = reg.ministry_region(u)
        province = reg.ministry_province(u)
        members = _resolve_members(reg, u, region, province, successors)
        if region is None:
            regions = Counter(reg.istat[m.istat_code].region_code for m in members if m.istat_code)
            region = regions.most_common(1)[0][0] if regions else None
        pcode, pmethod, pconf = _province(reg, u, members)
        unions.append(UnionMatch(u, region, pcode, pmethod, pconf, members))
    clock.lap("resolve members")
    _match_ipa(reg, unions)
    clock.lap("match IPA")

    # --- bundled records take precedence
    by_code = {um.code: um for um in unions}
    bundled_info = []
    replaced: dict[str, Record] = {}
    reports = {str(r.record_file): r for r in (reconciliation.unions if reconciliation else [])}
    for rec in bundled:
        code = str(rec.data["union"].get("ipa_code", "")).lower()
        report = reports.get(str(rec.path))
        um, how = None, None
        if report is not None and report.ministry_code in by_code:
            um, how = by_code[report.ministry_code], f"register row found by reconciliation ({report.ministry_match})"
        else:
            um = next((x for x in unions if x.ipa is not None and x.ipa.code == code), None)
            how = "same IPA code" if um is not None else None
        if um is not None and um.code not in replaced:
            um.bundled, um.bundled_how = rec, how
            replaced[um.code] = rec
        bundled_info.append(
            {
                "file": str(rec.path),
                "ipa_code": code,
                "name": rec.data["union"]["name"],
                "replaces": um.code if um is not None else None,
                "register_name": um.register.name if um is not None else None,
                "how": how,
            }
        )
    bundled_codes = {str(r.data["union"].get("ipa_code", "")).lower() for r in bundled}
    for um in unions:  # an IPA code used by a bundled record belongs to that record's union
        if um.bundled is None and um.ipa is not None and um.ipa.code in bundled_codes:
            um.ipa = um.ipa_method = um.ipa_confidence = um.ipa_similarity = None

    # --- records
    source_items, source_info = _source_items(reg)
    records: list[Record] = []
    unresolved_members: list[dict] = []
    unresolved_values: list[dict] = []
    excluded: list[dict] = []
    for um in unions:
        if um.bundled is not None:
            continue
        data, unresolved = _national_record(reg, um, source_items, ref)
        for x in unresolved:
            item = {
                "union": um.key,
                "ministry_code": um.code,
                "union_name": um.register.name,
                "name": x["text"],
                "reason": x["reason"],
            }
            (unresolved_members if x["field"] == "members" else unresolved_values).append(dict(item, field=x["field"]))
        if not data["members"]:
            excluded.append(
                {
                    "ministry_code": um.code,
                    "name": um.register.name,
                    "reason": "no member of the register could be resolved to a current comune",
                }
            )
            continue
        label = um.key
        if check_records:
            data = validate_record(data, file=_record_file(label), record=label)
        records.append(Record(Path(f"{label}.yaml"), data))
    national_ids = {id(r) for r in records}
    records.extend(_same_registry_files(rec, source_items) for rec in bundled)
    clock.lap("make records")

    expected = _expected_disagreements(records, national_ids)
    # --- statistics
    n_unions = len(unions)
    with_ipa = sum(1 for um in unions if um.ipa is not None or (um.bundled is not None and _bundled_in_ipa(reg, um)))
    rows = [m for um in unions for m in um.members]
    resolved = [m for m in rows if m.istat_code]
    stats = {
        "unions": n_unions,
        "records": len(records),
        "bundled_replacing": len(replaced),
        "bundled_extra": len(bundled) - len(replaced),
        "unions_with_ipa": with_ipa,
        "union_match_rate": with_ipa / n_unions if n_unions else 0.0,
        "ipa_methods": dict(Counter(um.ipa_method for um in unions if um.ipa is not None and um.bundled is None)),
        "member_rows": len(rows),
        "members_resolved": len(resolved),
        "member_resolution_rate": len(resolved) / len(rows) if rows else 0.0,
        "member_methods": dict(Counter(m.method for m in rows)),
        "comuni": len({m["istat_code"] for r in records for m in r.data["members"]}),
        "members_without_population": sum(1 for r in records for m in r.data["members"] if "population" not in m),
    }
    unmatched = [
        {
            "ministry_code": um.code,
            "name": um.register.name,
            "region": um.register.region,
            "province": um.register.province,
            "iri_key": um.key,
            "best_candidate": um.candidate,
        }
        for um in unions
        if um.ipa is None and um.bundled is None
    ]
    matched_codes = {um.ipa.code for um in unions if um.ipa is not None} | bundled_codes
    ipa_left = [
        {"ipa_code": b.code, "name": b.name, "seat": b.seat_istat}
        for b in reg.ipa_unions()
        if b.code not in matched_codes
    ]
    dates = [v["date"][:10] for v in source_info.values()]
    edits = [
        d
        for r in bundled
        for d in [(r.data.get("provenance") or {}).get("imported_on")]
        + [e.get("date") for e in (r.data.get("provenance") or {}).get("edits") or []]
        if d
    ]
    clock.lap("statistics")
    return NationalResult(
        records=records,
        unions=unions,
        stats=stats,
        unmatched_unions=unmatched,
        unresolved_members=unresolved_members,
        unresolved_values=unresolved_values,
        ipa_not_in_register=ipa_left,
        excluded=excluded,
        expected=expected,
        bundled=bundled_info,
        reconciliation={
            "counts": reconciliation.counts if reconciliation else {},
            "unions": [u.to_dict() for u in reconciliation.unions] if reconciliation else [],
        },
        sources=source_info,
        data_date=max(dates + [str(d) for d in edits]) if dates or edits else None,
    )


def _same_registry_files(rec: Record, sources: list[dict]) -> Record:
    """A bundled record whose ``provenance.sources`` lists a registry file the national records are
    made from (same kind, same SHA-256) describes it as the national records do, so that
    the dump has one description of ``{base}source/{kind}`` (one location, title, date). A file of
    another checksum (the record was made from another version) is left as the record says."""
    national = {s["kind"]: s for s in sources}
    prov = rec.data.get("provenance") or {}
    listed = prov.get("sources") or []
    same = [
        national[s["kind"]] if s.get("kind") in national and s.get("sha256") == national[s["kind"]]["sha256"] else s
        for s in listed
    ]
    if same == listed:
        return rec
    return Record(rec.path, {**rec.data, "provenance": {**prov, "sources": same}})


def _record_file(label: str) -> str:
    return f"<national record {label}>"


class RecordCheck:
    """:func:`lod_unioni.records.validate_record` of every national record, in a forked process
    when the platform can fork (the parent maps and validates the graph meanwhile: the national
    pipeline has two cores to use), else at once. :meth:`wait` raises the first
    :class:`~lod_unioni.errors.RecordError`."""

    #: Seconds to wait for the forked check before doing it here instead.
    TIMEOUT = 300.0

    def __init__(self, records: Sequence[Record]):
        items = [(r.path.stem, r.data) for r in records]
        self._items = items
        self._error: dict | None = None
        self._process = None
        try:
            ctx = multiprocessing.get_context("fork")
        except ValueError:
            ctx = None
        if ctx is not None and len(items) > 50:
            try:
                sys.stdout.flush()  # the child must not write the parent's buffered output again
                sys.stderr.flush()
                self._conn, child = ctx.Pipe(duplex=False)
                self._process = ctx.Process(target=_check_in_child, args=(items, child), daemon=True)
                self._process.start()
                child.close()
                return
            except OSError:
                self._process = None
        self._error = _first_record_error(items)

    def wait(self) -> None:
        if self._process is not None:
            try:
                if self._conn.poll(self.TIMEOUT):
                    self._error = self._conn.recv()
                else:  # the child is stuck: check here
                    self._process.terminate()
                    self._error = _first_record_error(self._items)
            except EOFError:  # the child died: check here
                self._error = _first_record_error(self._items)
            finally:
                self._process.join()
                self._conn.close()
                self._process = None
        if self._error is not None:
            raise RecordError(**self._error)


def _first_record_error(items) -> dict | None:
    for label, data in items:
        try:
            validate_record(data, file=_record_file(label), record=label)
        except RecordError as exc:
            return {"message": exc.message, "file": exc.file, "record": exc.record, "field": exc.field}
    return None


def _check_in_child(items, conn) -> None:  # pragma: no cover - runs in the forked process
    try:
        conn.send(_first_record_error(items))
    finally:
        conn.close()


def _bundled_in_ipa(reg: Registries, um: UnionMatch) -> bool:
    code = str(um.bundled.data["union"].get("ipa_code", ""))
    body = reg.ipa.get(code)
    return body is not None and body.is_union


def _expected_disagreements(records: list[Record], national: set[int]) -> list[Disagreement]:
    """The violations the records themselves show to come from source disagreements: those of the
    national records (``national``: their ids) made from the registries, and the figure conflicts
    between a bundled record's card and ISTAT. A bundled record's own violations are not expected:
    they fail the build, as they fail ``lod-unioni build``."""
    out: list[Disagreement] = []

    def add(rec: Record, rule: str, detail: str) -> None:
        out.append(Disagreement(rec.key, rec.data["union"]["name"], rule, detail))

    values: dict[tuple[str, str], set] = defaultdict(set)
    for rec in records:
        for m in rec.data["members"]:
            pop = m.get("population")
            if pop and pop.get("reference_date"):
                values[(m["istat_code"], pop["reference_date"])].add(pop["value"])
    conflicts = {code: sorted(v) for (code, _d), v in values.items() if len(v) > 1}
    for rec in records:
        d = rec.data
        members = d["members"]
        for m in members:
            if m["istat_code"] in conflicts:
                detail = f"{m['name']} ({m['istat_code']}): populations {conflicts[m['istat_code']]}"
                for rule in ("figure-conflict", "union-total-population", "union-density"):
                    add(rec, rule, detail)
        if id(rec) not in national:
            continue
        if not d["union"].get("ipa_code"):
            add(rec, "union-ipa-code-count", "not in IPA (no L18 body matched)")
        declared = d.get("number_of_comuni")
        if declared is not None and declared != len(members):
            add(rec, "union-number-of-comuni", f"the register declares {declared} comuni, {len(members)} resolved")
        if len(members) < 2:
            rows = sum(len(m["match"]["registry_value"].split("; ")) for m in members)
            add(rec, "union-members", f"{len(members)} member comune(s) resolved from {rows} register row(s)")
        region = d["union"]["region"]["code"]
        for m in members:
            if m.get("region_code") and m["region_code"] != region:
                add(
                    rec,
                    "member-region",
                    f"{m['name']} ({m['istat_code']}) is in region {m['region_code']}, the union in {region}",
                )
            if "population" not in m:
                add(rec, "member-population", f"{m['name']} ({m['istat_code']}) has no ISTAT population")
            if "ontopia_city" not in m:
                add(rec, "member-city-count", f"{m['name']} ({m['istat_code']}) has no single current OntoPiA city")
    return sorted(set(out), key=lambda x: (x.union_key, x.rule, x.detail))


# --------------------------------------------------------------------------------------------
# Validation policy, report, pipeline


def accept_policy(result: NationalResult, base_iri: str) -> Callable:
    """The SHACL policy of the national build: a result is accepted when it is one of the expected
    source disagreements (union IRI and rule in :attr:`NationalResult.expected`)."""
    keys = result.expected_keys(base_iri)

    def accept(r) -> bool:
        return r.severity != "Violation" or (r.union, r.rule) in keys

    return accept


class _Clock:
    def __init__(self, timings: dict | None):
        self.timings = timings if timings is not None else {}
        self.t = time.perf_counter()

    def lap(self, label: str) -> float:
        now = time.perf_counter()
        took = now - self.t
        self.timings[label] = self.timings.get(label, 0.0) + took
        self.t = now
        return took


def _report(result: NationalResult, base_iri: str, accepted: list, refused: list, triples: int) -> dict:
    return {
        "report_format": 1,
        "generator": f"lod-unioni {__version__} build --national",
        "base_iri": base_iri,
        "data_date": result.data_date,
        "sources": {
            k: {x: v[x] for x in ("name", "file", "location", "url", "date", "sha256", "downloaded") if x in v}
            for k, v in result.sources.items()
        },
        "stats": dict(result.stats, triples=triples),
        "bundled_records": result.bundled,
        "reconciliation_counts": result.reconciliation.get("counts", {}),
        "unmatched_unions": result.unmatched_unions,
        "unresolved_members": result.unresolved_members,
        "unresolved_values": result.unresolved_values,
        "excluded_unions": result.excluded,
        "ipa_unions_not_in_register": result.ipa_not_in_register,
        "source_disagreements": {
            "policy": {rule: why for rule, why in sorted(ACCEPTED_RULES.items())},
            "expected": [d.to_dict() for d in result.expected],
            "violations": [_result_dict(r) for r in accepted],
        },
        "refused_violations": [_result_dict(r) for r in refused],
    }


def _result_dict(r) -> dict:
    return {
        "union": r.union,
        "union_name": r.union_name,
        "rule": r.rule,
        "severity": r.severity,
        "focus": str(r.focus.value if hasattr(r.focus, "value") else r.focus),
        "value": None if r.value is None else str(r.value.value if hasattr(r.value, "value") else r.value),
        "message_en": r.message_en,
    }


def _report_text(rep: dict) -> str:
    s = rep["stats"]
    lines = [f"lod-unioni national build ({rep['generator']}), data of {rep['data_date']}", ""]
    lines.append("Sources:")
    for kind, src in rep["sources"].items():
        lines.append(f"  {kind}: {src.get('location')} ({src.get('date')}, sha256 {src.get('sha256', '')[:16]}...)")
    lines += [
        "",
        "Match rates:",
        f"  unions with an IPA code: {s['unions_with_ipa']} of {s['unions']} ({s['union_match_rate']:.1%})",
        f"  member rows resolved to a current comune: {s['members_resolved']} of {s['member_rows']} "
        f"({s['member_resolution_rate']:.1%})",
        f"  records: {s['records']}, comuni: {s['comuni']}, triples: {s['triples']}",
        "",
    ]
    lines.append(
        f"Bundled records ({len(rep['bundled_records'])}); reconciliation: "
        + ", ".join(f"{n} {k}(s)" for k, n in rep["reconciliation_counts"].items())
    )
    for b in rep["bundled_records"]:
        lines.append(
            f"  {b['ipa_code']} {b['name']}: replaces {b['replaces'] or 'no register union'}"
            + (f" ({b['register_name']}; {b['how']})" if b["replaces"] else "")
        )
    lines += [
        "",
        f"Unions IPA does not know ({len(rep['unmatched_unions'])}): published as {{base}}union/dait-{{code}}",
    ]
    for u in rep["unmatched_unions"]:
        c = u["best_candidate"]
        cand = (
            f"; best candidate {c['ipa_code']} {c['name']!r} ({c['method']}, confidence {c['confidence']})" if c else ""
        )
        lines.append(f"  {u['ministry_code']} {u['name']} ({u['province']}, {u['region']}){cand}")
    lines += ["", f"Register member rows not resolved ({len(rep['unresolved_members'])}):"]
    lines += [
        f"  {m['ministry_code']} {m['union_name']}: {m['name']}: {m['reason']}" for m in rep["unresolved_members"]
    ]
    if rep["unresolved_values"]:
        lines += ["", f"Registry values not published ({len(rep['unresolved_values'])}):"]
        lines += [
            f"  {m['ministry_code']} {m['union_name']}: {m['field']} {m['name']!r}: {m['reason']}"
            for m in rep["unresolved_values"]
        ]
    if rep["excluded_unions"]:
        lines += ["", f"Register unions not published ({len(rep['excluded_unions'])}):"]
        lines += [f"  {u['ministry_code']} {u['name']}: {u['reason']}" for u in rep["excluded_unions"]]
    lines += [
        "",
        f"IPA unions (L18) matched to no register union ({len(rep['ipa_unions_not_in_register'])}): "
        "see national-report.json",
        "",
    ]
    sd = rep["source_disagreements"]
    lines.append(f"SHACL violations accepted as disagreements between the sources ({len(sd['violations'])}):")
    for rule, why in sd["policy"].items():
        n = sum(1 for v in sd["violations"] if v["rule"] == rule)
        if n:
            lines.append(f"  {rule} ({n}): {why}")
    for v in sd["violations"]:
        lines.append(f"    {v['union_name']} <{v['union']}>: {v['rule']}: {v['message_en']}")
    if rep["refused_violations"]:
        lines += ["", f"REFUSED violations ({len(rep['refused_violations'])}):"]
        lines += [
            f"  {v['union_name']} <{v['union']}>: {v['rule']}: {v['message_en']}" for v in rep["refused_violations"]
        ]
    return "\n".join(lines) + "\n"


def national_pipeline(
    sources: Registries | SourcesDir | str | Path,
    out_dir: str | Path = DEFAULT_OUT,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    bundled_records: Sequence[Record] | str | Path | None = None,
    validate: bool = True,
    write: bool = True,
    mappings_dir: str | Path | None = None,
    shapes_dir: str | Path | None = None,
) -> tuple[NationalResult, dict[str, float]]:
    """The whole national build: read, reconcile, match, map, validate, write. Returns the result
    and the seconds of each step (``read``, ``reconcile``, ``match``, ``map``, ``validate``,
    ``turtle``, ``jsonld``, ``ntriples``, ``catalog``, ``write``, ``total``).

    ``bundled_records``: records or a folder (default: the bundled records of the package).
    ``validate=False`` skips SHACL; ``write=False`` writes nothing (for benchmarks). Raises
    :class:`~lod_unioni.errors.NotConformingError` (nothing written) when a violation is not an
    expected source disagreement.
    """
    from .build import DUMP_FILES, shacl_check
    from .graph import no_gc, sort_triples
    from .mapping import load_mapping
    from .serialize import context_bytes, to_jsonld, to_ntriples, to_turtle, write_files

    check_base_iri(base_iri)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    clock = _Clock(timings)
    with progress.Step("reading the registries and the bundled records"):
        reg = sources if isinstance(sources, Registries) else load_registries(sources)
        if bundled_records is None:
            from .resources import resource_dir

            bundled_records = resource_dir("records")
        bundled = load_records(bundled_records) if isinstance(bundled_records, (str, Path)) else list(bundled_records)
        clock.lap("read")
    with progress.Step(f"reconciling {len(bundled)} bundled record(s) with the registries"):
        reconciliation = reconcile(bundled, reg) if bundled else None
        clock.lap("reconcile")
        if reconciliation is not None:
            progress.info(
                "  "
                + ", ".join(f"{n} {k}(s)" for k, n in reconciliation.counts.items())
                + " (details: lod-unioni reconcile)"
            )
    with progress.Step("matching the register with IPA, ISTAT and OntoPiA"):
        sub: dict[str, float] = {}
        result = build_national_records(reg, bundled, reconciliation=reconciliation, check_records=False, timings=sub)
        own = {id(r) for r in bundled}
        record_check = RecordCheck([r for r in result.records if id(r) not in own])  # in the background
        clock.lap("match")
        timings.update({f"match: {k}": v for k, v in sub.items()})
    for line in result.summary_lines():
        progress.info("  " + line)
    with progress.Step("mapping the records to RDF"):
        mapping = load_mapping(mappings_dir)
        with no_gc():
            raw = []
            for record in result.records:
                raw.extend(mapping.triples(record, base_iri))
            triples = sort_triples(raw)
        del raw
        clock.lap("map")
    accepted: list = []
    refused: list = []
    try:
        if validate:
            with progress.Step(f"validating {len(triples)} triples with the SHACL shapes"):
                policy = accept_policy(result, base_iri)
                reports = []
                check = shacl_check(accept=policy, on_report=reports.append, shapes_dir=shapes_dir)
                try:
                    check(triples)
                finally:
                    clock.lap("validate")
                    if reports:
                        violations = [r for r in reports[0].results if r.severity == "Violation"]
                        accepted = [r for r in violations if policy(r)]
                        refused = [r for r in violations if not policy(r)]
                        progress.info(
                            f"  {len(accepted)} violation(s) where the sources disagree (accepted, "
                            f"listed in national-report.txt); {len(refused)} other violation(s); "
                            f"{reports[0].count('Warning')} warning(s), {reports[0].count('Info')} info(s)"
                        )
    finally:
        with progress.Step(
            f"checking the {len(result.records) - len(bundled)} national records with the record schema"
        ):
            record_check.wait()  # a RecordError (exit code 2) when a record is not in the record format
            clock.lap("check records")
    files: dict[str, bytes] = {}
    with progress.Step("serialising Turtle, JSON-LD, N-Triples and the DCAT-AP_IT catalog"):
        with no_gc():
            files["unioni.ttl"] = to_turtle(triples, mapping.prefixes)
            clock.lap("turtle")
            files["unioni.jsonld"] = to_jsonld(triples, mapping.prefixes)
            clock.lap("jsonld")
            files["unioni.nt"] = to_ntriples(triples)
            clock.lap("ntriples")
        files["context.jsonld"] = context_bytes(mapping.prefixes)
        if result.data_date:
            import hashlib

            from .dcat import Distribution, catalog_triples, catalog_turtle, format_for_file

            dists = [
                Distribution(n, format_for_file(n), len(files[n]), hashlib.sha256(files[n]).hexdigest())
                for n in DUMP_FILES
            ]
            files["catalog.ttl"] = catalog_turtle(catalog_triples(base_iri, dists, modified=result.data_date))
        clock.lap("catalog")
    out = Path(out_dir)
    rep = _report(result, base_iri, accepted, refused, len(triples))
    files["national-report.json"] = (json.dumps(rep, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    files["national-report.txt"] = _report_text(rep).encode("utf-8")
    result.stats["triples"] = len(triples)
    if write:
        with progress.Step(f"writing {len(files)} files to {out}"):
            write_files(out, files)
            clock.lap("write")
    timings["total"] = time.perf_counter() - start
    return result, timings


def print_unmatched(result: NationalResult, limit: int | None = None) -> None:
    """List on stderr what could not be matched: unions without an IPA code, unresolved members."""
    progress.warn(
        f"{len(result.unmatched_unions)} union(s) of the register have no IPA code "
        "(published as {base}union/dait-{code}):"
    )
    for u in result.unmatched_unions[:limit]:
        c = u["best_candidate"]
        progress.info(
            f"    {u['ministry_code']} {u['name']} ({u['province']})"
            + (f"; best candidate {c['ipa_code']} {c['name']!r} ({c['method']}, {c['confidence']})" if c else "")
        )
    if limit is not None and len(result.unmatched_unions) > limit:
        progress.info(f"    ... {len(result.unmatched_unions) - limit} more in national-report.txt")
    progress.warn(f"{len(result.unresolved_members)} register member row(s) name no current comune:")
    for m in result.unresolved_members:
        progress.info(f"    {m['ministry_code']} {m['union_name']}: {m['name']} ({m['reason']})")
    for u in result.excluded:
        progress.warn(f"register union {u['ministry_code']} {u['name']} not published: {u['reason']}")
