{#-
  Incremental rebuild of marts.enterprise_alerts by period (MARTS_OPS.md, Scale).

  Every rule of a period p reads only months ≤ p, and at most `alerts_lookback_months()` months before p:
    revenue_yoy_down / capacity_low   the last n reports (n = alert_revenue_yoy_down_months / alert_capacity_low_months)
    financing_refused_repeatedly      refusals in the w months ending at p (w = alert_financing_refusal_window_months)
    arrears_overdue_90d, debt, overdue receivables, vacancies: month p only.
  So a change of the inputs of month q changes alerts of months ≥ q only: a build deletes and recomputes the periods
  ≥ q (q = the first period touched since the last build, alerts_rebuild_from) and reads its inputs from
  q − lookback (alerts_read_from). Periods before q are kept as they are, but for the enterprise dimensions
  (incremental_refresh_dims).
-#}

{#- Months before p that a rule of p reads: the longest rule, from the vars (never a constant here). -#}
{% macro alerts_lookback_months() -%}
    {%- set spans = [ops_cfg('alert_revenue_yoy_down_months') | int, ops_cfg('alert_capacity_low_months') | int,
                     ops_cfg('alert_financing_refusal_window_months') | int] -%}
    {{ return([spans | max - 1, 0] | max) }}
{%- endmacro %}

{#- First period the inputs are read from: `rebuild_from` (a 'YYYY-MM-01' string) minus the lookback, as a date
    literal (a constant lets DuckDB skip row groups). -#}
{% macro alerts_read_from(rebuild_from) -%}
    (date '{{ rebuild_from }}' - interval {{ alerts_lookback_months() }} month)::date
{%- endmacro %}

{#- The first period whose alerts may differ from what the last build wrote, as 'YYYY-MM-01'; none = rebuild every
    period (no recorded state); '9999-12-01' = nothing arrived. Only call it inside `if is_incremental()`.
    Each input, and what a row that arrived since the last build (load_id above its watermark) can change:
      operating   (enterprise_months.source_load_id, the load of the month's current version): its month and the
                  months after it (the YTD difference of the next month, next year's year on year); a resubmitted
                  old month is the earliest of them.
      arrears     (raw.arrears): a ledger row changes its own month only (the 市州's latest ledger date of that month,
                  the cases on it); a version of the same case × ledger date keeps the date, so the month.
      registry    (raw.enterprises): a ledger row without a division code takes its creditor's 市州 from the registry,
                  so a firm's new profile can move its ledger rows to another 市州 and change that 市州's latest
                  ledger date in each month it has such a row: the first of those months. (The dimensions copied on
                  every alert — 市州, 门类, size class — are refreshed on all kept rows by the post-hook.)
      financing   (raw.financing): a record is resent as its state changes, and the new version may have another
                  application month or firm: the earliest month of every version of each record resent.
    The staging views dedupe whole tables; these read raw (load_id is the order of appends: row groups skipped). -#}
{% macro alerts_rebuild_from() -%}
    {%- set wm = incremental_last_load_id() -%}
    {%- if not execute -%}{{ return('9999-12-01') }}{%- endif -%}
    {%- set query -%}
        select strftime(coalesce(min(p), date '9999-12-01'), '%Y-%m-%d') from (
            select min(period) as p from {{ ref('enterprise_months') }} where source_load_id > {{ wm }}
            union all
            select min(date_trunc('month', as_of))::date from {{ incremental_raw_relation('arrears') }} where load_id > {{ wm }}
            union all
            select min(date_trunc('month', l.as_of))::date
            from {{ ref('int_arrears__ledger') }} as l
            where l.division_code is null
              and l.creditor_uscc in (select uscc from {{ incremental_raw_relation('enterprises') }} where load_id > {{ wm }})
            union all
            select min(date_trunc('month', applied_on))::date
            from {{ incremental_raw_relation('financing') }}
            where record_id in (select record_id from {{ incremental_raw_relation('financing') }} where load_id > {{ wm }})
        )
    {%- endset -%}
    {%- if wm is none -%}
        {%- do log('incremental ' ~ this.identifier ~ ': no recorded state, rebuilding every period', info=true) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set first = run_query(query).columns[0].values()[0] -%}
    {%- do log('incremental ' ~ this.identifier ~ ': rebuilding periods >= ' ~ first, info=true) -%}
    {{ return(first) }}
{%- endmacro %}

{#- Pre-hook: delete the periods this build recomputes (all of them when there is no state). Append inserts them
    again: delete+insert on a key would keep a period whose alerts all disappeared. -#}
{% macro alerts_delete_rebuilt() -%}
    {%- if is_incremental() -%}
        {%- set rebuild_from = alerts_rebuild_from() -%}
        delete from {{ this }}{% if rebuild_from is not none %} where period >= date '{{ rebuild_from }}'{% endif %}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: record the watermark and the first period rebuilt (none: all of them). -#}
{% macro alerts_record_build() -%}
    {%- set rebuild_from = alerts_rebuild_from() if is_incremental() else none -%}
    {{ return(incremental_record_build('period', none if rebuild_from is none else "date '" ~ rebuild_from ~ "'")) }}
{%- endmacro %}
