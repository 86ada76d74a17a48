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

The bodies compared are IPA's unions: the L18 bodies, and the L12 bodies (comunità montane) whose
legal status is Unione di comuni (``Codice_natura`` 2450): the *unioni montane* of Veneto, Piemonte
and Valle d'Aosta, registered in IPA under the category of the comunità montane they succeeded
(``cm_agord`` Unione Montana Agordina); their method ends with ``+category-l12``. A comunità montana
itself (natura 2440) is another body, never matched (the *Comunità di montagna* of Friuli Venezia
Giulia succeeded UTIs that were dissolved). A body's seat is its comune today: a seat that no longer
exists is followed to the comune it was merged into (:meth:`Registries.current_successor`).

**Another wording.** A union still unmatched may be in IPA under a name that is not alike: then a
second pass (:func:`_other_wordings`) accepts the one IPA union (natura 2450, not matched to
another union) seated in one of its members, when one of these says it is the same body:

* ``ipa-name-lists-members`` (0.85): IPA's name is the names of two members or more (``Unione Dei
  Comuni di Francofonte e Licodie Eubea`` for TERRE DELLE ACQUE: FRANCOFONTE, LICODIA EUBEA);
* ``register-name-lists-members`` (0.75): the register's name is the names of two members or
  more (``ANDRANO, SPONGANO E DISO``), so IPA's own name cannot be like it;
* ``ipa-code-initials`` (0.7): the IPA code is the initials of the register's name, after
  "Unione" / "Unione dei Comuni" / "Unione Montana" (``udctv``: Unione dei Comuni Terra del Verga,
  now ``Unione dei Comuni del Calatino``): the body was registered under that name.

Only when the union has exactly one such body seated in its members; the method is the evidence
and ``+seat-member``. These matches are below certainty: their confidence says so.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass

from ..codes import IPA_CODE
from ..registries import Registries
from ..sources.ipa import CATEGORY_UNIONI, NATURA_UNIONE, IpaBody
from ..text import GENERIC_WORDS, NameMatcher, normalize_name
from .result import UnionMatch

__all__ = ["MIN_CONFIDENCE", "PARTIAL", "SEAT_WEIGHT", "SIMILAR", "ipa_union_like", "match_ipa"]

SEAT_WEIGHT = {"seat-member": 0.4, "seat-province": 0.25, "seat-region": 0.1}
MIN_CONFIDENCE = 0.7
SIMILAR = 0.85
PARTIAL = 0.5


def ipa_union_like(body: IpaBody) -> bool:
    """An IPA body that is a union: category L18, or category L12 with the legal status Unione di
    comuni (natura 2450)."""
    return body.is_union or (body.category == "L12" and body.natura == NATURA_UNIONE)


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
        category = "" if self.body.category == CATEGORY_UNIONI else f"+category-{self.body.category.lower()}"
        return f"{name}+{self.seat}{category}"

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
    """IPA's unions (:func:`ipa_union_like`) with a valid code and a seat that is, or was merged into,
    a comune of the ISTAT list, by seat (today's comune) and region."""

    def __init__(self, reg: Registries):
        self.reg = reg
        self.by_seat: dict[str, list[IpaBody]] = defaultdict(list)
        self.by_region: dict[str, list[IpaBody]] = defaultdict(list)
        self.seat: dict[str, str] = {}  # IPA code -> the seat's ISTAT code today
        for b in reg.ipa:
            if not ipa_union_like(b) or not IPA_CODE.matches(b.code):
                continue
            seat = reg.istat.get(reg.current_successor(b.seat_istat) or "") if b.seat_istat else None
            if seat is None:
                continue
            self.seat[b.code] = seat.istat_code
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
            seat = self.reg.istat[self.seat[b.code]]  # the candidates are seated in the ISTAT list
            if seat.istat_code in members:
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


#: Evidence that an IPA union named otherwise is the register's union, and its confidence.
OTHER_WORDING = {"ipa-name-lists-members": 0.85, "register-name-lists-members": 0.75, "ipa-code-initials": 0.7}
#: Initials of the words before a union's own name in an IPA code (Unione, Unione dei Comuni...).
_CODE_PREFIXES = ("u", "uc", "ud", "udc", "um", "ucm", "udcm")


def _words(name: str) -> list[str]:
    """The distinctive words of a name (no generic word, no single letter such as ``S.``)."""
    return [w for w in normalize_name(name).split() if w not in GENERIC_WORDS and len(w) > 1]


def _word_in(word: str, words: set[str]) -> bool:
    """``word`` is one of ``words``, or a spelling of one (``licodie`` / ``licodia``)."""
    return word in words or any(
        min(len(word), len(w)) >= 5 and difflib.SequenceMatcher(None, word, w).ratio() >= 0.85 for w in words
    )


def _members_named(name: str, member_names: list[str]) -> int:
    """How many members ``name`` names, when it is only names of members (each of its distinctive
    words is a word of a member's name); else 0."""
    words = set(_words(name))
    vocabulary = {w for n in member_names for w in _words(n)}
    if not words or not all(_word_in(w, vocabulary) for w in words):
        return 0
    return sum(1 for n in member_names if _words(n) and all(_word_in(w, words) for w in _words(n)))


def _initials(code: str, register_name: str) -> bool:
    """The IPA code is the initials of the register's name (after a prefix of :data:`_CODE_PREFIXES`)."""
    letters = re.sub(r"_[0-9]+\Z", "", code)
    words = _words(register_name)
    if not letters.isalpha() or not words:
        return False
    return any(letters == prefix + "".join(w[0] for w in words) for prefix in _CODE_PREFIXES)


def _wording(um: UnionMatch, body: IpaBody, member_names: list[str]) -> str | None:
    """The evidence that ``body`` is the union under another wording (:data:`OTHER_WORDING`), or None."""
    if _members_named(body.name, member_names) >= 2:
        return "ipa-name-lists-members"
    if _members_named(um.register.name, member_names) >= 2:
        return "register-name-lists-members"
    if _initials(body.code, um.register.name):
        return "ipa-code-initials"
    return None


def _other_wordings(reg: Registries, bodies: _Bodies, unions: list[UnionMatch], taken: set[str]) -> None:
    """The second pass (module docstring): each union still unmatched whose only free IPA union
    seated in its members says, by its name, the register's or its code, that it is the same body."""
    claims: dict[str, list[tuple[UnionMatch, IpaBody, str]]] = defaultdict(list)
    for um in unions:
        if um.ipa is not None:
            continue
        members = {m.istat_code for m in um.members if m.istat_code}
        free = {
            b.code: b
            for code in sorted(members)
            for b in bodies.by_seat.get(code, ())
            if b.code not in taken and b.natura == NATURA_UNIONE
        }
        if len(free) != 1:
            continue
        [body] = free.values()
        evidence = _wording(um, body, [reg.istat[code].name for code in sorted(members)])
        if evidence is not None:
            claims[body.code].append((um, body, evidence))
    for claim in claims.values():
        if len(claim) != 1:  # two unions for one body: neither
            continue
        [(um, body, evidence)] = claim
        category = "" if body.category == CATEGORY_UNIONI else f"+category-{body.category.lower()}"
        um.ipa, um.ipa_method = body, f"{evidence}+seat-member{category}"
        um.ipa_confidence = OTHER_WORDING[evidence]
        um.ipa_similarity = round(NameMatcher(um.register.name).to(body.name), 2)
        taken.add(body.code)


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
    _other_wordings(reg, bodies, unions, taken)
    for um in unions:
        if um.ipa is not None:
            um.candidate = None
