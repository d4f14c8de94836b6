"""The board engine: the chart/dataset/board model, the viz helpers, and the writers (Superset bundle YAML, dbt
exposures). It knows Superset's import format and nothing about this project's boards; those live in
dashboards/spec/."""

from dashboards.builder.bundle import Bundle
from dashboards.builder.model import (
    AMT,
    DEC1,
    DEC2,
    INT,
    PCT,
    PCT_SIGNED,
    Board,
    Chart,
    Col,
    Dataset,
    Metric,
    NativeFilter,
    uid,
)
from dashboards.builder.viz import heatmap, kpi, kpi_trend, md, pie, series, table

__all__ = [
    "AMT", "DEC1", "DEC2", "INT", "PCT", "PCT_SIGNED",
    "Board", "Bundle", "Chart", "Col", "Dataset", "Metric", "NativeFilter", "uid",
    "heatmap", "kpi", "kpi_trend", "md", "pie", "series", "table",
]  # fmt: skip
