"""The inputs of :mod:`.indicators` from a union record with its projects (``projects``,
``provenance.sources``: :func:`lod_unioni.national.projects.attach_projects`), for the build: the
same figures as the checkup reads back from the dumps."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .indicators import Comune, Project, Sources, Union

__all__ = ["POPULATION_DATE", "project_of", "sources_of_record", "sources_of_records", "union_of_record"]

#: The reference date of the populations the figures are divided by (ISTAT, resident population).
POPULATION_DATE = "2022-01-01"


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def project_of(item: Mapping[str, Any]) -> Project:
    """A record's project (``cup``, ``measure``, ``amount``, ``status``, ``status_date``, ``call``)."""
    return Project(
        cup=str(item["cup"]),
        measure=item.get("measure"),
        amount=Decimal(str(item["amount"])),
        status=str(item["status"]),
        status_date=_date(item.get("status_date")),
        call=item.get("call"),
    )


def _population(member: Mapping[str, Any]) -> int | None:
    """The member's population at :data:`POPULATION_DATE` (the record's value; ``None`` otherwise)."""
    figure = member.get("population") or {}
    when = figure.get("reference_date")
    if when is None or str(when)[:10] != POPULATION_DATE or figure.get("value") is None:
        return None
    return int(figure["value"])


def union_of_record(data: Mapping[str, Any], key: str | None = None) -> Union:
    """The :class:`~.indicators.Union` of a record: its members (ISTAT code, population at
    :data:`POPULATION_DATE`, the projects whose ``comune`` is theirs), its own projects (no
    ``comune``), its region code; ``key`` defaults to the union's IPA code in lower case."""
    projects = list(data.get("projects") or ())
    by_comune: dict[str, list[Project]] = {}
    own = []
    for item in projects:
        if item.get("comune"):
            by_comune.setdefault(str(item["comune"]), []).append(project_of(item))
        else:
            own.append(project_of(item))
    members = tuple(
        Comune(str(m["istat_code"]), _population(m), tuple(by_comune.get(str(m["istat_code"]), ())))
        for m in data.get("members") or ()
    )
    union = data.get("union") or {}
    region = (union.get("region") or {}).get("code")
    return Union(key or (union.get("ipa_code") or "").lower(), members, tuple(own), region=region)


def sources_of_record(data: Mapping[str, Any]) -> Sources:
    """What the record's PA digitale 2026 sources tell (``provenance.sources``: their ``kind`` is
    the file's catalog name, ``padigitale-finanziate-141``, and a measure's file may say its
    ``measure``)."""
    items = (data.get("provenance") or {}).get("sources") or ()
    named = Sources.from_names(str(s.get("kind") or "") for s in items)
    said = {str(s["measure"]) for s in items if s.get("measure")}
    return Sources(named.measures | said, named.other_bodies)


def sources_of_records(records: Iterable[Mapping[str, Any]]) -> Sources:
    """What the files a build read tell: those that any of its records cites (a record cites the
    files its own rows come from, so one record alone may miss a file the build read)."""
    found = [sources_of_record(r) for r in records]
    return Sources(
        frozenset().union(*(s.measures for s in found)),
        any(s.other_bodies for s in found),
    )
