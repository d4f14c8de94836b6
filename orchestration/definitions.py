"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.project import ensure_manifest

ensure_manifest()  # the dbt manifest must exist before @dbt_assets reads it

from orchestration.assets.dbt import dbt_models  # noqa: E402
from orchestration.assets.ingest import ingest_assets  # noqa: E402
from orchestration.assets.publish import serving  # noqa: E402
from orchestration.checks import gx_checks  # noqa: E402
from orchestration.jobs import nightly_job  # noqa: E402
from orchestration.resources import build_resources  # noqa: E402
from orchestration.schedules import nightly_schedule  # noqa: E402
from orchestration.sensors import inbox_sensor  # noqa: E402

defs = dg.Definitions(
    assets=[*ingest_assets, dbt_models, serving],
    asset_checks=gx_checks,
    jobs=[nightly_job],
    schedules=[nightly_schedule],
    sensors=[inbox_sensor],
    resources=build_resources(),
)
