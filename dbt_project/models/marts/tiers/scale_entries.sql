-- marts.scale_entries: 小进规 and 退规 events per enterprise and year (DOMAIN_RULES §3).
--   above_scale(y) = the statistics bureau's flag in the profile of year y when reported, else 营业收入(y) ≥ 2000.
--   小进规(t) = industrial ∧ ¬above_scale(t−1) ∧ 营业收入 YTD(t) ≥ 2000 (may fire mid-year, on the YTD);
--     t−1 unknown counts as below scale only for a firm founded in t−1 or t (新建新投产), otherwise no event.
--   退规(t)   = industrial ∧ above_scale(t−1) ∧ full-year 营业收入(t) < 2000 (only on a complete year).
-- Track: 新建新投产 when registered less than 3 years before the end of year t, else 成长型.
{%- set thr = tier_cfg('scale_threshold_revenue') %}
{%- set new_years = tier_cfg('scale_new_firm_years') %}
with y as (
    select uscc, year, revenue, is_complete, months_reported, last_period from {{ ref('enterprise_years') }}
),

p as (
    select uscc, profile_year, is_industrial, is_above_scale, is_above_scale_unreported, founded_on
    from {{ ref('enterprise_profiles') }}
),

dims as (
    select uscc, is_industrial, founded_on, region_code, region_name, section_code, division_2d, enterprise_name
    from {{ ref('enterprises') }}
),

state as (
    -- above-scale state per enterprise × year, from the registry flag or the revenue
    select
        coalesce(y.uscc, p.uscc) as uscc,
        coalesce(y.year, p.profile_year) as year,
        case when p.uscc is not null and not p.is_above_scale_unreported then p.is_above_scale
             when y.revenue is not null and y.is_complete then y.revenue >= {{ thr }} end as above_scale,
        case when p.uscc is not null and not p.is_above_scale_unreported then '统计部门名录'
             when y.revenue is not null and y.is_complete then '营业收入推算' end as state_basis
    from y
    full outer join p on p.uscc = y.uscc and p.profile_year = y.year
),

events as (
    select
        y.uscc,
        y.year,
        case
            when y.revenue >= {{ thr }}
                 and (s.above_scale = false
                      or (s.above_scale is null and extract(year from d.founded_on) >= y.year - 1)) then '小进规'
            when s.above_scale and y.is_complete and y.revenue < {{ thr }} then '退规'
        end as event_type,
        y.revenue,
        y.is_complete,
        y.months_reported,
        y.last_period,
        s.above_scale as was_above_scale_prev,
        coalesce(s.state_basis, '新设企业') as prev_state_basis,
        case when d.founded_on > make_date(y.year - {{ new_years }}, 12, 31) then '新建新投产' else '成长型' end as track
    from y
    inner join dims as d on d.uscc = y.uscc and d.is_industrial
    left join state as s on s.uscc = y.uscc and s.year = y.year - 1
)

select
    e.uscc,
    e.year::integer as year,
    e.event_type::varchar as event_type,
    d.enterprise_name,
    d.region_code,
    d.region_name,
    d.section_code,
    d.division_2d,
    e.track::varchar as track,
    e.revenue::double as revenue,
    e.is_complete::boolean as is_complete,
    e.months_reported::integer as months_reported,
    e.last_period::date as last_period,
    e.was_above_scale_prev::boolean as was_above_scale_prev,
    e.prev_state_basis::varchar as prev_state_basis
from events as e
inner join dims as d on d.uscc = e.uscc
where e.event_type is not null
