"""`sme-monitor`: sample, validate, run, sql, missing, report, rollback, status; operations: rebuild, upgrade, backup,
restore, services.

Heavy imports (Dagster, dbt, GX) happen inside the commands that need them, so that `sme-monitor --help`,
`validate`, `sql`, `missing`, `status` and `rollback` start fast: only `run` imports Dagster
(tests/unit/test_orchestration_cli_imports.py keeps it so).
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
            stop_on_sigterm()
            print("准备 dbt 清单与 Dagster 定义……", flush=True)
            from dagster import DagsterInstance

            from orchestration.defs.definitions import load_definitions
            from orchestration.lib.run_summary import run_summary

            job = load_definitions().resolve_job_def("nightly")
            instance = DagsterInstance.get()
            result = job.execute_in_process(
                instance=instance,
                run_config={"loggers": {"console": {"config": {"log_level": args.log_level}}}},
                raise_on_error=False,
                tags={"trigger": "cli"},
            )
            if not result.success:
                reap_children()  # an interrupted run may leave dbt behind
            text, published = run_summary(result, paths, t0, result.run_id)
    except RunLocked as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        reap_children()
        print("运行已被终止；下次运行会完成未做完的工作。", file=sys.stderr, flush=True)
        return 130
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
    return status_health(paths, getattr(args, "max_age_hours", None))


# ---------------------------------------------------------------- operations (issue 12): rebuild
def cmd_rebuild(args: argparse.Namespace) -> int:
    import tempfile

    from orchestration.lib.rebuild import rebuild_from_archive
    from warehouse.paths import Paths

    if not args.from_archive:
        print("目前只支持 --from-archive", file=sys.stderr)
        return 2
    live = Paths.from_env()
    into = Path(args.into) if args.into else Path(tempfile.mkdtemp(prefix="sme-rebuild-"))
    print(f"从归档重建到 {into}（不改动 {live.home}）", flush=True)
    try:
        res = rebuild_from_archive(
            live, into, progress=(lambda m: print(m, flush=True)) if args.verbose else (lambda m: None)
        )
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"归档文件 {res.files} 个，加载用时 {res.seconds_load:.1f} 秒；dbt、检查与发布用时 {res.seconds_run:.1f} 秒")
    for orig, new, name in res.load_id_mismatches:
        print(f"  批次号不同：{name} 原为 {orig}，重建为 {new}")
    if res.run_returncode != 0:
        print(res.run_output[-4000:])
        print(f"重建运行未发布（退出码 {res.run_returncode}）", file=sys.stderr)
        return 2
    if not live.serving_db.exists():
        print("当前没有服务库可比较；重建的服务库在 " + str(res.into / "warehouse" / "serving.duckdb"))
        return 1
    print(f"{'表':<40}{'当前行数':>10}{'重建行数':>10}  结果")
    for c in res.comparisons:
        verdict = "相同" if c.equal else "不同" + (f"（{c.note}）" if c.note else "")
        print(f"marts.{c.table:<34}{str(c.rows_live):>10}{str(c.rows_rebuilt):>10}  {verdict}")
    if res.all_equal:
        print(f"全部 {len(res.comparisons)} 张表与当前服务库一致。")
        return 0
    print(f"{sum(not c.equal for c in res.comparisons)} 张表与当前服务库不一致。")
    return 1


# ---------------------------------------------------------------- operations (issue 12): upgrade
def cmd_upgrade(args: argparse.Namespace) -> int:
    import duckdb

    from warehouse.db import RunLocked, run_lock
    from warehouse.migrations import LATEST, migrate, schema_version
    from warehouse.paths import Paths
    from warehouse.schema import create_raw_schema

    paths = Paths.from_env().ensure()
    try:
        with run_lock(paths):
            con = duckdb.connect(str(paths.build_db))
            try:
                before = schema_version(con)
                create_raw_schema(con)
                applied = migrate(con)
                con.execute("CHECKPOINT")
            finally:
                con.close()
    except RunLocked as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if applied:
        print(f"数据库已从版本 {before} 升级到 {LATEST}（执行迁移 {', '.join(map(str, applied))}）")
    else:
        print(f"数据库已是最新版本 {LATEST}")
    return 0


# ---------------------------------------------------------------- operations (issue 12): health in `status`
def status_health(paths, max_age_hours: float | None) -> int:
    """The health lines of `status`; 0 when healthy, 1 otherwise (for a monitoring system). No Dagster import."""
    from orchestration.lib.health import health

    h = health(paths, Path(os.environ.get("DAGSTER_HOME", paths.dagster_home)), max_age_hours)
    for label, r in (("最近一次运行", h.last_run), ("最近一次定时运行", h.last_scheduled)):
        if r is None:
            print(f"{label}: 无")
            continue
        took = f"，用时 {r.seconds:.0f} 秒" if r.seconds is not None else ""
        print(
            f"{label}: {r.status}，开始于 {r.started:%Y-%m-%d %H:%M:%S}{took}（{r.trigger or '手动'}，{r.run_id}）"
            if r.started
            else f"{label}: {r.status}（{r.run_id}）"
        )
    if h.serving_age_hours is not None:
        print(f"服务库发布距今: {h.serving_age_hours:.1f} 小时（上限 {h.max_age_hours:g} 小时）")
    print(f"磁盘可用空间: {h.disk_free_bytes / 2**30:.1f} GB")
    for p in h.problems:
        print(f"异常：{p}")
    print("状态：" + ("异常" if h.problems else "正常"))
    return 1 if h.problems else 0


# ---------------------------------------------------------------- operations (issue 12): backup / restore
def cmd_backup(args: argparse.Namespace) -> int:
    from orchestration.lib.backup import backup
    from warehouse.db import RunLocked
    from warehouse.paths import Paths

    t0 = time.perf_counter()
    try:
        manifest = backup(Paths.from_env(), Path(args.to))
    except (ValueError, RunLocked) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    size = sum(f["size"] for f in manifest["files"].values())
    print(
        f"已备份 {len(manifest['files'])} 个文件（{size / 2**20:.1f} MB）到 {Path(args.to).resolve()}，"
        f"用时 {time.perf_counter() - t0:.1f} 秒"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from orchestration.lib.backup import restore
    from orchestration.lib.instance import ensure_dagster_yaml
    from warehouse.paths import Paths

    paths = Paths.from_env()
    t0 = time.perf_counter()
    try:
        manifest = restore(Path(args.from_dir), paths)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    paths.ensure()
    ensure_dagster_yaml(Path(os.environ.get("DAGSTER_HOME", paths.dagster_home)))
    print(
        f"已从 {args.from_dir} 恢复 {len(manifest['files'])} 个文件到 {paths.home}"
        f"（备份时间 {manifest['created_at']}），用时 {time.perf_counter() - t0:.1f} 秒"
    )
    return 0


# ---------------------------------------------------------------- operations (issue 12): clean stop of `run`
def stop_on_sigterm() -> None:
    """SIGTERM (systemd, kill, a container stop) stops `run` as Ctrl-C does.

    During the Dagster run, Dagster's own interrupt handler takes SIGINT and SIGTERM alike: the running step stops
    and the run is recorded as FAILURE ("execution was interrupted"), not left STARTED. Outside it (preparing the
    manifest) SIGTERM raises KeyboardInterrupt here. Either way `reap_children` then stops what is left of dbt.
    The crash-safety guarantees make the next run finish the interrupted work.
    """
    import signal

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)


def reap_children(timeout: float = 8.0) -> int:
    """Stop child processes an interrupted run leaves behind (dbt, when the interrupt reached the step outside
    dagster-dbt's loop, is never told): SIGINT, then SIGKILL after `timeout`. Returns how many there were."""
    import signal

    import psutil

    children = psutil.Process().children(recursive=True)
    for c in children:
        try:
            c.send_signal(signal.SIGINT)
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(children, timeout=timeout)
    for c in alive:
        try:
            c.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=3)
    return len(children)


