"""A synthetic, national-scale lod-unioni dataset for the speed benchmark.

Shaped like the national data: about 560 Unioni di Comuni with 7,900 distinct member comuni (a few
comuni in two unions of the same province), 2 to 40 members per union, realistic populations and
surfaces, the union's density computed as the ITALIAE cards do (population / surface truncated to two
decimals), shared services from the services vocabulary (``ontology/vocabularies/services``), an
ITALIAE intervention for some unions, and 50,000 PNRR projects.

The unions are generated as **records** (dicts in the record format, ``docs/record-format-example.yaml``;
made by :mod:`synthetic_records`) and mapped with the project's own mapping engine
(:mod:`lod_unioni.mapping`), so the graph has exactly the shape of a real build. The projects are
extra triples shaped as ``ontology/MODEL.md`` ("PNRR projects") describes them, each with one
application and one state, the calls one per measure::

    <{base}comune/{istat}> prj:isInvolvedInProject <{base}project/{CUP}> .   # or <{base}union/{ipa}>
    <{base}project/{CUP}> a prj:PublicInvestmentProject ; prj:uniqueProjectCodeValue "{CUP}" ;
        prj:projectTotalCost "155234.00"^^xsd:decimal ; prj:hasCall <{base}call/{md5}> ;
        lu:pnrrMeasure lupm:1.4.1 ; lu:applicationStatus lupst:E ; lu:statusDate "2024-06-26"^^xsd:date ;
        lu:hasApplication <{base}project/{CUP}/application/{k}> .
    <…/application/{k}> a lu:Application ; prj:hasCall <{base}call/{md5}> ; lu:requestedAmount … ;
        lu:applicationStatus lupst:E ; lu:statusDate … ; lu:submitted …^^xsd:dateTime ; lu:fundingDate … ;
        lu:hasState <…/application/{k}/state/E> .
    <…/state/E> a lu:ApplicationState ; lu:applicationStatus lupst:E ; ti:date … .
    <{base}call/{md5}> a prj:Call ; l0:name "…"@it ; l0:identifier "{md5}" ; lu:pnrrMeasure lupm:1.4.1 .

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
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple
from synthetic_records import (
    DEFAULT_SEED,
    NATIONAL,
    REGIONS,
    generate_records,
    scaled,
    services_vocabulary,
    truncated_density,
)

from lod_unioni.config import DEFAULT_BASE_IRI
from lod_unioni.graph import no_gc, sort_triples
from lod_unioni.mapping import Mapping, load_mapping
from lod_unioni.records import Record
from lod_unioni.vocab import L0, LU, LUPM, LUPST, PRJ, RDF, TI, XSD

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


# --- projects ---------------------------------------------------------------------------------------

#: PNRR measures of the PA digitale 2026 applications, with the usual amount of their vouchers (euro).
MEASURES = (
    ("1.1", "1.1 Infrastrutture digitali", 48_000),
    ("1.2", "1.2 Abilitazione e facilitazione migrazione al Cloud", 77_000),
    ("1.3.1", "1.3.1 Piattaforma Digitale Nazionale Dati", 10_172),
    ("1.4.1", "1.4.1 Esperienza del cittadino nei servizi pubblici", 155_234),
    ("1.4.3", "1.4.3 Adozione app IO", 6_000),
    ("1.4.4", "1.4.4 Estensione dell'utilizzo delle piattaforme nazionali di identità digitale - SPID CIE", 14_000),
    ("1.4.5", "1.4.5 Piattaforma Notifiche Digitali", 23_147),
)

_RDF_TYPE = NamedNode(RDF + "type")
_A_PROJECT = NamedNode(PRJ + "PublicInvestmentProject")
_XSD_DECIMAL = NamedNode(XSD + "decimal")
_XSD_DATE = NamedNode(XSD + "date")


def _p(ns: str, name: str) -> NamedNode:
    return NamedNode(ns + name)


def _calls(base_iri: str) -> tuple[list[NamedNode], list[Triple]]:
    """One call per measure: its IRI (named by the MD5 of its title) and its triples."""
    iris, out = [], []
    for number, title, _amount in MEASURES:
        key = hashlib.md5(title.encode("utf-8"), usedforsecurity=False).hexdigest()
        call = NamedNode(f"{base_iri}call/{key}")
        iris.append(call)
        out += [
            Triple(call, _RDF_TYPE, _p(PRJ, "Call")),
            Triple(call, _p(L0, "name"), Literal(title, language="it")),
            Triple(call, _p(L0, "identifier"), Literal(key)),
            Triple(call, _p(LU, "pnrrMeasure"), _p(LUPM, number)),
        ]
    return iris, out


def _project(cup: str, body: NamedNode, call: NamedNode, measure: str, value: Decimal, day: int, base_iri: str):
    """The triples of one project, its application and its state (paid out ``day`` days after 2022-08-01)."""
    project = NamedNode(f"{base_iri}project/{cup}")
    app = NamedNode(f"{project.value}/application/{call.value.rsplit('/', 1)[1][:16]}")
    state = NamedNode(f"{app.value}/state/E")
    amount = Literal(f"{value:.2f}", datatype=_XSD_DECIMAL)
    paid = Literal((date(2022, 8, 1) + timedelta(days=day)).isoformat(), datatype=_XSD_DATE)
    status, status_date = (_p(LU, "applicationStatus"), _p(LUPST, "E")), (_p(LU, "statusDate"), paid)
    return [
        Triple(body, _p(PRJ, "isInvolvedInProject"), project),
        Triple(project, _RDF_TYPE, _A_PROJECT),
        Triple(project, _p(PRJ, "uniqueProjectCodeValue"), Literal(cup)),
        Triple(project, _p(PRJ, "projectTotalCost"), amount),
        Triple(project, _p(PRJ, "hasCall"), call),
        Triple(project, _p(LU, "pnrrMeasure"), _p(LUPM, measure)),
        Triple(project, *status),
        Triple(project, *status_date),
        Triple(project, _p(LU, "hasApplication"), app),
        Triple(app, _RDF_TYPE, _p(LU, "Application")),
        Triple(app, _p(PRJ, "hasCall"), call),
        Triple(app, _p(LU, "requestedAmount"), amount),
        Triple(app, *status),
        Triple(app, *status_date),
        Triple(app, _p(LU, "submitted"), Literal("2022-05-06T12:04:19Z", datatype=NamedNode(XSD + "dateTime"))),
        Triple(app, _p(LU, "fundingDate"), Literal("2022-08-01", datatype=_XSD_DATE)),
        Triple(app, _p(LU, "hasState"), state),
        Triple(state, _RDF_TYPE, _p(LU, "ApplicationState")),
        Triple(state, *status),
        Triple(state, _p(TI, "date"), paid),
    ]


def project_triples(
    records: Sequence[Record], n_projects: int, base_iri: str = DEFAULT_BASE_IRI, seed: int = DEFAULT_SEED
) -> list[Triple]:
    """``n_projects`` PNRR projects (see the module docstring), each of a member comune (80 %) or a
    union (20 %) of ``records``, and the calls."""
    rng = random.Random(seed + 1)
    comuni = sorted({m.istat_code for r in records for m in r.members})
    unions = [r.ipa_code for r in records]
    calls, out = _calls(base_iri)
    with no_gc():
        for k in range(n_projects):
            # CUP: 15 characters, e.g. G61F22000720006 (unique here by the running number)
            cup = (
                f"{chr(65 + rng.randrange(26))}{rng.randrange(100):02d}{chr(65 + rng.randrange(26))}"
                f"{rng.choice(('21', '22', '23'))}{k:06d}{rng.randrange(1000):03d}"
            )
            if rng.random() < 0.8:
                body = NamedNode(f"{base_iri}comune/{comuni[rng.randrange(len(comuni))]}")
            else:
                body = NamedNode(f"{base_iri}union/{unions[rng.randrange(len(unions))]}")
            m = rng.randrange(len(MEASURES))
            number, _title, amount = MEASURES[m]
            value = Decimal(amount * 100 + rng.randrange(-amount * 10, amount * 10 + 1)) / 100
            out += _project(cup, body, calls[m], number, value, rng.randrange(1000), base_iri)
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
            "projects": sum(1 for t in self.projects if t.object == _A_PROJECT and t.predicate == _RDF_TYPE),
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
    projects = project_triples(records, scaled(NATIONAL["projects"], scale, 1), base_iri, seed)
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
    a.data["density"] = truncated_density(a.data["population"]["value"], a.data["surface_km2"])  # (density still right)
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
