"""Board 专精特新梯度培育: its charts (CHARTS; CHARTS_ADDED go last in the slice ids) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import INT, PCT, Board, kpi, md, pie, series, table
from dashboards.spec.common import NOTE
from dashboards.spec.datasets import CULTIVATION_POOL, PLAN_TARGETS, TIER_FAILED_CONDITIONS, TITLE_HISTORY

CHARTS = [
    kpi(
        "tier_t04",
        "T04 专精特新“小巨人”企业（省级及以上）· 完成进度",
        PLAN_TARGETS,
        "progress",
        where=["target_id = 'T04'", "is_current_row"],
        subtitle="目标 ≥ 2000 家",
        fmt=PCT,
    ),
    kpi(
        "tier_t05",
        "T05 “专精特新”入库企业 · 完成进度",
        PLAN_TARGETS,
        "progress",
        where=["target_id = 'T05'", "is_current_row"],
        subtitle="目标 ≥ 1 万家",
        fmt=PCT,
    ),
    kpi("tier_pool_firms", "培育库企业数", CULTIVATION_POOL, "firms", where=["is_candidate"], fmt=INT),
    series(
        "tier_titles_trend",
        "各层级有效资质企业数（按年度）",
        "echarts_timeseries_bar",
        TITLE_HISTORY,
        ["firms"],
        groupby=["current_title"],
        where=["title_status = '有效'"],
        fmt=INT,
        grain="P1Y",
    ),
    pie(
        "tier_pool_funnel",
        "培育库梯度漏斗（按培育目标）",
        CULTIVATION_POOL,
        "firms",
        "target_tier",
        where=["is_candidate"],
        viz="funnel",
        fmt=INT,
    ),
    series(
        "tier_failed",
        "候选企业未满足的条件（最新评价年度）",
        "echarts_timeseries_bar",
        TIER_FAILED_CONDITIONS,
        ["firms"],
        x="failed_condition",
        horizontal=True,
        fmt=INT,
        row_limit=20,
    ),
    series(
        "tier_pool_by_region",
        "培育库企业（分市州、培育目标）",
        "echarts_timeseries_bar",
        CULTIVATION_POOL,
        ["firms"],
        x="region_name",
        groupby=["target_tier"],
        where=["is_candidate"],
        stack=True,
        fmt=INT,
    ),
    series(
        "tier_pool_by_section",
        "培育库企业（分门类）",
        "echarts_timeseries_bar",
        CULTIVATION_POOL,
        ["firms"],
        x="section_name",
        where=["is_candidate"],
        horizontal=True,
        fmt=INT,
    ),
    # Board tables show the first 1 000 rows (a leader reads the top of the list, filtered by 市州); 10 000 rows cost
    # ≈ 200 ms of Superset CPU per view at province scale. The whole list is one query away in SQL Lab.
    table(
        "tier_pool_list",
        "培育库企业清单（距达标最近的前1000户）",
        CULTIVATION_POOL,
        raw_columns=[
            "enterprise_name",
            "region_name",
            "section_name",
            "current_title",
            "title_status",
            "target_tier",
            "pool_reason",
            "lacking",
            "points_missing",
            "data_status",
        ],
        order=[("points_missing", True)],
        row_limit=1000,
    ),
]
# Added later: listed at the end of the bundle's charts so that the slice ids of the others stay.
CHARTS_ADDED = [
    kpi(
        "tier_pool_expired",
        "资质复核到期企业数",
        CULTIVATION_POOL,
        "firms",
        where=["pool_reason = '复核到期'"],
        subtitle="认定满三年未复核，不计入T04",
        fmt=INT,
    ),
    kpi(
        "tier_pool_unassessed",
        "数据不完整未评价企业数",
        CULTIVATION_POOL,
        "firms",
        where=["pool_reason = '数据不完整'"],
        subtitle="数据年度缺12月报，不计为未通过",
        fmt=INT,
    ),
]

BOARD = Board(
    "tiers",
    "专精特新梯度培育",
    "tiers",
    [
        [("tier_t04", 4, 35), ("tier_t05", 4, 35), ("tier_pool_firms", 4, 35)],
        [("tier_pool_expired", 6, 30), ("tier_pool_unassessed", 6, 30)],
        [("tier_titles_trend", 6, 60), ("tier_pool_funnel", 6, 60)],
        [("tier_failed", 6, 70), ("tier_pool_by_region", 6, 70)],
        [("tier_pool_by_section", 4, 70), ("tier_pool_list", 8, 70)],
        md(
            "培育库：符合条件但尚未认定、仅差一项条件或总分差距 ≤ 10 分的企业，以及小进规候选。"
            "“未满足的条件”按条件编码汇总（各企业的具体数值见培育库“所缺条件”）；“待核实”指仅凭排名未报送的国家级科技奖励直通、"
            "未计为符合，需核实排名。"
            "另列（不计入培育库企业数）：资质复核到期（认定当年起3个数据年度后未复核，不计入T04，也不算已持有）；"
            "数据不完整（数据年度缺12月报，不评价、不计为未通过）。合格机构投资按放款日期计入。" + NOTE,
            13,
        ),
    ],
    ["region", "section"],
    "创新型、专精特新、小巨人各层级企业，培育库、未通过条件及 T04/T05 目标进度。",
    excluded={"region": ["tier_t04", "tier_t05"], "section": ["tier_t04", "tier_t05"]},
)
