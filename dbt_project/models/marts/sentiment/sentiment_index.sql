{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='fail') }}
-- marts.sentiment_index: month × 市州 × industry group × indicator (景气指数, balance method).
-- Item index I = 100 + 100·(p↑ − p↓) (100 = the line; range 0–200). The answer → ↑/=/↓ mapping is the
-- seed sentiment_answer_map (the cost item moves WITH costs: 上升 = ↑). A sub-index is the weighted
-- mean of its items (seed sentiment_items); the composite is the weighted mean of the sub-indices
-- (seed sentiment_sub_indices), a sub-index flagged invert_in_composite (cost) entering as 200 − I.
-- Roll-up rows: region_code '420000' (湖北省) = all 市州; industry_group '全部' = all groups.
-- Each row carries its own level: indicator_level in (item, sub_index, composite).
-- 市州 and industry group are those of the firm's registry profile of the report year (int_signals__profile_spans;
-- 口径.md §4, changed 2026-11 from the firm's latest profile), so a month depends only on its own reports and its
-- year's profiles: incremental by month (macros/signals/signals_incremental.sql).
{%- set items = ['overall', 'demand', 'cost', 'funding', 'labour', 'profit', 'outlook'] %}

{%- set from_year = signals_first_changed_year(ref('enterprise_months'), ref('int_signals__profile_spans')) if is_incremental() else none %}

with firm_months as (
    {{ signals_firm_months(ref('enterprise_months'), ref('int_signals__profile_spans'), from_year) }}
),

answers as (
    {%- for it in items %}
    select m.period as month, m.year_region_code as region_code, m.year_industry_group as industry_group,
           '{{ it }}' as item_code, m.sent_{{ it }} as answer, m.counted_load_id
    from firm_months as m
    where m.sent_{{ it }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

directed as (
    select a.*, map.direction
    from answers as a
    inner join {{ ref('sentiment_answer_map') }} as map
        on map.item_code = a.item_code and map.answer = a.answer
),

counts as (
    select
        month,
        case when grouping(region_code) = 1 then '420000' else region_code end as region_code,
        case when grouping(industry_group) = 1 then '全部' else industry_group end as industry_group,
        item_code,
        count(*) as respondents,
        count(*) filter (where direction = 'up') as n_up,
        count(*) filter (where direction = 'same') as n_same,
        count(*) filter (where direction = 'down') as n_down,
        max(counted_load_id) as source_load_id
    from directed
    group by grouping sets (
        (month, region_code, industry_group, item_code),
        (month, region_code, item_code),
        (month, industry_group, item_code),
        (month, item_code)
    )
),

item_index as (
    select
        c.*,
        {{ ops_balance_index('c.n_up', 'c.n_down', 'c.respondents') }} as index_value,
        i.item_name,
        i.sub_index_code,
        i.item_weight
    from counts as c
    inner join {{ ref('sentiment_items') }} as i on i.item_code = c.item_code
),

sub_index as (
    select
        ii.month, ii.region_code, ii.industry_group, ii.sub_index_code,
        -- sums in DECIMAL: exact, so independent of the order of a parallel aggregation (a DOUBLE sum is not,
        -- and a value on a rounding midpoint came out 93.3333 or 93.3334 from one build to the next)
        (sum((ii.index_value * ii.item_weight)::decimal(38, 12)) / nullif(sum(ii.item_weight::decimal(38, 12)), 0))::double
            as index_value,
        max(ii.respondents) as respondents,
        max(ii.source_load_id) as source_load_id
    from item_index as ii
    where ii.index_value is not null
    group by all
),

composite as (
    select
        s.month, s.region_code, s.industry_group,
        (
            sum((case when w.invert_in_composite then 200 - s.index_value else s.index_value end * w.composite_weight)::decimal(38, 12))
            / nullif(sum(w.composite_weight::decimal(38, 12)), 0)
        )::double as index_value,
        max(s.respondents) as respondents,
        max(s.source_load_id) as source_load_id
    from sub_index as s
    inner join {{ ref('sentiment_sub_indices') }} as w on w.sub_index_code = s.sub_index_code
    group by all
),

unioned as (
    select
        month, region_code, industry_group, 'item' as indicator_level, item_code as indicator_code,
        item_name as indicator_name, sub_index_code, respondents, n_up, n_same, n_down,
        n_up::double / respondents as share_up,
        n_same::double / respondents as share_same,
        n_down::double / respondents as share_down,
        index_value, source_load_id
    from item_index
    union all
    select
        s.month, s.region_code, s.industry_group, 'sub_index', s.sub_index_code, w.sub_index_name, s.sub_index_code,
        s.respondents, null, null, null, null, null, null, round(s.index_value, 4), s.source_load_id
    from sub_index as s
    inner join {{ ref('sentiment_sub_indices') }} as w on w.sub_index_code = s.sub_index_code
    union all
    select
        month, region_code, industry_group, 'composite', 'composite', '综合景气指数', null,
        respondents, null, null, null, null, null, null, round(index_value, 4), source_load_id
    from composite
)

select
    u.month,
    u.region_code,
    case when u.region_code = '420000' then '湖北省' else coalesce(r.region_name, '未知地区') end as region_name,
    u.industry_group,
    u.indicator_level,
    u.indicator_code,
    u.indicator_name,
    u.sub_index_code,
    u.respondents,
    u.n_up,
    u.n_same,
    u.n_down,
    u.share_up,
    u.share_same,
    u.share_down,
    u.index_value,
    u.index_value - 100 as distance_from_line,
    u.source_load_id
from unioned as u
left join {{ ref('ref_regions') }} as r on r.region_code = u.region_code
