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

from datetime import date
from typing import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Triple

from .terms import RDF_TYPE, XSD

CITIES = "https://w3id.org/italia/controlled-vocabulary/territorial-classifications/cities/"
CLV = "https://w3id.org/italia/onto/CLV/"
TI = "https://w3id.org/italia/onto/TI/"


def _date(value) -> str | None:
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
        if _date(start):
            yield Triple(validity, NamedNode(TI + "startTime"), Literal(_date(start), datatype=xsd_date))
        if _date(end):
            yield Triple(validity, NamedNode(TI + "endTime"), Literal(_date(end), datatype=xsd_date))
