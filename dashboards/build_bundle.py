"""Generate the Superset bundle (dashboards/bundle/**.yaml) from the spec in this file.

The YAML tree is what gets imported and what is reviewed in git; this script is how it is written,
so that UUIDs, query contexts and dashboard layouts stay consistent. Run it after editing the spec:

    .venv/bin/python dashboards/build_bundle.py          # rewrite dashboards/bundle/
    .venv/bin/python dashboards/build_bundle.py --check  # exit 1 when the tree is out of date

UUIDs are pinned: uuid5 of a fixed namespace and the object's key, so renaming a title keeps the UUID.
The database URI holds the placeholder ``__SERVING_DUCKDB__``; provision.py fills in the real path.
Datasets are virtual (explicit column lists over ``marts.*``): no personal data can reach a board, and
every dataset with regional rows exposes ``region_code`` for the 市州 row-level security.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "bundle"
NS = uuid.UUID("6f1c2d2e-9a55-4a8e-9a43-2b0f3c1d5e77")
SERVING_PLACEHOLDER = "__SERVING_DUCKDB__"
DB_NAME = "湖北中小企业监测"


def uid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


# ----------------------------------------------------------------------------------------------
# Reusable SQL
# ----------------------------------------------------------------------------------------------
SECTIONS = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业",
    "P": "教育", "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


def section_case(col: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in SECTIONS.items())
    return f"CASE {col} {whens} ELSE '未知' END"


def size_case(col: str) -> str:
    return (
        f"CASE {col} WHEN 'large' THEN '大型' WHEN 'medium' THEN '中型' WHEN 'small' THEN '小型' "
        f"WHEN 'micro' THEN '微型' ELSE '未知' END"
    )


def region_name(code: str, name: str) -> str:
    return f"CASE WHEN {code} = '420000' THEN '湖北省' WHEN {code} = '000000' OR {code} IS NULL THEN '未知' ELSE coalesce({name}, '未知') END"


def arrears_region_name(code: str, name: str) -> str:
    """In the arrears marts 420000 is not a province roll-up: it is the debtors at provincial level (省直机关,
    省属国企), named 湖北省（省直） by dbt."""
    return f"CASE WHEN {code} = '000000' OR {code} IS NULL THEN '未知' ELSE coalesce({name}, '未知') END"


# ----------------------------------------------------------------------------------------------
# Spec types
# ----------------------------------------------------------------------------------------------
@dataclass
class Col:
    name: str
    label: str
    type: str = "VARCHAR"
    dttm: bool = False


@dataclass
class Metric:
    name: str
    label: str
    expr: str
    fmt: str | None = None


@dataclass
class Dataset:
    key: str
    description: str
    sql: str
    cols: list[Col]
    metrics: list[Metric]
    dttm: str | None = None
    has_region: bool = True

    @property
    def uuid(self) -> str:
        return uid("dataset:" + self.key)


@dataclass
class Chart:
    key: str
    title: str
    viz: str
    ds: str
    params: dict
    # What the saved query context asks for (the REST data request):
    columns: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    temporal: str | None = None  # column carrying a TEMPORAL_RANGE filter (native 报告期 filter)
    x_temporal: str | None = None  # temporal x-axis column (month grain)
    orderby: list | None = None
    row_limit: int = 1000
    description: str = ""
    grain: str = "P1M"

    @property
    def uuid(self) -> str:
        return uid("chart:" + self.key)


@dataclass
class Board:
    key: str
    title: str
    slug: str
    rows: list  # [[(chart_key, width, height)], ...] or ("md", text, height)
    filters: list  # names from FILTERS
    description: str = ""
    # filter name -> chart keys outside its scope
    excluded: dict = field(default_factory=dict)

    @property
    def uuid(self) -> str:
        return uid("dashboard:" + self.key)


C, M = Col, Metric
PCT, PCT_SIGNED, INT, AMT, DEC2, DEC1 = ".1%", "+.1%", ",d", ",.0f", ",.2f", ",.1f"


def operating_metrics(firms: str, revenue_ytd_yoy: str, loss_share: str) -> list[Metric]:
    """The operating metrics, per enterprise-month rows (enterprise_months) or pre-summed cells
    (operating_months): the same names, labels and formats; only firms, YoY and loss share differ in SQL."""
    return [
        M("firms", "报送企业数", firms, INT),
        M("revenue_ytd", "营业收入累计（万元）", "SUM(revenue_ytd)", AMT),
        M("revenue_month", "当月营业收入（万元）", "SUM(revenue_month)", AMT),
        M("profit_ytd", "利润总额累计（万元）", "SUM(profit_ytd)", AMT),
        M("revenue_ytd_yoy", "营业收入累计同比（同口径）", revenue_ytd_yoy, PCT_SIGNED),
        M("cost_per_100", "每百元营业收入成本（元）", "100.0 * SUM(cost_ytd) / NULLIF(SUM(revenue_ytd), 0)", DEC2),
        M("loss_share", "亏损面", loss_share, PCT),
        M("debt_ratio", "资产负债率", "SUM(total_liabilities) / NULLIF(SUM(total_assets), 0)", PCT),
        M("employees", "从业人员（人）", "SUM(employees)", INT),
        M("rd_intensity", "研发费用占主营业务收入比重", "SUM(rd_expense_ytd) / NULLIF(SUM(main_revenue_ytd), 0)", ".2%"),
    ]


# ----------------------------------------------------------------------------------------------
# Datasets
# ----------------------------------------------------------------------------------------------
DATASETS: list[Dataset] = [
    Dataset(
        "enterprise_months",
        "企业月度运行（marts.enterprise_months）：每个企业每月一行；金额万元，比例为小数。",
        f"""SELECT m.uscc, m.period, m.report_year, m.report_month, strftime(m.period, '%Y-%m') AS report_period,
       m.region_code, {region_name('m.region_code', 'm.region_name')} AS region_name,
       m.section_code, {section_case('m.section_code')} AS section_name, m.industry_group,
       m.size_class, {size_case('m.size_class')} AS size_class_name,
       m.revenue_ytd, m.revenue_month, m.cost_ytd, m.profit_ytd, m.revenue_ytd_yoy,
       CASE WHEN m.revenue_ytd IS NOT NULL THEN m.revenue_ytd_prev_year END AS revenue_ytd_prev_year,
       m.is_loss_making, m.total_assets, m.total_liabilities, m.employees, m.vacancies,
       m.rd_expense_ytd, m.main_revenue_ytd, m.power_use, m.capacity_utilisation_pct,
       m.period = (SELECT max(period) FROM marts.enterprise_months) AS is_latest_period
FROM marts.enterprise_months AS m""",
        [
            C("uscc", "统一社会信用代码"), C("period", "报告期", "DATE", True), C("report_year", "年度", "INTEGER"),
            C("report_month", "月份", "INTEGER"), C("report_period", "报告期（年-月）"),
            C("region_code", "市州代码"), C("region_name", "市州"), C("section_code", "门类代码"),
            C("section_name", "门类"), C("industry_group", "行业分组"), C("size_class", "规模代码"),
            C("size_class_name", "企业规模"), C("revenue_ytd", "营业收入累计（万元）", "DOUBLE"),
            C("revenue_month", "当月营业收入（万元）", "DOUBLE"), C("cost_ytd", "营业成本累计（万元）", "DOUBLE"),
            C("profit_ytd", "利润总额累计（万元）", "DOUBLE"), C("revenue_ytd_yoy", "营业收入累计同比", "DOUBLE"),
            C("revenue_ytd_prev_year", "上年同期营业收入累计（万元）", "DOUBLE"),
            C("is_loss_making", "亏损", "BOOLEAN"), C("total_assets", "资产总计（万元）", "DOUBLE"),
            C("total_liabilities", "负债合计（万元）", "DOUBLE"), C("employees", "从业人员", "BIGINT"),
            C("vacancies", "缺工人数", "BIGINT"), C("rd_expense_ytd", "研发费用累计（万元）", "DOUBLE"),
            C("main_revenue_ytd", "主营业务收入累计（万元）", "DOUBLE"), C("power_use", "用电量（万千瓦时）", "DOUBLE"),
            C("capacity_utilisation_pct", "产能利用率（%）", "DOUBLE"), C("is_latest_period", "最新报告期", "BOOLEAN"),
        ],
        operating_metrics(
            firms="COUNT(DISTINCT uscc)",
            revenue_ytd_yoy="SUM(CASE WHEN revenue_ytd_prev_year IS NOT NULL THEN revenue_ytd END) "
            "/ NULLIF(SUM(revenue_ytd_prev_year), 0) - 1",
            loss_share="AVG(CASE WHEN is_loss_making THEN 1.0 ELSE 0.0 END)",
        ),
        dttm="period",
    ),
    Dataset(
        "operating_months",
        "运行总览看板汇总（marts.board_operating_months）：月份 × 市州 × 门类 × 规模 一行的合计；指标与 sme_enterprise_months 的同名指标相同（按月或单月汇总时）。",
        f"""SELECT o.period, year(o.period) AS report_year, month(o.period) AS report_month,
       strftime(o.period, '%Y-%m') AS report_period,
       o.region_code, {region_name('o.region_code', 'o.region_name')} AS region_name,
       o.section_code, {section_case('o.section_code')} AS section_name,
       o.size_class, {size_case('o.size_class')} AS size_class_name,
       o.firms, o.revenue_ytd, o.revenue_month, o.cost_ytd, o.profit_ytd, o.revenue_ytd_matched, o.revenue_ytd_prev_year,
       o.loss_making_firms, o.total_assets, o.total_liabilities, o.employees, o.rd_expense_ytd, o.main_revenue_ytd,
       o.period = (SELECT max(period) FROM marts.board_operating_months) AS is_latest_period
