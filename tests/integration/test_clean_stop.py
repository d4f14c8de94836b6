"""SIGTERM to `sme-monitor run` mid-run: it exits within 15 s, no dbt is left running, the Dagster run is recorded
as stopped (not STARTED), and the next run publishes."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import time

import psutil
import pytest
from sme_testing import ROOT, SME, cmdline, sme, sme_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_sigterm_mid_run_stops_within_15_s_and_the_next_run_publishes(published_sample, tmp_path):
    home = shutil.copytree(published_sample, tmp_path / "home", symlinks=True)
    runs_db = home / "dagster" / "history" / "runs.db"
    before = sqlite3.connect(runs_db).execute("SELECT count(*) FROM runs").fetchone()[0]
    proc = subprocess.Popen(
        [str(SME), "run"], env=sme_env(home), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    me = psutil.Process(proc.pid)
    deadline = time.time() + 600
    dbt = None
    while time.time() < deadline and proc.poll() is None:  # wait for the dbt build: the middle of the run
        dbt = next((c for c in me.children(recursive=True) if "build" in cmdline(c)), None)
        if dbt is not None:
            break
        time.sleep(0.2)
    assert dbt is not None, "the run never started dbt"
    time.sleep(2)
    t0 = time.time()
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=30)
    took = time.time() - t0
    assert took < 15, f"exit took {took:.1f} s"
    assert proc.returncode != 0
    assert not dbt.is_running() or dbt.status() == psutil.STATUS_ZOMBIE, "dbt was left running"
    con = sqlite3.connect(runs_db)
    rows = con.execute("SELECT status FROM runs ORDER BY id").fetchall()
    con.close()
    assert len(rows) == before + 1
    assert rows[-1][0] in ("FAILURE", "CANCELED"), (rows[-1], out[-2000:])
    nxt = sme(home, "run")
    assert nxt.returncode == 0 and "已发布" in nxt.stdout, nxt.stdout[-3000:] + nxt.stderr[-3000:]
