"""Every threshold and setting of the report, in one place (documented in README "月度分析报告").

The narrative words follow fixed rules on the numbers, never a language model:

- a change of a share (报送率, 获批率, 反映占比, 清偿进度 …) in 百分点: |Δ| < FLAT_PP → 基本持平;
  FLAT_PP ≤ |Δ| < MARKED_PP → 有所上升 / 有所下降; |Δ| ≥ MARKED_PP → 明显上升 / 明显下降;
- a growth rate (同比/环比, as a fraction): |g| < FLAT_GROWTH → 基本持平; up to MARKED_GROWTH → 有所增长 / 有所下降;
  beyond → 明显增长 / 明显下降;
- an index (景气指数) against the line 100: ≥ 100 + INDEX_BAND → 景气区间; ≤ 100 − INDEX_BAND → 不景气区间;
  between → 临界值附近.
"""

from __future__ import annotations

import os

FLAT_PP = 0.5  # 百分点: below this a change of a share is 基本持平
MARKED_PP = 2.0  # 百分点: from this on it is 明显上升/明显下降
FLAT_GROWTH = 0.005  # growth below 0.5 % either way is 基本持平
MARKED_GROWTH = 0.05  # growth of 5 % or more is 明显增长/明显下降
INDEX_LINE = 100.0  # 景气指数 临界值
INDEX_BAND = 1.0  # within ±1 of 100: 临界值附近

DEFAULT_MIN_REPORTING_RATE = 0.80
TOP_N = 3  # how many 市州/行业/原因 the narrative names


def min_reporting_rate() -> float:
    """SME_REPORT_MIN_REPORTING_RATE (0–1, default 0.8): the default month is the latest whose 报送率 reached it."""
    raw = os.environ.get("SME_REPORT_MIN_REPORTING_RATE", "").strip()
    if not raw:
        return DEFAULT_MIN_REPORTING_RATE
    value = float(raw)
    if value > 1:  # given in per cent
        value /= 100
    return value
