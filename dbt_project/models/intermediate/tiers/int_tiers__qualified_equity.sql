-- Qualified equity financing (合格机构投资者的股权融资, paid in) per enterprise × year, and over the
-- 2 and 3 years ending with that year (DOMAIN_RULES §1: windows count back from the data year; 2y = Y-1..Y,
-- 3y = Y-2..Y, whole calendar years).
-- Counted (INPUTS.md, issue 14 item 6): channel 股权融资 from provider_type 合格机构投资者 that has been paid in,
-- i.e. has a 放款日期 (disbursed_on); the year is the disbursement year and the amount the approved amount. An
-- approval or application without a disbursement date does not count, whatever its decision or application date.
with equity as (
    select
        uscc,
        extract(year from disbursed_on)::integer as year,
        sum(coalesce(amount_approved, 0)) as amount
    from {{ ref('stg_financing__applications') }}
    where channel = '股权融资'
      and provider_type = '合格机构投资者'
      and decision in ('获批', '部分获批')
      and disbursed_on is not null
    group by all
),

spine as (
    select distinct e.uscc, e.year + k.k as year
    from equity as e
    cross join (values (0), (1), (2)) as k(k)  -- noqa: LT01
)

select
    s.uscc,
    s.year,
    coalesce(e0.amount, 0) as qualified_equity_year,
    coalesce(e0.amount, 0) + coalesce(e1.amount, 0) as qualified_equity_2y,
    coalesce(e0.amount, 0) + coalesce(e1.amount, 0) + coalesce(e2.amount, 0) as qualified_equity_3y
from spine as s
left join equity as e0 on e0.uscc = s.uscc and e0.year = s.year
left join equity as e1 on e1.uscc = s.uscc and e1.year = s.year - 1
left join equity as e2 on e2.uscc = s.uscc and e2.year = s.year - 2
