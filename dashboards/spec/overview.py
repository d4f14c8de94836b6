"""Board 全省中小企业运行总览: its charts (CHARTS) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import AMT, DEC2, INT, PCT, PCT_SIGNED, Board, kpi_trend, md, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import OPERATING_MONTHS

LATEST = ["is_latest_period"]

CHARTS = [
    kpi_trend("ops_rev_mom", "当月营业收入（万元）· 环比", OPERATING_MONTHS, "revenue_month", 1, "较上月", fmt=AMT),
    kpi_trend(
        "ops_rev_yoy", "当月营业收入（万元）· 同比", OPERATING_MONTHS, "revenue_month", 12, "较上年同月", fmt=AMT
    ),
    kpi_trend(
        "ops_rev_ytd_yoy",
        "营业收入累计同比（同口径）",
        OPERATING_MONTHS,
        "revenue_ytd_yoy",
        1,
        "较上月",
        fmt=PCT_SIGNED,
    ),
    kpi_trend("ops_cost100", "每百元营业收入成本（元）", OPERATING_MONTHS, "cost_per_100", 12, "较上年同期", fmt=DEC2),
    kpi_trend("ops_loss", "亏损面", OPERATING_MONTHS, "loss_share", 12, "较上年同期", fmt=PCT),
    kpi_trend("ops_firms", "报送企业数", OPERATING_MONTHS, "firms", 1, "较上月", fmt=INT),
    table(
        "ops_by_region",
        "各市州运行情况（最新报告期）",
        OPERATING_MONTHS,
        groupby=["region_name"],
        metrics=["firms", "revenue_ytd", "revenue_ytd_yoy", "profit_ytd", "cost_per_100", "loss_share", "debt_ratio"],
        where=LATEST,
        order=[("revenue_ytd", False)],
        page=20,
    ),
    series(
        "ops_by_section",
        "分门类营业收入累计（最新报告期，万元）",
        "echarts_timeseries_bar",
        OPERATING_MONTHS,
        ["revenue_ytd"],
        x="section_name",
        where=LATEST,
        horizontal=True,
        fmt=AMT,
    ),
    series(
        "ops_cost100_trend",
        "每百元营业收入成本走势（元）",
        "echarts_timeseries_line",
        OPERATING_MONTHS,
        ["cost_per_100"],
        fmt=DEC2,
        zero_based=False,
    ),
    series(
        "ops_revenue_trend",
        "月度营业收入（万元）",
        "echarts_timeseries_bar",
        OPERATING_MONTHS,
        ["revenue_month"],
        fmt=AMT,
    ),
    series(
        "ops_yoy_by_size",
        "营业收入累计同比（分规模）",
        "echarts_timeseries_line",
        OPERATING_MONTHS,
        ["revenue_ytd_yoy"],
        groupby=["size_class_name"],
        fmt=PCT_SIGNED,
    ),
]

BOARD = Board(
    "overview",
    "全省中小企业运行总览",
    "overview",
    [
        [
            ("ops_rev_mom", 2, 40),
            ("ops_rev_yoy", 2, 40),
            ("ops_rev_ytd_yoy", 2, 40),
            ("ops_cost100", 2, 40),
            ("ops_loss", 2, 40),
            ("ops_firms", 2, 40),
        ],
        [("ops_by_region", 7, 80), ("ops_by_section", 5, 80)],
        [("ops_revenue_trend", 4, 55), ("ops_cost100_trend", 4, 55), ("ops_yoy_by_size", 4, 55)],
        md(
            "**口径**：营业收入累计同比按上年同期也报送的企业同口径计算；每百元营业收入成本 = 营业成本累计 ÷ 营业收入累计 × 100。"
            "表格和分门类图取最新报告期；“报告期”筛选作用于走势图与指标卡。" + NOTE,
            12,
        ),
    ],
    ["region", "section", "size", "period"],
    "全省中小企业主要经济指标、环比同比、分市州分行业、每百元营业收入成本。",
    excluded={"period": ["ops_by_region", "ops_by_section"]},
)
