"""A synthetic, national-scale lod-unioni dataset for the speed benchmark.

Shaped like the national data: about 560 Unioni di Comuni with 7,900 distinct member comuni (a few
comuni in two unions of the same province), 2 to 40 members per union, realistic populations and
surfaces, the union's density computed as the ITALIAE cards do (population / surface truncated to two
decimals), shared services from the services vocabulary (``ontology/vocabularies/services``), an
ITALIAE intervention for some unions, and 50,000 PNRR project nodes.

The unions are generated as **records** (dicts in the record format, ``docs/record-format-example.yaml``)
and mapped with the project's own mapping engine (:mod:`lod_unioni.mapping`), so the graph has
exactly the shape of a real build. The projects are not in ``ontology/MODEL.md`` yet: they are plain
extra triples, modelled with OntoPiA Project::

    <{base}project/{CUP}> a prj:PublicInvestmentProject ;
        prj:hasUniqueProjectCode <{base}project/{CUP}/cup> ;
        prj:projectTitle "1.4.1 Esperienza del cittadino nei servizi pubblici - Comune di …"@it ;
        prj:projectTotalCost "155234.00"^^xsd:decimal ;       # OntoPiA declares xsd:float; we use decimals
        prj:hasParticipantingAgent <{base}comune/{istat}> .   # or <{base}union/{ipa}>
    <{base}project/{CUP}/cup> a prj:UniqueProjectCode ; prj:uniqueProjectCodeValue "{CUP}" .

Everything is deterministic: the same ``scale`` and ``seed`` give the same records and triples.
The records conform to the record schema and the graph conforms to the bundled shapes (only
``Info`` results: unions without a founding date, as on real cards).

Use from Python::

    from synthetic import generate          # with bench/ on sys.path
    data = generate(scale=0.05)             # Dataset(records, projects, ...)
    triples = data.triples()                # sorted pyoxigraph triples: mapped records + projects

or from the command line (``python bench/synthetic.py --help``) to write the records as YAML files
(for ``lod-unioni build --records DIR``) and/or the graph as N-Triples.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from lod_unioni.config import DEFAULT_BASE_IRI
from lod_unioni.graph import no_gc, sort_triples
from lod_unioni.mapping import Mapping, load_mapping
from lod_unioni.records import Record
from lod_unioni.resources import resource_dir

__all__ = [
    "DEFAULT_SEED",
    "NATIONAL",
    "REGIONS",
    "Dataset",
    "generate",
    "generate_records",
    "map_records",
    "project_triples",
    "services_vocabulary",
    "with_defects",
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

#: PNRR measures of the PA digitale 2026 applications, with the usual amount of their vouchers (euro).
MEASURES = (
    ("1.1 Infrastrutture digitali", 48_000),
    ("1.2 Abilitazione e facilitazione migrazione al Cloud", 77_000),
    ("1.3.1 Piattaforma Digitale Nazionale Dati", 10_172),
    ("1.4.1 Esperienza del cittadino nei servizi pubblici", 155_234),
    ("1.4.3 Adozione app IO", 6_000),
    ("1.4.4 Estensione dell'utilizzo delle piattaforme nazionali di identità digitale - SPID CIE", 14_000),
    ("1.4.5 Piattaforma Notifiche Digitali", 23_147),
)

_RECORD_SOURCE_IT = "Istat, Popolazione residente 2022"
_UNION_SOURCE = "ISTAT 01.01.2022"

# Pieces of plausible Italian place names.
_STARTS = (
    "Ca",
    "Ro",
    "Mon",
    "Val",
    "Ser",
    "Bor",
    "Cas",
    "Fon",
    "Pra",
    "Tor",
    "Lu",
    "Sca",
    "Ver",
    "Pa",
    "Gal",
    "Mor",
    "Ne",
    "Bel",
    "Fer",
    "Cor",
    "Sa",
    "Tre",
    "Bri",
    "Ar",
    "Civi",
    "Lo",
    "Mar",
    "Po",
)
_MIDDLES = (
    "ra",
    "to",
    "li",
    "ne",
    "sa",
    "ca",
    "ri",
    "van",
    "gna",
    "del",
    "ma",
    "te",
    "ci",
    "lo",
    "na",
    "ven",
    "sti",
    "",
)
_ENDS = (
    "no",
    "na",
    "lo",
    "la",
    "ro",
    "se",
    "ti",
    "ne",
    "rio",
    "ello",
    "ano",
    "ate",
    "ago",
    "engo",
    "asco",
    "ola",
    "ino",
    "era",
    "ezzo",
)
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

SKOS = "http://www.w3.org/2004/02/skos/core#"
SERVICES_SCHEME = "https://w3id.org/lod-unioni/vocab/services"


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


def _scaled(n: int, scale: float, minimum: int) -> int:
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


def _unique(make, used: set) -> str:
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


def _density(population: int, surface: Decimal) -> Decimal:
    """Inhabitants per km², truncated to two decimals as the cards do, in exact integer arithmetic."""
    hundredths = int(surface * 100)
    return Decimal(10_000 * population // hundredths) / 100


def generate_records(scale: float = 1.0, seed: int = DEFAULT_SEED) -> list[Record]:
    """The synthetic union records (dicts in the record format), sorted by IPA code."""
    rng = random.Random(seed)
    n_unions = _scaled(NATIONAL["unions"], scale, 2)
    n_comuni = max(MIN_MEMBERS * n_unions, _scaled(NATIONAL["comuni"], scale, 4))
    n_shared = _scaled(NATIONAL["shared_comuni"], scale, 1)
    services = services_vocabulary()
    # popular services first: the fundamental functions most unions share
    service_weights = [max(1.0, 12.0 - 0.6 * i) for i in range(len(services))]

    # regions and provinces of the unions
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

    # the comuni, each owned by one union
    used_names: set = set()
    counter: dict[str, int] = {}
    comuni: list[list[dict]] = []
    index = 0
    for i in range(n_unions):
        own = sizes[i] - (1 if i in borrowers else 0)
        members = []
        province, region = provinces[i], regions[i]
        for _ in range(own):
            counter[province] = counter.get(province, 0) + 1
            if counter[province] > 999:
                raise ValueError(f"too many comuni in province {province}")
            istat = f"{province}{counter[province]:03d}"
            cadastral = _cadastral(index)
            index += 1
            valid_from = (
                "1948-01-01"
                if rng.random() < 0.97
                else rng.choice(("2014-01-01", "2016-01-01", "2019-01-01", "2021-01-01"))
            )
            population = max(30, min(400_000, int(rng.lognormvariate(7.75, 1.1))))
            surface = Decimal(max(100, min(130_000, int(rng.lognormvariate(7.7, 0.8))))) / 100
            members.append(
                {
                    "name": _unique(lambda: _place(rng), used_names),
                    "istat_code": istat,
                    "cadastral_code": cadastral,
                    "ipa_code": "c_" + cadastral.lower(),
                    "ontopia_city": f"{istat}-({valid_from})",
                    "city_valid_from": valid_from,
                    "province_code": province,
                    "region_code": region,
                    "population": {"value": population, "reference_date": REFERENCE_DATE, "source": _RECORD_SOURCE_IT},
                    "_surface": surface,
                }
            )
        comuni.append(members)
    own_comuni = [list(members) for members in comuni]
    borrowed: set = set()
    for i in borrowers:  # one comune of another union of the province, not borrowed yet
        pool = [
            m for j in by_province[provinces[i]] if j != i for m in own_comuni[j] if m["istat_code"] not in borrowed
        ]
        m = rng.choice(pool)
        borrowed.add(m["istat_code"])
        comuni[i].append(m)

    used_union_names: set = set()
    records = []
    for i in range(n_unions):
        province, region = provinces[i], regions[i]
        name = _unique(lambda: rng.choice(_UNION_PATTERNS).format(a=_place(rng), b=_place(rng)), used_union_names)
        ipa = f"uc_{province}_{by_province[province].index(i) + 1:02d}"
        members = comuni[i]
        population = sum(m["population"]["value"] for m in members)
        surface = sum((m["_surface"] for m in members), Decimal(0))
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
        chosen: list = []
        for _ in range(rng.choice((0, 1, 2, 3, 4, 5, 6, 6, 8, 10, 12))):
            s = rng.choices(services, weights=service_weights)[0]
            if s not in chosen:
                chosen.append(s)
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
            "population": {"value": population, "reference_date": REFERENCE_DATE, "source": _UNION_SOURCE},
            "surface_km2": surface,
            "density": _density(population, surface),
            "number_of_comuni": len(members),
        }
        if rng.random() < ITALIAE_SHARE:
            sha = hashlib.sha256(f"synthetic ITALIAE card {ipa}".encode()).hexdigest()
            data["provenance"]["card"] = {"file": f"{sha[:16]}.txt", "sha256": sha, "title": f"ITALIAE - {name}"}
            data["italiae"] = {
                "programme": "ITALIAE",
                "line": "Community di innovazione",
                "period": {"start": "2022", "end": rng.choice(("2022", "2023"))},
                "need": "AVERE UN QUADRO SULLO STATO DEL PROCESSO DI DIGITALIZZAZIONE NEI SINGOLI COMUNI.",
                "scope": "CHECKUP DELL'ASSETTO DIGITALE E TECNOLOGICO",
                "actions": rng.sample(_ACTIONS, rng.randint(1, 3)),
                "sections": [
                    {"title": t, "text": f"Sezione «{t.capitalize()}» della scheda di {name}."}
                    for t in rng.sample(_SECTION_TITLES, rng.randint(1, 3))
                ],
                "synergy": "Laboratorio Permanente",
            }
        records.append(Record(path=Path("synthetic") / f"{ipa}.yaml", data=data))
    return sorted(records, key=lambda r: r.ipa_code)


# --- projects ---------------------------------------------------------------------------------------

PRJ = "https://w3id.org/italia/onto/Project/"
_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")


def project_triples(
    records: Sequence[Record], n_projects: int, base_iri: str = DEFAULT_BASE_IRI, seed: int = DEFAULT_SEED
) -> list[Triple]:
    """``n_projects`` PNRR projects (OntoPiA Project, see the module docstring), each with one
    participating agent: a member comune (80 %) or a union (20 %) of ``records``."""
    rng = random.Random(seed + 1)
    comuni = sorted({m.istat_code: m.name for r in records for m in r.members}.items())
    unions = [(r.ipa_code, r.name) for r in records]
    a_project = NamedNode(PRJ + "PublicInvestmentProject")
    a_code = NamedNode(PRJ + "UniqueProjectCode")
    has_code = NamedNode(PRJ + "hasUniqueProjectCode")
    code_value = NamedNode(PRJ + "uniqueProjectCodeValue")
    title = NamedNode(PRJ + "projectTitle")
    cost = NamedNode(PRJ + "projectTotalCost")
    agent_p = NamedNode(PRJ + "hasParticipantingAgent")
    out: list[Triple] = []
    with no_gc():
        for k in range(n_projects):
            # CUP: 15 characters, e.g. G61F22000720006 (unique here by the running number)
            cup = (
                f"{chr(65 + rng.randrange(26))}{rng.randrange(100):02d}{chr(65 + rng.randrange(26))}"
                f"{rng.choice(('21', '22', '23'))}{k:06d}{rng.randrange(1000):03d}"
            )
            if rng.random() < 0.8:
                code, name = comuni[rng.randrange(len(comuni))]
                agent, who = NamedNode(f"{base_iri}comune/{code}"), f"Comune di {name}"
            else:
                code, name = unions[rng.randrange(len(unions))]
                agent, who = NamedNode(f"{base_iri}union/{code}"), name
            measure, amount = MEASURES[rng.randrange(len(MEASURES))]
            value = Decimal(amount * 100 + rng.randrange(-amount * 10, amount * 10 + 1)) / 100
            project = NamedNode(f"{base_iri}project/{cup}")
            code_node = NamedNode(f"{base_iri}project/{cup}/cup")
            out.append(Triple(project, _RDF_TYPE, a_project))
            out.append(Triple(project, has_code, code_node))
            out.append(Triple(project, title, Literal(f"{measure} - {who}", language="it")))
            out.append(Triple(project, cost, Literal(f"{value:.2f}", datatype=_XSD_DECIMAL)))
            out.append(Triple(project, agent_p, agent))
            out.append(Triple(code_node, _RDF_TYPE, a_code))
            out.append(Triple(code_node, code_value, Literal(cup)))
    return out


# --- the whole dataset ------------------------------------------------------------------------------


def map_records(
    records: Iterable[Record], base_iri: str = DEFAULT_BASE_IRI, mapping: Mapping | None = None
) -> list[Triple]:
    """The triples of the records through the project's mapping engine (unsorted, with duplicates)."""
    m = mapping or load_mapping()
    out: list[Triple] = []
    with no_gc():
        for record in records:
            out.extend(m.triples(record, base_iri))
    return out


