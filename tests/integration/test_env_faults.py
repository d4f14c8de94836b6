"""Environment faults: an inbox that cannot be read, an archive that cannot be written, a full disk.

Each fault is injected into a copy of a published home with new files waiting, and `sme-monitor run` must:
stop with a clear error and a non-zero exit, leave the serving copy untouched, lose nothing from the inbox,
and leave the build database consistent, so that the next run (after the fault is gone) loads everything
exactly as a clean run would.

Tests run as root, and chmod does not stop root. The runs under test therefore drop the capabilities that
let root ignore file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) with `setpriv`: the process is
still uid 0 and owns every file, but mode 000 / 555 now applies to it exactly as to any user. The full
disk is a real one: a small tmpfs mounted over the warehouse folder (ENOSPC), or, where mounting is not
allowed, RLIMIT_FSIZE on the run (EFBIG).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import stat
import subprocess
import sys
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
    load_inbox,
    manifest_invariants,
    reference_accounting,
    serving_state,
)
from sme_testing import ROOT, SME

pytestmark = pytest.mark.integration

NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--"]


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    return golden_home(tmp_path_factory)


@pytest.fixture(scope="module")
def reference(golden, tmp_path_factory) -> dict:
    return reference_accounting(golden, tmp_path_factory.mktemp("reference") / "home")


def _dac_dropping_works(tmp: Path) -> bool:
    if shutil.which("setpriv") is None:
        return False
    probe = tmp / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        return subprocess.run([*NO_DAC, "cat", str(probe)], capture_output=True).returncode != 0
    finally:
        probe.chmod(0o600)


def run(home: Path, *, drop_dac: bool = False, preexec=None, timeout: int = 900) -> subprocess.CompletedProcess:
    cmd = [*NO_DAC, str(SME), "run"] if drop_dac else [str(SME), "run"]
    return subprocess.run(
        cmd, env=env_for(home), cwd=ROOT, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec
    )


def report(what: str, proc: subprocess.CompletedProcess) -> None:
    out = (proc.stdout + proc.stderr).splitlines()
    steps = sorted({ln.split("：")[1] for ln in out if "步骤失败" in ln and "：" in ln})
    causes = sorted(
        {
            ln.strip()[:160]
            for ln in out
            if re.search(r"No space left|Permission denied|File too large", ln) and not ln.startswith(" ")
        }
    )
    print(f"\n{what}: exit {proc.returncode}; failed steps {steps}; causes: {causes[:3]}")


def serving_fingerprint(home: Path) -> tuple:
    st = (home / "warehouse" / "serving.duckdb").stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def after_fault(home: Path, golden: Path, sent: set[str], fingerprint: tuple, reference: dict) -> None:
    """Serving untouched, nothing lost, build consistent; then the next load equals a clean run's."""
    assert serving_fingerprint(home) == fingerprint
    assert serving_state(home / "warehouse" / "serving.duckdb") == golden_state(golden)
    assert_nothing_lost(home, sent)
    manifest_invariants(home)
    load_inbox(home)  # the ingest part of the next run, after the fault is gone
    manifest_invariants(home)
    assert not inbox_files(home)
    assert_nothing_lost(home, sent)
    assert accounting(home) == reference


# ----------------------------------------------------------------------------- fast, in-process
def test_scratch_space_failure_is_not_blamed_on_the_file(tmp_path):
    """A csv is normalised into warehouse/work first: if that cannot be written, the file is not 'unreadable'."""
    from ingest.loader import Loader
    from warehouse.db import connect_build
    from warehouse.paths import Paths

    paths = Paths(tmp_path / "home").ensure()
    src = paths.inbox_for("operating") / "op_rules.csv"
    shutil.copy(ROOT / "tests" / "corpus" / "op_rules.csv", src)
    blocker = tmp_path / "work-is-a-file"
    blocker.write_text("not a directory")
    con = connect_build(paths)
    with pytest.raises(OSError):
        Loader(con, paths.archive, paths.receipts, blocker / "sub").load_file(src, "operating")
    assert con.execute("SELECT count(*) FROM raw.load_manifest").fetchone()[0] == 0
    con.close()
    assert src.exists(), "the file must stay in the inbox"


