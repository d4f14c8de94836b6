-- marts.missing_reports: 未报送企业名单 — one row per month × firm expected to report that did not (催报).
-- Names and USCC only: no contact data (联系人/联系电话 are dropped in staging and never reach a mart).
-- consecutive_missing_months: months in a row the firm has missed, up to and including this one.
with missing as (
    select
        uscc,
        month,
        datediff('month', date '2000-01-01', month) as month_index
    from {{ ref('int_reporting__firm_months') }}
    where is_missing
),

runs as (
    select
        uscc,
        month,
        month_index - row_number() over (partition by uscc order by month) as run_key
    from missing
)

select
    r.month,
    r.uscc,
    e.enterprise_name,
    d.region_code,
    d.region_name,
    d.section_code,
    d.section_name,
    coalesce(d.size_class, 'unknown') as size_class,
    row_number() over (partition by r.uscc, r.run_key order by r.month)::bigint as consecutive_missing_months
from runs as r
left join {{ ref('int_operating__enterprise_dims') }} as d
    on d.uscc = r.uscc
left join {{ ref('enterprises') }} as e
    on e.uscc = r.uscc
