-- 运行监测月报（当前版本）: one row per uscc × period (first day of the month); the latest load wins.
with source as (
    select * from {{ source('raw', 'operating') }}
),

current_version as (
    select *
    from source
    qualify row_number() over (partition by uscc, period order by load_id desc, source_row desc) = 1
)

select
    uscc,
    nullif(trim(name), '') as enterprise_name,
    period,
    revenue_month,
    revenue_ytd,
    main_revenue_ytd,
    cost_ytd,
    profit_ytd,
    net_profit_ytd,
    tax_ytd,
    export_ytd,
    rd_expense_ytd,
    total_assets,
    total_liabilities,
    receivables,
    receivables_overdue,
    receivables_owed_by_public_and_large,
    employees::integer as employees,
    vacancies::integer as vacancies,
    power_use,
    capacity_utilisation_pct,
    new_orders,
    order_backlog,
    financing_demand,
    sent_overall,
    sent_demand,
    sent_cost,
    sent_funding,
    sent_labour,
    sent_profit,
    sent_outlook,
    coalesce(problems, []::varchar[]) as problems,
    nullif(trim(problem_text), '') as problem_text,
    load_id,
    source_file,
    source_row
from current_version
