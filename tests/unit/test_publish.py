"""Publish and rollback on a small build database (no dbt needed)."""

from __future__ import annotations

import os
import stat

import duckdb
import pytest

from warehouse.db import LOCKED_DOWN, connect_build, connect_marts, connect_serving, run_lock
from warehouse.paths import Paths
from warehouse.publish import current_copy, publish, published_copies, rollback


def build_with(paths: Paths, value: int) -> None:
    con = connect_marts(paths)  # dbt writes the marts into their own file
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("CREATE OR REPLACE TABLE marts.answer AS SELECT ? AS value", [value])
    con.close()
    con = connect_build(paths)
    con.execute(
        "INSERT INTO raw.enterprises (load_id, source_file, source_row, uscc, name, contact_name, contact_phone) "
        "VALUES (?, 'f.csv', 2, 'U', 'N', '张三', '13800000000')",
        [value],
    )
    con.close()


def serving_value(paths: Paths) -> int:
    con = connect_serving(paths)
    try:
        return con.execute("SELECT value FROM marts.answer").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def paths(tmp_path) -> Paths:
    return Paths(tmp_path / "home").ensure()


def test_publish_replaces_and_keeps_copies(paths):
    for v in range(1, 10):
        build_with(paths, v)
        publish(paths)
        assert serving_value(paths) == v
    assert len(published_copies(paths)) == 7
    assert current_copy(paths) == published_copies(paths)[-1]


def test_serving_copy_has_no_raw_schema_and_no_personal_data(paths):
    build_with(paths, 1)
    publish(paths)
    con = connect_serving(paths)
    schemas = {r[0] for r in con.execute("SELECT DISTINCT schema_name FROM duckdb_tables()").fetchall()}
    cols = {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns()").fetchall()}
    con.close()
    assert schemas == {"marts", "audit"}
    assert not {"contact_name", "contact_phone", "raw_record"} & cols


def test_rollback_restores_previous(paths):
    build_with(paths, 1)
    publish(paths)
    build_with(paths, 2)
    publish(paths)
    assert serving_value(paths) == 2
    rollback(paths)
    assert serving_value(paths) == 1
    with pytest.raises(RuntimeError):
        rollback(paths)


def test_open_reader_keeps_old_data_during_publish(paths):
    build_with(paths, 1)
    publish(paths)
    reader = connect_serving(paths)
    build_with(paths, 2)
    publish(paths)
    assert reader.execute("SELECT value FROM marts.answer").fetchone()[0] == 1
    reader.close()
    assert serving_value(paths) == 2


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "COPY marts.answer TO '/tmp/x.csv'",
        "CREATE TABLE marts.x AS SELECT 1",
        "INSERT INTO marts.answer VALUES (3)",
        "ATTACH '/tmp/other.duckdb' AS o",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
    ],
)
def test_serving_connection_refuses_files_and_writes(paths, sql):
    build_with(paths, 1)
    publish(paths)
    con = connect_serving(paths)
    with pytest.raises(duckdb.Error):
        con.execute(sql)
    con.close()
    assert LOCKED_DOWN["enable_external_access"] is False


def test_second_run_is_refused(paths):
    import subprocess
    import sys

    probe = (
        "import sys; from pathlib import Path; from warehouse.db import run_lock, RunLocked; from warehouse.paths import Paths\n"
        "try:\n    with run_lock(Paths(Path(sys.argv[1]))): print('got it')\n"
        "except RunLocked as e: print(e)"
    )
    with run_lock(paths):
        with run_lock(paths):  # re-entrant in the process that holds it (the CLI and its Dagster run)
            pass
        other = subprocess.run([sys.executable, "-c", probe, str(paths.home)], capture_output=True, text=True)
        assert "另一个运行正在进行中" in other.stdout, other.stdout + other.stderr
    after = subprocess.run([sys.executable, "-c", probe, str(paths.home)], capture_output=True, text=True)
    assert "got it" in after.stdout  # released


def test_published_files_are_not_world_writable(paths):
    build_with(paths, 1)
    publish(paths)
    mode = os.stat(paths.serving_db).st_mode
    assert not mode & stat.S_IWOTH


def test_only_the_marts_tables_are_published(paths):
    """The serving copy is a copy of the marts file: whatever else is in that file is dropped from the copy."""
    build_with(paths, 1)
    con = connect_marts(paths)
    con.execute("CREATE TABLE marts.answer__dbt_backup AS SELECT 0 AS value")  # left by a killed dbt build
    con.execute("CREATE VIEW marts.v AS SELECT * FROM marts.answer")
    con.execute("CREATE SCHEMA scratch")
    con.execute("CREATE TABLE scratch.t AS SELECT 1 AS x")
    con.execute("CREATE TABLE main.t AS SELECT 1 AS x")
    con.close()
    publish(paths)
    con = connect_serving(paths)
    tables = set(con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall())
    views = con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchone()[0]
    con.close()
    audit = {("audit", t) for t in ("load_manifest", "quarantine", "load_warnings", "publication")}
    assert tables == {("marts", "answer")} | audit
    assert views == 0
    # the marts file itself is untouched: the next dbt build carries on from it
    con = connect_marts(paths)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'scratch'").fetchone()[0] == 1
    con.close()
    assert not os.path.samefile(paths.marts_db, paths.serving_db)


def test_published_copies_kept_from_the_environment():
    from warehouse.publish import KEEP, copies_to_keep

    assert copies_to_keep({}) == KEEP
    assert copies_to_keep({"SME_PUBLISHED_KEEP": "3"}) == 3
    assert copies_to_keep({"SME_PUBLISHED_KEEP": "1"}) == 2  # rollback needs the previous copy
    with pytest.raises(ValueError, match="SME_PUBLISHED_KEEP"):
        copies_to_keep({"SME_PUBLISHED_KEEP": "many"})
