"""The report of the national build: ``national-report.json`` (what was matched, what was not, the
source disagreements accepted), the same as text in ``national-report.txt``, and the list of what
could not be matched on stderr. The report holds no timings, so that it stays byte-identical."""

from __future__ import annotations

import json
from typing import Any

from pyoxigraph import Triple

from .. import __version__, progress
from ..build import ExtraFiles
from ..iris import IS_REPLACED_BY, OWL_DEPRECATED
from ..records import Record
from ..sources.applications import UNJOINED_REASONS
from ..validation import ValidationReport, ValidationResult
from .policy import ACCEPTED_RULES, accept_policy, split_violations
from .projects import Unjoined
from .result import NationalResult

__all__ = ["REPORT_FILES", "print_unmatched", "report_dict", "report_files", "report_text"]

REPORT_FILES = ("national-report.json", "national-report.txt")
_SOURCE_FIELDS = ("name", "file", "location", "url", "retrieved", "sha256", "downloaded")


def report_files(result: NationalResult, base_iri: str) -> ExtraFiles:
    """The files of the report, made by the build from its triples and its validation report
    (:func:`lod_unioni.build.build_records`, ``extra_files``)."""
    policy = accept_policy(result, base_iri)

    def files(triples: list[Triple], validation: Any) -> dict[str, bytes]:
        report = validation if isinstance(validation, ValidationReport) else None
        accepted, refused = split_violations(report, policy)
        rep = report_dict(result, base_iri, accepted, refused, len(triples))
        rep["stats"]["deprecated_iris"] = _deprecated(triples)
        text = json.dumps(rep, indent=2, ensure_ascii=False, default=str) + "\n"
        return {REPORT_FILES[0]: text.encode("utf-8"), REPORT_FILES[1]: report_text(rep).encode("utf-8")}

    return files


def report_dict(
    result: NationalResult,
    base_iri: str,
    accepted: list[ValidationResult],
    refused: list[ValidationResult],
    triples: int,
) -> dict:
    """The content of ``national-report.json``."""
    return {
        "report_format": 1,
        "generator": f"lod-unioni {__version__} build --national",
        "base_iri": base_iri,
        "data_date": result.data_date,
        "sources": {k: {x: v[x] for x in _SOURCE_FIELDS if x in v} for k, v in result.sources.items()},
        "stats": dict(result.stats, triples=triples),
        "bundled_records": result.bundled,
        "reconciliation_counts": result.reconciliation.get("counts", {}),
        "unmatched_unions": result.unmatched_unions,
        "unresolved_members": result.unresolved_members,
        "unresolved_values": result.unresolved_values,
        "excluded_unions": result.excluded,
        "ipa_unions_not_in_register": result.ipa_not_in_register,
        "province_differences": result.province_differences,
        "ipa_only_unions": result.ipa_only,
        "ipa_left_out": result.ipa_left_out,
        "unions_by_status": [_status(r) for r in result.records],
        "projects_unjoined": [_unjoined(u) for u in result.projects_unjoined],
        "source_disagreements": {
            "policy": {rule: why for rule, why in sorted(ACCEPTED_RULES.items())},
            "expected": [d.to_dict() for d in result.expected],
            "violations": [_result_dict(r) for r in accepted],
        },
        "refused_violations": [_result_dict(r) for r in refused],
    }


def _unjoined(u: Unjoined) -> dict:
    """A PA digitale 2026 row of a comune or a union that joins no body (national.projects.Unjoined)."""
    c = u.row
    return {
        "reason": u.reason,
        "file": c.file,
        "line": c.line,
        "codice_ipa": c.ipa_code,
        "ente": c.ente,
        "cod_comune": c.istat_code,
        "comune": c.comune,
        "cup": c.cup,
        "call": c.avviso,
    }


def _project_lines(rep: dict) -> list[str]:
    rows = rep["projects_unjoined"]
    counts = {reason: sum(1 for r in rows if r["reason"] == reason) for reason in UNJOINED_REASONS}
    lines = [
        "",
        f"PA digitale 2026: {rep['stats'].get('projects', 0)} projects (CUPs) of comuni and unions; applications "
        f"that join no body ({len(rows)}; not published; rule: lod_unioni.sources.applications.unjoined_reason):",
    ]
    lines += [f"  {reason} ({n}): {UNJOINED_REASONS[reason]}" for reason, n in counts.items() if n]
    lines += [
        f"    {r['reason']}: {r['file']} line {r['line']}: {r['codice_ipa']} {r['ente']} (cod_comune "
        f"{r['cod_comune'] or 'N/D'}, {r['comune'] or '-'}): CUP {r['cup'] or '-'}, {r['call']}"
        for r in rows
    ]
    return lines


