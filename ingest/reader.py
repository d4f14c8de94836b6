"""Read an xlsx or csv file into a DuckDB table of text cells, one row per sheet row.

The table has `__line` (the 1-based row number a person sees in Excel; for a csv the record number,
which is the line number unless a quoted cell holds a line break) and `c0 … c{n-1}` as VARCHAR.
Nothing is interpreted here: validation happens in SQL.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import itertools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

from ingest.contract import PERIOD, TEMPLATES

CSV_SUFFIXES = {".csv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_PREVIEW_LINES = 40


class UnreadableFile(Exception):
    """The file cannot be read at all (file_unreadable)."""


@dataclass
class CellTable:
    table: str  # name of the temp table in the connection
    width: int
    preview: list[list[object]]  # first rows, for header detection
    encoding: str | None = None
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)
    sheets_passed: list[str] = field(default_factory=list)  # other sheets of a workbook, each with why


def _cell_text(v: object) -> str | None:
    """Excel cell → text as a person would type it (integral floats without '.0', dates ISO)."""
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v)


def _column_text(column) -> list[str | None]:
    """`_cell_text` of every cell of a column, with the two kinds nearly every cell is (text, number) inline."""
    return [
        (v or None)
        if type(v) is str
        else (str(int(v)) if v.is_integer() and -1e15 < v < 1e15 else repr(v))
        if type(v) is float
        else None
        if v is None
        else _cell_text(v)
        for v in column
    ]


# A cell whose formula has no cached value: its text is this marker followed by the formula. The validator turns
# it into `formula_no_value` (never an empty cell); a person never types this control character.
FORMULA_NO_VALUE = "\x01"
INSTRUCTION_SHEET_WORDS = ("说明", "须知", "指标解释")


def _is_instruction_sheet(name: str) -> bool:
    from ingest.headers import normalise

    n = normalise(name)
    return any(w in n for w in INSTRUCTION_SHEET_WORDS)


@functools.cache
def _header_roles() -> frozenset[str]:
    """Normalised headers of the period columns of the templates (Chinese and English)."""
    from ingest.headers import normalise, split_unit

    return frozenset(
        name
        for t in TEMPLATES.values()
        for f in t.fields
        if f.type == PERIOD
        for name in (split_unit(normalise(f.header))[0], f.name.lower())
    )


def _column_roles(preview: list[list[object]]) -> tuple[dict[int, int], dict[int, int]]:
    """Period and `(%)` columns of a sheet: column index → 0-based row of its header cell."""
    from ingest.headers import normalise, split_unit

    period_names = _header_roles()
    period: dict[int, int] = {}
    percent: dict[int, int] = {}
    for i, row in enumerate(preview):
        for j, cell in enumerate(row):
            if not isinstance(cell, str) or j in period or j in percent:
                continue
            base, unit = split_unit(normalise(cell))
            if unit is None and base in period_names:
                period[j] = i
            elif unit == "%":
                percent[j] = i
    return period, percent


def _percent_text(v: object) -> str | None:
    """The percent a percent-formatted number cell shows: 0.0385 → '3.85%' (exact decimal, no float noise)."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    d = (Decimal(repr(v)) * 100).normalize()
    return f"{d:f}%"


def _header_match(rows: list[list[object]], templates: list) -> int:
    """2 if a row holds a template's header with all its required columns, 1 if only some of it, else 0."""
    from ingest.headers import find_header_row

    preview = [[_cell_text(c) for c in r] for r in rows[:_PREVIEW_LINES]]
    best = 0
    for t in templates:
        found = find_header_row(preview, t)
        if found is not None:
            complete = all(f.name in found[1].matches for f in t.fields if f.required)
            best = max(best, 2 if complete else 1)
    return best


