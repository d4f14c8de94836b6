-- marts.board_operating_months: the 全省中小企业运行总览 board's figures pre-summed per month × 市州 × 门类 × 规模.
-- Every chart of that board groups by month or reads one month, so the board's metrics are sums (and ratios of sums)
-- over these cells and equal the same metrics over marts.enterprise_months (one row per enterprise and month:
-- firms = count(*) = count(distinct uscc) within a month). About 40 k rows at province scale instead of 3.6 M.
select
    m.period,
    m.region_code,
    any_value(m.region_name) as region_name,
    m.section_code,
    m.size_class,
    count(*) as firms,
    sum(m.revenue_ytd) as revenue_ytd,
    sum(m.revenue_month) as revenue_month,
    sum(m.cost_ytd) as cost_ytd,
    sum(m.profit_ytd) as profit_ytd,
    -- 同口径: this year's and last year's YTD revenue of the firms that reported the same month in both years
    -- (a firm whose revenue fell to 0 counts as the fall it is; before 2026-11 it was left out, which lifted the rate)
    sum(case when m.revenue_ytd_prev_year is not null then m.revenue_ytd end) as revenue_ytd_matched,
    sum(case when m.revenue_ytd is not null then m.revenue_ytd_prev_year end) as revenue_ytd_prev_year,
    count(*) filter (where m.is_loss_making) as loss_making_firms,
    sum(m.total_assets) as total_assets,
    sum(m.total_liabilities) as total_liabilities,
    sum(m.employees)::bigint as employees,
    sum(m.rd_expense_ytd) as rd_expense_ytd,
    sum(m.main_revenue_ytd) as main_revenue_ytd
from {{ ref('enterprise_months') }} as m
group by m.period, m.region_code, m.section_code, m.size_class
