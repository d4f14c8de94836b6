-- marts.board_tier_failed_conditions: for the 专精特新梯度培育 board, the conditions that candidates of the latest
-- assessment year fail (primary rule version, tier not held, not eligible), one row per condition × 市州 × 门类 with the
-- number of distinct enterprises. An enterprise has one 市州 and 门类 per assessment year, so summing `firms` over
-- cells counts each enterprise once per condition (the board's 企业数).
with failed as (
    select
        t.uscc,
        t.assessment_year,
        trim(unnest(string_split(t.failed_conditions, '；'))) as failed_condition,
        t.region_code,
        t.section_code
    from {{ ref('tier_assessments') }} as t
    where t.is_primary_version and not t.holds_tier and not t.eligible
      and t.assessment_year = (select max(assessment_year) from {{ ref('tier_assessments') }})
      and coalesce(t.failed_conditions, '') <> ''
),

per_firm as (
    -- one row per enterprise and condition (a condition can fail for several tiers)
    select uscc, assessment_year, failed_condition, any_value(region_code) as region_code,
           any_value(section_code) as section_code
    from failed
    group by uscc, assessment_year, failed_condition
)

select
    f.assessment_year,
    f.failed_condition,
    f.region_code,
    any_value(r.region_name) as region_name,
    f.section_code,
    count(*) as firms
from per_firm as f
left join {{ ref('regions') }} as r on r.region_code = f.region_code
group by f.assessment_year, f.failed_condition, f.region_code, f.section_code
