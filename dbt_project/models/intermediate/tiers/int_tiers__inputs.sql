-- One row per enterprise × data year (= profile year; assessment year = data year + 1) with every input
-- of the tier rules: the profile, the annual figures of the data year and the two years before,
-- derived ratios (zero denominators → NULL, flagged), qualified equity and the 特色化 inputs.
-- Complete data years only (DOMAIN_RULES §1, issue 14 item 7): the figures of a year without its December report are
-- NULL here (never a partial year read as a whole one), and so is every figure derived from them (growth with the
-- incomplete year as its base or current year, 2-year R&D sums, ratios); data_status names the missing months
-- (数据不完整（缺 11、12 月）) and tier_assessments turns such a year's verdict into "unknown" (eligible NULL).
-- Titles (item 8): current_title is the title VALID in the data year (an expired one reads 无); the title as reported
-- is granted_title, with title_year and title_status (无/有效/复核到期).
{%- set f = tier_cfg('tier_feature') %}
with p as (
    select * from {{ ref('int_tiers__profiles_enriched') }}
),

y as (
    select * from {{ ref('int_tiers__annual_figures') }}
),

q as (
    select * from {{ ref('int_tiers__qualified_equity') }}
),

clusters as (
    select cluster_name from {{ ref('ref_clusters_51020') }} where is_51020
),

chains as (
    select chain_name, min(year) as first_year from {{ ref('ref_chains') }} group by chain_name
),

joined as (
    select
        p.uscc,
        p.profile_year as data_year,
        p.profile_year + 1 as assessment_year,
        p.enterprise_name,
        p.region_code,
        p.section_code,
        p.division_2d,
        p.is_industrial,
        p.size_class_computed as size_class,
        p.valid_title as current_title,
        p.current_title as granted_title,
        p.title_year,
        p.title_status,
        p.product_domains,
        p.feature_awards,
        p.quality_items,
        p.direct_pass,
        p.cluster,
        p.chain,
        p.niche_since_year,
        -- a blank start year stays NULL (texts read 未填; greatest() would turn NULL into 0)
        case when p.niche_since_year is not null then greatest(p.profile_year - p.niche_since_year, 0) end as niche_years,
        p.niche_share_pct / 100.0 as niche_share,
        p.digital_level,
        coalesce(p.ip_class1, 0) as ip_class1,
        coalesce(p.ip_class1_self, 0) as ip_class1_self,
        coalesce(p.ip_class1_high_value, 0) as ip_class1_high_value,
        coalesce(p.ip_class2, 0) as ip_class2,
        coalesce(p.rd_institution_level, '无') as rd_institution_level,
        p.rd_staff,
        y.year is not null as has_annual_data,
        coalesce(y.is_complete, false) as is_data_complete,
        y.months_reported,
        case
            when y.year is null then '数据不完整（无当年月报）'
            when not y.is_complete then '数据不完整（缺 ' || array_to_string(y.missing_months, '、') || ' 月）'
        end as data_status,
        -- the figures of the data year, only when it is complete (a partial year would understate them)
        case when y.is_complete then y.revenue end as revenue,
        case when y.is_complete then y.main_revenue end as main_revenue,
        case when y.is_complete then y.net_profit end as net_profit,
        case when y.is_complete then y.rd_expense end as rd_expense,
        case when y.is_complete then y.total_assets end as total_assets,
        case when y.is_complete then y.total_liabilities end as total_liabilities,
        case when y.is_complete then y.employees end as employees,
        -- the years before: only complete ones (a partial base year would overstate growth, a partial R&D year
        -- understate the 2-year figures)
        case when y.is_complete_prev then y.revenue_prev end as revenue_prev,
        case when y.is_complete_prev then y.main_revenue_prev end as main_revenue_prev,
        case when y.is_complete_prev then y.rd_expense_prev end as rd_expense_prev,
        coalesce(not y.is_complete_prev, false) as is_prev_year_incomplete,
        case when y.is_complete_prev2 then y.revenue_prev2 end as revenue_prev2,
        case when y.is_complete_prev2 then y.main_revenue_prev2 end as main_revenue_prev2,
        coalesce(q.qualified_equity_2y, 0) as qualified_equity_2y,
        coalesce(q.qualified_equity_3y, 0) as qualified_equity_3y,
        p.cluster in (select cluster_name from clusters) as is_51020_cluster,
        exists (select 1 from chains as c where c.chain_name = p.chain and c.first_year <= p.profile_year) as is_key_chain  -- noqa: LT01
    from p
    left join y on y.uscc = p.uscc and y.year = p.profile_year
    left join q on q.uscc = p.uscc and q.year = p.profile_year
),

