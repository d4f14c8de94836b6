"""`sme-monitor report`: write one edition (or all 18 with --region all) of a month's report, optionally mail it."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROVINCE = "420000"  # the province edition (not imported from reports.build: keeps `--help` light)


def output_dir(home: Path, month: str, out: str | None) -> Path:
    return Path(out) if out else home / "reports" / month


def editions(con, region: str | None) -> list[str | None]:
    if region == "all":
        return [None] + [c for (c,) in con.execute("SELECT region_code FROM marts.regions ORDER BY 1").fetchall()]
    return [None if region in (None, "", PROVINCE) else region]


def generate(
    con,
    home: Path,
    month: str | None = None,
    region: str | None = None,
    formats: tuple[str, ...] = ("html", "pdf", "docx"),
    out: str | None = None,
    log=print,
) -> list[tuple[str, dict[str, Path]]]:
    """Write the editions; returns [(edition code, {format: path})]. One connection for all editions."""
    from reports import render
    from reports.build import build_report, default_month

    month = month or default_month(con)
    done = []
    for code in editions(con, region):
        t0 = time.perf_counter()
        report = build_report(con, month, code)
        files = render.write(report, output_dir(home, month, out), formats)
        log(f"{report.file_stem}：{', '.join(str(p) for p in files.values())}（{time.perf_counter() - t0:.1f} 秒）")
        done.append((code or PROVINCE, files))
    return done


def cmd_report(args: argparse.Namespace) -> int:
    from reports.render import FORMATS
    from warehouse.db import connect_serving
    from warehouse.paths import Paths

    formats = tuple(f.strip() for f in args.format.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        print(f"不支持的格式：{', '.join(bad)}（可选 html,pdf,docx）", file=sys.stderr)
        return 2
    if args.send and "pdf" not in formats:
        formats += ("pdf",)
    paths = Paths.from_env()
    try:
        con = connect_serving(paths)
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        done = generate(con, paths.home, args.month, args.region, formats, args.out)
    except (ValueError, RuntimeError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    finally:
        con.close()
    if args.send:
        from reports import mail

        for code, files in done:
            to = mail.recipients(code)
            try:
                title, _, month_cn = files["pdf"].stem.partition("_")
                mail.send_pdf(files["pdf"], f"{title}（{month_cn}）", to)
            except (RuntimeError, OSError) as exc:
                print(f"发送失败：{files['pdf'].name}：{exc}", file=sys.stderr)
                return 1
            print(f"已发送 {files['pdf'].name} → {', '.join(to)}")
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("report", help="生成月度运行监测分析报告（HTML/PDF/DOCX），可邮件发送")
    s.add_argument("--month", help="报告月份 YYYY-MM（默认：报送率达到阈值的最新月份）")
    s.add_argument("--region", help="市州代码（如 420100）；all = 全省及17个市州；默认全省")
    s.add_argument("--format", default="html,pdf,docx", help="逗号分隔：html,pdf,docx")
    s.add_argument("--out", help="输出目录（默认 $SME_HOME/reports/<YYYY-MM>/）")
    s.add_argument("--send", action="store_true", help="按收件人配置邮件发送 PDF（SMTP 见 SME_SMTP_* 环境变量）")
    s.set_defaults(func=cmd_report)
