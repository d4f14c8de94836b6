"""The input contract (INPUTS.md) as data.

Every other part reads this module: the validator builds its SQL from it, the receipts
take their Chinese labels from it, the sample generator writes its headers from it, and
the raw-table DDL comes from it. Change a rule here and all of them follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SOURCES = ("enterprises", "operating", "arrears", "financing")

# Field types. The validator maps each to a parse expression and a DuckDB type.
TEXT = "text"
USCC = "uscc"
DIVISION = "division"
INDUSTRY = "industry"
DATE = "date"
PERIOD = "period"
INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
ENUM = "enum"
MULTI = "multi"

DUCKDB_TYPES = {
    TEXT: "VARCHAR",
    USCC: "VARCHAR",
    DIVISION: "VARCHAR",
    INDUSTRY: "VARCHAR",
    DATE: "DATE",
    PERIOD: "DATE",  # first day of the month
    INT: "BIGINT",
    DECIMAL: "DOUBLE",
    BOOL: "BOOLEAN",
    ENUM: "VARCHAR",
    MULTI: "VARCHAR[]",
}

# Units a money header may carry, and the factor that brings the value to 万元.
MONEY_UNITS = {"万元": 1.0, "元": 0.0001, "亿元": 10000.0}

# Reason codes and their Chinese names, as the receipts show them.
REASON_CODES = {
    "file_unreadable": "文件无法读取",
    "header_not_found": "未找到表头行",
    "column_missing": "缺少必填列",
    "required_missing": "必填项为空",
    "uscc_invalid": "统一社会信用代码无效",
    "division_unknown": "行政区划代码不是湖北省代码",
    "industry_unknown": "行业代码无效",
    "not_a_number": "不是数字",
    "not_a_date": "不是有效日期",
    "period_invalid": "报告期格式无效",
    "period_future": "报告期晚于当前月份",
    "enum_invalid": "取值不在允许范围内",
    "out_of_range": "数值超出允许范围",
    "inconsistent": "与同行其他字段矛盾",
    "duplicate_in_file": "文件内重复记录",
    "formula_no_value": "公式单元格没有计算结果",
}

# Row kinds that are skipped (not data) and counted as such in the manifest and receipt.
SKIP_REASONS = {
    "blank": "空行",
    "note": "填报说明/备注行",
    "total": "合计行",
}


@dataclass(frozen=True)
class Field:
    """One column of a template."""

    name: str  # canonical English name, also the raw column name
    header: str  # Chinese header as the template prints it
    type: str
    required: bool = False
    values: tuple[str, ...] = ()  # enum / multi allowed values
    min: float | None = None  # fixed bounds -> out_of_range
    max: float | None = None
    min_exclusive: bool = False
    max_length: int | None = None
    money: bool = False  # header unit (元/万元/亿元) rescales to 万元
    percent: bool = False  # accepts a trailing %
    personal: bool = False  # personal data: never reaches a board
    province_level: bool = False  # a division code may also be 420000 (the province itself: 省直机关, 省属国企)
    note: str = ""

    @property
    def label(self) -> str:
        return self.header


@dataclass(frozen=True)
class CrossRule:
    """A rule that compares cells of one row; a failure is `inconsistent` on `column`."""

    name: str
    column: str
    sql: str  # a boolean SQL expression over the typed columns; NULL counts as passing
    needs: tuple[str, ...]  # the columns it reads; not applied when one failed its type
    message: str  # Chinese message for the receipt


@dataclass(frozen=True)
class ConditionalRequired:
    """`column` must not be empty when `when_sql` holds -> required_missing."""

    column: str
    when_sql: str
    needs: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Template:
    source: str
    title: str  # the template's Chinese title (a sheet may be named after it)
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # a later file for the same key supersedes an earlier one
    cross_rules: tuple[CrossRule, ...] = ()
    conditional_required: tuple[ConditionalRequired, ...] = ()
    no_future_period: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


CURRENT_TITLES = ("无", "创新型", "专精特新", "小巨人")
PRODUCT_DOMAINS = ("战略性新兴产业", "六基", "补短板", "锻长板", "填空白", "中华老字号", "重点产业链配套")
FEATURE_AWARDS = ("首台套", "首批次", "首版次", "非遗", "地理标志")
QUALITY_ITEMS = ("省级以上质量奖", "质量管理体系认证", "自主品牌", "参与标准制定")
RD_INSTITUTION_LEVELS = ("国家级", "省级", "市级", "市级以下", "无")
DIRECT_PASS = (
    "国家级科技奖励",
    "省级科技奖励前三",
    "创客中国500强",
    "创客中国50强",
    "高新技术企业",
    "知识产权示范企业",
)
PROBLEMS = (
    "融资难融资贵",
    "用工难用工贵",
    "原材料涨价",
    "订单不足",
    "账款拖欠",
    "物流不畅",
    "用能保障",
    "税费负担",
    "政策落实",
    "营商环境",
    "技术人才",
    "其他",
)
DEBTOR_TYPES = ("机关", "事业单位", "国有大型企业", "民营大型企业")
ARREARS_STATUSES = ("未清偿", "部分清偿", "已清偿", "诉讼中")
CHANNELS = ("信用贷款", "抵押贷款", "担保贷款", "知识产权质押", "供应链金融", "股权融资", "债券融资", "融资租赁")
PROVIDER_TYPES = ("国有大型银行", "股份制银行", "城商行农商行", "政府性融资担保", "合格机构投资者", "其他")
DECISIONS = ("审批中", "获批", "部分获批", "拒绝")

ENTERPRISES = Template(
    source="enterprises",
    title="企业基本信息及年度画像",
    key=("uscc", "profile_year"),
    fields=(
        Field("uscc", "统一社会信用代码", USCC, required=True),
        Field("name", "企业名称", TEXT, required=True),
        Field("division_code", "行政区划代码", DIVISION, required=True),
        Field("industry_code", "行业代码", INDUSTRY, required=True),
        Field("founded_on", "成立日期", DATE, required=True),
        Field("profile_year", "画像年度", INT, required=True, min=1949, max=2100),
        Field("is_above_scale", "是否规上", BOOL),
        Field("current_title", "现有梯度资质", ENUM, values=CURRENT_TITLES),
        Field("title_year", "资质认定年份", INT, min=2000, max=2100),
        Field("niche_market", "细分市场", TEXT),
        Field("niche_since_year", "从事细分市场起始年份", INT, min=1949, max=2100),
        Field("main_product", "主导产品", TEXT),
        Field("product_domains", "产品领域", MULTI, values=PRODUCT_DOMAINS),
        Field("cluster", "所属产业集群", TEXT),
        Field("chain", "所属产业链", TEXT),
        Field("feature_awards", "特色认定", MULTI, values=FEATURE_AWARDS),
        Field("niche_share_pct", "国内细分市场占有率(%)", DECIMAL, min=0, max=100, percent=True),
        Field("digital_level", "数字化水平等级", INT, min=1, max=4),
        Field("quality_items", "质量管理", MULTI, values=QUALITY_ITEMS),
        Field("ip_class1", "Ⅰ类知识产权数", INT, min=0),
        Field("ip_class1_self", "其中：自主研发Ⅰ类", INT, min=0),
        Field("ip_class1_high_value", "其中：Ⅰ类高价值", INT, min=0),
        Field("ip_class2", "Ⅱ类知识产权数", INT, min=0),
        Field("rd_institution_level", "研发机构级别", ENUM, values=RD_INSTITUTION_LEVELS),
        Field("rd_staff", "研发人员数", INT, min=0),
        Field("direct_pass", "直通条件", MULTI, values=DIRECT_PASS),
        Field("contact_name", "联系人", TEXT, personal=True),
        Field("contact_phone", "联系电话", TEXT, personal=True),
    ),
    cross_rules=(
        CrossRule(
            "niche_since_le_profile_year",
            "niche_since_year",
            "niche_since_year <= profile_year",
            ("niche_since_year", "profile_year"),
            "从事细分市场起始年份不能晚于画像年度",
        ),
        CrossRule(
            "ip_self_le_class1",
            "ip_class1_self",
            "ip_class1_self <= ip_class1",
            ("ip_class1_self", "ip_class1"),
            "自主研发Ⅰ类知识产权数不能大于Ⅰ类知识产权数",
        ),
        CrossRule(
            "ip_high_value_le_class1",
            "ip_class1_high_value",
            "ip_class1_high_value <= ip_class1",
            ("ip_class1_high_value", "ip_class1"),
            "Ⅰ类高价值知识产权数不能大于Ⅰ类知识产权数",
        ),
        CrossRule(
            "title_year_le_profile_year",
            "title_year",
            "title_year <= profile_year + 1",
            ("title_year", "profile_year"),
            "资质认定年份不能晚于画像年度的次年",
        ),
    ),
    conditional_required=(
        ConditionalRequired(
            "title_year",
            "current_title IS NOT NULL AND current_title <> '无'",
            ("current_title",),
            "持有梯度资质时必须填写资质认定年份",
        ),
    ),
)

OPERATING = Template(
    source="operating",
    title="中小企业运行监测月报",
    key=("uscc", "period"),
    no_future_period=("period",),
    fields=(
        Field("uscc", "统一社会信用代码", USCC, required=True),
        Field("name", "企业名称", TEXT),
        Field("period", "报告期", PERIOD, required=True),
        Field("revenue_month", "营业收入(万元)", DECIMAL, min=0, money=True),
        Field("revenue_ytd", "营业收入累计(万元)", DECIMAL, min=0, money=True),
        Field("main_revenue_ytd", "主营业务收入累计(万元)", DECIMAL, min=0, money=True),
        Field("cost_ytd", "营业成本累计(万元)", DECIMAL, min=0, money=True),
        Field("profit_ytd", "利润总额累计(万元)", DECIMAL, money=True),
        Field("net_profit_ytd", "净利润累计(万元)", DECIMAL, money=True),
        Field("tax_ytd", "应交税费累计(万元)", DECIMAL, min=0, money=True),
        Field("export_ytd", "出口交货值累计(万元)", DECIMAL, min=0, money=True),
        Field("rd_expense_ytd", "研发费用累计(万元)", DECIMAL, min=0, money=True),
        Field("total_assets", "资产总计(万元)", DECIMAL, min=0, min_exclusive=True, money=True),
        Field("total_liabilities", "负债合计(万元)", DECIMAL, min=0, money=True),
        Field("receivables", "应收账款(万元)", DECIMAL, min=0, money=True),
        Field("receivables_overdue", "其中：逾期应收账款(万元)", DECIMAL, min=0, money=True),
        Field(
            "receivables_owed_by_public_and_large",
            "其中：被机关事业单位和大型企业拖欠(万元)",
            DECIMAL,
            min=0,
            money=True,
        ),
        Field("employees", "期末从业人员(人)", INT, min=0),
        Field("vacancies", "缺工人数(人)", INT, min=0),
        Field("power_use", "用电量(万千瓦时)", DECIMAL, min=0),
        Field("capacity_utilisation_pct", "产能利用率(%)", DECIMAL, min=0, max=100, percent=True),
        Field("new_orders", "新签订单额(万元)", DECIMAL, min=0, money=True),
        Field("order_backlog", "在手订单额(万元)", DECIMAL, min=0, money=True),
        Field("financing_demand", "融资需求(万元)", DECIMAL, min=0, money=True),
        Field("sent_overall", "生产经营总体", ENUM, values=("好转", "持平", "恶化")),
        Field("sent_demand", "市场需求", ENUM, values=("增加", "持平", "减少")),
        Field("sent_cost", "成本", ENUM, values=("上升", "持平", "下降")),
        Field("sent_funding", "资金状况", ENUM, values=("宽松", "一般", "紧张")),
        Field("sent_labour", "用工", ENUM, values=("充足", "一般", "短缺")),
        Field("sent_profit", "盈利", ENUM, values=("增加", "持平", "减少")),
        Field("sent_outlook", "下月预期", ENUM, values=("好转", "持平", "恶化")),
        Field("problems", "问题诉求", MULTI, values=PROBLEMS),
        Field("problem_text", "问题诉求描述", TEXT, max_length=500),
    ),
    cross_rules=(
        CrossRule(
            "revenue_ytd_ge_month",
            "revenue_ytd",
            "revenue_ytd >= revenue_month",
            ("revenue_ytd", "revenue_month"),
            "营业收入累计不能小于当月营业收入",
        ),
        CrossRule(
            "main_revenue_le_revenue",
            "main_revenue_ytd",
            "main_revenue_ytd <= revenue_ytd",
            ("main_revenue_ytd", "revenue_ytd"),
            "主营业务收入累计不能大于营业收入累计",
        ),
        CrossRule(
            "overdue_le_receivables",
            "receivables_overdue",
            "receivables_overdue <= receivables",
            ("receivables_overdue", "receivables"),
            "逾期应收账款不能大于应收账款",
        ),
        CrossRule(
            "owed_le_receivables",
            "receivables_owed_by_public_and_large",
            "receivables_owed_by_public_and_large <= receivables",
            ("receivables_owed_by_public_and_large", "receivables"),
            "被机关事业单位和大型企业拖欠金额不能大于应收账款",
        ),
    ),
)

ARREARS = Template(
    source="arrears",
    title="拖欠中小企业账款台账",
    key=("case_id", "as_of"),
    fields=(
        Field("as_of", "台账日期", DATE, required=True),
        Field("case_id", "案件编号", TEXT, required=True),
        Field("creditor_uscc", "债权企业统一社会信用代码", USCC, required=True),
        Field("creditor_name", "债权企业名称", TEXT),
        Field("debtor_name", "债务人名称", TEXT, required=True),
        Field("debtor_uscc", "债务人统一社会信用代码", USCC),
        Field("debtor_type", "债务人类型", ENUM, values=DEBTOR_TYPES),
        Field("division_code", "所属地区代码", DIVISION, province_level=True),
        Field("delivered_on", "交付日期", DATE),
        Field("accepted_on", "验收日期", DATE),
        Field("agreed_term_days", "约定付款期限(天)", INT, min=0),
        Field("amount", "欠款金额(万元)", DECIMAL, min=0, min_exclusive=True, money=True),
        Field("disputed", "是否存在分歧", BOOL),
        Field("repaid", "累计已清偿金额(万元)", DECIMAL, min=0, money=True),
        Field("last_repaid_on", "最近清偿日期", DATE),
        Field("status", "状态", ENUM, values=ARREARS_STATUSES),
    ),
    cross_rules=(
        CrossRule(
            "accepted_after_delivered",
            "accepted_on",
            "accepted_on >= delivered_on",
            ("accepted_on", "delivered_on"),
            "验收日期不能早于交付日期",
        ),
        CrossRule(
            "repaid_le_amount", "repaid", "repaid <= amount", ("repaid", "amount"), "累计已清偿金额不能大于欠款金额"
        ),
        CrossRule(
            "status_agrees_with_repaid",
            "status",
            "CASE status WHEN '未清偿' THEN coalesce(repaid, 0) = 0"
            " WHEN '部分清偿' THEN coalesce(repaid, 0) > 0 AND coalesce(repaid, 0) < amount"
            " WHEN '已清偿' THEN coalesce(repaid, 0) = amount ELSE true END",
            ("status", "repaid", "amount"),
            "状态与累计已清偿金额不符（未清偿须为0，部分清偿须介于0与欠款金额之间，已清偿须等于欠款金额）",
        ),
    ),
)

FINANCING = Template(
    source="financing",
    title="融资记录",
    key=("record_id",),
    fields=(
        Field("record_id", "记录编号", TEXT, required=True),
        Field("uscc", "统一社会信用代码", USCC, required=True),
        Field("channel", "融资方式", ENUM, values=CHANNELS),
        Field("provider", "资金提供方", TEXT),
        Field("provider_type", "提供方类型", ENUM, values=PROVIDER_TYPES),
        Field("guarantor", "担保机构", TEXT),
        Field("applied_on", "申请日期", DATE, required=True),
        Field("amount_applied", "申请金额(万元)", DECIMAL, min=0, min_exclusive=True, money=True),
        Field("decision", "审批结果", ENUM, values=DECISIONS),
        Field("amount_approved", "获批金额(万元)", DECIMAL, min=0, money=True),
        Field("disbursed_on", "放款日期", DATE),
        Field("rate_pct", "年化利率(%)", DECIMAL, min=0, max=36, percent=True),
        Field("guarantee_fee_pct", "担保费率(%)", DECIMAL, min=0, max=10, percent=True),
        Field("term_months", "期限(月)", INT, min=0, min_exclusive=True),
        Field("inclusive_small_micro", "是否普惠小微", BOOL),
        Field("refusal_reason", "拒绝原因", TEXT),
    ),
    cross_rules=(
        CrossRule(
            "approved_le_applied",
            "amount_approved",
            "amount_approved <= amount_applied",
            ("amount_approved", "amount_applied"),
            "获批金额不能大于申请金额",
        ),
        CrossRule(
            "refused_means_zero",
            "amount_approved",
            "NOT (decision = '拒绝' AND coalesce(amount_approved, 0) <> 0)",
            ("decision", "amount_approved"),
            "审批结果为拒绝时获批金额须为0",
        ),
        CrossRule(
            "disbursed_after_applied",
            "disbursed_on",
            "disbursed_on >= applied_on",
            ("disbursed_on", "applied_on"),
            "放款日期不能早于申请日期",
        ),
    ),
)

TEMPLATES: dict[str, Template] = {t.source: t for t in (ENTERPRISES, OPERATING, ARREARS, FINANCING)}


def template(source: str) -> Template:
    try:
        return TEMPLATES[source]
    except KeyError:
        raise ValueError(f"未知的数据来源 {source!r}，应为 {', '.join(SOURCES)} 之一") from None
