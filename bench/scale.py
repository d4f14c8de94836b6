"""`make bench-scale`: the scale curve (issue 11) — the `make bench` harness at several sample sizes, once each.

    .venv/bin/python -m bench.scale [--points x0.25,province,x2,x4,history10] [--board-runs 5] [--resume] …

Points are the sample sizes of bench/prep.py SAMPLE_SIZES: `x0.25`, `province` (1×), `x2`, `x4` (firms × 0.25 … 4
over 60 months) and `history10` (1× firms over 120 months); `dev` and `quick` work too (developing the harness).
Per point, in a fresh home under $SME_HOME/bench/runs-scale/<point>/ (bench.run.one_rep, one repetition):
full rebuild, nightly increment (one more month) and the floor — wall, peak RSS of the process tree, time per
phase —, then board chart p50/p95 on that point's serving copy (Superset started for the point, unless
--no-superset or --skip-boards), the serving copy's size and the rows loaded. The home is deleted after each
point (disk: 4× is several GB); its logs stay. $SME_HOME/bench/scale.json is written after every point, so
--resume keeps the points already measured. At the end: scale.md (table, phases, targets) and scale.png (log–log
wall time against operating rows, with the fitted exponent of each series over the 60-month points).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

from bench import boards as boards_mod
from bench.prep import (
    SAMPLE_SIZES,
    dbt_fingerprint,
    describe_files,
    ensure_cache,
    log,
    prepare_dbt,
)

DEFAULT_POINTS = ("x0.25", "province", "x2", "x4", "history10")
BASE, LARGE, HISTORY = "province", "x4", "history10"  # the 1× point, the 4× point, the 10-year point
PROVINCE_FIRMS = 60000  # sample/generate.py PRESETS["province"]
FIT_MONTHS = 60  # the fit runs over the points with the province's 60 months (history is shown, not fitted)
SERIES = ("full", "increment", "floor")

TARGETS = {
    "full_over_floor": 1.5,
    "full_exponent": 1.1,
    "increment_large_over_base": 2.0,
    "increment_history_over_base": 1.3,
    "increment_base_s": 30.0,
    "peak_rss_gb": 3.0,
    "chart_p95_ms": 500.0,
}


# ------------------------------------------------------------------------------------------ pure functions
def point_months(mode: str) -> int:
    """Months of history of a sample size (the province preset has 60 unless the size says otherwise)."""
    return int((SAMPLE_SIZES.get(mode) or {}).get("months", 60))


def point_firms(mode: str) -> int:
    """Firms of a sample size (the province preset has 60 000 unless the size says otherwise)."""
    return int((SAMPLE_SIZES.get(mode) or {}).get("n_enterprises", PROVINCE_FIRMS))


def fit_exponent(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): the exponent b of y ∝ x^b. None with fewer than two distinct x."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x and y and x > 0 and y > 0]
    if len({p[0] for p in pts}) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pts)
    return sxy / sxx


def _ok(point: dict | None, phase: str) -> dict | None:
    rec = (point or {}).get(phase)
    return rec if rec and rec.get("rc") == 0 else None


def wall(point: dict | None, phase: str) -> float | None:
    rec = _ok(point, phase)
    return rec["wall_s"] if rec else None


def x_rows(point: dict | None) -> int | None:
    """The x axis: operating rows loaded by the full rebuild (firm × month records)."""
    return ((point or {}).get("rows") or {}).get("full", {}).get("operating")


def fits(points: dict[str, dict]) -> dict[str, dict]:
    """Fitted exponent of wall time against operating rows for each series, over the 60-month points."""
    out = {}
    for series in SERIES:
        used = [
            m for m, p in points.items() if point_months(m) == FIT_MONTHS and x_rows(p) and wall(p, series) is not None
        ]
        xs = [x_rows(points[m]) for m in used]
        ys = [wall(points[m], series) for m in used]
        b = fit_exponent(xs, ys)
        out[series] = {"exponent": None if b is None else round(b, 3), "points": used}
    return out


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 3)


PIPELINE = ("full", "increment")  # the runs of the system itself; the floor is DuckDB alone, without limits


def peak_rss(point: dict | None, series: tuple[str, ...] = PIPELINE) -> float | None:
    """Peak RSS of the pipeline's runs (the target is the system's); the floor's with series=("floor",)."""
    vals = [r["peak_rss_gb"] for ph in series if (r := _ok(point, ph)) and r.get("peak_rss_gb") is not None]
    return max(vals) if vals else None


