"""Reconcile union records with the official registries: list every disagreement, never rewrite.

Each record (``records/*.yaml``) is checked against the registry files of a ``--sources`` folder (or
the download cache), each read once: IPA (``ipa-enti``), the ISTAT list of comuni
(``istat-comuni``), ISTAT resident population (``istat-population``, e.g. at 2022-01-01), OntoPiA
cities / provinces / regions and the Ministry of the Interior register of unions
(``ministry-unions``)::

    from lod_unioni.reconcile import reconcile
    from lod_unioni.registries import load_registries
    result = reconcile(load_records("records"), "/path/to/sources")   # or a SourcesDir / Registries
    for f in result.findings:
        print(f.severity, f.union, f.field, f.record_value, f.registry_value, f.message_en)
    result.exit_code        # 0 when only info findings, 1 when a warning or an error

Every :class:`Finding` names the record (union IPA code, file), the record field as a path
(``members[2].population.value``), the check id, the severity, the value on each side, the registry
and its file's provenance (URL or local path, date, SHA-256) with the line of the registry row, and
a message in English and Italian. :func:`findings_as_validation_results` turns them into SHACL-like
results (focus node, path, ``sh:Violation`` / ``sh:Warning`` / ``sh:Info``) for ``lod-unioni
validate --sources DIR``.

Severity rules
--------------

``error``: the record contradicts a registry on a fact the registry is the authority for, at the
same date. ``warning``: a disagreement that time or wording may explain (names, websites, a 2020
register, figures of another date). ``info``: nothing is wrong, but the registry adds something the
steward may want (a full date, a rename, a missing website).

============================== ======== ==============================================================
check                          severity when
============================== ======== ==============================================================
ipa-code-unknown               error    the union's IPA code is not in IPA
ipa-code-other-body            error    the code is in IPA but belongs to another body: not an L18
                                        union, or a name unlike the record's (similarity < 0.6), or a
                                        seat outside the members and a name not close (< 0.85)
ipa-code-likely                info     (after one of the two above) the L18 body that most likely is
                                        the record's union: name similarity, seat among the members,
                                        province / region of the seat, with the evidence
ipa-name                       warning  the code fits but IPA's name is worded differently (info when
                                        only the generic words differ: unione, comuni, articles...)
ipa-seat-not-member            warning  the code fits but IPA's seat comune is not a member
ipa-seat-province              warning  IPA's seat is in another province than the record's union
union-province / union-region  error    the record's province / region code is not OntoPiA's, or its
                                        name disagrees with OntoPiA's
website-mismatch               warning  the website differs from IPA's (compared without scheme,
                                        ``www.``, case, trailing slash)
website-form                   info     same site, written differently from IPA
website-not-in-ipa             info     IPA has no website for the union
website-missing                info     IPA has a website, the record has none
website-other-body             error    the website is the IPA website of another body
website-other-union            error    the website's domain is the name of another L18 union (and not
                                        of the record's union)
member-istat-code              error    the member's ISTAT code is not in ISTAT's current list
member-name-other-code         error    the member's name is the name of another ISTAT code
member-renamed                 warning  the member's name is a former name of its ISTAT code
member-name                    error    the name is not ISTAT's for that code (nor a former name)
member-province / -region      error    province / region code differs from ISTAT's
member-cadastral-code          error    cadastral code differs from ISTAT's
member-ontopia-city            error    OntoPiA city (ID_COMUNE / start date) is not the current row
member-ipa-code                warning  the comune's IPA code differs from IPA's comune (L6) seated there
member-population              error    population differs from ISTAT at the same reference date
member-population-date         warning  the figure is of another date than the ISTAT file: not compared
member-population-missing      warning  ISTAT has no figure for the comune at that date
union-population               error    the union's total differs from the sum of ISTAT's figures
union-population-date          warning  the union's total is of another date than the ISTAT file
ministry-not-found             warning  the union is not in the Ministry register (info when the
                                        record says it was founded after the register's year)
ministry-name                  warning  the register names the union differently (info when only the
                                        generic words differ)
ministry-member-missing        warning  a member is not listed by the register
ministry-member-extra          warning  the register lists a comune that is not a member
ministry-member-unresolved     warning  a register member name matches no comune, or one that no
                                        longer exists (merged / abolished)
ministry-member-renamed        info     the register writes a member's former name
ministry-founding-date         error    founding year (or full date) differs from the register's date
ministry-founding-detail       info     same year; the register gives the full date (or the record
                                        has no founding date at all)
ministry-number-of-comuni      warning  number of comuni differs from the register's
ministry-register-issue        info     the register disagrees with itself for this union
ministry-population            info     the register's population (of another date) differs; a
                                        warning when the difference exceeds 20 %
============================== ======== ==============================================================
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .config import DEFAULT_BASE_IRI
from .errors import EXIT_FINDINGS, EXIT_OK
from .gazetteer import ResolveError
from .records import Record, load_records
from .registries import Registries, SourceRef, load_registries
from .sources.fetch import SourcesDir
from .sources.ipa import IpaBody
from .sources.istat import (
    IstatComune,
)
from .sources.kinds import KINDS
from .sources.kinds import REGISTRY_KINDS as REGISTRY_KIND_ORDER
from .sources.ministero import MinistryUnion
from .text import core_name, name_keys, name_similarity, normalize_name, website_key, website_url
from .vocab import COV, IND, L0, LU, MU, ORG, SH, SM, TI

__all__ = [
    "REGISTRY_KINDS",
    "SEVERITIES",
    "Finding",
    "Reconciliation",
    "Registries",
    "SourceRef",
    "UnionReport",
    "ValidationFinding",
    "findings_as_validation_results",
    "load_registries",
    "reconcile",
    "reconcile_record",
]

SEVERITIES = ("error", "warning", "info")

# kind -> short registry name used in findings
REGISTRY_KINDS = {k: KINDS[k].label for k in REGISTRY_KIND_ORDER}

# Thresholds of the name comparisons (see name_similarity).
SIMILAR_NAME = 0.85  # the same union, worded differently
UNLIKE_NAME = 0.6  # below: another body
MINISTRY_POPULATION_WARNING = 0.20  # relative difference of the register's population


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class Finding:
    """One disagreement (or remark) between a record and a registry."""

    union: str  # the record's IPA code, lower case ("udcmd")
    union_name: str
    record_file: str
    field: str  # record field as a path: "members[0].population.value"
    check: str  # check id, see the table in the module docstring
    severity: str  # "error" | "warning" | "info"
    record_value: Any
    registry_value: Any
    registry: str | None  # "IPA", "ISTAT comuni", ... (None for checks that name no registry)
    source: SourceRef | None
    registry_line: int | None  # line of the registry row, when there is one
    message_en: str
    message_it: str
    member: str | None = None  # ISTAT code (as in the record) of the member the finding is about
    details: dict = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        return {
            "union": self.union,
            "union_name": self.union_name,
            "record_file": self.record_file,
            "field": self.field,
            "check": self.check,
            "severity": self.severity,
            "record_value": _jsonable(self.record_value),
            "registry_value": _jsonable(self.registry_value),
            "registry": self.registry,
            "registry_line": self.registry_line,
            "source": self.source.to_dict() if self.source else None,
            "member": self.member,
            "message_en": self.message_en,
            "message_it": self.message_it,
            "details": {k: _jsonable(v) for k, v in self.details.items()},
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass
class UnionReport:
    """What reconciliation learnt about one record's union."""

    ipa_code: str
    name: str
    record_file: str
    ipa_body: str | None = None  # the IPA code the union has in IPA (the record's, or the likely one)
    ipa_match: str | None = None  # "record code" | "likely" | None
    ministry_code: str | None = None  # CODICE UNIONE in the Ministry register
    ministry_match: str | None = None  # how the register row was found

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reconciliation:
    """The findings of a run, grouped by union in record order."""

    findings: list[Finding]
    unions: list[UnionReport]
    sources: dict[str, SourceRef]
    sources_dir: str

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    @property
    def agrees(self) -> bool:
        """No warning and no error (info findings do not count)."""
        return not any(f.severity in ("error", "warning") for f in self.findings)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.agrees else EXIT_FINDINGS

    def for_union(self, ipa_code: str) -> list[Finding]:
        code = ipa_code.lower()
        return [f for f in self.findings if f.union == code]

    def by_union(self) -> list[tuple[UnionReport, list[Finding]]]:
        return [
            (u, [f for f in self.findings if f.union == u.ipa_code and f.record_file == u.record_file])
            for u in self.unions
        ]

    def to_dict(self) -> dict:
        return {
            "sources_dir": self.sources_dir,
            "sources": {k: v.to_dict() for k, v in self.sources.items()},
            "unions": [u.to_dict() for u in self.unions],
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
        }


