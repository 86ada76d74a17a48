"""Record assembly: the parts of a card (:class:`~lod_unioni.cards.parser.CardLayout`) -> a union
record dict (the format of ``docs/record-format-example.yaml``), section by section.

Values are what the card says (Italian numbers parsed, names title-cased, IPA codes lower case,
websites with ``http://`` and a lower-case host); codes come from the registries (ISTAT list of
comuni, OntoPiA cities, provinces, regions) through :class:`lod_unioni.gazetteer.Gazetteer`. What
cannot be read or resolved goes into the record's ``unresolved`` list as ``{field, text, reason}``,
in card order; nothing is dropped silently.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from .. import __version__
from ..codes import IPA_CODE
from ..errors import LodError
from ..gazetteer import Gazetteer, ResolvedComune, ResolveError
from ..italian import ItalianFormatError, parse_int, parse_italian_date, parse_quantity
from ..sources.cache import load_manifest
from ..sources.folder import SourcesDir, source_entry
from ..sources.kinds import GAZETTEER_KINDS, KINDS
from ..text import normalize_name, parse_website, slug, title_case
from .parser import DATE_IN_TEXT, CardLayout, card_line_note, read_layout
from .services import Vocabulary, split_services
from .yaml_writer import FlowDict

__all__ = ["KNOWN_LINES", "PROGRAMME", "RECORD_FORMAT", "parse_card", "sources_provenance"]

RECORD_FORMAT = 1
PROGRAMME = "ITALIAE"
# Intervention lines of the ITALIAE programme, by normalised key.
KNOWN_LINES = {
    "community di innovazione": "Community di innovazione",
    "laboratorio permanente": "Laboratorio Permanente",
}
_NOT_A_VALUE = {"", "-", "–", "/", "n.d.", "nd", "n.d", "non disponibile", "assente", "nessuno"}


class _Notes:
    """The record's ``unresolved`` list: ``note(field, text, reason)`` appends to it."""

    def __init__(self, items: list[dict]):
        self.items = items

    def __call__(self, field: str, text: str, reason: str) -> None:
        self.items.append({"field": field, "text": text, "reason": reason})


def parse_card(
    text: str,
    *,
    gazetteer: Gazetteer,
    card_name: str = "card.txt",
    card_sha256: str | None = None,
    today: date | None = None,
    sources: list[dict] | None = None,
    services: Vocabulary | None = None,
    statuses: Vocabulary | None = None,
) -> dict:
    """Parse the text of an ITALIAE card into a record dict (keys as in the record format example).

    ``card_name`` names the card in errors and provenance; ``sources`` is the provenance list of
    registry files (``{name, file, sha256}``). Raises :class:`~lod_unioni.errors.LodError` when no
    record can be made (no union name or IPA code, lists of comuni and populations of different
    lengths); everything else it cannot resolve goes to ``record["unresolved"]``.
    """
    card = read_layout(text)
    note = _Notes(card.unresolved)
    union, region_code, province_code = _union(card, gazetteer, card_name, note)
    services_list: list[dict] = []
    if "services" in card.fields and card.fields["services"][0].lower() not in _NOT_A_VALUE:
        services_list, bad = split_services(card.fields["services"][0], services, statuses)
        card.unresolved.extend(bad)
    ref_date = _reference_date(card, note)
    members = _members(card, gazetteer, province_code, region_code, ref_date, card_name, note)
    population = _population(card, ref_date, note)
    surface = _quantity("surface_km2", card.surface, ("km2",), "SUPERFICIE TOTALE", note)
    density = _quantity("density", card.density, ("ab/km2",), "DENSITA' ABITATIVA", note)
    n_comuni = _integer("number_of_comuni", card.n_comuni, "NUMERO COMUNI", note)
    italiae = _italiae(card, note)

    record: dict = {
        "record_format": RECORD_FORMAT,
        "provenance": {
            "card": {
                "file": card_name,
                "sha256": card_sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "title": f"{PROGRAMME} - {union['name']}",
            },
            "imported_on": today or date.today(),
            "importer": f"lod-unioni {__version__} import-card",
            "sources": list(sources or []),
            "edits": [],
        },
        "union": union,
        "services": services_list,
        "members": members,
    }
    if population is not None:
        record["population"] = population
    if surface is not None:
        record["surface_km2"] = surface
    if density is not None:
        record["density"] = density
    if n_comuni is not None:
        record["number_of_comuni"] = n_comuni
    record["italiae"] = italiae
    record["unresolved"] = card.unresolved
    return record


# ---- union --------------------------------------------------------------------------------------