@dataclass
class Dataset:
    """A synthetic dataset: union records and project triples."""

    records: list[Record]
    projects: list[Triple] = field(repr=False)
    scale: float
    seed: int
    base_iri: str = DEFAULT_BASE_IRI

    def triples(self, mapping: Mapping | None = None) -> list[Triple]:
        """Sorted, duplicate-free triples: the mapped records (as ``lod-unioni build`` makes them) and
        the projects."""
        return sort_triples(map_records(self.records, self.base_iri, mapping) + self.projects)

    @cached_property
    def comuni(self) -> set[str]:
        return {m.istat_code for r in self.records for m in r.members}

    @property
    def shared_comuni(self) -> set[str]:
        seen, twice = set(), set()
        for r in self.records:
            for m in r.members:
                (twice if m.istat_code in seen else seen).add(m.istat_code)
        return twice

    def summary(self) -> dict:
        return {
            "scale": self.scale,
            "seed": self.seed,
            "unions": len(self.records),
            "comuni": len(self.comuni),
            "comuni_in_two_unions": len(self.shared_comuni),
            "member_slots": sum(len(r.members) for r in self.records),
            "projects": len(self.projects) // 7,
        }

    def query_params(self) -> dict[str, dict[str, str]]:
        """Parameters for the bundled queries that take one: the largest union, the region with the
        most unions, the most shared service (so that the answers are not empty)."""
        largest = max(self.records, key=lambda r: (len(r.members), r.ipa_code))
        regions: dict[str, int] = {}
        services: dict[str, int] = {}
        for r in self.records:
            code = r.data["union"]["region"]["code"]
            regions[code] = regions.get(code, 0) + 1
            for s in r.data.get("services") or []:
                services[s["concept"]] = services.get(s["concept"], 0) + 1
        region = max(sorted(regions), key=lambda c: regions[c])
        params = {"union": largest.name, "region": REGIONS[region][0]}
        if services:
            params["service"] = max(sorted(services), key=lambda c: services[c])
        return params


