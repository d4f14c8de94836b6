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

FIX = Path(__file__).resolve().parent / "fixtures" / "hand_cases"
NAMES = {  # short key -> enterprise name in the fixture
    "H01": "手算一号科技有限公司", "H02": "手算二号机械有限公司", "H03": "手算三号材料有限公司",
    "H04": "手算四号电子有限公司", "H05": "手算五号装备有限公司", "H06": "手算六号生物有限公司",
    "H07": "手算七号食品有限公司", "H08": "手算八号包装有限公司", "H09": "手算九号汽车零部件有限公司",
    "H10": "手算十号精密有限公司", "H11": "手算十一号铸造有限公司", "H12": "手算十二号精密有限公司",
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
    # H07 (Jan–Oct only; YTD at October): IP 0; R&D 0 → 0; growth 1500/1200−1 = 25% → 20;
    #      debt 800/2000 = 40% → 10; domain 5; 主营 100% → 20. total 55; innovation 0.
    #      points missing = max(5, 20) = 20.
    "H07": (55, 0, 30, 25, False, "总分55<60；创新能力得分0<20", 20),
    # H09 (large: 1200 persons, revenue 50000 ≥ 1000 / 40000): IP 20; R&D 3000/50000 = 6% → 20;
    #      growth 46000/40000−1 = 15% → 20; debt 27000/60000 = 45% → 10; domain 10; 主营 92% → 20 → 100,
    #      but the common gate (SME under 300号) fails.
    "H09": (100, 40, 30, 30, False, "非中小企业（划型：large）", 0),
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
    "H06": (16, 0, 5, 0, 11, False,
            "细分市场年限1<2年；研发费用占比—<3%；营业收入0万元<1000万元且近2年合格机构投资<2000万元；总分16<60", 44),
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
    proc = run_pipeline(home, {
        "enterprises": [FIX / "enterprises_hand_cases.csv"],
        "operating": [FIX / "operating_hand_cases.csv"],
        "financing": [FIX / "financing_hand_cases.csv"],
        "arrears": [FIX / "arrears_hand_cases.csv"],
    })
    db = home / "warehouse" / "serving.duckdb"
    assert proc.returncode == 0 and db.exists(), f"pipeline failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return db


def _uscc(db: Path) -> dict[str, str]:
    rows = query(db, "SELECT enterprise_name, uscc FROM marts.enterprises")
    by_name = dict(rows)
    return {k: by_name[v] for k, v in NAMES.items()}


def _assessment(db: Path, uscc: str, tier: str) -> dict:
    cols = ["total_score", "group_innovation", "group_growth", "group_specialisation", "group_refinement", "group_feature",
            "eligible", "failed_conditions", "points_missing", "direct_pass_met", "is_zero_revenue", "is_data_complete"]
    rows = query(db, f"SELECT {', '.join(cols)} FROM marts.tier_assessments "
                     "WHERE uscc = ? AND assessment_year = 2025 AND tier = ? AND rule_version = 'v2022'", [uscc, tier])
    assert len(rows) == 1, (uscc, tier, rows)
    return dict(zip(cols, rows[0], strict=True))


@pytest.mark.parametrize("key", sorted(CXX))
def test_innovative(serving, key):
    total, innov, growth, spec, eligible, failed, missing = CXX[key]
    a = _assessment(serving, _uscc(serving)[key], "创新型")
    assert (a["total_score"], a["group_innovation"], a["group_growth"], a["group_specialisation"]) == (total, innov, growth, spec)
    assert a["eligible"] is eligible
    assert a["failed_conditions"] == failed
    assert a["points_missing"] == missing


@pytest.mark.parametrize("key", sorted(ZJTX))
def test_specialised(serving, key):
    total, g_spec, g_ref, g_feat, g_innov, eligible, failed, missing = ZJTX[key]
    a = _assessment(serving, _uscc(serving)[key], "专精特新")
    assert (a["total_score"], a["group_specialisation"], a["group_refinement"], a["group_feature"], a["group_innovation"]) == (
        total, g_spec, g_ref, g_feat, g_innov)
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
    cond = query(serving, "SELECT direct_pass_conditions FROM marts.tier_assessments WHERE uscc = ? AND assessment_year = 2025 "
                          "AND tier = '创新型' AND rule_version = 'v2022'", [u["H04"]])[0][0]
    assert cond == "D2 高新技术企业/知识产权示范企业；D4 近3年合格机构投资600万元≥500"
    h05 = _assessment(serving, u["H05"], "专精特新")
    assert h05["direct_pass_met"] and h05["total_score"] < 60 and h05["eligible"]


def test_zero_revenue_flag(serving):
    a = _assessment(serving, _uscc(serving)["H06"], "专精特新")
    assert a["is_zero_revenue"] is True


def test_missing_months(serving):
    u = _uscc(serving)
    # H07 reported January–October 2024 only: YTD at October, incomplete, annualised 1500 × 12 / 10 = 1800.
    row = query(serving, "SELECT is_complete, last_month, months_reported, revenue, revenue_annualised "
                         "FROM marts.enterprise_years WHERE uscc = ? AND year = 2024", [u["H07"]])[0]
    assert row == (False, 10, 10, 1500.0, 1800.0)
    assert _assessment(serving, u["H07"], "创新型")["is_data_complete"] is False
    # H08 skipped June but sent December: the December YTD makes the year complete; the gap is flagged.
    row = query(serving, "SELECT is_complete, has_missing_months, months_reported, revenue "
                         "FROM marts.enterprise_years WHERE uscc = ? AND year = 2024", [u["H08"]])[0]
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
        ("H01", "创新型", "符合条件未认定"), ("H01", "专精特新", "符合条件未认定"),
        ("H02", "创新型", "符合条件未认定"), ("H02", "专精特新", "差一项条件"),   # 研发费用占比 2.9 %
        ("H03", "创新型", "符合条件未认定"), ("H03", "专精特新", "差一项条件"),   # 总分 49
        ("H04", "创新型", "符合条件未认定"),                                        # via 直通
        ("H05", "专精特新", "符合条件未认定"),                                      # via 直通 (b)
        ("H10", "小巨人", "符合条件未认定"), ("H12", "小巨人", "差一项条件"),
        # 小进规 candidates: industrial, not above scale in 2024, annualised revenue in [1000, 2000):
        # H07 1800 (annualised from October), H11 1800 (fell below scale).
        ("H07", "规上工业", "小进规候选"), ("H11", "规上工业", "小进规候选"),
    }
    # H09 (large) never enters the pool; H06/H07/H08 are too far away (≥ 20 points, several conditions).


