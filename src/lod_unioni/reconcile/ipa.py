"""The union's IPA code against IPA: whose code it is, the name and seat of the body, and, when the
code is not the union's, the L18 body that most likely is (checks ``ipa-*``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.ipa import IpaBody
from ..text import core_name, name_similarity, normalize_name
from .checks import EMPTY, SIMILAR_NAME, UNLIKE_NAME, Text
from .context import Context

__all__ = ["check"]

_FIELD = "union.ipa_code"


def check(ctx: Context) -> None:
    body = ctx.reg.ipa.get(ctx.code)
    if body is None:
        ctx.add("ipa-code-unknown", _FIELD, ctx.code, None, None, code=ctx.code)
    else:
        written = str(ctx.union.ipa_code)
        if written != body.official_code:  # the same code, spelt otherwise: the link would not resolve
            ipa_code = body.official_code
            ctx.add("ipa-code-spelling", _FIELD, written, ipa_code, body.line, code=written, ipa_code=ipa_code)
        sim = name_similarity(ctx.name, body.name)
        seat_member = body.seat_istat in set(ctx.member_codes)
        if not body.is_union or sim < UNLIKE_NAME or (not seat_member and sim < SIMILAR_NAME):
            _other_body(ctx, body, sim, seat_member)
        else:
            ctx.fit_body = body
            ctx.report.ipa_body, ctx.report.ipa_match = body.code, "record code"
            _own_body(ctx, body, sim, seat_member)
    if ctx.fit_body is None:
        _likely(ctx)


def _other_body(ctx: Context, body: IpaBody, sim: float, seat_member: bool) -> None:
    """The record's code is another body's: whose, and why it is not the union."""
    why = []
    if not body.is_union:
        part = "not-a-union-named" if body.category_name else "not-a-union"
        why.append(ctx.part("ipa-code-other-body", part, category=body.category, category_name=body.category_name))
    if sim < SIMILAR_NAME:
        why.append(ctx.part("ipa-code-other-body", "name", name=body.name, record_name=ctx.name, similarity=sim))
    if not seat_member:
        why.append(ctx.part("ipa-code-other-body", "seat", seat=ctx.comune_label(body.seat_istat)))
    ctx.add(
        "ipa-code-other-body",
        _FIELD,
        ctx.code,
        ctx.body_label(body),
        body.line,
        code=ctx.code,
        owner=body.name,
        why=Text.join("; ", why),
        details={
            "owner_code": body.code,
            "owner_name": body.name,
            "owner_category": body.category,
            "owner_seat": body.seat_istat,
            "name_similarity": round(sim, 2),
        },
    )


def _own_body(ctx: Context, body: IpaBody, sim: float, seat_member: bool) -> None:
    """The record's code is the union's: IPA's name and seat of it."""
    if normalize_name(body.name) != normalize_name(ctx.name):
        ctx.add(
            "ipa-name",
            "union.name",
            ctx.name,
            body.name,
            body.line,
            unless=core_name(body.name) == core_name(ctx.name),
            code=ctx.code,
            ipa_name=body.name,
            name=ctx.name,
            similarity=sim,
        )
    if not seat_member:
        seat_label = ctx.comune_label(body.seat_istat)
        ctx.add(
            "ipa-seat-not-member", _FIELD, ctx.code, ctx.body_label(body), body.line, code=body.code, seat=seat_label
        )
    seat = ctx.reg.istat.get(body.seat_istat or "")
    province = ctx.union.province_code
    if seat and seat.province_code != province:
        ctx.add(
            "ipa-seat-province",
            "union.province.code",
            province,
            seat.province_code,
            body.line,
            code=body.code,
            seat=seat.name,
            seat_province=seat.province_code,
            province=province,
        )


@dataclass(frozen=True)
class _Candidate:
    """An L18 body that may be the record's union, and why."""

    score: float
    similarity: float
    seat_member: bool
    in_province: bool
    in_region: bool
    body: IpaBody

    @property
    def confidence(self) -> str:
        if self.similarity >= SIMILAR_NAME and self.seat_member:
            return "high"
        if self.similarity >= SIMILAR_NAME or (self.seat_member and self.similarity >= UNLIKE_NAME):
            return "medium"
        return "low"


def _candidates(ctx: Context) -> list[_Candidate]:
    """The L18 bodies seated among the members, or in the union's region with a similar name, best first."""
    reg = ctx.reg
    members = set(ctx.member_codes)
    province, region = ctx.union.province_code, ctx.union.region_code
    found = []
    for b in reg.ipa_unions():
        if b.code == ctx.code:
            continue
        seat = reg.istat.get(b.seat_istat or "")
        seat_member = b.seat_istat in members
        in_region = seat is not None and seat.region_code == region
        if not seat_member and not in_region:
            continue
        sim = name_similarity(ctx.name, b.name)
        if not seat_member and sim < SIMILAR_NAME:
            continue
        in_province = seat is not None and seat.province_code == province
        score = sim + (1.0 if seat_member else 0.0) + (0.2 if in_province else 0.0) + (0.1 if in_region else 0.0)
        found.append(_Candidate(score, sim, seat_member, in_province, in_region, b))
    found.sort(key=lambda c: (-c.score, c.body.code))
    return found


def _evidence(ctx: Context, best: _Candidate) -> Text:
    b = best.body
    part = ctx.part
    evidence = [part("ipa-code-likely", "name", name=b.name, similarity=best.similarity, record_name=ctx.name)]
    seat = ctx.reg.istat.get(b.seat_istat or "")
    label = ctx.comune_label(b.seat_istat)
    if best.seat_member:
        evidence.append(part("ipa-code-likely", "seat-member", seat=label))
    elif seat:
        evidence.append(
            part("ipa-code-likely", "seat-in-province" if best.in_province else "seat-in-region", seat=label)
        )
    if seat and best.in_province:
        evidence.append(part("ipa-code-likely", "province", province=seat.province_acronym or seat.province_code))
    return Text.join("; ", evidence)


def _likely(ctx: Context) -> None:
    """Search the L18 bodies for the record's union: name, seat among the members, province."""
    candidates = _candidates(ctx)
    if not candidates:
        ctx.add("ipa-code-likely", _FIELD, ctx.code, None, None, situation="none")
        return
    best, b = candidates[0], candidates[0].body
    confidence = best.confidence
    others = [c.body.code for c in candidates[1:4] if c.score >= best.score - 0.15]
    ctx.fit_body = b if confidence != "low" else None
    ctx.report.ipa_body, ctx.report.ipa_match = b.code, f"likely ({confidence} confidence)"
    ctx.add(
        "ipa-code-likely",
        _FIELD,
        ctx.code,
        b.code,
        b.line,
        situation="found",
        code=b.code,
        confidence=ctx.part("ipa-code-likely", confidence),
        evidence=_evidence(ctx, best),
        others=ctx.part("ipa-code-likely", "others", codes=", ".join(others)) if others else EMPTY,
        details={
            "suggested_ipa_code": b.code,
            "suggested_name": b.name,
            "confidence": confidence,
            "name_similarity": round(best.similarity, 2),
            "seat": b.seat_istat,
            "seat_is_member": best.seat_member,
            "other_candidates": others,
        },
    )
