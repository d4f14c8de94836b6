"""Write an edition: a self-contained HTML file (charts as base64 PNG), a PDF via WeasyPrint (A4, 第 N 页, CJK font
embedded) and a DOCX via python-docx (Word headings and tables, East Asian font on every style)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from reports import fmt, settings
from reports.build import Report

FORMATS = ("html", "pdf", "docx")
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
)


def html(report: Report) -> str:
    return _env.get_template("report.html.j2").render(
        r=report,
        month_cn=fmt.month_cn(report.month),
        flat_pp=fmt.num(settings.FLAT_PP, 1),
        marked_pp=fmt.num(settings.MARKED_PP, 1),
        flat_g=fmt.num(settings.FLAT_GROWTH * 100, 1),
        marked_g=fmt.num(settings.MARKED_GROWTH * 100, 1),
    )


def write_html(report: Report, path: Path) -> Path:
    path.write_text(html(report), encoding="utf-8")
    return path


def write_pdf(report: Report, path: Path, html_text: str | None = None) -> Path:
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html_text or html(report)).write_pdf(str(path))
    return path


def write_docx(report: Report, path: Path) -> Path:
    from reports.docx_writer import write

    write(report, path)
    return path


def write(report: Report, out_dir: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / report.file_stem
    done: dict[str, Path] = {}
    text = html(report) if ("html" in formats or "pdf" in formats) else None
    if "html" in formats:
        p = stem.with_suffix(".html")
        p.write_text(text, encoding="utf-8")
        done["html"] = p
    if "pdf" in formats:
        done["pdf"] = write_pdf(report, stem.with_suffix(".pdf"), text)
    if "docx" in formats:
        done["docx"] = write_docx(report, stem.with_suffix(".docx"))
    return done
