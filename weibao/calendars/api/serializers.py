"""Serializers of the calendar API: the days, and the questions and answers of business-time
arithmetic."""

from __future__ import annotations

from rest_framework import serializers

from weibao.calendars.models import CalendarDay

MAX_OFFSET = 5000  # working days, about twenty years


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "name", "source"]
        read_only_fields = fields


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text="第 0 天（YYYY-MM-DD）")
    n = serializers.IntegerField(
        min_value=-MAX_OFFSET, max_value=MAX_OFFSET, help_text="工作日数，可为负数"
    )


class AddWorkingDaysSerializer(AddWorkingDaysQuerySerializer):
    result = serializers.DateField(help_text="start 之后第 n 个工作日（n<0 时为之前）")


class WorkingDaysBetweenQuerySerializer(serializers.Serializer):
    a = serializers.DateField(help_text="起点（不计入）")
    b = serializers.DateField(help_text="终点（计入）")


class WorkingDaysBetweenSerializer(WorkingDaysBetweenQuerySerializer):
    result = serializers.IntegerField(help_text="a < d <= b 的工作日数；b < a 时为负数")