def test_scratch_disk_full_keeps_the_file(tmp_path):
    """The csv scratch folder fills up (a 64 KB tmpfs): an error, the file stays, no half-written scratch file."""
    from ingest.loader import Loader
    from warehouse.db import connect_build
    from warehouse.paths import Paths

    paths = Paths(tmp_path / "home").ensure()
    work = tmp_path / "work"
    work.mkdir()
    if not _mount_tmpfs(work, 64 * 1024):
        pytest.skip("cannot mount a tmpfs here")
    try:
        text = (ROOT / "tests" / "corpus" / "op_rules.csv").read_text(encoding="utf-8")
        header, *rows = text.splitlines()
        src = paths.inbox_for("operating") / "big.csv"
        src.write_text("\n".join([header] + rows * 40) + "\n", encoding="utf-8")
        assert src.stat().st_size > 128 * 1024
        con = connect_build(paths)
        with pytest.raises(OSError, match="No space left"):
            Loader(con, paths.archive, paths.receipts, work).load_file(src, "operating")
        assert con.execute("SELECT count(*) FROM raw.load_manifest").fetchone()[0] == 0
        con.close()
        assert src.exists()
        assert not list(work.iterdir()), "a half-written scratch file was left behind"
    finally:
        subprocess.run(["umount", str(work)], check=False)


PUBLISH_SCRIPT = r"""
import resource, sys
from pathlib import Path
from warehouse.paths import Paths
from warehouse.publish import publish
limit = int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
try:
    publish(Paths(Path(sys.argv[1])))
except Exception as exc:
    print("FAILED", type(exc).__name__, str(exc)[:200])
    sys.exit(1)
"""