# --------------------------------------------------------------------------------------------
# Name and website comparison


def _domain_label(url: str | None) -> str | None:
    """The part of a website's host that names its owner: ``www.unionemiracoli.it`` -> ``unionemiracoli``."""
    key = website_key(url)
    if not key:
        return None
    host = key.split("/", 1)[0].split(":", 1)[0]
    labels = host.split(".")
    if len(labels) >= 2:
        labels = labels[:-1]  # the top-level domain
    return max(labels, key=len) if labels else None


@functools.lru_cache(maxsize=4096)
def _compact_names(name: str) -> tuple[str, str]:
    """(distinctive part, whole name) of a body's name without spaces, for :func:`_domain_score`."""
    return core_name(name).replace(" ", ""), normalize_name(name).replace(" ", "")


def _compact_names_of(body: IpaBody) -> tuple[str, str]:
    return _compact_names(body.name)


def _domain_score(label: str, names: tuple[str, str], threshold: float = 0.0) -> float:
    """How much a domain label looks like a body's name (``names`` from :func:`_compact_names`),
    0..1: 1 when the distinctive part of the name (8 letters or more) is written in the label, else
    a sequence similarity (0 when it cannot reach ``threshold``)."""
    core, full = names
    if len(core) >= 8 and core in label:
        return 1.0
    best = 0.0
    for target in (full, core):
        if not target:
            continue
        m = difflib.SequenceMatcher(None, label, target)
        if m.real_quick_ratio() < threshold or m.quick_ratio() < threshold:
            continue
        best = max(best, m.ratio())
    return best


# --------------------------------------------------------------------------------------------
# Checks of one record


