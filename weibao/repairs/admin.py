from django.contrib import admin

from weibao.repairs.models import Repair, RepairCostLine, RepairHop


class HopInline(admin.TabularInline):
    model = RepairHop
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CostInline(HopInline):
    model = RepairCostLine


@admin.register(Repair)
class RepairAdmin(admin.ModelAdmin):
    """Repairs change through their services (the clock and the flow); the admin reads."""

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
    list_filter = ["status", "repair_origin", "billable", "trial_result", "due_provisional"]
    search_fields = ["number", "serial_number", "fault_description"]
    date_hierarchy = "received_on"
    inlines = [HopInline, CostInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
