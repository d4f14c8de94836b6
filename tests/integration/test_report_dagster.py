"""The monthly report in Dagster: a monthly-partitioned asset downstream of `serving`, its own job (the nightly job
stays unpartitioned), and a sensor that asks for the latest two months after a nightly success."""

from __future__ import annotations

import dagster as dg
import pytest

from warehouse.paths import Paths


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    from orchestration.defs.definitions import build_definitions
    from orchestration.lib.dbt_project import prepare_manifest

    prepare_manifest()
    return build_definitions()


def test_monthly_report_asset_is_partitioned_and_downstream_of_serving(defs):
    graph = defs.resolve_asset_graph()
    key = dg.AssetKey(["monthly_report"])
    node = graph.get(key)
    assert dg.AssetKey(["serving"]) in node.parent_keys
    pdef = node.partitions_def
    assert isinstance(pdef, dg.MonthlyPartitionsDefinition)
    keys = pdef.get_partition_keys()
    assert keys[0] == "2020-01-01" and "2025-12-01" in keys
    nightly = defs.resolve_job_def("nightly")
    assert key not in nightly.asset_layer.selected_asset_keys  # the nightly job stays unpartitioned
    assert defs.resolve_job_def("monthly_report_job").partitions_def == pdef
    assert defs.resolve_sensor_def("monthly_report_sensor") is not None


def test_refresh_asks_for_the_latest_two_months(published_sample):
    from orchestration.defs.assets.report import months_to_refresh
    from warehouse.db import connect_serving

    con = connect_serving(Paths(published_sample))
    try:
        latest = con.execute("SELECT max(period) FROM marts.enterprise_months").fetchone()[0]
    finally:
        con.close()
    prev = (
        latest.replace(year=latest.year - 1, month=12) if latest.month == 1 else latest.replace(month=latest.month - 1)
    )
    assert months_to_refresh(Paths(published_sample)) == [prev.strftime("%Y-%m-01"), latest.strftime("%Y-%m-01")]


def test_materialising_a_partition_writes_all_18_editions(published_sample, monkeypatch):
    """One partition of the asset, run through Dagster on the published sample (HTML only, to keep it short):
    the province edition and the 17 市州 editions of that month, nothing else."""
    from orchestration.defs.assets.report import monthly_report
    from orchestration.defs.resources import WarehouseResource
    from warehouse.db import connect_serving

    con = connect_serving(Paths(published_sample))
    try:
        latest = con.execute("SELECT max(period) FROM marts.enterprise_months").fetchone()[0]
        regions = [n for (n,) in con.execute("SELECT region_name FROM marts.regions").fetchall()]
    finally:
        con.close()
    monkeypatch.setenv("SME_REPORT_FORMATS", "html")
    folder = published_sample / "reports" / latest.strftime("%Y-%m")
    result = dg.materialize(
        [monthly_report],
        partition_key=latest.strftime("%Y-%m-01"),
        resources={"warehouse": WarehouseResource(home=str(published_sample))},
        selection=[dg.AssetKey(["monthly_report"])],
    )
    assert result.success
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 18 and all(n.endswith(".html") for n in names)
    for region in ["湖北省", *regions]:
        assert any(n.startswith(f"{region}中小企业运行监测分析报告_") for n in names), region
