"""The tables and verdicts of the synthetic benchmark, and the formatting both benchmarks' reports share.

A step's figures are the dict of its ``end`` event (``harness.run_child``): ``status`` ("ok",
"timeout" with the ``limit`` it hit, "error"), ``seconds``, ``peak_rss_mb`` and what the step
returned (``triples``, ``bytes``, ``rows``, ``results``...). Everything here is pure: figures in,
text out (the national report is :mod:`national_report`).
"""

from __future__ import annotations

from harness import Step
from synthetic_steps import steps_for

QUERY_TARGET_S = 0.5
SPEEDUP_TARGET = 4.0
SEVERITIES = ("Violation", "Warning", "Info")


# --- figures and their formatting -------------------------------------------------------------------


def machine_text(m: dict) -> str:
    """The machine of a run, for the head line of a report: CPUs, load, versions."""
    load = ""
    if m.get("loadavg_start"):
        load = f"; load average {m['loadavg_start'][0]:.1f} at the start" + (
            f", {m['loadavg_end'][0]:.1f} at the end" if m.get("loadavg_end") else ""
        )
    return (
        f"; {m['cpus']} CPUs{load}, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, "
        f"rdflib {m['rdflib']}, pySHACL {m['pyshacl']}"
    )


def step_seconds(e: dict | None) -> tuple[float | None, bool]:
    """(seconds, is a lower bound) of a step's figures; (None, False) when it has none."""
    if not e:
        return None, False
    if e.get("status") == "ok":
        return e["seconds"], False
    if e.get("status") == "timeout" and e.get("limit"):
        return e["limit"], True
    return None, False


def fmt_seconds(e: dict | None) -> str:
    """The seconds of a step for a table: ``>N`` for a lower bound, the status when it has none."""
    if e is None:
        return "-"
    s, lower = step_seconds(e)
    if s is None:
        return e.get("status", "-")
    text = f"{s:.4f}" if s < 0.01 else f"{s:.3f}" if s < 10 else f"{s:.1f}"
    return f">{s:.1f}" if lower else text


def speedup_of(a: dict | None, b: dict | None) -> tuple[float | None, bool]:
    """(plain seconds / lod-unioni seconds, is a lower bound)."""
    sa, lower_a = step_seconds(a)
    sb, lower_b = step_seconds(b)
    if sa is None or sb is None or lower_a:
        return None, False
    return sb / max(sa, 1e-6), lower_b


def fmt_speedup(a: dict | None, b: dict | None) -> str:
    """The speed-up of ``b`` (plain) over ``a`` (lod-unioni) for a table, ``-`` when unknown."""
    ratio, lower = speedup_of(a, b)
    if ratio is None:
        return "-"
    return (">" if lower else "") + (f"{ratio:.1f}x" if ratio < 100 else f"{ratio:.0f}x")


def sum_steps(results: dict, names: list[str]) -> dict | None:
    """The sum of several steps; a lower bound ("timeout" with a limit) when some timed out."""
    es = [results.get(n) for n in names]
    if not es or any(e is None for e in es):
        return None
    pairs = [step_seconds(e) for e in es]
    if any(s is None for s, _ in pairs):
        return {"status": "error", "seconds": None}
    total = sum(s for s, _ in pairs)
    peak = max((e.get("peak_rss_mb") or 0) for e in es) or None
    if any(lower for _, lower in pairs):
        return {"status": "timeout", "seconds": None, "limit": total, "peak_rss_mb": peak}
    return {"status": "ok", "seconds": total, "peak_rss_mb": peak}


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def fmt_mb(e: dict | None) -> str:
    """The peak RSS after a step, in MB, ``-`` when unknown."""
    return f"{e['peak_rss_mb']:.0f}" if e and e.get("peak_rss_mb") else "-"


def fmt_output(e: dict | None) -> str:
    """What a step made: triples, or the size of a dump."""
    e = e or {}
    if e.get("triples"):
        return f"{e['triples']:,} triples"
    if e.get("bytes"):
        return f"{e['bytes'] / 1e6:.1f} MB"
    return ""


# --- the synthetic benchmark's report ---------------------------------------------------------------


def _steps_table(steps: list[Step], lod: dict, plain: dict, queries: list[str]) -> str:
    """One row per step (the queries as one total row after the agreement check)."""
    rows = []
    for s in steps:
        if s.name.startswith("query:"):
            continue
        a, b = lod.get(s.name), plain.get(s.name)
        rows.append(
            [
                s.label,
                fmt_seconds(a),
                fmt_seconds(b),
                fmt_speedup(a, b) if s.compared else "(same code)",
                fmt_output(a),
                fmt_mb(a),
                fmt_mb(b),
            ]
        )
        if s.name == "agreement":
            qa, qb = sum_steps(lod, queries), sum_steps(plain, queries)
            rows.append(
                [
                    f"queries ({len(queries)}, total)",
                    fmt_seconds(qa),
                    fmt_seconds(qb),
                    fmt_speedup(qa, qb),
                    "",
                    fmt_mb(qa),
                    fmt_mb(qb),
                ]
            )
    return table(["step", "lod-unioni s", "plain s", "speed-up", "output", "lod-unioni MB", "plain MB"], rows)