def test_scale_entries(serving):
    u = _uscc(serving)
    inv = {v: k for k, v in u.items()}
    rows = query(serving, "SELECT uscc, year, event_type, prev_state_basis FROM marts.scale_entries")
    got = {(inv[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in inv}
    # H08: registry says 2023 below scale; 2024 YTD 2400 ≥ 2000 → 小进规.
    # H11: registry says 2023 above scale; 2024 full year 1800 < 2000 → 退规.
    assert got == {("H08", 2024, "小进规", "统计部门名录"), ("H11", 2024, "退规", "统计部门名录")}


def test_no_personal_data(serving):
    cols = query(serving, "SELECT table_schema, table_name, column_name FROM information_schema.columns "
                          "WHERE column_name IN ('contact_name', 'contact_phone') AND table_schema <> 'raw'")
    assert cols == []


# ---------------------------------------------------------------------------------------------------------------
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
    rows = query(db, "SELECT case_id, regulation_version, payment_term_basis, strftime(due_date, '%Y-%m-%d'), "
                     "days_overdue, ageing_bucket, outstanding, late_interest_est FROM marts.arrears_cases "
                     "WHERE case_id LIKE 'HC-QQ-%'")
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
    rows = query(serving, "SELECT uscc, strftime(period, '%Y-%m'), metric_value, metric_unit FROM marts.enterprise_alerts "
                          "WHERE alert_code = 'arrears_overdue_90d'")
    got = {(by_uscc[r[0]], r[1], r[2], r[3]) for r in rows if r[0] in by_uscc}
    # A01/A03 have no due date → no alert (A01 fired before: 154 days). A06 is on 黄石's own latest ledger of December
    # (2025-12-28), not on the province-wide 2025-12-31, and still fires.
    assert got == {("A02", "2025-12", 153.0, "天"), ("A04", "2025-12", 184.0, "天"), ("A05", "2025-12", 275.0, "天"),
                   ("A06", "2025-12", 119.0, "天")}


def test_arrears_progress_counts_cases_without_due_date(serving):
    rows = query(serving, "SELECT cases, amount, repaid, clearance_rate, no_term_cases, no_term_outstanding, overdue_cases, "
                          "late_interest_est, is_latest_ledger, debtor_level FROM marts.arrears_progress "
                          "WHERE as_of = DATE '2025-12-31' AND region_code = '420100' AND debtor_type = '国有大型企业'")
    # A01 + A03: amount 100 + 200 = 300, repaid 50 → 50 / 300; both 期限未约定 (unpaid 100 + 150), neither overdue
    assert rows == [(2, 300.0, 50.0, pytest.approx(50 / 300), 2, 250.0, 0, 0.0, True, "市级")]
    # 黄石 filed on 2025-12-28: that is its latest ledger even though 武汉's is 2025-12-31
    rows = query(serving, "SELECT as_of, is_latest_ledger, debtor_level, region_name FROM marts.arrears_progress "
                          "WHERE region_code = '420200'")
    assert [(str(r[0]), r[1], r[2], r[3]) for r in rows] == [("2025-12-28", True, "县级", "黄石市")]