FROM marts.board_operating_months AS o""",
        [
            C("period", "报告期", "DATE", True), C("report_year", "年度", "BIGINT"), C("report_month", "月份", "BIGINT"),
            C("report_period", "报告期（年-月）"), C("region_code", "市州代码"), C("region_name", "市州"),
            C("section_code", "门类代码"), C("section_name", "门类"), C("size_class", "规模代码"),
            C("size_class_name", "企业规模"), C("firms", "报送企业数", "BIGINT"),
            C("revenue_ytd", "营业收入累计（万元）", "DOUBLE"), C("revenue_month", "当月营业收入（万元）", "DOUBLE"),
            C("cost_ytd", "营业成本累计（万元）", "DOUBLE"), C("profit_ytd", "利润总额累计（万元）", "DOUBLE"),
            C("revenue_ytd_matched", "同口径营业收入累计（万元）", "DOUBLE"),
            C("revenue_ytd_prev_year", "上年同期营业收入累计（万元）", "DOUBLE"),
            C("loss_making_firms", "亏损企业数", "BIGINT"), C("total_assets", "资产总计（万元）", "DOUBLE"),
            C("total_liabilities", "负债合计（万元）", "DOUBLE"), C("employees", "从业人员", "BIGINT"),
            C("rd_expense_ytd", "研发费用累计（万元）", "DOUBLE"), C("main_revenue_ytd", "主营业务收入累计（万元）", "DOUBLE"),
            C("is_latest_period", "最新报告期", "BOOLEAN"),
        ],
        operating_metrics(
            firms="SUM(firms)",
            revenue_ytd_yoy="SUM(revenue_ytd_matched) / NULLIF(SUM(revenue_ytd_prev_year), 0) - 1",
            loss_share="SUM(loss_making_firms) * 1.0 / NULLIF(SUM(firms), 0)",
        ),
        dttm="period",
    ),
    Dataset(
        "enterprises",
        "企业画像（marts.enterprises）：当前资质、市州、门类、规模；不含联系人等个人信息。",
        f"""SELECT e.uscc, e.enterprise_name, e.region_code, {region_name('e.region_code', 'e.region_name')} AS region_name,
       e.section_code, {section_case('e.section_code')} AS section_name,
       {size_case('e.size_class_computed')} AS size_class_name, e.is_above_scale,
       coalesce(e.current_title, '无') AS current_title, e.title_year
FROM marts.enterprises AS e""",
        [
            C("uscc", "统一社会信用代码"), C("enterprise_name", "企业名称"), C("region_code", "市州代码"),
            C("region_name", "市州"), C("section_code", "门类代码"), C("section_name", "门类"),
            C("size_class_name", "企业规模"), C("is_above_scale", "规上企业", "BOOLEAN"),
            C("current_title", "当前资质"), C("title_year", "认定年度", "INTEGER"),
        ],
        [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
    ),
    Dataset(
        "title_history",
        "各年度资质企业数（marts.enterprise_profiles 每年画像的现有资质；资质状态：有效/复核到期，认定当年起3个数据年度内有效）。",
        f"""SELECT p.uscc, p.profile_year, make_date(p.profile_year, 1, 1) AS profile_date, p.current_title,
       p.title_status, p.region_code, {region_name('p.region_code', 'p.region_name')} AS region_name,
       {section_case('p.section_code')} AS section_name
FROM marts.enterprise_profiles AS p
WHERE p.current_title IS NOT NULL AND p.current_title NOT IN ('', '无')""",
        [
            C("uscc", "统一社会信用代码"), C("profile_year", "年度", "INTEGER"), C("profile_date", "年度", "DATE", True),
            C("current_title", "资质"), C("title_status", "资质状态"), C("region_code", "市州代码"),
            C("region_name", "市州"), C("section_name", "门类"),
        ],
        [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
        dttm="profile_date",
    ),
    Dataset(
        "cultivation_pool",
        "专精特新培育库（marts.cultivation_pool 最新评价年度）：符合条件未认定、差一项条件、差10分以内的企业及小进规候选"
        "（入库候选）；另列资质复核到期、数据年度不完整未评价的企业。",
        f"""SELECT c.uscc, c.enterprise_name, c.assessment_year, c.region_code,
       {region_name('c.region_code', 'c.region_name')} AS region_name, {section_case('c.section_code')} AS section_name,
       {size_case('c.size_class')} AS size_class_name, c.target AS target_tier, c.pool_type AS pool_reason,
       coalesce(c.current_title, '无') AS current_title, c.missing_conditions AS lacking, c.points_missing, c.total_score,
       c.is_candidate, coalesce(c.title_status, '无') AS title_status, c.data_status
FROM marts.cultivation_pool AS c
WHERE c.assessment_year = (SELECT max(assessment_year) FROM marts.cultivation_pool)""",
        [
            C("uscc", "统一社会信用代码"), C("enterprise_name", "企业名称"), C("assessment_year", "评价年度", "INTEGER"),
            C("region_code", "市州代码"), C("region_name", "市州"), C("section_name", "门类"),
            C("size_class_name", "企业规模"), C("target_tier", "培育目标"), C("pool_reason", "入库类型"),
            C("current_title", "现有资质"), C("lacking", "所缺条件"), C("points_missing", "差距分值", "INTEGER"),
            C("total_score", "总分", "INTEGER"), C("is_candidate", "入库候选", "BOOLEAN"),
            C("title_status", "资质状态"), C("data_status", "数据状态"),
        ],
        [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
    ),
    Dataset(
        "tier_failed_conditions",
        "梯度培育未满足的条件（marts.board_tier_failed_conditions：最新评价年度、主用规则版本、尚未持有该梯度且未达标的企业所缺条件，"
        "按条件编码（seed tier_condition_codes）× 市州 × 门类 的去重企业数；各企业本身的数值见培育库“所缺条件”）。",
        f"""SELECT f.assessment_year, f.condition_code, f.failed_condition, f.condition_tier, f.condition_kind,
       f.region_code, {region_name('f.region_code', 'f.region_name')} AS region_name,
       {section_case('f.section_code')} AS section_name, f.firms
FROM marts.board_tier_failed_conditions AS f""",
        [
            C("assessment_year", "评价年度", "INTEGER"), C("condition_code", "条件编码"), C("failed_condition", "未满足条件"),
            C("condition_tier", "条件所属梯度"), C("condition_kind", "条件类别（未满足/待核实）"), C("region_code", "市州代码"),
            C("region_name", "市州"), C("section_name", "门类"), C("firms", "企业数", "BIGINT"),
        ],
        [M("firms", "企业数", "SUM(firms)", INT)],
    ),
    Dataset(
        "arrears_progress",
        "清欠进度（marts.arrears_progress）：台账日期 × 市州 × 债务人层级 × 债务人类型；金额万元；最新台账按各市州自己的"
        "最新台账日期；市州 湖北省（省直）为省级债务人（省直机关、省属国企）。",
        f"""SELECT p.as_of, p.is_latest_ledger, p.region_code, {arrears_region_name('p.region_code', 'p.region_name')} AS region_name,
       p.debtor_level, coalesce(p.debtor_type, '未知') AS debtor_type, p.cases, p.amount, p.repaid, p.outstanding,
       p.undisputed_cases, p.undisputed_amount, p.undisputed_repaid, p.undisputed_unpaid, p.undisputed_unpaid_cases,
       p.disputed_cases, p.disputed_amount, p.disputed_repaid, p.litigation_cases, p.overdue_outstanding,
       p.no_term_cases, p.no_term_outstanding, p.late_interest_est