def _union(card: CardLayout, gazetteer: Gazetteer, card_name: str, note: _Notes) -> tuple[dict, str | None, str | None]:
    """The ``union`` part, with the codes of its region and province (None when unresolved)."""
    fields = card.fields
    name = _union_name(card, card_name)
    union: dict = {"ipa_code": _ipa_code(card, card_name), "name": name}
    region, region_code = _region(card, gazetteer, note)
    if region is not None:
        union["region"] = region
    province, province_code = _province(card, gazetteer, region_code, note)
    if province is not None:
        union["province"] = province
    if "body_type" in fields and fields["body_type"][0]:
        union["body_type"] = fields["body_type"][0]
    if "founded" in fields and fields["founded"][0].lower() not in _NOT_A_VALUE:
        try:
            union["founded"] = _founded(fields["founded"][0])
        except (ValueError, ItalianFormatError) as exc:
            note("union.founded", fields["founded"][0], f"not a year or a date: {exc}")
    if "website" in fields and fields["website"][0].lower() not in _NOT_A_VALUE:
        try:
            union["website"] = parse_website(fields["website"][0])
        except ValueError as exc:
            note("union.website", fields["website"][0], str(exc))
    return union, region_code, province_code


def _union_name(card: CardLayout, card_name: str) -> str:
    """The header line naming the union (the first with "union" in it, else the first in
    capitals), title-cased; the other header lines in capitals are reported."""
    if not card.name_lines:
        raise LodError(
            "cannot find the union's name (a line in capitals before INQUADRAMENTO TERRITORIALE)",
            file=card_name,
            field="union.name",
        )
    named = [n for n in card.name_lines if "union" in normalize_name(n[0])] or card.name_lines
    name_text = named[0][0]
    for other, i in card.name_lines:
        if other != name_text:
            card.unresolved.append(
                card_line_note(other, i, "a line in capitals in the header that is not the union's name")
            )
    return title_case(name_text)


def _ipa_code(card: CardLayout, card_name: str) -> str:
    fields = card.fields
    if "ipa_code" not in fields or not fields["ipa_code"][0] or fields["ipa_code"][0].lower() in _NOT_A_VALUE:
        raise LodError(
            "the card has no CODICE IPA; records are named by the union's IPA code",
            file=card_name,
            field="union.ipa_code",
        )
    ipa = fields["ipa_code"][0].strip().lower()
    if not IPA_CODE.matches(ipa):
        raise LodError(
            f"CODICE IPA {fields['ipa_code'][0]!r} is not an IPA code (up to 32 letters, digits, '_')",
            file=card_name,
            field="union.ipa_code",
        )
    return ipa


def _region(card: CardLayout, gazetteer: Gazetteer, note: _Notes) -> tuple[FlowDict | None, str | None]:
    """The REGIONE field (else the header's ``Regione ...`` line) and its code."""
    fields, header = card.fields, card.header_region
    region_text = fields.get("region", (None,))[0] or (header[0] if header else None)
    if header and "region" in fields and normalize_name(header[0]) != normalize_name(fields["region"][0]):
        note(
            "union.region",
            f"Regione {header[0]}",
            f"the header says region {header[0]!r}, the REGIONE field {fields['region'][0]!r}",
        )
    if not region_text:
        note("union.region", "", "the card gives no REGIONE")
        return None, None
    try:
        r = gazetteer.region(region_text)
    except ResolveError as exc:
        note("union.region", region_text, exc.message)
        return FlowDict({"name": title_case(region_text)}), None
    return FlowDict({"code": r.code, "name": title_case(region_text)}), r.code


def _province(
    card: CardLayout, gazetteer: Gazetteer, region_code: str | None, note: _Notes
) -> tuple[FlowDict | None, str | None]:
    """The PROVINCIA field, its code and acronym."""
    if "province" not in card.fields or not card.fields["province"][0]:
        note("union.province", "", "the card gives no PROVINCIA")
        return None, None
    prov_text = card.fields["province"][0]
    try:
        pr = gazetteer.province(prov_text, region_code)
    except ResolveError as exc:
        note("union.province", prov_text, exc.message)
        return FlowDict({"name": title_case(prov_text)}), None
    province = FlowDict({"code": pr.code, "name": title_case(prov_text)})
    if pr.acronym:
        province["acronym"] = pr.acronym
    return province, pr.code


def _founded(text: str) -> str:
    t = text.strip()
    if re.fullmatch(r"(1[89]|20)\d{2}", t):
        return t
    return parse_italian_date(t).isoformat()


# ---- members ------------------------------------------------------------------------------------


