"""The Dagster code location: `dagster dev -m orchestration.defs.definitions`.

Importing this module prepares nothing: Dagster calls `defs` (a `@dg.definitions` load function) when it loads
the code location, and that call parses the dbt project first if its manifest is out of date. `sme-monitor run`
does the same through load_definitions(); tests call prepare_manifest() and then build_definitions().
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.assets.dbt import build_dbt_assets
from orchestration.defs.assets.ingest import ingest_assets, load_manifest_spec
from orchestration.defs.assets.publish import build_serving_asset
from orchestration.defs.assets.report import monthly_report, monthly_report_job, monthly_report_sensor
from orchestration.defs.checks import gx_checks
from orchestration.defs.jobs import nightly_job
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import nightly_schedule
from orchestration.defs.sensors import inbox_sensor
from orchestration.lib.dbt_project import prepare_manifest
from warehouse.db import freeze_long_lived_objects


def build_definitions() -> dg.Definitions:
    """Assets, checks, job, schedule, sensor and resources; needs a prepared manifest (prepare_manifest)."""
    dbt_models = build_dbt_assets()
    return dg.Definitions(
        assets=[*ingest_assets, load_manifest_spec, dbt_models, build_serving_asset(dbt_models), monthly_report],
        asset_checks=gx_checks,
        jobs=[nightly_job, monthly_report_job],
        schedules=[nightly_schedule],
        sensors=[inbox_sensor, monthly_report_sensor],
        resources=build_resources(),
    )


def load_definitions() -> dg.Definitions:
    """For a process that runs or serves the jobs (`sme-monitor run`, the code location): parse the dbt project if
    it changed, build the definitions, then freeze them and the modules out of the garbage collector's walks (they
    live as long as the process)."""
    prepare_manifest()
    definitions = build_definitions()
    freeze_long_lived_objects()
    return definitions


@dg.definitions
def defs() -> dg.Definitions:
    """The code location's load function."""
    return load_definitions()
