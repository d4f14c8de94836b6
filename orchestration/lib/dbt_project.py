"""The dbt project on disk: where it is, which dbt runs it, one fingerprint of its files, and its manifest.

No Dagster import at module level (the dagster-dbt `DbtProject` is built on first use), so that tests, the
benchmark and the CLI's light commands can use the helpers without loading Dagster.

The manifest (target/manifest.json, read by `@dbt_assets`) is prepared explicitly, never as a side effect of
an import: `sme-monitor run` calls `prepare_manifest()` before it builds the definitions, the Dagster code
location's load function does (orchestration/defs/definitions.py), and so do the tests that build definitions.
dagster-dbt's own `DbtProject.prepare_if_dev()` (dagster-dbt 0.29.27) would not do: it parses only under
`dagster dev` (env DAGSTER_IS_DEV_CLI), and then on every load; `sme-monitor run` and the daemon's runs need a
current manifest too, and a parse costs ≈ 5–7 s that an unchanged project should not pay.
`dagster-dbt project prepare-and-package` is the deployment variant (parse once at build time); this project
runs from its checkout, so it parses when the fingerprint says the manifest is out of date.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from warehouse.paths import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

# Every file of the dbt project, and whether it shapes the rows the models build. One list, one walk
# (project_fingerprints): all of them make the manifest ("re-parse?"), the ones marked True make the rows
# ("--full-refresh?"). The difference is deliberate: data tests (tests/) only check rows, and profiles.yml holds
# connection settings (threads, memory, the plugin that opens SME_HOME's warehouse files); editing them re-parses
# the project but does not rebuild the incremental chain from scratch.
PROJECT_INPUTS: tuple[tuple[str, bool], ...] = (
    ("dbt_project.yml", True),
    ("packages.yml", True),
    ("models", True),
    ("macros", True),
    ("seeds", True),
    ("snapshots", True),
    ("tests", False),
    ("profiles.yml", False),
)
MANIFEST_STAMP = "manifest.fingerprint"  # beside target/manifest.json: what the manifest was parsed from


@dataclass(frozen=True)
class ProjectFingerprints:
    rows: str  # the files that shape the models' content: a change means --full-refresh (lib/dbt_state.py)
    manifest: str  # every file dbt parses: a change means `dbt parse` before the definitions are built


def project_fingerprints(project_dir: Path = DBT_PROJECT_DIR) -> ProjectFingerprints:
    """sha256 over the relative paths and bytes of the project's files (PROJECT_INPUTS), both scopes in one walk."""
    files: list[tuple[str, Path, bool]] = []
    for name, shapes_rows in PROJECT_INPUTS:
        top = project_dir / name
        if top.is_file():
            files.append((name, top, shapes_rows))
        elif top.is_dir():
            files += [(p.relative_to(project_dir).as_posix(), p, shapes_rows) for p in top.rglob("*") if p.is_file()]
    rows, manifest = hashlib.sha256(), hashlib.sha256()
    for rel, path, shapes_rows in sorted(files, key=lambda f: f[0]):
        chunk = rel.encode() + b"\0" + path.read_bytes() + b"\0"
        manifest.update(chunk)
        if shapes_rows:
            rows.update(chunk)
    return ProjectFingerprints(rows=rows.hexdigest(), manifest=manifest.hexdigest())


# ---------------------------------------------------------------- the dbt executable
def bundled_dbt() -> Path:
    """The dbt installed beside this interpreter (the pipeline venv): the dbt-core package of this environment."""
    return Path(sys.prefix) / "bin" / "dbt"


def dbt_executable() -> str:
    """The dbt that runs this project: the pipeline venv's `sme-dbt` (dbt's command line, see dbt_main.py), else its
    `dbt` (PATH may not include it), else dbt on PATH."""
    for here in (bundled_dbt().with_name("sme-dbt"), bundled_dbt()):
        if here.exists():
            return str(here)
    return shutil.which("dbt") or "dbt"


def ensure_dbt_on_path() -> None:
    """dagster-dbt's preparer looks dbt up on PATH; put the pipeline venv's bin folder first if it is missing."""
    venv_bin = str(bundled_dbt().parent)
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")


# ---------------------------------------------------------------- the manifest
def _manifest_state(manifest: Path, fingerprint: str) -> str:
    st = manifest.stat()
    return f"{fingerprint} {st.st_mtime_ns} {st.st_size}"


def manifest_is_stale(project_dir: Path, fingerprint: str) -> bool:
    """True unless target/manifest.json was parsed by prepare_manifest from files with this fingerprint.

    The stamp also holds the manifest's mtime and size: a manifest rewritten by anything else (a `dbt parse`
    or `dbt build` run by hand in dbt_project/) counts as stale, since it may come from other files.
    """
    manifest = project_dir / "target" / "manifest.json"
    try:
        recorded = (project_dir / "target" / MANIFEST_STAMP).read_text().strip()
        return recorded != _manifest_state(manifest, fingerprint)
    except FileNotFoundError:
        return True


def record_manifest(project_dir: Path, fingerprint: str) -> None:
    target = project_dir / "target"
    tmp = target / f".{MANIFEST_STAMP}.{os.getpid()}.tmp"
    tmp.write_text(_manifest_state(target / "manifest.json", fingerprint) + "\n")
    os.replace(tmp, target / MANIFEST_STAMP)


@cache
def dagster_dbt_project():
    """dagster-dbt's view of the project (manifest path, profiles, preparer); imports dagster_dbt on first use."""
    from dagster_dbt import DbtProject

    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def prepare_manifest() -> bool:
    """Parse the dbt project unless target/manifest.json was parsed from exactly its current files.

    dagster-dbt's preparer runs `dbt deps` (when packages.yml exists) and `dbt parse`. Processes that find the
    manifest stale at the same time (a run and the Dagster UI after an update; `make test`'s parse and the first
    runs) take turns on one lock, which covers the parse and the stamp: the next one finds it current instead of
    parsing again while others read the manifest (dbt does not write manifest.json atomically).
    Call it before building the definitions. Returns whether it parsed.
    """
    ensure_dbt_on_path()
    fingerprint = project_fingerprints(DBT_PROJECT_DIR).manifest
    if not manifest_is_stale(DBT_PROJECT_DIR, fingerprint):
        return False
    target = DBT_PROJECT_DIR / "target"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".prepare.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not manifest_is_stale(DBT_PROJECT_DIR, fingerprint):
            return False  # parsed by the process that held the lock
        project = dagster_dbt_project()
        project.preparer.prepare(project)
        record_manifest(DBT_PROJECT_DIR, fingerprint)
        return True
