"""The codes of the national registries, declared once: what each looks like, with an example.

The record schema (``schemas/union-record.schema.json``) writes the same patterns as ``^...$``;
``tests/test_codes.py`` checks that they agree with :data:`CODES`, so a code's form is decided
here and nowhere else::

    from lod_unioni.codes import IPA_CODE, ISTAT_CODE
    IPA_CODE.matches("udm_069")      # True
    ISTAT_CODE.matches("69015")      # False: six digits
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "CADASTRAL_CODE",
    "CODES",
    "IPA_CODE",
    "IRI_KEY",
    "ISTAT_CODE",
    "MINISTRY_CODE",
    "ONTOPIA_CITY_ID",
    "PROVINCE_ACRONYM",
    "PROVINCE_CODE",
    "REGION_CODE",
    "Code",
]


@dataclass(frozen=True)
class Code:
    """A kind of code: its name (as in the record schema's ``$defs`` where it is one), the regular
    expression of the whole code (no anchors) and an example."""

    name: str
    pattern: str
    description: str
    example: str
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_regex", re.compile(self.pattern))

    def matches(self, text: str) -> bool:
        """True when the whole of ``text`` is a code of this kind."""
        return self._regex.fullmatch(text) is not None

    @property
    def anchored(self) -> str:
        """The pattern as JSON Schema and SHACL write it: ``^...$``."""
        return f"^{self.pattern}$"


#: Codice IPA of a body (Indice dei domicili digitali della PA): letters, digits and underscores.
IPA_CODE = Code("ipa_code", r"[A-Za-z0-9_]{1,32}", "A codice IPA: letters, digits and underscores.", "udm_069")
#: ISTAT code of a comune (codice comune alfanumerico).
ISTAT_CODE = Code("istat_code", r"[0-9]{6}", "A 6-digit ISTAT code of a comune.", "069015")
#: ISTAT code of a province (or equivalent body: città metropolitana, libero consorzio...).
PROVINCE_CODE = Code("province_code", r"[0-9]{3}", "A 3-digit ISTAT province code.", "069")
#: ISTAT code of a region.
REGION_CODE = Code("region_code", r"[0-9]{2}", "A 2-digit ISTAT region code.", "13")
#: Codice catastale (Belfiore) of a comune.
CADASTRAL_CODE = Code("cadastral_code", r"[A-Za-z][0-9]{3}", "Cadastral code (codice catastale / Belfiore).", "B865")
#: Vehicle-plate acronym of a province.
PROVINCE_ACRONYM = Code("acronym", r"[A-Z]{2}", "Vehicle-plate acronym of a province.", "CH")
#: ID_COMUNE of a row of the OntoPiA cities vocabulary: ISTAT code and start of validity.
ONTOPIA_CITY_ID = Code(
    "ontopia_city",
    r"[0-9]{6}-\([12][0-9]{3}-[0-9]{2}-[0-9]{2}\)",
    "ID_COMUNE of a row of the OntoPiA cities vocabulary.",
    "069015-(1948-01-01)",
)
#: CODICE UNIONE of a union in the Ministry of the Interior (DAIT) register.
MINISTRY_CODE = Code("ministry_code", r"[0-9]{1,20}", "CODICE UNIONE in the Ministry register.", "4130236050")
#: Last segment of the IRI of a union IPA does not know: ``dait-`` and its CODICE UNIONE.
IRI_KEY = Code("iri_key", r"dait-[0-9]{1,20}", "IRI key of a union without IPA code.", "dait-4130236050")

#: Every code, by name.
CODES: dict[str, Code] = {
    c.name: c
    for c in (
        IPA_CODE,
        ISTAT_CODE,
        PROVINCE_CODE,
        REGION_CODE,
        CADASTRAL_CODE,
        PROVINCE_ACRONYM,
        ONTOPIA_CITY_ID,
        MINISTRY_CODE,
        IRI_KEY,
    )
}
