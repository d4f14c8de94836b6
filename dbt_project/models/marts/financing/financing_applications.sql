-- marts.financing_applications: one row per financing application, current state (融资申请明细).
select
    f.record_id,
    f.uscc,
    date_trunc('month', f.applied_on)::date as month,
    d.region_code,
    d.region_name,
    d.section_code,
    d.size_class,
    f.channel,
    f.provider,
    f.provider_type,
    f.guarantor,
    f.applied_on,
    f.amount_applied,
    f.decision,
    coalesce(f.amount_approved, 0) as amount_approved,
    f.disbursed_on,
    f.rate_pct,
    f.guarantee_fee_pct,
    f.term_months,
    coalesce(f.inclusive_small_micro, false) as is_inclusive_small_micro,
    f.refusal_reason,
    f.decision in ('获批', '部分获批', '拒绝') as is_decided,
    f.decision in ('获批', '部分获批') as is_approved,
    f.decision = '拒绝' as is_refused,
    coalesce(f.decision = '审批中' or f.decision is null, true) as is_pending,
    (f.channel = '担保贷款' or f.provider_type = '政府性融资担保' or nullif(trim(f.guarantor), '') is not null)
        as is_guaranteed,
    -- paid in: a 放款日期 is what the tier rules count (DOMAIN_RULES §1; int_tiers__qualified_equity)
    coalesce(f.channel = '股权融资' and f.provider_type = '合格机构投资者' and f.decision in ('获批', '部分获批')
             and f.disbursed_on is not null, false)
        as is_qualified_equity
from {{ ref('stg_financing__applications') }} as f
left join {{ ref('int_operating__enterprise_dims') }} as d
    on d.uscc = f.uscc
