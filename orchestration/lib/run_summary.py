"""The text `sme-monitor run` prints after a run: files per source, checks, failed steps and dbt nodes, published or not.

Reads the Dagster run result (imported by the CLI only after the run) and dbt's run_results.json.
"""

from __future__ import annotations

import json
import time

import duckdb
from dagster import DagsterEventType

from orchestration.lib.dbt_project import DBT_PROJECT_DIR
from orchestration.lib.dbt_state import DBT_ASSETS_NAME


def run_summary(result, paths, t0: float, run_id: str) -> tuple[str, bool]:
    lines = ["", "==== 运行摘要 ===="]
    con = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        rows = con.execute(
            """SELECT source, count(*), count(*) FILTER (WHERE status = 'rejected'),
                      count(*) FILTER (WHERE status = 'duplicate'),
                      sum(rows_read), sum(rows_loaded), sum(rows_quarantined), sum(rows_skipped)
               FROM raw.load_manifest WHERE run_id = ? GROUP BY source ORDER BY source""",
            [run_id],
        ).fetchall()
    finally:
        con.close()
    if rows:
        lines.append(f"{'来源':<12}{'文件':>6}{'拒收':>6}{'重复':>6}{'读取行':>10}{'加载':>10}{'隔离':>8}{'跳过':>6}")
        for r in rows:
            lines.append(f"{r[0] or '?':<12}{r[1]:>6}{r[2]:>6}{r[3]:>6}{r[4]:>10}{r[5]:>10}{r[6]:>8}{r[7]:>6}")
    else:
        lines.append("收件箱没有新文件。")
    evals = result.get_asset_check_evaluations()
    failed = [e for e in evals if not e.passed]
    lines.append(f"检查：通过 {len(evals) - len(failed)}，未通过 {len(failed)}")
    for e in failed:
        lines.append(f"  未通过：{e.asset_key.to_user_string()} · {e.check_name} ({e.severity.value})")
    published = any(
        ev.event_type == DagsterEventType.ASSET_MATERIALIZATION and ev.asset_key and ev.asset_key.path == ["serving"]
        for ev in result.all_events
    )
    failures = [ev for ev in result.all_events if ev.event_type == DagsterEventType.STEP_FAILURE]
    for ev in failures:
        lines.append(f"  步骤失败：{ev.step_key}：{_root_cause(ev)[:300]}")
    lines += _failed_dbt_nodes() if any(ev.step_key == DBT_ASSETS_NAME for ev in failures) else []
    skipped = [ev.step_key for ev in result.all_events if ev.event_type == DagsterEventType.STEP_SKIPPED]
    if skipped:
        lines.append(f"  因前序失败而跳过：{', '.join(skipped)}")
    lines.append(("已发布：" + str(paths.serving_db)) if published else "未发布：服务库保持上一版本不变。")
    lines.append(f"用时 {time.perf_counter() - t0:.1f} 秒（Dagster 运行 {run_id}）")
    return "\n".join(lines), published


def _root_cause(event) -> str:
    """The innermost error of a failed step (Dagster wraps the real one, e.g. a PermissionError)."""
    err = event.event_specific_data.error if event.event_specific_data else None
    while err is not None and err.cause is not None:
        err = err.cause
    return err.message.strip().splitlines()[0] if err and err.message.strip() else ""


def _failed_dbt_nodes() -> list[str]:
    """The dbt models and tests that failed, from dbt's own run_results.json."""
    # dagster-dbt gives every invocation its own target folder: read the newest run_results.json.
    found = sorted((DBT_PROJECT_DIR / "target").rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    if not found:
        return []
    results = json.loads(found[-1].read_text()).get("results", [])
    bad = [r for r in results if r.get("status") in ("error", "fail")]
    return [f"    dbt {r['status']}: {r['unique_id']}: {(r.get('message') or '').strip()[:200]}" for r in bad[:20]]
