"""A real Superset for the board tests: one per test session, on a free port, over a temporary SME_HOME.

The home is a copy of the one the real `sme-monitor run` published from the shared small sample
(tests/conftest.py::published_sample).
Then dashboards/serve.sh provisions (bundle import, roles, RLS, users) and starts `superset run`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from client import BOARD_TITLES, Superset, read_credentials  # noqa: E402,F401
from sme_testing import free_port  # noqa: E402


@pytest.fixture(scope="session")
def superset_home(tmp_path_factory, published_sample: Path) -> Path:
    """A copy of the home the real pipeline published from the shared small sample (archive, warehouse, run
    history): a home as a server holds it, so that a backup of it is a real one (test_backup_restore.py)."""
    home = tmp_path_factory.mktemp("sme_superset_home") / "home"
    shutil.copytree(published_sample, home, symlinks=True)
    return home


@contextmanager
def running_superset(home: Path, timeout: float = 240):
    """dashboards/serve.sh (provision: metadata upgrade, bundle import, roles, users; then Superset) on a free port
    over `home`; yields the base URL once /health answers and the credentials exist; stopped on exit."""
    port = free_port()
    env = dict(os.environ, SME_HOME=str(home), SUPERSET_PORT=str(port))
    env.pop("SUPERSET_ADMIN_PASSWORD", None)
    log = open(home / "superset.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [str(ROOT / "dashboards" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"serve.sh exited {proc.returncode}:\n{(home / 'superset.log').read_text()[-4000:]}")
            try:
                if requests.get(base + "/health", timeout=2).ok and (home / "superset" / "credentials").exists():
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Superset did not come up in {timeout:.0f} s")
            time.sleep(0.5)
        print(f"\nSuperset up in {time.monotonic() - t0:.1f} s at {base}")
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:  # a throw-away server: 5 s to stop cleanly, then killed (the 20 s it used to get were always used up)
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def superset_server(superset_home: Path):
    """Start dashboards/serve.sh (provision + superset run) over the session's home; yield the base URL."""
    with running_superset(superset_home) as base:
        yield base


@pytest.fixture(scope="session")
def start_superset():
    """`running_superset` for a test that needs a second server over another home (one extra start: ≈ 1 min)."""
    return running_superset


@pytest.fixture(scope="session")
def credentials(superset_server, superset_home) -> dict[str, str]:
    return read_credentials(superset_home / "superset" / "credentials")


@pytest.fixture(scope="session")
def login(superset_server, credentials):
    cache: dict[str, Superset] = {}

    def _login(username: str) -> Superset:
        if username not in cache:
            cache[username] = Superset(superset_server, username, credentials[username])
        return cache[username]

    return _login


@pytest.fixture(scope="session")
def admin(login) -> Superset:
    return login("admin")


@pytest.fixture(scope="session")
def charts(admin) -> list[dict]:
    return admin.list_all("chart", ["id", "slice_name", "viz_type", "uuid", "datasource_id"])


@pytest.fixture(scope="session")
def dashboards(admin) -> list[dict]:
    return admin.list_all("dashboard", ["id", "dashboard_title", "slug", "uuid"])


@pytest.fixture(scope="session")
def database_id(admin) -> int:
    dbs = admin.list_all("database", ["id", "database_name"])
    return next(d["id"] for d in dbs if d["database_name"] == "湖北中小企业监测")


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Screenshots land in $SME_HOME/screenshots of the calling environment (make test: var/screenshots/)."""
    home = Path(os.environ.get("SME_HOME", ROOT / "var"))
    d = home / "screenshots"
    d.mkdir(parents=True, exist_ok=True)
    return d


def pytest_collection_modifyitems(config, items):
    """Every test in this folder needs the Superset server (and some also the browser): marked `superset`."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.superset)
