"""The tables and verdicts of the SHACL benchmark (``bench/run.py --shacl``), from each engine's step
figures (:mod:`shacl_steps`) and the comparison of their reports. Pure: figures in, text out."""

from __future__ import annotations

from report import fmt_seconds, fmt_speedup, machine_text, speedup_of, step_seconds, sum_steps, table
from shacl_steps import ENGINES

#: The targets: the whole W3C suite faster than pySHACL; the national graph's validation at least 10x faster.
SUITE_TARGET = 1.0
NATIONAL_TARGET = 10.0
LABELS = {"fast": "fast", "auto": "auto", "pyshacl": "pySHACL"}
OUTCOMES = ("pass", "refused", "wrong", "crash")
SEVERITY_LETTERS = (("Violation", "V"), ("Warning", "W"), ("Info", "I"))
AGREEMENT = {"same": "the SAME", "differ": "they DIFFER"}
USED_LABELS = {"suite": "W3C suite (reports per engine)", "national:validate": "national graph", "dcat": "DCAT-AP"}


def national_total(steps: dict) -> dict | None:
    """load + validate of the national graph (a lower bound when one of them hit its limit)."""
    return sum_steps(steps, ["national:load", "national:validate"])


def rows_of(figures: dict) -> list[tuple[str, str]]:
    """(step name, label) of the table's rows, for the workloads of the run."""
    workloads = (figures.get("options") or {}).get("workloads") or []
    tests = next((w["suite"].get("tests") for w in figures["ways"].values() if (w.get("suite") or {}).get("tests")), 0)
    rows = []
    if "suite" in workloads:
        rows.append(("suite", f"W3C SHACL suite ({tests or '?'} tests: parse + validate)"))
    if "national" in workloads:
        rows += [
            ("national:load", "national graph: load (data + vocabularies)"),
            ("national:validate", "national graph: validate (bundled shapes)"),
            ("national", "national graph: load + validate"),
        ]
    if "dcat" in workloads:
        rows.append(("dcat", "DCAT-AP 3.0.1 on catalog.ttl: parse + validate"))
    return rows


def step_of(steps: dict, name: str) -> dict | None:
    return national_total(steps) if name == "national" else steps.get(name)


def verdict(lod: dict | None, plain: dict | None, target: float) -> str:
    """Whether ``lod`` (a lod-unioni engine's step) is ``target`` times faster than ``plain`` (pySHACL's):
    ``met`` or ``MISSED`` with the speed-up (``>`` a lower bound), or ``unknown``. A target of 1 is
    "faster": the speed-up must be above it."""
    ratio, lower = speedup_of(lod, plain)
    if ratio is None:
        lod_s, lod_lower = step_seconds(lod)
        plain_s, plain_lower = step_seconds(plain)
        if lod_lower and lod_s and plain_s is not None and not plain_lower:  # the engine hit its limit, pySHACL did not
            bound = plain_s / lod_s
            return f"MISSED (<{bound:.1f}x)" if bound <= target else f"unknown (<{bound:.1f}x)"
        return "unknown"
    met = ratio > target if target == SUITE_TARGET else ratio >= target
    text = f"{'>' if lower else ''}{ratio:.1f}x"
    return f"{'met' if met else 'unknown' if lower else 'MISSED'} ({text})"


def verdicts(ways: dict) -> list[str]:
    """The targets' verdicts of each lod-unioni engine of the run, against pySHACL."""
    plain = ways.get("pyshacl") or {}
    lod_engines = [e for e in ENGINES if e != "pyshacl" and e in ways]
    out = []
    for step, label, target in (
        ("suite", "W3C suite faster than pySHACL", SUITE_TARGET),
        ("national:validate", f"national validation >= {NATIONAL_TARGET:g}x faster than pySHACL", NATIONAL_TARGET),
    ):
        if not any(step in ways[e] for e in lod_engines):
            continue
        parts = [f"{e} {verdict(ways[e].get(step), plain.get(step), target)}" for e in lod_engines]
        out.append(f"{label}: " + ", ".join(parts))
    return out


def results_text(step: str, e: dict | None) -> str:
    """What an engine found in a step: the suite's outcomes, the triples loaded, the results."""
    if not e:
        return "-"
    if e.get("status") == "timeout":
        return f"did not finish (>{e.get('limit', 0):g} s)"
    if e.get("status") != "ok":
        return e.get("status", "-")
    if step == "suite":
        outcomes = e.get("outcomes") or {}
        return ", ".join(f"{outcomes[k]} {k}" for k in OUTCOMES if outcomes.get(k))
    if step == "national:load":
        return f"{e.get('triples', 0):,} triples"
    counts = e.get("results") or {}
    by = ", ".join(f"{letter} {counts[s]}" for s, letter in SEVERITY_LETTERS if counts.get(s))
    return f"{e.get('total', 0)} results" + (f" ({by})" if by else "")


