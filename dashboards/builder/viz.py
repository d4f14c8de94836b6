"""Chart helpers: the form data (params) the browser edits and the matching saved query context (REST), one helper
per visualisation. Each takes the dataset object and returns a Chart that refers to it by key."""

from __future__ import annotations

import json
import uuid

from dashboards.builder.model import NS, PCT, Chart, Dataset

NO_FILTER = "No filter"
BASE = {"color_scheme": "supersetColors", "extra_form_data": {}, "dashboards": []}


def sql_filter(expr: str) -> dict:
    return {
        "expressionType": "SQL", "sqlExpression": expr, "clause": "WHERE", "subject": None, "operator": None,
        "comparator": None, "isExtra": False, "isNew": False, "filterOptionName": "f_" + uuid.uuid5(NS, expr).hex[:12],
    }  # fmt: skip


def time_filter(col: str) -> dict:
    return {
        "expressionType": "SIMPLE", "subject": col, "operator": "TEMPORAL_RANGE", "comparator": NO_FILTER,
        "clause": "WHERE", "sqlExpression": None, "isExtra": False, "isNew": False, "filterOptionName": "t_" + col,
    }  # fmt: skip


def adhoc(where: list[str], temporal: str | None) -> list[dict]:
    out = [time_filter(temporal)] if temporal else []
    return out + [sql_filter(w) for w in where]


def md(text: str, height: int, width: int = 12) -> tuple:
    """A markdown item on a board (a whole row, or one item of a row)."""
    return ("md", text, height, width)


def kpi(key, title, ds: Dataset, metric, where=(), subtitle="", fmt=None, red_if_positive=False) -> Chart:
    ds.metric(metric)
    params = {
        **BASE, "viz_type": "big_number_total", "metric": metric, "adhoc_filters": adhoc(list(where), None),
        "subheader": subtitle, "subtitle": subtitle, "header_font_size": 0.4, "subheader_font_size": 0.15,
        "subtitle_font_size": 0.15, "y_axis_format": fmt or "SMART_NUMBER", "time_format": "smart_date",
        "conditional_formatting": [],
    }  # fmt: skip
    if red_if_positive:
        params["conditional_formatting"] = [
            {"column": metric, "operator": ">", "targetValue": 0, "colorScheme": "colorError", "useGradient": False}
        ]
    return Chart(key, title, "big_number_total", ds.key, params, metrics=[metric], where=list(where))


def kpi_trend(key, title, ds: Dataset, metric, lag, suffix, where=(), fmt=None) -> Chart:
    """A big number with its month trend line and a comparison `lag` months back."""
    ds.metric(metric)
    params = {
        **BASE, "viz_type": "big_number", "x_axis": ds.dttm, "time_grain_sqla": "P1M", "metric": metric,
        "adhoc_filters": adhoc(list(where), ds.dttm), "compare_lag": lag, "compare_suffix": suffix,
        "show_timestamp": True, "show_trend_line": True, "start_y_axis_at_zero": False,
        "header_font_size": 0.4, "subheader_font_size": 0.15, "y_axis_format": fmt or "SMART_NUMBER",
        "time_format": "%Y-%m", "rolling_type": "None", "aggregation": "LAST_VALUE",
    }  # fmt: skip
    return Chart(key, title, "big_number", ds.key, params, metrics=[metric], where=list(where), temporal=ds.dttm,
                 x_temporal=ds.dttm)  # fmt: skip


def series(key, title, viz, ds: Dataset, metrics, groupby=(), where=(), fmt=None, x=None, horizontal=False,
           stack=False, sort_by_metric=True, annotations=(), row_limit=1000, y_bounds=(None, None), grain="P1M",
           zero_based=True) -> Chart:  # fmt: skip
    """echarts_timeseries_line / _bar; x=None means the dataset's month axis (a trend)."""
    for m in metrics:
        ds.metric(m)
    trend = x is None
    year = grain == "P1Y"
    params = {
        **BASE, "viz_type": viz, "x_axis": ds.dttm if trend else x, "metrics": list(metrics),
        "groupby": list(groupby), "adhoc_filters": adhoc(list(where), ds.dttm if trend else None),
        "row_limit": row_limit, "truncate_metric": True, "show_legend": True, "legendType": "scroll",
        "legendOrientation": "top", "x_axis_title_margin": 15, "y_axis_title_margin": 30,
        "y_axis_title_position": "Left", "y_axis_format": fmt or "SMART_NUMBER", "logAxis": False,
        "minorSplitLine": False, "truncateXAxis": True, "truncateYAxis": not zero_based,
        "y_axis_bounds": list(y_bounds), "rich_tooltip": True,
        "tooltipTimeFormat": "%Y" if year else "%Y-%m", "x_axis_time_format": "%Y" if year else "%Y-%m",
        "annotation_layers": list(annotations), "order_desc": True, "comparison_type": "values",
        "rolling_type": None, "forecastEnabled": False, "only_total": True, "zoomable": False,
        "xAxisLabelRotation": 0 if trend or horizontal else 45,
    }  # fmt: skip
    if trend:
        params["time_grain_sqla"] = grain
    else:
        params["x_axis_sort"] = ds.metric(metrics[0]).name if sort_by_metric else None
        params["x_axis_sort_asc"] = not sort_by_metric
        params["x_axis_sort_series_type"] = "name"
        params["x_axis_sort_series_ascending"] = True
    if viz == "echarts_timeseries_bar":
        params["orientation"] = "horizontal" if horizontal else "vertical"
        params["stack"] = "Stack" if stack else None
        params["show_value"] = False
    else:
        params["seriesType"] = "line"
        params["markerEnabled"] = True
        params["markerSize"] = 5
        params["show_value"] = False
    cols = list(groupby) if trend else [x, *groupby]
    return Chart(key, title, viz, ds.key, params, columns=cols, metrics=list(metrics), where=list(where),
                 temporal=ds.dttm if trend else None, x_temporal=ds.dttm if trend else None,
                 orderby=[[metrics[0], False]], row_limit=row_limit, grain=grain)  # fmt: skip


