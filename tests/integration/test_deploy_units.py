"""The deploy/ units' commands, started by hand as systemd would start them (issue 12).

For each service: its [Service] section is read from deploy/, rendered for this checkout (/opt/sme-monitor → the
checkout, as `sme-monitor services check` renders it), and its environment built as systemd builds it: a bare
PATH, the unit's Environment= lines, then the EnvironmentFile (deploy/sme-monitor.env.example copied and edited
the way an operator does: paths to a temporary SME_HOME, free ports, a generated SMTP password), which overrides
them. ExecStartPre runs first (within TimeoutStartSec), then ExecStart; the service must answer on 127.0.0.1
(Superset under gunicorn: /health; dbt docs: the index page; the Dagster UI: /server_info; the daemon: heartbeats
of its scheduler and sensor daemons in the instance), and after SIGTERM (KillSignal=SIGTERM, sent as the unit's
KillMode sends it: to the main process, or to the whole group) every process of the service must be gone within
TimeoutStopSec — what systemd would have to SIGKILL then counts as a failure.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sme_testing import ROOT, free_port, kill_process_group, processes_in

from orchestration.lib.services import DEPLOY, UNIT_ENV, UNIT_ROOT, parse_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_START_TIMEOUT = 90  # systemd's DefaultTimeoutStartSec
VAR = re.compile(r"\$\{(\w+)\}")


@dataclass
class Unit:
    name: str
    environment: dict[str, str] = field(default_factory=dict)
    environment_file: str = ""
    working_directory: str = ""
    exec_start_pre: list[str] = field(default_factory=list)
    exec_start: str = ""
    timeout_start: int = DEFAULT_START_TIMEOUT
    timeout_stop: int = 0
    kill_mode: str = "control-group"  # systemd's default


def read_unit(path: Path) -> Unit:
    """The [Service] section, rendered for this checkout. Read line by line: a unit may repeat Environment= and
    ExecStartPre= (configparser would keep only the last)."""
    unit = Unit(path.stem)
    section = ""
    for raw in path.read_text().replace(UNIT_ROOT, str(ROOT)).splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section != "[Service]":
            continue
        key, _, value = line.partition("=")
        if key == "Environment":
            for item in shlex.split(value):
                k, _, v = item.partition("=")
                unit.environment[k] = v
        elif key == "EnvironmentFile":
            unit.environment_file = value
        elif key == "WorkingDirectory":
            unit.working_directory = value
        elif key == "ExecStartPre":
            unit.exec_start_pre.append(value)
        elif key == "ExecStart":
            unit.exec_start = value
        elif key == "TimeoutStartSec":
            unit.timeout_start = int(value)
        elif key == "TimeoutStopSec":
            unit.timeout_stop = int(value)
        elif key == "KillMode":
            unit.kill_mode = value
    return unit


def argv(command: str, env: dict[str, str]) -> list[str]:
    """systemd's ${VAR} expansion (each word expanded in place, never re-split), then the words."""
    return [VAR.sub(lambda m: env[m.group(1)], word) for word in shlex.split(command)]


@pytest.fixture(scope="module")
def server(published_sample, tmp_path_factory) -> dict:
    """A server's state: a home (a copy of the published sample) and /etc/sme-monitor/sme-monitor.env, edited."""
    base = tmp_path_factory.mktemp("deploy_units")
    home = shutil.copytree(published_sample, base / "var-lib-sme-monitor", symlinks=True)
    edits = {
        "SME_ROOT": str(ROOT),
        "SME_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "DAGSTER_PORT": str(free_port()),
        "SUPERSET_PORT": str(free_port()),
        "DOCS_PORT": str(free_port()),
        "SMTP_PASSWORD": secrets.token_urlsafe(16),
    }
    lines = []
    for line in (DEPLOY / "sme-monitor.env.example").read_text().splitlines():
        key = line.partition("=")[0]
        lines.append(f"{key}={edits[key]}" if key in edits and not line.startswith("#") else line)
    env_file = base / "etc" / "sme-monitor.env"
    env_file.parent.mkdir()
    env_file.write_text("\n".join(lines) + "\n")
    env_file.chmod(0o640)
    env, problems = parse_env(env_file)
    assert not problems, problems
    return {"home": home, "env_file": env_file, "env": env}


