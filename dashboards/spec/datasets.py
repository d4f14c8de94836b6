"""The datasets: virtual Superset datasets (explicit column lists over ``marts.*``), so no personal data can reach a
board; every dataset with regional rows exposes ``region_code`` for the 市州 row-level security."""

from __future__ import annotations

from dashboards.builder import AMT, DEC1, DEC2, INT, PCT, PCT_SIGNED, Dataset, Metric
from dashboards.builder import Col as C
from dashboards.spec.labels import LABELS, col
from dashboards.spec.sql import arrears_region_name, region_name, section_case, size_case

M = Metric


def operating_metrics(firms: str, revenue_ytd_yoy: str, loss_share: str) -> list[Metric]:
    """The operating metrics, per enterprise-month rows (enterprise_months) or pre-summed cells
    (operating_months): the same names, labels and formats; only firms, YoY and loss share differ in SQL."""
    return [
        M("firms", "报送企业数", firms, INT),
        M("revenue_ytd", LABELS["revenue_ytd"], "SUM(revenue_ytd)", AMT),
        M("revenue_month", LABELS["revenue_month"], "SUM(revenue_month)", AMT),
        M("profit_ytd", LABELS["profit_ytd"], "SUM(profit_ytd)", AMT),
        M("revenue_ytd_yoy", "营业收入累计同比（同口径）", revenue_ytd_yoy, PCT_SIGNED),
        M("cost_per_100", "每百元营业收入成本（元）", "100.0 * SUM(cost_ytd) / NULLIF(SUM(revenue_ytd), 0)", DEC2),
        M("loss_share", "亏损面", loss_share, PCT),
        M("debt_ratio", "资产负债率", "SUM(total_liabilities) / NULLIF(SUM(total_assets), 0)", PCT),
        M("employees", "从业人员（人）", "SUM(employees)", INT),
        M(
            "rd_intensity",
            "研发费用占主营业务收入比重",
            "SUM(rd_expense_ytd) / NULLIF(SUM(main_revenue_ytd), 0)",
            ".2%",
        ),
    ]


ENTERPRISE_MONTHS = Dataset(
    "enterprise_months",
    "企业月度运行（marts.enterprise_months）：每个企业每月一行；金额万元，比例为小数。",
    f"""SELECT m.uscc, m.period, m.report_year, m.report_month, strftime(m.period, '%Y-%m') AS report_period,
       m.region_code, {region_name("m.region_code", "m.region_name")} AS region_name,
       m.section_code, {section_case("m.section_code")} AS section_name, m.industry_group,
       m.size_class, {size_case("m.size_class")} AS size_class_name,
       m.revenue_ytd, m.revenue_month, m.cost_ytd, m.profit_ytd, m.revenue_ytd_yoy,
       CASE WHEN m.revenue_ytd IS NOT NULL THEN m.revenue_ytd_prev_year END AS revenue_ytd_prev_year,
       m.is_loss_making, m.total_assets, m.total_liabilities, m.employees, m.vacancies,
       m.rd_expense_ytd, m.main_revenue_ytd, m.power_use, m.capacity_utilisation_pct,
       m.period = (SELECT max(period) FROM marts.enterprise_months) AS is_latest_period
FROM marts.enterprise_months AS m""",
    [
        col("uscc"),
        col("period", "DATE", True),
        col("report_year", "INTEGER"),
        col("report_month", "INTEGER"),
        col("report_period"),
        col("region_code"),
        col("region_name"),
        col("section_code"),
        col("section_name"),
        col("industry_group"),
        col("size_class"),
        col("size_class_name"),
        col("revenue_ytd", "DOUBLE"),
        col("revenue_month", "DOUBLE"),
        col("cost_ytd", "DOUBLE"),
        col("profit_ytd", "DOUBLE"),
        C("revenue_ytd_yoy", "营业收入累计同比", "DOUBLE"),
        col("revenue_ytd_prev_year", "DOUBLE"),
        C("is_loss_making", "亏损", "BOOLEAN"),
        col("total_assets", "DOUBLE"),
        col("total_liabilities", "DOUBLE"),
        col("employees", "BIGINT"),
        C("vacancies", "缺工人数", "BIGINT"),
        col("rd_expense_ytd", "DOUBLE"),
        col("main_revenue_ytd", "DOUBLE"),
        C("power_use", "用电量（万千瓦时）", "DOUBLE"),
        C("capacity_utilisation_pct", "产能利用率（%）", "DOUBLE"),
        col("is_latest_period", "BOOLEAN"),
    ],
    operating_metrics(
        firms="COUNT(DISTINCT uscc)",
        revenue_ytd_yoy="SUM(CASE WHEN revenue_ytd_prev_year IS NOT NULL THEN revenue_ytd END) "
        "/ NULLIF(SUM(revenue_ytd_prev_year), 0) - 1",
        loss_share="AVG(CASE WHEN is_loss_making THEN 1.0 ELSE 0.0 END)",
    ),
    dttm="period",
)

