"""The register's unions with their members: each member row resolved to a current comune (by
:meth:`lod_unioni.registries.Registries.ministry_members`), with the method and confidence of the
resolution, and the union's region and province.

Methods and confidences of a member (how ``ministry_members`` resolves the names):

* ``name-in-region`` (1.0): the name of a current comune of the union's region;
* ``former-name`` (0.9): a former name (OntoPiA history) of a current comune; a former name of a
  comune of the union's region wins over the same name in another region (the register's CALLIANO
  in Asti is Calliano Monferrato, not Calliano in Trentino);
* ``name-other-region`` (0.8): a comune that has since moved to another region (e.g. SAPPADA);
* ``merged-into+name`` (0.9, or 0.85 when other comuni of the province started that day): a comune
  that no longer exists, merged into the comune whose name contains the old one (OntoPiA closes
  the old comune's last row on the day the successor's current row starts, in the same province);
* ``merged-into+date`` (0.7): a comune that no longer exists, merged into the only comune of the
  province that started on the day it ended;
* ``unresolved`` (0.0): none of these; the name is kept in the record (``unresolved``) and listed
  in the report, never dropped.

Two register rows that now are one comune give one member of the record
(:mod:`lod_unioni.national.records`).
"""

from __future__ import annotations

from collections import Counter

from ..registries import RegisterMemberMatch, Registries
from ..sources.ministero import MinistryUnion
from .result import MemberMatch, UnionMatch

__all__ = ["member_matches", "union_match", "union_province"]

#: RegisterMemberMatch.how -> (method, confidence, registry kind that resolved it)
METHODS = {
    "name": ("name-in-region", 1.0, "istat-comuni"),
    "renamed": ("former-name", 0.9, "ontopia-cities"),
    "moved": ("name-other-region", 0.8, "istat-comuni"),
    "merged-into+name": ("merged-into+name", 0.9, "ontopia-cities"),
    "merged-into+date": ("merged-into+date", 0.7, "ontopia-cities"),
}
#: A merged-into+name successor that is not the only comune of the province that started that day.
MERGED_AMONG_OTHERS = 0.85
UNRESOLVED = "no current comune of that name in the union's region, nor a former name in OntoPiA"


def member_match(m: RegisterMemberMatch) -> MemberMatch:
    """A resolved (or not) register member row with its method and confidence."""
    if not m.istat_code:
        return MemberMatch(m.name, m.line, None, "unresolved", 0.0, "istat-comuni", m.note or UNRESOLVED)
    method, conf, kind = METHODS.get(m.how, (m.how, 0.5, "istat-comuni"))
    if m.how == "merged-into+name" and m.also_started:
        conf = MERGED_AMONG_OTHERS
    note = m.note
    if m.how == "renamed":
        note = f"former name of {m.current_name} ({m.istat_code}) in OntoPiA" + (f"; {m.note}" if m.note else "")
    return MemberMatch(m.name, m.line, m.istat_code, method, conf, kind, note)


def member_matches(reg: Registries, u: MinistryUnion) -> list[MemberMatch]:
    """Every member row of a register union, resolved through renames and mergers."""
    return [member_match(m) for m in reg.ministry_members(u, merged=True)]


def union_province(reg: Registries, u: MinistryUnion, members: list[MemberMatch]) -> tuple[str | None, str, float]:
    """The union's province (code, method, confidence): the register's province name
    (``register-name``, 1.0), else the province of most of its members (``members-majority``,
    the share of the members in it)."""
    code = reg.ministry_province(u)
    if code is not None:
        return code, "register-name", 1.0
    provinces = Counter(reg.istat[m.istat_code].province_code for m in members if m.istat_code)
    if not provinces:
        return None, "none", 0.0
    (best, n), *_rest = sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))
    return best, "members-majority", round(n / sum(provinces.values()), 2)


def union_match(reg: Registries, u: MinistryUnion) -> UnionMatch:
    """A register union with its members, region (the register's, else most of its members') and
    province; no IPA body yet (:func:`lod_unioni.national.ipa.match_ipa`)."""
    members = member_matches(reg, u)
    region = reg.ministry_region(u)
    if region is None:
        regions = Counter(reg.istat[m.istat_code].region_code for m in members if m.istat_code)
        region = regions.most_common(1)[0][0] if regions else None
    code, method, confidence = union_province(reg, u, members)
    return UnionMatch(u, region, code, method, confidence, members)
