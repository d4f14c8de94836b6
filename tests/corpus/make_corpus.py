"""Write the bad-input corpus and its expected outcomes: `python tests/corpus/make_corpus.py [OUT_DIR]`.

Every file is described here together with what the pipeline must do with it. The expectations are
declared by hand, row by row (they are never computed by running the validator): each data row carries
the (column, code) pairs it must be quarantined with, and the generator numbers the rows exactly as a
person sees them in Excel. `expected.json` is the result; `tests/integration/test_corpus.py` checks every file
against it through `sme-monitor validate --json` and through the real loader.

Deterministic: running it twice gives the same bytes for every csv and the same expected.json
(xlsx files carry fixed document dates). The generated files are committed next to this script.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest import uscc  # noqa: E402
from ingest.contract import TEMPLATES  # noqa: E402

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2024, 1, 1)
FUTURE = "209912"  # always after "today": period_future regardless of when the tests run

U = [uscc.make("420100", f"MA4K{i:04d}") for i in range(1, 80)]  # valid codes
BAD_USCC = U[0][:-1] + ("0" if U[0][-1] != "0" else "1")  # check character changed
DEBTOR = uscc.make("420100", "00000001", registration="1", kind="1")

# Personal data: values that must never reach serving.duckdb or a receipt.
PERSONAL = {"contact_name": [], "contact_phone": []}
# What the sign-off rows below the forms hold (names, phone digits): never in raw.*, raw.quarantine or a receipt.
SIGN_OFF = {
    "names": ["张建国", "李红", "王小明", "赵六"],
    "phone_digits": ["13907141234", "87651234", "18627009876", "13807165432"],
}


def fw(text: str) -> str:
    """The full-width form of ASCII text, as a Chinese input method types it (１２３４．５０, Ｃ３４８４)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch) for ch in text)


def person(i: int) -> dict:
    name, phone = f"联系人欧阳{i:03d}", f"139{i:08d}"
    PERSONAL["contact_name"].append(name)
    PERSONAL["contact_phone"].append(phone)
    return {"contact_name": name, "contact_phone": phone}


# ----------------------------------------------------------------------------- row items
@dataclass
class Row:
    """A data row: values by field name (or a raw list of cells), and what must happen to it."""

    values: dict | list
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, code)
    check: dict = field(default_factory=dict)  # column -> expected loaded value


@dataclass
class Skip:
    kind: str  # blank | note | total
    cells: list = field(default_factory=list)


@dataclass
class Above:
    """A line above the header row (title); not counted as a data row."""

    cells: list


def ent(i: int, **kw) -> dict:
    d = dict(
        uscc=U[i],
        name=f"湖北测试科技有限公司{i:02d}",
        division_code="420102",
        industry_code="3484",
        founded_on="2010-05-01",
        profile_year="2024",
        is_above_scale="是",
        current_title="无",
    )
    d.update(person(i))
    d.update(kw)
    return d


def op(i: int, **kw) -> dict:
    d = dict(
        uscc=U[i],
        name=f"湖北测试科技有限公司{i:02d}",
        period="202403",
        revenue_month="100",
        revenue_ytd="300",
        main_revenue_ytd="250",
        cost_ytd="200",
        profit_ytd="20",
        total_assets="1000",
        receivables="50",
        employees="35",
        capacity_utilisation_pct="80",
        sent_overall="好转",
    )
    d.update(kw)
    return d


def arr(i: int, **kw) -> dict:
    d = dict(
        as_of="2024-06-30",
        case_id=f"QK-2024-{i:04d}",
        creditor_uscc=U[i],
        creditor_name=f"湖北测试科技有限公司{i:02d}",
        debtor_name="某县住房和城乡建设局",
        debtor_type="机关",
        division_code="420102",
        delivered_on="2023-01-10",
        accepted_on="2023-02-01",
        amount="120",
        disputed="否",
        repaid="0",
        status="未清偿",
    )
    d.update(kw)
    return d


def fin(i: int, **kw) -> dict:
    d = dict(
        record_id=f"RZ-{i:05d}",
        uscc=U[i],
        channel="信用贷款",
        provider="某银行湖北省分行",
        provider_type="国有大型银行",
        applied_on="2024-01-05",
        amount_applied="100",
        decision="获批",
        amount_approved="80",
        disbursed_on="2024-01-20",
        rate_pct="3.85",
        term_months="12",
        inclusive_small_micro="是",
    )
    d.update(kw)
    return d


# ----------------------------------------------------------------------------- cases
@dataclass
class Case:
    file: str
    source: str
    describe: str
    items: list = field(default_factory=list)
    columns: list[str] | None = None  # field names in order (default: the template's order)
    headers: dict = field(default_factory=dict)  # field name -> header text as written
    extra_headers: list[str] = field(default_factory=list)  # unrecognised headers appended at the right
    encoding: str = "utf-8"
    delimiter: str = ","
    header_at: int | None = None  # xlsx: 1-based row of the header (default: after Above rows)
    col_offset: int = 0  # xlsx: empty columns left of the table
    sheet: str = "Sheet1"
    sheets_before: list[str] = field(default_factory=list)  # xlsx: sheets before the data sheet
    sheets_after: list[str] = field(default_factory=list)
    # openpyxl writer only: (name, kind) sheets around the data sheet; kind is cover | instructions | hidden | appendix
    workbook_before: list[tuple[str, str]] = field(default_factory=list)
    workbook_after: list[tuple[str, str]] = field(default_factory=list)
    writer: str = "xlsxwriter"  # xlsx: openpyxl writes formulas without a cached value, xlsxwriter caches 0
    xlsx_cells: dict = field(
        default_factory=dict
    )  # (data row index, field) -> ("date"|"number"|"formula"|"string", value[, cached])
    expect: dict = field(default_factory=dict)  # extra expectations (encoding, unrecognised, warnings …)

    @property
    def template(self):
        return TEMPLATES[self.source]

    def cols(self) -> list[str]:
        return self.columns or [f.name for f in self.template.fields]

    def header_cells(self) -> list[str]:
        return [self.headers.get(c, self.template.field(c).header) for c in self.cols()] + self.extra_headers

    def row_cells(self, item) -> list:
        if isinstance(item, Row):
            if isinstance(item.values, list):
                return item.values
            return [item.values.get(c, "") for c in self.cols()]
        return list(item.cells)


def expected_for(case: Case, header_row: int, first_data_row: int) -> dict:
    """Counts and (row, column, code) list from the declared items; rows numbered as Excel shows them."""
    errors, values = [], []
    loaded = quarantined = 0
    skipped: dict[str, int] = {}
    row = first_data_row
    for item in [i for i in case.items if not isinstance(i, Above)]:
        if isinstance(item, Skip):
            skipped[item.kind] = skipped.get(item.kind, 0) + 1
        elif item.errors:
            quarantined += 1
            errors += [[row, c, code] for c, code in item.errors]
        else:
            loaded += 1
            values += [[row, c, v] for c, v in item.check.items()]
        row += 1
    n = loaded + quarantined + sum(skipped.values())
    return {
        "rows_read": n,
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "rows_skipped": sum(skipped.values()),
        "skipped": dict(sorted(skipped.items())),
        "header_row": header_row,
        "status": "loaded" if quarantined == 0 else ("partial" if loaded else "rejected"),
        "file_code": None,
        "errors": sorted(errors, key=lambda e: (e[0], e[1], e[2])),
        "values": values,
        "validate_exit": 0 if quarantined == 0 else 1,
    }


def _csv_cell(v, delim: str) -> str:
    s = "" if v is None else str(v)
    if any(ch in s for ch in (delim, '"', "\n", "\r")):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_csv(case: Case, out: Path) -> dict:
    d = case.delimiter
    lines: list[str] = []
    above = [i for i in case.items if isinstance(i, Above)]
    for a in above:
        lines.append(d.join(_csv_cell(c, d) for c in a.cells))
    lines.append(d.join(_csv_cell(c, d) for c in case.header_cells()))
    header_row = len(lines)
    for item in case.items:
        if isinstance(item, Above):
            continue
        if isinstance(item, Row) and isinstance(item.values, str):
            lines.append(item.values)  # a raw line, written as is
        else:
            lines.append(d.join(_csv_cell(c, d) for c in case.row_cells(item)))
    data = ("\r\n" if case.expect.get("crlf") else "\n").join(lines) + "\n"
    if case.encoding == "utf-8-sig":
        raw = b"\xef\xbb\xbf" + data.encode("utf-8")
    else:
        raw = data.encode(case.encoding)
    (out / case.file).write_bytes(raw)
    # Rows as Excel shows them: a quoted cell with a line break stays in its row.
    return expected_for(case, header_row, header_row + 1)