FROM marts.arrears_progress AS p""",
        [
            C("as_of", "台账日期", "DATE", True), C("is_latest_ledger", "最新台账", "BOOLEAN"),
            C("region_code", "市州代码"), C("region_name", "市州"), C("debtor_level", "债务人层级"),
            C("debtor_type", "债务人类型"),
            C("cases", "案件数", "BIGINT"), C("amount", "欠款金额（万元）", "DOUBLE"), C("repaid", "已清偿（万元）", "DOUBLE"),
            C("outstanding", "未清偿（万元）", "DOUBLE"), C("undisputed_cases", "无分歧案件数", "BIGINT"),
            C("undisputed_amount", "无分歧欠款（万元）", "DOUBLE"), C("undisputed_repaid", "无分歧已清偿（万元）", "DOUBLE"),
            C("undisputed_unpaid", "无分歧未清偿（万元）", "DOUBLE"), C("undisputed_unpaid_cases", "无分歧未清偿案件数", "BIGINT"),
            C("disputed_cases", "有分歧案件数", "BIGINT"), C("disputed_amount", "有分歧欠款（万元）", "DOUBLE"),
            C("disputed_repaid", "有分歧已清偿（万元）", "DOUBLE"), C("litigation_cases", "诉讼中案件数", "BIGINT"),
            C("overdue_outstanding", "逾期未清偿（万元）", "DOUBLE"), C("no_term_cases", "期限未约定案件数", "BIGINT"),
            C("no_term_outstanding", "期限未约定未清偿（万元）", "DOUBLE"),
            C("late_interest_est", "估算逾期利息（万元，仅无分歧）", "DOUBLE"),
        ],
        [
            M("clearance", "总体清偿进度", "SUM(repaid) / NULLIF(SUM(amount), 0)", PCT),
            M("undisputed_clearance", "无分歧欠款清偿进度", "SUM(undisputed_repaid) / NULLIF(SUM(undisputed_amount), 0)", PCT),
            M("disputed_clearance", "有分歧欠款清偿进度", "SUM(disputed_repaid) / NULLIF(SUM(disputed_amount), 0)", PCT),
            M("undisputed_unpaid", "无分歧欠款未清偿（万元）", "COALESCE(SUM(undisputed_unpaid), 0)", DEC2),
            M("amount", "欠款金额（万元）", "SUM(amount)", AMT),
            M("repaid", "已清偿（万元）", "SUM(repaid)", AMT),
            M("outstanding", "未清偿（万元）", "SUM(outstanding)", AMT),
            M("cases", "案件数", "SUM(cases)", INT),
            M("late_interest", "估算逾期利息（万元，仅无分歧）", "SUM(late_interest_est)", DEC1),
            M("no_term_outstanding", "期限未约定未清偿（万元）", "SUM(no_term_outstanding)", AMT),
        ],
        dttm="as_of",
    ),
    Dataset(
        "arrears_cases",
        "拖欠账款案件（marts.arrears_cases，最新台账状态）：账龄、逾期天数、分歧标志；“在最新台账”= 案件在其市州最新"
        "台账日期的台账上；账龄 期限未约定 = 728号下大型企业未约定付款期限，无法定到期日。",
        f"""SELECT c.case_id, c.as_of, c.is_in_latest_ledger, c.region_code,
       {arrears_region_name('c.region_code', 'c.region_name')} AS region_name, c.debtor_level,
       coalesce(c.debtor_type, '未知') AS debtor_type, c.amount, c.repaid, c.outstanding, c.is_disputed, c.is_undisputed,
       c.is_overdue, c.days_overdue, c.ageing_bucket, c.ageing_bucket_order,
       CASE c.ageing_bucket_order WHEN 0 THEN '①' WHEN 1 THEN '②' WHEN 2 THEN '③' WHEN 3 THEN '④'
            WHEN 4 THEN '⑤' WHEN 5 THEN '⑥' WHEN 8 THEN '⑦' ELSE '⑧' END || ' ' || c.ageing_bucket AS ageing_label,
       c.late_interest_est, c.status
FROM marts.arrears_cases AS c""",
        [
            C("case_id", "案件编号"), C("as_of", "台账日期", "DATE", True),
            C("is_in_latest_ledger", "在最新台账", "BOOLEAN"), C("region_code", "市州代码"),
            C("region_name", "市州"), C("debtor_level", "债务人层级"), C("debtor_type", "债务人类型"),
            C("amount", "欠款金额（万元）", "DOUBLE"),
            C("repaid", "已清偿（万元）", "DOUBLE"), C("outstanding", "未清偿（万元）", "DOUBLE"),
            C("is_disputed", "有分歧", "BOOLEAN"), C("is_undisputed", "无分歧", "BOOLEAN"), C("is_overdue", "已逾期", "BOOLEAN"),
            C("days_overdue", "逾期天数", "BIGINT"), C("ageing_bucket", "账龄"), C("ageing_bucket_order", "账龄排序", "INTEGER"),
            C("ageing_label", "账龄分段"), C("late_interest_est", "估算逾期利息（万元，仅无分歧）", "DOUBLE"),
            C("status", "状态"),
        ],
        [
            M("outstanding", "未清偿金额（万元）", "SUM(outstanding)", AMT),
            M("cases", "案件数", "COUNT(*)", INT),
        ],
    ),
    Dataset(
        "financing_summary",
        "融资汇总（marts.financing_summary）：月份 × 市州 × 规模 × 融资方式；channel=全部 为合计行。",
        f"""SELECT f.month, f.region_code, {region_name('f.region_code', 'f.region_name')} AS region_name,
       f.size_class, {size_case('f.size_class')} AS size_class_name, f.channel, f.is_all_channels,
       f.applications, f.decided, f.approved, f.refused, f.pending, f.amount_applied, f.amount_approved,
       f.weighted_avg_rate_pct * f.amount_approved AS rate_x_amount,
       CASE WHEN f.weighted_avg_rate_pct IS NOT NULL THEN f.amount_approved END AS rated_amount,
       f.guarantee_share * f.amount_approved AS guaranteed_amount,
       f.inclusive_share * f.amount_approved AS inclusive_amount,
       f.financing_demand, f.firms_with_demand,
       f.month = (SELECT max(month) FROM marts.financing_summary) AS is_latest_month
FROM marts.financing_summary AS f""",
        [
            C("month", "月份", "DATE", True), C("region_code", "市州代码"), C("region_name", "市州"),
            C("size_class", "规模代码"), C("size_class_name", "企业规模"), C("channel", "融资方式"),
            C("is_all_channels", "各方式合计行", "BOOLEAN"), C("applications", "申请笔数", "BIGINT"),
            C("decided", "已审批笔数", "BIGINT"), C("approved", "获批笔数", "BIGINT"), C("refused", "被拒笔数", "BIGINT"),
            C("pending", "审批中笔数", "BIGINT"), C("amount_applied", "申请金额（万元）", "DOUBLE"),
            C("amount_approved", "获批金额（万元）", "DOUBLE"), C("rate_x_amount", "利率×金额", "DOUBLE"),
            C("rated_amount", "有利率的获批金额", "DOUBLE"), C("guaranteed_amount", "有担保获批金额（万元）", "DOUBLE"),
            C("inclusive_amount", "普惠小微获批金额（万元）", "DOUBLE"), C("financing_demand", "融资需求（万元）", "DOUBLE"),
            C("firms_with_demand", "有融资需求企业数", "BIGINT"), C("is_latest_month", "最新月份", "BOOLEAN"),
        ],
        [
            M("approval_rate", "获批率", "SUM(approved) / NULLIF(SUM(decided), 0)", PCT),
            M("approved_to_applied", "获批金额/申请金额", "SUM(amount_approved) / NULLIF(SUM(amount_applied), 0)", PCT),
            M("applications", "申请笔数", "SUM(applications)", INT),
            M("amount_applied", "申请金额（万元）", "SUM(amount_applied)", AMT),
            M("amount_approved", "获批金额（万元）", "SUM(amount_approved)", AMT),
            M("demand", "融资需求（万元）", "SUM(financing_demand)", AMT),
            M("gap", "融资缺口（万元）", "GREATEST(COALESCE(SUM(financing_demand), 0) - COALESCE(SUM(amount_approved), 0), 0)", AMT),
            M("avg_rate", "加权平均利率（%）", "SUM(rate_x_amount) / NULLIF(SUM(rated_amount), 0)", DEC2),
            M("inclusive_share", "普惠小微占比", "SUM(inclusive_amount) / NULLIF(SUM(amount_approved), 0)", PCT),
            M("guarantee_share", "担保占比", "SUM(guaranteed_amount) / NULLIF(SUM(amount_approved), 0)", PCT),
        ],
        dttm="month",
    ),
    Dataset(
        "financing_applications",
        "融资申请明细（marts.financing_applications）：用于拒绝原因分析。",
        f"""SELECT a.record_id, a.month, a.region_code, {region_name('a.region_code', 'a.region_name')} AS region_name,
       {section_case('a.section_code')} AS section_name, {size_case('a.size_class')} AS size_class_name,
       a.channel, a.decision, coalesce(nullif(a.refusal_reason, ''), '未填写') AS refusal_reason, a.is_refused,
       a.is_approved, a.amount_applied, a.amount_approved, a.rate_pct, a.is_inclusive_small_micro
FROM marts.financing_applications AS a""",
        [
            C("record_id", "记录编号"), C("month", "月份", "DATE", True), C("region_code", "市州代码"),
            C("region_name", "市州"), C("section_name", "门类"), C("size_class_name", "企业规模"),
            C("channel", "融资方式"), C("decision", "审批结果"), C("refusal_reason", "拒绝原因"),
            C("is_refused", "被拒绝", "BOOLEAN"), C("is_approved", "获批", "BOOLEAN"),
            C("amount_applied", "申请金额（万元）", "DOUBLE"), C("amount_approved", "获批金额（万元）", "DOUBLE"),
            C("rate_pct", "年化利率（%）", "DOUBLE"), C("is_inclusive_small_micro", "普惠小微", "BOOLEAN"),
        ],
        [M("applications", "申请笔数", "COUNT(*)", INT)],
        dttm="month",
    ),
    Dataset(
        "problem_signals",
        "问题诉求信号（marts.problem_signals）：月份 × 市州 × 门类 × 类别；占比 = 反映企业/报送企业。",
        f"""SELECT s.month, s.region_code, {region_name('s.region_code', 's.region_name')} AS region_name,
       s.section_code, coalesce(s.section_name, {section_case('s.section_code')}) AS section_name,
       s.category_code, coalesce(s.category_name, s.category_code) AS category_name,
       s.reporting_firms, s.citing_firms, s.citing_firms_from_text, s.citing_firms_ticked_and_text, s.share,
       s.share_change_vs_prev3, s.is_alert,
       s.month = (SELECT max(month) FROM marts.problem_signals) AS is_latest_month,
       s.month > (SELECT max(month) FROM marts.problem_signals) - INTERVAL 12 MONTH AS is_last_12_months
