"""The DOCX edition (python-docx): the office edits it, so headings are Word headings (Heading 1/2), tables are Word
tables, and every style carries the East Asian font (w:eastAsia), with the theme fonts removed from the styles
(they would override it) and w:lang eastAsia="zh-CN" (STACK.md)."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401 - A4 portrait is set by size
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from reports import fmt
from reports.build import Report

BODY_FONT = "Noto Serif CJK SC"
HEAD_FONT = "Noto Sans CJK SC"


def _set_fonts(style, font: str) -> None:
    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(theme_attr)) is not None:
            del rfonts.attrib[qn(theme_attr)]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _prepare_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    for style in doc.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            _set_fonts(style, HEAD_FONT if style.name.startswith(("Heading", "Title", "Caption")) else BODY_FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.line_spacing = 1.5
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 12)):
        st = doc.styles[name]
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0xA3, 0x15, 0x15) if name == "Title" else RGBColor(0x11, 0x11, 0x11)
        st.font.bold = True


def _page_number_footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("第 ")
    run = p.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    p.add_run(" 页")


def _body(doc, text: str) -> None:
    p = doc.add_paragraph(text)
    p.paragraph_format.first_line_indent = Pt(22)


def write(report: Report, path: Path) -> Path:
    doc = Document()
    _prepare_styles(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(22), Mm(20)
    _page_number_footer(sec)

    title = doc.add_paragraph(report.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    meta = doc.add_paragraph(f"{fmt.month_cn(report.month)} ｜ 湖北省经济和信息化厅中小企业运行监测")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("本月概要", level=1)
    for s in report.summary:
        _body(doc, s)
    doc.add_page_break()
    for s in report.sections:
        doc.add_heading(s.title, level=1)
        for p in s.paragraphs:
            _body(doc, p)
        for c in s.charts:
            doc.add_picture(io.BytesIO(c.png), width=Mm(150))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap = doc.add_paragraph(f"图：{c.title}", style="Caption")
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for t in s.tables:
            doc.add_heading(t.title, level=2)
            table = doc.add_table(rows=1, cols=len(t.header))
            table.style = "Table Grid"
            for cell, h in zip(table.rows[0].cells, t.header, strict=True):
                cell.text = h
                for r in cell.paragraphs[0].runs:
                    r.font.bold = True
            for row in t.rows:
                cells = table.add_row().cells
                for cell, v in zip(cells, row, strict=True):
                    cell.text = str(v)
                    for r in cell.paragraphs[0].runs:
                        r.font.size = Pt(8.5)
    doc.save(str(path))
    return path
