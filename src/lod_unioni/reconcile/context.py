"""What the checks of one record share: the record, the registries, what the earlier checks learnt
(the union's own IPA body, the report of the union) and the findings, added by :meth:`Context.add`."""

from __future__ import annotations

from typing import Any

from ..records import Record
from ..registries import Registries, SourceRef
from ..sources.ipa import IpaBody
from .checks import CHECKS, Text
from .findings import Finding, UnionReport

__all__ = ["Context"]


class Context:
    """The checks of one record against the registries (each family of checks reads and adds here)."""

    def __init__(self, record: Record, registries: Registries):
        code = record.union.ipa_code
        if code is None:  # a union IPA does not know (it has an iri_key): nothing to reconcile it by
            raise KeyError("union.ipa_code")
        self.record = record
        self.reg = registries
        self.union = record.union
        self.code = str(code).lower()
        self.name = record.union.name
        self.members = record.members
        self.member_codes = record.member_codes
        self.findings: list[Finding] = []
        self.report = UnionReport(self.code, self.name, str(record.path))
        self.fit_body: IpaBody | None = None  # the union's own IPA body (by its code, or the likely one)

    def add(
        self,
        check: str,
        field: str,
        record_value: Any,
        registry_value: Any,
        line: int | None,
        /,
        *,
        situation: str = "",
        unless: bool = False,
        member: str | None = None,
        details: dict | None = None,
        source: SourceRef | None = None,
        **fields: object,
    ) -> None:
        """A finding of ``check`` (an id of :data:`~lod_unioni.reconcile.checks.CHECKS`) about the
        record ``field``: the value on each side, the ``line`` of the registry row, the message of
        ``situation`` filled with ``fields``; ``unless``: the condition of the check's other
        severity holds; ``source``: the registry file, when its kind has several (else the file of
        the check's kind)."""
        c = CHECKS[check]
        text = c.message(situation, **fields)
        self.findings.append(
            Finding(
                union=self.code,
                union_name=self.name,
                record_file=str(self.record.path),
                field=field,
                check=check,
                severity=c.severity_for(unless).value,
                record_value=record_value,
                registry_value=registry_value,
                registry=c.registry,
                source=source or self.reg.refs.get(c.kind),
                registry_line=line,
                message_en=text.en,
                message_it=text.it,
                member=member,
                details=details or {},
            )
        )

    @staticmethod
    def part(check: str, part: str, /, **fields: object) -> Text:
        """A part of a message of ``check`` (evidence, a suffix, a word), filled with ``fields``."""
        return CHECKS[check].part(part, **fields)

    def comune_label(self, istat: str | None) -> str:
        """``Casalbordino (069015)``, or the code alone when ISTAT does not know it."""
        c = self.reg.istat.get(istat or "")
        return f"{c.name} ({istat})" if c else str(istat)

    def body_label(self, b: IpaBody) -> str:
        """An IPA body as a registry value: code, name, category and seat."""
        seat = ""
        if b.seat_istat:
            c = self.reg.istat.get(b.seat_istat)
            if c:
                seat = f", seat {c.name} {b.seat_istat}, {c.province_acronym or c.province_code}, {c.region_name}"
            else:
                seat = f", seat {b.seat_istat}"
        return f"{b.code} = {b.name} ({b.category}{seat})"
