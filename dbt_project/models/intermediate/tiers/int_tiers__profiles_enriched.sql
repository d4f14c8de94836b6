-- One row per enterprise × profile year: the profile with 市州, industry and the 300号 size class
-- recomputed from the annual figures of the latest year ≤ the profile year (employees at year end,
-- 营业收入 — annualised when the year is incomplete — and total assets), and the validity of the title held
-- (DOMAIN_RULES §1 pipeline rule: a title granted in year G counts for data years G, G+1, G+2 — and for a profile year
-- before G, which the contract allows when the grant of the assessment year is recorded — and from G+3 it is
-- 复核到期 unless a later grant, a newer 资质认定年份, renewed it. A held title without a year (the contract rejects
-- it) is not treated as expired.)
with profiles as (
    select * from {{ ref('stg_enterprises__profiles') }}
),

years as (
    select
        uscc, year, is_complete, employees, total_assets,
        case when is_complete then revenue else revenue * 12.0 / nullif(last_month, 0) end as size_revenue
    from {{ ref('int_tiers__annual_figures') }}
),

sized as (
    select
        p.*,
        y.year as size_basis_year,
        y.employees as size_employees,
        y.size_revenue,
        y.total_assets as size_total_assets
    from profiles as p
    asof left join years as y
        on y.uscc = p.uscc and y.year <= p.profile_year
)

select
    s.uscc,
    s.profile_year,
    s.enterprise_name,
    s.division_code,
    s.region_code,
    r.region_name,
    s.industry_code,
    s.division_2d,
    d.division_name,
    d.section_code,
    d.section_name,
    coalesce(d.is_industrial, false) as is_industrial,
    {{ size_group('s.industry_code') }} as size_group,
    s.founded_on,
    s.is_above_scale,
    s.current_title,
    s.title_year,
    case when s.current_title <> '无' then s.title_year + 2 end as title_valid_until,
    case when s.current_title = '无' then '无'
         when s.profile_year > s.title_year + 2 then '复核到期'
         else '有效' end as title_status,
    case when s.current_title <> '无' and s.profile_year > s.title_year + 2 then '无'
         else s.current_title end as valid_title,
    s.niche_market,
    s.niche_since_year,
    s.main_product,
    s.product_domains,
    s.cluster,
    s.chain,
    s.feature_awards,
    s.niche_share_pct,
    s.digital_level,
    s.quality_items,
    s.ip_class1,
    s.ip_class1_self,
    s.ip_class1_high_value,
    s.ip_class2,
    s.rd_institution_level,
    s.rd_staff,
    s.direct_pass,
    s.size_basis_year,
    s.size_employees,
    s.size_revenue,
    s.size_total_assets,
    {{ size_class(size_group('s.industry_code'), 's.size_employees', 's.size_revenue', 's.size_total_assets') }} as size_class_computed
from sized as s
left join {{ ref('ref_regions') }} as r on r.region_code = s.region_code
left join {{ ref('ref_industry_divisions') }} as d on d.division_code = s.division_2d
