-- 小进规 is one event per firm per spell below scale (DOMAIN_RULES §3; issue 14 item 4): no firm has a second
-- 小进规 without a 退规 after the first one and no later than the second. Returns the offending pairs.
select a.uscc, a.year as entry_year, b.year as next_entry_year
from {{ ref('scale_entries') }} as a
inner join {{ ref('scale_entries') }} as b
    on b.uscc = a.uscc and b.event_type = '小进规' and b.year > a.year
where a.event_type = '小进规'
  and not exists (
      select 1 from {{ ref('scale_entries') }} as x
      where x.uscc = a.uscc and x.event_type = '退规' and x.year > a.year and x.year <= b.year
  )