def _deprecated(triples: list[Triple]) -> dict:
    """How many deprecated IRIs the dumps keep (:mod:`lod_unioni.iris`), and how many of them name
    the IRI that replaces them."""
    deprecated = {t.subject for t in triples if t.predicate == OWL_DEPRECATED}
    replaced = {t.subject for t in triples if t.predicate == IS_REPLACED_BY} & deprecated
    return {"iris": len(deprecated), "with_successor": len(replaced)}


def _status(rec: Record) -> dict:
    """A union's status and its evidence, for the report."""
    [evidence] = [m for m in rec.provenance.get("matches") or [] if m.get("field") == "union.status"] or [{}]
    return {
        "key": rec.key,
        "name": rec.union.name,
        "ministry_code": rec.union.ministry_code,
        "status": rec.data["union"].get("status"),
        "evidence": f"{evidence.get('method')}: {evidence.get('registry_value')}" if evidence else None,
    }


def _term(term: Any) -> str:
    return str(term.value if hasattr(term, "value") else term)


def _result_dict(r: ValidationResult) -> dict:
    return {
        "union": r.union,
        "union_name": r.union_name,
        "rule": r.rule,
        "severity": r.severity,
        "focus": _term(r.focus),
        "value": None if r.value is None else _term(r.value),
        "message_en": r.message_en,
    }


def _candidate(c: dict | None, confidence: str = "") -> str:
    if not c:
        return ""
    return f"; best candidate {c['ipa_code']} {c['name']!r} ({c['method']}, {confidence}{c['confidence']})"


def _matching_lines(rep: dict) -> list[str]:
    s = rep["stats"]
    links = s["ipa_links"]
    lines = [f"lod-unioni national build ({rep['generator']}), data of {rep['data_date']}", "", "Sources:"]
    for kind, src in rep["sources"].items():
        when = f"downloaded {src['retrieved']}" if src.get("retrieved") else "a local copy, no download record"
        lines.append(f"  {kind}: {src.get('location')} ({when}, sha256 {src.get('sha256', '')[:16]}...)")
    lines += [
        "",
        "Match rates:",
        f"  unions with an IPA code: {s['unions_with_ipa']} of {s['unions']} ({s['union_match_rate']:.1%})",
        f"  member rows resolved to a current comune: {s['members_resolved']} of {s['member_rows']} "
        f"({s['member_resolution_rate']:.1%})",
        f"  records: {s['records']}, comuni: {s['comuni']}, triples: {s['triples']}",
        f"  unions with a total population: {s['unions_with_total']} of {s['records']} records; "
        f"{s['comuni_population_summed']} member comuni made by a merger after the population's date "
        "have the sum of the comuni they are made of (OntoPiA history)",
        f"  founding dates: {s['founding_dates']} in the register, {s['founding_dates_1_january']} of them "
        f"1 January (a placeholder: published as the year, xsd:gYear, in {s['founding_published_as_year']} "
        "records; the register's value in each record's provenance)",
        f"  links to IPA: unions {links['unions']['sameAs']} owl:sameAs (identity certain), "
        f"{links['unions']['probableSameAs']} lu:probableSameAs (probable); comuni {links['comuni']['sameAs']} "
        f"owl:sameAs, {links['comuni']['probableSameAs']} lu:probableSameAs",
        f"  deprecated IRIs kept in the dumps (iris.csv): {s['deprecated_iris']['iris']}, "
        f"{s['deprecated_iris']['with_successor']} of them with the IRI that replaces them (dcterms:isReplacedBy)",
        *_projects_lines(s),
        "",
        f"Bundled records ({len(rep['bundled_records'])}); reconciliation: "
        + ", ".join(f"{n} {k}(s)" for k, n in rep["reconciliation_counts"].items()),
    ]
    for b in rep["bundled_records"]:
        lines.append(
            f"  {b['ipa_code']} {b['name']}: replaces {b['replaces'] or 'no register union'}"
            + (f" ({b['register_name']}; {b['how']})" if b["replaces"] else "")
        )
    lines += [
        "",
        f"Unions IPA does not know ({len(rep['unmatched_unions'])}): published as {{base}}union/dait-{{code}}, "
        "or the IRI first published for them (iris.csv)",
    ]
    for u in rep["unmatched_unions"]:
        cand = _candidate(u["best_candidate"], "confidence ")
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
    return lines


