"""The boards as a spec: datasets, one module per board (its charts and layout), shared labels and filters.

Slice ids are positions in BUNDLE.charts: the boards' charts in board order, then the charts added later. A new
chart goes into its board's CHARTS_ADDED (appended at the end here), never in the middle, so that ids stay. A board
added later (ADDED_BOARD_MODULES) is the same: its charts come after every chart listed before it.
"""

from __future__ import annotations

from dashboards.builder import Bundle
from dashboards.spec import arrears, financing, overview, plan, reporting, sentiment, signals, tiers
from dashboards.spec.common import FILTERS
from dashboards.spec.datasets import DATASETS

DB_NAME = "湖北中小企业监测"
FIRST_BOARD_MODULES = [overview, tiers, arrears, financing, signals, sentiment, plan]
ADDED_BOARD_MODULES = [reporting]  # boards added later (issue 10: 报送情况)
BOARD_MODULES = FIRST_BOARD_MODULES + ADDED_BOARD_MODULES

CHARTS = [c for m in FIRST_BOARD_MODULES for c in m.CHARTS]
CHARTS += [*tiers.CHARTS_ADDED, *arrears.CHARTS_ADDED]  # in the order they were added
CHARTS += reporting.CHARTS  # the 报送情况 board (issue 10); charts added from here on go after these
BOARDS = [m.BOARD for m in BOARD_MODULES]

BUNDLE = Bundle(DB_NAME, DATASETS, CHARTS, FILTERS, BOARDS)
