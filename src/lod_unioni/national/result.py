"""What the national matching learns: the register's members and unions matched with the
registries, the source disagreements the records show, and the result of the whole matching."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import Record
from ..sources.ipa import IpaBody
from ..sources.ministero import MinistryUnion

__all__ = ["Disagreement", "MemberMatch", "NationalResult", "UnionMatch"]


@dataclass
class MemberMatch:
    """A member row of the register and the comune it was resolved to (``istat_code`` None when
    unresolved)."""

    name: str  # as the register writes it: "CASALBORDINO"
    line: int
    istat_code: str | None
    method: str  # "name-in-region", "former-name", "merged-into+name", "unresolved", ...
    confidence: float
    source: str  # kind (sources.kinds) of the registry that resolved it
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "line": self.line,
            "istat_code": self.istat_code,
            "method": self.method,
            "confidence": self.confidence,
            "source": self.source,
            "note": self.note,
        }


@dataclass
class UnionMatch:
    """What the matching learnt about one union of the register."""

    register: MinistryUnion
    region_code: str | None
    province_code: str | None
    province_method: str  # "members-province" | "seat-province" | "members-majority" | "register-name"
    province_confidence: float
    members: list[MemberMatch]
    register_province_code: str | None = None  # the register's province, when a current one
    register_region_code: str | None = None  # the register's region
    ipa: IpaBody | None = None
    ipa_method: str | None = None
    ipa_confidence: float | None = None
    ipa_similarity: float | None = None
    candidate: dict | None = None  # best IPA candidate that was not accepted (for the report)
    bundled: Record | None = None  # the bundled record that replaces this union
    bundled_how: str | None = None

    @property
    def code(self) -> str:
        return self.register.code

    @property
    def key(self) -> str:
        """The last segment of the union's IRI: its IPA code, else ``dait-{CODICE UNIONE}``."""
        return self.ipa.code if self.ipa is not None else f"dait-{self.register.code}"

    def drop_ipa(self) -> None:
        """Forget the IPA body matched to the union."""
        self.ipa = self.ipa_method = None
        self.ipa_confidence = self.ipa_similarity = None


@dataclass(frozen=True)
class Disagreement:
    """A SHACL violation expected because the sources disagree (see
    :data:`lod_unioni.national.policy.ACCEPTED_RULES`)."""

    union_key: str
    union_name: str
    rule: str
    detail: str
    focus: str = ""  # the focus node below the base IRI, when it is not the union: "project/{CUP}/application/{k}"

    def to_dict(self) -> dict:
        out = {"union": self.union_key, "union_name": self.union_name, "rule": self.rule, "detail": self.detail}
        return out | ({"focus": self.focus} if self.focus else {})


@dataclass
class NationalResult:
    """The national records and what the matching found."""

    records: list[Record]
    unions: list[UnionMatch]
    stats: dict
    unmatched_unions: list[dict]  # register unions without an IPA code (with the best candidate)
    unresolved_members: list[dict]  # register member rows that name no current comune
    unresolved_values: list[dict]  # other registry values that could not be published (a website)
    ipa_not_in_register: list[dict]  # L18 bodies no register union was matched to
    excluded: list[dict]  # unions that could not become a record (none resolved), with why
    expected: list[Disagreement]  # violations expected from source disagreements
    bundled: list[dict]  # the bundled records and the register union each replaces
    reconciliation: dict  # counts of the reconciliation of the bundled records
    sources: dict[str, dict]  # provenance of the registry files (kind -> dict)
    data_date: str | None = None  # date of the data (latest registry file or bundled edit)
    #: register unions whose province or region the register names otherwise than their members give
    province_differences: list[dict] = field(default_factory=list)
    #: IPA's unions that no register union nor bundled record has, published with IPA's data
    ipa_only: list[dict] = field(default_factory=list)
    #: L18 bodies of IPA matched to no union and not published as one, with why
    ipa_left_out: list[dict] = field(default_factory=list)
    #: the PA digitale 2026 rows of comuni and unions that join no body (national.projects.Unjoined)
    projects_unjoined: list = field(default_factory=list)

    def expected_keys(self, base_iri: str) -> set[tuple[str, str]]:
        """``(union IRI, rule)`` of every expected source-disagreement violation about a union, and
        ``(focus IRI, rule)`` of those about another node (a project's application)."""
        return {(base_iri + (d.focus or f"union/{d.union_key}"), d.rule) for d in self.expected}

    def summary_lines(self) -> list[str]:
        s = self.stats
        return [
            f"unions: {s['unions']} in the Ministry register, {s['records']} records "
            f"({s['bundled_replacing']} from bundled records, "
            f"{s['bundled_extra']} bundled records not in the register, "
            f"{s.get('ipa_only_unions', 0)} unions of IPA the register does not know)",
            f"union match rate (IPA code): {s['unions_with_ipa']} of {s['unions']} = {s['union_match_rate']:.1%}"
            f" ({', '.join(f'{k} {v}' for k, v in sorted(s['ipa_methods'].items()))})",
            f"member resolution rate: {s['members_resolved']} of {s['member_rows']} register member rows = "
            f"{s['member_resolution_rate']:.1%} "
            f"({', '.join(f'{k} {v}' for k, v in sorted(s['member_methods'].items()))})",
        ]
