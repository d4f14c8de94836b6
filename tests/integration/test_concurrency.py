"""Concurrency: readers query the serving copy while a run publishes; two runs started at once.

Several reader processes query the serving copy all through the run (every 0.3 s, back to back while a staging
copy exists, i.e. during the publish), each query on a new read-only connection
with file access disabled (as Superset and `sme-monitor sql` do). Every answer is a full fingerprint of one
published state: the publication stamp, the manifest's count and checksum, and every mart's row count and
checksum, read through one connection. Afterwards each answer must equal the fingerprint of one of the
copies that were published — never a mixture, never an error — and the readers must have seen both the
old and the new state. Meanwhile a second run, started at the same instant, must refuse at once with exit
code 3 and 另一个运行正在进行中, and a rollback attempted mid-run must refuse too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus.homes import (
    accounting,
    clone_home,
    env_for,
    golden_home,
    golden_state,
    inbox_files,
    light,
    manifest_invariants,
    reference_accounting,
    serving_state,
)
from sme_testing import ROOT, SME, sme

pytestmark = pytest.mark.integration

READERS = 3

READER = r"""
import json, os, sys, time, traceback
from pathlib import Path
sys.path.insert(0, sys.argv[4])
from corpus.homes import state_of
from warehouse.db import connect_serving
from warehouse.paths import Paths

paths, out, stop = Paths(Path(sys.argv[1])), open(sys.argv[2], "w"), Path(sys.argv[3])
full = sys.argv[5] == "full"  # one reader checks every mart's content too; the others count rows


def publishing():  # a staging copy exists: the publish window
    return any(n.startswith(".serving-") and n.endswith(".tmp") for n in os.listdir(paths.warehouse))


while not stop.exists():
    t0 = time.time()
    try:
        con = connect_serving(paths)  # a new read-only, locked-down connection per query
        try:
            state = state_of(con, full=full)
        finally:
            con.close()
        out.write(json.dumps({"t0": t0, "t1": time.time(), "state": state}) + "\n")
    except Exception as exc:
        out.write(json.dumps({"t0": t0, "t1": time.time(), "error": f"{type(exc).__name__}: {exc}",
                              "trace": traceback.format_exc()[-1500:]}) + "\n")
    out.flush()
    # a query every 0.3 s, and one after another while a publish is under way (looked for every 20 ms): the
    # answers that matter most are the ones during the swap, and queries at a steady 10 a second per reader cost
    # two thirds of a core for the whole run
    for _ in range(15):
        if publishing():
            break
        time.sleep(0.02)
