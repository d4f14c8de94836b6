{#-
  Data tests of incremental models check only the partitions the build rebuilt (issue 11 §2).
  A test opts in with `config: {where: __rebuilt_partitions__}` (it may be combined: `x is null and
  __rebuilt_partitions__`); get_where_subquery (dbt's hook for the `where` config, overridden here as the dbt docs
  describe) replaces the placeholder at run time with rebuilt_partition_filter(model): `<partition column> >= <first
  rebuilt value>` as recorded by the model's last build in incremental_state.builds (macros/incremental/
  incremental_state.sql), or `1=1` (the whole table) when that build was a full one, when nothing is recorded, or
  outside `dbt build` (a `dbt test` on its own checks every row).
  Only tests whose failing rows a build cannot create outside the partitions it rebuilt may opt in: row checks of
  columns the build computes, and grain checks whose key includes the partition (a duplicate then lies in one
  partition). Checks of columns a post-hook refreshes on kept rows (the enterprise dimensions) stay whole.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__rebuilt_partitions__' in where -%}
        {%- set where = where | replace('__rebuilt_partitions__', rebuilt_partition_filter(relation)) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro rebuilt_partition_filter(relation) -%}
    {%- if not execute or flags.WHICH != 'build' -%}{{ return('1=1') }}{%- endif -%}
    {%- set state = adapter.get_relation(database=relation.database, schema='incremental_state', identifier='builds') -%}
    {%- if state is none -%}{{ return('1=1') }}{%- endif -%}
    {%- set got = run_query("select partition_column, rebuilt_from from " ~ state ~ " where model = '"
                            ~ relation.identifier ~ "' and rebuilt_from is not null") -%}
    {%- if got.rows | length == 0 -%}{{ return('1=1') }}{%- endif -%}
    {{ return(got.rows[0][0] ~ ' >= ' ~ got.rows[0][1]) }}
{%- endmacro %}
