-- marts.regions: one row per 市州 (17), from the seed ref_regions.
select
    region_code,
    region_name,
    region_short,
    is_direct_county
from {{ ref('ref_regions') }}
