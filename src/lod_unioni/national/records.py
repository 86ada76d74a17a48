"""The national records: each register union, with what the matching learnt, as a record dict in
the record format; and the precedence of the bundled records.

* **Figures**: each member's resident population at the ISTAT file's date; the union's total is
  the sum of its members' (computed, said so in its datum source) when every member has one;
  ``number_of_comuni`` is the register's own count (``NR. COMUNI``), so that a difference with the
  members found is reported by the shapes. Founding date from the register, website from IPA (one
  that is not an http(s) URL with a host name is kept in ``unresolved`` and listed instead). No
  surface, density, services or ITALIAE data: the registries have none.
* **Names**: IPA's name when the union is in IPA (the current official name), else the register's,
  in Italian title case when written in capitals. Two register rows that now are one comune give
  one member.
* **Provenance**: every record lists the registry files it was made from (``provenance.sources``:
  kind, the publisher's URL, the download time when known, SHA-256, licence) and how each match
  was made (``provenance.matches`` for the union, ``members[].match`` for each member: method,
  confidence, the value the registry holds; ``members[].ipa_match`` for each member's IPA body).
  In the graph each registry file is
  ``{base}source/{kind}``, and each match a PROV qualified derivation (``ontology/MODEL.md``).
* **IPA codes** as IPA spells them (``UTA``, ``C_B605``); a match that is not certain
  (:mod:`lod_unioni.national.identity`) is marked ``ipa_identity: probable``.
* **Bundled records** take precedence for their unions (:mod:`lod_unioni.national.bundled`): a
  register union is replaced by the bundled record that reconciliation finds in the register (same
  name in the same region, or most of the members), or whose IPA code the matching gives it.
  Bundled records that are not in the register are published too, with what the national build
  learns of their union (the match of the IPA code, the status). A registry file a bundled record
  cites (``provenance.sources``) that is the national build's file of that kind (same SHA-256) is
  described as the national records describe it, so that ``{base}source/{kind}`` has one location,
  title and date.

The records are made in the normalised form the record loader gives (confidences as Decimals);
:func:`lod_unioni.records.validate_record` checks them (:mod:`lod_unioni.national.schema_check`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from .. import __version__
from ..codes import IPA_CODE
from ..records import Record, validate_record
from ..registries import Registries
from ..sources.folder import source_entry
from ..sources.ipa import IpaBody
from ..sources.kinds import REGISTRY_KINDS
from ..text import slug, title_case, website_url
from .identity import PROBABLE, comune_ipa_match, union_ipa_identity
from .result import MemberMatch, UnionMatch
from .status import status_match

__all__ = [
    "NATIONAL_KINDS",
    "NationalRecords",
    "founded",
    "national_record",
    "national_records",
    "record_file",
    "source_items",
    "union_name",
]

POPULATION_KIND = "istat-population"
#: Registry files every national record is made from (source kinds), in this order.
NATIONAL_KINDS = REGISTRY_KINDS
# a website both the shapes (union-website) and the record schema accept
_WEBSITE = re.compile(r"https?://[^\s/?#<>\"{}|\\^`]+\.[^\s<>\"{}|\\^`]+")


def record_file(label: str) -> str:
    """How errors name a national record (it has no file)."""
    return f"<national record {label}>"


def union_name(register_name: str, body: IpaBody | None) -> str:
    """IPA's name when the union is in IPA (the current official name), else the register's, in
    Italian title case when written in capitals."""
    name = body.name if body is not None else register_name
    name = " ".join(name.replace('""', '"').split())
    letters = [c for c in name if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        name = title_case(name)
    return name


def founded(day: date) -> str:
    """The founding date the register gives, as published: 1 January is the register's placeholder
    for a date it does not know (333 of its 557 dates), so only the year is published then
    (``2011``, an ``xsd:gYear``); any other day is the date itself (``2011-12-29``)."""
    return str(day.year) if (day.month, day.day) == (1, 1) else day.isoformat()


def _dec(x: float) -> Decimal:
    """A confidence as the record loader normalises numbers (a Decimal of two decimals at most)."""
    return Decimal(repr(round(float(x), 2)))


def source_items(reg: Registries) -> tuple[list[dict], dict[str, dict]]:
    """The ``provenance.sources`` items of the national records, and the same with the download
    details, by kind (for the report)."""
    items, info = [], {}
    for kind in NATIONAL_KINDS:
        p = reg.sources.provenance(kind)
        item = source_entry(p, kind, reg.sources.path, name=p.title or kind, location=p.source)
        items.append(item)
        info[kind] = dict(item, downloaded=p.downloaded, official_url=p.official_url, size=p.size)
    return items, info


# --- one record --------------------------------------------------------------------------------------

#: The datum source of the population of a comune merged after the reference date.
MERGED_SOURCE = (
    "Somma della popolazione residente ISTAT dei comuni che formano oggi il comune "
    "(fusioni e incorporazioni dopo la data di riferimento, storia dei comuni OntoPiA)"
)


def _population(reg: Registries, code: str, ref: str | None) -> dict | None:
    """The resident population of a current comune at the ISTAT file's date ``ref``: ISTAT's own
    figure; for a comune made by a merger after that date (or that absorbed others since), the sum
    of the figures of the comuni it is made of today (:meth:`lod_unioni.registries.Registries.merged_into`),
    said so in its datum source, ``derived_from`` and ``comment``. None when a figure is missing."""
    if not ref or reg.population_date is None:
        return None
    own = reg.population.get(code)
    merged = reg.merged_into(code, reg.population_date)
    if not merged:
        if merged is None or own is None or not own.population:
            return None
        return {"value": own.population, "reference_date": ref, "source_kind": POPULATION_KIND}
    parts = ([own] if own is not None else []) + [reg.population.get(old.istat_code) for old in merged]
    if any(p is None or not p.population for p in parts):
        return None
    figures = [(p.name, p.istat_code, p.population) for p in parts if p is not None]
    listed = ", ".join(f"{name} ({istat}) {value}" for name, istat, value in figures)
    name, since = reg.istat[code].name, reg.current_cities[code][0].valid_from.isoformat()
    return {
        "value": sum(value for _, _, value in figures),
        "reference_date": ref,
        "source": MERGED_SOURCE,
        "source_key": slug(MERGED_SOURCE),
        "source_kind": POPULATION_KIND,
        "derived_from": ["ontopia-cities"],
        "comment": {
            "it": f"Popolazione ISTAT al {ref} dei comuni che dal {since} formano {name}: {listed}.",
            "en": f"ISTAT population at {ref} of the comuni that form {name} since {since}: {listed}.",
        },
    }


def _member_dict(reg: Registries, code: str, rows: list[MemberMatch], ref: str | None) -> dict:
    """The member comune ``code`` of a record, from the register rows resolved to it."""
    c = reg.istat[code]
    m: dict = {"name": c.name, "istat_code": code, "cadastral_code": c.cadastral_code}
    body = reg.ipa.comune(code)
    if body is not None and IPA_CODE.matches(body.code):
        m["ipa_code"] = body.official_code  # as IPA spells it: the national IRI is case-sensitive
        m["ipa_match"], certain = comune_ipa_match(reg, c, body)
        if not certain:
            m["ipa_identity"] = PROBABLE
    cities = reg.current_cities.get(code, [])
    if len(cities) == 1:
        m["ontopia_city"] = cities[0].id_comune
        m["city_valid_from"] = cities[0].valid_from.isoformat()
    m["province_code"] = c.province_code
    m["region_code"] = c.region_code
    population = _population(reg, code, ref)
    if population is not None:
        m["population"] = population
    m["derived_from"] = ["istat-comuni", "ontopia-cities"]
    best = min(rows, key=lambda r: (-r.confidence, r.line))
    m["match"] = {
        "source": best.source,
        "method": best.method if len(rows) == 1 else f"{best.method} ({len(rows)} register rows)",
        "confidence": _dec(min(r.confidence for r in rows)),
        "registry_value": "; ".join(r.name for r in rows),
    }
    return m


def _union_dict(reg: Registries, um: UnionMatch) -> tuple[dict, list[dict]]:
    """The ``union`` part of the record, and the registry values it could not publish."""
    u = um.register
    region = reg.regions.get(um.region_code or "")
    province = reg.provinces.get(um.province_code or "")
    union: dict = {}
    if um.ipa is not None:
        union["ipa_code"] = um.ipa.official_code  # as IPA spells it; the record's key is in lower case
        identity = union_ipa_identity(um)
        if identity:
            union["ipa_identity"] = identity
    else:
        union["iri_key"] = um.key
    union["ministry_code"] = u.code
    union["name"] = union_name(u.name, um.ipa)
    union["region"] = {"code": region.code, "name": region.name} if region else None
    union["province"] = (
        ({"code": province.code, "name": province.name} | ({"acronym": province.acronym} if province.acronym else {}))
        if province
        else None
    )
    if u.founding_date is not None:
        union["founded"] = founded(u.founding_date)
    site = website_url(um.ipa.website) if um.ipa is not None else None
    unresolved = []
    if site and _WEBSITE.fullmatch(site):
        union["website"] = site
    elif site and um.ipa is not None:
        unresolved.append(
            {
                "field": "union.website",
                "text": um.ipa.website,
                "reason": "IPA's website of the union is not an http(s) URL with a host name",
            }
        )
    return union, unresolved


def _ipa_value(reg: Registries, body: IpaBody) -> str:
    """What IPA holds of the body matched: code, name, seat (and the comune it is part of now, for a
    seat merged since), category when not L18."""
    seat = body.seat_istat or "none"
    now = reg.current_successor(body.seat_istat) if body.seat_istat else None
    if now is not None and now != body.seat_istat:
        seat += f", now part of {now}"
    category = "" if body.is_union else f", IPA category {body.category}, legal status {body.natura}"
    return f"{body.official_code} {body.name} (seat {seat}{category})"


def _provinces_text(reg: Registries, um: UnionMatch) -> str:
    """What the province was derived from: the members' provinces, the seat, the register's name."""
    counts = Counter(reg.istat[code].province_code for code in {m.istat_code for m in um.members if m.istat_code})
    members = ", ".join(f"{code} x{n}" for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    seat = f"; IPA seat {um.ipa.seat_istat}" if um.ipa is not None and um.ipa.seat_istat else ""
    return f"members' provinces: {members or 'none'}{seat}; register: {um.register.province}"


def _matches(reg: Registries, um: UnionMatch) -> list[dict]:
    """``provenance.matches``: how the union was found in each registry."""
    u = um.register
    matches = [
        {
            "field": "union",
            "source": "ministry-unions",
            "method": "register-row",
            "confidence": _dec(1.0),
            "registry_value": f"{u.code} {u.name} (line {u.line})",
        }
    ]
    if u.founding_date is not None:  # the register's value, kept when only the year is published
        year_only = len(founded(u.founding_date)) == 4
        matches.append(
            {
                "field": "union.founded",
                "source": "ministry-unions",
                "method": "register-year (1 January, a placeholder)" if year_only else "register-date",
                "confidence": _dec(1.0),
                "registry_value": u.founding_text or u.founding_date.isoformat(),
            }
        )
    if um.ipa is not None:
        matches.append(
            {
                "field": "union.ipa_code",
                "source": "ipa-enti",
                "method": um.ipa_method,
                "confidence": _dec(um.ipa_confidence or 0.0),
                "registry_value": _ipa_value(reg, um.ipa),
            }
        )
    matches.append(  # the province of its members, not the register's (lod_unioni.national.members)
        {
            "field": "union.province",
            "source": "istat-comuni",
            "method": um.province_method,
            "confidence": _dec(um.province_confidence),
            "registry_value": _provinces_text(reg, um),
        }
    )
    return matches


def national_record(reg: Registries, um: UnionMatch, sources: list[dict], ref: str | None) -> tuple[dict, list[dict]]:
    """The record dict of a register union (``ref``: the date of the ISTAT populations), and what
    it could not publish (``unresolved``: member names, a website)."""
    union, unresolved = _union_dict(reg, um)
    by_code: dict[str, list[MemberMatch]] = {}
    for mm in um.members:
        if mm.istat_code:
            by_code.setdefault(mm.istat_code, []).append(mm)
        else:
            unresolved.append({"field": "members", "text": mm.name, "reason": mm.note})
    members = [_member_dict(reg, code, rows, ref) for code, rows in by_code.items()]
    union["status"], evidence = status_match(
        um.ipa,
        um.ipa_confidence,
        [m.name for m in um.register.members],
        {code: reg.istat[code].name for code in by_code},
        min((mm.confidence for mm in um.members), default=0.0),
    )
    data: dict = {
        "record_format": 1,
        "provenance": {
            "importer": f"lod-unioni {__version__} build --national",
            "sources": list(sources),  # IPA too: it says whether the union is alive (status)
            "matches": _matches(reg, um) + [evidence],
            "edits": [],
        },
        "union": union,
        "members": members,
    }
    if members and all("population" in m for m in members):
        source = f"Somma della popolazione residente ISTAT al {ref} dei comuni membri"
        data["population"] = {
            "value": sum(m["population"]["value"] for m in members),
            "reference_date": ref,
            "source": source,
            "source_key": slug(source),
            "source_kind": POPULATION_KIND,
        }
        if any("derived_from" in m["population"] for m in members):  # a member's figure is a sum too
            data["population"]["derived_from"] = ["ontopia-cities"]
    u = um.register
    data["number_of_comuni"] = u.declared_comuni if u.declared_comuni else len(u.members)
    data["number_of_comuni_source"] = "ministry-unions"
    if unresolved:
        data["unresolved"] = unresolved
    return data, unresolved


# --- every record ------------------------------------------------------------------------------------


@dataclass
class NationalRecords:
    """The records of the register unions no bundled record replaces, and what they could not hold."""

    records: list[Record] = field(default_factory=list)
    unresolved_members: list[dict] = field(default_factory=list)  # member rows that name no current comune
    unresolved_values: list[dict] = field(default_factory=list)  # other registry values not published
    excluded: list[dict] = field(default_factory=list)  # unions with no member resolved: no record


def national_records(
    reg: Registries, unions: list[UnionMatch], sources: list[dict], *, check: bool = True
) -> NationalRecords:
    """The record of every register union that no bundled record replaces; with ``check``, each is
    checked with :func:`lod_unioni.records.validate_record` (a RecordError for the first bad one)."""
    ref = reg.population_date.isoformat() if reg.population_date else None
    out = NationalRecords()
    for um in unions:
        if um.bundled is not None:
            continue
        data, unresolved = national_record(reg, um, sources, ref)
        for x in unresolved:
            item = {
                "union": um.key,
                "ministry_code": um.code,
                "union_name": um.register.name,
                "name": x["text"],
                "reason": x["reason"],
                "field": x["field"],
            }
            (out.unresolved_members if x["field"] == "members" else out.unresolved_values).append(item)
        if not data["members"]:
            out.excluded.append(
                {
                    "ministry_code": um.code,
                    "name": um.register.name,
                    "reason": "no member of the register could be resolved to a current comune",
                }
            )
            continue
        label = um.key
        if check:
            data = validate_record(data, file=record_file(label), record=label)
        out.records.append(Record(Path(f"{label}.yaml"), data))
    return out
