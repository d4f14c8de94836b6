"""Board “十四五”目标进展 (slug plan-targets): its charts (CHARTS) and its layout (BOARD)."""

from __future__ import annotations

from dashboards.builder import INT, PCT, Board, kpi, md, series, table
from dashboards.spec.datasets import PLAN_TARGETS

CHARTS = [
    kpi("plan_on_track", "按进度目标数", PLAN_TARGETS, "on_track", where=["is_current_row"], fmt=INT),
    kpi("plan_targets_n", "规划目标数", PLAN_TARGETS, "targets", where=["is_current_row"], fmt=INT),
    table(
        "plan_table",
        "各项目标完成情况（最新实际值）",
        PLAN_TARGETS,
        raw_columns=[
            "target_label",
            "unit",
            "comparator",
            "target_value",
            "year",
            "actual",
            "expected_value",
            "source_name",
            "platform_estimate",
            "estimate_coverage",
            "progress",
            "on_track_label",
            "note",
        ],
        where=["is_current_row"],
        order=[("target_id", True)],
        formats={
            "target_value": ",.4~g",
            "actual": ",.4~g",
            "expected_value": ",.4~g",
            "progress": PCT,
            "platform_estimate": ",.4~g",
        },
        page=20,
    ),
    series(
        "plan_progress",
        "目标完成进度",
        "echarts_timeseries_bar",
        PLAN_TARGETS,
        ["progress"],
        x="target_label",
        where=["is_current_row", "progress IS NOT NULL"],
        horizontal=True,
        fmt=PCT,
        sort_by_metric=False,
    ),
]

BOARD = Board(
    "plan",
    "“十四五”目标进展",
    "plan-targets",
    [
        [
            ("plan_targets_n", 3, 45),
            ("plan_on_track", 3, 45),
            md(
                "《湖北省中小企业高质量发展“十四五”规划》目标：每项目标的目标值、最新实际值、来源（平台计算或官方统计）"
                "和完成进度。官方统计由业务处室在种子表中维护；全省指标，不分市州。"
                "T07、T08 的实际值取官方统计，平台按报送企业算出的占比只作估算并列出覆盖面，不用于判断是否按进度；"
                "T09、T10 只算中小企业，按同一批企业、两年相同月份比较（T10 只计报送研发费用的企业）；"
                "T11 每家企业每次进规只计一次。",
                45,
                6,
            ),
        ],
        [("plan_table", 12, 90)],
        [("plan_progress", 12, 70)],
    ],
    [],
    "“十四五”规划各项目标与实际、来源和进度。",
)
