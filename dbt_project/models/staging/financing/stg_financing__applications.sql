-- 融资申请（当前状态）: one row per record_id; the latest load wins (a record is resent as its state changes).
with source as (
    select * from {{ source('raw', 'financing') }}
),

current_version as (
    select *
    from source
    qualify row_number() over (partition by record_id order by load_id desc, source_row desc) = 1
)

select
    record_id,
    uscc,
    channel,
    nullif(trim(provider), '') as provider,
    provider_type,
    nullif(trim(guarantor), '') as guarantor,
    applied_on,
    amount_applied,
    decision,
    amount_approved,
    disbursed_on,
    rate_pct,
    guarantee_fee_pct,
    term_months::integer as term_months,
    inclusive_small_micro,
    nullif(trim(refusal_reason), '') as refusal_reason,
    load_id,
    source_file,
    source_row
from current_version