OPERATING_MONTHS = Dataset(
    "operating_months",
    "运行总览看板汇总（marts.board_operating_months）：月份 × 市州 × 门类 × 规模 一行的合计；指标与 sme_enterprise_months 的同名指标相同（按月或单月汇总时）。",
    f"""SELECT o.period, year(o.period) AS report_year, month(o.period) AS report_month,
       strftime(o.period, '%Y-%m') AS report_period,
       o.region_code, {region_name("o.region_code", "o.region_name")} AS region_name,
       o.section_code, {section_case("o.section_code")} AS section_name,
       o.size_class, {size_case("o.size_class")} AS size_class_name,
       o.firms, o.revenue_ytd, o.revenue_month, o.cost_ytd, o.profit_ytd, o.revenue_ytd_matched, o.revenue_ytd_prev_year,
       o.loss_making_firms, o.total_assets, o.total_liabilities, o.employees, o.rd_expense_ytd, o.main_revenue_ytd,
       o.period = (SELECT max(period) FROM marts.board_operating_months) AS is_latest_period
FROM marts.board_operating_months AS o""",
    [
        col("period", "DATE", True),
        col("report_year", "BIGINT"),
        col("report_month", "BIGINT"),
        col("report_period"),
        col("region_code"),
        col("region_name"),
        col("section_code"),
        col("section_name"),
        col("size_class"),
        col("size_class_name"),
        C("firms", "报送企业数", "BIGINT"),
        col("revenue_ytd", "DOUBLE"),
        col("revenue_month", "DOUBLE"),
        col("cost_ytd", "DOUBLE"),
        col("profit_ytd", "DOUBLE"),
        C("revenue_ytd_matched", "同口径营业收入累计（万元）", "DOUBLE"),
        col("revenue_ytd_prev_year", "DOUBLE"),
        C("loss_making_firms", "亏损企业数", "BIGINT"),
        col("total_assets", "DOUBLE"),
        col("total_liabilities", "DOUBLE"),
        col("employees", "BIGINT"),
        col("rd_expense_ytd", "DOUBLE"),
        col("main_revenue_ytd", "DOUBLE"),
        col("is_latest_period", "BOOLEAN"),
    ],
    operating_metrics(
        firms="SUM(firms)",
        revenue_ytd_yoy="SUM(revenue_ytd_matched) / NULLIF(SUM(revenue_ytd_prev_year), 0) - 1",
        loss_share="SUM(loss_making_firms) * 1.0 / NULLIF(SUM(firms), 0)",
    ),
    dttm="period",
)

