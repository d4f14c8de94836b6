"""`sme-monitor rebuild --from-archive`: the archive alone rebuilds raw.*, the marts and a serving copy equal to the live one."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sme_testing import query, sme


def _fingerprint(home: Path) -> dict[str, str]:
    """What the rebuild must leave untouched in the live home: archive and serving copy, byte for byte."""
    files = sorted((home / "archive").rglob("*")) + [home / "warehouse" / "serving.duckdb"]
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


@pytest.mark.integration
@pytest.mark.slow
def test_rebuild_from_archive_equals_the_live_serving_copy(published_sample, tmp_path):
    before = _fingerprint(published_sample)
    into = tmp_path / "rebuilt"
    proc = sme(published_sample, "rebuild", "--from-archive", "--into", str(into))
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert _fingerprint(published_sample) == before
    marts = [
        r[0]
        for r in query(
            published_sample / "warehouse" / "serving.duckdb",
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'",
        )
    ]
    assert len(marts) >= 10
    for t in marts:
        line = next(ln for ln in proc.stdout.splitlines() if ln.startswith(f"marts.{t} "))
        assert line.endswith("相同"), line
    # raw.* was rebuilt from the archive alone, with the original load ids and the same row counts
    live_manifest = query(
        published_sample / "warehouse" / "serving.duckdb",
        "SELECT load_id, source, file_name, sha256, status, rows_loaded, rows_quarantined "
        "FROM audit.load_manifest ORDER BY load_id",
    )
    new_manifest = query(
        into / "warehouse" / "build.duckdb",
        "SELECT load_id, source, file_name, sha256, status, rows_loaded, rows_quarantined "
        "FROM raw.load_manifest ORDER BY load_id",
    )
    assert new_manifest == live_manifest
    assert (into / "warehouse" / "serving.duckdb").exists()


def test_rebuild_refuses_the_live_home_and_a_non_empty_folder(published_sample, tmp_path):
    proc = sme(published_sample, "rebuild", "--from-archive", "--into", str(published_sample / "x"))
    assert proc.returncode == 2 and "SME_HOME" in proc.stderr
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "f").write_text("x")
    proc = sme(published_sample, "rebuild", "--from-archive", "--into", str(tmp_path / "busy"))
    assert proc.returncode == 2 and "为空" in proc.stderr
