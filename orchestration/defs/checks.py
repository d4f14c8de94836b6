"""GX suites as blocking asset checks on the rows that have not been published yet."""

import dagster as dg

from ingest.contract import SOURCES
from orchestration.defs.resources import WarehouseResource

# Rows of one batch handed to GX (≈ 0.4 GB of peak memory per million operating rows, measured).
GX_BATCH_ROWS = 500_000


def _gx_check(source: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", source]),
        name=f"gx_{source}_new_rows",
        blocking=True,
        description=f"Great Expectations 规则集 raw_{source}：检查尚未发布的新数据；失败则本次不发布。",
    )
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource) -> dg.AssetCheckResult:
        from expectations.suites import SuiteRunner, columns_for, merge_results, plan_batches
        from warehouse.db import connect_build, release_freed_memory
        from warehouse.publish import unpublished_since

        # The new rows go to pandas a batch of whole loads at a time, so that the check's memory does not grow
        # with a full rebuild's size (3.5 M operating rows at province scale, 14 M at 4×).
        con = connect_build(warehouse.paths, memory_limit="1GB")  # a scan into pandas: small next to dbt's
        parts = []
        try:
            since = unpublished_since(con)
            cols = ", ".join(columns_for(source))
            counts = con.execute(
                f"SELECT load_id, count(*) FROM raw.{source} WHERE load_id > ? GROUP BY 1 ORDER BY 1", [since]
            ).fetchall()
            runner = SuiteRunner(source)
            for lo, hi in plan_batches(counts, GX_BATCH_ROWS):
                df = con.execute(f"SELECT {cols} FROM raw.{source} WHERE load_id BETWEEN ? AND ?", [lo, hi]).df()
                parts.append(runner.run(df))
                del df
                release_freed_memory()
        finally:
            con.close()
        result = merge_results(source, parts)
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
