"""The report's files: the PDF embeds the CJK font and carries the summary's figures; the DOCX is Word the office
can edit; `sme-monitor report --send` mails the PDF to a local SMTP server started here (never a real one)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from reports import render
from reports.build import build_report
from warehouse.db import connect_serving
from warehouse.paths import Paths

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def province(published_sample):
    con = connect_serving(Paths(published_sample))
    try:
        yield build_report(con)
    finally:
        con.close()


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_pdf_embeds_cjk_font_and_says_the_summary(province, tmp_path):
    from pypdf import PdfReader

    pdf = render.write(province, tmp_path, ("pdf",))["pdf"]
    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 4
    embedded = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descs = [d.get_object() for d in font.get("/DescendantFonts", [])] or [font]
            for d in descs:
                fd = d.get("/FontDescriptor")
                fd = fd.get_object() if fd is not None else {}
                if any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    embedded.add(str(font.get("/BaseFont")))
    assert any("CJK" in name for name in embedded), embedded
    text = _squash("".join(p.extract_text() for p in reader.pages))
    assert _squash(province.title) in text
    assert "第1页" in text  # the page number footer
    # every figure quoted on the summary page appears in the PDF's text
    summary = "".join(province.summary)
    quoted = [f for f in province.figures.items if f.text in summary]
    assert len(quoted) >= 8
    for f in quoted:
        assert _squash(f.text) in text, f.id
    first = _squash(reader.pages[0].extract_text())
    assert _squash(province.summary[0])[:30] in first  # the summary is on page 1


def test_docx_is_editable_word(province, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    path = render.write(province, tmp_path, ("docx",))["docx"]
    doc = Document(str(path))
    headings = [p for p in doc.paragraphs if p.style.name.startswith("Heading")]
    titles = {p.text: p.style.name for p in headings}
    for s in province.sections:
        assert titles.get(s.title) == "Heading 1", s.title
    assert any(name == "Heading 2" for name in titles.values())  # the tables' titles
    assert len(doc.tables) >= 2 and len(doc.tables[0].rows) > 5
    for style in doc.styles:
        rpr = style.element.rPr
        if rpr is None or style.type not in (1,):  # paragraph styles
            continue
        rfonts = rpr.find(qn("w:rFonts"))
        assert rfonts is not None and rfonts.get(qn("w:eastAsia")), style.name
        assert rfonts.get(qn("w:eastAsiaTheme")) is None and rfonts.get(qn("w:asciiTheme")) is None, style.name
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert "CJK SC" in rfonts.get(qn("w:eastAsia")), name
    assert province.summary[0] in [p.text for p in doc.paragraphs]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_send_mails_the_pdf_to_a_local_smtp_server(published_sample, tmp_path):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    port = _free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            SME_HOME=str(published_sample),
            SME_SMTP_HOST="127.0.0.1",
            SME_SMTP_PORT=str(port),
            SME_SMTP_FROM="sme-monitor@example.org",
            SME_REPORT_TO_420100="wuhan-a@example.org,wuhan-b@example.org",
        )
        env.pop("SME_SMTP_USER", None)
        proc = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "report", "--region", "420100", "--format", "pdf", "--send",
             "--out", str(tmp_path)],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        controller.stop()
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert len(received) == 1
    msg = received[0]
    assert msg["To"] == "wuhan-a@example.org, wuhan-b@example.org"
    subject = str(make_header(decode_header(msg["Subject"])))
    assert subject.startswith("武汉市中小企业运行监测分析报告（") and subject.endswith("月）"), subject
    pdfs = [p for p in msg.walk() if p.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    payload = pdfs[0].get_payload(decode=True)
    assert payload.startswith(b"%PDF") and payload == next(tmp_path.glob("*.pdf")).read_bytes()
    assert pdfs[0].get_filename().startswith("武汉市中小企业运行监测分析报告_")


def test_recipients_file_and_override(monkeypatch, tmp_path):
    from reports import mail

    monkeypatch.delenv("SME_REPORT_RECIPIENTS", raising=False)
    monkeypatch.delenv("SME_REPORT_TO_420000", raising=False)
    assert mail.recipients("420000") and all(a.endswith("@example.org") for a in mail.recipients("420000"))
    f = tmp_path / "to.yaml"
    f.write_text('"420100":  # 武汉\n  - a@example.org  # 处长\n  - b@example.org\n', encoding="utf-8")
    monkeypatch.setenv("SME_REPORT_RECIPIENTS", str(f))
    assert mail.recipients("420100") == ["a@example.org", "b@example.org"]
    assert mail.recipients("420000") == []
    monkeypatch.setenv("SME_REPORT_TO_420100", "x@example.org, y@example.org")
    assert mail.recipients("420100") == ["x@example.org", "y@example.org"]
