"""Board latency: every chart data query of every board on the serving copy, p50 and p95 over N runs.

Through Superset's REST API when it can be started (`dashboards/serve.sh` on a free port, admin JWT from
`/api/v1/security/login`, `GET /api/v1/chart/{id}/data/?force=true` so that Superset's cache is bypassed).
The SQL of each chart (`?type=query`) is kept in the bench folder and also timed directly on DuckDB, so the
Superset overhead is visible. When Superset cannot be started, the same SQL runs on DuckDB: from the SQL kept
by an earlier run, else rebuilt from the bundle's chart query contexts and dataset definitions.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from bench.measure import ROOT, bench_env
from bench.prep import log

BUNDLE = ROOT / "dashboards" / "bundle"


def percentile(xs: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(xs)
    if not s:
        return float("nan")
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def summarise(ms: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(ms, 0.5), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "min_ms": round(min(ms), 1),
        "max_ms": round(max(ms), 1),
        "n": len(ms),
    }


# ------------------------------------------------------------------------------------------ Superset
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Superset:
    """dashboards/serve.sh in its own process group (stopped by that group's id, which we started)."""

    def __init__(self, home: Path, log_path: Path):
        self.home, self.log_path = home, log_path
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 420) -> None:
        import requests

        env = bench_env(self.home, SUPERSET_PORT=str(self.port))
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [str(ROOT / "dashboards" / "serve.sh")],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        t0 = time.time()
        while time.time() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve.sh exited with {self.proc.returncode}")
            try:
                if requests.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"Superset did not answer /health within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group serve.sh leads (start_new_session)
                self.proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        if getattr(self, "_log", None):
            self._log.close()

    def session(self):
        import requests

        creds = {}
        for line in (self.home / "superset" / "credentials").read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2:
                creds[parts[0]] = parts[1]
        s = requests.Session()
        r = s.post(
            f"{self.base}/api/v1/security/login",
            json={"username": "admin", "password": creds["admin"], "provider": "db", "refresh": True},
            timeout=30,
        )
        r.raise_for_status()
        s.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        return s


def _charts_by_board(s, base: str) -> list[dict]:
    r = s.get(f"{base}/api/v1/dashboard/", params={"q": "(page_size:100)"}, timeout=60)
    r.raise_for_status()
    boards = []
    for d in sorted(r.json()["result"], key=lambda d: d["id"]):
        rc = s.get(f"{base}/api/v1/dashboard/{d['id']}/charts", timeout=60)
        rc.raise_for_status()
        charts = [
            {"id": c["id"], "name": c.get("slice_name"), "viz": (c.get("form_data") or {}).get("viz_type")}
            for c in rc.json()["result"]
        ]
        boards.append({"board": d["dashboard_title"], "id": d["id"], "charts": charts})
    return boards


def _chart_data(s, base: str, chart_id: int) -> tuple[float, dict]:
    t0 = time.perf_counter()
    r = s.get(f"{base}/api/v1/chart/{chart_id}/data/", params={"force": "true"}, timeout=120)
    ms = (time.perf_counter() - t0) * 1000
    body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
    if r.status_code != 200:
        raise RuntimeError(f"chart {chart_id}: HTTP {r.status_code} {str(body)[:300]}")
    errors = [q.get("error") for q in body.get("result", []) if q.get("error")]
    if errors:
        raise RuntimeError(f"chart {chart_id}: {errors[0][:300]}")
    return ms, body


def _chart_sql(s, base: str, chart_id: int) -> list[str]:
    r = s.get(f"{base}/api/v1/chart/{chart_id}/data/", params={"type": "query", "force": "true"}, timeout=120)
    r.raise_for_status()
    return [q["query"] for q in r.json().get("result", []) if q.get("query")]


