"""Board 景气指数: its charts (CHARTS) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import DEC1, Board, heatmap, kpi_trend, md, series
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import SENTIMENT_INDEX

HUNDRED_LINE = {
    "name": "景气线 100", "annotationType": "FORMULA", "sourceType": "", "value": "100", "overrides": {},
    "show": True, "showLabel": True, "titleColumn": "", "descriptionColumns": [], "timeColumn": "",
    "intervalEndColumn": "", "color": "#E04355", "opacity": "", "style": "dashed", "width": 2,
    "showMarkers": False, "hideLine": False,
}  # fmt: skip
PROVINCE, ALL_GROUPS = "region_code = '420000'", "industry_group = '全部'"
PROVINCE_ONLY = ["sent_composite_kpi", "sent_composite_trend", "sent_by_industry"]

CHARTS = [
    kpi_trend(
        "sent_composite_kpi",
        "全省综合景气指数",
        SENTIMENT_INDEX,
        "index",
        1,
        "较上月",
        where=[PROVINCE, ALL_GROUPS, "indicator_level = 'composite'"],
        fmt=DEC1,
    ),
    series(
        "sent_composite_trend",
        "综合景气指数与分项指数（全省，100 为景气线）",
        "echarts_timeseries_line",
        SENTIMENT_INDEX,
        ["index"],
        groupby=["indicator_name"],
        where=[PROVINCE, ALL_GROUPS, "indicator_level IN ('composite', 'sub_index')"],
        annotations=[HUNDRED_LINE],
        fmt=DEC1,
        zero_based=False,
    ),
    series(
        "sent_by_region",
        "各市州综合景气指数（最新月份）",
        "echarts_timeseries_bar",
        SENTIMENT_INDEX,
        ["index"],
        x="region_name",
        where=["region_code <> '420000'", ALL_GROUPS, "indicator_level = 'composite'", "is_latest_month"],
        fmt=DEC1,
        annotations=[],
    ),
    series(
        "sent_by_industry",
        "分行业综合景气指数（全省，最新月份）",
        "echarts_timeseries_bar",
        SENTIMENT_INDEX,
        ["index"],
        x="industry_group",
        where=[PROVINCE, "industry_group <> '全部'", "indicator_level = 'composite'", "is_latest_month"],
        horizontal=True,
        fmt=DEC1,
    ),
    heatmap(
        "sent_items_heatmap",
        "各市州单项景气指数（最新月份）",
        SENTIMENT_INDEX,
        "index",
        "indicator_name",
        "region_name",
        where=[ALL_GROUPS, "indicator_level = 'item'", "is_latest_month"],
        fmt=DEC1,
    ),
]

BOARD = Board(
    "sentiment",
    "景气指数",
    "sentiment",
    [
        [("sent_composite_kpi", 3, 55), ("sent_composite_trend", 9, 55)],
        [("sent_by_region", 6, 65), ("sent_by_industry", 6, 65)],
        [("sent_items_heatmap", 12, 80)],
        md(
            "景气指数按平衡法计算：I = 100 + 100 ×（上升比重 − 下降比重），100 为景气线，高于 100 为景气区间。"
            "综合指数为分项指数加权平均（成本分项以 200 − I 计入）。" + NOTE,
            10,
        ),
    ],
    ["region", "period"],
    "中小企业景气指数（综合、分项、单项），分市州和行业，100 为景气线。",
    excluded={"region": PROVINCE_ONLY, "period": ["sent_by_region", "sent_by_industry", "sent_items_heatmap"]},
)
