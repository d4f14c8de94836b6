-- One row per enterprise × year: the annual figures of the monthly report (December YTD, or the latest
-- reported month's YTD), with the year before and the year before that on the same row.
-- Flows and balances: YTD columns at the last reported month; balance-sheet items and headcount at that month.
-- A year is complete when its December report is in (DOMAIN_RULES §1: an incomplete year is not assessed);
-- missing_months lists the months of 1–12 without a report, and is_complete_prev / is_complete_prev2 tell whether
-- the two years before are complete (a figure of an incomplete year is never read as a whole year downstream).
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
        list_sort(list(distinct extract(month from period)::integer)) as months_list,
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
),

flagged as (
    select
        * exclude (months_list),
        extract(month from last_period)::integer as last_month,
        extract(month from last_period) = 12 as is_complete,
        list_filter(range(1, 13)::integer[], lambda m: not list_contains(months_list, m)) as missing_months
    from years
)

select
    y.*,
    p1.revenue as revenue_prev,
    p1.main_revenue as main_revenue_prev,
    p1.rd_expense as rd_expense_prev,
    p1.is_complete as is_complete_prev,
    p2.revenue as revenue_prev2,
    p2.main_revenue as main_revenue_prev2,
    p2.is_complete as is_complete_prev2
from flagged as y
left join (select uscc, year, revenue, main_revenue, rd_expense, is_complete from flagged) as p1
    on p1.uscc = y.uscc and p1.year = y.year - 1
left join (select uscc, year, revenue, main_revenue, is_complete from flagged) as p2
    on p2.uscc = y.uscc and p2.year = y.year - 2
