-- marts.enterprise_months: one row per enterprise × month (企业月度运行面板).
-- Ratios are fractions (0.25 = 25 %), money in 万元.
-- Incremental (macros/operating/ops_incremental.sql): rebuilds the report years from the first one touched by new loads;
-- the enterprise dimensions (市州, 门类, current size class) of the years kept are brought up to date by the post-hook.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='report_year',
    on_schema_change='fail',
    pre_hook="{{ incremental_record_build('report_year', ops_first_changed_year(ref('int_operating__months')) if is_incremental() else none) }}",
    post_hook="{{ ops_refresh_enterprise_dims(this, ref('int_operating__enterprise_dims')) }}"
) }}
{%- set from_year = ops_first_changed_year(ref('int_operating__months')) if is_incremental() else none %}
{%- set problem_codes = ['financing', 'labour', 'raw_materials', 'orders', 'arrears', 'logistics',
                         'energy', 'tax', 'policy', 'business_env', 'talent', 'other'] %}

with m as (
    select * from {{ ref('int_operating__months') }}
    {%- if from_year is not none %}
    where report_year >= {{ from_year }}
    {%- endif %}
),

prior_year as (
    select uscc, period, revenue_ytd, revenue_month, revenue_month_reported, main_revenue_ytd, profit_ytd, export_ytd, power_use
    from {{ ref('int_operating__months') }}
    {%- if from_year is not none %}
    where report_year >= {{ from_year }} - 1
    {%- endif %}
),

problems as (
    select
        uscc,
        period,
        count(*) as problem_count,
        bool_or(problem_source in ('text_keyword', 'text_unmatched')) as problems_from_text
        {%- for p in problem_codes %},
        bool_or(category_code = '{{ p }}') as problem_{{ p }}
        {%- endfor %}
    from {{ ref('int_operating__problems') }}
    {%- if from_year is not none %}
    where report_year >= {{ from_year }}
    {%- endif %}
    group by uscc, period
)

select
    m.uscc,
    m.period,
    m.report_year,
    m.report_month,
    d.region_code,
    d.region_name,
    d.section_code,
    d.industry_group,
    d.size_class,
    m.month_derivation,
    m.is_prev_month_missing,
    m.prev_reported_period,
    -- YTD as reported and the derived month
    m.revenue_ytd,
    m.revenue_month,
    m.revenue_month_reported,
    m.revenue_since_prev_report,
    m.main_revenue_ytd,
    m.main_revenue_month,
    m.cost_ytd,
    m.cost_month,
    m.profit_ytd,
    m.profit_month,
    m.net_profit_ytd,
    m.net_profit_month,
    m.tax_ytd,
    m.tax_month,
    m.export_ytd,
    m.export_month,
    m.rd_expense_ytd,
    m.rd_expense_month,
    m.profit_ytd < 0 as is_loss_making,
    -- year on year (same month of the previous year)
    {{ ops_div('m.revenue_ytd', 'py.revenue_ytd') }} - 1 as revenue_ytd_yoy,
    -- last year's same-month YTD as reported (NULL = not reported): the 同口径 base, also when this year's is 0
    py.revenue_ytd as revenue_ytd_prev_year,
    {{ ops_div('coalesce(m.revenue_month, m.revenue_month_reported)', 'coalesce(py.revenue_month, py.revenue_month_reported)') }} - 1
        as revenue_month_yoy,
    {{ ops_div('m.main_revenue_ytd', 'py.main_revenue_ytd') }} - 1 as main_revenue_ytd_yoy,
    case when py.profit_ytd > 0 then m.profit_ytd / py.profit_ytd - 1 end as profit_ytd_yoy,
    {{ ops_div('m.export_ytd', 'py.export_ytd') }} - 1 as export_ytd_yoy,
    {{ ops_div('m.power_use', 'py.power_use') }} - 1 as power_use_yoy,
    -- ratios
    100 * {{ ops_div('m.cost_ytd', 'm.revenue_ytd') }} as cost_per_100_revenue,
    {{ ops_div('m.total_liabilities', 'm.total_assets') }} as debt_ratio,
    {{ ops_div('m.receivables_overdue', 'm.receivables') }} as overdue_receivable_ratio,
    {{ ops_div('m.rd_expense_ytd', 'm.revenue_ytd') }} as rd_intensity,
    {{ ops_div('m.rd_expense_ytd', 'm.main_revenue_ytd') }} as rd_to_main_revenue,
    {{ ops_div('m.vacancies', 'm.employees') }} as vacancy_rate,
    {{ ops_div('m.power_use', 'coalesce(m.revenue_month, m.revenue_month_reported)') }} as power_per_revenue,
    -- balance sheet, labour, energy, orders, finance
    m.total_assets,
    m.total_liabilities,
    m.receivables,
    m.receivables_overdue,
    m.receivables_owed_by_public_and_large,
    m.employees,
    m.vacancies,
    m.power_use,
    m.capacity_utilisation_pct,
    m.new_orders,
    m.order_backlog,
    m.financing_demand,
    -- sentiment answers
    m.sent_overall,
    m.sent_demand,
    m.sent_cost,
    m.sent_funding,
    m.sent_labour,
    m.sent_profit,
    m.sent_outlook,
    -- problems
    coalesce(p.problem_count, 0) as problem_count,
    coalesce(p.problems_from_text, false) as problems_from_text
    {%- for c in problem_codes %},
    coalesce(p.problem_{{ c }}, false) as problem_{{ c }}
    {%- endfor %},
    m.source_load_id
from m
left join prior_year as py
    on py.uscc = m.uscc
    and py.period = (m.period - interval 12 month)::date
left join problems as p
    on p.uscc = m.uscc
    and p.period = m.period
left join {{ ref('int_operating__enterprise_dims') }} as d
    on d.uscc = m.uscc
