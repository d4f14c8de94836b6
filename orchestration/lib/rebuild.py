"""Rebuild from the archive: raw.*, the marts and a serving copy from var/archive/ alone, into a fresh home.

Every file ever sent is kept as archive/<source>/<load_id:06d>__<file name>. The rebuild loads them, with the
project's own loader, one by one in load-id order (the original load order, across sources and runs) into the
build database of a new, empty home; then runs the normal pipeline there (`sme-monitor run` with SME_HOME set
to the new home: dbt build, checks, publish) and compares the new serving copy with the live one, mart by mart.

The live home is only read (its archive and its serving copy). What legitimately differs in a rebuild, and is
therefore not compared: receipts, manifest times (started_at/finished_at), run ids, archived paths and the
audit schema. Load ids are the same as the originals when every load is in the archive (checked and reported);
marts.enterprise_months.source_load_id therefore takes part in the comparison. DOUBLE/FLOAT columns are
compared rounded to 6 decimal places (parallel sums may differ in the last bit between two builds); when a table
with such columns differs that way, its rows are compared one by one, the floats within a relative 1e-9: two sums
that differ in the last bit can still round apart (6.71718750000001 and 6.71718749999999; seen on the demo
sample's financing_summary), which is not a difference.

No Dagster import here: the pipeline runs in a child process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.paths import PROJECT_ROOT, Paths

ARCHIVED = re.compile(r"^(\d{6,})__(.+)$")
FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
FLOAT_DIGITS = 6
FLOAT_RELATIVE_TOLERANCE = 1e-9  # row by row: far above the last-bit noise of a double sum, far below any real change


@dataclass(frozen=True)
class ArchivedFile:
    load_id: int
    source: str
    path: Path
    name: str  # the file name as it was sent


def archived_files(archive: Path) -> list[ArchivedFile]:
    """The archive's files in their original load order (the load-id prefix)."""
    found = []
    if archive.is_dir():
        for src_dir in sorted(p for p in archive.iterdir() if p.is_dir()):
            for f in src_dir.iterdir():
                m = ARCHIVED.match(f.name)
                if f.is_file() and m:
                    found.append(ArchivedFile(int(m.group(1)), src_dir.name, f, m.group(2)))
    return sorted(found, key=lambda a: a.load_id)


# ------------------------------------------------------------------ checksums
def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str, database: str | None = None) -> list[tuple]:
    """(name, data type) of a table's columns, in order; `database`: an attached one, else the current."""
    db = "?" if database else "current_database()"
    return con.execute(
        f"SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        f"AND database_name = {db} ORDER BY column_index",
        [schema, table, database] if database else [schema, table],
    ).fetchall()


def table_checksums(db: Path, schema: str = "marts") -> dict[str, tuple[int, int, tuple[str, ...]]]:
    """Per table of `schema`: (row count, order-independent checksum, column names).

    The checksum is the sum (as HUGEINT, so duplicate rows count) of a hash of every row's values.
    """
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = ? AND database_name = current_database() "
                "ORDER BY 1",
                [schema],
            ).fetchall()
        ]
        for t in tables:
            cols = _columns(con, schema, t)
            exprs = [f'round("{c}", {FLOAT_DIGITS})' if dtype.upper() in FLOAT_TYPES else f'"{c}"' for c, dtype in cols]
            n, s = con.execute(
                f'SELECT count(*), coalesce(sum(hash({", ".join(exprs)})::HUGEINT), 0) FROM "{schema}"."{t}"'
            ).fetchone()
            out[t] = (int(n), int(s), tuple(c for c, _ in cols))
        return out
    finally:
        con.close()


@dataclass
class MartComparison:
    table: str
    rows_live: int | None
    rows_rebuilt: int | None
    equal: bool
    note: str = ""


def compare_marts(live: Path, rebuilt: Path) -> list[MartComparison]:
    a, b = table_checksums(live), table_checksums(rebuilt)
    out = []
    for t in sorted(set(a) | set(b)):
        if t not in a or t not in b:
            out.append(MartComparison(t, a.get(t, (None,))[0], b.get(t, (None,))[0], False, "仅在一边存在"))
            continue
        note = "" if a[t][2] == b[t][2] else "列不同"
        equal = a[t] == b[t]
        if not equal and not note and a[t][0] == b[t][0] and rows_equal_within_tolerance(live, rebuilt, t):
            equal, note = True, "浮点数末位不同，在误差内"
        out.append(MartComparison(t, a[t][0], b[t][0], equal, note))
    return out


