"""The catalogue of reconciliation checks: each check declared once.

A :class:`Check` has an id (``ipa-code-unknown``), a :class:`Severity`, the registry kind it compares
the record with (:data:`lod_unioni.sources.kinds.REGISTRY_KINDS`, ``OPTIONAL_REGISTRY_KINDS``), a
one-line "when" for the docs, and its messages in English and Italian as :class:`Text` templates
(:meth:`str.format` with named fields). A check with several situations has one message for each
(``messages``); the optional pieces of a message (evidence, a suffix, a translated word) are its
``parts``, rendered by the check's family and passed to the message as fields. A check whose
severity depends on a condition declares the other severity and the condition (:class:`Unless`).

The tables of ``docs/reconcile-checks.md`` are :func:`render_severities` and :func:`render_table`
(a test keeps them equal).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ..sources.kinds import KINDS

__all__ = [
    "CHECKS",
    "EMPTY",
    "MINISTRY_POPULATION_WARNING",
    "SEVERITIES",
    "SIMILAR_NAME",
    "UNLIKE_NAME",
    "Check",
    "Severity",
    "Text",
    "Unless",
    "render_severities",
    "render_table",
]

# Thresholds of the name comparisons (lod_unioni.text.name_similarity) and of the register's population.
SIMILAR_NAME = 0.85  # the same union, worded differently
UNLIKE_NAME = 0.6  # below: another body
MINISTRY_POPULATION_WARNING = 0.20  # relative difference of the register's population


# --------------------------------------------------------------------------------------------
# What a check is


class Severity(StrEnum):
    """How much a finding matters; :attr:`meaning` says when each applies."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    Severity.ERROR: "the record contradicts a registry on a fact the registry is the authority for, at the same date",
    Severity.WARNING: "a disagreement that time or wording may explain (names, websites, a 2020 register, "
    "figures of another date)",
    Severity.INFO: "nothing is wrong, but the registry adds something the steward may want (a full date, a rename, "
    "a missing website)",
}

#: The severities, most severe first.
SEVERITIES = tuple(s.value for s in Severity)


@dataclass(frozen=True)
class Text:
    """A text in English and Italian; as a template, :meth:`format` fills both."""

    en: str
    it: str

    def format(self, **fields: object) -> Text:
        """Both templates filled with ``fields``; a field that is a :class:`Text` gives each
        language its own words."""
        return Text(self.en.format(**_in(fields, "en")), self.it.format(**_in(fields, "it")))

    @staticmethod
    def join(separator: str, texts: Iterable[Text]) -> Text:
        """The texts one after the other, ``separator`` between them (the same in both languages)."""
        texts = list(texts)
        return Text(separator.join(t.en for t in texts), separator.join(t.it for t in texts))


EMPTY = Text("", "")


def _in(fields: Mapping[str, object], language: str) -> dict[str, object]:
    return {k: getattr(v, language) if isinstance(v, Text) else v for k, v in fields.items()}


@dataclass(frozen=True)
class Unless:
    """The other severity of a check, and the condition (English, for the docs) it applies under."""

    severity: Severity
    when: str


@dataclass(frozen=True)
class Check:
    """One check: see the module docstring."""

    id: str
    severity: Severity
    kind: str  # the registry kind it compares with (lod_unioni.sources.kinds.KINDS)
    when: str
    messages: Mapping[str, Text]  # situation -> message; "" for a check with one message
    parts: Mapping[str, Text] = field(default_factory=dict)
    unless: Unless | None = None

    @property
    def registry(self) -> str:
        """How findings name the registry: ``IPA``, ``ISTAT comuni``..."""
        return KINDS[self.kind].label

    def severity_for(self, unless: bool = False) -> Severity:
        """The severity, or the :attr:`unless` one when its condition holds."""
        if unless:
            if self.unless is None:
                raise ValueError(f"check {self.id} has one severity")
            return self.unless.severity
        return self.severity

    def message(self, situation: str = "", /, **fields: object) -> Text:
        """The message of ``situation`` ("" for a check with one), filled with ``fields``."""
        return self.messages[situation].format(**fields)

    def part(self, part: str, /, **fields: object) -> Text:
        """A part of a message, filled with ``fields``."""
        return self.parts[part].format(**fields)


# --------------------------------------------------------------------------------------------
# The checks

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _check(
    id: str,
    severity: Severity,
    kind: str,
    when: str,
    message: Text | Mapping[str, Text],
    parts: Mapping[str, Text] | None = None,
    unless: Unless | None = None,
) -> Check:
    messages = {"": message} if isinstance(message, Text) else dict(message)
    return Check(id, severity, kind, when, messages, dict(parts or {}), unless)


