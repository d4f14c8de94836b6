-- marts.reporting_coverage: 报送率 / 及时率 per month × 市州 × 门类 × size class.
-- Counts of the firms expected to report (int_reporting__firm_months) grouped by the enterprise dimensions the
-- operating marts use (市州, 门类 and size class of the firm's latest profile, as in enterprise_months).
-- Rates are fractions: reporting_rate = reported ÷ expected, on_time_rate = on time ÷ expected.
with firm_months as (
    select * from {{ ref('int_reporting__firm_months') }}
)

select
    f.month,
    d.region_code,
    d.region_name,
    d.section_code,
    d.section_name,
    coalesce(d.size_class, 'unknown') as size_class,
    count(*)::bigint as expected_firms,
    count(*) filter (where f.is_reported)::bigint as reported_firms,
    count(*) filter (where f.is_on_time)::bigint as on_time_firms,
    count(*) filter (where f.is_late)::bigint as late_firms,
    count(*) filter (where f.is_missing)::bigint as missing_firms,
    (count(*) filter (where f.is_reported) / count(*))::double as reporting_rate,
    (count(*) filter (where f.is_on_time) / count(*))::double as on_time_rate,
    f.deadline
from firm_months as f
left join {{ ref('int_operating__enterprise_dims') }} as d
    on d.uscc = f.uscc
group by f.month, f.deadline, d.region_code, d.region_name, d.section_code, d.section_name, coalesce(d.size_class, 'unknown')