FROM marts.problem_signals AS s""",
        [
            C("month", "月份", "DATE", True), C("region_code", "市州代码"), C("region_name", "市州"),
            C("section_code", "门类代码"), C("section_name", "门类"), C("category_code", "类别代码"),
            C("category_name", "问题类别"), C("reporting_firms", "报送企业数", "BIGINT"),
            C("citing_firms", "反映企业数", "BIGINT"),
            C("citing_firms_from_text", "其中仅描述提及（未勾选）", "BIGINT"),
            C("citing_firms_ticked_and_text", "其中勾选且描述提及", "BIGINT"), C("share", "反映占比", "DOUBLE"),
            C("share_change_vs_prev3", "较前3月均值变化", "DOUBLE"), C("is_alert", "预警", "BOOLEAN"),
            C("is_latest_month", "最新月份", "BOOLEAN"), C("is_last_12_months", "近12个月", "BOOLEAN"),
        ],
        [
            M("share", "反映占比", "SUM(citing_firms) * 1.0 / NULLIF(SUM(reporting_firms), 0)", PCT),
            M("alerts", "预警数", "SUM(CASE WHEN is_alert THEN 1 ELSE 0 END)", INT),
            M("citing_firms", "反映企业数", "SUM(citing_firms)", INT),
            M("max_change", "较前3月均值变化（最大）", "MAX(share_change_vs_prev3)", PCT_SIGNED),
        ],
        dttm="month",
    ),
    Dataset(
        "enterprise_alerts",
        "企业风险预警（marts.enterprise_alerts，附企业名称）：每个企业每月触发的预警及依据。",
        f"""SELECT a.uscc, e.enterprise_name, a.period, strftime(a.period, '%Y-%m') AS report_period,
       a.region_code, {region_name('a.region_code', 'a.region_name')} AS region_name,
       {section_case('a.section_code')} AS section_name, {size_case('a.size_class')} AS size_class_name,
       a.alert_code, a.alert_name, a.metric_value, a.metric_unit, a.threshold, a.threshold_unit, a.evidence,
       a.period = (SELECT max(period) FROM marts.enterprise_alerts) AS is_latest_period
FROM marts.enterprise_alerts AS a
LEFT JOIN marts.enterprises AS e ON e.uscc = a.uscc""",
        [
            C("uscc", "统一社会信用代码"), C("enterprise_name", "企业名称"), C("period", "报告期", "DATE", True),
            C("report_period", "报告期（年-月）"), C("region_code", "市州代码"), C("region_name", "市州"),
            C("section_name", "门类"), C("size_class_name", "企业规模"), C("alert_code", "预警代码"),
            C("alert_name", "预警"), C("metric_value", "指标值", "DOUBLE"), C("metric_unit", "指标值单位"),
            C("threshold", "阈值", "DOUBLE"), C("threshold_unit", "阈值单位"),
            C("evidence", "依据"), C("is_latest_period", "最新报告期", "BOOLEAN"),
        ],
        [
            M("alerts", "预警条数", "COUNT(*)", INT),
            M("firms", "预警企业数", "COUNT(DISTINCT uscc)", INT),
        ],
        dttm="period",
    ),
    Dataset(
        "enterprise_alerts_latest",
        "最新报告期企业风险预警（marts.board_alerts_latest，附企业名称）：看板的预警企业清单与预警企业数。",
        f"""SELECT a.uscc, a.enterprise_name, a.period, strftime(a.period, '%Y-%m') AS report_period,
       a.region_code, {region_name('a.region_code', 'a.region_name')} AS region_name,
       {section_case('a.section_code')} AS section_name, {size_case('a.size_class')} AS size_class_name,
       a.alert_code, a.alert_name, a.metric_value, a.metric_unit, a.threshold, a.threshold_unit, a.evidence
FROM marts.board_alerts_latest AS a""",
        [
            C("uscc", "统一社会信用代码"), C("enterprise_name", "企业名称"), C("period", "报告期", "DATE", True),
            C("report_period", "报告期（年-月）"), C("region_code", "市州代码"), C("region_name", "市州"),
            C("section_name", "门类"), C("size_class_name", "企业规模"), C("alert_code", "预警代码"),
            C("alert_name", "预警"), C("metric_value", "指标值", "DOUBLE"), C("metric_unit", "指标值单位"),
            C("threshold", "阈值", "DOUBLE"), C("threshold_unit", "阈值单位"), C("evidence", "依据"),
        ],
        [
            M("alerts", "预警条数", "COUNT(*)", INT),
            M("firms", "预警企业数", "COUNT(DISTINCT uscc)", INT),
        ],
        dttm="period",
    ),
    Dataset(
        "sentiment_index",
        "景气指数（marts.sentiment_index，平衡法，100 为景气线）；region_code 420000 为全省汇总行。",
        f"""SELECT s.month, s.region_code, {region_name('s.region_code', 's.region_name')} AS region_name,
       s.industry_group, s.indicator_level, s.indicator_code, coalesce(s.indicator_name, s.indicator_code) AS indicator_name,
       s.respondents, s.index_value, s.month = (SELECT max(month) FROM marts.sentiment_index) AS is_latest_month
FROM marts.sentiment_index AS s""",
        [
            C("month", "月份", "DATE", True), C("region_code", "市州代码"), C("region_name", "市州"),
            C("industry_group", "行业分组"), C("indicator_level", "指标层级"), C("indicator_code", "指标代码"),
            C("indicator_name", "指标"), C("respondents", "有效回答企业数", "BIGINT"), C("index_value", "景气指数", "DOUBLE"),
            C("is_latest_month", "最新月份", "BOOLEAN"),
        ],
        [M("index", "景气指数", "AVG(index_value)", DEC1)],
        dttm="month",
    ),
    Dataset(
        "plan_targets",
        "“十四五”规划目标完成情况（marts.plan_targets）：目标、实际、来源、进度。全省指标，无市州维度。",
        """WITH t AS (
    SELECT p.*, row_number() OVER (PARTITION BY p.plan, p.target_id
                                   ORDER BY (p.actual IS NOT NULL) DESC, p.year DESC) = 1 AS is_current_row
    FROM marts.plan_targets AS p
)
SELECT t.plan, t.target_id, t.target_id || ' ' || t.target_name AS target_label, t.target_name, t.target_kind,
       t.comparator, t.unit, t.year, t.target_value, t.expected_value, t.actual,
       CASE t.source WHEN 'computed' THEN '平台计算' WHEN 'official' THEN '官方统计' ELSE '暂无' END AS source_name,
       t.progress, CASE WHEN t.on_track THEN '是' WHEN NOT t.on_track THEN '否' ELSE '—' END AS on_track_label,
       t.on_track, t.is_placeholder, t.is_current_row, t.note, t.prev_year_actual, t.platform_estimate,
       t.estimate_coverage, t.panel_firms
