"""Unions the register does not know: IPA's unions that match no register union nor bundled record.

The Ministry register is of 2020; IPA (2024) lists unions created since, and unions the register
leaves out. Every union in Italy is the register's plus these. An IPA body is such a union when it
is an L18 body (Unioni di Comuni e loro Consorzi e Associazioni) matched to no register union, and

* its legal status (``Codice_natura``) is 2450, Unione di comuni (method ``ipa-natura``, 1.0); or
* IPA gives no legal status and its name calls it a union (the word *unione*, *unioni* or *union*,
  and none of an association's or consortium's: ANCI, UNCEM, associazione, consorzio, delegazione,
  nazionale), e.g. ``HS18CSGA UNIONE DEI COMUNI "GELA BUTERA NISCEMI"`` (method
  ``ipa-category-and-name``, 0.8).

Each becomes a record with IPA's data only: its code, name, seat (the comune, hence the province
and region; a seat merged since is followed to its comune), website, status (active or in
liquidation: :mod:`lod_unioni.national.status`) and the evidence of each (``provenance.matches``).
Its members are not known from the sources: the record says so (``union.members_known: false``, no
member; the dumps ``lu:membersKnown false``), it never guesses them (a seat is not a member list).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from .. import __version__
from ..codes import IPA_CODE
from ..records import Record, validate_record
from ..registries import Registries
from ..sources.ipa import NATURA_UNIONE, IpaBody
from ..text import normalize_name, website_url
from .records import record_file
from .status import status_match

__all__ = ["IPA_ONLY_KINDS", "ipa_only_records", "is_ipa_union"]

#: Registry files an IPA-only union's record is made from.
IPA_ONLY_KINDS = ("ipa-enti", "istat-comuni", "ontopia-cities", "ontopia-provinces", "ontopia-regions")
_UNION_WORDS = frozenset({"unione", "unioni", "union"})
_NOT_A_UNION = frozenset({"anci", "uncem", "associazione", "consorzio", "delegazione", "nazionale"})


def is_ipa_union(body: IpaBody) -> tuple[str, float] | None:
    """Whether an L18 body of IPA is a union (module docstring): the method and its confidence."""
    if not body.is_union:
        return None
    if body.natura == NATURA_UNIONE:
        return "ipa-natura", 1.0
    words = set(normalize_name(body.name).split())
    if body.natura is None and words & _UNION_WORDS and not words & _NOT_A_UNION:
        return "ipa-category-and-name", 0.8
    return None


def _match(field: str, source: str, method: str, confidence: float, value: str) -> dict:
    return {
        "field": field,
        "source": source,
        "method": method,
        "confidence": Decimal(repr(round(confidence, 2))),
        "registry_value": value,
    }


def _record(reg: Registries, body: IpaBody, how: tuple[str, float], sources: list[dict], name: str) -> dict | None:
    """The record dict of an IPA-only union, or None when its seat is no comune of the ISTAT list."""
    seat_code = reg.current_successor(body.seat_istat) if body.seat_istat else None
    seat = reg.istat.get(seat_code or "")
    province = reg.provinces.get(seat.province_code) if seat is not None else None
    region = reg.regions.get(seat.region_code) if seat is not None else None
    if seat is None or province is None or region is None:
        return None
    union: dict = {
        "ipa_code": body.official_code,
        "name": name,
        "region": {"code": region.code, "name": region.name},
        "province": {"code": province.code, "name": province.name}
        | ({"acronym": province.acronym} if province.acronym else {}),
        "members_known": False,
    }
    site = website_url(body.website)
    if site:
        union["website"] = site
    ipa = f"{body.official_code} {body.name} (seat {body.seat_istat}, IPA category {body.category})"
    union["status"], status = status_match(body, 1.0, [], {})
    natura = (
        f"Codice_natura {body.natura}"
        if body.natura
        else f"no Codice_natura; category {body.category}, name {body.name!r}"
    )
    matches = [
        _match("union", "ipa-enti", "ipa-union-not-in-register", 1.0, ipa),
        _match("union.legal_status", "ipa-enti", how[0], how[1], natura),
        _match(
            "union.province",
            "istat-comuni",
            "ipa-seat",
            1.0,
            f"seat {body.seat_istat}: {seat.name} ({seat.istat_code})",
        ),
        status,
    ]
    return {
        "record_format": 1,
        "provenance": {
            "importer": f"lod-unioni {__version__} build --national",
            "sources": [s for s in sources if s["kind"] in IPA_ONLY_KINDS],
            "matches": matches,
            "edits": [],
        },
        "union": union,
        "members": [],
    }


def ipa_only_records(
    reg: Registries,
    taken: set[str],
    sources: list[dict],
    names: Callable[[str, IpaBody | None], str],
    *,
    check: bool = True,
) -> tuple[list[Record], list[dict]]:
    """The records of IPA's unions that no register union nor bundled record has (``taken``: their
    IPA codes), in IPA's order; and, for the report, the L18 bodies left out and why. ``names``
    turns IPA's name into the published one (:func:`lod_unioni.national.records.union_name`)."""
    records, left_out = [], []
    for body in reg.ipa_unions():
        if body.code in taken:
            continue
        how = is_ipa_union(body)
        data = _record(reg, body, how, sources, names(body.name, body)) if how and IPA_CODE.matches(body.code) else None
        if data is None:
            why = "not a union: " + (
                f"legal status {body.natura}" if body.natura else "no legal status, and its name is not a union's"
            )
            if how:
                why = "its seat is no comune of the ISTAT list"
            left_out.append({"ipa_code": body.code, "name": body.name, "seat": body.seat_istat, "reason": why})
            continue
        label = body.code
        if check:
            data = validate_record(data, file=record_file(label), record=label)
        records.append(Record(Path(f"{label}.yaml"), data))
    return records, left_out
