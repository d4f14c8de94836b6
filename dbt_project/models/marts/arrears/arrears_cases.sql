-- marts.arrears_cases: each arrears case at its latest ledger date (拖欠账款案件最新状态).
-- is_in_latest_ledger: the case is on its 市州's own latest 台账日期 (each 市州 files on its own day; a case that
-- no longer appears on its 市州's latest ledger keeps its last state here but is not "latest").
-- 420000 = debtors at provincial level (省直机关, 省属国企), named 湖北省（省直）.
with l as (
    select
        *,
        as_of = max(as_of) over (partition by region_code) as is_region_latest
    from {{ ref('int_arrears__ledger') }}
)

select
    l.case_id,
    l.as_of,
    l.creditor_uscc,
    l.creditor_name,
    l.debtor_name,
    l.debtor_type,
    l.is_public_debtor,
    l.is_large_debtor,
    l.division_code,
    l.region_code,
    l.region_source,
    case when l.region_code = '420000' then '湖北省（省直）' else r.region_name end as region_name,
    l.debtor_level,
    l.delivered_on,
    l.accepted_on,
    l.agreed_term_days,
    l.regulation_version,
    l.due_base,
    l.due_base_date,
    l.payment_term_days,
    l.payment_term_basis,
    l.due_date,
    l.amount,
    l.repaid,
    l.outstanding,
    l.last_repaid_on,
    l.status,
    l.is_disputed,
    l.is_in_litigation,
    l.is_undisputed,
    l.is_cleared,
    l.is_overdue,
    l.days_overdue,
    l.ageing_bucket,
    l.ageing_bucket_order,
    l.late_interest_est,
    {{ ops_div('l.repaid', 'l.amount') }} as clearance_rate,
    l.is_region_latest as is_in_latest_ledger
from l
left join {{ ref('ref_regions') }} as r
    on r.region_code = l.region_code
qualify row_number() over (partition by l.case_id order by l.as_of desc) = 1
