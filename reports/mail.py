"""Delivery: the PDF of an edition by mail to that edition's recipients.

Recipients: reports/recipients.yaml (edition code → list of addresses; `420000` the province), or the file named by
SME_REPORT_RECIPIENTS, or per edition SME_REPORT_TO_<code> (comma-separated) which overrides both.
SMTP: SME_SMTP_HOST, SME_SMTP_PORT (default 25, or 587 with STARTTLS), SME_SMTP_USER, SME_SMTP_PASSWORD,
SME_SMTP_FROM, SME_SMTP_STARTTLS (1/true). No password lives in the repository."""

from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from pathlib import Path

DEFAULT_RECIPIENTS = Path(__file__).with_name("recipients.yaml")


def _parse_yaml(text: str) -> dict[str, list[str]]:
    """The tiny subset the file uses (`"420100":` then `  - a@b`), so no YAML library is needed."""
    out: dict[str, list[str]] = {}
    key = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith((" ", "-")) and line.endswith(":"):
            key = line[:-1].strip().strip("\"'")
            out[key] = []
        elif line.strip().startswith("-") and key is not None:
            out[key].append(line.strip()[1:].strip().strip("\"'"))
    return out


def recipients(edition: str) -> list[str]:
    env = os.environ.get(f"SME_REPORT_TO_{edition}", "").strip()
    if env:
        return [a.strip() for a in env.split(",") if a.strip()]
    path = Path(os.environ.get("SME_REPORT_RECIPIENTS", DEFAULT_RECIPIENTS))
    if not path.is_file():
        return []
    return _parse_yaml(path.read_text(encoding="utf-8")).get(edition, [])


def send_pdf(pdf: Path, title: str, to: list[str]) -> None:
    host = os.environ.get("SME_SMTP_HOST")
    if not host:
        raise RuntimeError("未配置 SME_SMTP_HOST，无法发送报告邮件")
    if not to:
        raise RuntimeError(f"没有收件人：{title}")
    starttls = os.environ.get("SME_SMTP_STARTTLS", "").lower() in ("1", "true", "yes")
    port = int(os.environ.get("SME_SMTP_PORT", "587" if starttls else "25"))
    sender = os.environ.get("SME_SMTP_FROM", "sme-monitor@localhost")
    msg = EmailMessage()
    msg["Subject"] = title
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg.set_content(f"{title}\n\n附件为本期运行监测分析报告（PDF）。本邮件由中小企业运行监测平台自动发送。")
    msg.add_attachment(pdf.read_bytes(), maintype="application", subtype="pdf", filename=pdf.name)
    with smtplib.SMTP(host, port, timeout=60) as smtp:
        if starttls:
            smtp.starttls()
        user = os.environ.get("SME_SMTP_USER")
        if user:
            smtp.login(user, os.environ.get("SME_SMTP_PASSWORD", ""))
        smtp.send_message(msg)
