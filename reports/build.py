"""Build one edition of the monthly report (province or one 市州) from the serving copy: figures, narrative, charts
and tables, as one plain structure that the HTML, PDF and DOCX writers render.

The SQL follows the boards' datasets (dashboards/spec/datasets.py) and the README's analyst queries, so a figure here
is the figure the board shows for the same month and 市州."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from reports import charts, fmt, narrative, settings
from reports.figures import Figures

PROVINCE = "420000"
TITLES = ("小巨人", "专精特新", "创新型")
SIZE_NAMES = {"medium": "中型", "small": "小型", "micro": "微型", "large": "大型"}


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[charts.Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    month: str  # YYYY-MM
    region_code: str | None
    region_name: str  # 湖北省 or the 市州
    title: str
    summary: list[str]
    sections: list[Section]
    figures: Figures
    published_at: str
    coverage_available: bool

    @property
    def file_stem(self) -> str:
        return f"{self.region_name}中小企业运行监测分析报告_{fmt.month_cn(self.month)}"


def table_exists(con, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'marts' AND table_name = ?", [name]
        ).fetchone()[0]
    )


def region_names(con) -> dict[str, str]:
    return dict(con.execute("SELECT region_code, region_name FROM marts.regions ORDER BY region_code").fetchall())


COVERAGE_RATE_BY_MONTH = """
SELECT strftime(month, '%Y-%m') AS ym, sum(reported_firms) * 1.0 / nullif(sum(expected_firms), 0) AS rate
FROM marts.reporting_coverage GROUP BY ALL ORDER BY ym"""


def default_month(con, min_rate: float | None = None) -> str:
    """The latest month whose province 报送率 reached the threshold (settings.min_reporting_rate); without the
    coverage mart, the latest month of marts.enterprise_months."""
    min_rate = settings.min_reporting_rate() if min_rate is None else min_rate
    if table_exists(con, "reporting_coverage"):
        ok = [
            ym for ym, rate in con.execute(COVERAGE_RATE_BY_MONTH).fetchall() if rate is not None and rate >= min_rate
        ]
        if ok:
            return ok[-1]
    latest = con.execute("SELECT max(period) FROM marts.enterprise_months").fetchone()[0]
    if latest is None:
        raise RuntimeError("服务库中没有企业月度运行数据，无法生成报告")
    return latest.strftime("%Y-%m")


def _month_date(ym: str) -> dt.date:
    y, m = (int(x) for x in ym.split("-"))
    return dt.date(y, m, 1)


def _shift(d: dt.date, months: int) -> dt.date:
    n = d.year * 12 + d.month - 1 + months
    return dt.date(n // 12, n % 12 + 1, 1)


def build_report(con, month: str | None = None, region_code: str | None = None) -> Report:
    """All figures and texts of one edition. `con` is a read-only connection on the serving copy."""
    month = month or default_month(con)
    names = region_names(con)
    if region_code and region_code != PROVINCE and region_code not in names:
        raise ValueError(f"未知的市州代码：{region_code}")
    region = None if region_code in (None, "", PROVINCE) else region_code
    region_name = names[region] if region else "湖北省"
    m = _month_date(month)
    params: dict[str, Any] = {
        "month": m,
        "prev_month": _shift(m, -1),
        "prev_year": _shift(m, -12),
        "first_month": _shift(m, -11),
        "year": m.year,
        "region": region,
        "sentiment_region": region or PROVINCE,
    }
    f = Figures(con, params)
    ctx = narrative.Context(f, month=month, region=region, region_name=region_name)
    sections = [
        section_operating(f, ctx),
        section_sentiment(f, ctx),
        section_tiers(f, ctx),
        section_arrears(f, ctx),
        section_financing(f, ctx),
        section_signals(f, ctx),
        section_plan(f, ctx),
        section_coverage(f, ctx, table_exists(con, "reporting_coverage")),
    ]
    sections.append(section_annex(f, ctx))
    summary = narrative.summary(ctx)
    f.keep_quoted()
    published_at = _published_at(con)
    return Report(
        month=month,
        region_code=region,
        region_name=region_name,
        title=f"{region_name}中小企业运行监测分析报告",
        summary=summary,
        sections=sections,
        figures=f,
        published_at=published_at,
        coverage_available=table_exists(con, "reporting_coverage"),
    )


def _published_at(con) -> str:
    try:
        row = con.execute("SELECT max(published_at) FROM audit.publication").fetchone()
        if row and row[0]:
            return str(row[0])[:16]
    except Exception:  # noqa: BLE001 - the audit table is optional in old copies
        pass
    return ""


def R(col: str = "region_code") -> str:  # noqa: N802 - reads like SQL
    """The 市州 filter of an edition: every row for the province, one 市州's rows for a 市州 edition."""
    return f"($region IS NULL OR {col} = $region)"


