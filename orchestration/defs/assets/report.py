"""The monthly analysis report: a monthly-partitioned asset downstream of `serving`, thin over reports/.

Each partition writes the province edition and the 17 市州 editions of that month (HTML, PDF, DOCX) into
$SME_HOME/reports/<YYYY-MM>/, from the published serving copy only. The nightly job does not contain it (a job
holds one partitions definition); after a successful nightly run `monthly_report_sensor` requests the partitions
whose data may have changed (the latest month with data and the one before); older months are backfilled from the UI.
"""

import os

import dagster as dg

from orchestration.defs.assets.publish import PUBLISH_KEY
from orchestration.defs.jobs import nightly_job
from orchestration.defs.resources import WarehouseResource

REPORT_KEY = dg.AssetKey(["monthly_report"])
# the first operating month of the monitoring (the demo sample starts 2020-01); end_offset=1: the current month is
# a partition too, so a month can be reported as soon as its data are published
monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=os.environ.get("SME_REPORT_FIRST_MONTH", "2020-01-01"), end_offset=1
)
REFRESH_MONTHS = 2  # the nightly refresh: the latest month with data and the previous one


@dg.asset(
    key=REPORT_KEY,
    deps=[PUBLISH_KEY],
    partitions_def=monthly_partitions,
    group_name="publish",
    kinds={"pdf"},
    description="月度运行监测分析报告：全省及17个市州版（HTML/PDF/DOCX），只读服务库生成，写入 $SME_HOME/reports/<月份>/。",
)
def monthly_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    from reports.cli import generate
    from warehouse.db import connect_serving

    month = context.partition_key[:7]
    paths = warehouse.paths
    con = connect_serving(paths)
    try:
        has_data = con.execute(
            "SELECT count(*) FROM marts.enterprise_months WHERE strftime(period, '%Y-%m') = ?", [month]
        ).fetchone()[0]
        if not has_data:
            context.log.warning(f"{month} 没有已发布的企业月度运行数据，不生成报告")
            return dg.MaterializeResult(metadata={"month": month, "editions": 0})
        formats = tuple(
            x.strip() for x in os.environ.get("SME_REPORT_FORMATS", "html,pdf,docx").split(",") if x.strip()
        )
        done = generate(con, paths.home, month, "all", formats, log=context.log.info)
    finally:
        con.close()
    return dg.MaterializeResult(
        metadata={
            "month": month,
            "editions": len(done),
            "folder": dg.MetadataValue.path(str(paths.home / "reports" / month)),
        }
    )


monthly_report_job = dg.define_asset_job(
    name="monthly_report_job",
    selection=dg.AssetSelection.assets(REPORT_KEY),
    partitions_def=monthly_partitions,
    executor_def=dg.in_process_executor,
    description="生成某月的全省及市州分析报告（按月分区；可在界面上回填历史月份）。",
)


def months_to_refresh(paths, n: int = REFRESH_MONTHS) -> list[str]:
    """Partition keys of the latest n months with published operating data (that exist as partitions)."""
    from warehouse.db import connect_serving

    con = connect_serving(paths)
    try:
        months = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT strftime(period, '%Y-%m-01') AS k FROM marts.enterprise_months ORDER BY k DESC LIMIT ?",
                [n],
            ).fetchall()
        ]
    finally:
        con.close()
    keys = set(monthly_partitions.get_partition_keys())
    return sorted(k for k in months if k in keys)


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[nightly_job],
    request_job=monthly_report_job,
    description="每晚运行成功后刷新最近两个月的分析报告。",
)
def monthly_report_sensor(context: dg.RunStatusSensorContext):
    from warehouse.paths import Paths

    try:
        keys = months_to_refresh(Paths.from_env())
    except FileNotFoundError:
        return dg.SkipReason("尚未发布服务库")
    return [dg.RunRequest(run_key=f"{context.dagster_run.run_id}:{k}", partition_key=k) for k in keys]
