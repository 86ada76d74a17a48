"""IPA matching: each register union paired with an L18 body of IPA (Unioni di Comuni).

Each register union is compared with the L18 bodies seated in one of its members or in its region.
The evidence is the name similarity ``s`` (0..1, :class:`lod_unioni.text.NameMatcher`, after
dropping the words every union has: unione, comuni, comunità, montana, lombarda, the French *unité
des communes valdôtaines*, "in liquidazione"...) and where the body's seat is: a member
(``seat-member``), the union's province (``seat-province``) or only its region (``seat-region``).
``confidence = 0.6 s + 0.4 / 0.25 / 0.1`` (seat member / province / region); a pair is accepted
when the confidence is at least 0.7 and either the seat is a member or the names are alike
(``s >= 0.85``); the method names the evidence, e.g. ``exact-name+seat-member`` (1.0),
``similar-name+seat-province``, ``partial-name+seat-member`` (``s >= 0.5``), ``other-name+...``.
Pairs are assigned best first, each IPA code to one union. A union IPA does not know keeps no IPA
code; its best candidate, if any, is listed in the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..codes import IPA_CODE
from ..registries import Registries
from ..sources.ipa import IpaBody
from ..text import NameMatcher
from .result import UnionMatch

__all__ = ["MIN_CONFIDENCE", "PARTIAL", "SEAT_WEIGHT", "SIMILAR", "match_ipa"]

SEAT_WEIGHT = {"seat-member": 0.4, "seat-province": 0.25, "seat-region": 0.1}
MIN_CONFIDENCE = 0.7
SIMILAR = 0.85
PARTIAL = 0.5


@dataclass
class _Pair:
    union: UnionMatch
    body: IpaBody
    similarity: float
    seat: str  # seat-member | seat-province | seat-region
    confidence: float

    @property
    def method(self) -> str:
        s = self.similarity
        if s >= 1.0:
            name = "exact-name"
        elif s >= SIMILAR:
            name = "similar-name"
        elif s >= PARTIAL:
            name = "partial-name"
        else:
            name = "other-name"
        return f"{name}+{self.seat}"

    @property
    def accepted(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE and (self.seat == "seat-member" or self.similarity >= SIMILAR)

    def candidate(self) -> dict:
        """The pair as the report lists a best candidate that was not accepted."""
        return {
            "ipa_code": self.body.code,
            "name": self.body.name,
            "seat": self.body.seat_istat,
            "similarity": self.similarity,
            "method": self.method,
            "confidence": self.confidence,
        }


class _Bodies:
    """The L18 bodies of IPA with a valid code and a seat in the ISTAT list, by seat and region."""

    def __init__(self, reg: Registries):
        self.reg = reg
        self.by_seat: dict[str, list[IpaBody]] = defaultdict(list)
        self.by_region: dict[str, list[IpaBody]] = defaultdict(list)
        for b in reg.ipa_unions():
            seat = reg.istat.get(b.seat_istat or "")
            if seat is None or not IPA_CODE.matches(b.code):
                continue
            self.by_seat[seat.istat_code].append(b)
            self.by_region[seat.region_code].append(b)

    def candidates(self, um: UnionMatch, members: set[str]) -> list[IpaBody]:
        """The bodies seated in a member (in member order), then those of the union's region, once each."""
        found = [b for code in sorted(members) for b in self.by_seat.get(code, ())]
        found += self.by_region.get(um.region_code or "", [])
        once: dict[str, IpaBody] = {}
        for b in found:
            once.setdefault(b.code, b)
        return list(once.values())

    def pairs(self, um: UnionMatch) -> tuple[list[_Pair], _Pair | None]:
        """The accepted pairs of a union, and its best pair (accepted or not)."""
        members = {m.istat_code for m in um.members if m.istat_code}
        similarity = NameMatcher(um.register.name)
        accepted: list[_Pair] = []
        best: _Pair | None = None
        for b in self.candidates(um, members):
            seat = self.reg.istat[b.seat_istat or ""]  # the candidates are seated in the ISTAT list
            if b.seat_istat in members:
                where = "seat-member"
            elif seat.province_code == um.province_code:
                where = "seat-province"
            else:
                where = "seat-region"
            # a seat outside the members needs alike names: skip what cannot reach SIMILAR
            floor = 0.0 if where == "seat-member" else SIMILAR - 0.005
            s = round(similarity.to(b.name, floor), 2)
            if where != "seat-member" and s < SIMILAR:
                continue
            pair = _Pair(um, b, s, where, round(min(1.0, 0.6 * s + SEAT_WEIGHT[where]), 2))
            if pair.accepted:
                accepted.append(pair)
            if best is None or (pair.confidence, s) > (best.confidence, best.similarity):
                best = pair
        return accepted, best


def match_ipa(reg: Registries, unions: list[UnionMatch]) -> None:
    """Give each union its IPA body (``ipa``, ``ipa_method``, ``ipa_confidence``,
    ``ipa_similarity``), best pairs first, each IPA code to one union; a union left without one
    keeps its best ``candidate`` for the report."""
    bodies = _Bodies(reg)
    pairs: list[_Pair] = []
    for um in unions:
        accepted, best = bodies.pairs(um)
        pairs += accepted
        um.candidate = best.candidate() if best is not None else None
    pairs.sort(key=lambda p: (-p.confidence, -p.similarity, p.union.code, p.body.code))
    taken: set[str] = set()
    for p in pairs:
        if p.union.ipa is not None or p.body.code in taken:
            continue
        p.union.ipa, p.union.ipa_method = p.body, p.method
        p.union.ipa_confidence, p.union.ipa_similarity = p.confidence, p.similarity
        taken.add(p.body.code)
    for um in unions:
        if um.ipa is not None:
            um.candidate = None
