-- marts.board_alerts_latest: the 问题诉求与风险预警 board's enterprise risk alerts of the latest report month, with the
-- enterprise name (marts.enterprises). The board's list and count read only that month; marts.enterprise_alerts
-- is not ordered by month, so selecting it at query time scans every month (1.8 M rows at province scale).
select
    a.uscc,
    e.enterprise_name,
    a.period,
    a.region_code,
    a.region_name,
    a.section_code,
    a.size_class,
    a.alert_code,
    a.alert_name,
    a.metric_value,
    a.metric_unit,
    a.threshold,
    a.threshold_unit,
    a.evidence
from {{ ref('enterprise_alerts') }} as a
left join {{ ref('enterprises') }} as e on e.uscc = a.uscc
where a.period = (select max(period) from {{ ref('enterprise_alerts') }})
