"""`sme-monitor missing`: the 催报 list of a month (firms expected to report that did not), as an Excel workbook.

Reads the published serving copy only (marts.reporting_coverage, marts.missing_reports, audit.publication), so the
list is what the 报送情况 board shows. One sheet per 市州 (named after it), with header rows that say what the list
is, for which month, the deadline and as of which publication. No Dagster, no dbt: imports stay light.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

TITLE = "湖北省中小企业运行监测月报　未报送企业名单（催报）"
SIZE_NAMES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
COLUMNS = ("序号", "统一社会信用代码", "企业名称", "门类", "企业规模", "连续未报月数")
WIDTHS = (8, 24, 40, 28, 10, 14)
HEADER_ROWS = 4  # title, month and deadline, as-of line, the region's figures; then a blank row and the column headers


class MissingListError(ValueError):
    """A user error (bad month, unknown 市州, month not covered): the message is in Chinese."""


@dataclass
class RegionSheet:
    region_code: str
    region_name: str
    expected: int
    reported: int
    on_time: int
    missing: int
    rows: list[tuple]


def parse_month(text: str) -> dt.date:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise MissingListError(f"月份格式应为 YYYY-MM（例如 2025-12），收到「{text}」")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"


def _pct(num: int, den: int) -> str:
    return f"{100 * num / den:.1f}%" if den else "—"


def collect(con: duckdb.DuckDBPyConnection, month: dt.date, region: str | None) -> tuple[dict, list[RegionSheet]]:
    """The facts of the list: publication time, deadline, and per 市州 its figures and missing firms."""
    span = con.execute("SELECT min(month), max(month) FROM marts.reporting_coverage").fetchone()
    if span[0] is None:
        raise MissingListError("服务库中没有报送情况数据（marts.reporting_coverage 为空）")
    if not span[0] <= month <= span[1]:
        raise MissingListError(
            f"{month_label(month)}不在报送情况数据范围内（{month_label(span[0])}至{month_label(span[1])}）"
        )
    cells = con.execute(
        """SELECT region_code, any_value(region_name), sum(expected_firms)::bigint, sum(reported_firms)::bigint,
                  sum(on_time_firms)::bigint, sum(missing_firms)::bigint, max(deadline)
           FROM marts.reporting_coverage
           WHERE month = ? AND region_code IS NOT NULL
           GROUP BY region_code ORDER BY region_code""",
        [month],
    ).fetchall()
    if region is not None:
        cells = [c for c in cells if c[0] == region]
        if not cells:
            raise MissingListError(f"{month_label(month)}没有市州代码为 {region} 的应报企业（请检查市州代码）")
    try:
        published_at = con.execute("SELECT max(published_at) FROM audit.publication").fetchone()[0]
    except duckdb.Error:
        published_at = None
    deadline = max(c[6] for c in cells)
    sheets = []
    for code, name, expected, reported, on_time, missing, _ in cells:
        rows = con.execute(
            """SELECT uscc, enterprise_name, coalesce(section_name, section_code), size_class, consecutive_missing_months
               FROM marts.missing_reports
               WHERE month = ? AND region_code = ?
               ORDER BY consecutive_missing_months DESC, section_code, uscc""",
            [month, code],
        ).fetchall()
        sheets.append(RegionSheet(code, name, expected, reported, on_time, missing, rows))
    return {"month": month, "deadline": deadline, "published_at": published_at}, sheets


def header_lines(facts: dict, sheet: RegionSheet) -> list[str]:
    published = facts["published_at"]
    as_of = published.strftime("%Y-%m-%d %H:%M") if published else "未知"
    return [
        f"{TITLE}　{sheet.region_name}　{month_label(facts['month'])}",
        f"报告期：{month_label(facts['month'])}　报送截止日：{facts['deadline']:%Y-%m-%d}",
        f"数据截至：{as_of}（服务库数据发布时间）；按时＝首次报送在截止日当天或之前到达",
        f"应报 {sheet.expected} 家，已报 {sheet.reported} 家（报送率 {_pct(sheet.reported, sheet.expected)}），"
        f"按时 {sheet.on_time} 家（及时率 {_pct(sheet.on_time, sheet.expected)}），未报 {sheet.missing} 家",
    ]


def write_workbook(facts: dict, sheets: list[RegionSheet], out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(title=sheet.region_name[:31])
        for i, line in enumerate(header_lines(facts, sheet), start=1):
            ws.cell(row=i, column=1, value=line).font = Font(bold=i == 1, size=14 if i == 1 else 11)
        head = HEADER_ROWS + 2
        for j, label in enumerate(COLUMNS, start=1):
            ws.cell(row=head, column=j, value=label).font = Font(bold=True)
            ws.column_dimensions[get_column_letter(j)].width = WIDTHS[j - 1]
        for k, (uscc, name, section, size, months) in enumerate(sheet.rows, start=1):
            values = (k, uscc, name, section, SIZE_NAMES.get(size, "未知"), int(months))
            for j, v in enumerate(values, start=1):
                ws.cell(row=head + k, column=j, value=v)
        if not sheet.rows:
            ws.cell(row=head + 1, column=1, value="本月无未报送企业")
        ws.freeze_panes = ws.cell(row=head + 1, column=1)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
