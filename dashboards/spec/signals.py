"""Board 问题诉求与风险预警: its charts (CHARTS) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import INT, PCT, PCT_SIGNED, Board, heatmap, kpi, md, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import ENTERPRISE_ALERTS_LATEST, PROBLEM_SIGNALS

CHARTS = [
    kpi(
        "sig_alerts_latest",
        "本月问题诉求预警数",
        PROBLEM_SIGNALS,
        "alerts",
        where=["is_latest_month"],
        fmt=INT,
        red_if_positive=True,
    ),
    kpi("sig_alert_firms", "本月风险预警企业数", ENTERPRISE_ALERTS_LATEST, "firms", fmt=INT),
    series(
        "sig_share_trend",
        "各类问题诉求反映占比走势",
        "echarts_timeseries_line",
        PROBLEM_SIGNALS,
        ["share"],
        groupby=["category_name"],
        fmt=PCT,
    ),
    series(
        "sig_alerts_trend",
        "问题诉求预警数（按类别）",
        "echarts_timeseries_bar",
        PROBLEM_SIGNALS,
        ["alerts"],
        groupby=["category_name"],
        stack=True,
        fmt=INT,
    ),
    heatmap(
        "sig_heatmap",
        "市州 × 问题类别 反映占比（最新月份）",
        PROBLEM_SIGNALS,
        "share",
        "category_name",
        "region_name",
        where=["is_latest_month"],
    ),
    table(
        "sig_alert_cells",
        "问题诉求预警（近12个月）",
        PROBLEM_SIGNALS,
        raw_columns=[
            "month",
            "region_name",
            "section_name",
            "category_name",
            "citing_firms",
            "citing_firms_from_text",
            "reporting_firms",
            "share",
            "share_change_vs_prev3",
        ],
        where=["is_last_12_months", "is_alert"],
        order=[("month", False), ("share_change_vs_prev3", False)],
        formats={"share": PCT, "share_change_vs_prev3": PCT_SIGNED},
    ),
    table(
        "sig_alert_firms_list",
        "风险预警企业（最新报告期，前1000条）",
        ENTERPRISE_ALERTS_LATEST,
        raw_columns=[
            "enterprise_name",
            "region_name",
            "section_name",
            "size_class_name",
            "alert_name",
            "metric_value",
            "metric_unit",
            "threshold",
            "threshold_unit",
            "evidence",
        ],
        order=[("region_name", True), ("alert_name", True)],
        formats={"metric_value": ",.3~f"},
        row_limit=1000,
    ),
]

BOARD = Board(
    "signals",
    "问题诉求与风险预警",
    "signals",
    [
        [("sig_alerts_latest", 3, 35), ("sig_alert_firms", 3, 35), ("sig_alert_cells", 6, 35)],
        [("sig_share_trend", 6, 60), ("sig_alerts_trend", 6, 60)],
        [("sig_heatmap", 12, 80)],
        [("sig_alert_firms_list", 12, 70)],
        md(
            "问题类别 = 企业勾选的类别 ∪ 问题诉求描述中按关键词识别出的类别（勾选了也读描述）。"
            "预警：某类问题反映占比 ≥ 20%、较前 3 个月均值上升 ≥ 5 个百分点且反映企业 ≥ 10 家（阈值可配置）。"
            "企业风险预警含营收连续下降、资产负债率过高、逾期应收过高、被拖欠逾期、融资屡被拒、缺工、产能利用率低。"
            + NOTE,
            12,
        ),
    ],
    ["region", "section", "size", "period"],
    "问题诉求类别占比走势与预警、市州 × 类别热力图、风险预警企业。",
    excluded={
        "period": ["sig_alerts_latest", "sig_alert_firms", "sig_alert_cells", "sig_heatmap", "sig_alert_firms_list"]
    },
)