def _projects_lines(s: dict) -> list[str]:
    """The PNRR projects joined, and the measures whose applications file was read or not."""
    measures = s.get("pnrr_measures")
    if measures is None:
        return []
    return [
        f"  PNRR projects (PA digitale 2026) of comuni and unions: {s.get('projects', 0)}; application rows "
        f"that join no body: {s.get('project_rows_unjoined', 0)} (see lod-unioni reconcile)",
        f"  PNRR measures in the sources: {', '.join(measures['in_sources']) or 'none'}; not in the sources "
        f"(their applications are not known, not zero): {', '.join(measures['not_in_sources']) or 'none'}",
    ]


def _validation_lines(rep: dict) -> list[str]:
    sd = rep["source_disagreements"]
    lines = [f"SHACL violations accepted as disagreements between the sources ({len(sd['violations'])}):"]
    for rule, why in sd["policy"].items():
        n = sum(1 for v in sd["violations"] if v["rule"] == rule)
        if n:
            lines.append(f"  {rule} ({n}): {why}")
    for v in sd["violations"]:
        lines.append(f"    {_about(v)}: {v['rule']}: {v['message_en']}")
    if rep["refused_violations"]:
        lines += ["", f"REFUSED violations ({len(rep['refused_violations'])}):"]
        lines += [f"  {_about(v)}: {v['rule']}: {v['message_en']}" for v in rep["refused_violations"]]
    return lines


def _about(v: dict) -> str:
    """What a violation is about: its union, else its focus node (a project's application)."""
    return f"{v['union_name']} <{v['union']}>" if v["union"] else f"<{v['focus']}>"


def _status_lines(rep: dict, records: list[dict]) -> list[str]:
    counts = rep["stats"]["statuses"]
    lines = [
        "",
        "Union status (is the union still alive? lod_unioni.national.status): "
        + ", ".join(f"{s} {n}" for s, n in counts.items()),
    ]
    for r in records:
        if r["status"] in ("in-liquidation", "single-member"):
            lines.append(f"  {r['status']}: {r['key']} {r['name']}: {r['evidence']}")
    return lines


def _ipa_only_lines(rep: dict) -> list[str]:
    only, left = rep["ipa_only_unions"], rep["ipa_left_out"]
    lines = [
        "",
        f"Unions the register does not know, published with IPA's data ({len(only)}; members not known: "
        "lu:membersKnown false; rule: lod_unioni.national.ipa_only):",
    ]
    lines += [
        f"  {u['ipa'].split(' (')[0]} ({u['province']}, {u['status']}; legal status {u['legal_status']})" for u in only
    ]
    lines += ["", f"IPA L18 bodies matched to no union and not published as one ({len(left)}):"]
    lines += [f"  {b['ipa_code']} {b['name']}: {b['reason']}" for b in left]
    return lines


def _territory_lines(rep: dict) -> list[str]:
    diffs = rep["province_differences"]
    lines = [
        "",
        f"Unions whose province or region the register names otherwise than their members give ({len(diffs)}): "
        "published with their members' (rule: lod_unioni.national.members)",
    ]
    for d in diffs:
        register = d["register_province"] + ("" if d["register_province_code"] else " (no current province)")
        lines.append(
            f"  {d['ministry_code']} {d['name']}: register {register}, {d['register_region']}; "
            f"members: {d['province']} ({d['province_code']}), region {d['region_code']} "
            f"({d['method']}, {d['confidence']})"
        )
    return lines


def report_text(rep: dict) -> str:
    """``national-report.txt``: the report for people."""
    lines = _matching_lines(rep) + _ipa_only_lines(rep) + _status_lines(rep, rep["unions_by_status"])
    lines += _territory_lines(rep) + _project_lines(rep)
    lines += [
        "",
        f"IPA unions (L18) matched to no register union ({len(rep['ipa_unions_not_in_register'])}): "
        "see national-report.json",
        "",
    ]
    return "\n".join(lines + _validation_lines(rep)) + "\n"


def print_unmatched(result: NationalResult, limit: int | None = None) -> None:
    """List on stderr what could not be matched: unions without an IPA code, unresolved members."""
    progress.warn(
        f"{len(result.unmatched_unions)} union(s) of the register have no IPA code "
        "(published as {base}union/dait-{code}, or the IRI first published for them):"
    )
    for u in result.unmatched_unions[:limit]:
        progress.info(f"    {u['ministry_code']} {u['name']} ({u['province']})" + _candidate(u["best_candidate"]))
    if limit is not None and len(result.unmatched_unions) > limit:
        progress.info(f"    ... {len(result.unmatched_unions) - limit} more in national-report.txt")
    progress.warn(f"{len(result.unresolved_members)} register member row(s) name no current comune:")
    for m in result.unresolved_members:
        progress.info(f"    {m['ministry_code']} {m['union_name']}: {m['name']} ({m['reason']})")
    for u in result.excluded:
        progress.warn(f"register union {u['ministry_code']} {u['name']} not published: {u['reason']}")
