"""Calendar API: the days (read-only) and business-time arithmetic.

Register with the router::

    for prefix, viewset, basename in router_registrations:
        router.register(prefix, viewset, basename=basename)

giving `/api/calendar/days/`, `/api/calendar/days/<date>/`, `/api/calendar/add-working-days/`
and `/api/calendar/working-days-between/`.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from weibao.calendars import services, workdays
from weibao.calendars.api.serializers import (
    AddWorkingDaysQuerySerializer,
    AddWorkingDaysSerializer,
    CalendarDaySerializer,
    DayCorrectionSerializer,
    ScheduleImportSerializer,
    ScheduleReadingSerializer,
    WorkingDaysBetweenQuerySerializer,
    WorkingDaysBetweenSerializer,
)
from weibao.calendars.errors import CalendarYearMissing
from weibao.calendars.filtersets import CalendarDayFilterSet
from weibao.calendars.models import CalendarDay

ERRORS = OpenApiResponse(
    description="`{code, detail, fields}`: `calendar_import_invalid` (every unread line named; "
    "nothing saved), `calendar_year_exists`, `calendar_year_missing`, `permission_denied` (403)"
)


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

    @extend_schema(
        request=DayCorrectionSerializer,
        responses={200: CalendarDaySerializer, 400: ERRORS, 403: ERRORS},
        summary="Correct one day (source becomes manual); needs config.edit",
    )
    @action(detail=True, methods=["post"])
    def correct(self, request, date=None):
        day = self.get_object()
        body = DayCorrectionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        row = services.correct_day(day.date, actor=request.user, **body.validated_data)
        return Response(CalendarDaySerializer(row).data)


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

    @extend_schema(
        request=ScheduleImportSerializer,
        responses={
            200: ScheduleReadingSerializer,
            201: ScheduleReadingSerializer,
            400: ERRORS,
            403: ERRORS,
        },
        summary="Import a year's State Council schedule (the notice text as published, or the "
        "file format); preview=true only parses. Needs config.edit",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_schedule(self, request):
        body = ScheduleImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.may_edit(request.user)
        reading = services.read_schedule(data["year"], data["text"])
        if not data["preview"]:
            services.import_year(
                data["year"],
                data["text"],
                actor=request.user,
                replace=data["replace"],
                note=data["note"],
            )
        answer = {
            "year": reading.year,
            "saved": not data["preview"],
            "from_notice": reading.from_notice,
            "holidays": reading.holidays,
            "makeup_days": reading.makeup_days,
            "entries": sorted((e for e in reading.entries.values()), key=lambda e: e.date),
            "ignored": [{"line": n, "text": t} for n, t in reading.ignored],
        }
        code = 200 if data["preview"] else 201
        return Response(ScheduleReadingSerializer(answer).data, status=code)


router_registrations = [
    ("calendar/days", CalendarDayViewSet, "calendar-day"),
    ("calendar", BusinessTimeViewSet, "calendar"),
]
