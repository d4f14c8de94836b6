-- marts.tier_assessments: one row per enterprise × assessment year × tier × rule version.
-- Assessment year = data year (画像年度, 上年度) + 1. Columns a tier/version does not use are NULL.
-- Incremental: the rules are a function of one int_tiers__inputs row and the configuration, so a nightly build
-- recomputes only the (firm, data year) whose inputs hash changed (a new month changes the current year's figures;
-- a new profile or financing round its own years); a configuration change rebuilds all (orchestration/lib/dbt_state.py).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['uscc', 'data_year'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} as t where not exists (select 1 from {{ ref('int_tiers__inputs') }} as i where i.uscc = t.uscc and i.data_year = t.data_year)"
) }}
-- An incomplete data year is not a failed year (DOMAIN_RULES §1, issue 14 item 7): when data_status says the year is
-- incomplete, a verdict that is not a pass is unknown — eligible, failed conditions, their count, the points short,
-- the indicator points, group subtotals and total score are NULL (the figures of that year are NULL in
-- int_tiers__inputs, so a score would only understate). A pass on a route that needs no figure of the year (e.g. 创新型 D2) stays a pass.
-- current_title is the title valid in the data year (an expired one reads 无; item 8): holds_tier follows it.
with unioned as (
    select * from {{ ref('int_tiers__innovative') }}
    union all by name
    select * from {{ ref('int_tiers__specialised') }}
    union all by name
    select * from {{ ref('int_tiers__little_giant') }}
),

marked as (
    select *, data_status is not null and not coalesce(eligible, false) as is_unassessed
    from unioned
)

select
{%- for name, dtype in tier_assessment_columns() %}
    {%- if name == 'holds_tier' %}
    ({{ tier_rank('current_title') }} >= {{ tier_rank('tier') }})::boolean as holds_tier
    {%- elif name in ('feature_h1_points', 'feature_h2_points', 'feature_h3_points') %}
    case when tier = '专精特新' and rule_version = 'v2022' then {{ name }} end::integer as {{ name }}
    {%- elif name == 'points_missing' %}
    case when not is_unassessed then ceil(points_missing) end::integer as points_missing
    {%- elif name in ('eligible', 'failed_conditions', 'failed_condition_codes', 'failed_condition_count', 'total_score')
          or name.startswith('pts_') or name.startswith('group_') %}
    case when not is_unassessed then {{ name }} end::{{ dtype }} as {{ name }}
    {%- else %}
    {{ name }}::{{ dtype }} as {{ name }}
    {%- endif %},
{%- endfor %}
    -- issue 14 items 7 and 8 (kept out of the shared column macro)
    data_status::varchar as data_status,
    granted_title::varchar as granted_title,
    title_year::integer as title_year,
    title_status::varchar as title_status
from marked
{%- if is_incremental() %}
where not exists (
    select 1
    from (select distinct uscc, data_year, inputs_hash from {{ this }}) as built
    where built.uscc = marked.uscc and built.data_year = marked.data_year and built.inputs_hash = marked.inputs_hash
)
{%- endif %}