def _choose_sheet(wb, source: str | None) -> tuple[str, list, list[str]]:
    """The data sheet, its rows and the sheets passed over (each named with why).

    A visible sheet named after the template title, else the first visible sheet whose header matches a template;
    hidden sheets and instruction sheets (填报说明) are passed over.
    """
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    templates = [TEMPLATES[source]] if source in TEMPLATES else list(TEMPLATES.values())
    titles = {t.title for t in templates}
    reasons: dict[str, str] = {}
    candidates = []
    for m in wb.sheets_metadata:
        if m.visible != SheetVisibleEnum.Visible:
            reasons[m.name] = "隐藏工作表"
        elif m.typ != SheetTypeEnum.WorkSheet:
            reasons[m.name] = "不是数据表"
        elif _is_instruction_sheet(m.name):
            reasons[m.name] = "填报说明"
        else:
            candidates.append(m.name)
    names = wb.sheet_names
    chosen, rows = None, None
    named = next((n for n in candidates if n.strip() in titles), None)
    if named is not None:
        chosen = named
    else:  # the first sheet with a complete header, else the first with part of one (its column_missing says why)
        partial = None
        for n in candidates:
            r = wb.get_sheet_by_name(n).to_python(skip_empty_area=False)
            match = _header_match(r, templates)
            if match == 2:
                chosen, rows = n, r
                break
            if match == 1 and partial is None:
                partial = (n, r)
            reasons[n] = "缺少必填列" if match else "未找到模板表头"
        if chosen is None and partial is not None:
            chosen, rows = partial
    if chosen is None:  # nothing matches: the first visible sheet, whose header_not_found says why
        chosen = candidates[0] if candidates else names[0]
    reasons.pop(chosen, None)
    if rows is None:
        rows = wb.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    passed = [f"{n}（{reasons.get(n, '未使用')}）" for n in names if n != chosen]
    return chosen, rows, passed


