"""The results of reconciliation: findings, what was learnt of each union, the run (and their JSON)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ..errors import EXIT_FINDINGS, EXIT_OK
from ..registries import SourceRef
from .checks import SEVERITIES, Severity

__all__ = ["Finding", "Reconciliation", "UnionReport", "jsonable"]


@dataclass(frozen=True)
class Finding:
    """One disagreement (or remark) between a record and a registry."""

    union: str  # the record's IPA code, lower case ("udcmd")
    union_name: str
    record_file: str
    field: str  # record field as a path: "members[0].population.value"
    check: str  # check id (lod_unioni.reconcile.checks.CHECKS)
    severity: str  # "error" | "warning" | "info"
    record_value: Any
    registry_value: Any
    registry: str | None  # the registry compared with: "IPA", "ISTAT comuni", ...
    source: SourceRef | None
    registry_line: int | None  # line of the registry row, when there is one
    message_en: str
    message_it: str
    member: str | None = None  # ISTAT code (as in the record) of the member the finding is about
    details: dict = dataclasses.field(default_factory=dict, compare=False)

    def to_dict(self) -> dict:
        return {
            "union": self.union,
            "union_name": self.union_name,
            "record_file": self.record_file,
            "field": self.field,
            "check": self.check,
            "severity": self.severity,
            "record_value": jsonable(self.record_value),
            "registry_value": jsonable(self.registry_value),
            "registry": self.registry,
            "registry_line": self.registry_line,
            "source": self.source.to_dict() if self.source else None,
            "member": self.member,
            "message_en": self.message_en,
            "message_it": self.message_it,
            "details": {k: jsonable(v) for k, v in self.details.items()},
        }


def jsonable(value: Any) -> Any:
    """A finding's value as JSON: dates in ISO form, lists as lists, anything else as text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


@dataclass
class UnionReport:
    """What reconciliation learnt about one record's union."""

    ipa_code: str
    name: str
    record_file: str
    ipa_body: str | None = None  # the IPA code the union has in IPA (the record's, or the likely one)
    ipa_match: str | None = None  # "record code" | "likely" | None
    ministry_code: str | None = None  # CODICE UNIONE in the Ministry register
    ministry_match: str | None = None  # how the register row was found

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reconciliation:
    """The findings of a run, grouped by union in record order."""

    findings: list[Finding]
    unions: list[UnionReport]
    sources: dict[str, SourceRef]
    sources_dir: str

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    @property
    def agrees(self) -> bool:
        """No warning and no error (info findings do not count)."""
        return not any(f.severity in (Severity.ERROR, Severity.WARNING) for f in self.findings)

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.agrees else EXIT_FINDINGS

    def for_union(self, ipa_code: str) -> list[Finding]:
        code = ipa_code.lower()
        return [f for f in self.findings if f.union == code]

    def by_union(self) -> list[tuple[UnionReport, list[Finding]]]:
        return [
            (u, [f for f in self.findings if f.union == u.ipa_code and f.record_file == u.record_file])
            for u in self.unions
        ]

    def to_dict(self) -> dict:
        return {
            "sources_dir": self.sources_dir,
            "sources": {k: v.to_dict() for k, v in self.sources.items()},
            "unions": [u.to_dict() for u in self.unions],
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
        }
