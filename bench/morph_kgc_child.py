"""Run morph-kgc on an RML mapping and time it: the mapping reference of ``bench/run.py --national``.

    python bench/morph_kgc_child.py --mapping bench/rml/padigitale.rml.ttl --data DIR --out triples.nt

Standalone (morph-kgc and the standard library only, no lod_unioni): morph-kgc's own pins
(pyoxigraph < 0.4, rdflib < 7.3) clash with the project's, so it may run in a virtual environment
of its own (``bench/requirements-morph-kgc.txt``). The logical sources of the mapping are paths
relative to ``--data``. Timed: ``morph_kgc.materialize_set`` (reading the mapping, then the CSV
files, to a set of N-Triples lines), with morph-kgc's default configuration but for the values
read as absent (``na_values``: empty, ``nan`` and ``None``, as the project's reader). The triples
are written to ``--out`` (not timed); one JSON object with the figures goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time


def config_text(mapping: str, processes: int | None) -> str:
    """The morph-kgc configuration (INI) of the run."""
    lines = ["[CONFIGURATION]", "na_values=,nan,None", "logging_level=WARNING"]
    if processes:
        lines.append(f"number_of_processes={processes}")
    return "\n".join([*lines, "[PAdigitale2026]", f"mappings={mapping}", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mapping", required=True, help="the RML mapping (Turtle)")
    parser.add_argument("--data", required=True, help="the folder the mapping's logical sources are relative to")
    parser.add_argument("--out", required=True, help="where to write the triples (N-Triples)")
    parser.add_argument("--processes", type=int, default=0, help="morph-kgc's number_of_processes (default: its own)")
    args = parser.parse_args(argv)
    mapping = os.path.abspath(args.mapping)
    out = os.path.abspath(args.out)
    os.chdir(args.data)
    start = time.perf_counter()
    import morph_kgc

    imported = time.perf_counter() - start
    logging.getLogger("morph_kgc").setLevel(logging.WARNING)
    before = os.times()
    start = time.perf_counter()
    triples = morph_kgc.materialize_set(config_text(mapping, args.processes))
    seconds = time.perf_counter() - start
    after = os.times()
    with open(out, "w", encoding="utf-8") as f:
        f.writelines(t + " .\n" for t in sorted(triples))
    figures = {
        "status": "ok",
        "seconds": seconds,
        "imports": imported,
        "triples": len(triples),
        "version": getattr(morph_kgc, "__version__", None) or _version(),
        "processes": args.processes or None,
        "cpu": {
            "self": after.user + after.system - before.user - before.system,
            "children": after.children_user + after.children_system - before.children_user - before.children_system,
        },
    }
    print(json.dumps(figures))
    return 0


def _version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    for name in ("morph-kgc", "morph_kgc"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return None


if __name__ == "__main__":
    sys.exit(main())
