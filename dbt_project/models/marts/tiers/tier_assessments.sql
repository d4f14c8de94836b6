-- marts.tier_assessments: one row per enterprise × assessment year × tier × rule version.
-- Assessment year = data year (画像年度, 上年度) + 1. Columns a tier/version does not use are NULL.
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
