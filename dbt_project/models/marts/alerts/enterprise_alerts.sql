-- marts.enterprise_alerts: one row per enterprise × month × risk flag that fires (企业风险预警), with
-- the measured value, the threshold, their units and a Chinese evidence sentence. Thresholds are dbt vars (ops_cfg).
-- Units: every rule states the unit of metric_value and of threshold (ratios are shown in %, e.g. 85.01 %, not
-- 0.8501; days 天; months 月; refusals 次).
-- Incremental by period (macros/incremental/alerts_window.sql): a nightly build recomputes the periods from the first
-- one touched by rows that arrived since its last build, reading its inputs from the longest rule's lookback before
-- it; the periods kept get each firm's current dimensions (post-hook). A code, seed or var change rebuilds it in full
-- (the pipeline's --full-refresh, orchestration/lib/dbt_state.py).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ alerts_delete_rebuilt() }}",
    post_hook=[
        "{{ incremental_refresh_dims(this, ref('int_operating__enterprise_dims'), ['region_code', 'region_name', 'section_code', 'size_class']) }}",
        "{{ alerts_record_build() }}",
    ]
) }}
{%- set rebuild_from = alerts_rebuild_from() if is_incremental() else none %}
{%- set n_rev = ops_cfg('alert_revenue_yoy_down_months') | int %}
{%- set n_cap = ops_cfg('alert_capacity_low_months') | int %}
{%- set w_fin = ops_cfg('alert_financing_refusal_window_months') | int %}
{%- set debt_max = ops_cfg('alert_debt_ratio_max') %}
{%- set overdue_max = ops_cfg('alert_overdue_receivable_ratio_max') %}
{%- set vac_max = ops_cfg('alert_vacancy_rate_max') %}
{%- set cap_min = ops_cfg('alert_capacity_utilisation_min_pct') %}
{%- set arr_days = ops_cfg('alert_arrears_overdue_days') %}
{%- set fin_min = ops_cfg('alert_financing_refusals_min') %}

with em as (
    select
        uscc, period, revenue_month, revenue_month_yoy, debt_ratio, total_assets, total_liabilities,
        overdue_receivable_ratio, receivables, receivables_overdue, vacancy_rate, vacancies, employees,
        capacity_utilisation_pct,
        -- n months in a row: the last n reports all meet the condition and span exactly n calendar months
        -- (lag over the rows is much cheaper than a RANGE frame over dates at 3.5 M rows)
        {{ ops_run_of_months('revenue_month_yoy < 0', n_rev) }} as is_revenue_down_run,
        {{ ops_run_of_months('capacity_utilisation_pct < ' ~ cap_min, n_cap) }} as is_capacity_low_run
    from {{ ref('enterprise_months') }}
    {%- if rebuild_from is not none %}
    where period >= {{ alerts_read_from(rebuild_from) }}
    {%- endif %}
    window w as (partition by uscc order by period)
),

revenue_down as (
    select
        uscc, period, 'revenue_yoy_down' as alert_code,
        round(revenue_month_yoy * 100, 4) as metric_value, '%' as metric_unit,
        {{ n_rev }}::double as threshold, '月' as threshold_unit,
        printf('营业收入连续%d个月同比下降，本月同比%.1f%%', {{ n_rev }}, revenue_month_yoy * 100) as evidence
    from em
    where is_revenue_down_run
),

debt as (
    select
        uscc, period, 'debt_ratio_high', round(debt_ratio * 100, 4), '%', round({{ debt_max }} * 100, 4)::double, '%',
        printf('资产负债率%.1f%%（负债%.1f万元/资产%.1f万元），超过%.0f%%',
               debt_ratio * 100, total_liabilities, total_assets, {{ debt_max }} * 100)
    from em
    where round(debt_ratio, 10) > {{ debt_max }}
),

overdue as (
    select
        uscc, period, 'overdue_receivables_high', round(overdue_receivable_ratio * 100, 4), '%',
        round({{ overdue_max }} * 100, 4)::double, '%',
        printf('逾期应收账款%.1f万元，占应收账款%.1f万元的%.1f%%，超过%.0f%%',
               receivables_overdue, receivables, overdue_receivable_ratio * 100, {{ overdue_max }} * 100)
    from em
    where round(overdue_receivable_ratio, 10) > {{ overdue_max }}
),

