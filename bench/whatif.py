"""What-if timings on a copy of the benchmark's province build database (after `make bench`).

    .venv/bin/python -m bench.whatif [rep3]

A. staging operating as a table instead of a view (its readers and its data tests, with and without);
B. publishing by copying a file instead of re-inserting the marts;
C. the month chain (int_operating__months, enterprise_months) as delete+insert of the last two report years.
Nothing in the project is changed: it works on a copy under $SME_HOME/bench/whatif/ and deletes it.
"""

import json
import os
import shutil
import sys
import time

import duckdb

from warehouse.paths import Paths

root = Paths.from_env().home / "bench"
home = root / "runs" / (sys.argv[1] if len(sys.argv) > 1 else "rep3")
man = json.loads((root / "prep" / "dbt-target" / "manifest.json").read_text())
nodes = man["nodes"]


def code(name):
    return next(n for n in nodes.values() if n["resource_type"] == "model" and n["name"] == name)["compiled_code"]


work = root / "whatif"
shutil.rmtree(work, ignore_errors=True)
work.mkdir()
db = work / "build.duckdb"
shutil.copy(home / "warehouse" / "build.duckdb", db)
con = duckdb.connect(str(db), config={"memory_limit": "2GB", "preserve_insertion_order": False})


def t(label, sql):
    t0 = time.perf_counter()
    con.execute(sql).fetchall()
    dt = time.perf_counter() - t0
    print(f"{dt:7.2f} s  {label}", flush=True)
    return dt


STG = '"build"."staging"."stg_operating__monthly_reports"'
stg_tests = [
    n
    for n in nodes.values()
    if n["resource_type"] == "test" and "model.sme_monitor.stg_operating__monthly_reports" in n["depends_on"]["nodes"]
]
print(len(stg_tests), "tests on stg_operating")


def readers():
    a = t(
        "int_operating__months (full)",
        f"CREATE OR REPLACE TABLE intermediate.x_months AS {code('int_operating__months')}",
    )
    b = t(
        "int_tiers__annual_figures (full)",
        f"CREATE OR REPLACE TABLE intermediate.x_annual AS {code('int_tiers__annual_figures')}",
    )
    c = 0
    t0 = time.perf_counter()
    for n in stg_tests:
        con.execute(f"SELECT count(*) FROM ({n['compiled_code']})").fetchall()
    c = time.perf_counter() - t0
    print(f"{c:7.2f} s  {len(stg_tests)} data tests on stg_operating")
    return a + b + c


print("-- A. staging operating as a view (now)")
base = readers()
print("-- A. staging operating as a table")
m = t("materialise stg_operating as a table", f"CREATE TABLE staging.stg_tbl AS SELECT * FROM {STG}")
con.execute(f"DROP VIEW {STG}")
con.execute("ALTER TABLE staging.stg_tbl RENAME TO stg_operating__monthly_reports")
tab = readers()
print(f"   => view {base:.1f} s vs table {m + tab:.1f} s (incl. materialising)")
print("-- C. incremental month chain: only report_year >= 2025 recomputed (delete+insert)")
y0 = "DATE '2025-01-01'"
sub = f"(SELECT * FROM {STG} WHERE period >= {y0})"
t(
    "int_operating__months delete+insert ≥2025",
    f"""DELETE FROM intermediate.int_operating__months WHERE report_year >= 2025;
  INSERT INTO intermediate.int_operating__months BY NAME SELECT * FROM ({code("int_operating__months").replace(STG, sub)})""",
)
em = code("enterprise_months")
t("enterprise_months (full, for comparison)", f"CREATE OR REPLACE TABLE marts.x_em AS {em}")
t(
    "enterprise_months delete+insert ≥2025",
    f"""DELETE FROM marts.enterprise_months WHERE report_year >= 2025;
  INSERT INTO marts.enterprise_months BY NAME SELECT * FROM ({em} WHERE m.report_year >= 2025)""",
)
con.close()
print("-- B. publish as a file copy")
srv = home / "warehouse" / "serving.duckdb"
t0 = time.perf_counter()
shutil.copyfile(srv, work / "copy.duckdb")
os.fsync(os.open(work / "copy.duckdb", os.O_RDONLY))
dt = time.perf_counter() - t0
print(f"{dt:7.2f} s  copy serving.duckdb ({srv.stat().st_size / 1e9:.2f} GB) + fsync")
shutil.rmtree(work)