def read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str, source: str | None = None) -> CellTable:
    from python_calamine import CalamineWorkbook

    from ingest.xlsx_meta import scan_sheet

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet, rows, passed = _choose_sheet(wb, source)
    except OSError:
        raise  # the machine's problem (permissions, I/O), not the file's: the file stays in the inbox
    except Exception as exc:  # calamine raises several types for broken files
        raise UnreadableFile(f"无法作为Excel文件读取：{exc}") from exc
    width = max((len(r) for r in rows), default=0)
    if width == 0:
        rows = []
    preview_raw = rows[:_PREVIEW_LINES]
    period_cols, percent_cols = _column_roles([[c if isinstance(c, str) else None for c in r] for r in preview_raw])
    meta = scan_sheet(path, sheet, set(percent_cols))
    for r, c in meta.formulas_without_value:
        width = max(width, c + 1)
        while len(rows) <= r:
            rows.append([])
    # One pass that turns Excel cells into text; validation itself is vectorised in DuckDB.
    columns: dict[str, list] = {"__line": list(range(1, len(rows) + 1))}
    for j, column in enumerate(itertools.zip_longest(*rows, fillvalue=None)):
        text = _column_text(column)
        if j in period_cols:  # a date cell in a period column is that month
            h = period_cols[j]
            for i in range(h + 1, len(column)):
                v = column[i]
                if isinstance(v, dt.date):
                    text[i] = f"{v.year}-{v.month:02d}"
        if j in percent_cols:
            h = percent_cols[j]
            for i, jj in meta.percent_cells:
                if jj == j and i > h and i < len(column):
                    shown = _percent_text(column[i])
                    if shown is not None:
                        text[i] = shown
        columns[f"c{j}"] = text
    for j in range(len(columns) - 1, width):
        columns[f"c{j}"] = [None] * len(rows)
    for (i, j), formula in meta.formulas_without_value.items():
        columns[f"c{j}"][i] = FORMULA_NO_VALUE + formula
    import pyarrow as pa

    arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "__line" else pa.string()) for k, v in columns.items()})
    con.register("__arrow_cells", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM __arrow_cells")
    con.unregister("__arrow_cells")
    preview = [[columns[f"c{j}"][i] for j in range(width)] for i in range(min(len(rows), _PREVIEW_LINES))]
    return CellTable(table, width, preview, sheet=sheet, sheets_passed=passed)


def detect_encoding(path: Path, sample_bytes: int = 1 << 20) -> str:
    """utf-8-sig when a BOM is present, utf-8 when the start decodes strictly, else gb18030 (a superset of GBK)."""
    with open(path, "rb") as fh:
        head = fh.read(sample_bytes)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _quote_state(body: str, delim: str, in_quotes: bool) -> bool:
    """Whether a record is still inside a quoted cell at the end of this line (csv rules, as Excel reads them).

    A quote opens a quoted cell only at the start of a cell; inside one, `""` is a literal quote and a
    single quote closes it. A quote in the middle of an unquoted cell (`客户说"订单少了`) is just a character.
    """
    i, n = 0, len(body)
    at_start = not in_quotes
    while i < n:
        if in_quotes:
            j = body.find('"', i)
            if j < 0:
                return True
            if j + 1 < n and body[j + 1] == '"':
                i = j + 2
                continue
            in_quotes, at_start, i = False, False, j + 1
        else:
            c = body[i]
            if c == '"' and at_start:
                in_quotes = True
            else:
                at_start = c == delim
            i += 1
    return in_quotes


def _normalise_csv(src: Path, dst: Path, encoding: str) -> tuple[int, list[list[str]], str]:
    """Stream src into dst as UTF-8, prefixing every record with its row number as Excel shows it.

    Blank lines are kept (as empty records) so that row numbers stay those of the file; a quoted
    cell that spans lines keeps its record in one row, as in Excel.
    Returns (max fields in a record, preview records, delimiter).
    """
    with open(src, encoding=encoding, newline="") as fin:
        head = fin.read(64 * 1024)
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    delim = "\t" if first.count("\t") > first.count(",") else ","
    max_fields = 0
    in_quotes = False
    preview_text: list[str] = []
    record = 0
    with open(src, encoding=encoding, newline="") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        write = fout.write
        for line in fin:
            if not in_quotes:
                record += 1
                write(f"{record}{delim}")
            body = line.rstrip("\r\n")
            if len(preview_text) < _PREVIEW_LINES:
                preview_text.append(line)
            n = body.count(delim) + 1
            if n > max_fields:
                max_fields = n
            if in_quotes or '"' in body:
                in_quotes = _quote_state(body, delim, in_quotes)
            write(body)
            write("\n")
    preview = list(csv.reader(io.StringIO("".join(preview_text)), delimiter=delim))
    return max_fields, preview, delim


def read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str, work_dir: Path) -> CellTable:
    """Only what is wrong with the file makes it unreadable (encoding, csv syntax). An OSError (no permission,
    disk full while writing the scratch copy) is the machine's problem: it propagates, and the file stays in
    the inbox for the next run instead of being rejected and archived."""
    work_dir.mkdir(parents=True, exist_ok=True)
    work = work_dir / (path.name + ".utf8.csv")
    try:
        try:
            encoding = detect_encoding(path)
            try:
                width, preview, delim = _normalise_csv(path, work, encoding)
            except UnicodeDecodeError:
                if encoding == "gb18030":
                    raise
                encoding = "gb18030"  # valid UTF-8 at the start, not later: it was GBK after all
                width, preview, delim = _normalise_csv(path, work, encoding)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"无法读取CSV文件（编码或格式错误）：{exc}") from exc
        if width == 0:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (__line BIGINT)")
            return CellTable(table, 0, [], encoding=encoding)
        cols = {"__line": "BIGINT"} | {f"c{j}": "VARCHAR" for j in range(width)}
        spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in cols.items()) + "}"
        try:
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_csv(?, header=false,
                    delim=?, quote='"', escape='"', null_padding=true, strict_mode=false, parallel=false,
                    auto_detect=false, max_line_size=10000000, columns={spec})""",
                [str(work), delim],
            )
        except (duckdb.IOException, duckdb.OutOfMemoryException, duckdb.FatalException):
            raise
        except duckdb.Error as exc:
            raise UnreadableFile(f"无法解析CSV文件：{exc}") from exc
        return CellTable(table, width, preview, encoding=encoding)
    finally:
        work.unlink(missing_ok=True)


def read_cells(
    con: duckdb.DuckDBPyConnection, path: Path, table: str, work_dir: Path, source: str | None = None
) -> CellTable:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(con, path, table, source)
    if suffix in CSV_SUFFIXES:
        return read_csv(con, path, table, work_dir)
    raise UnreadableFile(f"不支持的文件类型 {suffix or '(无扩展名)'}：只接受 .xlsx 或 .csv")
