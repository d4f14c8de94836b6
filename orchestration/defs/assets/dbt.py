"""All dbt models, seeds and data tests in one `dbt build` per run.

dbt unit tests check the SQL, not the data: they run in `make test` (tests/integration/test_dbt_unit_tests.py), not nightly.
The monthly chain is incremental; the build runs with --full-refresh when the dbt project changed since the last
successful build (orchestration/lib/dbt_state.py).

`@dbt_assets` reads the manifest when it is applied, so the asset is built by a function, called after
orchestration.lib.dbt_project.prepare_manifest() (orchestration/defs/definitions.py), not at import.
"""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.defs.resources import WarehouseResource
from orchestration.lib.dbt_project import DBT_PROJECT_DIR, dagster_dbt_project, project_fingerprints
from orchestration.lib.dbt_state import (
    DBT_ASSETS_NAME,
    STAMP_NAME,
    build_args,
    keep_partial_parse,
    needs_full_refresh,
    prune_invocation_targets,
    record_build,
)


def group_for(fqn: list[str], resource_type: str) -> str:
    """The Dagster group of a dbt node, from its folder: staging, intermediate, marts_<domain>, seeds, snapshots.

    fqn is [project, folder, …, name]; a mart directly under models/marts/ goes to `marts`.
    """
    if resource_type in ("seed", "snapshot"):
        return f"{resource_type}s"
    folders = fqn[1:-1]
    if not folders:
        return "models"
    if folders[0] == "marts" and len(folders) > 1:
        return f"marts_{folders[1]}"
    return folders[0]


class SmeDbtTranslator(DagsterDbtTranslator):
    """dagster-dbt's translator with the models grouped by their folder instead of all in `default`."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return group_for(list(dbt_resource_props["fqn"]), dbt_resource_props["resource_type"])


def build_dbt_assets() -> dg.AssetsDefinition:
    """The dbt asset of the nightly job, from the prepared manifest."""
    translator = SmeDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    @dbt_assets(manifest=dagster_dbt_project().manifest_path, dagster_dbt_translator=translator, name=DBT_ASSETS_NAME)
    def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
        stamp = warehouse.paths.warehouse / STAMP_NAME
        fingerprint = project_fingerprints(DBT_PROJECT_DIR).rows
        full_refresh = needs_full_refresh(stamp, fingerprint)
        context.log.info(
            "dbt build: "
            + ("全量重建（模型代码或配置有变化）" if full_refresh else "增量（只重建新数据涉及的报告年度）")
        )
        invocation = dbt.cli(build_args(full_refresh), context=context)
        yield from invocation.stream()
        record_build(stamp, fingerprint)  # stream() raised if any model or test failed
        keep_partial_parse(invocation.target_path, DBT_PROJECT_DIR / "target")
        prune_invocation_targets(DBT_PROJECT_DIR / "target")

    return dbt_models