def write_xlsx(case: Case, out: Path) -> dict:
    import xlsxwriter

    path = out / case.file
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    wb.set_properties({"created": FIXED_TIME})
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for name in case.sheets_before:
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, "填报说明：请在后面的工作表中填写数据，金额单位为万元。")
    ws = wb.add_worksheet(case.sheet)
    r = 0
    for item in case.items:
        if isinstance(item, Above):
            for j, c in enumerate(item.cells):
                if c not in (None, ""):
                    ws.write_string(r, case.col_offset + j, str(c))
            r += 1
    if case.header_at is not None:
        r = case.header_at - 1
    for j, h in enumerate(case.header_cells()):
        ws.write_string(r, case.col_offset + j, h)
    header_row = r + 1
    r += 1
    cols = case.cols()
    data_index = 0
    for item in case.items:
        if isinstance(item, Above):
            continue
        cells = case.row_cells(item)
        for j, v in enumerate(cells):
            name = cols[j] if j < len(cols) else None
            special = case.xlsx_cells.get((data_index, name)) if isinstance(item, Row) else None
            col = case.col_offset + j
            if special:
                kind = special[0]
                if kind == "date":
                    ws.write_datetime(r, col, special[1], datefmt)
                elif kind == "number":
                    ws.write_number(r, col, special[1])
                elif kind == "formula":
                    ws.write_formula(r, col, special[1], None, special[2])
                elif kind == "string":
                    ws.write_string(r, col, special[1])
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws.write_number(r, col, v)
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, col, v, datefmt)
            elif v not in (None, ""):
                ws.write_string(r, col, str(v))
        r += 1
        data_index += 1
    for name in case.sheets_after:
        ws2 = wb.add_worksheet(name)
        ws2.write_string(0, 0, "附表：本表不导入")
        ws2.write_string(1, 0, "统一社会信用代码")
        ws2.write_string(1, 1, "企业名称")
    wb.close()
    return expected_for(case, header_row, header_row + 1)


