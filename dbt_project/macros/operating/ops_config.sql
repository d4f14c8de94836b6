{#-
  ops_cfg(name): one place for the thresholds and parameters of the operations / arrears /
  financing / signals / alerts / sentiment marts. Every value is a dbt var with the default below,
  so `vars:` in dbt_project.yml or `--vars '{...}'` overrides it without touching SQL.
-#}
{% macro ops_cfg(name) -%}
  {%- set defaults = {
      'payment_reg_802_effective_date': '2025-06-01',
      'payment_public_default_term_days': 30,
      'payment_public_max_term_days': 60,
      'payment_large_default_term_days_802': 60,
      'payment_large_default_term_days_728': none,
      'payment_late_interest_daily_rate': 0.0005,
      'problem_alert_min_share': 0.20,
      'problem_alert_min_increase': 0.05,
      'problem_alert_min_firms': 10,
      'alert_revenue_yoy_down_months': 3,
      'alert_debt_ratio_max': 0.85,
      'alert_overdue_receivable_ratio_max': 0.30,
      'alert_arrears_overdue_days': 90,
      'alert_financing_refusals_min': 2,
      'alert_financing_refusal_window_months': 6,
      'alert_vacancy_rate_max': 0.10,
      'alert_capacity_utilisation_min_pct': 50,
      'alert_capacity_low_months': 3,
      'plan_approx_tolerance': 0.10,
      'plan_start_year': 2021,
  } -%}
  {%- if name not in defaults -%}
    {{ exceptions.raise_compiler_error("ops_cfg: unknown parameter " ~ name) }}
  {%- endif -%}
  {{ return(var(name, defaults[name])) }}
{%- endmacro %}
