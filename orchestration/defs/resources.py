"""Resources, declared once."""

from __future__ import annotations

from functools import cached_property
from importlib import metadata
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import PrivateAttr

from orchestration.lib.dbt_project import bundled_dbt, dagster_dbt_project, dbt_executable
from warehouse.paths import Paths


class WarehouseResource(dg.ConfigurableResource):
    """Where state lives (empty home means SME_HOME or var/), and the run lock held for the whole run."""

    home: str = ""
    _lock = PrivateAttr(default=None)

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.home).resolve()) if self.home else Paths.from_env()

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # Runs from the schedule, the sensor or the UI hold the same lock as `sme-monitor run`.
        from warehouse.db import run_lock

        self._lock = run_lock(self.paths)
        self._lock.__enter__()

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.__exit__(None, None, None)
            self._lock = None


class SmeDbtCliResource(DbtCliResource):
    """DbtCliResource that knows the dbt version without running `dbt --version` on every run.

    dagster-dbt asks the executable for its version once per run; `dbt --version` starts a Python process,
    imports dbt and asks PyPI whether a newer dbt exists (2 s of CPU, up to ≈ 10 s of wall on a slow or
    absent network). The dbt beside this interpreter is the installed dbt-core package: read its version.

    It also does not build a dbt adapter inside the Dagster process. dagster-dbt builds one on every `cli()` call
    (imports dbt's adapter stack, loads the profile and project: ≈ 2 s of CPU per run on a slow day) only for
    `fetch_column_metadata()` and `fetch_row_counts()`, which this project does not call; dbt itself runs in its
    own process and builds its own.

    `_cli_version` and `_initialize_dbt_core_adapter` are private to dagster-dbt (checked against dagster-dbt
    0.29.27 / dagster 1.13.27 / dbt-core 1.11.16); tests/unit/test_orchestration_private_apis.py pins both.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).parent == bundled_dbt().parent:  # this venv's dbt or sme-dbt
            return version.parse(metadata.version("dbt-core"))
        return DbtCliResource._cli_version.func(self)  # another dbt: ask it

    def _initialize_dbt_core_adapter(self, args):  # noqa: ANN001, ANN202 — dagster-dbt's private signature
        return None  # no adapter: the invocation's column-metadata and row-count fetchers are never used


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": SmeDbtCliResource(project_dir=dagster_dbt_project(), dbt_executable=dbt_executable()),
    }
