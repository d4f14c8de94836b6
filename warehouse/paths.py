"""Where state lives: everything under SME_HOME (default: var/ in the project folder)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Paths:
    home: Path

    @classmethod
    def from_env(cls) -> Paths:
        return cls(Path(os.environ.get("SME_HOME", PROJECT_ROOT / "var")).resolve())

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    def inbox_for(self, source: str) -> Path:
        return self.inbox / source

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def receipts(self) -> Path:
        return self.home / "receipts"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse"

    @property
    def build_db(self) -> Path:
        return self.warehouse / "build.duckdb"

    @property
    def marts_db(self) -> Path:
        """The marts, built by dbt into their own file (attached to the build as `build_marts`); publish copies it."""
        return self.warehouse / "build_marts.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.warehouse / "serving.duckdb"

    @property
    def published(self) -> Path:
        return self.warehouse / "published"

    @property
    def run_lock(self) -> Path:
        return self.warehouse / "run.lock"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"

    @property
    def superset(self) -> Path:
        return self.home / "superset"

    def ensure(self) -> Paths:
        from ingest.contract import SOURCES

        for d in (self.archive, self.receipts, self.warehouse, self.published, self.dagster_home):
            d.mkdir(parents=True, exist_ok=True)
        for s in SOURCES:
            self.inbox_for(s).mkdir(parents=True, exist_ok=True)
        return self
