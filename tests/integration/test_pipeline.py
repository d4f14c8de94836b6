"""The whole run end to end, through `sme-monitor run`, on a small generated sample."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from sme_testing import clone_home, query, run_pipeline, sme

from ingest.contract import REASON_CODES, SOURCES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, published_sample) -> Path:
    """A private copy of the home where the shared small sample was loaded and published once."""
    assert "已发布" in (published_sample / "run.log").read_text()
    return clone_home(published_sample, tmp_path_factory.mktemp("pipeline") / "home")


def manifest(home: Path) -> list[dict]:
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        return con.execute("SELECT * FROM raw.load_manifest ORDER BY load_id").df().to_dict("records")
    finally:
        con.close()


def test_every_file_accounted_for(loaded):
    rows = manifest(loaded)
    expected = json.loads((loaded / "expected.json").read_text())
    files_sent = {Path(f["file"]).name for f in expected["files"]} if "files" in expected else None
    assert rows, "nothing loaded"
    for r in rows:
        assert r["rows_read"] == r["rows_loaded"] + r["rows_quarantined"] + r["rows_skipped"], r["file_name"]
    if files_sent is not None:
        assert {r["file_name"] for r in rows} >= files_sent
    # nothing left behind in the inbox, everything archived
    assert not [p for s in SOURCES for p in (loaded / "inbox" / s).iterdir()]
    assert len(list((loaded / "archive").rglob("*.*"))) == len(rows)


def test_quarantine_codes_and_injected_defects(loaded):
    db = loaded / "warehouse" / "build.duckdb"
    codes = {r[0] for r in query(db, "SELECT DISTINCT code FROM raw.quarantine")}
    assert codes <= set(REASON_CODES)
    assert codes == set(REASON_CODES), f"sample should exercise every code, missing {set(REASON_CODES) - codes}"
    expected = json.loads((loaded / "expected.json").read_text())
    found = {(r[0], r[1], r[2]) for r in query(db, "SELECT source_file, source_row, code FROM raw.quarantine")}
    for d in expected["defects"]:
        if d.get("row") is not None:
            assert (Path(d["file"]).name, d["row"], d["code"]) in found, d


def test_receipts_written_for_every_file(loaded):
    import openpyxl

    rows = manifest(loaded)
    receipts = list((loaded / "receipts").rglob("*.回执.xlsx"))
    assert len(receipts) == len(rows)
    bad = next(r for r in rows if r["rows_quarantined"] > 0 and r["status"] == "partial")
    rec = next(p for p in receipts if p.name.startswith(f"{bad['load_id']:06d}_"))
    wb = openpyxl.load_workbook(rec, read_only=True)
    assert wb.sheetnames == ["汇总", "问题明细"]
    detail = list(wb["问题明细"].iter_rows(values_only=True))
    n_rows = len({row[0] for row in detail[1:]})
    assert n_rows == bad["rows_quarantined"]


def test_second_run_loads_nothing_new(loaded):
    before = manifest(loaded)
    counts = {s: query(loaded / "warehouse" / "build.duckdb", f"SELECT count(*) FROM raw.{s}")[0][0] for s in SOURCES}
    proc = run_pipeline(loaded)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert manifest(loaded) == before
    after = {s: query(loaded / "warehouse" / "build.duckdb", f"SELECT count(*) FROM raw.{s}")[0][0] for s in SOURCES}
    assert after == counts


def test_same_bytes_again_is_a_duplicate(loaded):
    first = next(p for p in (loaded / "archive" / "financing").iterdir())
    before = query(loaded / "warehouse" / "build.duckdb", "SELECT count(*) FROM raw.financing")[0][0]
    original_name = first.name.split("__", 1)[1]
    dest = loaded / "inbox" / "financing" / original_name
    shutil.copy(first, dest)
    proc = run_pipeline(loaded)
    assert proc.returncode == 0
    last = manifest(loaded)[-1]
    assert last["status"] == "duplicate" and last["file_name"] == original_name
    assert query(loaded / "warehouse" / "build.duckdb", "SELECT count(*) FROM raw.financing")[0][0] == before


def test_corrected_file_supersedes_and_history_stays(loaded, tmp_path):
    db = loaded / "warehouse" / "build.duckdb"
    uscc, period, old = query(
        db,
        "SELECT uscc, period, revenue_ytd FROM raw.operating WHERE revenue_ytd > 0 ORDER BY load_id, source_row LIMIT 1",
    )[0]
    from ingest.contract import OPERATING

    header = ",".join(f.header for f in OPERATING.fields)
    values = {f.name: "" for f in OPERATING.fields}
    values.update(
        uscc=uscc, period=period.strftime("%Y%m"), revenue_month="1", revenue_ytd=str(old + 1000), total_assets="100"
    )
    path = tmp_path / "更正.csv"
    path.write_text(header + "\n" + ",".join(values[f.name] for f in OPERATING.fields) + "\n", encoding="utf-8")
    proc = run_pipeline(loaded, {"operating": [path]})
    assert proc.returncode == 0, proc.stdout[-3000:]
    versions = query(
        db, "SELECT revenue_ytd FROM raw.operating WHERE uscc = ? AND period = ? ORDER BY load_id", [uscc, period]
    )
    assert [v[0] for v in versions][-1] == old + 1000 and len(versions) >= 2
    current = query(
        db,
        "SELECT revenue_ytd FROM staging.stg_operating__monthly_reports WHERE uscc = ? AND period = ?",
        [uscc, period],
    )
    assert current == [(old + 1000,)]


def test_failing_blocking_check_publishes_nothing(loaded):
    serving = loaded / "warehouse" / "serving.duckdb"
    before_inode = serving.stat().st_ino
    con = duckdb.connect(str(loaded / "warehouse" / "build.duckdb"))
    load_id = con.execute("SELECT max(load_id) + 1 FROM raw.load_manifest").fetchone()[0]
    # A row written around the loader: capacity 250 % — the GX suite must stop the publish.
    con.execute(
        "INSERT INTO raw.load_manifest (load_id, source, file_name, sha256, rows_read, rows_loaded, rows_quarantined,"
        " rows_skipped, status) VALUES (?, 'operating', 'injected.csv', 'x', 1, 1, 0, 0, 'loaded')",
        [load_id],
    )
    con.execute(
        "INSERT INTO raw.operating (load_id, source_file, source_row, uscc, period, capacity_utilisation_pct, total_assets)"
        " SELECT ?, 'injected.csv', 2, uscc, DATE '2020-01-01', 250, 1 FROM raw.operating LIMIT 1",
        [load_id],
    )
    con.close()
    proc = run_pipeline(loaded)
    assert proc.returncode == 1
    assert "gx_operating_new_rows" in proc.stdout
    assert "未发布" in proc.stdout
    assert serving.stat().st_ino == before_inode
    # clean up so later tests see a publishable state
    con = duckdb.connect(str(loaded / "warehouse" / "build.duckdb"))
    con.execute("DELETE FROM raw.operating WHERE load_id = ?", [load_id])
    con.execute("DELETE FROM raw.load_manifest WHERE load_id = ?", [load_id])
    con.close()


def test_sql_command_reads_serving_copy(loaded):
    proc = sme(loaded, "sql", "SELECT max(load_id) AS n FROM audit.load_manifest", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    published = query(loaded / "warehouse" / "build.duckdb", "SELECT max(last_load_id) FROM raw.publications")[0][0]
    assert json.loads(proc.stdout)[0]["n"] == published
    refused = sme(loaded, "sql", "SELECT * FROM read_csv('/etc/passwd')")
    assert refused.returncode == 1 and "查询失败" in refused.stderr


def test_validate_exit_codes(loaded, tmp_path):
    good = next((loaded / "archive" / "financing").iterdir())
    proc = sme(loaded, "validate", str(good), "--source", "financing", "--json")
    assert proc.returncode in (0, 1)
    out = json.loads(proc.stdout)
    assert out["rows"] == out["valid"] + out["invalid"] + out["skipped"]
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4")
    assert sme(loaded, "validate", str(fake), "--source", "operating").returncode == 2