T = Text  # short, for the table below
_REGIONS, _PROVINCES, _CITIES = "ontopia-regions", "ontopia-provinces", "ontopia-cities"
_IPA, _COMUNI, _POPULATION, _MINISTRY = "ipa-enti", "istat-comuni", "istat-population", "ministry-unions"
_APPLICATIONS = "padigitale-candidature"
_GENERIC = "only the generic words differ: unione, comuni, articles..."
_NO_DATE = T("no stated date", "nessuna data")
# When ISTAT's file has no date: the Italian messages keep these English words.
_NO_FILE_DATE = T("the date of the ISTAT file", "the date of the ISTAT file")

# The catalogue, laid out as a table.
# fmt: off
_TERRITORY = [
    _check("union-region", ERROR, _REGIONS,
           "the record's region code is not an OntoPiA region, or its name disagrees with OntoPiA's",
           {"code": T("region code {code} is not an OntoPiA region",
                      "il codice regione {code} non è una regione di OntoPiA"),
            "name": T("region {code} is {theirs} in OntoPiA, not {ours}",
                      "la regione {code} in OntoPiA è {theirs}, non {ours}")}),
    _check("union-province", ERROR, _PROVINCES,
           "the record's province code is not an OntoPiA province, its name or acronym disagrees with OntoPiA's, or "
           "OntoPiA puts it in another region",
           {"code": T("province code {code} is not an OntoPiA province",
                      "il codice provincia {code} non è una provincia di OntoPiA"),
            "name": T("province {code} is {theirs} in OntoPiA, not {ours}",
                      "la provincia {code} in OntoPiA è {theirs}, non {ours}"),
            "acronym": T("province {code} ({name}) has acronym {theirs}, not {ours}",
                         "la sigla della provincia {code} ({name}) è {theirs}, non {ours}"),
            "region": T("province {code} ({name}) is in region {theirs}, not {ours}",
                        "la provincia {code} ({name}) è nella regione {theirs}, non {ours}")}),
]

_IPA_CHECKS = [
    _check("ipa-code-unknown", ERROR, _IPA,
           "the union's IPA code is not in IPA",
           T("IPA code {code} is not in IPA", "il codice IPA {code} non è presente in IPA")),
    _check("ipa-code-other-body", ERROR, _IPA,
           "the code is in IPA but belongs to another body: not an L18 union, or a name unlike the "
           f"record's (similarity < {UNLIKE_NAME}), or a seat outside the members and a name not close "
           f"(< {SIMILAR_NAME})",
           T("IPA code {code} belongs to another body, {owner}: {why}",
             "il codice IPA {code} appartiene a un altro ente, {owner}: {why}"),
           parts={"not-a-union": T("it is not an Unione di Comuni (category {category})",
                                   "non è un'Unione di Comuni (categoria {category})"),
                  "not-a-union-named": T("it is not an Unione di Comuni (category {category}, {category_name})",
                                         "non è un'Unione di Comuni (categoria {category})"),
                  "name": T("its name {name!r} is not the record's {record_name!r} (similarity {similarity:.2f})",
                            "il suo nome «{name}» non è quello del record «{record_name}» (somiglianza "
                            "{similarity:.2f})"),
                  "seat": T("its seat {seat} is not a member", "la sua sede {seat} non è tra i comuni membri")}),
    _check("ipa-code-spelling", ERROR, _IPA,
           "the code is IPA's but spelt otherwise (IPA writes UTA, c_B705...): the dumps publish the record's "
           "spelling, and the national IRI public-organization/{code} is case-sensitive",
           T("IPA spells the code {ipa_code}, the record {code}",
             "IPA scrive il codice {ipa_code}, il record {code}")),
    _check("ipa-code-likely", INFO, _IPA,
           "after `ipa-code-unknown` or `ipa-code-other-body`: the L18 body that most likely is the record's union "
           "(name similarity, seat among the members, province / region of the seat), with the evidence",
           {"found": T("the union's IPA code is most likely {code} ({confidence} confidence): {evidence}{others}",
                       "il codice IPA dell'unione è molto probabilmente {code} (affidabilità {confidence}): "
                       "{evidence}{others}"),
            "none": T("no Unione di Comuni (L18) in IPA has a name like the record's or a seat among its members",
                      "nessuna Unione di Comuni (L18) in IPA ha un nome simile a quello del record o la sede in "
                      "uno dei comuni membri")},
           parts={"name": T("name {name!r} (similarity {similarity:.2f} with {record_name!r})",
                            "nome «{name}» (somiglianza {similarity:.2f} con «{record_name}»)"),
                  "seat-member": T("seat {seat}, a member of the union", "sede {seat}, comune membro dell'unione"),
                  "seat-in-province": T("seat {seat} in the union's province, not a member",
                                        "sede {seat} nella provincia dell'unione, non membro"),
                  "seat-in-region": T("seat {seat} in the union's region, not a member",
                                      "sede {seat} nella regione dell'unione, non membro"),
                  "province": T("province {province}", "provincia {province}"),
                  "others": T("; other candidates: {codes}", "; altri candidati: {codes}"),
                  "high": T("high", "alta"),
                  "medium": T("medium", "media"),
                  "low": T("low", "bassa")}),
    _check("ipa-name", WARNING, _IPA,
           "the code fits but IPA's name is worded differently",
           T("IPA names {code} {ipa_name!r}, the record {name!r} (similarity {similarity:.2f})",
             "IPA chiama {code} «{ipa_name}», il record «{name}» (somiglianza {similarity:.2f})"),
           unless=Unless(INFO, _GENERIC)),
    _check("ipa-seat-not-member", WARNING, _IPA,
           "the code fits but IPA's seat comune is not a member",
           T("IPA's seat of {code}, {seat}, is not a member of the union",
             "la sede IPA di {code}, {seat}, non è tra i comuni membri dell'unione")),
    _check("ipa-seat-province", WARNING, _IPA,
           "IPA's seat is in another province than the record's union",
           T("IPA's seat of {code}, {seat}, is in province {seat_province}, not {province}",
             "la sede IPA di {code}, {seat}, è nella provincia {seat_province}, non {province}")),
]

