"""The annual report "The situation of children in Kazakhstan in YEAR" as DOCX and PDF, in kk or ru.

``build_docx(data)`` lays the blocks of :mod:`indicators.report.content` out with python-docx;
``build_pdf(data)`` writes the same blocks as HTML (:mod:`indicators.report.annual_html`) and has
Chromium print it. Both render their maps and charts in one Chromium; pass ``chromium`` to share one
between the two (one browser start instead of two).

Fonts: the DOCX names Arial, which has the Kazakh letters (ә ғ қ ң ө ұ ү һ і) on Windows and macOS,
where the report is read; the PDF embeds DejaVu Sans, which has them on this server (Liberation Sans,
Debian's Arial, does not).
"""

from __future__ import annotations

import io
from contextlib import AbstractContextManager, nullcontext

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.font import Font

from indicators.report.annual_html import FOOTER, report_html
from indicators.report.content import Block, Heading, Image, Paragraph, Table, TitlePage, report_blocks, title_text
from indicators.report.data import ReportData
from indicators.report.maps import ZONE_COLOURS
from indicators.report.render import Chromium

DOCX_FONT = "Arial"
TEXT_WIDTH_CM = 17.0


def _chromium(chromium: Chromium | None) -> AbstractContextManager[Chromium]:
    return nullcontext(chromium) if chromium is not None else Chromium()


def _set_font(font: Font, size: float | None = None) -> None:
    font.name = DOCX_FONT
    if size is not None:
        font.size = Pt(size)
    # python-docx sets only the Latin font; Cyrillic text is laid out with the complex-script and
    # east-Asian slots in some Word versions, so name the font there too.
    r_pr = font.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), DOCX_FONT)


def _shade(cell: _Cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _document(language: str, title: str) -> DocxDocument:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.0)
    styles = document.styles
    _set_font(styles["Normal"].font, 10.5)
    for name, size in (("Title", 24), ("Subtitle", 14), ("Heading 1", 16), ("Heading 2", 13), ("Caption", 9)):
        _set_font(styles[name].font, size)
    # Word's spelling checker and screen readers take the language from here.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), {"kk": "kk-KZ", "ru": "ru-RU"}[language])
    styles["Normal"].element.get_or_add_rPr().append(lang)
    document.core_properties.title = title
    document.core_properties.language = {"kk": "kk-KZ", "ru": "ru-RU"}[language]
    return document


def _write_table(document: DocxDocument, block: Table) -> None:
    caption = document.add_paragraph(block.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, heading in enumerate(block.header):
        cell = table.rows[0].cells[i]
        cell.text = heading
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.size = Pt(8.5)
        _shade(cell, "#e8eef4")
        if block.widths:
            cell.width = Cm(TEXT_WIDTH_CM * block.widths[i] / sum(block.widths))
    _repeat_header(table.rows[0])
    if block.widths:
        table.autofit = False
        total = sum(block.widths)
        for column, share in zip(table.columns, block.widths, strict=True):
            column.width = Cm(TEXT_WIDTH_CM * share / total)
    for r, values in enumerate(block.rows):
        cells = table.add_row().cells
        if block.widths:
            # Word reads the cell widths, LibreOffice the column's; set both.
            for cell, share in zip(cells, block.widths, strict=True):
                cell.width = Cm(TEXT_WIDTH_CM * share / sum(block.widths))
        for c, value in enumerate(values):
            cells[c].text = value
            paragraph = cells[c].paragraphs[0]
            if c in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for run in paragraph.runs:
                run.font.size = Pt(8.5)
                run.bold = r in block.bold_rows
            zone = block.shades.get((r, c))
            if zone is not None:
                _shade(cells[c], ZONE_COLOURS[zone])
                for run in paragraph.runs:
                    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if zone != "medium" else RGBColor(0, 0, 0)
    for note in block.notes:
        paragraph = document.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = Pt(8)
            run.italic = True
    document.add_paragraph()


def _write(doc: DocxDocument, block: Block) -> None:
    if isinstance(block, TitlePage):
        for _ in range(8):
            doc.add_paragraph()
        title = doc.add_paragraph(block.title, style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle = doc.add_paragraph(block.subtitle, style="Subtitle")
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subtitle.add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, Heading):
        heading = doc.add_heading(block.text, level=block.level)
        if block.level == 1 and not block.text.startswith(("Кіріспе", "Введение")):
            heading.paragraph_format.page_break_before = True
    elif isinstance(block, Paragraph):
        paragraph = doc.add_paragraph(block.text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    elif isinstance(block, Image):
        picture = doc.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(block.png), width=Cm(TEXT_WIDTH_CM))
        caption = doc.add_paragraph(block.caption, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif isinstance(block, Table):
        _write_table(doc, block)


def build_docx(data: ReportData, *, chromium: Chromium | None = None) -> bytes:
    """The annual report as a DOCX file (bytes), in ``data.language`` (kk or ru)."""
    with _chromium(chromium) as browser:
        blocks = report_blocks(data, browser)
    document = _document(data.language, title_text(data))
    for block in blocks:
        _write(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(data: ReportData, *, chromium: Chromium | None = None) -> bytes:
    """The annual report as a PDF file (bytes), in ``data.language`` (kk or ru)."""
    with _chromium(chromium) as browser:
        blocks = report_blocks(data, browser)
        return browser.pdf(report_html(blocks, data.language, title_text(data)), footer_html=FOOTER)
