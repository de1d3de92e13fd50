from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "weibao.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from weibao.core import due
        from weibao.notifications.delivery import DELIVERY_SOURCE, deliver_source

        due.register(DELIVERY_SOURCE, deliver_source, delivers=True)
