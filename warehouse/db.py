"""Connections: read-write for the run (build copy), read-only with no file access for everyone else."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.migrations import migrate
from warehouse.paths import Paths
from warehouse.schema import create_raw_schema

# Readers of the serving copy may not touch the file system or load extensions.
# The publish and the checks run inside the Dagster process: they stay small next to dbt's build (3 GB for the tree).
PUBLISH_CONFIG = {"memory_limit": "512MB", "threads": 2}
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
}


def duckdb_temp_dir(paths: Paths, role: str) -> Path:
    """Where a DuckDB of this role ("ingest" in the Dagster process, "dbt" in dbt's) spills beyond its memory limit:
    $SME_DUCKDB_TEMP_DIR/<role>, default $SME_HOME/warehouse/tmp/<role> (the dbt profile names the same folder).
    One folder per process: two DuckDB instances must not share a temp directory."""
    return Path(os.environ.get("SME_DUCKDB_TEMP_DIR") or paths.warehouse / "tmp") / role


def connect_build(paths: Paths, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    # DuckDB makes the spill folder itself but not its parents; this makes the root for dbt's folder too (the
    # run's ingest connects before dbt starts).
    duckdb_temp_dir(paths, "ingest").parent.mkdir(parents=True, exist_ok=True)
    config = {
        "memory_limit": memory_limit or os.environ.get("SME_DUCKDB_MEMORY", "2GB"),
        "threads": os.cpu_count() or 2,
        "temp_directory": str(duckdb_temp_dir(paths, "ingest")),
    }
    con = duckdb.connect(str(paths.build_db), config=config)
    create_raw_schema(con)
    migrate(con)  # numbered migrations (warehouse/migrations.py): one query when the stamp is current
    return con


def connect_marts(paths: Paths) -> duckdb.DuckDBPyConnection:
    """The marts file on its own (dbt writes it; the publish checkpoints and copies it). Tables are marts.<name>."""
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(paths.marts_db), config=dict(PUBLISH_CONFIG))


def connect_serving(paths: Paths) -> duckdb.DuckDBPyConnection:
    if not paths.serving_db.exists():
        raise FileNotFoundError(f"尚未发布任何数据：{paths.serving_db} 不存在，请先运行 `sme-monitor run`")
    con = duckdb.connect(str(paths.serving_db), read_only=True, config=dict(LOCKED_DOWN))
    con.execute("SET lock_configuration = true")
    return con


class RunLocked(RuntimeError):
    pass


_held: set[str] = set()  # lock files this process holds: the lock is re-entrant within one process


@contextlib.contextmanager
def run_lock(paths: Paths) -> Iterator[None]:
    """One pipeline run at a time. A second run refuses at once with a clear message.

    Re-entrant within a process: `sme-monitor run` takes it, and so does the Dagster run it starts
    (runs launched by the schedule, the sensor or the UI take it through the warehouse resource).
    """
    paths.warehouse.mkdir(parents=True, exist_ok=True)
    key = str(paths.run_lock)
    if key in _held:
        yield
        return
    fh = open(paths.run_lock, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        raise RunLocked(f"另一个运行正在进行中（进程 {holder}），本次运行未启动。请稍后再试。") from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        _held.add(key)
        yield
    finally:
        _held.discard(key)
        fh.seek(0)
        fh.truncate()
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def freeze_long_lived_objects() -> None:
    """Leave every object alive now out of the cyclic garbage collector's walks (gc.freeze).

    Called once a process has imported its modules and built what it keeps (the Dagster definitions of a run or
    of the code location; dbt's modules in sme-dbt; the collected tests in pytest): ≈ 0.3–0.5 M objects that live
    as long as the process. Each gc.collect() of release_freed_memory (after every source's ingest and
    data check, 8 a run) walked them all, 0.27 s each (2 s of a small run's CPU); now it walks what the run
    allocated since. Objects frozen here are never collected: call it only on what the process keeps anyway.
    """
    import gc

    gc.freeze()


def release_freed_memory() -> None:
    """Hand memory freed by a closed DuckDB connection or a dropped DataFrame back to the OS.

    The nightly run executes in one process: what ingest and the data checks freed stays in glibc's heap (RSS)
    while dbt's own process builds the models, and the two add up against the pipeline's memory budget.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass
