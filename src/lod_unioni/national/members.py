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

**The union's province and region** are those of its members today (:func:`union_territory`),
not the register's: the register of 2020 names provinces that no longer exist in that form
(Sardinia's reorganisation moved whole areas to new provinces: CARBONIA-IGLESIAS, MEDIO CAMPIDANO
and most of CAGLIARI are now Sud Sardegna). The rule, with the method and confidence recorded:

* ``members-province`` (1.0): every member is in one province: that one;
* ``seat-province`` (the share of the members in it): the members are in several provinces and
  the union's seat in IPA is in one of them: the seat's;
* ``members-majority`` (the share): else the province of most members; a tie goes to the
  register's province when it is one of the tied, else to the lowest code;
* ``register-name`` (1.0): no member resolved: the register's province.

The region is the province's. Where the register's province differs from the one derived (or
names no current province), the national report lists it (``province_differences``).
"""

from __future__ import annotations

from collections import Counter

from ..registries import RegisterMemberMatch, Registries
from ..sources.ministero import MinistryUnion
from .result import MemberMatch, UnionMatch

__all__ = ["member_matches", "union_match", "union_province", "union_territory"]

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


def union_province(
    reg: Registries, members: list[MemberMatch], seat: str | None, register_code: str | None
) -> tuple[str | None, str, float]:
    """The union's province (code, method, confidence) from its members' current provinces, the
    province of its seat (``seat``: an ISTAT code) and the register's province (``register_code``),
    by the rule of the module docstring."""
    provinces = Counter(reg.istat[code].province_code for code in {m.istat_code for m in members if m.istat_code})
    if not provinces:
        return register_code, "register-name", 1.0
    total = sum(provinces.values())
    if len(provinces) == 1:
        return next(iter(provinces)), "members-province", 1.0
    seat_province = reg.istat[seat].province_code if seat is not None and seat in reg.istat else None
    if seat_province is not None and seat_province in provinces:
        return seat_province, "seat-province", round(provinces[seat_province] / total, 2)
    most = max(provinces.values())
    tied = sorted(code for code, n in provinces.items() if n == most)
    best = register_code if register_code in tied else tied[0]
    return best, "members-majority", round(most / total, 2)


def union_territory(reg: Registries, um: UnionMatch) -> None:
    """Set the union's province and region from its members' current ones (and its IPA seat, once
    matched: :func:`lod_unioni.national.ipa.match_ipa`), by the rule of the module docstring; the
    register's province stays in ``register_province_code``."""
    seat = um.ipa.seat_istat if um.ipa is not None else None
    code, method, confidence = union_province(reg, um.members, seat, um.register_province_code)
    um.province_code, um.province_method, um.province_confidence = code, method, confidence
    province = reg.provinces.get(code or "")
    if province is not None and province.region_code in reg.regions:
        um.region_code = province.region_code


def union_match(reg: Registries, u: MinistryUnion) -> UnionMatch:
    """A register union with its members, its region and province as the register gives them (the
    members' majority where the register's name is not a current one), which the IPA matching uses;
    no IPA body yet (:func:`lod_unioni.national.ipa.match_ipa`); :func:`union_territory` then
    derives the published province and region from the members."""
    members = member_matches(reg, u)
    region = reg.ministry_region(u)
    if region is None:
        regions = Counter(reg.istat[m.istat_code].region_code for m in members if m.istat_code)
        region = regions.most_common(1)[0][0] if regions else None
    register_code = reg.ministry_province(u)
    code = register_code
    if code is None:
        code, _, _ = union_province(reg, members, None, None)
    um = UnionMatch(u, region, code, "register-name", 1.0, members)
    um.register_province_code, um.register_region_code = register_code, reg.ministry_region(u)
    return um
