{#- Generic test written here because `dbt deps` cannot download dbt_utils (grain and expression tests:
    macros/generic_tests/unique_combination.sql, shared with the tiers marts). -#}

{#- Values outside [min_value, max_value] (either bound optional; NULLs pass). -#}
{% test ops_between(model, column_name, min_value=none, max_value=none) %}
select {{ column_name }} from {{ model }}
where {{ column_name }} is not null
  and ({% if min_value is not none %}{{ column_name }} < {{ min_value }}{% else %}false{% endif %}
    or {% if max_value is not none %}{{ column_name }} > {{ max_value }}{% else %}false{% endif %})
{% endtest %}