class _Checker:
    def __init__(self, record: Record, reg: Registries):
        self.record = record
        self.reg = reg
        self.data = record.data
        self.union = self.data["union"]
        self.code = str(self.union["ipa_code"]).lower()
        self.name = self.union["name"]
        self.members: list[dict] = list(self.data.get("members") or [])
        self.member_codes = [str(m.get("istat_code")) for m in self.members]
        self.findings: list[Finding] = []
        self.report = UnionReport(self.code, self.name, str(record.path))
        self.fit_body: IpaBody | None = None  # the union's own IPA body (by code or likely)

    # -- helpers -----------------------------------------------------------------------------
    def add(
        self,
        field_: str,
        check: str,
        severity: str,
        record_value,
        registry_value,
        kind: str | None,
        line: int | None,
        en: str,
        it: str,
        member: str | None = None,
        **details,
    ) -> None:
        self.findings.append(
            Finding(
                union=self.code,
                union_name=self.name,
                record_file=str(self.record.path),
                field=field_,
                check=check,
                severity=severity,
                record_value=record_value,
                registry_value=registry_value,
                registry=REGISTRY_KINDS.get(kind) if kind else None,
                source=self.reg.refs.get(kind) if kind else None,
                registry_line=line,
                message_en=en,
                message_it=it,
                member=member,
                details=details,
            )
        )

    def comune_label(self, istat: str | None) -> str:
        c = self.reg.istat.get(istat or "")
        return f"{c.name} ({istat})" if c else str(istat)

    def body_label(self, b: IpaBody) -> str:
        seat = ""
        if b.seat_istat:
            c = self.reg.istat.get(b.seat_istat)
            if c:
                seat = f", seat {c.name} {b.seat_istat}, {c.province_acronym or c.province_code}, {c.region_name}"
            else:
                seat = f", seat {b.seat_istat}"
        return f"{b.code} = {b.name} ({b.category}{seat})"

    # -- union province / region -------------------------------------------------------------
    def check_territory(self) -> None:
        reg = self.reg
        rcode = str(self.union["region"]["code"])
        pcode = str(self.union["province"]["code"])
        region = reg.regions.get(rcode)
        if region is None:
            self.add(
                "union.region.code",
                "union-region",
                "error",
                rcode,
                None,
                "ontopia-regions",
                None,
                f"region code {rcode} is not an OntoPiA region",
                f"il codice regione {rcode} non è una regione di OntoPiA",
            )
        else:
            rname = self.union["region"].get("name")
            if rname and not (name_keys(rname) & name_keys(region.name)):
                self.add(
                    "union.region.name",
                    "union-region",
                    "error",
                    rname,
                    region.name,
                    "ontopia-regions",
                    region.line,
                    f"region {rcode} is {region.name} in OntoPiA, not {rname}",
                    f"la regione {rcode} in OntoPiA è {region.name}, non {rname}",
                )
        province = reg.provinces.get(pcode)
        if province is None:
            self.add(
                "union.province.code",
                "union-province",
                "error",
                pcode,
                None,
                "ontopia-provinces",
                None,
                f"province code {pcode} is not an OntoPiA province",
                f"il codice provincia {pcode} non è una provincia di OntoPiA",
            )
            return
        pname = self.union["province"].get("name")
        if pname and not (name_keys(pname) & name_keys(province.name)):
            self.add(
                "union.province.name",
                "union-province",
                "error",
                pname,
                province.name,
                "ontopia-provinces",
                province.line,
                f"province {pcode} is {province.name} in OntoPiA, not {pname}",
                f"la provincia {pcode} in OntoPiA è {province.name}, non {pname}",
            )
        acr = self.union["province"].get("acronym")
        if acr and province.acronym and acr.upper() != province.acronym:
            self.add(
                "union.province.acronym",
                "union-province",
                "error",
                acr,
                province.acronym,
                "ontopia-provinces",
                province.line,
                f"province {pcode} ({province.name}) has acronym {province.acronym}, not {acr}",
                f"la sigla della provincia {pcode} ({province.name}) è {province.acronym}, non {acr}",
            )
        if province.region_code != rcode:
            self.add(
                "union.province.code",
                "union-province",
                "error",
                pcode,
                province.region_code,
                "ontopia-provinces",
                province.line,
                f"province {pcode} ({province.name}) is in region {province.region_code}, not {rcode}",
                f"la provincia {pcode} ({province.name}) è nella regione {province.region_code}, non {rcode}",
            )

    # -- IPA ---------------------------------------------------------------------------------
    def check_ipa(self) -> None:
        reg = self.reg
        body = reg.ipa.get(self.code)
        members = set(self.member_codes)
        if body is None:
            self.add(
                "union.ipa_code",
                "ipa-code-unknown",
                "error",
                self.code,
                None,
                "ipa-enti",
                None,
                f"IPA code {self.code} is not in IPA",
                f"il codice IPA {self.code} non è presente in IPA",
            )
        else:
            sim = name_similarity(self.name, body.name)
            seat_member = body.seat_istat in members
            if not body.is_union or sim < UNLIKE_NAME or (not seat_member and sim < SIMILAR_NAME):
                why = []
                why_it = []
                if not body.is_union:
                    why.append(
                        f"it is not an Unione di Comuni (category {body.category}"
                        f"{', ' + body.category_name if body.category_name else ''})"
                    )
                    why_it.append(f"non è un'Unione di Comuni (categoria {body.category})")
                if sim < SIMILAR_NAME:
                    why.append(f"its name {body.name!r} is not the record's {self.name!r} (similarity {sim:.2f})")
                    why_it.append(
                        f"il suo nome «{body.name}» non è quello del record «{self.name}» (somiglianza {sim:.2f})"
                    )
                if not seat_member:
                    why.append(f"its seat {self.comune_label(body.seat_istat)} is not a member")
                    why_it.append(f"la sua sede {self.comune_label(body.seat_istat)} non è tra i comuni membri")
                self.add(
                    "union.ipa_code",
                    "ipa-code-other-body",
                    "error",
                    self.code,
                    self.body_label(body),
                    "ipa-enti",
                    body.line,
                    f"IPA code {self.code} belongs to another body, {body.name}: " + "; ".join(why),
                    f"il codice IPA {self.code} appartiene a un altro ente, {body.name}: " + "; ".join(why_it),
                    owner_code=body.code,
                    owner_name=body.name,
                    owner_category=body.category,
                    owner_seat=body.seat_istat,
                    name_similarity=round(sim, 2),
                )
            else:
                self.fit_body = body
                self.report.ipa_body, self.report.ipa_match = body.code, "record code"
                if normalize_name(body.name) != normalize_name(self.name):
                    sev = "info" if core_name(body.name) == core_name(self.name) else "warning"
                    self.add(
                        "union.name",
                        "ipa-name",
                        sev,
                        self.name,
                        body.name,
                        "ipa-enti",
                        body.line,
                        f"IPA names {self.code} {body.name!r}, the record {self.name!r} (similarity {sim:.2f})",
                        f"IPA chiama {self.code} «{body.name}», il record «{self.name}» (somiglianza {sim:.2f})",
                    )
                if not seat_member:
                    self.add(
                        "union.ipa_code",
                        "ipa-seat-not-member",
                        "warning",
                        self.code,
                        self.body_label(body),
                        "ipa-enti",
                        body.line,
                        f"IPA's seat of {body.code}, {self.comune_label(body.seat_istat)}, is not a member "
                        "of the union",
                        f"la sede IPA di {body.code}, {self.comune_label(body.seat_istat)}, non è tra i "
                        "comuni membri dell'unione",
                    )
                seat = reg.istat.get(body.seat_istat or "")
                pcode = str(self.union["province"]["code"])
                if seat and seat.province_code != pcode:
                    self.add(
                        "union.province.code",
                        "ipa-seat-province",
                        "warning",
                        pcode,
                        seat.province_code,
                        "ipa-enti",
                        body.line,
                        f"IPA's seat of {body.code}, {seat.name}, is in province {seat.province_code}, not {pcode}",
                        f"la sede IPA di {body.code}, {seat.name}, è nella provincia {seat.province_code}, non {pcode}",
                    )
        if self.fit_body is None:
            self.suggest_ipa()

    def suggest_ipa(self) -> None:
        """Search the L18 bodies for the record's union: name, seat among the members, province."""
        reg = self.reg
        members = set(self.member_codes)
        pcode = str(self.union["province"]["code"])
        rcode = str(self.union["region"]["code"])
        scored = []
        for b in reg.ipa_unions():
            if b.code == self.code:
                continue
            seat = reg.istat.get(b.seat_istat or "")
            seat_member = b.seat_istat in members
            in_region = seat is not None and seat.region_code == rcode
            if not seat_member and not in_region:
                continue
            sim = name_similarity(self.name, b.name)
            if not seat_member and sim < SIMILAR_NAME:
                continue
            if seat_member and sim < UNLIKE_NAME and len(members) > 1:
                # a body seated in a member comune but with another name: weak, keep only as last resort
                pass
            in_province = seat is not None and seat.province_code == pcode
            score = sim + (1.0 if seat_member else 0.0) + (0.2 if in_province else 0.0) + (0.1 if in_region else 0.0)
            scored.append((score, sim, seat_member, in_province, in_region, b))
        scored.sort(key=lambda t: (-t[0], t[5].code))
        if not scored:
            self.add(
                "union.ipa_code",
                "ipa-code-likely",
                "info",
                self.code,
                None,
                "ipa-enti",
                None,
                "no Unione di Comuni (L18) in IPA has a name like the record's or a seat among its members",
                "nessuna Unione di Comuni (L18) in IPA ha un nome simile a quello del record o la sede "
                "in uno dei comuni membri",
            )
            return
        score, sim, seat_member, in_province, in_region, b = scored[0]
        seat = reg.istat.get(b.seat_istat or "")
        ev_en = [f"name {b.name!r} (similarity {sim:.2f} with {self.name!r})"]
        ev_it = [f"nome «{b.name}» (somiglianza {sim:.2f} con «{self.name}»)"]
        if seat_member:
            ev_en.append(f"seat {self.comune_label(b.seat_istat)}, a member of the union")
            ev_it.append(f"sede {self.comune_label(b.seat_istat)}, comune membro dell'unione")
        elif seat:
            ev_en.append(
                f"seat {self.comune_label(b.seat_istat)} in the union's "
                f"{'province' if in_province else 'region'}, not a member"
            )
            ev_it.append(
                f"sede {self.comune_label(b.seat_istat)} nella "
                f"{'provincia' if in_province else 'regione'} dell'unione, non membro"
            )
        if seat and in_province:
            ev_en.append(f"province {seat.province_acronym or seat.province_code}")
            ev_it.append(f"provincia {seat.province_acronym or seat.province_code}")
        confidence = (
            "high"
            if (sim >= SIMILAR_NAME and seat_member)
            else "medium"
            if (sim >= SIMILAR_NAME or (seat_member and sim >= UNLIKE_NAME))
            else "low"
        )
        conf_it = {"high": "alta", "medium": "media", "low": "bassa"}[confidence]
        others = [t[5].code for t in scored[1:4] if t[0] >= score - 0.15]
        self.fit_body = b if confidence != "low" else None
        self.report.ipa_body, self.report.ipa_match = b.code, f"likely ({confidence} confidence)"
        self.add(
            "union.ipa_code",
            "ipa-code-likely",
            "info",
            self.code,
            b.code,
            "ipa-enti",
            b.line,
            f"the union's IPA code is most likely {b.code} ({confidence} confidence): "
            + "; ".join(ev_en)
            + (f"; other candidates: {', '.join(others)}" if others else ""),
            f"il codice IPA dell'unione è molto probabilmente {b.code} (affidabilità {conf_it}): "
            + "; ".join(ev_it)
            + (f"; altri candidati: {', '.join(others)}" if others else ""),
            suggested_ipa_code=b.code,
            suggested_name=b.name,
            confidence=confidence,
            name_similarity=round(sim, 2),
            seat=b.seat_istat,
            seat_is_member=seat_member,
            other_candidates=others,
        )

    # -- website -------------------------------------------------------------------------------
    def check_website(self) -> None:
        reg = self.reg
        site = self.union.get("website")
        key = website_key(site)
        body = self.fit_body
        ipa_site = body.website if body else None
        ipa_key = website_key(ipa_site)
        if body is not None:
            if key and ipa_key:
                if key != ipa_key:
                    self.add(
                        "union.website",
                        "website-mismatch",
                        "warning",
                        site,
                        ipa_site,
                        "ipa-enti",
                        body.line,
                        f"the website is not IPA's site of {body.code} ({ipa_site})",
                        f"il sito web non è quello registrato in IPA per {body.code} ({ipa_site})",
                    )
                elif website_url(site) != website_url(ipa_site):
                    self.add(
                        "union.website",
                        "website-form",
                        "info",
                        site,
                        ipa_site,
                        "ipa-enti",
                        body.line,
                        f"same website as IPA's, written {ipa_site} there",
                        f"stesso sito web di IPA, dove è scritto {ipa_site}",
                    )
            elif key and not ipa_key:
                self.add(
                    "union.website",
                    "website-not-in-ipa",
                    "info",
                    site,
                    None,
                    "ipa-enti",
                    body.line,
                    f"IPA has no website for {body.code}: the record's cannot be confirmed",
                    f"IPA non ha un sito web per {body.code}: quello del record non può essere confermato",
                )
            elif ipa_key and not key:
                self.add(
                    "union.website",
                    "website-missing",
                    "info",
                    None,
                    ipa_site,
                    "ipa-enti",
                    body.line,
                    f"the record has no website; IPA gives {ipa_site} for {body.code}",
                    f"il record non ha un sito web; IPA indica {ipa_site} per {body.code}",
                )
        if not key:
            return
        own_codes = {self.code} | ({body.code} if body else set())
        owners = [b for b in reg.website_owners(key) if b.code not in own_codes]
        if owners and (not ipa_key or ipa_key != key):
            o = owners[0]
            self.add(
                "union.website",
                "website-other-body",
                "error",
                site,
                self.body_label(o),
                "ipa-enti",
                o.line,
                f"the website is IPA's site of another body, {o.code} {o.name}",
                f"il sito web è quello registrato in IPA per un altro ente, {o.code} {o.name}",
                owner_code=o.code,
                owner_name=o.name,
            )
            return
        label = _domain_label(site)
        if not label:
            return
        own = max(
            [_domain_score(label, _compact_names(self.name))]
            + ([_domain_score(label, _compact_names_of(body))] if body else [])
        )
        best = None
        for b in reg.ipa_unions():
            if b.code in own_codes:
                continue
            s = _domain_score(label, _compact_names_of(b), SIMILAR_NAME)
            if (
                best is None
                or s > best[0]
                or (s == best[0] and len(_compact_names_of(b)[0]) > len(_compact_names_of(best[1])[0]))
            ):
                best = (s, b)
        if best and best[0] >= SIMILAR_NAME and best[0] > own + 0.1:
            s, b = best
            self.add(
                "union.website",
                "website-other-union",
                "error",
                site,
                self.body_label(b),
                "ipa-enti",
                b.line,
                f"the website's domain {label!r} is the name of another union, {b.code} {b.name} "
                f"(likeness {s:.2f}; with the union's own name {own:.2f})",
                f"il dominio del sito web «{label}» è il nome di un'altra unione, {b.code} {b.name} "
                f"(somiglianza {s:.2f}; con il nome dell'unione {own:.2f})",
                owner_code=b.code,
                owner_name=b.name,
                likeness=round(s, 2),
                own_likeness=round(own, 2),
            )

    # -- members against ISTAT -------------------------------------------------------------------
    def check_members(self) -> None:
        reg = self.reg
        for i, m in enumerate(self.members):
            code = str(m.get("istat_code"))
            name = m.get("name", "")
            f = f"members[{i}]"
            c = reg.istat.get(code)
            if c is None:
                hist = reg.city_history(code)
                other = self._resolve_name(name, m)
                ev_en, ev_it = "", ""
                if hist:
                    last = hist[-1]
                    ev_en = f"; OntoPiA: {last.label_it} ({code}) valid until {last.valid_to.isoformat()}"
                    ev_it = f"; OntoPiA: {last.label_it} ({code}) valido fino al {last.valid_to.isoformat()}"
                if other:
                    ev_en += f"; the name {name!r} is ISTAT's {self.comune_label(other)}"
                    ev_it += f"; il nome «{name}» è quello ISTAT di {self.comune_label(other)}"
                self.add(
                    f"{f}.istat_code",
                    "member-istat-code",
                    "error",
                    code,
                    other,
                    "istat-comuni",
                    None,
                    f"{name}: ISTAT code {code} is not in ISTAT's current list of comuni" + ev_en,
                    f"{name}: il codice ISTAT {code} non è nell'elenco ISTAT dei comuni attuali" + ev_it,
                    member=code,
                )
                continue
            keys = name_keys(c.name) | name_keys(c.name_it) | (name_keys(c.name_other) if c.name_other else set())
            if normalize_name(name) not in keys:
                other = self._resolve_name(name, m)
                if other and other != code:
                    self.add(
                        f"{f}.name",
                        "member-name-other-code",
                        "error",
                        f"{name} ({code})",
                        self.comune_label(other),
                        "istat-comuni",
                        reg.istat[other].line,
                        f"{name!r} is ISTAT's {self.comune_label(other)}; code {code} is {c.name}",
                        f"«{name}» è il comune ISTAT {self.comune_label(other)}; il codice {code} è {c.name}",
                        member=code,
                    )
                elif any(r.istat_code == code for r in reg.former_names(name)):
                    self.add(
                        f"{f}.name",
                        "member-renamed",
                        "warning",
                        name,
                        c.name,
                        "istat-comuni",
                        c.line,
                        f"{name!r} is a former name of {code}: ISTAT's current name is {c.name}",
                        f"«{name}» è un nome precedente di {code}: il nome ISTAT attuale è {c.name}",
                        member=code,
                    )
                else:
                    self.add(
                        f"{f}.name",
                        "member-name",
                        "error",
                        name,
                        c.name,
                        "istat-comuni",
                        c.line,
                        f"ISTAT code {code} is {c.name}, not {name!r}",
                        f"il codice ISTAT {code} è {c.name}, non «{name}»",
                        member=code,
                    )
            label = c.name
            for key, check, ours, theirs, en, it in (
                ("province_code", "member-province", m.get("province_code"), c.province_code, "province", "provincia"),
                ("region_code", "member-region", m.get("region_code"), c.region_code, "region", "regione"),
                (
                    "cadastral_code",
                    "member-cadastral-code",
                    (m.get("cadastral_code") or "").upper() or None,
                    c.cadastral_code,
                    "cadastral code",
                    "codice catastale",
                ),
            ):
                if ours is not None and str(ours) != theirs:
                    self.add(
                        f"{f}.{key}",
                        check,
                        "error",
                        m.get(key),
                        theirs,
                        "istat-comuni",
                        c.line,
                        f"{label} ({code}): {en} {theirs} in ISTAT's list, {m.get(key)} in the record",
                        f"{label} ({code}): {it} {theirs} nell'elenco ISTAT, {m.get(key)} nel record",
                        member=code,
                    )
            self._check_city(i, m, c)
            self._check_member_ipa(i, m, c)

    def _resolve_name(self, name: str, m: dict) -> str | None:
        try:
            return self.reg.gazetteer.comune(
                name,
                m.get("province_code") or str(self.union["province"]["code"]),
                m.get("region_code") or str(self.union["region"]["code"]),
            ).istat_code
        except ResolveError:
            try:
                return self.reg.gazetteer.comune(name, None, str(self.union["region"]["code"])).istat_code
            except ResolveError:
                return None

    def _check_city(self, i: int, m: dict, c: IstatComune) -> None:
        ours = m.get("ontopia_city")
        if ours is None:
            return
        rows = self.reg.current_cities.get(c.istat_code, [])
        ids = [r.id_comune for r in rows]
        code = c.istat_code
        if len(rows) != 1 or ours != ids[0]:
            theirs = ", ".join(ids) if ids else None
            self.add(
                f"members[{i}].ontopia_city",
                "member-ontopia-city",
                "error",
                ours,
                theirs,
                "ontopia-cities",
                rows[0].line if len(rows) == 1 else None,
                f"{c.name} ({code}): the current OntoPiA city is {theirs or 'missing'}, not {ours}",
                f"{c.name} ({code}): la città OntoPiA attuale è {theirs or 'assente'}, non {ours}",
                member=code,
            )
            return
        vf = m.get("city_valid_from")
        if vf is not None and str(vf) != rows[0].valid_from.isoformat():
            self.add(
                f"members[{i}].city_valid_from",
                "member-ontopia-city",
                "error",
                str(vf),
                rows[0].valid_from.isoformat(),
                "ontopia-cities",
                rows[0].line,
                f"{c.name} ({code}): OntoPiA's row {ids[0]} starts on {rows[0].valid_from.isoformat()}, not {vf}",
                f"{c.name} ({code}): la riga OntoPiA {ids[0]} inizia il {rows[0].valid_from.isoformat()}, non {vf}",
                member=code,
            )

    def _check_member_ipa(self, i: int, m: dict, c: IstatComune) -> None:
        ours = m.get("ipa_code")
        body = self.reg.ipa.comune(c.istat_code)
        if body is None:
            return
        if ours is not None and ours.lower() != body.code:
            self.add(
                f"members[{i}].ipa_code",
                "member-ipa-code",
                "warning",
                ours,
                body.code,
                "ipa-enti",
                body.line,
                f"{c.name} ({c.istat_code}): IPA's comune seated there is {body.code} ({body.name}), not {ours}",
                f"{c.name} ({c.istat_code}): il comune registrato in IPA con quella sede è {body.code} "
                f"({body.name}), non {ours}",
                member=c.istat_code,
            )

    # -- population against ISTAT --------------------------------------------------------------
    def check_population(self) -> None:
        reg = self.reg
        ref = reg.population_date.isoformat() if reg.population_date else None
        ref_text = ref or "the date of the ISTAT file"
        istat_sum = 0
        complete = True
        for i, m in enumerate(self.members):
            code = str(m.get("istat_code"))
            p = reg.population.get(code)
            figure = p.population if p else None
            if figure is None:
                complete = False
            else:
                istat_sum += figure
            pop = m.get("population")
            if not pop:
                continue
            value = pop.get("value")
            when = pop.get("reference_date")
            label = m.get("name", code)
            if when != ref:
                self.add(
                    f"members[{i}].population.reference_date",
                    "member-population-date",
                    "warning",
                    when,
                    ref,
                    "istat-population",
                    p.line if p else None,
                    f"{label} ({code}): the population {value} is of {when or 'no stated date'}, the ISTAT file "
                    f"of {ref_text} (ISTAT: {figure if figure is not None else 'no figure'}); not compared",
                    f"{label} ({code}): la popolazione {value} è riferita a {when or 'nessuna data'}, il file "
                    f"ISTAT al {ref_text} (ISTAT: {figure if figure is not None else 'nessun dato'}); "
                    "non confrontata",
                    member=code,
                )
                continue
            if figure is None:
                self.add(
                    f"members[{i}].population.value",
                    "member-population-missing",
                    "warning",
                    value,
                    None,
                    "istat-population",
                    p.line if p else None,
                    f"{label} ({code}): ISTAT has no population at {ref}",
                    f"{label} ({code}): ISTAT non ha la popolazione al {ref}",
                    member=code,
                )
                continue
            if value != figure:
                d = value - figure
                self.add(
                    f"members[{i}].population.value",
                    "member-population",
                    "error",
                    value,
                    figure,
                    "istat-population",
                    p.line,
                    f"{label} ({code}): population {value} at {ref}, ISTAT {figure} (difference {d:+d})",
                    f"{label} ({code}): popolazione {value} al {ref}, ISTAT {figure} (differenza {d:+d})",
                    member=code,
                    difference=d,
                )
        total = self.data.get("population")
        if not total:
            return
        value, when = total.get("value"), total.get("reference_date")
        if when != ref:
            self.add(
                "population.reference_date",
                "union-population-date",
                "warning",
                when,
                ref,
                "istat-population",
                None,
                f"the union's population {value} is of {when or 'no stated date'}, the ISTAT file of {ref_text}"
                f" (sum of ISTAT figures: {istat_sum if complete else 'incomplete'}); not compared",
                f"la popolazione dell'unione {value} è riferita a {when or 'nessuna data'}, il file ISTAT al "
                f"{ref_text} (somma dei dati ISTAT: {istat_sum if complete else 'incompleta'}); non confrontata",
            )
            return
        if complete and value != istat_sum:
            d = value - istat_sum
            self.add(
                "population.value",
                "union-population",
                "error",
                value,
                istat_sum,
                "istat-population",
                None,
                f"the union's population {value} at {ref} differs from the sum of ISTAT's figures for its "
                f"{len(self.members)} members, {istat_sum} (difference {d:+d})",
                f"la popolazione dell'unione {value} al {ref} differisce dalla somma dei dati ISTAT dei suoi "
                f"{len(self.members)} comuni, {istat_sum} (differenza {d:+d})",
                difference=d,
            )

    # -- Ministry register -------------------------------------------------------------------------
    def find_ministry(self) -> tuple[MinistryUnion, str, str] | None:
        """The register's row of the union, with how it was found (English, Italian): a union of the
        record's region with the record's (or IPA's) name in the same province, or most of its members."""
        reg = self.reg
        rcode = str(self.union["region"]["code"])
        pcode = str(self.union["province"]["code"])
        ours = set(self.member_codes)
        names = [self.name] + ([self.fit_body.name] if self.fit_body else [])
        best = None
        for u in reg.ministry:
            if reg.ministry_region(u) not in (rcode, None):
                continue
            exact_record = normalize_name(self.name) == u.key
            exact = exact_record or any(normalize_name(n) == u.key for n in names)
            sim = max(name_similarity(n, u.name) for n in names)
            if not exact and sim < UNLIKE_NAME and reg.ministry_region(u) is None:
                continue
            theirs = {x.istat_code for x in reg.ministry_members(u) if x.istat_code}
            common = len(ours & theirs)
            overlap = common / len(ours | theirs) if (ours or theirs) else 0.0
            prov = reg.ministry_province(u)
            prov_ok = prov == pcode
            if not ((exact and (prov_ok or prov is None)) or overlap >= 0.5 or (sim >= SIMILAR_NAME and common)):
                continue
            score = overlap + sim + (0.2 if prov_ok else 0.0)
            if best is None or score > best[0]:
                how = []  # (English, Italian)
                if exact_record:
                    how.append(("name", "nome"))
                elif exact:
                    how.append(("IPA's name", "nome in IPA"))
                elif any(core_name(n) == core_name(u.name) for n in names):
                    how.append(("name (but for the generic words)", "nome (a parte le parole generiche)"))
                elif sim >= SIMILAR_NAME:
                    how.append((f"similar name ({sim:.2f})", f"nome simile ({sim:.2f})"))
                if prov_ok:
                    how.append(("province", "provincia"))
                best = (score, u, how)
        if best is None:
            return None
        u, how = best[1], best[2]
        theirs = {x.istat_code for x in reg.ministry_members(u, history=True) if x.istat_code}
        common = len(ours & theirs)
        how.append((f"members ({common} of {len(ours)} in common)", f"comuni ({common} su {len(ours)} in comune)"))
        return u, ", ".join(en for en, _ in how), ", ".join(it for _, it in how)

    def check_ministry(self) -> None:
        reg = self.reg
        found = self.find_ministry()
        kind = "ministry-unions"
        if found is None:
            founded = str(self.union.get("founded") or "")
            late = bool(founded[:4].isdigit() and reg.ministry_year and int(founded[:4]) > reg.ministry_year)
            self.add(
                "union",
                "ministry-not-found",
                "info" if late else "warning",
                self.name,
                None,
                kind,
                None,
                "the union is not in the Ministry register of unions (no union of its region with its name "
                "or most of its members)"
                + (f"; it was founded after the register ({reg.ministry_year})" if late else ""),
                "l'unione non è nel registro delle unioni del Ministero dell'Interno (nessuna unione della "
                "regione con il suo nome o con la maggior parte dei suoi comuni)"
                + (f"; è stata costituita dopo il registro ({reg.ministry_year})" if late else ""),
            )
            return
        u, how, how_it = found
        self.report.ministry_code, self.report.ministry_match = u.code, how
        if normalize_name(u.name) != normalize_name(self.name):
            sev = "info" if core_name(u.name) == core_name(self.name) else "warning"
            self.add(
                "union.name",
                "ministry-name",
                sev,
                self.name,
                u.name,
                kind,
                u.line,
                f"the Ministry register ({u.code}, found by {how}) names the union {u.name!r}",
                f"il registro del Ministero ({u.code}, trovata per {how_it}) chiama l'unione «{u.name}»",
            )
        # members
        matches = reg.ministry_members(u, history=True)
        theirs = {x.istat_code: x for x in matches if x.istat_code}
        for x in matches:
            if x.how == "renamed":
                self.add(
                    "members",
                    "ministry-member-renamed",
                    "info",
                    x.current_name,
                    x.name,
                    kind,
                    x.line,
                    f"the register writes {x.name}, a former name of {x.current_name} ({x.istat_code})",
                    f"il registro scrive {x.name}, nome precedente di {x.current_name} ({x.istat_code})",
                    member=x.istat_code,
                )
            elif x.how in ("unresolved", "not-current"):
                self.add(
                    "members",
                    "ministry-member-unresolved",
                    "warning",
                    None,
                    x.name,
                    kind,
                    x.line,
                    f"the register lists {x.name}, which is not a current comune" + (f" ({x.note})" if x.note else ""),
                    f"il registro elenca {x.name}, che non è un comune attuale" + (f" ({x.note})" if x.note else ""),
                )
        for i, m in enumerate(self.members):
            code = str(m.get("istat_code"))
            if code not in theirs:
                self.add(
                    f"members[{i}]",
                    "ministry-member-missing",
                    "warning",
                    f"{m.get('name')} ({code})",
                    None,
                    kind,
                    u.line,
                    f"{m.get('name')} ({code}) is not among the members the register lists for {u.name}",
                    f"{m.get('name')} ({code}) non è tra i comuni che il registro elenca per {u.name}",
                    member=code,
                )
        ours = set(self.member_codes)
        for code, x in theirs.items():
            if code not in ours:
                self.add(
                    "members",
                    "ministry-member-extra",
                    "warning",
                    None,
                    f"{x.name} ({code})",
                    kind,
                    x.line,
                    f"the register lists {x.name} ({self.comune_label(code)}) as a member; the record does not",
                    f"il registro elenca {x.name} ({self.comune_label(code)}) tra i comuni; il record no",
                    member=code,
                )
        # founding date
        founded = self.union.get("founded")
        fd = u.founding_date
        if fd is not None:
            full = fd.isoformat()
            if not founded:
                self.add(
                    "union.founded",
                    "ministry-founding-detail",
                    "info",
                    None,
                    full,
                    kind,
                    u.line,
                    f"the record has no founding date; the register says {full}",
                    f"il record non ha una data di costituzione; il registro indica {full}",
                )
            elif len(str(founded)) == 4:
                if int(founded) == fd.year:
                    self.add(
                        "union.founded",
                        "ministry-founding-detail",
                        "info",
                        founded,
                        full,
                        kind,
                        u.line,
                        f"same year; the register gives the full founding date {full}",
                        f"stesso anno; il registro indica la data di costituzione completa {full}",
                    )
                else:
                    self.add(
                        "union.founded",
                        "ministry-founding-date",
                        "error",
                        founded,
                        full,
                        kind,
                        u.line,
                        f"founded in {founded} according to the record, on {full} according to the register",
                        f"costituita nel {founded} secondo il record, il {full} secondo il registro",
                    )
            elif str(founded) != full:
                self.add(
                    "union.founded",
                    "ministry-founding-date",
                    "error",
                    founded,
                    full,
                    kind,
                    u.line,
                    f"founded on {founded} according to the record, on {full} according to the register",
                    f"costituita il {founded} secondo il record, il {full} secondo il registro",
                )
        # number of comuni
        declared = u.declared_comuni if u.declared_comuni is not None else len(u.members)
        ours_n = self.data.get("number_of_comuni", len(self.members))
        if ours_n != declared:
            self.add(
                "number_of_comuni",
                "ministry-number-of-comuni",
                "warning",
                ours_n,
                declared,
                kind,
                u.line,
                f"{ours_n} comuni in the record, {declared} in the register",
                f"{ours_n} comuni nel record, {declared} nel registro",
            )
        for issue in reg.ministry.issues:
            if issue.union_code == u.code:
                it = {
                    "count": f"dichiara {issue.expected} comuni ma ne elenca {issue.found}",
                    "members-sum": f"popolazione totale {issue.expected}, ma la somma dei comuni è {issue.found}",
                    "sex-sum": f"uomini + donne = {issue.found}, non il totale {issue.expected}",
                }.get(issue.kind, issue.message)
                self.add(
                    "union",
                    "ministry-register-issue",
                    "info",
                    None,
                    issue.found,
                    kind,
                    issue.line,
                    f"the register disagrees with itself: {issue.message}",
                    f"il registro non è coerente: {it}",
                )
        # population (of another date)
        total = self.data.get("population")
        if total and u.total is not None and total.get("value") != u.total:
            value = total["value"]
            d = value - u.total
            rel = abs(d) / u.total if u.total else 1.0
            sev = "warning" if rel > MINISTRY_POPULATION_WARNING else "info"
            self.add(
                "population.value",
                "ministry-population",
                sev,
                value,
                u.total,
                kind,
                u.line,
                f"population {value} ({total.get('reference_date') or 'no date'}) in the record, {u.total} in the "
                f"register (another date; difference {d:+d}, {rel:.0%})",
                f"popolazione {value} ({total.get('reference_date') or 'senza data'}) nel record, {u.total} nel "
                f"registro (altra data; differenza {d:+d}, {rel:.0%})",
                difference=d,
            )

    def run(self) -> list[Finding]:
        self.check_territory()
        self.check_ipa()
        self.check_website()
        self.check_members()
        self.check_population()
        self.check_ministry()
        return self.findings


