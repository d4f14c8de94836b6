"""warehouse/migrations.py: numbered migrations of build.duckdb with a version stamp."""

from __future__ import annotations

import duckdb
import pytest

import warehouse.migrations as m
from warehouse.schema import create_raw_schema


def _old_layout(path):
    """What a home built at 96a5381 (or earlier) has in build.duckdb that today's layout does not."""
    con = duckdb.connect(str(path))
    create_raw_schema(con)
    con.execute("CREATE SCHEMA marts; CREATE TABLE marts.enterprises AS SELECT 1 AS a")
    con.execute("CREATE SCHEMA intermediate")
    con.execute("CREATE VIEW intermediate.int_ops__enterprise_dims AS SELECT 1 AS a")
    con.execute("CREATE VIEW intermediate.int_operating__enterprise_dims AS SELECT 1 AS a")
    return con


def _has(con, table, column):
    return bool(
        con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? AND column_name = ?",
            [table, column],
        ).fetchone()[0]
    )


def test_migration_1_brings_the_old_layout_to_today_and_stamps_it(tmp_path):
    con = _old_layout(tmp_path / "b.duckdb")
    last = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = 'financing' "
        "ORDER BY column_index DESC LIMIT 1"
    ).fetchone()[0]
    con.execute("INSERT INTO raw.financing (load_id, source_file, source_row) VALUES (1, 'f.csv', 2)")
    con.execute(f"ALTER TABLE raw.financing DROP COLUMN {last}")
    assert m.schema_version(con) == 0
    assert m.migrate(con) == [1]
    assert m.schema_version(con) == m.LATEST == 1
    schemas = {r[0] for r in con.execute("SELECT schema_name FROM duckdb_schemas()").fetchall()}
    assert "marts" not in schemas
    views = {
        r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE schema_name = 'intermediate'").fetchall()
    }
    assert views == {"int_operating__enterprise_dims"}
    assert _has(con, "financing", last)
    assert con.execute(f"SELECT count(*), count({last}) FROM raw.financing").fetchone() == (1, 0)
    # a second call does nothing
    assert m.migrate(con) == []
    assert con.execute("SELECT count(*) FROM meta.schema_version").fetchone()[0] == 1


def test_a_failed_migration_leaves_no_stamp_and_is_redone(tmp_path, monkeypatch):
    con = _old_layout(tmp_path / "b.duckdb")

    def boom(c):
        c.execute("DROP SCHEMA marts CASCADE")
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(m, "MIGRATIONS", [(1, "boom", boom)])
    with pytest.raises(RuntimeError):
        m.migrate(con)
    assert m.schema_version(con) == 0
    assert con.execute("SELECT count(*) FROM marts.enterprises").fetchone()[0] == 1  # rolled back whole
    monkeypatch.undo()
    assert m.migrate(con) == [1]


def test_a_newer_database_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    create_raw_schema(con)
    m.migrate(con)
    con.execute("INSERT INTO meta.schema_version VALUES (?, 'from the future', now())", [m.LATEST + 1])
    with pytest.raises(RuntimeError, match="降级"):
        m.migrate(con)
