"""`sme-monitor backup --to DIR` / `restore --from DIR`: a round trip into an empty SME_HOME (without a live Superset)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sme_testing import query, sme

from orchestration.lib.rebuild import compare_marts


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _dump(db: Path) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _with_superset_files(home: Path) -> sqlite3.Connection:
    """Superset's state as dashboards/ keeps it: a SQLite metadata db in WAL mode (rows still in the WAL), secrets."""
    d = home / "superset"
    d.mkdir(exist_ok=True)
    con = sqlite3.connect(d / "superset.db")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("CREATE TABLE ab_user (id INTEGER PRIMARY KEY, username TEXT, password TEXT)")
    con.executemany("INSERT INTO ab_user VALUES (?, ?, ?)", [(1, "admin", "pbkdf2:sha256:x"), (2, "wuhan", "pbkdf2:y")])
    con.commit()  # left open: the rows are in superset.db-wal only
    (d / "secret_key").write_text("not-a-real-secret-key")
    (d / "secret_key").chmod(0o600)
    (d / "credentials").write_text("admin pw1\nwuhan pw2\n")
    (d / "credentials").chmod(0o600)
    return con


@pytest.mark.integration
@pytest.mark.slow
def test_backup_and_restore_round_trip(published_sample, tmp_path):
    live = shutil.copytree(published_sample, tmp_path / "live", symlinks=True)
    keep_open = _with_superset_files(live)
    assert (live / "superset" / "superset.db-wal").stat().st_size > 0
    bk = tmp_path / "backup"
    proc = sme(live, "backup", "--to", str(bk))
    keep_open.close()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (bk / "MANIFEST.json").is_file() and not list(tmp_path.glob(".backup.partial-*"))

    new = tmp_path / "restored"
    new.mkdir()
    proc = sme(new, "restore", "--from", str(bk))
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # archive and receipts byte for byte; the serving copy byte for byte and mart for mart
    assert _tree(new / "archive") == _tree(live / "archive") and _tree(new / "archive")
    assert _tree(new / "receipts") == _tree(live / "receipts")
    assert _sha(new / "warehouse" / "serving.duckdb") == _sha(live / "warehouse" / "serving.duckdb")
    assert all(
        c.equal for c in compare_marts(live / "warehouse" / "serving.duckdb", new / "warehouse" / "serving.duckdb")
    )
    # Dagster history: every SQLite file with the same content
    live_dbs = sorted(p.relative_to(live) for p in (live / "dagster").rglob("*.db"))
    assert live_dbs and sorted(p.relative_to(new) for p in (new / "dagster").rglob("*.db")) == live_dbs
    for rel in live_dbs:
        assert _dump(new / rel) == _dump(live / rel), rel
    # Superset: the rows that were only in the WAL are there; secrets byte-equal and still private
    assert _dump(new / "superset" / "superset.db") == _dump(live / "superset" / "superset.db")
    assert len([ln for ln in _dump(new / "superset" / "superset.db") if "INSERT INTO" in ln and "ab_user" in ln]) == 2
    for name in ("secret_key", "credentials"):
        assert (new / "superset" / name).read_bytes() == (live / "superset" / name).read_bytes()
        assert stat.S_IMODE((new / "superset" / name).stat().st_mode) == 0o600
    # the manifest points at the new home's archive, and those files exist
    paths = [r[0] for r in query(new / "warehouse" / "build.duckdb", "SELECT archived_path FROM raw.load_manifest")]
    assert paths and all(p.startswith(str(new) + "/") and Path(p).is_file() for p in paths)
    # status sees the same last run and a current version
    live_status, new_status = sme(live, "status"), sme(new, "status")
    assert new_status.returncode == 0, new_status.stdout
    last = next(ln for ln in live_status.stdout.splitlines() if ln.startswith("最近一次运行"))
    assert last in new_status.stdout and "当前版本 serving-" in new_status.stdout
    # the next run on the restored home publishes the same marts
    proc = sme(new, "run")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert all(
        c.equal for c in compare_marts(live / "warehouse" / "serving.duckdb", new / "warehouse" / "serving.duckdb")
    )


def test_restore_refuses_a_home_with_data_and_a_damaged_backup(published_sample, tmp_path):
    bk = tmp_path / "backup"
    assert sme(published_sample, "backup", "--to", str(bk)).returncode == 0
    proc = sme(published_sample, "restore", "--from", str(bk))
    assert proc.returncode == 2 and "拒绝覆盖" in proc.stderr
    victim = next(p for p in sorted((bk / "archive").rglob("*")) if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"x")
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = sme(empty, "restore", "--from", str(bk))
    assert proc.returncode == 2 and "损坏" in proc.stderr
    assert not (empty / "warehouse" / "serving.duckdb").exists()
