"""Hand-computed 专精特新 tier cases, asserted end to end after `sme-monitor run`.

The inputs are the csv files in tests/fixtures/hand_cases/ (INPUTS.md contract, Chinese headers), written by
make_hand_cases.py there. Every firm is industrial (C 3484, 武汉), data year 2024 → assessment year 2025,
rule version v2022 (the configured primary version for 2025). The expected numbers below were worked out by hand
from DOMAIN_RULES §1–§3; the arithmetic is in the comments. Band convention: highest band first, lower bound
inclusive (资产负债率: upper bound inclusive).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sme_testing import query, run_pipeline

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "hand_cases"
NAMES = {  # short key -> enterprise name in the fixture
    "H01": "手算一号科技有限公司",
    "H02": "手算二号机械有限公司",
    "H03": "手算三号材料有限公司",
    "H04": "手算四号电子有限公司",
    "H05": "手算五号装备有限公司",
    "H06": "手算六号生物有限公司",
    "H07": "手算七号食品有限公司",
    "H08": "手算八号包装有限公司",
    "H09": "手算九号汽车零部件有限公司",
    "H10": "手算十号精密有限公司",
    "H11": "手算十一号铸造有限公司",
    "H12": "手算十二号精密有限公司",
}

# ---------------------------------------------------------------------------------------------------------------
# 创新型 (§1.1): (total, innovation, growth, specialisation, eligible, failed_conditions, points_missing)
CXX = {
    # H01: IP 高价值≥1 → 20; R&D 330/5500 = 6% ≥5% → 20; growth 5060/4400−1 = 15% (edge) → 20;
    #      debt 4500/10000 = 45% ≤55 → 10; 战略性新兴产业 → 10; 主营 5060/5500 = 92% ≥70 → 20. 40+30+30 = 100.
    "H01": (100, 40, 30, 30, True, None, 0),
    # H02: IP 20; R&D 145/5000 = 2.9% (2–3) → 10; growth 4600/4000−1 = 15% → 20; debt 45% → 10; domain 10;
    #      主营 4600/5000 = 92% → 20. 30+30+30 = 90.
    "H02": (90, 30, 30, 30, True, None, 0),
    # H03 (band edges): IP Ⅰ类 → 10; R&D 120/4000 = 3% exactly → 15; growth 2800/2800−1 = 0 → 5;
    #      debt 4400/8000 = 55% exactly → 10; 六基 (not 战略性) → 5; 主营 2800/4000 = 70% exactly → 20.
    #      innovation 25 ≥20, growth 15 (edge) ≥15, specialisation 25, total 65 ≥60 → eligible by score.
    "H03": (65, 25, 15, 25, True, None, 0),
    # H04 (passes only through 直通): IP 0; R&D 20/3000 = 0.67% → 0; growth 1200/1300−1 = −7.7% → 0;
    #      debt 4000/5000 = 80% → 0; domain 5; 主营 1200/3000 = 40% → 0. total 5, but D2 高新技术企业 and
    #      D4 qualified equity 600 ≥ 500 within 3 years → eligible.
    "H04": (5, 0, 0, 5, True, None, 0),
    # H05: IP 0; R&D 1200/20000 = 6% → 20; growth 10000/11000−1 = −9.1% → 0; debt 24000/30000 = 80% → 0;
    #      domain 5; 主营 50% → 5. total 30; growth 0<15; spec 10<15.
    #      points missing = max(60−30, (15−0)+(15−10)) = 30.
    "H05": (30, 20, 0, 10, False, "总分30<60；成长性得分0<15；专业化得分10<15", 30),
    # H06 (zero revenue): IP Ⅱ类 → 5; R&D ratio → 0 (revenue 0, flagged); growth 0/0 undefined → 0;
    #      debt 200/1000 = 20% → 10; domain 5; 主营 ratio → 0. total 20.
    #      points missing = max(40, (20−5)+(15−10)+(15−5)) = max(40, 30) = 40.
    "H06": (20, 5, 10, 5, False, "总分20<60；创新能力得分5<20；成长性得分10<15；专业化得分5<15", 40),
    # H07 (Jan–Oct only; YTD at October). Until 2026-11 it was scored on the October YTD as if it were the year:
    #      IP 0; R&D 0 → 0; growth 1500/1200−1 = 25% → 20; debt 40% → 10; domain 5; 主营 100% → 20 = 55, failing
    #      ("总分55<60；创新能力得分0<20", 20 points short). Issue 14 item 7 changes the rule: an incomplete data year
    #      is not assessed — no December report, no direct pass → eligible, points, subtotals, failed conditions and
    #      points missing are all NULL, with data_status 数据不完整（缺 11、12 月） (test_issue14_incomplete_year).
    "H07": (None, None, None, None, None, None, None),
    # H09 (large: 1200 persons, revenue 50000 ≥ 1000 / 40000): IP 20; R&D 3000/50000 = 6% → 20;
    #      growth 46000/40000−1 = 15% → 20; debt 27000/60000 = 45% → 10; domain 10; 主营 92% → 20 → 100,
    #      but the common gate (SME under 300号) fails. (issue 14 item 11: the size class reads 大型, no longer "large")
    "H09": (100, 40, 30, 30, False, "非中小企业（划型：大型）", 0),
}

# 专精特新 v2022 (§1.2): (total, 专业化, 精细化, 特色化, 创新能力, eligible, failed_conditions, points_missing)
ZJTX = {
    # H01: 专业化: 主营 92% → 5; growth_2y = (15% + (4400/4000−1 = 10%))/2 = 12.5% → 10; niche 2024−2014 = 10 y → 5;
    #        补短板 → 5 = 25.
    #      精细化: digital 3 → 5; quality 2 items × 3 = 6 → cap 5; net margin 550/5500 = 10% → 10; debt 45% → 5 = 25.
    #      特色化: H1 集成电路 (51020) 8 + H2 首台套 4 + H3 share 12% ≥10 → 3 = 15.
    #      创新能力: IP 高价值 → 10; R&D max(330 → 6, 6% → 6) = 6; R&D staff 30/120 = 25% → 5; 市级 → 4 = 25.
    #      total 90; E1 10 ≥ 2, E2 330 ≥ 100 and 6% ≥ 3%, E3 5500 ≥ 1000, E4 90 ≥ 60 → eligible.
    "H01": (90, 25, 25, 15, 25, True, None, 0),
    # H02: 专业化: 92% → 5; growth_2y = (15% + (4000/3700−1 = 8.11%))/2 = 11.55% → 10; 5; 5 = 25.
    #      精细化: 5 + 5 + (500/5000 = 10% → 10) + 5 = 25. 特色化 15.
    #      创新能力: 10 + max(145 → 2, 2.9% → 0) = 2 + 5 + 4 = 21. total 86 — but E2 fails on the ratio only:
    #      145/5000 = 2.9% < 3% → fails by exactly one condition.
    "H02": (86, 25, 25, 15, 21, False, "研发费用占比2.9%<3%", 0),
    # H03: 专业化: 70% → 3; growth_2y = (0% + (2800/2500−1 = 12%))/2 = 6% (edge) → 6; niche 4 y → 2; 六基 → 3 = 14.
    #      精细化: digital 2 → 3; 1 item → 3; net 80/4000 = 2% (edge) → 2; debt 55% (50–60) → 3 = 11.
    #      特色化: H1 chain 汽车 (链长制 2021) → 8; H2 0; H3 share 10% (edge) → 3 = 11.
    #      创新能力: Ⅰ类 → 6; max(120 → 2, 3% → 2) = 2; staff 10/100 = 10% (edge) → 3; 市级以下 → 2 = 13.
    #      total 49 < 60; gates E1–E3 hold (4 y; 120 ≥ 100, 3% ≥ 3%; 4000 ≥ 1000) → one condition: the score.
    "H03": (49, 14, 11, 11, 13, False, "总分49<60", 11),
    # H05 (passes only through 直通 (b)): 专业化: 50% → 0; growth_2y = (−9.09% + (11000/12000−1 = −8.33%))/2 → 0;
    #      niche 6 y → 3; domain 0 = 3. 精细化: 0 + 0 + (100/20000 = 0.5% → 0) + (80% → 0) = 0. 特色化 0.
    #      创新能力: 0 + max(1200 → 10, 6% → 6) = 10 + (10/250 = 4% → 0) + 0 = 10. total 13 < 60,
    #      but average R&D (1200 + 800)/2 = 1000 ≥ 1000 (edge) → 直通 (b); E1–E3 hold → eligible.
    "H05": (13, 3, 0, 0, 10, True, None, 0),
    # H06 (zero revenue): 专业化 0 (ratio bands 0; growth undefined; niche 1 y → 0; no domain).
    #      精细化: digital 1 → 0; 0; net margin → 0 (zero revenue); debt 20% → 5 = 5. 特色化 0.
    #      创新能力: Ⅱ类 → 2; max(200 → 4, ratio → 0) = 4; staff 8/30 = 26.7% → 5; 无 → 0 = 11. total 16.
    #      fails E1 (1 y), E2 ratio (no revenue), E3 (0 < 1000, no equity), E4 (16 < 60).
    "H06": (
        16,
        0,
        5,
        0,
        11,
        False,
        "细分市场年限1<2年；研发费用占比—<3%；营业收入0万元<1000万元且近2年合格机构投资<2000万元；总分16<60",
        44,
    ),
    # H10 (holds 专精特新; scored anyway): 专业化: 90% → 5; growth_2y = (12.5% + 12.94%)/2 = 12.7% → 10;
    #      niche 9 y → 4; 补短板 → 5 = 24. 精细化: 5 + 5 + (1200/12000 = 10% → 10) + (50% → 5) = 25.
    #      特色化: H1 0, H2 0, H3 15% → 3 = 3. 创新能力: 自主Ⅰ类 → 8; max(480 → 8, 4% → 4) = 8;
    #      staff 40/200 = 20% → 5; 省级 → 8 = 29. total 81.
    "H10": (81, 24, 25, 3, 29, True, None, 0),
}

# 小巨人 v2022 (§1.3): (eligible, failed_conditions)
XJR = {
    # H10: title 专精特新; niche 9 ≥ 3; 主营 90% ≥ 70%; growth_2y 12.7% ≥ 5%; digital 3 (信息化); 质量管理体系认证;
    #      debt 50% ≤ 70%; share 15% ≥ 10%; 自主品牌; G1 revenue 12000 ≥ 10000 with 480/12000 = 4% and
    #      400/10000 = 4% ≥ 3% both years; G2 省级 R&D institution; G3 3 Ⅰ类 ≥ 2; 链 补短板; 品 六基 → eligible.
    "H10": (True, None),
    # H12: identical but niche share 8% < 10% → fails exactly one condition.
    "H12": (False, "细分市场占有率8%<10%"),
}


@pytest.fixture(scope="module")
def serving(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("hand_cases_home")
    proc = run_pipeline(
        home,
        {
            "enterprises": [FIX / "enterprises_hand_cases.csv"],
            "operating": [FIX / "operating_hand_cases.csv"],
            "financing": [FIX / "financing_hand_cases.csv"],
            "arrears": [FIX / "arrears_hand_cases.csv"],
        },
    )
    db = home / "warehouse" / "serving.duckdb"
    assert proc.returncode == 0 and db.exists(), f"pipeline failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return db


def _uscc_of(db: Path, names: dict[str, str]) -> dict[str, str]:
    """Key (H01, P03, …) → USCC, looked up by enterprise name in the published copy (one helper for every block)."""
    by_name = dict(query(db, "SELECT enterprise_name, uscc FROM marts.enterprises"))
    return {k: by_name[v] for k, v in names.items()}


def _uscc(db: Path) -> dict[str, str]:
    return _uscc_of(db, NAMES)


def _assessment(db: Path, uscc: str, tier: str) -> dict:
    cols = [
        "total_score",
        "group_innovation",
        "group_growth",
        "group_specialisation",
        "group_refinement",
        "group_feature",
        "eligible",
        "failed_conditions",
        "points_missing",
        "direct_pass_met",
        "is_zero_revenue",
        "is_data_complete",
    ]
    rows = query(
        db,
        f"SELECT {', '.join(cols)} FROM marts.tier_assessments "
        "WHERE uscc = ? AND assessment_year = 2025 AND tier = ? AND rule_version = 'v2022'",
        [uscc, tier],
    )
    assert len(rows) == 1, (uscc, tier, rows)
    return dict(zip(cols, rows[0], strict=True))


@pytest.mark.parametrize("key", sorted(CXX))
def test_innovative(serving, key):
    total, innov, growth, spec, eligible, failed, missing = CXX[key]
    a = _assessment(serving, _uscc(serving)[key], "创新型")
    assert (a["total_score"], a["group_innovation"], a["group_growth"], a["group_specialisation"]) == (
        total,
        innov,
        growth,
        spec,
    )
    assert a["eligible"] is eligible
    assert a["failed_conditions"] == failed
    assert a["points_missing"] == missing


@pytest.mark.parametrize("key", sorted(ZJTX))
def test_specialised(serving, key):
    total, g_spec, g_ref, g_feat, g_innov, eligible, failed, missing = ZJTX[key]
    a = _assessment(serving, _uscc(serving)[key], "专精特新")
    assert (
        a["total_score"],
        a["group_specialisation"],
        a["group_refinement"],
        a["group_feature"],
        a["group_innovation"],
    ) == (total, g_spec, g_ref, g_feat, g_innov)
    assert a["eligible"] is eligible
    assert a["failed_conditions"] == failed
    assert a["points_missing"] == missing


@pytest.mark.parametrize("key", sorted(XJR))
def test_little_giant(serving, key):
    eligible, failed = XJR[key]
    a = _assessment(serving, _uscc(serving)[key], "小巨人")
    assert a["eligible"] is eligible
    assert a["failed_conditions"] == failed


def test_direct_pass_only(serving):
    u = _uscc(serving)
    h04 = _assessment(serving, u["H04"], "创新型")
    assert h04["direct_pass_met"] and h04["total_score"] < 60 and h04["eligible"]
    cond = query(
        serving,
        "SELECT direct_pass_conditions FROM marts.tier_assessments WHERE uscc = ? AND assessment_year = 2025 "
        "AND tier = '创新型' AND rule_version = 'v2022'",
        [u["H04"]],
    )[0][0]
    assert cond == "D2 高新技术企业/知识产权示范企业；D4 近3年合格机构投资600万元≥500"
    h05 = _assessment(serving, u["H05"], "专精特新")
    assert h05["direct_pass_met"] and h05["total_score"] < 60 and h05["eligible"]


def test_zero_revenue_flag(serving):
    a = _assessment(serving, _uscc(serving)["H06"], "专精特新")
    assert a["is_zero_revenue"] is True


def test_missing_months(serving):
    u = _uscc(serving)
    # H07 reported January–October 2024 only: YTD at October, incomplete, annualised 1500 × 12 / 10 = 1800.
    row = query(
        serving,
        "SELECT is_complete, last_month, months_reported, revenue, revenue_annualised "
        "FROM marts.enterprise_years WHERE uscc = ? AND year = 2024",
        [u["H07"]],
    )[0]
    assert row == (False, 10, 10, 1500.0, 1800.0)
    assert _assessment(serving, u["H07"], "创新型")["is_data_complete"] is False
    # H08 skipped June but sent December: the December YTD makes the year complete; the gap is flagged.
    row = query(
        serving,
        "SELECT is_complete, has_missing_months, months_reported, revenue "
        "FROM marts.enterprise_years WHERE uscc = ? AND year = 2024",
        [u["H08"]],
    )[0]
    assert row == (True, True, 11, 2400.0)


def test_size_classes(serving):
    u = _uscc(serving)
    got = dict(query(serving, "SELECT uscc, size_class_computed FROM marts.enterprises"))
    # H09: 1200 persons ≥ 1000 and revenue 50000 ≥ 40000 → large. H06: 30 persons but revenue 0 < 300 → micro.
    # H10: 200 persons < 300 (medium floor) → small.
    assert got[u["H09"]] == "large"
    assert got[u["H06"]] == "micro"
    assert got[u["H10"]] == "small"


def test_cultivation_pool(serving):
    u = _uscc(serving)
    inv = {v: k for k, v in u.items()}
    rows = query(serving, "SELECT uscc, target, pool_type FROM marts.cultivation_pool WHERE assessment_year = 2025")
    got = {(inv[r[0]], r[1], r[2]) for r in rows if r[0] in inv}
    assert got == {
        ("H01", "创新型", "符合条件未认定"),
        ("H01", "专精特新", "符合条件未认定"),
        ("H02", "创新型", "符合条件未认定"),
        ("H02", "专精特新", "差一项条件"),  # 研发费用占比 2.9 %
        ("H03", "创新型", "符合条件未认定"),
        ("H03", "专精特新", "差一项条件"),  # 总分 49
        ("H04", "创新型", "符合条件未认定"),  # via 直通
        ("H05", "专精特新", "符合条件未认定"),  # via 直通 (b)
        ("H10", "小巨人", "符合条件未认定"),
        ("H12", "小巨人", "差一项条件"),
        # 小进规 candidates: industrial, not above scale in 2024, full-year 主营业务收入 in [1000, 2000) (issue 14
        # item 4; before: annualised 营业收入, which also listed H07 with 1500 Jan–Oct → 1800): H11 1800 (fell below
        # scale), H04 主营业务收入 1200 (营业收入 3000, but 规上 is measured on 主营业务收入, DOMAIN_RULES §3).
        # H07 reported only to October → no full year → not a candidate.
        ("H11", "规上工业", "小进规候选"),
        ("H04", "规上工业", "小进规候选"),
        # issue 14 item 7: H07's 2024 is incomplete (Jan–Oct) → not assessed; listed apart, once, for the lowest tier
        # it does not hold whose verdict is unknown (创新型). Before: not in the tier pool (55 points, 20 short).
        ("H07", "创新型", "数据不完整"),
    }
    # H09 (large) never enters the pool; H06/H08 are too far away (≥ 20 points, several conditions).


def test_scale_entries(serving):
    u = _uscc(serving)
    inv = {v: k for k, v in u.items()}
    rows = query(serving, "SELECT uscc, year, event_type, prev_state_basis FROM marts.scale_entries")
    got = {(inv[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in inv}
    # H08: registry says 2023 below scale; 2024 YTD 2400 ≥ 2000 → 小进规.
    # H11: registry says 2023 above scale; 2024 full year 1800 < 2000 → 退规.
    assert got == {("H08", 2024, "小进规", "统计部门名录"), ("H11", 2024, "退规", "统计部门名录")}


def test_no_personal_data(serving):
    cols = query(
        serving,
        "SELECT table_schema, table_name, column_name FROM information_schema.columns "
        "WHERE column_name IN ('contact_name', 'contact_phone') AND table_schema <> 'raw'",
    )
    assert cols == []


# ---------------------------------------------------------------------------------------------------------------
# issue 14 items 10 and 11 (helper tiersrules, keys H40–H59): condition codes beside the firm-level text, awards whose
# rank the template does not carry (待核实, never a pass), and 小巨人 品 (六基, not every 战略性新兴产业).
# H40/H41 are H03 with a national award (no rank) / a provincial award ranked top 3; H42/H43 are H10 with
# 战略性新兴产业 instead of 六基 / with 1 Ⅰ类 and a national award (no rank). Same figures, so the scores are H03's and
# H10's above.
NAMES_AWARDS = {
    "H40": "手算四十号材料有限公司",
    "H41": "手算四十一号材料有限公司",
    "H42": "手算四十二号精密有限公司",
    "H43": "手算四十三号精密有限公司",
    "H44": "手算四十四号材料有限公司",
}

# codes of the failed conditions asserted above as text (same order as the text); the text stays for the firm's row.
# (H07, the incomplete year, is left to the item 7 cases.)
CODES = {
    ("创新型", "H05"): ["CXX_TOTAL_LT_60", "CXX_GROWTH_LT_15", "CXX_SPECIALISATION_LT_15"],
    ("创新型", "H06"): ["CXX_TOTAL_LT_60", "CXX_INNOVATION_LT_20", "CXX_GROWTH_LT_15", "CXX_SPECIALISATION_LT_15"],
    ("创新型", "H09"): ["TIER_NOT_SME"],
    ("专精特新", "H02"): ["ZJTX_RD_RATIO_LT_3PCT"],
    ("专精特新", "H03"): ["ZJTX_TOTAL_LT_60"],
    ("专精特新", "H06"): [
        "ZJTX_NICHE_YEARS_LT_2",
        "ZJTX_RD_RATIO_LT_3PCT",
        "ZJTX_REVENUE_LT_1000_EQUITY_LT_2000",
        "ZJTX_TOTAL_LT_60",
    ],
    ("小巨人", "H12"): ["XJR_NICHE_SHARE_LT_10PCT"],
    ("创新型", "H01"): None,
    ("专精特新", "H01"): None,
    ("小巨人", "H10"): None,
}


# =============================================================================================================
# issue 14 items 6, 7, 8 (helper tiersdata; firms H20–H39). Data year 2024 → assessment year 2025, v2022.
# Fixtures: make_hand_cases.py block "issue 14 items 6–8". These firms are kept out of NAMES so that the pool
# assertion above stays about H01–H12; test_issue14_pool asserts their pool rows.
NAMES_ISSUE14_TIERS = {
    "H20": "手算二十号电子有限公司",
    "H21": "手算二十一号电子有限公司",
    "H22": "手算二十二号材料有限公司",
    "H23": "手算二十三号材料有限公司",
    "H24": "手算二十四号精密有限公司",
    "H25": "手算二十五号精密有限公司",
    "H26": "手算二十六号科技有限公司",
    "H27": "手算二十七号科技有限公司",
    "H28": "手算二十八号精密有限公司",
    "H29": "手算二十九号精密有限公司",
    "H30": "手算三十号精密有限公司",
}


def _uscc14(db: Path) -> dict[str, str]:
    return _uscc_of(db, {**NAMES, **NAMES_ISSUE14_TIERS})


def _row(db: Path, uscc: str, tier: str, cols: list[str]) -> dict:
    rows = query(
        db,
        f"SELECT {', '.join(cols)} FROM marts.tier_assessments "
        "WHERE uscc = ? AND assessment_year = 2025 AND tier = ? AND rule_version = 'v2022'",
        [uscc, tier],
    )
    assert len(rows) == 1, (uscc, tier, rows)
    return dict(zip(cols, rows[0], strict=True))


@pytest.mark.parametrize(("tier", "key"), sorted(CODES))
def test_condition_codes(serving, tier, key):
    a = _row(serving, _uscc(serving)[key], tier, ["failed_condition_codes", "failed_conditions"])
    assert a["failed_condition_codes"] == CODES[(tier, key)]
    if CODES[(tier, key)]:  # one code per item of the text
        assert len(a["failed_conditions"].split("；")) == len(CODES[(tier, key)])


def _uscc_awards(db: Path) -> dict[str, str]:
    return _uscc_of(db, NAMES_AWARDS)


def test_award_rank_pending(serving):
    u = _uscc_awards(serving)
    cols = [
        "total_score",
        "eligible",
        "direct_pass_met",
        "direct_pass_status",
        "direct_pass_conditions",
        "failed_conditions",
        "failed_condition_codes",
        "failed_condition_count",
    ]
    # H40 = H03 (专精特新 total 49, E1–E3 met) + 国家级科技奖励 without rank: (a) needs top 5 → 待核实, not eligible;
    # the pending award is listed but not counted (one failed condition: the score).
    h40 = _row(serving, u["H40"], "专精特新", cols)
    assert h40 == {
        "total_score": 49,
        "eligible": False,
        "direct_pass_met": False,
        "direct_pass_status": "待核实",
        "direct_pass_conditions": "(a) 国家级科技奖励（排名待核实，需前五）",
        "failed_conditions": "总分49<60；国家级科技奖励排名待核实（直通需前五）",
        "failed_condition_codes": ["ZJTX_TOTAL_LT_60", "ZJTX_AWARD_RANK_UNVERIFIED"],
        "failed_condition_count": 1,
    }
    # H41 = H03 + 省级科技奖励前三: the rank is in the value → (a) passes, eligible despite 49 < 60.
    h41 = _row(serving, u["H41"], "专精特新", cols)
    assert (
        h41["total_score"],
        h41["eligible"],
        h41["direct_pass_status"],
        h41["direct_pass_conditions"],
        h41["failed_conditions"],
    ) == (49, True, "已满足", "(a) 省级科技奖励前三", None)
    # 创新型 D1 takes a national or provincial award of any rank: both pass D1 (H03 also passes on its score 65).
    for key in ("H40", "H41"):
        cxx = _row(serving, u[key], "创新型", ["eligible", "direct_pass_conditions", "direct_pass_status"])
        assert cxx == {
            "eligible": True,
            "direct_pass_conditions": "D1 省级以上科技奖励",
            "direct_pass_status": "已满足",
        }
    # H43 = H10 (小巨人 eligible) with 1 Ⅰ类 < 2 (G3 fails) + 国家级科技奖励 without rank: the direct route needs top 3
    # → 待核实, not eligible (before: eligible through the unverified award).
    h43 = _row(serving, u["H43"], "小巨人", cols)
    assert (
        h43["eligible"],
        h43["direct_pass_met"],
        h43["direct_pass_status"],
        h43["failed_conditions"],
        h43["failed_condition_codes"],
        h43["failed_condition_count"],
    ) == (
        False,
        False,
        "待核实",
        "Ⅰ类知识产权1<2；国家级科技奖励排名待核实（直通需前三）",
        ["XJR_IP_CLASS1_LT_2", "XJR_AWARD_RANK_UNVERIFIED"],
        1,
    )


def test_little_giant_key_product(serving):
    u = _uscc_awards(serving)
    # H42 = H10 (小巨人 eligible, 补短板；六基) with 补短板；战略性新兴产业: 链 still met, 品 fails (六基 only).
    h42 = _row(serving, u["H42"], "小巨人", ["eligible", "failed_conditions", "failed_condition_codes"])
    assert h42 == {
        "eligible": False,
        "failed_conditions": "主导产品不属于六基/重点领域",
        "failed_condition_codes": ["XJR_PRODUCT_NOT_KEY_FIELD"],
    }


def test_awards_in_pool_and_board(serving):
    u = _uscc_awards(serving)
    inv = {v: k for k, v in u.items()}
    rows = query(
        serving,
        "SELECT uscc, target, pool_type, missing_conditions FROM marts.cultivation_pool WHERE assessment_year = 2025",
    )
    got = {(inv[r[0]], r[1], r[2]) for r in rows if r[0] in inv}
    # H40/H41: 创新型 eligible (score 65 and D1); 专精特新: H40 差一项 (the score; the pending award is not counted),
    # H41 eligible via (a). H42/H43 hold 专精特新: 小巨人 差一项 (品 / Ⅰ类 with the award pending).
    assert got == {
        ("H40", "创新型", "符合条件未认定"),
        ("H40", "专精特新", "差一项条件"),
        ("H41", "创新型", "符合条件未认定"),
        ("H41", "专精特新", "符合条件未认定"),
        ("H42", "小巨人", "差一项条件"),
        ("H43", "小巨人", "差一项条件"),
        ("H44", "创新型", "符合条件未认定"),  # H44's 专精特新: 2 conditions, 13 points short → not in the pool
    }
    # the pool row shows staff what to check
    missing = {(inv[r[0]], r[1]): r[3] for r in rows if r[0] in inv}
    assert missing[("H40", "专精特新")] == "总分49<60；国家级科技奖励排名待核实（直通需前五）"
    # the board groups by code: one bar per code with its Chinese label (no firm figures in it)
    bars = dict(
        query(
            serving,
            "SELECT condition_code, any_value(failed_condition) FROM marts.board_tier_failed_conditions "
            "GROUP BY condition_code",
        )
    )
    assert bars.get("ZJTX_AWARD_RANK_UNVERIFIED") == "专精特新：国家级科技奖励排名待核实（直通需前五）"
    assert bars.get("XJR_PRODUCT_NOT_KEY_FIELD") == "小巨人：主导产品不属于六基/制造强国/网络强国重点领域"
    assert not any("<" in label for label in bars.values())  # labels carry no firm figures ("总分52<60")


def test_blank_niche_start_year(serving):
    # H44 = H03 with a blank 从事细分市场起始年份: niche years unknown (NULL, not 0); E1 fails and the text reads 未填.
    # 专精特新 total = H03's 49 − niche points floor(4/2) = 2 → 47 (专业化 14 → 12).
    u = _uscc_awards(serving)
    a = _row(
        serving,
        u["H44"],
        "专精特新",
        ["niche_years", "total_score", "group_specialisation", "failed_conditions", "failed_condition_codes"],
    )
    assert a == {
        "niche_years": None,
        "total_score": 47,
        "group_specialisation": 12,
        "failed_conditions": "细分市场年限未填<2年；总分47<60",
        "failed_condition_codes": ["ZJTX_NICHE_YEARS_LT_2", "ZJTX_TOTAL_LT_60"],
    }


def test_issue14_equity_paid_in(serving):
    """Item 6: equity counts in the year of its 放款日期; windows 2022-01-01..2024-12-31 (3 y), 2023-01-01.. (2 y)."""
    u = _uscc14(serving)
    cols = ["qualified_equity_2y", "qualified_equity_3y", "dp_qualified_equity", "direct_pass_met", "eligible"]
    # H20: 500 paid in on 2022-01-01, the first day of the 3-year window → 3y = 500 ≥ 500 → D4; its score is only 5
    # (H04's figures without 高新), so D4 is what makes it eligible.
    assert _row(serving, u["H20"], "创新型", cols) == dict(
        qualified_equity_2y=0.0,
        qualified_equity_3y=500.0,
        dp_qualified_equity=True,
        direct_pass_met=True,
        eligible=True,
    )
    # H21: 500 paid in on 2021-12-31 (one day before the window) and 600 approved in 2024 without a 放款日期
    # (before 2026-11 the approval counted by its application year: 3y would have been 600 → D4 met) → 0, fails.
    assert _row(serving, u["H21"], "创新型", cols) == dict(
        qualified_equity_2y=0.0,
        qualified_equity_3y=0.0,
        dp_qualified_equity=False,
        direct_pass_met=False,
        eligible=False,
    )
    cols = ["revenue", "qualified_equity_2y", "qualified_equity_3y", "gate_revenue_or_equity"]
    # H22: revenue 800 < 1000; 2000 paid in on 2023-01-01 (first day of the 2-year window) → E3 holds; the 5000
    # approved in 2024 but not paid in does not count (2y stays 2000, not 7000).
    assert _row(serving, u["H22"], "专精特新", cols) == dict(
        revenue=800.0, qualified_equity_2y=2000.0, qualified_equity_3y=2000.0, gate_revenue_or_equity=True
    )
    # H23: same 2000 paid in on 2022-12-31 (one day before the 2-year window; still inside the 3-year one) → E3 fails.
    assert _row(serving, u["H23"], "专精特新", cols) == dict(
        revenue=800.0, qualified_equity_2y=0.0, qualified_equity_3y=2000.0, gate_revenue_or_equity=False
    )
    cols = ["revenue", "qualified_equity_2y", "rd_expense_2y", "rd_staff_ratio", "gate_rd_intensity", "eligible"]
    # H24 (小巨人, revenue 4000 < 5000 route): 8000 paid in on 2024-12-31 (last day of the window) ≥ 8000; R&D
    # 1600 + 1500 = 3100 ≥ 3000; R&D staff 60/100 = 60% ≥ 50% → G1 holds; every other condition holds (H10-like).
    assert _row(serving, u["H24"], "小巨人", cols) == dict(
        revenue=4000.0,
        qualified_equity_2y=8000.0,
        rd_expense_2y=3100.0,
        rd_staff_ratio=0.6,
        gate_rd_intensity=True,
        eligible=True,
    )
    # H25: the same 8000 paid in on 2025-01-01 (one day after the window) → 0 → G1 fails, not eligible.
    assert _row(serving, u["H25"], "小巨人", cols) == dict(
        revenue=4000.0,
        qualified_equity_2y=0.0,
        rd_expense_2y=3100.0,
        rd_staff_ratio=0.6,
        gate_rd_intensity=False,
        eligible=False,
    )


def test_issue14_incomplete_year(serving):
    """Item 7: a data year without its December report is not assessed; no partial year is read as a whole one."""
    u = _uscc14(serving)
    cols = [
        "is_data_complete",
        "data_status",
        "revenue",
        "main_revenue_growth",
        "total_score",
        "eligible",
        "failed_conditions",
        "failed_condition_count",
        "points_missing",
    ]
    # H26: H01's profile and figures, but 2024 reported January–November only → every tier unknown (H01 passes
    # all three on the full year; no direct pass applies).
    for tier in ("创新型", "专精特新", "小巨人"):
        assert _row(serving, u["H26"], tier, cols) == dict(
            is_data_complete=False,
            data_status="数据不完整（缺 12 月）",
            revenue=None,
            main_revenue_growth=None,
            total_score=None,
            eligible=None,
            failed_conditions=None,
            failed_condition_count=None,
            points_missing=None,
        )
    # H07: January–October → missing 11 and 12.
    assert _row(serving, u["H07"], "创新型", ["data_status", "eligible"]) == dict(
        data_status="数据不完整（缺 11、12 月）", eligible=None
    )
    # H27: 2024 complete (H01's figures) but 2023 reported January–June only (YTD 2200 at June). The growth would
    # read 5060/2200−1 = 130% → 20 points; it is not computed (NULL → 0 points): IP 20 + R&D 6% 20 = 40;
    # growth 0 + debt 45% 10 = 10; domain 10 + 主营 92% 20 = 30; total 80 ≥ 60 but growth group 10 < 15 → fails
    # on exactly that condition. R&D ratio of 2023 is not computed either.
    a = _row(
        serving,
        u["H27"],
        "创新型",
        [
            "is_data_complete",
            "data_status",
            "main_revenue_growth",
            "rd_ratio_prev",
            "total_score",
            "group_growth",
            "eligible",
            "failed_condition_count",
        ],
    )
    assert a == dict(
        is_data_complete=True,
        data_status=None,
        main_revenue_growth=None,
        rd_ratio_prev=None,
        total_score=80,
        group_growth=10,
        eligible=False,
        failed_condition_count=1,
    )
    # 专精特新 for H27: growth_2y (needs 2023) NULL → 0 instead of H01's 10: total 90 − 10 = 80 ≥ 60, gates hold.
    assert _row(serving, u["H27"], "专精特新", ["main_revenue_growth_2y", "total_score", "eligible"]) == dict(
        main_revenue_growth_2y=None, total_score=80, eligible=True
    )


def test_issue14_title_expiry(serving):
    """Item 8: a title granted in G counts for data years G, G+1, G+2; from G+3 it is 复核到期 unless renewed."""
    u = _uscc14(serving)
    got = {
        (r[0], r[1]): r[2:]
        for r in query(
            serving,
            "SELECT uscc, profile_year, title_status, valid_title, title_valid_until FROM marts.enterprise_profiles",
        )
    }
    assert got[(u["H10"], 2024)] == ("有效", "专精特新", 2024)  # granted 2022, data year 2024 = G+2 (edge)
    assert got[(u["H28"], 2024)] == ("复核到期", "无", 2023)  # granted 2021, data year 2024 = G+3
    assert got[(u["H30"], 2024)] == ("复核到期", "无", 2023)  # 小巨人 granted 2021
    assert got[(u["H29"], 2023)] == ("有效", "专精特新", 2023)  # 2021 grant, data year 2023 = G+2
    assert got[(u["H29"], 2024)] == ("有效", "专精特新", 2026)  # renewed: new grant 2024
    cols = [
        "current_title",
        "granted_title",
        "title_status",
        "holds_tier",
        "gate_title_prerequisite",
        "eligible",
        "failed_condition_count",
    ]
    # H28 (H10's figures): the expired 专精特新 no longer holds the tier (assessed: H10 scores 81 → eligible) and is
    # no 小巨人 prerequisite (the only failed condition; H10 itself passes 小巨人).
    assert _row(serving, u["H28"], "专精特新", cols)["holds_tier"] is False
    assert _row(serving, u["H28"], "专精特新", cols)["eligible"] is True
    assert _row(serving, u["H28"], "小巨人", cols) == dict(
        current_title="无",
        granted_title="专精特新",
        title_status="复核到期",
        holds_tier=False,
        gate_title_prerequisite=False,
        eligible=False,
        failed_condition_count=1,
    )
    # H29: renewed in 2024 → holds 专精特新, the prerequisite holds, 小巨人 eligible (H10's figures).
    assert _row(serving, u["H29"], "小巨人", cols) == dict(
        current_title="专精特新",
        granted_title="专精特新",
        title_status="有效",
        holds_tier=False,
        gate_title_prerequisite=True,
        eligible=True,
        failed_condition_count=0,
    )
    assert _row(serving, u["H29"], "专精特新", cols)["holds_tier"] is True
    # H30: expired 小巨人 → holds nothing, not even 创新型.
    assert _row(serving, u["H30"], "创新型", cols)["holds_tier"] is False
    # T04 counts valid 专精特新/小巨人 titles only: granted 2022 or later for data year 2024 (H28, H30 drop out).
    t04 = query(serving, "SELECT actual FROM marts.plan_targets WHERE target_id = 'T04' AND year = 2024")[0][0]
    expected = query(
        serving,
        "SELECT count(DISTINCT uscc) FROM marts.enterprise_profiles WHERE profile_year = 2024 "
        "AND current_title IN ('专精特新', '小巨人') AND title_year >= 2022",
    )[0][0]
    titled = query(
        serving,
        "SELECT count(DISTINCT uscc) FROM marts.enterprise_profiles WHERE profile_year = 2024 "
        "AND current_title IN ('专精特新', '小巨人')",
    )[0][0]
    assert t04 == expected and titled - expected >= 2


def test_issue14_pool(serving):
    """Items 6–8 in the cultivation pool (hand-computed per firm; see the comments of the tests above)."""
    u = _uscc14(serving)
    mine = {u[k]: k for k in NAMES_ISSUE14_TIERS}
    rows = query(
        serving,
        "SELECT uscc, target, pool_type, is_candidate, is_eligible, title_status, data_status "
        "FROM marts.cultivation_pool WHERE assessment_year = 2025 AND target <> '规上工业'",
    )
    got = {(mine[r[0]], r[1], r[2]) for r in rows if r[0] in mine}
    assert got == {
        ("H20", "创新型", "符合条件未认定"),  # via D4 (paid in 2022-01-01)
        # H22: 创新型 IP 0 + R&D 12.5% 20 | growth 700/600−1 = 16.7% 20 + debt 40% 10 | domain 5 + 主营 87.5% 20 = 75;
        # 专精特新 gates hold (E3 by equity), score 8 + 9 + 0 + 13 = 30 < 60 → one condition.
        ("H22", "创新型", "符合条件未认定"),
        ("H22", "专精特新", "差一项条件"),
        ("H23", "创新型", "符合条件未认定"),  # E3 fails too → two conditions, 30 short
        ("H24", "小巨人", "符合条件未认定"),
        ("H25", "小巨人", "差一项条件"),  # G1 by paid-in equity / one day late
        ("H26", "创新型", "数据不完整"),  # listed apart, once
        ("H27", "创新型", "差一项条件"),
        ("H27", "专精特新", "符合条件未认定"),
        # H28: expired 专精特新 → 复核到期 (would pass again); 创新型 80 → eligible; 小巨人 only the prerequisite fails.
        ("H28", "创新型", "符合条件未认定"),
        ("H28", "专精特新", "复核到期"),
        ("H28", "小巨人", "差一项条件"),
        ("H29", "小巨人", "符合条件未认定"),
        ("H30", "创新型", "符合条件未认定"),
        ("H30", "专精特新", "符合条件未认定"),
        ("H30", "小巨人", "复核到期"),
    }
    by_key = {(mine[r[0]], r[1]): r[3:] for r in rows if r[0] in mine}
    # 复核到期 rows are listed apart, never pool candidates (not counted in T05), whatever the verdict
    assert by_key[("H28", "专精特新")] == (False, True, "复核到期", None)  # would pass again (is_eligible)
    assert by_key[("H30", "小巨人")] == (False, False, "复核到期", None)  # one condition short (the prerequisite)
    assert by_key[("H26", "创新型")] == (False, None, "无", "数据不完整（缺 12 月）")


# Block P01–P30 (issue 14 items 4 and 5, helper plansignals). Firms written by plan_signals_rows() in
# make_hand_cases.py; every one industrial (C 3484), 武汉. Size classes (300号, industrial): small = 20–300 persons
# and 营业收入 300–2000 … ; medium = ≥ 300 persons and ≥ 2000; large = ≥ 1000 persons and ≥ 40000.
PLAN_NAMES = {
    "P01": "手算进规一号机械有限公司",
    "P02": "手算进规二号机械有限公司",
    "P03": "手算进规三号机械有限公司",
    "P04": "手算进规四号机械有限公司",
    "P05": "手算进规五号机械有限公司",
    "P06": "手算进规六号机械有限公司",
    "P11": "手算目标十一号电子有限公司",
    "P12": "手算目标十二号电子有限公司",
    "P13": "手算目标十三号电子有限公司",
    "P14": "手算目标十四号电子有限公司",
    "P15": "手算目标十五号电子有限公司",
    "P16": "手算目标十六号电子有限公司",
}


def _plan_uscc(db: Path) -> dict[str, str]:
    return _uscc_of(db, PLAN_NAMES)


def test_scale_entries_once_per_spell(serving):
    inv = {v: k for k, v in _plan_uscc(serving).items()}
    rows = query(serving, "SELECT uscc, year, event_type, entry_basis, confirmed_year FROM marts.scale_entries")
    got = {(inv[r[0]], *r[1:]) for r in rows if r[0] in inv}
    assert got == {
        # P01: registry 否 2022, 否 2023, 是 2024; 营业收入 2023 = 2100 ≥ 2000 → provisional entry 2023; the 2024
        #      listing confirms it (confirmed_year 2024) and is not a second entry (before issue 14: 2023 and 2024).
        ("P01", 2023, "小进规", "营业收入达标", 2024),
        # P02: registry 否 2022–2024; 营业收入 2023 = 2000 exactly (≥ 2000) → entry 2023; 2024 = 2300 again, never
        #      listed, never left scale → no second entry (before: 2023 and 2024).
        ("P02", 2023, "小进规", "营业收入达标", None),
        # P03: 否 2021 → 是 2022 (newly listed, 营业收入 2300): entry 2022; 是 2022 → 否 2023: 退规 2023;
        #      否 2023 → 是 2024: a new spell, second entry 2024.
        ("P03", 2022, "小进规", "统计部门名录新增", 2022),
        ("P03", 2023, "退规", None, None),
        ("P03", 2024, "小进规", "统计部门名录新增", 2024),
        # P04: 2023 400 persons and 营业收入 2100 → medium the year before entry; 2024 (否 2023, 2300) is its first
        #      candidate but a medium firm's → no 小进规 (before: 小进规 2024). Not a candidate in 2023: 2022 unknown.
    }


def test_scale_candidates_full_year_main_revenue(serving):
    inv = {v: k for k, v in _plan_uscc(serving).items()}
    rows = query(
        serving,
        "SELECT uscc, pool_type, missing_conditions FROM marts.cultivation_pool "
        "WHERE assessment_year = 2025 AND target = '规上工业'",
    )
    got = {(inv[r[0]], r[1], r[2]) for r in rows if r[0] in inv}
    # P05: full year 2024, 主营业务收入 1000 (lower edge, included) while 营业收入 1600 → candidate.
    # P06: full year 2024, 主营业务收入 999.99 < 1000 → not a candidate, although 营业收入 1300 (annualised 1300) was
    #      inside [1000, 2000) under the old rule.
    # P01–P04 have 主营业务收入 ≥ 2000 in 2024 → not candidates.
    assert got == {("P05", "小进规候选", "全年主营业务收入1000.00万元<2000万元")}


def test_plan_targets_t07_to_t10(serving):
    rows = query(
        serving,
        "SELECT target_id, actual, source, platform_estimate, estimate_coverage, prev_year_actual, "
        "on_track, panel_firms FROM marts.plan_targets WHERE year = 2021 "
        "AND target_id IN ('T07', 'T08', 'T09', 'T10')",
    )
    got = {r[0]: r[1:] for r in rows}
    # T07/T08 2021: above-scale industrial firms with a December 2021 YTD: P14 (large: 1200 persons, 60000) and P16
    #   (medium: 400 persons, 20000). Estimate = SME share = 20000 / 80000 = 0.25 (revenue), 2000 / 8000 = 0.25
    #   (profit). No official statistic for 2021 in the seed → actual NULL: the estimate is never the actual
    #   (before issue 14 the 0.25 was the actual, source computed).
    coverage = "报送全年数据的规上工业企业2家，其中大型1家"
    assert got["T07"] == (None, None, pytest.approx(0.25), coverage, None, None, None)
    assert got["T08"] == (None, None, pytest.approx(0.25), coverage, None, None, None)
    # T09 2021, SMEs on the like-for-like panel (same firm, same month, 2020 and 2021):
    #   P11 months 1–3: power 4+4+4 = 12 on 营业收入 300 (2020: 15 on 300);
    #   P12 months 1–2 only (2021 has no March; March 2020's 100 power is left out): 18 on 400 (2020: 20 on 400);
    #   P15 months 1–3: 6 on 150 (2020: 9 on 150);
    #   P13 reports 2021 only, P14 is large → out.
    #   2021 = 36 / 850 = 0.042353; 2020 on the same panel = 44 / 850 = 0.051765 → falls → on track.
    t09 = got["T09"]
    assert t09[0] == pytest.approx(36 / 850) and t09[4] == pytest.approx(44 / 850)
    assert t09[1] == "computed" and t09[5] is True and t09[6] == 3
    # T10 2021, YTD at the latest month both years report with R&D: P11 March 12/300 (2020: 9/300);
    #   P12 February 16/400 (2020: 10/400); P15 left R&D blank in 2021 → out of numerator and denominator
    #   (with its 150 in the denominator the ratio would be 28/850).
    #   2021 = 28 / 700 = 0.04; 2020 = 19 / 700 = 0.027143 → rises → on track.
    t10 = got["T10"]
    assert t10[0] == pytest.approx(28 / 700) and t10[4] == pytest.approx(19 / 700)
    assert t10[5] is True and t10[6] == 2


# Arrears (issue 14 items 1–3), cases A01–A06 of make_hand_cases.ARREARS; ledger 2025-12-31 (A06: 2025-12-28, 黄石).
# DOMAIN_RULES §4: base = acceptance date if any, else delivery; regulation by delivery date (802号 from 2025-06-01);
# 机关/事业单位 30 days; large firm 60 days under 802号 and NO statutory term under 728号; interest 0.0005 per day on
# the unpaid amount of undisputed cases only.
# case: (regulation, term basis, due date, days overdue, ageing bucket, outstanding, late interest)
ARREARS_CASES = {
    # delivered 2025-05-31 (728号), large, no term → no due date; was 2025-05-31 + 60 = 2025-07-30, 154 days, 7.7
    "A01": ("728号", "no_term_728", None, None, "期限未约定", 100.0, None),
    # delivered 2025-06-01 (802号) → 2025-07-31; 2025-12-31 − 2025-07-31 = 153 days; 100 × 153 × 0.0005 = 7.65
    "A02": ("802号", "statutory_large_802", "2025-07-31", 153, "91–180天", 100.0, 7.65),
    # delivered 2025-05-20 (728号), accepted 2025-06-10: still 728号 → no due date; unpaid 200 − 50 = 150
    "A03": ("728号", "no_term_728", None, None, "期限未约定", 150.0, None),
    # 机关, 2025-05-31 + 30 = 2025-06-30; 184 days; disputed → no interest estimate
    "A04": ("728号", "statutory_public", "2025-06-30", 184, "181–365天", 80.0, None),
    # agreed 30 days: 2025-03-31; 275 days; 诉讼中 → no interest estimate
    "A05": ("728号", "agreed", "2025-03-31", 275, "181–365天", 60.0, None),
    # 机关 (黄石 county), 2025-08-01 + 30 = 2025-08-31; at 2025-12-28: 119 days; 40 × 119 × 0.0005 = 2.38
    "A06": ("802号", "statutory_public", "2025-08-31", 119, "91–180天", 40.0, 2.38),
}


def _arrears_cases(db: Path) -> dict:
    rows = query(
        db,
        "SELECT case_id, regulation_version, payment_term_basis, strftime(due_date, '%Y-%m-%d'), "
        "days_overdue, ageing_bucket, outstanding, late_interest_est FROM marts.arrears_cases "
        "WHERE case_id LIKE 'HC-QQ-%'",
    )
    return {r[0].removeprefix("HC-QQ-"): tuple(r[1:]) for r in rows}


def test_arrears_due_dates_and_interest(serving):
    got = _arrears_cases(serving)
    assert set(got) == set(ARREARS_CASES)
    for key, (reg, basis, due, days, bucket, unpaid, interest) in ARREARS_CASES.items():
        r = got[key]
        assert r[:6] == (reg, basis, due, days, bucket, unpaid), key
        assert r[6] == (None if interest is None else pytest.approx(interest)), key


def test_arrears_no_overdue_alert_without_due_date(serving):
    from ingest.uscc import make

    by_uscc = {make("420100", f"QK{int(k[1:]):06d}"): k for k in ARREARS_CASES}  # as make_hand_cases.arrears_uscc
    rows = query(
        serving,
        "SELECT uscc, strftime(period, '%Y-%m'), metric_value, metric_unit FROM marts.enterprise_alerts "
        "WHERE alert_code = 'arrears_overdue_90d'",
    )
    got = {(by_uscc[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in by_uscc}
    # A01/A03 have no due date → no alert (A01 fired before: 154 days). A06 is on 黄石's own latest ledger of December
    # (2025-12-28), not on the province-wide 2025-12-31, and still fires.
    assert got == {
        ("A02", "2025-12", 153.0, "天"),
        ("A04", "2025-12", 184.0, "天"),
        ("A05", "2025-12", 275.0, "天"),
        ("A06", "2025-12", 119.0, "天"),
    }


def test_arrears_progress_counts_cases_without_due_date(serving):
    rows = query(
        serving,
        "SELECT cases, amount, repaid, clearance_rate, no_term_cases, no_term_outstanding, overdue_cases, "
        "late_interest_est, is_latest_ledger, debtor_level FROM marts.arrears_progress "
        "WHERE as_of = DATE '2025-12-31' AND region_code = '420100' AND debtor_type = '国有大型企业'",
    )
    # A01 + A03: amount 100 + 200 = 300, repaid 50 → 50 / 300; both 期限未约定 (unpaid 100 + 150), neither overdue
    assert rows == [(2, 300.0, 50.0, pytest.approx(50 / 300), 2, 250.0, 0, 0.0, True, "市级")]
    # 黄石 filed on 2025-12-28: that is its latest ledger even though 武汉's is 2025-12-31
    rows = query(
        serving,
        "SELECT as_of, is_latest_ledger, debtor_level, region_name FROM marts.arrears_progress "
        "WHERE region_code = '420200'",
    )
    assert [(str(r[0]), r[1], r[2], r[3]) for r in rows] == [("2025-12-28", True, "县级", "黄石市")]
