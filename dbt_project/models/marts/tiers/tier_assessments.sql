-- marts.tier_assessments: one row per enterprise × assessment year × tier × rule version.
-- Assessment year = data year (画像年度, 上年度) + 1. Columns a tier/version does not use are NULL.
-- Incremental: the rules are a function of one int_tiers__inputs row and the configuration, so a nightly build
-- recomputes only the (firm, data year) whose inputs hash changed (a new month changes the current year's figures;
-- a new profile or financing round its own years); a configuration change rebuilds all (orchestration/dbt_state.py).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['uscc', 'data_year'],
    on_schema_change='fail',
    post_hook="delete from {{ this }} as t where not exists (select 1 from {{ ref('int_tiers__inputs') }} as i where i.uscc = t.uscc and i.data_year = t.data_year)"
) }}
with unioned as (
    select * from {{ ref('int_tiers__innovative') }}
    union all by name
    select * from {{ ref('int_tiers__specialised') }}
    union all by name
    select * from {{ ref('int_tiers__little_giant') }}
)

select
{%- for name, dtype in tier_assessment_columns() %}
    {%- if name == 'holds_tier' %}
    ({{ tier_rank('current_title') }} >= {{ tier_rank('tier') }})::boolean as holds_tier
    {%- elif name in ('feature_h1_points', 'feature_h2_points', 'feature_h3_points') %}
    case when tier = '专精特新' and rule_version = 'v2022' then {{ name }} end::integer as {{ name }}
    {%- elif name == 'points_missing' %}
    ceil(points_missing)::integer as points_missing
    {%- else %}
    {{ name }}::{{ dtype }} as {{ name }}
    {%- endif %}{{ ',' if not loop.last }}
{%- endfor %}
from unioned
{%- if is_incremental() %}
where not exists (
    select 1
    from (select distinct uscc, data_year, inputs_hash from {{ this }}) as built
    where built.uscc = unioned.uscc and built.data_year = unioned.data_year and built.inputs_hash = unioned.inputs_hash
)
{%- endif %}
