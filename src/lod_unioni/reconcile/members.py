"""Each member against ISTAT's list of comuni, OntoPiA's cities and IPA's comuni: code, name,
province, region, cadastral code, city, IPA code (checks ``member-*`` but the population)."""

from __future__ import annotations

from ..gazetteer import ResolveError
from ..records import Member
from ..sources.istat import IstatComune
from ..text import name_keys, normalize_name
from .checks import EMPTY, Text
from .context import Context

__all__ = ["check"]


def check(ctx: Context) -> None:
    for m in ctx.members:
        c = ctx.reg.istat.get(m.istat_code)
        if c is None:
            _unknown_code(ctx, m)
            continue
        _name(ctx, m, c)
        _codes(ctx, m, c)
        _city(ctx, m, c)
        _ipa_code(ctx, m, c)


def _resolve_name(ctx: Context, m: Member) -> str | None:
    """The ISTAT code of the member's name, in its province (else its region)."""
    gazetteer, union = ctx.reg.gazetteer, ctx.union
    try:
        return gazetteer.comune(
            m.name, m.province_code or union.province_code, m.region_code or union.region_code
        ).istat_code
    except ResolveError:
        try:
            return gazetteer.comune(m.name, None, union.region_code).istat_code
        except ResolveError:
            return None


def _unknown_code(ctx: Context, m: Member) -> None:
    code, name = m.istat_code, m.name
    history = ctx.reg.city_history(code)
    other = _resolve_name(ctx, m)
    evidence: list[Text] = []
    if history:
        last = history[-1]
        evidence.append(
            ctx.part("member-istat-code", "ontopia", label=last.label_it, code=code, until=last.valid_to.isoformat())
        )
    if other:
        evidence.append(ctx.part("member-istat-code", "name", name=name, other=ctx.comune_label(other)))
    ctx.add(
        "member-istat-code",
        m.field("istat_code"),
        code,
        other,
        None,
        member=code,
        name=name,
        code=code,
        evidence=Text.join("", evidence) if evidence else EMPTY,
    )


def _name(ctx: Context, m: Member, c: IstatComune) -> None:
    code, name = m.istat_code, m.name
    keys = name_keys(c.name) | name_keys(c.name_it) | (name_keys(c.name_other) if c.name_other else set())
    if normalize_name(name) in keys:
        return
    other = _resolve_name(ctx, m)
    field = m.field("name")
    if other and other != code:
        ctx.add(
            "member-name-other-code",
            field,
            f"{name} ({code})",
            ctx.comune_label(other),
            ctx.reg.istat[other].line,
            member=code,
            name=name,
            other=ctx.comune_label(other),
            code=code,
            istat_name=c.name,
        )
    elif any(r.istat_code == code for r in ctx.reg.former_names(name)):
        ctx.add("member-renamed", field, name, c.name, c.line, member=code, name=name, code=code, istat_name=c.name)
    else:
        ctx.add("member-name", field, name, c.name, c.line, member=code, name=name, code=code, istat_name=c.name)


def _codes(ctx: Context, m: Member, c: IstatComune) -> None:
    """Province, region and cadastral code against ISTAT's."""
    cadastral = (m.cadastral_code or "").upper() or None
    for check, key, value, compared, theirs in (
        ("member-province", "province_code", m.province_code, m.province_code, c.province_code),
        ("member-region", "region_code", m.region_code, m.region_code, c.region_code),
        ("member-cadastral-code", "cadastral_code", m.cadastral_code, cadastral, c.cadastral_code),
    ):
        if compared is not None and str(compared) != theirs:
            ctx.add(
                check,
                m.field(key),
                value,
                theirs,
                c.line,
                member=m.istat_code,
                name=c.name,
                code=m.istat_code,
                theirs=theirs,
                ours=value,
            )


def _city(ctx: Context, m: Member, c: IstatComune) -> None:
    """The member's OntoPiA city (and its start date) against the current row of its comune."""
    ours = m.ontopia_city
    if ours is None:
        return
    rows = ctx.reg.current_cities.get(c.istat_code, [])
    ids = [r.id_comune for r in rows]
    code = c.istat_code
    if len(rows) != 1 or ours != ids[0]:
        theirs = ", ".join(ids) if ids else None
        ctx.add(
            "member-ontopia-city",
            m.field("ontopia_city"),
            ours,
            theirs,
            rows[0].line if len(rows) == 1 else None,
            situation="city",
            member=code,
            name=c.name,
            code=code,
            theirs=theirs or ctx.part("member-ontopia-city", "missing"),
            ours=ours,
        )
        return
    valid_from = m.city_valid_from
    start = rows[0].valid_from.isoformat()
    if valid_from is not None and str(valid_from) != start:
        ctx.add(
            "member-ontopia-city",
            m.field("city_valid_from"),
            str(valid_from),
            start,
            rows[0].line,
            situation="start",
            member=code,
            name=c.name,
            code=code,
            city=ids[0],
            start=start,
            ours=valid_from,
        )


def _ipa_code(ctx: Context, m: Member, c: IstatComune) -> None:
    """The member's IPA code against IPA's comune seated there."""
    ours = m.ipa_code
    body = ctx.reg.ipa.comune(c.istat_code)
    if body is None or ours is None:
        return
    if ours.lower() == body.code:
        if ours != body.official_code:  # the same code, spelt otherwise: the link would not resolve
            ctx.add(
                "member-ipa-code-spelling",
                m.field("ipa_code"),
                ours,
                body.official_code,
                body.line,
                member=c.istat_code,
                name=c.name,
                code=c.istat_code,
                ipa_code=body.official_code,
                ours=ours,
            )
        return
    ctx.add(
        "member-ipa-code",
        m.field("ipa_code"),
        ours,
        body.code,
        body.line,
        member=c.istat_code,
        name=c.name,
        code=c.istat_code,
        ipa_code=body.code,
        ipa_name=body.name,
        ours=ours,
    )