def reconcile_record(record: Record, registries: Registries) -> tuple[UnionReport, list[Finding]]:
    """Check one record; returns what was learnt about its union and its findings."""
    checker = _Checker(record, registries)
    findings = checker.run()
    return checker.report, findings


def reconcile(records: Iterable[Record] | str | Path, sources: Registries | SourcesDir | str | Path) -> Reconciliation:
    """Check each record against the registries and list every disagreement.

    ``records``: loaded records (:func:`lod_unioni.records.load_records`) or a folder of records.
    ``sources``: a :class:`Registries` already read, a :class:`SourcesDir`, or a sources folder.
    Records are never changed.
    """
    if isinstance(records, (str, Path)):
        records = load_records(records)
    reg = sources if isinstance(sources, Registries) else load_registries(sources)
    findings: list[Finding] = []
    unions: list[UnionReport] = []
    for record in records:
        report, found = reconcile_record(record, reg)
        unions.append(report)
        findings.extend(found)
    return Reconciliation(findings, unions, dict(reg.refs), str(reg.sources.path))


# --------------------------------------------------------------------------------------------
# As validation results (for `lod-unioni validate --sources DIR`)

SHACL_SEVERITY = {"error": "Violation", "warning": "Warning", "info": "Info"}


def _iri(x: str) -> str:
    return f"<{x}>"


