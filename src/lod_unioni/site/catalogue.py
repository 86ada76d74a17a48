"""What the index pages and the search list: the unions of the publication with their region,
province, members and services, and the comuni, read once from the renderer's lookups."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from ..iris import OWL_DEPRECATED
from ..vocab import COV, LU, LUS, ORG, SKOS
from ..web import Renderer

__all__ = ["Catalogue", "Entry", "Service"]

_UNION = NamedNode(LU + "UnioneDiComuni")
_COMUNE = NamedNode(LU + "Comune")
_IN_SCHEME = NamedNode(SKOS + "inScheme")
_CODES = tuple(NamedNode(p) for p in (COV + "IPAcode", LU + "istatCode", LU + "cadastralCode", LU + "ministryCode"))


@dataclass
class Entry:
    """A union or a comune: its IRI, page path, name, codes, region and province IRIs, and (a
    union) its members and services."""

    iri: str
    path: str
    name: str
    codes: list[str]
    region: str | None
    province: str | None
    members: list[str] = field(default_factory=list)
    services: list[tuple[str, str]] = field(default_factory=list)  # (service type IRI, status IRI)


@dataclass(frozen=True)
class Service:
    """A concept of the shared-services scheme."""

    iri: str
    path: str | None
    label: str
    label_en: str | None


def _first_iri(r: Renderer, node: NamedNode, predicate: str) -> str | None:
    value = r.lookup.first(node, NamedNode(predicate))
    return value.value if isinstance(value, NamedNode) else None


class Catalogue:
    """The unions (:attr:`unions`), comuni (:attr:`comuni`) and services (:attr:`services`) of a
    renderer's store, sorted by name; deprecated resources left out."""

    def __init__(self, r: Renderer) -> None:
        self.r = r
        look = r.lookup
        unions: list[Entry] = []
        comuni: list[Entry] = []
        for node in look.out:
            if not isinstance(node, NamedNode):
                continue
            types = look.types(node)
            if _UNION not in types and _COMUNE not in types:
                continue
            if any(isinstance(o, Literal) and o.value == "true" for o in look.objects(node, OWL_DEPRECATED)):
                continue
            entry = self._entry(node)
            if entry is not None:
                (unions if _UNION in types else comuni).append(entry)
        self.unions = sorted(unions, key=lambda e: (e.name.casefold(), e.iri))
        self.comuni = sorted(comuni, key=lambda e: (e.name.casefold(), e.iri))
        self.services = self._services()

    def _entry(self, node: NamedNode) -> Entry | None:
        r, look = self.r, self.r.lookup
        path = r.path(node.value)
        if path is None:
            return None
        codes = [o.value for p in _CODES for o in look.objects(node, p) if isinstance(o, Literal)]
        entry = Entry(
            node.value,
            path,
            look.label(node, path).text,
            codes,
            _first_iri(r, node, LU + "region"),
            _first_iri(r, node, LU + "province"),
        )
        entry.members = [o.value for o in look.objects(node, NamedNode(ORG + "hasMember")) if isinstance(o, NamedNode)]
        for service in look.objects(node, NamedNode(LU + "hasSharedService")):
            if isinstance(service, NamedNode):
                kind = _first_iri(r, service, LU + "serviceType")
                status = _first_iri(r, service, LU + "serviceStatus")
                if kind is not None:
                    entry.services.append((kind, status or ""))
        return entry

    def _services(self) -> list[Service]:
        look = self.r.lookup
        scheme = NamedNode(LUS.rstrip("/"))
        out = []
        for node in look.out:
            if isinstance(node, NamedNode) and scheme in look.objects(node, _IN_SCHEME):
                label = look.label(node, node.value)
                out.append(Service(node.value, self.r.path(node.value), label.text, label.en))
        return sorted(out, key=lambda s: s.label.casefold())

    def name(self, iri: str | None) -> str:
        """The label of an IRI (a region, a province, a union...)."""
        if iri is None:
            return ""
        return self.r.lookup.label(NamedNode(iri), self.r.compact(iri)).text
