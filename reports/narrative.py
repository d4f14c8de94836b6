"""The narrative: Chinese Jinja2 templates filled with the recorded figures' texts and with verdict words chosen by
the thresholds of reports/settings.py. No language model; a sentence whose figure the data lack is left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jinja2

from reports import fmt
from reports.figures import Figures

SECTIONS = {
    "A": "农林牧渔业", "B": "采矿业", "C": "制造业", "D": "电力燃气及水", "E": "建筑业", "F": "批发和零售业",
    "G": "交通运输仓储邮政", "H": "住宿和餐饮业", "I": "信息技术服务", "J": "金融业", "K": "房地产业",
    "L": "租赁和商务服务", "M": "科学研究和技术服务", "N": "水利环境公共设施", "O": "居民服务修理",
    "P": "教育", "Q": "卫生和社会工作", "R": "文化体育娱乐", "S": "公共管理", "T": "国际组织",
}  # fmt: skip


@dataclass
class Context:
    f: Figures
    month: str
    region: str | None
    region_name: str
    words: dict[str, str] = field(default_factory=dict)
    op_by: list = field(default_factory=list)
    si_subs: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    fin_sizes: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    rising: list = field(default_factory=list)
    coverage: bool = False
    _regions: dict[str, str] | None = None

    def region_label(self, code: str | None) -> str:
        if self._regions is None:
            self._regions = dict(self.f.rows("SELECT region_code, region_name FROM marts.regions"))
        if code == "420000":
            return "省直"
        return self._regions.get(code, "未知") if code else "未知"

    @staticmethod
    def section_label(code: str | None) -> str:
        return SECTIONS.get(code or "", "未知")


_env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)

# One template per section; a blank line separates paragraphs. `t(id)` is the figure's text, `has(id)` says
# whether the data have it, `v(id)` its value for choosing words.
TEMPLATES: dict[str, str] = {
    "operating": """\
{% if has('op_revenue_ytd') %}{{ month_cn }}，{{ scope }}纳入监测的中小企业{{ t('op_firms') }}，累计实现营业收入{{ t('op_revenue_ytd') }}\
{% if has('op_revenue_ytd_yoy') %}，同口径{{ t('op_revenue_ytd_yoy') }}，{{ growth_word(v('op_revenue_ytd_yoy')) }}{% endif %}。\
{% if has('op_revenue_month') %}当月营业收入{{ t('op_revenue_month') }}{% if has('op_revenue_mom') %}，{{ t('op_revenue_mom') }}{% endif %}。{% endif %}\
{% if has('op_profit_ytd') %}累计实现利润总额{{ t('op_profit_ytd') }}{% if has('op_profit_ytd_yoy') %}，{{ t('op_profit_ytd_yoy') }}{% endif %}{% if has('op_loss_share') %}；亏损面为{{ t('op_loss_share') }}{% endif %}。{% endif %}{% endif %}

{% if has('op_power') %}从先行指标看，当月用电量{{ t('op_power') }}{% if has('op_power_yoy') %}，{{ t('op_power_yoy') }}{% endif %}\
{% if has('op_orders') %}；新签订单额{{ t('op_orders') }}{% if has('op_orders_yoy') %}，{{ t('op_orders_yoy') }}{% endif %}{% endif %}。\
{% if has('op_orders_yoy') and has('op_power_yoy') %}{{ lead_comment }}{% endif %}{% endif %}

{% if has('op_top_yoy') %}分{{ w.op_dim }}看，{{ w.op_top_name }}营业收入累计{{ t('op_top_yoy') }}，居首位\
{% if has('op_bottom_yoy') %}；{{ w.op_bottom_name }}{{ t('op_bottom_yoy') }}，居末位{% endif %}。{% endif %}
""",
    "sentiment": """\
{% if has('si_composite') %}{{ month_cn }}，{{ scope }}中小企业综合景气指数为{{ t('si_composite') }}，{{ index_word(v('si_composite')) }}\
{% if has('si_change') %}，较上月{{ t('si_change') }}{% endif %}。\
{% if has('si_sub_high') %}分项指数中，{{ w.si_sub_high_name }}最高，为{{ t('si_sub_high') }}；{{ w.si_sub_low_name }}最低，为{{ t('si_sub_low') }}。{% endif %}\
{% if w.si_below_line %}{{ w.si_below_line }}低于临界值100，是当前企业经营中的薄弱环节。{% else %}各分项指数均在临界值100以上。{% endif %}\
{% else %}本月暂无景气调查数据。{% endif %}
""",
    "tiers": """\
按{{ w.profile_year }}年度企业画像，{{ scope }}有效期内的专精特新“小巨人”企业{{ t('tier_count_0') }}、专精特新中小企业{{ t('tier_count_1') }}、创新型中小企业{{ t('tier_count_2') }}；\
其中{{ year }}年新认定“小巨人”{{ t('tier_new_0') }}、专精特新{{ t('tier_new_1') }}、创新型{{ t('tier_new_2') }}。

