"""Publish: copy the checked marts file in as the read-only serving copy (warehouse/publish.py)."""

import dagster as dg

from orchestration.defs.resources import WarehouseResource

PUBLISH_KEY = dg.AssetKey(["serving"])


def build_serving_asset(dbt_models: dg.AssetsDefinition) -> dg.AssetsDefinition:
    """The publish asset, downstream of every dbt asset (and so of their blocking checks)."""

    @dg.asset(
        key=PUBLISH_KEY,
        group_name="publish",
        deps=[*dbt_models.keys],
        description="发布：复制通过检查的指标库（marts）并写入审计表，原子替换为只读的服务库 serving.duckdb（保留最近7份）。",
        kinds={"duckdb"},
    )
    def serving(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        from warehouse.db import connect_build
        from warehouse.publish import publish, record_publication

        paths = warehouse.paths
        con = connect_build(paths)
        try:
            last_load_id = con.execute("SELECT max(load_id) FROM raw.load_manifest").fetchone()[0]
            con.execute("CHECKPOINT")
        finally:
            con.close()
        kept = publish(paths)
        con = connect_build(paths)
        try:
            record_publication(con, kept, last_load_id)
        finally:
            con.close()
        context.log.info(f"已发布 {paths.serving_db}（副本 {kept.name}）")
        return dg.MaterializeResult(
            metadata={"serving": str(paths.serving_db), "copy": kept.name, "last_load_id": last_load_id}
        )

    return serving
