"""Board 报送情况: its charts (CHARTS) and its layout (BOARD). Added after the seven first boards: its charts go
after the charts added to those boards, so that their slice ids stay (dashboards/spec/__init__.py)."""

from __future__ import annotations

from dashboards.builder import INT, PCT, Board, kpi, md, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import MISSING_REPORTS, REPORTING_COVERAGE

CHARTS = [
    kpi("rep_rate", "报送率（最新月份）", REPORTING_COVERAGE, "reporting_rate", where=["is_latest_month"], fmt=PCT),
    kpi("rep_on_time", "及时率（最新月份）", REPORTING_COVERAGE, "on_time_rate", where=["is_latest_month"], fmt=PCT),
    kpi("rep_expected", "应报企业数（最新月份）", REPORTING_COVERAGE, "expected", where=["is_latest_month"], fmt=INT),
    kpi(
        "rep_missing",
        "未报送企业数（最新月份）",
        REPORTING_COVERAGE,
        "missing",
        where=["is_latest_month"],
        fmt=INT,
        red_if_positive=True,
    ),
    table(
        "rep_by_region",
        "各市州报送率与及时率（最新月份）",
        REPORTING_COVERAGE,
        groupby=["region_name"],
        metrics=["expected", "reported", "on_time", "late", "missing", "reporting_rate", "on_time_rate"],
        where=["is_latest_month"],
        order=[("reporting_rate", True)],
        red_if_positive=["missing"],
    ),
    series(
        "rep_trend",
        "报送率与及时率走势",
        "echarts_timeseries_line",
        REPORTING_COVERAGE,
        ["reporting_rate", "on_time_rate"],
        fmt=PCT,
    ),
    table(
        "rep_missing_list",
        "未报送企业（最新月份，前1000条）",
        MISSING_REPORTS,
        raw_columns=[
            "report_period",
            "uscc",
            "enterprise_name",
            "region_name",
            "section_name",
            "size_class_name",
            "consecutive_missing_months",
        ],
        where=["is_latest_month"],
        order=[("consecutive_missing_months", False), ("region_name", True)],
        row_limit=1000,
    ),
]

BOARD = Board(
    "reporting",
    "报送情况",
    "reporting",
    [
        [("rep_rate", 3, 35), ("rep_on_time", 3, 35), ("rep_expected", 3, 35), ("rep_missing", 3, 35)],
        [("rep_by_region", 7, 75), ("rep_trend", 5, 75)],
        [("rep_missing_list", 12, 70)],
        md(
            "应报企业 = 当年有企业画像（新年度画像未到时用最近一年的画像）且在当月末前成立的企业；"
            "报送率 = 已报 ÷ 应报，及时率 = 按时报送 ÷ 应报。按时 = 该月报告首次到达（文件进入收件箱的时间）"
            "不晚于截止日（次月10日，可配置）；截止日后的更正不改变按时。连续未报月数含本月。"
            "未报送企业名单可用命令 sme-monitor missing 导出为 Excel（每个市州一个工作表）。" + NOTE,
            12,
        ),
    ],
    ["region", "section", "size", "period"],
    "月度报送率、及时率（分市州）与走势，当月未报送企业名单。",
    excluded={
        "period": ["rep_rate", "rep_on_time", "rep_expected", "rep_missing", "rep_by_region", "rep_missing_list"]
    },
)
