"""The boards as a spec: datasets, one module per board (its charts and layout), shared labels and filters.

Slice ids are positions in BUNDLE.charts: the boards' charts in board order, then the charts added later. A new
chart goes into its board's CHARTS_ADDED (appended at the end here), never in the middle, so that ids stay.
"""

from __future__ import annotations

from dashboards.builder import Bundle
from dashboards.spec import arrears, financing, overview, plan, sentiment, signals, tiers
from dashboards.spec.common import FILTERS
from dashboards.spec.datasets import DATASETS

DB_NAME = "湖北中小企业监测"
BOARD_MODULES = [overview, tiers, arrears, financing, signals, sentiment, plan]

CHARTS = [c for m in BOARD_MODULES for c in m.CHARTS]
CHARTS += [*tiers.CHARTS_ADDED, *arrears.CHARTS_ADDED]  # in the order they were added
BOARDS = [m.BOARD for m in BOARD_MODULES]

BUNDLE = Bundle(DB_NAME, DATASETS, CHARTS, FILTERS, BOARDS)
