{#- A grain test: no two rows share the same values of the listed columns. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}

{#- Every row satisfies a boolean SQL expression (NULL counts as failure unless allow_null). -#}
{% test expression_true(model, expression, allow_null=false) %}
select * from {{ model }}
where not coalesce(({{ expression }}), {{ 'true' if allow_null else 'false' }})
{% endtest %}