# ------------------------------------------------------------------ 一、总体运行
OP = f"FROM marts.board_operating_months WHERE period = $month AND {R()}"
MATCHED = f"""FROM marts.enterprise_months AS a
JOIN marts.enterprise_months AS b ON b.uscc = a.uscc AND b.period = $other
WHERE a.period = $month AND {R("a.region_code")}"""


def _matched_growth(col: str) -> str:
    return f"SELECT sum(a.{col}) / nullif(sum(b.{col}), 0) - 1 {MATCHED} AND a.{col} IS NOT NULL AND b.{col} IS NOT NULL HAVING sum(b.{col}) > 0"


def section_operating(f: Figures, ctx: narrative.Context) -> Section:
    f.add("op_firms", "firms", f"SELECT sum(firms) {OP}")
    f.add("op_revenue_ytd", "amount", f"SELECT sum(revenue_ytd) {OP}")
    f.add(
        "op_revenue_ytd_yoy",
        "growth",
        f"SELECT sum(revenue_ytd_matched) / nullif(sum(revenue_ytd_prev_year), 0) - 1 {OP}",
    )
    f.add("op_revenue_month", "amount", f"SELECT sum(revenue_month) {OP}")
    # 环比 as the board's card ops_rev_mom (口径 3.3): Σ当月营业收入 this month against last month, firms not matched
    f.add(
        "op_revenue_mom",
        "mom",
        f"""SELECT sum(revenue_month) FILTER (period = $month)
                   / nullif(sum(revenue_month) FILTER (period = $prev_month), 0) - 1
            FROM marts.board_operating_months WHERE period IN ($month, $prev_month) AND {R()}""",
    )
    f.add("op_profit_ytd", "amount", f"SELECT sum(profit_ytd) {OP}")
    f.add("op_profit_ytd_yoy", "growth", _matched_growth("profit_ytd"), other=f.params["prev_year"])
    f.add(
        "op_power",
        "energy",
        f"SELECT sum(power_use) FROM marts.enterprise_months WHERE period = $month AND {R()}",
    )
    f.add("op_power_yoy", "growth", _matched_growth("power_use"), other=f.params["prev_year"])
    f.add(
        "op_orders",
        "amount",
        f"SELECT sum(new_orders) FROM marts.enterprise_months WHERE period = $month AND {R()}",
    )
    f.add("op_orders_yoy", "growth", _matched_growth("new_orders"), other=f.params["prev_year"])
    f.add("op_loss_share", "pct", f"SELECT sum(loss_making_firms) * 1.0 / nullif(sum(firms), 0) {OP}")

    # by 市州 (province) or by 门类 (a 市州 edition): the YoY of cumulative revenue, same 口径 as the board
    dim, dim_name = ("region_code", "市州") if ctx.region is None else ("section_code", "行业")
    by = f.rows(
        f"""SELECT {dim}, sum(revenue_ytd_matched) / nullif(sum(revenue_ytd_prev_year), 0) - 1 AS yoy,
                   sum(revenue_ytd) AS rev
            {OP} GROUP BY ALL HAVING sum(revenue_ytd_prev_year) > 0 ORDER BY yoy DESC, {dim}"""
    )
    label = ctx.region_label if ctx.region is None else ctx.section_label
    ctx.op_by = [(label(k), y, r) for k, y, r in by]
    if by:
        top, bottom = by[0][0], by[-1][0]
        q = f"SELECT sum(revenue_ytd_matched) / nullif(sum(revenue_ytd_prev_year), 0) - 1 {OP} AND {dim} = $key"
        f.add("op_top_yoy", "growth", q, key=top)
        ctx.words["op_top_name"] = label(top)
        if bottom != top:
            f.add("op_bottom_yoy", "growth", q, key=bottom)
            ctx.words["op_bottom_name"] = label(bottom)
        ctx.words["op_dim"] = dim_name
    trend = f.rows(
        f"""SELECT strftime(period, '%Y-%m'), sum(revenue_ytd_matched) / nullif(sum(revenue_ytd_prev_year), 0) - 1
            FROM marts.board_operating_months WHERE period BETWEEN $first_month AND $month AND {R()}
            GROUP BY ALL ORDER BY 1"""
    )
    s = Section("operating", "一、总体运行", narrative.render("operating", ctx))
    s.charts.append(
        charts.line([t[0][2:] for t in trend], [_pct(t[1]) for t in trend], "营业收入累计同比（%）", zero=True)
    )
    top = ctx.op_by[:12] if ctx.region is None else ctx.op_by[:10]
    s.charts.append(
        charts.bars([t[0] for t in top], [_pct(t[1]) for t in top], f"分{dim_name}营业收入累计同比（%）", signed=True)
    )
    return s


