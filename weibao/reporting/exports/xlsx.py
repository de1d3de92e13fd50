"""The report as an Excel workbook (openpyxl): one sheet per section, Chinese headings, the
tables as cells (numbers stay numbers) and the chart images placed in the sheet. Every cell goes
through `core.spreadsheet`, so no text of the report runs as a formula."""

from __future__ import annotations

import base64
import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill

from weibao.core import spreadsheet
from weibao.reporting.presenters import Chart, Facts, Table, Text

HEAD_FILL = PatternFill("solid", fgColor="F0F3F8")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
MUTED = Font(color="666666", size=9)
ROW_PX = 20  # default row height in pixels, to leave room below a picture
INVALID = re.compile(r"[\[\]:*?/\\]")


def sheet_title(heading: str) -> str:
    return INVALID.sub("", heading)[:31]


def render(document) -> bytes:
    book = Workbook()
    first = book.active
    first.title = _("报告信息")
    spreadsheet.write(first, 1, 1, document.title).font = TITLE
    spreadsheet.write(first, 2, 1, document.subtitle)
    for i, part in enumerate(document.sections, start=4):
        spreadsheet.write(first, i, 1, part.heading)
    first.column_dimensions["A"].width = 60
    for part in document.sections:
        sheet = book.create_sheet(sheet_title(part.heading))
        spreadsheet.write(sheet, 1, 1, part.heading).font = TITLE
        row = 3
        for block in part.blocks:
            row = _block(sheet, block, row, document.images) + 1
        for column in "ABCDEFG":
            sheet.column_dimensions[column].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _block(sheet, block, row: int, images: dict[str, str]) -> int:
    """Write `block` from `row`; return the next free row."""
    if isinstance(block, Facts):
        for label, value in block.rows:
            spreadsheet.write(sheet, row, 1, label).font = BOLD
            spreadsheet.write(sheet, row, 2, value)
            row += 1
    elif isinstance(block, Table):
        spreadsheet.write(sheet, row, 1, block.title).font = BOLD
        row += 1
        for col, text in enumerate(block.columns, start=1):
            cell = spreadsheet.write(sheet, row, col, str(text))
            cell.font, cell.fill = BOLD, HEAD_FILL
        row += 1
        for values in block.rows:
            for col, value in enumerate(values, start=1):
                cell = spreadsheet.write(sheet, row, col, _plain(value))
                cell.alignment = Alignment(wrap_text=isinstance(value, str) and len(value) > 30)
            row += 1
        if block.note:
            spreadsheet.write(sheet, row, 1, block.note).font = MUTED
            row += 1
    elif isinstance(block, Chart) and block.key in images:
        picture = Image(io.BytesIO(base64.b64decode(images[block.key])))
        picture.width, picture.height = picture.width * 0.8, picture.height * 0.8
        sheet.add_image(picture, f"A{row}")
        row += int(picture.height // ROW_PX) + 2
    elif isinstance(block, Text):
        for line in block.lines:
            cell = spreadsheet.write(sheet, row, 1, line)
            if block.muted:
                cell.font = MUTED
            row += 1
    return row


def _plain(value):
    return value if isinstance(value, int | float) else str(value)