def agreement_text(step: str, agreement: dict, engines: list[str]) -> str:
    """How the reports of a compared step agree: each lod-unioni engine against pySHACL."""
    if step == "suite":
        return "judged by the suite"
    found = agreement.get(step) or {}
    by_verdict: dict[str, list[str]] = {}
    for pair, result in found.items():
        a, b = pair.split(":")
        if a in engines and b in engines:
            by_verdict.setdefault(result, []).append(f"{LABELS[a]} = {LABELS[b]}")
    return "; ".join(f"{', '.join(pairs)}: {AGREEMENT[v]}" for v, pairs in by_verdict.items())


def _times_table(figures: dict, engines: list[str]) -> str:
    ways, lod_engines = figures["ways"], [e for e in engines if e != "pyshacl"]
    header = ["workload", *(f"{LABELS[e]} s" for e in engines)]
    if "pyshacl" in engines:
        header += [f"{LABELS[e]} speed-up" for e in lod_engines]
    rows = []
    for step, label in rows_of(figures):
        row = [label, *(fmt_seconds(step_of(ways[e], step)) for e in engines)]
        if "pyshacl" in engines:
            plain = step_of(ways["pyshacl"], step)
            row += [fmt_speedup(step_of(ways[e], step), plain) for e in lod_engines]
        rows.append(row)
    return table(header, rows)


def _results_table(figures: dict, engines: list[str]) -> str:
    ways, agreement = figures["ways"], figures.get("agreement") or {}
    header = ["workload", *(LABELS[e] for e in engines), "agreement"]
    rows = []
    for step, label in rows_of(figures):
        if step == "national":
            continue
        cells = [results_text(step, ways[e].get(step)) for e in engines]
        compared = step in ("suite", "national:validate", "dcat")
        rows.append([label, *cells, agreement_text(step, agreement, engines) if compared else ""])
    return table(header, rows)


def _head(figures: dict) -> str:
    m, o, d = figures["machine"], figures.get("options") or {}, figures.get("dataset") or {}
    head = f"lod-unioni SHACL benchmark: conformance suites {o.get('conformance')}"
    if "national" in d:
        head += f"; national graph from {o.get('sources')} ({d['national'].get('triples', 0):,} triples)"
    return head + machine_text(m)


def _notes(figures: dict, engines: list[str]) -> list[str]:
    """The suite's tests each engine did not pass, which engines auto used, peak memory, errors."""
    ways, out = figures["ways"], []
    built = figures.get("dataset") or {}
    if built:
        out.append(
            "built before the engines ran (not timed): "
            + ", ".join(f"{name} graph {b['seconds']:.1f} s" for name, b in built.items() if b.get("seconds"))
        )
    for e in engines:
        not_passed = ((ways[e].get("suite") or {}).get("detail") or {}).get("not_passed") or {}
        if not_passed:
            out.append(f"W3C suite, {LABELS[e]} did not pass: " + "; ".join(f"{k}: {v}" for k, v in not_passed.items()))
    if "auto" in engines:  # auto picks an engine per shape: say which ones made the reports
        e = "auto"
        used = {s: ways[e][s].get("engine_used") for s in ("suite", "national:validate", "dcat") if s in ways[e]}
        if any(used.values()):
            out.append(
                f"what {LABELS[e]} ran (the engines that made each report): "
                + "; ".join(f"{USED_LABELS[s]}: {u}" for s, u in used.items() if u)
            )
    peaks = {e: max((s.get("peak_rss_mb") or 0) for s in ways[e].values()) if ways[e] else 0 for e in engines}
    if any(peaks.values()):
        out.append(
            "peak memory (RSS of each engine's child process): "
            + ", ".join(f"{LABELS[e]} {peaks[e]:.0f} MB" for e in engines if peaks[e])
        )
    for e in engines:
        for name, s in ways[e].items():
            if s.get("status") == "error":
                out.append(f"{LABELS[e]} {name}: ERROR {s.get('error')}")
    return out


def report_shacl(figures: dict) -> str:
    """The tables and verdicts of ``--shacl`` (also stored in the --json file)."""
    engines = [e for e in ENGINES if e in figures["ways"]]
    out = [_head(figures), "", _times_table(figures, engines)]
    out.append(
        "seconds of each engine in its own child process; speed-up: pySHACL s / the engine's s; "
        "'>N': stopped at the time limit, a lower bound."
    )
    out.append("")
    out.append(_results_table(figures, engines))
    out.append(
        "results: V violations, W warnings, I infos; agreement: the reports compared as the W3C suite "
        "compares them (conforms, and the results' focus node, path, value, shape, component, severity)."
    )
    notes = _notes(figures, engines)
    if notes:
        out += ["", *notes]
    targets = verdicts(figures["ways"])
    if targets:
        out += ["", "targets: " + "; ".join(targets)]
    return "\n".join(out)
