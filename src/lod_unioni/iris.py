"""The register of minted IRIs: every IRI a build has published under the base IRI, so that an IRI
once published never disappears.

::

    from lod_unioni.iris import UnionClaim, read_register
    register = read_register("output/iris.csv", base_iri)       # empty when there is no such file
    keys = register.union_keys([UnionClaim("ull", ("ipa:ull",)), ...])   # each union's IRI segment
    update = register.update(triples, unions, since="2024-07-31", comune_successor=...)
    update.triples              # the deprecated IRIs, for the dumps
    update.register.to_bytes()  # the new register, published with the dumps

The register is a CSV file (UTF-8, a header, one row per IRI, sorted by IRI) with the columns

``iri``
    an IRI published under the base IRI (the subject of triples of a dump);
``key``
    for a union, its identities in the last build that described it: ``ministry:{CODICE UNIONE}``,
    ``ipa:{IPA code in lower case}``, ``card:{SHA-256 prefix}`` (the ITALIAE card of a bundled
    record); for a comune, ``istat:{ISTAT code}``; empty for the other IRIs, whose key is in the
    IRI itself (a code, a concept's notation, a date, a record key);
``since``
    the date of the data of the build that first published it;
``status``
    ``live`` (described in the dumps) or ``deprecated`` (no longer described: the dumps say
    ``owl:deprecated true``);
``successor``
    for a deprecated IRI, the live IRI that replaces it (``dcterms:isReplacedBy``), when one is known.

The rules:

* **A union keeps the IRI first minted for it** (:meth:`IriRegister.union_keys`): a union whose
  Ministry code is in the register keeps that IRI, whatever its IPA code now is (a union first
  published as ``union/dait-{code}`` stays there when IPA is matched later; one published as
  ``union/{ipa}`` stays there when the match is lost); a union the register knows by its IPA code
  or its card (a union IPA lists and the Ministry register does not, a bundled record whose IPA code
  was corrected) keeps that IRI, unless the union it was minted for is still in the build. A new
  union gets ``union/{ipa}`` or ``union/dait-{code}``, and when that IRI already belongs to another
  union (of this build, or of the register by its identities), the same with ``-2``, ``-3``...
  appended.
* **Every IRI of the register stays in the dumps.** One the build no longer describes is
  deprecated, with its successor: for a union, the union of this build that has one of its
  identities; for a comune, the comune ISTAT recoded or merged it into (``comune_successor``:
  OntoPiA's history of the cities); for an IRI below a union or a comune, the same IRI below its
  successor, when the union moved or the comune was only recoded (not for a merger: the figures of a
  merged comune are not its successor's). A successor is always a live IRI: a chain of successors
  is followed to its live end, and an IRI that is described again is live again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from . import progress
from .errors import LodError
from .vocab import DCTERMS, OWL, XSD

__all__ = [
    "COLUMNS",
    "DEPRECATED",
    "IS_REPLACED_BY",
    "LIVE",
    "OWL_DEPRECATED",
    "REGISTER_FILE",
    "ComuneSuccessor",
    "Entry",
    "IriRegister",
    "RegisterUpdate",
    "UnionClaim",
    "announce",
    "read_register",
]

#: The register's file name in an output folder.
REGISTER_FILE = "iris.csv"
COLUMNS = ("iri", "key", "since", "status", "successor")
LIVE, DEPRECATED = "live", "deprecated"

#: The comune an ISTAT code that is no longer current became: (its current ISTAT code, True when it
#: is the same comune recoded, False when it was merged into it); None when unknown.
ComuneSuccessor = Callable[[str], "tuple[str, bool] | None"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The terms of a deprecated IRI in the dumps (``owl:deprecated true``, ``dcterms:isReplacedBy``).
OWL_DEPRECATED = NamedNode(OWL + "deprecated")
IS_REPLACED_BY = NamedNode(DCTERMS + "isReplacedBy")
_TRUE = Literal("true", datatype=NamedNode(XSD + "boolean"))


@dataclass(frozen=True)
class Entry:
    """One row of the register."""

    iri: str
    key: str = ""
    since: str = ""
    status: str = LIVE
    successor: str = ""

    @property
    def tokens(self) -> frozenset[str]:
        return frozenset(self.key.split())


@dataclass(frozen=True)
class UnionClaim:
    """A union of a build: the last segment its IRI has when the register does not know it
    (``default``: the IPA code in lower case, or ``dait-{CODICE UNIONE}``) and its identities
    (``ministry:{code}``, ``ipa:{code}``), in order of precedence (the Ministry code first)."""

    default: str
    identities: tuple[str, ...]


@dataclass
class RegisterUpdate:
    """What a build does to the register: the new register, the triples of its deprecated IRIs,
    and what changed."""

    register: IriRegister
    triples: list[Triple]
    new: list[str] = field(default_factory=list)
    deprecated: list[str] = field(default_factory=list)  # deprecated by this build
    revived: list[str] = field(default_factory=list)  # deprecated before, described again

    def summary(self) -> str:
        entries = self.register.entries.values()
        live = sum(1 for e in entries if e.status == LIVE)
        old = len(self.register.entries) - live
        with_successor = sum(1 for e in entries if e.status == DEPRECATED and e.successor)
        return (
            f"IRI register: {live} live IRIs, {old} deprecated ({with_successor} with a successor); "
            f"this build: {len(self.new)} new, {len(self.deprecated)} deprecated, {len(self.revived)} described again"
        )


class IriRegister:
    """The IRIs published under one base IRI (see the module)."""

    def __init__(self, base_iri: str, entries: Iterable[Entry] = (), *, path: Path | None = None, found: bool = False):
        self.base = base_iri
        self.entries: dict[str, Entry] = {}
        #: rows of other base IRIs (dumps built with another --base-iri into the same folder): kept
        #: as they are, not in these dumps
        self.others: dict[str, Entry] = {}
        for e in entries:
            (self.entries if e.iri.startswith(base_iri) and len(e.iri) > len(base_iri) else self.others)[e.iri] = e
        self.path = path
        self.found = found

    # -- the unions -------------------------------------------------------------------------------
    def _union_iri(self, segment: str) -> str:
        return f"{self.base}union/{segment}"

    def _is_union_root(self, iri: str) -> bool:
        rest = iri[len(self.base) :]
        return rest.startswith("union/") and "/" not in rest[len("union/") :]

    def _owners(self) -> dict[str, str]:
        """identity -> the union IRI of the register that has it (a live one first)."""
        owners: dict[str, str] = {}
        unions = [e for e in self.entries.values() if self._is_union_root(e.iri)]
        for e in sorted(unions, key=lambda e: (e.status != LIVE, e.iri)):
            for token in e.key.split():
                owners.setdefault(token, e.iri)
        return owners

    def union_keys(self, claims: Sequence[UnionClaim]) -> list[str]:
        """The last segment of the IRI of each union (see the module): the one the register has for
        its Ministry code, else for its IPA code (when the union it was minted for is not in this
        build), else its default, made unique."""
        owners = self._owners()
        present = {t for c in claims for t in c.identities}
        prefix = len(self._union_iri(""))
        out: list[str | None] = [None] * len(claims)
        taken: set[str] = set()

        def take(i: int, iri: str) -> None:
            out[i] = iri[prefix:]
            taken.add(iri)

        for i, c in enumerate(claims):  # the Ministry code
            iri = next((owners[t] for t in c.identities if t.startswith("ministry:") and t in owners), None)
            if iri is not None and iri not in taken:
                take(i, iri)
        for i, c in enumerate(claims):  # another identity, of a union that is no longer in the build
            if out[i] is not None:
                continue
            for t in c.identities:
                iri = owners.get(t)
                if iri is None or iri in taken or t.startswith("ministry:"):
                    continue
                others = {x for x in self.entries[iri].tokens if x.startswith("ministry:")} - set(c.identities)
                if not others & present:
                    take(i, iri)
                    break
        for i, c in enumerate(claims):  # a new union
            if out[i] is None:
                segment, n = c.default, 1
                while not self._free(self._union_iri(segment), c, taken):
                    n += 1
                    segment = f"{c.default}-{n}"
                take(i, self._union_iri(segment))
        return [s or "" for s in out]

    def _free(self, iri: str, claim: UnionClaim, taken: set[str]) -> bool:
        """Whether a new union may have ``iri``: no union of this build has it, and the register has
        it for no other union (a row without identities, or with one of the claim's, is its own)."""
        if iri in taken:
            return False
        entry = self.entries.get(iri)
        return entry is None or not entry.tokens or bool(entry.tokens & set(claim.identities))

    # -- the update -------------------------------------------------------------------------------
    def update(
        self,
        triples: Iterable[Triple],
        unions: dict[str, tuple[str, ...]],
        *,
        since: str,
        comune_successor: ComuneSuccessor | None = None,
        subjects: Iterable[str] | None = None,
    ) -> RegisterUpdate:
        """The register after a build whose graph is ``triples`` (``unions``: the IRI of each of its
        unions -> its identities): every subject under the base IRI is live (new ones since
        ``since``), every other IRI of the register deprecated, with its successor when one is known.
        ``subjects``: the IRIs of the subjects of ``triples``, when known (they are not read again)."""
        base = self.base
        if subjects is None:
            nodes = {t.subject for t in triples}
            subjects = (n.value for n in nodes if isinstance(n, NamedNode))
        live = {s for s in subjects if s.startswith(base)}
        entries: dict[str, Entry] = {}
        result = RegisterUpdate(self, [])
        for iri in sorted(live):
            old = self.entries.get(iri)
            key = " ".join(unions[iri]) if iri in unions else _comune_key(iri[len(base) :])
            if old is None:
                result.new.append(iri)
            elif old.status != LIVE:
                result.revived.append(iri)
            entries[iri] = Entry(iri, key or (old.key if old else ""), old.since if old else since, LIVE)
        gone = sorted(set(self.entries) - live)
        result.deprecated = [iri for iri in gone if self.entries[iri].status == LIVE]
        successors = _Successors(base, self.entries, live, unions, comune_successor)
        for iri in gone:
            old = self.entries[iri]
            entries[iri] = replace(old, status=DEPRECATED, successor=successors.of(old))
        for iri in gone:
            entries[iri] = replace(entries[iri], successor=_live_end(entries, entries[iri].successor))
        result.register = IriRegister(
            base, [*entries.values(), *self.others.values()], path=self.path, found=self.found
        )
        result.triples = _deprecation_triples(entries[iri] for iri in gone)
        return result

    # -- the file ---------------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        every = {**self.others, **self.entries}
        for iri in sorted(every):
            e = every[iri]
            writer.writerow((e.iri, e.key, e.since, e.status, e.successor))
        return buffer.getvalue().encode("utf-8")


def _comune_key(path: str) -> str:
    return f"istat:{path[7:]}" if path.startswith("comune/") and "/" not in path[7:] else ""


def _live_end(entries: dict[str, Entry], iri: str) -> str:
    """The live IRI a chain of successors from ``iri`` ends at; empty when it ends elsewhere."""
    seen = set()
    while iri and iri not in seen:
        seen.add(iri)
        e = entries.get(iri)
        if e is None or e.status == LIVE:
            return iri if e is not None else ""
        iri = e.successor
    return ""


class _Successors:
    """The successor of each IRI that a build no longer describes (see the module)."""

    def __init__(
        self,
        base: str,
        entries: dict[str, Entry],
        live: set[str],
        unions: dict[str, tuple[str, ...]],
        comune_successor: ComuneSuccessor | None,
    ):
        self.base, self.entries, self.live, self.comune_successor = base, entries, live, comune_successor
        self.owner: dict[str, str] = {}  # identity -> live union IRI of this build
        for iri, identities in sorted(unions.items()):
            for token in identities:
                self.owner.setdefault(token, iri)
        self._comuni: dict[str, tuple[str, bool] | None] = {}

    def _comune(self, code: str) -> tuple[str, bool] | None:
        if code not in self._comuni:
            self._comuni[code] = self.comune_successor(code) if self.comune_successor else None
        return self._comuni[code]

    def _union(self, segment: str) -> str | None:
        """The segment of the live union that replaces the union ``segment``."""
        iri = f"{self.base}union/{segment}"
        old = self.entries.get(iri)
        if old is None or iri in self.live:
            return None
        found = next((self.owner[t] for t in old.key.split() if t in self.owner), None)  # in precedence order
        if found is None and old.successor in self.live:
            found = old.successor
        return found[len(f"{self.base}union/") :] if found and self._is_union(found) else None

    def _is_union(self, iri: str) -> bool:
        rest = iri[len(self.base) :]
        return rest.startswith("union/") and "/" not in rest[len("union/") :]

    def of(self, entry: Entry) -> str:
        parts = entry.iri[len(self.base) :].split("/")
        candidate = None
        if len(parts) >= 2 and parts[0] == "union":
            moved = self._union(parts[1])
            if moved is not None:
                candidate = "/".join(["union", moved, *self._recoded(parts[2:])])
        elif len(parts) >= 2 and parts[0] == "comune":
            found = self._comune(parts[1])
            if found is not None and (len(parts) == 2 or found[1]):
                candidate = "/".join(["comune", found[0], *parts[2:]])
        if candidate is None and parts[0] == "union" and len(parts) > 2:
            candidate = "/".join(["union", parts[1], *self._recoded(parts[2:])])
        iri = self.base + candidate if candidate else ""
        if iri and iri != entry.iri and iri in self.live:
            return iri
        return entry.successor

    def _recoded(self, rest: list[str]) -> list[str]:
        """The path below a union with each member's ISTAT code recoded (``membership/{istat}``)."""
        out = list(rest)
        for i in range(len(rest) - 1):
            if rest[i] == "membership":
                found = self._comune(rest[i + 1])
                if found is not None and found[1]:
                    out[i + 1] = found[0]
        return out


def _deprecation_triples(entries: Iterable[Entry]) -> list[Triple]:
    out = []
    for e in entries:
        subject = NamedNode(e.iri)
        out.append(Triple(subject, OWL_DEPRECATED, _TRUE))
        if e.successor:
            out.append(Triple(subject, IS_REPLACED_BY, NamedNode(e.successor)))
    return out


# --- reading -----------------------------------------------------------------------------------------


def read_register(path: str | Path, base_iri: str) -> IriRegister:
    """The register of the file ``path`` for the dumps of ``base_iri``; an empty one when there is
    no such file (the first build). A file that is not a register is a :class:`LodError` (exit code
    2): a build never starts a new register over a damaged one. Rows of other base IRIs are kept as
    they are (:attr:`IriRegister.others`)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return IriRegister(base_iri, path=p, found=False)
    except OSError as exc:
        raise LodError(f"cannot read the IRI register: {exc.strerror or exc}", file=str(p)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise LodError("the IRI register is not UTF-8 text", file=str(p)) from None
    return IriRegister(base_iri, _parse(text, str(p)), path=p, found=True)


def _parse(text: str, file: str) -> list[Entry]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None or tuple(header) != COLUMNS:
        raise LodError(f"not an IRI register: the first line must be {','.join(COLUMNS)}", file=file, line=1)
    entries: dict[str, Entry] = {}
    for n, row in enumerate(rows, start=2):
        if len(row) != len(COLUMNS):
            raise LodError(f"{len(row)} columns, expected {len(COLUMNS)} ({','.join(COLUMNS)})", file=file, line=n)
        e = Entry(*row)
        problem = _problem(e)
        if problem is None and e.iri in entries:
            problem = "this IRI is listed twice"
        if problem is not None:
            raise LodError(problem, file=file, line=n)
        entries[e.iri] = e
    return list(entries.values())


def _problem(e: Entry) -> str | None:
    if not e.iri.startswith(("http://", "https://")) or any(c in e.iri for c in ' <>"{}|\\^`'):
        return f"the IRI {e.iri!r} is not an absolute http(s) IRI"
    if e.status not in (LIVE, DEPRECATED):
        return f"status {e.status!r}: expected {LIVE} or {DEPRECATED}"
    if e.since and not _DATE.fullmatch(e.since):
        return f"since {e.since!r}: expected a date YYYY-MM-DD"
    if e.successor and (e.status != DEPRECATED or not e.successor.startswith(("http://", "https://"))):
        return f"successor {e.successor!r}: only a deprecated IRI has one, an absolute IRI"
    return None


def announce(register: IriRegister) -> None:
    """Say on stderr which register the build reads."""
    if register.found:
        progress.info(f"  IRI register: {register.path} ({len(register.entries)} IRIs)")
    else:
        progress.info(f"  IRI register: {register.path} does not exist yet: every IRI of this build is new")
    if register.others:
        example = min(register.others)
        progress.warn(
            f"{register.path}: {len(register.others)} IRI(s) of the register are not below the base IRI "
            f"{register.base} (e.g. {example}): dumps built with another base IRI; kept in the register, "
            "not in these dumps"
        )
