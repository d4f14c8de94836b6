"""The `report` phase of the benchmark: `sme-monitor report` on a bench home's serving copy — one month's province
edition (target ≤ 10 s) and all 18 editions (target ≤ 60 s), HTML + PDF + DOCX, each a fresh process."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.measure import VENV_BIN, bench_env, run_measured

TARGETS = {"report_province_s": 10.0, "report_all_s": 60.0}


def measure(home: Path, out_dir: Path, month: str | None = None, timeout: float = 1800) -> dict:
    res: dict = {}
    for name, extra in (("province", []), ("all", ["--region", "all"])):
        dest = out_dir / name
        shutil.rmtree(dest, ignore_errors=True)
        cmd = [str(VENV_BIN / "sme-monitor"), "report", "--out", str(dest), *extra]
        if month:
            cmd += ["--month", month]
        m = run_measured(f"report-{name}", cmd, bench_env(home), out_dir / f"report-{name}.log", timeout=timeout)
        res[name] = {
            "wall_s": round(m.wall_s, 1),
            "peak_rss_gb": m.peak_rss_gb,
            "rc": m.rc,
            "files": len(list(dest.glob("*"))) if dest.exists() else 0,
        }
    res["targets"] = [
        {"target": "one province edition ≤ 10 s", "value": res["province"]["wall_s"],
         "met": res["province"]["rc"] == 0 and res["province"]["wall_s"] <= TARGETS["report_province_s"]},
        {"target": "all 18 editions ≤ 60 s", "value": res["all"]["wall_s"],
         "met": res["all"]["rc"] == 0 and res["all"]["wall_s"] <= TARGETS["report_all_s"]},
    ]  # fmt: skip
    return res
