-- 加载清单: one row per file seen by the loader (raw.load_manifest), renamed columns only.
-- received_at (when the file landed in the inbox) is NULL for files loaded before the column existed.
select
    load_id,
    source,
    file_name,
    status,
    rows_loaded,
    started_at,
    finished_at,
    received_at,
    run_id
from {{ source('raw', 'load_manifest') }}
