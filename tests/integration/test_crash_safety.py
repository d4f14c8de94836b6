"""Crash safety: SIGKILL the pipeline during ingest, during the dbt build and during publish.

The phase is recognised from outside, by polling what anyone can observe — files leaving the inbox, a
`dbt build` child process, the `.serving-*.tmp` staging file in the warehouse folder — never by hooks or
sleeps in production code. The whole process group is killed (the run and its dbt child), as a crash or
an OOM kill of the job would. After every kill:

- the serving copy is the previous good one, byte for byte the same state, and opens cleanly read-only;
- the manifest has no half-loaded file: every load's rows_loaded equals count(*) of its rows in raw.<source>,
  its quarantined rows are all in raw.quarantine, and no raw row belongs to a load the manifest does not know;
- nothing sent is lost: every file is still in the inbox or in the archive, byte for byte.

Then the next run completes, publishes, and its row accounting (per file and per source, with a content
checksum) equals that of a clean, uninterrupted load of the same files.

Two in-process tests kill the loader at the two delicate instants deterministically: inside the
transaction, and between the commit and the move to the archive.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from corpus.homes import (
    accounting,
    assert_nothing_lost,
    clone_home,
    env_for,
    file_hashes,
    golden_home,
    golden_state,
    inbox_files,
    manifest_invariants,
    process_tree,
    reference_accounting,
    serving_state,
)
from sme_testing import ROOT, SME, cmdline, kill_process_group, processes_in, sme

from orchestration.lib.dbt_project import dbt_executable

pytestmark = pytest.mark.integration
REPORT: dict = {"faults": []}


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    return golden_home(tmp_path_factory)


def start_run(home: Path, log: Path) -> subprocess.Popen:
    fh = open(log, "w")
    return subprocess.Popen(
        [str(SME), "run"], env=env_for(home), cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
    )


def kill_group(proc: subprocess.Popen) -> list[str]:
    """SIGKILL the run's whole process group; returns the commands of any process that survived."""
    kill_process_group(proc, timeout=60)
    time.sleep(0.2)
    return [cmdline(p) for p in processes_in(proc.pid)]


def wait_for(proc: subprocess.Popen, log: Path, predicate, timeout: float, poll: float) -> float:
    """Poll until predicate() is true; fail if the run ends first. Returns the seconds waited."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if proc.poll() is not None:
            pytest.fail(
                f"the run ended (exit {proc.returncode}) before the phase was reached:\n{log.read_text()[-3000:]}"
            )
        if predicate():
            return time.monotonic() - t0
        time.sleep(poll)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"phase not reached within {timeout} s:\n{log.read_text()[-3000:]}")


DBT_NAMES = {"dbt", Path(dbt_executable()).name}  # the pipeline runs dbt as sme-dbt (orchestration/lib/dbt_main.py)


def dbt_children(proc: subprocess.Popen) -> list:
    out = []
    for p in process_tree(proc.pid):
        try:
            cmd = p.cmdline()
        except Exception:
            continue
        if any(Path(c).name in DBT_NAMES for c in cmd[:2]) and "build" in cmd:
            out.append(p)
    return out


def staging_files(home: Path) -> list[Path]:
    return list((home / "warehouse").glob(".serving-*.tmp"))


def check_after_kill(home: Path, good: dict, sent: set[str]) -> list[dict]:
    from warehouse.db import connect_serving
    from warehouse.paths import Paths

    assert serving_state(home / "warehouse" / "serving.duckdb") == good, "serving copy is not the previous good one"
    con = connect_serving(Paths(home))  # opens cleanly, read-only, locked down
    assert con.execute("SELECT count(*) FROM audit.load_manifest").fetchone()[0] == good["files"]
    con.close()
    rows = manifest_invariants(home)
    assert_nothing_lost(home, sent)
    return rows


def test_sigkill_during_ingest_dbt_and_publish_then_recover(golden, tmp_path):
    home = clone_home(golden, tmp_path / "home")
    good = golden_state(golden)
    sent = file_hashes(home / "inbox") | file_hashes(home / "archive")
    n_waiting = len(inbox_files(home))
    assert n_waiting >= 6

    # ---- 1. during ingest: some files archived, others still waiting
    log = tmp_path / "run1.log"
    proc = start_run(home, log)
    waited = wait_for(proc, log, lambda: 2 <= len(inbox_files(home)) <= n_waiting - 2, timeout=600, poll=0.01)
    assert not dbt_children(proc)
    left = len(inbox_files(home))
    survivors = kill_group(proc)
    assert not survivors, survivors
    rows = check_after_kill(home, good, sent)
    REPORT["faults"].append(
        {
            "phase": "ingest",
            "after_s": round(waited, 1),
            "files_waiting_at_kill": left,
            "loads_committed": len(rows) - good["files"],
        }
    )

    # ---- 2. during the dbt build: the dbt child has been working for a few seconds
    log = tmp_path / "run2.log"
    proc = start_run(home, log)
    waited = wait_for(proc, log, lambda: bool(dbt_children(proc)), timeout=900, poll=0.05)
    time.sleep(3)
    assert dbt_children(proc), "dbt finished before the kill"
    assert not inbox_files(home), "ingest should be over when dbt runs"
    survivors = kill_group(proc)
    assert not survivors, survivors
    check_after_kill(home, good, sent)
    REPORT["faults"].append({"phase": "dbt build", "after_s": round(waited + 3, 1)})

    # ---- 3. during publish: the staging copy exists, the swap has not happened
    for attempt in range(2):
        log = tmp_path / f"run3_{attempt}.log"
        proc = start_run(home, log)
        # the publish follows the dbt build: wait for the build to start and end at an easy pace, then watch for
        # the staging copy every millisecond (that tight loop for the whole run cost ≈ a core for 20 s)
        waited = wait_for(proc, log, lambda p=proc: bool(dbt_children(p)), timeout=900, poll=0.05)
        waited += wait_for(proc, log, lambda p=proc: not dbt_children(p), timeout=900, poll=0.05)
        waited += wait_for(proc, log, lambda: bool(staging_files(home)), timeout=900, poll=0.001)
        survivors = kill_group(proc)
        assert not survivors, survivors
        if staging_files(home):
            break  # killed before os.replace: the case under test
        # the swap won the race: the new copy is complete and consistent; try once more from the new state
        new = serving_state(home / "warehouse" / "serving.duckdb")
        assert new["last_load_id"] > good["last_load_id"]
        good = new
        REPORT["faults"].append({"phase": "publish (swap already done)", "after_s": round(waited, 1)})
    else:
        pytest.fail("could not kill a publish before its swap in two attempts")
    check_after_kill(home, good, sent)
    REPORT["faults"].append(
        {"phase": "publish", "after_s": round(waited, 1), "staging_left": [p.name for p in staging_files(home)]}
    )

    # ---- 4. the next run completes and accounts for every row exactly like a clean run
    proc = sme(home, "run")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-3000:]
    assert "已发布" in proc.stdout
    assert not staging_files(home), "the killed publish's staging file was not cleaned up"
    assert not inbox_files(home)
    rows = manifest_invariants(home)
    assert not [r for r in rows if r["status"] == "duplicate"], "an interrupted load was recorded again as a duplicate"
    assert_nothing_lost(home, sent)
    assert accounting(home) == reference_accounting(golden, tmp_path / "reference")
    final = serving_state(home / "warehouse" / "serving.duckdb")
    assert final["last_load_id"] == max(r["load_id"] for r in rows)
    assert final["files"] == len(rows)
    receipts = list((home / "receipts").rglob("*.回执.xlsx"))
    for r in rows:
        assert any(p.name.startswith(f"{r['load_id']:06d}_") for p in receipts), f"no receipt for {r['file_name']}"
    from warehouse.paths import Paths
    from warehouse.publish import current_copy

    assert current_copy(Paths(home)) is not None
    REPORT["faults_survived"] = len(REPORT["faults"])
    (tmp_path / "report.json").write_text(json.dumps(REPORT, ensure_ascii=False, indent=1))
    print("\ncrash safety:", json.dumps(REPORT, ensure_ascii=False))


# ----------------------------------------------------------------------------- deterministic crashes of the loader
CRASH_SCRIPT = r"""
import os, shutil, sys
from pathlib import Path
import duckdb
from ingest.loader import Loader
from warehouse.db import connect_build
from warehouse.paths import Paths

