"""The PA digitale 2026 applications of the union and of its members (checks ``project-*``):
those that cannot be joined to the union or a member, so are not published (``project-unjoined``,
for the reasons :func:`lod_unioni.sources.applications.unjoined_reason` gives, the ones the build's
join uses), and those whose ``cod_comune`` is not the seat of their body (``project-seat``: the
union's IPA seat; a member's application, the member itself). Nothing when the sources folder has
no applications.

Which applications are a record's: the union's, by the IPA code of its body (the record's code; the
likely body's when the record's code is not the union's, and then none of them joins); a member's,
by the member's IPA code or by a ``cod_comune`` that is now the member (a comune merged into it
included), as the build joins them.
"""

from __future__ import annotations

from ..records.model import Member
from ..registries import Registries
from ..sources.applications import COMUNI, unjoined_reason
from ..sources.padigitale import Candidatura, PaDigitale
from ..text import normalize_name
from .checks import Text
from .context import Context

__all__ = ["check"]

_FIELD = "projects"


def check(ctx: Context) -> None:
    apps = ctx.reg.applications
    if apps is None:
        return
    _union(ctx, apps)
    for m in ctx.members:
        _member(ctx, apps, m)


def _union(ctx: Context, apps: PaDigitale) -> None:
    """The union's applications: by its own IPA body, or by the likely one (none joins then)."""
    body = ctx.fit_body
    if body is None:
        return
    union = ctx.part("project-unjoined", "union")
    for c in apps.for_body(body.code):
        reason = unjoined_reason(c, ctx.reg.ipa, None, {ctx.code})
        if reason is not None:
            _unjoined(ctx, _FIELD, c, reason, union)
        elif body.seat_istat:
            _seat(ctx, _FIELD, c, body.seat_istat, None)


def _member(ctx: Context, apps: PaDigitale, m: Member) -> None:
    """A member's applications: by its IPA code (then its cod_comune must be the member) or by
    its cod_comune."""
    ipa = (m.ipa_code or "").lower()
    by_code = [c for c in apps.for_body(ipa) if c.body_type == COMUNI] if ipa else []
    rows = {(c.file, c.line): c for c in by_code}
    for c in ctx.reg.applications_of_comune(m.istat_code):
        rows.setdefault((c.file, c.line), c)
    own = {(c.file, c.line) for c in by_code}
    body = Text(f"{m.name} ({m.istat_code})", f"{m.name} ({m.istat_code})")
    for key in sorted(rows):
        c = rows[key]
        current = ctx.reg.current_successor(c.istat_code) if c.istat_code else None
        reason = unjoined_reason(c, ctx.reg.ipa, current)
        if reason is not None:
            _unjoined(ctx, m.field(_FIELD), c, reason, body, m)
        elif key in own:
            _seat(ctx, m.field(_FIELD), c, m.istat_code, m)


def _row(c: Candidatura) -> dict:
    return {"file": c.file, "line": c.line, "codice_ipa": c.ipa_code, "cup": c.cup, "cod_comune": c.istat_code}


def _unjoined(ctx: Context, field: str, c: Candidatura, reason: str, body: Text, m: Member | None = None) -> None:
    ctx.add(
        "project-unjoined",
        field,
        None,
        f"{c.ipa_code} {c.ente}: {c.cup or 'no CUP'} ({c.avviso})",
        c.line,
        situation=reason,
        member=m.istat_code if m else None,
        details=dict(_row(c), reason=reason),
        source=ctx.reg.application_refs.get(c.file),
        body=body,
        ente=c.ente,
        ipa=c.ipa_code,
        call=c.avviso,
        file=c.file,
        line=c.line,
        cup=c.cup,
        given=c.istat_code or "N/D",
        code=ctx.code,
    )


def _seat(ctx: Context, field: str, c: Candidatura, seat: str, m: Member | None) -> None:
    """The application's cod_comune against ``seat``: the union's IPA seat, or the member."""
    given = c.istat_code
    if given is None or given == seat:
        return
    reg = ctx.reg
    ctx.add(
        "project-seat",
        field,
        c.cup,
        given,
        c.line,
        situation="comune" if m else "union",
        unless=_one_comune(reg, given, seat, c.comune),
        member=m.istat_code if m else None,
        details=dict(_row(c), seat=seat),
        source=reg.application_refs.get(c.file),
        body=f"{m.name} ({m.istat_code})" if m else "",
        ipa=c.ipa_code,
        file=c.file,
        line=c.line,
        cup=c.cup,
        given=ctx.comune_label(given) if given in reg.istat else f"{c.comune or '?'} ({given})",
        seat=ctx.comune_label(seat),
    )


def _now(reg: Registries, code: str) -> str | None:
    """The current comune ``code`` is now: itself, or the comune it was recoded to or merged into
    (OntoPiA's history); None when not known."""
    if code in reg.istat:
        return code
    successor = reg.comune_successor(code)
    return successor[0] if successor else None


def _one_comune(reg: Registries, given: str, seat: str, name: str | None) -> bool:
    """Whether two ISTAT codes are one comune now: recoded, or merged into it (OntoPiA's history),
    or ``given`` a code that neither ISTAT's list nor OntoPiA has yet, written with the comune's own
    name (the publisher's files are newer than the registries: the Sardinian comuni recoded in 2025)."""
    now, own = _now(reg, given), _now(reg, seat)
    if now is not None or reg.city_history(given):
        return now is not None and now == own
    return own is not None and bool(name) and normalize_name(name or "") == normalize_name(reg.istat[own].name)
