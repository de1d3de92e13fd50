"""Admin of the working-day calendar: days are corrected through `services.correct_day`, and
years are loaded with the "导入国务院放假安排" page (`services.import_year`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError

from . import services
from .forms import ScheduleImportForm
from .models import WEEKDAY_NAMES, CalendarDay, CalendarYear


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "official", "imported_at", "note"]
    list_filter = ["source", "official"]
    readonly_fields = ["year", "source", "imported_at"]
    fields = ["year", "source", "official", "imported_at", "note"]
    change_list_template = "admin/calendars/calendaryear/change_list.html"

    def has_add_permission(self, request) -> bool:
        # Years come from the package or from an import, never from an empty form.
        return False

    def delete_model(self, request, obj):
        services.forget_year(obj.year, actor=request.user)

    def delete_queryset(self, request, queryset):
        for year in list(queryset.values_list("year", flat=True)):
            services.forget_year(year, actor=request.user)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="calendars_calendaryear_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """The "导入国务院放假安排" page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ScheduleImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                row = services.import_year(
                    data["year"],
                    data["schedule"],
                    actor=request.user,
                    replace=data["replace"],
                    note=data["note"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                self.message_user(
                    request,
                    _("已导入 %(year)s 年放假安排。") % {"year": row.year},
                    messages.SUCCESS,
                )
                return redirect("admin:calendars_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("导入国务院放假安排"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/calendars/calendaryear/import.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working_day", "name", "source", "updated_at"]
    list_filter = ["is_working_day", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]
    fields = ["date", "is_working_day", "name", "source", "updated_by", "updated_at"]
    readonly_fields = ["date", "source", "updated_by", "updated_at"]
    list_per_page = 100

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAY_NAMES[obj.date.weekday()]

    def has_add_permission(self, request) -> bool:
        # Every day of a loaded year already exists; a year is loaded as a whole.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        services.correct_day(
            obj.date, is_working_day=obj.is_working_day, name=obj.name, actor=request.user
        )
        obj.refresh_from_db()
