"""Namespaces are declared once (lod_unioni.vocab): every RDF file's prefix declarations agree."""

from __future__ import annotations

import re

import pytest
import rdflib
import yaml

from lod_unioni import vocab


def _turtle_prefixes(path) -> dict[str, str]:
    return dict(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", path.read_text(encoding="utf-8")))


def test_the_dump_prefixes_are_vocab_namespaces(repo):
    prefixes = yaml.safe_load((repo / "mappings" / "prefixes.yaml").read_text(encoding="utf-8"))["prefixes"]
    assert prefixes and {p: vocab.namespace_of(p) for p in prefixes} == prefixes


def test_the_sparql_prefixes_of_the_shapes_are_vocab_namespaces(repo):
    g = rdflib.Graph().parse(repo / "shapes" / "prefixes.ttl")
    sh = rdflib.Namespace(vocab.SH)
    declared = {str(g.value(d, sh.prefix)): str(g.value(d, sh.namespace)) for d in g.objects(None, sh.declare)}
    assert len(declared) >= 10
    assert {p: vocab.namespace_of(p) for p in declared} == declared


@pytest.mark.parametrize("folder", ["shapes", "ontology", "queries", "output"])
def test_every_prefix_written_in_the_files_is_the_vocab_namespace(repo, folder):
    """A prefix of vocab.PREFIXES is never bound to another namespace in a file of the project."""
    checked = 0
    for path in sorted((repo / folder).rglob("*")):
        if path.suffix == ".ttl":
            found = _turtle_prefixes(path)
        elif path.suffix == ".rq":
            found = dict(re.findall(r"PREFIX\s+([\w-]*):\s*<([^>]*)>", path.read_text(encoding="utf-8"), re.I))
        else:
            continue
        for prefix, namespace in found.items():
            if prefix in vocab.PREFIXES or prefix in vocab.ALIASES:
                assert namespace == vocab.namespace_of(prefix), f"{path}: {prefix}: <{namespace}>"
                checked += 1
    assert checked > 0


def test_namespace_of_names_the_prefix_it_does_not_know():
    assert vocab.namespace_of("dct") == vocab.DCTERMS == "http://purl.org/dc/terms/"
    with pytest.raises(KeyError, match="'nope'"):
        vocab.namespace_of("nope")