_WEBSITE = [
    _check("website-mismatch", WARNING, _IPA,
           "the website differs from IPA's (compared without scheme, `www.`, case, trailing slash)",
           T("the website is not IPA's site of {code} ({ipa_site})",
             "il sito web non è quello registrato in IPA per {code} ({ipa_site})")),
    _check("website-form", INFO, _IPA,
           "same site, written differently from IPA",
           T("same website as IPA's, written {ipa_site} there", "stesso sito web di IPA, dove è scritto {ipa_site}")),
    _check("website-not-in-ipa", INFO, _IPA,
           "IPA has no website for the union",
           T("IPA has no website for {code}: the record's cannot be confirmed",
             "IPA non ha un sito web per {code}: quello del record non può essere confermato")),
    _check("website-missing", INFO, _IPA,
           "IPA has a website, the record has none",
           T("the record has no website; IPA gives {ipa_site} for {code}",
             "il record non ha un sito web; IPA indica {ipa_site} per {code}")),
    _check("website-other-body", ERROR, _IPA,
           "the website is the IPA website of another body",
           T("the website is IPA's site of another body, {owner_code} {owner_name}",
             "il sito web è quello registrato in IPA per un altro ente, {owner_code} {owner_name}")),
    _check("website-other-union", ERROR, _IPA,
           "the website's domain is the name of another L18 union (and not of the record's union)",
           T("the website's domain {label!r} is the name of another union, {owner_code} {owner_name} (likeness "
             "{likeness:.2f}; with the union's own name {own:.2f})",
             "il dominio del sito web «{label}» è il nome di un'altra unione, {owner_code} {owner_name} "
             "(somiglianza {likeness:.2f}; con il nome dell'unione {own:.2f})")),
]

