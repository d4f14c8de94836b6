"""A small, valid dataset for developing the harness when `ingest.sample` is not available.

Only used as a fallback (`--dev-data`): the real benchmark uses `sme-monitor sample --preset province`.
Files follow the contract headers; a mix of UTF-8 csv, GBK csv and xlsx; every row is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import numpy as np

from ingest import uscc as uscc_mod
from ingest.contract import ARREARS, ENTERPRISES, FINANCING, OPERATING

REGIONS = [
    "420100",
    "420200",
    "420300",
    "420500",
    "420600",
    "420700",
    "420800",
    "420900",
    "421000",
    "421100",
    "421200",
    "421300",
    "422800",
    "429004",
    "429005",
    "429006",
    "429021",
]
INDUSTRIES = ["1311", "2614", "3011", "3311", "3411", "3511", "3610", "3714", "3824", "3911", "5111", "6510", "7211"]


def _write(path: Path, headers: list[str], rows: list[list], kind: str, mtime: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "xlsx":
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["样例报表"])
        ws.write_row(1, 0, headers)
        for i, r in enumerate(rows):
            ws.write_row(i + 2, 0, ["" if v is None else v for v in r])
        wb.close()
    else:
        enc = "gb18030" if kind == "gbk" else "utf-8"
        with open(path, "w", encoding=enc, newline="") as fh:
            w = csv.writer(fh)
            w.writerow(headers)
            w.writerows(["" if v is None else v for v in r] for r in rows)
    ts = mtime.timestamp()
    os.utime(path, (ts, ts))


def _months(y0: int, m0: int, n: int) -> list[tuple[int, int]]:
    return [((y0 * 12 + m0 - 1 + k) // 12, (y0 * 12 + m0 - 1 + k) % 12 + 1) for k in range(n)]


def generate(out: Path, n: int = 2000, months: int = 24, seed: int = 7, increment: bool = False) -> dict:
    """Write the full sample (or, with increment=True, the next month + one ledger + a day of financing)."""
    g = np.random.default_rng(seed)
    region = g.choice(REGIONS, n)
    codes = [uscc_mod.make(region[i], f"{seed % 90 + 10:02d}{i:06d}") for i in range(n)]
    industry = g.choice(INDUSTRIES, n)
    base = g.lognormal(6, 1, n)  # monthly revenue, 万元
    assets = base * g.uniform(8, 20, n)
    periods = _months(2024, 1, months)
    stamp = dt.datetime(2026, 1, 1)
    files = 0

    def write(rel, tpl, rows, kind):
        nonlocal files, stamp
        stamp += dt.timedelta(minutes=1)
        headers = [f.header for f in tpl.fields]
        _write(out / tpl.source / rel, headers, rows, kind, stamp)
        files += 1

    if not increment:
        for year in sorted({y for y, _ in periods}):
            rows = []
            for i in range(n):
                rows.append(
                    [
                        codes[i],
                        f"测试企业{i}",
                        region[i],
                        industry[i],
                        "2010-05-01",
                        year,
                        "是" if base[i] > 800 else "否",
                        "无",
                        None,
                        "细分",
                        2012,
                        "产品",
                        "六基",
                        None,
                        None,
                        None,
                        5,
                        2,
                        None,
                        3,
                        1,
                        1,
                        2,
                        "无",
                        4,
                        None,
                        "张三",
                        "13800000000",
                    ]
                )
            write(f"企业画像_{year}.csv", ENTERPRISES, rows, "utf8")
    todo = periods if not increment else _months(2024, 1, months + 1)[-1:]
    for y, m in todo:
        ytd_k = m
        for part, sel in enumerate(np.array_split(np.arange(n), 3)):
            rows = []
            for i in sel:
                rm = round(float(base[i] * (1 + 0.01 * m)), 2)
                rows.append(
                    [
                        codes[i],
                        f"测试企业{i}",
                        f"{y}{m:02d}",
                        rm,
                        round(rm * ytd_k, 2),
                        round(rm * ytd_k * 0.9, 2),
                        round(rm * ytd_k * 0.8, 2),
                        round(rm * ytd_k * 0.05, 2),
                        round(rm * ytd_k * 0.04, 2),
                        round(rm * ytd_k * 0.02, 2),
                        0,
                        round(rm * ytd_k * 0.03, 2),
                        round(float(assets[i]), 2),
                        round(float(assets[i]) * 0.5, 2),
                        round(rm * 2, 2),
                        round(rm * 0.5, 2),
                        round(rm * 0.2, 2),
                        50,
                        2,
                        round(rm * 0.1, 2),
                        75,
                        round(rm, 2),
                        round(rm * 3, 2),
                        0,
                        "持平",
                        "持平",
                        "持平",
                        "一般",
                        "一般",
                        "持平",
                        "持平",
                        "原材料涨价" if i % 7 == 0 else None,
                        None,
                    ]
                )
            kind = ("xlsx", "gbk", "utf8")[part]
            write(f"月报_{y}{m:02d}_{part}.{'xlsx' if kind == 'xlsx' else 'csv'}", OPERATING, rows, kind)
    ledgers = [(y, m) for y, m in todo if m in (3, 6, 9, 12)] if not increment else [todo[-1]]
    for y, m in ledgers:
        rows = []
        for c in range(n // 10):
            amt = 50 + c % 100
            rep = amt if c % 3 == 0 else 0
            rows.append(
                [
                    f"{y}-{m:02d}-28",
                    f"QK{c:06d}",
                    codes[c],
                    f"测试企业{c}",
                    "某机关",
                    None,
                    "机关",
                    region[c],
                    "2023-01-01",
                    "2023-02-01",
                    60,
                    amt,
                    "否",
                    rep,
                    "2024-01-01" if rep else None,
                    "已清偿" if rep else "未清偿",
                ]
            )
        write(f"台账_{y}{m:02d}.csv", ARREARS, rows, "gbk")
    fin_days = [(y, m) for y, m in todo] if not increment else todo
    for y, m in fin_days:
        rows = []
        for c in range(n // 20):
            i = (c * 7 + m) % n
            rows.append(
                [
                    f"RZ{y}{m:02d}{c:05d}",
                    codes[i],
                    "信用贷款",
                    "某银行",
                    "国有大型银行",
                    None,
                    f"{y}-{m:02d}-05",
                    100,
                    "获批",
                    80,
                    f"{y}-{m:02d}-15",
                    3.8,
                    None,
                    12,
                    "是",
                    None,
                ]
            )
        write(f"融资_{y}{m:02d}.csv", FINANCING, rows, "utf8")
    return {"files": files, "enterprises": n, "months": len(todo)}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--increment", action="store_true")
    a = ap.parse_args()
    print(generate(Path(a.out), a.n, a.months, increment=a.increment))
