"""The reconciliation findings (:mod:`lod_unioni.reconcile`) shaped as SHACL validation results,
for ``lod-unioni validate --sources DIR``: each finding's record field becomes a focus node and a
property path of the RDF (see ``ontology/MODEL.md``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from ..config import DEFAULT_BASE_IRI
from ..reconcile import Reconciliation
from ..reconcile.findings import jsonable
from ..vocab import COV, IND, L0, LU, MU, ORG, PRJ, SH, SM, TI

__all__ = ["SHACL_SEVERITY", "ValidationFinding", "findings_as_validation_results"]

#: reconciliation severity -> SHACL severity (local name in sh:)
SHACL_SEVERITY = {"error": "Violation", "warning": "Warning", "info": "Info"}


def _iri(x: str) -> str:
    return f"<{x}>"


def _seq(*iris: str) -> str:
    return "(" + "/".join(_iri(i) for i in iris) + ")"


_VALUE_PATH = _seq(IND + "hasIndicatorCalculation", IND + "hasIndicatorValue", MU + "value")
_DATE_PATH = _seq(IND + "hasIndicatorCalculation", IND + "computedAtTime", TI + "date")

# record field (members[i] stripped to members[]) -> SPARQL property path with full IRIs
_FIELD_PATHS = {
    "union.ipa_code": _iri(COV + "IPAcode"),
    "union.name": _iri(L0 + "name"),
    "union.website": _seq(SM + "hasWebSite", SM + "URL"),
    "union.founded": _iri(LU + "foundingDate"),
    "union.region.code": _iri(LU + "region"),
    "union.region.name": _iri(LU + "region"),
    "union.province.code": _iri(LU + "province"),
    "union.province.name": _iri(LU + "province"),
    "union.province.acronym": _iri(LU + "province"),
    "members": _iri(ORG + "hasMember"),
    "members[]": _iri(ORG + "hasMember"),
    "members[].name": _iri(L0 + "name"),
    "members[].istat_code": _iri(LU + "istatCode"),
    "members[].cadastral_code": _iri(LU + "cadastralCode"),
    "members[].ipa_code": _iri(COV + "IPAcode"),
    "members[].ontopia_city": _iri(LU + "city"),
    "members[].city_valid_from": _iri(LU + "city"),
    "members[].province_code": _iri(LU + "province"),
    "members[].region_code": _iri(LU + "region"),
    "members[].population.value": _VALUE_PATH,
    "members[].population.reference_date": _DATE_PATH,
    "population.value": _VALUE_PATH,
    "population.reference_date": _DATE_PATH,
    "number_of_comuni": _VALUE_PATH,
    "projects": _iri(PRJ + "isInvolvedInProject"),  # a PA digitale 2026 application: value its CUP
    "members[].projects": _iri(PRJ + "isInvolvedInProject"),
}
_MEMBER_FIELD = re.compile(r"^members\[\d+\]")


@dataclass(frozen=True)
class ValidationFinding:
    """A finding shaped like a SHACL validation result: ``union`` and ``focus`` are IRIs,
    ``path`` a SPARQL property path with full IRIs (``<...>`` or ``(<a>/<b>)``) or None,
    ``severity`` ``Violation`` / ``Warning`` / ``Info`` (``severity_iri`` the full ``sh:`` IRI),
    ``rule`` the check id prefixed with ``reconcile-``, ``value`` the record's value as text."""

    union: str
    union_name: str
    focus: str
    path: str | None
    value: str | None
    severity: str
    severity_iri: str
    message_it: str
    message_en: str
    rule: str
    field: str
    registry: str | None
    registry_value: str | None
    source: dict | None

    def to_dict(self) -> dict:
        return asdict(self)


def findings_as_validation_results(
    reconciliation: Reconciliation, base_iri: str = DEFAULT_BASE_IRI, union_iris: Mapping[str, str] | None = None
) -> list[ValidationFinding]:
    """The findings as validation results: focus node the union's IRI, or ``{base}comune/{istat}``
    for a finding about one member (``{union}/website`` for the website), with the path of the
    record field in the RDF (see ``ontology/MODEL.md``). The union's IRI is the one the validated
    data gives the union with that IPA code (``union_iris``: IPA code in lower case -> IRI; a union
    keeps the IRI first minted for it, ``iris.csv``), else ``{base}union/{ipa}``."""
    out = []
    known = union_iris or {}
    for f in reconciliation.findings:
        union = known.get(f.union.lower()) or f"{base_iri}union/{f.union}"
        generic = _MEMBER_FIELD.sub("members[]", f.field)
        path = _FIELD_PATHS.get(generic)
        if generic.startswith("members[].") and f.member:
            focus = f"{base_iri}comune/{f.member}"
        elif f.field == "union.website":
            focus, path = f"{union}/website", _iri(SM + "URL")
        else:
            focus = union
        if generic == "members[]":
            path = _iri(ORG + "hasMember")
        sev = SHACL_SEVERITY[f.severity]
        out.append(
            ValidationFinding(
                union=union,
                union_name=f.union_name,
                focus=focus,
                path=path,
                value=None if f.record_value is None else str(jsonable(f.record_value)),
                severity=sev,
                severity_iri=SH + sev,
                message_it=f.message_it,
                message_en=f.message_en,
                rule=f"reconcile-{f.check}",
                field=f.field,
                registry=f.registry,
                registry_value=None if f.registry_value is None else str(jsonable(f.registry_value)),
                source=f.source.to_dict() if f.source else None,
            )
        )
    return out
