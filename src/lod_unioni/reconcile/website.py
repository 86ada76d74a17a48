"""The union's website against IPA: the union's own site, or the site (or the name in the domain)
of another body (checks ``website-*``)."""

from __future__ import annotations

import difflib
import functools

from ..sources.ipa import IpaBody
from ..text import core_name, normalize_name, website_key, website_url
from .checks import SIMILAR_NAME
from .context import Context

__all__ = ["check"]

_FIELD = "union.website"


def check(ctx: Context) -> None:
    site = ctx.union.website
    key = website_key(site)
    body = ctx.fit_body
    if body is not None:
        _against_own(ctx, body, site)
    if not key:
        return
    if not _other_body(ctx, site, key):
        _other_union(ctx, site)


def _against_own(ctx: Context, body: IpaBody, site: str | None) -> None:
    """The website against IPA's site of the union's own body."""
    key, ipa_site = website_key(site), body.website
    ipa_key = website_key(ipa_site)
    line = body.line
    if key and ipa_key:
        if key != ipa_key:
            ctx.add("website-mismatch", _FIELD, site, ipa_site, line, code=body.code, ipa_site=ipa_site)
        elif website_url(site) != website_url(ipa_site):
            ctx.add("website-form", _FIELD, site, ipa_site, line, ipa_site=ipa_site)
    elif key and not ipa_key:
        ctx.add("website-not-in-ipa", _FIELD, site, None, line, code=body.code)
    elif ipa_key and not key:
        ctx.add("website-missing", _FIELD, None, ipa_site, line, code=body.code, ipa_site=ipa_site)


def _own_codes(ctx: Context) -> set[str]:
    return {ctx.code} | ({ctx.fit_body.code} if ctx.fit_body else set())


def _other_body(ctx: Context, site: str | None, key: str) -> bool:
    """Whether the website is IPA's site of another body (then reported)."""
    body = ctx.fit_body
    ipa_key = website_key(body.website) if body else None
    own = _own_codes(ctx)
    owners = [b for b in ctx.reg.website_owners(key) if b.code not in own]
    if not owners or (ipa_key and ipa_key == key):
        return False
    o = owners[0]
    ctx.add(
        "website-other-body",
        _FIELD,
        site,
        ctx.body_label(o),
        o.line,
        owner_code=o.code,
        owner_name=o.name,
        details={"owner_code": o.code, "owner_name": o.name},
    )
    return True


def _other_union(ctx: Context, site: str | None) -> None:
    """Whether the website's domain is the name of another L18 union rather than the union's own."""
    label = _domain_label(site)
    if not label:
        return
    body = ctx.fit_body
    own = max(_domain_score(label, _compact_names(n)) for n in [ctx.name] + ([body.name] if body else []))
    own_codes = _own_codes(ctx)
    best: tuple[float, IpaBody] | None = None
    for b in ctx.reg.ipa_unions():
        if b.code in own_codes:
            continue
        names = _compact_names(b.name)
        s = _domain_score(label, names, SIMILAR_NAME)
        if best is None or s > best[0] or (s == best[0] and len(names[0]) > len(_compact_names(best[1].name)[0])):
            best = (s, b)
    if not best or best[0] < SIMILAR_NAME or best[0] <= own + 0.1:
        return
    s, b = best
    ctx.add(
        "website-other-union",
        _FIELD,
        site,
        ctx.body_label(b),
        b.line,
        label=label,
        owner_code=b.code,
        owner_name=b.name,
        likeness=s,
        own=own,
        details={"owner_code": b.code, "owner_name": b.name, "likeness": round(s, 2), "own_likeness": round(own, 2)},
    )


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
