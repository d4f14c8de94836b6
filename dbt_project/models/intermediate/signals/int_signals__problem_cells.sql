{{ config(materialized='table') }}
-- One row per month × 市州 × 门类 × problem category: firms reporting that month in the cell and firms
-- citing the category (ticked ∪ matched from problem_text), of which named only in the text (文本, not ticked)
-- and named both ticked and in the text (勾选+文本). Every category appears for every cell that reported, with 0
-- citing firms when none cited it.
with reporting as (
    select
        period as month,
        coalesce(region_code, '000000') as region_code,
        coalesce(section_code, '?') as section_code,
        count(*) as reporting_firms
    from {{ ref('enterprise_months') }}
    group by all
),

citing as (
    select
        p.period as month,
        coalesce(d.region_code, '000000') as region_code,
        coalesce(d.section_code, '?') as section_code,
        p.category_code,
        count(distinct p.uscc) as citing_firms,
        count(distinct p.uscc) filter (where p.source = '文本') as citing_firms_from_text,
        count(distinct p.uscc) filter (where p.source = '勾选+文本') as citing_firms_ticked_and_text
    from {{ ref('int_operating__problems') }} as p
    left join {{ ref('int_operating__enterprise_dims') }} as d on d.uscc = p.uscc
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
        coalesce(ci.citing_firms_ticked_and_text, 0) as citing_firms_ticked_and_text
    from reporting as r
    cross join {{ ref('problem_categories') }} as c
    left join citing as ci
        on ci.month = r.month and ci.region_code = r.region_code
        and ci.section_code = r.section_code and ci.category_code = c.category_code
)

select * from cells
