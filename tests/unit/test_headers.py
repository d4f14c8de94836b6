import pytest

from ingest.contract import ARREARS, OPERATING, TEMPLATES
from ingest.headers import find_header_row, guess_source, match_headers, normalise, split_unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("营业收入累计（万元）", "营业收入累计(万元)"),
        (" 营业收入 累计 (万元) ", "营业收入累计(万元)"),
        ("其中：逾期应收账款(万元)", "逾期应收账款(万元)"),
        ("其中:逾期应收账款（万元）", "逾期应收账款(万元)"),
        ("Revenue_YTD", "revenue_ytd"),
        ("ＵＳＣＣ", "uscc"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


def test_split_unit():
    assert split_unit("营业收入累计(万元)") == ("营业收入累计", "万元")
    assert split_unit("企业名称") == ("企业名称", None)


@pytest.mark.parametrize(("unit", "scale"), [("万元", 1.0), ("元", 0.0001), ("亿元", 10000.0)])
def test_money_unit_scales(unit, scale):
    hm = match_headers([f"营业收入累计（{unit}）", "统一社会信用代码"], OPERATING)
    assert hm.matches["revenue_ytd"].scale == scale
    assert hm.matches["uscc"].index == 1


def test_unknown_money_unit_is_not_matched():
    hm = match_headers(["营业收入累计(千元)"], OPERATING)
    assert "revenue_ytd" not in hm.matches
    assert hm.unrecognised == ["营业收入累计(千元)"]


def test_canonical_english_headers_match():
    hm = match_headers(["uscc", "period", "REVENUE_YTD", "capacity_utilisation_pct"], OPERATING)
    assert set(hm.matches) == {"uscc", "period", "revenue_ytd", "capacity_utilisation_pct"}


def test_header_row_below_title_rows():
    rows = [["湖北省中小企业运行监测月报（2024年3月）"], [], [f.header for f in OPERATING.fields], ["x"] * 5]
    idx, hm = find_header_row(rows, OPERATING)
    assert idx == 2
    assert hm.count == len(OPERATING.fields)


def test_no_header_found():
    assert find_header_row([["a", "b"], ["1", "2"]], OPERATING) is None


def test_guess_source():
    rows = [[f.header for f in ARREARS.fields]]
    assert guess_source(rows, TEMPLATES) == "arrears"


def test_period_and_percent_columns_are_found_by_header_for_the_xlsx_reader():
    """The xlsx reader looks at number formats only in (%) columns and turns date cells into months only in period
    columns; both are recognised from the header cell, in any of its accepted spellings."""
    from ingest.reader import _column_roles

    preview = [
        ["湖北省中小企业运行监测月报"],
        ["统一社会信用代码", "报 告 期", "产能利用率（％）", "营业收入(万元)", "Period", "年化利率(%)"],
    ]
    period, percent = _column_roles(preview)
    assert period == {1: 1, 4: 1}
    assert percent == {2: 1, 5: 1}


@pytest.mark.parametrize(
    ("value", "shown"), [(0.0385, "3.85%"), (1.2, "120%"), (0.855, "85.5%"), (0, "0%"), (1, "100%"), ("3.85", None)]
)
def test_percent_cell_text_is_the_percent_shown(value, shown):
    from ingest.reader import _percent_text

    assert _percent_text(value) == shown
