{#-
  Incremental rebuild of the monthly chain (int_operating__months → int_operating__problems → enterprise_months).

  A nightly load brings one more month and a few resubmissions, so rebuilding 3.5 M rows of history each night is
  what cost the time. These models are `incremental` with delete+insert on report_year: they rebuild every report
  year from the first one touched by rows that arrived after their own last build, and keep the years before it.
  Every row carries `source_load_id`, the load that delivered its current version, so each model finds its own
  watermark (a model that failed last night catches up by itself). Whole years are rebuilt because the month
  derivation looks back within the year and the year-on-year columns look back one year (a changed year changes
  the next one too: all years from the first changed one are rebuilt).
  Code, seed or var changes are not seen by the watermark: the pipeline runs dbt with --full-refresh when the
  dbt project's files changed since the last successful build (orchestration/defs/assets/dbt.py).
-#}
{#- Returns the year as a number (a constant in the compiled SQL lets DuckDB push the filter into the staging view's
    dedup window and skip row groups); 9999 when nothing new arrived. Only call it inside `if is_incremental()`. -#}
{#- `since`: the load id to compare with; by default the highest load id among the model's own rows. A model whose
    rows are a subset of its upstream's (int_operating__problems: only firm-months citing a problem) passes the load
    id its last build recorded instead, or a load whose rows cite no problem would look new every night. -#}
{% macro ops_first_changed_year(upstream, upstream_load_id='source_load_id', since=none) -%}
    {%- if not execute -%}{{ return(9999) }}{%- endif -%}
    {%- set query -%}
        select coalesce(min(extract(year from period))::integer, 9999)
        from {{ upstream }}
        where {{ upstream_load_id }} > {% if since is not none %}{{ since }}{% else %}(select coalesce(max(source_load_id), -1) from {{ this }}){% endif %}
    {%- endset -%}
    {%- set year = run_query(query).columns[0].values()[0] | int -%}
    {%- do log('incremental ' ~ this.identifier ~ ': rebuilding report years >= ' ~ year, info=true) -%}
    {{ return(year) }}
{%- endmacro %}

{#- enterprise_months keeps each firm's current 市州, 门类, 行业分组 and size class on every month (the boards compare
    like with like). The years an incremental build keeps still carry yesterday's dimensions: bring the rows whose
    firm's dimensions changed (a new registry file, a size class recomputed from a new year) up to date. -#}
{% macro ops_refresh_enterprise_dims(target, dims) -%}
    {{ incremental_refresh_dims(target, dims, ['region_code', 'region_name', 'section_code', 'industry_group', 'size_class']) }}
{%- endmacro %}
