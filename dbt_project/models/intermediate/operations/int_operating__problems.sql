{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_year', on_schema_change='fail') }}
-- One row per enterprise × month × problem category cited.
-- Ticked categories come first; only when a firm ticked none is its problem_text classified with the
-- keyword dictionary (seed problem_keywords; several categories may match). A text that matches no
-- keyword counts as 其他 (other).
-- Incremental with int_operating__months: rebuilds the report years from the first changed one (macros/ops/ops_incremental.sql).

with src as (
    select uscc, period, report_year, source_load_id, problems, nullif(trim(problem_text), '') as problem_text
    from {{ ref('int_operating__months') }}  -- already materialised: avoids a second pass over the staging view
    {%- if is_incremental() %}
    where report_year >= {{ ops_first_changed_year(ref('int_operating__months')) }}
    {%- endif %}
),

categories as (
    select * from {{ ref('problem_categories') }}
),

ticked as (
    select distinct src.uscc, src.period, src.report_year, src.source_load_id, c.category_code
    from (
        select uscc, period, report_year, source_load_id, unnest(problems) as category_name
        from src
        where len(problems) > 0
    ) as src
    inner join categories as c on c.category_name = src.category_name
),

text_only as (
    select uscc, period, report_year, source_load_id, problem_text
    from src
    where coalesce(len(problems), 0) = 0 and problem_text is not null
),

matched as (
    select
        t.uscc,
        t.period,
        t.report_year,
        t.source_load_id,
        k.category_code,
        string_agg(k.keyword, '、' order by k.keyword) as matched_keywords
    from text_only as t
    inner join {{ ref('problem_keywords') }} as k on contains(t.problem_text, k.keyword)
    group by t.uscc, t.period, t.report_year, t.source_load_id, k.category_code
),

unmatched as (
    select t.uscc, t.period, t.report_year, t.source_load_id, 'other' as category_code
    from text_only as t
    where not exists (select 1 from matched as m where m.uscc = t.uscc and m.period = t.period)
),

unioned as (
    select uscc, period, report_year, source_load_id, category_code, 'ticked' as problem_source,
        null::varchar as matched_keywords
    from ticked
    union all
    select uscc, period, report_year, source_load_id, category_code, 'text_keyword', matched_keywords from matched
    union all
    select uscc, period, report_year, source_load_id, category_code, 'text_unmatched', null from unmatched
)

select
    u.uscc,
    u.period,
    u.category_code,
    c.category_name,
    u.problem_source,
    u.matched_keywords,
    u.report_year,
    u.source_load_id
from unioned as u
inner join categories as c on c.category_code = u.category_code