_MEMBERS = [
    _check("member-istat-code", ERROR, _COMUNI,
           "the member's ISTAT code is not in ISTAT's current list",
           T("{name}: ISTAT code {code} is not in ISTAT's current list of comuni{evidence}",
             "{name}: il codice ISTAT {code} non è nell'elenco ISTAT dei comuni attuali{evidence}"),
           parts={"ontopia": T("; OntoPiA: {label} ({code}) valid until {until}",
                               "; OntoPiA: {label} ({code}) valido fino al {until}"),
                  "name": T("; the name {name!r} is ISTAT's {other}", "; il nome «{name}» è quello ISTAT di {other}")}),
    _check("member-name-other-code", ERROR, _COMUNI,
           "the member's name is the name of another ISTAT code",
           T("{name!r} is ISTAT's {other}; code {code} is {istat_name}",
             "«{name}» è il comune ISTAT {other}; il codice {code} è {istat_name}")),
    _check("member-renamed", WARNING, _COMUNI,
           "the member's name is a former name of its ISTAT code",
           T("{name!r} is a former name of {code}: ISTAT's current name is {istat_name}",
             "«{name}» è un nome precedente di {code}: il nome ISTAT attuale è {istat_name}")),
    _check("member-name", ERROR, _COMUNI,
           "the name is not ISTAT's for that code (nor a former name)",
           T("ISTAT code {code} is {istat_name}, not {name!r}", "il codice ISTAT {code} è {istat_name}, non «{name}»")),
    _check("member-province", ERROR, _COMUNI,
           "the member's province code differs from ISTAT's",
           T("{name} ({code}): province {theirs} in ISTAT's list, {ours} in the record",
             "{name} ({code}): provincia {theirs} nell'elenco ISTAT, {ours} nel record")),
    _check("member-region", ERROR, _COMUNI,
           "the member's region code differs from ISTAT's",
           T("{name} ({code}): region {theirs} in ISTAT's list, {ours} in the record",
             "{name} ({code}): regione {theirs} nell'elenco ISTAT, {ours} nel record")),
    _check("member-cadastral-code", ERROR, _COMUNI,
           "the member's cadastral code differs from ISTAT's",
           T("{name} ({code}): cadastral code {theirs} in ISTAT's list, {ours} in the record",
             "{name} ({code}): codice catastale {theirs} nell'elenco ISTAT, {ours} nel record")),
    _check("member-ontopia-city", ERROR, _CITIES,
           "the member's OntoPiA city (ID_COMUNE / start date) is not the current row",
           {"city": T("{name} ({code}): the current OntoPiA city is {theirs}, not {ours}",
                      "{name} ({code}): la città OntoPiA attuale è {theirs}, non {ours}"),
            "start": T("{name} ({code}): OntoPiA's row {city} starts on {start}, not {ours}",
                       "{name} ({code}): la riga OntoPiA {city} inizia il {start}, non {ours}")},
           parts={"missing": T("missing", "assente")}),
    _check("member-ipa-code", WARNING, _IPA,
           "the comune's IPA code differs from IPA's comune (L6) seated there",
           T("{name} ({code}): IPA's comune seated there is {ipa_code} ({ipa_name}), not {ours}",
             "{name} ({code}): il comune registrato in IPA con quella sede è {ipa_code} ({ipa_name}), non {ours}")),
    _check("member-ipa-code-spelling", ERROR, _IPA,
           "the comune's IPA code is IPA's but spelt otherwise (C_B605, c_B705...): the national IRI is case-sensitive",
           T("{name} ({code}): IPA spells its code {ipa_code}, the record {ours}",
             "{name} ({code}): IPA scrive il suo codice {ipa_code}, il record {ours}")),
]

_POPULATION_CHECKS = [
    _check("member-population", ERROR, _POPULATION,
           "the member's population differs from ISTAT's at the same reference date",
           T("{name} ({code}): population {value} at {date}, ISTAT {figure} (difference {difference:+d})",
             "{name} ({code}): popolazione {value} al {date}, ISTAT {figure} (differenza {difference:+d})")),
    _check("member-population-date", WARNING, _POPULATION,
           "the member's figure is of another date than the ISTAT file: not compared",
           T("{name} ({code}): the population {value} is of {when}, the ISTAT file of {date} (ISTAT: {figure}); not "
             "compared",
             "{name} ({code}): la popolazione {value} è riferita a {when}, il file ISTAT al {date} (ISTAT: "
             "{figure}); non confrontata"),
           parts={"no-date": _NO_DATE,
                  "no-file-date": _NO_FILE_DATE,
                  "no-figure": T("no figure", "nessun dato")}),
    _check("member-population-missing", WARNING, _POPULATION,
           "ISTAT has no figure for the comune at that date",
           T("{name} ({code}): ISTAT has no population at {date}",
             "{name} ({code}): ISTAT non ha la popolazione al {date}")),
    _check("union-population", ERROR, _POPULATION,
           "the union's total differs from the sum of ISTAT's figures",
           T("the union's population {value} at {date} differs from the sum of ISTAT's figures for its {members} "
             "members, {total} (difference {difference:+d})",
             "la popolazione dell'unione {value} al {date} differisce dalla somma dei dati ISTAT dei suoi "
             "{members} comuni, {total} (differenza {difference:+d})")),
    _check("union-population-date", WARNING, _POPULATION,
           "the union's total is of another date than the ISTAT file: not compared",
           T("the union's population {value} is of {when}, the ISTAT file of {date} (sum of ISTAT figures: {total}); "
             "not compared",
             "la popolazione dell'unione {value} è riferita a {when}, il file ISTAT al {date} (somma dei dati "
             "ISTAT: {total}); non confrontata"),
           parts={"no-date": _NO_DATE,
                  "no-file-date": _NO_FILE_DATE,
                  "incomplete": T("incomplete", "incompleta")}),
]

