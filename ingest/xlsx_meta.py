"""What python-calamine does not tell: a cell's number format and whether a formula has a cached value.

calamine gives a percent-formatted cell as the stored fraction (0.0385 for a cell showing 3.85%) and a formula
cell without a cached value as an empty cell. Both are read here from the workbook's XML, as cheaply as possible:
the sheet XML is streamed once to look for formula tags, and read whole only when it holds one, or when the
workbook has a percent number format and the sheet has a `(%)` column. Only the cells concerned are parsed.
"""

from __future__ import annotations

import html
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_BUILTIN_PERCENT = {9, 10}  # 0% and 0.00%
_CELL_REF = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]+)"')
_CHUNK = 1 << 20


@dataclass
class SheetMeta:
    """Cells of one sheet that need more than calamine's value (0-based row and column)."""

    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    formulas_without_value: dict[tuple[int, int], str] = field(default_factory=dict)  # -> formula text


def column_letters(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_paths(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → path of its XML part in the package."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    out = {}
    for s in book.iter(f"{_NS}sheet"):
        target = targets.get(s.get(f"{_REL_NS}id"), "")
        out[s.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return out


def _is_percent_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)  # quoted text, escaped characters, [colour]/[condition]
    return "%" in code


def percent_styles(z: zipfile.ZipFile) -> set[int]:
    """Indices of the cell formats (cellXfs) whose number format shows a percent."""
    try:
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return set()
    custom = {int(n.get("numFmtId")): n.get("formatCode", "") for n in styles.iter(f"{_NS}numFmt")}
    percent_ids = _BUILTIN_PERCENT | {i for i, c in custom.items() if _is_percent_format(c)}
    xfs = styles.find(f"{_NS}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.findall(f"{_NS}xf")) if int(xf.get("numFmtId", "0")) in percent_ids}


def _has_formula(z: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet XML holds a formula tag; streamed, so a large sheet is never held in memory for this."""
    tail = b""
    with z.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            if b"<f>" in chunk or b"<f " in chunk or b"<f" in tail + chunk[:3]:
                return True
            tail = chunk[-2:]
    return False


def _formula_cells(xml: bytes, lo: int, hi: int) -> dict[tuple[int, int], str]:
    """Formula cells without a cached value: no <v>, or an empty one that is not an empty string result (t="str")."""
    out: dict[tuple[int, int], str] = {}
    for tag in (b"<f>", b"<f "):
        pos = xml.find(tag, lo, hi)
        while pos >= 0:
            start = xml.rfind(b"<c ", lo, pos)
            end = xml.find(b"</c>", pos, hi)
            cell = xml[start : end if end >= 0 else hi] if start >= 0 else b""
            m = _CELL_REF.match(cell)
            if m and not (_V_TEXT.search(cell) or b't="str"' in cell or b't="inlineStr"' in cell):
                f = _F_TEXT.search(cell)
                formula = html.unescape(f.group(1).decode("utf-8")) if f and f.group(1) else ""
                out[(int(m.group(2)) - 1, _column_index(m.group(1)))] = "=" + formula if formula else "=（共享公式）"
            pos = xml.find(tag, pos + 1, hi)
    return out


_F_TEXT = re.compile(rb"<f\b[^>]*?(?:/>|>([^<]*)</f>)")
_V_TEXT = re.compile(rb"<v>([^<]+)</v>")
_STYLE = re.compile(rb'\bs="([0-9]+)"')


def _percent_cells(xml: bytes, lo: int, hi: int, columns: set[int], styles: set[int]) -> set[tuple[int, int]]:
    """Cells of the given columns whose style is a percent format; one literal-prefixed search per column."""
    out: set[tuple[int, int]] = set()
    wanted = {str(i).encode() for i in styles}
    for col in columns:
        pattern = re.compile(rb'<c r="' + column_letters(col).encode() + rb'([0-9]+)"([^>]*)>')
        for m in pattern.finditer(xml, lo, hi):
            st = _STYLE.search(m.group(2))
            if st and st.group(1) in wanted:
                out.add((int(m.group(1)) - 1, col))
    return out


def scan_sheet(path: Path, sheet: str, percent_columns: set[int]) -> SheetMeta:
    """Percent-formatted cells in `percent_columns` and formula cells without a cached value, of one sheet.

    The sheet XML is read whole only when it is needed: a percent number format exists and the sheet has a (%)
    column, or a streamed pass found a formula tag. Otherwise the cost is one decompression of the sheet."""
    meta = SheetMeta()
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_paths(z).get(sheet)
            if part is None:
                return meta
            styles = percent_styles(z) if percent_columns else set()
            if styles:
                xml = z.read(part)
                formulas = b"<f>" in xml or b"<f " in xml
            elif _has_formula(z, part):
                xml, formulas = z.read(part), True
            else:
                return meta
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, zlib.error, ValueError):
        return meta  # not an OOXML package (an .xls), or parts missing: calamine's values stand
    lo = max(xml.find(b"<sheetData"), 0)
    hi = xml.find(b"</sheetData>")
    hi = len(xml) if hi < 0 else hi
    if styles:
        meta.percent_cells = _percent_cells(xml, lo, hi, percent_columns, styles)
    if formulas:
        meta.formulas_without_value = _formula_cells(xml, lo, hi)
    return meta
