"""The two references of the national benchmark (``bench/run.py --national``), run beside the
pipeline in the same run:

- **the mapping reference**: morph-kgc running an RML mapping of the PA digitale 2026 CSV files
  (``bench/rml/padigitale.rml.ttl``: the project, application, state and call triples of
  ``mappings/projects.yaml``), on the rows of the projects the national build maps (copied, not
  timed: RML cannot join the rows to our comuni and unions), beside the project's own
  join + mapping of the same projects (:func:`step_map_projects`);
- **the pyoxigraph floor**: the final N-Triples bulk-loaded into a pyoxigraph Store, then written
  as Turtle, N-Triples and JSON-LD by pyoxigraph (:func:`floor_steps`, in a child of its own).

The pure helpers (:func:`csv_rows`, :func:`compare_triples`) are tested in
``tests/test_bench_synthetic.py``.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from harness import Context, Step

HERE = Path(__file__).resolve().parent
RML_MAPPING = HERE / "rml" / "padigitale.rml.ttl"
MORPH_KGC_CHILD = HERE / "morph_kgc_child.py"
REFERENCES = ("morph-kgc", "floor")
PADIGITALE = "padigitale2026"

#: What the lod-unioni child leaves in the work folder for the references.
PROJECTS_NT = "projects-lod-unioni.nt"  # our project triples (compared with morph-kgc's)
RML_DATA = "rml-data"  # the copies of the CSV files morph-kgc reads
RML_NT = "projects-morph-kgc.nt"


def csv_rows(text: str, column: str, keep: Callable[[str], bool]) -> tuple[str, int, int]:
    """The header and the rows of CSV ``text`` whose ``column`` satisfies ``keep``, each row's lines
    copied as they are (quoting and line breaks kept); with the number of rows kept and read."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    index = header.index(column)
    out = lines[: reader.line_num]
    kept = read = 0
    start = reader.line_num
    for row in reader:
        end = reader.line_num
        if row:
            read += 1
            if keep(row[index]):
                kept += 1
                out.extend(lines[start:end])
        start = end
    return "".join(out), kept, read


