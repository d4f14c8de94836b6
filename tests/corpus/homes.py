"""A small published SME_HOME, built once per test session and cloned by the crash, concurrency, fault and access tests.

The golden home is a real `sme-monitor run` on a small generated sample (plus the corpus files that carry
personal data), published once: the "previous good" serving copy of the fault tests. The newest third of
the sample's operating, arrears and financing files is held back in `<golden>/later/` for the runs under test.

Why it is not the published sample of tests/conftest.py (the other pipeline run of a session): the fault tests need
a home that has NOT loaded a third of its files (they kill, starve and race the runs that load them), a home small
enough to copy and re-run dozens of times (60 firms × 15 months against 200 × 24), and the corpus files with
personal data in the registry. The published sample is the whole small sample, loaded, with its expected.json for
exact assertions. Both are built at most once per session, lazily (only when a test asks), and both are copied with
the one sme_testing.clone_home.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from ingest.contract import SOURCES

CORPUS = Path(__file__).resolve().parent
PERSONAL_FILES = ["ent_personal_data.csv", "ent_shifted_row.csv"]
SAMPLE = {"preset": "demo", "seed": 7, "n_enterprises": 60, "months": 15}


def _split_sample(inbox: Path, later: Path) -> None:
    from sample import generate

    generate(inbox, **SAMPLE)
    (inbox / "_sample_expected.json").unlink(missing_ok=True)
    for source in ("operating", "arrears", "financing"):
        files = sorted((inbox / source).iterdir(), key=lambda p: (p.stat().st_mtime, p.name))
        (later / source).mkdir(parents=True, exist_ok=True)
        for p in files[len(files) - max(2, len(files) // 3) :]:
            shutil.move(str(p), later / source / p.name)  # keeps the mtime: the load order stays the sample's
    for name in PERSONAL_FILES:
        shutil.copy2(CORPUS / name, inbox / "enterprises" / name)


def golden_home(tmp_path_factory) -> Path:
    """<base>/golden/{home, later, state.json}: built on first use in the session (by one worker), then reused."""
    from sme_testing import run_pipeline, shared_tmp

    # SME_TEST_GOLDEN=/some/dir keeps the golden home between pytest sessions (handy while writing tests).
    # Under pytest-xdist the workers share one golden home (shared_tmp): the flock below lets one build it.
    base = (
        Path(os.environ["SME_TEST_GOLDEN"])
        if os.environ.get("SME_TEST_GOLDEN")
        else shared_tmp(tmp_path_factory) / "golden"
    )
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (base / "state.json").exists():
            return base
        home = base / "home"
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(base / "later", ignore_errors=True)
        _split_sample(home / "inbox", base / "later")
        proc = run_pipeline(home)
        assert proc.returncode == 0, "golden run did not publish:\n" + proc.stdout[-4000:] + proc.stderr[-4000:]
        state = serving_state(home / "warehouse" / "serving.duckdb")
        (base / "state.json").write_text(json.dumps(state, ensure_ascii=False))
        return base


def clone_home(golden: Path, dest: Path, with_later: bool = True) -> Path:
    """A copy of the golden home (hard links kept: the serving copy stays one of the kept copies), plus the held
    back files in its inbox (`with_later`). The copy itself is sme_testing.clone_home, shared with the tests of
    the published sample."""
    from sme_testing import clone_home as copy_home

    copy_home(golden / "home", dest, keep_links=True)
    if with_later:
        for source in SOURCES:
            src = golden / "later" / source
            if src.is_dir():
                (dest / "inbox" / source).mkdir(parents=True, exist_ok=True)
                for p in src.iterdir():
                    shutil.copy2(p, dest / "inbox" / source / p.name)
    return dest


def golden_state(golden: Path) -> dict:
    return json.loads((golden / "state.json").read_text())


# ----------------------------------------------------------------------------- observing state
STATE_SQL = """
SELECT (SELECT CAST(published_at AS VARCHAR) FROM audit.publication) AS published_at,
       (SELECT last_load_id FROM audit.publication) AS last_load_id,
       (SELECT count(*) FROM audit.load_manifest) AS files,
       (SELECT CAST(coalesce(sum(rows_loaded), 0) AS BIGINT) FROM audit.load_manifest) AS rows_loaded,
       (SELECT CAST(bit_xor(hash(t)) AS VARCHAR) FROM audit.load_manifest t) AS manifest_hash