def write_xlsx_openpyxl(case: Case, out: Path) -> dict:
    """xlsx through openpyxl: formulas without a cached value, number formats, hidden and instruction sheets.

    xlsx_cells kinds: number (value[, number format]), date (value[, number format]), formula (no cached value),
    string. Not byte-deterministic (openpyxl stamps the time); the tests compare xlsx files by content."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    tpl = case.template

    def extra(name: str, kind: str) -> None:
        ws = wb.create_sheet(name)
        if kind == "cover":
            ws["A1"] = f"湖北省{tpl.title}"
            ws["A3"] = "填报单位（盖章）：某县经信局"
        elif kind == "instructions":  # holds column names, as instructions do: it must be passed over by its name
            ws.append(["填报说明"])
            ws.append([f.header for f in tpl.fields[:4]])
            ws.append(["统一社会信用代码填写18位代码", "金额单位为万元", "报告期填写格式为202403"])
        elif kind == "hidden":  # a full table that must not be loaded: hidden sheets are passed over
            ws.append([f.header for f in tpl.fields])
            for i in (70, 71):
                row = op(i) if case.source == "operating" else {}
                ws.append([row.get(f.name, "") for f in tpl.fields])
            ws.sheet_state = "hidden"
        elif kind == "roster":  # a list of firms: part of a header (USCC, name), not the data sheet
            ws.append(["统一社会信用代码", "企业名称", "备注"])
            ws.append([U[72], "湖北测试科技有限公司72", "新增监测企业"])
        elif kind == "appendix":
            ws.append(["附表：本表不导入"])
            ws.append([f.header for f in tpl.fields[:3]])

    for name, kind in case.workbook_before:
        extra(name, kind)
    ws = wb.create_sheet(case.sheet)
    r = 1
    for item in case.items:
        if isinstance(item, Above):
            for j, c in enumerate(item.cells):
                if c not in (None, ""):
                    ws.cell(r, j + 1, str(c))
            r += 1
    for j, h in enumerate(case.header_cells()):
        ws.cell(r, j + 1, h)
    header_row = r
    r += 1
    cols = case.cols()
    data_index = 0
    for item in case.items:
        if isinstance(item, Above):
            continue
        for j, v in enumerate(case.row_cells(item)):
            name = cols[j] if j < len(cols) else None
            special = case.xlsx_cells.get((data_index, name)) if isinstance(item, Row) else None
            cell = ws.cell(r, j + 1)
            if special:
                kind = special[0]
                cell.value = special[1]
                if kind == "string":
                    cell.data_type = "s"
                if kind in ("number", "date") and len(special) > 2:
                    cell.number_format = special[2]
                elif kind == "date":
                    cell.number_format = "yyyy-mm-dd"
            elif isinstance(v, (int, float, dt.datetime)) and not isinstance(v, bool):
                cell.value = v
            elif v not in (None, ""):
                cell.value = str(v)
                cell.data_type = "s"  # text that starts with '=' stays text
        r += 1
        data_index += 1
    for name, kind in case.workbook_after:
        extra(name, kind)
    wb.properties.created = FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    (out / case.file).write_bytes(_fixed_zip(buf.getvalue(), fixed_modified=True))
    return expected_for(case, header_row, header_row + 1)


# ----------------------------------------------------------------------------- the corpus
LONG_500 = ("订单减少，原材料价格上涨，应收账款回款慢。" * 30)[:500]
LONG_501 = LONG_500 + "。"


def cases() -> list[Case]:
    c: list[Case] = []
    add = c.append
    title = Above(["湖北省中小企业运行监测月报（2024年3月）"])

    # ---------------- encodings
    add(
        Case(
            "op_utf8_plain.csv",
            "operating",
            "UTF-8 without BOM, all rows valid; values as typed",
            [
                Row(op(1), check={"revenue_month": 100.0, "period": "2024-03-01", "employees": 35}),
                Row(op(2, revenue_month="0", profit_ytd="-20.5"), check={"profit_ytd": -20.5}),
                Row(
                    op(3, sent_overall="恶化", problems="融资难融资贵;原材料涨价"),
                    check={"problems": ["融资难融资贵", "原材料涨价"]},
                ),
            ],
            expect={"encoding": "utf-8"},
        )
    )
    add(
        Case(
            "op_utf8_bom.csv",
            "operating",
            "UTF-8 with BOM; the BOM does not stick to the first header",
            [
                Row(op(1), check={"uscc": U[1]}),
                Row(op(2, revenue_ytd="三百"), [("revenue_ytd", "not_a_number")]),
                Row(op(3)),
            ],
            encoding="utf-8-sig",
            expect={"encoding": "utf-8-sig"},
        )
    )
    add(
        Case(
            "op_gbk.csv",
            "operating",
            "GBK with a title row above the header, CRLF line ends",
            [
                title,
                Row(op(1, name="武汉市江夏区金口机械厂"), check={"name": "武汉市江夏区金口机械厂"}),
                Row(op(2, sent_demand="很好"), [("sent_demand", "enum_invalid")]),
                Row(op(3)),
            ],
            encoding="gbk",
            expect={"encoding": "gb18030", "crlf": True},
        )
    )
    add(
        Case(
            "op_gb18030.csv",
            "operating",
            "GB18030 with a character outside GBK (four-byte 𠮷)",
            [Row(op(1, name="𠮷祥五金（襄阳）有限公司"), check={"name": "𠮷祥五金（襄阳）有限公司"}), Row(op(2))],
            encoding="gb18030",
            expect={"encoding": "gb18030"},
        )
    )
    add(
        Case(
            "arr_gbk_tab.txt",
            "arrears",
            "GBK, tab-separated text export (.txt)",
            [
                Row(arr(1), check={"debtor_name": "某县住房和城乡建设局"}),
                Row(arr(2, amount="0"), [("amount", "out_of_range")]),
            ],
            encoding="gbk",
            delimiter="\t",
            expect={"encoding": "gb18030"},
        )
    )
    add(
        Case(
            "ent_gbk.csv",
            "enterprises",
            "GBK enterprises file with title, note and 合计 rows",
            [
                Above(["企业基本信息及年度画像（2024年度）"]),
                Above(["填报单位：武汉市经信局"]),
                Row(ent(1)),
                Row(ent(2, current_title="专精特新", title_year="2023")),
                Skip("total", ["合计", "2户"]),
                Skip("note", ["填报说明：联系人信息仅用于核实，不对外公开。"]),
            ],
            encoding="gbk",
        )
    )

    # ---------------- layout: titles, notes, totals, blank rows
    add(
        Case(
            "op_title_note_total.csv",
            "operating",
            "two title rows, blank rows and a note in the middle, 合计 and 填报说明 below",
            [
                title,
                Above(["单位：万元"]),
                Above([]),
                Row(op(1)),
                Skip("blank"),
                Row(op(2)),
                Skip("note", ["说明：以下为补报企业"]),
                Row(op(3, total_assets="-5"), [("total_assets", "out_of_range")]),
                Skip("blank"),
                Row(op(4)),
                Skip("total", ["合计", "", "", "400", "1200"]),
                Skip("note", ["填报说明：1.金额单位为万元；2.报告期填写格式为202403。"]),
            ],
        )
    )
    add(
        Case(
            "op_title_note_total.xlsx",
            "operating",
            "xlsx: title, blank rows in the middle, 合  计 row, note row",
            [
                title,
                Above(["填报单位：黄石市经信局"]),
                Row(op(1)),
                Skip("blank"),
                Skip("blank"),
                Row(op(2)),
                Row(op(3, employees="三十"), [("employees", "not_a_number")]),
                Skip("total", ["合  计", "", "", "300"]),
                Skip("note", ["备注：本表由系统导出"]),
            ],
            header_at=4,
        )
    )
    add(
        Case(
            "op_offset_table.xlsx",
            "operating",
            "xlsx table starting at C5 (empty rows and columns around it): Excel row numbers",
            [Row(op(1)), Row(op(2, uscc=BAD_USCC), [("uscc", "uscc_invalid")]), Row(op(3))],
            header_at=5,
            col_offset=2,
        )
    )

    # ---------------- headers
    full = {
        "revenue_month": "营业收入（万元）",
        "revenue_ytd": "营业收入累计（万元）",
        "receivables": "应收账款（万元）",
        "receivables_overdue": "其中：逾期应收账款（万元）",
        "capacity_utilisation_pct": "产能利用率（％）",
        "employees": "期末从业人员（人）",
        "uscc": "统一社会信用代码",
    }
    add(
        Case(
            "op_headers_fullwidth.csv",
            "operating",
            "full-width brackets, colon and percent sign in headers",
            [
                Row(
                    op(1, receivables_overdue="10"),
                    check={"receivables_overdue": 10.0, "capacity_utilisation_pct": 80.0},
                ),
                Row(op(2, receivables_overdue="60"), [("receivables_overdue", "inconsistent")]),
            ],
            headers=full,
        )
    )
    half = {
        "receivables_overdue": "其中:逾期应收账款(万元)",
        "receivables_owed_by_public_and_large": "其中:被机关事业单位和大型企业拖欠(万元)",
    }
    add(
        Case(
            "op_headers_halfwidth.csv",
            "operating",
            "half-width brackets and colon (其中:)",
            [
                Row(
                    op(1, receivables_owed_by_public_and_large="5"), check={"receivables_owed_by_public_and_large": 5.0}
                ),
                Row(
                    op(2, receivables_owed_by_public_and_large="51"),
                    [("receivables_owed_by_public_and_large", "inconsistent")],
                ),
            ],
            headers=half,
        )
    )
    spaces = {
        "uscc": " 统一社会信用代码 ",
        "period": "报 告 期",
        "name": "企业\u3000名称",
        "revenue_month": "营业收入 (万元)",
        "total_assets": "\t资产总计(万元)  ",
    }
    add(
        Case(
            "op_headers_spaces.csv",
            "operating",
            "stray spaces, an ideographic space and a tab inside headers",
            [Row(op(1), check={"name": "湖北测试科技有限公司01", "total_assets": 1000.0}), Row(op(2))],
            headers=spaces,
        )
    )
    eng_cols = ["uscc", "name", "period", "revenue_month", "revenue_ytd", "total_assets", "employees", "sent_overall"]
    add(
        Case(
            "op_headers_english.csv",
            "operating",
            "canonical English headers, mixed case",
            [Row(op(1), check={"revenue_ytd": 300.0}), Row(op(2, revenue_ytd="50"), [("revenue_ytd", "inconsistent")])],
            columns=eng_cols,
            headers={"uscc": "USCC", "period": "Period", "revenue_ytd": "Revenue_YTD"},
        )
    )
    shuffled = ["sent_overall", "total_assets", "period", "employees", "name", "uscc", "revenue_ytd", "revenue_month"]
    add(
        Case(
            "op_headers_reordered.xlsx",
            "operating",
            "columns in another order, optional ones left out, an unknown column",
            [
                Row(op(1), check={"employees": 35, "sent_overall": "好转"}),
                Row(op(2, period="2024-13"), [("period", "period_invalid")]),
            ],
            columns=shuffled,
            extra_headers=["备注栏"],
            expect={"unrecognised": ["备注栏"]},
        )
    )
    add(
        Case(
            "ent_headers_english.csv",
            "enterprises",
            "enterprises with English headers in another order",
            [
                Row(ent(1), check={"division_code": "420102", "industry_code": "3484"}),
                Row(ent(2, industry_code="99"), [("industry_code", "industry_unknown")]),
            ],
            columns=[
                "profile_year",
                "industry_code",
                "division_code",
                "uscc",
                "name",
                "founded_on",
                "contact_name",
                "contact_phone",
            ],
            headers={
                k: k
                for k in [
                    "profile_year",
                    "industry_code",
                    "division_code",
                    "uscc",
                    "name",
                    "founded_on",
                    "contact_name",
                    "contact_phone",
                ]
            },
        )
    )

    # ---------------- units, percentages, thousand separators
    add(
        Case(
            "op_units_yuan.csv",
            "operating",
            "money in 元: divided by 10000",
            [
                Row(
                    op(
                        1,
                        revenue_month="1000000",
                        revenue_ytd="3000000",
                        main_revenue_ytd="2500000",
                        cost_ytd="2000000",
                        profit_ytd="-150000",
                        total_assets="10000000",
                        receivables="500000",
                    ),
                    check={"revenue_month": 100.0, "revenue_ytd": 300.0, "profit_ytd": -15.0, "total_assets": 1000.0},
                ),
                Row(
                    op(
                        2,
                        revenue_month="1000000",
                        revenue_ytd="3000000",
                        main_revenue_ytd="2500000",
                        cost_ytd="2000000",
                        profit_ytd="0",
                        total_assets="0",
                        receivables="500000",
                    ),
                    [("total_assets", "out_of_range")],
                ),
            ],
            headers={
                k: TEMPLATES["operating"].field(k).header.replace("(万元)", "(元)")
                for k in [
                    "revenue_month",
                    "revenue_ytd",
                    "main_revenue_ytd",
                    "cost_ytd",
                    "profit_ytd",
                    "total_assets",
                    "receivables",
                ]
            },
        )
    )
    add(
        Case(
            "op_units_yi.xlsx",
            "operating",
            "money in 亿元: multiplied by 10000; number cells",
            [
                Row(
                    op(1, revenue_month="0.01", revenue_ytd="0.03", main_revenue_ytd="0.025", total_assets="1.5"),
                    check={"revenue_month": 100.0, "total_assets": 15000.0},
                ),
                Row(
                    op(2, revenue_month="0.02", revenue_ytd="0.01", main_revenue_ytd="0.01", total_assets="1"),
                    [("revenue_ytd", "inconsistent")],
                ),
            ],
            headers={
                k: TEMPLATES["operating"].field(k).header.replace("(万元)", "（亿元）")
                for k in ["revenue_month", "revenue_ytd", "main_revenue_ytd", "total_assets"]
            },
            xlsx_cells={(0, "total_assets"): ("number", 1.5), (0, "revenue_month"): ("number", 0.01)},
        )
    )
    add(
        Case(
            "op_units_mixed.csv",
            "operating",
            "元, 万元 and 亿元 in one file; an unknown unit (千元) is not loaded",
            [
                Row(
                    op(1, revenue_month="1000000", revenue_ytd="0.03", main_revenue_ytd="250", cost_ytd="99"),
                    check={"revenue_month": 100.0, "revenue_ytd": 300.0, "main_revenue_ytd": 250.0, "cost_ytd": None},
                )
            ],
            headers={
                "revenue_month": "营业收入(元)",
                "revenue_ytd": "营业收入累计(亿元)",
                "cost_ytd": "营业成本累计(千元)",
            },
            expect={"unrecognised": ["营业成本累计(千元)"]},
        )
    )
    add(
        Case(
            "op_percent.csv",
            "operating",
            "percentages with and without %, full-width ％, out of range",
            [
                Row(op(1, capacity_utilisation_pct="85.5%"), check={"capacity_utilisation_pct": 85.5}),
                Row(op(2, capacity_utilisation_pct="85.5"), check={"capacity_utilisation_pct": 85.5}),
                Row(op(3, capacity_utilisation_pct="100％"), check={"capacity_utilisation_pct": 100.0}),
                Row(op(4, capacity_utilisation_pct="0%"), check={"capacity_utilisation_pct": 0.0}),
                Row(op(5, capacity_utilisation_pct="120%"), [("capacity_utilisation_pct", "out_of_range")]),
                Row(op(6, capacity_utilisation_pct="-1"), [("capacity_utilisation_pct", "out_of_range")]),
                Row(op(7, capacity_utilisation_pct="八成"), [("capacity_utilisation_pct", "not_a_number")]),
                Row(op(8, capacity_utilisation_pct="85%%"), [("capacity_utilisation_pct", "not_a_number")]),
            ],
        )
    )
    add(
        Case(
            "op_thousands.csv",
            "operating",
            "thousand separators (, and ，), spaces inside numbers",
            [
                Row(
                    op(1, revenue_ytd="1,234.5", main_revenue_ytd="1,000", total_assets="12,345,678"),
                    check={"revenue_ytd": 1234.5, "total_assets": 12345678.0},
                ),
                Row(
                    op(2, revenue_ytd="2，000", main_revenue_ytd="1 500", employees="1,200"),
                    check={"revenue_ytd": 2000.0, "main_revenue_ytd": 1500.0, "employees": 1200},
                ),
                Row(op(3, revenue_ytd="1.234,5"), [("revenue_ytd", "not_a_number")]),
                Row(op(4, revenue_ytd="30,00"), [("revenue_ytd", "not_a_number")]),
            ],
        )
    )
    add(
        Case(
            "fin_percent_rates.xlsx",
            "financing",
            "rates written 3.85, 3.85%, as number cells; out of range",
            [
                Row(
                    fin(1, rate_pct="3.85%", guarantee_fee_pct="1%"), check={"rate_pct": 3.85, "guarantee_fee_pct": 1.0}
                ),
                Row(fin(2), check={"rate_pct": 4.35}),
                Row(fin(3, rate_pct="36"), check={"rate_pct": 36.0}),
                Row(fin(4, rate_pct="36.5%"), [("rate_pct", "out_of_range")]),
                Row(fin(5, guarantee_fee_pct="12"), [("guarantee_fee_pct", "out_of_range")]),
            ],
            xlsx_cells={(1, "rate_pct"): ("number", 4.35), (2, "rate_pct"): ("number", 36)},
        )
    )

    # ---------------- dates and periods
    forms = [
        "2024-06-30",
        "2024/6/30",
        "2024年6月30日",
        "20240630",
        "45473",
        "2024.06.30",
        "2024-06-30 00:00:00",
        "2024/06/30",
    ]
    add(
        Case(
            "arr_date_forms.csv",
            "arrears",
            "every date form of INPUTS.md, Excel serial as text",
            [Row(arr(i + 1, as_of=f), check={"as_of": "2024-06-30"}) for i, f in enumerate(forms)],
        )
    )
    add(
        Case(
            "arr_dates_excel.xlsx",
            "arrears",
            "real Excel date cells, serial numbers in unformatted cells, date text",
            [
                Row(arr(1), check={"as_of": "2024-06-30", "delivered_on": "2023-01-10"}),
                Row(arr(2), check={"as_of": "2024-06-30"}),
                Row(arr(3, as_of="2024年6月30日"), check={"as_of": "2024-06-30", "accepted_on": "2023-02-01"}),
            ],
            xlsx_cells={
                (0, "as_of"): ("date", dt.datetime(2024, 6, 30)),
                (0, "delivered_on"): ("date", dt.datetime(2023, 1, 10)),
                (1, "as_of"): ("number", 45473),
                (2, "accepted_on"): ("number", 44958),
            },
        )
    )
    add(
        Case(
            "arr_bad_dates.csv",
            "arrears",
            "dates that are not dates: 30 February, month 13, words, a year alone, d/m/y",
            [
                Row(arr(1, as_of="2024-02-30"), [("as_of", "not_a_date")]),
                Row(arr(2, as_of="2024/13/01"), [("as_of", "not_a_date")]),
                Row(arr(3, as_of="昨天"), [("as_of", "not_a_date")]),
                Row(arr(4, delivered_on="2023"), [("delivered_on", "not_a_date")]),
                Row(arr(5, as_of="30/06/2024"), [("as_of", "not_a_date")]),
                Row(arr(6, as_of=""), [("as_of", "required_missing")]),
                Row(arr(7, last_repaid_on="2024-6-31"), [("last_repaid_on", "not_a_date")]),
                Row(arr(8)),
            ],
        )
    )
    periods = ["202403", "2024-03", "2024年3月", "2024.03", "2024-3", "2024年03月", "2024/03", "2024.3"]
    add(
        Case(
            "op_period_forms.csv",
            "operating",
            "every period form of INPUTS.md",
            [Row(op(i + 1, period=p), check={"period": "2024-03-01"}) for i, p in enumerate(periods)],
        )
    )
    add(
        Case(
            "op_period_excel.xlsx",
            "operating",
            "periods typed in Excel: a number cell 202403 and text cells",
            [
                Row(op(1), check={"period": "2024-03-01"}),
                Row(op(2, period="2024年3月"), check={"period": "2024-03-01"}),
                Row(op(3, period="2024-03"), check={"period": "2024-03-01"}),
            ],
            xlsx_cells={(0, "period"): ("number", 202403)},
        )
    )
    add(
        Case(
            "op_bad_periods.csv",
            "operating",
            "periods that are not periods, and a missing one",
            [
                Row(op(1, period="2024-13"), [("period", "period_invalid")]),
                Row(op(2, period="24-03"), [("period", "period_invalid")]),
                Row(op(3, period="二〇二四年三月"), [("period", "period_invalid")]),
                Row(op(4, period="2024Q1"), [("period", "period_invalid")]),
                Row(op(5, period="2024-03-15"), [("period", "period_invalid")]),
                Row(op(6, period="1900-01"), [("period", "period_invalid")]),
                Row(op(7, period=""), [("period", "required_missing")]),
                Row(op(8)),
            ],
        )
    )
    add(
        Case(
            "op_future_period.csv",
            "operating",
            "a report period in the future",
            [
                Row(op(1, period=FUTURE), [("period", "period_future")]),
                Row(op(2, period="2099-01"), [("period", "period_future")]),
                Row(op(3)),
            ],
        )
    )

    # ---------------- every rule, per source
    e = ent
    add(
        Case(
            "ent_rules.csv",
            "enterprises",
            "enterprises: one rule broken per row, every rule of INPUTS.md",
            [
                Row(e(1), check={"uscc": U[1], "is_above_scale": True, "current_title": "无"}),
                Row(e(2, uscc=""), [("uscc", "required_missing")]),
                Row(e(3, uscc=BAD_USCC), [("uscc", "uscc_invalid")]),
                Row(e(4, uscc=U[4].lower()), check={"uscc": U[4]}),
                Row(e(5, uscc="91420100MA4K0005"), [("uscc", "uscc_invalid")]),
                Row(e(6, name=""), [("name", "required_missing")]),
                Row(e(7, division_code="430100"), [("division_code", "division_unknown")]),
                Row(e(8, division_code="420400"), [("division_code", "division_unknown")]),
                Row(e(9, division_code="429004"), check={"division_code": "429004"}),
                Row(e(10, division_code="420104"), check={"division_code": "420104"}),
                Row(e(11, division_code="429099"), [("division_code", "division_unknown")]),
                Row(e(12, industry_code="C3484"), check={"industry_code": "3484"}),
                Row(e(13, industry_code="A3484"), [("industry_code", "industry_unknown")]),
                Row(e(14, industry_code="348"), [("industry_code", "industry_unknown")]),
                Row(e(15, industry_code=""), [("industry_code", "required_missing")]),
                Row(e(16, founded_on="去年"), [("founded_on", "not_a_date")]),
                Row(e(17, founded_on=""), [("founded_on", "required_missing")]),
                Row(e(18, profile_year="2024年"), [("profile_year", "not_a_number")]),
                Row(e(19, profile_year="1800"), [("profile_year", "out_of_range")]),
                Row(e(20, is_above_scale="也许"), [("is_above_scale", "enum_invalid")]),
                Row(e(21, current_title="国家级"), [("current_title", "enum_invalid")]),
                Row(e(22, current_title="专精特新"), [("title_year", "required_missing")]),
                Row(e(23, current_title="小巨人", title_year="2026"), [("title_year", "inconsistent")]),
                Row(e(24, current_title="创新型", title_year="2025"), check={"title_year": 2025}),
                Row(e(25, niche_since_year="2030"), [("niche_since_year", "inconsistent")]),
                Row(e(26, product_domains="六基;火箭"), [("product_domains", "enum_invalid")]),
                Row(e(27, feature_awards="专利"), [("feature_awards", "enum_invalid")]),
                Row(e(28, niche_share_pct="120"), [("niche_share_pct", "out_of_range")]),
                Row(e(29, digital_level="5"), [("digital_level", "out_of_range")]),
                Row(e(30, digital_level="2.5"), [("digital_level", "not_a_number")]),
                Row(e(31, quality_items="ISO9001"), [("quality_items", "enum_invalid")]),
                Row(e(32, ip_class1="1", ip_class1_self="2"), [("ip_class1_self", "inconsistent")]),
                Row(e(33, ip_class1="1", ip_class1_high_value="3"), [("ip_class1_high_value", "inconsistent")]),
                Row(e(34, ip_class2="-1"), [("ip_class2", "out_of_range")]),
                Row(e(35, rd_institution_level="院士工作站"), [("rd_institution_level", "enum_invalid")]),
                Row(e(36, rd_staff="十二"), [("rd_staff", "not_a_number")]),
                Row(e(37, direct_pass="专利大户"), [("direct_pass", "enum_invalid")]),
                Row(e(38, ip_class1="x", ip_class1_self="5"), [("ip_class1", "not_a_number")]),
                Row(
                    e(39, division_code="", industry_code="9999"),
                    [("division_code", "required_missing"), ("industry_code", "industry_unknown")],
                ),
                Row(e(40, uscc=U[1]), [("uscc", "duplicate_in_file")]),
                Row(e(41, uscc=U[1], profile_year="2023"), check={"profile_year": 2023}),
            ],
        )
    )
    add(
        Case(
            "ent_valid_forms.csv",
            "enterprises",
            "yes/no words, multi-value separators, 门类 letters, % shares",
            [
                Row(
                    e(
                        1,
                        is_above_scale="Y",
                        product_domains="六基；补短板;锻长板、填空白,中华老字号，战略性新兴产业|重点产业链配套",
                    ),
                    check={
                        "is_above_scale": True,
                        "product_domains": [
                            "中华老字号",
                            "六基",
                            "填空白",
                            "战略性新兴产业",
                            "补短板",
                            "重点产业链配套",
                            "锻长板",
                        ],
                    },
                ),
                Row(
                    e(2, is_above_scale="N", feature_awards="首台套|非遗"),
                    check={"is_above_scale": False, "feature_awards": ["首台套", "非遗"]},
                ),
                Row(e(3, is_above_scale="1", quality_items="自主品牌、参与标准制定"), check={"is_above_scale": True}),
                Row(
                    e(4, is_above_scale="0", niche_share_pct="35%"),
                    check={"is_above_scale": False, "niche_share_pct": 35.0},
                ),
                Row(
                    e(5, is_above_scale="true", direct_pass="高新技术企业,创客中国500强"),
                    check={"is_above_scale": True},
                ),
                Row(
                    e(6, is_above_scale="false", industry_code="C1311"),
                    check={"is_above_scale": False, "industry_code": "1311"},
                ),
                Row(
                    e(7, is_above_scale="否", rd_institution_level="省级", digital_level="4"),
                    check={"digital_level": 4},
                ),
                Row(
                    e(
                        8,
                        is_above_scale="是",
                        ip_class1="3",
                        ip_class1_self="3",
                        ip_class1_high_value="1",
                        ip_class2="12",
                        rd_staff="15",
                    ),
                    check={"ip_class1": 3, "rd_staff": 15},
                ),
            ],
        )
    )
    o = op
    add(
        Case(
            "op_rules.csv",
            "operating",
            "operating: one rule broken per row, every rule of INPUTS.md",
            [
                Row(o(1), check={"revenue_ytd": 300.0}),
                Row(o(2, uscc=""), [("uscc", "required_missing")]),
                Row(o(3, revenue_month="-5"), [("revenue_month", "out_of_range")]),
                Row(o(4, revenue_month="400"), [("revenue_ytd", "inconsistent")]),
                Row(o(5, main_revenue_ytd="301"), [("main_revenue_ytd", "inconsistent")]),
                Row(o(6, cost_ytd="-1"), [("cost_ytd", "out_of_range")]),
                Row(
                    o(7, profit_ytd="-100", net_profit_ytd="-120"),
                    check={"profit_ytd": -100.0, "net_profit_ytd": -120.0},
                ),
                Row(o(8, tax_ytd="-1"), [("tax_ytd", "out_of_range")]),
                Row(o(9, export_ytd="-1"), [("export_ytd", "out_of_range")]),
                Row(o(10, rd_expense_ytd="-1"), [("rd_expense_ytd", "out_of_range")]),
                Row(
                    o(11, revenue_month="0", revenue_ytd="0", main_revenue_ytd="0", rd_expense_ytd="30"),
                    check={"rd_expense_ytd": 30.0},
                ),
                Row(o(12, total_assets="0"), [("total_assets", "out_of_range")]),
                Row(o(13, total_liabilities="-1"), [("total_liabilities", "out_of_range")]),
                Row(o(14, receivables="-1"), [("receivables", "out_of_range")]),
                Row(o(15, receivables_overdue="51"), [("receivables_overdue", "inconsistent")]),
                Row(
                    o(16, receivables_owed_by_public_and_large="60"),
                    [("receivables_owed_by_public_and_large", "inconsistent")],
                ),
                Row(o(17, employees="12.5"), [("employees", "not_a_number")]),
                Row(o(18, employees="-3"), [("employees", "out_of_range")]),
                Row(o(19, vacancies="-1"), [("vacancies", "out_of_range")]),
                Row(o(20, power_use="-1"), [("power_use", "out_of_range")]),
                Row(o(21, capacity_utilisation_pct="101"), [("capacity_utilisation_pct", "out_of_range")]),
                Row(o(22, new_orders="-1"), [("new_orders", "out_of_range")]),
                Row(o(23, order_backlog="-1"), [("order_backlog", "out_of_range")]),
                Row(o(24, financing_demand="500"), check={"financing_demand": 500.0}),
                Row(
                    o(
                        25,
                        sent_overall="还行",
                        sent_demand="好",
                        sent_cost="高",
                        sent_funding="缺",
                        sent_labour="够",
                        sent_profit="多",
                        sent_outlook="乐观",
                    ),
                    [
                        ("sent_overall", "enum_invalid"),
                        ("sent_demand", "enum_invalid"),
                        ("sent_cost", "enum_invalid"),
                        ("sent_funding", "enum_invalid"),
                        ("sent_labour", "enum_invalid"),
                        ("sent_profit", "enum_invalid"),
                        ("sent_outlook", "enum_invalid"),
                    ],
                ),
                Row(
                    o(
                        26,
                        sent_overall="持平",
                        sent_demand="增加",
                        sent_cost="下降",
                        sent_funding="宽松",
                        sent_labour="短缺",
                        sent_profit="减少",
                        sent_outlook="恶化",
                    ),
                    check={"sent_labour": "短缺"},
                ),
                Row(o(27, problems="融资难融资贵;火星移民"), [("problems", "enum_invalid")]),
                Row(o(28, revenue_ytd="abc", main_revenue_ytd="999"), [("revenue_ytd", "not_a_number")]),
                Row(o(29, revenue_month="", revenue_ytd="", main_revenue_ytd=""), check={"revenue_month": None}),
                Row(o(30, receivables="", receivables_overdue="10"), check={"receivables_overdue": 10.0}),
                Row(
                    o(31, problem_text="订单不足，希望政府帮助对接采购。"),
                    check={"problem_text": "订单不足，希望政府帮助对接采购。"},
                ),
                Row(
                    o(32, uscc="", period="", total_assets="0"),
                    [("period", "required_missing"), ("total_assets", "out_of_range"), ("uscc", "required_missing")],
                ),
            ],
        )
    )
    a = arr
    add(
        Case(
            "arr_rules.csv",
            "arrears",
            "arrears: one rule broken per row, every rule of INPUTS.md",
            [
                Row(a(1), check={"amount": 120.0, "disputed": False}),
                Row(a(2, as_of=""), [("as_of", "required_missing")]),
                Row(a(3, case_id=""), [("case_id", "required_missing")]),
                Row(a(4, creditor_uscc=BAD_USCC), [("creditor_uscc", "uscc_invalid")]),
                Row(a(5, creditor_uscc=""), [("creditor_uscc", "required_missing")]),
                Row(a(6, debtor_name=""), [("debtor_name", "required_missing")]),
                Row(
                    a(7, debtor_uscc=DEBTOR[:-1] + ("0" if DEBTOR[-1] != "0" else "1")),
                    [("debtor_uscc", "uscc_invalid")],
                ),
                Row(a(8, debtor_uscc=DEBTOR), check={"debtor_uscc": DEBTOR}),
                Row(a(9, debtor_type="个人"), [("debtor_type", "enum_invalid")]),
                Row(a(10, division_code="110000"), [("division_code", "division_unknown")]),
                Row(a(11, delivered_on="2023-05-01", accepted_on="2023-04-01"), [("accepted_on", "inconsistent")]),
                Row(a(12, agreed_term_days="三十"), [("agreed_term_days", "not_a_number")]),
                Row(a(13, agreed_term_days=""), check={"agreed_term_days": None}),
                Row(a(14, amount="0"), [("amount", "out_of_range")]),
                Row(a(15, amount="-1", repaid=""), [("amount", "out_of_range")]),
                Row(a(16, disputed="不知道"), [("disputed", "enum_invalid")]),
                Row(a(17, repaid="130", status="部分清偿"), [("repaid", "inconsistent"), ("status", "inconsistent")]),
                Row(a(18, repaid="-1", status="诉讼中"), [("repaid", "out_of_range")]),
                Row(a(19, status="结清"), [("status", "enum_invalid")]),
                Row(a(20, status="已清偿", repaid="100"), [("status", "inconsistent")]),
                Row(a(21, status="未清偿", repaid="5"), [("status", "inconsistent")]),
                Row(a(22, status="部分清偿", repaid="0"), [("status", "inconsistent")]),
                Row(a(23, status="诉讼中", repaid="5"), check={"status": "诉讼中"}),
                Row(
                    a(24, status="已清偿", repaid="120", last_repaid_on="2024-05-01"),
                    check={"last_repaid_on": "2024-05-01"},
                ),
                Row(a(25, status="部分清偿", repaid="60", disputed="是"), check={"repaid": 60.0, "disputed": True}),
                Row(a(1, creditor_name="重复案件"), [("case_id", "duplicate_in_file")]),
                Row(a(1, as_of="2024-07-31"), check={"as_of": "2024-07-31"}),
            ],
        )
    )
    f = fin
    add(
        Case(
            "fin_rules.csv",
            "financing",
            "financing: one rule broken per row, every rule of INPUTS.md",
            [
                Row(f(1), check={"amount_approved": 80.0, "inclusive_small_micro": True}),
                Row(f(2, record_id=""), [("record_id", "required_missing")]),
                Row(f(3, uscc=""), [("uscc", "required_missing")]),
                Row(f(4, uscc=BAD_USCC), [("uscc", "uscc_invalid")]),
                Row(f(5, channel="民间借贷"), [("channel", "enum_invalid")]),
                Row(f(6, provider_type="小贷公司"), [("provider_type", "enum_invalid")]),
                Row(f(7, applied_on=""), [("applied_on", "required_missing")]),
                Row(f(8, applied_on="上个月"), [("applied_on", "not_a_date")]),
                Row(f(9, amount_applied="0", amount_approved=""), [("amount_applied", "out_of_range")]),
                Row(f(10, decision="通过"), [("decision", "enum_invalid")]),
                Row(f(11, amount_approved="150"), [("amount_approved", "inconsistent")]),
                Row(f(12, decision="拒绝", amount_approved="10"), [("amount_approved", "inconsistent")]),
                Row(
                    f(13, decision="拒绝", amount_approved="0", disbursed_on="", refusal_reason="抵押物不足"),
                    check={"refusal_reason": "抵押物不足"},
                ),
                Row(f(14, disbursed_on="2023-12-01"), [("disbursed_on", "inconsistent")]),
                Row(f(15, rate_pct="40"), [("rate_pct", "out_of_range")]),
                Row(f(16, guarantee_fee_pct="-0.5"), [("guarantee_fee_pct", "out_of_range")]),
                Row(f(17, term_months="0"), [("term_months", "out_of_range")]),
                Row(f(18, inclusive_small_micro="N"), check={"inclusive_small_micro": False}),
                Row(f(19, inclusive_small_micro="maybe"), [("inclusive_small_micro", "enum_invalid")]),
                Row(
                    f(20, channel="股权融资", provider_type="合格机构投资者", rate_pct="", term_months=""),
                    check={"channel": "股权融资"},
                ),
                Row(f(1, amount_approved="90"), [("record_id", "duplicate_in_file")]),
            ],
        )
    )

    # ---------------- duplicates
    add(
        Case(
            "op_duplicate_rows.csv",
            "operating",
            "the very same row twice: the later one is duplicate_in_file",
            [
                Row(op(1)),
                Row(op(2)),
                Row(op(1), [("uscc", "duplicate_in_file")]),
                Row(op(1), [("uscc", "duplicate_in_file")]),
            ],
        )
    )
    add(
        Case(
            "op_same_key_different_values.xlsx",
            "operating",
            "same uscc + period twice with different values (and another period form): the first one counts",
            [
                Row(op(1, revenue_month="100"), check={"revenue_month": 100.0}),
                Row(op(2)),
                Row(op(1, period="2024-03", revenue_month="90"), [("uscc", "duplicate_in_file")]),
                Row(op(1, period="202404", revenue_ytd="400"), check={"period": "2024-04-01"}),
            ],
        )
    )

    # ---------------- ragged csv rows, quotes and line breaks
    ncols = len(TEMPLATES["operating"].fields)
    add(
        Case(
            "op_ragged.csv",
            "operating",
            "rows shorter than the header (padded) and longer (extra values not lost)",
            [
                Row([U[1], "甲", "202403", "100", "300"], check={"revenue_ytd": 300.0, "total_assets": None}),
                Row([U[2], "乙", "202403"]),
                Row(
                    [U[3], "丙", "202403", "100", "300"] + [""] * (ncols - 5) + ["多出来的值"],
                    [("(多余列)", "inconsistent")],
                ),
                Row(op(4)),
            ],
        )
    )
    add(
        Case(
            "op_multiline_quoted.csv",
            "operating",
            "a quoted cell with line breaks and quotes: Excel row numbers stay right",
            [
                Row(
                    op(1, problem_text='第一行\n第二行，"原材料"涨价'),
                    check={"problem_text": '第一行\n第二行，"原材料"涨价'},
                ),
                Row(op(2, total_assets="-1"), [("total_assets", "out_of_range")]),
                Row(op(3)),
            ],
        )
    )
    stray = ",".join([U[1], '客户说"订单少了', "202403", "100", "300"] + [""] * (ncols - 5))
    add(
        Case(
            "op_stray_quote.csv",
            "operating",
            "an unbalanced quote inside an unquoted cell does not swallow the next rows",
            [
                Row(stray, check={"name": '客户说"订单少了'}),
                Row(op(2, total_assets="-1"), [("total_assets", "out_of_range")]),
                Row(op(3)),
            ],
        )
    )

    # ---------------- formulas and formula-looking text
    add(
        Case(
            "arr_formulas.xlsx",
            "arrears",
            "formula cells (their computed values load) and text that looks like a formula",
            [
                Row(
                    arr(1, debtor_name='=HYPERLINK("http://x.example","点我")'),
                    check={"amount": 120.0, "repaid": 30.0, "debtor_name": '=HYPERLINK("http://x.example","点我")'},
                ),
                Row(arr(2, status="部分清偿"), check={"repaid": 60.0}),
            ],
            xlsx_cells={
                (0, "amount"): ("formula", "=100+20", 120),
                (0, "repaid"): ("formula", "=N1/4", 30),
                (0, "status"): ("string", "部分清偿"),
                (1, "repaid"): ("formula", "=N2/2", 60),
            },
        )
    )
    inj = [
        ("=1+1", "uscc", "uscc_invalid"),
        ("+1+1", "revenue_month", "not_a_number"),
        ("-2+3", "employees", "not_a_number"),
        ("@SUM(A1:A9)", "sent_overall", "enum_invalid"),
        ("=cmd|' /C calc'!A0", "revenue_ytd", "not_a_number"),
        ("-5", "total_assets", "out_of_range"),
    ]
    add(
        Case(
            "op_formula_injection.csv",
            "operating",
            "cells starting with = + - @: loaded as text where text is allowed, written back as plain strings in receipts",
            [
                Row(
                    op(1, name='=HYPERLINK("http://evil.example")', problem_text="+加急 @财务 -请回电"),
                    check={"name": '=HYPERLINK("http://evil.example")', "problem_text": "+加急 @财务 -请回电"},
                )
            ]
            + [Row(op(i + 2, **{col: v}), [(col, code)]) for i, (v, col, code) in enumerate(inj)],
            expect={"formula_like_values": [v for v, _, _ in inj]},
        )
    )
    add(
        Case(
            "op_formula_injection.xlsx",
            "operating",
            "formula-looking strings in xlsx string cells",
            [
                Row(op(1, name="@某某公司"), check={"name": "@某某公司"}),
                Row(op(2, sent_overall="=A1"), [("sent_overall", "enum_invalid")]),
                Row(op(3, revenue_month="+100"), check={"revenue_month": 100.0}),
            ],
            expect={"formula_like_values": ["=A1"]},
        )
    )

    # ---------------- long text
    add(
        Case(
            "op_problem_text_len.csv",
            "operating",
            "a problem text of 500 characters loads, 501 is out_of_range",
            [
                Row(op(1, problem_text=LONG_500), check={"problem_text": LONG_500}),
                Row(op(2, problem_text=LONG_501), [("problem_text", "out_of_range")]),
                Row(op(3, problem_text="  " + LONG_500 + "  "), check={"problem_text": LONG_500}),
            ],
        )
    )

    # ---------------- sheets and xlsx cell types
    add(
        Case(
            "ent_named_sheet.xlsx",
            "enterprises",
            "the data sheet is named after the template title and is not the first",
            [Row(ent(1)), Row(ent(2, founded_on="2010/5/1"), check={"founded_on": "2010-05-01"})],
            sheet="企业基本信息及年度画像",
            sheets_before=["填报说明"],
        )
    )
    add(
        Case(
            "ent_number_cells.xlsx",
            "enterprises",
            "codes and years stored as number cells; a date cell",
            [
                Row(
                    ent(1),
                    check={
                        "division_code": "420102",
                        "industry_code": "3484",
                        "profile_year": 2024,
                        "founded_on": "2010-05-01",
                    },
                ),
                Row(ent(2, digital_level="3"), check={"digital_level": 3}),
            ],
            sheets_after=["附表"],
            xlsx_cells={
                (0, "division_code"): ("number", 420102),
                (0, "industry_code"): ("number", 3484),
                (0, "profile_year"): ("number", 2024),
                (0, "founded_on"): ("date", dt.datetime(2010, 5, 1)),
                (1, "digital_level"): ("number", 3.0),
            },
        )
    )
    add(
        Case(
            "ent_personal_data.csv",
            "enterprises",
            "contact name and phone next to broken cells: never shown in receipts or the serving copy",
            [
                Row(ent(1)),
                Row(ent(2, uscc=BAD_USCC), [("uscc", "uscc_invalid")]),
                Row(ent(3, digital_level="9"), [("digital_level", "out_of_range")]),
            ],
        )
    )
    # The name 武汉,光谷公司 was typed without quotes: every cell after it moves one column to the right.
    shifted = (
        [U[4], "武汉", "光谷公司", "420102", "3484", "2010-05-01", "2024", "是", "无"]
        + [""] * 18
        + list(person(4).values())
    )
    add(
        Case(
            "ent_shifted_row.csv",
            "enterprises",
            "an unquoted comma shifts a row right: the phone number lands outside the table and is not echoed",
            [
                Row(ent(1)),
                Row(
                    shifted,
                    [
                        ("division_code", "division_unknown"),
                        ("industry_code", "industry_unknown"),
                        ("founded_on", "not_a_date"),
                        ("profile_year", "not_a_number"),
                        ("is_above_scale", "enum_invalid"),
                        ("current_title", "enum_invalid"),
                        ("title_year", "not_a_number"),
                        ("(多余列)", "inconsistent"),
                    ],
                ),
            ],
        )
    )

    # ---------------- real county forms (issue 14)
    sign_one_cell = (
        "单位负责人：张建国\u3000\u3000统计负责人：李红\u3000\u3000填表人：王小明\u3000\u3000"
        "报出日期：2024年4月8日\u3000\u3000联系电话：13907141234"
    )
    add(
        Case(
            "op_sign_off.csv",
            "operating",
            "sign-off rows below the form (单位负责人 … 联系电话), in one cell and spread over several: note rows, "
            "their names and phone numbers reach neither the warehouse nor the receipt",
            [
                title,
                Row(op(1)),
                Row(op(2, revenue_ytd="abc"), [("revenue_ytd", "not_a_number")]),
                Row(op(3)),
                Skip("total", ["合计", "", "", "300", "900"]),
                Skip("note", [sign_one_cell]),
                Skip("note", ["单位负责人：", "张建国", "", "统计负责人：", "李红", "", "填表人：", "王小明"]),
                Skip("note", ["报出日期：", "2024-04-08", "", "联系电话：", "027-87651234"]),
                Skip("note", ["", "", "填 表 人：赵六", "", "电话：18627009876"]),
            ],
            expect={"sign_off": True},
        )
    )
    add(
        Case(
            "op_sign_off.xlsx",
            "operating",
            "xlsx sign-off rows: labels and values in separate cells, the phone a number cell, the date a date cell",
            [
                title,
                Row(op(1)),
                Row(op(2, total_assets="-1"), [("total_assets", "out_of_range")]),
                Skip("blank"),
                Skip("note", ["单位负责人：", "张建国", "统计负责人：", "李红", "填表人：", "王小明"]),
                Skip("note", ["报出日期：", dt.datetime(2024, 4, 8), "", "联系电话：", 13807165432]),
            ],
            expect={"sign_off": True},
        )
    )
    add(
        Case(
            "op_workbook_sheets.xlsx",
            "operating",
            "a cover sheet, a 填报说明 sheet with column names in it, a hidden sheet named after the template holding "
            "a table, a list of firms (USCC and name only), then the data sheet (any name), then an appendix: only "
            "the data sheet loads, the others are named in the receipt with why",
            [Row(op(1)), Row(op(2), check={"uscc": U[2]}), Row(op(3, employees="-1"), [("employees", "out_of_range")])],
            sheet="2024年3月",
            writer="openpyxl",
            workbook_before=[
                ("封面", "cover"),
                ("填报说明", "instructions"),
                ("中小企业运行监测月报", "hidden"),
                ("企业名单", "roster"),
            ],
            workbook_after=[("附表", "appendix")],
            expect={
                "sheet": "2024年3月",
                "sheets_passed": [
                    "封面（未找到模板表头）",
                    "填报说明（填报说明）",
                    "中小企业运行监测月报（隐藏工作表）",
                    "企业名单（缺少必填列）",
                    "附表（未使用）",
                ],
            },
        )
    )
    add(
        Case(
            "op_fullwidth_cells.csv",
            "operating",
            "full-width digits, signs, decimal points, percent signs and letters in number, period, code and enum "
            "cells (normalised, NFKC); free text kept as sent, trimmed",
            [
                Row(
                    op(
                        1,
                        uscc=fw(U[1]),
                        period="２０２４年３月",
                        revenue_month="１００",
                        revenue_ytd="１２３４．５０",
                        main_revenue_ytd="１，０００",
                        profit_ytd="－２０．５",
                        employees="３５",
                        capacity_utilisation_pct="８５．５％",
                        sent_overall="好转\u3000",
                    ),
                    check={
                        "uscc": U[1],
                        "period": "2024-03-01",
                        "revenue_ytd": 1234.5,
                        "main_revenue_ytd": 1000.0,
                        "profit_ytd": -20.5,
                        "employees": 35,
                        "capacity_utilisation_pct": 85.5,
                        "sent_overall": "好转",
                    },
                ),
                Row(
                    op(2, name="\u3000湖北ＡＢＣ科技有限公司 ", period="２０２４－０３", total_assets=" ＋１０００ "),
                    check={"name": "湖北ＡＢＣ科技有限公司", "period": "2024-03-01", "total_assets": 1000.0},
                ),
                Row(op(3, revenue_ytd="１２３４ａ"), [("revenue_ytd", "not_a_number")]),
                Row(op(4, period="２０２４年１３月"), [("period", "period_invalid")]),
                Row(
                    op(5, employees="３５．０", problems="融资难融资贵；原材料涨价"),
                    check={"employees": 35, "problems": ["原材料涨价", "融资难融资贵"]},
                ),
            ],
        )
    )
    add(
        Case(
            "ent_fullwidth_codes.csv",
            "enterprises",
            "full-width codes, years, dates, yes/no and percentages in an enterprises file",
            [
                Row(
                    ent(
                        1,
                        uscc=fw(U[1].lower()),
                        division_code="４２０１０２",
                        industry_code="Ｃ３４８４",
                        founded_on="２０１０年５月１日",
                        profile_year="２０２４",
                        is_above_scale="Ｙ",
                        niche_share_pct="３５％",
                        digital_level="３",
                    ),
                    check={
                        "uscc": U[1],
                        "division_code": "420102",
                        "industry_code": "3484",
                        "founded_on": "2010-05-01",
                        "profile_year": 2024,
                        "is_above_scale": True,
                        "niche_share_pct": 35.0,
                        "digital_level": 3,
                    },
                ),
                Row(ent(2, current_title="专精特新", title_year="２０２３"), check={"title_year": 2023}),
                Row(ent(3, industry_code="Ｃ３４９０"), [("industry_code", "industry_unknown")]),
            ],
        )
    )
    add(
        Case(
            "ent_industry_classes.csv",
            "enterprises",
            "行业代码 against the full GB/T 4754-2017 class list: a made-up class under a real division is "
            "industry_unknown, so is a real class under another 门类 letter; 7010/7020 load (size classes use them); "
            "an enterprise needs a 市州/county code (420000 is for arrears only)",
            [
                Row(ent(1, industry_code="7010"), check={"industry_code": "7010"}),
                Row(ent(2, industry_code="K7020"), check={"industry_code": "7020"}),
                Row(ent(3, industry_code="0111"), check={"industry_code": "0111"}),
                Row(ent(4, industry_code="C3491"), check={"industry_code": "3491"}),
                Row(ent(5, industry_code="3490"), [("industry_code", "industry_unknown")]),
                Row(ent(6, industry_code="C7010"), [("industry_code", "industry_unknown")]),
                Row(ent(7, industry_code="1920"), [("industry_code", "industry_unknown")]),
                Row(ent(8, industry_code="3400"), [("industry_code", "industry_unknown")]),
                Row(ent(9, industry_code="A0111"), check={"industry_code": "0111"}),
                Row(ent(10, division_code="420000"), [("division_code", "division_unknown")]),
                Row(ent(11, industry_code="3612"), check={"industry_code": "3612"}),
            ],
        )
    )
    add(
        Case(
            "arr_province_debtor.csv",
            "arrears",
            "province-level debtors (省直机关, 省属国企): 所属地区代码 420000 is valid for arrears",
            [
                Row(
                    arr(1, division_code="420000", debtor_name="湖北省某厅", debtor_type="机关"),
                    check={"division_code": "420000"},
                ),
                Row(
                    arr(
                        2,
                        division_code="420000",
                        debtor_name="湖北省某省属国有集团有限公司",
                        debtor_type="国有大型企业",
                    ),
                    check={"division_code": "420000"},
                ),
                Row(arr(3, division_code="420100"), check={"division_code": "420100"}),
                Row(arr(4, division_code="429004"), check={"division_code": "429004"}),
                Row(arr(5, division_code="430000"), [("division_code", "division_unknown")]),
                Row(arr(6, division_code="420001"), [("division_code", "division_unknown")]),
                Row(arr(7, division_code="４２００００"), check={"division_code": "420000"}),
            ],
        )
    )
    pct2 = "0.00%"
    add(
        Case(
            "op_cell_types.xlsx",
            "operating",
            "xlsx cells as a clerk leaves them: percent-formatted cells in a (%) column load as the percent shown, "
            "text-stored and full-width numbers, date cells in the period column are that month, formulas without "
            "a cached value are formula_no_value (never empty)",
            [
                Row(op(1), check={"capacity_utilisation_pct": 85.5, "revenue_ytd": 300.0, "period": "2024-03-01"}),
                Row(op(2), check={"capacity_utilisation_pct": 3.85, "period": "2024-03-01"}),
                Row(op(3, revenue_month="１００"), check={"capacity_utilisation_pct": 85.5, "revenue_month": 100.0}),
                Row(op(4), [("capacity_utilisation_pct", "out_of_range")]),
                Row(op(5), [("revenue_ytd", "formula_no_value")]),
                Row(op(6), [("uscc", "formula_no_value")]),
                Row(op(7), [("name", "formula_no_value")]),
                Row(op(8), check={"capacity_utilisation_pct": 85.5}),
            ],
            writer="openpyxl",
            xlsx_cells={
                (0, "capacity_utilisation_pct"): ("number", 0.855, "0.0%"),
                (0, "revenue_ytd"): ("string", " 300 "),
                (0, "period"): ("date", dt.datetime(2024, 3, 15)),
                (1, "capacity_utilisation_pct"): ("number", 0.0385, pct2),
                (1, "period"): ("date", dt.datetime(2024, 3, 1), "yyyy-mm"),
                (2, "capacity_utilisation_pct"): ("number", 85.5),
                (3, "capacity_utilisation_pct"): ("number", 1.2, pct2),
                (4, "revenue_ytd"): ("formula", "=D6*3"),
                (5, "uscc"): ("formula", "=A2"),
                (6, "name"): ("formula", '=CONCATENATE("湖北","公司")'),
                (7, "capacity_utilisation_pct"): ("number", 85.5, '0.0"%"'),
            },
        )
    )
    add(
        Case(
            "fin_percent_cells.xlsx",
            "financing",
            "rates as percent-formatted number cells (built-in 0% and 0.00%, a custom 0.000%): the percent shown",
            [
                Row(fin(1), check={"rate_pct": 3.85, "guarantee_fee_pct": 1.0}),
                Row(fin(2), check={"rate_pct": 4.35, "guarantee_fee_pct": 0.015}),
                Row(fin(3), [("rate_pct", "out_of_range")]),
            ],
            writer="openpyxl",
            xlsx_cells={
                (0, "rate_pct"): ("number", 0.0385, "0.00%"),
                (0, "guarantee_fee_pct"): ("number", 0.01, "0%"),
                (1, "rate_pct"): ("number", 0.0435, "0.000%"),
                (1, "guarantee_fee_pct"): ("number", 0.015),
                (2, "rate_pct"): ("number", 0.365, "0.0%"),
            },
        )
    )

    # ---------------- header-only
    add(Case("op_header_only.csv", "operating", "a header row and nothing else", []))
    add(Case("fin_header_only.xlsx", "financing", "xlsx with a title and a header row only", [Above(["融资记录"])]))
    return c


# ----------------------------------------------------------------------------- file-level cases
def _valid_xlsx_bytes() -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": FIXED_TIME})
    ws = wb.add_worksheet("Sheet1")
    for j, fld in enumerate(TEMPLATES["financing"].fields):
        ws.write_string(0, j, fld.header)
    for i in range(1, 200):
        for j, v in enumerate(fin(i % 60 + 1).get(fld.name, "") for fld in TEMPLATES["financing"].fields):
            ws.write_string(i, j, str(v))
    wb.close()
    return buf.getvalue()


def _fixed_zip(data: bytes, fixed_modified: bool = False) -> bytes:
    """Rewrite a zip with fixed member dates, so that the bytes are the same on every run (and, for openpyxl, which
    stamps the save time into docProps/core.xml, a fixed modification time)."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            member = src.read(info.filename)
            if fixed_modified and info.filename == "docProps/core.xml":
                member = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", member)
            dst.writestr(zi, member)
    return buf.getvalue()