figures as (
    select
        *,
        -- zero or missing revenue in a complete year (an incomplete year is unknown, not zero)
        is_data_complete and coalesce(revenue, 0) = 0 as is_zero_revenue,
        main_revenue / nullif(revenue, 0) as main_revenue_share,
        rd_expense / nullif(revenue, 0) as rd_ratio,
        rd_expense_prev / nullif(revenue_prev, 0) as rd_ratio_prev,
        -- a year without reports counts 0 (no R&D reported); an incomplete year makes the 2-year figure unknown
        case when is_data_complete and not is_prev_year_incomplete
             then coalesce(rd_expense, 0) + coalesce(rd_expense_prev, 0) end as rd_expense_2y,
        case when is_data_complete and not is_prev_year_incomplete
             then (coalesce(rd_expense, 0) + coalesce(rd_expense_prev, 0)) / 2.0 end as rd_expense_avg_2y,
        net_profit / nullif(revenue, 0) as net_margin,
        total_liabilities / nullif(total_assets, 0) as debt_ratio,
        rd_staff / nullif(employees, 0) as rd_staff_ratio,
        main_revenue / nullif(main_revenue_prev, 0) - 1 as main_revenue_growth,
        (main_revenue / nullif(main_revenue_prev, 0) - 1 + main_revenue_prev / nullif(main_revenue_prev2, 0) - 1) / 2.0
            as main_revenue_growth_2y,
        sqrt(revenue / nullif(revenue_prev2, 0)) - 1 as revenue_cagr_2y,
        len(list_intersect(direct_pass, ['国家级科技奖励', '省级科技奖励前三'])) > 0 as has_st_award,
        list_contains(direct_pass, '国家级科技奖励') as has_national_st_award,
        len(list_intersect(direct_pass, ['高新技术企业', '知识产权示范企业'])) > 0 as has_recognised_title,
        list_contains(direct_pass, '创客中国500强') or list_contains(direct_pass, '创客中国50强') as is_maker_top500,
        list_contains(direct_pass, '创客中国50强') as is_maker_top50,
        len(list_distinct(list_intersect(quality_items, ['省级以上质量奖', '质量管理体系认证', '自主品牌', '参与标准制定']))) as quality_item_count,
        -- 特色化 placeholder (DOMAIN_RULES §1.2a), configured by var tier_feature
        case when is_51020_cluster then {{ f['h1_cluster_points'] }} when is_key_chain then {{ f['h1_chain_points'] }} else 0 end as feature_h1_points,
        case when len(list_intersect(feature_awards, {{ sql_str_list(f['h2_feature_awards']) }})) > 0
               or len(list_intersect(product_domains, {{ sql_str_list(f['h2_product_domains']) }})) > 0
             then {{ f['h2_points'] }} else 0 end as feature_h2_points,
        case when round(niche_share, 9) >= {{ f['h3_share_min'] }} then {{ f['h3_points'] }} else 0 end as feature_h3_points
    from joined
)

-- tier_assessments rebuilds only the (firm, data year) whose inputs changed since its last build (the rules are a
-- function of this row and configuration; a configuration change rebuilds everything: orchestration/lib/dbt_state.py)
select *, hash(figures) as inputs_hash
from figures
