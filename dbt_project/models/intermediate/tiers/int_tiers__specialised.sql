{{ config(materialized='view') }}  -- read once, by tier_assessments: writing three wide tables cost more than computing them inline
-- 专精特新中小企业: v2022 (DOMAIN_RULES §1.2, 13-indicator score + gates E1–E4 + 直通 a–d, Hubei 特色化
-- placeholder from var tier_feature) and v2026 (§1.4, gates with thresholds from var tier_v2026; the
-- 专精特新发展评价 platform score is an input the contract does not carry yet, so that gate stays unmet).
-- One row per enterprise × data year × configured rule version.
{%- set c = tier_v2022() %}
{%- set n = tier_cfg('tier_v2026') %}
{%- set f = tier_cfg('tier_feature') %}
{%- set fc22 = [
    {'code': 'TIER_NOT_SME', 'gate': 'gate_sme',
     'text': "'非中小企业（划型：' || " ~ size_class_label('size_class') ~ " || '）'"},
    {'code': 'ZJTX_NICHE_YEARS_LT_2', 'gate': 'gate_niche_years',
     'text': "'细分市场年限' || coalesce(niche_years::varchar, '未填') || '<" ~ c['zjtx_niche_years_min'] ~ "年'"},
    {'code': 'ZJTX_RD_EXPENSE_LT_100', 'gate': 'gate_rd_expense',
     'text': "'研发费用' || " ~ fmt_num('rd_expense') ~ " || '万元<" ~ c['zjtx_rd_min'] ~ "万元'"},
    {'code': 'ZJTX_RD_RATIO_LT_3PCT', 'gate': 'gate_rd_ratio',
     'text': "'研发费用占比' || " ~ fmt_pct('rd_ratio') ~ " || '<3%'"},
    {'code': 'ZJTX_REVENUE_LT_1000_EQUITY_LT_2000', 'gate': 'gate_revenue_or_equity',
     'text': "'营业收入' || " ~ fmt_num('revenue') ~ " || '万元<" ~ c['zjtx_revenue_min'] ~ "万元且近2年合格机构投资<" ~ c['zjtx_equity_2y_min'] ~ "万元'"},
    {'code': 'ZJTX_TOTAL_LT_60', 'gate': 'gate_total_score', 'when': 'not direct_pass_met',
     'text': "'总分' || total_score || '<" ~ c['zjtx_total_min'] ~ "'"},
    {'code': 'ZJTX_AWARD_RANK_UNVERIFIED', 'counts': false,
     'fail': 'not direct_pass_met and not coalesce(gate_total_score, false) and dp_st_award is null',
     'text': "'国家级科技奖励排名待核实（直通需前五）'"},
] %}
{%- set fc26 = [
    {'code': 'TIER_NOT_SME', 'gate': 'gate_sme',
     'text': "'非中小企业（划型：' || " ~ size_class_label('size_class') ~ " || '）'"},
    {'code': 'ZJTX26_NO_CXX_TITLE', 'gate': 'gate_title_prerequisite', 'text': "'未持有科技和创新型（创新型）资质'"},
    {'code': 'ZJTX26_NICHE_YEARS_LOW', 'gate': 'gate_niche_years',
     'text': "'细分市场年限' || coalesce(niche_years::varchar, '未填') || '<" ~ n['zjtx_niche_years_min'] ~ "年'"},
    {'code': 'ZJTX26_REVENUE_EQUITY_LOW', 'gate': 'gate_revenue_or_equity',
     'text': "'营业收入' || " ~ fmt_num('revenue') ~ " || '万元<" ~ n['zjtx_revenue_min'] ~ "万元且近2年合格机构投资<" ~ n['zjtx_equity_2y_min'] ~ "万元'"},
    {'code': 'ZJTX26_MAIN_SHARE_LOW', 'gate': 'gate_main_revenue_share',
     'text': "'主营业务收入占比' || " ~ fmt_pct('main_revenue_share') ~ " || '<" ~ ('%g' | format(n['zjtx_main_share_min'] * 100)) ~ "%'"},
    {'code': 'ZJTX26_DEBT_RATIO_HIGH', 'gate': 'gate_debt_ratio',
     'text': "'资产负债率' || " ~ fmt_pct('debt_ratio') ~ " || '>" ~ ('%g' | format(n['zjtx_debt_ratio_max'] * 100)) ~ "%'"},
    {'code': 'ZJTX26_RD_EXPENSE_2Y_LOW', 'gate': 'gate_rd_expense', 'text': "'近2年研发费用未均达" ~ n['zjtx_rd_min'] ~ "万元'"},
    {'code': 'ZJTX26_RD_RATIO_2Y_LOW', 'gate': 'gate_rd_ratio',
     'text': "'近2年研发费用占比未均达" ~ ('%g' | format(n['zjtx_rd_ratio_min'] * 100)) ~ "%'"},
    {'code': 'ZJTX26_IP_CLASS1_LOW', 'gate': 'gate_ip_class1',
     'text': "'Ⅰ类知识产权' || ip_class1 || '<" ~ n['zjtx_ip_class1_min'] ~ "'"},
    {'code': 'ZJTX26_PLATFORM_SCORE_MISSING', 'gate': 'gate_platform_score',
     'text': "'专精特新发展评价得分未报送（需≥" ~ n['zjtx_platform_score_min'] ~ "）'"},
] %}
with i as (
    select * from {{ ref('int_tiers__inputs') }}
),

