"""The contract's rules through the real reader and DuckDB validator, on small files made here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from sme_testing import write_csv

from ingest import uscc
from ingest.contract import ARREARS, ENTERPRISES, FINANCING, OPERATING
from ingest.loader import check_file, collect_errors

TODAY = dt.date(2026, 11, 26)
U1 = uscc.make("420100", "MA4K0001")
U2 = uscc.make("420102", "MA4K0002")


def check(path: Path, source: str):
    con = duckdb.connect()
    result, _, template = check_file(con, path, source, path.parent / "work", today=TODAY)
    errors = collect_errors(con, template) if template else result.errors
    typed = con.execute("SELECT * FROM __checked ORDER BY __line").df() if template else None
    return result, errors, typed


def op_row(**kw) -> dict:
    base = dict(
        uscc=U1,
        name="甲公司",
        period="202403",
        revenue_month="100",
        revenue_ytd="300",
        main_revenue_ytd="250",
        total_assets="1000",
        sent_overall="好转",
    )
    base.update(kw)
    return base


@pytest.mark.parametrize("period", ["202403", "2024-03", "2024年3月", "2024.03", "2024-3", "2024年03月"])
def test_period_forms(tmp_path, period):
    r, errors, typed = check(write_csv(tmp_path / "p.csv", OPERATING, [op_row(period=period)]), "operating")
    assert errors == []
    assert typed["period"].iloc[0] == pd_date(2024, 3, 1)


def pd_date(y, m, d):
    import pandas as pd

    return pd.Timestamp(y, m, d)


@pytest.mark.parametrize("bad", ["2024-13", "24-03", "二〇二四年三月", "2024/03/15x"])
def test_bad_periods(tmp_path, bad):
    r, errors, _ = check(write_csv(tmp_path / "p.csv", OPERATING, [op_row(period=bad)]), "operating")
    assert [(e.row, e.column, e.code) for e in errors] == [(2, "period", "period_invalid")]


def test_future_period(tmp_path):
    r, errors, _ = check(write_csv(tmp_path / "p.csv", OPERATING, [op_row(period="202612")]), "operating")
    assert [e.code for e in errors] == ["period_future"]


@pytest.mark.parametrize("value", ["2024-03-31", "2024/3/31", "2024年3月31日", "20240331", "45382"])
def test_date_forms(tmp_path, value):
    row = dict(
        as_of=value, case_id="C1", creditor_uscc=U1, debtor_name="某局", amount="10", repaid="0", status="未清偿"
    )
    r, errors, typed = check(write_csv(tmp_path / "a.csv", ARREARS, [row]), "arrears")
    assert errors == []
    assert typed["as_of"].iloc[0] == pd_date(2024, 3, 31)


def test_units_percent_and_thousands(tmp_path):
    headers = {"revenue_ytd": "营业收入累计（元）", "total_assets": "资产总计(亿元)"}
    row = op_row(
        revenue_month="100",
        revenue_ytd="3,000,000",
        main_revenue_ytd="250",
        total_assets="1.5",
        capacity_utilisation_pct="85.5%",
    )
    r, errors, typed = check(write_csv(tmp_path / "u.csv", OPERATING, [row], headers=headers), "operating")
    assert errors == []
    assert typed["revenue_ytd"].iloc[0] == pytest.approx(300.0)
    assert typed["total_assets"].iloc[0] == pytest.approx(15000.0)
    assert typed["capacity_utilisation_pct"].iloc[0] == pytest.approx(85.5)


def test_multi_values_and_bools(tmp_path):
    row = dict(
        uscc=U1,
        name="甲",
        division_code="420102",
        industry_code="C3484",
        founded_on="2010-01-01",
        profile_year="2024",
        is_above_scale="Y",
        quality_items="自主品牌；质量管理体系认证|参与标准制定",
        product_domains="六基、补短板",
    )
    r, errors, typed = check(write_csv(tmp_path / "e.csv", ENTERPRISES, [row]), "enterprises")
    assert errors == []
    assert typed["industry_code"].iloc[0] == "3484"
    assert bool(typed["is_above_scale"].iloc[0]) is True
    assert sorted(typed["quality_items"].iloc[0]) == sorted(["自主品牌", "质量管理体系认证", "参与标准制定"])


@pytest.mark.parametrize(
    ("changes", "column", "code"),
    [
        ({"uscc": ""}, "uscc", "required_missing"),
        ({"uscc": U1[:-1] + ("0" if U1[-1] != "0" else "1")}, "uscc", "uscc_invalid"),
        ({"division_code": "430100"}, "division_code", "division_unknown"),
        ({"division_code": "420400"}, "division_code", "division_unknown"),
        ({"industry_code": "9999"}, "industry_code", "industry_unknown"),
        ({"industry_code": "A3484"}, "industry_code", "industry_unknown"),
        ({"founded_on": "去年"}, "founded_on", "not_a_date"),
        ({"rd_staff": "十二"}, "rd_staff", "not_a_number"),
        ({"current_title": "国家级"}, "current_title", "enum_invalid"),
        ({"product_domains": "六基;火箭"}, "product_domains", "enum_invalid"),
        ({"niche_share_pct": "120"}, "niche_share_pct", "out_of_range"),
        ({"niche_since_year": "2030"}, "niche_since_year", "inconsistent"),
        ({"ip_class1": "1", "ip_class1_self": "2"}, "ip_class1_self", "inconsistent"),
        ({"current_title": "专精特新"}, "title_year", "required_missing"),
    ],
)
def test_each_enterprise_rule_gives_one_code(tmp_path, changes, column, code):
    row = dict(
        uscc=U1,
        name="甲",
        division_code="420102",
        industry_code="3484",
        founded_on="2010-01-01",
        profile_year="2024",
        current_title="无",
    )
    row.update(changes)
    r, errors, _ = check(write_csv(tmp_path / "e.csv", ENTERPRISES, [row]), "enterprises")
    assert [(e.row, e.column, e.code) for e in errors] == [(2, column, code)]
    assert r.rows_read == 1 and r.rows_quarantined == 1 and r.rows_loaded == 0


def test_type_failure_suppresses_cross_rules(tmp_path):
    r, errors, _ = check(write_csv(tmp_path / "p.csv", OPERATING, [op_row(revenue_ytd="abc")]), "operating")
    assert [(e.column, e.code) for e in errors] == [("revenue_ytd", "not_a_number")]


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"repaid": "20", "status": "诉讼中"}, "repaid"),
        ({"status": "已清偿", "repaid": "5"}, "status"),
        ({"status": "未清偿", "repaid": "5"}, "status"),
        ({"status": "部分清偿", "repaid": "0"}, "status"),
        ({"delivered_on": "2024-05-01", "accepted_on": "2024-04-01"}, "accepted_on"),
    ],
)
def test_arrears_cross_rules(tmp_path, changes, column):
    row = dict(
        as_of="2024-06-30", case_id="C1", creditor_uscc=U1, debtor_name="某局", amount="10", repaid="0", status="未清偿"
    )
    row.update(changes)
    r, errors, _ = check(write_csv(tmp_path / "a.csv", ARREARS, [row]), "arrears")
    assert [(e.column, e.code) for e in errors] == [(column, "inconsistent")]


def test_financing_rules(tmp_path):
    ok = dict(
        record_id="F1",
        uscc=U1,
        applied_on="2024-01-05",
        amount_applied="100",
        decision="获批",
        amount_approved="80",
        rate_pct="3.85%",
    )
    refused_with_money = dict(ok, record_id="F2", decision="拒绝", amount_approved="10")
    too_much = dict(ok, record_id="F3", amount_approved="150")
    usurious = dict(ok, record_id="F4", rate_pct="40")
    r, errors, _ = check(
        write_csv(tmp_path / "f.csv", FINANCING, [ok, refused_with_money, too_much, usurious]), "financing"
    )
    assert [(e.row, e.column, e.code) for e in errors] == [
        (3, "amount_approved", "inconsistent"),
        (4, "amount_approved", "inconsistent"),
        (5, "rate_pct", "out_of_range"),
    ]
    assert (r.rows_read, r.rows_loaded, r.rows_quarantined) == (4, 1, 3)


def test_skipped_rows_duplicates_and_accounting(tmp_path):
    rows = [op_row(), op_row(uscc=U2), {}, op_row(period="2024-03", revenue_month="90")]
    path = write_csv(
        tmp_path / "s.csv",
        OPERATING,
        rows,
        above=["湖北省中小企业运行监测月报（2024年3月）", ""],
        below=["合计,,,190", "填报说明：金额单位为万元"],
        encoding="gb18030",
    )
    r, errors, _ = check(path, "operating")
    assert r.header_row == 3
    assert r.skipped == {"blank": 1, "note": 1, "total": 1}
    assert [(e.row, e.code) for e in errors] == [(7, "duplicate_in_file")]
    assert r.rows_read == r.rows_loaded + r.rows_quarantined + r.rows_skipped == 6
    assert r.encoding == "gb18030"


def test_ragged_row_extra_values_are_not_lost(tmp_path):
    path = write_csv(tmp_path / "r.csv", OPERATING, [op_row()])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(",".join([U2, "乙", "202403"] + [""] * (len(OPERATING.fields) - 3) + ["多出来的值"]) + "\n")
    r, errors, _ = check(path, "operating")
    assert [(e.row, e.code, e.value) for e in errors] == [(3, "inconsistent", "多出来的值")]


def test_duplicate_error_keeps_its_place_among_the_rows_errors(tmp_path):
    """duplicate_in_file is added after the row's own checks and before a ragged row's extra cells."""
    path = write_csv(tmp_path / "d.csv", OPERATING, [op_row(), op_row(revenue_month="x"), op_row(uscc=U2)])
    with open(path, "a", encoding="utf-8") as fh:
        cells = [op_row(uscc=U2).get(f.name, "") for f in OPERATING.fields]
        fh.write(",".join(cells + ["多出来的值"]) + "\n")
    r, errors, typed = check(path, "operating")
    assert [(e.row, e.code) for e in errors] == [
        (3, "not_a_number"),
        (3, "duplicate_in_file"),
        (5, "duplicate_in_file"),
        (5, "inconsistent"),
    ]
    assert (r.rows_loaded, r.rows_quarantined) == (2, 2)
    assert not any(c.startswith(("v_", "__bad_")) for c in typed.columns)


def test_xlsx_column_text_is_cell_text():
    from ingest.reader import _cell_text, _column_text

    values = [
        0.0,
        -0.0,
        1.0,
        2.5,
        1e15,
        1e15 - 1,
        -1e15,
        -1e15 + 1,
        1e20,
        0.1,
        float("inf"),
        float("-inf"),
        float("nan"),
        "",
        " ",
        "文本",
        None,
        True,
        False,
        7,
        dt.date(2024, 3, 31),
        dt.datetime(2024, 3, 31, 8, 5),
        dt.datetime(2024, 3, 31),
        dt.timedelta(hours=1),
    ]
    assert _column_text(values) == [_cell_text(v) for v in values]


def test_missing_required_column_rejects_file(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("企业名称,报告期\n甲,202403\n乙,202403\n", encoding="utf-8")
    r, errors, _ = check(path, "operating")
    assert r.status == "rejected"
    assert [e.code for e in errors] == ["column_missing"]
    assert r.rows_read == r.rows_quarantined == 2


def test_unreadable_and_headerless(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a spreadsheet")
    r, errors, _ = check(fake, "operating")
    assert [e.code for e in errors] == ["file_unreadable"]
    nohead = tmp_path / "nohead.csv"
    nohead.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    r, errors, _ = check(nohead, "operating")
    assert [e.code for e in errors] == ["header_not_found"]


def test_xlsx_with_title_rows_dates_and_formulas(tmp_path):
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, "拖欠中小企业账款台账")
    for j, f in enumerate(ARREARS.fields):
        ws.write_string(2, j, f.header)
    cols = {f.name: j for j, f in enumerate(ARREARS.fields)}
    ws.write_datetime(3, cols["as_of"], dt.datetime(2024, 6, 30), datefmt)
    ws.write_string(3, cols["case_id"], "C-1")
    ws.write_string(3, cols["creditor_uscc"], U1)
    ws.write_string(3, cols["debtor_name"], '=HYPERLINK("x")')
    ws.write_number(3, cols["amount"], 12.5)
    ws.write_formula(3, cols["repaid"], "=B1*0", None, 0)
    ws.write_string(3, cols["status"], "未清偿")
    wb.close()
    r, errors, typed = check(path, "arrears")
    assert errors == []
    assert r.header_row == 3
    assert typed["as_of"].iloc[0] == pd_date(2024, 6, 30)
    assert typed["debtor_name"].iloc[0] == '=HYPERLINK("x")'
    assert typed["repaid"].iloc[0] == 0


@pytest.mark.parametrize(
    ("value", "ok"), [("12", True), ("12.0", True), ("1,200", True), ("12.5", False), ("0x10", False), ("1_000", False)]
)
def test_integer_cells_are_strict(tmp_path, value, ok):
    row = op_row(employees=value)
    r, errors, typed = check(write_csv(tmp_path / "i.csv", OPERATING, [row]), "operating")
    assert (errors == []) is ok, errors
    if not ok:
        assert [(e.column, e.code) for e in errors] == [("employees", "not_a_number")]


@pytest.mark.parametrize(
    ("value", "ok"), [("1e3", True), (".5", True), ("-3.25", True), ("nan", False), ("inf", False), ("1.2.3", False)]
)
def test_decimal_cells(tmp_path, value, ok):
    r, errors, typed = check(write_csv(tmp_path / "d.csv", OPERATING, [op_row(profit_ytd=value)]), "operating")
    assert (errors == []) is ok, errors


def test_unrecognised_column_on_the_right_is_ignored_not_an_error(tmp_path):
    path = write_csv(tmp_path / "n.csv", OPERATING, [op_row()])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] += ",备注"
    lines[1] += ",请核实"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r, errors, _ = check(path, "operating")
    assert errors == []
    assert r.unrecognised_columns == ["备注"]


def test_company_name_starting_with_a_note_word_is_data(tmp_path):
    r, errors, _ = check(
        write_csv(tmp_path / "z.csv", OPERATING, [op_row(uscc="", name="注塑科技有限公司")]), "operating"
    )
    assert r.rows_skipped == 0
    assert [(e.column, e.code) for e in errors] == [("uscc", "required_missing")]


# ----------------------------------------------------------------------------- real county forms (issue 14)
PHONE = "13912345678"


@pytest.mark.parametrize(
    "sign_off",
    [
        "单位负责人：张三\u3000统计负责人：李四\u3000填表人：王五\u3000报出日期：2024年4月8日\u3000联系电话：" + PHONE,
        "单位负责人,张三,,统计负责人,李四,填表人,王五",  # labels alone in their cells, no colon
        ",,联系电话：," + PHONE,  # the first cells empty
        "电话：" + PHONE,
        "联系人：王五,电话：," + PHONE,
        "填 表 人：王五,手机：" + PHONE,  # spaces inside the label
        "报出日期：2024-04-08",
    ],
)
def test_sign_off_rows_are_note_rows(tmp_path, sign_off):
    path = write_csv(tmp_path / "s.csv", OPERATING, [op_row()], below=[sign_off])
    r, errors, typed = check(path, "operating")
    assert errors == [] and (r.rows_read, r.rows_loaded, r.rows_skipped) == (2, 1, 1)
    assert r.skipped == {"note": 1}
    assert typed["__skip"].fillna("").tolist() == ["", "note"]
    assert PHONE not in typed.loc[typed["__skip"].isna()].to_string()  # what loads; the warehouse: test_corpus


@pytest.mark.parametrize("name", ["电话设备厂", "联系人力资源服务有限公司", "负责人之家餐饮店"])
def test_a_name_that_starts_like_a_short_sign_off_label_is_data(tmp_path, name):
    """电话/联系人/负责人 count as a sign-off label only with a colon or alone in the cell: a row that has lost its
    USCC but names such a firm is quarantined (required_missing), never silently skipped."""
    r, errors, _ = check(write_csv(tmp_path / "z.csv", OPERATING, [op_row(uscc="", name=name)]), "operating")
    assert r.rows_skipped == 0
    assert [(e.column, e.code) for e in errors] == [("uscc", "required_missing")]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"revenue_ytd": "１２３４．５０"}, {"revenue_ytd": 1234.5}),
        ({"profit_ytd": "－１２．５"}, {"profit_ytd": -12.5}),
        ({"period": "２０２４．０３"}, {"period": pd_date(2024, 3, 1)}),
        ({"uscc": "".join(chr(ord(c) + 0xFEE0) for c in U1)}, {"uscc": U1}),
        ({"capacity_utilisation_pct": "８５％"}, {"capacity_utilisation_pct": 85.0}),
        ({"employees": "\u3000３５\u3000"}, {"employees": 35}),
        ({"sent_overall": " 好转\u3000"}, {"sent_overall": "好转"}),
        ({"name": "\u3000甲公司（ＡＢＣ）"}, {"name": "甲公司（ＡＢＣ）"}),  # free text: as sent, trimmed
    ],
)
def test_cells_are_nfkc_normalised_before_parsing(tmp_path, changes, expected):
    r, errors, typed = check(write_csv(tmp_path / "w.csv", OPERATING, [op_row(**changes)]), "operating")
    assert errors == []
    for column, value in expected.items():
        assert typed[column].iloc[0] == (pytest.approx(value) if isinstance(value, float) else value)


@pytest.mark.parametrize(
    ("code", "ok"),
    [("420000", True), ("420100", True), ("420102", True), ("429021", True), ("430000", False), ("420001", False)],
)
def test_province_level_division_is_valid_for_arrears_only(tmp_path, code, ok):
    row = dict(as_of="2024-06-30", case_id="C1", creditor_uscc=U1, debtor_name="湖北省某厅", debtor_type="机关",
               division_code=code, amount="10", repaid="0", status="未清偿")  # fmt: skip
    r, errors, _ = check(write_csv(tmp_path / "a.csv", ARREARS, [row]), "arrears")
    assert [e.code for e in errors] == ([] if ok else ["division_unknown"])
    ent = dict(uscc=U1, name="甲", division_code=code, industry_code="3484", founded_on="2010-01-01",
               profile_year="2024")  # fmt: skip
    r, errors, _ = check(write_csv(tmp_path / "e.csv", ENTERPRISES, [ent]), "enterprises")
    assert [e.code for e in errors] == ([] if ok and code != "420000" else ["division_unknown"])


def test_industry_seed_is_consistent_with_the_divisions_seed():
    """ref_industry_classes.csv (the class list ingest checks against) agrees with ref_industry_divisions.csv."""
    import csv

    from ingest.rules import SEEDS_DIR, industry_classes

    classes = industry_classes()
    assert len(classes) >= 1381
    with open(SEEDS_DIR / "ref_industry_classes.csv", encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    for code in classes:
        assert (
            len(code) == 4
            and code.isdigit()
            and rows[code]["parent"] == code[:3]
            and rows[code[:3]]["parent"] == code[:2]
        )
    with open(SEEDS_DIR / "ref_industry_divisions.csv", encoding="utf-8") as fh:
        divisions = {r["division_code"]: r["section_code"] for r in csv.DictReader(fh)}
    for code, section in classes.items():
        assert divisions[code[:2]] == section, code
    assert {"7010", "7020"} <= set(classes)  # the size classes (real_estate_dev, property_mgmt) key on them


def test_sample_generator_emits_only_real_industry_classes():
    """Every 行业代码 the sample can write is a GB/T 4754-2017 class: the demo does not quarantine its own firms."""
    from ingest.rules import industry_classes
    from sample.world.industries import CLASSES, DIVISION_WEIGHTS

    classes = industry_classes()
    emitted = {c for d in DIVISION_WEIGHTS for c in CLASSES.get(d, f"{d:02d}10 {d:02d}20 {d:02d}90").split()}
    assert len(emitted) > 100
    assert sorted(emitted - set(classes)) == []
