"""What several boards share: the native filters and the footnote."""

from __future__ import annotations

from dashboards.builder import NativeFilter
from dashboards.spec.datasets import OPERATING_MONTHS

# Value lists come from the operating cells (every 市州, 门类 and 规模 that reports).
FILTERS = {
    "region": NativeFilter("市州", "filter_select", OPERATING_MONTHS, "region_name"),
    "section": NativeFilter("门类", "filter_select", OPERATING_MONTHS, "section_name"),
    "size": NativeFilter("企业规模", "filter_select", OPERATING_MONTHS, "size_class_name"),
    "period": NativeFilter("报告期", "filter_time"),
}
NOTE = (
    "金额单位：万元；比例以 % 显示。数据来自每晚发布的只读服务库（serving.duckdb）。"
    "各指标的定义、依据、参数和变更记录见《指标口径记录》（dbt 文档首页，项目内 dbt_project/docs/口径.md）。"
)
