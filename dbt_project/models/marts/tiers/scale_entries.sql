-- marts.scale_entries: 小进规 and 退规 events per enterprise and year (DOMAIN_RULES §3, pipeline rule).
--   above_scale(y) = the statistics bureau's flag in the profile of year y when reported, else 营业收入(y) ≥ 2000
--     on a complete year; otherwise unknown.
--   退规(t)  = industrial ∧ the last known state before t is above scale ∧ above_scale(t) is false, and either the
--     registry moved from listed to not listed, or 营业收入(t) < 2000 on a complete year (an incomplete year with no
--     registry flag decides nothing; a firm only inferred above scale from its revenue that the registry then shows
--     unlisted while its revenue stays ≥ 2000 was never listed and does not leave scale).
--   A spell below scale starts with the firm's first year and after each 退规.
--   Entry candidates in year t (industrial firms only, 门类 B/C/D):
--     provisional = 营业收入 YTD(t) ≥ 2000 ∧ ¬above_scale(t−1) (may fire mid-year, on the YTD);
--     confirmed   = registry flag(t) ∧ ¬above_scale(t−1) (newly listed as 规上);
--     t−1 unknown counts as below scale only for a firm founded in t−1 or t (新建新投产).
--   小进规 = the FIRST candidate of each spell (one event per firm per spell below scale): the listing that follows
--     a provisional entry confirms it (confirmed_year) and is not a second entry. It is a 小进规 only when the firm
--     is small or micro in the year before entry (its class in year t when it has no class for t−1, e.g. new
--     firms); the first candidate of a medium, large or unclassified firm uses up the spell without an event.
-- Track: 新建新投产 when registered less than 3 years before the end of year t, else 成长型.
{%- set thr = tier_cfg('scale_threshold_revenue') %}
{%- set new_years = tier_cfg('scale_new_firm_years') %}
with y as (
    select uscc, year, revenue, is_complete, months_reported, last_period from {{ ref('enterprise_years') }}
),

p as (
    select uscc, profile_year, is_above_scale, is_above_scale_unreported, size_class_computed
    from {{ ref('enterprise_profiles') }}
),

dims as (
    select uscc, founded_on, region_code, region_name, section_code, division_2d, enterprise_name
    from {{ ref('enterprises') }}
    where is_industrial
),

state as (
    -- above-scale state per industrial enterprise × year, from the registry flag or the revenue
    select
        coalesce(y.uscc, p.uscc) as uscc,
        coalesce(y.year, p.profile_year) as year,
        y.revenue,
        y.is_complete,
        y.months_reported,
        y.last_period,
        case when p.uscc is not null and not p.is_above_scale_unreported then p.is_above_scale end as registry_listed,
        case when p.uscc is not null and not p.is_above_scale_unreported then p.is_above_scale
             when y.revenue is not null and y.is_complete then y.revenue >= {{ thr }} end as above_scale,
        case when p.uscc is not null and not p.is_above_scale_unreported then '统计部门名录'
             when y.revenue is not null and y.is_complete then '营业收入推算' end as state_basis
    from y
    full outer join p on p.uscc = y.uscc and p.profile_year = y.year
    where coalesce(y.uscc, p.uscc) in (select uscc from dims)
),

known as (
    -- the last known state before each year with a known state (a year without one is skipped)
    select
        uscc,
        year,
        above_scale,
        lag(above_scale) over (partition by uscc order by year) as last_known_above,
        lag(state_basis) over (partition by uscc order by year) as last_known_basis
    from state
    where above_scale is not null
),

flagged as (
    select
        s.*,
        prev.above_scale as prev_above_scale,
        prev.state_basis as prev_state_basis,
        coalesce(
            k.above_scale = false and k.last_known_above
            and ((s.registry_listed = false and k.last_known_basis = '统计部门名录')
                 or (s.is_complete and s.revenue < {{ thr }})),
            false
        ) as is_exit,
        k.last_known_basis,
        (prev.above_scale = false
         or (prev.above_scale is null and extract(year from d.founded_on) >= s.year - 1)) as was_below_scale,
        d.founded_on
    from state as s
    inner join dims as d on d.uscc = s.uscc
    left join state as prev on prev.uscc = s.uscc and prev.year = s.year - 1
    left join known as k on k.uscc = s.uscc and k.year = s.year
),

sequenced as (
    select
        flagged.*,
        coalesce(was_below_scale and (revenue >= {{ thr }} or registry_listed), false) as is_entry_candidate,
        -- spell below scale: 0 before the first 退规, then one more after each
        sum(is_exit::integer) over (partition by uscc order by year rows unbounded preceding) as spell_no
    from flagged
),

entries as (
    select
        e.*,
        case when e.registry_listed then '统计部门名录新增' else '营业收入达标' end as entry_basis,
        (select min(c.year) from sequenced as c
         where c.uscc = e.uscc and c.spell_no = e.spell_no and c.year >= e.year and c.registry_listed) as confirmed_year,
        coalesce(nullif(before.size_class_computed, 'unknown'), cur.size_class_computed) as size_class_before_entry
    from sequenced as e
    left join p as before on before.uscc = e.uscc and before.profile_year = e.year - 1
    left join p as cur on cur.uscc = e.uscc and cur.profile_year = e.year
    where e.is_entry_candidate
    qualify row_number() over (partition by e.uscc, e.spell_no order by e.year) = 1
),

events as (
    select
        uscc, year, '小进规' as event_type, revenue, is_complete, months_reported, last_period,
        prev_above_scale as was_above_scale_prev,
        coalesce(prev_state_basis, '新设企业') as prev_state_basis,
        founded_on, entry_basis, confirmed_year, size_class_before_entry
    from entries
    where size_class_before_entry in ('small', 'micro')
    union all
    select
        uscc, year, '退规', revenue, is_complete, months_reported, last_period,
        true, last_known_basis, founded_on, null, null, null
    from flagged
    where is_exit
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
    (case when e.founded_on > make_date(e.year - {{ new_years }}, 12, 31) then '新建新投产' else '成长型' end)::varchar
        as track,
    e.revenue::double as revenue,
    e.is_complete::boolean as is_complete,
    e.months_reported::integer as months_reported,
    e.last_period::date as last_period,
    e.was_above_scale_prev::boolean as was_above_scale_prev,
    e.prev_state_basis::varchar as prev_state_basis,
    e.entry_basis::varchar as entry_basis,
    e.confirmed_year::integer as confirmed_year,
    e.size_class_before_entry::varchar as size_class_before_entry
from events as e
inner join dims as d on d.uscc = e.uscc
