{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='month', on_schema_change='fail') }}
-- One row per month × 市州 × 门类 × problem category: firms reporting that month in the cell and firms
-- citing the category (ticked ∪ matched from problem_text), of which named only in the text (文本, not ticked)
-- and named both ticked and in the text (勾选+文本). Every category appears for every cell that reported, with 0
-- citing firms when none cited it.
-- 市州 and 门类 are those of the firm's registry profile of the report year (int_signals__profile_spans; 口径.md §5,
-- changed 2026-11 from the latest profile): incremental by month (macros/signals/signals_incremental.sql).
{%- set from_year = signals_first_changed_year(ref('enterprise_months'), ref('int_signals__profile_spans')) if is_incremental() else none %}

with firm_months as (
    select uscc, period as month, year_region_code as region_code, year_section_code as section_code, counted_load_id
    from ({{ signals_firm_months(ref('enterprise_months'), ref('int_signals__profile_spans'), from_year) }})
),

reporting as (
    select
        month,
        region_code,
        section_code,
        count(*) as reporting_firms,
        max(counted_load_id) as source_load_id
    from firm_months
    group by all
),

citing as (
    select
        f.month,
        f.region_code,
        f.section_code,
        p.category_code,
        count(distinct p.uscc) as citing_firms,
        count(distinct p.uscc) filter (where p.source = '文本') as citing_firms_from_text,
        count(distinct p.uscc) filter (where p.source = '勾选+文本') as citing_firms_ticked_and_text
    from {{ ref('int_operating__problems') }} as p
    inner join firm_months as f on f.uscc = p.uscc and f.month = p.period
    {%- if from_year is not none %}
    where p.report_year >= {{ from_year }}
    {%- endif %}
    group by all
),

cells as (
    select
        r.month,
        r.region_code,
        r.section_code,
        c.category_code,
        c.category_name,
        r.reporting_firms,
        coalesce(ci.citing_firms, 0) as citing_firms,
        coalesce(ci.citing_firms_from_text, 0) as citing_firms_from_text,
        coalesce(ci.citing_firms_ticked_and_text, 0) as citing_firms_ticked_and_text,
        r.source_load_id
    from reporting as r
    cross join {{ ref('problem_categories') }} as c
    left join citing as ci
        on ci.month = r.month and ci.region_code = r.region_code
        and ci.section_code = r.section_code and ci.category_code = c.category_code
)

select * from cells