def _answers(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read() if r.status == 200 else None
    except OSError:
        return None


def _daemon_heartbeats(home: Path) -> set[str]:
    db = home / "dagster" / "history" / "runs.db"
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return {r[0] for r in con.execute("SELECT daemon_type FROM daemon_heartbeats")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


def _ready(unit: str, env: dict[str, str], home: Path) -> bool:
    port = {"sme-superset": "SUPERSET_PORT", "sme-dbt-docs": "DOCS_PORT", "sme-dagster-webserver": "DAGSTER_PORT"}
    if unit == "sme-dagster-daemon":
        return {"SCHEDULER", "SENSOR"} <= _daemon_heartbeats(home)
    path = {"sme-superset": "/health", "sme-dbt-docs": "/", "sme-dagster-webserver": "/server_info"}[unit]
    body = _answers(f"http://{env['BIND_ADDRESS']}:{env[port[unit]]}{path}")
    if body is None:
        return False
    want = {"sme-superset": b"OK", "sme-dbt-docs": b"dbt", "sme-dagster-webserver": b"dagster_webserver_version"}
    return want[unit] in body


@pytest.mark.parametrize("name", ["sme-superset", "sme-dbt-docs", "sme-dagster-webserver", "sme-dagster-daemon"])
def test_unit_starts_answers_and_stops_within_its_timeout(server, name, tmp_path):
    unit = read_unit(DEPLOY / f"{name}.service")
    assert unit.environment_file == UNIT_ENV and unit.timeout_stop > 0 and unit.exec_start
    env = {"PATH": SYSTEMD_PATH, "HOME": str(server["home"]), **unit.environment, **server["env"]}
    cwd = unit.working_directory
    assert Path(cwd).is_dir(), cwd
    if name == "sme-dagster-daemon":
        assert not _daemon_heartbeats(server["home"])  # what the daemon writes, not what was there before

    log = open(tmp_path / f"{name}.log", "w")
    t0 = time.monotonic()
    for pre in unit.exec_start_pre:
        proc = subprocess.run(argv(pre, env), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        assert proc.returncode == 0, (pre, (tmp_path / f"{name}.log").read_text()[-3000:])
    took_pre = time.monotonic() - t0
    assert took_pre < unit.timeout_start, f"ExecStartPre took {took_pre:.0f} s > TimeoutStartSec"

    proc = subprocess.Popen(
        argv(unit.exec_start, env), cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 300
        while not _ready(name, env, server["home"]):
            assert proc.poll() is None, f"exited {proc.returncode}:\n" + (tmp_path / f"{name}.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "never answered:\n" + (tmp_path / f"{name}.log").read_text()[-3000:]
            time.sleep(0.5)
        took_up = time.monotonic() - t0
        group = processes_in(proc.pid)
        assert group, "no process in the service's group"

        t1 = time.monotonic()
        # KillSignal=SIGTERM: to the main process only (KillMode=mixed) or to every process of the service
        if unit.kill_mode == "mixed":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=unit.timeout_stop)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{name} still running {unit.timeout_stop} s after SIGTERM (TimeoutStopSec)")
        # systemd waits for the whole group until TimeoutStopSec, then SIGKILLs what is left: nothing may be left
        while processes_in(proc.pid) and time.monotonic() < t1 + unit.timeout_stop:
            time.sleep(0.2)
        took_stop = time.monotonic() - t1
        left = [" ".join(p.cmdline()[:3]) for p in processes_in(proc.pid)]
        assert not left, f"still running {unit.timeout_stop} s after SIGTERM (KillMode={unit.kill_mode}): {left}"
        print(f"\n{name}: up in {took_up:.1f} s (ExecStartPre {took_pre:.1f} s), stopped in {took_stop:.1f} s")
    finally:
        kill_process_group(proc)
        log.close()
