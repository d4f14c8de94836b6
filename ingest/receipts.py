"""The receipt (回执) a reporting unit gets for each file: what loaded, what did not and why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ingest.contract import REASON_CODES, SKIP_REASONS, Template

STATUS_NAMES = {
    "loaded": "全部加载",
    "partial": "部分加载（问题行已隔离，请更正后重新报送）",
    "rejected": "未加载（请按下列原因更正后重新报送）",
    "duplicate": "重复报送（与已处理文件内容相同，未重复加载）",
}


def receipt_path(receipts_dir: Path, file_name: str, load_id: int | None) -> Path:
    stem = Path(file_name).stem
    prefix = f"{load_id:06d}_" if load_id is not None else ""
    return receipts_dir / f"{prefix}{stem}.回执.xlsx"


def write_receipt(receipts_dir: Path, result, template: Template | None) -> Path:
    """Write the receipt xlsx. Every cell is written as a string: a value such as '=1+1' stays text."""
    import xlsxwriter

    receipts_dir.mkdir(parents=True, exist_ok=True)
    path = receipt_path(receipts_dir, result.file, result.load_id)
    tmp = path.with_suffix(".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"title": f"{result.file} 回执", "created": dt.datetime(2000, 1, 1)})
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet("汇总")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 80)
    skipped = "；".join(f"{SKIP_REASONS.get(k, k)} {v} 行" for k, v in result.skipped.items()) or "无"
    rows = [
        ("文件名", result.file),
        ("数据类别", (template.title if template else None) or result.source or "未识别"),
        ("批次号", str(result.load_id or "")),
        ("处理结果", STATUS_NAMES.get(result.status, result.status)),
        ("说明", result.message or ""),
        ("数据所在工作表", result.sheet or ""),
        ("跳过的工作表", "；".join(getattr(result, "sheets_passed", None) or []) or "无"),
        ("表头所在行", str(result.header_row or "")),
        ("数据行数", str(result.rows_read)),
        ("已加载行数", str(result.rows_loaded)),
        ("隔离（未加载）行数", str(result.rows_quarantined)),
        ("跳过的非数据行", f"{result.rows_skipped}（{skipped}）"),
        ("未识别的列（未加载）", "、".join(result.unrecognised_columns) or "无"),
        ("警告（不影响加载）", str(result.warnings)),
        ("文件编码", result.encoding or ""),
        ("SHA-256", result.sha256 or ""),
        ("处理时间", dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")),
    ]
    for i, (k, v) in enumerate(rows):
        ws.write_string(i, 0, k, bold)
        ws.write_string(i, 1, v, wrap)

    ws = wb.add_worksheet("问题明细")
    heads = ["行号", "列", "问题类型", "代码", "说明", "原值"]
    for j, h in enumerate(heads):
        ws.write_string(0, j, h, bold)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 3, 18)
    ws.set_column(4, 4, 70)
    ws.set_column(5, 5, 30)
    ws.freeze_panes(1, 0)
    for i, e in enumerate(result.errors, start=1):
        values = [
            "" if e.row is None else str(e.row),
            e.header or e.column or "（整个文件）",
            REASON_CODES.get(e.code, e.code),
            e.code,
            e.message,
            "" if e.value is None else str(e.value),
        ]
        for j, v in enumerate(values):
            ws.write_string(i, j, v)
    if result.errors:
        ws.autofilter(0, 0, len(result.errors), len(heads) - 1)
    wb.close()
    tmp.replace(path)
    return path
