-- marts.enterprises: one row per enterprise — its latest profile, 市州, industry, and the 300号 size class
-- recomputed from its latest annual figures (whatever year they are), beside the one of the profile year.
with latest_profile as (
    select *
    from {{ ref('int_tiers__profiles_enriched') }}
    qualify row_number() over (partition by uscc order by profile_year desc) = 1
),

latest_year as (
    select
        uscc, year, employees, total_assets,
        case when is_complete then revenue else revenue * 12.0 / nullif(last_month, 0) end as size_revenue
    from {{ ref('int_tiers__annual_figures') }}
    qualify row_number() over (partition by uscc order by year desc) = 1
)

select
    p.uscc,
    p.enterprise_name,
    p.division_code,
    p.region_code,
    p.region_name,
    p.industry_code,
    p.division_2d,
    p.division_name,
    p.section_code,
    p.section_name,
    p.is_industrial,
    p.size_group,
    p.founded_on,
    p.profile_year as latest_profile_year,
    coalesce(p.is_above_scale, false) as is_above_scale,
    p.current_title,
    p.title_year,
    p.title_valid_until,
    p.title_status,
    p.niche_market,
    p.main_product,
    p.cluster,
    p.chain,
    y.year as size_basis_year,
    y.employees as size_employees,
    y.size_revenue,
    y.total_assets as size_total_assets,
    coalesce(
        {{ size_class('p.size_group', 'y.employees', 'y.size_revenue', 'y.total_assets') }},
        'unknown') as size_class_computed,
    p.size_class_computed as size_class_profile_year
from latest_profile as p
left join latest_year as y on y.uscc = p.uscc
