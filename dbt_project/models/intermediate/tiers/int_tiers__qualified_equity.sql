-- Qualified equity financing (合格机构投资者的股权融资, paid in) per enterprise × year, and over the
-- 2 and 3 years ending with that year (DOMAIN_RULES §1: windows count back from the data year).
-- Counted: channel 股权融资 from provider_type 合格机构投资者, decision 获批/部分获批, amount approved;
-- the year is the disbursement year, else the application year.
with equity as (
    select
        uscc,
        extract(year from coalesce(disbursed_on, applied_on))::integer as year,
        sum(coalesce(amount_approved, 0)) as amount
    from {{ ref('stg_financing__applications') }}
    where channel = '股权融资'
      and provider_type = '合格机构投资者'
      and decision in ('获批', '部分获批')
    group by all
),

spine as (
    select distinct e.uscc, e.year + k.k as year
    from equity as e
    cross join (values (0), (1), (2)) as k(k)
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
