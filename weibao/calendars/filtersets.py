"""Filters of the calendar API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import CalendarDay


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A whole year (1–9999); anything else is refused with 400 on `year`."""

    field_class = forms.IntegerField


class CalendarDayFilterSet(django_filters.FilterSet):
    """`year`, `date_after` / `date_before` (both inclusive), `is_working_day`, `source`."""

    year = YearFilter(field_name="date__year", label=_("年份"), min_value=1, max_value=9999)
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("起始日期")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("截止日期")
    )

    class Meta:
        model = CalendarDay
        fields = ["year", "date_after", "date_before", "is_working_day", "source"]
