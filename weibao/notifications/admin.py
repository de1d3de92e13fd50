"""Admin: endpoints (with a test message), preferences, and the read-only outbox."""

from django.contrib import admin, messages
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core.errors import DomainError
from weibao.notifications import services
from weibao.notifications.delivery import deliver_now
from weibao.notifications.forms import EndpointForm
from weibao.notifications.models import (
    ChannelEndpoint,
    DeliveryAttempt,
    Notification,
    NotificationPreference,
)


@admin.register(ChannelEndpoint)
class ChannelEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "kind", "customer", "kinds", "enabled", "updated_at"]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["customer"]
    actions = ["send_test_message"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("发送测试消息"))
    def send_test_message(self, request, queryset):
        for endpoint in queryset:
            try:
                notification = services.send_test(endpoint, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{endpoint}：{exc.message}", messages.ERROR)
                continue
            counts = deliver_now(notification)
            notification.refresh_from_db()
            if counts.sent:
                self.message_user(request, f"{endpoint}：测试消息已送达。", messages.SUCCESS)
            else:
                error = notification.last_error or "正在由其他发送进程处理"
                self.message_user(
                    request,
                    f"{endpoint}：测试消息未送达（{error}），将自动重试。",
                    messages.WARNING,
                )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "enabled", "address"]
    list_filter = ["channel", "enabled"]
    search_fields = ["user__username", "user__full_name", "address"]
    raw_id_fields = ["user"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["at", "ok", "status_code", "duration_ms", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox is written by the system: staff read it and retry failed messages."""

    list_display = [
        "created_at",
        "kind",
        "subject",
        "channel",
        "address",
        "state",
        "attempts",
        "short_error",
    ]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["subject", "address", "dedupe_key", "ref_id"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "customer", "endpoint"]
    inlines = [DeliveryAttemptInline]
    actions = ["retry_now"]

    @admin.display(description=_("最近错误"))
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description=_("立即重试"))
    def retry_now(self, request, queryset):
        retried = skipped = 0
        for notification in queryset:
            try:
                services.retry_now(notification, actor=request.user)
                retried += 1
            except DomainError:
                skipped += 1
        self.message_user(request, f"已重新排队 {retried} 条通知；跳过 {skipped} 条未失败的通知。")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewing only; the change form renders read-only with the attempts inline.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
