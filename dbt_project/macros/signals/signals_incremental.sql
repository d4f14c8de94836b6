{#-
  Incremental rebuild of sentiment_index, int_signals__problem_cells and problem_signals (delete+insert on month).

  These marts group each firm-month by the 市州, 门类 and industry group of the firm's registry profile of that report
  year (int_signals__profile_spans), so a month's rows depend only on the reports of that month and the profile that
  applies to its year. They rebuild every report year from the first one touched since their own last build, by
  either input:
    - a report row that arrived after it (ops_first_changed_year on enterprise_months, the same watermark as the
      monthly chain: `source_load_id` of the report's current version);
    - a profile that arrived after it, for the report years in which that firm reported under that profile.
  Each row keeps the largest load id of the reports and profiles it counts (`source_load_id`), so the watermark is
  the mart's own. Code, seed or var changes: the pipeline runs --full-refresh (see ops_incremental.sql).
-#}
{% macro signals_first_changed_year(months, spans) -%}
    {%- set from_reports = ops_first_changed_year(months) -%}
    {%- if not execute -%}{{ return(9999) }}{%- endif -%}
    {%- set query -%}
        select coalesce(min(m.report_year), 9999)
        from {{ spans }} as s
        inner join {{ months }} as m
            on m.uscc = s.uscc and m.report_year >= s.from_year and m.report_year < s.until_year
        where s.load_id > (select coalesce(max(source_load_id), -1) from {{ this }})
    {%- endset -%}
    {%- set from_profiles = run_query(query).columns[0].values()[0] | int -%}
    {%- set year = [from_reports, from_profiles] | min -%}
    {%- do log('incremental ' ~ this.identifier ~ ': rebuilding months of report years >= ' ~ year
               ~ ' (reports: ' ~ from_reports ~ ', profiles: ' ~ from_profiles ~ ')', info=true) -%}
    {{ return(year) }}
{%- endmacro %}

{#- The firm-months these marts count, each with the dimensions of its report year's profile (no profile at all:
    unknown 市州 000000, 门类 '?', 其他行业). -#}
{% macro signals_firm_months(months, spans, from_year) -%}
    select
        m.*,
        coalesce(s.region_code, '000000') as year_region_code,
        coalesce(s.section_code, '?') as year_section_code,
        coalesce(s.industry_group, '其他行业') as year_industry_group,
        greatest(m.source_load_id, coalesce(s.load_id, -1)) as counted_load_id
    from {{ months }} as m
    left join {{ spans }} as s
        on s.uscc = m.uscc and m.report_year >= s.from_year and m.report_year < s.until_year
    {%- if from_year is not none %}
    where m.report_year >= {{ from_year }}
    {%- endif %}
{%- endmacro %}
