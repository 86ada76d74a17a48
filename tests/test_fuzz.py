"""Fuzzing records and cards (hypothesis), bounded in time.

Each example mutates a real input — the bundled record ``records/udm_069.yaml``, or an ITALIAE card
of ``../shared/seeds`` — and runs the pipeline on it. Whatever the input, the outcome must be one
of those the commands promise:

- ``build``: exit 0 with dumps that ``validate`` accepts (exit 0) and whose values match the
  record schema's patterns (codes, dates, no control characters), or exit 1 / 2 with one
  ``lod-unioni: error:`` line (for 2) and the previous output untouched; never an exception out of
  the command, a traceback, or a hang;
- ``import-card``: records that ``build`` accepts (exit 0 or 1, never 2: the record schema), or a
  one-line :class:`~lod_unioni.errors.LodError` and nothing written.

The examples are derandomized, so that CI runs the same inputs every time; set
``LOD_UNIONI_FUZZ_EXAMPLES`` (default 30) to run more of them locally (then also set
``LOD_UNIONI_FUZZ_RANDOM=1`` for new inputs on each run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from conftest import COV, LU, RECORDS, XSD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lod_unioni.cards import import_cards
from lod_unioni.cli import main
from lod_unioni.errors import LodError
from lod_unioni.gazetteer import Gazetteer

EXAMPLES = int(os.environ.get("LOD_UNIONI_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("LOD_UNIONI_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
RECORD = RECORDS / "udm_069.yaml"

# Values that broke the pipeline once (a trailing newline, a calendar date that does not exist...),
# beside hypothesis' own text, numbers and structures.
TRICKY = [
    "C199\n",
    "069015\n",
    "2022\n",
    "2011-02-30",
    "2011-13-01",
    "9999-99-99",
    "udm_069 ",
    "UDM_069",
    "\x00",
    "a\u2028b",
    "https:///",
    "http://a:99999/",
    "",
    " ",
    "-5",
    "１２３４５６",
    "数据",
    "Источник",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
]
SCALARS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=12),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.dates(),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.dictionaries(st.text(max_size=5), SCALARS, max_size=2))


# --- what a published dump may hold ----------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
PATTERNS = {  # the record schema's patterns, written out here again on purpose
    LU + "istatCode": re.compile(r"[0-9]{6}"),
    LU + "cadastralCode": re.compile(r"[A-Z][0-9]{3}"),
    COV + "IPAcode": re.compile(r"[a-z0-9_]+"),
}


def published_problems(dump: Path) -> list[str]:
    """The values of a dump that break a pattern of the schema, or a datatype's lexical space."""
    problems = []
    for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_TRIPLES):
        t, o = quad.triple, quad.object
        if not isinstance(o, ox.Literal):
            continue
        pattern = PATTERNS.get(t.predicate.value)
        if pattern is not None and not pattern.fullmatch(o.value):
            problems.append(f"{t.predicate.value} {o.value!r}")
        if CONTROL.search(o.value) or ("\n" in o.value and t.predicate.value.endswith("/name")):
            problems.append(f"control character in {t.predicate.value} {o.value!r}")
        datatype = o.datatype.value
        try:
            if datatype == XSD + "date":
                assert re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", o.value)
                dt.date.fromisoformat(o.value)
            elif datatype == XSD + "gYear":
                assert re.fullmatch(r"[0-9]{4}", o.value)
            elif datatype == XSD + "integer":
                assert re.fullmatch(r"[+-]?[0-9]+", o.value)
            elif datatype == XSD + "decimal":
                assert re.fullmatch(r"[+-]?[0-9]*\.?[0-9]+", o.value)
        except (AssertionError, ValueError):
            problems.append(f"{datatype} {o.value!r}")
    return problems


def run_cli(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["-q", *argv])
    return code, err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()} if folder.is_dir() else {}


def check_build(records: Path, out: Path) -> int:
    """Build ``records`` into ``out`` and check the outcome (module docstring); the exit code."""
    before = snapshot(out)
    code, err = run_cli("build", "--records", str(records), "--out", str(out))
    assert "Traceback" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:
        errors = [line for line in err.splitlines() if line.startswith("lod-unioni: error:")]
        assert len(errors) == 1, err
    if code != 0:
        assert snapshot(out) == before, "a failed build changed the output"
        return code
    dump = out / "unioni.nt"
    assert published_problems(dump) == []
    vcode, verr = run_cli("validate", str(out / "unioni.ttl"))
    assert vcode == 0, verr
    return code


