"""The contract's rules as one vectorised DuckDB query per file.

`checked_sql` turns a table of text cells into: every contract field typed (`t_<field>` → the
field name), a `__skip` kind for blank/note/total rows, and `__errors`, a list of
{column, code, message, value} structs. A row loads when it is not skipped and has no errors.
"""

from __future__ import annotations

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

MULTI_SEPARATORS = "[；;、,，|]"
TRUE_WORDS = ("是", "y", "yes", "1", "true", "t", "对")
FALSE_WORDS = ("否", "n", "no", "0", "false", "f")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
NOTE_PREFIXES = ("填报说明", "说明", "注", "备注", "填表说明", "填报人", "审核人")
TOTAL_WORDS = ("合计", "总计", "小计", "合  计")

# GB 32100 check character in SQL; kept in step with ingest.uscc by tests/test_uscc.py.
USCC_VALID_MACRO = f"""
CREATE OR REPLACE TEMP MACRO uscc_ok(code) AS (
  regexp_full_match(code, '[0-9A-HJ-NPQRTUWXY]{{2}}[0-9]{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}')
  AND substr('{CHARSET}', CAST((31 - (list_sum(list_transform(range(1, 18),
        lambda i: (strpos('{CHARSET}', substr(code, i, 1)) - 1) * ({list(WEIGHTS)})[i])) % 31)) % 31 AS BIGINT) + 1, 1)
      = substr(code, 18, 1)
)
"""


def q(s: str) -> str:
    """SQL string literal."""
    return "'" + s.replace("'", "''") + "'"


def _list(values) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def _num_text(v: str, f: Field) -> str:
    """Strip thousand separators, spaces and (for percentages) a trailing %."""
    e = f"replace(replace(replace({v}, ',', ''), '，', ''), ' ', '')"
    if f.percent:
        e = f"regexp_replace({e}, '[%％]$', '')"
    return e


def _parse(f: Field, v: str, scale: float) -> tuple[str, str | None, str | None]:
    """(typed expression, type-error condition, type-error code) for a field whose text is `v`."""
    label = f.header
    if f.type == TEXT:
        return v, None, None
    if f.type == USCC:
        t = f"upper({v})"
        return t, f"NOT coalesce(uscc_ok({t}), false)", "uscc_invalid"
    if f.type == DIVISION:
        t = f"regexp_replace({v}, '\\.0$', '')"
        region = f"CASE WHEN starts_with({t}, '4290') THEN {t} ELSE substr({t}, 1, 4) || '00' END"
        return t, f"NOT (regexp_full_match({t}, '42[0-9]{{4}}') AND {region} IN (SELECT region_code FROM __regions))", (
            "division_unknown"
        )
    if f.type == INDUSTRY:
        raw = f"upper(regexp_replace({v}, '\\.0$', ''))"
        digits = f"regexp_extract({raw}, '^([A-T]?)([0-9]{{4}})$', 2)"
        letter = f"regexp_extract({raw}, '^([A-T]?)([0-9]{{4}})$', 1)"
        t = f"nullif({digits}, '')"
        ok = (
            f"(regexp_full_match({raw}, '[A-T]?[0-9]{{4}}') AND EXISTS (SELECT 1 FROM __industries i "
            f"WHERE i.division_code = substr({digits}, 1, 2) AND ({letter} = '' OR i.section_code = {letter})))"
        )
        return t, f"NOT {ok}", "industry_unknown"
    if f.type == DATE:
        serial = f"CASE WHEN regexp_full_match({v}, '[0-9]{{4,5}}(\\.0+)?') THEN DATE '1899-12-30' + CAST(TRY_CAST({v} AS DOUBLE) AS INTEGER) END"
        t = f"coalesce(CAST(try_strptime({v}, {_list(DATE_FORMATS)}) AS DATE), {serial})"
        return t, f"{t} IS NULL", "not_a_date"
    if f.type == PERIOD:
        m = f"regexp_extract({v}, '^([0-9]{{4}})(?:[-./年]?)([0-9]{{1,2}})月?$', ['y', 'm'])"
        t = (
            f"CASE WHEN TRY_CAST({m}.m AS INTEGER) BETWEEN 1 AND 12 AND TRY_CAST({m}.y AS INTEGER) BETWEEN 1949 AND 2100 "
            f"THEN make_date(CAST({m}.y AS INTEGER), CAST({m}.m AS INTEGER), 1) END"
        )
        return t, f"{t} IS NULL", "period_invalid"
    if f.type == INT:
        clean = f"regexp_replace({_num_text(v, f)}, '\\.0+$', '')"
        t = f"TRY_CAST({clean} AS BIGINT)"
        return t, f"{t} IS NULL", "not_a_number"
    if f.type == DECIMAL:
        t = f"TRY_CAST({_num_text(v, f)} AS DOUBLE)"
        if scale != 1.0:
            t = f"({t} * {scale!r})"
        return t, f"{t} IS NULL OR isnan({t}) OR isinf({t})", "not_a_number"
    if f.type == BOOL:
        lv = f"lower({v})"
        t = f"CASE WHEN {lv} IN {tuple(TRUE_WORDS)} THEN true WHEN {lv} IN {tuple(FALSE_WORDS)} THEN false END"
        return t, f"{t} IS NULL", "enum_invalid"
    if f.type == ENUM:
        return v, f"{v} NOT IN {tuple(f.values)}", "enum_invalid"
    if f.type == MULTI:
        t = f"list_distinct(list_filter(list_transform(regexp_split_to_array({v}, '{MULTI_SEPARATORS}'), lambda x: trim(x)), lambda x: x <> ''))"
        return t, f"len(list_filter({t}, lambda x: NOT list_contains({_list(f.values)}, x))) > 0", "enum_invalid"
    raise ValueError(f"unknown type {f.type} for {label}")


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
        "industry_unknown": "不是有效的国民经济行业代码（GB/T 4754-2017，4位数字，可带门类字母）",
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


