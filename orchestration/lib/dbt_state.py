"""When the nightly dbt build must rebuild the incremental models from scratch.

The monthly chain (int_operating__months → int_operating__problems → enterprise_months) is incremental: it rebuilds
the report years touched by new loads (dbt_project/macros/operating/ops_incremental.sql). That watermark sees new data,
not new code: a changed model, macro, seed or var changes rows that no new load touches. So the build records a
fingerprint of the dbt project's files after it succeeds, and the next build runs with --full-refresh when the
fingerprint differs (or was never recorded: a new warehouse, an upgrade, a build that failed half-way).
The fingerprint is the `rows` scope of orchestration/lib/dbt_project.py (profiles.yml and tests/ do not count).
Pure functions; the asset (orchestration/defs/assets/dbt.py) reads and writes the stamp.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from orchestration.lib.dbt_project import project_fingerprints

STAMP_NAME = "dbt_build.fingerprint"
DBT_ASSETS_NAME = "dbt_models"  # the @dbt_assets op: its step key, and the prefix of its invocation target folders


def project_fingerprint(project_dir: Path) -> str:
    """The fingerprint of the files that shape the models' content (the `rows` scope of lib/dbt_project.py)."""
    return project_fingerprints(project_dir).rows


def needs_full_refresh(stamp: Path, fingerprint: str) -> bool:
    """True unless the last successful build recorded exactly this fingerprint."""
    try:
        return stamp.read_text().strip() != fingerprint
    except FileNotFoundError:
        return True


def record_build(stamp: Path, fingerprint: str) -> None:
    """Write the stamp after a successful build (atomically: a torn stamp would only force a full refresh)."""
    stamp.parent.mkdir(parents=True, exist_ok=True)
    tmp = stamp.with_name(stamp.name + ".tmp")
    tmp.write_text(fingerprint + "\n")
    os.replace(tmp, stamp)


def build_args(full_refresh: bool) -> list[str]:
    """One `dbt build` per run; unit tests check the SQL, not the data, and run in `make test`."""
    args = ["build", "--exclude-resource-type", "unit_test"]
    return [*args, "--full-refresh"] if full_refresh else args


def keep_partial_parse(invocation_target: Path, project_target: Path) -> bool:
    """Keep the parse state of a successful build where dagster-dbt looks for it at the next run.

    dagster-dbt gives each invocation its own target folder and seeds it with project_target's
    partial_parse.msgpack. dbt discards that state when the profile differs (the warehouse path comes from
    SME_HOME), and then parses all 250+ nodes again (≈ 5–7 s). Copying the state back lets the next night,
    with the same SME_HOME, parse only what changed. dbt checks every file's hash itself, so a stale copy
    only costs a full parse. Returns whether a state was kept.
    """
    src = invocation_target / "partial_parse.msgpack"
    if not src.is_file():
        return False
    project_target.mkdir(parents=True, exist_ok=True)
    tmp = project_target / f".partial_parse.{os.getpid()}.tmp"
    shutil.copyfile(src, tmp)
    os.replace(tmp, project_target / "partial_parse.msgpack")
    return True


def prune_invocation_targets(project_target: Path, keep: int = 14) -> list[Path]:
    """dagster-dbt leaves one target folder per run (manifest, run_results, compiled SQL: ≈ 15 MB each);
    keep the newest `keep` so that a year of nights does not fill the disk."""
    runs = sorted(
        (p for p in project_target.glob(f"{DBT_ASSETS_NAME}-*") if p.is_dir()),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in runs[keep:]:
        shutil.rmtree(old, ignore_errors=True)
    return runs[keep:]
