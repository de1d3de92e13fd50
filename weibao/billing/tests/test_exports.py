"""A statement as Excel (Chinese headings, numbers with two decimals, a total row) and as a
PDF whose text is Chinese."""

import io
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from weibao.billing.exports import statement_pdf, statement_xlsx
from weibao.billing.tests.conftest import add_lines
from weibao.documents.pdf import cjk_font_available

pytestmark = pytest.mark.django_db


def test_excel_opens_with_chinese_headings_numeric_cells_and_the_total(draft, desk):
    add_lines(draft, desk.engineer)
    sheet = openpyxl.load_workbook(io.BytesIO(statement_xlsx(draft))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]

    heading = rows.index(["序号", "费用类别", "项目说明", "备件编号", "数量", "单位",
                          "单价（元）", "金额（元）"])  # fmt: skip
    body = rows[heading + 1 : heading + 6]
    assert [r[1] for r in body] == ["人工费", "备件/材料费", "差旅交通费", "技术服务费", "人工费"]
    part = body[1]
    assert part[3] == "PS-12V2A"
    assert isinstance(part[4], int | float) and isinstance(part[6], int | float)
    assert Decimal(str(part[7])) == Decimal("266.66")
    total = rows[heading + 6]
    assert total[0] == "合计"
    assert Decimal(str(total[7])) == Decimal("1227.15")
    total_cell = sheet.cell(row=heading + 7, column=8)
    assert total_cell.number_format == "0.00"
    assert sheet.cell(row=heading + 2, column=7).number_format == "0.00"


@pytest.mark.skipif(not cjk_font_available(), reason="Noto Sans CJK SC not installed")
def test_pdf_contains_the_chinese_text_and_the_total(draft, desk):
    add_lines(draft, desk.engineer)
    pages = PdfReader(io.BytesIO(statement_pdf(draft))).pages
    text = "".join(page.extract_text() for page in pages)
    assert "收费服务费用确认单" in text
    assert "意外事故和灾害" in text
    assert "摄像机电源模块" in text
    assert "1227.15" in text
