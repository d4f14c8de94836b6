"""The nightly job: ingest → checks → dbt build → publish, in one process (DuckDB has one writer)."""

from __future__ import annotations

import dagster as dg

nightly_job = dg.define_asset_job(
    name="nightly",
    # the monthly report is partitioned by month: its own job, requested after a nightly success (assets/report.py)
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(dg.AssetKey(["monthly_report"])),
    executor_def=dg.in_process_executor,
    description="每晚运行：加载新文件、校验、重算指标、检查通过后发布。",
)
