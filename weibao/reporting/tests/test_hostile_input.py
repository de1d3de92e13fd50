"""A report's Excel file writes texts that look like formulas (in a customer's or site's name,
or in the engineer's sections) as text: nothing runs when the customer opens it."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from weibao.core.tests.images import FORMULAS, formula_cells
from weibao.reporting import services

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.reporting.tests.urls")]


def test_the_excel_report_writes_formula_like_texts_as_text(
    api, client, quarter, django_capture_on_commit_callbacks
):
    hyperlink, plus, minus, at, tab, carriage_return = FORMULAS
    desk = quarter.desk
    desk.customer.name = hyperlink
    desk.customer.save()
    quarter.site2.name = carriage_return
    quarter.site2.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(
            quarter.contract, period_kind="quarter", day=dt.date(2026, 3, 31),
            actor=desk.manager,
        )  # fmt: skip
    api.force_authenticate(desk.engineer)
    saved = api.post(
        f"/api/analysis-reports/{report.pk}/sections/",
        {"cause_analysis": f"电源老化\n{plus}\n{minus}\n{tab}",
         "improvement_suggestions": f"{at}\n{hyperlink}"},
        format="json",
    )  # fmt: skip
    assert saved.status_code == 200, saved.content
    download = saved.json()["downloads"]["xlsx"]

    client.force_login(desk.manager)
    response = client.get(download)

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert formula_cells(book) == []
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    for text in FORMULAS:
        written = [cell for cell in cells if str(cell.value or "").startswith(text)]
        assert written, text
        assert {cell.data_type for cell in written} == {"s"}
    assert book["报告信息"]["A2"].value.startswith(hyperlink)  # the subtitle names the customer