def _members(
    card: CardLayout,
    gazetteer: Gazetteer,
    province_code: str | None,
    region_code: str | None,
    ref_date: date | None,
    card_name: str,
    note: _Notes,
) -> list[dict]:
    """The Comune list paired in order with the Popolazione list, each comune resolved."""
    names = card.members or []
    pops = card.populations or []
    if card.members is None:
        note("members", "", "the card has no list of comuni")
    elif card.populations is None:
        note("members", "", "the card has no Popolazione list: the members have no population")
    if card.members is not None and card.populations is not None and len(names) != len(pops):
        raise LodError(
            f"the card lists {len(names)} comuni and {len(pops)} populations; they are paired in order, "
            "so the lists must have the same length",
            file=card_name,
            field="members",
        )
    members: list[dict] = []
    for idx, member_name in enumerate(names):
        m: dict = {"name": member_name}
        where = f"members[{idx}]"
        try:
            c, remark = _resolve_member(gazetteer, member_name, province_code, region_code)
            if remark:
                note(f"{where}.name", member_name, remark)
            m.update(_member_codes(c))
            for problem in c.problems:
                note(f"{where}.ontopia_city", member_name, problem)
            m["province_code"] = c.province_code
            m["region_code"] = c.region_code
        except ResolveError as exc:
            note(f"{where}.name", member_name, exc.message)
        if idx < len(pops):
            try:
                pop: dict = {"value": parse_int(pops[idx])}
                if ref_date:
                    pop["reference_date"] = ref_date
                if card.source:
                    pop["source"] = card.source
                    pop["source_key"] = slug(card.source)
                m["population"] = FlowDict(pop)
            except ItalianFormatError as exc:
                note(f"{where}.population", pops[idx], str(exc))
        members.append(m)
    return members


def _member_codes(c: ResolvedComune) -> dict:
    codes: dict = {"istat_code": c.istat_code, "cadastral_code": c.cadastral_code, "ipa_code": c.ipa_code}
    if c.ontopia_city:
        codes["ontopia_city"] = c.ontopia_city
        codes["city_valid_from"] = c.city_valid_from
    return codes


def _resolve_member(
    g: Gazetteer, name: str, province_code: str | None, region_code: str | None
) -> tuple[ResolvedComune, str | None]:
    """Resolve within the card's province; a unique comune of that name elsewhere in the region is
    accepted with a note (a union may cross provinces), never silently."""
    try:
        return g.comune(name, province_code, region_code), None
    except ResolveError as exc:
        if exc.reason != "other-province" or region_code is None:
            raise
        c = g.comune(name, None, region_code)
        return c, (
            f"{exc.message}; resolved to {c.name} ({c.istat_code}, province {c.province_acronym}) "
            "in the same region: check the card"
        )


# ---- figures ------------------------------------------------------------------------------------


def _reference_date(card: CardLayout, note: _Notes) -> date | None:
    """The date of the POPOLAZIONE RESIDENTE source line (``ISTAT 01.01.2022``)."""
    resident = card.resident
    if not resident.date_text:
        return None
    try:
        return parse_italian_date(resident.date_text)
    except ItalianFormatError as exc:
        note("population.reference_date", resident.source or "", str(exc))
        return None


def _population(card: CardLayout, ref_date: date | None, note: _Notes) -> FlowDict | None:
    """The union's population: POPOLAZIONE RESIDENTE, else TOTALE (a disagreement is reported)."""
    resident = card.resident
    population: dict | None = None
    total_value = None
    if card.total:
        try:
            total_value = parse_int(card.total[0])
        except ItalianFormatError as exc:
            note("population", f"TOTALE {card.total[0]}", str(exc))
    if resident.value is not None:
        try:
            resident_value = parse_int(resident.value[0])
            population = {"value": resident_value}
            if card.total and total_value is not None and total_value != resident_value:
                note(
                    "population",
                    f"TOTALE {card.total[0]}",
                    f"differs from POPOLAZIONE RESIDENTE {resident.value[0]} (the record keeps the latter)",
                )
        except ItalianFormatError as exc:
            note("population", resident.value[0], str(exc))
    elif total_value is not None:
        population = {"value": total_value}
    elif not card.total:
        note("population", "", "the card gives no total population (TOTALE or POPOLAZIONE RESIDENTE)")
    if population is None:
        return None
    if ref_date:
        population["reference_date"] = ref_date
    src = resident.source or card.source
    if src:
        population["source"] = src
        population["source_key"] = slug(src)
    return FlowDict(population)


