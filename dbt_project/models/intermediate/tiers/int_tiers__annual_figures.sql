-- One row per enterprise × year: the annual figures of the monthly report (December YTD, or the latest
-- reported month's YTD), with the year before and the year before that on the same row.
-- Flows and balances: YTD columns at the last reported month; balance-sheet items and headcount at that month.
with src as (
    -- the materialised month table (same current versions as the staging view, without deduplicating 3.5 M rows again)
    select * from {{ ref('int_operating__months') }}
),

years as (
    select
        uscc,
        report_year as year,
        max(period) as last_period,
        count(*)::integer as months_reported,
        arg_max(revenue_ytd, period) as revenue,
        arg_max(main_revenue_ytd, period) as main_revenue,
        arg_max(cost_ytd, period) as cost,
        arg_max(profit_ytd, period) as profit,
        arg_max(net_profit_ytd, period) as net_profit,
        arg_max(tax_ytd, period) as tax,
        arg_max(export_ytd, period) as export_value,
        arg_max(rd_expense_ytd, period) as rd_expense,
        arg_max(total_assets, period) as total_assets,
        arg_max(total_liabilities, period) as total_liabilities,
        arg_max(employees, period) as employees
    from src
    group by all
)

select
    y.*,
    extract(month from y.last_period)::integer as last_month,
    extract(month from y.last_period) = 12 as is_complete,
    p1.revenue as revenue_prev,
    p1.main_revenue as main_revenue_prev,
    p1.rd_expense as rd_expense_prev,
    p1.is_complete_prev as is_complete_prev,
    p2.revenue as revenue_prev2,
    p2.main_revenue as main_revenue_prev2
from years as y
left join (select uscc, year, revenue, main_revenue, rd_expense, extract(month from last_period) = 12 as is_complete_prev from years) as p1
    on p1.uscc = y.uscc and p1.year = y.year - 1
left join (select uscc, year, revenue, main_revenue from years) as p2
    on p2.uscc = y.uscc and p2.year = y.year - 2
