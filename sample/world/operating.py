"""中小企业运行监测月报: monthly reports per firm (revenue, costs, balance sheet, staff, orders, sentiment,
problems). All 12 months of a year are simulated at once so the 1月至报告期累计 columns are exact sums.

Problem phrases per category (sample/data/problem_text.json) are the keywords of problem_keywords.csv.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest.contract import PROBLEMS
from sample.world.common import FY0, S_PANEL, bitmask, cents, read_data_json, rng, season, shock

if TYPE_CHECKING:
    from sample.world import World

_TEXT = read_data_json("problem_text.json")
# Problem categories, in contract.PROBLEMS order, and phrases that name each.
PROBLEM_TEXT: dict[str, list[str]] = _TEXT["by_category"]
UNTICKED_TEXT: list[tuple[str, str]] = [tuple(x) for x in _TEXT["unticked"]]  # names a category not ticked


def operating(world: World, idx: np.ndarray, year: int, months: list[int]) -> pd.DataFrame:
    """Monthly reports of firms `idx` for `year` (all 12 months are simulated so YTD is exact), rows for `months`."""
    f = world.firms.iloc[idx]
    k = idx.size
    rg = int(f["region_idx"].iloc[0]) if k else 0
    g = rng(world.seed, S_PANEL, year, rg)
    L = world.level(year)[idx]
    L_prev = world.level(year - 1)[idx]
    t = year * 12 + np.arange(12)
    start = f["start_t"].to_numpy()
    active = t[None, :] >= start[:, None]
    wuhan, sector = f["wuhan"].to_numpy(), f["sector"].to_numpy()
    industrial = f["industrial"].to_numpy()
    div = f["div"].to_numpy()

    shk = np.stack([shock(year, m, wuhan, sector) for m in range(1, 13)], axis=1)
    shk_prev = np.concatenate([np.stack([shock(year - 1, 12, wuhan, sector)], axis=1), shk[:, :-1]], axis=1)
    amp = np.where(industrial, 1.0, 0.6)[:, None]
    seas = 1 + (season(year)[None, :] - 1) * amp
    eps = g.normal(0, 0.09, (k, 12))
    ramp = np.clip((t[None, :] - start[:, None] + 1) / 6, 0, 1)
    rev = L[:, None] / 12 * seas * shk * np.exp(eps) * np.where(start[:, None] > world.window.start_t, ramp, 1.0)
    zero_first = (start > world.window.start_t) & (g.random(k) < 0.3)
    rev = np.where(zero_first[:, None] & (t[None, :] == start[:, None]), 0.0, rev)
    rev = np.where(active, rev, 0.0)
    rev_c = cents(rev)

    raw_mat = np.isin(div, [26, 30, 33, 31, 32, 25, 29])
    bump = np.zeros((k, 12))
    if year == 2021:
        bump[:, 6:] = np.where(raw_mat, 0.06, np.where(industrial, 0.02, 0.0))[:, None]
    if year == 2022:
        bump[:, :6] = np.where(raw_mat, 0.03, 0.0)[:, None]
    cr = f["cost_ratio"].to_numpy()[:, None] + bump + 0.12 * (1 - shk) + g.normal(0, 0.015, (k, 12))
    cost_c = np.round(rev_c * np.clip(cr, 0.3, 1.4)).astype(np.int64)
    fixed_c = cents(L / 12 * 0.025)[:, None] * active
    profit_c = rev_c - cost_c - np.round(rev_c * f["opex"].to_numpy()[:, None]).astype(np.int64) - fixed_c
    net_c = np.where(profit_c > 0, np.round(profit_c * 0.85).astype(np.int64), profit_c)
    tax_c = np.round(rev_c * f["tax_rate"].to_numpy()[:, None]).astype(np.int64)
    export_c = np.round(rev_c * f["export_share"].to_numpy()[:, None]).astype(np.int64)
    main_c = np.floor(rev_c * f["main_share"].to_numpy()[:, None]).astype(np.int64)
    rd = rev * f["rd_ratio"].to_numpy()[:, None] * np.exp(g.normal(0, 0.2, (k, 12)))
    rd = np.where(zero_first[:, None] & (rev == 0) & active, L[:, None] / 12 * 0.05, rd)  # start-up: R&D before revenue
    rd_c = cents(rd)

    R0, Z0, Y0 = f["R"].to_numpy(), f["Z"].to_numpy(), f["Y"].to_numpy()
    scale = np.maximum(L / R0, 0.05)
    assets_c = np.maximum(
        cents(
            Z0[:, None] * scale[:, None] ** 0.7 * (1 + 0.003 * (np.arange(12) - 6)) * np.exp(g.normal(0, 0.02, (k, 12)))
        ),
        100,
    )
    lev = np.clip(f["lev"].to_numpy()[:, None] + g.normal(0, 0.01, (k, 12)), 0.0, 2.0)
    liab_c = np.round(assets_c * lev).astype(np.int64)
    recv_c = cents(L[:, None] / 12 * f["recv_months"].to_numpy()[:, None] * np.exp(g.normal(0, 0.05, (k, 12))))
    od_trend = {2020: 0.08, 2021: 0.04, 2022: 0.06, 2023: 0.07, 2024: 0.06, 2025: 0.04}.get(year, 0.03)
    overdue_c = np.floor(recv_c * np.clip(f["overdue"].to_numpy()[:, None] + od_trend, 0, 0.95)).astype(np.int64)
    owed_c = np.floor(recv_c * f["public_share"].to_numpy()[:, None]).astype(np.int64)
    emp = np.maximum(1, np.round(Y0[:, None] * scale[:, None] ** 0.3 * shk**0.05 * np.exp(g.normal(0, 0.01, (k, 12)))))
    emp = emp.astype(np.int64)
    vac_rate = (
        f["vac_rate"].to_numpy()[:, None]
        + np.array([0.01, 0.03, 0.025] + [0.0] * 9)[None, :]
        + (0.012 if year == 2021 else 0.0)
    )
    vac = np.round(emp * vac_rate * np.exp(g.normal(0, 0.3, (k, 12)))).astype(np.int64)
    power = np.round(rev * f["power_k"].to_numpy()[:, None], 2)
    cap = np.round(
        np.clip(f["cap_base"].to_numpy()[:, None] * shk**0.6 * seas**0.4 + g.normal(0, 3, (k, 12)), 3, 100), 1
    )
    orders_c = cents(rev * g.uniform(0.85, 1.15, (k, 12)) * (1 + 0.6 * (shk - shk_prev)).clip(0.1))
    backlog_c = cents(rev * f["backlog_m"].to_numpy()[:, None])
    fin_p = f["fin_prob"].to_numpy()[:, None] * (1 + 1.5 * (profit_c < 0)) * np.where(shk < 0.8, 3, 1)
    fin_c = np.where(g.random((k, 12)) < fin_p, cents(L[:, None] / 12 * g.uniform(0.2, 1.2, (k, 12))), 0)

    # Sentiment, correlated with how the month went (change of the shock, the firm's growth, its noise).
    yoy = np.log(L / L_prev)[:, None]
    s = 0.12 * np.tanh(2 * np.log(shk / shk_prev)) + 0.6 * yoy + 0.5 * (eps - eps.mean()) + g.normal(0, 0.07, (k, 12))

    def tri(x, lo, hi, labels):
        return np.where(x > hi, labels[0], np.where(x < lo, labels[2], labels[1]))

    sent = {
        "sent_overall": tri(s, -0.05, 0.05, ("好转", "持平", "恶化")),
        "sent_demand": tri(s + g.normal(0, 0.05, (k, 12)), -0.05, 0.06, ("增加", "持平", "减少")),
        "sent_profit": tri(
            s + 0.3 * np.sign(profit_c) * 0.1 + g.normal(0, 0.05, (k, 12)), -0.05, 0.06, ("增加", "持平", "减少")
        ),
        "sent_outlook": tri(
            0.1 * np.tanh(-np.log(shk)) + 0.5 * yoy + g.normal(0, 0.08, (k, 12)),
            -0.06,
            0.06,
            ("好转", "持平", "恶化"),
        ),
    }
    cost_up = 0.3 + bump * 6 + (0.15 if year in (2021, 2022) else 0.0)
    u = g.random((k, 12))
    sent["sent_cost"] = np.where(u < cost_up, "上升", np.where(u > 0.92, "下降", "持平"))
    tight = (fin_c > 0) | (profit_c < 0)
    u = g.random((k, 12))
    sent["sent_funding"] = np.where(u < np.where(tight, 0.65, 0.18), "紧张", np.where(u > 0.88, "宽松", "一般"))
    vr = vac / np.maximum(emp, 1)
    sent["sent_labour"] = np.where(vr > 0.04, "短缺", np.where(vr < 0.01, "充足", "一般"))

    # Problems: a bitmask over contract.PROBLEMS.
    month = np.arange(1, 13)[None, :]
    h2_2021 = (year == 2021) & (month >= 7)
    spike = np.isin(div, [26, 30, 33])[:, None]
    p = {
        "融资难融资贵": 0.08 + 0.45 * (fin_c > 0),
        "用工难用工贵": 0.04 + 0.4 * (vr > 0.04),
        "原材料涨价": np.where(
            h2_2021,
            np.where(spike, 0.68, np.where(industrial[:, None], 0.2, 0.05)),
            np.where(industrial[:, None], 0.07, 0.02) + 0.1 * (year == 2022) * raw_mat[:, None],
        ),
        "订单不足": 0.05 + 0.35 * (s < -0.05),
        "账款拖欠": 0.04 + 0.35 * (f["overdue"].to_numpy()[:, None] + od_trend > 0.3),
        "物流不畅": np.where((year == 2020) & (month <= 4) & (month >= 2), np.where(wuhan[:, None], 0.7, 0.45), 0.02)
        + 0.12 * ((year == 2022) & ((month == 4) | (month == 5))),
        "用能保障": 0.01
        + 0.35 * ((year == 2021) & (month >= 8) & (month <= 10)) * np.isin(div, [26, 30, 31, 32, 25, 22])[:, None],
        "税费负担": np.full((k, 12), 0.04),
        "政策落实": np.full((k, 12), 0.02),
        "营商环境": np.full((k, 12), 0.012),
        "技术人才": 0.03 + 0.08 * (f["q"].to_numpy() > 1)[:, None],
        "其他": np.full((k, 12), 0.01),
    }
    masks = [g.random((k, 12)) < np.broadcast_to(p[c], (k, 12)) for c in PROBLEMS]
    problems = bitmask(masks)
    text = np.full((k, 12), None, dtype=object)
    first = np.argmax(np.stack(masks, axis=0), axis=0)
    with_text = (problems > 0) & (g.random((k, 12)) < 0.08)
    pick = g.integers(0, 3, (k, 12))
    for ci, c in enumerate(PROBLEMS):
        phrases = PROBLEM_TEXT[c]
        sel = with_text & (first == ci)
        text[sel] = np.array(phrases, dtype=object)[pick[sel] % len(phrases)]
    unticked = g.random((k, 12)) < 0.004
    ui = g.integers(0, len(UNTICKED_TEXT), (k, 12))
    for j, (phrase, cat) in enumerate(UNTICKED_TEXT):
        sel = unticked & (ui == j) & ((problems >> PROBLEMS.index(cat)) & 1 == 0)
        text[sel] = phrase

    # Remember annual totals for the profiles (is_above_scale, rd_staff bound).
    yi = year - FY0
    world.annual_rev_c[idx, yi] = rev_c.sum(axis=1)
    world.annual_main_c[idx, yi] = main_c.sum(axis=1)
    emp_active = np.where(active, emp, np.iinfo(np.int64).max)
    world.min_emp[idx, yi] = np.where(active.any(axis=1), emp_active.min(axis=1), -1)

    cols = {
        "revenue_month": rev_c,
        "revenue_ytd": rev_c.cumsum(1),
        "main_revenue_ytd": main_c.cumsum(1),
        "cost_ytd": cost_c.cumsum(1),
        "profit_ytd": profit_c.cumsum(1),
        "net_profit_ytd": net_c.cumsum(1),
        "tax_ytd": tax_c.cumsum(1),
        "export_ytd": export_c.cumsum(1),
        "rd_expense_ytd": rd_c.cumsum(1),
        "total_assets": assets_c,
        "total_liabilities": liab_c,
        "receivables": recv_c,
        "receivables_overdue": overdue_c,
        "receivables_owed_by_public_and_large": owed_c,
        "employees": emp,
        "vacancies": vac,
        "power_use": power,
        "capacity_utilisation_pct": cap,
        "new_orders": orders_c,
        "order_backlog": backlog_c,
        "financing_demand": fin_c,
        **sent,
        "problems": problems,
        "problem_text": text,
    }
    # Month-major rows (a county appends each month's reports), only active firm-months.
    mi = np.array([m - 1 for m in months])
    act = active[:, mi].T.ravel()
    out = {
        "uscc": np.tile(f["uscc"].to_numpy(), len(mi))[act],
        "name": np.tile(f["name"].to_numpy(), len(mi))[act],
        "period": np.repeat(year * 100 + mi + 1, k)[act],
    }
    for c, a in cols.items():
        out[c] = a[:, mi].T.ravel()[act]
    return pd.DataFrame(out)
