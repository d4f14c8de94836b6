"""The floor: DuckDB alone loading the same files and running the same SQL, nothing else.

    python -m bench.floor --db DIR/build.duckdb --manifest MANIFEST.json --seed-types SEEDS.json INBOX [INBOX ...]

What it does, and nothing more:
- csv: GBK/GB18030 (and BOM) files are transcoded to UTF-8 in Python first (DuckDB reads UTF-8 only without an
  extension), then `read_csv(all_varchar=true)`; xlsx: python-calamine, cells to text, into DuckDB through Arrow;
- finds the header row among the first lines and maps headers to the contract's canonical names (unit scale
  included), TRY_CASTs every column to its raw type, keeps rows whose key columns parse, appends to raw.<source>
  with the lineage columns the staging models read (load_id, source_file; source_row is NULL: numbering the rows
  costs ≈ 1 s per 270 000 and only breaks ties between duplicate keys inside one file, which the floor ignores);
- loads the dbt seeds with read_csv (column types as `dbt seed` makes them), then runs the compiled SQL of every
  dbt model in dependency order, materialised as the project configures it (view / table), into the database the
  project configures: the marts go to build_marts.duckdb beside --db, attached as the dbt profile attaches it.
No Dagster, no dbt process, no validation rules, no quarantine, no receipts, no checks, no tests, no publish.
Prints one JSON object with its timings.
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from ingest.contract import BOOL, DATE, DECIMAL, DUCKDB_TYPES, INDUSTRY, INT, MULTI, PERIOD, TEMPLATES, USCC
from ingest.headers import find_header_row
from warehouse.schema import MANIFEST_DDL

PREVIEW = 40
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S"]
PERIOD_FORMATS = ["%Y%m", "%Y-%m", "%Y年%m月", "%Y.%m", "%Y/%m", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"]
TRUE_WORDS = ("是", "y", "yes", "1", "true", "t", "对")
FALSE_WORDS = ("否", "n", "no", "0", "false", "f")


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _list(xs) -> str:
    return "[" + ", ".join(_lit(x) for x in xs) + "]"


def cast_expr(field, v: str, scale: float) -> str:
    """Text cell → raw type. TRY_CAST first (what nearly every cell needs), a second try only where it fails."""
    t = field.type
    if t == USCC:
        return f"upper({v})"
    if t == INDUSTRY:
        return f"nullif(regexp_extract({v}, '([0-9]{{4}})(\\.0)?$', 1), '')"
    if t == INT:
        return f"coalesce(TRY_CAST({v} AS BIGINT), TRY_CAST(TRY_CAST(regexp_replace({v}, '[,，\\s]', '', 'g') AS DOUBLE) AS BIGINT))"
    if t == DECIMAL:
        num = f"coalesce(TRY_CAST({v} AS DOUBLE), TRY_CAST(regexp_replace({v}, '[,，%％\\s]', '', 'g') AS DOUBLE))"
        return f"{num} * {scale!r}" if scale != 1.0 else num
    if t == DATE:
        return f"coalesce(TRY_CAST({v} AS DATE), CAST(try_strptime({v}, {_list(DATE_FORMATS)}) AS DATE))"
    if t == PERIOD:
        return f"CAST(try_strptime({v}, {_list(PERIOD_FORMATS)}) AS DATE)"
    if t == BOOL:
        return f"CASE WHEN lower({v}) IN {TRUE_WORDS} THEN true WHEN lower({v}) IN {FALSE_WORDS} THEN false END"
    if t == MULTI:
        return f"list_filter(list_transform(regexp_split_to_array({v}, '[；;、,，|]'), lambda x: trim(x)), lambda x: x <> '')"
    return v  # text, division, enum


# ------------------------------------------------------------------------------------------ readers
def _encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _transcode(src: Path, dst: Path, encoding: str) -> None:
    with open(src, encoding=encoding, newline="") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        while chunk := fin.read(1 << 22):
            fout.write(chunk)


def relation_for_csv(con, path: Path, source: str, work: Path, stats: dict) -> tuple[str, list[str], object] | None:
    """A SQL FROM clause over the data rows, its column names, and the header map."""
    enc = _encoding(path)
    if enc != "utf-8":
        t0 = time.perf_counter()
        dst = work / (path.name + ".utf8.csv")
        try:
            _transcode(path, dst, enc)
        except UnicodeDecodeError:
            _transcode(path, dst, "gb18030")
        stats["transcode_s"] += time.perf_counter() - t0
        path = dst
    with open(path, encoding="utf-8", newline="") as fh:
        head = [fh.readline() for _ in range(PREVIEW)]
    first = next((ln for ln in head if ln.strip()), "")
    delim = "\t" if first.count("\t") > first.count(",") else ","
    preview = list(csv.reader(io.StringIO("".join(head)), delimiter=delim))
    found = find_header_row(preview, TEMPLATES[source])
    if found is None:
        return None
    idx, header = found
    skip = idx + 1  # title rows and the header line (csv.reader yields a record for a blank line too)
    src = (
        f"read_csv({_lit(str(path))}, all_varchar=true, header=false, skip={skip}, delim={_lit(delim)}, "
        f"null_padding=true, strict_mode=false, ignore_errors=true)"
    )
    cols = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    return src, cols, header


def _cell(v):
    if v is None or v == "":
        return None
    if type(v) is float:
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def relation_for_xlsx(con, path: Path, source: str, name: str) -> tuple[str, list[str], object] | None:
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    titles = {t.title for t in TEMPLATES.values()}
    sheet = next((n for n in wb.sheet_names if n.strip() in titles), wb.sheet_names[0])
    rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    preview = [[_cell(c) for c in r] for r in rows[:PREVIEW]]
    found = find_header_row(preview, TEMPLATES[source])
    if found is None:
        return None
    idx, header = found
    data = rows[idx + 1 :]
    width = max((len(r) for r in data), default=0)
    cols = [f"c{j}" for j in range(width)]
    table = pa.table(
        {c: pa.array([_cell(r[j]) if j < len(r) else None for r in data], type=pa.string()) for j, c in enumerate(cols)}
    )
    con.register(name, table)
    return name, cols, header


# ------------------------------------------------------------------------------------------ load
def create_raw(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS raw").fetchall()
    for source, tpl in TEMPLATES.items():
        cols = ["load_id BIGINT", "source_file VARCHAR", "source_row BIGINT"]
        cols += [f"{f.name} {DUCKDB_TYPES[f.type]}" for f in tpl.fields]
        con.execute(f"CREATE OR REPLACE TABLE raw.{source} ({', '.join(cols)})").fetchall()
    # The manifest as the loader makes it (the reporting models read when each file arrived), one row per file;
    # the quarantine is named by models but not filled: the floor validates nothing.
    con.execute("DROP TABLE IF EXISTS raw.load_manifest").fetchall()
    con.execute(MANIFEST_DDL).fetchall()
    con.execute(
        "CREATE OR REPLACE TABLE raw.quarantine (load_id BIGINT, source VARCHAR, source_file VARCHAR, code VARCHAR)"
    ).fetchall()


def load_file(con, path: Path, source: str, load_id: int, work: Path, stats: dict) -> int:
    tpl = TEMPLATES[source]
    t0 = time.perf_counter()
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        rel = relation_for_xlsx(con, path, source, f"__x{load_id}")
        kind = "xlsx"
    else:
        rel = relation_for_csv(con, path, source, work, stats)
        kind = "csv"
    if rel is None:
        return 0
    src, cols, header = rel
    exprs = []
    for f in tpl.fields:
        m = header.matches.get(f.name)
        if m is None or m.index >= len(cols):
            exprs.append("NULL")
            continue
        v = f"nullif(trim(\"{cols[m.index]}\"), '')"
        exprs.append(cast_expr(f, v, m.scale))
    keys = " AND ".join(f"{k} IS NOT NULL" for k in tpl.key)
    names = ", ".join(tpl.names)
    con.execute(
        f"""INSERT INTO raw.{source} (load_id, source_file, source_row, {names})
            SELECT * FROM (SELECT {load_id}, {_lit(path.name)}, NULL::BIGINT, {", ".join(exprs)} FROM {src}) t({", ".join(["a", "b", "c", *tpl.names])})
            WHERE {keys}"""
    ).fetchall()
    if kind == "xlsx":
        con.unregister(src)
    n = con.execute(f"SELECT count(*) FROM raw.{source} WHERE load_id = {load_id}").fetchall()[0][0]
    stats[f"{kind}_s"] += time.perf_counter() - t0
    stats[f"{kind}_files"] += 1
    return n


def record_load(con, load_id: int, source: str, path: Path, n: int, started: float) -> None:
    """One manifest row per file, as the loader writes it for a clean file (no hash: the floor checks nothing)."""
    con.execute(
        "INSERT INTO raw.load_manifest (load_id, source, file_name, sha256, size_bytes, rows_read, rows_loaded, "
        "rows_quarantined, rows_skipped, status, started_at, finished_at, received_at) "
        "VALUES (?, ?, ?, '', ?, ?, ?, 0, 0, 'loaded', to_timestamp(?)::TIMESTAMP, now()::TIMESTAMP, "
        "to_timestamp(least(?, ?))::TIMESTAMP)",
        [load_id, source, path.name, path.stat().st_size, n, n, started, path.stat().st_mtime, started],
    ).fetchall()


def pending(inbox: Path, source: str) -> list[Path]:
    d = inbox / source
    if not d.is_dir():
        return []
    files = [p for p in d.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


# ------------------------------------------------------------------------------------------ models
def model_order(manifest: dict) -> list[dict]:
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] in ("model", "seed")}
    order, seen = [], set()

    def visit(uid: str) -> None:
        if uid in seen or uid not in nodes:
            return
        seen.add(uid)
        for dep in nodes[uid]["depends_on"].get("nodes", []):
            visit(dep)
        order.append(nodes[uid])

    for uid in sorted(nodes):
        visit(uid)
    return order


def _schema(node: dict) -> str:
    """The node's schema in its database: the marts live in the attached build_marts file (profiles.yml)."""
    return f'"{node["database"]}"."{node["schema"]}"' if node.get("database") else node["schema"]


