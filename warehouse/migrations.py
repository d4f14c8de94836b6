"""Numbered migrations of build.duckdb, with a version stamp in meta.schema_version.

`sme-monitor upgrade` applies them, and so does every run (connect_build calls `migrate` before the run touches
the database; when the stamp is current that is one query). Each migration runs in one transaction together with
its stamp row, so a migration killed half-way is redone whole by the next run.

Adding a migration: append (number, description, function) to MIGRATIONS; never change an applied one.

1. From the layout of commit 96a5381 (and older) to today's:
   - the old `marts` schema inside build.duckdb (the marts now live in build_marts.duckdb, attached as
     `build_marts`) is dropped; publish used to drop it and no longer does;
   - the view intermediate.int_ops__enterprise_dims, renamed int_operating__enterprise_dims (dbt does not drop
     a renamed model's old relation);
   - raw tables get any contract column they lack (ALTER TABLE ADD COLUMN, NULL for the rows already loaded):
     none between 96a5381 and today, but a raw column added to ingest/contract.py later is picked up here.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from ingest.contract import DUCKDB_TYPES, TEMPLATES

META_DDL = """
CREATE TABLE IF NOT EXISTS meta.schema_version (
  version INTEGER PRIMARY KEY,
  description VARCHAR NOT NULL,
  applied_at TIMESTAMP NOT NULL
)
"""


def add_missing_raw_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    added = []
    for source, tpl in TEMPLATES.items():
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
                "AND schema_name = 'raw' AND table_name = ?",
                [source],
            ).fetchall()
        }
        for f in tpl.fields:
            if f.name not in have:
                con.execute(f"ALTER TABLE raw.{source} ADD COLUMN {f.name} {DUCKDB_TYPES[f.type]}")
                added.append(f"raw.{source}.{f.name}")
    return added


def _m1_layout_of_96a5381(con: duckdb.DuckDBPyConnection) -> None:
    db = con.execute("SELECT current_database()").fetchone()[0]
    if con.execute(
        "SELECT count(*) FROM duckdb_schemas() WHERE database_name = ? AND schema_name = 'marts'", [db]
    ).fetchone()[0]:
        con.execute("DROP SCHEMA marts CASCADE")
    for kind in ("VIEW", "TABLE"):
        found = con.execute(
            f"SELECT count(*) FROM duckdb_{kind.lower()}s() WHERE database_name = ? AND schema_name = 'intermediate' "
            f"AND {kind.lower()}_name = 'int_ops__enterprise_dims'",
            [db],
        ).fetchone()[0]
        if found:
            con.execute(f"DROP {kind} intermediate.int_ops__enterprise_dims")
    add_missing_raw_columns(con)


MIGRATIONS: list[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    (1, "layout of 96a5381 -> today: old marts schema, int_ops__enterprise_dims, raw columns", _m1_layout_of_96a5381),
]
LATEST = MIGRATIONS[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The stamp of this build database (0 = never migrated, e.g. built before migrations existed)."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'meta' AND table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:  # (no query of a missing table: DuckDB would look for a Python variable of that name)
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM meta.schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply the migrations this database lacks, in order. Returns the numbers applied."""
    current = schema_version(con)
    if current > LATEST:
        raise RuntimeError(f"数据库版本 {current} 比本程序支持的 {LATEST} 新：请使用较新的版本，不要降级")
    applied = []
    for number, description, fn in MIGRATIONS:
        if number <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("CREATE SCHEMA IF NOT EXISTS meta")
            con.execute(META_DDL)
            fn(con)
            con.execute("INSERT INTO meta.schema_version VALUES (?, ?, now())", [number, description])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(number)
    return applied