def _pct(v: float | None) -> float:
    return 0.0 if v is None else round(v * 100, 2)


# ------------------------------------------------------------------ 二、景气指数
SI = "FROM marts.sentiment_index WHERE region_code = $sentiment_region AND industry_group = '全部'"


def section_sentiment(f: Figures, ctx: narrative.Context) -> Section:
    f.add("si_composite", "index", f"SELECT index_value {SI} AND month = $month AND indicator_code = 'composite'")
    f.add(
        "si_change",
        "points_change",
        f"""SELECT max(CASE WHEN month = $month THEN index_value END) - max(CASE WHEN month = $prev_month THEN index_value END)
            {SI} AND indicator_code = 'composite' AND month IN ($month, $prev_month)""",
    )
    subs = f.rows(
        f"""SELECT indicator_code, indicator_name, index_value {SI} AND month = $month AND indicator_level = 'sub_index'
            ORDER BY index_value DESC, indicator_code"""
    )
    ctx.si_subs = subs
    q = f"SELECT index_value {SI} AND month = $month AND indicator_level = 'sub_index' AND indicator_code = $code"
    if subs:
        f.add("si_sub_high", "index", q, code=subs[0][0])
        f.add("si_sub_low", "index", q, code=subs[-1][0])
        ctx.words["si_sub_high_name"], ctx.words["si_sub_low_name"] = subs[0][1], subs[-1][1]
        ctx.words["si_below_line"] = "、".join(n for _, n, v in subs if v < settings.INDEX_LINE)
    trend = f.rows(
        f"""SELECT strftime(month, '%Y-%m'), index_value {SI} AND indicator_code = 'composite'
            AND month BETWEEN $first_month AND $month ORDER BY 1"""
    )
    s = Section("sentiment", "二、景气指数", narrative.render("sentiment", ctx))
    s.charts.append(charts.line([t[0][2:] for t in trend], [t[1] for t in trend], "综合景气指数", line=100))
    s.charts.append(charts.bars([x[1] for x in subs], [x[2] for x in subs], "分项景气指数（临界值100）", line=100))
    return s


