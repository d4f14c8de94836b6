"""raw.load_manifest.received_at: when a file landed (its mtime in the inbox, capped at the load start), and the
upgrade of a home whose manifest was created before the column existed (issue 10 §1, 报送及时率)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

OLD_MANIFEST_DDL = """
CREATE TABLE raw.load_manifest (
  load_id BIGINT PRIMARY KEY, source VARCHAR, file_name VARCHAR NOT NULL, archived_path VARCHAR,
  sha256 VARCHAR NOT NULL, size_bytes BIGINT, encoding VARCHAR, sheet VARCHAR, header_row BIGINT,
  rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL, skipped_detail VARCHAR, status VARCHAR NOT NULL, status_message VARCHAR,
  started_at TIMESTAMP, finished_at TIMESTAMP, run_id VARCHAR
)
"""


def _set_mtime(path: Path, when: dt.datetime) -> None:
    ts = when.timestamp()  # naive = local time, as the loader reads it back
    os.utime(path, (ts, ts))


def _load(tmp_path: Path, con: duckdb.DuckDBPyConnection, name: str, landed: dt.datetime):
    from ingest.loader import Loader
    from warehouse.paths import Paths

    paths = Paths(tmp_path / "home").ensure()
    path = paths.inbox_for("operating") / name
    shutil.copy(CORPUS / "op_utf8_plain.csv", path)
    _set_mtime(path, landed)
    r = Loader(con, paths.archive, paths.receipts, paths.warehouse / "work").load_file(path, "operating")
    return con.execute(
        "SELECT received_at, started_at FROM raw.load_manifest WHERE load_id = ?", [r.load_id]
    ).fetchone()


def test_received_at_is_the_file_mtime(tmp_path):
    from warehouse.schema import create_raw_schema

    con = duckdb.connect()
    create_raw_schema(con)
    landed = dt.datetime(2025, 11, 10, 23, 59, 0)
    received, started = _load(tmp_path, con, "a.csv", landed)
    assert received == landed
    assert started > landed


def test_received_at_is_capped_at_the_load_start(tmp_path):
    """A file dated in the future (clock skew on the sender's side) cannot have arrived after its load started."""
    from warehouse.schema import create_raw_schema

    con = duckdb.connect()
    create_raw_schema(con)
    future = dt.datetime.now() + dt.timedelta(days=30)
    received, started = _load(tmp_path, con, "b.csv", future)
    assert received == started
    assert received < future


def test_an_old_manifest_gets_the_column_and_keeps_its_rows(tmp_path):
    from warehouse.schema import create_raw_schema

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(OLD_MANIFEST_DDL)
    con.execute(
        "INSERT INTO raw.load_manifest VALUES (1, 'operating', 'old.csv', NULL, 'x', 1, NULL, NULL, 1, 3, 3, 0, 0,"
        " '{}', 'loaded', NULL, '2025-01-10 02:00:00', '2025-01-10 02:01:00', NULL)"
    )
    create_raw_schema(con)
    create_raw_schema(con)  # idempotent
    cols = [r[0] for r in con.execute("DESCRIBE raw.load_manifest").fetchall()]
    assert cols[-1] == "received_at" and cols.count("received_at") == 1
    assert con.execute("SELECT file_name, received_at FROM raw.load_manifest").fetchall() == [("old.csv", None)]
    # a load after the upgrade writes the new column
    landed = dt.datetime(2025, 12, 10, 9, 0, 0)
    received, _ = _load(tmp_path, con, "c.csv", landed)
    assert received == landed