def via_superset(home: Path, work: Path, runs: int) -> dict:
    sup = Superset(home, work / "superset.log")
    t0 = time.perf_counter()
    try:
        sup.start()
        log(f"Superset up on {sup.base} after {time.perf_counter() - t0:.0f} s")
        s = sup.session()
        boards = _charts_by_board(s, sup.base)
        charts: dict[int, dict] = {}
        for b in boards:
            for c in b["charts"]:
                charts.setdefault(c["id"], {**c, "boards": []})["boards"].append(b["board"])
        errors = {}
        for cid, c in charts.items():
            try:
                c["sql"] = _chart_sql(s, sup.base, cid)
                _chart_data(s, sup.base, cid)  # warm-up: imports, first DuckDB open, metadata
                c["ms"] = [_chart_data(s, sup.base, cid)[0] for _ in range(runs)]
                c.update(summarise(c["ms"]))
            except Exception as exc:  # one broken chart must not hide the others
                errors[cid] = str(exc)
                c["error"] = str(exc)
        # A whole board as a browser loads it: every chart at once (6 connections, like a browser per host).
        board_loads = []
        for b in boards:
            ids = [c["id"] for c in b["charts"] if "error" not in charts[c["id"]]]
            walls = []
            for _ in range(max(3, runs // 2)):
                t1 = time.perf_counter()
                with ThreadPoolExecutor(max_workers=6) as ex:
                    list(ex.map(lambda i: _chart_data(s, sup.base, i), ids))
                walls.append((time.perf_counter() - t1) * 1000)
            board_loads.append({"board": b["board"], "charts": len(ids), **summarise(walls)})
    finally:
        sup.stop()
    return {
        "mode": "superset",
        "charts": list(charts.values()),
        "boards": [{"board": b["board"], "charts": [c["id"] for c in b["charts"]]} for b in boards],
        "board_loads": board_loads,
        "errors": errors,
    }


# ------------------------------------------------------------------------------------------ DuckDB
def time_sql_on_duckdb(serving: Path, sqls: list[str], runs: int) -> list[float]:
    """Connect read-only (as Superset does, a new connection per query), run, fetch; ms per run."""

    def once() -> float:
        t0 = time.perf_counter()
        con = duckdb.connect(str(serving), read_only=True, config={"enable_external_access": False})
        try:
            for q in sqls:
                con.execute(q).fetchall()
        finally:
            con.close()
        return (time.perf_counter() - t0) * 1000

    once()  # warm the OS page cache as Superset's warm-up does
    return [once() for _ in range(runs)]


def _bundle_sql() -> list[dict]:
    """Rebuild each chart's query from the bundle (fallback when Superset never ran): dataset as a subquery,
    saved metrics and adhoc metrics, groupby/x-axis columns (time grain → date_trunc), WHERE/HAVING extras,
    order and row limit. Approximates what Superset would send."""
    import yaml

    datasets = {}
    for p in (BUNDLE / "datasets").rglob("*.yaml"):
        d = yaml.safe_load(p.read_text(encoding="utf-8"))
        src = f"({d['sql']})" if d.get("sql") else f"{d.get('schema') or 'marts'}.{d['table_name']}"
        datasets[str(d["uuid"])] = {
            "from": src,
            "metrics": {m["metric_name"]: m["expression"] for m in d.get("metrics") or []},
            "columns": {c["column_name"]: c.get("expression") or c["column_name"] for c in d.get("columns") or []},
        }
    grains = {"P1D": "day", "P1W": "week", "P1M": "month", "P3M": "quarter", "P1Y": "year"}
    out = []
    for p in sorted((BUNDLE / "charts").glob("*.yaml")):
        c = yaml.safe_load(p.read_text(encoding="utf-8"))
        ds = datasets.get(str(c.get("dataset_uuid")))
        if ds is None or not c.get("query_context"):
            continue
        qc = json.loads(c["query_context"])
        sqls = []
        for q in qc.get("queries", []):

            def col(x, ds=ds):
                if isinstance(x, str):
                    e = ds["columns"].get(x, x)
                    return e if e != x else f'"{x}"'
                e = x.get("sqlExpression") or ds["columns"].get(x.get("column_name", ""), x.get("column_name"))
                g = grains.get(x.get("timeGrain") or "")
                return f"date_trunc('{g}', {e})" if g else e

            def metric(m, ds=ds):
                if isinstance(m, str):
                    return ds["metrics"].get(m, m)
                if m.get("expressionType") == "SQL":
                    return m["sqlExpression"]
                return f"{m['aggregate']}({m['column']['column_name']})"

            cols = [col(x) for x in q.get("columns") or []]
            mets = [metric(m) for m in q.get("metrics") or []]
            sel = cols + mets if (cols or mets) else ["*"]
            where = [f"({q['extras']['where']})"] if (q.get("extras") or {}).get("where") else []
            for f in q.get("filters") or []:
                if f.get("op") == "IS NOT NULL":
                    where.append(f'"{f["col"]}" IS NOT NULL')
            sql = f"SELECT {', '.join(sel)} FROM {ds['from']} AS virtual_table"
            if where:
                sql += " WHERE " + " AND ".join(where)
            if cols and mets:
                sql += " GROUP BY " + ", ".join(str(i + 1) for i in range(len(cols)))
            if (q.get("extras") or {}).get("having"):
                sql += f" HAVING {q['extras']['having']}"
            sql += f" LIMIT {int(q.get('row_limit') or 10000)}"
            sqls.append(sql)
        out.append({"id": p.stem, "name": c.get("slice_name"), "viz": c.get("viz_type"), "sql": sqls, "boards": []})
    return out


def via_duckdb(serving: Path, charts: list[dict], runs: int, mode: str) -> dict:
    errors = {}
    for c in charts:
        try:
            c["ms"] = time_sql_on_duckdb(serving, c["sql"], runs)
            c.update(summarise(c["ms"]))
        except duckdb.Error as exc:
            errors[c["id"]] = str(exc)[:300]
            c["error"] = str(exc)[:300]
    return {"mode": mode, "charts": charts, "errors": errors}


def measure(home: Path, work: Path, runs: int = 10, use_superset: bool = True) -> dict:
    """The board latency figures; `work` keeps the SQL of every chart for later runs and for profiling."""
    serving = home / "warehouse" / "serving.duckdb"
    sql_cache = work.parent / "chart_sql.json"
    result = None
    if use_superset:
        try:
            result = via_superset(home, work, runs)
            sql_cache.write_text(
                json.dumps(
                    [
                        {k: c.get(k) for k in ("id", "name", "viz", "sql", "boards")}
                        for c in result["charts"]
                        if c.get("sql")
                    ],
                    ensure_ascii=False,
                    indent=1,
                )
            )
            # The same SQL straight on DuckDB: what of the latency is the database, what is Superset.
            for c in result["charts"]:
                if c.get("sql"):
                    try:
                        d = time_sql_on_duckdb(serving, c["sql"], runs)
                        c["duckdb_p50_ms"], c["duckdb_p95_ms"] = (
                            round(percentile(d, 0.5), 1),
                            round(percentile(d, 0.95), 1),
                        )
                    except duckdb.Error as exc:
                        c["duckdb_error"] = str(exc)[:300]
        except Exception as exc:
            log(f"Superset unavailable ({exc}); timing the chart SQL directly on DuckDB")
            result = None
            superset_error = str(exc)
    if result is None:
        if sql_cache.exists():
            charts, mode = json.loads(sql_cache.read_text()), "duckdb (SQL captured from Superset by an earlier run)"
        else:
            charts, mode = _bundle_sql(), "duckdb (SQL rebuilt from dashboards/bundle)"
        result = via_duckdb(serving, charts, runs, mode)
        if use_superset:
            result["superset_error"] = superset_error
    ok = [c for c in result["charts"] if "p95_ms" in c]
    result["worst_p95_ms"] = max((c["p95_ms"] for c in ok), default=None)
    result["charts_measured"] = len(ok)
    result["charts_failed"] = len(result["charts"]) - len(ok)
    for c in result["charts"]:
        c.pop("ms", None)
        if isinstance(c.get("sql"), list):
            c["sql"] = [re.sub(r"\s+", " ", q)[:2000] for q in c["sql"]]
    return result


def main(argv: list[str] | None = None) -> int:
    """Only the board part of the benchmark, on an existing SME_HOME (e.g. a copy of a bench run's home):

    .venv/bin/python -m bench.boards --home var/scratch/home --work var/scratch/boards [--runs 10] [--no-superset]
    """
    import argparse

    ap = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, required=True, help="SME_HOME with warehouse/serving.duckdb")
    ap.add_argument("--work", type=Path, required=True, help="folder for the Superset log and boards.json")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-superset", action="store_true")
    args = ap.parse_args(argv)
    home, work = args.home.resolve(), args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    res = measure(home, work, runs=args.runs, use_superset=not args.no_superset)
    (work / "boards.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))
    ok = sorted((c for c in res["charts"] if "p95_ms" in c), key=lambda c: -c["p95_ms"])
    for c in ok:
        duck = f"  duckdb p50 {c['duckdb_p50_ms']}" if "duckdb_p50_ms" in c else ""
        print(f"{c['p50_ms']:8.1f} {c['p95_ms']:8.1f}{duck}  {c['id']} {c['name']}")
    for b in res.get("board_loads", []):
        print(f"board {b['board']}: {b['charts']} charts at once, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms")
    print(
        f"{res['charts_measured']} charts via {res['mode']}, worst p95 {res['worst_p95_ms']} ms, failed {res['charts_failed']}"
    )
    return 1 if res["charts_failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
