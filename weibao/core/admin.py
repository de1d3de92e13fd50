from django.contrib import admin

from weibao.core.models import ChangeLog


@admin.register(ChangeLog)
class ChangeLogAdmin(admin.ModelAdmin):
    """The audit trail is read-only: nobody edits history."""

    list_display = ["at", "action", "content_type", "object_repr", "actor_name", "message"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "message"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
