"""The three places that lean on private Dagster APIs, pinned so that an upgrade fails here, loudly.

- orchestration/lib/event_log.py subclasses dagster's SqliteEventLogStorage (a private module) and replaces
  its private `_connect(shard)` context manager (keeping one engine per shard), using `conn_string_for_shard`,
  `path_for_shard`, `_initdb`, `_initialized_dbs` and `_db_lock` as Dagster's own `_connect` does, and remembers
  the tables `has_table` found;
- orchestration/defs/resources.py overrides dagster-dbt's private `DbtCliResource._cli_version` (a
  functools.cached_property that runs `dbt --version`) and `_initialize_dbt_core_adapter` (builds a dbt adapter
  in the Dagster process for the column-metadata and row-count fetchers only);
- orchestration/lib/run_launcher.py subclasses the private DefaultRunLauncher to answer run monitoring.

Checked against (requirements/pipeline.lock.txt): dagster 1.13.27, dagster-dbt 0.29.27, dbt-core 1.11.16,
SQLAlchemy 2.1.9. After an upgrade: re-read both overrides against the new sources, then update CHECKED_AGAINST
(and the README's note).
"""

from __future__ import annotations

import inspect
from functools import cached_property
from importlib import metadata
from pathlib import Path

import pytest

CHECKED_AGAINST = {"dagster": "1.13.27", "dagster-dbt": "0.29.27", "dbt-core": "1.11.16", "SQLAlchemy": "2.1.9"}
LOCK = Path(__file__).resolve().parents[2] / "requirements" / "pipeline.lock.txt"


def test_private_apis_were_checked_against_the_installed_versions():
    installed = {name: metadata.version(name) for name in CHECKED_AGAINST}
    assert installed == CHECKED_AGAINST, (
        "Dagster, dagster-dbt, dbt-core or SQLAlchemy changed version: re-check the private APIs pinned in this file, "
        "then update CHECKED_AGAINST and the README"
    )
    locked = {}
    for line in LOCK.read_text().splitlines():
        name, sep, ver = line.partition("==")
        if sep:
            locked[name.strip().lower()] = ver.split()[0].strip()
    assert {k.lower(): v for k, v in CHECKED_AGAINST.items()} == {k.lower(): locked[k.lower()] for k in CHECKED_AGAINST}


# ---------------------------------------------------------------- the event log storage
def test_sqlite_event_log_private_surface_is_what_event_log_overrides():
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    assert list(inspect.signature(SqliteEventLogStorage.__init__).parameters) == ["self", "base_dir", "inst_data"]
    connect = SqliteEventLogStorage._connect
    assert hasattr(connect, "__wrapped__"), "_connect is no longer a @contextmanager"
    assert list(inspect.signature(connect).parameters) == ["self", "shard"]
    assert list(inspect.signature(SqliteEventLogStorage.path_for_shard).parameters) == ["self", "run_id"]
    # what the replacement _connect uses, as Dagster's own does: the shard URL, the one-time schema set-up per
    # shard, the set of shards set up, and the lock that serialises connections (a plain Lock: never nested)
    source = inspect.getsource(connect)
    for used in ("self.conn_string_for_shard(shard)", "self._initdb(engine)", "self._initialized_dbs", "self._db_lock"):
        assert used in source, used
    assert list(inspect.signature(SqliteEventLogStorage._initdb).parameters) == ["self", "engine", "for_index_shard"]
    # wipe() deletes the shard files: the override closes its engines first
    assert "os.unlink" in inspect.getsource(SqliteEventLogStorage.wipe)
    # every read and write of the event log goes through _connect: the override sees each connection
    for name in ("run_connection", "index_connection"):
        assert "self._connect(" in inspect.getsource(getattr(SqliteEventLogStorage, name)), name
    # Dagster still asks for WAL inside the transaction (where SQLite ignores it): the reason for the hook
    assert "journal_mode=WAL" in inspect.getsource(inspect.getmodule(SqliteEventLogStorage))


