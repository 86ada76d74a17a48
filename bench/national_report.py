"""The table and verdicts of the national benchmark (``bench/run.py --national``), from the two
ways' step figures (:mod:`national_steps`). Pure: figures in, text out."""

from __future__ import annotations

from national_refs import FLOOR_ROWS
from national_steps import NATIONAL_SERIALIZATIONS
from report import (
    SEVERITIES,
    SPEEDUP_TARGET,
    fmt_mb,
    fmt_output,
    fmt_seconds,
    fmt_speedup,
    machine_text,
    speedup_of,
    step_seconds,
    sum_steps,
    table,
)

#: The pipeline's timings (keys of national_pipeline's dict) in the order of the table: (key, label,
#: the plain way's step that does the same work, or None). read, reconcile and match are shared.
NATIONAL_ROWS = (
    ("read", "read (registries, bundled records)", "shared"),
    ("reconcile", "reconcile (bundled records)", "shared"),
    ("match", "match (register -> records)", "shared"),
    ("map", "map (records -> triples / Graph)", "map"),
    ("validate", "validate (SHACL)", "validate"),
    ("check records", "check records (record schema, forked)", None),
    ("turtle", "serialize Turtle", "serialize:turtle"),
    ("jsonld", "serialize JSON-LD", "serialize:json-ld"),
    ("ntriples", "serialize N-Triples", "serialize:nt"),
    ("catalog", "catalog (DCAT-AP_IT)", None),
    ("write", "write files", None),
)
SHARED_KEYS = ("read", "reconcile", "match")
NATIONAL_TARGET_S = 10.0

_LOD_FILES = {"turtle": "unioni.ttl", "jsonld": "unioni.jsonld", "ntriples": "unioni.nt"}


def _ok(seconds: float) -> dict:
    return {"status": "ok", "seconds": seconds}


def national_summary(lod: dict, plain: dict) -> dict:
    """The national figures row by row (pure: from the two ways' step figures).

    Returns ``rows``: a list of (label, lod-unioni figures, plain figures or the string "shared",
    lod-unioni output, plain output); ``lod_total`` and ``plain_total`` (figures: status "ok" with
    seconds, or "timeout" with a lower bound in ``limit``); ``shared`` (seconds of read + reconcile +
    match, counted in both totals); ``speedup`` ((plain / lod-unioni, is a lower bound) or (None, False));
    ``triples`` (lod-unioni, plain)."""
    pipe = lod.get("pipeline")
    timings = (pipe or {}).get("timings") or {}
    if not timings:  # the lod-unioni way did not run (or failed): the plain child made the records
        timings = dict((plain.get("records") or {}).get("timings") or {})
    files = (pipe or {}).get("files") or {}
    rows = []
    shared = {k: _ok(timings[k]) for k in SHARED_KEYS if k in timings}
    known = 0.0
    for key, label, plain_step in NATIONAL_ROWS:
        a = _ok(timings[key]) if key in timings and pipe else None
        if key in timings:
            known += timings[key]
        if plain_step == "shared":
            b = "shared" if key in shared else None
            a = shared.get(key)
        else:
            b = plain.get(plain_step) if plain_step else None
        out_a = out_b = ""
        if key == "map":
            out_a = f"{pipe['triples']:,} triples" if pipe and pipe.get("triples") else ""
            out_b = fmt_output(b)
        elif key in _LOD_FILES:
            out_a = f"{files[_LOD_FILES[key]] / 1e6:.1f} MB" if _LOD_FILES[key] in files else ""
            out_b = fmt_output(b)
        elif key == "write" and files:
            out_a = f"{len(files)} files, {sum(files.values()) / 1e6:.1f} MB"
        rows.append((label, a, b, out_a, out_b))
        if key == "map":
            mm_a = sum_steps({"match": shared.get("match"), "map": a}, ["match", "map"]) if a else None
            mm_b = (
                sum_steps({"match": shared.get("match"), "map": b}, ["match", "map"]) if isinstance(b, dict) else None
            )
            rows.append(("  match + map (records to triples)", mm_a, mm_b, "", ""))
    if pipe and "total" in timings and timings["total"] - known > 0.0005:
        rows.append(("other (not in a step above)", _ok(timings["total"] - known), None, "", ""))

    if pipe and pipe.get("status") == "ok":
        lod_total = {
            "status": "ok",
            "seconds": timings.get("total", pipe.get("seconds")),
            "peak_rss_mb": pipe.get("peak_rss_mb"),
        }
    else:
        lod_total = pipe
    plain_names = ["map", "validate"] + [f"serialize:{fmt}" for fmt, _ in NATIONAL_SERIALIZATIONS]
    plain_total = None
    if plain and len(shared) == len(SHARED_KEYS):
        plain_total = sum_steps({**shared, **plain}, list(SHARED_KEYS) + plain_names)
        if plain_total:
            plain_total["peak_rss_mb"] = max((e.get("peak_rss_mb") or 0) for e in plain.values()) or None
    triples_plain = (plain.get("map") or {}).get("triples")
    return {
        "rows": rows,
        "lod_total": lod_total,
        "plain_total": plain_total,
        "shared": sum(e["seconds"] for e in shared.values()),
        "speedup": speedup_of(lod_total, plain_total),
        "triples": ((pipe or {}).get("triples"), triples_plain),
    }


