"""融资记录: loan applications and decisions (banks, guarantors: sample/data/financing.json) and qualified
equity rounds, with stable record ids so the same application keeps its id in every file."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sample.world.common import S_FIN, cents, read_data_json, rng
from sample.world.names import ZIHAO

if TYPE_CHECKING:
    from sample.world import World

_FIN = read_data_json("financing.json")
BANKS: dict[str, list[str]] = _FIN["banks"]  # per provider type; {short} = the 市州's short name
GUARANTORS: list[str] = _FIN["guarantors"]
INVESTORS: list[str] = _FIN["investors"]
REFUSALS: list[str] = _FIN["refusals"]


def financing(world: World, first_day: np.datetime64, last_day: np.datetime64) -> pd.DataFrame:
    """Applications with applied_on in [first_day, last_day]; `decided_on` says when the decision came."""
    g = rng(world.seed, S_FIN)
    f = world.firms
    # Applications over a fixed span so that the same firm-days come out for any sub-window (increment).
    span0, span1 = np.datetime64("2019-01-01"), np.datetime64("2027-12-31")
    days = int((span1 - span0).astype(int)) + 1
    size = f["size"].to_numpy()
    rate = np.array([0.55, 0.5, 0.45])[size] / 365
    counts = g.poisson(rate * days)
    firm = np.repeat(np.arange(world.n), counts)
    m = firm.size
    applied = span0 + g.integers(0, days, m).astype("timedelta64[D]")
    # The 2020 lockdown: few applications in Feb; more in Mar–May (relending support).
    lull = (applied >= np.datetime64("2020-01-24")) & (applied < np.datetime64("2020-03-10")) & (g.random(m) < 0.7)
    applied = np.where(lull, applied + np.timedelta64(45, "D"), applied)
    ch = g.choice(7, size=m, p=[0.3, 0.25, 0.18, 0.04, 0.12, 0.01, 0.1])
    channels = np.array(
        ["信用贷款", "抵押贷款", "担保贷款", "知识产权质押", "供应链金融", "债券融资", "融资租赁"], dtype=object
    )
    channel = channels[ch]
    fs = size[firm]
    ptype_i = g.choice(4, size=m, p=[0.35, 0.2, 0.4, 0.05])
    ptypes = np.array(["国有大型银行", "股份制银行", "城商行农商行", "其他"], dtype=object)
    ptype = ptypes[ptype_i]
    ptype = np.where(channel == "融资租赁", "其他", ptype)
    short = world.regions["region_short"].to_numpy()[f["region_idx"].to_numpy()[firm]].astype(object)
    pick = g.integers(0, 6, m)
    provider = np.empty(m, dtype=object)
    for t, names in BANKS.items():
        sel = ptype == t
        arr = np.array(names, dtype=object)[pick[sel] % len(names)]
        provider[sel] = [a.format(short=s) for a, s in zip(arr, short[sel], strict=True)]
    big = np.isin(ptype, ["国有大型银行", "股份制银行"]) & (g.random(m) < 0.8)
    provider = np.where(big, provider + short + "分行", provider)
    guarantor = np.where(
        channel == "担保贷款", [GUARANTORS[i % 3].format(short=s) for i, s in zip(pick, short, strict=True)], None
    )
    amount = np.exp(g.normal(np.log(np.array([50, 300, 1500])[fs]), 0.7))
    amount_c = cents(np.round(amount / 5) * 5 + 5)
    p_refuse = np.array([0.28, 0.11, 0.05])[fs]
    u = g.random(m)
    decision = np.where(u < p_refuse, "拒绝", np.where(u < p_refuse + 0.13, "部分获批", "获批")).astype(object)
    approved_c = np.where(
        decision == "获批",
        amount_c,
        np.where(decision == "部分获批", np.round(amount_c * g.uniform(0.4, 0.9, m) / 100) * 100, 0),
    )
    approved_c = approved_c.astype(np.int64)
    decided = applied + g.integers(2, 40, m).astype("timedelta64[D]")
    disbursed = np.where(
        decision != "拒绝", decided + g.integers(0, 10, m).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    year = applied.astype("datetime64[Y]").astype(int) + 1970
    lpr = np.select(
        [year <= 2019, year == 2020, year == 2021, year == 2022, year == 2023, year == 2024],
        [4.35, 3.95, 3.85, 3.65, 3.45, 3.35],
        3.1,
    )
    inclusive = (fs <= 1) & (amount_c <= 100000) & (channel != "债券融资")
    spread = np.select([ptype == "国有大型银行", ptype == "股份制银行", ptype == "城商行农商行"], [0.3, 0.8, 1.3], 4.0)
    rate_pct = np.round(lpr + spread + np.array([1.0, 0.5, 0.0])[fs] - 0.3 * inclusive + g.normal(0, 0.25, m), 2)
    rate_pct = np.where(decision == "拒绝", np.nan, np.clip(rate_pct, 2.2, 18))
    fee = np.where((channel == "担保贷款") & (decision != "拒绝"), np.round(g.uniform(0.5, 1.5, m), 2), np.nan)
    term = np.array([6, 12, 12, 12, 24, 36])[g.integers(0, 6, m)]
    refusal = np.where(decision == "拒绝", np.array(REFUSALS, dtype=object)[g.integers(0, len(REFUSALS), m)], None)
    df = pd.DataFrame(
        {
            "uscc": f["uscc"].to_numpy()[firm],
            "channel": channel,
            "provider": provider,
            "provider_type": ptype,
            "guarantor": guarantor,
            "applied_on": applied,
            "amount_applied": amount_c,
            "decision": decision,
            "amount_approved": approved_c,
            "disbursed_on": disbursed,
            "rate_pct": rate_pct,
            "guarantee_fee_pct": fee,
            "term_months": term,
            "inclusive_small_micro": inclusive,
            "refusal_reason": refusal,
            "decided_on": decided,
            "firm": firm,
        }
    )
    # Qualified equity rounds (股权融资 from 合格机构投资者, paid in) for some innovative firms.
    q = f["q"].to_numpy()
    rounds = g.poisson(np.where(q > 1.2, 0.45, np.where(f["title"].to_numpy() > 0, 0.3, 0.0)))
    ef = np.repeat(np.arange(world.n), rounds)
    e = ef.size
    e_applied = np.datetime64("2019-06-01") + g.integers(0, 3000, e).astype("timedelta64[D]")
    e_amount = cents(np.round(np.exp(g.normal(np.log(2500), 0.8, e)) / 50) * 50 + 500)
    e_decided = e_applied + g.integers(20, 60, e).astype("timedelta64[D]")
    eshort = world.regions["region_short"].to_numpy()[f["region_idx"].to_numpy()[ef]].astype(object)
    zh = np.array(ZIHAO, dtype=object)
    eq = pd.DataFrame(
        {
            "uscc": f["uscc"].to_numpy()[ef],
            "channel": "股权融资",
            "provider": np.where(g.random(e) < 0.5, "湖北", eshort)
            + zh[g.integers(0, len(zh), e)]
            + zh[g.integers(0, len(zh), e)]
            + np.array(INVESTORS, dtype=object)[g.integers(0, 3, e)],
            "provider_type": "合格机构投资者",
            "guarantor": None,
            "applied_on": e_applied,
            "amount_applied": e_amount,
            "decision": "获批",
            "amount_approved": e_amount,
            "disbursed_on": e_decided + np.timedelta64(15, "D"),
            "rate_pct": np.nan,
            "guarantee_fee_pct": np.nan,
            "term_months": 0,
            "inclusive_small_micro": False,
            "refusal_reason": None,
            "decided_on": e_decided,
            "firm": ef,
        }
    )
    df = pd.concat([df, eq], ignore_index=True)
    df["term_months"] = pd.array(np.where(df["term_months"] > 0, df["term_months"], None), dtype="Int64")
    # Applications only from firms that existed and were being monitored.
    start_day = (f["start_t"].to_numpy() - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
    df = df[
        (df["applied_on"] >= first_day)
        & (df["applied_on"] <= last_day)
        & (df["applied_on"].to_numpy() >= start_day[df["firm"].to_numpy()])
    ]
    df = df.sort_values(["applied_on", "uscc", "channel"], kind="stable").reset_index(drop=True)
    if df.empty:
        df["record_id"] = pd.Series(dtype=object)
        return df
    # Stable record ids from firm, day and channel: the same application keeps its id in every file.
    chan_code = pd.Categorical(df["channel"], categories=[*channels, "股权融资"]).codes.astype(np.int64)
    df["record_id"] = (
        "RZ"
        + df["applied_on"].dt.strftime("%Y%m%d")
        + "-"
        + pd.Series(df["firm"].to_numpy() * 10 + chan_code).map("{:07d}".format)
    ).to_numpy(dtype=object)
    df = df.drop_duplicates("record_id").reset_index(drop=True)
    return df


def financing_state(df: pd.DataFrame, cut: np.datetime64) -> pd.DataFrame:
    """Each record as the provider knew it on `cut`: undecided → 审批中, not yet paid out → no 放款日期."""
    out = df.copy()
    pending = out["decided_on"].to_numpy() > cut
    out.loc[pending, "decision"] = "审批中"
    for c in ("amount_approved", "rate_pct", "guarantee_fee_pct", "refusal_reason"):
        out[c] = out[c].where(~pending, None)
    out["amount_approved"] = out["amount_approved"].astype("Int64")
    out["rate_pct"] = out["rate_pct"].astype(float)
    out["guarantee_fee_pct"] = out["guarantee_fee_pct"].astype(float)
    out["disbursed_on"] = out["disbursed_on"].where(out["disbursed_on"].to_numpy() <= cut, pd.NaT)
    return out
