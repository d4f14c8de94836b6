"""Sample data: the files county bureaus, banks and the arrears office would send, written into the inbox.

    generate(out_dir, preset="demo", seed=2021, *, progress=None, n_enterprises=None, months=None) -> dict
    generate_increment(out_dir, seed=2021, *, progress=None, n_enterprises=None) -> dict

`out_dir/<source>/…` gets the files; `out_dir/_sample_expected.json` lists every deliberately injected
defect ({file, row, column, code}, `row` being the row number a person sees in Excel / the csv line) and,
per file, what the loader should count (rows_data, rows_skipped, defect_rows, file_level_code).

Presets: `demo` (≈3 000 firms, 2020-01 … 2025-12, every format variant and defect), `province`
(60 000 firms, 2021-01 … 2025-12, ≈3.6 M operating rows, clean) and `province-increment` (2026-01 for the
same firms, one more arrears ledger, a day of financing). Deterministic for a seed: same bytes and mtimes.

Layout: `world/` (the population and one module per table), `sources` (which files each reporting unit sends),
`styles` (how they look), `defects` (what is wrong in them), `writers` (csv/xlsx bytes), `inbox` (the run and
its `_sample_expected.json`); lookup tables in `data/`.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np

from ingest.contract import REASON_CODES, SOURCES
from sample.defects import write_file_level_defects
from sample.inbox import Progress, Run
from sample.sources import (
    FIN_COLUMNS,
    PROVINCE_BOM,
    PROVINCE_GBK,
    PROVINCE_XLSX,
    day_start,
    quarter_ends,
    write_arrears,
    write_enterprises,
    write_financing,
    write_operating,
)
from sample.world import Window, World
from sample.world.financing import financing_state
from sample.writers import Style

PRESETS = {
    "demo": {"n": 3000, "y0": 2020, "m0": 1, "months": 72, "variety": "high", "defects": True, "new_share": 0.15},
    "province": {"n": 60000, "y0": 2021, "m0": 1, "months": 60, "variety": "low", "defects": False, "new_share": 0.05},
}
INCREMENT_PERIOD = (2026, 1)
INCREMENT_FINANCING_DAY = np.datetime64("2026-01-15")


def generate(
    out_dir: Path,
    preset: str = "demo",
    seed: int = 2021,
    *,
    progress: Progress = None,
    n_enterprises: int | None = None,
    months: int | None = None,
    first_year: int | None = None,
) -> dict:
    """Write a sample inbox; return a summary (files and rows per source, defects).

    `first_year` moves the start of the window (January of that year); with `months` it makes a longer history
    that still ends where the preset does (the benchmark's 10-year variant: 2016, 120 months)."""
    if preset == "province-increment":
        return generate_increment(
            out_dir, seed, progress=progress, n_enterprises=n_enterprises, months=months, first_year=first_year
        )
    if preset not in PRESETS:
        raise ValueError(f"未知的样例规模 {preset!r}，应为 {', '.join([*PRESETS, 'province-increment'])} 之一")
    cfg = dict(PRESETS[preset])
    if n_enterprises:
        cfg["n"] = int(n_enterprises)
    if months:
        cfg["months"] = int(months)
    if first_year:
        cfg["y0"], cfg["m0"] = int(first_year), 1
    t0 = time.perf_counter()
    out = Path(out_dir)
    for s in SOURCES:
        (out / s).mkdir(parents=True, exist_ok=True)
    window = Window(cfg["y0"], cfg["m0"], cfg["months"])
    run = Run(out, seed, preset, progress)
    world = World(seed, cfg["n"], window, new_share=cfg["new_share"])
    run.say(
        f"样例企业 {cfg['n']} 户，报告期 {window.periods[0][0]}-{window.periods[0][1]:02d} 至 "
        f"{window.periods[-1][0]}-{window.periods[-1][1]:02d}"
    )
    write_operating(run, world, cfg)
    write_enterprises(run, world, cfg)
    write_arrears(run, world, cfg, quarter_ends(window, "2020-09-30") or quarter_ends(window)[-1:])
    write_financing(run, world, cfg)
    if cfg["defects"]:
        write_file_level_defects(run, world)
    p0, p1 = window.periods[0], window.periods[-1]
    summary = run.finish({"enterprises": cfg["n"], "window": [f"{p0[0]}-{p0[1]:02d}", f"{p1[0]}-{p1[1]:02d}"]})
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    return summary


def generate_increment(
    out_dir: Path,
    seed: int = 2021,
    *,
    progress: Progress = None,
    n_enterprises: int | None = None,
    months: int | None = None,
    base_preset: str = "province",
    first_year: int | None = None,
) -> dict:
    """One more month (2026-01) of operating reports for the firms of `base_preset`, one more arrears ledger
    (2026-01-31, the whole ledger) and one day of financing activity (2026-01-15)."""
    cfg = dict(PRESETS[base_preset])
    if n_enterprises:
        cfg["n"] = int(n_enterprises)
    if months:
        cfg["months"] = int(months)  # must match the base run's override: the firms depend on the window
    if first_year:
        cfg["y0"], cfg["m0"] = int(first_year), 1
    cfg["defects"] = False
    t0 = time.perf_counter()
    out = Path(out_dir)
    window = Window(cfg["y0"], cfg["m0"], cfg["months"])
    world = World(seed, cfg["n"], window, new_share=cfg["new_share"])
    run = Run(out, seed, f"{base_preset}-increment", progress)
    y, m = INCREMENT_PERIOD
    firms = world.firms
    for r, rc in enumerate(world.regions["region_code"]):
        idx = np.flatnonzero((firms["region"] == rc).to_numpy() & (firms["start_t"].to_numpy() <= y * 12 + m - 1))
        if not idx.size:
            continue
        df = world.operating(idx, y, [m])
        st = Style(
            fmt="xlsx" if rc in PROVINCE_XLSX else "csv",
            encoding="gbk" if rc in PROVINCE_GBK else "utf-8-sig" if rc in PROVINCE_BOM else "utf-8",
        )
        st.crlf = st.encoding == "gbk"
        rname = world.regions["region_name"].iat[r]
        st.titles = (f"湖北省中小企业运行监测月报（{y}年{m}月）",)
        run.write(
            "operating",
            f"{rname}_中小企业运行监测月报_{y}年{m:02d}月",
            df,
            st,
            dt.datetime(y, m + 1, 10, 9, 0) + dt.timedelta(hours=r),
        )
    ledgers = quarter_ends(window, "2020-09-30") + [np.datetime64(f"{y}-{m:02d}-31")]
    write_arrears(run, world, cfg, ledgers, only_last=True)
    day = INCREMENT_FINANCING_DAY
    apps = world.financing(day - np.timedelta64(60, "D"), day)
    todays = apps[(apps["applied_on"] == day) | (apps["decided_on"] == day)]
    df = financing_state(todays, day).reset_index(drop=True)
    run.write(
        "financing",
        f"融资记录_{str(day).replace('-', '')}",
        df[FIN_COLUMNS],
        Style(),
        day_start(day) + dt.timedelta(hours=20),
    )
    summary = run.finish(
        {"enterprises": cfg["n"], "window": [f"{y}-{m:02d}", f"{y}-{m:02d}"]}, name="_sample_expected_increment.json"
    )
    summary["seconds"] = round(time.perf_counter() - t0, 1)
    return summary


__all__ = ["PRESETS", "REASON_CODES", "generate", "generate_increment"]
