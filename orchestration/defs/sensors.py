"""Start a run when new files land in the inbox."""

import hashlib

import dagster as dg

from orchestration.defs.jobs import nightly_job


def inbox_fingerprint(entries: list[tuple[str, int, float]]) -> str:
    """A stable key for the set of waiting files (path, size, mtime): same files → same run key."""
    h = hashlib.sha256()
    for name, size, mtime in sorted(entries):
        h.update(f"{name}\0{size}\0{mtime:.3f}\n".encode())
    return h.hexdigest()[:16]


def waiting_files(paths) -> list[tuple[str, int, float]]:
    from ingest.contract import SOURCES
    from ingest.loader import pending_files

    out = []
    for s in SOURCES:
        for p in pending_files(paths.inbox_for(s)):
            st = p.stat()
            out.append((f"{s}/{p.name}", st.st_size, st.st_mtime))
    return out


@dg.sensor(
    job=nightly_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="收件箱有新文件时启动一次运行。",
)
def inbox_sensor(context: dg.SensorEvaluationContext):
    from warehouse.paths import Paths

    files = waiting_files(Paths.from_env())
    if not files:
        return dg.SkipReason("收件箱没有待处理的文件")
    key = inbox_fingerprint(files)
    if key == context.cursor:
        return dg.SkipReason("这些文件已触发过运行")
    context.update_cursor(key)
    return dg.RunRequest(run_key=f"inbox-{key}", tags={"trigger": "inbox", "files": str(len(files))})