def attached_files(manifest: dict, db: Path) -> dict[str, Path]:
    """Databases other than the floor's own that the models write, as the dbt profile attaches them: <alias>.duckdb beside it."""
    names = {n.get("database") for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")}
    return {name: db.with_name(f"{name}.duckdb") for name in sorted(n for n in names if n and n != db.stem)}


def load_seed(con, node: dict, project_dir: Path, types: dict[str, str]) -> None:
    path = project_dir / node["original_file_path"]
    rel = node["relation_name"]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {_schema(node)}").fetchall()
    spec = "{" + ", ".join(f"{_lit(c)}: {_lit(t)}" for c, t in types.items()) + "}" if types else None
    opts = f", columns={spec}, auto_detect=false, delim=','" if spec else ""
    con.execute(
        f"CREATE OR REPLACE TABLE {rel} AS SELECT * FROM read_csv({_lit(str(path))}, header=true{opts})"
    ).fetchall()


def run_model(con, node: dict) -> None:
    mat = node["config"].get("materialized", "view")
    if mat == "ephemeral":
        return  # inlined as a CTE by dbt into its dependants' compiled SQL
    sql = node.get("compiled_code")
    if not sql:
        raise RuntimeError(f"{node['unique_id']} has no compiled SQL: run `dbt compile` first")
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {_schema(node)}").fetchall()
    kind = "VIEW" if mat == "view" else "TABLE"
    other = "TABLE" if kind == "VIEW" else "VIEW"
    rel = node["relation_name"]
    con.execute(f"DROP {other} IF EXISTS {rel}").fetchall()
    con.execute(f"CREATE OR REPLACE {kind} {rel} AS (\n{sql}\n)").fetchall()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inbox", nargs="+", type=Path, help="folders with <source>/ subfolders, loaded in this order")
    ap.add_argument(
        "--db", type=Path, required=True, help='the floor\'s database (name it build.duckdb: compiled SQL says "build")'
    )
    ap.add_argument("--manifest", type=Path, required=True)
    ap.add_argument("--seed-types", type=Path, required=True)
    ap.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parent.parent / "dbt_project")
    ap.add_argument("--memory-limit", default=None)
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    manifest = json.loads(args.manifest.read_text())
    attached = attached_files(manifest, args.db)
    for f in (args.db, *attached.values()):
        for p in (f, f.with_suffix(".duckdb.wal")):
            p.unlink(missing_ok=True)
    args.db.parent.mkdir(parents=True, exist_ok=True)
    # The same setting the pipeline's dbt profile uses; the memory limit stays DuckDB's default unless given.
    config = {"preserve_insertion_order": False}
    if args.memory_limit:
        config["memory_limit"] = args.memory_limit
    con = duckdb.connect(str(args.db), config=config)
    for name, path in attached.items():
        con.execute(f"ATTACH {_lit(str(path))} AS {name}").fetchall()
    create_raw(con)
    stats = {"transcode_s": 0.0, "csv_s": 0.0, "xlsx_s": 0.0, "csv_files": 0, "xlsx_files": 0}
    rows: dict[str, int] = {s: 0 for s in TEMPLATES}
    load_id = 0
    with tempfile.TemporaryDirectory(dir=args.db.parent) as tmp:
        work = Path(tmp)
        for inbox in args.inbox:
            for source in TEMPLATES:  # enterprises, operating, arrears, financing: the pipeline's order
                for path in pending(inbox, source):
                    load_id += 1
                    started = time.time()
                    n = load_file(con, path, source, load_id, work, stats)
                    rows[source] += n
                    record_load(con, load_id, source, path, n, started)
    t_loaded = time.perf_counter()

    seed_types = json.loads(args.seed_types.read_text())
    per_model: dict[str, float] = {}
    for node in model_order(manifest):
        t0 = time.perf_counter()
        if node["resource_type"] == "seed":
            load_seed(con, node, args.project_dir, seed_types.get(node["unique_id"], {}))
        else:
            run_model(con, node)
        per_model[node["unique_id"]] = round(time.perf_counter() - t0, 3)
    for name in (args.db.stem, *attached):
        con.execute(f"CHECKPOINT {name}").fetchall()
    con.close()
    t_end = time.perf_counter()
    out = {
        "wall_s": round(t_end - t_start, 3),
        "load_s": round(t_loaded - t_start, 3),
        "models_s": round(t_end - t_loaded, 3),
        "rows": rows,
        "files": load_id,
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in stats.items()},
        "per_model_s": per_model,
    }
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
