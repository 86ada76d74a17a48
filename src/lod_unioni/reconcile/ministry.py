"""The union against the Ministry of the Interior register of unions: the register's row of the union,
then its name, members, founding date, number of comuni, population (checks ``ministry-*``)."""

from __future__ import annotations

from ..sources.ministero import MinistryUnion
from ..text import core_name, name_similarity, normalize_name
from .checks import CHECKS, EMPTY, MINISTRY_POPULATION_WARNING, SIMILAR_NAME, UNLIKE_NAME, Text
from .context import Context

__all__ = ["check", "find_union"]


def check(ctx: Context) -> None:
    found = find_union(ctx)
    if found is None:
        _not_found(ctx)
        return
    u, how = found
    ctx.report.ministry_code, ctx.report.ministry_match = u.code, how.en
    if normalize_name(u.name) != normalize_name(ctx.name):
        ctx.add(
            "ministry-name",
            "union.name",
            ctx.name,
            u.name,
            u.line,
            unless=core_name(u.name) == core_name(ctx.name),
            code=u.code,
            how=how,
            name=u.name,
        )
    _members(ctx, u)
    _founding(ctx, u)
    _count(ctx, u)
    _issues(ctx, u)
    _population(ctx, u)


def _how(ctx: Context, part: str, **fields: object) -> Text:
    return ctx.part("ministry-name", part, **fields)


def find_union(ctx: Context) -> tuple[MinistryUnion, Text] | None:
    """The register's row of the union, with how it was found: a union of the record's region with
    the record's (or IPA's) name in the same province, or most of its members."""
    reg = ctx.reg
    region, province = ctx.union.region_code, ctx.union.province_code
    ours = set(ctx.member_codes)
    names = [ctx.name] + ([ctx.fit_body.name] if ctx.fit_body else [])
    best: tuple[float, MinistryUnion, list[Text]] | None = None
    for u in reg.ministry:
        if reg.ministry_region(u) not in (region, None):
            continue
        exact_record = normalize_name(ctx.name) == u.key
        exact = exact_record or any(normalize_name(n) == u.key for n in names)
        sim = max(name_similarity(n, u.name) for n in names)
        if not exact and sim < UNLIKE_NAME and reg.ministry_region(u) is None:
            continue
        theirs = {x.istat_code for x in reg.ministry_members(u) if x.istat_code}
        common = len(ours & theirs)
        overlap = common / len(ours | theirs) if (ours or theirs) else 0.0
        prov = reg.ministry_province(u)
        prov_ok = prov == province
        if not ((exact and (prov_ok or prov is None)) or overlap >= 0.5 or (sim >= SIMILAR_NAME and common)):
            continue
        score = overlap + sim + (0.2 if prov_ok else 0.0)
        if best is None or score > best[0]:
            how = []
            if exact_record:
                how.append(_how(ctx, "by-name"))
            elif exact:
                how.append(_how(ctx, "by-ipa-name"))
            elif any(core_name(n) == core_name(u.name) for n in names):
                how.append(_how(ctx, "by-core-name"))
            elif sim >= SIMILAR_NAME:
                how.append(_how(ctx, "by-similar-name", similarity=sim))
            if prov_ok:
                how.append(_how(ctx, "by-province"))
            best = (score, u, how)
    if best is None:
        return None
    u, how = best[1], best[2]
    theirs = {x.istat_code for x in reg.ministry_members(u, history=True) if x.istat_code}
    how.append(_how(ctx, "by-members", common=len(ours & theirs), count=len(ours)))
    return u, Text.join(", ", how)


def _not_found(ctx: Context) -> None:
    year = ctx.reg.ministry_year
    founded = ctx.union.founded or ""
    late = bool(founded[:4].isdigit() and year and int(founded[:4]) > year)
    ctx.add(
        "ministry-not-found",
        "union",
        ctx.name,
        None,
        None,
        unless=late,
        late=ctx.part("ministry-not-found", "late", year=year) if late else EMPTY,
    )


def _members(ctx: Context, u: MinistryUnion) -> None:
    """The register's members against the record's."""
    matches = ctx.reg.ministry_members(u, history=True)
    theirs = {x.istat_code: x for x in matches if x.istat_code}
    for x in matches:
        if x.how == "renamed":
            ctx.add(
                "ministry-member-renamed",
                "members",
                x.current_name,
                x.name,
                x.line,
                member=x.istat_code,
                name=x.name,
                current=x.current_name,
                code=x.istat_code,
            )
        elif x.how in ("unresolved", "not-current"):
            note = ctx.part("ministry-member-unresolved", "note", note=x.note) if x.note else EMPTY
            ctx.add("ministry-member-unresolved", "members", None, x.name, x.line, name=x.name, note=note)
    for m in ctx.members:
        code = m.istat_code
        if code not in theirs:
            ctx.add(
                "ministry-member-missing",
                m.field(),
                f"{m.name} ({code})",
                None,
                u.line,
                member=code,
                name=m.name,
                code=code,
                union=u.name,
            )
    ours = set(ctx.member_codes)
    for code, x in theirs.items():
        if code not in ours:
            ctx.add(
                "ministry-member-extra",
                "members",
                None,
                f"{x.name} ({code})",
                x.line,
                member=code,
                name=x.name,
                comune=ctx.comune_label(code),
            )


def _founding(ctx: Context, u: MinistryUnion) -> None:
    """The record's founding year or date against the register's date."""
    if u.founding_date is None:
        return
    founded = ctx.union.founded
    full = u.founding_date.isoformat()

    def add(check: str, situation: str) -> None:
        ctx.add(check, "union.founded", founded, full, u.line, situation=situation, founded=founded, date=full)

    if not founded:
        add("ministry-founding-detail", "no-date")
    elif len(founded) == 4:
        if int(founded) == u.founding_date.year:
            add("ministry-founding-detail", "same-year")
        else:
            add("ministry-founding-date", "year")
    elif founded != full:
        add("ministry-founding-date", "date")


def _count(ctx: Context, u: MinistryUnion) -> None:
    declared = u.declared_comuni if u.declared_comuni is not None else len(u.members)
    ours = ctx.record.number_of_comuni
    if ours is None:
        ours = len(ctx.members)
    if ours != declared:
        ctx.add("ministry-number-of-comuni", "number_of_comuni", ours, declared, u.line, ours=ours, theirs=declared)


def _issues(ctx: Context, u: MinistryUnion) -> None:
    """What the register says of the union that disagrees with the register itself."""
    check = "ministry-register-issue"
    for issue in ctx.reg.ministry.issues:
        if issue.union_code == u.code:
            kind = issue.kind if issue.kind in CHECKS[check].parts else "other"
            text = ctx.part(check, kind, message=issue.message, expected=issue.expected, found=issue.found)
            ctx.add(check, "union", None, issue.found, issue.line, issue=text)


def _population(ctx: Context, u: MinistryUnion) -> None:
    """The record's total against the register's (of another date)."""
    total = ctx.record.population
    if total is None or u.total is None or total.value == u.total:
        return
    value = total.value
    d = value - u.total
    rel = (d if d >= 0 else -d) / u.total if u.total else 1.0
    check = "ministry-population"
    ctx.add(
        check,
        "population.value",
        value,
        u.total,
        u.line,
        unless=rel > MINISTRY_POPULATION_WARNING,
        details={"difference": d},
        value=value,
        date=total.reference_date or ctx.part(check, "no-date"),
        total=u.total,
        difference=d,
        relative=rel,
    )
