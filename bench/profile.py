"""Where the time goes: py-spy over `sme-monitor run` (full, then increment) on the cached benchmark sample,
DuckDB EXPLAIN ANALYZE of the slowest dbt models and of the slowest board queries.

    .venv/bin/python -m bench.profile [--quick] [--rate 20] [--skip-runs] [--top 25]

Needs py-spy in .venv (requirements/dev.in). Writes $SME_HOME/bench/profile/: raw py-spy stacks,
`summary.txt` (self and inclusive time per function, per phase), `explain/*.txt`.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import sys
from pathlib import Path

import duckdb

from bench.measure import VENV_BIN, bench_env, run_measured
from bench.prep import ensure_cache, ensure_pipeline_manifest, link_inbox, log

# Functions whose inclusive time is worth naming (substring of "function (file:line)").
MARKERS = [
    "load_file (ingest/loader.py",
    "check_file (ingest/loader.py",
    "read_cells (ingest/reader.py",
    "_normalise_csv (ingest/reader.py",
    "_quote_state (ingest/reader.py",
    "read_xlsx (ingest/reader.py",
    "_cell_text (ingest/reader.py",
    "detect_encoding (ingest/reader.py",
    "sha256_of (ingest/loader.py",
    "collect_errors (ingest/loader.py",
    "_name_warnings (ingest/loader.py",
    "write_receipt (ingest/receipts.py",
    "run (expectations/suites.py",  # SuiteRunner.run: one GX batch
    "publish (warehouse/publish.py",
    "_copy_schemas (warehouse/publish.py",
    "run_summary (orchestration/lib/run_summary.py",
    "execute_in_process",
    "prepare_manifest (orchestration/lib/dbt_project.py",
    "build_definitions (orchestration/defs/definitions.py",
    "stream (dagster_dbt",
    "_check (orchestration/defs/checks.py",
    "_load (orchestration/defs/assets/ingest.py",
    "serving (orchestration/defs/assets/publish.py",
    "dbt_models (orchestration/defs/assets/dbt.py",
]


def parse_raw(path: Path) -> tuple[collections.Counter, collections.Counter, int]:
    """py-spy raw output: `frame;frame;… count` per line. Returns (self, inclusive, total samples)."""
    self_c: collections.Counter = collections.Counter()
    incl: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        self_c[_short(frames[-1])] += n
        for f in {_short(f) for f in frames}:
            incl[f] += n
    return self_c, incl, total


def _short(frame: str) -> str:
    frame = re.sub(r"/work/main/\.venv/lib/python3\.\d+/site-packages/", "", frame)
    frame = re.sub(r"/work/main/", "", frame)
    frame = re.sub(r"/usr/lib/python3\.\d+/|/root/\.pyenv/versions/[^/]+/lib/python3\.\d+/", "", frame)
    return frame


def report(path: Path, rate: int, top: int) -> str:
    self_c, incl, total = parse_raw(path)
    secs = lambda n: n / rate  # noqa: E731
    lines = [f"== {path.name}: {total} samples at {rate} Hz ≈ {secs(total):.0f} s of sampled thread time"]
    lines.append("-- inclusive, named functions")
    for m in MARKERS:
        hits = [(k, v) for k, v in incl.items() if m in k]
        if hits:
            k, v = max(hits, key=lambda kv: kv[1])
            lines.append(f"{secs(v):8.1f} s  {k}")
    lines.append(f"-- top {top} inclusive (project code)")
    proj = [(k, v) for k, v in incl.items() if re.search(r"\((ingest|warehouse|orchestration|expectations)/", k)]
    for k, v in sorted(proj, key=lambda kv: -kv[1])[:top]:
        lines.append(f"{secs(v):8.1f} s  {k}")
    lines.append(f"-- top {top} self")
    for k, v in self_c.most_common(top):
        lines.append(f"{secs(v):8.1f} s  {k}")
    return "\n".join(lines)


def pyspy_runs(bench_root: Path, full: Path, inc: Path, out: Path, rate: int) -> dict:
    home = bench_root / "profile" / "home"
    shutil.rmtree(home, ignore_errors=True)
    (home / "warehouse").mkdir(parents=True)
    ensure_pipeline_manifest(home)
    res = {}
    for phase, src in (("full", full), ("increment", inc)):
        link_inbox(src, home)
        raw = out / f"pyspy-{phase}.txt"
        cmd = [
            str(VENV_BIN / "py-spy"),
            "record",
            "--subprocesses",
            "--idle",
            "-r",
            str(rate),
            "-f",
            "raw",
            "-o",
            str(raw),
            "--",
            str(VENV_BIN / "sme-monitor"),
            "run",
        ]
        log(f"profile: py-spy over the {phase} run …")
        m = run_measured(phase, cmd, bench_env(home), out / f"pyspy-{phase}.log")
        res[phase] = {"wall_s": m.wall_s, "peak_rss_gb": round(m.peak_rss_gb, 2), "rc": m.rc}
        log(f"profile: {phase} {m.wall_s:.0f} s (under py-spy), exit {m.rc}")
    return res


def explain_models(build_db: Path, manifest: Path, run_results: Path | None, out: Path, n: int) -> list[str]:
    """EXPLAIN ANALYZE the compiled SQL of the n slowest models on a copy of a province build database."""
    man = json.loads(manifest.read_text())
    slow: list[str] = []
    if run_results and run_results.exists():
        rr = json.loads(run_results.read_text())
        slow = [
            r["unique_id"]
            for r in sorted(rr["results"], key=lambda r: -r["execution_time"])
            if r["unique_id"].startswith("model.")
        ][:n]
    copy = out / "explain" / "build.duckdb"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(build_db, copy)
    marts = build_db.with_name("build_marts.duckdb")  # dbt builds the marts into their own file
    marts_copy = copy.with_name(marts.name)
    if marts.exists():
        shutil.copy(marts, marts_copy)
    con = duckdb.connect(str(copy))
    if marts.exists():
        con.execute(f"ATTACH '{marts_copy}' AS build_marts").fetchall()
    written = []
    try:
        for uid in slow:
            node = man["nodes"][uid]
            con.execute("PRAGMA enable_profiling='query_tree_optimizer'").fetchall()
            rows = con.execute(f"EXPLAIN ANALYZE {node['compiled_code']}").fetchall()
            text = "\n".join(r[1] for r in rows)
            f = out / "explain" / f"{node['name']}.txt"
            f.write_text(text)
            written.append(str(f))
    finally:
        con.close()
        copy.unlink(missing_ok=True)
        marts_copy.unlink(missing_ok=True)
    return written


def explain_charts(serving: Path, chart_sql: Path, out: Path, n: int) -> list[str]:
    charts = json.loads(chart_sql.read_text())
    results = (
        json.loads((chart_sql.parent.parent / "results.json").read_text())
        if (chart_sql.parent.parent / "results.json").exists()
        else {}
    )
    p95 = {c.get("id"): c.get("p95_ms", 0) for c in (results.get("boards") or {}).get("charts", [])}
    charts = sorted(charts, key=lambda c: -(p95.get(c["id"]) or 0))[:n]
    con = duckdb.connect(str(serving), read_only=True)
    written = []
    try:
        for c in charts:
            for i, q in enumerate(c["sql"]):
                rows = con.execute(f"EXPLAIN ANALYZE {q}").fetchall()
                f = out / "explain" / f"chart{c['id']}_{i}.txt"
                f.parent.mkdir(parents=True, exist_ok=True)
                f.write_text(f"-- {c['name']} (p95 {p95.get(c['id'])} ms)\n{q}\n\n" + "\n".join(r[1] for r in rows))
                written.append(str(f))
    finally:
        con.close()
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--rate", type=int, default=20)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--skip-runs", action="store_true", help="only re-summarise and EXPLAIN")
    args = ap.parse_args(argv)
    if not (VENV_BIN / "py-spy").exists() and not args.skip_runs:
        print("py-spy is not installed in .venv: .venv/bin/pip install py-spy", file=sys.stderr)
        return 2

    from warehouse.paths import Paths

    bench_root = Paths.from_env().home / "bench"
    out = bench_root / "profile"
    out.mkdir(parents=True, exist_ok=True)
    full, inc = ensure_cache(bench_root, "quick" if args.quick else "province", args.seed)
    if not args.skip_runs:
        (out / "runs.json").write_text(json.dumps(pyspy_runs(bench_root, full, inc, out, args.rate), indent=1))
    parts = [report(p, args.rate, args.top) for p in sorted(out.glob("pyspy-*.txt"))]
    # EXPLAIN ANALYZE: the profile home's build database (after the increment) and the benchmark's serving copy.
    home = out / "home"
    manifest = bench_root / "prep" / "dbt-target" / "manifest.json"
    rr = sorted((bench_root / "runs").glob("rep*-logs/full.run_results.json"))
    if (home / "warehouse" / "build.duckdb").exists() and manifest.exists():
        files = explain_models(home / "warehouse" / "build.duckdb", manifest, rr[-1] if rr else None, out, 8)
        parts.append("-- EXPLAIN ANALYZE of the slowest models: " + ", ".join(files))
    sql = bench_root / "runs" / "chart_sql.json"
    serving = home / "warehouse" / "serving.duckdb"
    if sql.exists() and serving.exists():
        files = explain_charts(serving, sql, out, 6)
        parts.append("-- EXPLAIN ANALYZE of the slowest charts: " + ", ".join(files))
    text = "\n\n".join(parts)
    (out / "summary.txt").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
