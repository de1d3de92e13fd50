"""Empty values in API answers are `null`, never `""` as if it were a member of an enum.

A model choice field that may stay empty (`blank=True`, stored as `""`: a ticket's level
before triage, a repair's outcome before the return…) is answered as `null`, and the OpenAPI
schema says so (the enum plus `null`). Writers may still send `""` or `null` for "empty".

    class RepairSerializer(EmptyChoicesAsNull, serializers.ModelSerializer): ...
"""

from __future__ import annotations

from rest_framework import serializers


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice that may be empty: answered as `null`; `null` and `""` are read as empty."""

    def __init__(self, **kwargs):
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def validate_empty_values(self, data):
        if data is None:
            data = ""
            if not self.allow_blank:
                self.fail("null")
        return super().validate_empty_values(data)

    def to_representation(self, value):
        if value in ("", None):
            return None
        return super().to_representation(value)


class EmptyChoicesAsNull:
    """ModelSerializer mixin: every model choice field that may be blank becomes a
    `BlankAsNullChoiceField` (answered as `null` when empty, declared nullable)."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        empty_allowed = model_field.choices and model_field.blank and not model_field.null
        if empty_allowed and issubclass(BlankAsNullChoiceField, field_class):
            field_class = BlankAsNullChoiceField
        return field_class, kwargs
