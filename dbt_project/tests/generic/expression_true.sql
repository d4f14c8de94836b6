{#- Every row satisfies a boolean SQL expression (NULL counts as failure unless allow_null). -#}
{% test expression_true(model, expression, allow_null=false) %}
select * from {{ model }}
where not coalesce(({{ expression }}), {{ 'true' if allow_null else 'false' }})
{% endtest %}
