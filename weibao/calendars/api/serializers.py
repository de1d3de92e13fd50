"""Serializers of the calendar API: the days, and the questions and answers of business-time
arithmetic."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from weibao.api.fields import NoteField
from weibao.calendars.models import CalendarDay

MAX_OFFSET = 5000  # working days, about twenty years


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_working_day", "name", "source"]
        read_only_fields = fields


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    start = serializers.DateField(help_text=_("第 0 天（YYYY-MM-DD）"))
    n = serializers.IntegerField(
        min_value=-MAX_OFFSET, max_value=MAX_OFFSET, help_text=_("工作日数，可为负数")
    )


class AddWorkingDaysSerializer(AddWorkingDaysQuerySerializer):
    result = serializers.DateField(help_text=_("start 之后第 n 个工作日（n<0 时为之前）"))


class WorkingDaysBetweenQuerySerializer(serializers.Serializer):
    a = serializers.DateField(help_text=_("起点（不计入）"))
    b = serializers.DateField(help_text=_("终点（计入）"))


class WorkingDaysBetweenSerializer(WorkingDaysBetweenQuerySerializer):
    result = serializers.IntegerField(help_text=_("a < d <= b 的工作日数；b < a 时为负数"))


class ScheduleImportSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    text = NoteField(
        trim_whitespace=False,
        help_text=_("国务院办公厅通知原文（“一、元旦：1月1日放假……”），或每行“日期,类型,名称”"),
    )
    replace = serializers.BooleanField(default=False, help_text=_("覆盖已存在的年份"))
    note = serializers.CharField(default="", allow_blank=True, max_length=500)
    preview = serializers.BooleanField(
        default=False, help_text=_("只解析并返回结果，不保存（先预览再导入）")
    )


class ScheduleEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working_day = serializers.BooleanField()
    name = serializers.CharField()
    line = serializers.IntegerField(help_text=_("出自第几行"))


class IgnoredLineSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    text = serializers.CharField()


class ScheduleReadingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    saved = serializers.BooleanField(help_text=_("false：仅预览，未保存"))
    from_notice = serializers.BooleanField(help_text=_("按通知原文解析"))
    holidays = serializers.IntegerField()
    makeup_days = serializers.IntegerField()
    entries = ScheduleEntrySerializer(many=True)
    ignored = IgnoredLineSerializer(many=True, help_text=_("作为说明文字跳过的行"))


class DayCorrectionSerializer(serializers.Serializer):
    is_working_day = serializers.BooleanField()
    name = serializers.CharField(default="", allow_blank=True, max_length=40)