def _seq(*iris: str) -> str:
    return "(" + "/".join(_iri(i) for i in iris) + ")"


_VALUE_PATH = _seq(IND + "hasIndicatorCalculation", IND + "hasIndicatorValue", MU + "value")
_DATE_PATH = _seq(IND + "hasIndicatorCalculation", IND + "computedAtTime", TI + "date")

# record field (members[i] stripped to members[]) -> SPARQL property path with full IRIs
_FIELD_PATHS = {
    "union.ipa_code": _iri(COV + "IPAcode"),
    "union.name": _iri(L0 + "name"),
    "union.website": _seq(SM + "hasWebSite", SM + "URL"),
    "union.founded": _iri(LU + "foundingDate"),
    "union.region.code": _iri(LU + "region"),
    "union.region.name": _iri(LU + "region"),
    "union.province.code": _iri(LU + "province"),
    "union.province.name": _iri(LU + "province"),
    "union.province.acronym": _iri(LU + "province"),
    "members": _iri(ORG + "hasMember"),
    "members[]": _iri(ORG + "hasMember"),
    "members[].name": _iri(L0 + "name"),
    "members[].istat_code": _iri(LU + "istatCode"),
    "members[].cadastral_code": _iri(LU + "cadastralCode"),
    "members[].ipa_code": _iri(COV + "IPAcode"),
    "members[].ontopia_city": _iri(LU + "city"),
    "members[].city_valid_from": _iri(LU + "city"),
    "members[].province_code": _iri(LU + "province"),
    "members[].region_code": _iri(LU + "region"),
    "members[].population.value": _VALUE_PATH,
    "members[].population.reference_date": _DATE_PATH,
    "population.value": _VALUE_PATH,
    "population.reference_date": _DATE_PATH,
    "number_of_comuni": _VALUE_PATH,
}
_MEMBER_FIELD = re.compile(r"^members\[\d+\]")


