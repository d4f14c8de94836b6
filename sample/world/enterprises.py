"""The firms (one row per monitored enterprise, drawn once per seed) and their yearly 企业基本信息及年度画像.

A latent innovation score `q` drives R&D, IP, titles and profiles; tier titles (创新型, 专精特新, 小巨人) go to high
`q` with noise, and some titled firms are weak (renewal at risk).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ingest import uscc as uscc_mod
from ingest.contract import DIRECT_PASS, FEATURE_AWARDS, PRODUCT_DOMAINS, QUALITY_ITEMS
from sample.world.common import FY0, MACRO, N_FY, S_FIRMS, S_FY, S_PROFILE, bitmask, loguniform, rng
from sample.world.industries import (
    CHAINS,
    CLASSES,
    CLUSTERS,
    DIVISION_WEIGHTS,
    NAME_WORDS,
    NICHES,
    SIZE_GROUPS,
    size_group,
)
from sample.world.names import GIVEN, SURNAMES, ZIHAO
from sample.world.regions import COUNTIES, REGION_WEIGHTS

if TYPE_CHECKING:
    from sample.world import World


def make_firms(world: World) -> pd.DataFrame:
    g = rng(world.seed, S_FIRMS)
    n = world.n
    codes = world.regions["region_code"].tolist()
    w = np.array([REGION_WEIGHTS[c] for c in codes])
    region_idx = g.choice(len(codes), size=n, p=w / w.sum())
    region_idx[: min(n, len(codes))] = np.arange(min(n, len(codes)))  # every 市州 present even in a tiny sample
    g.shuffle(region_idx)
    region = np.array(codes)[region_idx]
    division = region.copy()
    for rc, counties in COUNTIES.items():
        sel = np.flatnonzero((region == rc) & (g.random(n) < 0.45))
        division[sel] = g.choice(counties, size=sel.size)

    divs = np.array(list(DIVISION_WEIGHTS))
    dw = np.array(list(DIVISION_WEIGHTS.values()))
    div = g.choice(divs, size=n, p=dw / dw.sum())
    dmeta = world.divisions.set_index("div")
    section = dmeta.loc[div, "section_code"].to_numpy()
    industrial = dmeta.loc[div, "is_industrial"].to_numpy() == "true"
    cls = np.empty(n, dtype=object)
    for d in np.unique(div):
        sel = np.flatnonzero(div == d)
        options = CLASSES.get(int(d), f"{d:02d}10 {d:02d}20 {d:02d}90").split()
        cls[sel] = g.choice(options, size=sel.size)

    # Size class (0 micro, 1 small, 2 medium) and 300号-consistent Y (persons), R (revenue), Z (assets).
    size = g.choice(3, size=n, p=[0.30, 0.50, 0.20])
    Y = np.full(n, np.nan)
    R = np.full(n, np.nan)
    Z = np.full(n, np.nan)
    groups = np.array([size_group(int(d)) for d in div])
    for grp, (ceil, mid, small) in SIZE_GROUPS.items():
        sel = groups == grp
        if not sel.any():
            continue
        for k in small:
            lo = np.where(size[sel] == 2, mid[k], np.where(size[sel] == 1, small[k], small[k] / 6))
            hi = np.where(size[sel] == 2, ceil[k] * 0.5, np.where(size[sel] == 1, mid[k], small[k]))
            hi = np.maximum(hi, lo * 1.05)
            val = loguniform(g, lo, hi)
            {"Y": Y, "R": R, "Z": Z}[k][sel] = val
    Y = np.where(np.isnan(Y), np.clip(R / g.uniform(25, 90, n), 2, 900), Y)
    R = np.where(np.isnan(R), Y * g.uniform(12, 60, n), R)
    Z = np.where(np.isnan(Z), R * g.uniform(0.5, 1.6, n), Z)
    Y = np.maximum(np.round(Y), 2)

    # Founding date: most before the window, ≈ 15 % during it (they start reporting a few months later).
    w0 = world.window
    before = g.random(n) >= world.new_share
    fy = np.where(before, w0.y0 - 1 - np.minimum(g.exponential(7, n).astype(int), 28), 0)
    founded_before = (fy - 1970).astype("datetime64[Y]").astype("datetime64[D]") + g.integers(0, 365, n).astype(
        "timedelta64[D]"
    )
    span_days = max(30, int(w0.months * 30.4) - 200)
    founded_in = np.datetime64(f"{w0.y0:04d}-{w0.m0:02d}-01") + g.integers(0, span_days, n).astype("timedelta64[D]")
    founded = np.where(before, founded_before, founded_in)
    f_t = founded.astype("datetime64[M]").astype(int) + 1970 * 12
    start_t = np.maximum(w0.start_t, f_t + np.where(before, 0, g.integers(2, 8, n)))

    # Innovation latent q drives R&D, IP, profiles; tier titles go to high q with noise.
    q = g.normal(0, 1, n) + 0.5 * np.isin(div, [26, 27, 34, 35, 36, 37, 38, 39, 40, 65]) + 0.35 * size
    age = w0.y0 - founded.astype("datetime64[Y]").astype(int) - 1970
    score = q + g.normal(0, 0.6, n) - 5 * (age < 3)
    order = np.argsort(-score, kind="stable")
    n_xjr, n_zj, n_cx = max(1, round(n * 0.004)), max(2, round(n * 0.02)), max(3, round(n * 0.045))
    title = np.zeros(n, dtype=np.int8)  # 0 none, 1 创新型, 2 专精特新, 3 小巨人
    title[order[:n_xjr]] = 3
    title[order[n_xjr : n_xjr + n_zj]] = 2
    title[order[n_xjr + n_zj : n_xjr + n_zj + n_cx]] = 1
    weak = (title > 0) & (g.random(n) < 0.12)  # titled firms whose profile now fails (renewal at risk)
    q = np.where(weak, q - 2.0, q)
    strong = (title > 0) & ~weak
    last_year = w0.periods[-1][0]
    xjr_year = np.where(title == 3, g.integers(2019, max(2020, last_year + 1), n), 0)
    zj_year = np.where(
        title == 3,
        xjr_year - g.integers(1, 4, n),
        np.where(title == 2, g.integers(2016, max(2017, last_year + 1), n), 0),
    )
    cx_year = np.where(title >= 1, g.integers(2022, max(2023, last_year + 1), n), 0)
    cx_year = np.where(title == 1, cx_year, 0)

    rd_ratio = np.clip(np.exp(g.normal(-4.3 + 0.6 * q, 0.5)), 0, 0.25)
    rd_ratio = np.where(strong, np.maximum(rd_ratio, g.uniform(0.032, 0.09, n)), rd_ratio)
    main_share = np.where(strong, g.uniform(0.86, 1.0, n), 0.45 + 0.55 * g.beta(4, 1.3, n))
    lev = 0.05 + 0.85 * g.beta(5, 5, n)
    lev = np.where(g.random(n) < 0.03, g.uniform(1.02, 1.5, n), lev)  # a few over-indebted firms
    lev = np.where(strong, np.minimum(lev, g.uniform(0.3, 0.65, n)), lev)
    growth = g.normal(0.015 + 0.015 * q, 0.06)
    growth = np.where(strong, np.maximum(growth, g.uniform(0.05, 0.15, n)), growth)
    exporter = g.random(n) < np.where(industrial, 0.3, 0.05)
    sector = np.where(np.isin(div, [52, 61, 62, 80]), 1, np.where(np.isin(div, [27, 65, 64]), 2, 0))

    names = _names(world, g, region_idx, div)
    uscc = _usccs(g, division, founded)
    contact = (
        np.array(SURNAMES)[g.integers(0, len(SURNAMES), n)].astype(object)
        + np.array(GIVEN)[g.integers(0, len(GIVEN), n)].astype(object)
        + np.where(g.random(n) < 0.6, np.array(GIVEN)[g.integers(0, len(GIVEN), n)], "").astype(object)
    )
    phone = np.char.add(
        np.array(["13", "15", "17", "18", "19"])[g.integers(0, 5, n)],
        np.char.zfill(g.integers(0, 10**9, n).astype(str), 9),
    )
    return pd.DataFrame(
        {
            "uscc": uscc,
            "name": names,
            "region": region,
            "region_idx": region_idx,
            "division": division,
            "div": div,
            "section": section,
            "industrial": industrial,
            "cls": cls,
            "size": size,
            "group": groups,
            "Y": Y,
            "R": R,
            "Z": Z,
            "founded": founded,
            "start_t": start_t,
            "q": q,
            "title": title,
            "weak": weak,
            "xjr_year": xjr_year,
            "zj_year": zj_year,
            "cx_year": cx_year,
            "rd_ratio": rd_ratio,
            "main_share": main_share,
            "lev": lev,
            "growth": growth,
            "export_share": np.where(exporter, g.uniform(0.03, 0.6, n), 0.0),
            "cost_ratio": np.clip(g.normal(0.80, 0.07, n), 0.5, 1.02),
            "opex": g.uniform(0.05, 0.13, n),
            "tax_rate": g.uniform(0.015, 0.05, n),
            "recv_months": g.uniform(0.8, 4.5, n),
            "overdue": g.beta(1.5, 6, n),
            "public_share": g.beta(1.2, 4, n),
            "power_k": np.where(industrial, g.uniform(0.01, 0.25, n), g.uniform(0.002, 0.02, n)),
            "cap_base": g.uniform(58, 92, n),
            "backlog_m": g.uniform(0.8, 5, n),
            "vac_rate": g.beta(1.3, 40, n),
            "fin_prob": np.array([0.16, 0.08, 0.05])[size],
            "sector": sector,
            "wuhan": region == "420100",
            "contact_name": contact,
            "contact_phone": phone,
        }
    )


def _names(world: World, g: np.random.Generator, region_idx: np.ndarray, div: np.ndarray) -> np.ndarray:
    n = region_idx.size
    short = world.regions["region_short"].to_numpy()[region_idx]
    short = np.where(np.char.str_len(short.astype(str)) > 2, np.char.replace(short.astype(str), "州", ""), short)
    word = np.array([NAME_WORDS.get(int(d), "实业") for d in div], dtype=object)
    zh = np.array(ZIHAO, dtype=object)
    suffix = np.array(["有限公司", "有限责任公司", "股份有限公司", "科技有限公司"], dtype=object)
    z = zh[g.integers(0, len(zh), n)] + zh[g.integers(0, len(zh), n)]
    names = pd.Series(short.astype(object) + z + word + suffix[g.choice(4, size=n, p=[0.55, 0.25, 0.08, 0.12])])
    for _ in range(20):
        dup = names.duplicated(keep="first").to_numpy()
        if not dup.any():
            break
        k = int(dup.sum())
        names[dup] = (
            short[dup].astype(object)
            + zh[g.integers(0, len(zh), k)]
            + zh[g.integers(0, len(zh), k)]
            + zh[g.integers(0, len(zh), k)]
            + word[dup]
            + suffix[g.integers(0, 4, k)]
        )
    return names.to_numpy(dtype=object)


def _usccs(g: np.random.Generator, division: np.ndarray, founded: np.ndarray) -> np.ndarray:
    n = division.size
    old = founded < np.datetime64("2015-10-01")  # before the USCC reform: the old 8-digit organisation code
    alnum = np.array(list("0123456789ABCDEFGHJKLMNPQRTUWXY"))
    digits = g.integers(0, 10, (n, 8)).astype(str)
    new = np.concatenate([np.tile(np.array(["M", "A", "4"]), (n, 1)), alnum[g.integers(0, len(alnum), (n, 5))]], axis=1)
    body = np.where(old[:, None], digits, new)
    bodies = ["".join(r) for r in body]
    seen: set[str] = set()
    out = []
    for i, (d, b) in enumerate(zip(division, bodies, strict=True)):
        while b in seen:
            b = "MA4" + "".join(alnum[g.integers(0, len(alnum), 5)])
        seen.add(b)
        out.append(uscc_mod.make(str(d), b))
        del i
    return np.array(out, dtype=object)


def firm_year_levels(world: World) -> np.ndarray:
    """Annual revenue level (万元) per firm and year FY0 … FY0+N_FY-1, at the firm's 2021 scale R."""
    g = rng(world.seed, S_FY)
    f = world.firms
    years = np.arange(FY0, FY0 + N_FY)
    noise = np.exp(g.normal(0, 0.07, (world.n, N_FY)))
    macro = np.array([MACRO.get(int(y), 1.2) for y in years])
    return f["R"].to_numpy()[:, None] * np.exp(f["growth"].to_numpy()[:, None] * (years - 2021)) * macro * noise