def pie(key, title, ds: Dataset, metric, groupby, where=(), fmt=None, row_limit=12, viz="pie") -> Chart:
    """A donut (viz="pie") or a funnel (viz="funnel") of one metric by one column."""
    ds.metric(metric)
    params = {
        **BASE, "viz_type": viz, "groupby": [groupby], "metric": metric, "adhoc_filters": adhoc(list(where), None),
        "row_limit": row_limit, "sort_by_metric": True, "show_labels": True, "labels_outside": True,
        "label_line": True, "show_legend": True, "legendType": "scroll", "legendOrientation": "right",
        "number_format": fmt or "SMART_NUMBER", "date_format": "smart_date", "outerRadius": 70,
    }  # fmt: skip
    if viz == "pie":
        params.update({"label_type": "key_percent", "donut": True, "innerRadius": 35, "show_total": True})
    else:  # funnel
        params.update({"label_type": "key_value_percent", "show_legend": False, "tooltip_label_type": 5,
                       "percent_calculation_type": "first_step"})  # fmt: skip
    return Chart(key, title, viz, ds.key, params, columns=[groupby], metrics=[metric], where=list(where),
                 orderby=[[metric, False]], row_limit=row_limit)  # fmt: skip


def heatmap(key, title, ds: Dataset, metric, x, y, where=(), fmt=PCT) -> Chart:
    ds.metric(metric)
    params = {
        **BASE, "viz_type": "heatmap_v2", "x_axis": x, "groupby": y, "metric": metric,
        "adhoc_filters": adhoc(list(where), None), "row_limit": 10000, "sort_x_axis": "alpha_asc",
        "sort_y_axis": "alpha_asc", "normalize_across": "heatmap", "legend_type": "continuous",
        "linear_color_scheme": "superset_seq_1", "xscale_interval": -1, "yscale_interval": -1,
        "left_margin": "auto", "bottom_margin": "auto", "value_bounds": [None, None], "y_axis_format": fmt,
        "x_axis_time_format": "smart_date", "show_legend": True, "show_percentage": False, "show_values": True,
        "normalized": False,
    }  # fmt: skip
    return Chart(key, title, "heatmap_v2", ds.key, params, columns=[x, y], metrics=[metric], where=list(where),
                 row_limit=10000)  # fmt: skip


def table(key, title, ds: Dataset, groupby=(), metrics=(), where=(), formats=None, raw_columns=None, order=None,
          red_if_positive=(), row_limit=1000, page=20, col_labels=None) -> Chart:  # fmt: skip
    """An aggregate table (groupby × metrics) or, with raw_columns, a list of rows."""
    for m in metrics:
        ds.metric(m)
    column_config = {}
    for name, f in (formats or {}).items():
        column_config[name] = {"d3NumberFormat": f}
    for name, label in (col_labels or {}).items():
        column_config.setdefault(name, {})["customColumnName"] = label
    params = {
        **BASE, "viz_type": "table", "query_mode": "raw" if raw_columns else "aggregate",
        "groupby": list(groupby), "metrics": list(metrics), "all_columns": list(raw_columns or []),
        "percent_metrics": [], "adhoc_filters": adhoc(list(where), None), "row_limit": row_limit,
        "server_page_length": page, "page_length": page, "order_desc": True, "table_timestamp_format": "%Y-%m-%d",
        "show_cell_bars": False, "color_pn": False, "allow_rearrange_columns": False, "include_search": True,
        "column_config": column_config, "temporal_columns_lookup": {},
        "conditional_formatting": [
            {"column": c, "operator": ">", "targetValue": 0, "colorScheme": "colorError"} for c in red_if_positive
        ],
    }  # fmt: skip
    if raw_columns:
        params["order_by_cols"] = [json.dumps([c, asc]) for c, asc in (order or [])]
        return Chart(key, title, "table", ds.key, params, columns=list(raw_columns), where=list(where),
                     orderby=[[c, asc] for c, asc in (order or [])], row_limit=row_limit)  # fmt: skip
    if metrics:
        params["timeseries_limit_metric"] = order[0][0] if order else metrics[0]
    return Chart(key, title, "table", ds.key, params, columns=list(groupby), metrics=list(metrics), where=list(where),
                 orderby=[[c, asc] for c, asc in (order or [(metrics[0], False)])] if metrics else None,
                 row_limit=row_limit)  # fmt: skip
