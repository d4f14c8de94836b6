{{ config(materialized='table') }}
-- One row per firm × registry profile year: the 市州, 门类 and industry group of that profile, and the report years
-- [from_year, until_year) it applies to in sentiment_index and the problem signals (口径.md §4, §5). The pick is the
-- one of int_reporting__firm_months: the year's own profile, else the latest earlier one; the firm's first profile
-- also covers the years before it (a firm reporting before its first registry profile keeps that profile's 市州).
-- `load_id` (the profile's current version) lets the incremental marts see a changed profile.
with p as (
    select
        uscc,
        profile_year,
        region_code,
        division_2d,
        load_id,
        lead(profile_year) over (partition by uscc order by profile_year) as next_profile_year,
        row_number() over (partition by uscc order by profile_year) = 1 as is_first_profile
    from {{ ref('stg_enterprises__profiles') }}
)

select
    p.uscc,
    p.profile_year,
    case when p.is_first_profile then 0 else p.profile_year end as from_year,
    coalesce(p.next_profile_year, 9999) as until_year,
    p.region_code,
    d.section_code,
    coalesce(g.industry_group, '其他行业') as industry_group,
    p.load_id
from p
left join {{ ref('ref_industry_divisions') }} as d on d.division_code = p.division_2d
left join {{ ref('sentiment_industry_groups') }} as g on g.section_code = d.section_code