def profiles(world: World, year: int) -> pd.DataFrame:
    """企业基本信息及年度画像 for `year`: every firm founded by then."""
    f = world.firms
    g = rng(world.seed, S_PROFILE, year)
    n = world.n
    q = f["q"].to_numpy()
    founded_year = f["founded"].to_numpy().astype("datetime64[Y]").astype(int) + 1970
    present = founded_year <= year
    div = f["div"].to_numpy()
    yi = year - FY0
    rev = world.annual_rev_c[:, yi] / 100
    main = world.annual_main_c[:, yi] / 100
    modelled = rev == 0
    rev = np.where(modelled, world.level(year), rev)
    main = np.where(modelled, rev * f["main_share"].to_numpy(), main)
    industrial = f["industrial"].to_numpy()
    threshold = np.where(
        industrial,
        2000,
        np.select([div == 51, div == 52, np.isin(div, [61, 62]), div <= 50], [2000, 500, 200, 5000], 1000),
    )
    above = main >= threshold
    above_known = industrial | (g.random(n) < 0.7)

    title = f["title"].to_numpy()
    held = np.select(
        [
            (title == 3) & (f["xjr_year"].to_numpy() <= year),
            (title >= 2) & (f["zj_year"].to_numpy() <= year) & (f["zj_year"].to_numpy() > 0),
            (title == 1) & (f["cx_year"].to_numpy() <= year),
        ],
        [3, 2, 1],
        0,
    )
    base_year = np.select([held == 3, held == 2, held == 1], [f["xjr_year"], f["zj_year"], f["cx_year"]], 0)
    title_year = np.where(held > 0, base_year + 3 * ((year - base_year) // 3), 0)

    # Stable per-firm draws (same generator seed for every year) so profiles evolve smoothly.
    gs = rng(world.seed, S_PROFILE, 0)
    has_niche = (q + gs.normal(0, 0.8, n) > 0.2) | (title > 0)
    niche_since = np.minimum(np.maximum(founded_year, 1990) + gs.integers(0, 4, n), year)
    pick = gs.integers(0, 3, n)
    dnames = world.divisions.set_index("div")["division_name"]
    niche = np.empty(n, dtype=object)
    product = np.empty(n, dtype=object)
    for d in np.unique(div):
        sel = np.flatnonzero(div == d)
        opts = NICHES.get(int(d), [(f"{dnames[int(d)]}细分领域", f"{dnames[int(d)]}主导产品")])
        niche[sel] = [opts[i % len(opts)][0] for i in pick[sel]]
        product[sel] = [opts[i % len(opts)][1] for i in pick[sel]]
    niche = np.where(has_niche, niche, None)
    prod_known = has_niche | (gs.random(n) < 0.5)
    product = np.where(prod_known, product, None)

    hi = q > 1
    domains = bitmask(
        [
            gs.random(n) < 0.12 + 0.3 * (q > 0.5),
            (gs.random(n) < 0.08 + 0.1 * hi) & industrial,
            gs.random(n) < 0.03 + 0.12 * hi,
            gs.random(n) < 0.03 + 0.1 * hi,
            gs.random(n) < 0.02 + 0.08 * hi,
            gs.random(n) < 0.004,
            gs.random(n) < 0.08 + 0.15 * (q > 0.5),
        ]
    )
    assert len(PRODUCT_DOMAINS) == 7
    cluster = np.full(n, None, dtype=object)
    chain = np.full(n, None, dtype=object)
    u1, u2, pk = gs.random(n), gs.random(n), gs.integers(0, 4, n)
    for d in np.unique(div):
        sel = div == d
        if int(d) in CLUSTERS:
            opts = CLUSTERS[int(d)]
            s2 = sel & (u1 < 0.25 + 0.3 * (q > 0.5))
            cluster[s2] = np.array(opts, dtype=object)[pk[s2] % len(opts)]
        if int(d) in CHAINS:
            opts = CHAINS[int(d)]
            s2 = sel & (u2 < 0.2 + 0.3 * (q > 0.5))
            chain[s2] = np.array(opts, dtype=object)[pk[s2] % len(opts)]
    awards = bitmask(
        [
            gs.random(n) < 0.01 + 0.06 * np.isin(div, [34, 35, 37, 38]) * hi,
            gs.random(n) < 0.01 + 0.05 * np.isin(div, [26, 30, 32, 33]) * hi,
            gs.random(n) < 0.005 + 0.06 * (div == 65) * hi,
            gs.random(n) < 0.003,
            gs.random(n) < 0.003 + 0.05 * np.isin(div, [1, 13, 14, 15]),
        ]
    )
    assert len(FEATURE_AWARDS) == 5
    growth_years = max(0, year - 2019)
    share = np.round(np.clip(np.exp(gs.normal(-0.3 + 0.6 * q, 0.8)), 0.01, 60), 1)
    share = np.where((title == 3) & ~f["weak"].to_numpy(), np.maximum(share, gs.uniform(10, 35, n).round(1)), share)
    share = np.where(has_niche, share, np.nan)
    digital = np.clip(1 + gs.binomial(3, 1 / (1 + np.exp(-(q - 0.3)))) + (g.random(n) < 0.05 * growth_years), 1, 4)
    quality = bitmask(
        [
            gs.random(n) < 0.02 + 0.05 * (q > 1.5),
            gs.random(n) < np.clip(0.45 + 0.2 * q, 0.05, 0.95),
            gs.random(n) < np.clip(0.3 + 0.15 * q, 0.05, 0.95),
            gs.random(n) < 0.04 + 0.12 * hi,
        ]
    )
    assert len(QUALITY_ITEMS) == 4
    lam = np.exp(q - 0.8) * (1 + 0.12 * growth_years)
    ip1 = gs.poisson(np.clip(lam, 0, 40))
    ip1 = np.where((title == 3) & ~f["weak"].to_numpy(), np.maximum(ip1, 3), ip1)
    ip1 = ip1 + g.binomial(1, 0.1, n) * (q > 0.5)
    ip_self = np.minimum(gs.binomial(ip1, 0.7), ip1)
    ip_hv = np.minimum(gs.binomial(ip1, 0.15), ip1)
    ip2 = gs.poisson(np.clip(np.exp(q + 0.4) * (1 + 0.1 * growth_years), 0, 80))
    z = q + gs.normal(0, 0.5, n)
    inst = np.select([z > 2.6, z > 1.5, z > 0.7, z > 0.1], ["国家级", "省级", "市级", "市级以下"], "无")
    emp = np.where(
        world.min_emp[:, yi] > 0,
        world.min_emp[:, yi],
        np.maximum(
            1, np.round(f["Y"].to_numpy() * np.maximum(world.level(year) / f["R"].to_numpy(), 0.05) ** 0.3 * 0.97)
        ),
    )
    rd_share = np.clip(0.02 + 0.05 * q + gs.normal(0, 0.03, n), 0, 0.5)
    rd_staff = np.minimum(np.floor(emp * rd_share), emp).astype(np.int64)
    hnte_since = np.where(gs.random(n) < 1 / (1 + np.exp(-2 * (q - 0.9))), gs.integers(2015, 2026, n), 9999)
    direct = bitmask(
        [
            gs.random(n) < 0.004 * hi,
            gs.random(n) < 0.015 * hi,
            gs.random(n) < 0.012,
            gs.random(n) < 0.002,
            hnte_since <= year,
            gs.random(n) < 0.02 * hi,
        ]
    )
    assert len(DIRECT_PASS) == 6
    names = ("无", "创新型", "专精特新", "小巨人")
    out = pd.DataFrame(
        {
            "uscc": f["uscc"],
            "name": f["name"],
            "division_code": f["division"],
            "industry_code": f["cls"],
            "founded_on": f["founded"],
            "profile_year": year,
            "is_above_scale": pd.array(np.where(above_known, above, None), dtype="boolean"),
            "current_title": np.array(names, dtype=object)[held],
            "title_year": pd.array(np.where(held > 0, title_year, None), dtype="Int64"),
            "niche_market": niche,
            "niche_since_year": pd.array(np.where(has_niche, niche_since, None), dtype="Int64"),
            "main_product": product,
            "product_domains": domains,
            "cluster": cluster,
            "chain": chain,
            "feature_awards": awards,
            "niche_share_pct": share,
            "digital_level": digital.astype(np.int64),
            "quality_items": quality,
            "ip_class1": ip1,
            "ip_class1_self": ip_self,
            "ip_class1_high_value": ip_hv,
            "ip_class2": ip2,
            "rd_institution_level": inst,
            "rd_staff": rd_staff,
            "direct_pass": direct,
            "contact_name": f["contact_name"],
            "contact_phone": f["contact_phone"],
        }
    )
    return out[present].reset_index(drop=True)
