{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='report_year', on_schema_change='fail',
          pre_hook="{{ incremental_record_build('report_year', ops_first_changed_year(ref('int_operating__months'), since=incremental_last_load_id()) if is_incremental() else none) }}") }}
-- One row per enterprise × month × problem category cited.
-- Categories = ticked ∪ matched from problem_text with the keyword dictionary (seed problem_keywords; several
-- categories may match): the text is read even when boxes are ticked, since it may name a category the firm did
-- not tick (INPUTS.md). `source` keeps who named each category: 勾选, 文本 or 勾选+文本. A text that matches no
-- keyword counts as 其他 (other) only when the firm ticked nothing.
-- Incremental with int_operating__months: rebuilds the report years from the first changed one (macros/operating/ops_incremental.sql).

with src as (
    select uscc, period, report_year, source_load_id, problems, nullif(trim(problem_text), '') as problem_text
    from {{ ref('int_operating__months') }}  -- already materialised: avoids a second pass over the staging view
    {%- if is_incremental() %}
    where report_year >= {{ ops_first_changed_year(ref('int_operating__months'), since=incremental_last_load_id()) }}
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

with_text as (
    select uscc, period, report_year, source_load_id, problem_text, coalesce(len(problems), 0) = 0 as ticked_none
    from src
    where problem_text is not null
),

matched as (
    select
        t.uscc,
        t.period,
        t.report_year,
        t.source_load_id,
        k.category_code,
        string_agg(k.keyword, '、' order by k.keyword) as matched_keywords
    from with_text as t
    inner join {{ ref('problem_keywords') }} as k on contains(t.problem_text, k.keyword)
    group by t.uscc, t.period, t.report_year, t.source_load_id, k.category_code
),

unmatched as (
    select t.uscc, t.period, t.report_year, t.source_load_id, 'other' as category_code
    from with_text as t
    where t.ticked_none
      and not exists (select 1 from matched as m where m.uscc = t.uscc and m.period = t.period)
),

unioned as (
    select
        coalesce(t.uscc, m.uscc) as uscc,
        coalesce(t.period, m.period) as period,
        coalesce(t.report_year, m.report_year) as report_year,
        coalesce(t.source_load_id, m.source_load_id) as source_load_id,
        coalesce(t.category_code, m.category_code) as category_code,
        case
            when t.uscc is not null and m.uscc is not null then 'ticked_and_text'
            when t.uscc is not null then 'ticked'
            else 'text_keyword'
        end as problem_source,
        m.matched_keywords
    from ticked as t
    full outer join matched as m
        on m.uscc = t.uscc and m.period = t.period and m.category_code = t.category_code
    union all
    select uscc, period, report_year, source_load_id, category_code, 'text_unmatched', null from unmatched
)

select
    u.uscc,
    u.period,
    u.category_code,
    c.category_name,
    u.problem_source,
    case u.problem_source
        when 'ticked' then '勾选'
        when 'ticked_and_text' then '勾选+文本'
        else '文本'
    end as source,
    u.matched_keywords,
    u.report_year,
    u.source_load_id
from unioned as u
inner join categories as c on c.category_code = u.category_code