ENTERPRISES = Dataset(
    "enterprises",
    "企业画像（marts.enterprises）：当前资质、市州、门类、规模；不含联系人等个人信息。",
    f"""SELECT e.uscc, e.enterprise_name, e.region_code, {region_name("e.region_code", "e.region_name")} AS region_name,
       e.section_code, {section_case("e.section_code")} AS section_name,
       {size_case("e.size_class_computed")} AS size_class_name, e.is_above_scale,
       coalesce(e.current_title, '无') AS current_title, e.title_year
FROM marts.enterprises AS e""",
    [
        col("uscc"),
        col("enterprise_name"),
        col("region_code"),
        col("region_name"),
        col("section_code"),
        col("section_name"),
        col("size_class_name"),
        C("is_above_scale", "规上企业", "BOOLEAN"),
        C("current_title", "当前资质"),
        C("title_year", "认定年度", "INTEGER"),
    ],
    [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
)

TITLE_HISTORY = Dataset(
    "title_history",
    "各年度资质企业数（marts.enterprise_profiles 每年画像的现有资质；资质状态：有效/复核到期，认定当年起3个数据年度内有效）。",
    f"""SELECT p.uscc, p.profile_year, make_date(p.profile_year, 1, 1) AS profile_date, p.current_title,
       p.title_status, p.region_code, {region_name("p.region_code", "p.region_name")} AS region_name,
       {section_case("p.section_code")} AS section_name
FROM marts.enterprise_profiles AS p
WHERE p.current_title IS NOT NULL AND p.current_title NOT IN ('', '无')""",
    [
        col("uscc"),
        C("profile_year", "年度", "INTEGER"),
        C("profile_date", "年度", "DATE", True),
        C("current_title", "资质"),
        col("title_status"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
    ],
    [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
    dttm="profile_date",
)

CULTIVATION_POOL = Dataset(
    "cultivation_pool",
    "专精特新培育库（marts.cultivation_pool 最新评价年度）：符合条件未认定、差一项条件、差10分以内的企业及小进规候选"
    "（入库候选）；另列资质复核到期、数据年度不完整未评价的企业。",
    f"""SELECT c.uscc, c.enterprise_name, c.assessment_year, c.region_code,
       {region_name("c.region_code", "c.region_name")} AS region_name, {section_case("c.section_code")} AS section_name,
       {size_case("c.size_class")} AS size_class_name, c.target AS target_tier, c.pool_type AS pool_reason,
       coalesce(c.current_title, '无') AS current_title, c.missing_conditions AS lacking, c.points_missing, c.total_score,
       c.is_candidate, coalesce(c.title_status, '无') AS title_status, c.data_status
FROM marts.cultivation_pool AS c
WHERE c.assessment_year = (SELECT max(assessment_year) FROM marts.cultivation_pool)""",
    [
        col("uscc"),
        col("enterprise_name"),
        col("assessment_year", "INTEGER"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        col("size_class_name"),
        C("target_tier", "培育目标"),
        C("pool_reason", "入库类型"),
        C("current_title", "现有资质"),
        C("lacking", "所缺条件"),
        C("points_missing", "差距分值", "INTEGER"),
        C("total_score", "总分", "INTEGER"),
        C("is_candidate", "入库候选", "BOOLEAN"),
        col("title_status"),
        C("data_status", "数据状态"),
    ],
    [M("firms", "企业数", "COUNT(DISTINCT uscc)", INT)],
)

TIER_FAILED_CONDITIONS = Dataset(
    "tier_failed_conditions",
    "梯度培育未满足的条件（marts.board_tier_failed_conditions：最新评价年度、主用规则版本、尚未持有该梯度且未达标的企业所缺条件，"
    "按条件编码（seed tier_condition_codes）× 市州 × 门类 的去重企业数；各企业本身的数值见培育库“所缺条件”）。",
    f"""SELECT f.assessment_year, f.condition_code, f.failed_condition, f.condition_tier, f.condition_kind,
       f.region_code, {region_name("f.region_code", "f.region_name")} AS region_name,
       {section_case("f.section_code")} AS section_name, f.firms
FROM marts.board_tier_failed_conditions AS f""",
    [
        col("assessment_year", "INTEGER"),
        C("condition_code", "条件编码"),
        C("failed_condition", "未满足条件"),
        C("condition_tier", "条件所属梯度"),
        C("condition_kind", "条件类别（未满足/待核实）"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        C("firms", "企业数", "BIGINT"),
    ],
    [M("firms", "企业数", "SUM(firms)", INT)],
)

ARREARS_PROGRESS = Dataset(
    "arrears_progress",
    "清欠进度（marts.arrears_progress）：台账日期 × 市州 × 债务人层级 × 债务人类型；金额万元；最新台账按各市州自己的"
    "最新台账日期；市州 湖北省（省直）为省级债务人（省直机关、省属国企）。",
    f"""SELECT p.as_of, p.is_latest_ledger, p.region_code, {arrears_region_name("p.region_code", "p.region_name")} AS region_name,
       p.debtor_level, coalesce(p.debtor_type, '未知') AS debtor_type, p.cases, p.amount, p.repaid, p.outstanding,
       p.undisputed_cases, p.undisputed_amount, p.undisputed_repaid, p.undisputed_unpaid, p.undisputed_unpaid_cases,
       p.disputed_cases, p.disputed_amount, p.disputed_repaid, p.litigation_cases, p.overdue_outstanding,
       p.no_term_cases, p.no_term_outstanding, p.late_interest_est
FROM marts.arrears_progress AS p""",
    [
        col("as_of", "DATE", True),
        C("is_latest_ledger", "最新台账", "BOOLEAN"),
        col("region_code"),
        col("region_name"),
        col("debtor_level"),
        col("debtor_type"),
        C("cases", "案件数", "BIGINT"),
        col("amount", "DOUBLE"),
        col("repaid", "DOUBLE"),
        col("outstanding", "DOUBLE"),
        C("undisputed_cases", "无分歧案件数", "BIGINT"),
        C("undisputed_amount", "无分歧欠款（万元）", "DOUBLE"),
        C("undisputed_repaid", "无分歧已清偿（万元）", "DOUBLE"),
        C("undisputed_unpaid", "无分歧未清偿（万元）", "DOUBLE"),
        C("undisputed_unpaid_cases", "无分歧未清偿案件数", "BIGINT"),
        C("disputed_cases", "有分歧案件数", "BIGINT"),
        C("disputed_amount", "有分歧欠款（万元）", "DOUBLE"),
        C("disputed_repaid", "有分歧已清偿（万元）", "DOUBLE"),
        C("litigation_cases", "诉讼中案件数", "BIGINT"),
        C("overdue_outstanding", "逾期未清偿（万元）", "DOUBLE"),
        C("no_term_cases", "期限未约定案件数", "BIGINT"),
        C("no_term_outstanding", "期限未约定未清偿（万元）", "DOUBLE"),
        col("late_interest_est", "DOUBLE"),
    ],
    [
        M("clearance", "总体清偿进度", "SUM(repaid) / NULLIF(SUM(amount), 0)", PCT),
        M(
            "undisputed_clearance",
            "无分歧欠款清偿进度",
            "SUM(undisputed_repaid) / NULLIF(SUM(undisputed_amount), 0)",
            PCT,
        ),
        M(
            "disputed_clearance",
            "有分歧欠款清偿进度",
            "SUM(disputed_repaid) / NULLIF(SUM(disputed_amount), 0)",
            PCT,
        ),
        M("undisputed_unpaid", "无分歧欠款未清偿（万元）", "COALESCE(SUM(undisputed_unpaid), 0)", DEC2),
        M("amount", LABELS["amount"], "SUM(amount)", AMT),
        M("repaid", LABELS["repaid"], "SUM(repaid)", AMT),
        M("outstanding", LABELS["outstanding"], "SUM(outstanding)", AMT),
        M("cases", "案件数", "SUM(cases)", INT),
        M("late_interest", "估算逾期利息（万元，仅无分歧）", "SUM(late_interest_est)", DEC1),
        M("no_term_outstanding", "期限未约定未清偿（万元）", "SUM(no_term_outstanding)", AMT),
    ],
    dttm="as_of",
)

ARREARS_CASES = Dataset(
    "arrears_cases",
    "拖欠账款案件（marts.arrears_cases，最新台账状态）：账龄、逾期天数、分歧标志；“在最新台账”= 案件在其市州最新"
    "台账日期的台账上；账龄 期限未约定 = 728号下大型企业未约定付款期限，无法定到期日。",
    f"""SELECT c.case_id, c.as_of, c.is_in_latest_ledger, c.region_code,
       {arrears_region_name("c.region_code", "c.region_name")} AS region_name, c.debtor_level,
       coalesce(c.debtor_type, '未知') AS debtor_type, c.amount, c.repaid, c.outstanding, c.is_disputed, c.is_undisputed,
       c.is_overdue, c.days_overdue, c.ageing_bucket, c.ageing_bucket_order,
       CASE c.ageing_bucket_order WHEN 0 THEN '①' WHEN 1 THEN '②' WHEN 2 THEN '③' WHEN 3 THEN '④'
            WHEN 4 THEN '⑤' WHEN 5 THEN '⑥' WHEN 8 THEN '⑦' ELSE '⑧' END || ' ' || c.ageing_bucket AS ageing_label,
       c.late_interest_est, c.status
FROM marts.arrears_cases AS c""",
    [
        C("case_id", "案件编号"),
        col("as_of", "DATE", True),
        C("is_in_latest_ledger", "在最新台账", "BOOLEAN"),
        col("region_code"),
        col("region_name"),
        col("debtor_level"),
        col("debtor_type"),
        col("amount", "DOUBLE"),
        col("repaid", "DOUBLE"),
        col("outstanding", "DOUBLE"),
        C("is_disputed", "有分歧", "BOOLEAN"),
        C("is_undisputed", "无分歧", "BOOLEAN"),
        C("is_overdue", "已逾期", "BOOLEAN"),
        C("days_overdue", "逾期天数", "BIGINT"),
        C("ageing_bucket", "账龄"),
        C("ageing_bucket_order", "账龄排序", "INTEGER"),
        C("ageing_label", "账龄分段"),
        col("late_interest_est", "DOUBLE"),
        C("status", "状态"),
    ],
    [
        M("outstanding", "未清偿金额（万元）", "SUM(outstanding)", AMT),
        M("cases", "案件数", "COUNT(*)", INT),
    ],
)

FINANCING_SUMMARY = Dataset(
    "financing_summary",
    "融资汇总（marts.financing_summary）：月份 × 市州 × 规模 × 融资方式；channel=全部 为合计行。",
    f"""SELECT f.month, f.region_code, {region_name("f.region_code", "f.region_name")} AS region_name,
       f.size_class, {size_case("f.size_class")} AS size_class_name, f.channel, f.is_all_channels,
       f.applications, f.decided, f.approved, f.refused, f.pending, f.amount_applied, f.amount_approved,
       f.weighted_avg_rate_pct * f.amount_approved AS rate_x_amount,
       CASE WHEN f.weighted_avg_rate_pct IS NOT NULL THEN f.amount_approved END AS rated_amount,
       f.guarantee_share * f.amount_approved AS guaranteed_amount,
       f.inclusive_share * f.amount_approved AS inclusive_amount,
       f.financing_demand, f.firms_with_demand,
       f.month = (SELECT max(month) FROM marts.financing_summary) AS is_latest_month
FROM marts.financing_summary AS f""",
    [
        col("month", "DATE", True),
        col("region_code"),
        col("region_name"),
        col("size_class"),
        col("size_class_name"),
        col("channel"),
        C("is_all_channels", "各方式合计行", "BOOLEAN"),
        C("applications", "申请笔数", "BIGINT"),
        C("decided", "已审批笔数", "BIGINT"),
        C("approved", "获批笔数", "BIGINT"),
        C("refused", "被拒笔数", "BIGINT"),
        C("pending", "审批中笔数", "BIGINT"),
        col("amount_applied", "DOUBLE"),
        col("amount_approved", "DOUBLE"),
        C("rate_x_amount", "利率×金额", "DOUBLE"),
        C("rated_amount", "有利率的获批金额", "DOUBLE"),
        C("guaranteed_amount", "有担保获批金额（万元）", "DOUBLE"),
        C("inclusive_amount", "普惠小微获批金额（万元）", "DOUBLE"),
        C("financing_demand", "融资需求（万元）", "DOUBLE"),
        C("firms_with_demand", "有融资需求企业数", "BIGINT"),
        col("is_latest_month", "BOOLEAN"),
    ],
    [
        M("approval_rate", "获批率", "SUM(approved) / NULLIF(SUM(decided), 0)", PCT),
        M("approved_to_applied", "获批金额/申请金额", "SUM(amount_approved) / NULLIF(SUM(amount_applied), 0)", PCT),
        M("applications", "申请笔数", "SUM(applications)", INT),
        M("amount_applied", LABELS["amount_applied"], "SUM(amount_applied)", AMT),
        M("amount_approved", LABELS["amount_approved"], "SUM(amount_approved)", AMT),
        M("demand", "融资需求（万元）", "SUM(financing_demand)", AMT),
        M(
            "gap",
            "融资缺口（万元）",
            "GREATEST(COALESCE(SUM(financing_demand), 0) - COALESCE(SUM(amount_approved), 0), 0)",
            AMT,
        ),
        M("avg_rate", "加权平均利率（%）", "SUM(rate_x_amount) / NULLIF(SUM(rated_amount), 0)", DEC2),
        M("inclusive_share", "普惠小微占比", "SUM(inclusive_amount) / NULLIF(SUM(amount_approved), 0)", PCT),
        M("guarantee_share", "担保占比", "SUM(guaranteed_amount) / NULLIF(SUM(amount_approved), 0)", PCT),
    ],
    dttm="month",
)

FINANCING_APPLICATIONS = Dataset(
    "financing_applications",
    "融资申请明细（marts.financing_applications）：用于拒绝原因分析。",
    f"""SELECT a.record_id, a.month, a.region_code, {region_name("a.region_code", "a.region_name")} AS region_name,
       {section_case("a.section_code")} AS section_name, {size_case("a.size_class")} AS size_class_name,
       a.channel, a.decision, coalesce(nullif(a.refusal_reason, ''), '未填写') AS refusal_reason, a.is_refused,
       a.is_approved, a.amount_applied, a.amount_approved, a.rate_pct, a.is_inclusive_small_micro
FROM marts.financing_applications AS a""",
    [
        C("record_id", "记录编号"),
        col("month", "DATE", True),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        col("size_class_name"),
        col("channel"),
        C("decision", "审批结果"),
        C("refusal_reason", "拒绝原因"),
        C("is_refused", "被拒绝", "BOOLEAN"),
        C("is_approved", "获批", "BOOLEAN"),
        col("amount_applied", "DOUBLE"),
        col("amount_approved", "DOUBLE"),
        C("rate_pct", "年化利率（%）", "DOUBLE"),
        C("is_inclusive_small_micro", "普惠小微", "BOOLEAN"),
    ],
    [M("applications", "申请笔数", "COUNT(*)", INT)],
    dttm="month",
)

PROBLEM_SIGNALS = Dataset(
    "problem_signals",
    "问题诉求信号（marts.problem_signals）：月份 × 市州 × 门类 × 类别；占比 = 反映企业/报送企业。",
    f"""SELECT s.month, s.region_code, {region_name("s.region_code", "s.region_name")} AS region_name,
       s.section_code, coalesce(s.section_name, {section_case("s.section_code")}) AS section_name,
       s.category_code, coalesce(s.category_name, s.category_code) AS category_name,
       s.reporting_firms, s.citing_firms, s.citing_firms_from_text, s.citing_firms_ticked_and_text, s.share,
       s.share_change_vs_prev3, s.is_alert,
       s.month = (SELECT max(month) FROM marts.problem_signals) AS is_latest_month,
       s.month > (SELECT max(month) FROM marts.problem_signals) - INTERVAL 12 MONTH AS is_last_12_months
FROM marts.problem_signals AS s""",
    [
        col("month", "DATE", True),
        col("region_code"),
        col("region_name"),
        col("section_code"),
        col("section_name"),
        C("category_code", "类别代码"),
        C("category_name", "问题类别"),
        C("reporting_firms", "报送企业数", "BIGINT"),
        C("citing_firms", "反映企业数", "BIGINT"),
        C("citing_firms_from_text", "其中仅描述提及（未勾选）", "BIGINT"),
        C("citing_firms_ticked_and_text", "其中勾选且描述提及", "BIGINT"),
        C("share", "反映占比", "DOUBLE"),
        C("share_change_vs_prev3", "较前3月均值变化", "DOUBLE"),
        C("is_alert", "预警", "BOOLEAN"),
        col("is_latest_month", "BOOLEAN"),
        C("is_last_12_months", "近12个月", "BOOLEAN"),
    ],
    [
        M("share", "反映占比", "SUM(citing_firms) * 1.0 / NULLIF(SUM(reporting_firms), 0)", PCT),
        M("alerts", "预警数", "SUM(CASE WHEN is_alert THEN 1 ELSE 0 END)", INT),
        M("citing_firms", "反映企业数", "SUM(citing_firms)", INT),
        M("max_change", "较前3月均值变化（最大）", "MAX(share_change_vs_prev3)", PCT_SIGNED),
    ],
    dttm="month",
)

ENTERPRISE_ALERTS = Dataset(
    "enterprise_alerts",
    "企业风险预警（marts.enterprise_alerts，附企业名称）：每个企业每月触发的预警及依据。",
    f"""SELECT a.uscc, e.enterprise_name, a.period, strftime(a.period, '%Y-%m') AS report_period,
       a.region_code, {region_name("a.region_code", "a.region_name")} AS region_name,
       {section_case("a.section_code")} AS section_name, {size_case("a.size_class")} AS size_class_name,
       a.alert_code, a.alert_name, a.metric_value, a.metric_unit, a.threshold, a.threshold_unit, a.evidence,
       a.period = (SELECT max(period) FROM marts.enterprise_alerts) AS is_latest_period
FROM marts.enterprise_alerts AS a
LEFT JOIN marts.enterprises AS e ON e.uscc = a.uscc""",
    [
        col("uscc"),
        col("enterprise_name"),
        col("period", "DATE", True),
        col("report_period"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        col("size_class_name"),
        col("alert_code"),
        col("alert_name"),
        col("metric_value", "DOUBLE"),
        col("metric_unit"),
        col("threshold", "DOUBLE"),
        col("threshold_unit"),
        col("evidence"),
        col("is_latest_period", "BOOLEAN"),
    ],
    [
        M("alerts", "预警条数", "COUNT(*)", INT),
        M("firms", "预警企业数", "COUNT(DISTINCT uscc)", INT),
    ],
    dttm="period",
)

ENTERPRISE_ALERTS_LATEST = Dataset(
    "enterprise_alerts_latest",
    "最新报告期企业风险预警（marts.board_alerts_latest，附企业名称）：看板的预警企业清单与预警企业数。",
    f"""SELECT a.uscc, a.enterprise_name, a.period, strftime(a.period, '%Y-%m') AS report_period,
       a.region_code, {region_name("a.region_code", "a.region_name")} AS region_name,
       {section_case("a.section_code")} AS section_name, {size_case("a.size_class")} AS size_class_name,
       a.alert_code, a.alert_name, a.metric_value, a.metric_unit, a.threshold, a.threshold_unit, a.evidence
FROM marts.board_alerts_latest AS a""",
    [
        col("uscc"),
        col("enterprise_name"),
        col("period", "DATE", True),
        col("report_period"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        col("size_class_name"),
        col("alert_code"),
        col("alert_name"),
        col("metric_value", "DOUBLE"),
        col("metric_unit"),
        col("threshold", "DOUBLE"),
        col("threshold_unit"),
        col("evidence"),
    ],
    [
        M("alerts", "预警条数", "COUNT(*)", INT),
        M("firms", "预警企业数", "COUNT(DISTINCT uscc)", INT),
    ],
    dttm="period",
)

SENTIMENT_INDEX = Dataset(
    "sentiment_index",
    "景气指数（marts.sentiment_index，平衡法，100 为景气线）；region_code 420000 为全省汇总行。",
    f"""SELECT s.month, s.region_code, {region_name("s.region_code", "s.region_name")} AS region_name,
       s.industry_group, s.indicator_level, s.indicator_code, coalesce(s.indicator_name, s.indicator_code) AS indicator_name,
       s.respondents, s.index_value, s.month = (SELECT max(month) FROM marts.sentiment_index) AS is_latest_month
FROM marts.sentiment_index AS s""",
    [
        col("month", "DATE", True),
        col("region_code"),
        col("region_name"),
        col("industry_group"),
        C("indicator_level", "指标层级"),
        C("indicator_code", "指标代码"),
        C("indicator_name", "指标"),
        C("respondents", "有效回答企业数", "BIGINT"),
        C("index_value", "景气指数", "DOUBLE"),
        col("is_latest_month", "BOOLEAN"),
    ],
    [M("index", "景气指数", "AVG(index_value)", DEC1)],
    dttm="month",
)

PLAN_TARGETS = Dataset(
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
        C("plan", "规划"),
        C("target_id", "目标编号"),
        C("target_label", "目标"),
        C("target_name", "目标名称"),
        C("target_kind", "目标类型"),
        C("comparator", "比较"),
        C("unit", "单位"),
        C("year", "年份", "INTEGER"),
        C("target_value", "目标值", "DOUBLE"),
        C("expected_value", "按进度应达", "DOUBLE"),
        C("actual", "实际值", "DOUBLE"),
        C("source_name", "来源"),
        C("progress", "完成进度", "DOUBLE"),
        C("on_track_label", "是否按进度"),
        C("on_track", "按进度", "BOOLEAN"),
        C("is_placeholder", "占位数据", "BOOLEAN"),
        C("is_current_row", "最新值", "BOOLEAN"),
        C("note", "口径说明"),
        C("prev_year_actual", "上年值（同口径）", "DOUBLE"),
        C("platform_estimate", "平台估算（仅供参考）", "DOUBLE"),
        C("estimate_coverage", "估算/可比口径覆盖面"),
        C("panel_firms", "可比企业数", "INTEGER"),
    ],
    [
        M("progress", "完成进度", "MAX(progress)", PCT),
        M("targets", "目标数", "COUNT(DISTINCT target_id)", INT),
        M("on_track", "按进度目标数", "COUNT(DISTINCT CASE WHEN on_track THEN target_id END)", INT),
    ],
    has_region=False,
)

REPORTING_COVERAGE = Dataset(
    "reporting_coverage",
    "报送情况（marts.reporting_coverage）：月份 × 市州 × 门类 × 规模 的应报、已报、按时、迟报、未报企业数；"
    "报送率 = 已报 ÷ 应报，及时率 = 按时 ÷ 应报。",
    f"""SELECT c.month, strftime(c.month, '%Y-%m') AS report_period,
       c.region_code, {region_name("c.region_code", "c.region_name")} AS region_name,
       c.section_code, coalesce(c.section_name, {section_case("c.section_code")}) AS section_name,
       c.size_class, {size_case("c.size_class")} AS size_class_name,
       c.expected_firms, c.reported_firms, c.on_time_firms, c.late_firms, c.missing_firms, c.deadline,
       c.month = (SELECT max(month) FROM marts.reporting_coverage) AS is_latest_month
FROM marts.reporting_coverage AS c""",
    [
        col("month", "DATE", True),
        col("report_period"),
        col("region_code"),
        col("region_name"),
        col("section_code"),
        col("section_name"),
        col("size_class"),
        col("size_class_name"),
        C("expected_firms", "应报企业数", "BIGINT"),
        C("reported_firms", "已报企业数", "BIGINT"),
        C("on_time_firms", "按时报送企业数", "BIGINT"),
        C("late_firms", "迟报企业数", "BIGINT"),
        C("missing_firms", "未报企业数", "BIGINT"),
        C("deadline", "报送截止日", "DATE"),
        col("is_latest_month", "BOOLEAN"),
    ],
    [
        M("reporting_rate", "报送率", "SUM(reported_firms) * 1.0 / NULLIF(SUM(expected_firms), 0)", PCT),
        M("on_time_rate", "及时率", "SUM(on_time_firms) * 1.0 / NULLIF(SUM(expected_firms), 0)", PCT),
        M("expected", "应报企业数", "SUM(expected_firms)", INT),
        M("reported", "已报企业数", "SUM(reported_firms)", INT),
        M("on_time", "按时报送企业数", "SUM(on_time_firms)", INT),
        M("late", "迟报企业数", "SUM(late_firms)", INT),
        M("missing", "未报企业数", "SUM(missing_firms)", INT),
    ],
    dttm="month",
)

MISSING_REPORTS = Dataset(
    "missing_reports",
    "未报送企业名单（marts.missing_reports）：每月应报未报的企业，含连续未报月数；只含名称和统一社会信用代码，不含联系方式。",
    f"""SELECT r.month, strftime(r.month, '%Y-%m') AS report_period, r.uscc, r.enterprise_name,
       r.region_code, {region_name("r.region_code", "r.region_name")} AS region_name,
       coalesce(r.section_name, {section_case("r.section_code")}) AS section_name,
       {size_case("r.size_class")} AS size_class_name, r.consecutive_missing_months,
       r.month = (SELECT max(month) FROM marts.reporting_coverage) AS is_latest_month
FROM marts.missing_reports AS r""",
    [
        col("month", "DATE", True),
        col("report_period"),
        col("uscc"),
        col("enterprise_name"),
        col("region_code"),
        col("region_name"),
        col("section_name"),
        col("size_class_name"),
        C("consecutive_missing_months", "连续未报月数", "BIGINT"),
        col("is_latest_month", "BOOLEAN"),
    ],
    [
        M("firms", "未报企业数", "COUNT(DISTINCT uscc)", INT),
    ],
    dttm="month",
)

# The bundle writes them in this order.
DATASETS: list[Dataset] = [
    ENTERPRISE_MONTHS,
    OPERATING_MONTHS,
    ENTERPRISES,
    TITLE_HISTORY,
    CULTIVATION_POOL,
    TIER_FAILED_CONDITIONS,
    ARREARS_PROGRESS,
    ARREARS_CASES,
    FINANCING_SUMMARY,
    FINANCING_APPLICATIONS,
    PROBLEM_SIGNALS,
    ENTERPRISE_ALERTS,
    ENTERPRISE_ALERTS_LATEST,
    SENTIMENT_INDEX,
    PLAN_TARGETS,
    REPORTING_COVERAGE,
    MISSING_REPORTS,
]
