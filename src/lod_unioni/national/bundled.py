"""The bundled records in the national build: each takes precedence for the register union it
replaces (:func:`apply_bundled`), describes the registry files it cites as the national records
do (:func:`same_registry_files`), and gets what the national build learns of its union
(:func:`with_national_facts`): how its IPA code was matched (the steward's record: certain) and
its status (:mod:`lod_unioni.national.status`)."""

from __future__ import annotations

from decimal import Decimal

from ..reconcile import Reconciliation
from ..records import Record
from ..registries import Registries
from .result import UnionMatch
from .status import status_match

__all__ = ["apply_bundled", "bundled_ipa_codes", "same_registry_files", "with_national_facts"]


def apply_bundled(unions: list[UnionMatch], bundled: list[Record], reconciliation: Reconciliation | None) -> list[dict]:
    """Give each bundled record the register union it replaces (``UnionMatch.bundled``): the one
    reconciliation found it in, else the one the matching gave its IPA code; an IPA code a bundled
    record has is then taken from any other union. Returns, for the report, each bundled record
    and the union it replaces."""
    by_code = {um.code: um for um in unions}
    reports = {str(r.record_file): r for r in (reconciliation.unions if reconciliation else [])}
    info = []
    for rec in bundled:
        code = rec.ipa_code or ""
        report = reports.get(str(rec.path))
        um: UnionMatch | None
        how: str | None
        if report is not None and report.ministry_code in by_code:
            um, how = by_code[report.ministry_code], f"register row found by reconciliation ({report.ministry_match})"
        else:
            um = next((x for x in unions if x.ipa is not None and x.ipa.code == code), None)
            how = "same IPA code" if um is not None else None
        if um is not None and um.bundled is None:
            um.bundled, um.bundled_how = rec, how
        info.append(
            {
                "file": str(rec.path),
                "ipa_code": code,
                "name": rec.union.name,
                "replaces": um.code if um is not None else None,
                "register_name": um.register.name if um is not None else None,
                "how": how,
            }
        )
    codes = bundled_ipa_codes(bundled)
    for um in unions:  # an IPA code used by a bundled record belongs to that record's union
        if um.bundled is None and um.ipa is not None and um.ipa.code in codes:
            um.drop_ipa()
    return info


def bundled_ipa_codes(bundled: list[Record]) -> set[str]:
    """The IPA codes of the bundled records (lower case)."""
    return {rec.ipa_code or "" for rec in bundled}


def same_registry_files(rec: Record, sources: list[dict]) -> Record:
    """A bundled record whose ``provenance.sources`` lists a registry file the national records are
    made from (same kind, same SHA-256) describes it as the national records do, so that the dump
    has one description of ``{base}source/{kind}`` (one location, title, date). A file of another
    checksum (the record was made from another version) is left as the record says."""
    national = {s["kind"]: s for s in sources}
    prov = rec.provenance
    listed = prov.get("sources") or []
    same = [
        national[s["kind"]] if s.get("kind") in national and s.get("sha256") == national[s["kind"]]["sha256"] else s
        for s in listed
    ]
    if same == listed:
        return rec
    return Record(rec.path, {**rec.data, "provenance": {**prov, "sources": same}})


def with_national_facts(reg: Registries, rec: Record, um: UnionMatch | None, sources: list[dict]) -> Record:
    """A bundled record with what the national build learns of its union (``um``: the register
    union it replaces, if any): the match of its IPA code (``provenance.matches``, field
    ``union.ipa_code``: ``steward-record``, confidence 1.0, the IPA body it names), its status
    (``union.status`` and its evidence, unless the record states one) and the IPA file among its
    ``provenance.sources`` (``sources``: the national records' items)."""
    prov = rec.provenance
    matches = list(prov.get("matches") or [])
    fields = {m.get("field") for m in matches}
    body = reg.ipa.get(rec.ipa_code)
    if body is not None and "union.ipa_code" not in fields:
        matches.append(
            {
                "field": "union.ipa_code",
                "source": "ipa-enti",
                "method": "steward-record",
                "confidence": Decimal("1.0"),
                "registry_value": f"{body.code} {body.name} (seat {body.seat_istat})",
            }
        )
    union = dict(rec.data["union"])
    if "status" not in union and "union.status" not in fields:
        rows = [m.name for m in um.register.members] if um is not None else [m.name for m in rec.members]
        union["status"], evidence = status_match(body, 1.0, rows, {m.istat_code: m.name for m in rec.members})
        matches.append(evidence)
    listed = list(prov.get("sources") or [])
    ipa = [s for s in sources if s["kind"] == "ipa-enti"]
    if ipa and all(s.get("kind") != "ipa-enti" for s in listed):
        listed += ipa
    return Record(rec.path, {**rec.data, "union": union, "provenance": {**prov, "matches": matches, "sources": listed}})
