from __future__ import annotations

import dagster as dg

from orchestration.defs.jobs import nightly_job

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_0200",
    job=nightly_job,
    cron_schedule="0 2 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="每天北京时间02:00运行。",
)
