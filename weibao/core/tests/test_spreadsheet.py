"""Spreadsheet cells: a text that starts like a formula is saved as text; numbers, dates and
other texts are saved unchanged."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from weibao.core import spreadsheet
from weibao.core.tests.images import FORMULAS, formula_cells


def _saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_like_text_is_saved_as_text_by_write_and_append(text):
    book = Workbook()
    sheet = book.active
    spreadsheet.write(sheet, 1, 1, text)
    spreadsheet.append(sheet, ["客户", text])

    saved = _saved(book).active

    for cell in (saved["A1"], saved["B2"]):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert formula_cells(saved.parent) == []


def test_numbers_dates_and_plain_texts_are_unchanged():
    book = Workbook()
    sheet = book.active
    spreadsheet.append(sheet, [3, -2.5, Decimal("-1227.15"), dt.date(2026, 3, 31), "江宁端局 -1"])
    spreadsheet.append(sheet, [])
    spreadsheet.append(sheet, ["合计"])

    saved = _saved(book).active

    first = [cell.value for cell in saved[1]]
    assert first[:3] == [3, -2.5, -1227.15] and first[4] == "江宁端局 -1"
    assert first[3].date() == dt.date(2026, 3, 31)
    assert [cell.data_type for cell in saved[1]] == ["n", "n", "n", "d", "s"]
    assert not any(cell.quotePrefix for cell in saved[1])
    assert saved["A3"].value == "合计"  # the empty row kept its place


def test_a_control_character_no_worksheet_can_hold_is_written_as_its_escape():
    book = Workbook()
    sheet = book.active
    spreadsheet.append(sheet, ["投诉\x01内容", "=1\x02", "换行\n保留"])
    spreadsheet.write(sheet, 2, 1, "\x00开头")

    saved = _saved(book).active  # saving raised IllegalCharacterError before

    assert [cell.value for cell in saved[1]] == ["投诉\\x01内容", "=1\\x02", "换行\n保留"]
    assert saved["B1"].quotePrefix  # still a text, not a formula
    assert saved["A2"].value == "\\x00开头"


def test_csv_rows_put_a_quote_before_formula_like_texts_only():
    buffer = io.StringIO()
    csv.writer(buffer).writerow(spreadsheet.csv_row([*FORMULAS, "江宁端局", 12, "a=b"]))

    [row] = list(csv.reader(io.StringIO(buffer.getvalue())))

    assert row == [f"'{text}" for text in FORMULAS] + ["江宁端局", "12", "a=b"]
