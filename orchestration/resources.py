"""Resources, declared once."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.project import dbt_project
from warehouse.paths import Paths


class WarehouseResource(dg.ConfigurableResource):
    """Where state lives; empty home means SME_HOME or var/."""

    home: str = ""

    @property
    def paths(self) -> Paths:
        return Paths(Path(self.home).resolve()) if self.home else Paths.from_env()


def _dbt_executable() -> str:
    # dbt lives beside the interpreter in the pipeline venv; PATH may not include it.
    here = Path(sys.prefix) / "bin" / "dbt"
    return str(here) if here.exists() else (shutil.which("dbt") or "dbt")


def build_resources() -> dict:
    return {
        "warehouse": WarehouseResource(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=_dbt_executable()),
    }
