"""The union records of the synthetic dataset (:mod:`synthetic`): where the unions are, their member
comuni, their figures, services and ITALIAE interventions.

The records are dicts in the record format (``docs/record-format-example.yaml``), drawn from one
seeded random generator: the same ``scale`` and ``seed`` give the same records. 560 unions in the
20 regions and 107 provinces (more where there are more in reality), 2 to 40 members each (skewed:
many small unions, a few large ones), 7,900 distinct comuni of which 40 in two unions of the same
province; the union's figures are those of the cards (total population = sum of the members,
surface = sum, density = population / surface truncated to two decimals).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pyoxigraph import RdfFormat, parse

from lod_unioni.records import Record
from lod_unioni.resources import resource_dir
from lod_unioni.text import slug
from lod_unioni.vocab import LUS, SKOS

__all__ = [
    "DEFAULT_SEED",
    "NATIONAL",
    "REGIONS",
    "generate_records",
    "scaled",
    "services_vocabulary",
    "truncated_density",
]

DEFAULT_SEED = 20220101

#: The national figures at scale 1.
NATIONAL = {"unions": 560, "comuni": 7900, "shared_comuni": 40, "projects": 50_000}
MIN_MEMBERS, MAX_MEMBERS = 2, 40
REFERENCE_DATE = "2022-01-01"
IMPORTED_ON = "2025-01-01"
ITALIAE_SHARE = 0.12  # unions with an ITALIAE intervention
NO_FOUNDING_DATE_SHARE = 0.08  # unions whose card gives no founding date (an Info result each)

#: ISTAT region code -> (name, [province codes], weight: roughly the unions of the region in 2020).
REGIONS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "01": ("Piemonte", ("001", "002", "003", "004", "005", "006", "096", "103"), 100),
    "02": ("Valle d'Aosta/Vallée d'Aoste", ("007",), 8),
    "03": ("Lombardia", ("012", "013", "014", "015", "016", "017", "018", "019", "020", "097", "098", "108"), 80),
    "04": ("Trentino-Alto Adige/Südtirol", ("021", "022"), 15),
    "05": ("Veneto", ("023", "024", "025", "026", "027", "028", "029"), 40),
    "06": ("Friuli-Venezia Giulia", ("030", "031", "032", "093"), 10),
    "07": ("Liguria", ("008", "009", "010", "011"), 10),
    "08": ("Emilia-Romagna", ("033", "034", "035", "036", "037", "038", "039", "040", "099"), 40),
    "09": ("Toscana", ("045", "046", "047", "048", "049", "050", "051", "052", "053", "100"), 22),
    "10": ("Umbria", ("054", "055"), 5),
    "11": ("Marche", ("041", "042", "043", "044", "109"), 12),
    "12": ("Lazio", ("056", "057", "058", "059", "060"), 30),
    "13": ("Abruzzo", ("066", "067", "068", "069"), 20),
    "14": ("Molise", ("070", "094"), 10),
    "15": ("Campania", ("061", "062", "063", "064", "065"), 20),
    "16": ("Puglia", ("071", "072", "073", "074", "075", "110"), 23),
    "17": ("Basilicata", ("076", "077"), 5),
    "18": ("Calabria", ("078", "079", "080", "101", "102"), 20),
    "19": ("Sicilia", ("081", "082", "083", "084", "085", "086", "087", "088", "089"), 48),
    "20": ("Sardegna", ("090", "091", "092", "095", "111"), 36),
}

_RECORD_SOURCE_IT = "Istat, Popolazione residente 2022"
_UNION_SOURCE = "ISTAT 01.01.2022"

# Pieces of plausible Italian place names.
_STARTS = tuple(
    "Ca Ro Mon Val Ser Bor Cas Fon Pra Tor Lu Sca Ver Pa Gal Mor Ne Bel Fer Cor Sa Tre Bri Ar Civi Lo Mar Po".split()
)
_MIDDLES = (*"ra to li ne sa ca ri van gna del ma te ci lo na ven sti".split(), "")
_ENDS = tuple("no na lo la ro se ti ne rio ello ano ate ago engo asco ola ino era ezzo".split())
_PREFIXES = (
    "San ",
    "Santa ",
    "Castel",
    "Monte",
    "Villa ",
    "Borgo ",
    "Rocca ",
    "Torre ",
    "Pieve ",
    "Serra ",
    "Colle ",
    "Ponte ",
    "Casal",
    "Poggio ",
)
_SUFFIXES = (
    " di Sopra",
    " di Sotto",
    " Marittimo",
    " al Piano",
    " sul Mare",
    " Scalo",
    " Superiore",
    " Inferiore",
    " Vecchio",
    " d'Asti",
    " in Valle",
    " Terme",
)
_UNION_PATTERNS = (
    "Unione dei Comuni {a}",
    "Unione dei Comuni della Valle {a}",
    "Unione Montana {a}",
    "Unione dei Comuni {a} e {b}",
    "Unione Terre di {a}",
    "Unione dei Comuni dell'Alto {a}",
    "Unione dei Comuni della Bassa {a}",
    "Unione dei Comuni del {a}",
)
_SECTION_TITLES = (
    "DIGITALIZZAZIONE DEI SERVIZI LOCALI",
    "PERCORSO DI TRASFORMAZIONE DIGITALE",
    "GESTIONE ASSOCIATA DEL PERSONALE",
    "PIANIFICAZIONE STRATEGICA DELL'UNIONE",
    "SERVIZI SOCIALI IN FORMA ASSOCIATA",
    "CENTRALE UNICA DI COMMITTENZA",
)
_ACTIONS = (
    "SURVEY ONLINE SULLE DIMENSIONI DI INTERESSE",
    "DEFINIZIONE DEL PIANO DI INNOVAZIONE DIGITALE",
    "CHECK UP ORGANIZZATIVO",
    "LABORATORI CON I REFERENTI DEI COMUNI",
    "ANALISI DOCUMENTALE ON DESK",
    "AFFIANCAMENTO NELLA REDAZIONE DEGLI ATTI",
)


# --- the services vocabulary ------------------------------------------------------------------------

SERVICES_SCHEME = LUS.rstrip("/")  # the concept scheme of the services vocabulary


def services_vocabulary() -> list[tuple[str, str]]:
    """``(notation, Italian prefLabel)`` of every concept of the bundled services scheme, in file order."""
    path = resource_dir("ontology") / "vocabularies" / "services" / "services.ttl"
    notation, pref, in_scheme = {}, {}, set()
    order: list = []
    for t in parse(path=str(path), format=RdfFormat.TURTLE):
        p = t.predicate.value
        if p == SKOS + "notation":
            notation[t.subject] = t.object.value
            order.append(t.subject)
        elif p == SKOS + "prefLabel" and t.object.language == "it":
            pref[t.subject] = t.object.value
        elif p == SKOS + "inScheme" and t.object.value == SERVICES_SCHEME:
            in_scheme.add(t.subject)
    concepts = [(notation[c], pref.get(c, notation[c])) for c in order if c in in_scheme]
    if not concepts:
        raise RuntimeError(f"no concepts of {SERVICES_SCHEME} in {path}")
    return concepts


# --- records ----------------------------------------------------------------------------------------


def scaled(n: int, scale: float, minimum: int) -> int:
    """``n`` at ``scale``, at least ``minimum``."""
    return max(minimum, round(n * scale))


def _place(rng: random.Random) -> str:
    root = rng.choice(_STARTS) + rng.choice(_MIDDLES) + rng.choice(_ENDS)
    r = rng.random()
    if r < 0.25:
        prefix = rng.choice(_PREFIXES)
        root = prefix + (root.lower() if not prefix.endswith(" ") else root)
    if rng.random() < 0.12:
        root += rng.choice(_SUFFIXES)
    return root


def _unique(make: Callable[[], str], used: set) -> str:
    for _ in range(1000):
        name = make()
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("could not make a unique name")  # pragma: no cover


def _member_sizes(rng: random.Random, n_unions: int, total: int) -> list[int]:
    """``n_unions`` sizes in [MIN_MEMBERS, MAX_MEMBERS] summing to ``total``; skewed like the real
    unions (many small ones, a few large mountain unions)."""
    if not MIN_MEMBERS * n_unions <= total <= MAX_MEMBERS * n_unions:
        raise ValueError(
            f"{total} member slots cannot be spread over {n_unions} unions of {MIN_MEMBERS}..{MAX_MEMBERS} comuni"
        )
    mean_extra = total / n_unions - MIN_MEMBERS
    sizes = [min(MAX_MEMBERS, MIN_MEMBERS + int(rng.expovariate(1 / max(mean_extra, 0.5)))) for _ in range(n_unions)]
    diff = total - sum(sizes)
    while diff:
        i = rng.randrange(n_unions)
        if diff > 0 and sizes[i] < MAX_MEMBERS:
            sizes[i] += 1
            diff -= 1
        elif diff < 0 and sizes[i] > MIN_MEMBERS:
            sizes[i] -= 1
            diff += 1
    return sizes


def _cadastral(index: int) -> str:
    """A unique cadastral-code-like string for comune number ``index`` (A001 .. Z999)."""
    letter, number = divmod(index, 999)
    if letter >= 26:
        raise ValueError("too many comuni for cadastral codes")
    return f"{chr(65 + letter)}{number + 1:03d}"


def truncated_density(population: int, surface: Decimal) -> Decimal:
    """Inhabitants per km², truncated to two decimals as the cards do, in exact integer arithmetic."""
    hundredths = int(surface * 100)
    return Decimal(10_000 * population // hundredths) / 100


@dataclass
class _Layout:
    """Where the unions are and how many members each has (union ``i`` of ``n_unions``)."""

    regions: list[str]  # region code of union i
    provinces: list[str]  # province code of union i
    by_province: dict[str, list[int]]  # province code -> its unions, in order
    borrowers: list[int]  # unions that also have one comune of another union of their province
    sizes: list[int]  # members of union i, the borrowed comune included


def _layout(rng: random.Random, n_unions: int, n_comuni: int, n_shared: int) -> _Layout:
    """The regions and provinces of the unions (weighted like the real ones) and their sizes."""
    codes = list(REGIONS)
    weights = [REGIONS[c][2] for c in codes]
    regions = sorted(rng.choices(codes, weights=weights, k=n_unions))
    provinces = [rng.choice(REGIONS[r][1]) for r in regions]
    by_province: dict[str, list[int]] = {}
    for i, p in enumerate(provinces):
        by_province.setdefault(p, []).append(i)

    # borrowers: unions that also have one comune of a neighbour union of their province
    candidates = [i for i, p in enumerate(provinces) if len(by_province[p]) > 1]
    rng.shuffle(candidates)
    borrowers = sorted(candidates[:n_shared])
    sizes = _member_sizes(rng, n_unions, n_comuni + len(borrowers))
    for i in borrowers:  # a borrower needs room for its own comuni and the borrowed one
        if sizes[i] < MIN_MEMBERS + 1:
            j = max(range(n_unions), key=lambda k: sizes[k])
            sizes[i] += 1
            sizes[j] -= 1
    return _Layout(regions, provinces, by_province, borrowers, sizes)


def _comune(rng: random.Random, istat: str, cadastral: str, province: str, region: str, used_names: set) -> dict:
    """One member comune (its surface in ``_surface``, which the record does not carry)."""
    valid_from = (
        "1948-01-01" if rng.random() < 0.97 else rng.choice(("2014-01-01", "2016-01-01", "2019-01-01", "2021-01-01"))
    )
    population = max(30, min(400_000, int(rng.lognormvariate(7.75, 1.1))))
    surface = Decimal(max(100, min(130_000, int(rng.lognormvariate(7.7, 0.8))))) / 100
    return {
        "name": _unique(lambda: _place(rng), used_names),
        "istat_code": istat,
        "cadastral_code": cadastral,
        "ipa_code": "c_" + cadastral.lower(),
        "ontopia_city": f"{istat}-({valid_from})",
        "city_valid_from": valid_from,
        "province_code": province,
        "region_code": region,
        "population": {
            "value": population,
            "reference_date": REFERENCE_DATE,
            "source": _RECORD_SOURCE_IT,
            "source_key": slug(_RECORD_SOURCE_IT),
        },
        "_surface": surface,
    }


def _members(rng: random.Random, layout: _Layout) -> list[list[dict]]:
    """The members of each union: its own comuni (each comune owned by one union), then for a
    borrower one comune of another union of its province."""
    used_names: set = set()
    counter: dict[str, int] = {}
    comuni: list[list[dict]] = []
    index = 0
    for i in range(len(layout.sizes)):
        own = layout.sizes[i] - (1 if i in layout.borrowers else 0)
        members = []
        province, region = layout.provinces[i], layout.regions[i]
        for _ in range(own):
            counter[province] = counter.get(province, 0) + 1
            if counter[province] > 999:
                raise ValueError(f"too many comuni in province {province}")
            istat = f"{province}{counter[province]:03d}"
            cadastral = _cadastral(index)
            index += 1
            members.append(_comune(rng, istat, cadastral, province, region, used_names))
        comuni.append(members)
    own_comuni = [list(members) for members in comuni]
    borrowed: set = set()
    for i in layout.borrowers:  # one comune of another union of the province, not borrowed yet
        pool = [
            m
            for j in layout.by_province[layout.provinces[i]]
            if j != i
            for m in own_comuni[j]
            if m["istat_code"] not in borrowed
        ]
        m = rng.choice(pool)
        borrowed.add(m["istat_code"])
        comuni[i].append(m)
    return comuni


def _italiae(rng: random.Random, ipa: str, name: str, provenance: dict) -> dict:
    """An ITALIAE intervention of the union (its card goes into ``provenance``)."""
    sha = hashlib.sha256(f"synthetic ITALIAE card {ipa}".encode()).hexdigest()
    provenance["card"] = {"file": f"{sha[:16]}.txt", "sha256": sha, "title": f"ITALIAE - {name}"}
    return {
        "programme": "ITALIAE",
        "line": "Community di innovazione",
        "line_key": "community-di-innovazione",
        "period": {"start": "2022", "end": rng.choice(("2022", "2023"))},
        "need": "AVERE UN QUADRO SULLO STATO DEL PROCESSO DI DIGITALIZZAZIONE NEI SINGOLI COMUNI.",
        "scope": "CHECKUP DELL'ASSETTO DIGITALE E TECNOLOGICO",
        "actions": rng.sample(_ACTIONS, rng.randint(1, 3)),
        "sections": [
            {"key": slug(t), "title": t, "text": f"Sezione «{t.capitalize()}» della scheda di {name}."}
            for t in rng.sample(_SECTION_TITLES, rng.randint(1, 3))
        ],
        "synergy": "Laboratorio Permanente",
        "synergy_key": "laboratorio-permanente",
    }


def _union(rng: random.Random, ipa: str, name: str, region: str, province: str) -> dict:
    """The ``union`` part of a record: codes, name, founding date (92 %), website (85 %)."""
    union = {
        "ipa_code": ipa,
        "name": name,
        "region": {"code": region, "name": REGIONS[region][0]},
        "province": {"code": province},
        "body_type": "UNIONE DEI COMUNI",
    }
    if rng.random() >= NO_FOUNDING_DATE_SHARE:
        year = rng.randint(1999, 2021)
        union["founded"] = (
            str(year) if rng.random() < 0.8 else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
    if rng.random() < 0.85:
        union["website"] = f"https://www.{ipa.replace('_', '')}.it"
    return union


def _services(rng: random.Random, services: list[tuple[str, str]], weights: list[float]) -> list[tuple[str, str]]:
    """0 to 12 shared services, the popular ones more often."""
    chosen: list = []
    for _ in range(rng.choice((0, 1, 2, 3, 4, 5, 6, 6, 8, 10, 12))):
        s = rng.choices(services, weights=weights)[0]
        if s not in chosen:
            chosen.append(s)
    return chosen


def _record(
    rng: random.Random,
    i: int,
    layout: _Layout,
    members: list[dict],
    services: tuple[list[tuple[str, str]], list[float]],
    used_union_names: set,
) -> Record:
    """The record of union ``i``; ``services`` are the vocabulary's concepts and their weights."""
    province, region = layout.provinces[i], layout.regions[i]
    name = _unique(lambda: rng.choice(_UNION_PATTERNS).format(a=_place(rng), b=_place(rng)), used_union_names)
    ipa = f"uc_{province}_{layout.by_province[province].index(i) + 1:02d}"
    population = sum(m["population"]["value"] for m in members)
    surface = sum((m["_surface"] for m in members), Decimal(0))
    union = _union(rng, ipa, name, region, province)
    chosen = _services(rng, *services)
    data = {
        "record_format": 1,
        "provenance": {"imported_on": IMPORTED_ON, "importer": "lod-unioni bench/synthetic.py", "edits": []},
        "union": union,
        "services": [
            {
                "concept": notation,
                "card_text": label.upper(),
                "status": "planned" if rng.random() < 0.15 else "active",
            }
            for notation, label in chosen
        ],
        "members": [{k: v for k, v in m.items() if not k.startswith("_")} for m in members],
        "population": {
            "value": population,
            "reference_date": REFERENCE_DATE,
            "source": _UNION_SOURCE,
            "source_key": slug(_UNION_SOURCE),
        },
        "surface_km2": surface,
        "density": truncated_density(population, surface),
        "number_of_comuni": len(members),
    }
    if rng.random() < ITALIAE_SHARE:
        data["italiae"] = _italiae(rng, ipa, name, data["provenance"])
    return Record(path=Path("synthetic") / f"{ipa}.yaml", data=data)


def generate_records(scale: float = 1.0, seed: int = DEFAULT_SEED) -> list[Record]:
    """The synthetic union records (dicts in the record format), sorted by IPA code."""
    rng = random.Random(seed)
    n_unions = scaled(NATIONAL["unions"], scale, 2)
    n_comuni = max(MIN_MEMBERS * n_unions, scaled(NATIONAL["comuni"], scale, 4))
    n_shared = scaled(NATIONAL["shared_comuni"], scale, 1)
    services = services_vocabulary()
    # popular services first: the fundamental functions most unions share
    service_weights = [max(1.0, 12.0 - 0.6 * i) for i in range(len(services))]
    layout = _layout(rng, n_unions, n_comuni, n_shared)
    comuni = _members(rng, layout)
    used_union_names: set = set()
    records = [
        _record(rng, i, layout, comuni[i], (services, service_weights), used_union_names) for i in range(n_unions)
    ]
    return sorted(records, key=lambda r: r.ipa_code)