def evaluate_targets(
    points: dict[str, dict], base: str = BASE, large: str = LARGE, history: str = HISTORY
) -> list[dict]:
    """The issue's targets on the measured points; a value that cannot be computed is "not measured" (met None)."""
    targets: list[dict] = []

    def add(key: str, name: str, value, limit: float, detail: str = "") -> None:
        targets.append(
            {
                "key": key,
                "target": name,
                "limit": limit,
                "value": value,
                "met": None if value is None else bool(value <= limit),
                "detail": detail,
            }
        )

    measured = [m for m, p in points.items() if _ok(p, "full")]
    ff = {m: _ratio(wall(points[m], "full"), wall(points[m], "floor")) for m in measured}
    ff_known = {m: v for m, v in ff.items() if v is not None}
    worst_ff = max(ff_known.values(), default=None)
    # "at every point": a point without its floor leaves the target open, not met by default.
    if len(ff_known) < len(ff):
        worst_ff = None if worst_ff is None or worst_ff <= TARGETS["full_over_floor"] else worst_ff
    add(
        "full_over_floor",
        f"full rebuild ≤ {TARGETS['full_over_floor']} × floor at every point (worst point)",
        worst_ff,
        TARGETS["full_over_floor"],
        ", ".join(f"{m} {v}" for m, v in ff.items() if v is not None),
    )
    fit = fits(points)["full"]
    add(
        "full_exponent",
        f"fitted exponent of full-rebuild wall against rows ≤ {TARGETS['full_exponent']}",
        fit["exponent"],
        TARGETS["full_exponent"],
        "over " + ", ".join(fit["points"]) if fit["points"] else "",
    )
    ib = wall(points.get(base), "increment")
    add(
        "increment_large_over_base",
        f"increment at {large} ≤ {TARGETS['increment_large_over_base']} × increment at {base}",
        _ratio(wall(points.get(large), "increment"), ib),
        TARGETS["increment_large_over_base"],
    )
    add(
        "increment_history_over_base",
        f"increment with 10 years ({history}) ≤ {TARGETS['increment_history_over_base']} × increment at {base}",
        _ratio(wall(points.get(history), "increment"), ib),
        TARGETS["increment_history_over_base"],
    )
    add(
        "increment_base_s",
        f"increment at {base} ≤ {TARGETS['increment_base_s']:.0f} s",
        ib,
        TARGETS["increment_base_s"],
    )
    rss = {m: peak_rss(points[m]) for m in measured}
    rss_known = [v for v in rss.values() if v is not None]
    add(
        "peak_rss_gb",
        f"peak RSS of the pipeline ≤ {TARGETS['peak_rss_gb']:.0f} GB at every point (worst of full and increment)",
        max(rss_known) if rss_known else None,
        TARGETS["peak_rss_gb"],
        ", ".join(f"{m} {v:.2f}" for m, v in rss.items() if v is not None),
    )
    add(
        "chart_p95_ms",
        f"every board chart p95 ≤ {TARGETS['chart_p95_ms']:.0f} ms at {large} (worst chart)",
        ((points.get(large) or {}).get("boards") or {}).get("worst_p95_ms"),
        TARGETS["chart_p95_ms"],
    )
    return targets


def points_to_keep(points: dict[str, dict]) -> dict[str, dict]:
    """--resume: the points whose full rebuild, increment and floor all finished; the others are measured again."""
    return {m: p for m, p in points.items() if all(_ok(p, ph) for ph in SERIES)}


def _fmt(v, nd: int = 1, unit: str = "") -> str:
    if v is None:
        return "—"
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v:.{nd}f}{unit}"


