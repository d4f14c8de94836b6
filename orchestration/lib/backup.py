"""`sme-monitor backup --to DIR` and `sme-monitor restore --from DIR` (no Dagster import).

A backup holds what cannot be rebuilt or is expensive to rebuild, taken consistently:
- archive/ and receipts/: every file ever sent and every receipt returned (files, copied byte for byte);
- warehouse/build.duckdb and build_marts.duckdb: checkpointed and copied while the backup holds the run lock
  (no run writes meanwhile); they can be rebuilt from the archive, but that takes hours at province scale;
- warehouse/serving.duckdb: the current serving copy (a published copy is never written again: copied as is);
- dagster/: the run history (SQLite files copied with the sqlite3 backup API, the rest as files);
- superset/: the metadata database (SQLite, backup API), secret_key, credentials and the rest of that folder.
MANIFEST.json lists every file with its size and sha256; it is written last, and the folder is assembled under
a temporary name and renamed into place, so a backup folder either is whole or does not exist.

Restore verifies every checksum first, refuses a home that already holds data, copies the files back, points
raw.load_manifest.archived_path at the new home's archive, re-creates the kept published copy (so rollback and
status know the current version) and lets the CLI write dagster.yaml for the new home. Not kept: older
published copies (rollback history) and the logs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from warehouse.paths import Paths

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SIDE = ("-wal", "-shm", "-journal")
TREES = ("archive", "receipts", "dagster", "superset")
WAREHOUSE_FILES = ("build.duckdb", "build_marts.duckdb", "serving.duckdb")
MANIFEST = "MANIFEST.json"


def _tree_dir(paths: Paths, tree: str) -> Path:
    """Where a backed-up folder lives: under SME_HOME, except the Dagster instance, which follows $DAGSTER_HOME."""
    if tree == "dagster":
        return Path(os.environ.get("DAGSTER_HOME", paths.dagster_home))
    return paths.home / tree


def is_sqlite(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def sqlite_copy(src: Path, dst: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included) through the online backup API."""
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True, timeout=30)
    d = sqlite3.connect(dst)
    try:
        s.backup(d)
        d.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, whatever the source used
    finally:
        d.close()
        s.close()
    shutil.copymode(src, dst)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _copy_tree(src: Path, dst: Path) -> None:
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if p.is_dir() or p.is_symlink() or p.name.endswith(SQLITE_SIDE):
            continue
        target = dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if p.suffix in (".db", ".sqlite", ".sqlite3") and is_sqlite(p):
            sqlite_copy(p, target)
        else:
            shutil.copy2(p, target)


def _schema_version(paths: Paths) -> int | None:
    if not paths.build_db.exists():
        return None
    import duckdb

    from warehouse.migrations import schema_version

    con = duckdb.connect(str(paths.build_db), read_only=True)
    try:
        return schema_version(con)
    finally:
        con.close()


def _stamp_name(paths: Paths) -> str | None:
    """A name for a serving copy that is no published copy's hard link (e.g. a home copied file by file)."""
    if not paths.serving_db.exists():
        return None
    return dt.datetime.fromtimestamp(paths.serving_db.stat().st_mtime).strftime("serving-%Y%m%dT%H%M%S%f.duckdb")


def backup(paths: Paths, to: Path) -> dict:
    from warehouse.db import connect_build, connect_marts, run_lock
    from warehouse.publish import current_copy

    to = to.resolve()
    if to.exists() and any(to.iterdir()):
        raise ValueError(f"备份目录必须为空或不存在：{to}")
    if to == paths.home or paths.home in to.parents:
        raise ValueError(f"备份目录不能在 SME_HOME 之内：{to}")
    tmp = to.with_name(f".{to.name}.partial-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    current = current_copy(paths)
    with run_lock(paths):
        if paths.build_db.exists():
            con = connect_build(paths)
            con.execute("CHECKPOINT")
            con.close()
        if paths.marts_db.exists():
            con = connect_marts(paths)
            con.execute("CHECKPOINT")
            con.close()
        (tmp / "warehouse").mkdir()
        for name in WAREHOUSE_FILES:
            src = paths.warehouse / name
            if src.exists():
                shutil.copy2(src, tmp / "warehouse" / name)
        for tree in TREES:
            if _tree_dir(paths, tree).is_dir():
                _copy_tree(_tree_dir(paths, tree), tmp / tree)
    files = {
        str(p.relative_to(tmp)): {"size": p.stat().st_size, "sha256": _sha256(p)}
        for p in sorted(tmp.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        "home": str(paths.home),
        "schema_version": _schema_version(paths),
        "serving_copy": current.name if current else _stamp_name(paths),
        "files": files,
    }
    (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    if to.exists():
        to.rmdir()
    os.rename(tmp, to)
    return manifest


def verify(src: Path) -> dict:
    mf = src / MANIFEST
    if not mf.is_file():
        raise ValueError(f"{src} 不是完整的备份（缺少 {MANIFEST}）")
    manifest = json.loads(mf.read_text())
    bad = [
        rel for rel, m in manifest["files"].items() if not (src / rel).is_file() or _sha256(src / rel) != m["sha256"]
    ]
    if bad:
        raise ValueError(f"备份已损坏：{len(bad)} 个文件校验不符，例如 {bad[0]}")
    return manifest


def home_is_empty(paths: Paths) -> bool:
    for d in (paths.archive, paths.receipts, paths.warehouse, paths.superset):
        if d.is_dir() and any(p.is_file() for p in d.rglob("*")):
            return False
    runs = _tree_dir(paths, "dagster") / "history"
    return not (runs.is_dir() and any(p.is_file() for p in runs.rglob("*")))


def restore(src: Path, paths: Paths) -> dict:
    src = src.resolve()
    manifest = verify(src)
    if not home_is_empty(paths):
        raise ValueError(f"SME_HOME 中已有数据，拒绝覆盖：{paths.home}（请恢复到空目录）")
    for rel in manifest["files"]:
        if rel == "dagster/dagster.yaml":
            continue  # written for the new home by the CLI (it names the home's paths)
        top, _, rest = rel.partition("/")
        target = _tree_dir(paths, top) / rest if top in TREES else paths.home / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / rel, target)
    if paths.build_db.exists():
        # archived paths name the old home (or wherever that home was copied from): point them at this archive
        import duckdb

        con = duckdb.connect(str(paths.build_db))
        try:
            rows = con.execute(
                "SELECT load_id, archived_path FROM raw.load_manifest WHERE archived_path IS NOT NULL"
            ).fetchall()
            moved = [
                (str(paths.archive / Path(p).parent.name / Path(p).name), load_id)
                for load_id, p in rows
                if str(paths.archive / Path(p).parent.name / Path(p).name) != p
            ]
            if moved:
                con.executemany("UPDATE raw.load_manifest SET archived_path = ? WHERE load_id = ?", moved)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    if manifest.get("serving_copy") and paths.serving_db.exists():
        paths.published.mkdir(parents=True, exist_ok=True)
        os.link(paths.serving_db, paths.published / manifest["serving_copy"])
    return manifest
