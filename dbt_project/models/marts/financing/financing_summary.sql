-- marts.financing_summary: month × 市州 × size class × channel (融资汇总).
-- Rows with channel = '全部' (is_all_channels) total every channel and carry the firms' reported
-- financing demand (operating.financing_demand, which has no channel); on single-channel rows the
-- demand columns are NULL. Sum counts and amounts over rows with is_all_channels = false only.
-- Rates: approval_rate = approved / decided applications; approved_to_applied = approved ÷ applied
-- amount over decided applications; weighted_avg_rate_pct weighted by approved amount.
with apps as (
    select
        month,
        coalesce(region_code, '000000') as region_code,
        coalesce(size_class, 'unknown') as size_class,
        coalesce(channel, '未知') as channel,
        *
    exclude (month, region_code, size_class, channel)
    from {{ ref('financing_applications') }}
),

by_channel as (
    select
        month,
        region_code,
        size_class,
        case when grouping(channel) = 1 then '全部' else channel end as channel,
        grouping(channel) = 1 as is_all_channels,
        count(*) as applications,
        count(*) filter (where is_decided) as decided,
        count(*) filter (where is_approved) as approved,
        count(*) filter (where is_refused) as refused,
        count(*) filter (where is_pending) as pending,
        sum(amount_applied) as amount_applied,
        coalesce(sum(amount_applied) filter (where is_decided), 0) as amount_applied_decided,
        coalesce(sum(amount_approved) filter (where is_approved), 0) as amount_approved,
        sum(rate_pct * amount_approved) filter (where is_approved and rate_pct is not null) as rate_x_amount,
        sum(amount_approved) filter (where is_approved and rate_pct is not null) as rated_amount,
        coalesce(sum(amount_approved) filter (where is_approved and is_guaranteed), 0) as amount_approved_guaranteed,
        coalesce(sum(amount_approved) filter (where is_approved and is_inclusive_small_micro), 0) as amount_approved_inclusive,
        count(distinct uscc) as applicant_firms
    from apps
    group by grouping sets ((month, region_code, size_class, channel), (month, region_code, size_class))
),

reasons as (
    select
        month, region_code, size_class, channel, refusal_reason, count(*) as n
    from (
        select month, region_code, size_class, channel, coalesce(nullif(trim(refusal_reason), ''), '未填写') as refusal_reason
        from apps where is_refused
        union all
        select month, region_code, size_class, '全部', coalesce(nullif(trim(refusal_reason), ''), '未填写')
        from apps where is_refused
    )
    group by all
),

top_reasons as (
    select
        month, region_code, size_class, channel,
        string_agg(refusal_reason || '(' || n || ')', '；' order by n desc, refusal_reason) as top_refusal_reasons
    from (
        select *, row_number() over (partition by month, region_code, size_class, channel order by n desc, refusal_reason) as rk
        from reasons
    )
    where rk <= 3
    group by all
),

demand as (
    select
        period as month,
        coalesce(region_code, '000000') as region_code,
        coalesce(size_class, 'unknown') as size_class,
        sum(financing_demand) as financing_demand,
        count(*) filter (where financing_demand > 0) as firms_with_demand
    from {{ ref('enterprise_months') }}
    where financing_demand is not null
    group by all
),

all_cells as (
    select month, region_code, size_class, channel, is_all_channels from by_channel
    union
    select month, region_code, size_class, '全部', true from demand
)

select
    c.month,
    c.region_code,
    coalesce(r.region_name, '未知地区') as region_name,
    c.size_class,
    c.channel,
    c.is_all_channels,
    coalesce(b.applications, 0) as applications,
    coalesce(b.applicant_firms, 0) as applicant_firms,
    coalesce(b.decided, 0) as decided,
    coalesce(b.approved, 0) as approved,
    coalesce(b.refused, 0) as refused,
    coalesce(b.pending, 0) as pending,
    {{ ops_div('b.approved', 'b.decided') }} as approval_rate,
    coalesce(b.amount_applied, 0) as amount_applied,
    coalesce(b.amount_approved, 0) as amount_approved,
    {{ ops_div('b.amount_approved', 'b.amount_applied_decided') }} as approved_to_applied,
    {{ ops_div('b.rate_x_amount', 'b.rated_amount') }} as weighted_avg_rate_pct,
    {{ ops_div('b.amount_approved_guaranteed', 'b.amount_approved') }} as guarantee_share,
    {{ ops_div('b.amount_approved_inclusive', 'b.amount_approved') }} as inclusive_share,
    t.top_refusal_reasons,
    dm.financing_demand,
    dm.firms_with_demand,
    case when c.is_all_channels then {{ ops_div('b.amount_approved', 'dm.financing_demand') }} end
        as obtained_to_demand
from all_cells as c
left join by_channel as b
    using (month, region_code, size_class, channel)
left join top_reasons as t
    using (month, region_code, size_class, channel)
left join demand as dm
    on c.is_all_channels
    and dm.month = c.month and dm.region_code = c.region_code and dm.size_class = c.size_class
left join {{ ref('ref_regions') }} as r
    on r.region_code = c.region_code
