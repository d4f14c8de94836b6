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


def test_dbt_profile_passes_the_same_folder_at_connect_time():
    prof = yaml.safe_load((ROOT / "dbt_project" / "profiles.yml").read_text())["sme_monitor"]["outputs"]["dev"]
    # under config_options (given to duckdb.connect), not settings (re-SET on every connection, which DuckDB
    # refuses once the folder was used)
    assert "temp_directory" not in prof.get("settings", {})
    tmp = prof["config_options"]["temp_directory"]
    assert "SME_DUCKDB_TEMP_DIR" in tmp and "/warehouse/tmp" in tmp and tmp.endswith("/dbt")
    assert "SME_DUCKDB_MEMORY" in prof["settings"]["memory_limit"]
