{#-
  Incremental rebuild of int_reporting__firm_months (delete+insert on month).

  A firm-month's row depends on: the report of that month (int_operating__months), every version of it with its load
  (first arrival: stg_operating__report_versions × stg_loads__manifest) and the registry profile that applies to its
  year (stg_enterprises__profiles: that year's, else the latest earlier one). So the months to rebuild start at the
  first of:
    - the period of any report version loaded after the model's last build (a new month, a resubmission, a report
      whose first version was quarantined and arrives now);
    - January of the profile year of any profile loaded after it (that profile now applies from its year on; the
      previous one stops applying there).
  Each row keeps the largest load id it was built from (`source_load_id`: its profile, its report versions), so the
  watermark is the model's own, like the monthly chain's (macros/operating/ops_incremental.sql). A load's manifest row
  (received_at, started_at) never changes after the load; code, seed and var changes (reporting_deadline_day) make
  the pipeline run --full-refresh. Returns a date literal ('9999-01-01' when nothing new arrived).
-#}
{% macro reporting_first_changed_month(versions, profiles) -%}
    {%- if not execute -%}{{ return("date '9999-01-01'") }}{%- endif -%}
    {%- set query -%}
        with w as (select coalesce(max(source_load_id), -1) as load_id from {{ this }})
        select least(
            coalesce((select min(period) from {{ versions }} where load_id > (select load_id from w)), date '9999-01-01'),
            coalesce((select make_date(min(profile_year), 1, 1) from {{ profiles }} where load_id > (select load_id from w)),
                     date '9999-01-01')
        )::varchar
    {%- endset -%}
    {%- set month = run_query(query).columns[0].values()[0] -%}
    {%- do log('incremental ' ~ this.identifier ~ ': rebuilding months >= ' ~ month, info=true) -%}
    {{ return("date '" ~ month ~ "'") }}
{%- endmacro %}
