"""`sme-monitor services check`: the shipped units and environment example pass; each kind of mistake is caught."""

from __future__ import annotations

import shutil

import pytest

import orchestration.lib.services as services
from orchestration.cli import main


def test_the_shipped_units_and_env_example_pass(capsys):
    problems, note = services.check()
    assert problems == []
    if shutil.which("systemd-analyze"):
        assert "通过" in note
    assert main(["services", "check"]) == 0
    assert "通过" in capsys.readouterr().out


@pytest.fixture
def deploy(tmp_path, monkeypatch):
    d = shutil.copytree(services.DEPLOY, tmp_path / "deploy")
    monkeypatch.setattr(services, "DEPLOY", d)
    return d


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def test_env_mistakes(deploy):
    env = deploy / "sme-monitor.env.example"
    _edit(env, "BIND_ADDRESS=127.0.0.1", "BIND_ADDRESS=0.0.0.0")
    _edit(env, "SMTP_PASSWORD=", "SMTP_PASSWORD=hunter2")
    _edit(env, "DOCS_PORT=8081", "DOCS_PORT=3000")
    _edit(env, "SME_HOME=/var/lib/sme-monitor", "SME_HOME=var  # relative")
    problems, _ = services.check()
    text = "\n".join(problems)
    for expected in ("BIND_ADDRESS", "SMTP_PASSWORD", "端口", "SME_HOME", "#"):
        assert expected in text, (expected, text)


def test_unit_mistakes(deploy):
    su = deploy / "sme-superset.service"
    _edit(
        su,
        "ExecStart=/opt/sme-monitor/.venv-superset/bin/gunicorn",
        "ExecStart=/opt/sme-monitor/.venv-superset/bin/superset run #",
    )
    _edit(deploy / "sme-dbt-docs.service", "TimeoutStopSec=12", "TimeoutStopSec=90")
    _edit(deploy / "sme-dagster-webserver.service", "-h ${BIND_ADDRESS}", "-h 0.0.0.0 -x ${NOT_IN_ENV}")
    (deploy / "sme-dagster-daemon.service").unlink()
    problems, _ = services.check()
    text = "\n".join(problems)
    for expected in ("gunicorn", "TimeoutStopSec", "0.0.0.0", "NOT_IN_ENV", "sme-dagster-daemon"):
        assert expected in text, (expected, text)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_analyze_catches_a_missing_executable(deploy):
    _edit(
        deploy / "sme-dbt-docs.service",
        "ExecStart=/opt/sme-monitor/.venv/bin/dbt",
        "ExecStart=/opt/sme-monitor/.venv/bin/no-such-dbt",
    )
    problems, _ = services.check()
    assert any("systemd-analyze verify" in p and "no-such-dbt" in p for p in problems), problems