def national_verdicts(lod_total: dict | None, speedup: tuple[float | None, bool]) -> list[str]:
    """The targets of the national build: the lod-unioni pipeline under 10 s, at least 4x faster than the plain way."""
    out = []
    s, lower = step_seconds(lod_total)
    if s is None:
        out.append(f"national pipeline < {NATIONAL_TARGET_S:g} s: unknown")
    else:
        met = not lower and s < NATIONAL_TARGET_S
        out.append(
            f"national pipeline < {NATIONAL_TARGET_S:g} s: {'met' if met else 'MISSED'} "
            f"({'>' if lower else ''}{s:.2f} s)"
        )
    ratio, lower = speedup
    if ratio is None:
        out.append(f">= {SPEEDUP_TARGET:g}x faster than plain: unknown")
    else:
        verdict = "met" if ratio >= SPEEDUP_TARGET else ("unknown" if lower else "MISSED")
        out.append(f">= {SPEEDUP_TARGET:g}x faster than plain: {verdict} ({'>' if lower else ''}{ratio:.1f}x)")
    return out


def _national_head(figures: dict) -> str:
    """The first line: the sources, the dataset's figures, the machine."""
    d, m = figures.get("dataset") or {}, figures["machine"]
    head = f"lod-unioni benchmark: national build from {figures['options'].get('sources')}"
    if d:
        head += (
            f" ({d.get('unions')} register unions, {d.get('records')} records, {d.get('comuni')} comuni; "
            f"unions with an IPA code {d.get('union_match_rate', 0):.1%}, member rows resolved "
            f"{d.get('member_resolution_rate', 0):.1%})"
        )
    return head + machine_text(m)


def _national_table(summary: dict, lod: dict, plain: dict) -> str:
    """One row per step of the pipeline, the totals, and the Python imports (not in the totals)."""
    rows = []
    for label, a, b, out_a, out_b in summary["rows"]:
        if b == "shared":
            rows.append([label, fmt_seconds(a), "(shared)", "(same code)", out_a, out_b, ""])
        else:
            rows.append(
                [
                    label,
                    fmt_seconds(a),
                    fmt_seconds(b) if b is not None else "-",
                    fmt_speedup(a, b) if b is not None else "-",
                    out_a,
                    out_b,
                    fmt_mb(b),
                ]
            )
    la, pb = summary["lod_total"], summary["plain_total"]
    rows.append(["TOTAL (whole pipeline)", fmt_seconds(la), fmt_seconds(pb), fmt_speedup(la, pb), "", "", fmt_mb(pb)])
    imp_a, imp_b = lod.get("imports"), plain.get("imports")
    rows.append(
        [
            "Python imports (not in the totals)",
            fmt_seconds(imp_a),
            fmt_seconds(imp_b),
            "(not compared)",
            "",
            "",
            fmt_mb(imp_b),
        ]
    )
    return table(["step", "lod-unioni s", "plain s", "speed-up", "lod-unioni output", "plain output", "plain MB"], rows)


def _national_notes(summary: dict, pipe: dict, plain: dict) -> list[str]:
    """The notes under the table: peak memory, the shared steps, the CPU time, the errors."""
    notes = []
    if pipe.get("peak_rss_mb"):
        notes.append(
            f"peak memory (RSS of the way's child process): lod-unioni {pipe['peak_rss_mb']:.0f} MB"
            + (
                f", plain {summary['plain_total']['peak_rss_mb']:.0f} MB"
                if summary["plain_total"] and summary["plain_total"].get("peak_rss_mb")
                else ""
            )
            + (
                " (the plain child gets the records handed over: it holds no registries)"
                if (plain.get("records") or {}).get("handed_over")
                else ""
            )
        )
    notes.append(
        f"(shared): read, reconcile and match are the same code in both ways: run once, "
        f"{summary['shared']:.3f} s counted in both totals."
    )
    notes.append(
        "'-' in the plain column: a step the plain way does not have (its serializations write their "
        "files); '>N': stopped at the time limit, a lower bound."
    )
    if pipe.get("cpu"):
        notes.append(
            f"lod-unioni pipeline CPU time: {pipe['cpu']['self']:.2f} s in the process"
            + (f" + {pipe['cpu']['children']:.2f} s in the forked record check" if pipe["cpu"].get("children") else "")
            + f" (wall {fmt_seconds(summary['lod_total'])} s)"
        )
    for way, e in (("lod-unioni", pipe), *((f"plain {k}", v) for k, v in plain.items())):
        if e and e.get("status") == "error":
            notes.append(f"{way}: ERROR {e.get('error')}")
    return notes