def _integer(field: str, value: tuple[str, int] | None, what: str, note: _Notes) -> int | None:
    if value is None:
        note(field, "", f"the card gives no {what}")
        return None
    try:
        return parse_int(value[0])
    except ItalianFormatError as exc:
        note(field, value[0], str(exc))
        return None


def _quantity(
    field: str, value: tuple[str, int] | None, units: tuple[str, ...], what: str, note: _Notes
) -> Decimal | None:
    if value is None or not value[0]:
        note(field, "", f"the card gives no {what}")
        return None
    try:
        q = parse_quantity(value[0])
    except ItalianFormatError as exc:
        note(field, value[0], str(exc))
        return None
    if q.unit is not None and q.unit not in units:
        note(field, value[0], f"unit {q.unit_text!r} where {' or '.join(units)} was expected")
        return None
    return Decimal(q.value) if not isinstance(q.value, Decimal) else q.value


# ---- ITALIAE ------------------------------------------------------------------------------------

_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")


def _italiae(card: CardLayout, note: _Notes) -> dict:
    """The ITALIAE intervention: line, period, need, scope, actions, sections, synergy."""
    italiae: dict = {"programme": PROGRAMME}
    if card.line_text:
        joined = " ".join(card.line_text)
        key = normalize_name(joined)
        line_name = next((v for k, v in KNOWN_LINES.items() if k in key), None)
        if line_name:
            italiae["line"] = line_name
        else:
            italiae["line"] = joined
            note(
                "italiae.line",
                joined,
                "not a known ITALIAE intervention line (" + ", ".join(KNOWN_LINES.values()) + ")",
            )
    else:
        note("italiae.line", "", "the card gives no LINEA DI INTERVENTO")
    if card.period_text is not None:
        try:
            italiae["period"] = FlowDict(_period(card.period_text))
        except (ValueError, ItalianFormatError) as exc:
            note("italiae.period", card.period_text, str(exc))
    if card.need:
        italiae["need"] = "\n".join(card.need)
    if card.scope:
        italiae["scope"] = "\n".join(card.scope)
    if card.actions:
        italiae["actions"] = list(card.actions)
    if card.sections:
        italiae["sections"] = _keyed_sections(card.sections)
    if card.synergy:
        italiae["synergy"] = card.synergy
    for name in ("line", "synergy"):  # the keys that name them in the dumps, written once
        if italiae.get(name) and slug(italiae[name]):
            italiae[f"{name}_key"] = slug(italiae[name])
    return _ordered_italiae(italiae)


def _keyed_sections(sections: list[dict]) -> list[dict]:
    """The card's sections, each with its key (the slug of its heading, made unique in the record
    with ``-2``, ``-3``...): the key names the section in the dumps and never changes after."""
    out, used = [], set()
    for section in sections:
        base = slug(section["title"]) or "section"
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        out.append({"key": key, **section})
    return out


def _ordered_italiae(italiae: dict) -> dict:
    """Each key beside the text it names."""
    order = ["programme", "line", "line_key", "period", "need", "scope", "actions", "sections", "synergy"]
    return {k: italiae[k] for k in order + ["synergy_key"] if k in italiae}


def _period(text: str) -> dict:
    dates = DATE_IN_TEXT.findall(text)
    if dates and len(dates) <= 2:
        values = [parse_italian_date(d).isoformat() for d in dates]
    else:
        values = _YEAR.findall(text)
    if not values or len(values) > 2:
        raise ValueError(f"{text!r} is not a year or a period of two years/dates")
    return {"start": values[0], "end": values[-1]}


# ---- provenance of the registry files -----------------------------------------------------------


def sources_provenance(gazetteer: Gazetteer, sources_dir: Path | None) -> list[dict]:
    """``provenance.sources`` of an import: each registry file the gazetteer read, with its catalog
    kind, its path relative to the sources folder (``file``), its publisher's URL (``location``),
    its download time when it came from the download cache (``retrieved``), SHA-256, licence and
    the publisher's rights statement (:func:`lod_unioni.sources.folder.source_entry`). The dumps
    describe each file as the ``prov:Entity`` ``{base}source/{kind}`` (``mappings/provenance.yaml``)."""
    folder = None
    if sources_dir is not None:
        folder = (
            sources_dir
            if isinstance(sources_dir, SourcesDir)
            else SourcesDir(Path(sources_dir), cached=False, manifest=load_manifest(sources_dir))
        )
    out = []
    for kind in GAZETTEER_KINDS:
        path = gazetteer.files.get(kind)
        if path is None:
            continue
        prov = (folder or SourcesDir(path.parent, cached=False)).provenance(Path(path))
        out.append(source_entry(prov, kind, folder.path if folder else None, name=KINDS[kind].description))
    return out
