"""An event log storage for the Dagster instance under $SME_HOME/dagster that commits without fsync.

Dagster's SQLite event log opens a new connection for every event (≈ 900 per nightly run: dbt models,
dbt tests as asset checks, step events, log lines) and commits it. Its `PRAGMA journal_mode=WAL` runs inside
a transaction, where SQLite ignores it, so the files stay in rollback-journal mode: every commit creates,
fsyncs and deletes a journal and fsyncs the database and the folder (≈ 17 ms per event on this disk,
15–18 s per run). This storage keeps the same files and schema (the UI and `dagster` CLI read them as
usual) with these changes:

- WAL mode for real, and `PRAGMA synchronous=NORMAL`: a commit no longer waits for the disk; the
  database stays consistent after a crash of the process or of the machine (a machine crash may lose the last
  events of a run, never corrupt the history);
- one engine per recently used shard, kept with its one pooled connection, instead of a new engine and a new
  connection per event: the pooled connection keeps the WAL open (closing a per-event connection was "the last
  close", which checkpoints the WAL each time; SQLite still checkpoints every 1000 pages), and the engine keeps
  SQLAlchemy's compiled-statement cache (a new engine compiled every INSERT again). Measured on a run of the test
  sample (≈ 900 events, py-spy): the event log's share of the run's CPU from 5.5 s to 1.9 s;
- a table of the index shard, once found, is remembered (`has_table`): Dagster asks before storing each asset
  check result and each materialization's tags, and answered every time with a new engine, connection and schema
  query (≈ 0.9 s of a run's CPU on the test sample, 2026-12-07). A table not found is asked again each time (a
  `dagster instance migrate` in another process adds it); `wipe` forgets them all.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

KEEP_OPEN = 4  # shards (the index and the runs in progress) whose engine and connection stay open
BUSY_TIMEOUT_SECONDS = 30  # as Dagster's own SQLite storages wait for a lock held by another process

_fast_dirs: set[str] = set()
_hook_lock = threading.Lock()
_hooked = False


def _on_connect(dbapi_connection, connection_record) -> None:
    if not _fast_dirs or not isinstance(dbapi_connection, sqlite3.Connection):
        return
    rows = dbapi_connection.execute("PRAGMA database_list").fetchall()
    path = next((r[2] for r in rows if r[1] == "main"), "")
    if path and any(path.startswith(d) for d in _fast_dirs):
        # Dagster asks for WAL inside a transaction, where SQLite ignores it: the files stay in rollback-journal
        # mode (a journal file created, fsynced and deleted per commit). Outside a transaction it sticks.
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _install_hook(directory: Path) -> None:
    global _hooked
    with _hook_lock:
        _fast_dirs.add(str(directory.resolve()) + os.sep)
        if not _hooked:
            event.listen(Engine, "connect", _on_connect)
            _hooked = True


class FastSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage (same files) with commits that do not fsync; see the module docstring."""

    def __init__(self, base_dir: str, inst_data=None):
        # The runs, schedules and event log databases all live under history/ (runs.db, runs/*.db).
        _install_hook(Path(base_dir).resolve().parent)
        # shard → its engine (one pooled connection), most recently used last; guarded by Dagster's _db_lock
        self._keepers: OrderedDict[str, Engine] = OrderedDict()
        self._tables_found: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> FastSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        # Dagster's _connect with the engine kept (it creates and disposes one per call); same lock, same init.
        with self._db_lock:
            engine = self._keepers.get(shard)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    poolclass=QueuePool,
                    pool_size=1,  # the one connection kept; _initdb holds a second one for a moment (overflow)
                    max_overflow=4,
                    connect_args={"timeout": BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                self._keepers[shard] = engine
                while len(self._keepers) > KEEP_OPEN:  # _db_lock is held: no other connection is checked out
                    self._keepers.popitem(last=False)[1].dispose()
            else:
                self._keepers.move_to_end(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables_found:
            return True
        found = super().has_table(table_name)
        if found:
            self._tables_found.add(table_name)
        return found

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._keepers:
                self._keepers.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()  # wipe deletes the shard files: no connection may keep one alive
        self._tables_found.clear()
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
