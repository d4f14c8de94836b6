"""Column labels shared by several datasets, defined once. A dataset column whose name is here takes this label
(``col(name)``); a label used by one dataset only stays with that dataset (``Col(name, label, ...)``)."""

from __future__ import annotations

from dashboards.builder import Col

LABELS = {
    # identity and dimensions
    "uscc": "统一社会信用代码",
    "enterprise_name": "企业名称",
    "region_code": "市州代码",
    "region_name": "市州",
    "section_code": "门类代码",
    "section_name": "门类",
    "industry_group": "行业分组",
    "size_class": "规模代码",
    "size_class_name": "企业规模",
    "title_status": "资质状态",
    # time
    "period": "报告期",
    "report_year": "年度",
    "report_month": "月份",
    "report_period": "报告期（年-月）",
    "month": "月份",
    "assessment_year": "评价年度",
    "is_latest_period": "最新报告期",
    "is_latest_month": "最新月份",
    # operating report (enterprise_months, operating_months)
    "revenue_ytd": "营业收入累计（万元）",
    "revenue_month": "当月营业收入（万元）",
    "cost_ytd": "营业成本累计（万元）",
    "profit_ytd": "利润总额累计（万元）",
    "revenue_ytd_prev_year": "上年同期营业收入累计（万元）",
    "total_assets": "资产总计（万元）",
    "total_liabilities": "负债合计（万元）",
    "employees": "从业人员",
    "rd_expense_ytd": "研发费用累计（万元）",
    "main_revenue_ytd": "主营业务收入累计（万元）",
    # arrears (arrears_progress, arrears_cases)
    "as_of": "台账日期",
    "debtor_level": "债务人层级",
    "debtor_type": "债务人类型",
    "amount": "欠款金额（万元）",
    "repaid": "已清偿（万元）",
    "outstanding": "未清偿（万元）",
    "late_interest_est": "估算逾期利息（万元，仅无分歧）",
    # financing (financing_summary, financing_applications)
    "channel": "融资方式",
    "amount_applied": "申请金额（万元）",
    "amount_approved": "获批金额（万元）",
    # alerts (enterprise_alerts, enterprise_alerts_latest)
    "alert_code": "预警代码",
    "alert_name": "预警",
    "metric_value": "指标值",
    "metric_unit": "指标值单位",
    "threshold": "阈值",
    "threshold_unit": "阈值单位",
    "evidence": "依据",
}


def col(name: str, type: str = "VARCHAR", dttm: bool = False) -> Col:
    """A dataset column with its shared label."""
    return Col(name, LABELS[name], type, dttm)
