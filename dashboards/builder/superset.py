"""Superset's v1 import format: one dict per database, dataset, chart and dashboard (dumped as YAML by bundle.py)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from dashboards.builder.model import Board, Chart, Dataset, uid
from dashboards.builder.viz import NO_FILTER

if TYPE_CHECKING:
    from dashboards.builder.bundle import Bundle

SERVING_PLACEHOLDER = "__SERVING_DUCKDB__"


def database_yaml(name: str) -> dict:
    """The read-only DuckDB connection; provision.py replaces the placeholder by the serving copy's path."""
    return {
        "database_name": name,
        "sqlalchemy_uri": f"duckdb:///{SERVING_PLACEHOLDER}?access_mode=read_only",
        "cache_timeout": None,
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_ctas": False,
        "allow_cvas": False,
        "allow_dml": False,
        "allow_csv_upload": False,
        "impersonate_user": False,
        "extra": {
            "engine_params": {
                "connect_args": {
                    "read_only": True,
                    "config": {"enable_external_access": False, "lock_configuration": True},
                }
            },
            "metadata_params": {},
            "metadata_cache_timeout": {},
            "schemas_allowed_for_csv_upload": [],
            "allows_virtual_table_explore": True,
            "cancel_query_on_windows_unload": True,
            "disable_data_preview": False,
        },
        "uuid": uid("database"),
        "version": "1.0.0",
    }


def dataset_yaml(d: Dataset) -> dict:
    return {
        "table_name": "sme_" + d.key,
        "main_dttm_col": d.dttm,
        "description": d.description,
        "default_endpoint": None,
        "offset": 0,
        "cache_timeout": None,
        "catalog": None,
        "schema": "marts",
        "sql": d.sql,
        "params": None,
        "template_params": None,
        "filter_select_enabled": True,
        "fetch_values_predicate": None,
        "extra": None,
        "normalize_columns": False,
        "always_filter_main_dttm": False,
        "uuid": d.uuid,
        "metrics": [
            {
                "metric_name": m.name,
                "verbose_name": m.label,
                "metric_type": None,
                "expression": m.expr,
                "description": None,
                "d3format": m.fmt,
                "currency": None,
                "extra": {"warning_markdown": ""},
                "warning_text": None,
            }
            for m in d.metrics
        ],
        "columns": [
            {
                "column_name": c.name,
                "verbose_name": c.label,
                "is_dttm": c.dttm,
                "is_active": True,
                "type": c.type,
                "advanced_data_type": None,
                "groupby": True,
                "filterable": True,
                "expression": None,
                "description": c.label,
                "python_date_format": None,
                "extra": {},
            }
            for c in d.cols
        ],
        "version": "1.0.0",
        "database_uuid": uid("database"),
    }


def query_context(c: Chart, params: dict) -> dict:
    """The query the chart's saved context runs (GET /api/v1/chart/{id}/data/). Datasource ids are
    placeholders; provision.py points them at the imported dataset."""
    cols: list = []
    if c.x_temporal:
        cols.append(
            {
                "timeGrain": c.grain,
                "columnType": "BASE_AXIS",
                "sqlExpression": c.x_temporal,
                "label": c.x_temporal,
                "expressionType": "SQL",
            }
        )
    cols += c.columns
    filters = [{"col": c.temporal, "op": "TEMPORAL_RANGE", "val": NO_FILTER}] if c.temporal else []
    where = " AND ".join(f"({w})" for w in c.where)
    q = {
        "filters": filters,
        "extras": {"having": "", "where": where},
        "applied_time_extras": {},
        "columns": cols,
        "metrics": c.metrics,
        "orderby": c.orderby or ([[c.metrics[0], False]] if c.metrics else []),
        "annotation_layers": [],
        "row_limit": c.row_limit,
        "series_columns": [] if c.x_temporal is None else list(c.columns),
        "series_limit": 0,
        "order_desc": True,
        "url_params": {},
        "custom_params": {},
        "custom_form_data": {},
        "time_range": NO_FILTER,
    }
    if c.viz == "table" and params.get("query_mode") == "raw":
        q["metrics"] = None  # raw rows: no GROUP BY
    return {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [q],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }


