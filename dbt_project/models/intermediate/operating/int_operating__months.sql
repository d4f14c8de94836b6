{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_year', on_schema_change='fail',
          pre_hook="{{ incremental_record_build('report_year', ops_first_changed_year(source('raw', 'operating'), 'load_id') if is_incremental() else none) }}") }}
-- One row per enterprise × month: the YTD (累计) columns turned into monthly values.
-- January = its YTD; later months = YTD − previous month's YTD of the same year; when the previous
-- month of the same year was not reported the monthly value is NULL and is_prev_month_missing is true
-- (the YTD difference then spans several months and is kept as *_since_prev_report for revenue).
-- Incremental: rebuilds the report years from the first one touched by new loads (macros/operating/ops_incremental.sql).
{%- set ytd_cols = ['revenue', 'main_revenue', 'cost', 'profit', 'net_profit', 'tax', 'export', 'rd_expense'] %}

with src as (
    select * from {{ ref('stg_operating__monthly_reports') }}
    {%- if is_incremental() %}
    where period >= make_date({{ ops_first_changed_year(source('raw', 'operating'), 'load_id') }}, 1, 1)
    {%- endif %}
),

seq as (
    select
        src.*,
        extract(year from period)::integer as report_year,
        extract(month from period)::integer as report_month,
        lag(period) over w as prev_period
        {%- for c in ytd_cols %},
        lag({{ c }}_ytd) over w as prev_{{ c }}_ytd
        {%- endfor %}
    from src
    window w as (partition by uscc, extract(year from period) order by period)
),

flagged as (
    select
        seq.*,
        case
            when report_month = 1 then 'january_ytd'
            when prev_period = (period - interval 1 month)::date then 'ytd_difference'
            else 'previous_month_missing'
        end as month_derivation
    from seq
)

select
    uscc,
    period,
    report_year,
    report_month,
    month_derivation,
    month_derivation = 'previous_month_missing' as is_prev_month_missing,
    prev_period as prev_reported_period,
    {%- for c in ytd_cols %}
    {{ c }}_ytd,
    case month_derivation
        when 'january_ytd' then {{ c }}_ytd
        when 'ytd_difference' then {{ c }}_ytd - prev_{{ c }}_ytd
    end as {{ c }}_month,
    {%- endfor %}
    case when month_derivation = 'previous_month_missing' then revenue_ytd - prev_revenue_ytd end
        as revenue_since_prev_report,
    revenue_month as revenue_month_reported,
    total_assets,
    total_liabilities,
    receivables,
    receivables_overdue,
    receivables_owed_by_public_and_large,
    employees,
    vacancies,
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
    problems,
    problem_text,
    load_id as source_load_id
from flagged
