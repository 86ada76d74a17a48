"""Is the union still alive? Each union's status, a concept of the union-status scheme
(``ontology/vocabularies/union-status``), with its evidence.

The register is of 2020; since then unions have been dissolved (the UTIs of Friuli Venezia
Giulia), put in liquidation, or emptied by mergers of their comuni. The status of a union, the
first that applies:

=================== ================================================================ ===================
status              evidence                                                         method
=================== ================================================================ ===================
``in-liquidation``  the IPA body matched is in liquidation ("in liquidazione" in its   ``ipa-in-liquidation``
                    name, or the official export's ``Ente_in_liquidazione``)
``single-member``   the register lists two comuni or more, which are one comune now    ``members-merged-into-one``
                    (mergers: ISTAT / OntoPiA)
``active``          an IPA body matched, not in liquidation                            ``ipa-body``
``not-in-ipa``      no IPA body matched: possibly dissolved                           ``no-ipa-body``
=================== ================================================================ ===================

The evidence is a ``provenance.matches`` item of the record (field ``union.status``), a PROV
qualified derivation in the dumps: the registry, the method, the confidence (that of the IPA match,
or of the members' resolution; 1.0 for "no body matched", which is what the matching found) and
what the registry holds. No union is dropped for its status.
"""

from __future__ import annotations

from decimal import Decimal

from ..sources.ipa import IpaBody

__all__ = ["STATUSES", "status_match"]

#: The statuses, in the order in which they are tried.
STATUSES = ("in-liquidation", "single-member", "active", "not-in-ipa")


def _dec(x: float) -> Decimal:
    return Decimal(repr(round(float(x), 2)))


def status_match(
    body: IpaBody | None,
    ipa_confidence: float | None,
    register_rows: list[str],
    members: dict[str, str],
    members_confidence: float = 1.0,
) -> tuple[str, dict]:
    """The status of a union and its evidence (a ``provenance.matches`` item).

    ``body``: the IPA body matched (None: none), with the confidence of that match;
    ``register_rows``: the member names the register lists; ``members``: the current comuni they
    are (ISTAT code -> name), resolved with ``members_confidence``."""
    ipa = f"{body.code} {body.name}" if body is not None else ""
    if body is not None and body.in_liquidation:
        return "in-liquidation", _match("ipa-enti", "ipa-in-liquidation", ipa_confidence or 0.0, ipa)
    if len(register_rows) >= 2 and len(members) == 1:
        [(code, name)] = members.items()
        value = f"{'; '.join(register_rows)} -> {name} ({code})"
        return "single-member", _match("ontopia-cities", "members-merged-into-one", members_confidence, value)
    if body is not None:
        return "active", _match("ipa-enti", "ipa-body", ipa_confidence or 0.0, ipa)
    return "not-in-ipa", _match("ipa-enti", "no-ipa-body", 1.0, "no body of IPA matched the union")


def _match(source: str, method: str, confidence: float, value: str) -> dict:
    return {
        "field": "union.status",
        "source": source,
        "method": method,
        "confidence": _dec(confidence),
        "registry_value": value,
    }
