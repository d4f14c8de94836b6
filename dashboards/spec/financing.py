"""Board 融资服务: its charts (CHARTS) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import AMT, DEC2, INT, PCT, Board, kpi, md, pie, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import FINANCING_APPLICATIONS, FINANCING_SUMMARY

CHARTS = [
    kpi(
        "fin_approval_latest",
        "获批率（最新月份）",
        FINANCING_SUMMARY,
        "approval_rate",
        where=["is_all_channels", "is_latest_month"],
        fmt=PCT,
    ),
    kpi(
        "fin_gap_latest",
        "融资缺口（最新月份，万元）",
        FINANCING_SUMMARY,
        "gap",
        where=["is_all_channels", "is_latest_month"],
        subtitle="企业报告融资需求 − 获批金额",
        fmt=AMT,
    ),
    kpi(
        "fin_inclusive_latest",
        "普惠小微占比（最新月份）",
        FINANCING_SUMMARY,
        "inclusive_share",
        where=["is_all_channels", "is_latest_month"],
        fmt=PCT,
    ),
    kpi(
        "fin_rate_latest",
        "加权平均利率（最新月份，%）",
        FINANCING_SUMMARY,
        "avg_rate",
        where=["is_all_channels", "is_latest_month"],
        fmt=DEC2,
    ),
    series(
        "fin_approval_by_size",
        "获批率（分企业规模）",
        "echarts_timeseries_line",
        FINANCING_SUMMARY,
        ["approval_rate"],
        groupby=["size_class_name"],
        where=["is_all_channels"],
        fmt=PCT,
    ),
    series(
        "fin_gap_trend",
        "融资需求与获批（万元）",
        "echarts_timeseries_bar",
        FINANCING_SUMMARY,
        ["demand", "amount_approved", "gap"],
        where=["is_all_channels"],
        fmt=AMT,
    ),
    series(
        "fin_rate_trend",
        "加权平均利率（%，分规模）",
        "echarts_timeseries_line",
        FINANCING_SUMMARY,
        ["avg_rate"],
        groupby=["size_class_name"],
        where=["is_all_channels"],
        fmt=DEC2,
    ),
    series(
        "fin_inclusive_trend",
        "普惠小微、担保占获批金额比重",
        "echarts_timeseries_line",
        FINANCING_SUMMARY,
        ["inclusive_share", "guarantee_share"],
        where=["is_all_channels"],
        fmt=PCT,
    ),
    pie(
        "fin_refusals",
        "拒绝原因",
        FINANCING_APPLICATIONS,
        "applications",
        "refusal_reason",
        where=["is_refused"],
        fmt=INT,
    ),
    table(
        "fin_by_channel",
        "分融资方式（最新月份）",
        FINANCING_SUMMARY,
        groupby=["channel"],
        metrics=["applications", "approval_rate", "amount_applied", "amount_approved", "avg_rate", "guarantee_share"],
        where=["NOT is_all_channels", "is_latest_month"],
        order=[("amount_approved", False)],
    ),
]

BOARD = Board(
    "financing",
    "融资服务",
    "financing",
    [
        [
            ("fin_approval_latest", 3, 35),
            ("fin_gap_latest", 3, 35),
            ("fin_inclusive_latest", 3, 35),
            ("fin_rate_latest", 3, 35),
        ],
        [("fin_approval_by_size", 6, 60), ("fin_gap_trend", 6, 60)],
        [("fin_rate_trend", 4, 60), ("fin_inclusive_trend", 4, 60), ("fin_refusals", 4, 60)],
        [("fin_by_channel", 12, 50)],
        md("获批率 = 获批笔数 ÷ 已审批笔数；融资缺口 = 企业报告的融资需求 − 获批金额；利率按获批金额加权。" + NOTE, 10),
    ],
    ["region", "size", "period"],
    "融资获批率（分规模）、融资缺口、利率、普惠占比和拒绝原因。",
    excluded={
        "period": ["fin_approval_latest", "fin_gap_latest", "fin_inclusive_latest", "fin_rate_latest", "fin_by_channel"]
    },
)
