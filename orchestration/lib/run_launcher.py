"""The run launcher of this project's Dagster instance: Dagster's DefaultRunLauncher plus a worker health check.

Run monitoring (the daemon's `run_monitoring` in dagster.yaml, orchestration/lib/instance.py) asks the launcher
whether the process of a STARTED run is still alive; DefaultRunLauncher (dagster 1.13) cannot answer, so a run
whose process died without reporting — a `sme-monitor run` killed with SIGKILL or by the OOM killer, a reboot, a
run worker whose code server died with it — stayed STARTED for ever. Everything here runs on one server: every
run records the pid of the process executing it (an engine event with a `pid` entry: "Executing steps in process",
"Started process for run"), and that process is alive exactly when a process with that pid exists and was started
no later than the event (a pid reused by a later process does not count).
"""

from __future__ import annotations

from dagster import DagsterEventType, DagsterRun
from dagster._core.launcher import CheckRunHealthResult, WorkerStatus
from dagster._core.launcher.default_run_launcher import DefaultRunLauncher

CLOCK_SLACK_S = 1.0  # process start times are read from /proc with a coarse clock


def worker_alive(pid: int, recorded_at: float) -> bool:
    """Whether the process that recorded itself as `pid` at `recorded_at` (epoch seconds) still runs."""
    import psutil

    try:
        p = psutil.Process(pid)
        return p.create_time() <= recorded_at + CLOCK_SLACK_S and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


class LocalRunLauncher(DefaultRunLauncher):
    """DefaultRunLauncher that can tell run monitoring whether a run's process on this machine is alive."""

    @property
    def supports_check_run_worker_health(self) -> bool:
        return True

    def check_run_worker_health(self, run: DagsterRun) -> CheckRunHealthResult:
        for entry in self._instance.all_logs(run.run_id, of_type=DagsterEventType.ENGINE_EVENT):
            metadata = entry.dagster_event.engine_event_data.metadata if entry.dagster_event else {}
            if "pid" not in metadata:
                continue
            pid = int(metadata["pid"].value)
            if worker_alive(pid, entry.timestamp):
                return CheckRunHealthResult(WorkerStatus.RUNNING, run_worker_id=str(pid))
            return CheckRunHealthResult(WorkerStatus.FAILED, f"运行进程 {pid} 已不存在", run_worker_id=str(pid))
        # no pid yet (between the run's start and its first engine event): not a reason to fail it
        return CheckRunHealthResult(WorkerStatus.RUNNING, "运行尚未记录进程号")
