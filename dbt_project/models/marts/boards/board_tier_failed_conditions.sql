-- marts.board_tier_failed_conditions: for the 专精特新梯度培育 board, the conditions that candidates of the latest
-- assessment year fail (primary rule version, tier not held, not eligible), one row per condition code × 市州 × 门类
-- with the number of distinct enterprises. Grouped by the stable code (tier_assessments.failed_condition_codes), so
-- "总分52<60" and "总分55<60" are one bar 创新型：总分不足60; labels come from seed tier_condition_codes. An
-- enterprise has one 市州 and 门类 per assessment year, so summing `firms` over cells counts each enterprise once per
-- condition (the board's 企业数). 待核实 codes (kind) are listed too: firms whose direct pass needs a rank to be checked.
with failed as (
    select
        t.uscc,
        t.assessment_year,
        unnest(t.failed_condition_codes) as condition_code,
        t.region_code,
        t.section_code
    from {{ ref('tier_assessments') }} as t
    where t.is_primary_version and not t.holds_tier and not t.eligible
      and t.assessment_year = (select max(assessment_year) from {{ ref('tier_assessments') }})
      and len(t.failed_condition_codes) > 0
),

per_firm as (
    -- one row per enterprise and code (a shared code such as TIER_NOT_SME can fail for several tiers)
    select uscc, assessment_year, condition_code, any_value(region_code) as region_code,
           any_value(section_code) as section_code
    from failed
    group by uscc, assessment_year, condition_code
)

select
    f.assessment_year,
    f.condition_code,
    any_value(case when c.tier = '通用' then c.label else c.tier || '：' || c.label end) as failed_condition,
    any_value(c.tier) as condition_tier,
    any_value(c.kind) as condition_kind,
    f.region_code,
    any_value(r.region_name) as region_name,
    f.section_code,
    count(*) as firms
from per_firm as f
left join {{ ref('tier_condition_codes') }} as c on c.code = f.condition_code
left join {{ ref('regions') }} as r on r.region_code = f.region_code
group by f.assessment_year, f.condition_code, f.region_code, f.section_code