def markdown(res: dict) -> str:
    """scale.md: one row per point, the fitted exponents, the phases and the targets."""
    points: dict[str, dict] = res.get("points", {})
    order = [m for m in res.get("order", []) if m in points] + [m for m in points if m not in res.get("order", [])]
    m = res.get("machine", {})
    lines = [
        f"### Scale curve ({str(res.get('date', ''))[:10]}, {m.get('cpu_count')} cores, {m.get('memory_gb')} GB RAM; "
        "one repetition per point)",
        "",
        "| point | firms × months | operating rows | rows loaded (full) | full (s) | increment (s) | floor (s) "
        "| full ÷ floor | peak RSS pipeline / floor (GB) | serving copy (MB) | chart p50 / worst p95 (ms) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode in order:
        p = points[mode]
        rows = p.get("rows") or {}
        total = sum((rows.get("full") or {}).values()) if rows.get("full") else None
        b = p.get("boards") or {}
        board = (
            f"{_fmt(b.get('median_p50_ms'), 0)} / {_fmt(b.get('worst_p95_ms'), 0)}" if b.get("worst_p95_ms") else "—"
        )
        size = p.get("serving_bytes")
        failed = [ph for ph in SERIES if (p.get(ph) or {}).get("rc") not in (0, None)]
        lines.append(
            f"| {mode}{' (failed: ' + ', '.join(failed) + ')' if failed else ''} "
            f"| {_fmt(p.get('firms'))} × {p.get('months', '—')} | {_fmt(x_rows(p))} | {_fmt(total)} "
            f"| {_fmt(wall(p, 'full'))} | {_fmt(wall(p, 'increment'))} | {_fmt(wall(p, 'floor'))} "
            f"| {_fmt(_ratio(wall(p, 'full'), wall(p, 'floor')), 2)} | {_fmt(peak_rss(p), 2)} / {_fmt(peak_rss(p, ('floor',)), 2)} "
            f"| {_fmt(None if size is None else size / 1e6, 0)} | {board} |"
        )
    f = res.get("fits") or fits(points)
    loads = [
        f"{m} {points[m].get('load_avg_at_start')}" for m in order if points[m].get("load_avg_at_start") is not None
    ]
    lines += [
        "",
        "Load average (1 min) when each point started: " + ", ".join(loads) + "." if loads else "",
        "",
        "Fitted exponent of wall time against operating rows (least squares on log–log, 60-month points): "
        + "; ".join(
            f"{s} {_fmt(f[s]['exponent'], 2)}" + (f" ({', '.join(f[s]['points'])})" if f[s]["points"] else "")
            for s in SERIES
            if s in f
        )
        + ".",
    ]
    keys = []
    for mode in order:
        for ph in ("full", "increment"):
            for k in (points[mode].get(ph) or {}).get("phases", {}):
                if k not in keys:
                    keys.append(k)
    if keys:
        lines += [
            "",
            "Seconds per phase (full / increment):",
            "",
            "| phase | " + " | ".join(order) + " |",
            "|---|" + "---|" * len(order),
        ]
        for k in keys:
            cells = []
            for mode in order:
                fp = (points[mode].get("full") or {}).get("phases", {}).get(k)
                ip = (points[mode].get("increment") or {}).get("phases", {}).get(k)
                cells.append(f"{_fmt(fp)} / {_fmt(ip)}")
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
    lines += ["", "| target | value | met |", "|---|---|---|"]
    for t in res.get("targets") or evaluate_targets(points):
        met = "✅ met" if t["met"] else "❌ not met" if t["met"] is False else "not measured"
        v = "—" if t["value"] is None else t["value"]
        lines.append(f"| {t['target']} | {v}{' (' + t['detail'] + ')' if t.get('detail') else ''} | {met} |")
    return "\n".join(lines) + "\n"


def plot(res: dict, path: Path) -> bool:
    """scale.png: log–log wall time against operating rows for full, increment and floor. False when nothing to plot."""
    points: dict[str, dict] = res.get("points", {})
    f = res.get("fits") or fits(points)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 5))
    drawn = False
    for series, colour in zip(SERIES, ("tab:blue", "tab:orange", "tab:green"), strict=True):
        fitted = [(x_rows(p), wall(p, series), m) for m, p in points.items() if m in f[series]["points"]]
        other = [
            (x_rows(p), wall(p, series), m)
            for m, p in points.items()
            if m not in f[series]["points"] and x_rows(p) and wall(p, series) is not None
        ]
        fitted.sort()
        if fitted:
            b = f[series]["exponent"]
            label = f"{series} (exponent {b:.2f})" if b is not None else series
            ax.plot([p[0] for p in fitted], [p[1] for p in fitted], "o-", color=colour, label=label)
            drawn = True
        for x, y, m in other:
            ax.plot([x], [y], "s", color=colour, mfc="none")
            ax.annotate(m, (x, y), textcoords="offset points", xytext=(5, -10), fontsize=8, color=colour)
            drawn = True
        for x, y, m in fitted:
            if series == "full":
                ax.annotate(m, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
    if not drawn:
        plt.close(fig)
        return False
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("operating rows loaded by the full rebuild (firm × month)")
    ax.set_ylabel("wall time (s)")
    ax.set_title("Scale curve: wall time against rows (squares: not in the fit)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


# ------------------------------------------------------------------------------------------ measuring a point
def rows_by_run(bdb: Path) -> list[dict[str, int]]:
    """Rows loaded per source for each pipeline run of a home, in the order the runs loaded (full, increment)."""
    import duckdb

    if not bdb.exists():
        return []
    con = duckdb.connect(str(bdb), read_only=True)
    try:
        rows = con.execute(
            "SELECT run_id, source, sum(rows_loaded)::BIGINT, min(min(load_id)) OVER (PARTITION BY run_id) AS first "
            "FROM raw.load_manifest GROUP BY run_id, source ORDER BY first, source"
        ).fetchall()
    finally:
        con.close()
    runs: dict[str, dict[str, int]] = {}
    for run_id, source, n, _ in rows:
        runs.setdefault(str(run_id), {})[source] = n
    return list(runs.values())


def du(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def measure_point(
    mode: str, bench_root: Path, seed: int, manifest: Path, seed_types: Path, args: argparse.Namespace
) -> dict:
    from bench.run import one_rep, warm_page_cache

    full, inc = ensure_cache(bench_root, mode, seed)
    warm_page_cache([full, inc])
    runs_dir = bench_root / "runs-scale" / mode
    runs_dir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    load = round(os.getloadavg()[0], 2)
    rec = one_rep(1, runs_dir, full, inc, manifest, seed_types, args.timeout, skip_floor=False)
    home = Path(rec["home"])
    size = SAMPLE_SIZES.get(mode) or {}
    point: dict = {
        "mode": mode,
        "months": point_months(mode),
        "firms": point_firms(mode),
        "sample": {"full": describe_files(full), "increment": describe_files(inc), "cache": str(full.parent)},
        "size_overrides": size,
        "load_avg_at_start": load,
        **{k: rec.get(k) for k in ("full", "increment", "floor", "floor_vs_pipeline_marts")},
    }
    per_run = rows_by_run(home / "warehouse" / "build.duckdb")
    point["rows"] = {"full": per_run[0] if per_run else None, "increment": per_run[1] if len(per_run) > 1 else None}
    serving = home / "warehouse" / "serving.duckdb"
    point["serving_bytes"] = serving.resolve().stat().st_size if serving.exists() else None
    if not args.skip_boards and serving.exists():
        log(f"{mode}: board latency ({args.board_runs} runs per chart) …")
        try:
            b = boards_mod.measure(home, runs_dir / "boards", runs=args.board_runs, use_superset=not args.no_superset)
            ok = sorted(c["p50_ms"] for c in b["charts"] if "p50_ms" in c)
            b["median_p50_ms"] = ok[len(ok) // 2] if ok else None
            point["boards"] = b
            log(f"{mode}: {b['charts_measured']} charts via {b['mode']}, worst p95 {b['worst_p95_ms']} ms")
        except Exception as exc:  # noqa: BLE001 - the run's timings are kept even if the boards fail
            point["boards"] = {"error": str(exc)[:500]}
            log(f"{mode}: board timing failed: {exc}")
    used = du(runs_dir)
    disk = shutil.disk_usage(runs_dir)
    point["disk"] = {"run_folder_bytes": used, "free_bytes_after_run": disk.free}
    log(f"{mode}: run folder {used / 1e9:.2f} GB, {disk.free / 1e9:.1f} GB free; deleting the home and the floor's db")
    if not args.keep_homes:
        shutil.rmtree(home, ignore_errors=True)
        for fl in runs_dir.glob("floor*"):
            shutil.rmtree(fl, ignore_errors=True)
    point["seconds"] = round(time.perf_counter() - t0, 1)
    return point


def write_outputs(res: dict, out_dir: Path) -> None:
    res["fits"] = fits(res["points"])
    res["targets"] = evaluate_targets(res["points"])
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = out_dir / "scale.json.tmp"
    tmp.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str))
    tmp.replace(out_dir / "scale.json")
    (out_dir / "scale.md").write_text(markdown(res), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Scale curve: the benchmark at several sample sizes (issue 11)")
    ap.add_argument(
        "--points",
        default=",".join(DEFAULT_POINTS),
        help=f"comma-separated sample sizes, any of {', '.join(SAMPLE_SIZES)} (default {','.join(DEFAULT_POINTS)})",
    )
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--board-runs", type=int, default=5)
    ap.add_argument("--no-superset", action="store_true", help="time the chart SQL on DuckDB without starting Superset")
    ap.add_argument("--skip-boards", action="store_true")
    ap.add_argument("--timeout", type=float, default=4 * 3600, help="seconds before a single run is killed")
    ap.add_argument("--out", type=Path, help="results folder (default $SME_HOME/bench)")
    ap.add_argument(
        "--resume", action="store_true", help="keep the points of scale.json whose full, increment and floor ran"
    )
    ap.add_argument("--keep-homes", action="store_true", help="do not delete each point's run home (disk!)")
    args = ap.parse_args(argv)

    from bench.run import machine, versions
    from warehouse.paths import Paths

    modes = [m.strip() for m in args.points.split(",") if m.strip()]
    unknown = [m for m in modes if m not in SAMPLE_SIZES]
    if unknown:
        ap.error(f"unknown point(s) {unknown}; known: {', '.join(SAMPLE_SIZES)}")
    bench_root = Paths.from_env().home / "bench"
    out_dir = args.out or bench_root
    bench_root.mkdir(parents=True, exist_ok=True)

    res: dict = {"points": {}}
    old = out_dir / "scale.json"
    if args.resume and old.exists():
        res = json.loads(old.read_text())
        res["points"] = points_to_keep(res.get("points", {}))
        kept = list(res["points"])
        log(f"resume: keeping {', '.join(kept) or 'no point'} from {old}")
    res.update(
        {
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "machine": machine(),
            "versions": versions(),
            "seed": args.seed,
            "board_runs": args.board_runs,
            "order": list(dict.fromkeys([*res.get("order", []), *modes])),
        }
    )
    t0 = time.perf_counter()
    prepared = None
    rc = 0
    for mode in modes:
        if mode in res["points"]:
            log(f"{mode}: already measured (--resume)")
            continue
        if prepared is None:  # once, and only when a point is measured
            prepared = prepare_dbt(bench_root)
            res["dbt_fingerprint"] = prepared[2]
        manifest, seed_types, fp = prepared
        log(f"=== point {mode} ===")
        point = measure_point(mode, bench_root, args.seed, manifest, seed_types, args)
        res["points"][mode] = point
        if not (_ok(point, "full") and _ok(point, "increment")):
            rc = 1
        write_outputs(res, out_dir)
        log(
            f"{mode}: full {wall(point, 'full')} s, increment {wall(point, 'increment')} s, floor {wall(point, 'floor')}"
            f" s, peak RSS {peak_rss(point)} GB ({point['seconds']:.0f} s); {out_dir / 'scale.json'} written"
        )
    if prepared and dbt_fingerprint() != prepared[2]:
        log("warning: dbt_project changed while the curve ran; figures may mix model versions")
    res["bench_seconds"] = round(time.perf_counter() - t0, 1)
    write_outputs(res, out_dir)
    if plot(res, out_dir / "scale.png"):
        log(f"plot: {out_dir / 'scale.png'}")
    print()
    print(markdown(res))
    log(f"results: {out_dir / 'scale.json'}, scale.md ({res['bench_seconds']:.0f} s in all)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
