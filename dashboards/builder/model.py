"""The spec's vocabulary: datasets (virtual, SQL over marts), their columns and metrics, charts, native filters and
boards. UUIDs are pinned: uuid5 of a fixed namespace and the object's key, so renaming a title keeps the UUID."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

NS = uuid.UUID("6f1c2d2e-9a55-4a8e-9a43-2b0f3c1d5e77")

# d3 number formats used by the boards
PCT, PCT_SIGNED, INT, AMT, DEC2, DEC1 = ".1%", "+.1%", ",d", ",.0f", ",.2f", ",.1f"


def uid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


@dataclass
class Col:
    name: str
    label: str
    type: str = "VARCHAR"
    dttm: bool = False


@dataclass
class Metric:
    name: str
    label: str
    expr: str
    fmt: str | None = None


@dataclass
class Dataset:
    """A virtual Superset dataset: explicit column list over ``marts.*`` (published as ``sme_<key>``)."""

    key: str
    description: str
    sql: str
    cols: list[Col]
    metrics: list[Metric]
    dttm: str | None = None
    has_region: bool = True

    @property
    def uuid(self) -> str:
        return uid("dataset:" + self.key)

    def metric(self, name: str) -> Metric:
        for m in self.metrics:
            if m.name == name:
                return m
        raise KeyError(f"dataset {self.key} has no metric {name}")

    @property
    def marts(self) -> list[str]:
        """The mart tables the SQL reads (``marts.<table>``), in order of first mention."""
        return list(dict.fromkeys(re.findall(r"\bmarts\.(\w+)", self.sql)))


@dataclass
class Chart:
    key: str
    title: str
    viz: str
    ds: str  # dataset key
    params: dict
    # What the saved query context asks for (the REST data request):
    columns: list = field(default_factory=list)
    metrics: list = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    temporal: str | None = None  # column carrying a TEMPORAL_RANGE filter (native 报告期 filter)
    x_temporal: str | None = None  # temporal x-axis column (month grain)
    orderby: list | None = None
    row_limit: int = 1000
    description: str = ""
    grain: str = "P1M"

    @property
    def uuid(self) -> str:
        return uid("chart:" + self.key)


@dataclass
class NativeFilter:
    """A dashboard native filter: a value list over one dataset column (filter_select) or the time range."""

    label: str
    type: str  # filter_select | filter_time
    ds: Dataset | None = None
    column: str | None = None


@dataclass
class Board:
    key: str
    title: str
    slug: str
    rows: list  # [[(chart_key, width, height) | md(...)], ...] or md(...) as a whole row
    filters: list  # names of the bundle's native filters
    description: str = ""
    # filter name -> chart keys outside its scope
    excluded: dict = field(default_factory=dict)

    @property
    def uuid(self) -> str:
        return uid("dashboard:" + self.key)

    def items(self):
        """(row index, item index, item) for every chart or markdown item, in layout order."""
        for i, row in enumerate(self.rows, 1):
            for j, item in enumerate([row] if isinstance(row, tuple) else row, 1):
                yield i, j, item

    @property
    def chart_keys(self) -> list[str]:
        return [item[0] for _, _, item in self.items() if item[0] != "md"]
