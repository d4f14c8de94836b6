{#-
  Scoring bands of the quality-SME tiers (DOMAIN_RULES §1) — the ONE place they live.
  Convention (DOMAIN_RULES preamble): higher-is-better bands are checked from the highest down, each band
  includes its lower bound ('ge'); lower-is-better (资产负债率) bands include their upper bound ('le').
  A NULL input scores the `else` points. Inputs are rounded to 9 decimals first so that 1150/1000 − 1
  counts as exactly 15 %.
-#}
{% macro tier_bands() -%}
  {{ return({
    'cxx_rd_ratio':        {'dir': 'ge', 'bands': [[0.05, 20], [0.03, 15], [0.02, 10], [0.01, 5]], 'else': 0},
    'cxx_growth':          {'dir': 'ge', 'bands': [[0.15, 20], [0.10, 15], [0.05, 10], [0.0, 5]], 'else': 0},
    'cxx_debt_ratio':      {'dir': 'le', 'bands': [[0.55, 10], [0.75, 5]], 'else': 0},
    'cxx_main_share':      {'dir': 'ge', 'bands': [[0.70, 20], [0.60, 15], [0.55, 10], [0.50, 5]], 'else': 0},
    'zjtx_main_share':     {'dir': 'ge', 'bands': [[0.80, 5], [0.70, 3], [0.60, 1]], 'else': 0},
    'zjtx_growth_2y':      {'dir': 'ge', 'bands': [[0.10, 10], [0.08, 8], [0.06, 6], [0.04, 4], [0.0, 2]], 'else': 0},
    'zjtx_digital_level':  {'dir': 'ge', 'bands': [[3, 5], [2, 3]], 'else': 0},
    'zjtx_net_margin':     {'dir': 'ge', 'bands': [[0.10, 10], [0.08, 8], [0.06, 6], [0.04, 4], [0.02, 2]], 'else': 0},
    'zjtx_debt_ratio':     {'dir': 'le', 'bands': [[0.50, 5], [0.60, 3], [0.70, 1]], 'else': 0},
    'zjtx_rd_amount':      {'dir': 'ge', 'bands': [[500, 10], [400, 8], [300, 6], [200, 4], [100, 2]], 'else': 0},
    'zjtx_rd_ratio':       {'dir': 'ge', 'bands': [[0.10, 10], [0.08, 8], [0.06, 6], [0.04, 4], [0.03, 2]], 'else': 0},
    'zjtx_rd_staff_ratio': {'dir': 'ge', 'bands': [[0.20, 5], [0.10, 3], [0.05, 1]], 'else': 0},
  }) }}
{%- endmacro %}

{#- IP points: first matching class wins (Ⅰ类高价值 > 自主研发Ⅰ类 > Ⅰ类 > Ⅱ类). -#}
{% macro tier_ip_points() -%}
  {{ return({
    'cxx':  {'high_value': 20, 'self': 15, 'class1': 10, 'class2': 5, 'none': 0},
    'zjtx': {'high_value': 10, 'self': 8, 'class1': 6, 'class2': 2, 'none': 0},
  }) }}
{%- endmacro %}

{#- Other fixed v2022 parameters (verified texts, DOMAIN_RULES §1.1–1.3). -#}
{% macro tier_v2022() -%}
  {{ return({
    'cxx_total_min': 60, 'cxx_innovation_min': 20, 'cxx_growth_min': 15, 'cxx_specialisation_min': 15,
    'cxx_domain_strategic_points': 10, 'cxx_domain_other_points': 5, 'cxx_equity_3y_min': 500,
    'zjtx_niche_years_min': 2, 'zjtx_rd_min': 100, 'zjtx_rd_ratio_min': 0.03, 'zjtx_revenue_min': 1000,
    'zjtx_equity_2y_min': 2000, 'zjtx_total_min': 60, 'zjtx_rd_avg_2y_direct': 1000, 'zjtx_equity_2y_direct': 6000,
    'zjtx_niche_points_per_2y': 1, 'zjtx_niche_points_max': 5, 'zjtx_quality_points_per_item': 3, 'zjtx_quality_points_max': 5,
    'zjtx_domain_key_link_points': 5, 'zjtx_domain_foundation_points': 3,
    'zjtx_rd_institution_points': {'国家级': 10, '省级': 8, '市级': 4, '市级以下': 2, '无': 0},
    'xjr_niche_years_min': 3, 'xjr_main_share_min': 0.70, 'xjr_growth_2y_min': 0.05, 'xjr_debt_ratio_max': 0.70,
    'xjr_niche_share_min': 0.10, 'xjr_rev_high': 10000, 'xjr_rev_mid': 5000, 'xjr_rd_ratio_high': 0.03, 'xjr_rd_ratio_mid': 0.06,
    'xjr_low_equity_2y_min': 8000, 'xjr_low_rd_2y_min': 3000, 'xjr_low_rd_staff_ratio_min': 0.50, 'xjr_ip_class1_min': 2,
    'xjr_info_system_min_digital_level': 2,
  }) }}
{%- endmacro %}

{#-
  Configuration ([U] in DOMAIN_RULES): dbt vars with these defaults; override in dbt_project.yml or --vars.
  - tier_rule_versions: which rule versions are computed for which assessment years (assessment year = data year + 1),
    and for which years a version is the primary one (the one the cultivation pool reads).
  - tier_feature: the Hubei 特色化 placeholder (§1.2a); `version` is stored on every 专精特新 v2022 score.
  - tier_v2026: thresholds of 工信部企业〔2026〕2号 as far as DOMAIN_RULES §1.4 describes them.
  - tier_xjr_key_product_domains: the 产品领域 values (INPUTS.md enterprises.product_domains) that meet 小巨人 v2022 "品"
    (DOMAIN_RULES §1.3: 六基, the 10 制造强国 key sectors, 网络强国 fields). The template carries 六基 only; the 10
    制造强国 / 网络强国 fields have no value of their own (战略性新兴产业 is wider than them and does not count), so the
    default is ['六基']. When the template gains such a value (e.g. 制造强国重点领域), add it here.
-#}
{% macro tier_cfg(name) -%}
  {%- set defaults = {
    'tier_rule_versions': [
      {'rule_version': 'v2022', 'from_year': 2000, 'to_year': 2026, 'primary_from': 2000, 'primary_to': 2026},
      {'rule_version': 'v2026', 'from_year': 2026, 'to_year': 2100, 'primary_from': 2027, 'primary_to': 2100},
    ],
    'tier_feature': {
      'version': 'hubei_placeholder_v1',
      'h1_cluster_points': 8, 'h1_chain_points': 8,
      'h2_points': 4, 'h2_feature_awards': ['首台套', '首批次', '首版次', '非遗', '地理标志'], 'h2_product_domains': ['中华老字号'],
      'h3_share_min': 0.10, 'h3_points': 3,
      'max_points': 15,
    },
    'tier_v2026': {
      'zjtx_niche_years_min': 3, 'zjtx_revenue_min': 1500, 'zjtx_equity_2y_min': 2000, 'zjtx_main_share_min': 0.80,
      'zjtx_debt_ratio_max': 0.80, 'zjtx_rd_min': 100, 'zjtx_rd_ratio_min': 0.03, 'zjtx_ip_class1_min': 1,
      'zjtx_platform_score_min': 50,
      'xjr_revenue_min': 5000, 'xjr_main_share_min': 0.90, 'xjr_cagr_2y_min': 0.05, 'xjr_debt_ratio_max': 0.75,
      'xjr_rd_2y_min': 1200, 'xjr_rd_ratio_min': 0.03, 'xjr_ip_class1_min': 4, 'xjr_niche_share_min': 0.10,
      'xjr_platform_score_min': 60,
    },
    'tier_xjr_key_product_domains': ['六基'],
    'pool_max_points_gap': 10,
    'scale_threshold_revenue': 2000,
    'scale_candidate_min_revenue': 1000,
    'scale_new_firm_years': 3,
  } -%}
  {%- if name not in defaults -%}
    {{ exceptions.raise_compiler_error("tier_cfg: unknown parameter " ~ name) }}
  {%- endif -%}
  {{ return(var(name, defaults[name])) }}
{%- endmacro %}

{#- CASE expression for a band table. -#}
{% macro band_points(band_name, expr) -%}
  {%- set b = tier_bands()[band_name] -%}
  case
  {%- for lim, pts in b['bands'] %}
    when round({{ expr }}, 9) {{ '>=' if b['dir'] == 'ge' else '<=' }} {{ lim }} then {{ pts }}
  {%- endfor %}
    else {{ b['else'] }}
  end
{%- endmacro %}

{% macro ip_points(scheme, high_value, self_dev, class1, class2) -%}
  {%- set p = tier_ip_points()[scheme] -%}
  case
    when coalesce({{ high_value }}, 0) >= 1 then {{ p['high_value'] }}
    when coalesce({{ self_dev }}, 0) >= 1 then {{ p['self'] }}
    when coalesce({{ class1 }}, 0) >= 1 then {{ p['class1'] }}
    when coalesce({{ class2 }}, 0) >= 1 then {{ p['class2'] }}
    else {{ p['none'] }}
  end
{%- endmacro %}

{#- SQL literal list: ['a','b'] -> ['a', 'b'] as a DuckDB list of varchar -#}
{% macro sql_str_list(items) -%}
  [{%- for i in items %}'{{ i }}'{{ ', ' if not loop.last }}{% endfor -%}]::varchar[]
{%- endmacro %}

{#-
  Failed conditions as codes (issue 14 item 11). A model lists its conditions once, in display order, as dicts:
    code   — stable code, registered in seeds/tier_condition_codes.csv (label, tier, rule reference);
    gate   — boolean SQL; the condition is listed when the gate is not true (NULL counts as failed), or
    fail   — boolean SQL that is true when the item is listed (for items that are not a plain gate);
    when   — optional guard (e.g. 'not direct_pass_met': score conditions only matter without a direct pass);
    text   — SQL of the firm-level text with the firm's own figures (e.g. '总分' || total_score || '<60');
    counts — false for 待核实 items (listed for staff to check; not a failed condition, not in the count).
  fc_text → failed_conditions ('；'-separated, NULL when none); fc_codes → failed_condition_codes (same order,
  NULL when none); fc_count → failed_condition_count.
-#}
{% macro _fc_listed(it) -%}
  ({{ '(' ~ it['when'] ~ ') and ' if it.get('when') }}{{ 'not coalesce(' ~ it['gate'] ~ ', false)' if it.get('gate') else 'coalesce(' ~ it['fail'] ~ ', false)' }})
{%- endmacro %}

{% macro fc_text(items) -%}
  nullif(concat_ws('；'
  {%- for it in items %},
      case when {{ _fc_listed(it) }} then {{ it['text'] }} end
  {%- endfor %}), '')
{%- endmacro %}

{% macro fc_codes(items) -%}
  nullif(list_filter([
  {%- for it in items %}
      case when {{ _fc_listed(it) }} then '{{ it["code"] }}' end{{ ',' if not loop.last }}
  {%- endfor %}]::varchar[], lambda x: x is not null), []::varchar[])
{%- endmacro %}

{% macro fc_count(items) -%}
  (0
  {%- for it in items if it.get('counts', true) %}
      + {{ _fc_listed(it) }}::integer
  {%- endfor %})
{%- endmacro %}

{#- failed-condition text: emits the label when `cond` is not true (NULL counts as failed) -#}
{% macro fail_label(cond, label_sql) -%}
  case when not coalesce({{ cond }}, false) then {{ label_sql }} end
{%- endmacro %}

{#- number formatting for labels: 2.5 -> '2.5', 56.0 -> '56' -#}
{% macro fmt_num(expr) -%}
  coalesce(regexp_replace(regexp_replace(printf('%.2f', ({{ expr }})::double), '0+$', ''), '\.$', ''), '—')
{%- endmacro %}
{% macro fmt_pct(expr) -%}
  case when ({{ expr }}) is null then '—' else {{ fmt_num('100.0 * (' ~ expr ~ ')') }} || '%' end
{%- endmacro %}

{#- the configured rule versions as an inline table: rule_version, from_year, to_year, primary_from, primary_to -#}
{% macro tier_versions_relation() -%}
  (select * from (values
  {%- for v in tier_cfg('tier_rule_versions') %}
    ('{{ v["rule_version"] }}', {{ v["from_year"] }}, {{ v["to_year"] }}, {{ v.get("primary_from", v["from_year"]) }}, {{ v.get("primary_to", v["to_year"]) }}){{ ',' if not loop.last }}
  {%- endfor %}
  ) as t(rule_version, from_year, to_year, primary_from, primary_to))
{%- endmacro %}

{#- tier rank: 无 0, 创新型 1, 专精特新 2, 小巨人 3 -#}
{% macro tier_rank(expr) -%}
  case {{ expr }} when '创新型' then 1 when '专精特新' then 2 when '小巨人' then 3 else 0 end
{%- endmacro %}
