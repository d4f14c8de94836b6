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
- one idle connection per recently written shard stays open, so that closing the per-event connections is not
  "the last close" that checkpoints the WAL each time (SQLite still checkpoints every 1000 pages).
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
from sqlalchemy import event
from sqlalchemy.engine import Engine

KEEP_OPEN = 4  # shards (the index and the runs in progress) whose WAL stays open between events

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
        self._keepers: OrderedDict[str, sqlite3.Connection] = OrderedDict()
        self._keepers_lock = threading.Lock()
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> FastSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator:
        with super()._connect(shard) as conn:
            yield conn
        self._keep_open(shard)

    def _keep_open(self, shard: str) -> None:
        with self._keepers_lock:
            if shard in self._keepers:
                self._keepers.move_to_end(shard)
                return
            try:
                keeper = sqlite3.connect(self.path_for_shard(shard), isolation_level=None, check_same_thread=False)
                keeper.execute(
                    "SELECT count(*) FROM sqlite_master"
                ).fetchall()  # joins the WAL: later closes are not the last
            except sqlite3.Error:
                return
            self._keepers[shard] = keeper
            while len(self._keepers) > KEEP_OPEN:
                _, old = self._keepers.popitem(last=False)
                old.close()

    def dispose(self) -> None:
        with self._keepers_lock:
            while self._keepers:
                self._keepers.popitem()[1].close()
        super().dispose()
