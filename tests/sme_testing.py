"""Helpers the tests share: run the real CLI against a temporary SME_HOME, query a DuckDB file, build a home once
per `make test`, free ports, process groups of the services the tests start, a throw-away Dagster instance."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.contract import Template
from orchestration.lib.dbt_project import dbt_executable

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SME = BIN / "sme-monitor"


def sme_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SME_HOME=str(home),
        DAGSTER_HOME=str(home / "dagster"),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        DO_NOT_TRACK="1",
        PATH=f"{BIN}:{env.get('PATH', '')}",
    )
    return env


def sme(home: Path, *args: str, timeout: int = 900, check: bool = False) -> subprocess.CompletedProcess:
    """Run `sme-monitor ARGS` with SME_HOME=home; output captured as text."""
    proc = subprocess.run(
        [str(SME), *args], env=sme_env(home), capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if check and proc.returncode != 0:
        raise AssertionError(
            f"sme-monitor {' '.join(args)} exited {proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


def run_pipeline(
    home: Path, inbox_files: dict[str, list[Path]] | None = None, check: bool = False
) -> subprocess.CompletedProcess:
    """Copy files into home/inbox/<source>/ and run `sme-monitor run`."""
    for source, files in (inbox_files or {}).items():
        d = home / "inbox" / source
        d.mkdir(parents=True, exist_ok=True)
        for f in files:
            shutil.copy2(f, d / Path(f).name)
    return sme(home, "run", check=check)


def run_dbt(home: Path, *args: str, target: Path, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run the project's dbt (`dbt ARGS`) against home's warehouse, writing its artifacts to `target`.

    `target` starts with the project's saved parse state, as dagster-dbt seeds each run's target folder (dbt checks
    every file's hash itself; a stale state only costs a full parse)."""
    state = ROOT / "dbt_project" / "target" / "partial_parse.msgpack"
    if state.is_file() and not (target / state.name).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(state, target / state.name)
    return subprocess.run(
        [dbt_executable(), *args, "--profiles-dir", ".", "--project-dir", ".", "--target-path", str(target)]
        + ["--log-path", str(target)],  # not dbt_project/logs/: two pytest workers would share one dbt.log
        cwd=ROOT / "dbt_project",
        env=sme_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# A csv as a county would send it: the contract's headers (or variants), text cells, optional lines above/below.
def write_csv(
    path: Path,
    template: Template,
    rows: list[dict],
    *,
    headers: dict | None = None,
    encoding="utf-8",
    above: list[str] = (),
    below: list[str] = (),
) -> Path:
    headers = headers or {}
    cols = [f.name for f in template.fields]
    lines = list(above) + [",".join(headers.get(c, template.field(c).header) for c in cols)]
    for r in rows:
        lines.append(",".join(_csv_cell(r.get(c, "")) for c in cols))
    lines += list(below)
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def _csv_cell(v) -> str:
    s = str(v)
    return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s or "\n" in s) else s


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# A small sample, generated and published once per test session; tests that change state work on a copy.
SMALL_SAMPLE = {"preset": "demo", "seed": 11, "n_enterprises": 200, "months": 24}


def clone_home(src: Path, dst: Path, keep_links: bool = False) -> Path:
    """A private copy of a home. By default hard-linked published copies become plain files (a test that writes
    to one cannot change another); `keep_links` copies with `cp -a`, so the serving copy stays one of the kept
    copies, as a real run leaves it (the fault tests of tests/corpus/homes.py)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    if keep_links:
        subprocess.run(["cp", "-a", str(src), str(dst)], check=True)
    else:
        shutil.copytree(src, dst)
    return dst


def shared_tmp(tmp_path_factory) -> Path:
    """A folder every pytest-xdist worker of this session sees: the session's base temp folder, of which each
    worker's own base temp is a subfolder (popen-gw0, …). Without xdist it is the base temp itself.

    SME_TEST_SHARED names a folder shared by several sessions instead: scripts/test.sh runs the timing tests and
    the others as two sessions at once, and the homes built once (build_once) serve both."""
    if os.environ.get("SME_TEST_SHARED"):
        return Path(os.environ["SME_TEST_SHARED"])
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(base: Path, build: Callable[[Path], None]) -> Path:
    """`build(base)` at most once per test session, whichever worker asks first; the others wait for it.

    A flock on base/.lock serialises the workers; base/.built marks a finished build (a failed one is retried
    by the next worker that asks, and fails there the same way)."""
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / ".built").exists():
            build(base)
            (base / ".built").touch()
    return base


def empty_warehouse(home: Path) -> Path:
    """A home whose build database has the raw schema only (the project's own DDL, as every run creates it):
    what `dbt build --empty` needs to create the models without rows."""
    from warehouse.db import connect_build
    from warehouse.paths import Paths

    connect_build(Paths(home).ensure()).close()
    return home


# ------------------------------------------------------------------ servers and process groups
def free_port() -> int:
    """A TCP port nobody listens on now, on 127.0.0.1 (each test's server its own: two workers run at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes_in(leader: int, by: str = "group") -> list:
    """The live (not zombie) processes of a process group (`by="group"`) or of a session (`by="session"`) whose
    leader is `leader`: what a started service left running. A session: scripts/serve.sh puts each service in a
    process group of its own, all in serve.sh's session."""
    import psutil

    ident = os.getpgid if by == "group" else os.getsid
    out = []
    for p in psutil.process_iter():
        try:
            if ident(p.pid) == leader and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except (psutil.Error, ProcessLookupError, PermissionError):
            pass
    return out


def cmdline(p) -> str:
    """A psutil process's command line as one string; "" once it is gone or a zombie."""
    import psutil

    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def kill_process_group(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGKILL a process started with start_new_session=True and its whole group (if still there), then reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=timeout)


# ------------------------------------------------------------------ Dagster
@contextmanager
def dagster_instance(dagster_home: Path) -> Iterator:
    """A Dagster instance over `dagster_home` with the dagster.yaml every sme-monitor command writes (the project's
    event log storage and run launcher); disposed on exit."""
    import dagster as dg

    from orchestration.lib.instance import ensure_dagster_yaml

    ensure_dagster_yaml(dagster_home)
    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        yield instance
    finally:
        instance.dispose()


def tiny_job():
    """A one-op job: a real run through an instance's storages and launcher, in well under a second."""
    import dagster as dg

    @dg.op
    def one():
        return 1

    @dg.job
    def tiny():
        one()

    return tiny