@dataclass(frozen=True)
class ValidationFinding:
    """A finding shaped like a SHACL validation result: ``union`` and ``focus`` are IRIs,
    ``path`` a SPARQL property path with full IRIs (``<...>`` or ``(<a>/<b>)``) or None,
    ``severity`` ``Violation`` / ``Warning`` / ``Info`` (``severity_iri`` the full ``sh:`` IRI),
    ``rule`` the check id prefixed with ``reconcile-``, ``value`` the record's value as text."""

    union: str
    union_name: str
    focus: str
    path: str | None
    value: str | None
    severity: str
    severity_iri: str
    message_it: str
    message_en: str
    rule: str
    field: str
    registry: str | None
    registry_value: str | None
    source: dict | None

    def to_dict(self) -> dict:
        return asdict(self)


def findings_as_validation_results(
    reconciliation: Reconciliation, base_iri: str = DEFAULT_BASE_IRI
) -> list[ValidationFinding]:
    """The findings as validation results: focus node ``{base}union/{ipa}``, or ``{base}comune/{istat}``
    for a finding about one member (``{base}union/{ipa}/website`` for the website), with the path of
    the record field in the RDF (see ``ontology/MODEL.md``)."""
    out = []
    for f in reconciliation.findings:
        union = f"{base_iri}union/{f.union}"
        generic = _MEMBER_FIELD.sub("members[]", f.field)
        path = _FIELD_PATHS.get(generic)
        if generic.startswith("members[].") and f.member:
            focus = f"{base_iri}comune/{f.member}"
        elif f.field == "union.website":
            focus, path = f"{union}/website", _iri(SM + "URL")
        else:
            focus = union
        if generic == "members[]":
            path = _iri(ORG + "hasMember")
        sev = SHACL_SEVERITY[f.severity]
        out.append(
            ValidationFinding(
                union=union,
                union_name=f.union_name,
                focus=focus,
                path=path,
                value=None if f.record_value is None else str(_jsonable(f.record_value)),
                severity=sev,
                severity_iri=SH + sev,
                message_it=f.message_it,
                message_en=f.message_en,
                rule=f"reconcile-{f.check}",
                field=f.field,
                registry=f.registry,
                registry_value=None if f.registry_value is None else str(_jsonable(f.registry_value)),
                source=f.source.to_dict() if f.source else None,
            )
        )
    return out
