-- marts.problem_signals: month × 市州 × 门类 × problem category (问题诉求信号).
-- share = citing firms / reporting firms; change = share − mean share of the previous 3 calendar
-- months (months in which the cell had no reporting firm are left out of the mean);
-- alert when share ≥ problem_alert_min_share, change ≥ problem_alert_min_increase and
-- citing firms ≥ problem_alert_min_firms (dbt vars).
-- Incremental by month with int_signals__problem_cells (macros/signals/signals_incremental.sql): the months of the
-- report years from the first changed one are rebuilt, reading the 3 months before them for the window.
-- depends_on: {{ ref('enterprise_months') }}, {{ ref('int_signals__profile_spans') }} (the watermark)
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='fail') }}
{%- set from_year = signals_first_changed_year(ref('enterprise_months'), ref('int_signals__profile_spans')) if is_incremental() else none %}
{%- set from_month = 'make_date(' ~ ([from_year, 1900] | max) ~ ', 1, 1)' if from_year is not none else none %}
with cells as (
    select *, citing_firms::double / nullif(reporting_firms, 0) as share
    from {{ ref('int_signals__problem_cells') }}
    {%- if from_month is not none %}
    where month >= {{ from_month }} - interval 3 month
    {%- endif %}
),

windowed as (
    select
        cells.*,
        avg(share) over (
            partition by region_code, section_code, category_code
            order by month
            range between interval 3 month preceding and interval 1 month preceding
        ) as prev3_mean_share,
        count(*) over (
            partition by region_code, section_code, category_code
            order by month
            range between interval 3 month preceding and interval 1 month preceding
        ) as prev3_months_with_data
    from cells
)

select
    w.month,
    w.region_code,
    coalesce(r.region_name, '未知地区') as region_name,
    w.section_code,
    s.section_name,
    w.category_code,
    w.category_name,
    w.reporting_firms,
    w.citing_firms,
    w.citing_firms_from_text,
    w.citing_firms_ticked_and_text,
    w.share,
    w.prev3_mean_share,
    w.prev3_months_with_data,
    round(w.share - w.prev3_mean_share, 10) as share_change_vs_prev3,
    coalesce(
        round(w.share, 10) >= {{ ops_cfg('problem_alert_min_share') }}
        and round(w.share - w.prev3_mean_share, 10) >= {{ ops_cfg('problem_alert_min_increase') }}
        and w.citing_firms >= {{ ops_cfg('problem_alert_min_firms') }},
        false
    ) as is_alert,
    w.source_load_id
from windowed as w
left join {{ ref('ref_regions') }} as r on r.region_code = w.region_code
left join (select distinct section_code, section_name from {{ ref('ref_industry_divisions') }}) as s
    on s.section_code = w.section_code
{%- if from_month is not none %}
where w.month >= {{ from_month }}
{%- endif %}
