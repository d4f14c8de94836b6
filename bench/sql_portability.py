"""Which dbt models and macros use DuckDB-only SQL, and what would replace it on another engine (docs/SCALE.md).

    .venv/bin/python -m bench.sql_portability            # print the table
    .venv/bin/python -m bench.sql_portability --write    # rewrite the marked section of docs/SCALE.md
    .venv/bin/python -m bench.sql_portability --check    # exit 1 when docs/SCALE.md is not current

The catalogue is the list of differences measured against Spark 4.3 / dbt-spark 1.11 in
../shared/reference/STACK.md, plus the DuckDB extensions this project uses. A scan of the source text (comments
removed), not of the compiled SQL: a construct in a macro is listed under the macro, where it would be changed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DBT = ROOT / "dbt_project"
DOC = ROOT / "docs" / "SCALE.md"
START, END = "<!-- portability:start -->", "<!-- portability:end -->"


@dataclass(frozen=True)
class Construct:
    key: str
    pattern: str  # case-insensitive regex over SQL with comments removed
    duckdb: str  # what it is, as written here
    replacement: str  # what would replace it (cross-database macro or the Spark spelling)


CATALOGUE: tuple[Construct, ...] = (
    Construct(
        "cast ::",
        r"::\s*[a-z]",
        "`x::type` casts",
        "`cast(x as type)` / `{{ dbt.cast(x, api.Column.translate_type('string')) }}`",
    ),
    Construct(
        "strptime/strftime",
        r"\bstr[pf]time\s*\(",
        "`strptime`, `strftime`",
        "`to_timestamp(s, fmt)`, `date_format` (Spark); a dispatched macro",
    ),
    Construct(
        "QUALIFY",
        r"\bqualify\b",
        "`QUALIFY` window filter",
        "a subquery filtering `row_number()` (Spark ≥ 4.3 has QUALIFY; 3.5 has not)",
    ),
    Construct(
        "regexp_*",
        r"\bregexp_\w+\s*\(",
        "`regexp_*` (DuckDB defaults: first match, group 1 via option)",
        "`regexp_replace` replaces all in Spark (no `'g'`), always pass the group to `regexp_extract`; `rlike`",
    ),
    Construct(
        "* EXCLUDE",
        r"\*\s*exclude\b|\bexclude\s*\(",
        "`SELECT * EXCLUDE (…)`",
        "explicit columns or `{{ dbt_utils.star(from=…, except=[…]) }}`",
    ),
    Construct(
        "list functions",
        r"\blist_\w+\s*\(|\blist\s*\(|\bunnest\s*\(|\blen\s*\(",
        "`list(…)`, `list_*`, `unnest`, `len`",
        "`collect_list`, `array_contains`, `explode`, `size` (Spark); dispatched macros",
    ),
    Construct("list literal", r"(?<![\w\]])\[\s*'", "`['a', 'b']` list literals", "`array('a', 'b')`"),
    Construct("string_split", r"\bstring_split\s*\(", "`string_split`", "`split` (a regex in Spark)"),
    Construct("arg_max/arg_min", r"\barg_(max|min)\s*\(", "`arg_max`, `arg_min`", "`max_by`, `min_by` (both engines)"),
    Construct(
        "generate_series/range",
        r"\bgenerate_series\s*\(|\brange\s*\(",
        "`generate_series`, `range`",
        "`sequence(…)` + `explode` (Spark) or `{{ dbt.date_spine }}`",
    ),
    Construct(
        "hash()",
        r"(?<![\w.])hash\s*\(",
        "`hash(…)` (engine-specific values)",
        "`md5(…)` / `{{ dbt_utils.generate_surrogate_key }}`",
    ),
    Construct(
        "UNION BY NAME",
        r"\bunion\s+(all\s+)?by\s+name\b",
        "`UNION ALL BY NAME`",
        "explicit column lists / `{{ dbt_utils.union_relations }}`",
    ),
    Construct("date_diff", r"\bdate_?diff\s*\(", "`date_diff('day', a, b)`", "`{{ dbt.datediff(a, b, 'day') }}`"),
    Construct("interval arithmetic", r"\binterval\b", "`d + interval (n) month`", "`{{ dbt.dateadd('month', n, d) }}`"),
    Construct(
        "date_trunc",
        r"\bdate_trunc\s*\(",
        "`date_trunc('month', d)` (a date)",
        "`{{ dbt.date_trunc('month', d) }}` (a timestamp in Spark: cast to date)",
    ),
    Construct(
        "string_agg", r"\bstring_agg\s*\(", "`string_agg(x, sep ORDER BY …)`", "`{{ dbt.listagg(x, sep, order_by) }}`"
    ),
    Construct(
        "struct/map literals",
        r"\bstruct_pack\s*\(|\bmap\s*\(\s*\[|\{\s*'\w+'\s*:",
        "`struct_pack`, `{'k': v}`, `map([…], […])`",
        "`named_struct`, `map(k, v, …)` (Spark)",
    ),
    Construct(
        "DuckDB types",
        r"\b(hugeint|ubigint|uinteger|utinyint)\b",
        "`hugeint`, unsigned integers",
        "`decimal(38, 0)`, `bigint`",
    ),
    Construct(
        "delete+insert",
        r"delete\+insert",
        "`incremental_strategy='delete+insert'`",
        "`insert_overwrite` with `partition_by` (dbt-spark; Parquet/Hive tables), or `merge` on Delta/Iceberg",
    ),
    Construct(
        "contains", r"\bcontains\s*\(", "`contains(s, t)`", "`instr(s, t) > 0` (portable) — Spark ≥ 3.3 has `contains`"
    ),
)

# Portable on both engines (checked in STACK.md), not listed: max_by, count_if, FILTER (WHERE …), GROUP BY ALL,
# array_agg, make_date, last_day, coalesce, nullif, greatest/least, bool_or, row_number/lag/lead.

_LINE_COMMENT = re.compile(r"--[^\n]*")
_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_JINJA_STATEMENT = re.compile(r"\{%.*?%\}", re.S)  # `{% for i in range(3) %}` is Jinja, not SQL


def _strip_jinja_expressions(text: str) -> str:
    """`{{ … }}` → a placeholder, braces matched (a macro's `{{ return({'k': {…}}) }}` is Jinja data, not SQL);
    `{{ config(…) }}` is kept: it holds the incremental strategy."""
    out, i = [], 0
    while (j := text.find("{{", i)) >= 0:
        depth, k = 0, j
        while k < len(text):
            if text[k] == "{":
                depth += 1
            elif text[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        expr = text[j : k + 1]
        out.append(text[i:j])
        out.append(expr if re.match(r"\{\{-?\s*config\s*\(", expr) else " jinja_expr ")
        i = k + 1
    out.append(text[i:])
    return "".join(out)


def strip_comments(sql: str) -> str:
    """The SQL text of a model or macro: SQL and Jinja comments, Jinja statements and expressions removed."""
    text = _JINJA_STATEMENT.sub("", _JINJA_COMMENT.sub("", sql))
    return _strip_jinja_expressions(_LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", text)))


def constructs_in(sql: str) -> dict[str, int]:
    """Occurrences of each catalogued construct in one file's SQL (comments do not count)."""
    text = strip_comments(sql)
    out = {}
    for c in CATALOGUE:
        n = len(re.findall(c.pattern, text, flags=re.I))
        if n:
            out[c.key] = n
    return out


def scan(dbt_dir: Path = DBT) -> dict[str, dict[str, int]]:
    """{relative path: {construct: count}} for every model and macro that uses at least one construct."""
    found: dict[str, dict[str, int]] = {}
    for folder in ("models", "macros", "tests"):
        for p in sorted((dbt_dir / folder).rglob("*.sql")):
            hits = constructs_in(p.read_text(encoding="utf-8"))
            if hits:
                found[p.relative_to(dbt_dir).as_posix()] = hits
    return found


def markdown(found: dict[str, dict[str, int]], total_files: int) -> str:
    by_key = {c.key: c for c in CATALOGUE}
    lines = [
        f"Generated by `python -m bench.sql_portability --write` from the SQL of `dbt_project/` ({len(found)} of "
        f"{total_files} SQL files use at least one DuckDB-only construct; comments excluded).",
        "",
        "| construct | files | uses | replacement on another engine |",
        "|---|---|---|---|",
    ]
    for c in CATALOGUE:
        files = [f for f, h in found.items() if c.key in h]
        if not files:
            continue
        uses = sum(found[f][c.key] for f in files)
        lines.append(f"| {c.duckdb} | {len(files)} | {uses} | {c.replacement} |")
    lines += ["", "| file | constructs (uses) |", "|---|---|"]
    for f, hits in found.items():
        cell = ", ".join(f"{by_key[k].key} ({n})" for k, n in hits.items())
        lines.append(f"| `{f}` | {cell} |")
    return "\n".join(lines) + "\n"


def current_section(dbt_dir: Path = DBT) -> str:
    total = sum(1 for folder in ("models", "macros", "tests") for _ in (dbt_dir / folder).rglob("*.sql"))
    return markdown(scan(dbt_dir), total)


def replace_section(doc: str, section: str) -> str:
    if START not in doc or END not in doc:
        raise ValueError(f"docs/SCALE.md has no {START} … {END} markers")
    head, rest = doc.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{section}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the marked section of docs/SCALE.md")
    ap.add_argument("--check", action="store_true", help="exit 1 when docs/SCALE.md is not current")
    args = ap.parse_args(argv)
    section = current_section()
    if not (args.write or args.check):
        print(section)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    new = replace_section(doc, section)
    if args.check:
        if new != doc:
            print("docs/SCALE.md: the DuckDB-only SQL list is out of date: python -m bench.sql_portability --write")
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
