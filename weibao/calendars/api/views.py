"""Calendar API: the days (read-only) and business-time arithmetic.

Register with the router::

    for prefix, viewset, basename in router_registrations:
        router.register(prefix, viewset, basename=basename)

giving `/api/calendar/days/`, `/api/calendar/days/<date>/`, `/api/calendar/add-working-days/`
and `/api/calendar/working-days-between/`.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.calendars import workdays
from weibao.calendars.api.serializers import (
    AddWorkingDaysQuerySerializer,
    AddWorkingDaysSerializer,
    CalendarDaySerializer,
    WorkingDaysBetweenQuerySerializer,
    WorkingDaysBetweenSerializer,
)
from weibao.calendars.errors import CalendarYearMissing
from weibao.calendars.filtersets import CalendarDayFilterSet
from weibao.calendars.models import CalendarDay


class CalendarDayViewSet(viewsets.ReadOnlyModelViewSet):
    """Days of the working-day calendar (工作日历), by date. Filters: `year`, `date_after`,
    `date_before` (inclusive), `is_working_day`, `source`; `search` matches the name."""

    queryset = CalendarDay.objects.all()
    serializer_class = CalendarDaySerializer
    filterset_class = CalendarDayFilterSet
    search_fields = ["name"]
    ordering_fields = ["date"]
    ordering = ["date"]
    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"


class BusinessTimeViewSet(viewsets.ViewSet):
    """Business-time arithmetic over the working-day calendar. A date in a year that is not
    loaded answers 400 with code `calendar_year_missing`."""

    @extend_schema(
        parameters=[AddWorkingDaysQuerySerializer],
        responses=AddWorkingDaysSerializer,
        summary="The n-th working day after start (start is day 0; n < 0 goes back)",
    )
    @action(detail=False, methods=["get"], url_path="add-working-days")
    def add_working_days(self, request):
        query = AddWorkingDaysQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, n = query.validated_data["start"], query.validated_data["n"]
        try:
            result = workdays.add_working_days(start, n)
        except CalendarYearMissing as exc:
            raise CalendarYearMissing(
                exc.year, field="start" if exc.year == start.year else "n"
            ) from exc
        return Response(AddWorkingDaysSerializer({"start": start, "n": n, "result": result}).data)

    @extend_schema(
        parameters=[WorkingDaysBetweenQuerySerializer],
        responses=WorkingDaysBetweenSerializer,
        summary="The number of working days d with a < d <= b (negative if b < a)",
    )
    @action(detail=False, methods=["get"], url_path="working-days-between")
    def working_days_between(self, request):
        query = WorkingDaysBetweenQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        a, b = query.validated_data["a"], query.validated_data["b"]
        try:
            result = workdays.working_days_between(a, b)
        except CalendarYearMissing as exc:
            field = "a" if exc.year == a.year else "b"
            raise CalendarYearMissing(exc.year, field=field) from exc
        return Response(WorkingDaysBetweenSerializer({"a": a, "b": b, "result": result}).data)


router_registrations = [
    ("calendar/days", CalendarDayViewSet, "calendar-day"),
    ("calendar", BusinessTimeViewSet, "calendar"),
]
