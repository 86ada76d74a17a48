"""The validation policy of the national build: violations where the sources disagree.

The national graph is a mirror of the official sources, so the build writes it even where the
sources disagree with each other, and the report lists those results. Exactly these SHACL
violations are accepted, and only for the unions where the records show the disagreement
(:func:`expected_disagreements`, computed before validation from the records themselves, kept in
:attr:`NationalResult.expected <lod_unioni.national.result.NationalResult.expected>`):

==================================== =================================================================
shape (rule)                         accepted for a union when
==================================== =================================================================
``union-ipa-code-count``             IPA does not know the union (no IPA code): Ministry vs IPA
``union-number-of-comuni``           the register's ``NR. COMUNI`` differs from the members resolved
                                     (comuni merged since 2020, a register row that names no current
                                     comune, a register that disagrees with itself): Ministry vs
                                     ISTAT / OntoPiA
``union-members``                    fewer than two members: the register lists a single comune for
                                     the union (6 unions in 2020; IPA and the law know unions of two
                                     comuni at least), or its comuni have merged into one since:
                                     Ministry vs IPA / ISTAT / OntoPiA (not for a union of IPA
                                     the register does not know: its members are not known, and
                                     the shape does not ask for them)
``member-region``                    a member is now in another region than the register's union
                                     (e.g. a comune that changed region after 2020): Ministry vs ISTAT
``member-population``                ISTAT has no population at 2022-01-01 for a member (a comune
                                     created after that date): ISTAT list vs ISTAT population
``member-city-count``                OntoPiA has no single current row for a member's ISTAT code:
                                     ISTAT vs OntoPiA
``figure-conflict``,                 a comune's population at one date is stated differently by two
``union-total-population``,          records (a bundled record's card against ISTAT, for a comune
``union-density``                    that the register also lists in another union): card vs ISTAT
``application-submitted-before-``    the PA digitale 2026 file gives an application a submission after
``funding``                          the decree that funded it (candidature_finanziate_145.csv line
                                     1137, CUP I31F22003830006: submitted 2023-12-11, funded
                                     2023-01-03, in a call that ended on 2022-11-11): the publisher's
                                     file disagrees with itself; accepted for that application only
==================================== =================================================================

Any other violation (of any union), or one of these for a union where the records show no such
disagreement, is a bug of lod-unioni or of a bundled record: the build stops with exit code 1 and
writes nothing. Warnings and infos never stop it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import progress
from ..build import Check, shacl_check
from ..records import Record
from ..validation import ValidationReport, ValidationResult
from .result import Disagreement, NationalResult

__all__ = ["ACCEPTED_RULES", "accept_policy", "expected_disagreements", "national_check", "split_violations"]

#: The SHACL rules whose violations may come from a disagreement between the sources (see the
#: module docstring): accepted only for the unions listed in NationalResult.expected.
ACCEPTED_RULES = {
    "union-ipa-code-count": "IPA does not know the union: it has no IPA code (Ministry register vs IPA)",
    "union-number-of-comuni": "the register's number of comuni differs from the members resolved "
    "(Ministry register vs ISTAT / OntoPiA)",
    "union-members": "fewer than two member comuni: the register lists a single comune, or its comuni "
    "have merged into one (Ministry register vs IPA / ISTAT / OntoPiA)",
    "member-region": "a member comune is now in another region (Ministry register vs ISTAT)",
    "member-population": "ISTAT has no population at 2022-01-01 for a member comune (created later: "
    "ISTAT list of comuni vs ISTAT population)",
    "member-city-count": "OntoPiA has no single current city for a member's ISTAT code (ISTAT vs OntoPiA)",
    "figure-conflict": "a comune's population is stated differently by a bundled card and by ISTAT",
    "union-total-population": "a member's population is stated differently by a bundled card and by ISTAT",
    "union-density": "a member's population is stated differently by a bundled card and by ISTAT",
    "application-submitted-before-funding": "the PA digitale 2026 file gives an application a submission after "
    "the decree that funded it (the publisher's file disagrees with itself)",
}


def _population_conflicts(records: list[Record]) -> dict[str, list[Any]]:
    """ISTAT code -> the different populations records state for it at one reference date."""
    values: dict[tuple[str, str], set] = defaultdict(set)
    for rec in records:
        for m in rec.members:
            pop = m.population
            if pop and pop.reference_date:
                values[(m.istat_code, pop.reference_date)].add(pop.value)
    return {code: sorted(v) for (code, _d), v in values.items() if len(v) > 1}


def _register_disagreements(rec: Record) -> list[tuple[str, str]]:
    """(rule, detail) of what a national record shows of the disagreements between the registries."""
    out = []
    members = rec.members
    if not rec.union.ipa_code:
        out.append(("union-ipa-code-count", "not in IPA (no L18 body matched)"))
    declared = rec.number_of_comuni
    if declared is not None and declared != len(members):
        out.append(("union-number-of-comuni", f"the register declares {declared} comuni, {len(members)} resolved"))
    if len(members) < 2 and rec.data["union"].get("members_known", True):
        rows = sum(len((m.match or {})["registry_value"].split("; ")) for m in members)
        out.append(("union-members", f"{len(members)} member comune(s) resolved from {rows} register row(s)"))
    region = rec.union.region_code
    for m in members:
        what = f"{m.name} ({m.istat_code})"
        if m.region_code and m.region_code != region:
            out.append(("member-region", f"{what} is in region {m.region_code}, the union in {region}"))
        if m.population is None:
            out.append(("member-population", f"{what} has no ISTAT population"))
        if m.ontopia_city is None:
            out.append(("member-city-count", f"{what} has no single current OntoPiA city"))
    return out


def _project_disagreements(rec: Record) -> list[Disagreement]:
    """The applications of a record's projects that the PA digitale 2026 file says were submitted
    after the decree that funded them (the day of the submission, UTC, after the funding date)."""
    out = []
    for p in rec.data.get("projects", ()):
        for a in p["applications"]:
            if "submitted" in a and "funded" in a and a["submitted"][:10] > a["funded"]:
                detail = f"CUP {p['cup']}: submitted {a['submitted']}, funded {a['funded']}"
                focus = f"project/{p['cup']}/application/{a['key']}"
                out.append(Disagreement(rec.key, rec.union.name, "application-submitted-before-funding", detail, focus))
    return out


def expected_disagreements(records: list[Record], national: set[int]) -> list[Disagreement]:
    """The violations the records themselves show to come from source disagreements: those of the
    national records (``national``: their ids) made from the registries, and the figure conflicts
    between a bundled record's card and ISTAT. A bundled record's own violations are not expected:
    they fail the build, as they fail ``lod-unioni build``."""
    out: list[Disagreement] = []
    conflicts = _population_conflicts(records)
    for rec in records:
        found = [
            (rule, f"{m.name} ({m.istat_code}): populations {conflicts[m.istat_code]}")
            for m in rec.members
            if m.istat_code in conflicts
            for rule in ("figure-conflict", "union-total-population", "union-density")
        ]
        if id(rec) in national:
            found += _register_disagreements(rec)
        out += [Disagreement(rec.key, rec.union.name, rule, detail) for rule, detail in found]
        out += _project_disagreements(rec)  # the publisher's, for any record
    return sorted(set(out), key=lambda x: (x.union_key, x.rule, x.detail))


def accept_policy(result: NationalResult, base_iri: str) -> Callable[[ValidationResult], bool]:
    """The SHACL policy of the national build: a result is accepted when it is one of the expected
    source disagreements (union IRI and rule in :attr:`NationalResult.expected`)."""
    keys = result.expected_keys(base_iri)

    def accept(r: ValidationResult) -> bool:
        focus = getattr(r.focus, "value", None)
        return r.severity != "Violation" or (r.union, r.rule) in keys or (focus, r.rule) in keys

    return accept


def split_violations(
    report: ValidationReport | None, policy: Callable[[ValidationResult], bool]
) -> tuple[list[ValidationResult], list[ValidationResult]]:
    """The violations of a report the policy accepts, and the others."""
    violations = [r for r in report.results if r.severity == "Violation"] if report is not None else []
    return [r for r in violations if policy(r)], [r for r in violations if not policy(r)]


def national_check(result: NationalResult, base_iri: str, shapes_dir: str | Path | None = None) -> Check:
    """The SHACL check of the national build: :func:`lod_unioni.build.shacl_check` with
    :func:`accept_policy`; it says how many violations are source disagreements."""
    policy = accept_policy(result, base_iri)

    def summary(report: ValidationReport) -> None:
        accepted, refused = split_violations(report, policy)
        progress.info(
            f"  {len(accepted)} violation(s) where the sources disagree (accepted, "
            f"listed in national-report.txt); {len(refused)} other violation(s); "
            f"{report.count('Warning')} warning(s), {report.count('Info')} info(s)"
        )

    return shacl_check(accept=policy, on_report=summary, shapes_dir=shapes_dir)
