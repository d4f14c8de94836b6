"""The contract's rules as one vectorised DuckDB query per file.

`checked_sql` turns a table of text cells into: every contract field typed (`t_<field>` → the
field name), a `__skip` kind for blank/note/total rows, and `__errors`, a list of
{column, code, message, value} structs. A row loads when it is not skipped and has no errors.
"""

from __future__ import annotations

import csv
import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.contract import (
    BOOL,
    DATE,
    DECIMAL,
    DIVISION,
    ENUM,
    INDUSTRY,
    INT,
    MULTI,
    PERIOD,
    TEXT,
    USCC,
    Field,
    Template,
)
from ingest.headers import HeaderMap
from ingest.uscc import CHARSET, WEIGHTS

SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"
MULTI_SEPARATORS = "[；;、,，|]"
TRUE_WORDS = ("是", "y", "yes", "1", "true", "t", "对")
FALSE_WORDS = ("否", "n", "no", "0", "false", "f")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
NOTE_PREFIXES = ("填报说明", "说明", "注", "备注", "填表说明", "填报人", "审核人")
# Labels of the sign-off rows that close a statistical form. A row whose first non-empty cell starts with one is a
# note row however many cells it spreads over: what it holds (names, a phone number) never becomes data. Short
# labels that could begin a name (电话…, 联系人…) count only when followed by a colon or alone in their cell.
SIGN_OFF_LABELS = (
    "单位负责人", "统计负责人", "企业负责人", "部门负责人", "填表人", "填报人", "制表人", "审核人", "统计人员",
    "报出日期", "填报日期", "填表日期", "联系电话", "填报单位",
)  # fmt: skip
SIGN_OFF_SHORT_LABELS = ("负责人", "电话", "手机", "联系人")
INDUSTRY_SEED = "ref_industry_classes.csv"
INDUSTRY_REPORT_TO = f"如确认代码有效，请联系省经信厅数据组补充行业代码表（dbt_project/seeds/{INDUSTRY_SEED}）"
FORMULA_MARK = "\x01"  # ingest.reader.FORMULA_NO_VALUE: a formula cell without a cached value
WHITESPACE = "' \t\r\n\u3000'"  # trimmed around a free-text cell (SQL literal; NFKC turns U+3000 into a space)


def _nfkc_ascii_table() -> tuple[str, str]:
    """Every BMP character that NFKC turns into one ASCII character (full-width digits, signs, decimal points,
    letters, the ideographic space …), as the two strings of a SQL translate(). The characters whose NFKC form is
    longer (①⓪ → 10) are not numbers a clerk types; everything else stays as it is, as NFKC leaves it."""
    src, dst = [], []
    for cp in range(0x80, 0x10000):
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if len(n) == 1 and ord(n) < 0x80 and n != c:
            src.append(c)
            dst.append(n)
    return "".join(src), "".join(dst)


_NFKC_FROM, _NFKC_TO = _nfkc_ascii_table()


def normalise_cells_sql(cells: str, header: HeaderMap) -> str | None:
    """UPDATE that NFKC-normalises, in place, the cells of the columns read as numbers, dates, periods, yes/no, enums
    or codes (free text is kept as sent). Only rows holding a character that NFKC changes are touched: translate()
    with a long table is costly even on an empty selection, so it must not sit in the per-row check query.

    One test per row (any non-ASCII cell, then one regex over the row's cells joined) rather than one per cell, and
    the table through the sme_nfkc macro (NFKC_MACRO, created by the loader): the statement was ≈ 50 KB per file
    (the 354-character table three times per column) and took ≈ 15 ms to plan, now ≈ 2 KB and ≈ 3 ms. translate()
    leaves a cell without such a character as it is, so translating every cell of a touched row changes nothing
    else."""
    cols = sorted(m.index for m in header.matches.values() if m.field.type != TEXT)
    if not cols:
        return None
    any_non_ascii = " OR ".join(f"strlen(c{j}) <> length(c{j})" for j in cols)
    joined = "concat_ws(chr(31), " + ", ".join(f"c{j}" for j in cols) + ")"  # chr(31) is not in the table
    sets = ", ".join(f"c{j} = sme_nfkc(c{j})" for j in cols)
    return (
        f"UPDATE {cells} SET {sets} WHERE ({any_non_ascii}) AND regexp_matches({joined}, {q('[' + _NFKC_FROM + ']')})"
    )


