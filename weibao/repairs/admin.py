from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from weibao.repairs.models import Repair, RepairHop


class HopInline(admin.TabularInline):
    model = RepairHop
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BillableFilter(admin.SimpleListFilter):
    """Out of scope (billing holds an exclusion for the repair) or not."""

    title = _("不在服务范围·收费")
    parameter_name = "billable"

    def lookups(self, request, model_admin):
        return [("1", _("是")), ("0", _("否"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.billable(self.value() == "1")
        return queryset


@admin.register(Repair)
class RepairAdmin(admin.ModelAdmin):
    """Repairs change through their services (the clock and the flow); the admin reads. The
    cost of a billable repair is its statement in billing."""

    list_display = [
        "number",
        "customer",
        "serial_number",
        "repair_origin",
        "received_on",
        "due_date",
        "due_provisional",
        "status",
        "billable",
    ]
    list_filter = ["status", "repair_origin", BillableFilter, "trial_result", "due_provisional"]
    search_fields = ["number", "serial_number", "fault_description"]
    date_hierarchy = "received_on"
    inlines = [HopInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_billable()

    @admin.display(description=_("不在服务范围·收费"), boolean=True)
    def billable(self, obj):
        return obj.billable

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
