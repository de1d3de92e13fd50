"""Filters of the calendar API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay


class CalendarDayFilterSet(django_filters.FilterSet):
    """`year`, `date_after` / `date_before` (both inclusive), `is_working_day`, `source`."""

    year = django_filters.NumberFilter(field_name="date__year", label=_("年份"))
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("起始日期")
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("截止日期")
    )

    class Meta:
        model = CalendarDay
        fields = ["year", "date_after", "date_before", "is_working_day", "source"]
