"""Writing sample tables as the files reporting units send: csv/xlsx, encodings, title/note/total rows, styles.

`write_table` takes a DataFrame in the generator's internal form (canonical column names; money as integer
cents of 万元; dates as datetime64; periods as yyyymm ints; multi-valued cells as bitmasks over the contract's
values) and a `Style`, and returns where each data row landed (the row number a person sees in Excel, or the
csv line number), which is what `_sample_expected.json` records.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.contract import BOOL, DATE, DECIMAL, INDUSTRY, MULTI, PERIOD, Field, Template

FIXED_CREATED = dt.datetime(2021, 1, 1, 8, 0, 0)  # xlsx creation metadata: fixed, so the bytes are deterministic
SEPARATORS = ("；", ";", "、", ",", "，", "|")
YES_NO = (("是", "否"), ("Y", "N"), ("1", "0"), ("true", "false"))


@dataclass
class Style:
    fmt: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"  # utf-8 | utf-8-sig | gbk
    crlf: bool = False
    titles: tuple[str, ...] = ()
    header: str = "zh"  # zh | fullwidth | spaces | colon | en | mixed
    money_unit: str = "万元"  # 万元 | 元 | 亿元
    date: str = "iso"  # iso | slash | zh | compact | excel (xlsx date cell) | serial (xlsx number)
    period: str = "num"  # num (202403) | dash (2024-03) | zh (2024年3月) | dot (2024.03)
    yes_no: tuple[str, str] = ("是", "否")
    sep: str = "；"
    pct_sign: bool = False
    thousands: bool = False
    letter_share: float = 0.0  # share of industry codes written with their 门类 letter (C3484)
    blank_row: bool = False
    total_row: bool = False
    note_row: bool = False
    seq_col: bool = False
    note_sheet: bool = False  # xlsx: a 填报说明 sheet first, the data on a sheet named after the template
    drop: tuple[str, ...] = ()
    notes: tuple[str, ...] = ("填报说明：1.金额单位为万元；2.累计数均为1月至报告期累计数。",)

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.fmt == "xlsx" else ".csv"


@dataclass
class Written:
    path: Path
    rows_data: int
    rows_skipped: int
    excel_rows: list[int] = field(default_factory=list)  # per data position
    order: list[int] = field(default_factory=list)  # df index at each data position
    headers: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- headers
def header_text(f: Field, st: Style, g: np.random.Generator) -> str:
    mode = st.header
    if mode == "mixed":
        mode = str(g.choice(["zh", "fullwidth", "colon", "spaces"]))
    if mode == "en" and not (f.money and st.money_unit != "万元"):
        return f.name
    h = f.header
    if f.money and st.money_unit != "万元":
        h = h.replace("(万元)", f"({st.money_unit})")
    if mode == "fullwidth":
        h = h.replace("(", "（").replace(")", "）")
    elif mode == "colon":
        h = h.replace("其中：", "其中:")
    elif mode == "spaces" and g.random() < 0.4:  # stray spaces in some of the headers
        h = (h[:2] + " " + h[2:] if len(h) > 3 else h) + " "
    return h


# ---------------------------------------------------------------- values
def _obj(s: pd.Series) -> pd.Series:
    """Python objects with None for missing (what xlsxwriter and csv need)."""
    o = s.astype(object)
    return o.where(s.notna(), None)


def _join(parts: list[pd.Series], mask: pd.Series) -> pd.Series:
    out = parts[0].astype(str)
    for p in parts[1:]:
        out = out + p.astype(str)
    return out.where(mask, None)


def fmt_date(s: pd.Series, style: str) -> pd.Series:
    s = pd.to_datetime(s)
    ok = s.notna()
    if style == "excel":
        return pd.Series([None if pd.isna(d) else d.date() for d in s], index=s.index, dtype=object)
    if style == "serial":
        days = (s - pd.Timestamp("1899-12-30")).dt.days
        return _obj(days.astype("Int64"))
    y, m, d = s.dt.year.fillna(0).astype(int), s.dt.month.fillna(0).astype(int), s.dt.day.fillna(0).astype(int)
    if style == "slash":
        return _join([y, pd.Series("/", index=s.index), m, pd.Series("/", index=s.index), d], ok)
    if style == "zh":
        return _join(
            [y, pd.Series("年", index=s.index), m, pd.Series("月", index=s.index), d, pd.Series("日", index=s.index)],
            ok,
        )
    if style == "compact":
        return s.dt.strftime("%Y%m%d").where(ok, None).astype(object)
    return s.dt.strftime("%Y-%m-%d").where(ok, None).astype(object)


def fmt_period(s: pd.Series, style: str, xlsx: bool) -> pd.Series:
    v = s.astype(np.int64)
    if style == "num":
        return v
    y, m = (v // 100).astype(str), (v % 100)
    if style == "dash":
        return (y + "-" + m.map("{:02d}".format)).astype(object)
    if style == "zh":
        return (y + "年" + m.astype(str) + "月").astype(object)
    return (y + "." + m.map("{:02d}".format)).astype(object)


def money_values(cents: pd.Series, unit: str) -> pd.Series:
    c = cents.astype("Int64")
    if unit == "元":
        return c * 100
    if unit == "亿元":
        return c.astype("Float64") / 1_000_000
    return c.astype("Float64") / 100


def fmt_thousands(v: pd.Series, unit: str) -> pd.Series:
    spec = "{:,}" if unit == "元" else "{:,.2f}"
    return pd.Series(
        [spec.format(x) if x is not None and not pd.isna(x) else None for x in v], index=v.index, dtype=object
    )


def multi_text(bits: pd.Series, values: tuple[str, ...], sep: str) -> pd.Series:
    b = bits.fillna(0).astype(np.int64).to_numpy()
    uniq, inv = np.unique(b, return_inverse=True)
    texts = np.array([sep.join(v for i, v in enumerate(values) if (u >> i) & 1) or None for u in uniq], dtype=object)
    return pd.Series(texts[inv], index=bits.index, dtype=object)


def format_column(f: Field, s: pd.Series, st: Style, g: np.random.Generator, sections: dict[str, str]) -> pd.Series:
    xlsx = st.fmt == "xlsx"
    if f.type == DATE:
        style = st.date if (xlsx or st.date not in ("excel", "serial")) else "iso"
        return fmt_date(s, style)
    if f.type == PERIOD:
        return fmt_period(s, st.period, xlsx)
    if f.type == BOOL:
        yes, no = st.yes_no
        return pd.Series(
            np.where(s.isna(), None, np.where(s.fillna(False).astype(bool), yes, no)), index=s.index, dtype=object
        )
    if f.type == MULTI:
        return multi_text(s, f.values, st.sep)
    if f.type == INDUSTRY and st.letter_share > 0:
        with_letter = g.random(len(s)) < st.letter_share
        letters = s.astype(str).str[:2].map(sections)
        return pd.Series(np.where(with_letter, letters + s.astype(str), s), index=s.index, dtype=object)
    if f.type == DECIMAL and f.money:
        v = money_values(s, st.money_unit)
        if st.thousands and st.money_unit != "亿元":
            return fmt_thousands(v, st.money_unit)
        return v
    if f.type == DECIMAL and f.percent and st.pct_sign:
        txt = pd.Series(
            pa.array(s.astype("Float64"), from_pandas=True).cast(pa.string()).to_pylist(), index=s.index, dtype=object
        )
        return txt.where(txt.isna(), txt + "%")
    return s


# ---------------------------------------------------------------- files
def _cell_str(x: object) -> str | None:
    if x is None or (isinstance(x, float) and np.isnan(x)) or x is pd.NA:
        return None
    if isinstance(x, float | np.floating):
        return pa.array([float(x)]).cast(pa.string())[0].as_py()
    return str(x)


def _arrow_column(s: pd.Series) -> pa.Array:
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        # Always a fresh copy through an object array: handing pandas' own (possibly sliced) Arrow string
        # buffers to the csv writer produced garbage bytes (pandas 3 + pyarrow 26).
        values = s.to_numpy(dtype=object, na_value=None)
        try:
            return pa.array(values, type=pa.string(), from_pandas=True)  # all str / None: the fast path
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            return pa.array([_cell_str(x) for x in values], type=pa.string())
    return pa.array(s, from_pandas=True)


def _csv_bytes(table: pa.Table, header: bool) -> bytes:
    # An Arrow sink, not io.BytesIO: through the Python-file wrapper a failed first attempt left NUL padding.
    sink = pa.BufferOutputStream()
    try:
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="none"))
    except pa.ArrowInvalid:  # a value holds a comma (thousand separators, a multi-value cell): quote what needs it
        sink = pa.BufferOutputStream()
        pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def _csv_line(cells: list[object]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if c is None else c for c in cells])
    return buf.getvalue().encode("utf-8")


def set_mtime(path: Path, when: dt.datetime) -> None:
    ts = int(when.replace(tzinfo=dt.UTC).timestamp())
    os.utime(path, (ts, ts))


def write_table(
    path: Path,
    template: Template,
    df: pd.DataFrame,
    st: Style,
    g: np.random.Generator,
    sections: dict[str, str],
    *,
    cell_edits: list[tuple[int, str, object]] = (),
    duplicates: list[tuple[int, int]] = (),
) -> Written:
    """Write `df` (internal form) as one file. `cell_edits` = (df row, column, raw value) applied after formatting;
    `duplicates` = (df row to copy, df row after which the copy is placed)."""
    fields = [f for f in template.fields if f.name in df.columns and f.name not in st.drop]
    headers = [header_text(f, st, g) for f in fields]
    cols: dict[str, pd.Series] = {}
    for f in fields:
        cols[f.name] = format_column(f, df[f.name].reset_index(drop=True), st, g, sections)
    for i, name, value in cell_edits:
        if cols[name].dtype != object:
            cols[name] = _obj(cols[name])
        cols[name].iat[i] = value
    n = len(df)
    order = list(range(n))
    for src, after in duplicates:
        order.insert(order.index(after) + 1, src)
    if duplicates:
        cols = {k: v.iloc[order].reset_index(drop=True) for k, v in cols.items()}
    m = len(order)
    if st.seq_col:
        headers = ["序号", *headers]
        cols = {"__seq": pd.Series(np.arange(1, m + 1)), **cols}
    blank_at = m // 2 if st.blank_row and m >= 4 else None
    header_line = len(st.titles) + 1
    excel_rows = [header_line + 1 + j + (1 if blank_at is not None and j >= blank_at else 0) for j in range(m)]
    total = None
    if st.total_row:
        total = [None] * len(cols)
        total[0] = "合计"
        for k, (name, s) in enumerate(cols.items()):
            if k and name != "__seq" and template.field(name).money and s.dtype != object:
                total[k] = _cell_str(float(np.round(s.astype("Float64").sum(), 6)))
        if template.source == "enterprises" and len(cols) > 1:
            total[1 if not st.seq_col else 2] = f"共{m}户"
    notes = list(st.notes) if st.note_row else []
    skipped = (1 if blank_at is not None else 0) + (1 if total else 0) + len(notes)
    path.parent.mkdir(parents=True, exist_ok=True)
    if st.fmt == "xlsx":
        _write_xlsx(path, template, st, headers, cols, blank_at, total, notes)
    else:
        _write_csv(path, st, headers, cols, blank_at, total, notes)
    return Written(path, m, skipped, excel_rows, order, headers)


def _write_csv(
    path: Path,
    st: Style,
    headers: list[str],
    cols: dict[str, pd.Series],
    blank_at: int | None,
    total: list | None,
    notes: list[str],
) -> None:
    arrays = [_arrow_column(s) for s in cols.values()]
    table = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])
    parts = [_csv_line([t]) for t in st.titles]
    parts.append(_csv_line(headers))
    if blank_at is None:
        parts.append(_csv_bytes(table, header=False))
    else:
        parts += [
            _csv_bytes(table.slice(0, blank_at), header=False),
            b"\n",
            _csv_bytes(table.slice(blank_at), header=False),
        ]
    if total:
        parts.append(_csv_line(total))
    parts += [_csv_line([t]) for t in notes]
    data = b"".join(parts)
    if st.crlf:
        data = data.replace(b"\n", b"\r\n")
    if st.encoding == "gbk":
        text = data.decode("utf-8")
        try:
            data = text.encode("gbk")
        except UnicodeEncodeError:
            data = text.encode("gb18030")
    elif st.encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


class FormulaCell(str):
    """A formula written without its computed result, as programs that do not calculate formulas save it."""


def _write_formula_cell(ws, row: int, col: int, formula: FormulaCell, fmt=None):
    return ws.write_formula(row, col, str(formula), fmt, "")  # "" = no cached value (<v></v>)


def _xlsx_value(x: object) -> object:
    if x is None or x is pd.NA or (isinstance(x, float) and np.isnan(x)):
        return None
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    return x


def _write_xlsx(
    path: Path,
    template: Template,
    st: Style,
    headers: list[str],
    cols: dict[str, pd.Series],
    blank_at: int | None,
    total: list | None,
    notes: list[str],
) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "default_date_format": "yyyy-mm-dd",
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"created": FIXED_CREATED, "author": "湖北省中小企业运行监测", "title": template.title})
    if st.note_sheet:
        ws0 = wb.add_worksheet("填报说明")
        ws0.write(0, 0, f"《{template.title}》填报说明")
        for i, t in enumerate(st.notes, start=1):
            ws0.write(i, 0, t)
        ws = wb.add_worksheet(template.title)
    else:
        ws = wb.add_worksheet("Sheet1")
    ws.add_write_handler(FormulaCell, _write_formula_cell)
    r = 0
    for t in st.titles:
        ws.write(r, 0, t)
        r += 1
    ws.write_row(r, 0, headers)
    r += 1
    lists = []
    for s in cols.values():
        if s.dtype == object:
            lists.append([_xlsx_value(x) for x in s])
        elif pd.api.types.is_extension_array_dtype(s.dtype):
            lists.append(_obj(s).tolist())
        else:
            lists.append([None if isinstance(x, float) and x != x else x for x in s.tolist()])
    for j, row in enumerate(zip(*lists, strict=True)):
        if j == blank_at:
            r += 1
        ws.write_row(r, 0, row)
        r += 1
    if total:
        ws.write_row(r, 0, total)
        r += 1
    for t in notes:
        ws.write(r, 0, t)
        r += 1
    wb.close()