FROM t""",
        [
            C("plan", "规划"), C("target_id", "目标编号"), C("target_label", "目标"), C("target_name", "目标名称"),
            C("target_kind", "目标类型"), C("comparator", "比较"), C("unit", "单位"), C("year", "年份", "INTEGER"),
            C("target_value", "目标值", "DOUBLE"), C("expected_value", "按进度应达", "DOUBLE"), C("actual", "实际值", "DOUBLE"),
            C("source_name", "来源"), C("progress", "完成进度", "DOUBLE"), C("on_track_label", "是否按进度"),
            C("on_track", "按进度", "BOOLEAN"), C("is_placeholder", "占位数据", "BOOLEAN"),
            C("is_current_row", "最新值", "BOOLEAN"), C("note", "口径说明"),
            C("prev_year_actual", "上年值（同口径）", "DOUBLE"), C("platform_estimate", "平台估算（仅供参考）", "DOUBLE"),
            C("estimate_coverage", "估算/可比口径覆盖面"), C("panel_firms", "可比企业数", "INTEGER"),
        ],
        [
            M("progress", "完成进度", "MAX(progress)", PCT),
            M("targets", "目标数", "COUNT(DISTINCT target_id)", INT),
            M("on_track", "按进度目标数", "COUNT(DISTINCT CASE WHEN on_track THEN target_id END)", INT),
        ],
        has_region=False,
    ),
]
DS = {d.key: d for d in DATASETS}

# ----------------------------------------------------------------------------------------------
# Chart helpers: form data (params) for the browser and the matching saved query context (REST)
# ----------------------------------------------------------------------------------------------
NO_FILTER = "No filter"


def sql_filter(expr: str) -> dict:
    return {"expressionType": "SQL", "sqlExpression": expr, "clause": "WHERE", "subject": None,
            "operator": None, "comparator": None, "isExtra": False, "isNew": False,
            "filterOptionName": "f_" + uuid.uuid5(NS, expr).hex[:12]}


def time_filter(col: str) -> dict:
    return {"expressionType": "SIMPLE", "subject": col, "operator": "TEMPORAL_RANGE", "comparator": NO_FILTER,
            "clause": "WHERE", "sqlExpression": None, "isExtra": False, "isNew": False,
            "filterOptionName": "t_" + col}


def adhoc(where: list[str], temporal: str | None) -> list[dict]:
    out = [time_filter(temporal)] if temporal else []
    return out + [sql_filter(w) for w in where]


BASE = {"color_scheme": "supersetColors", "extra_form_data": {}, "dashboards": []}


def kpi(key, title, ds, metric, where=(), subtitle="", fmt=None, red_if_positive=False) -> Chart:
    params = {**BASE, "viz_type": "big_number_total", "metric": metric, "adhoc_filters": adhoc(list(where), None),
              "subheader": subtitle, "subtitle": subtitle, "header_font_size": 0.4, "subheader_font_size": 0.15,
              "subtitle_font_size": 0.15, "y_axis_format": fmt or "SMART_NUMBER", "time_format": "smart_date",
              "conditional_formatting": []}
    if red_if_positive:
        params["conditional_formatting"] = [
            {"column": metric, "operator": ">", "targetValue": 0, "colorScheme": "colorError", "useGradient": False}
        ]
    return Chart(key, title, "big_number_total", ds, params, metrics=[metric], where=list(where))


def kpi_trend(key, title, ds, metric, lag, suffix, where=(), fmt=None) -> Chart:
    d = DS[ds]
    params = {**BASE, "viz_type": "big_number", "x_axis": d.dttm, "time_grain_sqla": "P1M", "metric": metric,
              "adhoc_filters": adhoc(list(where), d.dttm), "compare_lag": lag, "compare_suffix": suffix,
              "show_timestamp": True, "show_trend_line": True, "start_y_axis_at_zero": False,
              "header_font_size": 0.4, "subheader_font_size": 0.15, "y_axis_format": fmt or "SMART_NUMBER",
              "time_format": "%Y-%m", "rolling_type": "None", "aggregation": "LAST_VALUE"}
    return Chart(key, title, "big_number", ds, params, metrics=[metric], where=list(where), temporal=d.dttm,
                 x_temporal=d.dttm)


def series(key, title, viz, ds, metrics, groupby=(), where=(), fmt=None, x=None, horizontal=False,
           stack=False, sort_by_metric=True, annotations=(), row_limit=1000, y_bounds=(None, None), grain="P1M",
           zero_based=True) -> Chart:
    """echarts_timeseries_line / _bar; x=None means the dataset's month axis (a trend)."""
    d = DS[ds]
    trend = x is None
    params = {**BASE, "viz_type": viz, "x_axis": d.dttm if trend else x, "metrics": list(metrics),
              "groupby": list(groupby), "adhoc_filters": adhoc(list(where), d.dttm if trend else None),
              "row_limit": row_limit, "truncate_metric": True, "show_legend": True, "legendType": "scroll",
              "legendOrientation": "top", "x_axis_title_margin": 15, "y_axis_title_margin": 30,
              "y_axis_title_position": "Left", "y_axis_format": fmt or "SMART_NUMBER", "logAxis": False,
              "minorSplitLine": False, "truncateXAxis": True, "truncateYAxis": not zero_based,
              "y_axis_bounds": list(y_bounds), "rich_tooltip": True,
              "tooltipTimeFormat": "%Y" if grain == "P1Y" else "%Y-%m",
              "x_axis_time_format": "%Y" if grain == "P1Y" else "%Y-%m",
              "annotation_layers": list(annotations), "order_desc": True, "comparison_type": "values",
              "rolling_type": None, "forecastEnabled": False, "only_total": True, "zoomable": False,
              "xAxisLabelRotation": 0 if trend or horizontal else 45}
    if trend:
        params["time_grain_sqla"] = grain
    else:
        params["x_axis_sort"] = (DS_METRIC_LABEL[ds][metrics[0]] if sort_by_metric else None)
        params["x_axis_sort_asc"] = not sort_by_metric
        params["x_axis_sort_series_type"] = "name"
        params["x_axis_sort_series_ascending"] = True
    if viz == "echarts_timeseries_bar":
        params["orientation"] = "horizontal" if horizontal else "vertical"
        params["stack"] = "Stack" if stack else None
        params["show_value"] = False
    else:
        params["seriesType"] = "line"
        params["markerEnabled"] = True
        params["markerSize"] = 5
        params["show_value"] = False
    cols = list(groupby) if trend else [x, *groupby]
    return Chart(key, title, viz, ds, params, columns=cols, metrics=list(metrics), where=list(where),
                 temporal=d.dttm if trend else None, x_temporal=d.dttm if trend else None,
                 orderby=[[metrics[0], False]], row_limit=row_limit, grain=grain)


def pie(key, title, ds, metric, groupby, where=(), fmt=None, row_limit=12, viz="pie") -> Chart:
    params = {**BASE, "viz_type": viz, "groupby": [groupby], "metric": metric, "adhoc_filters": adhoc(list(where), None),
              "row_limit": row_limit, "sort_by_metric": True, "show_labels": True, "labels_outside": True,
              "label_line": True, "show_legend": True, "legendType": "scroll", "legendOrientation": "right",
              "number_format": fmt or "SMART_NUMBER", "date_format": "smart_date", "outerRadius": 70}
    if viz == "pie":
        params.update({"label_type": "key_percent", "donut": True, "innerRadius": 35, "show_total": True})
    else:  # funnel
        params.update({"label_type": "key_value_percent", "show_legend": False, "tooltip_label_type": 5,
                       "percent_calculation_type": "first_step"})
    return Chart(key, title, viz, ds, params, columns=[groupby], metrics=[metric], where=list(where),
                 orderby=[[metric, False]], row_limit=row_limit)


def heatmap(key, title, ds, metric, x, y, where=(), fmt=PCT) -> Chart:
    params = {**BASE, "viz_type": "heatmap_v2", "x_axis": x, "groupby": y, "metric": metric,
              "adhoc_filters": adhoc(list(where), None), "row_limit": 10000, "sort_x_axis": "alpha_asc",
              "sort_y_axis": "alpha_asc", "normalize_across": "heatmap", "legend_type": "continuous",
              "linear_color_scheme": "superset_seq_1", "xscale_interval": -1, "yscale_interval": -1,
              "left_margin": "auto", "bottom_margin": "auto", "value_bounds": [None, None], "y_axis_format": fmt,
              "x_axis_time_format": "smart_date", "show_legend": True, "show_percentage": False, "show_values": True,
              "normalized": False}
    return Chart(key, title, "heatmap_v2", ds, params, columns=[x, y], metrics=[metric], where=list(where),
                 row_limit=10000)


def table(key, title, ds, groupby=(), metrics=(), where=(), formats=None, raw_columns=None, order=None,
          red_if_positive=(), row_limit=1000, page=20, col_labels=None) -> Chart:
    column_config = {}
    for name, f in (formats or {}).items():
        column_config[name] = {"d3NumberFormat": f}
    for name, label in (col_labels or {}).items():
        column_config.setdefault(name, {})["customColumnName"] = label
    params = {**BASE, "viz_type": "table", "query_mode": "raw" if raw_columns else "aggregate",
              "groupby": list(groupby), "metrics": list(metrics), "all_columns": list(raw_columns or []),
              "percent_metrics": [], "adhoc_filters": adhoc(list(where), None), "row_limit": row_limit,
              "server_page_length": page, "page_length": page, "order_desc": True, "table_timestamp_format": "%Y-%m-%d",
              "show_cell_bars": False, "color_pn": False, "allow_rearrange_columns": False, "include_search": True,
              "column_config": column_config, "temporal_columns_lookup": {},
              "conditional_formatting": [
                  {"column": c, "operator": ">", "targetValue": 0, "colorScheme": "colorError"} for c in red_if_positive
              ]}
    if raw_columns:
        params["order_by_cols"] = [json.dumps([c, asc]) for c, asc in (order or [])]
        return Chart(key, title, "table", ds, params, columns=list(raw_columns), where=list(where),
                     orderby=[[c, asc] for c, asc in (order or [])], row_limit=row_limit)
    if metrics:
        params["timeseries_limit_metric"] = order[0][0] if order else metrics[0]
    return Chart(key, title, "table", ds, params, columns=list(groupby), metrics=list(metrics), where=list(where),
                 orderby=[[c, asc] for c, asc in (order or [(metrics[0], False)])] if metrics else None,
                 row_limit=row_limit)


DS_METRIC_LABEL = {d.key: {m.name: m.name for m in d.metrics} for d in DATASETS}

LATEST_EM = ["is_latest_period"]
HUNDRED_LINE = {
    "name": "景气线 100", "annotationType": "FORMULA", "sourceType": "", "value": "100", "overrides": {},
    "show": True, "showLabel": True, "titleColumn": "", "descriptionColumns": [], "timeColumn": "",
    "intervalEndColumn": "", "color": "#E04355", "opacity": "", "style": "dashed", "width": 2,
    "showMarkers": False, "hideLine": False,
}
PROVINCE, ALL_GROUPS = "region_code = '420000'", "industry_group = '全部'"

