"""A statement as PDF (for signing and filing) and as an Excel workbook (for the customer's
finance department): Chinese headings, amounts as numbers with two decimals, a total row.
Every cell goes through `core.spreadsheet`, so no text of the statement runs as a formula."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from weibao.billing.models import Statement
from weibao.billing.selectors import statement_page
from weibao.core import spreadsheet
from weibao.documents.pdf import render_pdf

MONEY_FORMAT = "0.00"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statement_pdf(statement: Statement) -> bytes:
    """The statement rendered to an A4 PDF with the CJK font embedded."""
    context = {"statement": statement, "now": timezone.localtime(), **statement_page(statement)}
    return render_pdf("billing/statement_pdf.html", context)


def headings() -> list[str]:
    return [_("序号"), _("费用类别"), _("项目说明"), _("备件编号"), _("数量"), _("单位"),
            _("单价（元）"), _("金额（元）")]  # fmt: skip


def statement_xlsx(statement: Statement) -> bytes:
    """The statement as an .xlsx workbook with one sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("费用明细")
    bold = Font(bold=True)
    spreadsheet.append(sheet, [statement.title])
    sheet["A1"].font = Font(bold=True, size=14)
    spreadsheet.append(sheet, [_("编号"), statement.number, _("客户"), str(statement.customer)])
    spreadsheet.append(
        sheet, [_("对象"), statement.subject_label, _("状态"), statement.get_state_display()]
    )
    if statement.exclusion_id:
        causes = "、".join(c.name for c in statement.exclusion.causes.all())
        spreadsheet.append(sheet, [_("不在承保范围的原因"), causes])
    spreadsheet.append(sheet, [])
    spreadsheet.append(sheet, headings())
    header_row = sheet.max_row
    fill = PatternFill("solid", fgColor="F0F0F0")
    for cell in sheet[header_row]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center")
    for number, line in enumerate(statement.lines.all(), start=1):
        spreadsheet.append(sheet, [number, line.get_kind_display(), line.description,
                                   line.part_number, line.quantity, line.unit, line.unit_price,
                                   line.amount])  # fmt: skip
        row = sheet.max_row
        for column in ("E", "G", "H"):
            sheet[f"{column}{row}"].number_format = MONEY_FORMAT
    spreadsheet.append(sheet, [_("合计"), "", "", "", "", "", "", statement.total])
    total_row = sheet.max_row
    line = Side(style="thin")
    for cell in sheet[total_row]:
        cell.font = bold
        cell.border = Border(top=line)
    sheet[f"H{total_row}"].number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFGH", (8, 14, 36, 16, 10, 8, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