def test_fast_event_log_override_is_used(tmp_path):
    from sme_testing import dagster_instance, tiny_job

    from orchestration.lib.event_log import FastSqliteEventLogStorage

    with dagster_instance(tmp_path / "dagster") as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, FastSqliteEventLogStorage)
        result = tiny_job().execute_in_process(instance=instance)
        assert result.success
        # the overridden _connect served the run's connections: the run's shard is held open
        assert result.run_id in storage._keepers


def test_event_log_remembers_the_tables_it_found(tmp_path, monkeypatch):
    """has_table (asked before each asset check result is stored) answers from memory once a table was found; a
    table not found is asked of the database again; wipe forgets."""
    from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
    from sme_testing import dagster_instance

    from orchestration.lib.event_log import FastSqliteEventLogStorage

    # what the override relies on: Dagster's own has_table asks the index shard each time, and the check results'
    # store path asks it through supports_asset_checks
    assert list(inspect.signature(SqliteEventLogStorage.has_table).parameters) == ["self", "table_name"]
    assert "create_engine(" in inspect.getsource(SqliteEventLogStorage.has_table)
    supports = SqlEventLogStorage.supports_asset_checks
    assert isinstance(supports, property)
    assert "self.has_table(AssetCheckExecutionsTable.name)" in inspect.getsource(supports.fget)
    assert "self.supports_asset_checks" in inspect.getsource(SqlEventLogStorage.store_asset_check_event)

    asked: list[str] = []
    real = SqliteEventLogStorage.has_table

    def counting(self, table_name):
        asked.append(table_name)
        return real(self, table_name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counting)
    with dagster_instance(tmp_path / "dagster") as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, FastSqliteEventLogStorage)
        asked.clear()
        assert all(storage.supports_asset_checks for _ in range(5))
        assert asked == ["asset_check_executions"]
        assert not any(storage.has_table("no_such_table") for _ in range(3))
        assert asked.count("no_such_table") == 3
        storage.wipe()
        assert storage.supports_asset_checks
        assert asked.count("asset_check_executions") == 2


def test_old_event_log_path_still_loads():
    """dagster.yaml files edited by hand before the move name orchestration.event_log."""
    from orchestration.event_log import FastSqliteEventLogStorage as old
    from orchestration.lib.event_log import FastSqliteEventLogStorage

    assert old is FastSqliteEventLogStorage


# ---------------------------------------------------------------- the dbt version probe
def test_dbt_cli_version_private_surface():
    from dagster_dbt import DbtCliResource

    attr = inspect.getattr_static(DbtCliResource, "_cli_version")
    assert isinstance(attr, cached_property)
    assert list(inspect.signature(attr.func).parameters) == ["self"]
    src = inspect.getsource(DbtCliResource.cli)
    assert "self._cli_version" in src, "DbtCliResource.cli no longer reads _cli_version: the override is dead code"
    assert "--version" in inspect.getsource(attr.func)


def test_dbt_adapter_private_surface():
    """The adapter dagster-dbt builds in `cli()` is used only by the invocation's metadata fetchers, which this
    project never calls: returning None from the override changes nothing else."""
    import dagster_dbt.core.dbt_event_iterator as event_iterator
    from dagster_dbt import DbtCliResource

    assert list(inspect.signature(DbtCliResource._initialize_dbt_core_adapter).parameters) == ["self", "args"]
    src = inspect.getsource(DbtCliResource.cli)
    assert "adapter = self._initialize_dbt_core_adapter(args)" in src
    assert "adapter: BaseAdapter | None = None" in src  # None is a state dagster-dbt itself allows
    # every read of invocation.adapter is in the fetchers' code paths
    readers = {
        name
        for name, fn in inspect.getmembers(event_iterator, inspect.isfunction)
        if "invocation.adapter" in inspect.getsource(fn)
    }
    assert readers == {"_fetch_column_metadata", "_fetch_row_count_metadata"}, readers
    attach = inspect.getsource(event_iterator.DbtEventIterator._attach_metadata)
    assert "self._dbt_cli_invocation.adapter" in attach  # the DuckDB wait: only when metadata is attached
    for name, member in inspect.getmembers(event_iterator.DbtEventIterator, inspect.isfunction):
        if name != "_attach_metadata":
            assert ".adapter" not in inspect.getsource(member), name
    own = [p for d in ("orchestration", "reports", "warehouse", "ingest") for p in (LOCK.parents[1] / d).rglob("*.py")]
    assert own and not [
        p for p in own if any(f in p.read_text() for f in (".fetch_column_metadata(", ".fetch_row_counts("))
    ], "a fetcher is called: it needs the adapter the override no longer builds"


