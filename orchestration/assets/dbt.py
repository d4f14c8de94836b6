"""All dbt models, seeds and data tests in one `dbt build` per run.

dbt unit tests check the SQL, not the data: they run in `make test` (tests/test_dbt_unit_tests.py), not nightly.
The monthly chain is incremental; the build runs with --full-refresh when the dbt project changed since the last
successful build (orchestration/dbt_state.py).
"""

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_state import (
    STAMP_NAME,
    build_args,
    keep_partial_parse,
    needs_full_refresh,
    project_fingerprint,
    prune_invocation_targets,
    record_build,
)
from orchestration.project import DBT_PROJECT_DIR, dbt_project
from orchestration.resources import WarehouseResource

translator = DagsterDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=translator, name="dbt_models")
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    stamp = warehouse.paths.warehouse / STAMP_NAME
    fingerprint = project_fingerprint(DBT_PROJECT_DIR)
    full_refresh = needs_full_refresh(stamp, fingerprint)
    context.log.info(
        "dbt build: " + ("全量重建（模型代码或配置有变化）" if full_refresh else "增量（只重建新数据涉及的报告年度）")
    )
    invocation = dbt.cli(build_args(full_refresh), context=context)
    yield from invocation.stream()
    record_build(stamp, fingerprint)  # stream() raised if any model or test failed
    keep_partial_parse(invocation.target_path, DBT_PROJECT_DIR / "target")
    prune_invocation_targets(DBT_PROJECT_DIR / "target")
