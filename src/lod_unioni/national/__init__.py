"""The national graph: every Unione di Comuni of the Ministry register, from the official sources.

``lod-unioni build --national --sources DIR [--out DIR]`` (default ``--out output/national``)
builds the linked data of all the unions of the Ministry of the Interior (DAIT) register (557
unions and their 3,000 member rows in the 2020 release) and of the unions of IPA the register does
not know (published with IPA's data, members not known), joined with IPA, the ISTAT list of comuni,
ISTAT's resident population at 1 January 2022 and the OntoPiA territorial vocabularies. The
bundled records (richer: made from the ITALIAE cards) take precedence for their unions. The
result is a mirror of the official sources: it is not committed (``output/national/`` is in
``.gitignore``) and it is rebuilt from the registry files.

::

    from lod_unioni.national import build_national_records, national_pipeline
    result = build_national_records("/path/to/sources", load_records("records"))
    result.records, result.stats, result.unmatched_unions, result.unresolved_members
    result, timings = national_pipeline("/path/to/sources", "output/national")   # what the command runs

The pipeline (:func:`national_pipeline`, each step timed; the command prints the timings):

1. **read** every registry file once (:func:`lod_unioni.registries.load_registries`) and the bundled
   records;
2. **reconcile** the bundled records with the registries (the counts are reported; see
   ``lod-unioni reconcile`` for the findings) and find their unions in the register;
3. **match** (:func:`build_national_records`): every register union becomes a record in the
   record format;
4. then the build pipeline of ``lod-unioni build`` (:func:`lod_unioni.build.build_records`):
   **map** the records with the bundled mappings, **validate** the graph with the SHACL shapes and
   the national policy, wait for the **check** of the national records with the record schema (run
   meanwhile in a forked process), **render** and **write** ``unioni.ttl``, ``unioni.jsonld``,
   ``unioni.nt``, ``context.jsonld``, ``catalog.ttl``, ``void.ttl``, ``versions/{version}/`` and
   ``national-report.json`` / ``national-report.txt`` (atomically, nothing when a step fails; the
   same sources give byte-identical files), with ``iris.csv``, the register of the IRIs the
   national dumps have published (:mod:`lod_unioni.iris`).

**Stable IRIs.** ``output/national/`` is not committed, so its IRI register ``iris.csv`` lives in
it: a publisher keeps it by keeping the output folder between builds (a build only replaces its
own files), or keeps a copy under version control and gives it with ``--iri-register FILE`` (read
before the build, replaced atomically after the dumps). Each union keeps the IRI first minted for
it, found by its Ministry code (a bundled record: the code of the register union it replaces), else
its IPA code: a union first published as ``union/dait-{code}`` keeps that IRI when IPA is matched
later, one published as ``union/{ipa}`` keeps it when the match is lost. An IRI the build no longer
describes stays in the dumps, deprecated (``owl:deprecated true``), with ``dcterms:isReplacedBy``
its successor where one is known: a comune recoded or merged by ISTAT, from OntoPiA's history
(:meth:`lod_unioni.registries.Registries.comune_successor`). A build without its register mints
every IRI afresh (it says so on stderr).

Where each rule is written down:

========================= ===========================================================================
module                    its job
========================= ===========================================================================
:mod:`.members`           register member rows -> current comuni (methods and confidences; the
                          resolution itself, renames and mergers included, is
                          :meth:`lod_unioni.registries.Registries.ministry_members`), the union's
                          region and province
:mod:`.ipa`               IPA matching: candidates, name similarity and seat, confidence, assignment
:mod:`.identity`          when a match with IPA is certain (``owl:sameAs``) or only probable
                          (``lu:probableSameAs``), for a union and for a comune's IPA body
:mod:`.records`           the national record dicts (figures, names, provenance)
:mod:`.bundled`           the bundled records: the union each replaces, the national facts they get
:mod:`.status`            is the union still alive: its status and the evidence
:mod:`.ipa_only`          IPA's unions the register does not know, published with IPA's data only
:mod:`.match`             the whole matching (:func:`build_national_records`) and its statistics
:mod:`.policy`            the validation policy: the violations accepted where the sources disagree
:mod:`.schema_check`      the record-schema check of the national records, in the background
:mod:`.report`            ``national-report.json`` / ``.txt`` and the list of what was not matched
:mod:`.pipeline`          :func:`national_pipeline`: read, reconcile, match, the unions' IRIs from
                          the IRI register, then the build
:mod:`.result`            the result types
========================= ===========================================================================
"""

from __future__ import annotations

from .match import build_national_records
from .pipeline import DEFAULT_OUT, national_pipeline
from .policy import ACCEPTED_RULES, accept_policy, expected_disagreements
from .records import NATIONAL_KINDS
from .report import REPORT_FILES, print_unmatched
from .result import Disagreement, MemberMatch, NationalResult, UnionMatch
from .schema_check import RecordCheck

__all__ = [
    "ACCEPTED_RULES",
    "DEFAULT_OUT",
    "NATIONAL_KINDS",
    "REPORT_FILES",
    "Disagreement",
    "MemberMatch",
    "NationalResult",
    "RecordCheck",
    "UnionMatch",
    "accept_policy",
    "build_national_records",
    "expected_disagreements",
    "national_pipeline",
    "print_unmatched",
]
