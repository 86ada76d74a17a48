"""The members' populations and the union's total against ISTAT's resident population at the same
reference date (checks ``member-population*``, ``union-population*``)."""

from __future__ import annotations

from ..records import Member
from ..sources.istat import IstatPopulation
from .checks import Text
from .context import Context

__all__ = ["check"]


def check(ctx: Context) -> None:
    reg = ctx.reg
    ref = reg.population_date.isoformat() if reg.population_date else None
    istat_sum, complete = 0, True
    for m in ctx.members:
        p = reg.population.get(m.istat_code)
        figure = p.population if p else None
        if figure is None:
            complete = False
        else:
            istat_sum += figure
        _member(ctx, m, p, ref)
    _union(ctx, ref, istat_sum if complete else None)


def _file_date(ctx: Context, check: str, ref: str | None) -> Text | str:
    return ref or ctx.part(check, "no-file-date")


def _member(ctx: Context, m: Member, p: IstatPopulation | None, ref: str | None) -> None:
    pop = m.population
    if pop is None:
        return
    code, name = m.istat_code, m.name
    figure = p.population if p else None
    value, when = pop.value, pop.reference_date
    line = p.line if p else None
    if when != ref:
        check = "member-population-date"
        ctx.add(
            check,
            m.field("population.reference_date"),
            when,
            ref,
            line,
            member=code,
            name=name,
            code=code,
            value=value,
            when=when or ctx.part(check, "no-date"),
            date=_file_date(ctx, check, ref),
            figure=figure if figure is not None else ctx.part(check, "no-figure"),
        )
    elif figure is None:
        ctx.add(
            "member-population-missing",
            m.field("population.value"),
            value,
            None,
            line,
            member=code,
            name=name,
            code=code,
            date=ref,
        )
    elif value != figure:
        d = value - figure
        ctx.add(
            "member-population",
            m.field("population.value"),
            value,
            figure,
            line,
            member=code,
            details={"difference": d},
            name=name,
            code=code,
            value=value,
            date=ref,
            figure=figure,
            difference=d,
        )


def _union(ctx: Context, ref: str | None, istat_sum: int | None) -> None:
    """The union's total against the sum of ISTAT's figures (None when one is missing)."""
    total = ctx.record.population
    if total is None:
        return
    value, when = total.value, total.reference_date
    if when != ref:
        check = "union-population-date"
        ctx.add(
            check,
            "population.reference_date",
            when,
            ref,
            None,
            value=value,
            when=when or ctx.part(check, "no-date"),
            date=_file_date(ctx, check, ref),
            total=istat_sum if istat_sum is not None else ctx.part(check, "incomplete"),
        )
    elif istat_sum is not None and value != istat_sum:
        d = value - istat_sum
        ctx.add(
            "union-population",
            "population.value",
            value,
            istat_sum,
            None,
            details={"difference": d},
            value=value,
            date=ref,
            members=len(ctx.members),
            total=istat_sum,
            difference=d,
        )