def checked_sql(template: Template, cells: str, header: HeaderMap, header_row: int, width: int, today: str) -> str:
    """The query that types and checks every data row of `cells` below `header_row` (1-based line)."""
    text: dict[str, str] = {}
    for f in template.fields:
        m = header.matches.get(f.name)
        text[f.name] = f"nullif(trim(c{m.index}), '')" if m else "CAST(NULL AS VARCHAR)"

    typed_cols, err_items, type_bad = [], [], {}
    for f in template.fields:
        v = f"v_{f.name}"
        m = header.matches.get(f.name)
        t, bad, code = _parse(f, v, m.scale if m else 1.0)
        typed_cols.append(f"CASE WHEN {v} IS NULL THEN NULL WHEN {bad or 'false'} THEN NULL ELSE {t} END AS {f.name}")
        type_bad[f.name] = f"({v} IS NOT NULL AND ({bad or 'false'}))"
        if f.required:
            err_items.append(f"CASE WHEN {v} IS NULL THEN {_err(f.name, 'required_missing', q(f'「{f.header}」为必填项，不能为空'), 'NULL')} END")
        if bad:
            err_items.append(f"CASE WHEN {type_bad[f.name]} THEN {_err(f.name, code, _type_message(f, code, v), v)} END")
    # Rules on typed values run in the outer query, where the typed columns exist.
    outer_errs = []
    for f in template.fields:
        rng = _range_condition(f, f.name)
        if rng:
            cond, msg = rng
            outer_errs.append(f"CASE WHEN {f.name} IS NOT NULL AND ({cond}) THEN {_err(f.name, 'out_of_range', q(msg), f'v_{f.name}')} END")
    for p in template.no_future_period:
        outer_errs.append(
            f"CASE WHEN {p} IS NOT NULL AND {p} > date_trunc('month', DATE {q(today)}) THEN "
            f"{_err(p, 'period_future', q(f'「{template.field(p).header}」晚于当前月份'), f'v_{p}')} END"
        )
    for r in template.cross_rules:
        ok_inputs = " AND ".join(f"NOT __bad_{n}" for n in r.needs)
        outer_errs.append(
            f"CASE WHEN {ok_inputs} AND NOT coalesce({r.sql}, true) THEN "
            f"{_err(r.column, 'inconsistent', q(f'{r.message}（规则 {r.name}）'), f'v_{r.column}')} END"
        )
    for c in template.conditional_required:
        ok_inputs = " AND ".join(f"NOT __bad_{n}" for n in c.needs)
        outer_errs.append(
            f"CASE WHEN {ok_inputs} AND v_{c.column} IS NULL AND coalesce({c.when_sql}, false) THEN "
            f"{_err(c.column, 'required_missing', q(c.message), 'NULL')} END"
        )
    # The same key twice in one file: the later row is the duplicate (only rows whose key cells are readable).
    key_ok = " AND ".join(f"{k} IS NOT NULL" for k in template.key)
    key_cols = ", ".join(template.key)
    key_label = "、".join(template.field(k).header for k in template.key)
    outer_errs.append(
        f"CASE WHEN {key_ok} AND __skip IS NULL AND row_number() OVER (PARTITION BY {key_cols}, ({key_ok}), __skip IS NULL ORDER BY __line) > 1 THEN "
        f"{_err(template.key[0], 'duplicate_in_file', q(f'文件内重复：与前面某行的{key_label}相同，以第一次出现的行为准'), f'v_{template.key[0]}')} END"
    )
    # Cells to the right of the header: a ragged row whose extra values would otherwise be lost.
    header_width = max((m.index for m in header.matches.values()), default=0) + 1
    extra = [f"nullif(trim(c{j}), '')" for j in range(header_width, width)]
    extra_header_cols = set(range(header_width, width))
    if extra:
        # Only columns the header row leaves empty count as "extra"; unrecognised named columns are reported separately.
        extra_expr = f"coalesce({', '.join(extra)})"
        outer_errs.append(
            f"CASE WHEN __extra IS NOT NULL THEN {_err('(多余列)', 'inconsistent', q('该行的列数多于表头，多出的值无法对应到任何列'), '__extra')} END"
        )
    else:
        extra_expr = "CAST(NULL AS VARCHAR)"
    del extra_header_cols

    all_cells = [f"c{j}" for j in range(width)]
    row_text = "concat_ws('', " + ", ".join(f"trim(coalesce({c}, ''))" for c in all_cells) + ")" if all_cells else "''"
    first_cells = [f"regexp_replace(trim(coalesce(c{j}, '')), '\\s', '', 'g')" for j in range(min(width, 3))]
    first_nonempty = "coalesce(" + ", ".join(f"nullif({c}, '')" for c in first_cells) + ")" if first_cells else "NULL"
    note_cond = " OR ".join(f"starts_with({first_nonempty}, {q(p)})" for p in NOTE_PREFIXES)
    totals = tuple(w.replace(" ", "") for w in TOTAL_WORDS)
    total_cond = " OR ".join(f"{c} IN {totals}" for c in first_cells)
    skip = (
        f"CASE WHEN {row_text} = '' THEN 'blank' WHEN {note_cond} THEN 'note' WHEN {total_cond} THEN 'total' END"
        if width
        else "'blank'"
    )
    raw_record = (
        "to_json(map_from_entries(list_filter(["
        + ", ".join(f"{{'k': {q(m.header)}, 'v': c{m.index}}}" for m in sorted(header.matches.values(), key=lambda m: m.index))
        + "], lambda e: e.v IS NOT NULL)))::VARCHAR"
    )
    text_cols = ", ".join(f"{text[f.name]} AS v_{f.name}" for f in template.fields)
    bad_cols = ", ".join(f"{type_bad[f.name]} AS __bad_{f.name}" for f in template.fields)
    inner_errs = "[" + ", ".join(err_items) + "]" if err_items else "[]"
    return f"""
WITH src AS (
  SELECT __line, {text_cols}, {skip} AS __skip, {extra_expr} AS __extra, {raw_record} AS __raw
  FROM {cells} WHERE __line > {header_row}
), typed AS (
  SELECT __line, __skip, __extra, __raw, {', '.join(f'v_{f.name}' for f in template.fields)},
         {', '.join(typed_cols)}, {bad_cols}, {inner_errs} AS __e1
  FROM src
)
SELECT * EXCLUDE (__e1),
       CASE WHEN __skip IS NOT NULL THEN []
            ELSE list_filter(__e1 || [{', '.join(outer_errs)}], lambda e: e IS NOT NULL) END AS __errors
FROM typed
"""
