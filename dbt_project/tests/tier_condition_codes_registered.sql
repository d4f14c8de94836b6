-- Every code in tier_assessments.failed_condition_codes is registered in seed tier_condition_codes (the one list of
-- codes, labels and rule references), and each row has one code per '；'-separated item of failed_conditions.
with codes as (
    select t.uscc, t.assessment_year, t.tier, t.rule_version, unnest(t.failed_condition_codes) as code
    from {{ ref('tier_assessments') }} as t
)

select uscc, assessment_year, tier, rule_version, code, 'code not in tier_condition_codes' as problem
from codes
where code not in (select code from {{ ref('tier_condition_codes') }})
union all
select uscc, assessment_year, tier, rule_version, null as code, 'codes and texts differ in number' as problem
from {{ ref('tier_assessments') }}
where coalesce(len(failed_condition_codes), 0) <> coalesce(len(string_split(failed_conditions, '；')), 0)