vacancy as (
    select
        uscc, period, 'vacancy_rate_high', round(vacancy_rate * 100, 4), '%', round({{ vac_max }} * 100, 4)::double, '%',
        printf('缺工%d人，期末从业人员%d人，缺工率%.1f%%，超过%.0f%%',
               vacancies, employees, vacancy_rate * 100, {{ vac_max }} * 100)
    from em
    where round(vacancy_rate, 10) > {{ vac_max }}
),

capacity as (
    select
        uscc, period, 'capacity_low', capacity_utilisation_pct, '%', {{ cap_min }}::double, '%',
        printf('产能利用率连续%d个月低于%.0f%%，本月%.1f%%', {{ n_cap }}, {{ cap_min }}::double, capacity_utilisation_pct)
    from em
    where is_capacity_low_run
),

-- arrears owed to the firm, at the latest ledger date of each month of each 市州 (each 市州 files on its own day:
-- one province-wide date would drop the cases of a 市州 that filed on another day). Cases without a due date
-- (large-firm debtors without an agreed term under 728号) have no days overdue and never fire.
ledger as (
    select *, date_trunc('month', as_of)::date as month
    from {{ ref('int_arrears__ledger') }}
    {%- if rebuild_from is not none %}
    where as_of >= date '{{ rebuild_from }}'
    {%- endif %}
),

ledger_month_end as (
    select month, region_code, max(as_of) as as_of from ledger group by month, region_code
),

arrears as (
    select
        l.creditor_uscc as uscc,
        l.month as period,
        'arrears_overdue_90d' as alert_code,
        max(l.days_overdue)::double as metric_value,
        '天' as metric_unit,
        {{ arr_days }}::double as threshold,
        '天' as threshold_unit,
        printf('被拖欠账款逾期超过%d天：%d笔，未清偿%.1f万元，最长逾期%d天（台账日期%s）',
               {{ arr_days }}, count(*), sum(l.outstanding), max(l.days_overdue), strftime(max(l.as_of), '%Y-%m-%d'))
            as evidence
    from ledger as l
    inner join ledger_month_end as e
        on e.month = l.month and e.region_code is not distinct from l.region_code and e.as_of = l.as_of
    where l.outstanding > 0 and l.days_overdue > {{ arr_days }}
    group by l.creditor_uscc, l.month
),

-- financing refused at least N times within a window of W months ending this month
refusals as (
    select uscc, month, count(*) as n
    from {{ ref('financing_applications') }}
    where is_refused
    {%- if rebuild_from is not none %}
        and month >= {{ alerts_read_from(rebuild_from) }}
    {%- endif %}
    group by uscc, month
),

candidate_months as (
    -- months of firms that were refused at least once (the others cannot reach the threshold)
    select uscc, period from em where uscc in (select uscc from refusals)
    union
    select uscc, month from refusals
),

refused_window as (
    select c.uscc, c.period, sum(r.n) as n_refused
    from candidate_months as c
    inner join refusals as r
        on r.uscc = c.uscc
        and r.month between (c.period - interval {{ w_fin - 1 }} month)::date and c.period
    group by c.uscc, c.period
),

financing as (
    select
        uscc, period, 'financing_refused_repeatedly', n_refused::double, '次', {{ fin_min }}::double, '次',
        printf('近%d个月融资申请被拒%d次', {{ w_fin }}, n_refused)
    from refused_window
    where n_refused >= {{ fin_min }}
),

unioned as (
    select * from revenue_down
    union all select * from debt
    union all select * from overdue
    union all select * from vacancy
    union all select * from capacity
    union all select * from arrears
    union all select * from financing
)

select
    u.uscc,
    u.period,
    u.alert_code,
    case u.alert_code
        when 'revenue_yoy_down' then '营业收入连续同比下降'
        when 'debt_ratio_high' then '资产负债率过高'
        when 'overdue_receivables_high' then '逾期应收账款占比过高'
        when 'arrears_overdue_90d' then '被拖欠账款逾期超90天'
        when 'financing_refused_repeatedly' then '融资申请多次被拒'
        when 'vacancy_rate_high' then '缺工率过高'
        when 'capacity_low' then '产能利用率持续偏低'
    end as alert_name,
    u.metric_value,
    u.metric_unit,
    u.threshold,
    u.threshold_unit,
    u.evidence,
    d.region_code,
    d.region_name,
    d.section_code,
    d.size_class
from unioned as u
left join {{ ref('int_operating__enterprise_dims') }} as d on d.uscc = u.uscc
{%- if rebuild_from is not none %}
where u.period >= date '{{ rebuild_from }}'
{%- endif %}