TOTAL_WORDS = ("合计", "总计", "小计", "合  计")

# GB 32100 check character in SQL; kept in step with ingest.uscc by tests/unit/test_uscc.py.
_USCC_SUM = " + ".join(f"(strpos('{CHARSET}', code[{i + 1}]) - 1) * {w}" for i, w in enumerate(WEIGHTS))
USCC_VALID_MACRO = f"""
CREATE OR REPLACE TEMP MACRO uscc_ok(code) AS (
  regexp_full_match(code, '[0-9A-HJ-NPQRTUWXY]{{2}}[0-9]{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}')
  AND '{CHARSET}'[CAST((31 - ({_USCC_SUM}) % 31) % 31 AS BIGINT) + 1] = code[18]
)
"""


def q(s: str) -> str:
    """SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


# The NFKC table of normalise_cells_sql as a macro: one copy per connection instead of one per column.
NFKC_MACRO = f"CREATE OR REPLACE TEMP MACRO sme_nfkc(s) AS translate(s, {q(_NFKC_FROM)}, {q(_NFKC_TO)})"


def _list(values) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def _num_text(v: str, f: Field) -> str:
    """Strip thousand separators, spaces and (for percentages) a trailing %.

    Separators count only where they group thousands (`1,234.5`, `1，234`): `1.234,5` or `30,00` would
    otherwise silently become 1.2345 and 3000, so such a cell stays text and fails its type.
    """
    e = f"replace(replace(replace({v}, ',', ''), '，', ''), ' ', '')"
    grouped = f"regexp_full_match(replace({v}, ' ', ''), '[-+]?[0-9]{{1,3}}([,，][0-9]{{3}})+(\\.[0-9]*)?[%％]?')"
    e = f"CASE WHEN NOT regexp_matches({v}, '[,，]') OR {grouped} THEN {e} END"
    if f.percent:
        e = f"regexp_replace({e}, '[%％]$', '')"
    return e


def _parse(f: Field, v: str, scale: float, ref: Reference) -> tuple[str, str, str | None]:
    """Two stages for one field: (expression over the text `v`, expression over its result `p`, type-error code).

    Each stage yields NULL for a value that fails its type, so `bad = text present AND final value NULL`.
    Stage 1 runs once per cell; stage 2 may use the stage-1 value several times without recomputing it.
    """
    p = "{p}"
    if f.type == TEXT:
        return v, p, None
    if f.type == USCC:
        return f"upper({v})", f"CASE WHEN uscc_ok({p}) THEN {p} END", "uscc_invalid"
    if f.type == DIVISION:
        region = f"CASE WHEN starts_with({p}, '4290') THEN {p} ELSE substr({p}, 1, 4) || '00' END"
        ok = f"regexp_full_match({p}, '42[0-9]{{4}}') AND list_contains({_list(ref.regions)}, {region})"
        if f.province_level:
            ok = f"({p} = '420000' OR {ok})"
        return f"regexp_replace({v}, '\\.0$', '')", f"CASE WHEN {ok} THEN {p} END", "division_unknown"
    if f.type == INDUSTRY:
        parts = (
            f"regexp_extract(upper(regexp_replace({v}, '\\.0$', '')), '^([A-T]?)([0-9]{{4}})$', ['letter', 'digits'])"
        )
        # '3484', 'C3484', … every class with and without its section letter; a map looks up 4x faster than a list
        valid = "MAP {" + ", ".join(f"{q(k)}: true" for k in ref.industry_keys) + "}"
        return (
            parts,
            f"CASE WHEN map_contains({valid}, {p}.letter || {p}.digits) THEN {p}.digits END",
            ("industry_unknown"),
        )
    if f.type == DATE:
        # An Excel serial has five digits (10000 = 1927-05-18): a 4-digit number is a year typed alone, not a date.
        serial = f"CASE WHEN regexp_full_match({v}, '[0-9]{{5}}(\\.0+)?') THEN DATE '1899-12-30' + CAST(TRY_CAST({v} AS DOUBLE) AS INTEGER) END"
        return f"coalesce(CAST(try_strptime({v}, {_list(DATE_FORMATS)}) AS DATE), {serial})", p, "not_a_date"
    if f.type == PERIOD:
        iso = f"regexp_replace({v}, '^([0-9]{{4}})[-./年]?([0-9]{{1,2}})月?$', '\\1-\\2-01')"
        t = f"CASE WHEN regexp_full_match({v}, '[0-9]{{4}}[-./年]?[0-9]{{1,2}}月?') THEN CAST(try_strptime({iso}, '%Y-%m-%d') AS DATE) END"
        return t, f"CASE WHEN year({p}) BETWEEN 1949 AND 2100 THEN {p} END", "period_invalid"
    if f.type == INT:
        clean = f"regexp_replace({_num_text(v, f)}, '\\.0+$', '')"
        return (
            f"CASE WHEN regexp_full_match({clean}, '[-+]?[0-9]+') THEN TRY_CAST({clean} AS BIGINT) END",
            p,
            "not_a_number",
        )
    if f.type == DECIMAL:
        scaled = f"{p} * {scale!r}" if scale != 1.0 else p
        # Most cells are plain numbers: only the rest pay for removing separators and '%'.
        clean = _num_text(v, f)
        strict = f"CASE WHEN regexp_full_match({clean}, '[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?') THEN TRY_CAST({clean} AS DOUBLE) END"
        parsed = (
            f"CASE WHEN regexp_full_match({v}, '-?[0-9]+(\\.[0-9]+)?') THEN TRY_CAST({v} AS DOUBLE) ELSE {strict} END"
        )
        return parsed, f"CASE WHEN isfinite({p}) THEN {scaled} END", "not_a_number"
    if f.type == BOOL:
        lv = f"lower({v})"
        return (
            f"CASE WHEN {lv} IN {tuple(TRUE_WORDS)} THEN true WHEN {lv} IN {tuple(FALSE_WORDS)} THEN false END",
            p,
            ("enum_invalid"),
        )
    if f.type == ENUM:
        return f"CASE WHEN {v} IN {tuple(f.values)} THEN {v} END", p, "enum_invalid"
    if f.type == MULTI:
        items = f"list_distinct(list_filter(list_transform(regexp_split_to_array({v}, '{MULTI_SEPARATORS}'), lambda x: trim(x)), lambda x: x <> ''))"
        ok = f"len(list_filter({p}, lambda x: NOT list_contains({_list(f.values)}, x))) = 0"
        return items, f"CASE WHEN {ok} THEN {p} END", "enum_invalid"
    raise ValueError(f"unknown type {f.type} for {f.header}")


def _msg(*parts: str) -> str:
    """Concatenate SQL string expressions."""
    return " || ".join(parts)


def _type_message(f: Field, code: str, v: str) -> str:
    label = q(f"「{f.header}」")
    if code == "enum_invalid" and f.type == MULTI:
        return _msg(label, q(f"含有不允许的取值，允许：{'、'.join(f.values)}"))
    if code == "enum_invalid" and f.type == BOOL:
        return _msg(label, q("应填 是/否（或 Y/N、1/0、true/false）"))
    if code == "enum_invalid":
        return _msg(label, q(f"取值不在允许范围内，应为：{'、'.join(f.values)}"))
    texts = {
        "uscc_invalid": "不是有效的统一社会信用代码（格式或校验位错误）",
        "division_unknown": "不是湖北省的行政区划代码（应为42开头的6位代码）",
        "industry_unknown": "不是国民经济行业分类（GB/T 4754-2017）中的行业小类代码（4位数字，可带门类字母，如 C3484）；"
        + INDUSTRY_REPORT_TO,
        "not_a_date": "不是有效日期（可写作 2024-03-31、2024/3/31、2024年3月31日、20240331）",
        "period_invalid": "不是有效报告期（可写作 202403、2024-03、2024年3月、2024.03）",
        "not_a_number": "不是整数" if f.type == INT else "不是数字",
    }
    return _msg(label, q(texts[code]))


def _range_condition(f: Field, t: str) -> tuple[str, str] | None:
    conds, texts = [], []
    if f.min is not None:
        conds.append(f"{t} <= {f.min!r}" if f.min_exclusive else f"{t} < {f.min!r}")
        texts.append(f"应{'大于' if f.min_exclusive else '不小于'}{f.min:g}")
    if f.max is not None:
        conds.append(f"{t} > {f.max!r}")
        texts.append(f"应不大于{f.max:g}")
    if f.max_length is not None:
        conds.append(f"length({t}) > {f.max_length}")
        texts.append(f"不能超过{f.max_length}个字符")
    if not conds:
        return None
    return " OR ".join(conds), f"「{f.header}」超出允许范围（{'，'.join(texts)}）"


def _err(column: str, code: str, message_sql: str, value_sql: str) -> str:
    return f"{{'column': {q(column)}, 'code': {q(code)}, 'message': {message_sql}, 'value': {value_sql}}}"


def checked_sql(
    template: Template,
    cells: str,
    header: HeaderMap,
    header_row: int,
    width: int,
    today: str,
    ref: Reference | None = None,
    header_width: int | None = None,
) -> str:
    """The query that types and checks every data row of `cells` below `header_row` (its 1-based line).

    `header_width` is the number of cells in the header row (up to its last non-empty one): values beyond it
    belong to no column. Columns inside it that match no field are reported once, not per row.
    """
    ref = ref or load_reference()
    fields = template.fields
    text_cols, stage1, stage2, bad_cols, conds = [], [], [], [], []

    def err(cond: str, column: str, code: str, message_sql: str, value_sql: str) -> None:
        conds.append((cond, _err(column, code, message_sql, value_sql)))

    for f in fields:
        m = header.matches.get(f.name)
        # Cells are NFKC-normalised beforehand (normalise_cells_sql), except free text, kept as sent; all trimmed.
        if m is None:
            text_cols.append(f"CAST(NULL AS VARCHAR) AS v_{f.name}")
        else:  # trim(c) is much cheaper than trim(c, characters): the latter only for free text, which NFKC skips
            trimmed = f"trim(c{m.index}, {WHITESPACE})" if f.type == TEXT else f"trim(c{m.index})"
            text_cols.append(f"nullif({trimmed}, '') AS v_{f.name}")
        e1, e2, code = _parse(f, f"v_{f.name}", m.scale if m else 1.0, ref)
        stage1.append(f"{e1} AS p_{f.name}")
        stage2.append(f"{e2.replace('{p}', f'p_{f.name}')} AS {f.name}")
        formula = f"starts_with(v_{f.name}, {q(FORMULA_MARK)})"
        bad_cols.append(
            f"(v_{f.name} IS NOT NULL AND ({f.name} IS NULL OR {formula})) AS __bad_{f.name}"
            if f.type == TEXT
            else f"(v_{f.name} IS NOT NULL AND {f.name} IS NULL) AS __bad_{f.name}"
        )
        if f.required:
            err(f"v_{f.name} IS NULL", f.name, "required_missing", q(f"「{f.header}」为必填项，不能为空"), "NULL")
        if m is not None:
            err(
                formula,
                f.name,
                "formula_no_value",
                q(
                    f"「{f.header}」是公式单元格，但文件中没有保存公式的计算结果（常见于程序生成的表格）："
                    "请用表格软件打开文件、重新计算并保存后再报送"
                ),
                f"ltrim(v_{f.name}, {q(FORMULA_MARK)})",
            )
        if code:
            err(f"__bad_{f.name} AND NOT {formula}", f.name, code, _type_message(f, code, f"v_{f.name}"), f"v_{f.name}")
    for f in fields:
        rng = _range_condition(f, f.name)
        if rng:
            cond, msg = rng
            err(f"{f.name} IS NOT NULL AND ({cond})", f.name, "out_of_range", q(msg), f"v_{f.name}")
    for p in template.no_future_period:
        err(f"{p} > DATE {q(today)}", p, "period_future", q(f"「{template.field(p).header}」晚于当前月份"), f"v_{p}")
    for r in template.cross_rules:
        ok_inputs = " AND ".join(f"NOT __bad_{n}" for n in r.needs)
        err(
            f"{ok_inputs} AND NOT coalesce({r.sql}, true)",
            r.column,
            "inconsistent",
            q(f"{r.message}（规则 {r.name}）"),
            f"v_{r.column}",
        )
    for c in template.conditional_required:
        ok_inputs = " AND ".join(f"NOT __bad_{n}" for n in c.needs)
        err(
            f"{ok_inputs} AND v_{c.column} IS NULL AND coalesce({c.when_sql}, false)",
            c.column,
            "required_missing",
            q(c.message),
            "NULL",
        )
    # duplicate_in_file comes here in the list (after the row's own checks, before a ragged row's extra
    # cells); it is added by `duplicates_sql` once the typed keys exist, to the few rows it concerns.

    # Cells right of the header row's last cell: a ragged row whose extra values would otherwise be lost.
    if header_width is None:
        header_width = max((m.index for m in header.matches.values()), default=0) + 1
    extra = [f"nullif(trim(c{j}), '')" for j in range(header_width, width)]
    extra_expr = f"coalesce({', '.join(extra)})" if extra else "CAST(NULL AS VARCHAR)"
    # A row with more cells than the header has usually been shifted by an unquoted comma; in a template with
    # personal data the cell outside the table is then often the phone number, so its value is not echoed.
    personal = any(f.personal for f in fields)
    err(
        "__extra IS NOT NULL",
        "(多余列)",
        "inconsistent",
        q(
            "该行的列数多于表头，多出的值无法对应到任何列"
            + ("（可能某个单元格中含有未加引号的逗号；为保护个人信息，不显示多出的值）" if personal else "")
        ),
        "NULL" if personal else "__extra",
    )

    cells_nn = [f"nullif(trim(c{j}), '')" for j in range(width)]
    all_cells = ", ".join(cells_nn) or "NULL"
    first = ", ".join(cells_nn[:3]) or "NULL"
    first3 = "[" + ", ".join(f"replace(trim(c{j}), ' ', '')" for j in range(min(width, 3))) + "]"
    notes = "|".join(NOTE_PREFIXES)
    sign_off = f"({'|'.join(SIGN_OFF_LABELS)})|({'|'.join(SIGN_OFF_SHORT_LABELS)})([:：]|$)"
    first_cell = f"coalesce({all_cells})"
    totals = _list(tuple(w.replace(" ", "") for w in TOTAL_WORDS))
    # A note row has exactly one non-empty cell, among the first three (the prefix test reads only those); a
    # total row has a total word in one of its first three cells. Cheap tests first: nearly every row is data.
    rest_empty = f"coalesce({', '.join(cells_nn[3:])}) IS NULL" if width > 3 else "true"
    one_of_first = " + ".join(f"({c} IS NOT NULL)::INTEGER" for c in cells_nn[:3]) or "0"
    shared = set.intersection(*(set(w.replace(" ", "")) for w in TOTAL_WORDS))
    total_hint = (
        " OR ".join(f"contains(c{j}, {q(min(shared))})" for j in range(min(width, 3))) if shared and width else "true"
    )
    body = [f.name for f in fields]
    any_error = " OR ".join(f"({c})" for c, _ in conds)
    items = ", ".join(f"CASE WHEN {c} THEN {e} END" for c, e in conds)
    return f"""
