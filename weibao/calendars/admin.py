"""Admin of the working-day calendar: days are corrected through `services.correct_day`, and
years are loaded with the "导入国务院放假安排" page (`services.import_year`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.core.permissions import PermissionRefused

from . import services
from .forms import ScheduleImportForm
from .models import WEEKDAY_INITIALS, WEEKDAY_NAMES, CalendarDay, CalendarYear, ScheduleDraft
from .selectors import preview_months


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
        """The "导入国务院放假安排" page: paste the notice as published (or a schedule file),
        preview the parsed months with every unread line named, then import. "保存草稿"
        keeps the text for later; `?draft=<year>` opens a kept one."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        data = request.POST.copy() if request.method == "POST" else None
        initial = {}
        draft = ScheduleDraft.objects.filter(pk=request.GET.get("draft") or 0).first()
        if draft is not None:
            initial = {"year": draft.year, "text": draft.text, "note": draft.note}
        form = ScheduleImportForm(data, request.FILES or None, initial=initial or None)
        action = request.POST.get("action", "import")
        context = {"problems": [], "preview": None}
        if request.method == "POST" and form.is_valid():
            values = form.cleaned_data
            try:
                if action == "draft":
                    services.save_draft(
                        values["year"], values["schedule"], actor=request.user, note=values["note"]
                    )
                    self.message_user(request, _("已保存草稿。"), messages.SUCCESS)
                    return redirect("admin:calendars_calendaryear_changelist")
                if action == "preview":
                    context["preview"] = self._preview(values["year"], values["schedule"])
                    data["text"] = values["schedule"]  # an upload travels on as text
                    form = ScheduleImportForm(data, initial=initial or None)
                    form.is_valid()
                else:
                    row = services.import_year(
                        values["year"],
                        values["schedule"],
                        actor=request.user,
                        replace=values["replace"],
                        note=values["note"],
                    )
                    self.message_user(
                        request,
                        _("已导入 %(year)s 年放假安排。") % {"year": row.year},
                        messages.SUCCESS,
                    )
                    return redirect("admin:calendars_calendaryear_changelist")
            except PermissionRefused:
                raise
            except DomainError as exc:
                form.add_domain_error(exc)
                context["problems"] = getattr(exc, "problems", [])
        context.update(
            {
                **self.admin_site.each_context(request),
                "title": _("导入国务院放假安排"),
                "opts": self.model._meta,
                "form": form,
                "weekday_names": WEEKDAY_INITIALS,
                "drafts": ScheduleDraft.objects.all(),
            }
        )
        return TemplateResponse(request, "admin/calendars/calendaryear/import.html", context)

    def _preview(self, year: int, text: str) -> dict:
        reading = services.read_schedule(year, text)
        return {
            "reading": reading,
            "months": preview_months(year, reading.entries, today=clock.today()),
        }


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


@admin.register(ScheduleDraft)
class ScheduleDraftAdmin(admin.ModelAdmin):
    list_display = ["year", "note", "updated_at"]
    fields = ["year", "note", "text"]
