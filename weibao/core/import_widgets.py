"""Cells of an imported spreadsheet read into model values (django-import-export widgets).

A cell that cannot be read raises a ValueError with a message in the reader's language, which
django-import-export turns into a row error on that column ("第 3 行：纬度 “abc”不是数字。").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets


class TextWidget(widgets.CharWidget):
    """A text cell, trimmed; a number typed into a text column (a code 1001) as its digits."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = super().clean(value, row, **kwargs)
        return text.strip() if isinstance(text, str) else text


class NumberWidget(widgets.Widget):
    """A decimal number; empty is None."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("“%(value)s”不是数字。") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s”不是数字。") % {"value": value})
        return number


class DateWidget(widgets.Widget):
    """A date cell, or a text in the form 2024-03-01 (or 2024/3/1); empty is None."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        except ValueError:
            raise ValueError(
                _("“%(value)s”不是日期（例如 2024-03-01）。") % {"value": value}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A choice given by its label (in Chinese or English) or by its stored value."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        for stored, label in self.choices.choices:
            if text.lower() == stored or text in _labels(label):
                return stored
        allowed = "、".join(str(label) for _stored, label in self.choices.choices)
        raise ValueError(
            _("“%(value)s”不是可选值（可选：%(allowed)s）。") % {"value": text, "allowed": allowed}
        )


def _labels(label) -> set[str]:
    with translation.override("zh-hans"):
        chinese = str(label)
    with translation.override("en"):
        english = str(label)
    return {chinese, english}


class LookupWidget(widgets.Widget):
    """A related object found by `find(text, row)` (None: not found → `missing` message)."""

    def __init__(self, find, missing):
        super().__init__()
        self.find = find
        self.missing = missing

    def clean(self, value, row=None, **kwargs):
        text = TextWidget().clean(value)
        if not text:
            return None
        found = self.find(text, row or {})
        if found is None:
            raise ValueError(self.missing() % {"value": text})
        return found
