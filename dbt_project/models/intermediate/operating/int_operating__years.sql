-- One row per enterprise × year: annual totals from the monthly report (the latest reported month's YTD,
-- with the number of months reported), used by the plan targets (T06, T07, T08, T09, T10).
select
    uscc,
    report_year,
    max(period) as last_period,
    count(*) as months_reported,
    arg_max(revenue_ytd, period) as revenue_ytd,
    arg_max(main_revenue_ytd, period) as main_revenue_ytd,
    arg_max(profit_ytd, period) as profit_ytd,
    arg_max(rd_expense_ytd, period) as rd_expense_ytd,
    sum(power_use) filter (where coalesce(revenue_month, revenue_month_reported) is not null) as power_use,
    sum(coalesce(revenue_month, revenue_month_reported)) filter (where power_use is not null) as revenue_with_power
from {{ ref('int_operating__months') }}
group by uscc, report_year
