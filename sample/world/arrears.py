"""拖欠中小企业账款台账: the whole ledger on each date. Cases accumulate; clearance rises; disputes and lawsuits;
a few never paid. Debtor names are built from sample/data/debtors.json."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest import uscc as uscc_mod
from sample.world.common import S_ARREARS, cents, read_data_json, rng
from sample.world.names import ZIHAO

if TYPE_CHECKING:
    from sample.world import World

_DEBTORS = read_data_json("debtors.json")
DEBTOR_BUREAUS: list[str] = _DEBTORS["bureaus"]
DEBTOR_INSTITUTIONS: list[str] = _DEBTORS["institutions"]
PROVINCE_BUREAUS: list[str] = _DEBTORS["province_bureaus"]  # 省直机关, for debtors with 所属地区代码 420000
SOE_KINDS: list[str] = _DEBTORS["soe_kinds"]
PRIVATE_KINDS: list[str] = _DEBTORS["private_kinds"]


def arrears(world: World, ledger_dates: list[np.datetime64]) -> list[pd.DataFrame]:
    """The whole ledger on each date: cases accumulate; clearance rises; disputes and lawsuits; a few never paid."""
    g = rng(world.seed, S_ARREARS)
    f = world.firms
    first = ledger_dates[0]
    n_cases = max(40, int(world.n * 0.27))
    # Creditors: construction, manufacturing and software firms are owed most often.
    w = np.where(f["div"].between(47, 50), 4.0, np.where(f["industrial"], 1.5, np.where(f["div"] == 65, 2.0, 0.6)))
    w = w * np.array([1.3, 1.0, 0.7])[f["size"].to_numpy()]
    cred = g.choice(world.n, size=n_cases, p=w / w.sum())
    # Cases found: 45 % in the stock at the first ledger, the rest over time (fewer later).
    span = 6 * 365  # a fixed horizon: the cases do not depend on how many ledgers are asked for
    found_off = np.where(g.random(n_cases) < 0.45, 0, (g.beta(1.2, 1.6, n_cases) * span).astype(int))
    found = first + found_off.astype("timedelta64[D]")
    found = np.maximum(found, f["founded"].to_numpy()[cred] + np.timedelta64(60, "D"))
    delivered = found - g.integers(20, 900, n_cases).astype("timedelta64[D]")
    delivered = np.maximum(delivered, f["founded"].to_numpy()[cred] + np.timedelta64(30, "D"))
    # Some recent cases: deliveries after the 2025-06-01 revision of the 条例.
    recent = found > np.datetime64("2025-07-15")
    delivered = np.where(
        recent & (g.random(n_cases) < 0.7),
        np.maximum(np.datetime64("2025-06-01"), found - g.integers(20, 120, n_cases).astype("timedelta64[D]")),
        delivered,
    )
    has_acc = g.random(n_cases) < 0.55
    accepted = np.where(has_acc, delivered + g.integers(0, 75, n_cases).astype("timedelta64[D]"), np.datetime64("NaT"))
    accepted = np.where(has_acc & (accepted > found), delivered, accepted)
    dtype_idx = g.choice(4, size=n_cases, p=[0.25, 0.2, 0.35, 0.2])
    public = dtype_idx <= 1
    term_opts = np.array([30, 45, 60, 90, 120, 180])
    term = np.where(g.random(n_cases) < 0.4, -1, term_opts[g.choice(6, n_cases, p=[0.3, 0.15, 0.25, 0.15, 0.08, 0.07])])
    term = np.where(public & (term > 0) & (g.random(n_cases) < 0.5), np.minimum(term, 60), term)
    amount_c = cents(np.clip(np.exp(g.normal(np.log(60), 1.1, n_cases)), 1.5, 8000))
    disputed = g.random(n_cases) < 0.2
    lawsuit_at = np.where(disputed & (g.random(n_cases) < 0.35), g.integers(1, 8, n_cases), 10**6)
    never = ~disputed & (g.random(n_cases) < 0.04)

    # Debtors: a pool per region; cases pick one in the creditor's region most of the time.
    codes = world.regions["region_code"].to_numpy()
    shorts = world.regions["region_short"].to_numpy()
    rnames = world.regions["region_name"].to_numpy()
    far = g.random(n_cases) >= 0.8  # the debtor is not in the creditor's 市州
    reg = np.where(~far, f["region_idx"].to_numpy()[cred], 0)
    zh = np.array(ZIHAO, dtype=object)
    pool = g.integers(0, 8, n_cases)
    dname = np.empty(n_cases, dtype=object)
    b_i = pool % len(DEBTOR_BUREAUS)
    dname[dtype_idx == 0] = (rnames[reg].astype(object) + np.array(DEBTOR_BUREAUS, dtype=object)[b_i])[dtype_idx == 0]
    dname[dtype_idx == 1] = (rnames[reg].astype(object) + np.array(DEBTOR_INSTITUTIONS, dtype=object)[pool])[
        dtype_idx == 1
    ]
    zz = zh[(pool * 7 + reg) % len(zh)] + zh[(pool * 3 + reg * 5 + 1) % len(zh)]
    dname[dtype_idx == 2] = (shorts[reg].astype(object) + zz + np.array(SOE_KINDS, dtype=object)[pool % 6])[
        dtype_idx == 2
    ]
    dname[dtype_idx == 3] = ("湖北" + zz + np.array(PRIVATE_KINDS, dtype=object)[pool % 5])[dtype_idx == 3]
    debtor_div = codes[reg].astype(object)
    # Province-level debtors (所属地区代码 420000: 省直机关, 省属国企): part of the cases whose debtor is outside the
    # creditor's 市州. Chosen from draws already made, so the rest of the sample stays as it was.
    prov_gov = far & (pool < 2) & (dtype_idx == 0)
    prov_soe = far & (pool < 2) & (dtype_idx == 2)
    dname[prov_gov] = ("湖北省" + np.array(PROVINCE_BUREAUS, dtype=object)[b_i])[prov_gov]
    dname[prov_soe] = ("湖北" + zz + np.array(SOE_KINDS, dtype=object)[pool % 6])[prov_soe]
    debtor_div[prov_gov | prov_soe] = "420000"
    # Debtor codes: 机关 11…, 事业单位 12…, companies 91…; a stable body per debtor name.
    dus = np.empty(n_cases, dtype=object)
    cache: dict[str, str] = {}
    alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for i in range(n_cases):  # a few hundred distinct debtors: cheap
        key = dname[i]
        if key not in cache:
            h = hash_str(key)
            body = "".join(alnum[(h >> (5 * j)) % 31] for j in range(8))
            reg_kind = {0: ("1", "1"), 1: ("1", "2")}.get(int(dtype_idx[i]), ("9", "1"))
            body = body if reg_kind[0] == "9" else "".join(c if c.isdigit() else str(ord(c) % 10) for c in body)
            cache[key] = uscc_mod.make(str(debtor_div[i]), body, reg_kind[0], reg_kind[1])
        dus[i] = cache[key]
    show_dus = g.random(n_cases) < 0.6

    regprefix = np.array([c[:4] for c in codes])[f["region_idx"].to_numpy()[cred]]
    case_id = np.array([f"QQ{regprefix[i]}-{str(found[i])[:4]}-{i + 1:05d}" for i in range(n_cases)], dtype=object)

    # Part of the stock found at the first ledger had already been paid in part.
    pre = (found_off == 0) & ~never & (g.random(n_cases) < 0.3)
    repaid_c = np.where(pre, np.round(amount_c * g.uniform(0.1, 0.6, n_cases)).astype(np.int64), 0)
    last_paid = np.where(pre, first - g.integers(5, 80, n_cases).astype("timedelta64[D]"), np.datetime64("NaT"))
    last_paid = last_paid.astype("datetime64[D]")
    out = []
    prev = None
    for k, d in enumerate(ledger_dates):
        step = k + 1
        live = found <= d
        if prev is not None:
            open_ = live & (found <= prev) & (repaid_c < amount_c) & ~never
            age_q = (d - found).astype(int) / 91
            hazard = np.clip(0.03 + 0.012 * step + 0.006 * age_q, 0, 0.4) * np.where(disputed, 0.3, 1.0)
            hazard = np.where(lawsuit_at <= step, 0.06, hazard)
            pay = open_ & (g.random(n_cases) < hazard)
            full = g.random(n_cases) < 0.55
            part = np.round((amount_c - repaid_c) * g.uniform(0.2, 0.8, n_cases)).astype(np.int64)
            new = np.where(full, amount_c, np.minimum(repaid_c + np.maximum(part, 1), amount_c))
            repaid_c = np.where(pay, new, repaid_c)
            paid_day = prev + g.integers(1, max(2, int((d - prev).astype(int)) + 1), n_cases).astype("timedelta64[D]")
            last_paid = np.where(pay, paid_day, last_paid)
        prev = d
        lawsuit = (lawsuit_at <= step) & (repaid_c < amount_c)
        status = np.select([repaid_c >= amount_c, lawsuit, repaid_c > 0], ["已清偿", "诉讼中", "部分清偿"], "未清偿")
        sel = np.flatnonzero(live)
        out.append(
            pd.DataFrame(
                {
                    "as_of": np.full(sel.size, d),
                    "case_id": case_id[sel],
                    "creditor_uscc": f["uscc"].to_numpy()[cred[sel]],
                    "creditor_name": f["name"].to_numpy()[cred[sel]],
                    "debtor_name": dname[sel],
                    "debtor_uscc": np.where(show_dus[sel], dus[sel], None),
                    "debtor_type": np.array(["机关", "事业单位", "国有大型企业", "民营大型企业"], dtype=object)[
                        dtype_idx[sel]
                    ],
                    "division_code": debtor_div[sel],
                    "delivered_on": delivered[sel],
                    "accepted_on": accepted[sel],
                    "agreed_term_days": pd.array(np.where(term[sel] > 0, term[sel], None), dtype="Int64"),
                    "amount": amount_c[sel],
                    "disputed": disputed[sel],
                    "repaid": repaid_c[sel],
                    "last_repaid_on": np.where(repaid_c[sel] > 0, last_paid[sel], np.datetime64("NaT")),
                    "status": status[sel],
                }
            )
        )
    return out


def hash_str(s: str) -> int:
    """A stable (unsalted) string hash."""
    h = 1469598103934665603
    for ch in s.encode("utf-8"):
        h = ((h ^ ch) * 1099511628211) & ((1 << 64) - 1)
    return h
