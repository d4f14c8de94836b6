{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='fail') }}
-- One row per firm expected to report × month (报送情况的企业月明细), for the months the operating source covers
-- (from the first to the latest report period loaded province-wide).
-- Expected: the firm has a registry profile for that year or, until it arrives, its latest earlier profile
-- (profile_year ≤ the month's year), and was founded on or before the month's last day (unknown founding date:
-- expected). Reported: the firm-month has a resolved report (the rows of enterprise_months).
-- On time: the report's FIRST valid version arrived on or before the deadline, the reporting_deadline_day-th of the
-- following month; arrival = the file's received_at (mtime in the inbox, capped at the load start), or the load start
-- for files loaded before received_at was recorded. A later correction does not change the first arrival.
-- Incremental: rebuilds the months from the first one touched by a new report version or a new profile
-- (macros/reporting/reporting_incremental.sql).
{%- set from_month = reporting_first_changed_month(ref('stg_operating__report_versions'), ref('stg_enterprises__profiles'))
    if is_incremental() else none %}

with reports as (
    select uscc, period
    from {{ ref('int_operating__months') }}
),

months as (
    select unnest(generate_series(
        {%- if from_month is not none %} greatest(min(period), {{ from_month }}){% else %} min(period){% endif %},
        max(period), interval 1 month))::date as month
    from reports
),

profiles as (
    select
        uscc,
        profile_year,
        founded_on,
        load_id,
        lead(profile_year) over (partition by uscc order by profile_year) as next_profile_year
    from {{ ref('stg_enterprises__profiles') }}
),

-- The profile that applies to each firm × year, then months joined on the year: an equality join that DuckDB can
-- spill to disk. (A range join of months against profiles ran out of memory at 2× the province under the
-- 1.5GB limit: bench-scale, 2026-12-01.)
years as (
    select distinct year(month) as year
    from months
),

profile_years as (
    select
        y.year,
        p.uscc,
        p.profile_year,
        p.founded_on,
        p.load_id
    from profiles as p
    inner join years as y
        on y.year >= p.profile_year
        and (p.next_profile_year is null or y.year < p.next_profile_year)
),

expected as (
    select
        m.month,
        p.uscc,
        p.profile_year,
        p.founded_on,
        p.load_id as profile_load_id
    from months as m
    inner join profile_years as p
        on p.year = year(m.month)
    where p.founded_on is null or p.founded_on <= last_day(m.month)
),

arrivals as (
    select
        v.uscc,
        v.period,
        min(coalesce(l.received_at, l.started_at)) as first_arrived_at,
        max(v.load_id) as versions_load_id
    from {{ ref('stg_operating__report_versions') }} as v
    left join {{ ref('stg_loads__manifest') }} as l
        on l.load_id = v.load_id
    {%- if from_month is not none %}
    where v.period >= {{ from_month }}
    {%- endif %}
    group by v.uscc, v.period
),

status as (
    select
        e.month,
        e.uscc,
        e.profile_year,
        e.founded_on,
        (e.month + interval 1 month)::date + ({{ var('reporting_deadline_day', 10) }} - 1) as deadline,
        r.uscc is not null as is_reported,
        case when r.uscc is not null then a.first_arrived_at end as first_arrived_at,
        greatest(e.profile_load_id, coalesce(a.versions_load_id, -1)) as source_load_id
    from expected as e
    left join reports as r
        on r.uscc = e.uscc
        and r.period = e.month
    left join arrivals as a
        on a.uscc = e.uscc
        and a.period = e.month
)

select
    month,
    uscc,
    profile_year,
    founded_on,
    deadline,
    is_reported,
    first_arrived_at,
    coalesce(is_reported and first_arrived_at::date <= deadline, false) as is_on_time,
    is_reported and not coalesce(first_arrived_at::date <= deadline, false) as is_late,
    not is_reported as is_missing,
    source_load_id
from status