def _national_results(summary: dict, pipe: dict, plain: dict) -> list[str]:
    """Whether both ways made the same triples, and the validation results of each way."""
    out = []
    ta, tb = summary["triples"]
    if ta and tb:
        out.append(f"triples: lod-unioni {ta:,}, plain {tb:,}: " + ("the SAME" if ta == tb else "they DIFFER"))
    v = pipe.get("violations")
    vb = plain.get("validate") or {}
    line = ""
    if v:
        line = (
            f"validation, lod-unioni: {v['accepted']} violation(s) where the sources disagree (accepted), "
            f"{v['refused']} other(s)"
        )
    if vb.get("status") == "ok":
        line += (
            ("; " if line else "validation, ")
            + "plain (pySHACL): "
            + ", ".join(f"{s} {vb.get('results', {}).get(s, 0)}" for s in SEVERITIES)
        )
    elif vb:
        line += ("; " if line else "validation, ") + "plain (pySHACL): did not finish"
    if line:
        out.append(line)
    return out


def report_national(figures: dict) -> str:
    """The table and verdicts of ``--national`` (also stored in the --json file)."""
    lod, plain = figures["ways"].get("lod-unioni", {}), figures["ways"].get("plain", {})
    summary = national_summary(lod, plain)
    pipe = lod.get("pipeline") or {}
    out = [_national_head(figures), "", _national_table(summary, lod, plain)]
    out += _national_notes(summary, pipe, plain)
    out.append("")
    out += _national_results(summary, pipe, plain)
    out.append("")
    out.append("targets: " + "; ".join(national_verdicts(summary["lod_total"], summary["speedup"])))
    if figures.get("references"):
        out += ["", *references_text(lod, figures["references"])]
    return "\n".join(out)


# --- the references: morph-kgc for the mapping, the pyoxigraph floor for the whole pipeline -------------

MAPPING_TARGET = 5.0  # the mapping at least 5x faster than morph-kgc running the RML mapping
FLOOR_TARGET = 3.0  # the whole pipeline within 3x the pyoxigraph floor


def references_summary(lod: dict, refs: dict) -> dict:
    """The figures of the references beside ours (pure).

    Returns ``morph`` (morph-kgc's figures or None), ``join`` (the pipeline's projects join: reading
    the PA digitale 2026 files, one project per CUP, attached to the records), ``map_projects`` (our
    mapping engine on the project resources alone), ``ours`` (join + map projects: CSV rows to
    triples, what morph-kgc does), ``mapping_ratio`` (morph-kgc / ours), ``map_ratio`` (morph-kgc /
    the pipeline's whole map step), ``floor`` (step -> figures and ``total``), ``floor_ratio`` (the
    pipeline's total / the floor's); a ratio is None when a side is missing."""
    timings = (lod.get("pipeline") or {}).get("timings") or {}
    join = _ok(timings["match: join projects"]) if "match: join projects" in timings else None
    mapped = lod.get("map-projects")
    ours = sum_steps({"join": join, "map": mapped}, ["join", "map"]) if join and mapped else None
    morph = refs.get("morph-kgc")
    floor_steps = refs.get("floor") or {}
    floor = {k: floor_steps.get(k) for k, _ in FLOOR_ROWS}
    floor_total = sum_steps(floor_steps, [k for k, _ in FLOOR_ROWS]) if floor_steps else None
    lod_total = _ok(timings["total"]) if "total" in timings else None
    whole_map = _ok(timings["map"]) if "map" in timings else None
    return {
        "morph": morph,
        "join": join,
        "map_projects": mapped,
        "ours": ours,
        "mapping_ratio": _ratio(morph, ours),
        "map_ratio": _ratio(morph, whole_map),
        "floor": floor,
        "floor_total": floor_total,
        "floor_ratio": _ratio(lod_total, floor_total),
    }


def _ratio(a: dict | None, b: dict | None) -> float | None:
    """a's seconds / b's, when both finished."""
    sa, lower_a = step_seconds(a)
    sb, lower_b = step_seconds(b)
    if sa is None or sb is None or lower_a or lower_b:
        return None
    return sa / max(sb, 1e-6)


