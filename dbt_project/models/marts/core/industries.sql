-- marts.industries: one row per GB/T 4754-2017 division (大类, 2 digits) with its section (门类),
-- whether it is industrial (B/C/D: above-scale and size rules) and its 300号 size group.
select
    division_code,
    division_name,
    section_code,
    section_name,
    is_industrial,
    section_code = 'C' as is_manufacturing,
    {{ size_group("division_code || '00'") }} as size_group
from {{ ref('ref_industry_divisions') }}
