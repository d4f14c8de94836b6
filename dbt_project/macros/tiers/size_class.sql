{#-
  SME size class per 《中小企业划型标准规定》(工信部联企业〔2011〕300号), DOMAIN_RULES §2.
  size_groups(): one entry per industry group, indicators Y (从业人员), R (营业收入), Z (资产总额).
  'large' if every listed indicator ≥ its SME ceiling; else 'medium' if every indicator ≥ the medium floor;
  else 'small' if every indicator ≥ the small floor; else 'micro'. A NULL indicator that is needed → 'unknown'.
-#}
{% macro size_groups() -%}
  {{ return({
    'agriculture':   {'name': '农林牧渔业', 'ceiling': {'R': 20000}, 'medium': {'R': 500}, 'small': {'R': 50}},
    'industry':      {'name': '工业', 'ceiling': {'Y': 1000, 'R': 40000}, 'medium': {'Y': 300, 'R': 2000}, 'small': {'Y': 20, 'R': 300}},
    'construction':  {'name': '建筑业', 'ceiling': {'R': 80000, 'Z': 80000}, 'medium': {'R': 6000, 'Z': 5000}, 'small': {'R': 300, 'Z': 300}},
    'wholesale':     {'name': '批发业', 'ceiling': {'Y': 200, 'R': 40000}, 'medium': {'Y': 20, 'R': 5000}, 'small': {'Y': 5, 'R': 1000}},
    'retail':        {'name': '零售业', 'ceiling': {'Y': 300, 'R': 20000}, 'medium': {'Y': 50, 'R': 500}, 'small': {'Y': 10, 'R': 100}},
    'transport':     {'name': '交通运输业', 'ceiling': {'Y': 1000, 'R': 30000}, 'medium': {'Y': 300, 'R': 3000}, 'small': {'Y': 20, 'R': 200}},
    'warehousing':   {'name': '仓储业', 'ceiling': {'Y': 200, 'R': 30000}, 'medium': {'Y': 100, 'R': 1000}, 'small': {'Y': 20, 'R': 100}},
    'postal':        {'name': '邮政业', 'ceiling': {'Y': 1000, 'R': 30000}, 'medium': {'Y': 300, 'R': 2000}, 'small': {'Y': 20, 'R': 100}},
    'accommodation': {'name': '住宿业', 'ceiling': {'Y': 300, 'R': 10000}, 'medium': {'Y': 100, 'R': 2000}, 'small': {'Y': 10, 'R': 100}},
    'catering':      {'name': '餐饮业', 'ceiling': {'Y': 300, 'R': 10000}, 'medium': {'Y': 100, 'R': 2000}, 'small': {'Y': 10, 'R': 100}},
    'telecom':       {'name': '信息传输业', 'ceiling': {'Y': 2000, 'R': 100000}, 'medium': {'Y': 100, 'R': 1000}, 'small': {'Y': 10, 'R': 100}},
    'software':      {'name': '软件和信息技术服务业', 'ceiling': {'Y': 300, 'R': 10000}, 'medium': {'Y': 100, 'R': 1000}, 'small': {'Y': 10, 'R': 50}},
    'real_estate_dev': {'name': '房地产开发经营', 'ceiling': {'R': 200000, 'Z': 10000}, 'medium': {'R': 1000, 'Z': 5000}, 'small': {'R': 100, 'Z': 2000}},
    'property_mgmt': {'name': '物业管理', 'ceiling': {'Y': 1000, 'R': 5000}, 'medium': {'Y': 300, 'R': 1000}, 'small': {'Y': 100, 'R': 500}},
    'leasing_business': {'name': '租赁和商务服务业', 'ceiling': {'Y': 300, 'Z': 120000}, 'medium': {'Y': 100, 'Z': 8000}, 'small': {'Y': 10, 'Z': 100}},
    'other':         {'name': '其他未列明行业', 'ceiling': {'Y': 300}, 'medium': {'Y': 100}, 'small': {'Y': 10}},
    'finance':       {'name': '金融业（另行划型）', 'ceiling': {}, 'medium': {}, 'small': {}},
  }) }}
{%- endmacro %}

{#- industry class (4 digits, no letter) -> size group key -#}
{% macro size_group(industry_code) -%}
  case
    when left({{ industry_code }}, 2) between '01' and '05' then 'agriculture'
    when left({{ industry_code }}, 2) between '06' and '46' then 'industry'
    when left({{ industry_code }}, 2) between '47' and '50' then 'construction'
    when left({{ industry_code }}, 2) = '51' then 'wholesale'
    when left({{ industry_code }}, 2) = '52' then 'retail'
    when left({{ industry_code }}, 2) between '53' and '58' then 'transport'
    when left({{ industry_code }}, 2) = '59' then 'warehousing'
    when left({{ industry_code }}, 2) = '60' then 'postal'
    when left({{ industry_code }}, 2) = '61' then 'accommodation'
    when left({{ industry_code }}, 2) = '62' then 'catering'
    when left({{ industry_code }}, 2) in ('63', '64') then 'telecom'
    when left({{ industry_code }}, 2) = '65' then 'software'
    when left({{ industry_code }}, 2) between '66' and '69' then 'finance'
    when left({{ industry_code }}, 3) = '701' then 'real_estate_dev'
    when left({{ industry_code }}, 3) = '702' then 'property_mgmt'
    when left({{ industry_code }}, 2) in ('71', '72') then 'leasing_business'
    else 'other'
  end
{%- endmacro %}

{% macro _size_all(level_map, y, r, z) -%}
  {%- set vars_ = {'Y': y, 'R': r, 'Z': z} -%}
  ({% for k, v in level_map.items() %}{{ vars_[k] }} >= {{ v }}{{ ' and ' if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro _size_any_null(level_map, y, r, z) -%}
  {%- set vars_ = {'Y': y, 'R': r, 'Z': z} -%}
  ({% for k, v in level_map.items() %}{{ vars_[k] }} is null{{ ' or ' if not loop.last }}{% endfor %})
{%- endmacro %}

{#- size class from group key and Y (persons), R (营业收入 万元), Z (资产总额 万元) -#}
{% macro size_class(group_expr, y, r, z) -%}
  case {{ group_expr }}
  {%- for key, g in size_groups().items() %}
    {%- if g['ceiling'] | length == 0 %}
    when '{{ key }}' then 'unknown'
    {%- else %}
    when '{{ key }}' then case
        when {{ _size_any_null(g['ceiling'], y, r, z) }} then 'unknown'
        when {{ _size_all(g['ceiling'], y, r, z) }} then 'large'
        when {{ _size_all(g['medium'], y, r, z) }} then 'medium'
        when {{ _size_all(g['small'], y, r, z) }} then 'small'
        else 'micro' end
    {%- endif %}
  {%- endfor %}
    else 'unknown'
  end
{%- endmacro %}

{#- size class code -> Chinese name for text shown to users (大型/中型/小型/微型; NULL or unknown -> 未知) -#}
{% macro size_class_label(expr) -%}
  case {{ expr }} when 'large' then '大型' when 'medium' then '中型' when 'small' then '小型' when 'micro' then '微型'
       else '未知' end
{%- endmacro %}