# ------------------------------------------------------------------ 三、专精特新梯度培育
POOL_YEAR = "(SELECT max(assessment_year) FROM marts.cultivation_pool)"
PROFILE_YEAR = "(SELECT max(profile_year) FROM marts.enterprise_profiles WHERE profile_year <= $year)"
TP = f"FROM marts.enterprise_profiles WHERE profile_year = {PROFILE_YEAR} AND title_status = '有效' AND {R()}"
FAILED_YEAR = "(SELECT max(assessment_year) FROM marts.board_tier_failed_conditions)"


def section_tiers(f: Figures, ctx: narrative.Context) -> Section:
    # 有效资质企业数 (口径 2.8): the profile of the report's year (or the latest earlier one), title_status = 有效
    for i, t in enumerate(TITLES):
        f.add(f"tier_count_{i}", "firms", f"SELECT count(DISTINCT uscc) {TP} AND current_title = $t", t=t)
        f.add(
            f"tier_new_{i}",
            "firms",
            f"SELECT count(DISTINCT uscc) {TP} AND current_title = $t AND title_year = $year",
            t=t,
        )
    ctx.words["profile_year"] = str(f.value(f"SELECT {PROFILE_YEAR}") or "")
    f.add(
        "pool_zjtx",
        "firms",
        f"""SELECT count(DISTINCT uscc) FROM marts.cultivation_pool WHERE assessment_year = {POOL_YEAR}
            AND target = '专精特新' AND is_candidate AND {R()}""",
    )
    f.add(
        "pool_zjtx_eligible",
        "firms",
        f"""SELECT count(DISTINCT uscc) FROM marts.cultivation_pool WHERE assessment_year = {POOL_YEAR}
            AND target = '专精特新' AND pool_type = '符合条件未认定' AND {R()}""",
    )
    f.add(
        "pool_all",
        "firms",
        f"""SELECT count(DISTINCT uscc) FROM marts.cultivation_pool WHERE assessment_year = {POOL_YEAR}
            AND is_candidate AND {R()}""",
    )
    ctx.words["pool_year"] = str(f.value(f"SELECT {POOL_YEAR}") or "")
    gaps = f.rows(
        f"""SELECT condition_code, failed_condition, sum(firms) AS n FROM marts.board_tier_failed_conditions
            WHERE assessment_year = {FAILED_YEAR} AND condition_tier = '专精特新' AND condition_kind = '未满足' AND {R()}
            GROUP BY ALL ORDER BY n DESC, condition_code LIMIT 5"""
    )
    ctx.gaps = []
    q = f"""SELECT sum(firms) FROM marts.board_tier_failed_conditions WHERE assessment_year = {FAILED_YEAR}
            AND condition_code = $code AND condition_kind = '未满足' AND {R()}"""
    for i, (code, name, _n) in enumerate(gaps[: settings.TOP_N]):
        f.add(f"gap_{i}", "firms", q, code=code)
        ctx.gaps.append((name.split("：", 1)[-1], f"gap_{i}"))
    s = Section("tiers", "三、专精特新梯度培育", narrative.render("tiers", ctx))
    counts = [f.get(f"tier_count_{i}").value if f.get(f"tier_count_{i}") else 0 for i in range(len(TITLES))]
    s.charts.append(charts.bars(["专精特新“小巨人”", "专精特新", "创新型"], counts, "各层级企业数（家）"))
    if gaps:
        s.charts.append(
            charts.bars(
                [g[1].split("：", 1)[-1] for g in gaps],
                [g[2] for g in gaps],
                "专精特新主要未满足条件（家）",
                horizontal=True,
            )
        )
    return s


# ------------------------------------------------------------------ 四、清欠工作
AR = f"FROM marts.arrears_progress WHERE is_latest_ledger AND {R()}"
AC = f"FROM marts.arrears_cases WHERE is_in_latest_ledger AND {R()}"


