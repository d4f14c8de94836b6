-- marts.arrears_progress: clearance progress (清偿进度) per ledger date × 市州 × debtor level × debtor type.
-- "Latest" (is_latest_ledger) is each 市州's own latest 台账日期, not one province-wide date: a 市州 that files on
-- another day must not drop out of the latest figures. 420000 = debtors at provincial level (省直机关, 省属国企),
-- named 湖北省（省直）; debtor_level (省级/市级/县级) lets progress be reported by level (DOMAIN_RULES §4).
-- Cases of large-firm debtors with no agreed term delivered under 728号 have no due date (期限未约定): they count in
-- the amounts and the clearance rates, never as overdue; no_term_cases / no_term_outstanding show how many.
-- Numerators and denominators are kept separately so any roll-up (province, all debtor types)
-- recomputes the rate as sum(repaid) / sum(amount). Undisputed (无分歧) excludes disputed cases and
-- cases in litigation (诉讼中); disputed (有分歧) = disputed or in litigation.
with l as (
    select * from {{ ref('int_arrears__ledger') }}
),

agg as (
    select
        as_of,
        coalesce(region_code, '000000') as region_code,
        debtor_level,
        coalesce(debtor_type, '未知') as debtor_type,
        count(*) as cases,
        sum(amount) as amount,
        sum(repaid) as repaid,
        sum(outstanding) as outstanding,
        count(*) filter (where is_cleared) as cases_cleared,
        count(*) filter (where is_undisputed) as undisputed_cases,
        coalesce(sum(amount) filter (where is_undisputed), 0) as undisputed_amount,
        coalesce(sum(repaid) filter (where is_undisputed), 0) as undisputed_repaid,
        coalesce(sum(outstanding) filter (where is_undisputed), 0) as undisputed_unpaid,
        count(*) filter (where is_undisputed and outstanding > 0) as undisputed_unpaid_cases,
        count(*) filter (where not is_undisputed) as disputed_cases,
        coalesce(sum(amount) filter (where not is_undisputed), 0) as disputed_amount,
        coalesce(sum(repaid) filter (where not is_undisputed), 0) as disputed_repaid,
        count(*) filter (where is_in_litigation) as litigation_cases,
        coalesce(sum(amount) filter (where is_in_litigation), 0) as litigation_amount,
        count(*) filter (where is_overdue) as overdue_cases,
        coalesce(sum(outstanding) filter (where is_overdue), 0) as overdue_outstanding,
        count(*) filter (where ageing_bucket = '期限未约定') as no_term_cases,
        coalesce(sum(outstanding) filter (where ageing_bucket = '期限未约定'), 0) as no_term_outstanding,
        coalesce(sum(late_interest_est), 0) as late_interest_est
    from l
    group by 1, 2, 3, 4
)

select
    agg.as_of,
    agg.as_of = max(agg.as_of) over (partition by agg.region_code) as is_latest_ledger,
    agg.region_code,
    case when agg.region_code = '420000' then '湖北省（省直）' else coalesce(r.region_name, '未知地区') end as region_name,
    agg.debtor_level,
    agg.debtor_type,
    agg.cases,
    agg.amount,
    agg.repaid,
    agg.outstanding,
    agg.cases_cleared,
    {{ ops_div('agg.repaid', 'agg.amount') }} as clearance_rate,
    agg.undisputed_cases,
    agg.undisputed_amount,
    agg.undisputed_repaid,
    {{ ops_div('agg.undisputed_repaid', 'agg.undisputed_amount') }} as undisputed_clearance_rate,
    agg.undisputed_unpaid,
    agg.undisputed_unpaid_cases,
    agg.disputed_cases,
    agg.disputed_amount,
    agg.disputed_repaid,
    {{ ops_div('agg.disputed_repaid', 'agg.disputed_amount') }} as disputed_clearance_rate,
    agg.litigation_cases,
    agg.litigation_amount,
    agg.overdue_cases,
    agg.overdue_outstanding,
    agg.no_term_cases,
    agg.no_term_outstanding,
    agg.late_interest_est
from agg
left join {{ ref('ref_regions') }} as r
    on r.region_code = agg.region_code
