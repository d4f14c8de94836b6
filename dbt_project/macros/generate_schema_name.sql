{#- Schemas are exactly `staging`, `intermediate`, `marts` (not `main_marts`): a custom schema
    replaces the target schema instead of being appended to it. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