def test_publish_on_a_full_disk_leaves_nothing_behind(tmp_path):
    """The staging copy cannot be written completely: serving untouched, no partial staging or kept copy left."""
    from warehouse.db import connect_build, connect_marts, connect_serving
    from warehouse.paths import Paths
    from warehouse.publish import publish, published_copies

    paths = Paths(tmp_path / "home").ensure()
    connect_build(paths).close()
    con = connect_marts(paths)
    con.execute("CREATE SCHEMA marts")
    con.execute("CREATE TABLE marts.t AS SELECT 1 AS v")
    con.close()
    publish(paths)
    first = paths.serving_db.stat()
    con = connect_marts(paths)
    con.execute("CREATE OR REPLACE TABLE marts.t AS SELECT range AS v, md5(range::VARCHAR) AS h FROM range(300000)")
    con.close()
    proc = subprocess.run(
        [sys.executable, "-c", PUBLISH_SCRIPT, str(paths.home), str(first.st_size + 64 * 1024)],
        env=env_for(paths.home),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "FAILED" in proc.stdout, proc.stdout + proc.stderr
    assert paths.serving_db.stat().st_ino == first.st_ino
    assert not list(paths.warehouse.glob(".serving-*")), "partial staging copy left on the full disk"
    assert len(published_copies(paths)) == 1
    con = connect_serving(paths)
    assert con.execute("SELECT count(*) FROM marts.t").fetchone()[0] == 1
    con.close()


def test_unreadable_file_is_an_environment_error_not_a_rejection(tmp_path):
    """A file the pipeline is not allowed to read stays in the inbox; it is not archived as 'unreadable'."""
    if not _dac_dropping_works(tmp_path):
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here (setpriv missing or not root)")
    from warehouse.paths import Paths

    paths = Paths(tmp_path / "home").ensure()
    for name in ("op_units_yi.xlsx", "op_rules.csv"):
        shutil.copy(ROOT / "tests" / "corpus" / name, paths.inbox_for("operating") / name)
        (paths.inbox_for("operating") / name).chmod(0)
    script = (
        "import sys; from pathlib import Path; from warehouse.paths import Paths; from warehouse.db import connect_build\n"
        "from ingest.loader import Loader\n"
        "paths = Paths(Path(sys.argv[1])); con = connect_build(paths)\n"
        "for p in sorted(paths.inbox_for('operating').iterdir()):\n"
        "    try:\n"
        "        Loader(con, paths.archive, paths.receipts, paths.warehouse / 'work').load_file(p, 'operating')\n"
        "        print('LOADED', p.name)\n"
        "    except OSError as exc:\n"
        "        print('OSERROR', p.name, exc)\n"
        "print('MANIFEST', con.execute('SELECT count(*) FROM raw.load_manifest').fetchone()[0])\n"
    )
    proc = subprocess.run(
        [*NO_DAC, str(ROOT / ".venv" / "bin" / "python"), "-c", script, str(paths.home)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env_for(paths.home),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("OSERROR") == 2 and "MANIFEST 0" in proc.stdout, proc.stdout
    assert sorted(p.name for p in paths.inbox_for("operating").iterdir()) == ["op_rules.csv", "op_units_yi.xlsx"]


# ----------------------------------------------------------------------------- whole runs
def test_inbox_not_readable_and_archive_not_writable(golden, reference, tmp_path):
    """One run, three permission faults: the operating inbox cannot be listed, one financing file cannot be
    opened, the arrears archive cannot be written (so a committed arrears load cannot leave the inbox)."""
    if not _dac_dropping_works(tmp_path):
        pytest.skip("cannot drop CAP_DAC_OVERRIDE here (setpriv missing or not root)")
    home = clone_home(golden, tmp_path / "home")
    sent = file_hashes(home / "inbox") | file_hashes(home / "archive")
    fingerprint = serving_fingerprint(home)
    op_inbox = home / "inbox" / "operating"
    waiting_op = sorted(p.name for p in op_inbox.iterdir())
    one_fin = sorted((home / "inbox" / "financing").iterdir(), key=lambda p: (p.stat().st_mtime, p.name))[0]
    waiting_fin = sorted(p.name for p in (home / "inbox" / "financing").iterdir())
    waiting_arr = sorted(p.name for p in (home / "inbox" / "arrears").iterdir())
    arr_archive = home / "archive" / "arrears"
    faults = [(op_inbox, 0o755), (one_fin, 0o644), (arr_archive, 0o755)]
    op_inbox.chmod(0)  # the folder cannot be listed
    one_fin.chmod(0)  # the first financing file cannot be opened
    arr_archive.chmod(0o555)  # nothing can be archived for arrears
    try:
        proc = run(home, drop_dac=True)
    finally:
        for p, mode in faults:
            p.chmod(mode)
    report("permission faults", proc)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "未发布" in out
    for step in ("raw__operating", "raw__financing", "raw__arrears"):
        assert f"步骤失败：{step}" in out, out[-3000:]
    assert out.count("Permission denied") >= 3
    # nothing left the inbox for these three sources: unreadable, unopened, or committed but not archivable
    assert sorted(p.name for p in op_inbox.iterdir()) == waiting_op
    assert sorted(p.name for p in (home / "inbox" / "financing").iterdir()) == waiting_fin
    assert sorted(p.name for p in (home / "inbox" / "arrears").iterdir()) == waiting_arr
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    committed_arr = con.execute(
        "SELECT count(*) FROM raw.load_manifest WHERE source = 'arrears' AND load_id > ?",
        [golden_state(golden)["last_load_id"]],
    ).fetchone()[0]
    con.close()
    assert committed_arr == 1, "the first arrears file commits, then cannot be archived, and the step stops"
    after_fault(home, golden, sent, fingerprint, reference)
    # the interrupted load was finished by the next load, not recorded again as a duplicate
    con = duckdb.connect(str(home / "warehouse" / "build.duckdb"), read_only=True)
    dup = con.execute("SELECT count(*) FROM raw.load_manifest WHERE status = 'duplicate'").fetchone()[0]
    missing = [
        r[0]
        for r in con.execute("SELECT archived_path FROM raw.load_manifest").fetchall()
        if r[0] and not Path(r[0]).exists()
    ]
    con.close()
    assert dup == 0 and not missing


def _mount_tmpfs(where: Path, size_bytes: int) -> bool:
    if os.environ.get("SME_TEST_NO_MOUNT"):  # exercise the RLIMIT_FSIZE fallback
        return False
    size_kb = max(64, size_bytes // 1024)
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)], capture_output=True
        ).returncode
        == 0
    )


