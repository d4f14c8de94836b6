-- 欠款台账条目（当前版本）: one row per case_id × as_of (ledger date); the latest load wins.
with source as (
    select * from {{ source('raw', 'arrears') }}
),

current_version as (
    select *
    from source
    qualify row_number() over (partition by case_id, as_of order by load_id desc, source_row desc) = 1
)

select
    as_of,
    case_id,
    creditor_uscc,
    nullif(trim(creditor_name), '') as creditor_name,
    nullif(trim(debtor_name), '') as debtor_name,
    debtor_uscc,
    debtor_type,
    division_code,
    delivered_on,
    accepted_on,
    agreed_term_days::integer as agreed_term_days,
    amount,
    disputed,
    repaid,
    last_repaid_on,
    status,
    load_id,
    source_file,
    source_row
from current_version
