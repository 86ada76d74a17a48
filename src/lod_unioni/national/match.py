"""The whole matching: every union of the Ministry register becomes a record, the bundled records
taking precedence for their unions (:func:`build_national_records`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..build import Clock
from ..reconcile import Reconciliation, reconcile
from ..records import Record, load_records
from ..registries import Registries, load_registries
from ..sources.folder import SourcesDir
from ..sources.kinds import PNRR_MEASURES
from .bundled import apply_bundled, bundled_ipa_codes, same_registry_files, with_national_facts
from .identity import PROBABLE
from .ipa import match_ipa
from .ipa_only import ipa_only_records
from .members import union_match, union_territory
from .policy import expected_disagreements
from .projects import has_projects, with_projects
from .records import founded, national_records, union_name
from .records import source_items as make_source_items
from .result import NationalResult, UnionMatch
from .status import STATUSES

__all__ = ["build_national_records"]


def build_national_records(
    sources: Registries | SourcesDir | str | Path,
    bundled_records: Sequence[Record] | str | Path | None = (),
    *,
    reconciliation: Reconciliation | None = None,
    check_records: bool = True,
    projects: bool = True,
    timings: dict[str, float] | None = None,
) -> NationalResult:
    """Every union of the Ministry register as a record (:mod:`lod_unioni.national`: how), the
    bundled records taking precedence for their unions.

    ``sources``: a :class:`~lod_unioni.registries.Registries` already read (each registry file is
    then read once for the whole pipeline), a :class:`~lod_unioni.sources.folder.SourcesDir` or a
    folder. ``bundled_records``: loaded records or a records folder (``None`` or empty: none).
    ``reconciliation``: the reconciliation of the bundled records, when already made.
    ``check_records``: check every national record with :func:`lod_unioni.records.validate_record`
    (a :class:`~lod_unioni.errors.RecordError` for the first bad one); the national pipeline passes
    False and checks them in the background while the graph is built
    (:class:`~lod_unioni.national.schema_check.RecordCheck`). ``projects``: join the PA digitale
    2026 projects to the records (:mod:`lod_unioni.national.projects`) when the sources have them.
    ``timings``: the seconds of each part are added to it.
    """
    clock = Clock(timings)
    reg = sources if isinstance(sources, Registries) else load_registries(sources)
    if isinstance(bundled_records, (str, Path)):
        bundled_records = load_records(bundled_records)
    bundled = list(bundled_records or [])
    if bundled and reconciliation is None:
        reconciliation = reconcile(bundled, reg)
        clock.lap("reconcile")
    unions = [union_match(reg, u) for u in reg.ministry]
    clock.lap("resolve members")
    match_ipa(reg, unions)
    for um in unions:
        union_territory(reg, um)
    clock.lap("match IPA")
    bundled_info = apply_bundled(unions, bundled, reconciliation)
    items, source_info = make_source_items(reg)
    made = national_records(reg, unions, items, check=check_records)
    taken = {um.ipa.code for um in unions if um.ipa is not None} | bundled_ipa_codes(bundled)
    ipa_only, left_out = ipa_only_records(reg, taken, items, union_name, check=check_records)
    replacing = {id(um.bundled): um for um in unions if um.bundled is not None}
    records = (
        made.records
        + ipa_only
        + [with_national_facts(reg, same_registry_files(rec, items), replacing.get(id(rec)), items) for rec in bundled]
    )
    clock.lap("make records")
    national = len(made.records) + len(ipa_only)  # the first records: made from the registries
    unjoined: list = []
    measures: tuple[tuple[str, ...], tuple[str, ...]] = ((), PNRR_MEASURES)  # in the sources, not
    if projects and has_projects(reg):
        records, index = with_projects(reg, records)
        unjoined = index.unjoined
        measures = (index.measures, index.measures_not_read)
        clock.lap("join projects")
    expected = expected_disagreements(records, {id(r) for r in records[:national]})
    result = NationalResult(
        records=records,
        unions=unions,
        stats=_stats(reg, unions, records, bundled),
        unmatched_unions=_unmatched(unions),
        unresolved_members=made.unresolved_members,
        unresolved_values=made.unresolved_values,
        ipa_not_in_register=_ipa_left(reg, unions, bundled),
        excluded=made.excluded,
        expected=expected,
        bundled=bundled_info,
        reconciliation={
            "counts": reconciliation.counts if reconciliation else {},
            "unions": [u.to_dict() for u in reconciliation.unions] if reconciliation else [],
        },
        sources=source_info,
        data_date=_data_date(source_info, bundled),
        province_differences=_province_differences(reg, unions),
        ipa_only=[_ipa_only_item(r) for r in ipa_only],
        ipa_left_out=left_out,
    )
    result.stats["ipa_only_unions"] = len(ipa_only)
    result.projects_unjoined = unjoined
    result.stats["projects"] = len({p["cup"] for r in records for p in r.data.get("projects", ())})
    result.stats["project_rows_unjoined"] = len(unjoined)
    result.stats["pnrr_measures"] = {"in_sources": list(measures[0]), "not_in_sources": list(measures[1])}
    clock.lap("statistics")
    return result


def _ipa_only_item(rec: Record) -> dict:
    """An IPA-only union for the report."""
    matches = {m["field"]: m for m in rec.provenance["matches"]}
    return {
        "ipa_code": rec.ipa_code,
        "name": rec.union.name,
        "province": rec.union.province_code,
        "region": rec.union.region_code,
        "status": rec.data["union"]["status"],
        "legal_status": f"{matches['union.legal_status']['method']} ({matches['union.legal_status']['confidence']})",
        "ipa": matches["union"]["registry_value"],
    }


def _bundled_in_ipa(reg: Registries, um: UnionMatch) -> bool:
    """Whether the IPA code of the bundled record replacing the union is an L18 body of IPA."""
    body = reg.ipa.get(um.bundled.union.ipa_code or "") if um.bundled is not None else None
    return body is not None and body.is_union


def _stats(reg: Registries, unions: list[UnionMatch], records: list[Record], bundled: list[Record]) -> dict:
    n_unions = len(unions)
    with_ipa = sum(1 for um in unions if um.ipa is not None or (um.bundled is not None and _bundled_in_ipa(reg, um)))
    rows = [m for um in unions for m in um.members]
    resolved = [m for m in rows if m.istat_code]
    replacing = sum(1 for um in unions if um.bundled is not None)
    return {
        "unions": n_unions,
        "records": len(records),
        "bundled_replacing": replacing,
        "bundled_extra": len(bundled) - replacing,
        "unions_with_ipa": with_ipa,
        "union_match_rate": with_ipa / n_unions if n_unions else 0.0,
        "ipa_methods": dict(Counter(um.ipa_method for um in unions if um.ipa is not None and um.bundled is None)),
        "member_rows": len(rows),
        "members_resolved": len(resolved),
        "member_resolution_rate": len(resolved) / len(rows) if rows else 0.0,
        "member_methods": dict(Counter(m.method for m in rows)),
        "comuni": len({code for r in records for code in r.member_codes}),
        "members_without_population": sum(1 for r in records for m in r.members if m.population is None),
        "comuni_population_summed": len(
            {
                m["istat_code"]
                for r in records
                for m in r.data["members"]
                if "derived_from" in (m.get("population") or {})
            }
        ),
        "unions_with_total": sum(1 for r in records if r.population is not None),
        "statuses": {s: n for s in STATUSES if (n := sum(1 for r in records if r.data["union"].get("status") == s))},
        "ipa_links": _ipa_links(records),
        **_founding_stats(unions),
    }


def _ipa_links(records: list[Record]) -> dict:
    """How many unions and (distinct) comuni link to IPA with ``owl:sameAs`` (the identity is
    certain) and with ``lu:probableSameAs`` (``ipa_identity: probable``)."""
    unions = Counter(r.data["union"].get("ipa_identity", "certain") for r in records if r.ipa_code)
    comuni = {
        m["istat_code"]: m.get("ipa_identity", "certain")
        for r in records
        for m in r.data["members"]
        if m.get("ipa_code")
    }
    return {
        "unions": {"sameAs": unions["certain"], "probableSameAs": unions[PROBABLE]},
        "comuni": {
            "sameAs": sum(1 for v in comuni.values() if v == "certain"),
            "probableSameAs": sum(1 for v in comuni.values() if v == PROBABLE),
        },
    }


def _founding_stats(unions: list[UnionMatch]) -> dict:
    """How many register dates there are, how many are 1 January (the register's placeholder for a
    date it does not know), and how many of those the national records publish as a year."""
    dates = [(um, um.register.founding_date) for um in unions if um.register.founding_date is not None]
    placeholders = [um for um, day in dates if day is not None and len(founded(day)) == 4]
    return {
        "founding_dates": len(dates),
        "founding_dates_1_january": len(placeholders),
        "founding_published_as_year": sum(1 for um in placeholders if um.bundled is None),
    }


def _unmatched(unions: list[UnionMatch]) -> list[dict]:
    """The register unions left without an IPA code, with their best candidate."""
    return [
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


def _province_differences(reg: Registries, unions: list[UnionMatch]) -> list[dict]:
    """The register unions whose province (or region) as the register names it is not the one
    their members give (:func:`lod_unioni.national.members.union_territory`)."""
    out = []
    for um in unions:
        if um.bundled is not None:
            continue
        if (um.register_province_code, um.register_region_code) == (um.province_code, um.region_code):
            continue
        province = reg.provinces.get(um.province_code or "")
        out.append(
            {
                "ministry_code": um.code,
                "name": um.register.name,
                "register_province": um.register.province,
                "register_province_code": um.register_province_code,
                "register_region": um.register.region,
                "province_code": um.province_code,
                "province": province.name if province else None,
                "region_code": um.region_code,
                "method": um.province_method,
                "confidence": um.province_confidence,
            }
        )
    return out


def _ipa_left(reg: Registries, unions: list[UnionMatch], bundled: list[Record]) -> list[dict]:
    """The L18 bodies of IPA no register union (nor bundled record) has."""
    matched = {um.ipa.code for um in unions if um.ipa is not None} | bundled_ipa_codes(bundled)
    return [
        {"ipa_code": b.code, "name": b.name, "seat": b.seat_istat} for b in reg.ipa_unions() if b.code not in matched
    ]


def _data_date(source_info: dict[str, dict], bundled: list[Record]) -> str | None:
    """The date of the data: the latest download of a registry file (the manifest's; a file placed by
    hand has no known date: never its modification time) or import or edit of a bundled record."""
    dates = [v["retrieved"][:10] for v in source_info.values() if v.get("retrieved")]
    dates += [str(d) for r in bundled for d in r.dates]
    return max(dates) if dates else None
