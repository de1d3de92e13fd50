from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from weibao.core import audit, uploads
        from weibao.core.event_kinds import EventKind, register

        audit.connect_signals()
        uploads.limit_pixels()
        # the data repairs of any app's migrations and test events are the provider's inside
        register(
            EventKind("*.data_repair", customer_history=False),
            EventKind("test*", customer_history=False),
        )