def section_arrears(f: Figures, ctx: narrative.Context) -> Section:
    f.add("ar_amount", "amount", f"SELECT sum(amount) {AR}")
    f.add("ar_repaid", "amount", f"SELECT sum(repaid) {AR}")
    f.add("ar_clearance", "pct", f"SELECT sum(repaid) / nullif(sum(amount), 0) {AR}")
    f.add("ar_undisputed_clearance", "pct", f"SELECT sum(undisputed_repaid) / nullif(sum(undisputed_amount), 0) {AR}")
    f.add("ar_undisputed_unpaid", "amount", f"SELECT coalesce(sum(undisputed_unpaid), 0) {AR}")
    ctx.words["ar_as_of"] = _date_cn(f.value(f"SELECT max(as_of) {AR}"))
    types = f.rows(
        f"""SELECT coalesce(debtor_type, '未知'), sum(repaid) / nullif(sum(amount), 0) AS r, sum(outstanding)
            {AR} GROUP BY ALL HAVING sum(amount) > 0 ORDER BY r, 1"""
    )
    if len(types) > 1 and types[0][1] < types[-1][1]:  # the lowest only when the types differ
        f.add(
            "ar_type_low",
            "pct",
            f"SELECT sum(repaid) / nullif(sum(amount), 0) {AR} AND coalesce(debtor_type, '未知') = $t",
            t=types[0][0],
        )
        ctx.words["ar_type_low_name"] = types[0][0]
    f.add("ar_over_365", "amount", f"SELECT coalesce(sum(outstanding), 0) {AC} AND ageing_bucket = '>365天'")
    f.add("ar_outstanding", "amount", f"SELECT sum(outstanding) {AR}")
    ageing = f.rows(
        f"""SELECT ageing_bucket, ageing_bucket_order, sum(outstanding) {AC} AND ageing_bucket_order >= 0
            GROUP BY ALL ORDER BY 2"""
    )
    s = Section("arrears", "四、清欠工作", narrative.render("arrears", ctx))
    s.charts.append(charts.bars([t[0] for t in types], [_pct(t[1]) for t in types], "分债务人类型清偿进度（%）"))
    s.charts.append(charts.bars([a[0] for a in ageing], [a[2] or 0 for a in ageing], "未清偿金额按账龄（万元）"))
    return s