WITH src AS (
  SELECT __line, {", ".join(text_cols)},
         CASE WHEN coalesce({all_cells}) IS NULL THEN 'blank'
              WHEN regexp_matches(replace(replace({first_cell}, ' ', ''), '\u3000', ''), '^({sign_off})') THEN 'note'
              WHEN {rest_empty} AND ({one_of_first}) = 1
                   AND regexp_matches(replace(coalesce({first}, ''), ' ', ''), '^({notes})') THEN 'note'
              WHEN ({total_hint}) AND list_has_any({first3}, {totals}) THEN 'total' END AS __skip,
         {extra_expr} AS __extra
  FROM {cells} WHERE __line > {header_row}
), parsed AS (
  SELECT *, {", ".join(stage1)} FROM src
), typed AS (
  SELECT __line, __skip, __extra, {", ".join(f"v_{f.name}" for f in fields)}, {", ".join(stage2)} FROM parsed
), flagged AS (
  SELECT *, {", ".join(bad_cols)} FROM typed
)
SELECT __line, __skip, {", ".join(body)},
       CASE WHEN __skip IS NULL AND ({any_error})
            THEN list_filter([{items}], lambda e: e IS NOT NULL) ELSE [] END AS __errors
FROM flagged
"""


def duplicates_sql(template: Template, checked: str, cells: str, header: HeaderMap) -> str:
    """UPDATE that adds duplicate_in_file to every row repeating the key of an earlier row of the file.

    Only rows whose key cells all parse and that are not skipped take part; the first occurrence loads.
    The error goes before a ragged row's extra-cells error, where the single-pass list had it. Grouping the
    narrow key columns finds the (usually no) repeated keys without sorting the whole checked table.
    """
    keys = template.key
    key_label = "、".join(template.field(k).header for k in keys)
    key_ok = " AND ".join(f"{k} IS NOT NULL" for k in keys)
    m = header.matches.get(keys[0])
    value = f"nullif(trim(x.c{m.index}), '')" if m else "CAST(NULL AS VARCHAR)"
    dup = _err(keys[0], "duplicate_in_file", q(f"文件内重复：与前面某行的{key_label}相同，以第一次出现的行为准"), "d.v")
    join = " AND ".join(f"c.{k} = g.{k}" for k in keys)
    return f"""