def generate(scale: float = 1.0, seed: int = DEFAULT_SEED, base_iri: str = DEFAULT_BASE_IRI) -> Dataset:
    """The synthetic dataset at ``scale`` (1.0: national size; the tests use about 0.02)."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    records = generate_records(scale, seed)
    projects = project_triples(records, _scaled(NATIONAL["projects"], scale, 1), base_iri, seed)
    return Dataset(records=records, projects=projects, scale=scale, seed=seed, base_iri=base_iri)


def with_defects(data: Dataset) -> tuple[Dataset, list[tuple[str, str, str]]]:
    """A copy of ``data`` with known defects, one per union (the first unions in IPA order), for checking
    that two validators report the same results. Returns the dataset and the expected results as
    ``(ipa_code, severity, rule)``; a defect may give more than one result (listed). Needs at least
    six unions; the comuni of a defective union are not shared with another union."""
    records = [Record(r.path, copy.deepcopy(r.data)) for r in data.records]
    shared = data.shared_comuni
    pool = [r for r in records if not any(m.istat_code in shared for m in r.members)]
    if len(pool) < 6:
        raise ValueError("with_defects needs at least six unions without shared comuni")
    expected: list[tuple[str, str, str]] = []
    a, b, c, d, e, f = pool[:6]
    a.data["population"]["value"] += 7  # stated total != sum of the members
    a.data["density"] = _density(a.data["population"]["value"], a.data["surface_km2"])  # (density still right)
    expected.append((a.ipa_code, "Violation", "union-total-population"))
    other = next(code for code in REGIONS if code != b.data["union"]["region"]["code"])  # a member from another region
    b.data["members"][0]["region_code"] = other
    b.data["members"][0]["province_code"] = REGIONS[other][1][0]
    expected += [(b.ipa_code, "Violation", "member-region"), (b.ipa_code, "Warning", "member-province")]
    c.data["density"] += Decimal("0.01")  # density not the truncated quotient
    expected.append((c.ipa_code, "Violation", "union-density"))
    d.data["number_of_comuni"] += 1  # stated number of comuni != members
    expected.append((d.ipa_code, "Violation", "union-number-of-comuni"))
    e.data["union"]["founded"] = "2999"  # founding date in the future
    expected.append((e.ipa_code, "Violation", "union-founding-date-future"))
    del f.data["members"][0]["population"]  # a member without a population
    expected.append((f.ipa_code, "Violation", "member-population"))
    return Dataset(
        records=records, projects=list(data.projects), scale=data.scale, seed=data.seed, base_iri=data.base_iri
    ), expected


# --- command line -----------------------------------------------------------------------------------


def _yaml_ready(value):
    if isinstance(value, dict):
        return {k: _yaml_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yaml_ready(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)  # the record loader reads it back through repr: 122.56 stays 122.56
    return value


def write_records(records: Iterable[Record], directory: str | Path) -> list[Path]:
    """Write the records as YAML files ``{ipa_code}.yaml`` (readable by ``lod-unioni build``)."""
    import yaml

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in records:
        p = d / f"{r.ipa_code}.yaml"
        p.write_text(
            "# Synthetic union record made by bench/synthetic.py (not real data).\n"
            + yaml.safe_dump(_yaml_ready(r.data), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the synthetic national-scale dataset of the benchmark.")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = about 560 unions, 7,900 comuni, 50,000 projects"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--records-out", metavar="DIR", help="write the union records as YAML files here")
    parser.add_argument("--nt", metavar="FILE", help="write the whole graph (records and projects) as N-Triples")
    args = parser.parse_args(argv)
    data = generate(args.scale, args.seed)
    print(data.summary(), file=sys.stderr)
    if args.records_out:
        write_records(data.records, args.records_out)
    if args.nt:
        from lod_unioni.serialize import to_ntriples

        Path(args.nt).write_bytes(to_ntriples(data.triples()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
