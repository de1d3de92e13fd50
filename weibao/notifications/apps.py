from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "weibao.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from weibao.core import due, event_kinds
        from weibao.notifications.delivery import DELIVERY_SOURCE, deliver_source

        # who was notified, retried or sent a test message is the provider's inside (PRM-1)
        event_kinds.register(event_kinds.EventKind("notification*", customer_history=False))
        due.register(DELIVERY_SOURCE, deliver_source, delivers=True)
