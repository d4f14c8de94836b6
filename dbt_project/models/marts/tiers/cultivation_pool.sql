-- marts.cultivation_pool (培育库): per assessment year, under the primary rule version of that year,
--   符合条件未认定 — eligible for a tier the firm does not hold;
--   差一项条件     — not eligible, exactly one condition failed;
--   差10分以内     — not eligible, ≤ pool_max_points_gap points short (and more than one condition failed);
--   小进规候选     — industrial, below scale, a full year's 主营业务收入 in [1000, 2000) 万元 in the data year;
-- and, listed apart (is_candidate false: not counted in the pool's firm count nor in T05; shown as their own KPIs):
--   复核到期       — the firm's title of this tier has expired (granted ≥ 3 years before the data year, not renewed;
--                    DOMAIN_RULES §1): listed whatever its verdict; is_eligible says whether it would pass again;
--   数据不完整     — the data year is incomplete (no December report), so the firm cannot be assessed: listed once,
--                    for the lowest tier it does not hold whose verdict is unknown; data_status names the missing months.
-- is_candidate: the row is in the pool on merit (the first four types). A 复核到期 row is a renewal to follow up, not a
-- cultivation candidate, even when the firm would pass again (is_eligible says so). The pool count (T05) counts candidates only.
-- One row per enterprise × assessment year × target (创新型 / 专精特新 / 小巨人 / 规上工业).
{%- set gap = tier_cfg('pool_max_points_gap') %}
{%- set lo = tier_cfg('scale_candidate_min_revenue') %}
{%- set hi = tier_cfg('scale_threshold_revenue') %}
with t as (
    select * from {{ ref('tier_assessments') }}
    -- large firms (gate_sme false) cannot be cultivated into an SME tier
    where is_primary_version and not holds_tier and coalesce(gate_sme, false)
),

flagged as (
    select
        *,
        coalesce(eligible
            or failed_condition_count = 1
            or (points_missing between 1 and {{ gap }}
                -- the score is the only obstacle: every non-score gate holds
                and (tier <> '专精特新'
                     or coalesce(gate_niche_years and gate_rd_expense and gate_rd_ratio and gate_revenue_or_equity, false))),
            false) as is_candidate,
        coalesce(title_status = '复核到期' and granted_title = tier, false) as is_expired_tier,
        -- one 数据不完整 row per firm: the lowest tier it does not hold whose verdict is unknown
        coalesce(data_status is not null and eligible is null
                 and {{ tier_rank('tier') }} = min(case when data_status is not null and eligible is null
                                                       then {{ tier_rank('tier') }} end)
                                                  over (partition by uscc, assessment_year)
                 and title_status is distinct from '复核到期', false) as is_unassessed_next_tier
    from t
),

tiers as (
    select
        uscc, assessment_year, data_year, tier as target, rule_version,
        case
            when is_expired_tier then '复核到期'
            when is_unassessed_next_tier then '数据不完整'
            when eligible then '符合条件未认定'
            when failed_condition_count = 1 then '差一项条件'
            else '差{{ gap }}分以内'
        end as pool_type,
        is_candidate and not is_expired_tier as is_candidate,
        eligible as is_eligible,
        failed_condition_count,
        points_missing,
        failed_conditions as missing_conditions,
        total_score,
        data_status,
        null::double as revenue_annualised
    from flagged
    where is_candidate or is_expired_tier or is_unassessed_next_tier
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
    select *, true as is_candidate, null::varchar as data_status from candidates
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
    pool.revenue_annualised::double as revenue_annualised,
    pool.is_candidate::boolean as is_candidate,
    e.title_status::varchar as title_status,
    pool.data_status::varchar as data_status
from pool
left join {{ ref('enterprise_profiles') }} as e
    on e.uscc = pool.uscc and e.profile_year = pool.data_year
