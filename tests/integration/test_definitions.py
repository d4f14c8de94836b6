"""The Dagster code location loads with its job, schedule, sensor and checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.sensors import inbox_fingerprint

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    """The definitions as the code location builds them: the manifest prepared first, explicitly."""
    from orchestration.defs.definitions import build_definitions
    from orchestration.lib.dbt_project import prepare_manifest

    prepare_manifest()
    return build_definitions()


def test_definitions_load(defs):
    job = defs.resolve_job_def("nightly")
    assert job is not None
    schedule = defs.resolve_schedule_def("nightly_0200")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "Asia/Shanghai"
    assert defs.resolve_sensor_def("inbox_sensor") is not None
    keys = {k.to_user_string() for k in defs.resolve_all_asset_keys()}
    for source in ("enterprises", "operating", "arrears", "financing"):
        assert f"raw/{source}" in keys
    assert "serving" in keys
    assert any(k.startswith("marts/") or k.startswith("tier") or "/" not in k for k in keys)
    checks = {c.name for c in defs.resolve_asset_graph().asset_check_keys}
    assert {f"gx_{s}_new_rows" for s in ("enterprises", "operating", "arrears", "financing")} <= checks


def test_dbt_assets_are_grouped_by_folder(defs):
    """staging, intermediate and one marts_<domain> group per folder under models/marts; none left in `default`."""
    from orchestration.defs.assets.dbt import group_for

    graph = defs.resolve_asset_graph()
    groups = {graph.get(k).group_name: k for k in graph.get_all_asset_keys()}
    assert "default" not in groups
    assert {"ingest", "publish", "staging", "intermediate", "seeds"} <= set(groups)
    from orchestration.lib.dbt_project import DBT_PROJECT_DIR

    folders = {d.name for d in (DBT_PROJECT_DIR / "models" / "marts").iterdir() if d.is_dir() and any(d.rglob("*.sql"))}
    assert len(folders) >= 5
    assert {g for g in groups if g.startswith("marts_")} == {f"marts_{f}" for f in folders}, sorted(groups)
    assert group_for(["sme_monitor", "staging", "arrears", "stg_arrears"], "model") == "staging"
    assert group_for(["sme_monitor", "marts", "tiers", "tier_assessments"], "model") == "marts_tiers"
    assert group_for(["sme_monitor", "marts", "enterprises"], "model") == "marts"
    assert group_for(["sme_monitor", "clusters", "x"], "seed") == "seeds"


def test_sensor_requests_a_run_only_for_new_files(tmp_path, monkeypatch):
    from orchestration.defs.sensors import inbox_sensor

    monkeypatch.setenv("SME_HOME", str(tmp_path))
    ctx = dg.build_sensor_context()
    assert isinstance(inbox_sensor(ctx), dg.SkipReason)
    inbox = tmp_path / "inbox" / "operating"
    inbox.mkdir(parents=True)
    (inbox / "a.csv").write_text("x\n")
    result = inbox_sensor(ctx)
    assert isinstance(result, dg.RunRequest)
    ctx2 = dg.build_sensor_context(cursor=ctx.cursor)
    assert isinstance(inbox_sensor(ctx2), dg.SkipReason)


def test_fingerprint_is_order_independent():
    a = [("operating/a.csv", 10, 1.0), ("arrears/b.csv", 5, 2.0)]
    assert inbox_fingerprint(a) == inbox_fingerprint(list(reversed(a)))
    assert inbox_fingerprint(a) != inbox_fingerprint(a[:1])


def test_instance_event_log_is_dagster_sqlite_in_wal_mode(tmp_path):
    """The dagster.yaml the CLI writes: the UI's run history in Dagster's own SQLite files, committed without fsync."""
    import sqlite3

    from sme_testing import dagster_instance, tiny_job

    from orchestration.lib.instance import OLD_DEFAULT, ensure_dagster_yaml

    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text(OLD_DEFAULT)  # what earlier versions wrote: upgraded
    with dagster_instance(home) as instance:  # (ensure_dagster_yaml, as every sme-monitor command)
        assert type(instance.event_log_storage).__name__ == "FastSqliteEventLogStorage"
        result = tiny_job().execute_in_process(instance=instance)
        assert result.success
        assert len(instance.all_logs(result.run_id)) > 5
        assert instance.get_run_by_id(result.run_id).is_success
        con = sqlite3.connect(home / "history" / "runs" / f"{result.run_id}.db")
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        con.close()
    # a hand-edited dagster.yaml (no marker line) is left alone
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: true\n")
    ensure_dagster_yaml(home)
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: true\n"


def test_ingest_asset_materializes_in_process(defs, tmp_path):
    """One asset of the code location, materialized in-process (dg.materialize) on an empty home: nothing to load."""
    from orchestration.defs.resources import WarehouseResource

    asset = defs.get_assets_def(dg.AssetKey(["raw", "enterprises"]))
    result = dg.materialize([asset], resources={"warehouse": WarehouseResource(home=str(tmp_path / "home"))})
    assert result.success
    meta = result.asset_materializations_for_node(asset.op.name)[0].metadata
    assert meta["files"].value == 0 and meta["raw_rows_total"].value == 0
    assert (tmp_path / "home" / "warehouse" / "build.duckdb").exists()


# moved from tests/unit/test_orchestration_cli_imports.py: it loads the code location (dbt manifest included)
def test_code_location_loads_with_dagster(tmp_path):
    """`dagster dev -m orchestration.defs.definitions` (scripts/serve.sh) finds and loads the definitions."""
    env = dict(
        os.environ,
        SME_HOME=str(tmp_path / "home"),
        DAGSTER_HOME=str(tmp_path / "dagster"),
        PYTHONPATH=str(ROOT),
        DAGSTER_DISABLE_TELEMETRY="1",
    )
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.defs.definitions"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