"""


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    return golden_home(tmp_path_factory)


def canon(state: dict) -> str:
    return json.dumps(light(state), sort_keys=True, ensure_ascii=False)


class PublishWatcher(threading.Thread):
    """Notes when a staging copy (.serving-*.tmp) exists: the publish window, seen from outside."""

    def __init__(self, warehouse: Path):
        super().__init__(daemon=True)
        self.warehouse, self.first, self.last, self.stop = warehouse, None, None, False

    def run(self):
        while not self.stop:
            if any(n.startswith(".serving-") and n.endswith(".tmp") for n in os.listdir(self.warehouse)):
                now = time.time()
                self.first = self.first or now
                self.last = now
            time.sleep(0.002)


def test_readers_see_whole_states_while_a_run_publishes_and_a_second_run_refuses(golden, tmp_path):
    home = clone_home(golden, tmp_path / "home")
    stop = tmp_path / "stop"
    readers, outs = [], []
    for i in range(READERS):
        out = tmp_path / f"reader{i}.jsonl"
        outs.append(out)
        readers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    READER,
                    str(home),
                    str(out),
                    str(stop),
                    str(ROOT / "tests"),
                    "full" if i == 0 else "light",
                ],
                env=env_for(home),
                cwd=ROOT,
            )
        )
    try:
        deadline = time.time() + 120
        while not all(o.exists() and o.stat().st_size for o in outs):
            assert time.time() < deadline, "readers did not start"
            assert all(r.poll() is None for r in readers), "a reader died"
            time.sleep(0.1)

        watcher = PublishWatcher(home / "warehouse")
        watcher.start()
        # two runs started at the same instant: exactly one works, the other refuses at once
        logs = [open(tmp_path / f"run{i}.log", "w") for i in range(2)]
        t_start = time.time()
        runs = [
            subprocess.Popen(
                [str(SME), "run"], env=env_for(home), cwd=ROOT, stdout=logs[i], stderr=subprocess.STDOUT, text=True
            )
            for i in range(2)
        ]
        refused_at = None
        while refused_at is None:
            for r in runs:
                if r.poll() is not None:
                    refused_at = time.time()
                    break
            time.sleep(0.05)
        loser = next(r for r in runs if r.poll() is not None)
        winner = next(r for r in runs if r is not loser)
        loser_log = (tmp_path / f"run{runs.index(loser)}.log").read_text()
        assert loser.returncode == 3, loser_log[-3000:]
        assert "另一个运行正在进行中" in loser_log
        assert refused_at - t_start < 60
        # a rollback in the middle of the run refuses as well (it takes the same lock)
        rb = sme(home, "rollback", timeout=120)
        assert rb.returncode != 0 and "另一个运行正在进行中" in rb.stderr
        assert winner.poll() is None, "the refused run must not have disturbed the other"

        winner.wait(timeout=1200)
        t_end = time.time()
        winner_log = (tmp_path / f"run{runs.index(winner)}.log").read_text()
        assert winner.returncode == 0, winner_log[-4000:]
        assert "已发布" in winner_log
        time.sleep(1.5)  # a few answers from the new copy
        watcher.stop = True
    finally:
        stop.touch()
        for r in readers:
            r.wait(timeout=120)

    # every answer is exactly one published state
    full_states = [serving_state(p) for p in (home / "warehouse" / "published").glob("serving-*.duckdb")]
    full_states.append(golden_state(golden))
    published = {canon(st) for st in full_states}
    published_full = {json.dumps(st, sort_keys=True, ensure_ascii=False) for st in full_states}
    full_answers = [json.loads(line) for line in outs[0].read_text().splitlines() if line.strip()]
    assert full_answers and all(
        json.dumps(a["state"], sort_keys=True, ensure_ascii=False) in published_full
        for a in full_answers
        if "state" in a
    ), "a full-content answer matched no published copy"
    answers = [json.loads(line) for o in outs for line in o.read_text().splitlines() if line.strip()]
    errors = [a for a in answers if "error" in a]
    assert not errors, errors[:3]
    seen = [canon(a["state"]) for a in answers]
    assert set(seen) <= published, "an answer matched no published copy"
    during = [a for a in answers if t_start <= a["t0"] <= t_end]
    assert watcher.first, "the publish window was not observed"
    p0, p1 = watcher.first, watcher.last + 0.05  # the swap follows the staging file's last sighting
    in_publish = [a for a in answers if a["t0"] <= p1 and a["t1"] >= p0]
    assert in_publish, "no reader query overlapped the publish"
    old, new = canon(golden_state(golden)), canon(serving_state(home / "warehouse" / "serving.duckdb"))
    assert old in seen and new in seen and old != new
    # per reader, once the new state is seen the old one never comes back (no flapping)
    for o in outs:
        states = [canon(json.loads(line)["state"]) for line in o.read_text().splitlines() if line.strip()]
        first_new = states.index(new) if new in states else len(states)
        assert old not in states[first_new:]

    # nothing corrupted: manifest whole, accounting as a clean load, nothing left waiting
    manifest_invariants(home)
    assert not inbox_files(home)
    assert accounting(home) == reference_accounting(golden, tmp_path / "reference")
    print(
        f"\nconcurrency: {READERS} readers, {len(answers)} queries ({len(during)} during the run, {len(in_publish)} "
        f"overlapping the {p1 - p0:.2f} s publish), {len(errors)} errors, {len(set(seen))} distinct published states "
        f"seen; the second run was refused after {refused_at - t_start:.1f} s"
    )
