{#- A grain test: no two rows share the same values of the listed columns. Written here because `dbt deps`
    cannot download dbt_utils (unique_combination_of_columns) offline. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