def file_level(out: Path) -> dict[str, dict]:
    exp: dict[str, dict] = {}

    def reject(name, source, code, describe, rows=0, exit_code=None, data: bytes | None = None, **extra):
        if data is not None:
            (out / name).write_bytes(data)
        exp[name] = {
            "source": source,
            "describe": describe,
            "rows_read": rows,
            "rows_loaded": 0,
            "rows_quarantined": rows,
            "rows_skipped": 0,
            "skipped": {},
            "status": "rejected",
            "file_code": code,
            "errors": [],
            "values": [],
            "validate_exit": exit_code if exit_code is not None else (2 if code == "file_unreadable" else 1),
            **extra,
        }

    reject("empty.csv", "operating", "header_not_found", "an empty file (0 bytes)", data=b"")
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": FIXED_TIME})
    wb.add_worksheet("Sheet1")
    wb.close()
    reject(
        "empty.xlsx",
        "enterprises",
        "header_not_found",
        "an xlsx whose only sheet is empty",
        data=_fixed_zip(buf.getvalue()),
    )
    reject(
        "renamed_pdf.xlsx",
        "operating",
        "file_unreadable",
        "a PDF renamed to .xlsx",
        data=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
    )
    good = _fixed_zip(_valid_xlsx_bytes())
    reject(
        "truncated.xlsx",
        "financing",
        "file_unreadable",
        "an xlsx cut off in the middle of the transfer",
        data=good[: len(good) // 2],
    )
    reject(
        "utf16_unicode_text.csv",
        "operating",
        "file_unreadable",
        "Excel 'Unicode text' (UTF-16): not an accepted encoding, rejected with a reason",
        data=("\ufeff" + "统一社会信用代码\t报告期\n" + f"{U[1]}\t202403\n").encode("utf-16-le"),
    )
    reject(
        "report.docx",
        "operating",
        "file_unreadable",
        "a Word document in the inbox",
        data=b"PK\x03\x04 not really a docx",
    )
    (out / "no_header.csv").write_text("1,2,3\n4,5,6\n7,8,9\n", encoding="utf-8")
    reject("no_header.csv", "operating", "header_not_found", "numbers only, no header row", rows=3)
    cols = [f for f in TEMPLATES["operating"].fields if f.name != "period"]
    lines = [",".join(f.header for f in cols)] + [",".join(op(i).get(f.name, "") for f in cols) for i in (1, 2, 3)]
    (out / "op_column_missing.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reject(
        "op_column_missing.csv",
        "operating",
        "column_missing",
        "the required 报告期 column is absent",
        rows=3,
        header_row=1,
    )
    ent_cols = ["uscc", "name", "founded_on", "profile_year", "contact_name", "contact_phone"]
    lines = [",".join(TEMPLATES["enterprises"].field(c).header for c in ent_cols)]
    lines += [",".join(ent(i)[c] for c in ent_cols) for i in (1, 2)]
    (out / "ent_column_missing.csv").write_text("\n".join(["企业名录"] + lines) + "\n", encoding="gbk")
    reject(
        "ent_column_missing.csv",
        "enterprises",
        "column_missing",
        "行政区划代码 and 行业代码 absent (GBK, title row)",
        rows=2,
        header_row=2,
    )
    lines = [",".join(f.header for f in TEMPLATES["enterprises"].fields)]
    lines += [",".join(ent(i).get(f.name, "") for f in TEMPLATES["enterprises"].fields) for i in (1, 2)]
    (out / "wrong_inbox_enterprises_as_operating.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    reject(
        "wrong_inbox_enterprises_as_operating.csv",
        "operating",
        "column_missing",
        "an enterprises file dropped into the operating inbox",
        rows=2,
        header_row=1,
    )
    return exp


def generate(out: Path = HERE) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    for k in PERSONAL:
        PERSONAL[k].clear()
    expected: dict[str, dict] = {}
    for case in cases():
        if case.file.endswith(".xlsx"):
            writer = write_xlsx_openpyxl if case.writer == "openpyxl" else write_xlsx
        else:
            writer = write_csv
        e = writer(case, out)
        e = {"source": case.source, "describe": case.describe, **e}
        for k in ("encoding", "unrecognised", "formula_like_values", "sheet", "sheets_passed", "sign_off"):
            if k in case.expect:
                e[k] = case.expect[k]
        expected[case.file] = e
    expected.update(file_level(out))
    payload = {
        "about": "Expected outcome of every corpus file; rows are 1-based as Excel shows them. Written by make_corpus.py.",
        "future_period": FUTURE,
        "personal": {k: sorted(set(v)) for k, v in PERSONAL.items()},
        "sign_off": SIGN_OFF,
        "files": dict(sorted(expected.items())),
    }
    (out / "expected.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return payload


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    p = generate(target)
    print(f"{len(p['files'])} files written to {target}")
