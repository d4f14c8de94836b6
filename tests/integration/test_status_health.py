"""`sme-monitor status` as a monitoring probe: last run, serving age, files waiting, disk; exit 1 when unhealthy."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from sme_testing import sme


def _home(published_sample: Path, dst: Path) -> Path:
    """The parts of the published sample that status reads: the Dagster run storage, the serving copy, the inbox."""
    for sub in ("dagster", "warehouse", "inbox"):
        shutil.copytree(published_sample / sub, dst / sub, symlinks=True)
    return dst


def _runs(home: Path) -> sqlite3.Connection:
    return sqlite3.connect(home / "dagster" / "history" / "runs.db")


def _mark_last_run_scheduled(home: Path, status: str) -> str:
    con = _runs(home)
    run_id = con.execute("SELECT run_id FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    con.execute("UPDATE runs SET status = ? WHERE run_id = ?", [status, run_id])
    con.execute(
        "INSERT INTO run_tags (run_id, key, value) VALUES (?, 'dagster/schedule_name', 'nightly_0200')", [run_id]
    )
    con.commit()
    con.close()
    return run_id


def test_healthy_after_a_run(published_sample, tmp_path):
    home = _home(published_sample, tmp_path / "h")
    proc = sme(home, "status")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_id = _runs(home).execute("SELECT run_id FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert "最近一次运行: SUCCESS" in proc.stdout and run_id in proc.stdout
    assert "用时" in proc.stdout and "服务库发布距今" in proc.stdout and "磁盘可用空间" in proc.stdout
    assert "状态：正常" in proc.stdout


def test_last_scheduled_night_failed_is_unhealthy(published_sample, tmp_path):
    home = _home(published_sample, tmp_path / "h")
    run_id = _mark_last_run_scheduled(home, "FAILURE")
    proc = sme(home, "status")
    assert proc.returncode == 1, proc.stdout
    assert f"最近一次定时运行（{run_id}）结果为 FAILURE" in proc.stdout
    _runs(home).execute("UPDATE runs SET status = 'SUCCESS' WHERE run_id = ?", [run_id]).connection.commit()
    assert sme(home, "status").returncode == 0


def test_a_canceled_scheduled_night_is_unhealthy(published_sample, tmp_path):
    home = _home(published_sample, tmp_path / "h")
    _mark_last_run_scheduled(home, "CANCELED")
    assert sme(home, "status").returncode == 1


def test_old_serving_copy_is_unhealthy_with_a_setting(published_sample, tmp_path, monkeypatch):
    home = _home(published_sample, tmp_path / "h")
    serving = home / "warehouse" / "serving.duckdb"
    hours_ago = 40
    t = time.time() - hours_ago * 3600
    os.utime(serving, (t, t))
    proc = sme(home, "status")
    assert proc.returncode == 1 and "上限 36 小时" in proc.stdout, proc.stdout
    monkeypatch.setenv("SME_MAX_SERVING_AGE_HOURS", "48")
    assert sme(home, "status").returncode == 0  # 40 h < 48 h
    assert sme(home, "status", "--max-age-hours", "39").returncode == 1


def test_runs_but_no_serving_copy_is_unhealthy_and_a_fresh_home_is_not(published_sample, tmp_path):
    home = _home(published_sample, tmp_path / "h")
    (home / "warehouse" / "serving.duckdb").unlink()
    proc = sme(home, "status")
    assert proc.returncode == 1 and "尚无服务库" in proc.stdout
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    proc = sme(fresh, "status")
    assert proc.returncode == 0 and "最近一次运行: 无" in proc.stdout


def test_files_waiting_are_counted(published_sample, tmp_path):
    home = _home(published_sample, tmp_path / "h")
    (home / "inbox" / "arrears" / "a.csv").write_text("x")
    (home / "inbox" / "arrears" / "b.csv").write_text("x")
    proc = sme(home, "status")
    assert "'arrears': 2" in proc.stdout
