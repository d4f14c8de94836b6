"""The dbt project as Dagster sees it; the manifest is (re)built by `dbt parse` when it is stale."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from warehouse.paths import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def manifest_is_stale(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """True when any model, seed, macro or config file is newer than target/manifest.json."""
    manifest = project_dir / "target" / "manifest.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for sub in ("models", "seeds", "macros", "tests", "snapshots"):
        for p in (project_dir / sub).rglob("*"):
            if p.is_file() and p.stat().st_mtime > built:
                return True
    return any(
        (project_dir / f).stat().st_mtime > built
        for f in ("dbt_project.yml", "profiles.yml")
        if (project_dir / f).exists()
    )


def ensure_dbt_on_path() -> None:
    """dagster-dbt looks dbt up on PATH; it lives beside this interpreter in the pipeline venv."""
    venv_bin = str(Path(sys.prefix) / "bin")
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")


def ensure_manifest() -> None:
    ensure_dbt_on_path()
    if manifest_is_stale():
        dbt_project.preparer.prepare(dbt_project)