v as (
    select * from {{ tier_versions_relation() }}
),

base as (
    select
        i.*,
        v.rule_version,
        i.assessment_year between v.primary_from and v.primary_to as is_primary_version,
        size_class in ('medium', 'small', 'micro') as gate_sme
    from i
    inner join v on i.assessment_year between v.from_year and v.to_year
),

-- ---------------------------------------------------------------- v2022
v2022_scored as (
    select
        *,
        case when is_zero_revenue then 0 else {{ band_points('zjtx_main_share', 'main_revenue_share') }} end as pts_main_revenue_share,
        {{ band_points('zjtx_growth_2y', 'main_revenue_growth_2y') }} as pts_growth_2y,
        least(floor(coalesce(niche_years, 0) / 2) * {{ c['zjtx_niche_points_per_2y'] }}, {{ c['zjtx_niche_points_max'] }})::integer
            as pts_niche_years,
        case when len(list_intersect(product_domains, ['补短板', '锻长板', '填空白'])) > 0 then {{ c['zjtx_domain_key_link_points'] }}
             when len(list_intersect(product_domains, ['六基', '中华老字号', '重点产业链配套'])) > 0 then {{ c['zjtx_domain_foundation_points'] }}
             else 0 end as pts_product_domain,
        {{ band_points('zjtx_digital_level', 'digital_level') }} as pts_digital_level,
        least({{ c['zjtx_quality_points_per_item'] }} * quality_item_count, {{ c['zjtx_quality_points_max'] }}) as pts_quality,
        case when is_zero_revenue then 0 else {{ band_points('zjtx_net_margin', 'net_margin') }} end as pts_net_margin,
        {{ band_points('zjtx_debt_ratio', 'debt_ratio') }} as pts_debt_ratio,
        least(feature_h1_points + feature_h2_points + feature_h3_points, {{ f['max_points'] }}) as pts_feature,
        {{ ip_points('zjtx', 'ip_class1_high_value', 'ip_class1_self', 'ip_class1', 'ip_class2') }} as pts_ip,
        greatest({{ band_points('zjtx_rd_amount', 'rd_expense') }},
                 case when is_zero_revenue then 0 else {{ band_points('zjtx_rd_ratio', 'rd_ratio') }} end) as pts_rd_input,
        {{ band_points('zjtx_rd_staff_ratio', 'rd_staff_ratio') }} as pts_rd_staff,
        case rd_institution_level
        {%- for lvl, pts in c['zjtx_rd_institution_points'].items() %}
            when '{{ lvl }}' then {{ pts }}
        {%- endfor %}
            else 0 end as pts_rd_institution
    from base
    where rule_version = 'v2022'
),

v2022_grouped as (
    select
        *,
        pts_main_revenue_share + pts_growth_2y + pts_niche_years + pts_product_domain as group_specialisation,
        pts_digital_level + pts_quality + pts_net_margin + pts_debt_ratio as group_refinement,
        pts_feature as group_feature,
        pts_ip + pts_rd_input + pts_rd_staff + pts_rd_institution as group_innovation
    from v2022_scored
),

v2022_gated as (
    select
        *,
        group_specialisation + group_refinement + group_feature + group_innovation as total_score,
        niche_years >= {{ c['zjtx_niche_years_min'] }} as gate_niche_years,
        rd_expense >= {{ c['zjtx_rd_min'] }} as gate_rd_expense,
        not is_zero_revenue and round(rd_ratio, 9) >= {{ c['zjtx_rd_ratio_min'] }} as gate_rd_ratio,
        revenue >= {{ c['zjtx_revenue_min'] }}
            or (coalesce(revenue, 0) < {{ c['zjtx_revenue_min'] }} and qualified_equity_2y >= {{ c['zjtx_equity_2y_min'] }})
            as gate_revenue_or_equity,
        group_specialisation + group_refinement + group_feature + group_innovation >= {{ c['zjtx_total_min'] }} as gate_total_score,
        -- (a) needs a rank: 省级科技奖励前三 carries it (pass); 国家级科技奖励 carries none (top 5 needed) → NULL, 待核实
        case when coalesce(list_contains(direct_pass, '省级科技奖励前三'), false) then true
             when has_national_st_award then null
             else false end as dp_st_award,
        rd_expense_avg_2y >= {{ c['zjtx_rd_avg_2y_direct'] }} as dp_rd_avg_2y,
        qualified_equity_2y >= {{ c['zjtx_equity_2y_direct'] }} as dp_qualified_equity,
        is_maker_top500 as dp_maker_contest
    from v2022_grouped
),

