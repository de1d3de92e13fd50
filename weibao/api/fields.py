"""Serializer fields carrying the input bounds of `weibao.core.bounds`, so that every API
refuses the same way (400 on the field) and the OpenAPI states the limits."""

from __future__ import annotations

from rest_framework import serializers

from weibao.core import bounds
from weibao.core.errors import DomainError


class NoteField(serializers.CharField):
    """Free text (notes, descriptions, reasons): at most 10,000 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", bounds.NOTE_MAX)
        super().__init__(**kwargs)


class NameField(serializers.CharField):
    """A name or title: at most 200 characters."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", bounds.NAME_MAX)
        super().__init__(**kwargs)


class PlausibleDateField(serializers.DateField):
    """A date not before 2000-01-01 and not after ten years on — or, with
    `not_after_today=True` (an installation, a receipt), not after today."""

    def __init__(self, *, not_after_today: bool = False, **kwargs):
        self.not_after_today = not_after_today
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        return self.bounded(super().to_internal_value(value))

    def bounded(self, date):
        """`date` if plausible for this field, otherwise a validation error on it."""
        try:
            return bounds.check_date(date, self.field_name, not_after_today=self.not_after_today)
        except DomainError as exc:
            raise serializers.ValidationError(exc.message) from None
