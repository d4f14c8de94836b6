"""`sme-monitor`: sample, validate, run, sql, missing, report, rollback, status.

Heavy imports (Dagster, dbt, GX) happen inside the commands that need them, so that `sme-monitor --help`,
`validate`, `sql`, `missing`, `status` and `rollback` start fast: only `run` imports Dagster
(tests/test_orchestration_cli_imports.py keeps it so).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _setup_env() -> None:
    from warehouse.paths import Paths

    paths = Paths.from_env().ensure()
    os.environ["SME_HOME"] = str(paths.home)
    os.environ.setdefault("DAGSTER_HOME", str(paths.dagster_home))
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from orchestration.lib.instance import ensure_dagster_yaml

    ensure_dagster_yaml(Path(os.environ["DAGSTER_HOME"]))


# ---------------------------------------------------------------- sample
def cmd_sample(args: argparse.Namespace) -> int:
    _setup_env()
    from sample import generate
    from warehouse.paths import Paths

    out = Path(args.out) if args.out else Paths.from_env().inbox
    t0 = time.perf_counter()
    summary = generate(out, preset=args.preset, seed=args.seed, progress=lambda m: print(m, flush=True))
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    print(f"样例数据已写入 {out}（{time.perf_counter() - t0:.1f} 秒）")
    return 0


# ---------------------------------------------------------------- validate
def cmd_validate(args: argparse.Namespace) -> int:
    import tempfile

    import duckdb

    from ingest.contract import SOURCES
    from ingest.loader import check_file, collect_errors

    path = Path(args.file)
    if not path.is_file():
        print(f"文件不存在：{path}", file=sys.stderr)
        return 2
    source = args.source or (path.parent.name if path.parent.name in SOURCES else None)
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as work:
        result, source, template = check_file(con, path, source, Path(work))
    errors = collect_errors(con, template) if template is not None else result.errors
    file_level = template is None
    payload = {
        "file": str(path),
        "source": source,
        "rows": result.rows_read,
        "valid": result.rows_loaded,
        "invalid": result.rows_quarantined,
        "skipped": result.rows_skipped,
        "skipped_detail": result.skipped,
        "sheet": result.sheet,
        "sheets_passed": result.sheets_passed,
        "errors": [
            {"row": e.row, "column": e.column, "code": e.code, "message": e.message, "value": e.value} for e in errors
        ],
    }
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        print(
            f"{path.name}：来源 {source or '未识别'}，数据行 {result.rows_read}，有效 {result.rows_loaded}，"
            f"无效 {result.rows_quarantined}，跳过 {result.rows_skipped}"
        )
        for e in errors[:200]:
            where = f"第{e.row}行" if e.row else "整个文件"
            print(
                f"  {where} {e.header or e.column or ''} [{e.code}] {e.message}"
                + (f"（原值：{e.value}）" if e.value else "")
            )
        if len(errors) > 200:
            print(f"  …… 另有 {len(errors) - 200} 个问题，请用 --json 查看全部")
    if file_level and result.errors and result.errors[0].code == "file_unreadable":
        return 2
    return 0 if result.rows_quarantined == 0 and not file_level else 1


# ---------------------------------------------------------------- run
def cmd_run(args: argparse.Namespace) -> int:
    _setup_env()
    from warehouse.db import RunLocked, run_lock
    from warehouse.paths import Paths

    paths = Paths.from_env()
    t0 = time.perf_counter()
    try:
        with run_lock(paths):
            print("准备 dbt 清单与 Dagster 定义……", flush=True)
            from dagster import DagsterInstance

            from orchestration.defs.definitions import build_definitions
            from orchestration.lib.dbt_project import prepare_manifest
            from orchestration.lib.run_summary import run_summary

            prepare_manifest()
            job = build_definitions().resolve_job_def("nightly")
            instance = DagsterInstance.get()
            result = job.execute_in_process(
                instance=instance,
                run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
                raise_on_error=False,
                tags={"trigger": "cli"},
            )
            text, published = run_summary(result, paths, t0, result.run_id)
    except RunLocked as exc:
        print(str(exc), file=sys.stderr)
        return 3
    print(text, flush=True)
    return 0 if published else 1


# ---------------------------------------------------------------- sql
def _print_rows(cols: list[str], rows: list[tuple], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps([dict(zip(cols, r, strict=True)) for r in rows], ensure_ascii=False, default=str, indent=1))
    elif fmt == "csv":
        import csv

        w = csv.writer(sys.stdout)
        w.writerow(cols)
        w.writerows(rows)
    else:
        widths = [max([len(str(c))] + [len(str(r[i])) for r in rows[:1000]]) for i, c in enumerate(cols)]
        print(" | ".join(str(c).ljust(w) for c, w in zip(cols, widths, strict=True)))
        print("-+-".join("-" * w for w in widths))
        for r in rows:
            print(" | ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)))
        print(f"({len(rows)} 行)")


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.db import connect_serving
    from warehouse.paths import Paths

    try:
        con = connect_serving(Paths.from_env())
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2

    def run(q: str) -> int:
        try:
            cur = con.execute(q)
            if cur.description is None:
                return 0
            cols = [d[0] for d in cur.description]
            _print_rows(cols, cur.fetchall(), args.format)
            return 0
        except duckdb.Error as exc:
            print(f"查询失败：{exc}", file=sys.stderr)
            return 1

    if args.query:
        return run(args.query)
    print("只读 SQL 终端（服务库）。输入以 ; 结尾的语句，\\q 退出。例如：SELECT * FROM marts.plan_targets LIMIT 5;")
    buf = ""
    while True:
        try:
            line = input("sme> " if not buf else "...> ")
        except EOFError:
            break
        if line.strip() in ("\\q", "quit", "exit"):
            break
        buf += line + "\n"
        if buf.strip().endswith(";"):
            run(buf)
            buf = ""
    return 0


# ---------------------------------------------------------------- missing (催报 list)
def cmd_missing(args: argparse.Namespace) -> int:
    from orchestration.lib.missing_list import MissingListError, collect, month_label, parse_month, write_workbook
    from warehouse.db import connect_serving
    from warehouse.paths import Paths

    try:
        month = parse_month(args.month)
        con = connect_serving(Paths.from_env())
    except (MissingListError, FileNotFoundError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        facts, sheets = collect(con, month, args.region)
    except MissingListError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        con.close()
    out = write_workbook(facts, sheets, Path(args.out))
    total = sum(len(s.rows) for s in sheets)
    print(f"{month_label(month)}未报送企业名单：{len(sheets)} 个市州，共 {total} 家 → {out}")
    return 0


# ---------------------------------------------------------------- rollback / status
def cmd_rollback(args: argparse.Namespace) -> int:
    from warehouse.db import RunLocked, run_lock
    from warehouse.paths import Paths
    from warehouse.publish import rollback

    paths = Paths.from_env()
    try:
        with run_lock(paths):
            target = rollback(paths)
    except (RuntimeError, RunLocked) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已回滚：服务库现为 {target.name}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.paths import Paths
    from warehouse.publish import current_copy, published_copies

    paths = Paths.from_env()
    cur = current_copy(paths)
    print(f"SME_HOME: {paths.home}")
    print(f"服务库: {paths.serving_db} ({'当前版本 ' + cur.name if cur else '未发布'})")
    print("保留的发布版本: " + (", ".join(p.name for p in published_copies(paths)) or "无"))
    waiting = (
        {s.name: len(list(s.iterdir())) for s in sorted(paths.inbox.iterdir()) if s.is_dir()}
        if paths.inbox.exists()
        else {}
    )
    print(f"收件箱待处理文件: {waiting}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sme-monitor", description="湖北省中小企业运行监测：数据加载、校验、指标计算与发布"
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("sample", help="生成样例报送文件到收件箱")
    s.add_argument("--preset", choices=["demo", "province", "province-increment"], default="demo")
    s.add_argument("--seed", type=int, default=2021)
    s.add_argument("--out", help="输出目录（默认 $SME_HOME/inbox）")
    s.set_defaults(func=cmd_sample)

    s = sub.add_parser("validate", help="试校验一个文件（不写入任何数据）")
    s.add_argument("file")
    s.add_argument("--source", choices=["enterprises", "operating", "arrears", "financing"])
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("run", help="执行一次完整运行：加载、校验、dbt、检查、发布")
    s.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("sql", help="在只读服务库上执行 SQL（无参数时进入交互终端）")
    s.add_argument("query", nargs="?")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_sql)

    s = sub.add_parser("missing", help="导出某月未报送企业名单（催报，Excel；读服务库）")
    s.add_argument("--month", required=True, help="报告期 YYYY-MM")
    s.add_argument("--region", help="市州代码（如 420100）；不指定时每个市州一个工作表")
    s.add_argument("--out", required=True, help="输出的 .xlsx 文件")
    s.set_defaults(func=cmd_missing)

    from reports.cli import add_parser as add_report_parser  # light: imports nothing heavy until it runs

    add_report_parser(sub)

    s = sub.add_parser("rollback", help="把服务库恢复为上一个发布版本")
    s.set_defaults(func=cmd_rollback)

    s = sub.add_parser("status", help="显示发布版本与收件箱状态")
    s.set_defaults(func=cmd_status)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
