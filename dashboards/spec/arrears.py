"""Board 清欠工作进展: its charts (CHARTS; CHARTS_ADDED go last in the slice ids) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import AMT, DEC2, PCT, Board, kpi, md, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import ARREARS_CASES, ARREARS_PROGRESS

CHARTS = [
    kpi("arr_clear", "总体清偿进度（最新台账）", ARREARS_PROGRESS, "clearance", where=["is_latest_ledger"], fmt=PCT),
    kpi(
        "arr_clear_undisputed",
        "无分歧欠款清偿进度",
        ARREARS_PROGRESS,
        "undisputed_clearance",
        where=["is_latest_ledger"],
        fmt=PCT,
    ),
    kpi(
        "arr_clear_disputed",
        "有分歧欠款清偿进度",
        ARREARS_PROGRESS,
        "disputed_clearance",
        where=["is_latest_ledger"],
        fmt=PCT,
    ),
    kpi(
        "arr_undisputed_unpaid",
        "无分歧欠款未清偿（万元）",
        ARREARS_PROGRESS,
        "undisputed_unpaid",
        where=["is_latest_ledger"],
        subtitle="应全部清零",
        fmt=DEC2,
        red_if_positive=True,
    ),
    series(
        "arr_by_debtor",
        "清偿进度（分债务人类型）",
        "echarts_timeseries_bar",
        ARREARS_PROGRESS,
        ["clearance", "undisputed_clearance", "disputed_clearance"],
        x="debtor_type",
        where=["is_latest_ledger"],
        fmt=PCT,
    ),
    table(
        "arr_by_region",
        "各市州清偿进度（最新台账）",
        ARREARS_PROGRESS,
        groupby=["region_name"],
        metrics=[
            "cases",
            "amount",
            "repaid",
            "clearance",
            "undisputed_clearance",
            "disputed_clearance",
            "undisputed_unpaid",
        ],
        where=["is_latest_ledger"],
        order=[("undisputed_unpaid", False)],
        red_if_positive=["undisputed_unpaid"],
    ),
    series(
        "arr_ageing",
        "未清偿金额账龄分布（最新台账，万元）",
        "echarts_timeseries_bar",
        ARREARS_CASES,
        ["outstanding"],
        x="ageing_label",
        groupby=["debtor_type"],
        stack=True,
        sort_by_metric=False,
        fmt=AMT,
        where=["ageing_bucket <> '已清偿'", "is_in_latest_ledger"],
    ),
    series(
        "arr_trend",
        "清偿进度走势",
        "echarts_timeseries_line",
        ARREARS_PROGRESS,
        ["clearance", "undisputed_clearance", "disputed_clearance"],
        fmt=PCT,
    ),
]
# Added later: listed at the end of the bundle's charts so that the slice ids of the others stay.
CHARTS_ADDED = [
    series(
        "arr_by_level",
        "清偿进度（分债务人层级：省级、市级、县级）",
        "echarts_timeseries_bar",
        ARREARS_PROGRESS,
        ["clearance", "undisputed_clearance", "disputed_clearance"],
        x="debtor_level",
        where=["is_latest_ledger"],
        fmt=PCT,
    ),
]

BOARD = Board(
    "arrears",
    "清欠工作进展",
    "arrears",
    [
        [
            ("arr_clear", 3, 35),
            ("arr_clear_undisputed", 3, 35),
            ("arr_clear_disputed", 3, 35),
            ("arr_undisputed_unpaid", 3, 35),
        ],
        [("arr_by_region", 7, 75), ("arr_by_debtor", 5, 75)],
        [("arr_by_level", 4, 60), ("arr_ageing", 4, 60), ("arr_trend", 4, 60)],
        md(
            "清偿进度 = 已清偿 ÷ 欠款金额；无分歧欠款不含诉讼中案件，未清偿不为零时以红色显示。"
            "最新台账按各市州自己的最新台账日期；湖北省（省直）为省级债务人（省直机关、省属国企）。"
            "逾期按《保障中小企业款项支付条例》（728号/802号）计算：2025年6月1日前交付、未约定付款期限的大型企业欠款"
            "无法定到期日，列为“期限未约定”，计入欠款和清偿进度，不计逾期和利息；逾期利息只对无分歧欠款估算。" + NOTE,
            10,
        ),
    ],
    ["region", "period"],
    "拖欠中小企业账款清偿进度：总体、无分歧、有分歧，分债务人类型和市州，账龄。",
    excluded={
        "period": [
            "arr_clear",
            "arr_clear_undisputed",
            "arr_clear_disputed",
            "arr_undisputed_unpaid",
            "arr_by_region",
            "arr_by_debtor",
            "arr_by_level",
            "arr_ageing",
        ]
    },
)
