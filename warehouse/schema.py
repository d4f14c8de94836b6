"""DDL of the raw layer, generated from the input contract.

raw.<source>       rows that passed, typed, with lineage (load_id, source_file, source_row)
raw.quarantine     one record per problem found (row-level, or file-level with source_row NULL)
raw.load_warnings  non-blocking findings (e.g. a company name that differs from the registry)
raw.load_manifest  one row per file seen: hash, counts, status, times (received_at: when the file landed)
"""

from __future__ import annotations

from ingest.contract import DUCKDB_TYPES, TEMPLATES

LINEAGE_COLUMNS = (
    ("load_id", "BIGINT NOT NULL"),
    ("source_file", "VARCHAR NOT NULL"),
    ("source_row", "BIGINT NOT NULL"),
)


def raw_table_ddl(source: str) -> str:
    tpl = TEMPLATES[source]
    cols = [f"{n} {t}" for n, t in LINEAGE_COLUMNS]
    cols += [f"{f.name} {DUCKDB_TYPES[f.type]}" for f in tpl.fields]
    return f"CREATE TABLE IF NOT EXISTS raw.{source} (\n  " + ",\n  ".join(cols) + "\n)"


MANIFEST_DDL = """
CREATE TABLE IF NOT EXISTS raw.load_manifest (
  load_id BIGINT PRIMARY KEY,
  source VARCHAR,
  file_name VARCHAR NOT NULL,
  archived_path VARCHAR,
  sha256 VARCHAR NOT NULL,
  size_bytes BIGINT,
  encoding VARCHAR,
  sheet VARCHAR,
  header_row BIGINT,
  rows_read BIGINT NOT NULL,
  rows_loaded BIGINT NOT NULL,
  rows_quarantined BIGINT NOT NULL,
  rows_skipped BIGINT NOT NULL,
  skipped_detail VARCHAR,
  status VARCHAR NOT NULL,      -- loaded | partial | rejected | duplicate
  status_message VARCHAR,
  started_at TIMESTAMP,
  finished_at TIMESTAMP,
  run_id VARCHAR,             -- the Dagster run that loaded it (NULL outside Dagster)
  received_at TIMESTAMP       -- when the file landed: its mtime in the inbox, capped at started_at
)
"""

# Upgrades of raw tables created by an earlier version (CREATE TABLE IF NOT EXISTS keeps an old table as it was).
# A column added here goes at the end of the table, as in the DDL above, so both have the same column order.
MANIFEST_UPGRADES = ("ALTER TABLE raw.load_manifest ADD COLUMN IF NOT EXISTS received_at TIMESTAMP",)

QUARANTINE_DDL = """
CREATE TABLE IF NOT EXISTS raw.quarantine (
  load_id BIGINT NOT NULL,
  source VARCHAR,
  source_file VARCHAR NOT NULL,
  source_row BIGINT,            -- 1-based row as Excel shows it; NULL for a file-level rejection
  column_name VARCHAR,          -- canonical name
  column_header VARCHAR,        -- the header as the file wrote it
  code VARCHAR NOT NULL,
  message VARCHAR NOT NULL,     -- Chinese, for the reporting unit
  raw_value VARCHAR,
  raw_record VARCHAR            -- the whole row as JSON of header -> text
)
"""

WARNINGS_DDL = """
CREATE TABLE IF NOT EXISTS raw.load_warnings (
  load_id BIGINT NOT NULL,
  source_file VARCHAR NOT NULL,
  source_row BIGINT,
  column_name VARCHAR,
  code VARCHAR NOT NULL,
  message VARCHAR NOT NULL,
  raw_value VARCHAR
)
"""


PUBLICATIONS_DDL = """
CREATE TABLE IF NOT EXISTS raw.publications (
  published_at TIMESTAMP NOT NULL,
  last_load_id BIGINT,          -- every row loaded up to here has passed the checks and been published
  path VARCHAR
)
"""


def create_raw_schema(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for source in TEMPLATES:
        con.execute(raw_table_ddl(source))
    con.execute(MANIFEST_DDL)
    for stmt in MANIFEST_UPGRADES:
        con.execute(stmt)
    con.execute(QUARANTINE_DDL)
    con.execute(WARNINGS_DDL)
    con.execute(PUBLICATIONS_DDL)
