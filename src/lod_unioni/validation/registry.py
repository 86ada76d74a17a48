"""Registry data for the validation: the hook of the rule ``lush:member-city-current``.

The dumps carry only the IRI of each member's OntoPiA city. To check that it is a *current*
OntoPiA city, give the cities as an extra graph::

    from lod_unioni.sources.ontopia import read_cities
    from lod_unioni.validation import validate
    from lod_unioni.validation.registry import city_triples
    report = validate(["output/unioni.ttl"],
                      extra_graphs=[city_triples(read_cities(sources / "ontopia/cities.csv"))])

Each city becomes (OntoPiA CLV/TI terms)::

    <…/cities/069015-(1948-01-01)> a clv:City ;
        clv:hasSOValidity <…/cities/069015-(1948-01-01)#validity> .
    <…#validity> a ti:TimeInterval ; ti:startTime "1948-01-01"^^xsd:date ;
        ti:endTime "9999-12-31"^^xsd:date .                # only when the row has an end

As soon as the validated graph has one ``clv:City``, every member's ``lu:city`` must be one of
them with no ``ti:endTime`` on or before today.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Store, Triple

from ..reconcile import Reconciliation, reconcile
from ..records import Record
from ..registries import load_registries
from ..sources.folder import SourcesDir
from ..vocab import CCITIES, CLV, COV, LU, LUSH, TI, XSD
from . import validate
from .data import Reader, is_pathlike, store_triples
from .findings import findings_as_validation_results
from .report import ValidationReport, ValidationResult
from .terms import RDF_TYPE

CITIES = CCITIES
_UNION = NamedNode(LU + "UnioneDiComuni")
_IPA_CODE = NamedNode(COV + "IPAcode")


def _date(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def city_triples(cities: Iterable) -> Iterator[Triple]:
    """Triples describing OntoPiA cities with their validity.

    ``cities``: objects with ``id_comune``, ``valid_from``, ``valid_to`` (such as
    :class:`lod_unioni.sources.ontopia.OntopiaCity`) or tuples ``(id_comune, valid_from, valid_to)``;
    dates as :class:`datetime.date` or ISO strings; ``valid_to`` None or 9999-12-31 when current.
    """
    xsd_date = NamedNode(XSD + "date")
    for city in cities:
        if isinstance(city, tuple):
            id_comune, start, end = city
        else:
            id_comune, start, end = city.id_comune, city.valid_from, city.valid_to
        iri = NamedNode(CITIES + id_comune)
        validity = NamedNode(CITIES + id_comune + "#validity")
        yield Triple(iri, RDF_TYPE, NamedNode(CLV + "City"))
        yield Triple(iri, NamedNode(CLV + "hasSOValidity"), validity)
        yield Triple(validity, RDF_TYPE, NamedNode(TI + "TimeInterval"))
        for predicate, when in (("startTime", _date(start)), ("endTime", _date(end))):
            if when:
                yield Triple(validity, NamedNode(TI + predicate), Literal(when, datatype=xsd_date))


# --------------------------------------------------------------------------------------------
# `lod-unioni validate --sources DIR`: the registry checks (lod_unioni.reconcile) as results (.findings)

#: sh:sourceConstraintComponent of a reconciliation result: no SHACL constraint made it, the
#: registries did (documented in shapes/README.md).
REGISTRY_COMPONENT = NamedNode(LUSH + "RegistryConstraintComponent")


def _path(sparql_path: str | None) -> NamedNode | tuple[str, list[NamedNode]] | None:
    """A path expression from the SPARQL path the reconciliation gives: ``<iri>`` or ``(<a>/<b>)``."""
    if not sparql_path:
        return None
    text = sparql_path.strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    iris = re.findall(r"<([^<>]*)>", text)
    if not iris or re.sub(r"<[^<>]*>", "", text).strip("/ ") != "":
        raise ValueError(f"not a sequence path of IRIs: {sparql_path}")
    steps = [NamedNode(iri) for iri in iris]
    return steps[0] if len(steps) == 1 else ("seq", steps)


def union_iris(triples: Iterable[Triple]) -> dict[str, str]:
    """IPA code (lower case) -> the IRI of the union with that ``cov:IPAcode`` in ``triples``."""
    triples = list(triples)
    unions = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == _UNION}
    return {
        t.object.value.lower(): t.subject.value
        for t in triples
        if t.predicate == _IPA_CODE
        and t.subject in unions
        and isinstance(t.object, Literal)
        and isinstance(t.subject, NamedNode)
    }


def registry_results(reconciliation: Reconciliation, base_iri: str, union_iris: dict[str, str] | None = None) -> list:
    """The findings of a :class:`lod_unioni.reconcile.Reconciliation` as validation results: the
    focus node is the union (its IRI in the data, ``union_iris``, or ``{base}union/{ipa}``; or the
    member comune / the website), the source shape ``lush:reconcile-{check}`` and the component
    ``lush:RegistryConstraintComponent``."""
    out = []
    for f in findings_as_validation_results(reconciliation, base_iri, union_iris):
        out.append(
            ValidationResult(
                union=f.union,
                focus=NamedNode(f.focus),
                path=_path(f.path),
                value=None if f.value is None else Literal(f.value),
                severity=f.severity,
                message_it=f.message_it,
                message_en=f.message_en,
                shape=NamedNode(LUSH + f.rule),
                component=REGISTRY_COMPONENT,
                union_name=f.union_name,
            )
        )
    return out


def validate_with_registries(
    data: Any,
    sources: SourcesDir | str | Path,
    records: Iterable[Record] | str | Path,
    *,
    base_iri: str,
    shapes_dir: str | os.PathLike | None = None,
    extra_graphs: Iterable = (),
    engine: str = "fast",
    allow_empty: bool = False,
) -> ValidationReport:
    """Validate ``data`` as :func:`lod_unioni.validation.validate` does, plus the registry checks:

    - the OntoPiA cities of ``sources`` are added, so that the rule ``member-city-current`` checks
      that every member's city is a current OntoPiA city;
    - the ``records`` (a folder or loaded records) are reconciled with the registries
      (:func:`lod_unioni.reconcile.reconcile`) and every finding becomes a result.

    ``data``: what :func:`~lod_unioni.validation.validate` takes (files, triples). ``sources``: a
    folder laid out like ``../shared/data`` or a ``SourcesDir``.
    """
    if not isinstance(data, Store) and not is_pathlike(data):
        data = list(data)  # read twice: validated, then searched for the unions' IRIs
    registries = load_registries(sources)
    cities = [c for group in registries.current_cities.values() for c in group]
    report = validate(
        data,
        shapes_dir=shapes_dir,
        engine=engine,
        allow_empty=allow_empty,
        extra_graphs=list(extra_graphs) + [list(city_triples(cities))],
    )
    data_triples = store_triples(data) if isinstance(data, Store) else Reader().triples(data)
    findings = registry_results(reconcile(records, registries), base_iri, union_iris(data_triples))
    return ValidationReport(report.results + findings, engine=report.engine, data_sources=report.data_sources)
