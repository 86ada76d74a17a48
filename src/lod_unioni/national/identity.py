"""When a match with IPA is an identity: the rules of ``ontology/MODEL.md``, "Identity".

A record links its union and its member comuni to IPA's organizations
(``https://w3id.org/italia/data/public-organization/{code}``). The link is ``owl:sameAs`` only when
the identity is **certain**; otherwise the record says ``ipa_identity: probable`` and the dumps
link with ``lu:probableSameAs`` (a sub-property of ``rdfs:seeAlso``), the match's method and
confidence being in its PROV qualified derivation.

* **A union** of the national build is certain when the matching found an L18 body of IPA with the
  same name (:func:`lod_unioni.text.core_name`: case, accents, punctuation and the words every
  union has ignored) seated in one of the union's member comuni: method ``exact-name+seat-member``,
  confidence 1 (:mod:`lod_unioni.national.ipa`). Any other method (a similar or partial name, a
  seat elsewhere in the province) is probable. A bundled record is a steward's record, its IPA
  code reconciled by hand (``lod-unioni reconcile``): certain.
* **A comune**'s body is IPA's L6 body seated in it (:meth:`lod_unioni.sources.ipa.IpaIndex.comune`).
  It is certain when it is the only L6 body seated there that has the legal status of a comune
  (``Codice_natura`` 2430) or, without a legal status, IPA's name of the comune ("Comune di" and
  the comune's ISTAT name, as :func:`lod_unioni.text.normalize_name` compares names): method
  ``seat-comune+legal-status`` or ``seat-comune+exact-name``, confidence 1. Otherwise the method is
  ``seat-comune`` and the confidence ``0.4 + 0.6 s`` (``s`` the name similarity,
  :func:`lod_unioni.text.name_similarity`; at most 0.99), as for a union with a member seat.
"""

from __future__ import annotations

from decimal import Decimal

from ..registries import Registries
from ..sources.ipa import NATURA_COMUNE, NATURA_UNIONE, IpaBody
from ..sources.istat import IstatComune
from ..text import name_keys, name_similarity, normalize_name
from .result import UnionMatch

__all__ = ["CERTAIN_UNION_METHOD", "PROBABLE", "comune_ipa_match", "union_ipa_identity"]

#: The one union method that makes the IPA match an identity (for an L12 body of IPA with the legal
#: status Unione di comuni, the method says so: ``exact-name+seat-member+category-l12``).
CERTAIN_UNION_METHOD = "exact-name+seat-member"
_CERTAIN_UNION_METHODS = (CERTAIN_UNION_METHOD, CERTAIN_UNION_METHOD + "+category-l12")
#: The value of a record's ``ipa_identity`` when the identity is not certain.
PROBABLE = "probable"

_COMUNE_PREFIXES = ("comune di ", "comune d ", "comune ")


def union_ipa_identity(um: UnionMatch) -> str | None:
    """``"probable"`` when the union's IPA match is not certain, None when it is (or no match)."""
    if um.ipa is None:
        return None
    a_union = um.ipa.is_union or um.ipa.natura == NATURA_UNIONE
    certain = a_union and um.ipa_method in _CERTAIN_UNION_METHODS and (um.ipa_confidence or 0) >= 1.0
    return None if certain else PROBABLE


def _comune_name(body: IpaBody) -> str:
    """IPA's name of a comune without its "Comune di", normalised: ``Comune di Viu'`` -> ``viu``."""
    name = normalize_name(body.name)
    for prefix in _COMUNE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _named_as(body: IpaBody, c: IstatComune) -> bool:
    keys = name_keys(c.name) | name_keys(c.name_it) | (name_keys(c.name_other) if c.name_other else set())
    return _comune_name(body) in keys


def comune_ipa_match(reg: Registries, c: IstatComune, body: IpaBody) -> tuple[dict, bool]:
    """The match of the comune ``c`` with its IPA body (``members[].ipa_match``: source, method,
    confidence, registry value) and whether it is certain."""
    seated = [b for b in reg.ipa.with_seat(c.istat_code) if b.is_comune]
    legal = [b for b in seated if b.natura == NATURA_COMUNE]
    if body.natura == NATURA_COMUNE and legal == [body]:
        method, confidence = "seat-comune+legal-status", 1.0
    elif not legal and [b for b in seated if _named_as(b, c)] == [body]:
        method, confidence = "seat-comune+exact-name", 1.0
    else:
        method = "seat-comune"
        confidence = min(0.99, round(0.4 + 0.6 * name_similarity(c.name, _comune_name(body)), 2))
    match = {
        "source": "ipa-enti",
        "method": method,
        "confidence": Decimal(repr(confidence)),
        "registry_value": f"{body.official_code} {body.name} (seat {body.seat_istat})",
    }
    return match, confidence >= 1.0
