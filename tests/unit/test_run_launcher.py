"""The instance's run launcher tells run monitoring whether a run's process is alive (orchestration/lib/run_launcher.py)."""

from __future__ import annotations

import os
import subprocess
import time

import psutil
from sme_testing import dagster_instance, tiny_job

from orchestration.lib.run_launcher import LocalRunLauncher, worker_alive


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_worker_alive_by_pid_and_start_time():
    now = time.time()
    assert worker_alive(os.getpid(), now)
    # the same pid, but the recording came before this process started: a reused pid, not the run's process
    assert not worker_alive(os.getpid(), psutil.Process().create_time() - 60)
    assert not worker_alive(_dead_pid(), now)


def test_instance_uses_it_and_it_reads_the_runs_pid(tmp_path):
    from dagster._core.events import EngineEventData
    from dagster._core.launcher import WorkerStatus

    with dagster_instance(tmp_path / "dagster") as instance:
        assert isinstance(instance.run_launcher, LocalRunLauncher)
        assert instance.run_launcher.supports_check_run_worker_health and instance.run_monitoring_enabled

        tiny = tiny_job()
        result = tiny.execute_in_process(instance=instance)  # executed by this (living) process
        run = instance.get_run_by_id(result.run_id)
        assert instance.run_launcher.check_run_worker_health(run).status == WorkerStatus.RUNNING

        other = instance.create_run_for_job(tiny)
        # no pid recorded yet: not a reason to fail the run
        assert instance.run_launcher.check_run_worker_health(other).status == WorkerStatus.RUNNING
        instance.report_engine_event("worker started", other, EngineEventData.in_process(_dead_pid()))
        health = instance.run_launcher.check_run_worker_health(other)
        assert health.status == WorkerStatus.FAILED and "已不存在" in health.msg
