{#- 市州 code of a Hubei division code: county → its prefecture (code[0:4]||'00'); 4290xx (省直管) stay whole. -#}
{% macro ops_region_code(code) -%}
  case when {{ code }} is null then null
       when left({{ code }}, 4) = '4290' then {{ code }}
       else left({{ code }}, 4) || '00' end
{%- endmacro %}

{#- Level of a Hubei division code (DOMAIN_RULES §4, progress by level): 420000 → 省级; a 市州 code (xxxx00) or a
    省直管 4290xx → 市级; any other code (区/县/县级市) → 县级; no code → 未知. -#}
{% macro ops_division_level(code) -%}
  case when {{ code }} is null then '未知'
       when {{ code }} = '420000' then '省级'
       when left({{ code }}, 4) = '4290' or right({{ code }}, 2) = '00' then '市级'
       else '县级' end
{%- endmacro %}

{#- Safe division: NULL when the denominator is NULL or 0. -#}
{% macro ops_div(num, den) -%}
  ({{ num }})::double / nullif(({{ den }})::double, 0)
{%- endmacro %}

{#- Balance-method (扩散/景气) index: I = 100 + 100·(p_up − p_down); 100 is the line between better and worse. -#}
{% macro ops_balance_index(n_up, n_down, n_total) -%}
  case when coalesce({{ n_total }}, 0) = 0 then null
       else round(100 + 100 * (({{ n_up }})::double - ({{ n_down }})::double) / ({{ n_total }})::double, 4) end
{%- endmacro %}

{#- Ageing bucket of an arrears case from its days past due (≤ 0 = not yet due). -#}
{% macro ops_ageing_bucket(days) -%}
  case when {{ days }} is null then '无法确定'
       when {{ days }} <= 0 then '未到期'
       when {{ days }} <= 30 then '1–30天'
       when {{ days }} <= 90 then '31–90天'
       when {{ days }} <= 180 then '91–180天'
       when {{ days }} <= 365 then '181–365天'
       else '>365天' end
{%- endmacro %}

{% macro ops_ageing_bucket_order(days) -%}
  case when {{ days }} is null then 9
       when {{ days }} <= 0 then 0
       when {{ days }} <= 30 then 1
       when {{ days }} <= 90 then 2
       when {{ days }} <= 180 then 3
       when {{ days }} <= 365 then 4
       else 5 end
{%- endmacro %}

{#- True when `condition` held in each of the last n calendar months up to this row's month, all of them reported
    (a missing month breaks the run). Needs `window w as (partition by <firm> order by period)` in the query. -#}
{% macro ops_run_of_months(condition, n) -%}
  (coalesce({{ condition }}, false)
  {%- for k in range(1, n | int) %}
   and coalesce(lag({{ condition }}, {{ k }}) over w, false)
  {%- endfor %}
  {%- if n | int > 1 %}
   and coalesce(lag(period, {{ (n | int) - 1 }}) over w = (period - interval {{ (n | int) - 1 }} month)::date, false)
  {%- endif %})
{%- endmacro %}
