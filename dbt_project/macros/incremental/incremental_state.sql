{#-
  Build state of incremental models whose rows cannot carry a load id (a mart whose contract has no such column,
  e.g. enterprise_alerts). One row per model in <the model's database>.incremental_state.builds:
    model            the model's name
    partition_column the column the last build rebuilt from (e.g. period), for the data tests' filter
    rebuilt_from     the first value of that column the last build rebuilt, as a SQL literal (NULL = the whole table)
    load_id          the highest raw.load_manifest.load_id when the last build ran: rows with a higher load_id
                     arrived after it (load ids are one sequence over all sources)
    built_at         when
  The row is written by the model's post-hook, inside the model's own transaction: a build that fails leaves the
  previous state, so the next night starts again from the last good one. The schema is not `marts`, so the
  publish drops it (warehouse/publish.py keeps only marts tables).
  A run holds the run lock, so no load lands between a model reading its inputs and its post-hook.
-#}

{% macro incremental_state_relation(database=none) -%}
    {{ return(api.Relation.create(database=database or this.database, schema='incremental_state', identifier='builds')) }}
{%- endmacro %}

{#- A raw table as a relation, without making the caller depend on it directly (the models that use it read raw
    through staging already, so dbt runs them after the loads; a direct source() would also make every unit test
    of the model give that source as an input). -#}
{% macro incremental_raw_relation(name) -%}
    {%- if not execute -%}{{ return(api.Relation.create(schema='raw', identifier=name)) }}{%- endif -%}
    {%- set node = graph.sources['source.' ~ project_name ~ '.raw.' ~ name] -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema, identifier=node.identifier)) }}
{%- endmacro %}

{#- The load id recorded by this model's last successful build; none when there is none (never built with
    state, or the state was lost): the caller then rebuilds everything. -#}
{% macro incremental_last_load_id() -%}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set rel = adapter.get_relation(database=this.database, schema='incremental_state', identifier='builds') -%}
    {%- if rel is none -%}{{ return(none) }}{%- endif -%}
    {%- set got = run_query("select max(load_id) from " ~ rel ~ " where model = '" ~ this.identifier ~ "'") -%}
    {%- set value = got.columns[0].values()[0] -%}
    {{ return(none if value is none else value | int) }}
{%- endmacro %}

{#- Record this build (a post-hook; or a pre-hook, for a model whose watermark is read from its own rows: the monthly
    chain). `rebuilt_from` is a SQL literal (e.g. date '2021-06-01', 2021) or none (the whole table). -#}
{% macro incremental_record_build(partition_column, rebuilt_from) -%}
    {%- set state = incremental_state_relation() -%}
    create schema if not exists {{ state.database }}.{{ state.schema }};
    create table if not exists {{ state }} (
        model varchar, partition_column varchar, rebuilt_from varchar, load_id bigint, built_at timestamp
    );
    delete from {{ state }} where model = '{{ this.identifier }}';
    insert into {{ state }}
    select
        '{{ this.identifier }}',
        '{{ partition_column }}',
        {{ 'null' if rebuilt_from is none else "'" ~ (rebuilt_from | string | replace("'", "''")) ~ "'" }},
        (select max(load_id) from {{ incremental_raw_relation('load_manifest') }}),
        now()
{%- endmacro %}

{#- Post-hook: bring the enterprise dimensions of the rows an incremental build kept up to date (a new registry
    profile moves a firm to another 市州; a new year recomputes its size class). Same as a rebuild's join: a firm
    without dimensions keeps NULLs. -#}
{% macro incremental_refresh_dims(target, dims, cols) -%}
    update {{ target }} as t
    set {% for c in cols %}{{ c }} = d.{{ c }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ dims }} as d
    where d.uscc = t.uscc
      and ({% for c in cols %}t.{{ c }} is distinct from d.{{ c }}{{ ' or ' if not loop.last }}{% endfor %})
{%- endmacro %}