CHARTS: list[Chart] = [
    # 1 全省中小企业运行总览 ---------------------------------------------------------------
    kpi_trend("ops_rev_mom", "当月营业收入（万元）· 环比", "operating_months", "revenue_month", 1, "较上月", fmt=AMT),
    kpi_trend("ops_rev_yoy", "当月营业收入（万元）· 同比", "operating_months", "revenue_month", 12, "较上年同月", fmt=AMT),
    kpi_trend("ops_rev_ytd_yoy", "营业收入累计同比（同口径）", "operating_months", "revenue_ytd_yoy", 1, "较上月",
              fmt=PCT_SIGNED),
    kpi_trend("ops_cost100", "每百元营业收入成本（元）", "operating_months", "cost_per_100", 12, "较上年同期", fmt=DEC2),
    kpi_trend("ops_loss", "亏损面", "operating_months", "loss_share", 12, "较上年同期", fmt=PCT),
    kpi_trend("ops_firms", "报送企业数", "operating_months", "firms", 1, "较上月", fmt=INT),
    table("ops_by_region", "各市州运行情况（最新报告期）", "operating_months", groupby=["region_name"],
          metrics=["firms", "revenue_ytd", "revenue_ytd_yoy", "profit_ytd", "cost_per_100", "loss_share", "debt_ratio"],
          where=LATEST_EM, order=[("revenue_ytd", False)], page=20),
    series("ops_by_section", "分门类营业收入累计（最新报告期，万元）", "echarts_timeseries_bar", "operating_months",
           ["revenue_ytd"], x="section_name", where=LATEST_EM, horizontal=True, fmt=AMT),
    series("ops_cost100_trend", "每百元营业收入成本走势（元）", "echarts_timeseries_line", "operating_months",
           ["cost_per_100"], fmt=DEC2, zero_based=False),
    series("ops_revenue_trend", "月度营业收入（万元）", "echarts_timeseries_bar", "operating_months",
           ["revenue_month"], fmt=AMT),
    series("ops_yoy_by_size", "营业收入累计同比（分规模）", "echarts_timeseries_line", "operating_months",
           ["revenue_ytd_yoy"], groupby=["size_class_name"], fmt=PCT_SIGNED),
    # 2 专精特新梯度培育 ---------------------------------------------------------------------
    kpi("tier_t04", "T04 专精特新“小巨人”企业（省级及以上）· 完成进度", "plan_targets", "progress",
        where=["target_id = 'T04'", "is_current_row"], subtitle="目标 ≥ 2000 家", fmt=PCT),
    kpi("tier_t05", "T05 “专精特新”入库企业 · 完成进度", "plan_targets", "progress",
        where=["target_id = 'T05'", "is_current_row"], subtitle="目标 ≥ 1 万家", fmt=PCT),
    kpi("tier_pool_firms", "培育库企业数", "cultivation_pool", "firms", where=["is_candidate"], fmt=INT),
    series("tier_titles_trend", "各层级有效资质企业数（按年度）", "echarts_timeseries_bar", "title_history", ["firms"],
           groupby=["current_title"], where=["title_status = '有效'"], fmt=INT, grain="P1Y"),
    pie("tier_pool_funnel", "培育库梯度漏斗（按培育目标）", "cultivation_pool", "firms", "target_tier", where=["is_candidate"],
        viz="funnel", fmt=INT),
    series("tier_failed", "候选企业未满足的条件（最新评价年度）", "echarts_timeseries_bar", "tier_failed_conditions",
           ["firms"], x="failed_condition", horizontal=True, fmt=INT, row_limit=20),
    series("tier_pool_by_region", "培育库企业（分市州、培育目标）", "echarts_timeseries_bar", "cultivation_pool", ["firms"],
           x="region_name", groupby=["target_tier"], where=["is_candidate"], stack=True, fmt=INT),
    series("tier_pool_by_section", "培育库企业（分门类）", "echarts_timeseries_bar", "cultivation_pool", ["firms"],
           x="section_name", where=["is_candidate"], horizontal=True, fmt=INT),
    # Board tables show the first 1 000 rows (a leader reads the top of the list, filtered by 市州); 10 000 rows cost
    # ≈ 200 ms of Superset CPU per view at province scale. The whole list is one query away in SQL Lab.
    table("tier_pool_list", "培育库企业清单（距达标最近的前1000户）", "cultivation_pool",
          raw_columns=["enterprise_name", "region_name", "section_name", "current_title", "title_status", "target_tier",
                       "pool_reason", "lacking", "points_missing", "data_status"], order=[("points_missing", True)],
          row_limit=1000),
    # 3 清欠工作进展 -------------------------------------------------------------------------
    kpi("arr_clear", "总体清偿进度（最新台账）", "arrears_progress", "clearance", where=["is_latest_ledger"], fmt=PCT),
    kpi("arr_clear_undisputed", "无分歧欠款清偿进度", "arrears_progress", "undisputed_clearance",
        where=["is_latest_ledger"], fmt=PCT),
    kpi("arr_clear_disputed", "有分歧欠款清偿进度", "arrears_progress", "disputed_clearance",
        where=["is_latest_ledger"], fmt=PCT),
    kpi("arr_undisputed_unpaid", "无分歧欠款未清偿（万元）", "arrears_progress", "undisputed_unpaid",
        where=["is_latest_ledger"], subtitle="应全部清零", fmt=DEC2, red_if_positive=True),
    series("arr_by_debtor", "清偿进度（分债务人类型）", "echarts_timeseries_bar", "arrears_progress",
           ["clearance", "undisputed_clearance", "disputed_clearance"], x="debtor_type", where=["is_latest_ledger"],
           fmt=PCT),
    table("arr_by_region", "各市州清偿进度（最新台账）", "arrears_progress", groupby=["region_name"],
          metrics=["cases", "amount", "repaid", "clearance", "undisputed_clearance", "disputed_clearance",
                   "undisputed_unpaid"],
          where=["is_latest_ledger"], order=[("undisputed_unpaid", False)], red_if_positive=["undisputed_unpaid"]),
    series("arr_ageing", "未清偿金额账龄分布（最新台账，万元）", "echarts_timeseries_bar", "arrears_cases", ["outstanding"],
           x="ageing_label", groupby=["debtor_type"], stack=True, sort_by_metric=False, fmt=AMT,
           where=["ageing_bucket <> '已清偿'", "is_in_latest_ledger"]),
    series("arr_trend", "清偿进度走势", "echarts_timeseries_line", "arrears_progress",
           ["clearance", "undisputed_clearance", "disputed_clearance"], fmt=PCT),
    # 4 融资服务 -----------------------------------------------------------------------------
    kpi("fin_approval_latest", "获批率（最新月份）", "financing_summary", "approval_rate",
        where=["is_all_channels", "is_latest_month"], fmt=PCT),
    kpi("fin_gap_latest", "融资缺口（最新月份，万元）", "financing_summary", "gap",
        where=["is_all_channels", "is_latest_month"], subtitle="企业报告融资需求 − 获批金额", fmt=AMT),
    kpi("fin_inclusive_latest", "普惠小微占比（最新月份）", "financing_summary", "inclusive_share",
        where=["is_all_channels", "is_latest_month"], fmt=PCT),
    kpi("fin_rate_latest", "加权平均利率（最新月份，%）", "financing_summary", "avg_rate",
        where=["is_all_channels", "is_latest_month"], fmt=DEC2),
    series("fin_approval_by_size", "获批率（分企业规模）", "echarts_timeseries_line", "financing_summary",
           ["approval_rate"], groupby=["size_class_name"], where=["is_all_channels"], fmt=PCT),
    series("fin_gap_trend", "融资需求与获批（万元）", "echarts_timeseries_bar", "financing_summary",
           ["demand", "amount_approved", "gap"], where=["is_all_channels"], fmt=AMT),
    series("fin_rate_trend", "加权平均利率（%，分规模）", "echarts_timeseries_line", "financing_summary",
           ["avg_rate"], groupby=["size_class_name"], where=["is_all_channels"], fmt=DEC2),
    series("fin_inclusive_trend", "普惠小微、担保占获批金额比重", "echarts_timeseries_line", "financing_summary",
           ["inclusive_share", "guarantee_share"], where=["is_all_channels"], fmt=PCT),
    pie("fin_refusals", "拒绝原因", "financing_applications", "applications", "refusal_reason",
        where=["is_refused"], fmt=INT),
    table("fin_by_channel", "分融资方式（最新月份）", "financing_summary", groupby=["channel"],
          metrics=["applications", "approval_rate", "amount_applied", "amount_approved", "avg_rate",
                   "guarantee_share"],
          where=["NOT is_all_channels", "is_latest_month"], order=[("amount_approved", False)]),
    # 5 问题诉求与风险预警 ---------------------------------------------------------------------
    kpi("sig_alerts_latest", "本月问题诉求预警数", "problem_signals", "alerts", where=["is_latest_month"], fmt=INT,
        red_if_positive=True),
    kpi("sig_alert_firms", "本月风险预警企业数", "enterprise_alerts_latest", "firms", fmt=INT),
    series("sig_share_trend", "各类问题诉求反映占比走势", "echarts_timeseries_line", "problem_signals", ["share"],
           groupby=["category_name"], fmt=PCT),
    series("sig_alerts_trend", "问题诉求预警数（按类别）", "echarts_timeseries_bar", "problem_signals", ["alerts"],
           groupby=["category_name"], stack=True, fmt=INT),
    heatmap("sig_heatmap", "市州 × 问题类别 反映占比（最新月份）", "problem_signals", "share", "category_name",
            "region_name", where=["is_latest_month"]),
    table("sig_alert_cells", "问题诉求预警（近12个月）", "problem_signals",
          raw_columns=["month", "region_name", "section_name", "category_name", "citing_firms",
                       "citing_firms_from_text", "reporting_firms", "share", "share_change_vs_prev3"],
          where=["is_last_12_months", "is_alert"], order=[("month", False), ("share_change_vs_prev3", False)],
          formats={"share": PCT, "share_change_vs_prev3": PCT_SIGNED}),
    table("sig_alert_firms_list", "风险预警企业（最新报告期，前1000条）", "enterprise_alerts_latest",
          raw_columns=["enterprise_name", "region_name", "section_name", "size_class_name", "alert_name",
                       "metric_value", "metric_unit", "threshold", "threshold_unit", "evidence"],
          order=[("region_name", True), ("alert_name", True)], formats={"metric_value": ",.3~f"},
          row_limit=1000),
    # 6 景气指数 -----------------------------------------------------------------------------
    kpi_trend("sent_composite_kpi", "全省综合景气指数", "sentiment_index", "index", 1, "较上月",
              where=[PROVINCE, ALL_GROUPS, "indicator_level = 'composite'"], fmt=DEC1),
    series("sent_composite_trend", "综合景气指数与分项指数（全省，100 为景气线）", "echarts_timeseries_line",
           "sentiment_index", ["index"], groupby=["indicator_name"],
           where=[PROVINCE, ALL_GROUPS, "indicator_level IN ('composite', 'sub_index')"],
           annotations=[HUNDRED_LINE], fmt=DEC1, zero_based=False),
    series("sent_by_region", "各市州综合景气指数（最新月份）", "echarts_timeseries_bar", "sentiment_index", ["index"],
           x="region_name", where=["region_code <> '420000'", ALL_GROUPS, "indicator_level = 'composite'",
                                   "is_latest_month"], fmt=DEC1, annotations=[]),
    series("sent_by_industry", "分行业综合景气指数（全省，最新月份）", "echarts_timeseries_bar", "sentiment_index",
           ["index"], x="industry_group", where=[PROVINCE, "industry_group <> '全部'", "indicator_level = 'composite'",
                                                 "is_latest_month"], horizontal=True, fmt=DEC1),
    heatmap("sent_items_heatmap", "各市州单项景气指数（最新月份）", "sentiment_index", "index", "indicator_name",
            "region_name", where=[ALL_GROUPS, "indicator_level = 'item'", "is_latest_month"], fmt=DEC1),
    # 7 “十四五”目标进展 ----------------------------------------------------------------------
    kpi("plan_on_track", "按进度目标数", "plan_targets", "on_track", where=["is_current_row"], fmt=INT),
    kpi("plan_targets_n", "规划目标数", "plan_targets", "targets", where=["is_current_row"], fmt=INT),
    table("plan_table", "各项目标完成情况（最新实际值）", "plan_targets",
          raw_columns=["target_label", "unit", "comparator", "target_value", "year", "actual", "expected_value",
                       "source_name", "platform_estimate", "estimate_coverage", "progress", "on_track_label", "note"],
          where=["is_current_row"], order=[("target_id", True)],
          formats={"target_value": ",.4~g", "actual": ",.4~g", "expected_value": ",.4~g", "progress": PCT,
                   "platform_estimate": ",.4~g"},
          page=20),
    series("plan_progress", "目标完成进度", "echarts_timeseries_bar", "plan_targets", ["progress"], x="target_label",
           where=["is_current_row", "progress IS NOT NULL"], horizontal=True, fmt=PCT, sort_by_metric=False),
    # 2 专精特新梯度培育, added by issue 14 (at the end so that the other charts keep their slice ids)
    # listed apart (issue 14): titles past their 3 years, and firms whose data year is incomplete (not assessed)
    kpi("tier_pool_expired", "资质复核到期企业数", "cultivation_pool", "firms", where=["pool_reason = '复核到期'"],
        subtitle="认定满三年未复核，不计入T04", fmt=INT),
    kpi("tier_pool_unassessed", "数据不完整未评价企业数", "cultivation_pool", "firms", where=["pool_reason = '数据不完整'"],
        subtitle="数据年度缺12月报，不计为未通过", fmt=INT),
    # 3 清欠工作进展 (added later; appended here so that the ids of the charts above stay as they were) ---------------
    series("arr_by_level", "清偿进度（分债务人层级：省级、市级、县级）", "echarts_timeseries_bar", "arrears_progress",
           ["clearance", "undisputed_clearance", "disputed_clearance"], x="debtor_level", where=["is_latest_ledger"],
           fmt=PCT),
]
CH = {c.key: c for c in CHARTS}