def _date_cn(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# ------------------------------------------------------------------ 五、融资服务
FS = f"FROM marts.financing_summary WHERE is_all_channels AND {R()}"


def section_financing(f: Figures, ctx: narrative.Context) -> Section:
    f.add("fin_applications", "cases", f"SELECT sum(applications) {FS} AND month = $month")
    f.add("fin_approval", "pct", f"SELECT sum(approved) / nullif(sum(decided), 0) {FS} AND month = $month")
    f.add(
        "fin_approval_change",
        "share_change",
        f"""SELECT sum(approved) FILTER (month = $month) / nullif(sum(decided) FILTER (month = $month), 0)
                 - sum(approved) FILTER (month = $prev_month) / nullif(sum(decided) FILTER (month = $prev_month), 0)
            {FS} AND month IN ($month, $prev_month)""",
    )
    f.add("fin_amount", "amount", f"SELECT sum(amount_approved) {FS} AND month = $month")
    f.add(
        "fin_inclusive",
        "pct",
        f"SELECT sum(inclusive_share * amount_approved) / nullif(sum(amount_approved), 0) {FS} AND month = $month",
    )
    sizes = f.rows(
        f"""SELECT size_class, sum(approved) / nullif(sum(decided), 0) {FS} AND month = $month
            GROUP BY size_class HAVING sum(decided) > 0 ORDER BY CASE size_class WHEN 'medium' THEN 1 WHEN 'small' THEN 2 ELSE 3 END"""
    )
    ctx.fin_sizes = []
    for size, _ in sizes:
        f.add(
            f"fin_approval_{size}",
            "pct",
            f"SELECT sum(approved) / nullif(sum(decided), 0) {FS} AND month = $month AND size_class = $size",
            size=size,
        )
        ctx.fin_sizes.append((SIZE_NAMES.get(size, size), f"fin_approval_{size}"))
    reasons = f.rows(
        f"""SELECT coalesce(nullif(refusal_reason, ''), '未填写') AS r, count(*) AS n FROM marts.financing_applications
            WHERE is_refused AND month BETWEEN $q_start AND $month AND {R()} GROUP BY ALL ORDER BY n DESC, r LIMIT 6""",
        q_start=_shift(f.params["month"], -2),
    )
    ctx.reasons = []
    for i, (reason, _n) in enumerate(reasons[: settings.TOP_N]):
        f.add(
            f"fin_reason_{i}",
            "cases",
            f"""SELECT count(*) FROM marts.financing_applications WHERE is_refused AND month BETWEEN $q_start AND $month
                AND coalesce(nullif(refusal_reason, ''), '未填写') = $reason AND {R()}""",
            q_start=_shift(f.params["month"], -2),
            reason=reason,
        )
        ctx.reasons.append((reason, f"fin_reason_{i}"))
    s = Section("financing", "五、融资服务", narrative.render("financing", ctx))
    s.charts.append(
        charts.bars([SIZE_NAMES.get(x[0], x[0]) for x in sizes], [_pct(x[1]) for x in sizes], "分规模融资获批率（%）")
    )
    if reasons:
        s.charts.append(
            charts.bars([r[0] for r in reasons], [r[1] for r in reasons], "近三个月拒贷原因（笔）", horizontal=True)
        )
    return s


# ------------------------------------------------------------------ 六、问题诉求与风险预警
SIGNALS = f"""WITH p AS (
    SELECT month, category_code, category_name, sum(citing_firms) * 1.0 / nullif(sum(reporting_firms), 0) AS share
    FROM marts.problem_signals WHERE {R()} AND month <= $month GROUP BY ALL),
c AS (
    SELECT category_code, category_name, month, share,
           share - avg(share) OVER (PARTITION BY category_code ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
               AS change
    FROM p)
"""
AL = f"FROM marts.enterprise_alerts WHERE period = $month AND {R()}"


def section_signals(f: Figures, ctx: narrative.Context) -> Section:
    rising = f.rows(
        SIGNALS
        + "SELECT category_code, category_name, share, change FROM c WHERE month = $month AND change IS NOT NULL "
        "ORDER BY change DESC, category_code"
    )
    ctx.rising = rising
    if rising:
        code = rising[0][0]
        f.add(
            "sig_top_share",
            "pct",
            SIGNALS + "SELECT share FROM c WHERE month = $month AND category_code = $code",
            code=code,
        )
        f.add(
            "sig_top_change",
            "share_change",
            SIGNALS + "SELECT change FROM c WHERE month = $month AND category_code = $code",
            code=code,
        )
        ctx.words["sig_top_name"] = rising[0][1]
        ctx.words["sig_top_trend"] = fmt.trend_pp(rising[0][3])
    top_share = f.rows(
        SIGNALS
        + "SELECT category_code, category_name FROM c WHERE month = $month ORDER BY share DESC, category_code LIMIT 1"
    )
    if top_share:
        f.add(
            "sig_max_share",
            "pct",
            SIGNALS + "SELECT share FROM c WHERE month = $month AND category_code = $code",
            code=top_share[0][0],
        )
        ctx.words["sig_max_name"] = top_share[0][1]
    f.add("al_count", "alerts", f"SELECT count(*) {AL}")
    f.add("al_firms", "firms", f"SELECT count(DISTINCT uscc) {AL}")
    f.add(
        "al_mom",
        "mom",
        f"""SELECT count(*) FILTER (period = $month) * 1.0 / nullif(count(*) FILTER (period = $prev_month), 0) - 1
            FROM marts.enterprise_alerts WHERE period IN ($month, $prev_month) AND {R()}""",
    )
    rules = f.rows(f"SELECT alert_code, alert_name, count(*) AS n {AL} GROUP BY ALL ORDER BY n DESC, alert_code")
    if rules:
        f.add("al_rule_top", "alerts", f"SELECT count(*) {AL} AND alert_code = $code", code=rules[0][0])
        ctx.words["al_rule_top_name"] = rules[0][1]
    s = Section("signals", "六、问题诉求与风险预警", narrative.render("signals", ctx))
    if ctx.region is None:
        regs = f.rows(f"SELECT region_code, count(*) AS n {AL} GROUP BY ALL ORDER BY n DESC, region_code")
        if regs:
            f.add("al_region_top", "alerts", f"SELECT count(*) {AL} AND region_code = $code", code=regs[0][0])
            ctx.words["al_region_top_name"] = ctx.region_label(regs[0][0])
            s.paragraphs += narrative.render("signals_regions", ctx)
        s.charts.append(
            charts.bars([ctx.region_label(r[0]) for r in regs], [r[1] for r in regs], "分市州预警数量（条）")
        )
    s.charts.insert(
        0, charts.bars([r[1] for r in rules], [r[2] for r in rules], "分规则预警数量（条）", horizontal=True)
    )
    if ctx.region is not None:
        s.charts.append(
            charts.bars(
                [r[1] for r in rising[:8]],
                [_pct(r[3]) for r in rising[:8]],
                "诉求占比较前三月均值变化（百分点）",
                signed=True,
            )
        )
    return s


# ------------------------------------------------------------------ 七、“十四五”目标进展
PT = "FROM marts.plan_targets WHERE is_latest_actual"


def section_plan(f: Figures, ctx: narrative.Context) -> Section:
    f.add("plan_targets", "items", f"SELECT count(DISTINCT target_id) {PT}")
    f.add("plan_on_track", "items", f"SELECT count(DISTINCT target_id) {PT} AND on_track")
    f.add("plan_behind", "items", f"SELECT count(DISTINCT target_id) {PT} AND on_track = false")
    lag = f.rows(f"SELECT target_id, target_name {PT} AND on_track = false ORDER BY progress, target_id LIMIT 1")
    if lag:
        f.add("plan_lowest", "pct", f"SELECT progress {PT} AND target_id = $tid", tid=lag[0][0])
        ctx.words["plan_lowest_name"] = lag[0][1]
    rows = f.rows(
        f"""SELECT target_id, target_name, unit, year, target_value, actual, source, progress, on_track {PT}
            ORDER BY target_id"""
    )
    s = Section("plan", "七、“十四五”目标进展", narrative.render("plan", ctx))
    s.tables.append(
        Table(
            "“十四五”规划目标完成情况（全省）",
            ["编号", "目标", "年份", "目标值", "实际值", "来源", "完成进度", "按进度"],
            [
                [
                    r[0],
                    r[1],
                    str(r[3]),
                    _plain(r[4], r[2]),
                    _plain(r[5], r[2]),
                    {"computed": "平台计算", "official": "官方统计"}.get(r[6], "暂无"),
                    fmt.pct(r[7]) if r[7] is not None else "—",
                    {True: "是", False: "否"}.get(r[8], "—"),
                ]
                for r in rows
            ],
        )
    )
    prog = [(r[0], _pct(min(r[7], 1.5))) for r in rows if r[7] is not None]
    s.charts.append(charts.bars([p[0] for p in prog], [p[1] for p in prog], "目标完成进度（%）", line=100))
    return s


def _plain(v, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "比例":
        return fmt.pct(v)
    return fmt.num(v, 0) if float(v).is_integer() else fmt.num(v, 2)


# ------------------------------------------------------------------ 八、报送情况
RC = f"FROM marts.reporting_coverage WHERE month = $month AND {R()}"


def section_coverage(f: Figures, ctx: narrative.Context, available: bool) -> Section:
    ctx.coverage = available
    s = Section("coverage", "八、报送情况")
    if not available:
        s.paragraphs = narrative.render("coverage_missing", ctx)
        return s
    f.add("rc_expected", "firms", f"SELECT sum(expected_firms) {RC}")
    f.add("rc_rate", "pct", f"SELECT sum(reported_firms) * 1.0 / nullif(sum(expected_firms), 0) {RC}")
    f.add("rc_on_time", "pct", f"SELECT sum(on_time_firms) * 1.0 / nullif(sum(expected_firms), 0) {RC}")
    f.add("rc_missing", "firms", f"SELECT sum(missing_firms) {RC}")
    f.add(
        "rc_missing_2",
        "firms",
        f"""SELECT count(DISTINCT uscc) FROM marts.missing_reports WHERE month = $month AND consecutive_missing_months >= 2
            AND {R()}""",
    )
    by = f.rows(
        f"""SELECT region_code, sum(reported_firms) * 1.0 / nullif(sum(expected_firms), 0) AS r {RC}
            GROUP BY ALL HAVING sum(expected_firms) > 0 ORDER BY r, region_code"""
    )
    if ctx.region is None and by:
        f.add(
            "rc_low",
            "pct",
            f"SELECT sum(reported_firms) * 1.0 / nullif(sum(expected_firms), 0) {RC} AND region_code = $code",
            code=by[0][0],
        )
        ctx.words["rc_low_name"] = ctx.region_label(by[0][0])
    trend = f.rows(
        f"""SELECT strftime(month, '%Y-%m'), sum(reported_firms) * 1.0 / nullif(sum(expected_firms), 0),
                   sum(on_time_firms) * 1.0 / nullif(sum(expected_firms), 0)
            FROM marts.reporting_coverage WHERE month BETWEEN $first_month AND $month AND {R()} GROUP BY ALL ORDER BY 1"""
    )
    s.paragraphs = narrative.render("coverage", ctx)
    s.charts.append(
        charts.line(
            [t[0][2:] for t in trend],
            [_pct(t[1]) for t in trend],
            "报送率（%）",
            second=[_pct(t[2]) for t in trend],
            second_label="及时率（%）",
        )
    )
    if ctx.region is None:
        s.charts.append(
            charts.bars([ctx.region_label(b[0]) for b in by], [_pct(b[1]) for b in by], "分市州报送率（%）")
        )
    return s


# ------------------------------------------------------------------ 附表
def section_annex(f: Figures, ctx: narrative.Context) -> Section:
    dim = "region_code" if ctx.region is None else "section_code"
    rows = f.rows(
        f"""SELECT {dim}, sum(firms), sum(revenue_ytd), sum(revenue_ytd_matched) / nullif(sum(revenue_ytd_prev_year), 0) - 1,
                   sum(profit_ytd), sum(loss_making_firms) * 1.0 / nullif(sum(firms), 0),
                   sum(total_liabilities) / nullif(sum(total_assets), 0)
            {OP} GROUP BY ALL ORDER BY 3 DESC NULLS LAST"""
    )
    label = ctx.region_label if ctx.region is None else ctx.section_label
    s = Section("annex", "附表")
    s.tables.append(
        Table(
            f"附表1 {fmt.month_cn(ctx.month)}分{'市州' if ctx.region is None else '行业'}主要运行指标",
            [
                "市州" if ctx.region is None else "行业",
                "报送企业（家）",
                "营业收入累计",
                "累计同比",
                "利润总额累计",
                "亏损面",
                "资产负债率",
            ],
            [
                [
                    label(r[0]),
                    str(int(r[1] or 0)),
                    fmt.amount(r[2] or 0),
                    fmt.growth(r[3], "").replace("增长", "+").replace("下降", "-") if r[3] is not None else "—",
                    fmt.amount(r[4] or 0),
                    fmt.pct(r[5]) if r[5] is not None else "—",
                    fmt.pct(r[6]) if r[6] is not None else "—",
                ]
                for r in rows
            ],
        )
    )
    return s
