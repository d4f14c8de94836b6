"""GX suites as blocking asset checks on the rows that have not been published yet."""

import dagster as dg

from ingest.contract import SOURCES
from orchestration.defs.resources import WarehouseResource


def _gx_check(source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", source]),
        name=f"gx_{source}_new_rows",
        blocking=True,
        description=f"Great Expectations 规则集 raw_{source}：检查尚未发布的新数据；失败则本次不发布。",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from expectations.suites import columns_for, validate_dataframe
        from warehouse.db import connect_build, release_freed_memory
        from warehouse.publish import unpublished_since

        con = connect_build(warehouse.paths, memory_limit="1GB")  # a scan into pandas: small next to dbt's
        try:
            since = unpublished_since(con)
            cols = ", ".join(columns_for(source))
            df = con.execute(f"SELECT {cols} FROM raw.{source} WHERE load_id > ?", [since]).df()
        finally:
            con.close()
        result = validate_dataframe(source, df)
        del df
        release_freed_memory()
        metadata = {"rows_checked": result.rows, "since_load_id": since}
        for o in result.outcomes:
            label = f"{o.expectation}({o.column})"
            metadata[label] = "通过" if o.success else f"失败：{o.unexpected_count} 行，例如 {o.unexpected_examples}"
        if not result.success:
            context.log.error(
                f"数据检查 raw_{source} 未通过："
                + "；".join(f"{o.expectation}({o.column}) {o.unexpected_count} 行" for o in result.failures)
            )
        return dg.AssetCheckResult(passed=result.success, severity=dg.AssetCheckSeverity.ERROR, metadata=metadata)

    return _check


gx_checks = [_gx_check(s) for s in SOURCES]
