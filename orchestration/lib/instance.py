"""The Dagster instance under $SME_HOME/dagster: the dagster.yaml this project writes (no Dagster import here).

Telemetry off, and the event log storage of orchestration/lib/event_log.py (Dagster's SQLite files, committed
without an fsync per event). The CLI writes it on every command that sets up the environment; a dagster.yaml
without the marker line (edited by hand) is left alone.
"""

from __future__ import annotations

import os
from pathlib import Path

MARKER = "# written by sme-monitor"


def dagster_yaml(dagster_home: Path, *, poll_interval_seconds: int = 60, start_timeout_seconds: int = 300) -> str:
    """The instance config. The run monitoring timings are parameters for the tests (a short poll interval)."""
    runs = (dagster_home / "history" / "runs").resolve()
    return (
        f"{MARKER}: delete this line to keep your own edits\n"
        "telemetry:\n"
        "  enabled: false\n"
        "event_log_storage:\n"
        "  module: orchestration.lib.event_log\n"
        "  class: FastSqliteEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {str(runs)!r}\n"
        # The daemon marks a run whose process died (killed with SIGKILL, a reboot) as FAILURE instead of leaving it
        # STARTED for ever; Dagster's DefaultRunLauncher cannot tell whether a run's process lives, this one can
        # (orchestration/lib/run_launcher.py).
        "run_launcher:\n"
        "  module: orchestration.lib.run_launcher\n"
        "  class: LocalRunLauncher\n"
        "run_monitoring:\n"
        "  enabled: true\n"
        f"  start_timeout_seconds: {start_timeout_seconds}\n"
        "  max_resume_run_attempts: 0\n"
        f"  poll_interval_seconds: {poll_interval_seconds}\n"
    )


OLD_DEFAULT = "telemetry:\n  enabled: false\n"  # what earlier versions (and scripts/serve.sh) wrote


def ensure_dagster_yaml(dagster_home: Path) -> Path:
    """Write dagster.yaml if it is missing or is one this project wrote; leave a hand-edited one alone."""
    path = dagster_home / "dagster.yaml"
    want = dagster_yaml(dagster_home)
    current = path.read_text() if path.exists() else None
    if current is None or current == OLD_DEFAULT or (current.startswith(MARKER) and current != want):
        dagster_home.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".dagster.yaml.{os.getpid()}.tmp")  # own name: two runs started at once both write
        tmp.write_text(want)
        os.replace(tmp, path)
    return path


if __name__ == "__main__":  # the systemd units' ExecStartPre: write $DAGSTER_HOME/dagster.yaml
    ensure_dagster_yaml(Path(os.environ["DAGSTER_HOME"]))