"""


def state_of(con, full: bool = True) -> dict:
    """One answer from one connection: the publication, the manifest's checksum, and every mart's row count
    (with `full`, every mart's content checksum too; readers that query many times a second use the light form)."""
    row = con.execute(STATE_SQL).fetchone()
    state = dict(zip(["published_at", "last_load_id", "files", "rows_loaded", "manifest_hash"], row, strict=True))
    marts = [
        r[0]
        for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()
    ]
    if marts:
        agg = "count(*), CAST(bit_xor(hash(t)) AS VARCHAR)" if full else "count(*), ''"
        sql = " UNION ALL ".join(f"SELECT '{m}', {agg} FROM marts.\"{m}\" t" for m in marts)
        state["marts"] = {m: [n, h] for m, n, h in con.execute(sql).fetchall()}
    else:
        state["marts"] = {}
    return state


def light(state: dict) -> dict:
    """The light form of a full state (what a fast reader records)."""
    return {**state, "marts": {m: [v[0], ""] for m, v in state["marts"].items()}}


def serving_state(db: Path) -> dict:
    """The state of a published copy, read the way every reader reads it (read-only, no file access)."""
    import duckdb

    from warehouse.db import LOCKED_DOWN

    con = duckdb.connect(str(db), read_only=True, config=dict(LOCKED_DOWN))
    try:
        return state_of(con)
    finally:
        con.close()


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hashes(folder: Path) -> set[str]:
    return {sha256(p) for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def manifest_invariants(home: Path) -> list[dict]:
    """Every committed load is whole: counts agree with the raw and quarantine tables; nothing orphaned.

    Returns the manifest rows. Opens the build database read-write (as the next run would), so that a
    write-ahead log left by a killed process is replayed exactly as it would be.
    """
    import duckdb

    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"))
    try:
        rows = con.execute("SELECT * FROM raw.load_manifest ORDER BY load_id").df().to_dict("records")
        ids = {r["load_id"] for r in rows}
        for r in rows:
            assert r["rows_read"] == r["rows_loaded"] + r["rows_quarantined"] + r["rows_skipped"], r
            if r["source"] in SOURCES:
                n = con.execute(f"SELECT count(*) FROM raw.{r['source']} WHERE load_id = ?", [r["load_id"]]).fetchone()[
                    0
                ]
                assert n == r["rows_loaded"], (r["file_name"], n, r["rows_loaded"])
            q = con.execute(
                "SELECT count(DISTINCT source_row) FROM raw.quarantine WHERE load_id = ? AND source_row IS NOT NULL",
                [r["load_id"]],
            ).fetchone()[0]
            if r["status"] in ("loaded", "partial"):
                assert q == r["rows_quarantined"], (r["file_name"], q, r["rows_quarantined"])
        for source in SOURCES:
            orphans = con.execute(f"SELECT DISTINCT load_id FROM raw.{source}").fetchall()
            assert {o[0] for o in orphans} <= ids, f"raw.{source} has rows of a load the manifest does not know"
        orphans = con.execute("SELECT DISTINCT load_id FROM raw.quarantine").fetchall()
        assert {o[0] for o in orphans} <= ids
        return rows
    finally:
        con.close()


def accounting(home: Path) -> dict:
    """Per file (name → status and row counts) and per source (raw rows and a content checksum)."""
    import duckdb

    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    try:
        files = {
            f"{r[0]}/{r[1]}": list(r[2:])
            for r in con.execute(
                "SELECT source, file_name, status, rows_read, rows_loaded, rows_quarantined, rows_skipped, sha256 "
                "FROM raw.load_manifest WHERE status <> 'duplicate'"
            ).fetchall()
        }
        sources = {}
        for s in SOURCES:
            n, h = con.execute(
                f"SELECT count(*), CAST(bit_xor(hash(t)) AS VARCHAR) FROM (SELECT * EXCLUDE (load_id) FROM raw.{s}) t"
            ).fetchone()
            sources[s] = [n, h]
        q = con.execute(
            "SELECT count(*), CAST(bit_xor(hash(t)) AS VARCHAR) FROM (SELECT * EXCLUDE (load_id) FROM raw.quarantine) t"
        ).fetchone()
        return {"files": files, "sources": sources, "quarantine": list(q)}
    finally:
        con.close()


def reference_accounting(golden: Path, dest: Path) -> dict:
    """What a clean run makes of the held-back files: the golden home plus the same loader, no interruption.

    Loaded once per golden home (in `dest` of the first caller; three fault tests compare against it) and kept
    beside it, under its lock."""
    kept = golden / "reference_accounting.json"
    with open(golden / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not kept.exists():
            home = clone_home(golden, dest)
            load_inbox(home)
            kept.write_text(json.dumps(accounting(home), ensure_ascii=False))
        return json.loads(kept.read_text())


def load_inbox(home: Path) -> None:
    """The ingest part of a run on `home`'s inbox, every source (the same function the ingest assets call)."""
    import duckdb

    from ingest.loader import load_source
    from warehouse.paths import Paths

    paths = Paths(home)
    con = duckdb.connect(str(paths.build_db))
    try:
        for s in SOURCES:
            load_source(con, s, paths.inbox_for(s), paths.archive, paths.receipts, paths.warehouse / "work")
    finally:
        con.close()


def inbox_files(home: Path) -> list[Path]:
    return (
        sorted(p for s in SOURCES for p in (home / "inbox" / s).iterdir() if p.is_file())
        if (home / "inbox").exists()
        else []
    )


def env_for(home: Path) -> dict:
    from sme_testing import sme_env

    env = sme_env(home)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def assert_nothing_lost(home: Path, sent: set[str]) -> None:
    """Every file that was sent is either still waiting in the inbox or archived, byte for byte."""
    have = file_hashes(home / "inbox") | file_hashes(home / "archive")
    missing = sent - have
    assert not missing, f"{len(missing)} sent file(s) neither in the inbox nor in the archive"


def process_tree(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
