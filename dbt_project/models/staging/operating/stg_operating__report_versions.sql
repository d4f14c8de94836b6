-- 运行监测月报的每一次报送: one row per loaded row of raw.operating (every version of every uscc × period),
-- with its load; the first arrival of a report is read from here (a correction is a later version).
select
    uscc,
    period,
    load_id,
    source_file,
    source_row
from {{ source('raw', 'operating') }}