paths, where = Paths(Path(sys.argv[1])), sys.argv[2]
con = connect_build(paths)
real_execute = con.execute

class Crashing:
    # wraps the connection: dies the instant the chosen point is reached
    def __getattr__(self, name):
        return getattr(con, name)
    def execute(self, sql, *args):
        if where == "before_commit" and sql.strip() == "COMMIT":
            os._exit(137)
        return real_execute(sql, *args)
    def executemany(self, *a):
        return con.executemany(*a)

if where == "after_commit":
    shutil.move = lambda *a, **k: os._exit(137)
loader = Loader(Crashing(), paths.archive, paths.receipts, paths.warehouse / "work")
for p in sorted(paths.inbox_for("operating").iterdir()):
    loader.load_file(p, "operating")
"""


@pytest.mark.parametrize("where", ["before_commit", "after_commit"])
def test_loader_killed_at_the_delicate_instants(where, tmp_path):
    from ingest.loader import load_source
    from warehouse.db import connect_build
    from warehouse.paths import Paths

    paths = Paths(tmp_path / "home").ensure()
    for name in ("op_rules.csv", "op_title_note_total.xlsx"):
        shutil.copy(ROOT / "tests" / "corpus" / name, paths.inbox_for("operating") / name)
    sent = file_hashes(paths.inbox)
    con = connect_build(paths)
    con.close()
    proc = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(paths.home), where],
        env=env_for(paths.home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 137, proc.stderr[-3000:]
    rows = manifest_invariants(paths.home)
    assert len(rows) == (1 if where == "after_commit" else 0)
    assert sorted(p.name for p in paths.inbox_for("operating").iterdir()) == [
        "op_rules.csv",
        "op_title_note_total.xlsx",
    ]

    # the next run: the interrupted file is finished (receipt, archive), never counted twice
    con = connect_build(paths)
    results = load_source(
        con, "operating", paths.inbox_for("operating"), paths.archive, paths.receipts, paths.warehouse / "work"
    )
    con.close()
    rows = manifest_invariants(paths.home)
    assert [r["status"] for r in rows] == ["partial", "partial"]
    assert {r["file_name"] for r in rows} == {"op_rules.csv", "op_title_note_total.xlsx"}
    assert all(r.status == "partial" and r.receipt and Path(r.receipt).is_file() for r in results)
    assert not list(paths.inbox_for("operating").iterdir())
    assert file_hashes(paths.archive) == sent
    receipts = sorted(p.name for p in paths.receipts.rglob("*.回执.xlsx"))
    assert receipts == ["000001_op_rules.回执.xlsx", "000002_op_title_note_total.回执.xlsx"]
    import openpyxl

    first = openpyxl.load_workbook(paths.receipts / "operating" / receipts[0])
    detail = list(first["问题明细"].iter_rows(min_row=2, values_only=True))
    con = duckdb.connect(str(paths.build_db), read_only=True)
    n = con.execute("SELECT count(*) FROM raw.quarantine WHERE load_id = 1").fetchone()[0]
    con.close()
    assert len(detail) == n > 0, "the receipt of the interrupted load lists every quarantined problem"
