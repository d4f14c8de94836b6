{{ config(materialized='view') }}  -- read once, by tier_assessments: writing three wide tables cost more than computing them inline
-- 创新型中小企业 (DOMAIN_RULES §1.1) for every configured rule version (v2026 keeps the 1.1 rules for
-- the renamed 科技和创新型 tier). One row per enterprise × data year × rule version.
{%- set c = tier_v2022() %}
with i as (
    select * from {{ ref('int_tiers__inputs') }}
),

v as (
    select * from {{ tier_versions_relation() }}
),

scored as (
    select
        i.*,
        v.rule_version,
        i.assessment_year between v.primary_from and v.primary_to as is_primary_version,
        {{ ip_points('cxx', 'ip_class1_high_value', 'ip_class1_self', 'ip_class1', 'ip_class2') }} as pts_ip,
        case when is_zero_revenue then 0 else {{ band_points('cxx_rd_ratio', 'rd_ratio') }} end as pts_rd_ratio,
        {{ band_points('cxx_growth', 'main_revenue_growth') }} as pts_main_revenue_growth,
        {{ band_points('cxx_debt_ratio', 'debt_ratio') }} as pts_debt_ratio,
        case when list_contains(product_domains, '战略性新兴产业') then {{ c['cxx_domain_strategic_points'] }}
             else {{ c['cxx_domain_other_points'] }} end as pts_product_domain,
        case when is_zero_revenue then 0 else {{ band_points('cxx_main_share', 'main_revenue_share') }} end as pts_main_revenue_share
    from i
    inner join v on i.assessment_year between v.from_year and v.to_year
),

grouped as (
    select
        *,
        pts_ip + pts_rd_ratio as group_innovation,
        pts_main_revenue_growth + pts_debt_ratio as group_growth,
        pts_product_domain + pts_main_revenue_share as group_specialisation,
        pts_ip + pts_rd_ratio + pts_main_revenue_growth + pts_debt_ratio + pts_product_domain + pts_main_revenue_share
            as total_score
    from scored
),

gated as (
    select
        *,
        size_class in ('medium', 'small', 'micro') as gate_sme,
        total_score >= {{ c['cxx_total_min'] }} as gate_total_score,
        group_innovation >= {{ c['cxx_innovation_min'] }} as gate_innovation_group,
        group_growth >= {{ c['cxx_growth_min'] }} as gate_growth_group,
        group_specialisation >= {{ c['cxx_specialisation_min'] }} as gate_specialisation_group,
        -- D1: a national or provincial S&T award of any rank (省级科技奖励前三 or 国家级科技奖励 both count)
        has_st_award as dp_st_award,
        has_recognised_title as dp_recognised_title,
        rd_institution_level in ('国家级', '省级') as dp_rd_institution,
        qualified_equity_3y >= {{ c['cxx_equity_3y_min'] }} as dp_qualified_equity
    from grouped
),

routes as (
    select
        *,
        coalesce(gate_total_score and gate_innovation_group and gate_growth_group and gate_specialisation_group, false)
            as score_route_met,
        coalesce(dp_st_award or dp_recognised_title or dp_rd_institution or dp_qualified_equity, false) as direct_pass_met
    from gated
)

{%- set fc = [
    {'code': 'TIER_NOT_SME', 'gate': 'gate_sme',
     'text': "'非中小企业（划型：' || " ~ size_class_label('size_class') ~ " || '）'"},
    {'code': 'CXX_TOTAL_LT_60', 'gate': 'gate_total_score', 'when': 'not direct_pass_met',
     'text': "'总分' || total_score || '<" ~ c['cxx_total_min'] ~ "'"},
    {'code': 'CXX_INNOVATION_LT_20', 'gate': 'gate_innovation_group', 'when': 'not direct_pass_met',
     'text': "'创新能力得分' || group_innovation || '<" ~ c['cxx_innovation_min'] ~ "'"},
    {'code': 'CXX_GROWTH_LT_15', 'gate': 'gate_growth_group', 'when': 'not direct_pass_met',
     'text': "'成长性得分' || group_growth || '<" ~ c['cxx_growth_min'] ~ "'"},
    {'code': 'CXX_SPECIALISATION_LT_15', 'gate': 'gate_specialisation_group', 'when': 'not direct_pass_met',
     'text': "'专业化得分' || group_specialisation || '<" ~ c['cxx_specialisation_min'] ~ "'"},
] %}
select
    *,
    '创新型' as tier,
    null::varchar as feature_version,
    coalesce(gate_sme, false) and (score_route_met or direct_pass_met) as eligible,
    nullif(concat_ws('；',
        case when dp_st_award then 'D1 省级以上科技奖励' end,
        case when dp_recognised_title then 'D2 高新技术企业/知识产权示范企业' end,
        case when dp_rd_institution then 'D3 省部级以上研发机构' end,
        case when dp_qualified_equity then 'D4 近3年合格机构投资' || {{ fmt_num('qualified_equity_3y') }} || '万元≥{{ c["cxx_equity_3y_min"] }}' end
    ), '') as direct_pass_conditions,
    -- D1 takes a national or provincial award of any rank (DOMAIN_RULES §1.1): no rank to verify
    case when direct_pass_met then '已满足' end as direct_pass_status,
    {{ fc_text(fc) }} as failed_conditions,
    {{ fc_codes(fc) }} as failed_condition_codes,
    {{ fc_count(fc) }} as failed_condition_count,
    case when direct_pass_met or score_route_met then 0 else greatest(
        {{ c['cxx_total_min'] }} - total_score,
        greatest({{ c['cxx_innovation_min'] }} - group_innovation, 0)
          + greatest({{ c['cxx_growth_min'] }} - group_growth, 0)
          + greatest({{ c['cxx_specialisation_min'] }} - group_specialisation, 0),
        0) end as points_missing
from routes