def test_disk_full_while_writing_the_build_database(golden, reference, tmp_path):
    home = clone_home(golden, tmp_path / "home")
    sent = file_hashes(home / "inbox") | file_hashes(home / "archive")
    wh = home / "warehouse"
    used = sum(p.stat().st_size for p in wh.rglob("*") if p.is_file() and p.parent.name != "published")
    kept = home / "warehouse.kept"
    wh.rename(kept)
    wh.mkdir()
    headroom = 192 * 1024
    mounted = _mount_tmpfs(wh, used + headroom)
    try:
        if mounted:
            # the kept copies stay outside (hard links cannot cross file systems): only what a run writes is inside
            for p in kept.iterdir():
                if p.name not in ("published", "work"):
                    subprocess.run(["cp", "-a", str(p), str(wh / p.name)], check=True)
            (wh / "published").symlink_to(kept / "published")
            # the csv scratch copies go elsewhere: what fills up is DuckDB writing the build database
            # (the scratch folder filling up is test_scratch_disk_full_keeps_the_file)
            (kept / "work").mkdir(exist_ok=True)
            (wh / "work").symlink_to(kept / "work")
            preexec = None
        else:
            shutil.rmtree(wh)
            kept.rename(wh)
            limit = (wh / "build.duckdb").stat().st_size + headroom

            def preexec():
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        fingerprint = serving_fingerprint(home)
        proc = run(home, preexec=preexec)
        report("disk full (tmpfs)" if mounted else "disk full (RLIMIT_FSIZE)", proc)
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, out[-3000:]
        assert "No space left on device" in out or "File too large" in out, out[-3000:]
        assert "未发布" in out or "Traceback" in out
        assert serving_fingerprint(home) == fingerprint
        if mounted:
            subprocess.run(["sync"], check=False)
            stage = home / "warehouse.after"
            stage.mkdir()
            for p in wh.iterdir():
                if p.name not in ("published", "work"):
                    subprocess.run(["cp", "-a", str(p), str(stage / p.name)], check=True)
    finally:
        if mounted:
            if subprocess.run(["umount", str(wh)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(wh)], check=False)
    if mounted:
        wh.rmdir()
        stage.rename(wh)
        (kept / "published").rename(wh / "published")
        (kept / "work").rename(wh / "work")
        shutil.rmtree(kept)
        # a serving copy in a different folder keeps its inode only in "published": compare content instead
        fingerprint = serving_fingerprint(home)
    leftovers = [p.name for p in (wh / "work").iterdir()] if (wh / "work").exists() else []
    assert not leftovers, f"scratch files left behind: {leftovers}"
    after_fault(home, golden, sent, fingerprint, reference)


def test_faults_leave_no_world_writable_state(golden, tmp_path):
    """Not a fault as such: the state a run leaves is not writable by other users."""
    home = golden / "home"
    for p in [
        home / "warehouse" / "serving.duckdb",
        home / "warehouse" / "build.duckdb",
        *home.joinpath("receipts").rglob("*"),
    ]:
        assert not p.stat().st_mode & stat.S_IWOTH, p
    assert os.access(home / "warehouse" / "serving.duckdb", os.R_OK)
