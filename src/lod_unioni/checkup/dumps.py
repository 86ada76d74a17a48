"""What the checkup reads from the dumps of a build: the unions, their members and populations, the
PNRR projects each body is involved in, the calls and the PA digitale 2026 files the dumps cite.

The N-Triples dump (else the Turtle one) is loaded once into an in-memory Oxigraph store and asked a
few SPARQL queries of fixed text over every union (the comparison needs them all): no value a user
typed is ever put in a query (the union is found afterwards, in Python, :mod:`.find`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pyoxigraph import QuerySolutions, Store

from .. import progress
from ..errors import LodError
from ..pnrr.inputs import POPULATION_DATE
from ..query import load_store
from ..vocab import COV as COV_NS
from ..vocab import CPROV, CREG, DCTERMS, IND, L0, LU, LUI, LUPM, LUPST, MU, ORG, OWL, PRJ, PROV, TI, VOID

__all__ = ["POPULATION_DATE", "CallRow", "ComuneRow", "Dumps", "ProjectRow", "UnionRow", "dump_file", "read_dumps"]

_FILES = ("unioni.nt", "unioni.ttl")

_PREFIXES = f"""PREFIX lu: <{LU}>
PREFIX lui: <{LUI}>
PREFIX cov: <{COV_NS}>
PREFIX l0: <{L0}>
PREFIX ti: <{TI}>
PREFIX ind: <{IND}>
PREFIX mu: <{MU}>
PREFIX prj: <{PRJ}>
PREFIX org: <{ORG}>
PREFIX owl: <{OWL}>
PREFIX prov: <{PROV}>
PREFIX void: <{VOID}>
PREFIX dcterms: <{DCTERMS}>
"""

_UNIONS = """SELECT ?union ?name ?ipa ?region ?province ?known WHERE {
  ?union a lu:UnioneDiComuni .
  OPTIONAL { ?union l0:name ?name }
  OPTIONAL { ?union cov:IPAcode ?ipa }
  OPTIONAL { ?union lu:region ?region }
  OPTIONAL { ?union lu:province ?province }
  OPTIONAL { ?union lu:membersKnown ?known }
}"""

_MEMBERS = """SELECT ?union ?comune ?name ?istat ?ipa WHERE {
  ?union a lu:UnioneDiComuni ; org:hasMember ?comune .
  OPTIONAL { ?comune l0:name ?name }
  OPTIONAL { ?comune lu:istatCode ?istat }
  OPTIONAL { ?comune cov:IPAcode ?ipa }
}"""

_POPULATIONS = """SELECT ?comune ?value ?stated WHERE {
  ?union a lu:UnioneDiComuni ; org:hasMember ?comune .
  ?comune ind:hasIndicatorCalculation ?calculation .
  ?calculation ind:forIndicator lui:resident-population ;
               ind:hasIndicatorValue/mu:value ?value ;
               ind:computedAtTime/ti:date ?date .
  FILTER (STR(?date) = "POPULATION_DATE")
  BIND (EXISTS { ?calculation lu:statedBy ?someone } AS ?stated)
}""".replace("POPULATION_DATE", POPULATION_DATE)

_PROJECTS = """SELECT ?body ?project ?cup ?amount ?status ?measure ?date ?call WHERE {
  ?body prj:isInvolvedInProject ?project .
  ?project prj:uniqueProjectCodeValue ?cup ;
           prj:projectTotalCost ?amount ;
           lu:applicationStatus ?status .
  OPTIONAL { ?project lu:pnrrMeasure ?measure }
  OPTIONAL { ?project lu:statusDate ?date }
  OPTIONAL { ?project prj:hasCall ?call }
}"""

_CALLS = """SELECT ?call ?title ?measure ?start ?end ?state ?recipient WHERE {
  ?call a prj:Call .
  OPTIONAL { ?call l0:name ?title }
  OPTIONAL { ?call lu:pnrrMeasure ?measure }
  OPTIONAL { ?call ti:atTime ?period . OPTIONAL { ?period ti:startTime ?start } OPTIONAL { ?period ti:endTime ?end } }
  OPTIONAL { ?call lu:callState ?state }
  OPTIONAL { ?call lu:recipients ?recipient }
}"""

_SOURCES = """SELECT ?source ?measure WHERE {
  ?source a prov:Entity .
  OPTIONAL { ?source dcterms:subject ?measure }
}"""
_VERSION = "SELECT ?version WHERE { ?dataset a void:Dataset ; owl:versionInfo ?version }"


@dataclass(frozen=True)
class UnionRow:
    """A union of the dumps: its IRI, key (the IRI's last segment), IPA code, name, region and
    province (ISTAT codes, from the OntoPiA IRIs) and whether its members are known."""

    iri: str
    key: str
    ipa: str | None
    name: str
    region: str | None
    province: str | None
    members_known: bool


@dataclass(frozen=True)
class ComuneRow:
    """A member comune: IRI, ISTAT code, name, IPA code and population (ISTAT, 2022-01-01)."""

    iri: str
    istat: str
    name: str
    ipa: str | None
    population: int | None


@dataclass(frozen=True)
class ProjectRow:
    """A PNRR project of the dumps (its latest application's measure, amount, status and call)."""

    iri: str
    cup: str
    measure: str | None
    amount: Decimal
    status: str
    status_date: date | None
    call: str | None  # the call's IRI


@dataclass(frozen=True)
class CallRow:
    """A call (``prj:Call``): title, measure, dates, state and recipients (``Comuni``, ...)."""

    iri: str
    title: str
    measure: str | None
    start: date | None
    end: date | None
    state: str | None
    recipients: tuple[str, ...]


@dataclass
class Dumps:
    """Everything the checkup needs from one build's dumps, read once (:func:`read_dumps`)."""

    path: Path
    unions: dict[str, UnionRow] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)  # union IRI -> comune IRIs
    comuni: dict[str, ComuneRow] = field(default_factory=dict)
    projects: dict[str, ProjectRow] = field(default_factory=dict)
    involved: dict[str, list[str]] = field(default_factory=dict)  # body IRI -> project IRIs
    calls: dict[str, CallRow] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the last segments of the prov:Entity IRIs (padigitale-finanziate-141, ...)
    source_measures: dict[str, str] = field(default_factory=dict)  # source -> the measure (dcterms:subject lupm:)
    version: str | None = None


def dump_file(dumps: str | Path) -> Path:
    """The dump file of a build's folder (``unioni.nt``, else ``unioni.ttl``), or a file given."""
    path = Path(dumps)
    if path.is_file():
        return path
    if not path.is_dir():
        raise LodError("no such folder of dumps (build them with lod-unioni build)", file=str(path))
    for name in _FILES:
        if (path / name).is_file():
            return path / name
    raise LodError(f"no dump in this folder ({' or '.join(_FILES)}): build it with lod-unioni build", file=str(path))


def _rows(store: Store, text: str) -> Iterator[dict[str, str]]:
    """The solutions of a query of fixed text, each as variable name -> lexical value."""
    results = store.query(_PREFIXES + text)
    assert isinstance(results, QuerySolutions)
    names = [v.value for v in results.variables]
    for solution in results:
        yield {n: term.value for n in names if (term := solution[n]) is not None}


def _after(iri: str | None, namespace: str) -> str | None:
    return iri[len(namespace) :] if iri and iri.startswith(namespace) else None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _read_unions(store: Store, d: Dumps) -> None:
    for r in _rows(store, _UNIONS):
        iri = r["union"]
        earlier = d.unions.get(iri)
        name = min(filter(None, (r.get("name"), earlier.name if earlier else None)), default=iri.rsplit("/", 1)[-1])
        d.unions[iri] = UnionRow(
            iri=iri,
            key=iri.rstrip("/").rsplit("/", 1)[-1],
            ipa=r.get("ipa") or (earlier.ipa if earlier else None),
            name=name,
            region=_after(r.get("region"), CREG) or (earlier.region if earlier else None),
            province=_after(r.get("province"), CPROV) or (earlier.province if earlier else None),
            members_known=r.get("known", "true") == "true",
        )


def _read_members(store: Store, d: Dumps) -> None:
    populations: dict[str, tuple[bool, int]] = {}
    for r in _rows(store, _POPULATIONS):
        stated = r.get("stated") == "true"
        value = int(Decimal(r["value"]))
        best = populations.get(r["comune"])
        if best is None or (best[0] and not stated):  # a registry's figure rather than a card's
            populations[r["comune"]] = (stated, value)
    for r in _rows(store, _MEMBERS):
        iri = r["comune"]
        d.members.setdefault(r["union"], [])
        if iri not in d.members[r["union"]]:
            d.members[r["union"]].append(iri)
        if iri not in d.comuni:
            pop = populations.get(iri)
            istat = r.get("istat") or iri.rsplit("/", 1)[-1]
            d.comuni[iri] = ComuneRow(iri, istat, r.get("name") or istat, r.get("ipa"), pop[1] if pop else None)
    for iris in d.members.values():
        iris.sort(key=lambda i: d.comuni[i].istat)


def _read_projects(store: Store, d: Dumps) -> None:
    for r in _rows(store, _PROJECTS):
        iri = r["project"]
        status = _after(r["status"], LUPST)
        if status is None:
            continue
        if iri not in d.projects:
            d.projects[iri] = ProjectRow(
                iri=iri,
                cup=r["cup"],
                measure=_after(r.get("measure"), LUPM),
                amount=Decimal(r["amount"]),
                status=status,
                status_date=_date(r.get("date")),
                call=r.get("call"),
            )
        bodies = d.involved.setdefault(r["body"], [])
        if iri not in bodies:
            bodies.append(iri)
    for iris in d.involved.values():
        iris.sort(key=lambda i: d.projects[i].cup)


def _read_calls(store: Store, d: Dumps) -> None:
    recipients: dict[str, set[str]] = {}
    for r in _rows(store, _CALLS):
        iri = r["call"]
        if "recipient" in r:
            recipients.setdefault(iri, set()).add(r["recipient"])
        if iri not in d.calls:
            d.calls[iri] = CallRow(
                iri=iri,
                title=r.get("title") or iri.rsplit("/", 1)[-1],
                measure=_after(r.get("measure"), LUPM),
                start=_date(r.get("start")),
                end=_date(r.get("end")),
                state=r.get("state"),
                recipients=(),
            )
    for iri, names in recipients.items():
        c = d.calls[iri]
        d.calls[iri] = CallRow(c.iri, c.title, c.measure, c.start, c.end, c.state, tuple(sorted(names)))


def _read_sources(store: Store, d: Dumps) -> None:
    names = set()
    for r in _rows(store, _SOURCES):
        name = r["source"].rstrip("/").rsplit("/", 1)[-1]
        names.add(name)
        measure = _after(r.get("measure"), LUPM)
        if measure:
            d.source_measures[name] = measure
    d.sources = tuple(sorted(names))


def read_dumps(dumps: str | Path, store: Store | None = None) -> Dumps:
    """Read what the checkup needs from a build's dumps: ``dumps`` is the build's folder (its
    ``unioni.nt``, else ``unioni.ttl``) or a dump file. ``store``: an Oxigraph store already
    holding the dumps (then nothing is loaded; ``dumps`` only names them)."""
    path = dump_file(dumps) if store is None else Path(dumps)
    if store is None:
        with progress.Step(f"loading the dumps {path}"):
            store = load_store([path])
    d = Dumps(path)
    with progress.Step("reading the unions, their comuni and their PNRR projects"):
        try:
            _read_unions(store, d)
            _read_members(store, d)
            _read_projects(store, d)
            _read_calls(store, d)
            _read_sources(store, d)
            d.version = max((r["version"] for r in _rows(store, _VERSION)), default=None)
        except (ValueError, ArithmeticError) as exc:
            raise LodError(f"unexpected value in the dumps: {exc}", file=str(path)) from None
    progress.info(f"  {len(d.unions)} unions, {len(d.comuni)} member comuni, {len(d.projects)} PNRR projects")
    return d
