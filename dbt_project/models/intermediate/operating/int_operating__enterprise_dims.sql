{{ config(materialized='table') }}
-- One row per enterprise: the dimensions the operations / financing / signals / sentiment marts group by.
-- The only place that reads the tiers helper's marts.enterprises; adapt here if its columns change.
select
    e.uscc,
    e.region_code,
    e.region_name,
    e.section_code,
    e.section_name,
    coalesce(g.industry_group, '其他行业') as industry_group,
    e.size_class_computed as size_class
from {{ ref('enterprises') }} as e
left join {{ ref('sentiment_industry_groups') }} as g
    on g.section_code = e.section_code