UPDATE {checked} SET __errors = list_filter(__errors, lambda e: e.column <> '(多余列)') || [{dup}]
                                || list_filter(__errors, lambda e: e.column = '(多余列)')
FROM (
  SELECT c.__line, {value} AS v
  FROM (SELECT {", ".join(keys)}, min(__line) AS first FROM {checked} WHERE {key_ok} AND __skip IS NULL
        GROUP BY ALL HAVING count(*) > 1) g
  JOIN {checked} c ON {join} AND c.__line > g.first AND c.__skip IS NULL
  JOIN {cells} x ON x.__line = c.__line
) d
WHERE {checked}.__line = d.__line
"""


@dataclass(frozen=True)
class Reference:
    """Lookup lists the rules need, read once from the dbt seeds (the single copy of the code lists)."""

    regions: tuple[str, ...]
    industry_keys: tuple[str, ...]  # every GB/T 4754-2017 class, with and without its section letter


@functools.cache
def load_reference(seeds_dir: Path = SEEDS_DIR) -> Reference:
    with open(seeds_dir / "ref_regions.csv", encoding="utf-8") as fh:
        regions = tuple(r["region_code"] for r in csv.DictReader(fh))
    return Reference(regions, tuple(industry_keys(seeds_dir)))


def industry_classes(seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """class code → section letter, from the seed the department extends (a class row names its group as parent)."""
    with open(seeds_dir / INDUSTRY_SEED, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    parent = {r["code"].strip(): r["parent"].strip() for r in rows}

    def section(code: str) -> str:
        seen = 0
        while code and not code.isalpha() and seen < 5:
            code, seen = parent.get(code, ""), seen + 1
        return code

    return {r["code"].strip(): section(r["code"].strip()) for r in rows if r["level"].strip() == "class"}


def industry_keys(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    keys: list[str] = []
    for code, letter in sorted(industry_classes(seeds_dir).items()):
        keys += [code, letter + code]
    return keys