# --- records -------------------------------------------------------------------------------------


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value of a YAML document (keys and list indexes), the root excluded."""
    out = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in items:
        out.append((*prefix, key))
        out.extend(paths(value, (*prefix, key)))
    return out


def mutate(doc: dict, path: tuple, action: str, value: object) -> None:
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[f"x{len(parent)}"] = value
    else:
        parent[last] = value


MUTATIONS = st.lists(
    st.tuples(st.integers(min_value=0), st.sampled_from(["set", "set", "delete", "add"]), VALUES),
    min_size=1,
    max_size=3,
)
TEXT_EDITS = st.lists(st.tuples(st.integers(min_value=0), st.text(max_size=8)), max_size=2)


@pytest.fixture(scope="module")
def base_output(tmp_path_factory) -> Path:
    """The output of the bundled record alone: what a failed build must leave in place."""
    records = tmp_path_factory.mktemp("records")
    shutil.copy(RECORD, records)
    out = tmp_path_factory.mktemp("output")
    assert run_cli("build", "--records", str(records), "--out", str(out))[0] == 0
    return out


@FUZZ
@given(mutations=MUTATIONS, edits=TEXT_EDITS)
def test_fuzzed_records(base_output, mutations, edits):
    doc = yaml.safe_load(RECORD.read_text(encoding="utf-8"))
    for index, action, value in mutations:
        where = paths(doc)
        mutate(doc, where[index % len(where)], action, value)
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    for position, insert in edits:  # raw edits too: YAML syntax, tags, anchors, bytes
        cut = position % (len(text) + 1)
        text = text[:cut] + insert + text[cut:]
    with tempfile.TemporaryDirectory() as tmp:
        records, out = Path(tmp) / "records", Path(tmp) / "output"
        records.mkdir()
        (records / RECORD.name).write_text(text, encoding="utf-8")
        shutil.copytree(base_output, out)
        check_build(records, out)


# --- cards ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gazetteer(shared_data) -> Gazetteer:
    return Gazetteer.from_sources(shared_data)


@pytest.fixture(scope="module")
def seed_cards(seeds_dir) -> list[Path]:
    cards = sorted(seeds_dir.glob("*.txt"))
    assert cards
    return cards


LINE_EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0),
        st.sampled_from(["replace-value", "delete", "duplicate", "insert", "number"]),
        st.one_of(st.sampled_from(TRICKY), st.text(max_size=15), st.integers(-(10**12), 10**12).map(str)),
    ),
    min_size=1,
    max_size=4,
)


def edit_card(lines: list[str], index: int, action: str, value: str) -> None:
    i = index % len(lines)
    if action == "delete":
        del lines[i]
    elif action == "duplicate":
        lines.insert(i, lines[i])
    elif action == "insert":
        lines.insert(i, value)
    elif action == "number":
        lines[i] = re.sub(r"[0-9][0-9.,]*", value, lines[i], count=1)
    else:
        head, sep, _ = lines[i].partition(":")
        lines[i] = head + sep + " " + value if sep else value


@FUZZ
@given(card=st.integers(min_value=0), edits=LINE_EDITS)
def test_fuzzed_cards(shared_data, gazetteer, seed_cards, card, edits):
    seed = seed_cards[card % len(seed_cards)]
    lines = seed.read_text(encoding="utf-8").splitlines()
    for index, action, value in edits:
        if lines:
            edit_card(lines, index, action, value)
    with tempfile.TemporaryDirectory() as tmp:
        path, records = Path(tmp) / seed.name, Path(tmp) / "records"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            import_cards([path], sources_dir=shared_data, out_dir=records, gazetteer=gazetteer)
        except LodError as exc:
            assert "\n" not in str(exc), str(exc)
            assert not records.exists() or not any(records.iterdir()), "a refused card wrote records"
            return
        assert check_build(records, Path(tmp) / "output") in (0, 1), "import-card wrote a record build rejects"