def rml_inputs(sources: Path, out: Path, cups: set[str], titles: set[str]) -> dict[str, list[int]]:
    """Copy into ``out/padigitale2026/`` the rows of the applications of ``cups`` and of the calls
    of ``titles`` (spaces normalised); the rows kept and read of each file."""
    target = out / PADIGITALE
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, list[int]] = {}
    for path in sorted((sources / PADIGITALE).glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("candidature_"):
            kept, k, n = csv_rows(text, "codice_cup", lambda v: v.strip().upper() in cups)
        elif path.name == "avvisi.csv":
            kept, k, n = csv_rows(text, "titolo", lambda v: " ".join(v.split()) in titles)
        else:
            continue
        (target / path.name).write_text(kept, encoding="utf-8")
        counts[path.name] = [k, n]
    return counts


def compare_triples(ours: Iterable[str], theirs: Iterable[str], most: int = 6) -> dict:
    """How two sets of triples (N-Triples lines without the final dot) differ: the counts, and the
    predicates (their last segment) most frequent in each side's own triples."""
    a, b = set(ours), set(theirs)

    def top(triples: set[str]) -> list[list]:
        names = Counter(
            t.split(" ", 2)[1].strip("<>").rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in triples
        )
        return [[name, n] for name, n in names.most_common(most)]

    return {
        "same": len(a & b),
        "only_lod_unioni": len(a - b),
        "only_rml": len(b - a),
        "top_only_lod_unioni": top(a - b),
        "top_only_rml": top(b - a),
    }


# --- the lod-unioni side: our mapping of the same projects ---------------------------------------------


def step_map_projects(ctx: Context) -> dict:
    """The project's mapping engine on the national records with the resources of
    ``mappings/projects.yaml`` only (the triples morph-kgc makes); then, not timed, those triples
    and the CSV rows of their projects for morph-kgc."""
    from lod_unioni.graph import sort_triples
    from lod_unioni.mapping import Mapping, load_mapping, map_records
    from lod_unioni.serialize import to_ntriples

    start = time.perf_counter()
    full = load_mapping()
    resources = [r for r in full.resources if Path(r.file).name == "projects.yaml"]
    mapping = Mapping(full.directory, full.prefixes, resources, full.lookups)
    triples = map_records(ctx.records, mapping=mapping)
    seconds = time.perf_counter() - start
    work = Path(ctx.args.workdir)
    (work / PROJECTS_NT).write_bytes(to_ntriples(sort_triples(triples)))
    projects = [p for r in ctx.records for p in r.data.get("projects", ())]
    titles = {c["title"] for r in ctx.records for c in r.data.get("calls", ())}
    rows = rml_inputs(Path(ctx.args.sources), work / RML_DATA, {p["cup"] for p in projects}, titles)
    return {"seconds": seconds, "triples": len(triples), "rows": rows}


# --- the pyoxigraph floor ----------------------------------------------------------------------------


def _floor_dump(fmt: str, name: str) -> Callable[[Context], dict]:
    def step(ctx: Context) -> dict:
        import pyoxigraph as ox

        path = ctx.out_dir / name
        ctx.store.dump(path, format=getattr(ox.RdfFormat, fmt), from_graph=ox.DefaultGraph())
        return {"bytes": path.stat().st_size}

    return step


def step_floor_load(ctx: Context) -> dict:
    """The final N-Triples of the lod-unioni way bulk-loaded into an in-memory pyoxigraph Store."""
    import pyoxigraph as ox

    nt = Path(ctx.args.workdir) / "out-lod-unioni" / "unioni.nt"
    ctx.store = ox.Store()
    ctx.store.bulk_load(path=nt, format=ox.RdfFormat.N_TRIPLES)
    return {"triples": len(ctx.store), "bytes": nt.stat().st_size}


def step_floor_imports(ctx: Context) -> dict:
    import pyoxigraph  # noqa: F401

    return {}


FLOOR_ROWS = (
    ("load", "bulk-load the N-Triples"),
    ("turtle", "write Turtle"),
    ("ntriples", "write N-Triples"),
    ("jsonld", "write JSON-LD"),
)


def floor_steps() -> list[Step]:
    """The steps of the floor's child: pyoxigraph alone, on the pipeline's final N-Triples."""
    return [
        Step("imports", "Python imports", step_floor_imports, compared=False),
        Step("load", "bulk-load", step_floor_load),
        Step("turtle", "Turtle", _floor_dump("TURTLE", "unioni.ttl")),
        Step("ntriples", "N-Triples", _floor_dump("N_TRIPLES", "unioni.nt")),
        Step("jsonld", "JSON-LD", _floor_dump("JSON_LD", "unioni.jsonld")),
    ]


# --- morph-kgc ----------------------------------------------------------------------------------------


def run_morph_kgc(python: str, workdir: str | Path, timeout: float) -> dict:
    """Run :mod:`morph_kgc_child` with ``python`` on the rows the lod-unioni child copied; its
    figures (``status`` "ok", "timeout" with its ``limit``, or "error"), and how its triples
    differ from ours (``comparison``)."""
    work = Path(workdir)
    if not (work / RML_DATA).is_dir():
        return {"status": "error", "error": "no CSV rows to map (the lod-unioni way did not run)"}
    cmd = [python, str(MORPH_KGC_CHILD), "--mapping", str(RML_MAPPING), "--data", str(work / RML_DATA)]
    cmd += ["--out", str(work / RML_NT)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout or None, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": None, "limit": timeout}
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"status": "error", "error": f"exit {done.returncode}: {tail[0]}"}
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["comparison"] = _compare_files(work / PROJECTS_NT, work / RML_NT)
    return figures


def _compare_files(ours: Path, theirs: Path) -> dict:
    import pyoxigraph as ox

    def lines(path: Path) -> set[str]:
        return {str(q.triple) for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)}

    try:
        return compare_triples(lines(ours), lines(theirs))
    except (OSError, SyntaxError) as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def morph_kgc_python(option: str | None) -> str:
    """The Python that runs morph-kgc: ``--morph-kgc-python``, else this one."""
    return option or sys.executable
