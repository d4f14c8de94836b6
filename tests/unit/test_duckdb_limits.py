"""DuckDB's memory limit and spill folder come from the environment (issue 11: spill instead of failing)."""

from __future__ import annotations

from pathlib import Path

import yaml

from warehouse.db import connect_build, duckdb_temp_dir
from warehouse.paths import Paths

ROOT = Path(__file__).resolve().parents[2]


def _settings(con) -> tuple[str, str]:
    return con.execute("SELECT current_setting('temp_directory'), current_setting('memory_limit')").fetchone()


def test_build_connection_spills_under_home_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("SME_DUCKDB_TEMP_DIR", raising=False)
    monkeypatch.setenv("SME_DUCKDB_MEMORY", "300MB")
    paths = Paths(tmp_path)
    con = connect_build(paths)
    try:
        tmp, mem = _settings(con)
    finally:
        con.close()
    assert Path(tmp) == tmp_path / "warehouse" / "tmp" / "ingest"
    assert mem.endswith("MiB") and 250 < float(mem.split()[0]) < 300  # 300 MB = 286.1 MiB


def test_temp_dir_from_environment_one_folder_per_process(tmp_path, monkeypatch):
    monkeypatch.setenv("SME_DUCKDB_TEMP_DIR", str(tmp_path / "big-disk"))
    paths = Paths(tmp_path / "home")
    con = connect_build(paths)
    try:
        tmp, _ = _settings(con)
    finally:
        con.close()
    assert Path(tmp) == tmp_path / "big-disk" / "ingest"
    assert duckdb_temp_dir(paths, "dbt") != duckdb_temp_dir(paths, "ingest")


def test_build_connection_spills_instead_of_failing(tmp_path, monkeypatch):
    monkeypatch.delenv("SME_DUCKDB_TEMP_DIR", raising=False)
    monkeypatch.setenv("SME_DUCKDB_MEMORY", "64MB")
    con = connect_build(Paths(tmp_path))
    try:
        # a sort of ~ 300 MB of rows under a 64 MB limit: done by spilling into the temp folder
        n = con.execute(
            "SELECT count(*) FROM (SELECT i, md5(i::VARCHAR) h FROM range(3000000) t(i) ORDER BY h)"
        ).fetchone()[0]
        spilled = (tmp_path / "warehouse" / "tmp" / "ingest").exists()
    finally:
        con.close()
    assert n == 3_000_000
    assert spilled


def test_dbt_profile_passes_the_same_folder_at_connect_time(tmp_path, monkeypatch):
    prof = yaml.safe_load((ROOT / "dbt_project" / "profiles.yml").read_text())["sme_monitor"]["outputs"]["dev"]
    # the folder is given when the database is opened (the plugin's connect config), not under settings (re-SET on
    # every connection, which DuckDB refuses once the folder was used)
    assert "temp_directory" not in prof.get("settings", {})
    assert [p["module"] for p in prof["plugins"]] == ["warehouse.dbt_home"]
    assert "SME_DUCKDB_MEMORY" in prof["settings"]["memory_limit"]
    from warehouse.dbt_home import Plugin

    monkeypatch.setenv("SME_HOME", str(tmp_path))
    monkeypatch.delenv("SME_DUCKDB_TEMP_DIR", raising=False)
    config: dict = {}
    Plugin("dbt_home", {}).update_connection_config(None, config)
    assert Path(config["temp_directory"]) == tmp_path / "warehouse" / "tmp" / "dbt"
    monkeypatch.setenv("SME_DUCKDB_TEMP_DIR", str(tmp_path / "big-disk"))
    Plugin("dbt_home", {}).update_connection_config(None, config)
    assert Path(config["temp_directory"]) == tmp_path / "big-disk" / "dbt"


def test_dbt_profile_names_no_home_path_and_the_plugin_opens_the_homes_files(tmp_path, monkeypatch):
    """dbt keeps its parse state only while the profile's connection settings stay the same: the profile must not
    name the home (warehouse/dbt_home.py); the plugin attaches the home's files under the names the models use."""
    import duckdb

    from warehouse.dbt_home import Plugin

    text = (ROOT / "dbt_project" / "profiles.yml").read_text()
    assert "env_var('SME_HOME')" not in text
    prof = yaml.safe_load(text)["sme_monitor"]["outputs"]["dev"]
    assert prof["path"] == ":memory:" and "attach" not in prof

    home = tmp_path / "县's home"  # a quote in the path: the files are attached by bound parameters
    monkeypatch.setenv("SME_HOME", str(home))
    paths = Paths(home)
    paths.warehouse.mkdir(parents=True)
    plugin = Plugin("dbt_home", {})
    con = duckdb.connect(":memory:")
    plugin.configure_connection(con)
    con.execute("CREATE SCHEMA staging; CREATE TABLE staging.t AS SELECT 1 AS x")
    con.execute("CREATE SCHEMA build_marts.marts; CREATE TABLE build_marts.marts.m AS SELECT 2 AS y")
    cursor = con.cursor()
    plugin.configure_cursor(cursor)
    assert cursor.execute("SELECT x FROM staging.t").fetchone() == (1,)  # `build` is every cursor's default
    cursor.close()
    con.close()
    assert duckdb.connect(str(paths.build_db)).execute("SELECT x FROM staging.t").fetchone() == (1,)
    assert duckdb.connect(str(paths.marts_db)).execute("SELECT y FROM marts.m").fetchone() == (2,)


FREEZE_PROBE = r"""
import gc, json, weakref
from warehouse.db import freeze_long_lived_objects, release_freed_memory

class Node:
    pass

def cycles(n):
    out = []
    for _ in range(n):
        a, b = Node(), Node()
        a.other, b.other = b, a
        out.append(a)
    return out

kept = cycles(200_000)  # what a run's process keeps: modules, definitions
walked_before = len(gc.get_objects())  # what a full collection walks
freeze_long_lived_objects()
walked_after = len(gc.get_objects())
garbage = cycles(10)  # what a run drops: a cycle only the collector can free
probe = weakref.ref(garbage[0])
del garbage
release_freed_memory()
print(json.dumps({"frozen": gc.get_freeze_count(), "freed": probe() is None, "before": walked_before,
                  "after": walked_after}))
"""


def test_frozen_objects_are_not_walked_and_new_garbage_is_still_freed():
    """freeze_long_lived_objects (called by `sme-monitor run` and the code location once the definitions are built)
    takes what the process keeps out of release_freed_memory's collections; cycles the run drops still go."""
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", FREEZE_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    probe = json.loads(proc.stdout)
    assert probe["frozen"] >= 400_000 and probe["before"] >= 400_000
    assert probe["after"] < 1_000, probe  # the kept objects are no longer walked
    assert probe["freed"]
