"""Publish the marts as the read-only serving copy, atomically; keep the last copies; roll back.

dbt builds the marts into their own file, build_marts.duckdb (attached to the build as `build_marts`
by warehouse/dbt_home.py). A publish checkpoints that file, copies it byte for byte next to the
serving copy (the kernel copies ≈ 1 GB in well under a second; nothing is decompressed or recompressed),
drops from the copy anything that is not a table of schema `marts`, writes the small `audit` schema into
it (without personal data), checkpoints and closes it, fsyncs, then os.replace()s it onto serving.duckdb.
Readers that have the old file open keep reading it; the next connection sees the new one. The
published copies are kept as hard links under published/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from warehouse.db import PUBLISH_CONFIG, connect_marts, fsync_dir
from warehouse.paths import Paths

KEEP = 7  # default number of published copies kept (SME_PUBLISHED_KEEP); each is the size of the serving copy


def copies_to_keep(environ: dict[str, str] | None = None) -> int:
    """How many published copies to keep: SME_PUBLISHED_KEEP (default 7, at least 2 so that `sme-monitor rollback`
    has a previous copy). At 4× the province a copy is ≈ 4.5 GB (docs/SCALE.md), so a server may want fewer."""
    raw = (os.environ if environ is None else environ).get("SME_PUBLISHED_KEEP", "").strip()
    if not raw:
        return KEEP
    try:
        n = int(raw)
    except ValueError as exc:
        raise ValueError(f"SME_PUBLISHED_KEEP 应为整数（保留的已发布副本数），实际为 {raw!r}") from exc
    return max(n, 2)


# Audit tables analysts may read: the manifest and the quarantine without the whole raw row
# (which can carry 联系人/联系电话 from an enterprises file).
AUDIT_TABLES = {
    "load_manifest": "SELECT * EXCLUDE (archived_path) FROM build.raw.load_manifest",
    "quarantine": "SELECT * EXCLUDE (raw_record) FROM build.raw.quarantine",
    "load_warnings": "SELECT * FROM build.raw.load_warnings",
}
# Left by dbt's table materialisation when a build was killed between its renames.
DBT_LEFTOVERS = ("__dbt_tmp", "__dbt_backup")


def _keep_only_marts_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Drop from the copy what readers must not see: other schemas, views, dbt's leftovers. Returns the kept tables."""
    db = con.execute("SELECT current_database()").fetchone()[0]
    for view_schema, view in con.execute(
        "SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = ? AND NOT internal", [db]
    ).fetchall():
        con.execute(f'DROP VIEW "{view_schema}"."{view}"')
    kept = []
    for schema, table in con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1, 2", [db]
    ).fetchall():
        if schema == "marts" and not table.endswith(DBT_LEFTOVERS):
            kept.append(f"marts.{table}")
        else:
            con.execute(f'DROP TABLE "{schema}"."{table}"')
    for (schema,) in con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? AND NOT internal AND schema_name NOT IN ('main', 'marts')",
        [db],
    ).fetchall():
        con.execute(f'DROP SCHEMA "{schema}" CASCADE')
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    return kept


def _write_audit(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute("CREATE SCHEMA audit")
    written = []
    for name, sql in AUDIT_TABLES.items():
        con.execute(f"CREATE TABLE audit.{name} AS {sql}")
        written.append(f"audit.{name}")
    con.execute(
        "CREATE TABLE audit.publication AS SELECT ?::TIMESTAMP AS published_at, ?::BIGINT AS last_load_id",
        [dt.datetime.now(), con.execute("SELECT max(load_id) FROM build.raw.load_manifest").fetchone()[0]],
    )
    return written


def remove_stale_staging(paths: Paths) -> list[Path]:
    """Staging files left by a publish that was killed before its os.replace (runs hold the run lock)."""
    stale = sorted(paths.warehouse.glob(".serving-*.tmp")) + sorted(paths.warehouse.glob(".serving-*.tmp.wal"))
    for p in stale:
        p.unlink(missing_ok=True)
    return stale


def _settle_marts(paths: Paths) -> None:
    """Fold any WAL into build_marts.duckdb so that the file alone is the whole database."""
    con = connect_marts(paths)
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = paths.marts_db.with_name(paths.marts_db.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise RuntimeError(f"{wal} 仍有未合并的日志，无法发布")


def publish(paths: Paths) -> Path:
    """Copy the marts file as the next serving copy and swap it in. Returns the kept copy's path."""
    paths.published.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(paths)
    _settle_marts(paths)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    kept = paths.published / f"serving-{stamp}.duckdb"
    staging = paths.warehouse / f".serving-{stamp}.tmp"
    try:
        shutil.copyfile(paths.marts_db, staging)
        con = duckdb.connect(str(staging), config=dict(PUBLISH_CONFIG))
        try:
            _keep_only_marts_tables(con)
            con.execute(f"ATTACH '{paths.build_db}' AS build (READ_ONLY)")
            _write_audit(con)
            con.execute("DETACH build")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(staging, "rb") as fh:
            os.fsync(fh.fileno())
        os.link(staging, kept)
        os.replace(staging, paths.serving_db)
    except BaseException:
        # e.g. the disk filled up: the serving copy is untouched; do not leave a partial copy on a full disk
        for p in (staging, staging.with_name(staging.name + ".wal")):
            p.unlink(missing_ok=True)
        if kept.exists() and (not paths.serving_db.exists() or not os.path.samefile(kept, paths.serving_db)):
            kept.unlink()
        raise
    fsync_dir(paths.warehouse)
    fsync_dir(paths.published)
    prune(paths)
    return kept


def record_publication(build_con: duckdb.DuckDBPyConnection, kept: Path, last_load_id: int | None) -> None:
    build_con.execute("INSERT INTO raw.publications VALUES (now(), ?, ?)", [last_load_id, str(kept)])


def unpublished_since(build_con: duckdb.DuckDBPyConnection) -> int:
    """Rows with load_id above this have not been published yet (and must pass the checks first)."""
    return build_con.execute("SELECT coalesce(max(last_load_id), 0) FROM raw.publications").fetchone()[0]


def published_copies(paths: Paths) -> list[Path]:
    return sorted(paths.published.glob("serving-*.duckdb"))


def prune(paths: Paths, keep: int | None = None) -> None:
    keep = copies_to_keep() if keep is None else keep
    for old in published_copies(paths)[:-keep]:
        old.unlink(missing_ok=True)


def current_copy(paths: Paths) -> Path | None:
    if not paths.serving_db.exists():
        return None
    ino = paths.serving_db.stat().st_ino
    return next((p for p in published_copies(paths) if p.stat().st_ino == ino), None)


def rollback(paths: Paths) -> Path:
    """Serve the copy published before the current one (the current one is set aside, not deleted)."""
    copies = published_copies(paths)
    current = current_copy(paths)
    if current is None or current not in copies:
        raise RuntimeError("无法确定当前发布的版本，无法回滚")
    idx = copies.index(current)
    if idx == 0:
        raise RuntimeError("没有更早的发布版本可供回滚")
    target = copies[idx - 1]
    tmp = paths.warehouse / ".rollback.tmp"
    tmp.unlink(missing_ok=True)
    os.link(target, tmp)
    os.replace(tmp, paths.serving_db)
    # The rolled-back-from copy is renamed so that a second rollback goes further back.
    current.rename(current.with_name(current.name.replace("serving-", "rolledback-")))
    fsync_dir(paths.warehouse)
    return target
