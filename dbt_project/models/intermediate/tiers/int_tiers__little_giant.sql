{{ config(materialized='view') }}  -- read once, by tier_assessments: writing three wide tables cost more than computing them inline
-- 专精特新"小巨人": v2022 (DOMAIN_RULES §1.3: prerequisite title + 专/精/特/新/链/品, no score) and v2026 (§1.4,
-- thresholds from var tier_v2026; platform score not in the contract yet → that gate stays unmet).
-- Proxies where the contract has no direct field: 核心业务信息化 = 数字化水平 ≥ 2; 管理体系认证 = 质量管理体系认证;
-- 自主品牌 = quality item 自主品牌; 链 = 补短板/锻长板/填空白; 品 = a 产品领域 in var tier_xjr_key_product_domains
-- (default 六基 only: the 10 制造强国 / 网络强国 fields have no value in the template, and 战略性新兴产业 is wider than
-- them, so it does not count). 直通 needs a national award ranked top 3; the template carries no rank, so a
-- 国家级科技奖励 makes the route 待核实 (dp_st_award NULL), never a pass.
{%- set c = tier_v2022() %}
{%- set n = tier_cfg('tier_v2026') %}
{%- set not_sme = {'code': 'TIER_NOT_SME', 'gate': 'gate_sme',
                    'text': "'非中小企业（划型：' || " ~ size_class_label('size_class') ~ " || '）'"} %}
{%- set no_title = {'code': 'XJR_NO_ZJTX_TITLE', 'gate': 'gate_title_prerequisite', 'text': "'未持有专精特新资质'"} %}
{%- set fc22 = [
    not_sme, no_title,
    {'code': 'XJR_NICHE_YEARS_LT_3', 'gate': 'gate_niche_years',
     'text': "'细分市场年限' || coalesce(niche_years::varchar, '未填') || '<" ~ c['xjr_niche_years_min'] ~ "年'"},
    {'code': 'XJR_MAIN_SHARE_LT_70PCT', 'gate': 'gate_main_revenue_share',
     'text': "'主营业务收入占比' || " ~ fmt_pct('main_revenue_share') ~ " || '<70%'"},
    {'code': 'XJR_GROWTH_2Y_LT_5PCT', 'gate': 'gate_growth',
     'text': "'近2年主营业务收入平均增长率' || " ~ fmt_pct('main_revenue_growth_2y') ~ " || '<5%'"},
    {'code': 'XJR_NO_INFO_SYSTEM', 'gate': 'gate_info_system',
     'text': "'核心业务未信息化（数字化水平<" ~ c['xjr_info_system_min_digital_level'] ~ "级）'"},
    {'code': 'XJR_NO_CERTIFICATION', 'gate': 'gate_certification', 'text': "'无管理体系认证'"},
    {'code': 'XJR_DEBT_RATIO_GT_70PCT', 'gate': 'gate_debt_ratio', 'text': "'资产负债率' || " ~ fmt_pct('debt_ratio') ~ " || '>70%'"},
    {'code': 'XJR_NICHE_SHARE_LT_10PCT', 'gate': 'gate_niche_share',
     'text': "'细分市场占有率' || " ~ fmt_pct('niche_share') ~ " || '<10%'"},
    {'code': 'XJR_NO_OWN_BRAND', 'gate': 'gate_own_brand', 'text': "'无自主品牌'"},
    {'code': 'XJR_RD_INTENSITY_LOW', 'gate': 'gate_rd_intensity', 'when': 'not direct_pass_met',
     'text': "'研发投入强度未达营收分档要求'"},
    {'code': 'XJR_NO_RD_INSTITUTION', 'gate': 'gate_rd_institution', 'when': 'not direct_pass_met',
     'text': "'无自建或共建研发机构'"},
    {'code': 'XJR_IP_CLASS1_LT_2', 'gate': 'gate_ip_class1', 'when': 'not direct_pass_met',
     'text': "'Ⅰ类知识产权' || ip_class1 || '<" ~ c['xjr_ip_class1_min'] ~ "'"},
    {'code': 'XJR_AWARD_RANK_UNVERIFIED', 'counts': false,
     'fail': 'not direct_pass_met and not general_route_met and dp_st_award is null',
     'text': "'国家级科技奖励排名待核实（直通需前三）'"},
    {'code': 'XJR_NO_CHAIN_LINK', 'gate': 'gate_chain_link', 'text': "'未在产业链关键环节补短板/锻长板/填空白'"},
    {'code': 'XJR_PRODUCT_NOT_KEY_FIELD', 'gate': 'gate_key_product', 'text': "'主导产品不属于六基/重点领域'"},
] %}
{%- set fc26 = [
    not_sme, no_title,
    {'code': 'XJR26_REVENUE_LOW', 'gate': 'gate_revenue_or_equity',
     'text': "'营业收入' || " ~ fmt_num('revenue') ~ " || '万元<" ~ n['xjr_revenue_min'] ~ "万元'"},
    {'code': 'XJR26_MAIN_SHARE_LOW', 'gate': 'gate_main_revenue_share',
     'text': "'主营业务收入占比' || " ~ fmt_pct('main_revenue_share') ~ " || '<" ~ ('%g' | format(n['xjr_main_share_min'] * 100)) ~ "%'"},
    {'code': 'XJR26_CAGR_2Y_LOW', 'gate': 'gate_growth',
     'text': "'近2年营业收入复合增长率' || " ~ fmt_pct('revenue_cagr_2y') ~ " || '<" ~ ('%g' | format(n['xjr_cagr_2y_min'] * 100)) ~ "%'"},
    {'code': 'XJR26_DEBT_RATIO_HIGH', 'gate': 'gate_debt_ratio',
     'text': "'资产负债率' || " ~ fmt_pct('debt_ratio') ~ " || '>" ~ ('%g' | format(n['xjr_debt_ratio_max'] * 100)) ~ "%'"},
    {'code': 'XJR26_RD_EXPENSE_2Y_LOW', 'gate': 'gate_rd_expense',
     'text': "'近2年研发费用合计' || " ~ fmt_num('rd_expense_2y') ~ " || '万元<" ~ n['xjr_rd_2y_min'] ~ "万元'"},
    {'code': 'XJR26_RD_RATIO_2Y_LOW', 'gate': 'gate_rd_ratio',
     'text': "'近2年研发费用占比未均达" ~ ('%g' | format(n['xjr_rd_ratio_min'] * 100)) ~ "%'"},
    {'code': 'XJR26_IP_CLASS1_LOW', 'gate': 'gate_ip_class1',
     'text': "'Ⅰ类知识产权' || ip_class1 || '<" ~ n['xjr_ip_class1_min'] ~ "' || case when gate_ip_class1 is null then '（国家级科技奖励排名待核实，前三可豁免）' else '' end"},
    {'code': 'XJR26_NICHE_SHARE_LOW', 'gate': 'gate_niche_share',
     'text': "'细分市场占有率' || " ~ fmt_pct('niche_share') ~ " || '<" ~ ('%g' | format(n['xjr_niche_share_min'] * 100)) ~ "%'"},
    {'code': 'XJR26_PRODUCT_NOT_KEY_FIELD', 'gate': 'gate_key_product', 'text': "'主导产品不属于六基/产业链关键环节'"},
    {'code': 'XJR26_PLATFORM_SCORE_MISSING', 'gate': 'gate_platform_score',
     'text': "'专精特新发展评价得分未报送（需≥" ~ n['xjr_platform_score_min'] ~ "）'"},
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
        size_class in ('medium', 'small', 'micro') as gate_sme,
        current_title in ('专精特新', '小巨人') as gate_title_prerequisite
    from i
    inner join v on i.assessment_year between v.from_year and v.to_year
),

v2022 as (
    select
        *,
        niche_years >= {{ c['xjr_niche_years_min'] }} as gate_niche_years,
        not is_zero_revenue and round(main_revenue_share, 9) >= {{ c['xjr_main_share_min'] }} as gate_main_revenue_share,
        round(main_revenue_growth_2y, 9) >= {{ c['xjr_growth_2y_min'] }} as gate_growth,
        coalesce(digital_level, 0) >= {{ c['xjr_info_system_min_digital_level'] }} as gate_info_system,
        list_contains(quality_items, '质量管理体系认证') as gate_certification,
        round(debt_ratio, 9) <= {{ c['xjr_debt_ratio_max'] }} as gate_debt_ratio,
        round(niche_share, 9) >= {{ c['xjr_niche_share_min'] }} as gate_niche_share,
        list_contains(quality_items, '自主品牌') as gate_own_brand,
        case
            when revenue >= {{ c['xjr_rev_high'] }} then
                round(rd_ratio, 9) >= {{ c['xjr_rd_ratio_high'] }} and round(rd_ratio_prev, 9) >= {{ c['xjr_rd_ratio_high'] }}
            when revenue >= {{ c['xjr_rev_mid'] }} then
                round(rd_ratio, 9) >= {{ c['xjr_rd_ratio_mid'] }} and round(rd_ratio_prev, 9) >= {{ c['xjr_rd_ratio_mid'] }}
            else qualified_equity_2y >= {{ c['xjr_low_equity_2y_min'] }} and rd_expense_2y >= {{ c['xjr_low_rd_2y_min'] }}
                and round(rd_staff_ratio, 9) >= {{ c['xjr_low_rd_staff_ratio_min'] }}
        end as gate_rd_intensity,
        rd_institution_level <> '无' as gate_rd_institution,
        ip_class1 >= {{ c['xjr_ip_class1_min'] }} as gate_ip_class1,
        len(list_intersect(product_domains, ['补短板', '锻长板', '填空白'])) > 0 as gate_chain_link,
        len(list_intersect(product_domains, {{ sql_str_list(tier_cfg('tier_xjr_key_product_domains')) }})) > 0 as gate_key_product,
        case when has_national_st_award then null else false end as dp_st_award,
        is_maker_top50 as dp_maker_contest
    from base
    where rule_version = 'v2022'
),

v2022_final as (
    select
        *,
        null::double as platform_score,
        coalesce(dp_st_award or dp_maker_contest, false) as direct_pass_met,
        nullif(concat_ws('；',
            case when dp_st_award then '国家级科技奖励'
                 when dp_st_award is null then '国家级科技奖励（排名待核实，需前三）' end,
            case when dp_maker_contest then '创客中国50强' end), '') as direct_pass_conditions,
        case when coalesce(dp_st_award or dp_maker_contest, false) then '已满足'
             when dp_st_award is null then '待核实' end as direct_pass_status,
        coalesce(gate_rd_intensity and gate_rd_institution and gate_ip_class1, false) as general_route_met,
        coalesce(gate_rd_intensity and gate_rd_institution and gate_ip_class1, false)
            or coalesce(dp_st_award or dp_maker_contest, false) as gate_new,
        coalesce(gate_sme and gate_title_prerequisite and gate_niche_years and gate_main_revenue_share and gate_growth
            and gate_info_system and gate_certification and gate_debt_ratio and gate_niche_share and gate_own_brand
            and gate_chain_link and gate_key_product, false)
            and (coalesce(gate_rd_intensity and gate_rd_institution and gate_ip_class1, false)
                 or coalesce(dp_st_award or dp_maker_contest, false)) as eligible,
        {{ fc_text(fc22) }} as failed_conditions,
        {{ fc_codes(fc22) }} as failed_condition_codes,
        {{ fc_count(fc22) }} as failed_condition_count,
        null::integer as points_missing
    from v2022
),

v2026 as (
    select
        *,
        null::double as platform_score,
        revenue >= {{ n['xjr_revenue_min'] }} as gate_revenue_or_equity,
        not is_zero_revenue and round(main_revenue_share, 9) >= {{ n['xjr_main_share_min'] }} as gate_main_revenue_share,
        round(revenue_cagr_2y, 9) >= {{ n['xjr_cagr_2y_min'] }} as gate_growth,
        round(debt_ratio, 9) <= {{ n['xjr_debt_ratio_max'] }} as gate_debt_ratio,
        rd_expense_2y >= {{ n['xjr_rd_2y_min'] }} as gate_rd_expense,
        not is_zero_revenue and round(rd_ratio, 9) >= {{ n['xjr_rd_ratio_min'] }} and round(rd_ratio_prev, 9) >= {{ n['xjr_rd_ratio_min'] }}
            as gate_rd_ratio,
        -- the IP gate is waived by a national award ranked top 3: rank not carried → NULL (待核实), not waived
        ip_class1 >= {{ n['xjr_ip_class1_min'] }} or case when has_national_st_award then null else false end as gate_ip_class1,
        round(niche_share, 9) >= {{ n['xjr_niche_share_min'] }} as gate_niche_share,
        len(list_intersect(product_domains, ['六基', '补短板', '锻长板', '填空白'])) > 0 as gate_key_product,
        null::boolean as gate_platform_score,
        false as direct_pass_met,
        null::varchar as direct_pass_conditions,
        null::varchar as direct_pass_status
    from base
    where rule_version = 'v2026'
),

v2026_final as (
    select
        *,
        coalesce(gate_sme and gate_title_prerequisite and gate_revenue_or_equity and gate_main_revenue_share and gate_growth
            and gate_debt_ratio and gate_rd_expense and gate_rd_ratio and gate_ip_class1 and gate_niche_share
            and gate_key_product and gate_platform_score, false) as eligible,
        {{ fc_text(fc26) }} as failed_conditions,
        {{ fc_codes(fc26) }} as failed_condition_codes,
        {{ fc_count(fc26) }} as failed_condition_count,
        greatest({{ n['xjr_platform_score_min'] }} - platform_score, 0) as points_missing
    from v2026
)

select *, '小巨人' as tier, null::varchar as feature_version from v2022_final
union all by name
select *, '小巨人' as tier, null::varchar as feature_version from v2026_final
