"""Chinese number style of the report: 亿元 from 1 亿 up (the marts are in 万元), one decimal for %, 百分点 for
differences of shares, 增长/下降 with the sign in words. Every formatter returns exactly the text the report prints."""

from __future__ import annotations

import math

from reports import settings


def _round_half_up(x: float, digits: int) -> float:
    q = 10**digits
    return math.floor(abs(x) * q + 0.5) / q * (1 if x >= 0 else -1)


def num(x: float, digits: int = 1) -> str:
    """Thousands separators off (Chinese reports write 12345.6), fixed decimals, no '-0.0'."""
    r = _round_half_up(x, digits)
    if r == 0:
        r = 0.0
    return f"{r:.{digits}f}"


def amount(wan: float) -> str:
    """An amount in 万元: from 1 亿 (10 000 万元) up in 亿元 with two decimals, below in 万元 with one decimal."""
    if abs(_round_half_up(wan, 1)) >= 10000:
        return f"{num(wan / 10000, 2)}亿元"
    return f"{num(wan, 1)}万元"


def count(n: float, unit: str = "户") -> str:
    return f"{int(round(n))}{unit}"


def pct(share: float) -> str:
    """A share as a fraction (0.123) → '12.3%'. A share that is not whole never reads 100.0% (or 0.0%): 0.99967 →
    '99.97%', so a 报送率 with one firm missing does not look complete."""
    text = num(share * 100, 1)
    if (text == "100.0" and share < 1) or (text == "0.0" and share > 0):
        return f"{num(share * 100, 2)}%"
    return f"{text}%"


def pp(diff: float) -> str:
    """A difference of two shares (fractions) in 百分点, unsigned: 0.012 → '1.2个百分点'."""
    return f"{num(abs(diff) * 100, 1)}个百分点"


def index(v: float) -> str:
    return num(v, 1)


def growth(rate: float, prefix: str = "同比") -> str:
    """A growth rate (fraction) with the sign in words: 0.053 → '同比增长5.3%', -0.021 → '同比下降2.1%',
    anything that rounds to 0.0 → '同比持平'."""
    r = _round_half_up(rate * 100, 1)
    if r == 0:
        return f"{prefix}持平"
    return f"{prefix}{'增长' if r > 0 else '下降'}{num(abs(r), 1)}%"


def share_change(diff: float) -> str:
    """A change of a share with its word: '上升1.2个百分点' / '下降0.8个百分点' / '持平'."""
    r = _round_half_up(diff * 100, 1)
    if r == 0:
        return "持平"
    return f"{'上升' if r > 0 else '下降'}{pp(diff)}"


def trend_pp(diff: float) -> str:
    """The verdict word for a change of a share, by the thresholds in settings (FLAT_PP, MARKED_PP)."""
    d = abs(diff) * 100
    if d < settings.FLAT_PP:
        return "基本持平"
    if d < settings.MARKED_PP:
        return "有所上升" if diff > 0 else "有所下降"
    return "明显上升" if diff > 0 else "明显下降"


def trend_growth(rate: float) -> str:
    """The verdict word for a growth rate, by FLAT_GROWTH and MARKED_GROWTH."""
    a = abs(rate)
    if a < settings.FLAT_GROWTH:
        return "基本持平"
    if a < settings.MARKED_GROWTH:
        return "有所增长" if rate > 0 else "有所下降"
    return "明显增长" if rate > 0 else "明显下降"


def trend_index(v: float) -> str:
    if v >= settings.INDEX_LINE + settings.INDEX_BAND:
        return "位于景气区间"
    if v <= settings.INDEX_LINE - settings.INDEX_BAND:
        return "位于不景气区间"
    return "在临界值附近"


def month_cn(ym: str) -> str:
    """'2025-12' → '2025年12月'."""
    y, m = ym.split("-")
    return f"{int(y)}年{int(m)}月"


FORMATS = {
    "amount": amount,
    "count": count,
    "pct": pct,
    "pp": pp,
    "index": index,
    "growth": growth,
    "mom": lambda r: growth(r, "环比"),
    "share_change": share_change,
    "num1": lambda v: num(v, 1),
}


def energy(wan_kwh: float) -> str:
    """Electricity in 万千瓦时: from 1 亿千瓦时 up in 亿千瓦时 with two decimals."""
    if abs(_round_half_up(wan_kwh, 1)) >= 10000:
        return f"{num(wan_kwh / 10000, 2)}亿千瓦时"
    return f"{num(wan_kwh, 1)}万千瓦时"


def points_change(diff: float) -> str:
    """A change of an index in 点: '上升1.2点' / '下降0.4点' / '持平'."""
    r = _round_half_up(diff, 1)
    if r == 0:
        return "持平"
    return f"{'上升' if r > 0 else '下降'}{num(abs(r), 1)}点"


FORMATS.update(
    energy=energy,
    points_change=points_change,
    firms=lambda n: count(n, "家"),
    cases=lambda n: count(n, "笔"),
    items=lambda n: count(n, "项"),
    alerts=lambda n: count(n, "条"),
)
