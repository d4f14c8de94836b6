"""`make bench`: the province-scale benchmark against the bare-DuckDB floor (issue 5).

    .venv/bin/python -m bench.run [--reps 3] [--quick] [--seed 2021] [--board-runs 10] [--no-superset] …

Per repetition, in a fresh SME_HOME under $SME_HOME/bench/runs/ (default var/bench/runs/):
  a. full rebuild: the cached province sample hard-linked into the inbox, `sme-monitor run`, wall and peak RSS
     of the whole process tree (psutil, sampled every 0.2 s, RSS summed over the tree);
  b. nightly increment: the cached increment added to the inbox, `sme-monitor run` again, same measures;
  c. the floor: `python -m bench.floor` on the same files (DuckDB alone: read, cast, the compiled dbt SQL);
then once, on the last repetition's serving copy:
  d. board latency: every chart query of every board, p50/p95 over --board-runs runs (Superset REST API when it
     starts, else the same SQL on DuckDB);
  e. ratios full ÷ floor (per repetition, same run) and increment ÷ full.
Writes $SME_HOME/bench/results.json and results.md, and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from bench import boards as boards_mod
from bench import report as report_mod
from bench.measure import ROOT, VENV_BIN, bench_env, run_measured, tail
from bench.prep import (
    cache_info,
    data_files,
    dbt_fingerprint,
    describe_files,
    ensure_cache,
    ensure_pipeline_manifest,
    link_inbox,
    log,
    prepare_dbt,
)

TARGETS = {
    "full_over_floor": 2.0,
    "increment_over_full": 0.25,
    "increment_wall_s": 60.0,
    "peak_rss_gb": 3.0,
    "chart_p95_ms": 500.0,
}


def stats(values: list[float], nd: int = 2) -> dict:
    if not values:
        return {"median": None, "min": None, "max": None, "values": []}
    return {
        "median": round(statistics.median(values), nd),
        "min": round(min(values), nd),
        "max": round(max(values), nd),
        "values": [round(v, nd) for v in values],
    }


# ------------------------------------------------------------------------------------------ environment
def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in (
        "duckdb",
        "dagster",
        "dagster-dbt",
        "dbt-core",
        "dbt-duckdb",
        "great-expectations",
        "python-calamine",
        "pandas",
        "pyarrow",
        "numpy",
        "psutil",
    ):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    sv = ROOT / ".venv-superset"
    if (sv / "bin" / "python").exists():
        code = (
            "import json; from importlib import metadata as m; print(json.dumps({p: m.version(p) for p in "
            "('apache-superset', 'duckdb', 'duckdb-engine')}))"
        )
        proc = subprocess.run([str(sv / "bin" / "python"), "-c", code], capture_output=True, text=True)
        if proc.returncode == 0:
            out["superset_env"] = json.loads(proc.stdout)
    return out


def machine() -> dict:
    import psutil

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    )
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "git": git + ("+dirty" if dirty else ""),
    }


# ------------------------------------------------------------------------------------------ per run artefacts
def dagster_steps(home: Path) -> dict:
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "bench.steps"], env=bench_env(home), cwd=ROOT, capture_output=True, text=True
    )
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": proc.stderr[-500:]}


def dbt_results(run_id: str | None, dest: Path) -> dict:
    """Copy the dbt run_results.json of this Dagster run (dagster-dbt writes target/dbt_models-<run id>-…)."""
    if not run_id:
        return {}
    hits = sorted((ROOT / "dbt_project" / "target").glob(f"dbt_models-{run_id[:7]}-*/run_results.json"))
    if not hits:
        return {}
    shutil.copy(hits[-1], dest)
    data = json.loads(hits[-1].read_text())
    by_kind: dict[str, list] = {}
    for r in data["results"]:
        k = r["unique_id"].split(".")[0]
        by_kind.setdefault(k, [0, 0.0])
        by_kind[k][0] += 1
        by_kind[k][1] += r["execution_time"]
    top = sorted(data["results"], key=lambda r: -r["execution_time"])[:12]
    return {
        "elapsed_s": round(data.get("elapsed_time", 0), 2),
        "by_kind": {k: {"nodes": n, "sum_s": round(s, 2)} for k, (n, s) in by_kind.items()},
        "slowest": [
            {
                "node": r["unique_id"].split(".", 2)[-1],
                "kind": r["unique_id"].split(".")[0],
                "s": round(r["execution_time"], 2),
            }
            for r in top
        ],
    }


def step_summary(steps: dict, wall: float) -> dict:
    """Seconds per phase: startup (imports, definitions) → ingest → GX → dbt → publish → wrap-up."""
    out: dict[str, float] = {}
    for s in steps.get("steps", []):
        if s.get("seconds") is None:
            continue
        k = s["step"]
        phase = (
            "gx_checks"
            if "_gx_" in k
            else "ingest:" + k.split("__", 1)[1]
            if k.startswith("raw__")
            else "dbt_build"
            if k == "dbt_models"
            else "publish"
            if k == "serving"
            else k
        )
        out[phase] = round(out.get(phase, 0) + s["seconds"], 2)
    if steps.get("run_start") and steps.get("run_end"):
        out["outside_steps"] = round(wall - sum(out.values()), 2)  # process start, imports, manifest, summary
    return out


def floor_json(log_path: str) -> dict:
    for line in reversed(Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                break
    return {}


def mart_counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        tabs = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
            ).fetchall()
        ]
        return {t: con.execute(f'SELECT count(*) FROM marts."{t}"').fetchall()[0][0] for t in tabs}
    finally:
        con.close()


def loaded_rows(bdb: Path) -> dict[str, int] | None:
    """Rows loaded per source over every run of a home (raw.load_manifest), None without a warehouse."""
    if not bdb.exists():
        return None
    import duckdb

    con = duckdb.connect(str(bdb), read_only=True)
    try:
        return dict(
            con.execute(
                "SELECT source, sum(rows_loaded)::BIGINT FROM raw.load_manifest GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
    finally:
        con.close()


def warm_page_cache(folders: list[Path]) -> None:
    """Read every input file once so that neither the pipeline nor the floor pays the first disk read."""
    for folder in folders:
        for p in data_files(folder):
            with open(p, "rb") as fh:
                while fh.read(1 << 24):
                    pass


# ------------------------------------------------------------------------------------------ the benchmark
def one_rep(
    rep: int, runs_dir: Path, full: Path, inc: Path, manifest: Path, seed_types: Path, timeout: float, skip_floor: bool
) -> dict:
    home = runs_dir / f"rep{rep}"
    shutil.rmtree(home, ignore_errors=True)
    (home / "warehouse").mkdir(parents=True)
    logs = runs_dir / f"rep{rep}-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    out: dict = {"rep": rep, "home": str(home)}
    ensure_pipeline_manifest(home)  # a stale dbt manifest is re-parsed here, not inside a timed run
    cmd = [str(VENV_BIN / "sme-monitor"), "run"]

    for phase, src in (("full", full), ("increment", inc)):
        n = link_inbox(src, home)
        log(f"rep {rep}: {phase} — {n} files, `sme-monitor run` …")
        m = run_measured(phase, cmd, bench_env(home), logs / f"{phase}.log", timeout=timeout)
        steps = dagster_steps(home)
        rec = m.to_json()
        rec["files"] = n
        rec["published"] = m.rc == 0
        rec["phases"] = step_summary(steps, m.wall_s)
        rec["dbt"] = dbt_results(steps.get("run_id"), logs / f"{phase}.run_results.json")
        (logs / f"{phase}.rss.json").write_text(json.dumps(m.timeline))
        out[phase] = rec
        log(
            f"rep {rep}: {phase} {m.wall_s:.1f} s, peak RSS {m.peak_rss_gb:.2f} GB, exit {m.rc}"
            + ("" if m.rc == 0 else f"\n{tail(m.log, 30)}")
        )
        if m.rc != 0:
            break
        if phase == "full":
            first = sorted((home / "warehouse" / "published").glob("serving-*.duckdb"))
            out["full_serving_copy"] = str(first[0]) if first else None

    if not skip_floor:
        fdb = runs_dir / f"floor{rep}" / "build.duckdb"
        shutil.rmtree(fdb.parent, ignore_errors=True)
        fcmd = [
            str(VENV_BIN / "python"),
            "-m",
            "bench.floor",
            "--db",
            str(fdb),
            "--manifest",
            str(manifest),
            "--seed-types",
            str(seed_types),
            str(full),
        ]
        log(f"rep {rep}: floor …")
        m = run_measured("floor", fcmd, bench_env(home), logs / "floor.log", timeout=timeout)
        rec = m.to_json()
        rec["detail"] = floor_json(m.log)
        (logs / "floor.rss.json").write_text(json.dumps(m.timeline))
        out["floor"] = rec
        log(
            f"rep {rep}: floor {m.wall_s:.1f} s, peak RSS {m.peak_rss_gb:.2f} GB, exit {m.rc}"
            + ("" if m.rc == 0 else f"\n{tail(m.log, 30)}")
        )
        # Same answers? Mart row counts of the floor against the serving copy the full rebuild published.
        if m.rc == 0 and out.get("full_serving_copy"):
            try:
                # the floor keeps the marts where dbt does: in build_marts.duckdb beside build.duckdb
                a, b = mart_counts(fdb.with_name("build_marts.duckdb")), mart_counts(Path(out["full_serving_copy"]))
                out["floor_vs_pipeline_marts"] = {
                    t: {"floor": a.get(t), "pipeline": b.get(t)}
                    for t in sorted(set(a) | set(b))
                    if a.get(t) != b.get(t)
                }
            except Exception as exc:  # noqa: BLE001 - a comparison problem must not lose the timings
                out["floor_vs_pipeline_marts"] = {"error": str(exc)}
    return out


def summarise(reps: list[dict], board: dict | None) -> dict:
    ok = [r for r in reps if r.get("full", {}).get("rc") == 0]

    def col(phase: str, key: str) -> list[float]:
        return [r[phase][key] for r in ok if phase in r and r[phase].get("rc") == 0]

    figs = {}
    for phase in ("full", "increment", "floor"):
        figs[phase] = {"wall_s": stats(col(phase, "wall_s"), 1), "peak_rss_gb": stats(col(phase, "peak_rss_gb"), 2)}
    r_ff = [r["full"]["wall_s"] / r["floor"]["wall_s"] for r in ok if r.get("floor", {}).get("rc") == 0]
    r_if = [r["increment"]["wall_s"] / r["full"]["wall_s"] for r in ok if r.get("increment", {}).get("rc") == 0]
    ratios = {"full_over_floor": stats(r_ff, 2), "increment_over_full": stats(r_if, 3)}
    peak = max(col("full", "peak_rss_gb") + col("increment", "peak_rss_gb"), default=None)
    targets = [
        {
            "target": "full rebuild ≤ 2.0 × floor (same run, median of reps)",
            "limit": TARGETS["full_over_floor"],
            "value": ratios["full_over_floor"]["median"],
        },
        {
            "target": "increment ≤ 25 % of full rebuild",
            "limit": TARGETS["increment_over_full"],
            "value": ratios["increment_over_full"]["median"],
        },
        {
            "target": "increment ≤ 60 s wall",
            "limit": TARGETS["increment_wall_s"],
            "value": figs["increment"]["wall_s"]["median"],
        },
        {
            "target": "peak RSS of the pipeline ≤ 3 GB (max over all runs)",
            "limit": TARGETS["peak_rss_gb"],
            "value": peak,
        },
        {
            "target": "every board chart p95 ≤ 500 ms (worst chart)",
            "limit": TARGETS["chart_p95_ms"],
            "value": board.get("worst_p95_ms") if board else None,
        },
    ]
    for t in targets:
        t["met"] = None if t["value"] is None else bool(t["value"] <= t["limit"])
    # Phases of the pipeline (median seconds per phase over the reps).
    phases = {}
    for phase in ("full", "increment"):
        keys = sorted({k for r in ok if phase in r for k in r[phase].get("phases", {})})
        phases[phase] = {
            k: round(statistics.median([r[phase]["phases"][k] for r in ok if k in r[phase].get("phases", {})]), 1)
            for k in keys
        }
    return {"figures": figs, "ratios": ratios, "targets": targets, "phases": phases}


def markdown(res: dict) -> str:
    f, r, m = res["figures"], res["ratios"], res["machine"]
    ds = res["dataset"]

    def cell(s: dict, unit: str = "") -> str:
        if s["median"] is None:
            return "—"
        return f"{s['median']}{unit} ({s['min']}–{s['max']})"

    rows_total = sum((ds.get("rows_loaded") or {}).values()) if ds.get("rows_loaded") else None
    lines = [
        f"### Benchmark ({res['date'][:10]}, {m['cpu_count']} cores {m['cpu_model']}, {m['memory_gb']} GB RAM; "
        f"{res['reps']} repetitions, median (min–max))",
        "",
        f"Data: `{ds['mode']}` sample, seed {ds['seed']}: {ds['full_files']} files ({ds['full_mb']} MB) for the full rebuild"
        + (f", {rows_total:,} rows loaded" if rows_total else "")
        + f"; increment {ds['increment_files']} files ({ds['increment_mb']} MB).",
        "",
        "| measure | wall (s) | peak RSS (GB) |",
        "|---|---|---|",
        f"| full rebuild (`sme-monitor run`, empty warehouse → published) | {cell(f['full']['wall_s'])} | {cell(f['full']['peak_rss_gb'])} |",
        f"| nightly increment (one more month, ledger, day of financing) | {cell(f['increment']['wall_s'])} | {cell(f['increment']['peak_rss_gb'])} |",
        f"| floor (DuckDB alone: read, cast, compiled dbt SQL) | {cell(f['floor']['wall_s'])} | {cell(f['floor']['peak_rss_gb'])} |",
        f"| ratio full ÷ floor | {cell(r['full_over_floor'], '×')} | |",
        f"| ratio increment ÷ full | {cell(r['increment_over_full'])} | |",
    ]
    b = res.get("boards")
    if b:
        ok = [c for c in b["charts"] if "p95_ms" in c]
        if ok:
            p50s = sorted(c["p50_ms"] for c in ok)
            lines.append(
                f"| board charts ({len(ok)} chart queries, {b['mode']}, {res['board_runs']} runs each): "
                f"median chart p50 / worst chart p95 (ms) | {statistics.median(p50s):.0f} / {b['worst_p95_ms']:.0f} | |"
            )
    rep = res.get("report")
    if rep:
        lines.append(
            f"| monthly report (`sme-monitor report`, HTML+PDF+DOCX): province edition / all 18 editions (s) "
            f"| {rep['province']['wall_s']} / {rep['all']['wall_s']} | |"
        )
    lines += ["", "| target | value | met |", "|---|---|---|"]
    for t in res["targets"] + ((rep or {}).get("targets") or []):
        v = "—" if t["value"] is None else t["value"]
        lines.append(f"| {t['target']} | {v} | {'✅' if t['met'] else '❌' if t['met'] is False else '—'} |")
    if b and any(c.get("p95_ms", 0) > TARGETS["chart_p95_ms"] for c in b["charts"]):
        lines += [
            "",
            "Charts over 500 ms at p95 (p50 / p95 through Superset; p50 of the same SQL on DuckDB alone, new connection each time):",
            "",
        ]
        for c in sorted(
            (c for c in b["charts"] if c.get("p95_ms", 0) > TARGETS["chart_p95_ms"]), key=lambda c: -c["p95_ms"]
        ):
            where = "、".join(c.get("boards") or [])
            db = f"; DuckDB {c['duckdb_p50_ms']:.0f} ms" if c.get("duckdb_p50_ms") is not None else ""
            lines.append(f"- {c['name']} ({where}): {c['p50_ms']:.0f} / {c['p95_ms']:.0f} ms{db}")
    ph = res.get("phases", {})
    if ph.get("full"):
        lines += [
            "",
            "Where the pipeline's time goes (median seconds per phase):",
            "",
            "| phase | full | increment |",
            "|---|---|---|",
        ]
        for k in ph["full"]:
            lines.append(f"| {k} | {ph['full'].get(k, '—')} | {ph.get('increment', {}).get(k, '—')} |")
    v = res["versions"]
    lines += [
        "",
        f"Versions: duckdb {v.get('duckdb')}, dagster {v.get('dagster')}, dbt-core {v.get('dbt-core')}, "
        f"dbt-duckdb {v.get('dbt-duckdb')}, great-expectations {v.get('great-expectations')}, "
        f"python-calamine {v.get('python-calamine')}, Superset {(v.get('superset_env') or {}).get('apache-superset')}; "
        f"git {m['git']}. Load average at start of the runs: {res.get('load_avg_seen')}.",
    ]
    return "\n".join(lines) + "\n"


def print_table(res: dict) -> None:
    print()
    print(markdown(res))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Province-scale benchmark against the bare-DuckDB floor (issue 5)")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="a much smaller sample: a smoke run of the harness itself")
    ap.add_argument(
        "--dev-data",
        action="store_true",
        help="a tiny province sample (300 firms, same generator and increment): developing the harness",
    )
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--regenerate", action="store_true", help="make the cached sample again")
    ap.add_argument("--board-runs", type=int, default=10)
    ap.add_argument("--no-superset", action="store_true", help="time the chart SQL on DuckDB without starting Superset")
    ap.add_argument("--skip-boards", action="store_true")
    ap.add_argument("--skip-floor", action="store_true")
    ap.add_argument("--skip-report", action="store_true", help="do not time `sme-monitor report` (province, all 18)")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a single run is killed")
    ap.add_argument("--out", type=Path, help="results folder (default $SME_HOME/bench)")
    args = ap.parse_args(argv)

    from warehouse.paths import Paths

    bench_root = Paths.from_env().home / "bench"
    mode = "dev" if args.dev_data else "quick" if args.quick else "province"
    # A smoke run never overwrites the province figures (results.json) or the province run folders.
    out_dir = args.out or (bench_root if mode == "province" else bench_root / mode)
    bench_root.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    full, inc = ensure_cache(bench_root, mode, args.seed, args.regenerate)
    manifest, seed_types, fp = prepare_dbt(bench_root)
    warm_page_cache([full, inc])

    runs_dir = bench_root / ("runs" if mode == "province" else f"runs-{mode}")
    runs_dir.mkdir(exist_ok=True)
    reps, loads = [], []
    for rep in range(1, args.reps + 1):
        loads.append(round(os.getloadavg()[0], 2))
        reps.append(one_rep(rep, runs_dir, full, inc, manifest, seed_types, args.timeout, args.skip_floor))
        if rep > 1:  # keep only the last home (disk); its serving copy is the one the boards are timed on
            shutil.rmtree(runs_dir / f"rep{rep - 1}", ignore_errors=True)
        for old in runs_dir.glob("floor*"):
            if old.name != f"floor{rep}":
                shutil.rmtree(old, ignore_errors=True)

    last_home = runs_dir / f"rep{args.reps}"
    board = None
    if not args.skip_boards and (last_home / "warehouse" / "serving.duckdb").exists():
        log(f"board latency on {last_home / 'warehouse' / 'serving.duckdb'} ({args.board_runs} runs per chart) …")
        board = boards_mod.measure(
            last_home, runs_dir / "boards", runs=args.board_runs, use_superset=not args.no_superset
        )
        log(f"boards: {board['charts_measured']} charts via {board['mode']}, worst p95 {board['worst_p95_ms']} ms")

    report = None
    if not args.skip_report and (last_home / "warehouse" / "serving.duckdb").exists():
        log("report: one province edition, then all 18 editions (HTML + PDF + DOCX) …")
        report = report_mod.measure(last_home, runs_dir / "report", timeout=args.timeout)
        log(f"report: province {report['province']['wall_s']} s, all 18 {report['all']['wall_s']} s")

    rows_loaded = loaded_rows(last_home / "warehouse" / "build.duckdb")
    fdesc, idesc = describe_files(full), describe_files(inc)
    res = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "reps": args.reps,
        "board_runs": args.board_runs,
        "load_avg_seen": loads,
        "dataset": {
            "mode": mode,
            "seed": args.seed,
            "cache": str(full.parent),
            "cache_made": cache_info(full),
            "full": fdesc,
            "increment": idesc,
            "full_files": sum(v["files"] for v in fdesc.values()),
            "full_mb": round(sum(v["bytes"] for v in fdesc.values()) / 1e6, 1),
            "increment_files": sum(v["files"] for v in idesc.values()),
            "increment_mb": round(sum(v["bytes"] for v in idesc.values()) / 1e6, 1),
            "rows_loaded": rows_loaded,
        },
        "dbt_fingerprint": {"at_start": fp, "at_end": dbt_fingerprint()},
        **summarise(reps, board),
        "boards": board,
        "report": report,
        "runs": reps,
        "bench_seconds": round(time.perf_counter() - t0, 1),
    }
    if res["dbt_fingerprint"]["at_start"] != res["dbt_fingerprint"]["at_end"]:
        log("warning: dbt_project changed while the benchmark ran; figures may mix model versions")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str))
    (out_dir / "results.md").write_text(markdown(res), encoding="utf-8")
    print_table(res)
    log(f"results: {out_dir / 'results.json'} and {out_dir / 'results.md'} ({res['bench_seconds']:.0f} s in all)")
    failed = [r for r in reps if r.get("full", {}).get("rc") != 0 or r.get("increment", {}).get("rc") != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
