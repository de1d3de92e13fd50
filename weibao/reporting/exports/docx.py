"""The report as a Word document (python-docx): Chinese headings, tables and the chart images."""

from __future__ import annotations

import base64
import io

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from weibao.documents.pdf import CJK_FAMILY
from weibao.reporting.presenters import Chart, Facts, Table, Text

MUTED = RGBColor(0x66, 0x66, 0x66)


def _cjk(style) -> None:
    """Use the CJK font for East Asian text too (Word keeps a separate eastAsia font)."""
    style.font.name = CJK_FAMILY
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CJK_FAMILY)


def render(document) -> bytes:
    word = WordDocument()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        _cjk(word.styles[name])
    word.styles["Normal"].font.size = Pt(10.5)
    section = word.sections[0]
    section.left_margin = section.right_margin = Cm(2)

    word.add_heading(document.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = word.add_paragraph(document.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in document.sections:
        word.add_heading(part.heading, level=1)
        for block in part.blocks:
            _block(word, block, document.images)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _block(word, block, images: dict[str, str]) -> None:
    if isinstance(block, Facts):
        _table(word, None, block.rows)
    elif isinstance(block, Table):
        word.add_heading(block.title, level=2)
        if block.rows:
            _table(word, block.columns, block.rows)
        else:
            _muted(word, _("无"))
        if block.note:
            _muted(word, block.note)
    elif isinstance(block, Chart):
        if block.key in images:
            word.add_picture(io.BytesIO(base64.b64decode(images[block.key])), width=Cm(16))
    elif isinstance(block, Text):
        for line in block.lines:
            if block.muted:
                _muted(word, line)
            else:
                word.add_paragraph(line)


def _table(word, columns, rows) -> None:
    width = len(columns) if columns else 2
    table = word.add_table(rows=0, cols=width)
    table.style = word.styles["Table Grid"]
    if columns:
        cells = table.add_row().cells
        for cell, text in zip(cells, columns, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = str(value)


def _muted(word, text: str) -> None:
    run = word.add_paragraph().add_run(text)
    run.font.color.rgb = MUTED
    run.font.size = Pt(9)
