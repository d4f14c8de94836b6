{{ config(materialized='table') }}
-- One row per arrears case × ledger date (台账日期), with the due date per 《保障中小企业款项支付条例》:
--   version in force at delivery: 728号 before payment_reg_802_effective_date (2025-06-01), 802号 from then;
--   base date = acceptance date when present, else delivery date;
--   term: 机关/事业单位 → agreed term capped at 60, else 30;
--         大型企业 → agreed term; without one, 60 under 802号; under 728号 there is NO statutory term
--                    (DOMAIN_RULES §4): no due date, bucket 期限未约定, no overdue days, no interest —
--                    unless the sensitivity var payment_large_default_term_days_728 (default none) sets one;
--   overdue days are counted at the ledger date while something is still unpaid;
--   late interest is estimated only on undisputed cases (not disputed, not 诉讼中: what is owed is not known)
--   and only when there is a due date; otherwise NULL (unknown), never 0.
-- 市州 = the case's division code rolled up; when it is empty, the creditor's 市州 from the registry.
-- Level of the debtor (DOMAIN_RULES §4, progress by level): 420000 → 省级 (省直机关, 省属国企);
-- a 市州 code (xxxx00) or a 省直管 4290xx → 市级; any other Hubei code (区/县/县级市) → 县级; no code → 未知.
{%- set eff = ops_cfg('payment_reg_802_effective_date') %}
{%- set t728 = ops_cfg('payment_large_default_term_days_728') %}
{%- set has_t728 = t728 is not none and (t728 | string | lower) not in ('none', '', 'null') %}

with src as (
    select * from {{ ref('stg_arrears__ledger_entries') }}
),

typed as (
    select
        src.*,
        debtor_type in ('机关', '事业单位') as is_public_debtor,
        debtor_type in ('国有大型企业', '民营大型企业') as is_large_debtor,
        case
            when delivered_on is null then null
            when delivered_on < date '{{ eff }}' then '728号'
            else '802号'
        end as regulation_version,
        coalesce(accepted_on, delivered_on) as due_base_date,
        case when accepted_on is not null then 'accepted_on' when delivered_on is not null then 'delivered_on' end
            as due_base,
        greatest(amount - coalesce(repaid, 0), 0) as outstanding
    from src
),

termed as (
    select
        typed.*,
        case
            when is_public_debtor and agreed_term_days is not null
                then least(agreed_term_days, {{ ops_cfg('payment_public_max_term_days') }})
            when is_public_debtor then {{ ops_cfg('payment_public_default_term_days') }}
            when agreed_term_days is not null then agreed_term_days
            when is_large_debtor and regulation_version = '802号' then {{ ops_cfg('payment_large_default_term_days_802') }}
            {%- if has_t728 %}
            when is_large_debtor and regulation_version = '728号' then {{ t728 }}
            {%- endif %}
        end::integer as payment_term_days,
        case
            when is_public_debtor and agreed_term_days > {{ ops_cfg('payment_public_max_term_days') }} then 'agreed_capped'
            when agreed_term_days is not null then 'agreed'
            when is_public_debtor then 'statutory_public'
            when is_large_debtor and regulation_version = '802号' then 'statutory_large_802'
            when is_large_debtor and regulation_version = '728号' then
                {{ "'configured_default_728'" if has_t728 else "'no_term_728'" }}
            else 'unknown'
        end as payment_term_basis
    from typed
),

dated as (
    select
        termed.*,
        (due_base_date + payment_term_days * interval 1 day)::date as due_date
    from termed
),

aged as (
    select
        dated.*,
        case
            when due_date is null then null
            when outstanding > 0 then date_diff('day', due_date, as_of)
            else 0
        end as days_past_due
    from dated
)

select
    as_of,
    case_id,
    creditor_uscc,
    creditor_name,
    debtor_name,
    debtor_uscc,
    debtor_type,
    is_public_debtor,
    is_large_debtor,
    division_code,
    coalesce({{ ops_region_code('division_code') }}, creditor.region_code) as region_code,
    {{ ops_division_level('division_code') }} as debtor_level,
    case when division_code is not null then 'debtor_division' when creditor.region_code is not null then 'creditor' end
        as region_source,
    delivered_on,
    accepted_on,
    agreed_term_days,
    regulation_version,
    due_base,
    due_base_date,
    payment_term_days,
    payment_term_basis,
    due_date,
    amount,
    coalesce(repaid, 0) as repaid,
    outstanding,
    last_repaid_on,
    status,
    coalesce(disputed, false) as is_disputed,
    status = '诉讼中' as is_in_litigation,
    -- (noqa: PRS below: the sqlfluff duckdb dialect does not parse `is distinct from`)
    not coalesce(disputed, false) and status is distinct from '诉讼中' as is_undisputed,  -- noqa: PRS
    outstanding = 0 as is_cleared,  -- noqa: PRS
    case when days_past_due is not null then greatest(days_past_due, 0) end as days_overdue,
    coalesce(days_past_due > 0, false) as is_overdue,
    case
        when outstanding = 0 then '已清偿'
        when payment_term_basis = 'no_term_728' then '期限未约定'
        else {{ ops_ageing_bucket('days_past_due') }}
    end as ageing_bucket,
    case
        when outstanding = 0 then -1
        when payment_term_basis = 'no_term_728' then 8
        else {{ ops_ageing_bucket_order('days_past_due') }}
    end as ageing_bucket_order,
    case
        when not coalesce(disputed, false) and status is distinct from '诉讼中' and days_past_due is not null
            then round(outstanding * greatest(days_past_due, 0) * {{ ops_cfg('payment_late_interest_daily_rate') }}, 4)
    end as late_interest_est
from aged
left join {{ ref('int_operating__enterprise_dims') }} as creditor
    on creditor.uscc = aged.creditor_uscc
