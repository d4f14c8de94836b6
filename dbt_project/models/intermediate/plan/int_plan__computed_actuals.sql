-- One row per computable plan target × year: the value computed from the pipeline's own data.
-- T03/T04/T05/T11 read the tiers marts (enterprise_profiles, cultivation_pool, scale_entries);
-- T06–T10 read the monthly report. Targets without data for a year have no row (actual stays NULL).
{%- set start = ops_cfg('plan_start_year') | int %}

with profiles as (
    select * from {{ ref('enterprise_profiles') }}
),

years as (
    select * from {{ ref('int_operating__years') }}
),

above_scale as (
    select uscc, profile_year from profiles where is_above_scale and is_industrial
),

-- T02: above-scale industrial firms of year y that were not above-scale in the baseline year, cumulative
first_above as (
    select uscc, min(profile_year) as first_year
    from above_scale
    where profile_year >= {{ start }}
      and uscc not in (select uscc from above_scale where profile_year = {{ start - 1 }})
    group by uscc
),

t02 as (
    select 'T02' as target_id, y.profile_year as year,
           (select count(*) from first_above as f where f.first_year <= y.profile_year)::double as actual
    from (select distinct profile_year from profiles where profile_year >= {{ start }}) as y
),

t03 as (
    select 'T03', profile_year, count(distinct uscc)::double from above_scale
    where profile_year >= {{ start }} group by profile_year
),

-- T04: valid titles only (a title counts for 3 years from the year granted unless renewed; DOMAIN_RULES §1)
t04 as (
    select 'T04', profile_year, count(distinct uscc) filter (where valid_title in ('专精特新', '小巨人'))::double
    from profiles where profile_year >= {{ start }} group by profile_year
),

-- T05: firms in the 专精特新 cultivation pool (tier targets 创新型/专精特新/小巨人; 小进规 candidates excluded)
t05 as (
    select 'T05', assessment_year, count(distinct uscc)::double
    from {{ ref('cultivation_pool') }} where target <> '规上工业' group by assessment_year
),

cluster_revenue as (
    select p.profile_year as year, p.cluster, sum(y.revenue_ytd) as revenue
    from profiles as p
    inner join years as y on y.uscc = p.uscc and y.report_year = p.profile_year
    where nullif(trim(p.cluster), '') is not null
    group by all
),

t06 as (
    select 'T06', year, count(*) filter (where revenue >= 1000000)::double
    from cluster_revenue where year >= {{ start }} group by year
),

-- T07/T08: only when large above-scale industrial firms report too; otherwise no row (official value used)
above_scale_years as (
    select p.profile_year as year, p.size_class_computed = 'large' as is_large, y.revenue_ytd, y.profit_ytd
    from profiles as p
    inner join years as y on y.uscc = p.uscc and y.report_year = p.profile_year
    where p.is_above_scale and p.is_industrial and p.profile_year >= {{ start }}
),

t07 as (
    select 'T07', year, sum(revenue_ytd) filter (where not is_large) / nullif(sum(revenue_ytd), 0)
    from above_scale_years group by year having bool_or(is_large)
),

t08 as (
    select 'T08', year, sum(profit_ytd) filter (where not is_large) / nullif(sum(profit_ytd), 0)
    from above_scale_years group by year having bool_or(is_large)
),

t09 as (
    select 'T09', report_year, sum(power_use) / nullif(sum(revenue_with_power), 0)
    from years where report_year >= {{ start - 1 }} group by report_year
),

t10 as (
    select 'T10', report_year, sum(rd_expense_ytd) / nullif(sum(main_revenue_ytd), 0)
    from years where report_year >= {{ start - 1 }} group by report_year
),

t11 as (
    select 'T11', year, count(distinct uscc)::double
    from {{ ref('scale_entries') }} where event_type = '小进规' group by year
)

select target_id, year::integer as year, actual from t02
union all select * from t03
union all select * from t04
union all select * from t05
union all select * from t06
union all select * from t07
union all select * from t08
union all select * from t09
union all select * from t10
union all select * from t11