def rows_equal_within_tolerance(live: Path, rebuilt: Path, table: str, schema: str = "marts") -> bool:
    """The two tables hold the same rows, floats equal within FLOAT_RELATIVE_TOLERANCE: rows paired by their rank
    in one order (every column, floats rounded to 4 places, then exact), columns compared pairwise. Only asked when
    the checksums differ, the row counts and columns are the same, and the table has float columns."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS live (READ_ONLY)", [str(live)])
        con.execute("ATTACH ? AS rebuilt (READ_ONLY)", [str(rebuilt)])
        cols = _columns(con, schema, table, database="live")
        floats = [c for c, dtype in cols if dtype.upper() in FLOAT_TYPES]
        if not floats:
            return False
        order = ", ".join(
            [f'round("{c}", 4)' if c in floats else f'"{c}"' for c, _ in cols] + [f'"{c}"' for c in floats]
        )
        same = [
            f'(l."{c}" IS NULL AND r."{c}" IS NULL) OR coalesce(abs(l."{c}" - r."{c}") <= '
            f'{FLOAT_RELATIVE_TOLERANCE} * greatest(1.0, abs(l."{c}"), abs(r."{c}")), false)'
            if c in floats
            else f'l."{c}" IS NOT DISTINCT FROM r."{c}"'
            for c, _ in cols
        ]
        numbered = 'SELECT row_number() OVER (ORDER BY {order}) AS __n, * FROM {db}."{schema}"."{table}"'
        differing = con.execute(
            f"SELECT count(*) FROM ({numbered.format(order=order, db='live', schema=schema, table=table)}) AS l "
            f"FULL JOIN ({numbered.format(order=order, db='rebuilt', schema=schema, table=table)}) AS r USING (__n) "
            f"WHERE NOT ({' AND '.join(f'({x})' for x in same)})"
        ).fetchone()[0]
        return differing == 0
    finally:
        con.close()


# ------------------------------------------------------------------ rebuild
@dataclass
class RebuildResult:
    into: Path
    files: int
    load_id_mismatches: list[tuple[int, int, str]]
    run_returncode: int
    run_output: str
    comparisons: list[MartComparison]
    seconds_load: float
    seconds_run: float

    @property
    def all_equal(self) -> bool:
        return self.run_returncode == 0 and bool(self.comparisons) and all(c.equal for c in self.comparisons)


def load_archive_into(live: Paths, new: Paths, progress=print) -> tuple[int, list[tuple[int, int, str]]]:
    """Load every archived file of `live` into the (fresh) build database of `new`, in load-id order."""
    from ingest.loader import Loader, _one_checkpoint
    from warehouse.db import connect_build

    files = archived_files(live.archive)
    staging = new.home / ".rebuild-inbox"
    work = new.warehouse / "work"
    work.mkdir(parents=True, exist_ok=True)
    mismatches = []
    con = connect_build(new)
    try:
        loader = Loader(con, new.archive, new.receipts, work, run_id="rebuild-from-archive")
        with _one_checkpoint(con):
            for a in files:
                d = staging / a.source
                d.mkdir(parents=True, exist_ok=True)
                p = d / a.name
                shutil.copy2(a.path, p)
                r = loader.load_file(p, a.source)
                if r.load_id != a.load_id:
                    mismatches.append((a.load_id, r.load_id, a.path.name))
                progress(f"  {a.source}/{a.path.name} → 批次 {r.load_id} {r.status}")
    finally:
        con.close()
    shutil.rmtree(staging, ignore_errors=True)
    return len(files), mismatches


def rebuild_from_archive(live: Paths, into: Path, progress=print) -> RebuildResult:
    into = into.resolve()
    if into == live.home or live.home in into.parents:
        raise ValueError(f"重建目录不能是当前的 SME_HOME 或其中的目录：{into}")
    if into.exists() and any(into.iterdir()):
        raise ValueError(f"重建目录必须为空或不存在：{into}")
    if not archived_files(live.archive):
        raise ValueError(f"归档目录中没有文件：{live.archive}")
    new = Paths(into).ensure()
    t0 = time.perf_counter()
    n, mismatches = load_archive_into(live, new, progress)
    t1 = time.perf_counter()
    env = dict(os.environ, SME_HOME=str(into), DAGSTER_HOME=str(into / "dagster"))
    progress("在新目录中运行 dbt、检查与发布……")
    proc = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run"],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    t2 = time.perf_counter()
    comparisons = []
    if proc.returncode == 0 and live.serving_db.exists() and new.serving_db.exists():
        comparisons = compare_marts(live.serving_db, new.serving_db)
    return RebuildResult(into, n, mismatches, proc.returncode, proc.stdout + proc.stderr, comparisons, t1 - t0, t2 - t1)