def test_sme_dbt_resource_hands_dbt_no_adapter_where_dagster_dbt_builds_one(monkeypatch, tmp_path):
    """Through `cli()` itself (the dbt process is not started): dagster-dbt's own resource hands the invocation a
    DuckDB adapter it built in this process; ours hands it none."""
    import dagster_dbt.core.resource as dbt_resource
    from dagster_dbt import DbtCliResource

    from orchestration.defs.resources import build_resources

    handed: list = []
    monkeypatch.setattr(dbt_resource.DbtCliInvocation, "run", staticmethod(lambda **kw: handed.append(kw["adapter"])))
    monkeypatch.setenv("SME_HOME", str(tmp_path))
    manifest = {"nodes": {}, "sources": {}, "child_map": {}, "parent_map": {}, "metadata": {"adapter_type": "duckdb"}}
    ours = build_resources()["dbt"]
    stock = DbtCliResource(project_dir=ours.project_dir, dbt_executable=ours.dbt_executable)
    stock.__dict__["_cli_version"] = ours._cli_version  # the cached_property's slot: no `dbt --version` run
    ours.cli(["build"], manifest=manifest)
    stock.cli(["build"], manifest=manifest)
    assert handed[0] is None
    assert type(handed[1]).__name__ == "DuckDBAdapter"


def test_sme_dbt_resource_reads_the_bundled_dbt_version_without_running_it(monkeypatch):
    import dagster_dbt.core.resource as dbt_resource

    from orchestration.defs.resources import SmeDbtCliResource, build_resources
    from orchestration.lib.dbt_project import bundled_dbt

    if not bundled_dbt().exists():
        pytest.skip("no dbt beside this interpreter")

    def no_subprocess(*a, **k):
        raise AssertionError(f"ran {a}")

    monkeypatch.setattr(dbt_resource, "check_output", no_subprocess)
    dbt = build_resources()["dbt"]
    assert isinstance(dbt, SmeDbtCliResource)
    assert Path(dbt.dbt_executable).parent == bundled_dbt().parent  # sme-dbt (dbt_main.py) or dbt
    assert str(dbt._cli_version) == metadata.version("dbt-core")


def test_sme_dbt_resource_asks_another_dbt_for_its_version(tmp_path):
    from orchestration.defs.resources import SmeDbtCliResource
    from orchestration.lib.dbt_project import dagster_dbt_project

    fake = tmp_path / "dbt"
    fake.write_text("#!/bin/sh\necho 'Core:'\necho '  - installed: 1.2.3'\n")
    fake.chmod(0o755)
    dbt = SmeDbtCliResource(project_dir=dagster_dbt_project(), dbt_executable=str(fake))
    assert str(dbt._cli_version) == "1.2.3"


# ---------------------------------------------------------------- the run launcher (run monitoring)
def test_run_launcher_private_surface_is_what_local_run_launcher_overrides():
    """orchestration/lib/run_launcher.py subclasses the private DefaultRunLauncher and answers run monitoring's
    health check; these are the names and signatures it relies on."""
    from dagster._core.launcher import CheckRunHealthResult, RunLauncher, WorkerStatus
    from dagster._core.launcher.default_run_launcher import DefaultRunLauncher

    from orchestration.lib.run_launcher import LocalRunLauncher

    assert issubclass(LocalRunLauncher, DefaultRunLauncher)
    assert isinstance(inspect.getattr_static(RunLauncher, "supports_check_run_worker_health"), property)
    assert list(inspect.signature(RunLauncher.check_run_worker_health).parameters) == ["self", "run"]
    assert {"RUNNING", "NOT_FOUND", "FAILED", "SUCCESS", "UNKNOWN"} <= {s.name for s in WorkerStatus}
    assert "status" in inspect.signature(CheckRunHealthResult).parameters
