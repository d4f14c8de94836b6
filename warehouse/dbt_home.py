"""The dbt-duckdb plugin that opens SME_HOME's warehouse files for dbt (dbt_project/profiles.yml `plugins:`).

Why the files are not in the profile's `path:` and `attach:`: dbt hashes the profile's connection settings into its
parse state (partial_parse.msgpack) and parses the whole project again, ≈ 3 s of CPU per `dbt build`, whenever
that hash differs from the saved state's. With the home's paths in the profile, it differed for every home: each
test home, `sme-monitor rebuild --into`, a second server. So the profile names an in-memory database only, and the
same for every home; this plugin attaches the home's build.duckdb as `build` (where dbt_project.yml puts the
models, seeds and sources) and build_marts.duckdb as `build_marts` (the marts, published as a file copy) when dbt
connects, and makes `build` the default catalog of every connection, as `path:` did.

Loaded by dbt's process only (dbt-duckdb imports it by name); keeps to warehouse/ and dbt-duckdb.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from warehouse.db import duckdb_temp_dir
from warehouse.paths import Paths

BUILD_CATALOG = "build"  # the name `path: …/build.duckdb` gave the main database; every model's relation keeps it
MARTS_CATALOG = "build_marts"


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.paths = Paths.from_env()

    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # Given when the database is opened, not under the profile's settings: dbt-duckdb re-applies settings on
        # every connection, and DuckDB refuses to set temp_directory again once a spill has used it. Its own
        # folder: the Dagster process's connection spills into the `ingest` one (warehouse/db.py).
        config["temp_directory"] = str(duckdb_temp_dir(self.paths, "dbt"))

    def configure_connection(self, conn: Any) -> None:
        conn.execute(f"ATTACH ? AS {BUILD_CATALOG}", [str(self.paths.build_db)])
        conn.execute(f"ATTACH ? AS {MARTS_CATALOG}", [str(self.paths.marts_db)])
        conn.execute(f"USE {BUILD_CATALOG}")

    def configure_cursor(self, cursor: Any) -> None:
        # every thread's cursor is a connection of its own: its default catalog is the in-memory one until told
        cursor.execute(f"USE {BUILD_CATALOG}")
