-- marts.plan_targets: one row per plan target × year (规划目标完成情况).
-- actual: the computed value when the target is computable and data exist, else the official statistic
-- (seed official_statistics); `source` says which. Progress = actual / target; expected_value is the
-- linear pace from the 2020 baseline (or from 0 for cumulative targets); on_track compares the two.
-- Trend targets (falls/rises) are on track when the value moved the right way against the year before; a computed
-- trend value is compared with the like-for-like value of the year before (same firms, same months: prior_value).
-- platform_estimate / estimate_coverage: the platform's own figure for an official target (T07/T08) and how many
-- firms it rests on; shown beside the official actual, never used for actual, progress or on_track.
{%- set tol = ops_cfg('plan_approx_tolerance') %}

with targets as (
    select * from {{ ref('ref_plan_targets') }}
),

target_years as (
    select t.*, gs.year::integer as year
    from targets as t
    cross join lateral (select unnest(generate_series(t.start_year - 1, t.end_year)) as year) as gs
    -- the year before the plan is kept only for trend targets (their first year compares with it)
    where gs.year >= t.start_year or t.target_kind = 'trend'
),

computed as (
    select * from {{ ref('int_plan__computed_actuals') }}
),

official as (
    select * from {{ ref('official_statistics') }}
),

joined as (
    select
        ty.*,
        b.value as baseline_value,
        c.actual as computed_value,
        o.value as official_value,
        o.is_placeholder as official_is_placeholder,
        c.prior_value,
        c.panel_firms,
        c.platform_estimate,
        c.estimate_reporting_firms,
        c.estimate_large_firms,
        case
            when ty.source_kind <> 'official' and c.actual is not null then c.actual
            else o.value
        end as actual,
        case
            when ty.source_kind <> 'official' and c.actual is not null then 'computed'
            when o.value is not null then 'official'
        end as source
    from target_years as ty
    left join {{ ref('plan_baseline_2020') }} as b on b.metric_code = ty.baseline_code and b.plan = ty.plan
    left join computed as c on c.target_id = ty.target_id and c.year = ty.year
    left join official as o on o.target_id = ty.target_id and o.year = ty.year
),

paced as (
    select
        joined.*,
        case
            when source = 'computed' and target_kind = 'trend' then prior_value
            else lag(actual) over (partition by plan, target_id order by year)
        end as prev_year_actual,
        (year - start_year + 1)::double / (end_year - start_year + 1) as elapsed_share
    from joined
),

expected as (
    select
        paced.*,
        case
            when year < start_year then null
            when target_kind = 'cumulative' then target_value * elapsed_share
            when target_kind = 'end_state' and baseline_value is not null
                then baseline_value + (target_value - baseline_value) * elapsed_share
            when target_kind = 'end_state' and year = end_year then target_value
            when target_kind = 'annual' then target_value
        end as expected_value
    from paced
)

select
    plan,
    target_id,
    target_name,
    target_name_en,
    target_kind,
    comparator,
    unit,
    year,
    year >= start_year as is_plan_year,
    target_value,
    baseline_value,
    expected_value,
    actual,
    source,
    source_kind,
    computed_value,
    official_value,
    coalesce(official_is_placeholder and source = 'official', false) as is_placeholder,
    prev_year_actual,
    case when target_kind in ('cumulative', 'end_state', 'annual') then {{ ops_div('actual', 'target_value') }} end
        as progress,
    case
        when actual is null or year < start_year then null
        when comparator = 'falls' then actual < prev_year_actual
        when comparator = 'rises' then actual > prev_year_actual
        when comparator = '>=' then actual >= expected_value
        when comparator = '≈' then actual >= expected_value * (1 - {{ tol }})
    end as on_track,
    year = max(case when actual is not null then year end) over (partition by plan, target_id) as is_latest_actual,
    note,
    panel_firms,
    platform_estimate,
    estimate_reporting_firms,
    estimate_large_firms,
    case
        when estimate_reporting_firms is not null then
            '报送全年数据的规上工业企业' || estimate_reporting_firms || '家，其中大型' || estimate_large_firms || '家'
            || case when estimate_large_firms = 0 then '（无大型企业报送，不作估算）' else '' end
        when panel_firms is not null then '可比企业' || panel_firms || '家（两年同月均有报送）'
    end as estimate_coverage
from expected