_MINISTRY_CHECKS = [
    _check("ministry-not-found", WARNING, _MINISTRY,
           "the union is not in the Ministry register",
           T("the union is not in the Ministry register of unions (no union of its region with its name or most of "
             "its members){late}",
             "l'unione non è nel registro delle unioni del Ministero dell'Interno (nessuna unione della regione con "
             "il suo nome o con la maggior parte dei suoi comuni){late}"),
           parts={"late": T("; it was founded after the register ({year})",
                            "; è stata costituita dopo il registro ({year})")},
           unless=Unless(INFO, "the record says it was founded after the register's year")),
    _check("ministry-name", WARNING, _MINISTRY,
           "the register names the union differently",
           T("the Ministry register ({code}, found by {how}) names the union {name!r}",
             "il registro del Ministero ({code}, trovata per {how}) chiama l'unione «{name}»"),
           # how the register's row was found (also the union report's ministry_match)
           parts={"by-name": T("name", "nome"),
                  "by-ipa-name": T("IPA's name", "nome in IPA"),
                  "by-core-name": T("name (but for the generic words)", "nome (a parte le parole generiche)"),
                  "by-similar-name": T("similar name ({similarity:.2f})", "nome simile ({similarity:.2f})"),
                  "by-province": T("province", "provincia"),
                  "by-members": T("members ({common} of {count} in common)", "comuni ({common} su {count} in comune)")},
           unless=Unless(INFO, _GENERIC)),
    _check("ministry-member-missing", WARNING, _MINISTRY,
           "a member is not listed by the register",
           T("{name} ({code}) is not among the members the register lists for {union}",
             "{name} ({code}) non è tra i comuni che il registro elenca per {union}")),
    _check("ministry-member-extra", WARNING, _MINISTRY,
           "the register lists a comune that is not a member",
           T("the register lists {name} ({comune}) as a member; the record does not",
             "il registro elenca {name} ({comune}) tra i comuni; il record no")),
    _check("ministry-member-unresolved", WARNING, _MINISTRY,
           "a register member name matches no comune, or one that no longer exists (merged / abolished)",
           T("the register lists {name}, which is not a current comune{note}",
             "il registro elenca {name}, che non è un comune attuale{note}"),
           parts={"note": T(" ({note})", " ({note})")}),
    _check("ministry-member-renamed", INFO, _MINISTRY,
           "the register writes a member's former name",
           T("the register writes {name}, a former name of {current} ({code})",
             "il registro scrive {name}, nome precedente di {current} ({code})")),
    _check("ministry-founding-date", ERROR, _MINISTRY,
           "the founding year (or full date) differs from the register's date",
           {"year": T("founded in {founded} according to the record, on {date} according to the register",
                      "costituita nel {founded} secondo il record, il {date} secondo il registro"),
            "date": T("founded on {founded} according to the record, on {date} according to the register",
                      "costituita il {founded} secondo il record, il {date} secondo il registro")}),
    _check("ministry-founding-detail", INFO, _MINISTRY,
           "same year; the register gives the full date (or the record has no founding date at all)",
           {"no-date": T("the record has no founding date; the register says {date}",
                         "il record non ha una data di costituzione; il registro indica {date}"),
            "same-year": T("same year; the register gives the full founding date {date}",
                           "stesso anno; il registro indica la data di costituzione completa {date}")}),
    _check("ministry-number-of-comuni", WARNING, _MINISTRY,
           "the number of comuni differs from the register's",
           T("{ours} comuni in the record, {theirs} in the register",
             "{ours} comuni nel record, {theirs} nel registro")),
    _check("ministry-register-issue", INFO, _MINISTRY,
           "the register disagrees with itself for this union",
           T("the register disagrees with itself: {issue}", "il registro non è coerente: {issue}"),
           # the reader's English description, and the Italian of each kind of issue
           parts={"count": T("{message}", "dichiara {expected} comuni ma ne elenca {found}"),
                  "members-sum": T("{message}", "popolazione totale {expected}, ma la somma dei comuni è {found}"),
                  "sex-sum": T("{message}", "uomini + donne = {found}, non il totale {expected}"),
                  "other": T("{message}", "{message}")}),
    _check("ministry-population", INFO, _MINISTRY,
           "the register's population (of another date) differs",
           T("population {value} ({date}) in the record, {total} in the register (another date; difference "
             "{difference:+d}, {relative:.0%})",
             "popolazione {value} ({date}) nel record, {total} nel registro (altra data; differenza "
             "{difference:+d}, {relative:.0%})"),
           parts={"no-date": T("no date", "senza data")},
           unless=Unless(WARNING, f"the difference exceeds {MINISTRY_POPULATION_WARNING:.0%}")),
]

