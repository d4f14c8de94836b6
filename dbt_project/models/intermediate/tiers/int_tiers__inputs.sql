-- One row per enterprise × data year (= profile year; assessment year = data year + 1) with every input
-- of the tier rules: the profile, the annual figures of the data year and the two years before,
-- derived ratios (zero denominators → NULL, flagged), qualified equity and the 特色化 inputs.
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
        p.current_title,
        p.title_year,
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
        y.revenue,
        y.main_revenue,
        y.net_profit,
        y.rd_expense,
        y.total_assets,
        y.total_liabilities,
        y.employees,
        y.revenue_prev,
        y.main_revenue_prev,
        y.rd_expense_prev,
        y.revenue_prev2,
        y.main_revenue_prev2,
        coalesce(q.qualified_equity_2y, 0) as qualified_equity_2y,
        coalesce(q.qualified_equity_3y, 0) as qualified_equity_3y,
        p.cluster in (select cluster_name from clusters) as is_51020_cluster,
        exists (select 1 from chains as c where c.chain_name = p.chain and c.first_year <= p.profile_year) as is_key_chain
    from p
    left join y on y.uscc = p.uscc and y.year = p.profile_year
    left join q on q.uscc = p.uscc and q.year = p.profile_year
),

figures as (
    select
        *,
        coalesce(revenue, 0) = 0 as is_zero_revenue,
        main_revenue / nullif(revenue, 0) as main_revenue_share,
        rd_expense / nullif(revenue, 0) as rd_ratio,
        rd_expense_prev / nullif(revenue_prev, 0) as rd_ratio_prev,
        (coalesce(rd_expense, 0) + coalesce(rd_expense_prev, 0)) as rd_expense_2y,
        (coalesce(rd_expense, 0) + coalesce(rd_expense_prev, 0)) / 2.0 as rd_expense_avg_2y,
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
-- function of this row and configuration; a configuration change rebuilds everything: orchestration/dbt_state.py)
select *, hash(figures) as inputs_hash
from figures