# ---------------------------------------------------------------- operations (issue 12): services check
def cmd_services_check(args: argparse.Namespace) -> int:
    from orchestration.lib.services import check

    problems, note = check(Path(args.env) if args.env else None)
    if note:
        print(note)
    for p in problems:
        print(f"问题：{p}")
    print("服务单元与环境文件：" + ("有问题" if problems else "通过"))
    return 1 if problems else 0


def add_ops_commands(sub) -> None:
    """Subcommands of issue 12 (operations), kept apart so that other branches' commands merge cleanly."""
    s = sub.add_parser("rebuild", help="从归档文件重建原始层、指标表与服务库（在新目录中），并与当前服务库逐表比较")
    s.add_argument("--from-archive", action="store_true", required=True)
    s.add_argument("--into", help="重建目录（必须为空；默认临时目录）")
    s.add_argument("--verbose", action="store_true", help="逐个文件显示加载结果")
    s.set_defaults(func=cmd_rebuild)

    s = sub.add_parser("upgrade", help="升级数据库结构（按编号迁移；每次运行开始时也会自动执行）")
    s.set_defaults(func=cmd_upgrade)

    s = sub.add_parser("backup", help="备份归档、数据库、服务库、Superset 元数据与密钥、Dagster 运行历史")
    s.add_argument("--to", required=True, help="备份目录（必须为空或不存在）")
    s.set_defaults(func=cmd_backup)

    s = sub.add_parser("restore", help="从备份恢复到空的 SME_HOME")
    s.add_argument("--from", dest="from_dir", required=True, help="备份目录")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("services", help="部署相关：检查 deploy/ 中的 systemd 单元与环境文件")
    ssub = s.add_subparsers(dest="services_command", required=True)
    c = ssub.add_parser("check", help="检查单元（systemd-analyze verify，如可用）与环境文件")
    c.add_argument("--env", help="要检查的环境文件（默认检查 deploy/sme-monitor.env.example，按示例的规则）")
    c.set_defaults(func=cmd_services_check)


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

    s = sub.add_parser("status", help="显示运行与发布状态；异常时退出码为 1（供监控调用）")
    s.add_argument(
        "--max-age-hours", type=float, help="服务库最长允许未更新的小时数（默认 $SME_MAX_SERVING_AGE_HOURS 或 36）"
    )
    s.set_defaults(func=cmd_status)

    add_ops_commands(sub)
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