def reference_verdicts(summary: dict) -> list[str]:
    """The targets of the references: mapping >= 5x faster than morph-kgc, the pipeline <= 3x the floor."""
    out = []
    r, morph = summary["mapping_ratio"], summary["morph"]
    if r is not None:
        verdict = "met" if r >= MAPPING_TARGET else "MISSED"
        out.append(f"mapping >= {MAPPING_TARGET:g}x faster than morph-kgc: {verdict} ({r:.1f}x)")
    elif morph and morph.get("status") == "timeout":
        out.append(f"mapping >= {MAPPING_TARGET:g}x faster than morph-kgc: unknown (morph-kgc >{morph['limit']:g} s)")
    else:
        out.append(f"mapping >= {MAPPING_TARGET:g}x faster than morph-kgc: unknown")
    f = summary["floor_ratio"]
    if f is None:
        out.append(f"national pipeline <= {FLOOR_TARGET:g}x the pyoxigraph floor: unknown")
    else:
        verdict = "met" if f <= FLOOR_TARGET else "MISSED"
        out.append(f"national pipeline <= {FLOOR_TARGET:g}x the pyoxigraph floor: {verdict} ({f:.1f}x)")
    return out


def _references_rows(s: dict) -> list[list[str]]:
    morph = s["morph"] or {}
    name = f"morph-kgc {morph.get('version') or ''}".rstrip()
    mp = s["map_projects"] or {}
    rows = [
        [f"{name}: RML mapping of the CSV rows", fmt_seconds(s["morph"]), _triples(morph.get("triples")), ""],
        ["lod-unioni: projects join (read, group by CUP)", fmt_seconds(s["join"]), "", ""],
        ["lod-unioni: map projects (mapping engine)", fmt_seconds(s["map_projects"]), _triples(mp.get("triples")), ""],
        ["lod-unioni: join + map projects", fmt_seconds(s["ours"]), "", _times(s["mapping_ratio"], "morph-kgc /")],
    ]
    for key, label in FLOOR_ROWS:
        e = s["floor"].get(key)
        out = _triples((e or {}).get("triples")) if key == "load" else fmt_output(e)
        rows.append([f"pyoxigraph floor: {label}", fmt_seconds(e), out, ""])
    rows.append(["pyoxigraph floor: total", fmt_seconds(s["floor_total"]), "", _times(s["floor_ratio"], "pipeline /")])
    return rows


def _triples(n: int | None) -> str:
    return f"{n:,} triples" if n else ""


def _times(r: float | None, what: str) -> str:
    return f"{what} this: {r:.1f}x" if r is not None else ""


def _references_notes(s: dict) -> list[str]:
    notes = []
    morph, mp = s["morph"] or {}, s["map_projects"] or {}
    if mp.get("rows"):
        kept = sum(k for k, _ in mp["rows"].values())
        read = sum(n for _, n in mp["rows"].values())
        notes.append(
            f"the rows morph-kgc maps: {kept:,} of the {read:,} rows of the PA digitale 2026 files (those of the "
            "projects and calls the build maps, copied before the run: RML cannot join rows to our bodies)"
        )
    if morph.get("cpu"):
        cpu = morph["cpu"]
        notes.append(
            f"morph-kgc CPU time: {cpu['self']:.2f} s + {cpu['children']:.2f} s in its worker processes; "
            f"its whole map step over the pipeline's: {s['map_ratio']:.1f}x"
            if s["map_ratio"] is not None
            else f"morph-kgc CPU time: {cpu['self']:.2f} s + {cpu['children']:.2f} s in its worker processes"
        )
    c = morph.get("comparison") or {}
    if "same" in c:
        notes.append(
            f"triples: {c['same']:,} the same, {c['only_lod_unioni']:,} only lod-unioni's, {c['only_rml']:,} only "
            "morph-kgc's (by predicate, ours: "
            + ", ".join(f"{p} {n:,}" for p, n in c["top_only_lod_unioni"])
            + "; morph-kgc's: "
            + ", ".join(f"{p} {n:,}" for p, n in c["top_only_rml"])
            + ")"
        )
    for label, e in (("morph-kgc", s["morph"]), *((f"floor {k}", v) for k, v in s["floor"].items())):
        if e and e.get("status") == "error":
            notes.append(f"{label}: ERROR {e.get('error')}")
    return notes


def references_text(lod: dict, refs: dict) -> list[str]:
    """The references' table, notes and verdicts, for the end of the report."""
    s = references_summary(lod, refs)
    out = [table(["reference (same run)", "s", "output", "ratio"], _references_rows(s))]
    out += _references_notes(s)
    out.append("")
    out.append("targets: " + "; ".join(reference_verdicts(s)))
    return out