{% if has('pool_all') %}{{ w.pool_year }}年度培育库入库候选企业{{ t('pool_all') }}，其中以专精特新为培育目标的{{ t('pool_zjtx') }}\
{% if has('pool_zjtx_eligible') %}（已符合条件尚未认定的{{ t('pool_zjtx_eligible') }}，可优先组织申报）{% endif %}。{% endif %}\
{% if gaps %}对照专精特新认定条件，未达标企业的主要差距是：{% for name, fid in gaps %}{{ name }}（{{ t(fid) }}）{% if not loop.last %}、{% endif %}{% endfor %}。{% endif %}
""",
    "arrears": """\
{% if has('ar_amount') %}截至{{ w.ar_as_of }}的最新台账，{{ scope }}登记拖欠中小企业账款{{ t('ar_amount') }}，已清偿{{ t('ar_repaid') }}\
{% if has('ar_clearance') %}，清偿进度{{ t('ar_clearance') }}{% endif %}\
{% if has('ar_undisputed_clearance') %}；其中无分歧欠款清偿进度{{ t('ar_undisputed_clearance') }}{% endif %}\
{% if v('ar_undisputed_unpaid') > 0 %}，尚有无分歧欠款{{ t('ar_undisputed_unpaid') }}未清偿，应按“应清尽清”要求加快清偿\
{% else %}，无分歧欠款已全部清偿{% endif %}。\
{% if has('ar_type_low') %}分债务人类型看，{{ w.ar_type_low_name }}清偿进度最低，为{{ t('ar_type_low') }}。{% endif %}\
{% if has('ar_outstanding') and v('ar_outstanding') > 0 %}未清偿余额{{ t('ar_outstanding') }}中，账龄超过一年的{{ t('ar_over_365') }}。{% endif %}\
{% else %}本期无拖欠账款台账数据。{% endif %}
""",
    "financing": """\
{% if has('fin_applications') %}{{ month_cn }}，{{ scope }}中小企业提交融资申请{{ t('fin_applications') }}\
{% if has('fin_approval') %}，已审批申请的获批率为{{ t('fin_approval') }}{% if has('fin_approval_change') %}，较上月{{ t('fin_approval_change') }}{% endif %}{% endif %}\
{% if has('fin_amount') %}，获批金额{{ t('fin_amount') }}{% endif %}{% if has('fin_inclusive') %}，其中普惠小微贷款占{{ t('fin_inclusive') }}{% endif %}。\
{% if fin_sizes %}分规模看，{% for name, fid in fin_sizes %}{{ name }}企业获批率{{ t(fid) }}{% if not loop.last %}、{% endif %}{% endfor %}。{% endif %}\
{% else %}本月无融资申请记录。{% endif %}
{% if reasons %}近三个月被拒申请中，主要原因是{% for name, fid in reasons %}{{ name }}（{{ t(fid) }}）{% if not loop.last %}、{% endif %}{% endfor %}。{% endif %}
""",
    "signals": """\
{% if has('sig_top_change') %}企业反映的问题诉求中，“{{ w.sig_top_name }}”占比上升最快，反映占比{{ t('sig_top_share') }}，较前三个月均值{{ t('sig_top_change') }}，{{ w.sig_top_trend }}。{% endif %}\
{% if has('sig_max_share') %}反映最多的是“{{ w.sig_max_name }}”，占报送企业的{{ t('sig_max_share') }}。{% endif %}

{% if has('al_count') %}风险预警方面，本月共触发预警{{ t('al_count') }}，涉及企业{{ t('al_firms') }}{% if has('al_mom') %}，预警条数{{ t('al_mom') }}{% endif %}；\
{% if has('al_rule_top') %}按规则看，“{{ w.al_rule_top_name }}”最多，{{ t('al_rule_top') }}。{% endif %}{% endif %}
""",
    "signals_regions": """\
