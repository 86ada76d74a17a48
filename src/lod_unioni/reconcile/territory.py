"""The union's region and province against OntoPiA (checks ``union-region``, ``union-province``)."""

from __future__ import annotations

from ..text import name_keys
from .context import Context

__all__ = ["check"]


def check(ctx: Context) -> None:
    _region(ctx)
    _province(ctx)


def _region(ctx: Context) -> None:
    code = ctx.union.region_code
    region = ctx.reg.regions.get(code)
    if region is None:
        ctx.add("union-region", "union.region.code", code, None, None, situation="code", code=code)
        return
    name = ctx.union.region_name
    if name and not (name_keys(name) & name_keys(region.name)):
        ctx.add(
            "union-region",
            "union.region.name",
            name,
            region.name,
            region.line,
            situation="name",
            code=code,
            ours=name,
            theirs=region.name,
        )


def _province(ctx: Context) -> None:
    code = ctx.union.province_code
    province = ctx.reg.provinces.get(code)
    if province is None:
        ctx.add("union-province", "union.province.code", code, None, None, situation="code", code=code)
        return
    line = province.line
    name = ctx.union.province_name
    if name and not (name_keys(name) & name_keys(province.name)):
        ctx.add(
            "union-province",
            "union.province.name",
            name,
            province.name,
            line,
            situation="name",
            code=code,
            ours=name,
            theirs=province.name,
        )
    acronym = ctx.union.province_acronym
    if acronym and province.acronym and acronym.upper() != province.acronym:
        ctx.add(
            "union-province",
            "union.province.acronym",
            acronym,
            province.acronym,
            line,
            situation="acronym",
            code=code,
            name=province.name,
            ours=acronym,
            theirs=province.acronym,
        )
    region = ctx.union.region_code
    if province.region_code != region:
        ctx.add(
            "union-province",
            "union.province.code",
            code,
            province.region_code,
            line,
            situation="region",
            code=code,
            name=province.name,
            ours=region,
            theirs=province.region_code,
        )