def chart_yaml(bundle: Bundle, c: Chart) -> dict:
    params = dict(c.params)
    params["datasource"] = "0__table"
    params["slice_id"] = bundle.chart_id(c)
    return {
        "slice_name": c.title,
        "description": c.description or None,
        "certified_by": None,
        "certification_details": None,
        "viz_type": c.viz,
        "params": params,
        "query_context": json.dumps(query_context(c, params), ensure_ascii=False),
        "cache_timeout": None,
        "uuid": c.uuid,
        "version": "1.0.0",
        "dataset_uuid": bundle.dataset(c.ds).uuid,
    }


def _position(bundle: Bundle, b: Board) -> dict:
    """The dashboard's layout tree: ROOT > GRID > one ROW per spec row > CHART / MARKDOWN items."""
    pos: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": b.title}},
    }
    for i, row in enumerate(b.rows, 1):
        row_id = f"ROW-{b.key}-{i}"
        pos["GRID_ID"]["children"].append(row_id)
        pos[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for j, item in enumerate([row] if isinstance(row, tuple) else row, 1):
            parents = ["ROOT_ID", "GRID_ID", row_id]
            if item[0] == "md":
                comp = f"MARKDOWN-{b.key}-{i}-{j}"
                width = item[3] if len(item) > 3 else 12
                meta = {"width": width, "height": item[2], "code": item[1]}
                pos[comp] = {"type": "MARKDOWN", "id": comp, "children": [], "parents": parents, "meta": meta}
            else:
                key, width, height = item
                c = bundle.chart(key)
                comp = f"CHART-{key}"
                meta = {
                    "width": width,
                    "height": height,
                    "chartId": bundle.chart_id(c),
                    "uuid": c.uuid,
                    "sliceName": c.title,
                }
                pos[comp] = {"type": "CHART", "id": comp, "children": [], "parents": parents, "meta": meta}
            pos[row_id]["children"].append(comp)
    return pos


def _native_filters(bundle: Bundle, b: Board, ids: list[int]) -> list[dict]:
    native = []
    for fname in b.filters:
        nf = bundle.filters[fname]
        excluded = [bundle.chart_id(bundle.chart(k)) for k in b.excluded.get(fname, [])]
        f = {
            "id": f"NATIVE_FILTER-{b.key}-{fname}",
            "name": nf.label,
            "filterType": nf.type,
            "type": "NATIVE_FILTER",
            "description": "",
            "cascadeParentIds": [],
            "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
            "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
            "chartsInScope": [i for i in ids if i not in excluded],
            "tabsInScope": [],
        }
        if nf.type == "filter_select":
            f["targets"] = [{"column": {"name": nf.column}, "datasetUuid": nf.ds.uuid}]
            f["controlValues"] = {
                "enableEmptyFilter": False,
                "defaultToFirstItem": False,
                "multiSelect": True,
                "searchAllOptions": False,
                "inverseSelection": False,
                "sortAscending": True,
            }
        else:
            f["targets"] = [{}]
            f["controlValues"] = {"enableEmptyFilter": False}
        native.append(f)
    return native


def dashboard_yaml(bundle: Bundle, b: Board) -> dict:
    pos = _position(bundle, b)
    ids = [bundle.chart_id(bundle.chart(k)) for k in b.chart_keys]
    metadata = {
        "color_scheme": "supersetColors",
        "refresh_frequency": 0,
        "expanded_slices": {},
        "label_colors": {},
        "timed_refresh_immune_slices": [],
        "cross_filters_enabled": False,
        "default_filters": "{}",
        "chart_configuration": {},
        "global_chart_configuration": {"scope": {"rootPath": ["ROOT_ID"], "excluded": []}, "chartsInScope": ids},
        "native_filter_configuration": _native_filters(bundle, b, ids),
        "shared_label_colors": [],
        "map_label_colors": {},
        "color_scheme_domain": [],
    }
    return {
        "dashboard_title": b.title,
        "description": b.description,
        "css": "",
        "slug": b.slug,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "uuid": b.uuid,
        "position": pos,
        "metadata": metadata,
        "version": "1.0.0",
    }
