"""The report's Chinese number style (reports/fmt.py) on edge values, written out by hand."""

from __future__ import annotations

import pytest

from reports import fmt


@pytest.mark.parametrize(
    ("wan", "text"),
    [
        (0, "0.0万元"),
        (9999.94, "9999.9万元"),  # still below 1 亿 after rounding
        (9999.96, "1.00亿元"),  # rounds to 10000.0 万元 = 1 亿: printed in 亿元
        (10000, "1.00亿元"),
        (123456.7, "12.35亿元"),
        (-25000, "-2.50亿元"),
        (-0.04, "0.0万元"),  # no '-0.0'
    ],
)
def test_amount_switches_to_yi_from_one_yi(wan, text):
    assert fmt.amount(wan) == text


@pytest.mark.parametrize(
    ("share", "text"), [(0.1234, "12.3%"), (0.12345, "12.3%"), (0.12351, "12.4%"), (1, "100.0%"), (0, "0.0%")]
)
def test_pct_one_decimal(share, text):
    assert fmt.pct(share) == text


@pytest.mark.parametrize(
    ("share", "text"), [(0.99967, "99.97%"), (0.9996, "99.96%"), (0.99949, "99.9%"), (0.0003, "0.03%")]
)
def test_pct_never_rounds_to_whole_or_nothing(share, text):
    """2 999 of 3 000 reported is not 100.0 %: one more decimal when one decimal would round to 100.0 % or 0.0 %."""
    assert fmt.pct(share) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (0.053, "同比增长5.3%"),
        (-0.021, "同比下降2.1%"),
        (0.0004, "同比持平"),  # rounds to 0.0 %
        (-0.0004, "同比持平"),
        (0.00051, "同比增长0.1%"),
        (-1.0, "同比下降100.0%"),
    ],
)
def test_growth_sign_in_words(rate, text):
    assert fmt.growth(rate) == text


def test_month_on_month_prefix():
    assert fmt.growth(0.119, "环比") == "环比增长11.9%"


@pytest.mark.parametrize(
    ("diff", "text"),
    [(0.012, "上升1.2个百分点"), (-0.008, "下降0.8个百分点"), (0.0004, "持平"), (-0.025, "下降2.5个百分点")],
)
def test_share_change_in_percentage_points(diff, text):
    assert fmt.share_change(diff) == text


@pytest.mark.parametrize(
    ("diff", "word"),
    [
        (0.0049, "基本持平"),  # 0.49 个百分点 < 0.5
        (-0.0049, "基本持平"),
        (0.005, "有所上升"),  # on the edge: 0.5 个百分点 is no longer 持平
        (-0.005, "有所下降"),
        (0.0199, "有所上升"),
        (0.02, "明显上升"),  # on the edge: 2 个百分点
        (-0.02, "明显下降"),
    ],
)
def test_trend_words_for_shares(diff, word):
    assert fmt.trend_pp(diff) == word


@pytest.mark.parametrize(
    ("rate", "word"),
    [(0.0049, "基本持平"), (0.005, "有所增长"), (-0.005, "有所下降"), (0.05, "明显增长"), (-0.05, "明显下降")],
)
def test_trend_words_for_growth(rate, word):
    assert fmt.trend_growth(rate) == word


@pytest.mark.parametrize(("v", "word"), [(101, "位于景气区间"), (100.5, "在临界值附近"), (99, "位于不景气区间")])
def test_index_against_the_line(v, word):
    assert fmt.trend_index(v) == word


def test_energy_and_points():
    assert fmt.energy(54800) == "5.48亿千瓦时"
    assert fmt.energy(512.34) == "512.3万千瓦时"
    assert fmt.points_change(0.74) == "上升0.7点"
    assert fmt.points_change(-0.04) == "持平"


def test_min_reporting_rate_setting(monkeypatch):
    from reports import settings

    monkeypatch.delenv("SME_REPORT_MIN_REPORTING_RATE", raising=False)
    assert settings.min_reporting_rate() == 0.8
    monkeypatch.setenv("SME_REPORT_MIN_REPORTING_RATE", "0.9")
    assert settings.min_reporting_rate() == 0.9
    monkeypatch.setenv("SME_REPORT_MIN_REPORTING_RATE", "75")
    assert settings.min_reporting_rate() == 0.75
