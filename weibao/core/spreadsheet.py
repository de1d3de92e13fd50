"""Cells of every spreadsheet export, written so a text never runs as a formula.

A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is what Excel and other
spreadsheet programs may read as a formula (`=HYPERLINK(…)` in a customer name would reach
whoever opens the file). Such a text is written as a plain string cell with Excel's "quote
prefix" (the cell stays text even when edited), and in CSV behind a single quote. Numbers,
dates and other texts are written unchanged. Every export writes its cells through this module.

A control character a spreadsheet file cannot hold (XML 1.0 refuses U+0000–U+001F except tab,
newline and carriage return) would make the whole export fail; it is written as its escape
(`\x01`), so the cell keeps what was stored, visibly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """Whether `value` is a text a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_value(value: Any) -> Any:
    """`value` for a CSV row: a formula-like text behind a single quote, anything else as is."""
    return f"'{value}" if looks_like_formula(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(value) for value in values]


def write(sheet, row: int, column: int, value: Any):
    """Put `value` into the cell at (`row`, `column`) of an openpyxl sheet; return the cell."""
    cell = sheet.cell(row=row, column=column)
    set_value(cell, value)
    return cell


def _storable(value: Any) -> Any:
    """`value` with the control characters a worksheet cannot hold written as escapes."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value


def set_value(cell, value: Any) -> None:
    """Set an openpyxl cell; a formula-like text stays a string cell (type "s", quote prefix)."""
    value = _storable(value)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append(sheet, values: Iterable[Any]) -> None:
    """Write `values` as the next row of an openpyxl sheet, like `sheet.append`."""
    sheet.append([_text_cell(sheet, value) if looks_like_formula(value) else _storable(value)
                  for value in values])  # fmt: skip


def _text_cell(sheet, value: str) -> Cell:
    cell = Cell(sheet)
    set_value(cell, value)
    return cell
