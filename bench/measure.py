"""Run a command and measure it: wall time, peak RSS of the whole process tree (sampled), CPU time."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


@dataclass
class Measured:
    label: str
    wall_s: float
    peak_rss_bytes: int
    rc: int
    cpu_s: float  # user + sys of the tree (children waited for)
    load_before: float  # 1-minute load average when it started (other work on the machine)
    log: str
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, tree RSS)

    @property
    def peak_rss_gb(self) -> float:
        return self.peak_rss_bytes / 1e9

    def to_json(self, with_timeline: bool = False) -> dict:
        d = asdict(self)
        if not with_timeline:
            d.pop("timeline")
        d["peak_rss_gb"] = round(self.peak_rss_gb, 3)
        return d


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def bench_env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["SME_HOME"] = str(home)
    env["DAGSTER_HOME"] = str(home / "dagster")
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DO_NOT_TRACK"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    # dagster-dbt looks for `dbt` on PATH when it must re-parse the project.
    env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '')}"
    env.update(extra)
    return env


def run_measured(
    label: str,
    cmd: list[str],
    env: dict[str, str],
    log: Path,
    interval: float = 0.2,
    cwd: Path = ROOT,
    timeout: float | None = None,
) -> Measured:
    log.parent.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    timeline: list[tuple[float, int]] = []
    peak = 0
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = psutil.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(cwd))
        try:
            while proc.poll() is None:
                rss = tree_rss(proc)
                peak = max(peak, rss)
                timeline.append((round(time.perf_counter() - t0, 2), rss))
                if timeout and time.perf_counter() - t0 > timeout:
                    proc.kill()
                    break
                time.sleep(interval)
            rc = proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(label, round(wall, 3), peak, rc, round(cpu, 2), round(load, 2), str(log), timeline)


def tail(path: str | Path, n: int = 40) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-n:])