# ----------------------------------------------------------------------------------------------
# Dashboards
# ----------------------------------------------------------------------------------------------
FILTERS = {
    "region": ("市州", "filter_select", "operating_months", "region_name"),
    "section": ("门类", "filter_select", "operating_months", "section_name"),
    "size": ("企业规模", "filter_select", "operating_months", "size_class_name"),
    "period": ("报告期", "filter_time", None, None),
}
NOTE = "金额单位：万元；比例以 % 显示。数据来自每晚发布的只读服务库（serving.duckdb）。"
PROVINCE_ONLY = ["sent_composite_kpi", "sent_composite_trend", "sent_by_industry"]

BOARDS = [
    Board("overview", "全省中小企业运行总览", "overview", [
        [("ops_rev_mom", 2, 40), ("ops_rev_yoy", 2, 40), ("ops_rev_ytd_yoy", 2, 40), ("ops_cost100", 2, 40),
         ("ops_loss", 2, 40), ("ops_firms", 2, 40)],
        [("ops_by_region", 7, 80), ("ops_by_section", 5, 80)],
        [("ops_revenue_trend", 4, 55), ("ops_cost100_trend", 4, 55), ("ops_yoy_by_size", 4, 55)],
        ("md", "**口径**：营业收入累计同比按上年同期也报送的企业同口径计算；每百元营业收入成本 = 营业成本累计 ÷ 营业收入累计 × 100。"
               "表格和分门类图取最新报告期；“报告期”筛选作用于走势图与指标卡。" + NOTE, 12),
    ], ["region", "section", "size", "period"], "全省中小企业主要经济指标、环比同比、分市州分行业、每百元营业收入成本。",
        excluded={"period": ["ops_by_region", "ops_by_section"]}),
    Board("tiers", "专精特新梯度培育", "tiers", [
        [("tier_t04", 4, 35), ("tier_t05", 4, 35), ("tier_pool_firms", 4, 35)],
        [("tier_pool_expired", 6, 30), ("tier_pool_unassessed", 6, 30)],
        [("tier_titles_trend", 6, 60), ("tier_pool_funnel", 6, 60)],
        [("tier_failed", 6, 70), ("tier_pool_by_region", 6, 70)],
        [("tier_pool_by_section", 4, 70), ("tier_pool_list", 8, 70)],
        ("md", "培育库：符合条件但尚未认定、仅差一项条件或总分差距 ≤ 10 分的企业，以及小进规候选。"
                "“未满足的条件”按条件编码汇总（各企业的具体数值见培育库“所缺条件”）；“待核实”指仅凭排名未报送的国家级科技奖励直通、"
                "未计为符合，需核实排名。"
                "另列（不计入培育库企业数）：资质复核到期（认定当年起3个数据年度后未复核，不计入T04，也不算已持有）；"
                "数据不完整（数据年度缺12月报，不评价、不计为未通过）。合格机构投资按放款日期计入。" + NOTE, 13),
    ], ["region", "section"], "创新型、专精特新、小巨人各层级企业，培育库、未通过条件及 T04/T05 目标进度。",
        excluded={"region": ["tier_t04", "tier_t05"], "section": ["tier_t04", "tier_t05"]}),
    Board("arrears", "清欠工作进展", "arrears", [
        [("arr_clear", 3, 35), ("arr_clear_undisputed", 3, 35), ("arr_clear_disputed", 3, 35),
         ("arr_undisputed_unpaid", 3, 35)],
        [("arr_by_region", 7, 75), ("arr_by_debtor", 5, 75)],
        [("arr_by_level", 4, 60), ("arr_ageing", 4, 60), ("arr_trend", 4, 60)],
        ("md", "清偿进度 = 已清偿 ÷ 欠款金额；无分歧欠款不含诉讼中案件，未清偿不为零时以红色显示。"
               "最新台账按各市州自己的最新台账日期；湖北省（省直）为省级债务人（省直机关、省属国企）。"
               "逾期按《保障中小企业款项支付条例》（728号/802号）计算：2025年6月1日前交付、未约定付款期限的大型企业欠款"
               "无法定到期日，列为“期限未约定”，计入欠款和清偿进度，不计逾期和利息；逾期利息只对无分歧欠款估算。"
               + NOTE, 10),
    ], ["region", "period"], "拖欠中小企业账款清偿进度：总体、无分歧、有分歧，分债务人类型和市州，账龄。",
        excluded={"period": ["arr_clear", "arr_clear_undisputed", "arr_clear_disputed", "arr_undisputed_unpaid",
                             "arr_by_region", "arr_by_debtor", "arr_by_level", "arr_ageing"]}),
    Board("financing", "融资服务", "financing", [
        [("fin_approval_latest", 3, 35), ("fin_gap_latest", 3, 35), ("fin_inclusive_latest", 3, 35),
         ("fin_rate_latest", 3, 35)],
        [("fin_approval_by_size", 6, 60), ("fin_gap_trend", 6, 60)],
        [("fin_rate_trend", 4, 60), ("fin_inclusive_trend", 4, 60), ("fin_refusals", 4, 60)],
        [("fin_by_channel", 12, 50)],
        ("md", "获批率 = 获批笔数 ÷ 已审批笔数；融资缺口 = 企业报告的融资需求 − 获批金额；利率按获批金额加权。" + NOTE, 10),
    ], ["region", "size", "period"], "融资获批率（分规模）、融资缺口、利率、普惠占比和拒绝原因。",
        excluded={"period": ["fin_approval_latest", "fin_gap_latest", "fin_inclusive_latest", "fin_rate_latest",
                             "fin_by_channel"]}),
    Board("signals", "问题诉求与风险预警", "signals", [
        [("sig_alerts_latest", 3, 35), ("sig_alert_firms", 3, 35), ("sig_alert_cells", 6, 35)],
        [("sig_share_trend", 6, 60), ("sig_alerts_trend", 6, 60)],
        [("sig_heatmap", 12, 80)],
        [("sig_alert_firms_list", 12, 70)],
        ("md", "问题类别 = 企业勾选的类别 ∪ 问题诉求描述中按关键词识别出的类别（勾选了也读描述）。"
               "预警：某类问题反映占比 ≥ 20%、较前 3 个月均值上升 ≥ 5 个百分点且反映企业 ≥ 10 家（阈值可配置）。"
               "企业风险预警含营收连续下降、资产负债率过高、逾期应收过高、被拖欠逾期、融资屡被拒、缺工、产能利用率低。" + NOTE, 12),
    ], ["region", "section", "size", "period"], "问题诉求类别占比走势与预警、市州 × 类别热力图、风险预警企业。",
        excluded={"period": ["sig_alerts_latest", "sig_alert_firms", "sig_alert_cells", "sig_heatmap",
                             "sig_alert_firms_list"]}),
    Board("sentiment", "景气指数", "sentiment", [
        [("sent_composite_kpi", 3, 55), ("sent_composite_trend", 9, 55)],
        [("sent_by_region", 6, 65), ("sent_by_industry", 6, 65)],
        [("sent_items_heatmap", 12, 80)],
        ("md", "景气指数按平衡法计算：I = 100 + 100 ×（上升比重 − 下降比重），100 为景气线，高于 100 为景气区间。"
               "综合指数为分项指数加权平均（成本分项以 200 − I 计入）。" + NOTE, 10),
    ], ["region", "period"], "中小企业景气指数（综合、分项、单项），分市州和行业，100 为景气线。",
        excluded={"region": PROVINCE_ONLY,
                  "period": ["sent_by_region", "sent_by_industry", "sent_items_heatmap"]}),
    Board("plan", "“十四五”目标进展", "plan-targets", [
        [("plan_targets_n", 3, 45), ("plan_on_track", 3, 45),
         ("md", "《湖北省中小企业高质量发展“十四五”规划》目标：每项目标的目标值、最新实际值、来源（平台计算或官方统计）"
                "和完成进度。官方统计由业务处室在种子表中维护；全省指标，不分市州。"
                "T07、T08 的实际值取官方统计，平台按报送企业算出的占比只作估算并列出覆盖面，不用于判断是否按进度；"
                "T09、T10 只算中小企业，按同一批企业、两年相同月份比较（T10 只计报送研发费用的企业）；"
                "T11 每家企业每次进规只计一次。", 45, 6)],
        [("plan_table", 12, 90)],
        [("plan_progress", 12, 70)],
    ], [], "“十四五”规划各项目标与实际、来源和进度。"),
]


