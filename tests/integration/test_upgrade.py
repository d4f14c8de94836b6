"""A home built by the layout of commit 96a5381 (the code before issue 12) is upgraded in place and publishes.

The old home is built for real: the old code (`git archive 96a5381`) generates the small sample and runs the
pipeline with PYTHONPATH set to it; then today's `sme-monitor upgrade` and `sme-monitor run` work on that home.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
from pathlib import Path

import duckdb
import pytest
from sme_testing import ROOT, SMALL_SAMPLE, query, sme, sme_env

from warehouse.migrations import LATEST

pytestmark = [pytest.mark.integration, pytest.mark.slow]

OLD_COMMIT = "96a5381"


def _old_code(dst: Path) -> Path:
    try:
        blob = subprocess.run(
            ["git", "archive", OLD_COMMIT], cwd=ROOT, capture_output=True, check=True, timeout=120
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip(f"commit {OLD_COMMIT} is not in this checkout")
    with tarfile.open(fileobj=io.BytesIO(blob)) as tf:
        tf.extractall(dst, filter="data")
    return dst


def _old_home(old: Path, home: Path) -> None:
    env = dict(sme_env(home), PYTHONPATH=str(old))
    gen = (
        "from pathlib import Path; from ingest.sample import generate; "
        f"generate(Path({str(home / 'inbox')!r}), **{SMALL_SAMPLE!r}); "
        f"Path({str(home / 'inbox' / '_sample_expected.json')!r}).unlink()"
    )
    subprocess.run([sys.executable, "-c", gen], cwd=old, env=env, check=True, capture_output=True, timeout=600)
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        cwd=old,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_a_home_built_at_96a5381_upgrades_and_publishes(tmp_path):
    old = _old_code(tmp_path / "old")
    home = tmp_path / "home"
    _old_home(old, home)
    build = home / "warehouse" / "build.duckdb"
    before = query(build, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meta'")[0][0]
    assert before == 0  # the old layout has no stamp
    # 96a5381 built int_ops__enterprise_dims as a table (today: int_operating__enterprise_dims). The marts schema
    # inside build.duckdb is what layouts before 96a5381 left (their publish dropped it; today's does not): add it.
    tables = {r[0] for r in query(build, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'intermediate'")}
    assert "int_ops__enterprise_dims" in tables
    con = duckdb.connect(str(build))
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute("CREATE TABLE IF NOT EXISTS marts.enterprises AS SELECT 1 AS stale")
    con.close()
    served_before = query(home / "warehouse" / "serving.duckdb", "SELECT count(*) FROM marts.enterprises")[0][0]

    proc = sme(home, "upgrade")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"升级到 {LATEST}" in proc.stdout
    assert query(build, "SELECT max(version) FROM meta.schema_version")[0][0] == LATEST
    assert query(build, "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'marts'")[0][0] == 0
    assert sme(home, "upgrade").stdout.strip() == f"数据库已是最新版本 {LATEST}"

    proc = sme(home, "run")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "已发布" in proc.stdout
    rels = {
        r[0]
        for r in query(
            build,
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'intermediate' "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE schema_name = 'intermediate'",
        )
    }
    assert "int_operating__enterprise_dims" in rels and "int_ops__enterprise_dims" not in rels
    assert query(home / "warehouse" / "serving.duckdb", "SELECT count(*) FROM marts.enterprises")[0][0] == served_before
    assert sme(home, "status").returncode == 0
