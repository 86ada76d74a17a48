"""Deterministic dumps: Turtle, N-Triples and compacted JSON-LD, and writing them (the set of an
output folder in one atomic step, with :mod:`lod_unioni.publish`; ``write_atomic`` is re-exported
from :mod:`lod_unioni.fileio`).

Triples are sorted first (subject, then ``rdf:type`` before the other predicates, then predicate
and object), so that the same graph always gives the same bytes and Turtle groups each subject's
triples. Turtle and N-Triples are written by pyoxigraph; the Turtle header lists the prefixes of
``mappings/prefixes.yaml`` in the file's order. JSON-LD is compacted by the small writer below
(pyoxigraph writes expanded JSON-LD only): one node object per subject, ``@id``/``@type``/keys as
prefix:name, literals as ``{"@value", "@language"}`` / ``{"@value", "@type"}``, or as native JSON
strings and numbers when that is lossless (xsd:string, canonical xsd:integer, xsd:boolean). Its
``@context`` is exactly the object published in ``context.jsonld``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from .fileio import write_atomic
from .graph import no_gc, to_bytes
from .publish import publish
from .vocab import RDF, XSD

__all__ = [
    "VERSIONED_FILES",
    "VERSIONS",
    "Compactor",
    "context_bytes",
    "jsonld_context",
    "to_jsonld",
    "to_ntriples",
    "to_turtle",
    "version_files",
    "write_atomic",
    "write_files",
]

RDF_TYPE = RDF + "type"

#: The files of a version kept under ``versions/{version}/`` of the output folder (see
#: :func:`version_files`).
VERSIONED_FILES = ("unioni.ttl", "unioni.jsonld", "unioni.nt", "void.ttl")
VERSIONS = "versions"
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")

# A value in a JSON-LD node object of the dumps: a native string, integer or boolean, or a
# value or node object.
_JsonValue = str | int | bool | dict[str, str]
_XSD = XSD
_XSD_STRING = _XSD + "string"
_XSD_INTEGER = _XSD + "integer"
_XSD_BOOLEAN = _XSD + "boolean"


def to_turtle(sorted_triples: list[Triple], prefixes: Mapping[str, str]) -> bytes:
    """Turtle with the given prefixes (header in their order); triples must be sorted."""
    body = to_bytes(sorted_triples, RdfFormat.TURTLE, dict(prefixes))
    # pyoxigraph writes its @prefix lines first, in an order of its own: write ours instead.
    lines = body.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith(b"@prefix "):
        i += 1
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")
    rest = b"\n".join(lines[i:])
    return header + b"\n" + rest if rest.strip() else header


def to_ntriples(sorted_triples: list[Triple]) -> bytes:
    return to_bytes(sorted_triples, RdfFormat.N_TRIPLES)


def jsonld_context(prefixes: Mapping[str, str]) -> dict:
    """The ``@context`` object of the dumps (published as ``context.jsonld``)."""
    return {p: ns for p, ns in prefixes.items()}


def context_bytes(prefixes: Mapping[str, str]) -> bytes:
    """The published context file: ``{"@context": {...}}``."""
    return _json_bytes({"@context": jsonld_context(prefixes)})


def _json_bytes(obj: object) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class Compactor:
    """IRI -> prefix:name with the longest matching namespace (cached)."""

    def __init__(self, prefixes: Mapping[str, str]):
        self.by_ns = {ns: p for p, ns in prefixes.items()}
        self.namespaces = tuple(self.by_ns)
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        c = self.cache.get(iri)
        if c is not None:
            return c
        if not iri.startswith(self.namespaces):  # most IRIs (our own data): no prefix at all
            return iri
        out = iri
        end = len(iri)
        while end > 0:
            cut = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if cut < 0:
                break
            ns = iri[: cut + 1]
            prefix = self.by_ns.get(ns)
            if prefix is not None:
                local = iri[cut + 1 :]
                if local and not local.startswith("//"):
                    out = f"{prefix}:{local}"
                break
            end = cut
        self.cache[iri] = out
        return out


def _node_id(term: NamedNode | BlankNode | Triple, compact: Compactor) -> str:
    if isinstance(term, BlankNode):
        return "_:" + term.value
    if isinstance(term, Triple):
        raise TypeError(f"unexpected term {term!r}")
    return compact(term.value)


def _value(term: NamedNode | BlankNode | Literal | Triple, compact: Compactor) -> _JsonValue:
    if isinstance(term, NamedNode):
        return {"@id": compact(term.value)}
    if isinstance(term, BlankNode):
        return {"@id": "_:" + term.value}
    if isinstance(term, Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return term.value
        if dt == _XSD_INTEGER:
            text = term.value
            try:
                n = int(text)
            except ValueError:
                n = None
            if n is not None and str(n) == text:
                return n
        elif dt == _XSD_BOOLEAN and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": compact(dt)}
    raise TypeError(f"unexpected term {term!r}")


@functools.lru_cache(maxsize=8)
def _context_head(prefixes: tuple[tuple[str, str], ...]) -> str:
    """The pretty-printed context (json's Python encoder: worth keeping for the many small
    documents of a site)."""
    return json.dumps({"@context": jsonld_context(dict(prefixes))}, ensure_ascii=False, indent=2)


def _node_objects(sorted_triples: list[Triple], compact: Compactor) -> list[dict[str, _JsonValue | list[_JsonValue]]]:
    """One node object per subject (:func:`_value`, inlined for IRIs and literals: each IRI's node
    reference and each predicate's key made once)."""
    graph: list[dict[str, _JsonValue | list[_JsonValue]]] = []
    node: dict[str, _JsonValue | list[_JsonValue]] = {}
    current = None
    keys: dict[str, str] = {}  # predicate IRI -> its key
    refs: dict[str, dict[str, str]] = {}  # object IRI -> {"@id": ...} (never changed once made)
    for t in sorted_triples:
        s = t.subject
        if s != current:
            current = s
            node = {"@id": _node_id(s, compact)}
            graph.append(node)
        p, o = t.predicate.value, t.object
        value: _JsonValue
        if o.__class__ is NamedNode:
            iri = o.value
            if p == RDF_TYPE:
                key, value = "@type", compact(iri)
            else:
                key = keys.get(p) or keys.setdefault(p, compact(p))
                value = refs.get(iri) or refs.setdefault(iri, {"@id": compact(iri)})
        else:
            key = keys.get(p) or keys.setdefault(p, compact(p))
            value = _literal_value(o, compact) if o.__class__ is Literal else _value(o, compact)
        if key in node:
            existing = node[key]
            if existing.__class__ is list:
                existing.append(value)
            else:
                node[key] = [existing, value]  # type: ignore[list-item]
        else:
            node[key] = value
    return graph


def _literal_value(term: Literal, compact: Compactor) -> _JsonValue:
    """:func:`_value` of a literal."""
    lang = term.language
    if lang:
        return {"@value": term.value, "@language": lang}
    dt = term.datatype.value
    if dt == _XSD_STRING:
        return term.value
    return _value(term, compact)


def _node_encoder() -> Callable[[object], str]:
    """``json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode`` of a node object,
    with json's C encoder made once instead of once per node."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    chunks = make(None, encoder.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda node: "".join(chunks(node, 0))


def to_jsonld(sorted_triples: list[Triple], prefixes: Mapping[str, str]) -> bytes:
    """Compacted JSON-LD: ``{"@context": <context>, "@graph": [node objects]}``; triples must be sorted."""
    with no_gc():
        return _to_jsonld(sorted_triples, prefixes)


def _to_jsonld(sorted_triples: list[Triple], prefixes: Mapping[str, str]) -> bytes:
    graph = _node_objects(sorted_triples, Compactor(prefixes))
    # The context pretty-printed; then one node object per line (json's fast C encoder, and a
    # readable, diff-friendly dump: one subject, one line).
    head = _context_head(tuple(prefixes.items()))
    dumps = _node_encoder()
    parts = [head[:-2], ',\n  "@graph": [\n']
    parts.append(",\n".join("    " + dumps(node) for node in graph))
    parts.append("\n  ]\n}\n" if graph else "  ]\n}\n")
    return "".join(parts).encode("utf-8")


# --- files -------------------------------------------------------------------------------------------


def write_files(
    out_dir: str | Path, files: Mapping[str, bytes], *, replaces: Iterable[str] = (), trees: Iterable[str] = ()
) -> list[Path]:
    """Publish ``files`` as the set of ``out_dir`` in one atomic step
    (:func:`lod_unioni.publish.publish`): the whole new set is written into a fresh folder beside
    it, then switched with it, so that a reader, a crash or a kill sees the old set or the new one.

    If anything fails before the switch, no published file has changed. A file whose bytes are
    already those on disk keeps its inode and mtime. The names of ``replaces`` that are not in
    ``files`` are removed; the other entries of the folder are kept. ``trees``: the set's own
    folders (``versions``), whose earlier files are kept and which may hold files of ``files``
    (``versions/2026-12-01/unioni.ttl``). Returns every target, sorted.
    """
    return publish(out_dir, files, replaces=replaces, trees=trees)


def version_files(files: dict[str, bytes], version: str) -> dict[str, bytes]:
    """The copies of a version: ``versions/{version}/unioni.ttl``... (:data:`VERSIONED_FILES`), the
    same bytes as the dumps. Published with the dumps in one atomic step; the copies of earlier
    versions in the output folder are kept (a version is named by the date of its data: a rebuild
    of the same data replaces its copy, a new date adds one)."""
    if not _VERSION.fullmatch(version):
        raise ValueError(f"not a version: {version!r}")
    return {f"{VERSIONS}/{version}/{name}": files[name] for name in VERSIONED_FILES if name in files}