v2022 as (
    select
        *,
        '{{ f["version"] }}' as feature_version,
        coalesce(dp_st_award or dp_rd_avg_2y or dp_qualified_equity or dp_maker_contest, false) as direct_pass_met,
        nullif(concat_ws('；',
            case when dp_st_award then '(a) 省级科技奖励前三'
                 when dp_st_award is null then '(a) 国家级科技奖励（排名待核实，需前五）' end,
            case when dp_rd_avg_2y then '(b) 近2年研发费用年均' || {{ fmt_num('rd_expense_avg_2y') }} || '万元≥{{ c["zjtx_rd_avg_2y_direct"] }}' end,
            case when dp_qualified_equity then '(c) 近2年合格机构投资' || {{ fmt_num('qualified_equity_2y') }} || '万元≥{{ c["zjtx_equity_2y_direct"] }}' end,
            case when dp_maker_contest then '(d) 创客中国500强' end
        ), '') as direct_pass_conditions,
        case when coalesce(dp_st_award or dp_rd_avg_2y or dp_qualified_equity or dp_maker_contest, false) then '已满足'
             when dp_st_award is null then '待核实' end as direct_pass_status
    from v2022_gated
),

v2022_final as (
    select
        *,
        coalesce(gate_sme and gate_niche_years and gate_rd_expense and gate_rd_ratio and gate_revenue_or_equity, false)
            and (coalesce(gate_total_score, false) or direct_pass_met) as eligible,
        {{ fc_text(fc22) }} as failed_conditions,
        {{ fc_codes(fc22) }} as failed_condition_codes,
        {{ fc_count(fc22) }} as failed_condition_count,
        case when direct_pass_met then 0 else greatest({{ c['zjtx_total_min'] }} - total_score, 0) end as points_missing
    from v2022
),

-- ---------------------------------------------------------------- v2026
v2026 as (
    select
        *,
        null::double as platform_score,
        current_title in ('创新型', '专精特新', '小巨人') as gate_title_prerequisite,
        niche_years >= {{ n['zjtx_niche_years_min'] }} as gate_niche_years,
        revenue >= {{ n['zjtx_revenue_min'] }} or qualified_equity_2y >= {{ n['zjtx_equity_2y_min'] }} as gate_revenue_or_equity,
        not is_zero_revenue and round(main_revenue_share, 9) >= {{ n['zjtx_main_share_min'] }} as gate_main_revenue_share,
        round(debt_ratio, 9) <= {{ n['zjtx_debt_ratio_max'] }} as gate_debt_ratio,
        rd_expense >= {{ n['zjtx_rd_min'] }} and rd_expense_prev >= {{ n['zjtx_rd_min'] }} as gate_rd_expense,
        not is_zero_revenue and round(rd_ratio, 9) >= {{ n['zjtx_rd_ratio_min'] }}
            and round(rd_ratio_prev, 9) >= {{ n['zjtx_rd_ratio_min'] }} as gate_rd_ratio,
        ip_class1 >= {{ n['zjtx_ip_class1_min'] }} or has_st_award or rd_institution_level in ('国家级', '省级') as gate_ip_class1,
        null::boolean as gate_platform_score,
        false as direct_pass_met,
        null::varchar as direct_pass_conditions,
        null::varchar as direct_pass_status,
        null::varchar as feature_version
    from base
    where rule_version = 'v2026'
),

v2026_final as (
    select
        *,
        coalesce(gate_sme and gate_title_prerequisite and gate_niche_years and gate_revenue_or_equity
            and gate_main_revenue_share and gate_debt_ratio and gate_rd_expense and gate_rd_ratio and gate_ip_class1
            and gate_platform_score, false) as eligible,
        {{ fc_text(fc26) }} as failed_conditions,
        {{ fc_codes(fc26) }} as failed_condition_codes,
        {{ fc_count(fc26) }} as failed_condition_count,
        greatest({{ n['zjtx_platform_score_min'] }} - platform_score, 0) as points_missing
    from v2026
)

select *, '专精特新' as tier from v2022_final
union all by name
select *, '专精特新' as tier from v2026_final