def _queries_table(lod: dict, plain: dict, queries: list[str]) -> tuple[str, tuple[str, float] | None]:
    """One row per query, and the slowest lod-unioni query (name, seconds) or None."""
    qrows, slowest = [], None
    for name in queries:
        a, b = lod.get(name), plain.get(name)
        flag = []
        sa, _ = step_seconds(a)
        if a and a.get("status") == "ok":
            if slowest is None or sa > slowest[1]:
                slowest = (name[6:], sa)
            if sa > QUERY_TARGET_S:
                flag.append(f"SLOW (> {QUERY_TARGET_S:g} s)")
        elif a:
            flag.append(a.get("status", ""))
        ra, rb = (a or {}).get("rows"), (b or {}).get("rows")
        if ra is not None and rb is not None and ra != rb:
            flag.append("ROWS DIFFER")
        qrows.append(
            [
                name[6:],
                fmt_seconds(a),
                fmt_seconds(b),
                fmt_speedup(a, b),
                "-" if ra is None else str(ra),
                "-" if rb is None else str(rb),
                " ".join(flag),
            ]
        )
    return table(["query", "lod-unioni s", "plain s", "speed-up", "rows", "plain rows", ""], qrows), slowest


def _validation_lines(lod: dict, plain: dict) -> list[str]:
    """The validation results by severity in each way, whether they agree, and whether lod-unioni
    found the known defects of the small graph."""
    out = []
    for label, a, b in (
        ("benchmark graph", lod.get("validate"), plain.get("validate")),
        ("small graph with known defects", lod.get("agreement"), plain.get("agreement")),
    ):
        done = [e.get("results", {}) if e and e.get("status") == "ok" else None for e in (a, b)]
        if done[0] is not None and done[1] is not None:
            agree = all(done[0].get(s, 0) == done[1].get(s, 0) for s in SEVERITIES)
            out.append(
                f"validation results by severity, {label}, lod-unioni / plain: "
                + ", ".join(f"{s} {done[0].get(s, 0)} / {done[1].get(s, 0)}" for s in SEVERITIES)
                + f": the reports {'AGREE' if agree else 'DIFFER'}"
            )
        elif done[0] is not None or done[1] is not None:
            way, counts = ("lod-unioni", done[0]) if done[0] is not None else ("plain", done[1])
            out.append(
                f"validation results by severity, {label}, {way} only (the other way did not finish): "
                + ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES)
            )
    expected = ((lod.get("agreement") or {}).get("detail") or {}).get("expected_found")
    if expected is not None:
        out.append(
            "the small graph's known defects: "
            + (
                "all found by lod-unioni, nothing else"
                if expected
                else "lod-unioni's results DIFFER from the known defects"
            )
        )
    return out


def _verdicts(lod: dict, plain: dict, queries: list[str], slowest: tuple[str, float] | None) -> list[str]:
    """The targets: validation and the query set at least 4x faster, every query within 0.5 s."""
    verdicts = []
    for label, a, b in (
        ("validation", lod.get("validate"), plain.get("validate")),
        ("query set", sum_steps(lod, queries), sum_steps(plain, queries)),
    ):
        ratio, lower = speedup_of(a, b)
        if ratio is None:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: unknown")
        elif ratio >= SPEEDUP_TARGET:
            verdicts.append(f"{label} >= {SPEEDUP_TARGET:g}x faster: met ({'>' if lower else ''}{ratio:.1f}x)")
        else:
            verdicts.append(
                f"{label} >= {SPEEDUP_TARGET:g}x faster: {'unknown' if lower else 'MISSED'} "
                f"({'>' if lower else ''}{ratio:.1f}x)"
            )
    if slowest:
        verdicts.append(f"every query <= {QUERY_TARGET_S:g} s: {'met' if slowest[1] <= QUERY_TARGET_S else 'MISSED'}")
    return verdicts


def report(figures: dict) -> str:
    """The tables and verdicts printed at the end of a run (also stored in the --json file)."""
    lod, plain = figures["ways"].get("lod-unioni", {}), figures["ways"].get("plain", {})
    steps = steps_for("lod-unioni")
    queries = [s.name for s in steps if s.name.startswith("query:")]
    d, m = figures["dataset"], figures["machine"]
    out = [
        f"lod-unioni benchmark: synthetic dataset at scale {d.get('scale')} ({d.get('unions')} unions, "
        f"{d.get('comuni')} comuni of which {d.get('comuni_in_two_unions')} in two unions, {d.get('projects')} "
        f"projects); {m['cpus']} CPUs, Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, "
        f"pySHACL {m['pyshacl']}",
        "",
    ]
    out.append(_steps_table(steps, lod, plain, queries))
    out.append("MB: peak RSS of the way's child process after the step (ru_maxrss); '>N': stopped at the time limit.")
    out.append("")
    queries_table, slowest = _queries_table(lod, plain, queries)
    out.append(queries_table)
    if slowest:
        out.append(f"slowest query (lod-unioni): {slowest[0]}, {slowest[1]:.3f} s")
    out.append("")
    out += _validation_lines(lod, plain)
    out.append("")
    out.append("targets: " + "; ".join(_verdicts(lod, plain, queries, slowest)))
    return "\n".join(out)
