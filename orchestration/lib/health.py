"""Health for `sme-monitor status`: the last run, the serving copy's age, files waiting, disk free.

The runs are read from the Dagster instance's SQLite run storage ($DAGSTER_HOME/history/runs.db) with sqlite3,
read-only, without importing Dagster. A run launched by the schedule carries the tag dagster/schedule_name.

Unhealthy (exit 1) when:
- the last scheduled run ended FAILURE or CANCELED;
- the serving copy is older than SME_MAX_SERVING_AGE_HOURS (default 36; its age is the file's modification
  time, which is the moment it was published: publish renames the finished copy into place);
- there is no serving copy although runs have happened (a fresh installation that never ran is not an alarm).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from warehouse.paths import Paths

DEFAULT_MAX_AGE_HOURS = 36.0
SCHEDULE_TAG = "dagster/schedule_name"
BAD_END = ("FAILURE", "CANCELED")


@dataclass
class RunInfo:
    run_id: str
    status: str
    started: dt.datetime | None
    ended: dt.datetime | None
    trigger: str

    @property
    def seconds(self) -> float | None:
        return (self.ended - self.started).total_seconds() if self.started and self.ended else None


@dataclass
class Health:
    last_run: RunInfo | None
    last_scheduled: RunInfo | None
    runs_total: int
    serving_age_hours: float | None
    max_age_hours: float
    waiting: dict[str, int]
    disk_free_bytes: int
    problems: list[str] = field(default_factory=list)


def _ts(v) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(v) if v else None


def read_runs(dagster_home: Path) -> tuple[RunInfo | None, RunInfo | None, int]:
    """(last run, last scheduled run, number of runs) from the run storage, or (None, None, 0)."""
    db = dagster_home / "history" / "runs.db"
    if not db.exists():
        return None, None, 0
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        total = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        q = """SELECT r.run_id, r.status, r.start_time, r.end_time,
                      coalesce((SELECT value FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ?),
                               (SELECT value FROM run_tags t WHERE t.run_id = r.run_id AND t.key = 'trigger'), '')
               FROM runs r {where} ORDER BY r.id DESC LIMIT 1"""
        last = con.execute(q.format(where=""), [SCHEDULE_TAG]).fetchone()
        sched = con.execute(
            q.format(where="WHERE EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.run_id AND t.key = ?)"),
            [SCHEDULE_TAG, SCHEDULE_TAG],
        ).fetchone()
    except sqlite3.OperationalError:  # an instance without run storage tables yet
        return None, None, 0
    finally:
        con.close()

    def info(row) -> RunInfo | None:
        return RunInfo(row[0], row[1], _ts(row[2]), _ts(row[3]), row[4]) if row else None

    return info(last), info(sched), total


def health(paths: Paths, dagster_home: Path, max_age_hours: float | None = None) -> Health:
    if max_age_hours is None:
        max_age_hours = float(os.environ.get("SME_MAX_SERVING_AGE_HOURS", DEFAULT_MAX_AGE_HOURS))
    last, sched, total = read_runs(dagster_home)
    age = None
    if paths.serving_db.exists():
        age = (dt.datetime.now().timestamp() - paths.serving_db.stat().st_mtime) / 3600
    waiting = (
        {s.name: sum(1 for f in s.iterdir() if f.is_file()) for s in sorted(paths.inbox.iterdir()) if s.is_dir()}
        if paths.inbox.exists()
        else {}
    )
    probe = paths.home if paths.home.exists() else paths.home.parent
    h = Health(last, sched, total, age, max_age_hours, waiting, shutil.disk_usage(probe).free)
    if sched is not None and sched.status in BAD_END:
        h.problems.append(f"最近一次定时运行（{sched.run_id}）结果为 {sched.status}")
    if age is not None and age > max_age_hours:
        h.problems.append(f"服务库已有 {age:.1f} 小时未更新（上限 {max_age_hours:g} 小时）")
    if age is None and total > 0:
        h.problems.append("已有运行记录，但尚无服务库")
    return h