分市州看，{{ w.al_region_top_name }}预警数量最多，{{ t('al_region_top') }}，请相关市州核实并跟进帮扶。
""",
    "plan": """\
{% if has('plan_targets') %}对照《湖北省“十四五”促进中小企业发展规划》，全省{{ t('plan_targets') }}可监测目标中，按进度推进的{{ t('plan_on_track') }}，\
进度滞后的{{ t('plan_behind') }}，其余为官方统计尚无进度要求的指标。\
{% if has('plan_lowest') %}滞后最多的是“{{ w.plan_lowest_name }}”，完成进度{{ t('plan_lowest') }}。{% endif %}{% if region %}本节为全省指标，不分市州。{% endif %}\
{% endif %}
""",
    "coverage": """\
{{ month_cn }}，{{ scope }}应报企业{{ t('rc_expected') }}，报送率{{ t('rc_rate') }}，及时率{{ t('rc_on_time') }}；尚未报送{{ t('rc_missing') }}，\
其中连续两个月及以上未报送的{{ t('rc_missing_2') }}。\
{% if has('rc_low') %}报送率最低的是{{ w.rc_low_name }}，为{{ t('rc_low') }}。{% endif %}
""",
    "coverage_missing": "报送情况数据暂缺（报送率指标尚未发布），本期报告月份按企业月度运行数据的最新月份确定。",
    "summary": """\
{% if has('op_revenue_ytd') %}{{ month_cn }}，{{ scope }}纳入监测的中小企业{{ t('op_firms') }}，累计实现营业收入{{ t('op_revenue_ytd') }}{% if has('op_revenue_ytd_yoy') %}，{{ t('op_revenue_ytd_yoy') }}{% endif %}{% if has('op_profit_ytd_yoy') %}；利润总额{{ t('op_profit_ytd') }}，{{ t('op_profit_ytd_yoy') }}{% endif %}。
{% endif %}
{% if has('op_power_yoy') %}当月用电量{{ t('op_power_yoy') }}{% if has('op_orders_yoy') %}，新签订单额{{ t('op_orders_yoy') }}{% endif %}。
{% endif %}
{% if has('si_composite') %}综合景气指数为{{ t('si_composite') }}，{{ index_word(v('si_composite')) }}{% if has('si_change') %}，较上月{{ t('si_change') }}{% endif %}{% if has('si_sub_low') %}，{{ w.si_sub_low_name }}最低（{{ t('si_sub_low') }}）{% endif %}。
{% endif %}
有效期内专精特新中小企业{{ t('tier_count_1') }}、“小巨人”企业{{ t('tier_count_0') }}{% if has('pool_zjtx_eligible') %}，培育库中已符合专精特新条件尚未认定的{{ t('pool_zjtx_eligible') }}{% endif %}。
{% if has('ar_clearance') %}拖欠中小企业账款清偿进度{{ t('ar_clearance') }}{% if v('ar_undisputed_unpaid') > 0 %}，无分歧欠款尚有{{ t('ar_undisputed_unpaid') }}未清偿{% else %}，无分歧欠款已全部清偿{% endif %}。
{% endif %}
{% if has('fin_approval') %}融资申请获批率{{ t('fin_approval') }}{% if has('fin_inclusive') %}，普惠小微贷款占获批金额的{{ t('fin_inclusive') }}{% endif %}。
{% endif %}
{% if has('al_count') %}本月触发风险预警{{ t('al_count') }}{% if has('sig_top_change') %}，“{{ w.sig_top_name }}”诉求占比较前三个月均值{{ t('sig_top_change') }}{% endif %}。
{% endif %}
{% if has('rc_rate') %}本月报送率{{ t('rc_rate') }}，及时率{{ t('rc_on_time') }}。
{% endif %}
""",
}


def _globals(ctx: Context) -> dict[str, Any]:
    f = ctx.f

    def t(fid: str) -> str:
        f.quoted.add(fid)
        return f[fid].text

    def has(fid: str) -> bool:
        return f.get(fid) is not None

    def v(fid: str) -> float:
        return f[fid].value

    lead = ""
    if has("op_power_yoy") and has("op_orders_yoy"):
        up = (v("op_power_yoy") > 0) + (v("op_orders_yoy") > 0)
        lead = {2: "用电、订单双双增长，生产经营活跃度提升。", 1: "用电、订单一增一减，需求恢复仍不均衡。"}.get(
            up, "用电、订单均同比下降，需关注需求收缩压力。"
        )
    return {
        "t": t,
        "has": has,
        "v": v,
        "w": ctx.words,
        "month_cn": fmt.month_cn(ctx.month),
        "year": ctx.month[:4],
        "scope": "全省" if ctx.region is None else ctx.region_name,
        "region": ctx.region,
        "growth_word": fmt.trend_growth,
        "index_word": fmt.trend_index,
        "lead_comment": lead,
        "gaps": ctx.gaps,
        "fin_sizes": ctx.fin_sizes,
        "reasons": ctx.reasons,
    }


def _text(name: str, ctx: Context) -> str:
    return _env.from_string(TEMPLATES[name]).render(**_globals(ctx))


def render(name: str, ctx: Context) -> list[str]:
    """The section's paragraphs (blank-line separated in the template), empty ones dropped."""
    return [p.replace("\n", "").strip() for p in _text(name, ctx).split("\n\n") if p.strip()]


def summary(ctx: Context) -> list[str]:
    """The first page: one sentence per line of the template (five to eight, depending on the data)."""
    return [line.strip() for line in _text("summary", ctx).splitlines() if line.strip()]
