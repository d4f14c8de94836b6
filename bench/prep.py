"""Work done once per benchmark, outside every timing: the sample cache, the dbt manifest, the seed types."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.measure import ROOT, VENV_BIN, bench_env
from orchestration.lib.dbt_project import dbt_executable, project_fingerprints

DBT_DIR = ROOT / "dbt_project"
SOURCES = ("enterprises", "operating", "arrears", "financing")


def log(msg: str) -> None:
    print(f"[bench] {time.strftime('%H:%M:%S')} {msg}", flush=True)


# ------------------------------------------------------------------------------------------ sample cache
def _complete(d: Path) -> bool:
    return (d / ".complete").exists()


def generator_fingerprint() -> str:
    """A hash of the sample generator (its code and lookup tables): a cache made by other code is reported."""
    h = hashlib.sha256()
    for p in sorted(q for q in (ROOT / "sample").rglob("*") if q.is_file() and q.suffix in (".py", ".csv", ".json")):
        h.update(p.relative_to(ROOT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cache_info(d: Path) -> dict:
    try:
        return json.loads((d / ".complete").read_text())
    except (OSError, json.JSONDecodeError):
        return {}


def _generate(preset: str, seed: int, out: Path, scratch: Path, extra: dict | None = None) -> dict:
    """`sme-monitor sample` into out (a temporary folder renamed into place when done)."""
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    t0 = time.perf_counter()
    if extra:
        # Smaller-than-preset runs (--quick) go through the API, which takes size overrides.
        code = (
            "import json, sys; from pathlib import Path; from sample import generate; "
            f"s = generate(Path({str(tmp)!r}), preset={preset!r}, seed={seed}, progress=lambda m: print(m, flush=True), "
            f"**{extra!r}); print(json.dumps(s, ensure_ascii=False, default=str))"
        )
        cmd = [str(VENV_BIN / "python"), "-c", code]
    else:
        cmd = [str(VENV_BIN / "sme-monitor"), "sample", "--preset", preset, "--seed", str(seed), "--out", str(tmp)]
    log(f"generating {preset} (seed {seed}) → {out} …")
    proc = subprocess.run(cmd, env=bench_env(scratch), cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"sample generation failed ({preset}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    summary = {
        "preset": preset,
        "seed": seed,
        "extra": extra,
        "seconds": round(time.perf_counter() - t0, 1),
        "generator": generator_fingerprint(),
        "made": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    (tmp / ".complete").write_text(json.dumps(summary))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    log(f"generated {preset} in {summary['seconds']} s")
    return summary


# The benchmark's samples, all from the one generator (`sample`): the province preset and its increment
# (`province-increment`, the next month for the same firms), at full size or smaller for smoke runs of the harness.
# The increment must be made with the same overrides as the full sample: the firms depend on them.
SAMPLE_SIZES: dict[str, dict | None] = {
    "province": None,  # `sme-monitor sample --preset province` / `--preset province-increment`
    "quick": {"n_enterprises": 2000},  # same window as province, so the increment month follows it
    "dev": {"n_enterprises": 300},  # the smallest that still has every 市州: for developing the harness
    # The scale curve (`make bench-scale`): firms × 0.25, 2 and 4 over the same 60 months, and 1× firms over
    # 10 years (2016-01 … 2025-12) so that only history grows.
    "x0.25": {"n_enterprises": 15000},
    "x2": {"n_enterprises": 120000},
    "x4": {"n_enterprises": 240000},
    "history10": {"months": 120, "first_year": 2016},
}


def ensure_cache(bench_root: Path, mode: str, seed: int, regenerate: bool = False) -> tuple[Path, Path]:
    """(full, increment) sample folders, each with <source>/ subfolders; generated once and reused."""
    if mode not in SAMPLE_SIZES:
        raise ValueError(mode)
    size = SAMPLE_SIZES[mode]
    cache = bench_root / "cache" / f"{mode}-seed{seed}"
    full, inc = cache / "full", cache / "increment"
    scratch = cache / ".home"
    if regenerate:
        for d in (full, inc):
            shutil.rmtree(d, ignore_errors=True)
    else:
        made_by = {cache_info(d).get("generator") for d in (full, inc) if _complete(d)} - {None}
        if made_by and made_by != {generator_fingerprint()}:
            log(
                f"note: the cached sample in {cache} was made by an earlier version of sample/; "
                "reusing it (pass --regenerate to make it again)"
            )
    if not _complete(full):
        _generate("province", seed, full, scratch, size)
    if not _complete(inc):
        _generate("province-increment", seed, inc, scratch, size)
    shutil.rmtree(scratch, ignore_errors=True)
    return full, inc


def data_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for s in SOURCES
        if (folder / s).is_dir()
        for p in (folder / s).iterdir()
        if p.is_file() and not p.name.startswith((".", "~$"))
    )


def describe_files(folder: Path) -> dict:
    out: dict = {}
    for s in SOURCES:
        files = [p for p in data_files(folder) if p.parent.name == s]
        kinds: dict[str, int] = {}
        for p in files:
            kinds[p.suffix.lower().lstrip(".")] = kinds.get(p.suffix.lower().lstrip("."), 0) + 1
        out[s] = {"files": len(files), "bytes": sum(p.stat().st_size for p in files), "by_type": kinds}
    return out


def link_inbox(src: Path, home: Path) -> int:
    """Hard-link the cached files into home/inbox/<source>/ (the loader moves them to archive/)."""
    n = 0
    for p in data_files(src):
        dst = home / "inbox" / p.parent.name / p.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(p, dst)
        n += 1
    return n


# ------------------------------------------------------------------------------------------ dbt
def dbt_fingerprint() -> str:
    """A hash of everything dbt reads, to notice edits made while the benchmark runs."""
    return project_fingerprints(DBT_DIR).manifest[:16]


def _dbt(args: list[str], home: Path, target: Path, log_dir: Path) -> None:
    cmd = [
        dbt_executable(),
        *args,
        "--project-dir",
        str(DBT_DIR),
        "--profiles-dir",
        str(DBT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(log_dir),
    ]
    proc = subprocess.run(cmd, env=bench_env(home), cwd=DBT_DIR, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-2000:]}")


def prepare_dbt(bench_root: Path) -> tuple[Path, Path, str]:
    """`dbt seed` + `dbt compile` in a scratch home (no raw data: no model is incremental there).

    Returns the manifest with compiled SQL, a JSON of seed column types as `dbt seed` creates them, and the
    fingerprint of the dbt project they were made from.
    """
    prep = bench_root / "prep"
    shutil.rmtree(prep, ignore_errors=True)
    (prep / "warehouse").mkdir(parents=True)
    target, logs = prep / "dbt-target", prep / "dbt-logs"
    fp = dbt_fingerprint()
    log("dbt seed + dbt compile for the floor (outside the timings) …")
    _dbt(["seed"], prep, target, logs)
    _dbt(["compile"], prep, target, logs)
    manifest = json.loads((target / "manifest.json").read_text())
    con = duckdb.connect(str(prep / "warehouse" / "build.duckdb"), read_only=True)
    types: dict[str, dict[str, str]] = {}
    try:
        for uid, node in manifest["nodes"].items():
            if node["resource_type"] != "seed":
                continue
            rows = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "ORDER BY ordinal_position",
                [node["schema"], node["alias"]],
            ).fetchall()
            types[uid] = {c: t for c, t in rows}
    finally:
        con.close()
    seed_types = prep / "seed_types.json"
    seed_types.write_text(json.dumps(types, ensure_ascii=False, indent=1))
    return target / "manifest.json", seed_types, fp


def ensure_pipeline_manifest(home: Path) -> None:
    """Let the pipeline (re)parse its dbt project now, so that no timed run pays for a stale manifest."""
    code = "from orchestration.lib.dbt_project import prepare_manifest; prepare_manifest()"
    proc = subprocess.run(
        [str(VENV_BIN / "python"), "-c", code], env=bench_env(home), cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbt parse for the pipeline failed:\n{proc.stderr[-3000:]}")


def python() -> str:
    return str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
