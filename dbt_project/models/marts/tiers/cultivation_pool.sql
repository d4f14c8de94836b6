-- marts.cultivation_pool (培育库): per assessment year, under the primary rule version of that year,
--   符合条件未认定 — eligible for a tier the firm does not hold;
--   差一项条件     — not eligible, exactly one condition failed;
--   差10分以内     — not eligible, ≤ pool_max_points_gap points short (and more than one condition failed);
--   小进规候选     — industrial, below scale, annualised 营业收入 in [1000, 2000) 万元 in the data year.
-- One row per enterprise × assessment year × target (创新型 / 专精特新 / 小巨人 / 规上工业).
{%- set gap = tier_cfg('pool_max_points_gap') %}
{%- set lo = tier_cfg('scale_candidate_min_revenue') %}
{%- set hi = tier_cfg('scale_threshold_revenue') %}
with t as (
    select * from {{ ref('tier_assessments') }}
    -- large firms (gate_sme false) cannot be cultivated into an SME tier
    where is_primary_version and not holds_tier and coalesce(gate_sme, false)
),

tiers as (
    select
        uscc, assessment_year, data_year, tier as target, rule_version,
        case
            when eligible then '符合条件未认定'
            when failed_condition_count = 1 then '差一项条件'
            else '差{{ gap }}分以内'
        end as pool_type,
        eligible as is_eligible,
        failed_condition_count,
        points_missing,
        failed_conditions as missing_conditions,
        total_score,
        null::double as revenue_annualised
    from t
    where eligible
       or failed_condition_count = 1
       or (points_missing between 1 and {{ gap }}
           -- the score is the only obstacle: every non-score gate holds
           and (tier <> '专精特新'
                or coalesce(gate_niche_years and gate_rd_expense and gate_rd_ratio and gate_revenue_or_equity, false)))
),

candidates as (
    -- 小进规候选 (规划: 主营业务收入 1000–2000 万元): industrial, below scale, 主营业务收入 of a FULL year (December
    -- YTD) in [lo, hi) 万元. A partial year is never annualised into a candidate; revenue_annualised of a complete
    -- year is that year's 营业收入.
    select
        p.uscc,
        p.profile_year + 1 as assessment_year,
        p.profile_year as data_year,
        '规上工业' as target,
        null::varchar as rule_version,
        '小进规候选' as pool_type,
        false as is_eligible,
        1 as failed_condition_count,
        null::integer as points_missing,
        -- shown truncated (never rounded up to the threshold)
        '全年主营业务收入' || format('{:.2f}', floor(y.main_revenue * 100) / 100) || '万元<{{ hi }}万元' as missing_conditions,
        null::integer as total_score,
        y.revenue_annualised
    from {{ ref('enterprise_profiles') }} as p
    inner join {{ ref('enterprise_years') }} as y on y.uscc = p.uscc and y.year = p.profile_year
    where p.is_industrial
      and not p.is_above_scale
      and y.is_complete
      and y.main_revenue >= {{ lo }} and y.main_revenue < {{ hi }}
),

pool as (
    select * from tiers
    union all by name
    select * from candidates
)

select
    pool.uscc,
    pool.assessment_year::integer as assessment_year,
    pool.data_year::integer as data_year,
    pool.target::varchar as target,
    pool.pool_type::varchar as pool_type,
    pool.rule_version::varchar as rule_version,
    e.enterprise_name,
    e.region_code,
    e.region_name,
    e.section_code,
    e.division_2d,
    e.size_class_computed as size_class,
    e.current_title,
    pool.is_eligible::boolean as is_eligible,
    pool.failed_condition_count::integer as failed_condition_count,
    pool.points_missing::integer as points_missing,
    pool.missing_conditions::varchar as missing_conditions,
    pool.total_score::integer as total_score,
    pool.revenue_annualised::double as revenue_annualised
from pool
left join {{ ref('enterprise_profiles') }} as e
    on e.uscc = pool.uscc and e.profile_year = pool.data_year
