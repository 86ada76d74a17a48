"""Which PA digitale 2026 applications (:mod:`.padigitale`) the projects are made of, and why one
of them joins no body: said once, for the build's join (:mod:`lod_unioni.national.projects`) and
for reconciliation (:mod:`lod_unioni.reconcile.projects`).

The applications of the **comuni** (``tipologia_ente`` Comuni) and of the **unions** (an IPA body
of category L18, or of legal status 2450) are in scope; schools, ASL and the other bodies are not.
"""

from __future__ import annotations

from collections.abc import Collection

from .ipa import CATEGORY_UNIONI, NATURA_UNIONE, IpaIndex
from .padigitale import Candidatura

__all__ = ["COMUNI", "UNJOINED_REASONS", "of_comune_or_union", "unjoined_reason"]

COMUNI = "Comuni"  # tipologia_ente of a comune's application
#: Why an application of a comune or a union joins no body (:func:`unjoined_reason`)
UNJOINED_REASONS = {
    "no-cup": "the row has no CUP",
    "comune-unknown": "a comune's row whose IPA code IPA does not know and whose cod_comune is no current comune",
    "union-not-in-build": "a union's row whose IPA code no record of the build has",
}


def of_comune_or_union(c: Candidatura, ipa: IpaIndex) -> bool:
    """Whether an application is a comune's or a union's (see the module docstring)."""
    if c.body_type == COMUNI:
        return True
    body = ipa.get(c.ipa_code)
    return body is not None and (body.category == CATEGORY_UNIONI or body.natura == NATURA_UNIONE)


def unjoined_reason(c: Candidatura, ipa: IpaIndex, comune: str | None, unions: Collection[str] = ()) -> str | None:
    """Why an application of a comune or a union joins no body (:data:`UNJOINED_REASONS`), or None:
    ``no-cup``; ``comune-unknown``, a comune's row whose IPA code IPA does not know and whose
    ``comune`` (the current ISTAT comune of its ``cod_comune``, found by the caller) is None;
    ``union-not-in-build``, a union's row whose IPA code is not among ``unions`` (the lower-case
    IPA codes of the unions of the build; none given: not checked)."""
    if c.cup is None:
        return "no-cup"
    if c.body_type == COMUNI:
        return "comune-unknown" if c.ipa_code not in ipa and comune is None else None
    return "union-not-in-build" if unions and c.ipa_code not in unions else None
