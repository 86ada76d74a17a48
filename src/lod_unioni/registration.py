"""The IRI register step of a build (:mod:`lod_unioni.iris`): the register a build reads and
updates, the identities of each union, the union IRIs the register keeps, and the update of the
register with the built graph (:class:`Registration`, which adds the deprecated IRIs to it)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from . import progress
from .fileio import write_atomic
from .graph import merge_sorted, sort_triples
from .iris import REGISTER_FILE, ComuneSuccessor, IriRegister, RegisterUpdate, UnionClaim, announce, read_register
from .records import Record

__all__ = ["Identities", "Registration", "key_unions", "open_register", "union_identities"]

#: The identities of a union for the IRI register (``ministry:{code}``, ``ipa:{code}``), the
#: Ministry code first.
Identities = Callable[[Record], tuple[str, ...]]


def union_identities(record: Record) -> tuple[str, ...]:
    """A union's identities for the IRI register: its Ministry code, its IPA code (lower case) and
    the ITALIAE card its record was imported from (``card:{first 16 hex digits of its SHA-256}``,
    so that a record whose IPA code is corrected keeps its union's IRI)."""
    out = []
    if record.union.ministry_code:
        out.append(f"ministry:{record.union.ministry_code}")
    if record.ipa_code:
        out.append(f"ipa:{record.ipa_code}")
    card = (record.provenance.get("card") or {}).get("sha256")
    if card:
        out.append(f"card:{card[:16]}")
    return tuple(out)


def open_register(iri_register: str | Path | IriRegister | None, out_dir: str | Path, base_iri: str) -> IriRegister:
    """The IRI register of a build: the one given, read from the file given, else ``iris.csv`` in
    the output folder (empty when the file does not exist yet)."""
    if isinstance(iri_register, IriRegister):
        return iri_register
    register = read_register(iri_register or Path(out_dir) / REGISTER_FILE, base_iri)
    announce(register)
    return register


def key_unions(records: Sequence[Record], register: IriRegister, identities: Identities | None = None) -> list[Record]:
    """The records with the last segment of each union's IRI the register keeps for it
    (:attr:`~lod_unioni.records.Record.union_key`, see :meth:`lod_unioni.iris.IriRegister.union_keys`)."""
    identify = identities or union_identities
    keys = register.union_keys([UnionClaim(r.key, identify(r)) for r in records])
    return [
        r if k == r.union_key else dataclasses.replace(r, minted_key=None if k == r.key else k)
        for r, k in zip(records, keys, strict=True)
    ]


@dataclass
class Registration:
    """The IRI register step of a build: the register, the records' unions, the update."""

    register: IriRegister
    records: list[Record]
    identities: Identities
    since: str
    comune_successor: ComuneSuccessor | None
    update: RegisterUpdate | None = None
    subjects: list[str] | None = None  # the subjects of the mapped triples, when known

    def __call__(self, triples: list[Triple], added: Sequence[Triple] = ()) -> list[Triple]:
        """The graph ``triples`` (the mapped triples and the ``added`` ones) with the register's
        deprecated IRIs."""
        unions = {f"{self.register.base}union/{r.union_key}": self.identities(r) for r in self.records}
        subjects = None
        if self.subjects is not None:
            subjects = [*self.subjects, *(t.subject.value for t in added if isinstance(t.subject, NamedNode))]
        self.update = self.register.update(
            triples, unions, since=self.since, comune_successor=self.comune_successor, subjects=subjects
        )
        progress.info("  " + self.update.summary())
        extra = self.update.triples
        if not extra:
            return triples
        return merge_sorted(triples, extra) if len(extra) < 1000 else sort_triples(triples + extra)

    def publish_elsewhere(self, out_dir: str | Path, data: bytes) -> None:
        """Replace the register file given outside the output folder (after the publication)."""
        path = self.register.path
        if path is None or os.path.realpath(path) == os.path.realpath(Path(out_dir) / REGISTER_FILE):
            return
        write_atomic(path, data)
        progress.info(f"  IRI register written to {path} (and to {REGISTER_FILE} in {out_dir})")