_PROJECTS = [
    _check("project-unjoined", WARNING, _APPLICATIONS,
           "an application of the union or of a member cannot be joined, so it is not published: it has no CUP; "
           "a member's application by an IPA code IPA does not know, with no current comune as cod_comune; or an "
           "application of the union's likely IPA body (`ipa-code-likely`), not of the record's code",
           {"no-cup": T("{body}: the application of {ente} ({ipa}) to {call} ({file} line {line}) has no CUP: it "
                        "is not published",
                        "{body}: la candidatura di {ente} ({ipa}) all'avviso {call} ({file} riga {line}) non ha CUP: "
                        "non è pubblicata"),
            "comune-unknown": T("{body}: the application {cup} of {ente} ({ipa}) to {call} ({file} line {line}) "
                                "joins no body: IPA does not know {ipa} and its cod_comune {given} is no current "
                                "comune",
                                "{body}: la candidatura {cup} di {ente} ({ipa}) all'avviso {call} ({file} riga "
                                "{line}) non è collegata a nessun ente: IPA non conosce {ipa} e il suo cod_comune "
                                "{given} non è un comune attuale"),
            "union-not-in-build": T("the application {cup} of {ente} ({ipa}), most likely the union, to {call} "
                                    "({file} line {line}) is not the record's code {code}: it is not published",
                                    "la candidatura {cup} di {ente} ({ipa}), molto probabilmente l'unione, "
                                    "all'avviso {call} ({file} riga {line}) non ha il codice del record {code}: non "
                                    "è pubblicata")},
           parts={"union": T("the union", "l'unione")}),
    _check("project-seat", WARNING, _APPLICATIONS,
           "an application's cod_comune is not the IPA seat of its body: for the union's, IPA's seat of the union; "
           "for a member's, the member itself",
           {"union": T("the union's application {cup} ({file} line {line}) gives the comune {given}; IPA's seat of "
                       "{ipa} is {seat}",
                       "la candidatura {cup} dell'unione ({file} riga {line}) indica il comune {given}; la sede IPA "
                       "di {ipa} è {seat}"),
            "comune": T("{body}: the application {cup} of {ipa} ({file} line {line}) gives the comune {given}",
                        "{body}: la candidatura {cup} di {ipa} ({file} riga {line}) indica il comune {given}")},
           unless=Unless(INFO, "the two codes are one comune now: recoded or merged into it (OntoPiA's history), "
                         "or a code not yet in ISTAT's list written with the comune's name")),
]
# fmt: on


def _by_id(*groups: list[Check]) -> dict[str, Check]:
    checks = [c for group in groups for c in group]
    by_id = {c.id: c for c in checks}
    if len(by_id) != len(checks):
        raise ValueError("two checks with the same id")
    return by_id


#: Every check by id, in the order of the docs table (by family, in the order they run).
CHECKS: dict[str, Check] = _by_id(
    _TERRITORY, _IPA_CHECKS, _WEBSITE, _MEMBERS, _POPULATION_CHECKS, _MINISTRY_CHECKS, _PROJECTS
)


def render_table() -> str:
    """The table of the checks (Markdown): id, severity, registry, when."""
    rows = ["| check | severity | registry | when |", "|---|---|---|---|"]
    for c in CHECKS.values():
        when = c.when + (f"; {c.unless.severity} when {c.unless.when}" if c.unless else "")
        rows.append(f"| `{c.id}` | {c.severity} | {c.registry} | {when} |")
    return "\n".join(rows) + "\n"


def render_severities() -> str:
    """The table of the severities (Markdown)."""
    rows = ["| severity | when |", "|---|---|"] + [f"| {s} | {s.meaning} |" for s in Severity]
    return "\n".join(rows) + "\n"