# ----------------------------------------------------------------------------------------------
# Writers
# ----------------------------------------------------------------------------------------------
def chart_id(c: Chart) -> int:
    return CHARTS.index(c) + 1


def database_yaml() -> dict:
    return {
        "database_name": DB_NAME,
        "sqlalchemy_uri": f"duckdb:///{SERVING_PLACEHOLDER}?access_mode=read_only",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "impersonate_user": False,
        "extra": {
            "engine_params": {
                "connect_args": {
                    "read_only": True,
                    "config": {"enable_external_access": False, "lock_configuration": True},
                }
            },
            "metadata_params": {},
            "metadata_cache_timeout": {},
            "schemas_allowed_for_csv_upload": [],
            "allows_virtual_table_explore": True,
            "cancel_query_on_windows_unload": True,
            "disable_data_preview": False,
        },
        "uuid": uid("database"),
        "version": "1.0.0",
    }


def dataset_yaml(d: Dataset) -> dict:
    return {
        "table_name": "sme_" + d.key,
        "main_dttm_col": d.dttm,
        "description": d.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "marts",
        "sql": d.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": d.uuid,
        "metrics": [
            {"metric_name": m.name, "verbose_name": m.label, "metric_type": None, "expression": m.expr,
             "description": None, "d3format": m.fmt, "currency": None, "extra": {"warning_markdown": ""},
             "warning_text": None}
            for m in d.metrics
        ],
        "columns": [
            {"column_name": c.name, "verbose_name": c.label, "is_dttm": c.dttm, "is_active": True, "type": c.type,
             "advanced_data_type": None, "groupby": True, "filterable": True, "expression": None,
             "description": c.label, "python_date_format": None, "extra": {}}
            for c in d.cols
        ],
        "version": "1.0.0",
        "database_uuid": uid("database"),
    }


def query_context(c: Chart, params: dict) -> dict:
    """The query the chart's saved context runs (GET /api/v1/chart/{id}/data/). Datasource ids are
    placeholders; provision.py points them at the imported dataset."""
    cols: list = []
    if c.x_temporal:
        cols.append({"timeGrain": c.grain, "columnType": "BASE_AXIS", "sqlExpression": c.x_temporal,
                     "label": c.x_temporal, "expressionType": "SQL"})
    cols += c.columns
    filters = [{"col": c.temporal, "op": "TEMPORAL_RANGE", "val": NO_FILTER}] if c.temporal else []
    where = " AND ".join(f"({w})" for w in c.where)
    q = {
        "filters": filters,
        "extras": {"having": "", "where": where},
        "applied_time_extras": {},
        "columns": cols,
        "metrics": c.metrics,
        "orderby": c.orderby or ([[c.metrics[0], False]] if c.metrics else []),
        "annotation_layers": [],
        "row_limit": c.row_limit,
        "series_columns": [] if c.x_temporal is None else list(c.columns),
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "time_range": NO_FILTER,
    }
    if c.viz == "table" and params.get("query_mode") == "raw":
        q["metrics"] = None  # raw rows: no GROUP BY
    return {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [q],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }


def chart_yaml(c: Chart) -> dict:
    params = dict(c.params)
    params["datasource"] = "0__table"
    params["slice_id"] = chart_id(c)
    return {
        "slice_name": c.title,
        "description": c.description or None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": c.viz,
        "params": params,
        "query_context": json.dumps(query_context(c, params), ensure_ascii=False),
        "cache_timeout": None,
        "uuid": c.uuid,
        "version": "1.0.0",
        "dataset_uuid": DS[c.ds].uuid,
    }


def dashboard_yaml(b: Board) -> dict:
    pos: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": b.title}},
    }
    charts_on_board: list[Chart] = []
    for i, row in enumerate(b.rows, 1):
        row_id = f"ROW-{b.key}-{i}"
        items = [row] if isinstance(row, tuple) else row
        pos["GRID_ID"]["children"].append(row_id)
        pos[row_id] = {"type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                       "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for j, item in enumerate(items, 1):
            if item[0] == "md":
                comp = f"MARKDOWN-{b.key}-{i}-{j}"
                width = item[3] if len(item) > 3 else 12
                pos[comp] = {"type": "MARKDOWN", "id": comp, "children": [],
                             "parents": ["ROOT_ID", "GRID_ID", row_id],
                             "meta": {"width": width, "height": item[2], "code": item[1]}}
            else:
                key, width, height = item
                c = CH[key]
                charts_on_board.append(c)
                comp = f"CHART-{key}"
                pos[comp] = {"type": "CHART", "id": comp, "children": [], "parents": ["ROOT_ID", "GRID_ID", row_id],
                             "meta": {"width": width, "height": height, "chartId": chart_id(c), "uuid": c.uuid,
                                      "sliceName": c.title}}
            pos[row_id]["children"].append(comp)

    ids = [chart_id(c) for c in charts_on_board]
    native = []
    for fname in b.filters:
        label, ftype, ds, col = FILTERS[fname]
        excluded = [chart_id(CH[k]) for k in b.excluded.get(fname, [])]
        f = {
            "id": f"NATIVE_FILTER-{b.key}-{fname}",
            "name": label,
            "filterType": ftype,
            "type": "NATIVE_FILTER",
            "description": "",
            "cascadeParentIds": [],
            "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
            "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
            "chartsInScope": [i for i in ids if i not in excluded],
            "tabsInScope": [],
        }
        if ftype == "filter_select":
            f["targets"] = [{"column": {"name": col}, "datasetUuid": DS[ds].uuid}]
            f["controlValues"] = {"enableEmptyFilter": False, "defaultToFirstItem": False, "multiSelect": True,
                                  "searchAllOptions": False, "inverseSelection": False, "sortAscending": True}
        else:
            f["targets"] = [{}]
            f["controlValues"] = {"enableEmptyFilter": False}
        native.append(f)
    metadata = {
        "color_scheme": "supersetColors",
        "refresh_frequency": 0,
        "expanded_slices": {},
        "label_colors": {},
        "timed_refresh_immune_slices": [],
        "cross_filters_enabled": False,
        "default_filters": "{}",
        "chart_configuration": {},
        "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": ids},
        "native_filter_configuration": native,
        "shared_label_colors": [],
        "map_label_colors": {},
        "color_scheme_domain": [],
    }
    return {
        "dashboard_title": b.title,
        "description": b.description,
        "css": "",
        "slug": b.slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": b.uuid,
        "position": pos,
        "metadata": metadata,
        "version": "1.0.0",
    }


def _dump(obj: dict) -> str:
    return yaml.safe_dump(obj, allow_unicode=True, sort_keys=False, width=1000)


def render() -> dict[str, str]:
    files = {
        "metadata.yaml": _dump({"version": "1.0.0", "type": "Dashboard", "timestamp": "2026-01-01T00:00:00+00:00"}),
        f"databases/{DB_NAME}.yaml": _dump(database_yaml()),
    }
    for d in DATASETS:
        files[f"datasets/{DB_NAME}/sme_{d.key}.yaml"] = _dump(dataset_yaml(d))
    for c in CHARTS:
        files[f"charts/{c.key}.yaml"] = _dump(chart_yaml(c))
    for b in BOARDS:
        files[f"dashboards/{b.slug}.yaml"] = _dump(dashboard_yaml(b))
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if dashboards/bundle/ differs from the spec")
    args = ap.parse_args(argv)
    files = render()
    if args.check:
        existing = {str(p.relative_to(BUNDLE)): p.read_text(encoding="utf-8") for p in BUNDLE.rglob("*.yaml")}
        if existing != files:
            diff = sorted(set(existing) ^ set(files)) + sorted(k for k in files if existing.get(k) not in (None, files[k]))
            print("dashboards/bundle/ is out of date; run dashboards/build_bundle.py:", *diff[:20], sep="\n  ")
            return 1
        return 0
    if BUNDLE.exists():
        shutil.rmtree(BUNDLE)
    for rel, text in files.items():
        p = BUNDLE / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files under {BUNDLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
