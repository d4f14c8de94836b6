"""A run whose process is killed with SIGKILL (as if the machine lost the worker) is marked FAILURE by a running
`dagster-daemon` (run monitoring, orchestration/lib/instance.py + run_launcher.py), not left STARTED for ever.

The instance is the project's dagster.yaml with a 2 s monitoring poll instead of 60 s (written without the marker
line, so the CLI leaves it alone)."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import time

import psutil
import pytest
from sme_testing import BIN, ROOT, SME, cmdline, kill_process_group, sme_env

from orchestration.lib.instance import MARKER, dagster_yaml

pytestmark = [pytest.mark.integration, pytest.mark.slow]

POLL_S = 2


def _runs(runs_db) -> list[tuple[str, str]]:
    if not runs_db.exists():
        return []
    con = sqlite3.connect(f"file:{runs_db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT run_id, status FROM runs ORDER BY id").fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def _heartbeats(runs_db) -> set[str]:
    if not runs_db.exists():
        return set()
    con = sqlite3.connect(f"file:{runs_db}?mode=ro", uri=True, timeout=10)
    try:
        return {r[0] for r in con.execute("SELECT daemon_type FROM daemon_heartbeats")}
    except sqlite3.OperationalError:
        return set()
    finally:
        con.close()


def test_daemon_marks_a_killed_run_failed(published_sample, tmp_path):
    home = shutil.copytree(published_sample, tmp_path / "home", symlinks=True)
    dagster_home = home / "dagster"
    text = dagster_yaml(dagster_home, poll_interval_seconds=POLL_S, start_timeout_seconds=60)
    assert text.startswith(MARKER)
    (dagster_home / "dagster.yaml").write_text(text.split("\n", 1)[1])  # no marker: the CLI keeps it as is
    runs_db = dagster_home / "history" / "runs.db"
    before = _runs(runs_db)
    env = dict(sme_env(home), PYTHONPATH=str(ROOT))

    daemon_log = open(tmp_path / "daemon.log", "w")
    daemon = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-m", "orchestration.defs.definitions"],
        cwd=ROOT, env=env, stdout=daemon_log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    run = subprocess.Popen(
        [str(SME), "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        # the run reaches dbt (it is STARTED and has recorded its process) …
        me, deadline, dbt = psutil.Process(run.pid), time.monotonic() + 240, None
        while dbt is None and time.monotonic() < deadline and run.poll() is None:
            dbt = next((c for c in me.children(recursive=True) if "build" in cmdline(c)), None)
            time.sleep(0.2)
        assert dbt is not None, "the run never started dbt"
        run_id, status = _runs(runs_db)[-1]
        assert len(_runs(runs_db)) == len(before) + 1 and status == "STARTED", _runs(runs_db)
        # … and dies without a word: the run and its dbt, SIGKILL
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(timeout=10)
        assert dict(_runs(runs_db))[run_id] == "STARTED"

        # the daemon, up and monitoring, marks it FAILURE within a few polls
        deadline = time.monotonic() + 120
        while "MONITORING" not in _heartbeats(runs_db):
            assert daemon.poll() is None, (tmp_path / "daemon.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the daemon's monitoring never beat"
            time.sleep(0.5)
        t0 = time.monotonic()
        while dict(_runs(runs_db))[run_id] == "STARTED" and time.monotonic() < t0 + 5 * POLL_S + 10:
            time.sleep(0.5)
        took = time.monotonic() - t0
        assert dict(_runs(runs_db))[run_id] == "FAILURE", (tmp_path / "daemon.log").read_text()[-3000:]
        print(f"\nrun {run_id} marked FAILURE {took:.1f} s after the kill (and the daemon's monitoring beat)")
        # by run monitoring (the launcher's health check), and the reason is in the run's log
        con = sqlite3.connect(dagster_home / "history" / "runs" / f"{run_id}.db")
        events = [  # RUN_FAILURE is stored under its old name
            r[0]
            for r in con.execute(
                "SELECT event FROM event_logs WHERE dagster_event_type IN ('RUN_FAILURE', 'PIPELINE_FAILURE')"
            )
        ]
        con.close()
        assert any("Marking run" in e for e in events), events
    finally:
        for p in (run, daemon):
            kill_process_group(p)
        daemon_log.close()
